/* lz4 kernel payloads, as Linux packs them with CONFIG_KERNEL_LZ4: the
 * lz4 tool's legacy format (a magic number, then blocks each with its
 * compressed length, each unpacking on its own to at most 8 MiB; a magic
 * number again starts another stream), and after it the unpacked size as
 * 4 bytes, which the output must match.  The format has no checksum: the
 * size and every bound are all there is to check. */
#include <xenolith/decompress.h>

#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_BLOCK_MAX (8u << 20)
#define LZ4_MIN_MATCH 4

struct lz4_state {
	char *err;
	size_t errlen;
};

size_t unlz4_work_size(void)
{
	return sizeof(struct lz4_state);
}

static long lz4_fail(struct lz4_state *s, long code, const char *why)
{
	lib_snprintf(s->err, s->errlen, "%s", why);
	return code;
}

static uint32_t lz4_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A length nibble of 15 goes on in bytes, each added, until one < 255. */
static bool more_length(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	uint8_t b;

	do {
		if (*ip >= end)
			return false;
		b = *(*ip)++;
		*len += b;
		if (*len > LZ4_BLOCK_MAX)
			return false;
	} while (b == 255);
	return true;
}

/* One block: in[0..inlen) unpacks to at most room bytes at out.  Matches
 * reach back inside the block only: blocks are independent.  Returns the
 * bytes written, or a negative code with s->err set. */
static long block(struct lz4_state *s, const uint8_t *in, size_t inlen,
		  uint8_t *out, size_t room)
{
	const uint8_t *ip = in, *end = in + inlen;
	uint8_t *op = out, *oend = out + room;

	for (;;) {
		size_t lit, mlen, dist;
		uint8_t token;

		if (ip >= end)
			return lz4_fail(s, UNLZ4_CORRUPT, "block ends inside a sequence");
		token = *ip++;
		lit = token >> 4;
		if (lit == 15 && !more_length(&ip, end, &lit))
			return lz4_fail(s, UNLZ4_CORRUPT, "literal length runs past the block");
		if (lit > (size_t)(end - ip))
			return lz4_fail(s, UNLZ4_CORRUPT, "literals run past the block");
		if (lit > (size_t)(oend - op))
			return lz4_fail(s, UNLZ4_NO_ROOM, "block unpacks to more than its room");
		memcpy(op, ip, lit);
		op += lit;
		ip += lit;
		if (ip == end)
			return op - out; /* the last sequence: literals only */
		if (end - ip < 2)
			return lz4_fail(s, UNLZ4_CORRUPT, "match offset cut off");
		dist = (size_t)ip[0] | (size_t)ip[1] << 8;
		ip += 2;
		if (!dist || dist > (size_t)(op - out))
			return lz4_fail(s, UNLZ4_CORRUPT, "match reaches before the block");
		mlen = token & 15;
		if (mlen == 15 && !more_length(&ip, end, &mlen))
			return lz4_fail(s, UNLZ4_CORRUPT, "match length runs past the block");
		mlen += LZ4_MIN_MATCH;
		if (mlen > (size_t)(oend - op))
			return lz4_fail(s, UNLZ4_NO_ROOM, "block unpacks to more than its room");
		lz_copy(op, dist, mlen, (size_t)(oend - op));
		op += mlen;
	}
}

long unlz4(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	   char *err, size_t errlen)
{
	struct lz4_state *s = work;
	size_t pos = 0, done = 0, end;
	uint32_t want;

	s->err = err;
	s->errlen = errlen;
	if (inlen < 8 || lz4_le32(in) != LZ4_LEGACY_MAGIC)
		return lz4_fail(s, UNLZ4_CORRUPT, "not an lz4 legacy stream");
	end = inlen - 4;
	want = lz4_le32(in + end);
	if (want > outlen)
		return lz4_fail(s, UNLZ4_NO_ROOM, "unpacked size exceeds the buffer");
	while (pos < end) {
		uint32_t clen;
		long n;

		if (end - pos < 4)
			return lz4_fail(s, UNLZ4_CORRUPT, "block length cut off");
		clen = lz4_le32(in + pos);
		pos += 4;
		if (clen == LZ4_LEGACY_MAGIC)
			continue; /* another stream follows */
		if (clen > end - pos)
			return lz4_fail(s, UNLZ4_CORRUPT, "block runs past the stream");
		n = block(s, in + pos, clen, out + done,
			  want - done < LZ4_BLOCK_MAX ? want - done : LZ4_BLOCK_MAX);
		if (n < 0)
			return n == UNLZ4_NO_ROOM ?
			       lz4_fail(s, UNLZ4_CORRUPT, "more data than the size at the end says") : n;
		done += (size_t)n;
		pos += clen;
	}
	if (done != want)
		return lz4_fail(s, UNLZ4_CORRUPT, "less data than the size at the end says");
	return (long)done;
}
