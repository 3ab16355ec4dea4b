/* DEFLATE decoder: stored, fixed and dynamic Huffman blocks.  Codes of
 * up to FAST_BITS bits (nearly all of them) are decoded by one table
 * lookup, longer ones bit by bit from the canonical code counts; every
 * length and distance is checked against the buffers. */
#include <xenolith/decompress.h>

#define FAST_BITS 9

struct bits {
	const uint8_t *in;
	size_t len, pos; /* pos: next byte to load */
	uint32_t buf;
	unsigned int cnt; /* bits in buf, the last pad of them past the input */
	unsigned int pad;
	bool overrun;
};

/* At least n (<= 24) bits in buf; past the input, zeros, which are an
 * error only once consumed (a lookup may look further than the data). */
static void need(struct bits *b, unsigned int n)
{
	while (b->cnt < n) {
		uint32_t byte = 0;

		if (b->pos < b->len)
			byte = b->in[b->pos++];
		else
			b->pad += 8;
		b->buf |= byte << b->cnt;
		b->cnt += 8;
	}
}

static void drop(struct bits *b, unsigned int n)
{
	b->buf >>= n;
	b->cnt -= n;
	if (b->cnt < b->pad) {
		b->overrun = true;
		b->pad = b->cnt;
	}
}

static unsigned int getbits(struct bits *b, unsigned int n)
{
	unsigned int v;

	need(b, n);
	v = b->buf & ((1U << n) - 1);
	drop(b, n);
	return v;
}

struct huff {
	uint16_t count[16]; /* codes per length */
	uint16_t symbol[320]; /* symbols ordered by code */
	uint16_t fast[1 << FAST_BITS]; /* symbol << 4 | length, 0: longer */
};

static unsigned int reverse_bits(unsigned int v, unsigned int n)
{
	unsigned int r = 0;

	for (unsigned int i = 0; i < n; i++, v >>= 1)
		r = (r << 1) | (v & 1);
	return r;
}

/* Deflate sends codes from their top bit down, into a stream read from
 * the low bit up: a table slot is the code reversed, for every value of
 * the bits after it. */
static void huff_fill_fast(struct huff *h)
{
	unsigned int code = 0, index = 0;

	memset(h->fast, 0, sizeof(h->fast));
	for (unsigned int l = 1; l <= FAST_BITS; l++) {
		code = (code + (l > 1 ? h->count[l - 1] : 0)) << 1;
		for (unsigned int k = 0; k < h->count[l]; k++) {
			unsigned int r = reverse_bits(code + k, l);

			for (unsigned int f = r; f < (1U << FAST_BITS); f += 1U << l)
				h->fast[f] = (uint16_t)(h->symbol[index + k] << 4 | l);
		}
		index += h->count[l];
	}
}

