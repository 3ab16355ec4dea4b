/* .xz decoder for kernel payloads: stream and block headers, LZMA2
 * chunks decoded by an LZMA range decoder straight into the output
 * buffer (which doubles as the dictionary), the x86 BCJ filter Linux
 * applies to its kernels, and CRC32/CRC64 integrity checks. */
#include <xenolith/decompress.h>

#define PROB_INIT 1024
#define NUM_STATES 12
#define POS_STATES_MAX 16
#define LEN_LOW 8
#define LEN_MID 8
#define LEN_HIGH 256

struct len_probs {
	uint16_t choice, choice2;
	uint16_t low[POS_STATES_MAX][LEN_LOW];
	uint16_t mid[POS_STATES_MAX][LEN_MID];
	uint16_t high[LEN_HIGH];
};

struct lzma {
	unsigned int lc, lp, pb;
	unsigned int state;
	uint32_t rep[4];
	uint16_t is_match[NUM_STATES][POS_STATES_MAX];
	uint16_t is_rep[NUM_STATES], is_rep0[NUM_STATES], is_rep1[NUM_STATES], is_rep2[NUM_STATES];
	uint16_t is_rep0_long[NUM_STATES][POS_STATES_MAX];
	uint16_t dist_slot[4][64];
	uint16_t dist_special[115];
	uint16_t dist_align[16];
	struct len_probs match_len, rep_len;
	uint16_t literal[0x300 << 4]; /* lc + lp <= 4 in LZMA2 */
};

/*
 * The range decoder lives in three locals of lzma_chunk (range, code, in)
 * so that they stay in registers.  No symbol reads more than
 * SYMBOL_BYTES_MAX input bytes, so the decoder checks the input once per
 * symbol, not per byte: near the end of a chunk the rest is copied into a
 * zero-padded buffer and an overrun shows as input used past the end.
 */
#define RC_TOP (1U << 24)
#define SYMBOL_BYTES_MAX 64

#define RC_NORMALIZE() \
	do { \
		if (range < RC_TOP) { \
			range <<= 8; \
			code = (code << 8) | *in++; \
		} \
	} while (0)

/* One bit, with branches: for the bits that decide what comes next. */
#define RC_IS_ZERO(prob) \
	({ \
		uint32_t p_ = *(prob), bound_; \
		bool zero_; \
		RC_NORMALIZE(); \
		bound_ = (range >> 11) * p_; \
		zero_ = code < bound_; \
		if (zero_) { \
			range = bound_; \
			*(prob) = (uint16_t)(p_ + ((2048 - p_) >> 5)); \
		} else { \
			range -= bound_; \
			code -= bound_; \
			*(prob) = (uint16_t)(p_ - (p_ >> 5)); \
		} \
		zero_; \
	})

/* One bit without branches, for literal and tree bits: their values are
 * noise to a branch predictor, and each branch would also end one of
 * QEMU TCG's translation blocks when dom0 runs under emulation. */
#define RC_BIT(prob) \
	({ \
		uint32_t p_ = *(prob), bound_, bit_; \
		RC_NORMALIZE(); \
		bound_ = (range >> 11) * p_; \
		bit_ = code >= bound_; \
		range = bit_ ? range - bound_ : bound_; \
		code -= bit_ ? bound_ : 0; \
		*(prob) = (uint16_t)(bit_ ? p_ - (p_ >> 5) : p_ + ((2048 - p_) >> 5)); \
		bit_; \
	})

#define RC_TREE(probs, bits) \
	({ \
		uint32_t m_ = 1; \
		for (unsigned int i_ = 0; i_ < (bits); i_++) \
			m_ = (m_ << 1) | RC_BIT(&(probs)[m_]); \
		m_ - (1U << (bits)); \
	})

#define RC_TREE_REVERSE(probs, bits) \
	({ \
		uint32_t m_ = 1, sym_ = 0; \
		for (unsigned int i_ = 0; i_ < (bits); i_++) { \
			uint32_t b_ = RC_BIT(&(probs)[m_]); \
			m_ = (m_ << 1) | b_; \
			sym_ |= b_ << i_; \
		} \
		sym_; \
	})

#define RC_LEN(l, ps) \
	(RC_IS_ZERO(&(l)->choice) ? 2 + RC_TREE((l)->low[ps], 3) : \
	 RC_IS_ZERO(&(l)->choice2) ? 2 + LEN_LOW + RC_TREE((l)->mid[ps], 3) : \
	 2 + LEN_LOW + LEN_MID + RC_TREE((l)->high, 8))

