/* libxenstore helpers: daemon paths, permission strings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xenstore_lib.h"

const char *xs_daemon_rundir(void)
{
	const char *s = getenv("XENSTORED_RUNDIR");

	return s ? s : "/var/run/xenstored";
}

const char *xs_daemon_socket(void)
{
	/* Thread-local: callers keep the pointer; each thread its own. */
	static __thread char buf[256];
	const char *s = getenv("XENSTORED_PATH");

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%s/socket", xs_daemon_rundir());
	return buf;
}

/* Xen 4.17 has no separate read-only socket any more. */
const char *xs_daemon_socket_ro(void)
{
	return xs_daemon_socket();
}

const char *xs_domain_dev(void)
{
	return access("/dev/xen/xenbus", F_OK) == 0 ? "/dev/xen/xenbus" :
						      "/proc/xen/xenbus";
}

bool xs_write_all(int fd, const void *data, unsigned int len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (unsigned int)n;
	}
	return true;
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings)
{
	const char *p = strings;

	for (unsigned int i = 0; i < num; i++, p += strlen(p) + 1) {
		char *end;
		unsigned long id;

		switch (p[0]) {
		case 'n': perms[i].perms = XS_PERM_NONE; break;
		case 'r': perms[i].perms = XS_PERM_READ; break;
		case 'w': perms[i].perms = XS_PERM_WRITE; break;
		case 'b': perms[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
		default:
			errno = EINVAL;
			return false;
		}
		if (p[1] < '0' || p[1] > '9') {
			errno = EINVAL;
			return false;
		}
		id = strtoul(p + 1, &end, 10);
		if (*end || id > UINT_MAX) {
			errno = EINVAL;
			return false;
		}
		perms[i].id = (unsigned int)id;
	}
	return true;
}

bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len)
{
	char c;
	int n;

	switch ((int)perm->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
	case XS_PERM_READ: c = 'r'; break;
	case XS_PERM_WRITE: c = 'w'; break;
	case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
	default: c = 'n'; break;
	}
	n = snprintf(buffer, buf_len, "%c%u", c, perm->id);
	if (n < 0 || (size_t)n >= buf_len) {
		errno = EINVAL;
		return false;
	}
	return true;
}

unsigned int xs_count_strings(const char *strings, unsigned int len)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < len; i++)
		if (!strings[i])
			n++;
	return n;
}