static int huff_build(struct huff *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t offs[16];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[lengths[i]]++;
	if (h->count[0] == n) {
		memset(h->fast, 0, sizeof(h->fast));
		return 0; /* empty code: allowed (e.g. no distance codes) */
	}
	for (unsigned int l = 1; l < 16; l++) {
		left <<= 1;
		left -= h->count[l];
		if (left < 0)
			return -1; /* over-subscribed */
	}
	offs[1] = 0;
	for (unsigned int l = 1; l < 15; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (unsigned int i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (uint16_t)i;
	huff_fill_fast(h);
	return 0;
}

static int huff_decode(struct bits *b, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	unsigned int e;

	need(b, FAST_BITS);
	e = h->fast[b->buf & ((1U << FAST_BITS) - 1)];
	if (e) {
		drop(b, e & 15);
		return (int)(e >> 4);
	}
	for (unsigned int l = 1; l < 16; l++) {
		int count;

		code |= (int)getbits(b, 1);
		count = h->count[l];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	return -1;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
					4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
					7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static long codes(struct bits *b, const struct huff *lit, const struct huff *dist,
		  uint8_t *out, size_t outlen, size_t *pos)
{
	for (;;) {
		int sym = huff_decode(b, lit);

		if (sym < 0 || b->overrun)
			return -1;
		if (sym < 256) {
			if (*pos >= outlen)
				return -2;
			out[(*pos)++] = (uint8_t)sym;
		} else if (sym == 256) {
			return 0;
		} else {
			unsigned int len, d;
			int ds;

			sym -= 257;
			if (sym >= 29)
				return -1;
			len = len_base[sym] + getbits(b, len_extra[sym]);
			ds = huff_decode(b, dist);
			if (ds < 0 || ds >= 30)
				return -1;
			d = dist_base[ds] + getbits(b, dist_extra[ds]);
			if (d > *pos)
				return -1; /* reaches before the start */
			if (len > outlen - *pos)
				return -2;
			lz_copy(out + *pos, d, len, outlen - *pos);
			*pos += len;
		}
	}
}

static long block_fixed(struct bits *b, uint8_t *out, size_t outlen, size_t *pos)
{
	static struct huff lit, dist;
	static bool built;

	if (!built) {
		uint8_t l[288];

		for (unsigned int i = 0; i < 288; i++)
			l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
		huff_build(&lit, l, 288);
		for (unsigned int i = 0; i < 30; i++)
			l[i] = 5;
		huff_build(&dist, l, 30);
		built = true;
	}
	return codes(b, &lit, &dist, out, outlen, pos);
}

static long block_dynamic(struct bits *b, uint8_t *out, size_t outlen, size_t *pos)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
					   14, 1, 15 };
	struct huff lencode, lit, dist;
	uint8_t lengths[320];
	unsigned int nlen = getbits(b, 5) + 257, ndist = getbits(b, 5) + 1;
	unsigned int ncode = getbits(b, 4) + 4, i = 0;

	if (nlen > 286 || ndist > 30)
		return -1;
	memset(lengths, 0, sizeof(lengths));
	for (unsigned int k = 0; k < ncode; k++)
		lengths[order[k]] = (uint8_t)getbits(b, 3);
	if (huff_build(&lencode, lengths, 19))
		return -1;
	while (i < nlen + ndist) {
		int sym = huff_decode(b, &lencode);
		unsigned int rep;
		uint8_t val = 0;

		if (sym < 0 || b->overrun)
			return -1;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -1;
			val = lengths[i - 1];
			rep = 3 + getbits(b, 2);
		} else if (sym == 17) {
			rep = 3 + getbits(b, 3);
		} else {
			rep = 11 + getbits(b, 7);
		}
		if (i + rep > nlen + ndist)
			return -1;
		while (rep--)
			lengths[i++] = val;
	}
	if (lengths[256] == 0)
		return -1; /* no end-of-block code */
	if (huff_build(&lit, lengths, nlen) || huff_build(&dist, lengths + nlen, ndist))
		return -1;
	return codes(b, &lit, &dist, out, outlen, pos);
}

long inflate_raw(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen,
		 size_t *consumed)
{
	struct bits b = { in, inlen, 0, 0, 0, 0, false };
	size_t pos = 0;
	unsigned int last;

	do {
		unsigned int type;
		long rc;

		last = getbits(&b, 1);
		type = getbits(&b, 2);
		if (type == 0) {
			uint16_t len, nlen;

			/* stored: drop to the byte boundary, give back whole
			 * bytes a lookup loaded */
			b.pos -= (b.cnt - b.pad) / 8;
			b.buf = 0;
			b.cnt = b.pad = 0;
			if (b.pos + 4 > inlen)
				return -1;
			len = (uint16_t)(in[b.pos] | in[b.pos + 1] << 8);
			nlen = (uint16_t)(in[b.pos + 2] | in[b.pos + 3] << 8);
			b.pos += 4;
			if ((unsigned int)len + nlen != 0xFFFFU || b.pos + len > inlen)
				return -1;
			if (len > outlen - pos)
				return -2;
			memcpy(out + pos, in + b.pos, len);
			pos += len;
			b.pos += len;
			rc = 0;
		} else if (type == 1) {
			rc = block_fixed(&b, out, outlen, &pos);
		} else if (type == 2) {
			rc = block_dynamic(&b, out, outlen, &pos);
		} else {
			return -1;
		}
		if (rc)
			return rc;
		if (b.overrun)
			return -1;
	} while (!last);
	if (consumed)
		*consumed = b.pos - (b.cnt - b.pad) / 8; /* unused whole bytes go back */
	return (long)pos;
}

uint32_t gzip_isize(const uint8_t *in, size_t inlen)
{
	if (inlen < 18)
		return 0;
	return (uint32_t)in[inlen - 4] | (uint32_t)in[inlen - 3] << 8 |
	       (uint32_t)in[inlen - 2] << 16 | (uint32_t)in[inlen - 1] << 24;
}

size_t gunzip_work_size(void)
{
	return sizeof(uint32_t[8][256]);
}

long gunzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	    char *err, size_t errlen)
{
	size_t p = 10, used = 0;
	uint8_t flg;
	long n;
	uint32_t crc, isize;

	if (inlen < 18 || in[0] != 0x1F || in[1] != 0x8B) {
		lib_snprintf(err, errlen, "not gzip data");
		return -1;
	}
	if (in[2] != 8) {
		lib_snprintf(err, errlen, "gzip method %u is not deflate", in[2]);
		return -1;
	}
	flg = in[3];
	if (flg & 4) { /* FEXTRA */
		if (p + 2 > inlen)
			goto trunc;
		p += 2 + (size_t)(in[p] | in[p + 1] << 8);
	}
	if (flg & 8) { /* FNAME */
		while (p < inlen && in[p])
			p++;
		p++;
	}
	if (flg & 16) { /* FCOMMENT */
		while (p < inlen && in[p])
			p++;
		p++;
	}
	if (flg & 2)
		p += 2; /* FHCRC */
	if (p + 8 > inlen)
		goto trunc;
	n = inflate_raw(in + p, inlen - p - 8, out, outlen, &used);
	if (n == -2) {
		lib_snprintf(err, errlen, "gzip output larger than %zu bytes", outlen);
		return -1;
	}
	if (n < 0) {
		lib_snprintf(err, errlen, "corrupt deflate data");
		return -1;
	}
	p += used;
	if (p + 8 > inlen)
		goto trunc;
	crc = (uint32_t)in[p] | (uint32_t)in[p + 1] << 8 | (uint32_t)in[p + 2] << 16 |
	      (uint32_t)in[p + 3] << 24;
	isize = (uint32_t)in[p + 4] | (uint32_t)in[p + 5] << 8 | (uint32_t)in[p + 6] << 16 |
		(uint32_t)in[p + 7] << 24;
	crc32_tables_init(work);
	if (crc32_update_tab(work, 0, out, (size_t)n) != crc) {
		lib_snprintf(err, errlen, "gzip CRC-32 mismatch");
		return -1;
	}
	if (isize != (uint32_t)n) {
		lib_snprintf(err, errlen, "gzip length mismatch (%u recorded, %ld decoded)", isize, n);
		return -1;
	}
	return n;
trunc:
	lib_snprintf(err, errlen, "gzip data truncated");
	return -1;
}
