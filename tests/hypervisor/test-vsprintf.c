/* lib_vsnprintf against the C library for the formats the hypervisor uses. */
#include "check.h"
#include <stdio.h>
#include "common/vsprintf.c"

#define SAME(...) do { \
		char a[128], b[128]; \
		int na = lib_snprintf(a, sizeof(a), __VA_ARGS__); \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__); \
		CHECK(na == nb && !strcmp(a, b), "format %s: '%s' vs '%s'", #__VA_ARGS__, a, b); \
	} while (0)

int main(void)
{
	char small[8];
	int n;

	SAME("%d %i %u", -42, 7, 3000000000U);
	SAME("%x %X %#x %#x", 0xbeefU, 0xbeefU, 0x10U, 0U);
	SAME("%08x|%-6d|%6d|%-4s|%5s", 0x1234U, -5, 42, "ab", "xyz");
	SAME("%lld %llu %llx", -1234567890123LL, 18446744073709551615ULL, 0xfedcba9876543210ULL);
	SAME("%ld %lu %lx %zu", -5L, 5UL, 0xabcUL, (size_t)77);
	SAME("%c%c %%", 'o', 'k');
	SAME("%.3s|%s", "abcdef", "");
	SAME("%016llx", 0x1ULL);
	SAME("%p", (void *)0x1234);
	SAME("%hhu %hu", 300, 70000);
	SAME("%o", 8U);
	SAME("%*d|%-*d", 5, 1, 4, 2);

	n = lib_snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK(n == 10 && !strcmp(small, "0123456"), "truncation keeps the NUL and the length");
	n = lib_snprintf(small, 0, "%d", 12345);
	CHECK(n == 5, "size 0 writes nothing and returns the length");
	{
		const char *volatile null_str = NULL; /* hidden from format checking */

		n = lib_snprintf(small, sizeof(small), "%s", null_str);
	}
	CHECK(n == 6 && !strcmp(small, "(null)"), "NULL string");
	{
		char d[4];

		CHECK(lib_strlcpy(d, "abcdef", sizeof(d)) == 6 && !strcmp(d, "abc"),
		      "lib_strlcpy truncates and returns the source length");
	}
	return check_done();
}
