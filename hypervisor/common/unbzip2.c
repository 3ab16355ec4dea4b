/* bzip2 kernel payloads (CONFIG_KERNEL_BZIP2): "BZh" and the block size
 * (1-9 x 100 kB); blocks of Huffman-coded symbols (move-to-front indexes
 * and zero runs), undone through the inverse Burrows-Wheeler transform
 * and the format's first run-length stage, each block with its CRC; the
 * stream's combined CRC at the end.  More streams may follow, then the
 * unpacked size Linux appends (4 bytes), which must match if there. */
#include <xenolith/decompress.h>

#define BZ_BLOCK_UNIT 100000u
#define BZ_BLOCK_MAX (9 * BZ_BLOCK_UNIT)
#define BZ_GROUPS_MIN 2
#define BZ_GROUPS_MAX 6
#define BZ_SYMS_MAX 258
#define BZ_LEN_MAX 20
#define BZ_GROUP_SYMS 50
#define BZ_SELECTORS_MAX (2 + BZ_BLOCK_MAX / BZ_GROUP_SYMS)
#define BZ_BLOCK_MAGIC 0x314159265359ull
#define BZ_END_MAGIC 0x177245385090ull
#define BZ_RUNA 0
#define BZ_RUNB 1
/* Codes of up to this many bits are decoded by one table lookup. */
#define BZ_LUT_BITS 10

/* One Huffman table in canonical form: codes of each length are
 * consecutive; limit[n] is the largest code of n bits, base[n] turns a
 * code of n bits into an index of perm (the symbols by code order).
 * lut[] maps the next BZ_LUT_BITS bits to symbol | length << 9 for the
 * codes that short (0: a longer code). */
struct bz_table {
	int32_t limit[BZ_LEN_MAX + 2], base[BZ_LEN_MAX + 2];
	uint16_t perm[BZ_SYMS_MAX];
	uint16_t lut[1 << BZ_LUT_BITS];
	unsigned int min_len, max_len;
};

/* The bit reader, most significant bit first. */
struct bz_br {
	const uint8_t *in;
	size_t inlen, pos;
	uint64_t buf;
	unsigned int bits;             /* bits in buf not taken yet */
	unsigned int pad;              /* of those bits, zeros from past the input */
};

struct bz_work {
	uint32_t tt[BZ_BLOCK_MAX];     /* a byte, and from the BWT the next index */
	uint8_t selector[BZ_SELECTORS_MAX];
	struct bz_table table[BZ_GROUPS_MAX];
	uint32_t crc_tab[8][256];      /* CRC-32, most significant bit first */
	struct bz_br br;
	char *err;
	size_t errlen;
};

size_t unbzip2_work_size(void)
{
	return sizeof(struct bz_work);
}

static long bz_fail(struct bz_work *w, long code, const char *why)
{
	lib_snprintf(w->err, w->errlen, "%s", why);
	return code;
}

/* At least 32 bits in the buffer: 4 bytes at once where there are 4
 * (the buffer then holds up to 63), else bytewise, zeros past the end. */
static inline void bz_fill(struct bz_br *r)
{
	if (r->bits >= 32)
		return;
	if (r->inlen - r->pos >= 4) {
		const uint8_t *p = r->in + r->pos;

		r->buf = r->buf << 32 | (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			 (uint32_t)p[2] << 8 | p[3];
		r->pos += 4;
		r->bits += 32;
		return;
	}
	while (r->bits < 32) {
		uint8_t b = 0;

		if (r->pos < r->inlen)
			b = r->in[r->pos++];
		else
			r->pad += 8;
		r->buf = r->buf << 8 | b;
		r->bits += 8;
	}
}

/* Bits were taken that the input does not have. */
static inline bool bz_past_end(const struct bz_br *r)
{
	return r->bits < r->pad;
}

/* The next n bits without taking them (n <= 32, after bz_fill). */
static inline uint32_t bz_peek(const struct bz_br *r, unsigned int n)
{
	return (uint32_t)(r->buf >> (r->bits - n)) & (uint32_t)((1ull << n) - 1);
}

static uint32_t bz_bits(struct bz_br *r, unsigned int n)
{
	uint32_t v;

	bz_fill(r);
	v = bz_peek(r, n);
	r->bits -= n;
	return v;
}

static uint64_t bz_bits48(struct bz_br *r)
{
	uint64_t hi = bz_bits(r, 24);

	return hi << 24 | bz_bits(r, 24);
}

/* Tables for 8 bytes per step: t[k][b] is the CRC of b followed by k
 * zero bytes.  The CRC runs over each block's output once it is written:
 * in the output loop it cost more (under emulation too). */
static void bz_crc_init(uint32_t t[8][256])
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;

		for (int k = 0; k < 8; k++)
			c = c & 0x80000000u ? c << 1 ^ 0x04C11DB7u : c << 1;
		t[0][i] = c;
	}
	for (unsigned int k = 1; k < 8; k++)
		for (uint32_t i = 0; i < 256; i++)
			t[k][i] = t[k - 1][i] << 8 ^ t[0][t[k - 1][i] >> 24];
}

