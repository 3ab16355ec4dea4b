/* Legacy .lzma kernel payloads, as Linux packs them with
 * CONFIG_KERNEL_LZMA: a 13-byte header (the properties byte, the
 * dictionary size, the unpacked size or all ones for "not known"), one
 * LZMA stream ended by that size or by the end marker, then the unpacked
 * size Linux appends (le32), which the output must match.  The format
 * has no checksum.  A stream that has no size in its header must end with
 * the marker within the buffer: one that runs on is refused, except when
 * the buffer ends exactly at the appended size, where it is cut there (as
 * Xen's decoder does). */
#include <xenolith/lzma.h>

#define HEADER_LEN 13

struct unlzma_work {
	struct lzma z;
};

size_t unlzma_work_size(void)
{
	return sizeof(struct unlzma_work);
}

static long lzma_fail(char *err, size_t errlen, long code, const char *why)
{
	lib_snprintf(err, errlen, "%s", why);
	return code;
}

long unlzma(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	    char *err, size_t errlen)
{
	struct unlzma_work *w = work;
	uint64_t hsize = 0;
	uint32_t want;
	size_t pos = 0;
	int rc;

	if (inlen < HEADER_LEN + 5 + 4 || in[0] >= 9 * 5 * 5)
		return lzma_fail(err, errlen, UNLZMA_CORRUPT, "not lzma data");
	for (unsigned int i = 0; i < 8; i++)
		hsize |= (uint64_t)in[5 + i] << (8 * i);
	want = (uint32_t)in[inlen - 4] | (uint32_t)in[inlen - 3] << 8 |
	       (uint32_t)in[inlen - 2] << 16 | (uint32_t)in[inlen - 1] << 24;
	if (hsize != UINT64_MAX && hsize != want)
		return lzma_fail(err, errlen, UNLZMA_CORRUPT,
				 "the sizes in the header and at the end differ");
	if (want > outlen)
		return lzma_fail(err, errlen, UNLZMA_NO_ROOM, "unpacked size exceeds the buffer");
	if (lzma_props(&w->z, in[0]))
		return lzma_fail(err, errlen, UNLZMA_UNSUPPORTED,
				 "lzma literal context + position bits above 4 not supported");
	lzma_reset_state(&w->z);
	rc = lzma_decode(&w->z, in + HEADER_LEN, inlen - HEADER_LEN - 4, out, outlen, &pos, 0,
			 hsize == UINT64_MAX ? outlen : want, hsize == UINT64_MAX);
	if (rc == -2 || (rc >= 0 && pos > want))
		return lzma_fail(err, errlen, UNLZMA_CORRUPT,
				 "more data than the size at the end says");
	if (rc < 0)
		return lzma_fail(err, errlen, UNLZMA_CORRUPT, "corrupt LZMA data");
	if (pos < want)
		return lzma_fail(err, errlen, UNLZMA_CORRUPT,
				 "less data than the size at the end says");
	return (long)pos;
}
