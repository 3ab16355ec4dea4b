/*
 * LD_PRELOAD shim used only by tests/bench/xenstore to run Debian's
 * reference xenstored on a host without Xen: it stands in for the few
 * libxenctrl / libxenevtchn / libxengnttab calls the daemon makes at start
 * (every domain exists and is alive, event channels never fire) and
 * points /proc/xen/xsd_{port,kva} at files named by $SHIM_XSD_PORT and
 * $SHIM_XSD_KVA.  Nothing here is part of the product.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* The exported names must be the libraries' own: this file defines
 * them for the daemon to bind to instead. */
void *xc_interface_open(void *a, void *b, unsigned int f);
int xc_interface_close(void *x);
int xc_domain_getinfo(void *x, uint32_t first, unsigned int max, void *info);
void *xenevtchn_open(void *l, unsigned int f);
void *xenevtchn_fdopen(void *l, int fd, unsigned int f);
int xenevtchn_close(void *h);
int xenevtchn_fd(void *h);
int xenevtchn_notify(void *h, uint32_t port);
int xenevtchn_bind_interdomain(void *h, uint32_t dom, uint32_t port);
int xenevtchn_bind_virq(void *h, unsigned int virq);
int xenevtchn_unbind(void *h, uint32_t port);
int xenevtchn_pending(void *h);
int xenevtchn_unmask(void *h, uint32_t port);
void *xengnttab_open(void *l, unsigned int f);
int xengnttab_close(void *h);
int xengnttab_set_max_grants(void *h, uint32_t n);
void *xengnttab_map_grant_ref(void *h, uint32_t dom, uint32_t ref, int prot);
int xengnttab_unmap(void *h, void *addr, uint32_t count);
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int setrlimit(__rlimit_resource_t r, const struct rlimit *l);

static int dummy;
static int never_fd = -1;
static uint32_t next_port = 10;

void *xc_interface_open(void *a, void *b, unsigned int f)
{
	return &dummy;
}

int xc_interface_close(void *x)
{
	return 0;
}

/* Only the head of xc_dominfo_t is touched: domid, ssidref, flag bits
 * (all clear: alive, not shutting down) and shutdown_reason. */
int xc_domain_getinfo(void *x, uint32_t first, unsigned int max, void *info)
{
	uint32_t head[4] = { first, 0, 0, 0 };

	memcpy(info, head, sizeof(head));
	return 1;
}

void *xenevtchn_open(void *l, unsigned int f)
{
	int p[2];

	if (never_fd < 0 && pipe(p) == 0)
		never_fd = p[0]; /* write end leaked on purpose: never EOF */
	return &dummy;
}

void *xenevtchn_fdopen(void *l, int fd, unsigned int f)
{
	return xenevtchn_open(l, f);
}

int xenevtchn_close(void *h) { return 0; }
int xenevtchn_fd(void *h) { return never_fd; }
int xenevtchn_notify(void *h, uint32_t port) { return 0; }
int xenevtchn_bind_interdomain(void *h, uint32_t dom, uint32_t port)
{
	return (int)next_port++;
}
int xenevtchn_bind_virq(void *h, unsigned int virq) { return (int)next_port++; }
int xenevtchn_unbind(void *h, uint32_t port) { return 0; }
int xenevtchn_pending(void *h) { errno = EAGAIN; return -1; }
int xenevtchn_unmask(void *h, uint32_t port) { return 0; }

void *xengnttab_open(void *l, unsigned int f) { return &dummy; }
int xengnttab_close(void *h) { return 0; }
int xengnttab_set_max_grants(void *h, uint32_t n) { return 0; }
void *xengnttab_map_grant_ref(void *h, uint32_t dom, uint32_t ref, int prot)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}
int xengnttab_unmap(void *h, void *addr, uint32_t count)
{
	return munmap(addr, 4096UL * count);
}

static const char *redirect(const char *path)
{
	const char *r = NULL;

	if (!strcmp(path, "/proc/xen/xsd_port"))
		r = getenv("SHIM_XSD_PORT");
	else if (!strcmp(path, "/proc/xen/xsd_kva"))
		r = getenv("SHIM_XSD_KVA");
	return r ? r : path;
}

static int do_open(const char *name, const char *path, int flags,
		   mode_t mode)
{
	int (*real)(const char *, int, ...) =
		(int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);

	return real(redirect(path), flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return do_open("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return do_open("open64", path, flags, mode);
}

/* Containers may refuse raising limits; the daemons only want more fds. */
int setrlimit(__rlimit_resource_t r, const struct rlimit *l)
{
	int (*real)(__rlimit_resource_t, const struct rlimit *) =
		(int (*)(__rlimit_resource_t, const struct rlimit *))
		dlsym(RTLD_NEXT, "setrlimit");
	int ret = real(r, l);

	return ret && errno == EPERM ? 0 : ret;
}
