/* Xenstore helpers shared by libxenstore and its users (Xen 4.17 API):
 * permissions and their string form, daemon paths. */
#ifndef XENOLITH_XENSTORE_LIB_H
#define XENOLITH_XENSTORE_LIB_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

/* Bits of a permission; OWNER/ENOENT_OK/IGNORE are library-internal. */
enum xs_perm_type {
	XS_PERM_NONE = 0,
	XS_PERM_READ = 1,
	XS_PERM_WRITE = 2,
	XS_PERM_ENOENT_OK = 4,
	XS_PERM_OWNER = 8,
	XS_PERM_IGNORE = 16,
};

struct xs_permissions {
	unsigned int id;
	enum xs_perm_type perms;
};

/* Room for a decimal number of type x, with sign and NUL. */
#define MAX_STRLEN(x) ((sizeof(x) * CHAR_BIT + CHAR_BIT - 1) / 10 * 3 + 2)

const char *xs_daemon_rundir(void);
const char *xs_daemon_socket(void);
const char *xs_daemon_socket_ro(void);
const char *xs_domain_dev(void);

/* Write all of data to fd, retrying short writes. */
bool xs_write_all(int fd, const void *data, unsigned int len);

/* "r5\0w0\0" -> perms[num]; false + errno EINVAL on a bad entry. */
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
			 const char *strings);
/* One permission as "<n|r|w|b><domid>". */
bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
		       size_t buf_len);
/* Number of NUL-terminated strings in strings[0..len). */
unsigned int xs_count_strings(const char *strings, unsigned int len);

#endif
