/* The LZMA range decoder (see lzma.h): decoded straight into the output
 * buffer, which doubles as the dictionary. */
#include <xenolith/lzma.h>

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

void lzma_reset_state(struct lzma *z)
{
	z->state = 0;
	memset(z->rep, 0, sizeof(z->rep));
	/* every probability array lies between is_match and literal[] */
	probs_fill(&z->is_match[0][0],
		   (size_t)((uint16_t *)(z->literal + ARRAY_SIZE(z->literal)) - &z->is_match[0][0]));
}

static const uint8_t state_after_literal[NUM_STATES] = { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5 };

int lzma_decode(struct lzma *z, const uint8_t *chunk, size_t packed, uint8_t *out,
		size_t outlen, size_t *pos, size_t dict_start, size_t unpacked, bool eopm)
{
	uint8_t tail[2 * SYMBOL_BYTES_MAX];
	const uint8_t *in = chunk + 5, *in_end = chunk + packed, *in_check;
	uint32_t range = 0xFFFFFFFFU, code;
	uint32_t rep0 = z->rep[0], rep1 = z->rep[1], rep2 = z->rep[2], rep3 = z->rep[3];
	unsigned int state = z->state, prev;
	const unsigned int lc = z->lc, lp_mask = (1U << z->lp) - 1, pb_mask = (1U << z->pb) - 1;
	size_t p = *pos, end;
	bool in_tail = false, marker = false;

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
					if (rep0 == 0xFFFFFFFFU) {
						if (!eopm)
							return -1; /* not in LZMA2 */
						marker = true;
						break;
					}
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
	return marker;
}

int lzma_props(struct lzma *z, uint8_t props)
{
	if (props >= 9 * 5 * 5)
		return -1;
	z->lc = props % 9;
	props /= 9;
	z->lp = props % 5;
	z->pb = props / 5;
	return z->lc + z->lp > 4 ? -1 : 0;
}
