/* Zstandard frames (RFC 8878) for kernel payloads, as Linux compresses
 * them with CONFIG_KERNEL_ZSTD: blocks raw, RLE or compressed (Huffman
 * literals, FSE-coded sequences, repeat offsets), decoded straight into
 * the output buffer, which is the whole window; the optional content
 * checksum (XXH64) is verified.  No dictionaries. */
#include <xenolith/decompress.h>

#define ZSTD_MAGIC 0xFD2FB528u
#define SKIP_MAGIC 0x184D2A50u /* low 4 bits: any */
#define BLOCK_MAX (128u * 1024u)
#define HUF_LOG_MAX 11
#define LL_MAX 35
#define ML_MAX 52
#define OF_MAX 31
#define LL_LOG 9
#define ML_LOG 9
#define OF_LOG 8

struct fse_entry {
	uint8_t sym, bits;
	uint16_t base;
};

struct fse_table {
	unsigned int log;
	struct fse_entry e[1 << 9];
};

struct huf_entry {
	uint8_t sym, bits;
};

struct unzstd_work {
	struct fse_table ll, of, ml, ll_def, of_def, ml_def;
	struct fse_table wt; /* Huffman weights */
	const struct fse_table *ll_prev, *of_prev, *ml_prev;
	struct huf_entry huf[1 << HUF_LOG_MAX];
	unsigned int huf_log;
	bool have_huf;
	uint32_t rep[3];
	uint8_t lit[BLOCK_MAX + 8];
	char *err;
	size_t errlen;
};

size_t unzstd_work_size(void)
{
	return sizeof(struct unzstd_work);
}

static long fail(struct unzstd_work *w, long code, const char *why)
{
	lib_snprintf(w->err, w->errlen, "%s", why);
	return code;
}

static const uint8_t ll_bits[LL_MAX + 1] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint32_t ll_base[LL_MAX + 1] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048,
	4096, 8192, 16384, 32768, 65536,
};
static const uint8_t ml_bits[ML_MAX + 1] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint32_t ml_base[ML_MAX + 1] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
	35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
	4099, 8195, 16387, 32771, 65539,
};
/* The predefined distributions (RFC 8878, 3.1.1.3.2.2). */
static const int16_t ll_def[LL_MAX + 1] = {
	4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1,
};
static const int16_t ml_def[ML_MAX + 1] = {
	1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
};
static const int16_t of_def[29] = {
	1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
};

static unsigned int highbit(uint32_t v)
{
	return 31u - (unsigned int)__builtin_clz(v);
}