static uint32_t bz_crc(const uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n)
{
	for (; n >= 8; n -= 8, p += 8) {
		uint32_t hi = crc ^ ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				     (uint32_t)p[2] << 8 | p[3]);

		crc = t[7][hi >> 24] ^ t[6][hi >> 16 & 0xFF] ^ t[5][hi >> 8 & 0xFF] ^
		      t[4][hi & 0xFF] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
	}
	while (n--)
		crc = crc << 8 ^ t[0][(crc >> 24) ^ *p++];
	return crc;
}

/* Canonical decoding tables from code lengths; -1 if the lengths do not
 * make a code (more codes of a length than there is room for). */
static int bz_table_build(struct bz_table *t, const uint8_t *len, unsigned int n)
{
	int32_t count[BZ_LEN_MAX + 2] = { 0 };
	int32_t code = 0, idx = 0;

	t->min_len = BZ_LEN_MAX;
	t->max_len = 1;
	for (unsigned int i = 0; i < n; i++) {
		count[len[i]]++;
		if (len[i] < t->min_len)
			t->min_len = len[i];
		if (len[i] > t->max_len)
			t->max_len = len[i];
	}
	for (unsigned int l = t->min_len, p = 0; l <= t->max_len; l++)
		for (unsigned int i = 0; i < n; i++)
			if (len[i] == l)
				t->perm[p++] = (uint16_t)i;
	for (unsigned int l = 1; l <= BZ_LEN_MAX; l++) {
		t->base[l] = idx - code; /* code + base = index in perm */
		code += count[l];
		idx += count[l];
		t->limit[l] = code - 1;
		if (code > (1 << l))
			return -1;
		code <<= 1;
	}
	memset(t->lut, 0, sizeof(t->lut));
	for (unsigned int p = 0; p < n; p++) {
		unsigned int sym = t->perm[p], l = len[sym];
		uint32_t c = (uint32_t)((int32_t)p - t->base[l]), first, fill;

		if (l > BZ_LUT_BITS)
			break; /* perm is in order of length */
		first = c << (BZ_LUT_BITS - l);
		fill = 1u << (BZ_LUT_BITS - l);
		for (uint32_t i = 0; i < fill; i++)
			t->lut[first + i] = (uint16_t)(sym | l << 9);
	}
	return 0;
}

static inline int bz_symbol(struct bz_br *r, const struct bz_table *t, unsigned int nsyms)
{
	unsigned int n = BZ_LUT_BITS + 1;
	uint16_t e;
	int32_t code, idx;

	bz_fill(r);
	e = t->lut[bz_peek(r, BZ_LUT_BITS)];
	if (e) {
		r->bits -= e >> 9;
		return e & 0x1FF;
	}
	if (n < t->min_len)
		n = t->min_len;
	for (;;) {
		if (n > t->max_len)
			return -1;
		code = (int32_t)bz_peek(r, n);
		if (code <= t->limit[n])
			break;
		n++;
	}
	r->bits -= n;
	idx = code + t->base[n];
	if (idx < 0 || (unsigned int)idx >= nsyms)
		return -1;
	return t->perm[idx];
}

