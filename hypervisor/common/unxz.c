/* .xz decoder for kernel payloads: stream and block headers, LZMA2
 * chunks decoded by an LZMA range decoder straight into the output
 * buffer (which doubles as the dictionary), the x86 BCJ filter Linux
 * applies to its kernels, and CRC32/CRC64 integrity checks. */
#include <xenolith/lzma.h>

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
			rc = lzma_decode(z, in + ip, packed, out, outlen, &pos, dict_start, unpacked,
					 false);
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
