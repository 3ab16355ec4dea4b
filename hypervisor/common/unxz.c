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

struct rc {
	const uint8_t *in;
	size_t len, pos;
	uint32_t range, code;
	bool bad;
};

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

static uint8_t rc_byte(struct rc *r)
{
	if (r->pos >= r->len) {
		r->bad = true;
		return 0;
	}
	return r->in[r->pos++];
}

static void rc_init(struct rc *r)
{
	r->range = 0xFFFFFFFFU;
	r->code = 0;
	if (rc_byte(r) != 0)
		r->bad = true;
	for (int i = 0; i < 4; i++)
		r->code = (r->code << 8) | rc_byte(r);
}

static void rc_normalize(struct rc *r)
{
	if (r->range < (1U << 24)) {
		r->range <<= 8;
		r->code = (r->code << 8) | rc_byte(r);
	}
}

static unsigned int rc_bit(struct rc *r, uint16_t *p)
{
	uint32_t bound;

	rc_normalize(r);
	bound = (r->range >> 11) * *p;
	if (r->code < bound) {
		r->range = bound;
		*p = (uint16_t)(*p + ((2048 - *p) >> 5));
		return 0;
	}
	r->range -= bound;
	r->code -= bound;
	*p = (uint16_t)(*p - (*p >> 5));
	return 1;
}

static uint32_t rc_tree(struct rc *r, uint16_t *probs, unsigned int bits)
{
	uint32_t m = 1;

	for (unsigned int i = 0; i < bits; i++)
		m = (m << 1) | rc_bit(r, &probs[m]);
	return m - (1U << bits);
}

static uint32_t rc_tree_reverse(struct rc *r, uint16_t *probs, unsigned int bits)
{
	uint32_t m = 1, sym = 0;

	for (unsigned int i = 0; i < bits; i++) {
		unsigned int b = rc_bit(r, &probs[m]);

		m = (m << 1) | b;
		sym |= (uint32_t)b << i;
	}
	return sym;
}

static uint32_t rc_direct(struct rc *r, unsigned int bits)
{
	uint32_t v = 0;

	while (bits--) {
		rc_normalize(r);
		r->range >>= 1;
		if (r->code >= r->range) {
			r->code -= r->range;
			v = (v << 1) | 1;
		} else {
			v <<= 1;
		}
	}
	return v;
}

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

static uint32_t decode_len(struct rc *r, struct len_probs *l, unsigned int ps)
{
	if (!rc_bit(r, &l->choice))
		return 2 + rc_tree(r, l->low[ps], 3);
	if (!rc_bit(r, &l->choice2))
		return 2 + LEN_LOW + rc_tree(r, l->mid[ps], 3);
	return 2 + LEN_LOW + LEN_MID + rc_tree(r, l->high, 8);
}

static uint32_t decode_dist(struct rc *r, struct lzma *z, uint32_t len)
{
	uint32_t slot = rc_tree(r, z->dist_slot[len - 2 < 3 ? len - 2 : 3], 6);
	unsigned int direct;
	uint32_t dist;

	if (slot < 4)
		return slot;
	direct = (slot >> 1) - 1;
	dist = (2 | (slot & 1)) << direct;
	if (slot < 14)
		return dist + rc_tree_reverse(r, z->dist_special + dist - slot, direct);
	dist += rc_direct(r, direct - 4) << 4;
	return dist + rc_tree_reverse(r, z->dist_align, 4);
}