/* The block's Huffman tables and selectors; returns the symbol count. */
static long bz_tables(struct bz_work *w, unsigned int *ngroups, unsigned int *nselectors,
		      uint8_t unseq[256])
{
	uint8_t mtf[BZ_GROUPS_MAX], len[BZ_SYMS_MAX];
	unsigned int in_use = 0, nsyms;
	uint32_t ranges = bz_bits(&w->br, 16);

	for (unsigned int r = 0; r < 16; r++) {
		uint32_t used;

		if (!(ranges & (0x8000u >> r)))
			continue;
		used = bz_bits(&w->br, 16);
		for (unsigned int b = 0; b < 16; b++)
			if (used & (0x8000u >> b))
				unseq[in_use++] = (uint8_t)(r * 16 + b);
	}
	if (!in_use)
		return bz_fail(w, UNBZIP2_CORRUPT, "block uses no byte values");
	nsyms = in_use + 2;
	*ngroups = bz_bits(&w->br, 3);
	*nselectors = bz_bits(&w->br, 15);
	if (*ngroups < BZ_GROUPS_MIN || *ngroups > BZ_GROUPS_MAX || !*nselectors ||
	    *nselectors > BZ_SELECTORS_MAX)
		return bz_fail(w, UNBZIP2_CORRUPT, "bad Huffman group or selector count");
	for (unsigned int g = 0; g < *ngroups; g++)
		mtf[g] = (uint8_t)g;
	for (unsigned int s = 0; s < *nselectors; s++) {
		unsigned int j = 0;
		uint8_t v;

		while (bz_bits(&w->br, 1))
			if (++j >= *ngroups)
				return bz_fail(w, UNBZIP2_CORRUPT, "selector out of range");
		v = mtf[j];
		for (; j; j--)
			mtf[j] = mtf[j - 1];
		mtf[0] = v;
		w->selector[s] = v;
	}
	for (unsigned int g = 0; g < *ngroups; g++) {
		int l = (int)bz_bits(&w->br, 5);

		for (unsigned int s = 0; s < nsyms; s++) {
			for (;;) {
				if (l < 1 || l > BZ_LEN_MAX || bz_past_end(&w->br))
					return bz_fail(w, UNBZIP2_CORRUPT, "bad Huffman code length");
				if (!bz_bits(&w->br, 1))
					break;
				l += bz_bits(&w->br, 1) ? -1 : 1;
			}
			len[s] = (uint8_t)l;
		}
		if (bz_table_build(&w->table[g], len, nsyms))
			return bz_fail(w, UNBZIP2_CORRUPT, "Huffman code lengths over-subscribed");
	}
	return (long)nsyms;
}

/* Symbols to the move-to-front output, as bytes in tt[]; returns the
 * block's length; counts[] gets how often each byte occurs. */
static long bz_symbols(struct bz_work *w, uint32_t block_max, uint32_t counts[256])
{
	uint8_t unseq[256], mtf[256];
	unsigned int ngroups, nselectors, group = 0, left = 0, eob;
	const struct bz_table *t = NULL;
	uint32_t n = 0, run = 0, weight = 1, *tt = w->tt;
	long nsyms = bz_tables(w, &ngroups, &nselectors, unseq);
	struct bz_br r; /* a copy the compiler keeps in registers */

	if (nsyms < 0)
		return nsyms;
	r = w->br;
	eob = (unsigned int)nsyms - 1;
	for (unsigned int i = 0; i < 256; i++)
		mtf[i] = (uint8_t)i;
	memset(counts, 0, 256 * sizeof(counts[0]));
	for (;;) {
		int sym;

		if (!left) {
			if (group >= nselectors)
				return bz_fail(w, UNBZIP2_CORRUPT, "more symbols than selectors");
			if (w->selector[group] >= ngroups)
				return bz_fail(w, UNBZIP2_CORRUPT, "selector names no table");
			t = &w->table[w->selector[group++]];
			left = BZ_GROUP_SYMS;
		}
		left--;
		sym = bz_symbol(&r, t, (unsigned int)nsyms);
		if (sym < 0 || bz_past_end(&r))
			return bz_fail(w, UNBZIP2_CORRUPT, "bad Huffman code");
		if (sym <= BZ_RUNB) {
			/* a run of the front byte, its length in bijective base 2 */
			if (weight > block_max)
				return bz_fail(w, UNBZIP2_CORRUPT, "run longer than the block");
			run += weight << sym;
			weight <<= 1;
			if (run > block_max)
				return bz_fail(w, UNBZIP2_CORRUPT, "run longer than the block");
			continue;
		}
		if (run) {
			uint8_t b = unseq[mtf[0]];

			if (run > block_max - n)
				return bz_fail(w, UNBZIP2_CORRUPT, "block longer than its size");
			counts[b] += run;
			while (run--)
				tt[n++] = b;
			run = 0;
			weight = 1;
		}
		if ((unsigned int)sym == eob) {
			w->br = r;
			return (long)n;
		}
		{
			unsigned int j = (unsigned int)sym - 1;
			uint8_t v = mtf[j], b;

			for (; j; j--) /* mostly a few: no call */
				mtf[j] = mtf[j - 1];
			mtf[0] = v;
			b = unseq[v];
			if (n >= block_max)
				return bz_fail(w, UNBZIP2_CORRUPT, "block longer than its size");
			counts[b]++;
			tt[n++] = b;
		}
	}
}

