/* Plain file descriptor I/O the daemons and tools share. */
#ifndef XENOLITH_UTIL_IO_H
#define XENOLITH_UTIL_IO_H

#include <stddef.h>

/* Write all len bytes, across short writes and EINTR: 0, or -1 with
 * errno set (a write that took nothing counts as a failure). */
int io_write_all(int fd, const void *buf, size_t len);

#endif