/* One LZMA chunk producing exactly 'unpacked' bytes at out[*pos]. */
static int lzma_chunk(struct lzma *z, struct rc *r, uint8_t *out, size_t outlen,
		      size_t *pos, size_t dict_start, size_t unpacked)
{
	size_t end = *pos + unpacked;

	if (unpacked > outlen - *pos)
		return -2;
	while (*pos < end) {
		unsigned int ps = (unsigned int)(*pos & ((1U << z->pb) - 1));
		size_t p = *pos;

		if (r->bad)
			return -1;
		if (!rc_bit(r, &z->is_match[z->state][ps])) {
			unsigned int prev = p > dict_start ? out[p - 1] : 0;
			unsigned int ls = (unsigned int)(((p & ((1U << z->lp) - 1)) << z->lc) +
							 (prev >> (8 - z->lc)));
			uint16_t *probs = &z->literal[0x300 * ls];
			uint32_t sym = 1;

			if (z->state >= 7) {
				uint32_t mbyte;

				if (z->rep[0] >= p - dict_start)
					return -1;
				mbyte = out[p - z->rep[0] - 1];
				while (sym < 0x100) {
					unsigned int mbit = (mbyte >> 7) & 1, b;

					mbyte <<= 1;
					b = rc_bit(r, &probs[0x100 + (mbit << 8) + sym]);
					sym = (sym << 1) | b;
					if (b != mbit)
						break;
				}
			}
			while (sym < 0x100)
				sym = (sym << 1) | rc_bit(r, &probs[sym]);
			out[(*pos)++] = (uint8_t)sym;
			z->state = z->state < 4 ? 0 : z->state < 10 ? z->state - 3 : z->state - 6;
			continue;
		}
		{
			uint32_t len;

			if (!rc_bit(r, &z->is_rep[z->state])) {
				z->rep[3] = z->rep[2];
				z->rep[2] = z->rep[1];
				z->rep[1] = z->rep[0];
				len = decode_len(r, &z->match_len, ps);
				z->state = z->state < 7 ? 7 : 10;
				z->rep[0] = decode_dist(r, z, len);
				if (z->rep[0] == 0xFFFFFFFFU)
					return -1; /* end marker: not used in LZMA2 */
			} else {
				if (!rc_bit(r, &z->is_rep0[z->state])) {
					if (!rc_bit(r, &z->is_rep0_long[z->state][ps])) {
						if (z->rep[0] >= p - dict_start)
							return -1;
						z->state = z->state < 7 ? 9 : 11;
						out[p] = out[p - z->rep[0] - 1];
						(*pos)++;
						continue;
					}
				} else {
					uint32_t d;

					if (!rc_bit(r, &z->is_rep1[z->state])) {
						d = z->rep[1];
					} else {
						if (!rc_bit(r, &z->is_rep2[z->state])) {
							d = z->rep[2];
						} else {
							d = z->rep[3];
							z->rep[3] = z->rep[2];
						}
						z->rep[2] = z->rep[1];
					}
					z->rep[1] = z->rep[0];
					z->rep[0] = d;
				}
				len = decode_len(r, &z->rep_len, ps);
				z->state = z->state < 7 ? 8 : 11;
			}
			if (z->rep[0] >= p - dict_start || len > end - p)
				return -1;
			for (uint32_t i = 0; i < len; i++, (*pos)++)
				out[*pos] = out[*pos - z->rep[0] - 1];
		}
	}
	return r->bad ? -1 : 0;
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
			struct rc r;
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
			r = (struct rc){ in + ip, packed, 0, 0, 0, false };
			rc_init(&r);
			rc = lzma_chunk(z, &r, out, outlen, &pos, dict_start, unpacked);
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
			i++;
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

uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xC96C5795D7870F42ULL & (0ULL - (crc & 1)));
	}
	return ~crc;
}

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
	struct lzma *z = work;
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
	check_len = check == 0 ? 0 : check == 1 ? 4 : check == 4 ? 8 : check == 10 ? 32 : 0;
	if (check != 0 && check != 1 && check != 4) {
		lib_snprintf(err, errlen, "xz check type %u not supported (CRC32/CRC64/none are)", check);
		return -1;
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
				return -1;
			}
			hp += (size_t)psize;
		}
		if (!lzma2)
			goto bad_header;
		ip += hsize;
		n = unlzma2(z, in + ip, inlen - ip, out + op, outlen - op, &used);
		if (n == -2) {
			lib_snprintf(err, errlen, "xz output larger than %zu bytes", outlen);
			return -1;
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
		if ((check == 1 && crc32_update(0, out + bstart, op - bstart) != le32(in + ip)) ||
		    (check == 4 && crc64_update(0, out + bstart, op - bstart) !=
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
	return sizeof(struct lzma);
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
