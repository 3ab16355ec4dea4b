/* Minimal formatted output: %d %i %u %x %X %o %c %s %p %%, flags '-' '0',
 * width, precision for strings, and the hh/h/l/ll/z length modifiers. */
#include <xenolith/lib.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters that would have been written */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_number(struct out *o, unsigned long long v, bool neg,
		       unsigned int base, bool upper, int width, bool left,
		       bool zero, const char *prefix)
{
	char tmp[24];
	int n = 0, plen = (int)strlen(prefix) + (neg ? 1 : 0);
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (!left && !zero)
		out_pad(o, ' ', width - n - plen);
	if (neg)
		out_char(o, '-');
	while (*prefix)
		out_char(o, *prefix++);
	if (!left && zero)
		out_pad(o, '0', width - n - plen);
	while (n)
		out_char(o, tmp[--n]);
}

int lib_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, prec = -1, lng = 0;
		size_t start;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng < 2 ? lng + 1 : 2;
			else if (*fmt == 'z')
				lng = 2;
			else if (*fmt == 'h')
				lng = lng > -2 ? lng - 1 : -2;
			else
				break;
		}
		start = o.len;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v;

			if (lng >= 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng == -2)
				v = (signed char)v;
			if (left) {
				out_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
					   v < 0, 10, false, 0, false, false, "");
				out_pad(&o, ' ', width - (int)(o.len - start));
			} else {
				out_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
					   v < 0, 10, false, width, false, zero, "");
			}
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'p': {
			unsigned long long v;
			unsigned int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *prefix = "";

			if (*fmt == 'p') {
				v = (unsigned long long)(uintptr_t)va_arg(ap, void *);
				prefix = "0x";
			} else if (lng >= 2) {
				v = va_arg(ap, unsigned long long);
			} else if (lng == 1) {
				v = va_arg(ap, unsigned long);
			} else {
				v = va_arg(ap, unsigned int);
			}
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng == -2)
				v = (unsigned char)v;
			if (alt && base == 16 && v)
				prefix = *fmt == 'X' ? "0X" : "0x";
			if (left) {
				out_number(&o, v, false, base, *fmt == 'X', 0, false, false, prefix);
				out_pad(&o, ' ', width - (int)(o.len - start));
			} else {
				out_number(&o, v, false, base, *fmt == 'X', width, false, zero, prefix);
			}
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!left)
				out_pad(&o, ' ', width - 1);
			out_char(&o, c);
			if (left)
				out_pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (!s)
				s = "(null)";
			n = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);
			if (!left)
				out_pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				out_char(&o, s[i]);
			if (left)
				out_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return (int)o.len;
}

int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = lib_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t lib_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