static uint64_t le64(const uint8_t *p, size_t avail)
{
	uint64_t v = 0;

	if (avail >= 8) {
		memcpy(&v, p, 8);
		return v;
	}
	for (size_t i = 0; i < avail; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ---- bit streams ---- */

/* Backward stream: read from the end towards the start; bits below the
 * start read as zeros and show as a negative position. */
struct bw {
	const uint8_t *p;
	size_t len;
	long pos; /* bits not yet read */
};

static bool bw_init(struct bw *b, const uint8_t *p, size_t len)
{
	if (!len || !p[len - 1])
		return false;
	b->p = p;
	b->len = len;
	b->pos = (long)(len - 1) * 8 + (long)highbit(p[len - 1]);
	return true;
}

/* The n bits (n <= 32) just below the position, highest first. */
static inline uint32_t bw_peek(const struct bw *b, unsigned int n)
{
	long at = b->pos - (long)n;
	uint64_t v;

	if (!n)
		return 0;
	if (at >= 0) {
		v = le64(b->p + (at >> 3), b->len - (size_t)(at >> 3));
		return (uint32_t)((v >> (at & 7)) & ((1ull << n) - 1));
	}
	if (b->pos <= 0)
		return 0;
	v = le64(b->p, b->len) & ((1ull << b->pos) - 1);
	return (uint32_t)(v << (-at));
}

static inline uint32_t bw_read(struct bw *b, unsigned int n)
{
	uint32_t v = bw_peek(b, n);

	b->pos -= (long)n;
	return v;
}

/* ---- FSE ---- */

/* A table description (forward bits) into normalized counts; returns the
 * bytes it took, or 0 if corrupt. */
static size_t fse_read_counts(const uint8_t *p, size_t len, int16_t *norm,
			      unsigned int max_sym, unsigned int max_log,
			      unsigned int *log, unsigned int *nsym)
{
	size_t bit = 4;
	unsigned int sym = 0, al;
	int remaining, threshold, nbits;

	if (!len)
		return 0;
	al = (p[0] & 15u) + 5u;
	if (al > max_log)
		return 0;
	remaining = (1 << al) + 1;
	threshold = 1 << al;
	nbits = (int)al + 1;
	while (remaining > 1 && sym <= max_sym) {
		int max = 2 * threshold - 1 - remaining, count;
		uint32_t v;

		if ((bit >> 3) >= len)
			return 0;
		v = (uint32_t)(le64(p + (bit >> 3), len - (bit >> 3)) >> (bit & 7));
		if ((int)(v & (uint32_t)(threshold - 1)) < max) {
			count = (int)(v & (uint32_t)(threshold - 1));
			bit += (size_t)nbits - 1;
		} else {
			count = (int)(v & (uint32_t)(2 * threshold - 1));
			if (count >= threshold)
				count -= max;
			bit += (size_t)nbits;
		}
		count--;
		remaining -= count < 0 ? -count : count;
		norm[sym++] = (int16_t)count;
		if (!count) {
			unsigned int rep;

			do {
				if ((bit >> 3) >= len)
					return 0;
				rep = (unsigned int)(le64(p + (bit >> 3),
					len - (bit >> 3)) >> (bit & 7)) & 3u;
				bit += 2;
				for (unsigned int i = 0; i < rep; i++) {
					if (sym > max_sym)
						return 0;
					norm[sym++] = 0;
				}
			} while (rep == 3);
		}
		while (remaining < threshold && nbits > 1) {
			nbits--;
			threshold >>= 1;
		}
	}
	if (remaining != 1 || (bit + 7) / 8 > len)
		return 0;
	*log = al;
	*nsym = sym;
	return (bit + 7) / 8;
}

static bool fse_build(struct fse_table *t, const int16_t *norm,
		      unsigned int nsym, unsigned int log)
{
	uint32_t size = 1u << log, high = size - 1, step, pos = 0;
	uint16_t next[64 + 256];

	if (nsym > 256)
		return false;
	t->log = log;
	for (unsigned int s = 0; s < nsym; s++) {
		if (norm[s] == -1) {
			t->e[high--].sym = (uint8_t)s;
			next[s] = 1;
		} else {
			next[s] = (uint16_t)(norm[s] < 0 ? 0 : norm[s]);
		}
	}
	step = (size >> 1) + (size >> 3) + 3;
	for (unsigned int s = 0; s < nsym; s++) {
		for (int i = 0; i < norm[s]; i++) {
			t->e[pos].sym = (uint8_t)s;
			do {
				pos = (pos + step) & (size - 1);
			} while (pos > high);
		}
	}
	if (pos)
		return false;
	for (uint32_t u = 0; u < size; u++) {
		uint32_t n = next[t->e[u].sym]++;
		unsigned int b;

		if (!n)
			return false;
		b = log - highbit(n);
		t->e[u].bits = (uint8_t)b;
		t->e[u].base = (uint16_t)((n << b) - size);
	}
	return true;
}

/* ---- Huffman literals ---- */

static bool huf_build(struct unzstd_work *w, const uint8_t *wt, unsigned int n)
{
	uint32_t sum = 0, rank[HUF_LOG_MAX + 2] = { 0 }, total, rest, start;
	unsigned int log, last;

	for (unsigned int i = 0; i < n; i++) {
		if (wt[i] > HUF_LOG_MAX)
			return false;
		if (wt[i])
			sum += 1u << (wt[i] - 1);
	}
	if (!sum || n > 255)
		return false;
	log = highbit(sum) + 1;
	if (log > HUF_LOG_MAX)
		return false;
	total = 1u << log;
	rest = total - sum;
	if (rest & (rest - 1))
		return false;
	last = highbit(rest) + 1;
	for (unsigned int i = 0; i < n; i++)
		rank[wt[i]]++;
	rank[last]++;
	start = 0;
	for (unsigned int r = 1; r <= log; r++) {
		uint32_t cur = start;

		start += rank[r] << (r - 1);
		rank[r] = cur;
	}
	for (unsigned int s = 0; s <= n; s++) {
		unsigned int wgt = s < n ? wt[s] : last;
		uint32_t len;

		if (!wgt)
			continue;
		len = 1u << (wgt - 1);
		for (uint32_t u = rank[wgt]; u < rank[wgt] + len; u++)
			w->huf[u] = (struct huf_entry){ (uint8_t)s,
				(uint8_t)(log + 1 - wgt) };
		rank[wgt] += len;
	}
	w->huf_log = log;
	w->have_huf = true;
	return true;
}

/* The tree description; returns bytes used, 0 if corrupt. */
static size_t huf_read_tree(struct unzstd_work *w, const uint8_t *p,
			    size_t len)
{
	uint8_t wt[256];
	unsigned int n = 0;
	size_t hdr;

	if (!len)
		return 0;
	hdr = p[0];
	if (hdr >= 128) {
		n = (unsigned int)hdr - 127;
		if (1 + (n + 1) / 2 > len)
			return 0;
		for (unsigned int i = 0; i < n; i++)
			wt[i] = (uint8_t)(i & 1 ? p[1 + i / 2] & 15 :
					  p[1 + i / 2] >> 4);
		return huf_build(w, wt, n) ? 1 + (n + 1) / 2 : 0;
	} else {
		int16_t norm[256];
		unsigned int log, nsym;
		size_t used;
		struct bw b;
		uint32_t s1, s2;

		if (!hdr || 1 + hdr > len)
			return 0;
		used = fse_read_counts(p + 1, hdr, norm, 255, 6, &log, &nsym);
		if (!used || used >= hdr || !fse_build(&w->wt, norm, nsym, log))
			return 0;
		if (!bw_init(&b, p + 1 + used, hdr - used))
			return 0;
		s1 = bw_read(&b, log);
		s2 = bw_read(&b, log);
		for (;;) {
			const struct fse_entry *e = &w->wt.e[s1];

			if (n >= 255)
				return 0;
			wt[n++] = e->sym;
			s1 = e->base + bw_read(&b, e->bits);
			if (b.pos < 0) {
				wt[n++] = w->wt.e[s2].sym;
				break;
			}
			e = &w->wt.e[s2];
			if (n >= 255)
				return 0;
			wt[n++] = e->sym;
			s2 = e->base + bw_read(&b, e->bits);
			if (b.pos < 0) {
				if (n >= 255)
					return 0;
				wt[n++] = w->wt.e[s1].sym;
				break;
			}
		}
		return huf_build(w, wt, n) ? 1 + hdr : 0;
	}
}

static bool huf_stream(const struct unzstd_work *w, const uint8_t *p,
		       size_t len, uint8_t *out, size_t n)
{
	struct bw b;
	unsigned int log = w->huf_log;

	if (!bw_init(&b, p, len))
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct huf_entry *e = &w->huf[bw_peek(&b, log)];

		out[i] = e->sym;
		b.pos -= e->bits;
	}
	return b.pos == 0;
}

/* The literals section; returns its size, or 0 if corrupt. */
static size_t literals(struct unzstd_work *w, const uint8_t *p, size_t len,
		       size_t *nlit)
{
	unsigned int type, fmt;
	size_t regen, csize, hsize, total;

	if (!len)
		return 0;
	type = p[0] & 3u;
	fmt = (p[0] >> 2) & 3u;
	if (type < 2) { /* raw, RLE */
		if (fmt == 0 || fmt == 2) {
			regen = p[0] >> 3;
			hsize = 1;
		} else if (fmt == 1) {
			if (len < 2)
				return 0;
			regen = (p[0] >> 4) | ((size_t)p[1] << 4);
			hsize = 2;
		} else {
			if (len < 3)
				return 0;
			regen = (p[0] >> 4) | ((size_t)p[1] << 4) |
				((size_t)p[2] << 12);
			hsize = 3;
		}
		if (regen > BLOCK_MAX)
			return 0;
		if (type == 0) {
			if (hsize + regen > len)
				return 0;
			memcpy(w->lit, p + hsize, regen);
			*nlit = regen;
			return hsize + regen;
		}
		if (hsize + 1 > len)
			return 0;
		memset(w->lit, p[hsize], regen);
		*nlit = regen;
		return hsize + 1;
	}
	/* Huffman-coded: 1 or 4 streams */
	hsize = fmt < 2 ? 3 : fmt == 2 ? 4 : 5;
	if (len < hsize)
		return 0;
	{
		uint64_t h = le64(p, hsize) >> 4;
		unsigned int bits = fmt < 2 ? 10 : fmt == 2 ? 14 : 18;

		regen = (size_t)(h & ((1u << bits) - 1));
		csize = (size_t)((h >> bits) & ((1u << bits) - 1));
	}
	if (regen > BLOCK_MAX || hsize + csize > len)
		return 0;
	total = hsize + csize;
	p += hsize;
	if (type == 2) {
		size_t t = huf_read_tree(w, p, csize);

		if (!t)
			return 0;
		p += t;
		csize -= t;
	} else if (!w->have_huf) {
		return 0;
	}
	if (fmt == 0) {
		if (!huf_stream(w, p, csize, w->lit, regen))
			return 0;
	} else {
		size_t s[4], seg = (regen + 3) / 4, off = 6;

		if (csize < 6 || regen < 4)
			return 0;
		s[0] = p[0] | (size_t)p[1] << 8;
		s[1] = p[2] | (size_t)p[3] << 8;
		s[2] = p[4] | (size_t)p[5] << 8;
		if (s[0] + s[1] + s[2] + 6 > csize || 3 * seg > regen)
			return 0;
		s[3] = csize - 6 - s[0] - s[1] - s[2];
		for (unsigned int i = 0; i < 4; i++) {
			size_t n = i < 3 ? seg : regen - 3 * seg;

			if (!huf_stream(w, p + off, s[i], w->lit + i * seg, n))
				return 0;
			off += s[i];
		}
	}
	*nlit = regen;
	return total;
}

/* ---- sequences ---- */

static bool seq_table(unsigned int mode,
		      const uint8_t **p, const uint8_t *end,
		      struct fse_table *t, const struct fse_table *def,
		      const struct fse_table **prev, unsigned int max_sym,
		      unsigned int max_log)
{
	int16_t norm[64];
	unsigned int log, nsym;
	size_t used;

	switch (mode) {
	case 0:
		*prev = def;
		return true;
	case 1: /* RLE: one symbol */
		if (*p >= end || **p > max_sym)
			return false;
		t->log = 0;
		t->e[0] = (struct fse_entry){ **p, 0, 0 };
		(*p)++;
		*prev = t;
		return true;
	case 2:
		used = fse_read_counts(*p, (size_t)(end - *p), norm, max_sym,
				       max_log, &log, &nsym);
		if (!used || !fse_build(t, norm, nsym, log))
			return false;
		*p += used;
		*prev = t;
		return true;
	default: /* repeat */
		return *prev != NULL;
	}
}

/* Sequences and their execution into out[*pos..]; false if corrupt or no
 * room (*room set then). */
static bool sequences(struct unzstd_work *w, const uint8_t *p, size_t len,
		      size_t nlit, uint8_t *out, size_t outlen, size_t *pos,
		      size_t frame_start, bool *room)
{
	const uint8_t *end = p + len, *lit = w->lit;
	const struct fse_table *ll, *of, *ml;
	uint32_t nseq, sl, so, sm;
	struct bw b;
	size_t o = *pos, lit_left = nlit;

	if (!len)
		return false;
	if (p[0] < 128) {
		nseq = p[0];
		p++;
	} else if (p[0] < 255) {
		if (len < 2)
			return false;
		nseq = ((uint32_t)(p[0] - 128) << 8) + p[1];
		p += 2;
	} else {
		if (len < 3)
			return false;
		nseq = p[1] + ((uint32_t)p[2] << 8) + 0x7F00;
		p += 3;
	}
	if (nseq) {
		unsigned int modes;

		if (p >= end)
			return false;
		modes = *p++;
		if (modes & 3)
			return false;
		if (!seq_table(modes >> 6, &p, end, &w->ll, &w->ll_def,
			       &w->ll_prev, LL_MAX, LL_LOG) ||
		    !seq_table((modes >> 4) & 3, &p, end, &w->of,
			       &w->of_def, &w->of_prev, OF_MAX, OF_LOG) ||
		    !seq_table((modes >> 2) & 3, &p, end, &w->ml,
			       &w->ml_def, &w->ml_prev, ML_MAX, ML_LOG))
			return false;
		ll = w->ll_prev;
		of = w->of_prev;
		ml = w->ml_prev;
		if (!bw_init(&b, p, (size_t)(end - p)))
			return false;
		sl = bw_read(&b, ll->log);
		so = bw_read(&b, of->log);
		sm = bw_read(&b, ml->log);
		for (uint32_t i = 0; i < nseq; i++) {
			const struct fse_entry *el = &ll->e[sl], *eo = &of->e[so],
					       *em = &ml->e[sm];
			uint32_t ofv, mlen, llen, off;

			if (eo->sym > OF_MAX || el->sym > LL_MAX ||
			    em->sym > ML_MAX)
				return false;
			ofv = (1u << eo->sym) + bw_read(&b, eo->sym);
			mlen = ml_base[em->sym] + bw_read(&b, ml_bits[em->sym]);
			llen = ll_base[el->sym] + bw_read(&b, ll_bits[el->sym]);
			if (i + 1 < nseq) {
				sl = el->base + bw_read(&b, el->bits);
				sm = em->base + bw_read(&b, em->bits);
				so = eo->base + bw_read(&b, eo->bits);
			}
			if (ofv > 3) {
				off = ofv - 3;
				w->rep[2] = w->rep[1];
				w->rep[1] = w->rep[0];
				w->rep[0] = off;
			} else {
				unsigned int idx = ofv - 1 + (llen == 0);

				if (idx == 0) {
					off = w->rep[0];
				} else {
					off = idx == 3 ? w->rep[0] - 1 :
							 w->rep[idx];
					if (idx != 1)
						w->rep[2] = w->rep[1];
					w->rep[1] = w->rep[0];
					w->rep[0] = off;
				}
			}
			if (llen > lit_left)
				return false;
			if ((size_t)llen + mlen > outlen - o) {
				*room = true;
				return false;
			}
			memcpy(out + o, lit, llen);
			lit += llen;
			lit_left -= llen;
			o += llen;
			if (!off || off > o - frame_start)
				return false;
			lz_copy(out + o, off, mlen, outlen - o);
			o += mlen;
		}
		if (b.pos != 0)
			return false;
	} else if (p != end) {
		return false;
	}
	if (lit_left > outlen - o) {
		*room = true;
		return false;
	}
	memcpy(out + o, lit, lit_left);
	*pos = o + lit_left;
	return true;
}

/* ---- XXH64 (the content checksum) ---- */

#define P1 11400714785074694791ull
#define P2 14029467366897019727ull
#define P3 1609587929392839161ull
#define P4 9650029242287828579ull
#define P5 2870177450012600261ull

static uint64_t rotl(uint64_t v, unsigned int r)
{
	return (v << r) | (v >> (64 - r));
}

static uint64_t xxh_round(uint64_t acc, uint64_t in)
{
	return rotl(acc + in * P2, 31) * P1;
}

static uint64_t xxh_merge(uint64_t h, uint64_t v)
{
	return (h ^ xxh_round(0, v)) * P1 + P4;
}

static uint64_t xxh64(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint64_t h;

	if (len >= 32) {
		uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;

		do {
			v1 = xxh_round(v1, le64(p, 8));
			v2 = xxh_round(v2, le64(p + 8, 8));
			v3 = xxh_round(v3, le64(p + 16, 8));
			v4 = xxh_round(v4, le64(p + 24, 8));
			p += 32;
		} while (end - p >= 32);
		h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
		h = xxh_merge(h, v1);
		h = xxh_merge(h, v2);
		h = xxh_merge(h, v3);
		h = xxh_merge(h, v4);
	} else {
		h = P5;
	}
	h += (uint64_t)len;
	while (end - p >= 8) {
		h ^= xxh_round(0, le64(p, 8));
		h = rotl(h, 27) * P1 + P4;
		p += 8;
	}
	if (end - p >= 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		h ^= (uint64_t)v * P1;
		h = rotl(h, 23) * P2 + P3;
		p += 4;
	}
	while (p < end) {
		h ^= (uint64_t)*p++ * P5;
		h = rotl(h, 11) * P1;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

/* ---- frames ---- */

static void tables_init(struct unzstd_work *w)
{
	fse_build(&w->ll_def, ll_def, LL_MAX + 1, 6);
	fse_build(&w->ml_def, ml_def, ML_MAX + 1, 6);
	fse_build(&w->of_def, of_def, 29, 5);
}

/* One frame at in[*ip]: output appended at out[*op]. */
static long frame(struct unzstd_work *w, const uint8_t *in, size_t inlen,
		  size_t *ip, uint8_t *out, size_t outlen, size_t *op)
{
	size_t i = *ip + 4, start = *op, o = *op;
	unsigned int fhd, fcs_bytes, did_bytes;
	bool single, check, last;
	uint64_t fcs = 0;

	if (inlen - i < 1)
		return fail(w, UNZSTD_CORRUPT, "frame header truncated");
	fhd = in[i++];
	if (fhd & 0x08)
		return fail(w, UNZSTD_CORRUPT, "reserved frame header bit set");
	single = fhd & 0x20;
	check = fhd & 0x04;
	did_bytes = (unsigned int[]){ 0, 1, 2, 4 }[fhd & 3];
	fcs_bytes = (unsigned int[]){ 0, 2, 4, 8 }[fhd >> 6];
	if (!fcs_bytes && single)
		fcs_bytes = 1;
	if (inlen - i < (single ? 0 : 1) + did_bytes + fcs_bytes)
		return fail(w, UNZSTD_CORRUPT, "frame header truncated");
	i += single ? 0 : 1; /* window descriptor: the output is the window */
	if (did_bytes && le64(in + i, did_bytes))
		return fail(w, UNZSTD_UNSUPPORTED, "frame needs a dictionary");
	i += did_bytes;
	if (fcs_bytes) {
		fcs = le64(in + i, fcs_bytes) + (fcs_bytes == 2 ? 256 : 0);
		i += fcs_bytes;
	}
	w->rep[0] = 1;
	w->rep[1] = 4;
	w->rep[2] = 8;
	w->have_huf = false;
	w->ll_prev = w->of_prev = w->ml_prev = NULL;
	do {
		uint32_t h, type, size;

		if (inlen - i < 3)
			return fail(w, UNZSTD_CORRUPT, "block header truncated");
		h = in[i] | (uint32_t)in[i + 1] << 8 | (uint32_t)in[i + 2] << 16;
		i += 3;
		last = h & 1;
		type = (h >> 1) & 3;
		size = h >> 3;
		if (type == 3)
			return fail(w, UNZSTD_CORRUPT, "reserved block type");
		if (size > BLOCK_MAX || inlen - i < (type == 1 ? 1 : size))
			return fail(w, UNZSTD_CORRUPT, "block larger than the "
				    "input or 128 KiB");
		if (type == 0 || type == 1) {
			if (size > outlen - o)
				return fail(w, UNZSTD_NO_ROOM, "output too small");
			if (type == 0)
				memcpy(out + o, in + i, size);
			else
				memset(out + o, in[i], size);
			o += size;
			i += type == 0 ? size : 1;
		} else {
			size_t nlit = 0, used;
			bool room = false;

			used = literals(w, in + i, size, &nlit);
			if (!used)
				return fail(w, UNZSTD_CORRUPT, "bad literals");
			if (!sequences(w, in + i + used, size - used, nlit, out,
				       outlen, &o, start, &room))
				return room ? fail(w, UNZSTD_NO_ROOM,
						   "output too small") :
					      fail(w, UNZSTD_CORRUPT,
						   "bad sequences");
			i += size;
		}
	} while (!last);
	if (fcs_bytes && fcs != o - start)
		return fail(w, UNZSTD_CORRUPT, "content size does not match");
	if (check) {
		uint32_t want;

		if (inlen - i < 4)
			return fail(w, UNZSTD_CORRUPT, "checksum truncated");
		memcpy(&want, in + i, 4);
		if ((uint32_t)xxh64(out + start, o - start) != want)
			return fail(w, UNZSTD_CORRUPT, "checksum mismatch");
		i += 4;
	}
	*ip = i;
	*op = o;
	return 0;
}

long unzstd(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen,
	    void *work, char *err, size_t errlen)
{
	struct unzstd_work *w = work;
	size_t i = 0, o = 0;
	bool any = false;

	w->err = err;
	w->errlen = errlen;
	tables_init(w);
	while (inlen - i >= 4) {
		uint32_t magic;
		long r;

		memcpy(&magic, in + i, 4);
		if ((magic & ~15u) == SKIP_MAGIC) {
			uint32_t sz;

			if (inlen - i < 8)
				return fail(w, UNZSTD_CORRUPT, "skippable frame "
					    "truncated");
			memcpy(&sz, in + i + 4, 4);
			if (sz > inlen - i - 8)
				return fail(w, UNZSTD_CORRUPT, "skippable frame "
					    "truncated");
			i += 8 + (size_t)sz;
			continue;
		}
		if (magic != ZSTD_MAGIC) {
			/* Linux appends the unpacked size (le32). */
			if (any && inlen - i == 4)
				break;
			return fail(w, UNZSTD_CORRUPT, any ? "data after the "
				    "last frame" : "not a zstd frame");
		}
		r = frame(w, in, inlen, &i, out, outlen, &o);
		if (r)
			return r;
		any = true;
	}
	if (!any)
		return fail(w, UNZSTD_CORRUPT, "no zstd frame");
	if (i < inlen && inlen - i != 4)
		return fail(w, UNZSTD_CORRUPT, "data after the last frame");
	return (long)o;
}
