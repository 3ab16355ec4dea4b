/* The hypervisor's xz, lzma, lz4, bzip2 and lzo decoders (hypervisor/
 * common/lzma.c, unxz.c, unlzma.c, unlz4.c, unbzip2.c, unlzo.c, crc.c),
 * built into
 * libxenctrl for unpacking
 * guest kernels: see inflate_xz and inflate_sized in xg_kernel.c for why.  This library is
 * built with hidden visibility, so none of it is exported. */
#include <stdarg.h>
#include <stdio.h>
#include "common/crc.c"
#include "common/lzma.c"
#include "common/unxz.c"
#include "common/unlzma.c"
#include "common/unlz4.c"
#include "common/unbzip2.c"
#include "common/unlzo.c"

/* The decoder's error messages, through the C library's printf. */
int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