/* One block after its magic: decoded and appended at out[*op]. */
static long bz_block(struct bz_work *w, uint32_t block_max, uint8_t *out, size_t outlen,
		     size_t *op, uint32_t *combined)
{
	uint32_t want_crc = bz_bits(&w->br, 32), orig, counts[256], sum = 0, crc = 0xFFFFFFFFu;
	uint32_t pos, prev = 256, same = 0, *tt = w->tt;
	size_t o = *op;
	long n;

	if (bz_bits(&w->br, 1))
		return bz_fail(w, UNBZIP2_UNSUPPORTED, "randomised bzip2 blocks not supported");
	orig = bz_bits(&w->br, 24);
	n = bz_symbols(w, block_max, counts);
	if (n < 0)
		return n;
	if (orig >= (uint32_t)n)
		return bz_fail(w, UNBZIP2_CORRUPT, "BWT origin outside the block");
	/* Inverse BWT: each entry gets the index of the one that follows. */
	for (unsigned int b = 0; b < 256; b++) {
		uint32_t c = counts[b];

		counts[b] = sum;
		sum += c;
	}
	for (uint32_t i = 0; i < (uint32_t)n; i++)
		tt[counts[tt[i] & 0xFF]++] |= i << 8;
	pos = tt[orig] >> 8;
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		uint32_t e = tt[pos];
		uint8_t b = (uint8_t)e;
		size_t reps = 1;

		pos = e >> 8;
		if (same == 4) {
			/* after 4 equal bytes: how many more of them */
			reps = b;
			b = (uint8_t)prev;
			same = 0;
		} else if (b == prev) {
			same++;
		} else {
			same = 1;
			prev = b;
		}
		if (reps > outlen - o)
			return bz_fail(w, UNBZIP2_NO_ROOM, "bzip2 output larger than the buffer");
		if (reps == 1) {
			out[o++] = b;
		} else {
			memset(out + o, b, reps);
			o += reps;
		}
	}
	crc = ~bz_crc(w->crc_tab, crc, out + *op, o - *op);
	if (crc != want_crc)
		return bz_fail(w, UNBZIP2_CORRUPT, "bzip2 block CRC mismatch");
	*combined = (*combined << 1 | *combined >> 31) ^ crc;
	*op = o;
	return 0;
}

long unbzip2(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	     char *err, size_t errlen)
{
	struct bz_work *w = work;
	size_t op = 0;

	w->err = err;
	w->errlen = errlen;
	w->br.in = in;
	w->br.inlen = inlen;
	w->br.pos = 0;
	bz_crc_init(w->crc_tab);
	if (inlen < 14 || memcmp(in, "BZh", 3) || in[3] < '1' || in[3] > '9')
		return bz_fail(w, UNBZIP2_CORRUPT, "not bzip2 data");
	for (;;) { /* one stream */
		struct bz_br *r = &w->br;
		uint32_t block_max = (uint32_t)(in[r->pos + 3] - '0') * BZ_BLOCK_UNIT;
		uint32_t combined = 0;
		size_t left;

		r->pos += 4;
		r->bits = r->pad = 0;
		for (;;) {
			uint64_t magic = bz_bits48(&w->br);
			long rc;

			if (bz_past_end(&w->br))
				return bz_fail(w, UNBZIP2_CORRUPT, "bzip2 data cut off");
			if (magic == BZ_END_MAGIC)
				break;
			if (magic != BZ_BLOCK_MAGIC)
				return bz_fail(w, UNBZIP2_CORRUPT, "bad bzip2 block magic");
			rc = bz_block(w, block_max, out, outlen, &op, &combined);
			if (rc < 0)
				return rc;
		}
		if (bz_bits(&w->br, 32) != combined || bz_past_end(&w->br))
			return bz_fail(w, UNBZIP2_CORRUPT, "bzip2 stream CRC mismatch");
		/* Back to the first byte not taken (the rest of the last one
		 * is padding): the bit reader reads ahead. */
		r->pos -= (r->bits - r->pad) / 8;
		left = inlen - r->pos;
		if (left >= 4 && !memcmp(in + r->pos, "BZh", 3) && in[r->pos + 3] >= '1' &&
		    in[r->pos + 3] <= '9')
			continue;
		if (!left)
			return (long)op;
		if (left == 4) {
			const uint8_t *s = in + r->pos;
			uint32_t size = (uint32_t)s[0] | (uint32_t)s[1] << 8 |
					(uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;

			if (size != op)
				return bz_fail(w, UNBZIP2_CORRUPT,
					       "the size at the end differs from the data");
			return (long)op;
		}
		return bz_fail(w, UNBZIP2_CORRUPT, "stray bytes after the bzip2 stream");
	}
}