static void probs_fill(uint16_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = PROB_INIT;
}

static void lzma_reset_state(struct lzma *z)
{
	z->state = 0;
	memset(z->rep, 0, sizeof(z->rep));
	/* every probability array lies between is_match and literal[] */
	probs_fill(&z->is_match[0][0],
		   (size_t)((uint16_t *)(z->literal + ARRAY_SIZE(z->literal)) - &z->is_match[0][0]));
}

static const uint8_t state_after_literal[NUM_STATES] = { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5 };

/* One LZMA chunk: packed bytes of input producing exactly 'unpacked'
 * bytes at out[*pos].  0, -1 corrupt, -2 out too small. */
static int lzma_chunk(struct lzma *z, const uint8_t *chunk, size_t packed, uint8_t *out,
		      size_t outlen, size_t *pos, size_t dict_start, size_t unpacked)
{
	uint8_t tail[2 * SYMBOL_BYTES_MAX];
	const uint8_t *in = chunk + 5, *in_end = chunk + packed, *in_check;
	uint32_t range = 0xFFFFFFFFU, code;
	uint32_t rep0 = z->rep[0], rep1 = z->rep[1], rep2 = z->rep[2], rep3 = z->rep[3];
	unsigned int state = z->state, prev;
	const unsigned int lc = z->lc, lp_mask = (1U << z->lp) - 1, pb_mask = (1U << z->pb) - 1;
	size_t p = *pos, end;
	bool in_tail = false;

	if (unpacked > outlen - p)
		return -2;
	if (packed < 5 || chunk[0] != 0)
		return -1;
	end = p + unpacked;
	code = (uint32_t)chunk[1] << 24 | (uint32_t)chunk[2] << 16 | (uint32_t)chunk[3] << 8 | chunk[4];
	in_check = packed - 5 > SYMBOL_BYTES_MAX ? in_end - SYMBOL_BYTES_MAX : in;
	prev = p > dict_start ? out[p - 1] : 0;

	while (p < end) {
		unsigned int ps = (unsigned int)p & pb_mask;
		uint32_t len;

		if (in >= in_check) {
			size_t left;

			if (in_tail) {
				if (in > in_end)
					return -1;
			} else {
				left = (size_t)(in_end - in);
				memcpy(tail, in, left);
				memset(tail + left, 0, sizeof(tail) - left);
				in = tail;
				in_end = in_check = tail + left;
				in_tail = true;
			}
		}
		if (RC_IS_ZERO(&z->is_match[state][ps])) {
			uint16_t *probs = &z->literal[0x300 * ((((unsigned int)p & lp_mask) << lc) +
							       (prev >> (8 - lc)))];
			uint32_t sym = 1;

			if (state < 7) {
				for (int i = 0; i < 8; i++)
					sym = (sym << 1) | RC_BIT(&probs[sym]);
			} else {
				uint32_t mbyte, offset = 0x100;

				if (rep0 >= p - dict_start)
					return -1;
				mbyte = out[p - rep0 - 1];
				for (int i = 0; i < 8; i++) {
					uint32_t mbit, b;

					mbyte <<= 1;
					mbit = mbyte & offset;
					b = RC_BIT(&probs[offset + mbit + sym]);
					sym = (sym << 1) | b;
					offset &= mbit ^ (b - 1);
				}
			}
			prev = sym & 0xFF;
			out[p++] = (uint8_t)prev;
			state = state_after_literal[state];
			continue;
		}
		if (RC_IS_ZERO(&z->is_rep[state])) {
			uint32_t slot;

			rep3 = rep2;
			rep2 = rep1;
			rep1 = rep0;
			len = RC_LEN(&z->match_len, ps);
			state = state < 7 ? 7 : 10;
			slot = RC_TREE(z->dist_slot[len < 5 ? len - 2 : 3], 6);
			if (slot < 4) {
				rep0 = slot;
			} else {
				unsigned int direct = (slot >> 1) - 1;

				rep0 = (2 | (slot & 1)) << direct;
				if (slot < 14) {
					rep0 += RC_TREE_REVERSE(z->dist_special + rep0 - slot, direct);
				} else {
					uint32_t bits = 0;

					for (direct -= 4; direct; direct--) {
						uint32_t t;

						RC_NORMALIZE();
						range >>= 1;
						code -= range;
						t = 0U - (code >> 31); /* all ones: bit 0 */
						code += range & t;
						bits = (bits << 1) + (t + 1);
					}
					rep0 += (bits << 4) + RC_TREE_REVERSE(z->dist_align, 4);
					if (rep0 == 0xFFFFFFFFU)
						return -1; /* end marker: not used in LZMA2 */
				}
			}
		} else {
			if (RC_IS_ZERO(&z->is_rep0[state])) {
				if (RC_IS_ZERO(&z->is_rep0_long[state][ps])) {
					if (rep0 >= p - dict_start)
						return -1;
					state = state < 7 ? 9 : 11;
					prev = out[p - rep0 - 1];
					out[p++] = (uint8_t)prev;
					continue;
				}
			} else {
				uint32_t d;

				if (RC_IS_ZERO(&z->is_rep1[state])) {
					d = rep1;
				} else {
					if (RC_IS_ZERO(&z->is_rep2[state])) {
						d = rep2;
					} else {
						d = rep3;
						rep3 = rep2;
					}
					rep2 = rep1;
				}
				rep1 = rep0;
				rep0 = d;
			}
			len = RC_LEN(&z->rep_len, ps);
			state = state < 7 ? 8 : 11;
		}
		if (rep0 >= p - dict_start || len > end - p)
			return -1;
		lz_copy(out + p, (size_t)rep0 + 1, len, end - p);
		p += len;
		prev = out[p - 1];
	}
	if (in > in_end)
		return -1;
	z->state = state;
	z->rep[0] = rep0;
	z->rep[1] = rep1;
	z->rep[2] = rep2;
	z->rep[3] = rep3;
	*pos = p;
	return 0;
}

