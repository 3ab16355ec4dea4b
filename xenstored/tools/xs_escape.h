/* Value escaping of the xenstore tools: \t \n \r \\ and \ooo octal. */
#ifndef XENOLITH_XS_ESCAPE_H
#define XENOLITH_XS_ESCAPE_H

#include <stddef.h>

/* Printable form of len bytes; malloc'd, exits on ENOMEM. */
char *xs_escape(const char *v, size_t len);
/* Inverse; *len gets the byte count.  malloc'd or NULL. */
char *xs_unescape(const char *s, size_t *len);

#endif
