/* lzo kernel payloads (CONFIG_KERNEL_LZO): an lzop file (its header, then
 * blocks of up to 256 KiB, each stored or LZO1X-compressed, each with the
 * checksums the header's flags ask for, all verified) and the unpacked
 * size Linux appends, which must match.  Only the lzop format's original
 * LZO1X bitstream: the in-kernel compressor's run-length variant (a first
 * byte of 17) never appears in an lzop file. */
#include <xenolith/decompress.h>

#define LZOP_BLOCK_MAX (256u * 1024u)
#define F_ADLER32_D 0x00000001u
#define F_ADLER32_C 0x00000002u
#define F_H_EXTRA_FIELD 0x00000040u
#define F_CRC32_D 0x00000100u
#define F_CRC32_C 0x00000200u
#define F_H_FILTER 0x00000800u
#define F_H_CRC32 0x00001000u

struct lzo_state {
	char *err;
	size_t errlen;
};

size_t unlzo_work_size(void)
{
	return sizeof(struct lzo_state);
}

static long lzo_fail(struct lzo_state *s, long code, const char *why)
{
	lib_snprintf(s->err, s->errlen, "%s", why);
	return code;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;

	while (n) {
		/* 5552 bytes: the most before the sums can pass 2^32 */
		size_t k = n < 5552 ? n : 5552;

		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

/* A length in the zero-byte extension: each zero byte adds 255, the first
 * non-zero byte ends it; false if the input ends first or it is absurd. */
static bool lzo_len(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	while (*ip < end && **ip == 0) {
		(*ip)++;
		*len += 255;
		if (*len > LZOP_BLOCK_MAX)
			return false;
	}
	if (*ip >= end)
		return false;
	*len += *(*ip)++;
	return true;
}

/* One LZO1X block into exactly dlen bytes at out; its matches reach back
 * within the block only, as lzop compresses each on its own. */
static long lzo1x_block(struct lzo_state *s, const uint8_t *in, size_t inlen, uint8_t *out,
			size_t dlen)
{
	const uint8_t *ip = in, *end = in + inlen;
	uint8_t *op = out, *oend = out + dlen;
	unsigned int state = 0; /* literals the last instruction copied (4: a run) */
	size_t lit = 0;

	if (ip < end && *ip >= 17) {
		if (*ip == 17)
			return lzo_fail(s, UNLZO_UNSUPPORTED, "LZO1X bitstream version 1 (run-length) "
					"not supported");
		lit = (size_t)(*ip++ - 17);
		state = lit < 4 ? (unsigned int)lit : 4;
	}
	for (;;) {
		size_t len, dist;
		unsigned int t;

		if (lit > (size_t)(end - ip) || lit > (size_t)(oend - op))
			return lzo_fail(s, UNLZO_CORRUPT, "LZO1X literals run past the block");
		memcpy(op, ip, lit);
		op += lit;
		ip += lit;
		if (ip >= end)
			return lzo_fail(s, UNLZO_CORRUPT, "LZO1X block ends without its end marker");
		t = *ip++;
		if (t < 16 && state == 0) {
			len = t;
			if (!len) {
				len = 15;
				if (!lzo_len(&ip, end, &len))
					return lzo_fail(s, UNLZO_CORRUPT, "LZO1X literal length cut off");
			}
			lit = len + 3;
			state = 4;
			continue;
		}
		if (t < 16) {
			if (ip >= end)
				return lzo_fail(s, UNLZO_CORRUPT, "LZO1X match cut off");
			dist = (t >> 2) + ((size_t)*ip++ << 2) + (state == 4 ? 2049 : 1);
			len = state == 4 ? 3 : 2;
		} else if (t >= 64) {
			if (ip >= end)
				return lzo_fail(s, UNLZO_CORRUPT, "LZO1X match cut off");
			len = t >= 128 ? 5 + ((t >> 5) & 3) : 3 + ((t >> 5) & 1);
			dist = ((t >> 2) & 7) + ((size_t)*ip++ << 3) + 1;
		} else {
			bool far = t < 32; /* 16..31: 16-48 KiB back, or the end */
			unsigned int v;

			len = t & (far ? 7 : 31);
			if (!len) {
				len = far ? 7 : 31;
				if (!lzo_len(&ip, end, &len))
					return lzo_fail(s, UNLZO_CORRUPT, "LZO1X match length cut off");
			}
			len += 2;
			if (end - ip < 2)
				return lzo_fail(s, UNLZO_CORRUPT, "LZO1X match cut off");
			v = (unsigned int)ip[0] | (unsigned int)ip[1] << 8;
			ip += 2;
			if (far) {
				dist = 16384 + ((size_t)(t & 8) << 11) + (v >> 2);
				if (dist == 16384) { /* the end marker */
					if (op != oend || ip != end)
						return lzo_fail(s, UNLZO_CORRUPT,
								"LZO1X block size differs from its header");
					return (long)dlen;
				}
			} else {
				dist = (v >> 2) + 1;
			}
			t = v; /* its low bits: the literals that follow */
		}
		if (dist > (size_t)(op - out) || len > (size_t)(oend - op))
			return lzo_fail(s, UNLZO_CORRUPT, "LZO1X match outside the block");
		lz_copy(op, dist, len, (size_t)(oend - op));
		op += len;
		state = t & 3;
		lit = state;
	}
}

/* The lzop header; returns its length and *flags, or 0 if malformed. */
static size_t lzop_header(const uint8_t *in, size_t inlen, uint32_t *flags)
{
	static const uint8_t magic[9] = { 0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1A, '\n' };
	size_t p = 9, start;
	uint16_t version;

	if (inlen < 9 + 2 + 2 + 1 + 4 + 4 + 4 + 1 + 4 || memcmp(in, magic, 9))
		return 0;
	start = p;
	version = (uint16_t)(in[p] << 8 | in[p + 1]);
	p += 4; /* version, library version */
	if (version >= 0x0940)
		p += 2; /* version needed to extract */
	p++; /* method */
	if (version >= 0x0940)
		p++; /* level */
	if (inlen - p < 4)
		return 0;
	*flags = be32(in + p);
	p += 4;
	if (*flags & F_H_FILTER)
		p += 4;
	p += version >= 0x0940 ? 12 : 8; /* mode, mtime (low, high) */
	if (p >= inlen)
		return 0;
	p += 1 + (size_t)in[p]; /* file name */
	if (p > inlen || inlen - p < 4)
		return 0;
	if (be32(in + p) != (*flags & F_H_CRC32 ? crc32_update(0, in + start, p - start)
						 : adler32(in + start, p - start)))
		return 0;
	return p + 4;
}

long unlzo(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	   char *err, size_t errlen)
{
	struct lzo_state *s = work;
	size_t ip, op = 0;
	uint32_t flags = 0, want;

	s->err = err;
	s->errlen = errlen;
	ip = lzop_header(in, inlen, &flags);
	if (!ip)
		return lzo_fail(s, UNLZO_CORRUPT, "not an lzop file, or its header is corrupt");
	if (flags & F_H_EXTRA_FIELD)
		return lzo_fail(s, UNLZO_UNSUPPORTED, "lzop header extra field not supported");
	for (;;) {
		uint32_t dlen, clen, sum_d = 0, sum_c = 0;
		bool has_d = flags & (F_ADLER32_D | F_CRC32_D);
		bool has_c = flags & (F_ADLER32_C | F_CRC32_C);

		if (inlen - ip < 4)
			return lzo_fail(s, UNLZO_CORRUPT, "lzop data cut off");
		dlen = be32(in + ip);
		ip += 4;
		if (!dlen)
			break;
		if (dlen > LZOP_BLOCK_MAX)
			return lzo_fail(s, UNLZO_CORRUPT, "lzop block larger than 256 KiB");
		if (inlen - ip < 4)
			return lzo_fail(s, UNLZO_CORRUPT, "lzop data cut off");
		clen = be32(in + ip);
		ip += 4;
		if (!clen || clen > dlen)
			return lzo_fail(s, UNLZO_CORRUPT, "lzop block sizes inconsistent");
		if (has_d) {
			if (inlen - ip < 4)
				return lzo_fail(s, UNLZO_CORRUPT, "lzop data cut off");
			sum_d = be32(in + ip);
			ip += 4;
		}
		if (has_c && clen < dlen) {
			if (inlen - ip < 4)
				return lzo_fail(s, UNLZO_CORRUPT, "lzop data cut off");
			sum_c = be32(in + ip);
			ip += 4;
		}
		if (clen > inlen - ip)
			return lzo_fail(s, UNLZO_CORRUPT, "lzop block runs past the data");
		if (dlen > outlen - op)
			return lzo_fail(s, UNLZO_NO_ROOM, "lzop output larger than the buffer");
		if (has_c && clen < dlen &&
		    sum_c != (flags & F_CRC32_C ? crc32_update(0, in + ip, clen)
						: adler32(in + ip, clen)))
			return lzo_fail(s, UNLZO_CORRUPT, "lzop compressed block checksum mismatch");
		if (clen == dlen) {
			memcpy(out + op, in + ip, dlen);
		} else {
			long n = lzo1x_block(s, in + ip, clen, out + op, dlen);

			if (n < 0)
				return n;
		}
		if (has_d && sum_d != (flags & F_CRC32_D ? crc32_update(0, out + op, dlen)
							 : adler32(out + op, dlen)))
			return lzo_fail(s, UNLZO_CORRUPT, "lzop block checksum mismatch");
		ip += clen;
		op += dlen;
	}
	if (inlen - ip != 4)
		return lzo_fail(s, UNLZO_CORRUPT, inlen == ip ? "no unpacked size after the lzop data"
							     : "stray bytes after the lzop data");
	want = (uint32_t)in[ip] | (uint32_t)in[ip + 1] << 8 | (uint32_t)in[ip + 2] << 16 |
	       (uint32_t)in[ip + 3] << 24;
	if (want != op)
		return lzo_fail(s, UNLZO_CORRUPT, "the size at the end differs from the data");
	return (long)op;
}
