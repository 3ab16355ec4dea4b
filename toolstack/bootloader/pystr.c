/*
 * The Python 3 string semantics pygrub's parsers rely on.  pygrub decodes
 * the menu as strict UTF-8, so these work on code points: str.strip() and
 * str.split() drop Unicode whitespace, int() accepts any Unicode decimal
 * digit, and slicing counts characters, not bytes.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "bootcfg_i.h"

/* CPython 3.11 refuses int() of strings with more digits than this. */
#define PY_INT_MAX_DIGITS 4300

/* First code point of each run of ten Unicode decimal digits (0..9). */
static const uint32_t py_digit_runs[] = {
	0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6,
	0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090,
	0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0,
	0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50,
	0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136,
	0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730,
	0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
	0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140,
	0x1e2f0, 0x1e950, 0x1fbf0,
};

static bool py_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the strict UTF-8 sequence at p, 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		*cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		*cp = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		*cp = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (!py_cont(p[i]))
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return len;
}

bool py_utf8_valid(const char *p, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq(u + i, n - i, &cp);

		if (!l) {
			*bad = i;
			return false;
		}
		i += l;
	}
	return true;
}

size_t py_cp_len(const char *p, size_t n)
{
	size_t l = 1;

	while (l < n && py_cont((unsigned char)p[l]))
		l++;
	return l;
}

struct pyslice py_skip_cps(struct pyslice s, size_t count)
{
	size_t off = 0;

	while (count-- && off < s.n)
		off += py_cp_len(s.p + off, s.n - off);
	return py_tail(s, off);
}

static bool py_space_cp(uint32_t cp)
{
	if ((cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20))
		return true;
	if (cp < 0x85)
		return false;
	return cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Undecodable bytes (only in strings from the command line) are no space. */
bool py_space_at(const char *p, size_t n, size_t *len)
{
	uint32_t cp;
	size_t l = utf8_seq((const unsigned char *)p, n, &cp);

	if (!l) {
		*len = 1;
		return false;
	}
	*len = l;
	return py_space_cp(cp);
}

struct pyslice py_strip(struct pyslice s)
{
	size_t l;

	while (s.n && py_space_at(s.p, s.n, &l)) {
		s.p += l;
		s.n -= l;
	}
	while (s.n) {
		size_t start = s.n - 1;

		while (start > 0 && py_cont((unsigned char)s.p[start]))
			start--;
		if (!py_space_at(s.p + start, s.n - start, &l) || start + l != s.n)
			break;
		s.n = start;
	}
	return s;
}

bool py_startswith(struct pyslice s, const char *prefix)
{
	size_t pl = strlen(prefix);

	return s.n >= pl && memcmp(s.p, prefix, pl) == 0;
}

bool py_eq(struct pyslice s, const char *word)
{
	return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0;
}

/* str.lower() == word for a lower-case ASCII word: only KELVIN SIGN
 * (U+212A) lowers into ASCII from outside it. */
bool py_eq_nocase(struct pyslice s, const char *word)
{
	size_t i = 0;

	for (; *word; word++) {
		if (i >= s.n)
			return false;
		if (*word == 'k' && s.n - i >= 3 && memcmp(s.p + i, "\xe2\x84\xaa", 3) == 0) {
			i += 3;
			continue;
		}
		char c = s.p[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != *word)
			return false;
		i++;
	}
	return i == s.n;
}

const char *py_find(struct pyslice s, const char *needle, size_t nlen)
{
	return memmem(s.p, s.n, needle, nlen);
}

size_t py_split_ws(struct pyslice s, size_t maxsplit, struct pyslice *out)
{
	size_t i = 0, count = 0, l;

	while (maxsplit-- > 0) {
		while (i < s.n && py_space_at(s.p + i, s.n - i, &l))
			i += l;
		if (i == s.n)
			break;
		size_t j = i;

		while (i < s.n && !py_space_at(s.p + i, s.n - i, &l))
			i += l;
		out[count++] = py_slice(s.p + j, i - j);
	}
	while (i < s.n && py_space_at(s.p + i, s.n - i, &l))
		i += l;
	if (i < s.n)
		out[count++] = py_slice(s.p + i, s.n - i);
	return count;
}

size_t py_split_str(struct pyslice s, const char *sep, size_t maxsplit,
		    struct pyslice *out)
{
	size_t sl = strlen(sep), count = 0;

	while (count < maxsplit) {
		const char *hit = py_find(s, sep, sl);

		if (!hit)
			break;
		out[count++] = py_slice(s.p, (size_t)(hit - s.p));
		s = py_tail(s, (size_t)(hit - s.p) + sl);
	}
	out[count++] = s;
	return count;
}

size_t py_remove_all(const char *s, size_t n, const char *pat, size_t pn, char *out)
{
	size_t o = 0;

	while (n) {
		const char *hit = memmem(s, n, pat, pn);
		size_t keep = hit ? (size_t)(hit - s) : n;

		memmove(out + o, s, keep);
		o += keep;
		if (!hit)
			break;
		s += keep + pn;
		n -= keep + pn;
	}
	return o;
}

/* Decimal value of a code point, -1 for none. */
static int py_digit(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(py_digit_runs) / sizeof(py_digit_runs[0]); i++) {
		if (cp >= py_digit_runs[i] && cp < py_digit_runs[i] + 10)
			return (int)(cp - py_digit_runs[i]);
	}
	return -1;
}

