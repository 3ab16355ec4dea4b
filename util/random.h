/* Random bytes for identifiers: domain UUIDs, vif MAC addresses. */
#ifndef XENOLITH_UTIL_RANDOM_H
#define XENOLITH_UTIL_RANDOM_H

#include <stddef.h>

/* Fill buf from the kernel's generator without waiting for it to be
 * fully seeded: identifiers must be unique, not secret, and early after
 * boot (xendomains starting guests) the wait takes seconds.  0, or -1
 * with errno.  Hidden: each library that links it keeps its own copy
 * out of its ABI. */
__attribute__((visibility("hidden"))) int random_bytes(void *buf, size_t len);

#endif