static int lzma_props(struct lzma *z, uint8_t props)
{
	if (props >= 9 * 5 * 5)
		return -1;
	z->lc = props % 9;
	props /= 9;
	z->lp = props % 5;
	z->pb = props / 5;
	return z->lc + z->lp > 4 ? -1 : 0;
}

/* LZMA2 stream; returns bytes written or -1/-2, *used = input consumed. */
static long unlzma2(struct lzma *z, const uint8_t *in, size_t inlen, uint8_t *out,
		    size_t outlen, size_t *used)
{
	size_t ip = 0, pos = 0, dict_start = 0;
	bool need_dict = true, need_props = true;

	for (;;) {
		uint8_t c;

		if (ip >= inlen)
			return -1;
		c = in[ip++];
		if (c == 0x00)
			break;
		if (c == 0x01 || c == 0x02) {
			size_t n;

			if (ip + 2 > inlen)
				return -1;
			n = ((size_t)in[ip] << 8 | in[ip + 1]) + 1;
			ip += 2;
			if (c == 0x01) {
				dict_start = pos;
				need_dict = false;
			} else if (need_dict) {
				return -1;
			}
			if (n > inlen - ip)
				return -1;
			if (n > outlen - pos)
				return -2;
			memcpy(out + pos, in + ip, n);
			pos += n;
			ip += n;
			continue;
		}
		if (c < 0x80)
			return -1;
		{
			size_t unpacked, packed;
			unsigned int reset = (c >> 5) & 3;
			int rc;

			if (ip + 4 > inlen)
				return -1;
			unpacked = ((size_t)(c & 0x1F) << 16 | (size_t)in[ip] << 8 | in[ip + 1]) + 1;
			packed = ((size_t)in[ip + 2] << 8 | in[ip + 3]) + 1;
			ip += 4;
			if (reset == 3) {
				dict_start = pos;
				need_dict = false;
			} else if (need_dict) {
				return -1;
			}
			if (reset >= 2) {
				if (ip >= inlen || lzma_props(z, in[ip++]))
					return -1;
				need_props = false;
			} else if (need_props) {
				return -1;
			}
			if (reset >= 1)
				lzma_reset_state(z);
			if (packed > inlen - ip)
				return -1;
			rc = lzma_chunk(z, in + ip, packed, out, outlen, &pos, dict_start, unpacked);
			if (rc)
				return rc;
			ip += packed;
		}
	}
	*used = ip;
	return (long)pos;
}

static bool x86_msbyte_ok(uint8_t b)
{
	return b == 0 || b == 0xFF;
}

/* The first index from i below lim holding E8 or E9 (else lim), eight
 * bytes per step where none is: most bytes of code are neither. */
