/* Decompressors for kernel payloads (no libc in the hypervisor). */
#ifndef XENOLITH_DECOMPRESS_H
#define XENOLITH_DECOMPRESS_H

#include "lib.h"

/* Raw DEFLATE (RFC 1951).  Returns bytes written to out, or -1 on
 * corrupt input / -2 when out is too small; *consumed gets input used.
 * Up to 7 bytes of out past the returned length may be overwritten. */
long inflate_raw(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen,
		 size_t *consumed);
/* gzip member (RFC 1952) with CRC-32 and length checked.  work is scratch
 * of gunzip_work_size() bytes (the CRC tables). */
long gunzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	    char *err, size_t errlen);
size_t gunzip_work_size(void);
/* Size recorded in a gzip trailer (ISIZE, mod 2^32). */
uint32_t gzip_isize(const uint8_t *in, size_t inlen);
uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);
/* The same CRC-32 for bulk data, with tables the caller keeps. */
void crc32_tables_init(uint32_t t[8][256]);
uint32_t crc32_update_tab(const uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n);
uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t n);
void crc64_table_init(uint64_t t[256]);
uint64_t crc64_update_tab(const uint64_t t[256], uint64_t crc, const uint8_t *p, size_t n);

/* .xz stream (LZMA2, optional x86 BCJ, CRC32/CRC64/no check).  work is
 * scratch of unxz_work_size() bytes.  Returns bytes written, or
 * UNXZ_CORRUPT, UNXZ_NO_ROOM (out too small) or UNXZ_UNSUPPORTED (a valid
 * stream with a filter or check not handled here), err saying which. */
enum { UNXZ_CORRUPT = -1, UNXZ_NO_ROOM = -2, UNXZ_UNSUPPORTED = -3 };
long unxz(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	  char *err, size_t errlen);
size_t unxz_work_size(void);
/* Uncompressed size from the stream index (0 if unreadable). */
uint64_t unxz_size(const uint8_t *in, size_t inlen);

/* Zstandard frames (RFC 8878; no dictionary), each with its content
 * checksum verified; skippable frames skipped; 4 trailing bytes (the size
 * Linux appends) allowed.  work: unzstd_work_size() bytes.  Returns bytes
 * written, or UNZSTD_CORRUPT, UNZSTD_NO_ROOM, UNZSTD_UNSUPPORTED. */
enum { UNZSTD_CORRUPT = -1, UNZSTD_NO_ROOM = -2, UNZSTD_UNSUPPORTED = -3 };
long unzstd(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	    char *err, size_t errlen);
size_t unzstd_work_size(void);

/* Linux's lz4 payload: the lz4 legacy format, then the unpacked size
 * (le32), which must match.  work: unlz4_work_size() bytes.  Returns bytes
 * written, or UNLZ4_CORRUPT or UNLZ4_NO_ROOM. */
enum { UNLZ4_CORRUPT = -1, UNLZ4_NO_ROOM = -2 };
long unlz4(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	   char *err, size_t errlen);
size_t unlz4_work_size(void);

/* Linux's lzma payload: a legacy .lzma stream (lc + lp <= 4, as the lzma
 * tool makes), then the unpacked size (le32), which must match.  work:
 * unlzma_work_size() bytes.  Returns bytes written, or UNLZMA_CORRUPT,
 * UNLZMA_NO_ROOM or UNLZMA_UNSUPPORTED. */
enum { UNLZMA_CORRUPT = -1, UNLZMA_NO_ROOM = -2, UNLZMA_UNSUPPORTED = -3 };
long unlzma(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	    char *err, size_t errlen);
size_t unlzma_work_size(void);

/* bzip2 streams (one or more), each block's CRC and each stream's
 * combined CRC checked; 4 bytes after them (the size Linux appends) must
 * give the output's size.  work: unbzip2_work_size() bytes (3.6 MB).
 * Returns bytes written, or UNBZIP2_CORRUPT, UNBZIP2_NO_ROOM or
 * UNBZIP2_UNSUPPORTED (randomised blocks, which no bzip2 since 0.9.5
 * writes). */
enum { UNBZIP2_CORRUPT = -1, UNBZIP2_NO_ROOM = -2, UNBZIP2_UNSUPPORTED = -3 };
long unbzip2(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	     char *err, size_t errlen);
size_t unbzip2_work_size(void);

/* Linux's lzo payload: an lzop file (LZO1X blocks, their checksums
 * verified), then the unpacked size (le32), which must match.  work:
 * unlzo_work_size() bytes.  Returns bytes written, or UNLZO_CORRUPT,
 * UNLZO_NO_ROOM or UNLZO_UNSUPPORTED. */
enum { UNLZO_CORRUPT = -1, UNLZO_NO_ROOM = -2, UNLZO_UNSUPPORTED = -3 };
long unlzo(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	   char *err, size_t errlen);
size_t unlzo_work_size(void);

/* For the decoders: an LZ77 match of len bytes from dist back (the copy
 * overlapping its source as the formats mean it), room (>= len) bytes
 * writable at dst.  8 bytes at a time where the source stays behind and
 * room allows; up to 7 bytes past the match are then written, for the
 * decoder to overwrite with what follows. */
static inline void lz_copy(uint8_t *dst, size_t dist, size_t len, size_t room)
{
	const uint8_t *src = dst - dist;

	if (dist >= 8 && len + 8 <= room) {
		for (size_t i = 0; i < len; i += 8)
			memcpy(dst + i, src + i, 8);
	} else if (dist == 1) {
		memset(dst, *src, len);
	} else {
		for (size_t i = 0; i < len; i++)
			dst[i] = src[i];
	}
}

#endif
