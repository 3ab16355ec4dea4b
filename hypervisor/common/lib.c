/* String and memory primitives for the freestanding hypervisor (the
 * compiler also emits calls to memcpy/memset for struct copies). */
#include <xenolith/lib.h>

/* String instructions: whole pages are scrubbed and copied here, and a
 * byte loop costs seconds per 256 MiB guest under emulation (TCG).
 * Quadwords when both ends allow, bytes otherwise. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (!(((uintptr_t)dst | (uintptr_t)src | n) & 7)) {
		size_t q = n / 8;

		__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
	} else {
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if (!(((uintptr_t)dst | n) & 7)) {
		uint64_t v = 0x0101010101010101ULL * (uint8_t)c;
		size_t q = n / 8;

		__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
	} else {
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