/* One code point of int()'s input: ' ', '0'..'9', other ASCII, or 0. */
static char py_int_char(const char *p, size_t n, size_t *len)
{
	uint32_t cp;
	size_t l = utf8_seq((const unsigned char *)p, n, &cp);
	int d;

	*len = l ? l : 1;
	if (!l)
		return 0;
	if (py_space_cp(cp))
		return ' ';
	d = py_digit(cp);
	if (d >= 0)
		return (char)('0' + d);
	return cp < 0x80 && cp ? (char)cp : 0;
}

struct pyint_scan {
	const char *p;
	size_t n, i;
	char c; /* current transformed char, 0 at the end or on junk */
	bool end;
};

static void scan_next(struct pyint_scan *sc)
{
	size_t l;

	if (sc->i >= sc->n) {
		sc->end = true;
		sc->c = 0;
		return;
	}
	sc->c = py_int_char(sc->p + sc->i, sc->n - sc->i, &l);
	sc->i += l;
}

static void pyint_add_digit(struct pyint *v, char d, char *canon, size_t *cl)
{
	unsigned dv = (unsigned)(d - '0');

	if (v->zero && dv == 0)
		return;
	v->zero = false;
	if (canon)
		canon[(*cl)++] = d;
	if (v->mag > (ULLONG_MAX - dv) / 10)
		v->mag = ULLONG_MAX;
	else
		v->mag = v->mag * 10 + dv;
}

int py_int(struct pyslice s, struct pyint *v, char *canon)
{
	struct pyint_scan sc = { s.p, s.n, 0, 0, false };
	size_t digits = 0, cl = 0;

	*v = (struct pyint){ false, true, 0 };
	if (canon)
		canon[cl++] = '-';
	do
		scan_next(&sc);
	while (sc.c == ' ');
	if (sc.c == '+' || sc.c == '-') {
		v->neg = sc.c == '-';
		scan_next(&sc);
	}
	if (sc.c < '0' || sc.c > '9')
		return -1;
	while (sc.c >= '0' && sc.c <= '9') {
		pyint_add_digit(v, sc.c, canon, &cl);
		digits++;
		scan_next(&sc);
		if (sc.c == '_') {
			scan_next(&sc);
			if (sc.c < '0' || sc.c > '9')
				return -1;
		}
	}
	while (sc.c == ' ')
		scan_next(&sc);
	if (!sc.end || digits > PY_INT_MAX_DIGITS)
		return -1;
	if (v->zero)
		v->neg = false;
	if (canon) {
		if (v->zero)
			canon[cl++] = '0';
		canon[cl] = 0;
		if (!v->neg)
			memmove(canon, canon + 1, cl);
	}
	return 0;
}

size_t grub_split(struct pyslice s, size_t maxsplit, struct pyslice *out)
{
	const char *eq = py_find(s, "=", 1);
	const char *sp, *tab;

	if (!eq)
		return py_split_ws(s, maxsplit, out);
	sp = py_find(s, " ", 1);
	tab = py_find(s, "\t", 1);
	if (tab && (!sp || tab < sp))
		sp = tab;
	if (!sp || eq < sp)
		return py_split_str(s, "=", maxsplit, out);
	return py_split_ws(s, maxsplit, out);
}

void grub_split_cmd(struct pyslice line, struct pyslice *com, struct pyslice *arg)
{
	struct pyslice part[2];
	size_t n = grub_split(line, 1, part);

	*com = n > 0 ? part[0] : py_slice(line.p, 0);
	*arg = n > 1 ? part[1] : py_slice(line.p + line.n, 0);
}