static size_t bcj_next_call(const uint8_t *buf, size_t i, size_t lim)
{
	const uint64_t ones = 0x0101010101010101ULL;

	for (; i + 8 <= lim; i += 8) {
		uint64_t w, x;

		memcpy(&w, buf + i, 8);
		x = (w & ~ones) ^ (0xE8 * ones); /* a zero byte: E8 or E9 */
		if ((x - ones) & ~x & (0x80 * ones))
			break;
	}
	while (i < lim && (buf[i] & 0xFE) != 0xE8)
		i++;
	return i;
}

/* Undo the x86 branch-call-jump filter: E8/E9 rel32 operands were made
 * absolute by the encoder. */
static void bcj_x86_decode(uint8_t *buf, size_t size, uint32_t start)
{
	static const bool allowed[8] = { true, true, true, false, true, false, false, false };
	static const unsigned int bitnum[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
	uint32_t mask = 0;
	size_t prev = (size_t)-1, i = 0;

	if (size < 5)
		return;
	while (i <= size - 5) {
		uint32_t off, src, dst = 0;
		uint8_t b = buf[i];

		if (b != 0xE8 && b != 0xE9) {
			i = bcj_next_call(buf, i + 1, size - 4);
			continue;
		}
		off = (uint32_t)(i - prev);
		prev = i;
		if (off > 5) {
			mask = 0;
		} else {
			for (uint32_t k = 0; k < off; k++) {
				mask &= 0x77;
				mask <<= 1;
			}
		}
		b = buf[i + 4];
		if (x86_msbyte_ok(b) && allowed[(mask >> 1) & 7] && (mask >> 1) < 0x10) {
			src = (uint32_t)b << 24 | (uint32_t)buf[i + 3] << 16 | (uint32_t)buf[i + 2] << 8 |
			      buf[i + 1];
			for (;;) {
				unsigned int n;

				dst = src - (start + (uint32_t)i + 5);
				if (mask == 0)
					break;
				n = bitnum[mask >> 1];
				b = (uint8_t)(dst >> (24 - n * 8));
				if (!x86_msbyte_ok(b))
					break;
				src = dst ^ ((1U << (32 - n * 8)) - 1);
			}
			buf[i + 4] = (uint8_t)~(((dst >> 24) & 1) - 1);
			buf[i + 3] = (uint8_t)(dst >> 16);
			buf[i + 2] = (uint8_t)(dst >> 8);
			buf[i + 1] = (uint8_t)dst;
			i += 5;
			mask = 0;
		} else {
			i++;
			mask |= 1;
			if (x86_msbyte_ok(b))
				mask |= 0x10;
		}
	}
}

/* Scratch of one unxz call: the LZMA model and tables for the block
 * checks (with bit loops, checking took as long as decoding). */
struct unxz_work {
	struct lzma z;
	uint32_t crc32[8][256];
	uint64_t crc64[256];
};

static int vli(const uint8_t *p, size_t len, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < 9; i++) {
		uint8_t b;

		if (*pos >= len)
			return -1;
		b = p[(*pos)++];
		v |= (uint64_t)(b & 0x7F) << (7 * i);
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

long unxz(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, void *work,
	  char *err, size_t errlen)
{
	struct unxz_work *w = work;
	struct lzma *z = &w->z;
	size_t ip = 12, op = 0;
	unsigned int check;
	size_t check_len;

	if (inlen < 24 || memcmp(in, "\xFD" "7zXZ\0", 6)) {
		lib_snprintf(err, errlen, "not xz data");
		return -1;
	}
	if (crc32_update(0, in + 6, 2) != le32(in + 8) || in[6] != 0 || (in[7] & 0xF0)) {
		lib_snprintf(err, errlen, "xz stream header corrupt");
		return -1;
	}
	check = in[7] & 0x0F;
	if (check == 1)
		crc32_tables_init(w->crc32);
	else if (check == 4)
		crc64_table_init(w->crc64);
	check_len = check == 0 ? 0 : check == 1 ? 4 : check == 4 ? 8 : check == 10 ? 32 : 0;
	if (check != 0 && check != 1 && check != 4) {
		lib_snprintf(err, errlen, "xz check type %u not supported (CRC32/CRC64/none are)", check);
		return UNXZ_UNSUPPORTED;
	}
	for (;;) {
		size_t hsize, hp, bstart = op, used = 0;
		uint8_t flags;
		unsigned int nfilt;
		bool bcj = false, lzma2 = false;
		uint32_t bcj_start = 0;
		long n;

		if (ip >= inlen) {
			lib_snprintf(err, errlen, "xz data truncated");
			return -1;
		}
		if (in[ip] == 0x00)
			break; /* the index: all blocks done */
		hsize = ((size_t)in[ip] + 1) * 4;
		if (hsize > inlen - ip || crc32_update(0, in + ip, hsize - 4) != le32(in + ip + hsize - 4)) {
			lib_snprintf(err, errlen, "xz block header at %zu corrupt", ip);
			return -1;
		}
		flags = in[ip + 1];
		nfilt = (flags & 3) + 1;
		hp = ip + 2;
		if (flags & 0x3C) {
			lib_snprintf(err, errlen, "xz block header has reserved flags");
			return -1;
		}
		{
			uint64_t dummy;

			if (((flags & 0x40) && vli(in, ip + hsize - 4, &hp, &dummy)) ||
			    ((flags & 0x80) && vli(in, ip + hsize - 4, &hp, &dummy)))
				goto bad_header;
		}
		for (unsigned int f = 0; f < nfilt; f++) {
			uint64_t id, psize;

			if (vli(in, ip + hsize - 4, &hp, &id) || vli(in, ip + hsize - 4, &hp, &psize) ||
			    psize > ip + hsize - 4 - hp)
				goto bad_header;
			if (id == 0x21 && f == nfilt - 1 && psize == 1) {
				if (in[hp] > 40)
					goto bad_header;
				lzma2 = true;
			} else if (id == 0x04 && f < nfilt - 1 && !bcj && (psize == 0 || psize == 4)) {
				bcj = true;
				if (psize == 4)
					bcj_start = le32(in + hp);
			} else {
				lib_snprintf(err, errlen, "xz filter %#llx not supported (x86 BCJ + LZMA2 are)",
					     (unsigned long long)id);
				return UNXZ_UNSUPPORTED;
			}
			hp += (size_t)psize;
		}
		if (!lzma2)
			goto bad_header;
		ip += hsize;
		n = unlzma2(z, in + ip, inlen - ip, out + op, outlen - op, &used);
		if (n == -2) {
			lib_snprintf(err, errlen, "xz output larger than %zu bytes", outlen);
			return UNXZ_NO_ROOM;
		}
		if (n < 0) {
			lib_snprintf(err, errlen, "corrupt LZMA2 data in the block at %zu", ip - hsize);
			return -1;
		}
		op += (size_t)n;
		ip += used;
		while (ip & 3) { /* block padding */
			if (ip >= inlen || in[ip] != 0) {
				lib_snprintf(err, errlen, "xz block padding corrupt");
				return -1;
			}
			ip++;
		}
		if (bcj)
			bcj_x86_decode(out + bstart, op - bstart, bcj_start);
		if (check_len > inlen - ip) {
			lib_snprintf(err, errlen, "xz data truncated");
			return -1;
		}
		if ((check == 1 && crc32_update_tab(w->crc32, 0, out + bstart, op - bstart) != le32(in + ip)) ||
		    (check == 4 && crc64_update_tab(w->crc64, 0, out + bstart, op - bstart) !=
				   ((uint64_t)le32(in + ip + 4) << 32 | le32(in + ip)))) {
			lib_snprintf(err, errlen, "xz block check mismatch");
			return -1;
		}
		ip += check_len;
	}
	return (long)op;
bad_header:
	lib_snprintf(err, errlen, "xz block header malformed");
	return -1;
}

size_t unxz_work_size(void)
{
	return sizeof(struct unxz_work);
}

uint64_t unxz_size(const uint8_t *in, size_t inlen)
{
	size_t isize, ip, end;
	uint64_t records, total = 0;

	/* stream footer: CRC32, backward size, flags, "YZ" */
	if (inlen < 24 || memcmp(in + inlen - 2, "YZ", 2))
		return 0;
	isize = ((size_t)le32(in + inlen - 8) + 1) * 4;
	if (isize > inlen - 24)
		return 0;
	ip = inlen - 12 - isize;
	end = inlen - 12 - 4; /* the index ends with its CRC32 */
	if (in[ip++] != 0x00 || vli(in, end, &ip, &records))
		return 0;
	for (uint64_t r = 0; r < records; r++) {
		uint64_t unpadded, size;

		if (vli(in, end, &ip, &unpadded) || vli(in, end, &ip, &size))
			return 0;
		total += size;
	}
	return total;
}
