/* Value escaping for the xenstore-* tools. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_escape.h"

char *xs_escape(const char *v, size_t len)
{
	char *out = malloc(len * 4 + 1), *p = out;

	if (!out)
		err(1, "malloc");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		switch (c) {
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		default:
			if (c < ' ' || c > '~')
				p += sprintf(p, "\\%03o", c);
			else
				*p++ = (char)c;
		}
	}
	*p = '\0';
	return out;
}

char *xs_unescape(const char *s, size_t *len)
{
	char *out = malloc(strlen(s) + 1), *p = out;

	if (!out)
		return NULL;
	while (*s) {
		if (*s != '\\' || !s[1]) {
			*p++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 't': *p++ = '\t'; s++; break;
		case 'n': *p++ = '\n'; s++; break;
		case 'r': *p++ = '\r'; s++; break;
		case '\\': *p++ = '\\'; s++; break;
		default:
			if (*s >= '0' && *s <= '7') {
				int v = 0, n = 0;

				while (n < 3 && *s >= '0' && *s <= '7') {
					v = v * 8 + (*s++ - '0');
					n++;
				}
				*p++ = (char)v;
			} else {
				*p++ = *s++; /* unknown escape: the char */
			}
		}
	}
	*len = (size_t)(p - out);
	*p = '\0';
	return out;
}
