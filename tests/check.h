/* Tiny TAP producer for host unit tests: one "ok"/"not ok" line per check,
 * the plan at the end, exit status non-zero if any check failed.
 * automake's TAP driver turns each line into a counted test result. */
#ifndef XENOLITH_TESTS_CHECK_H
#define XENOLITH_TESTS_CHECK_H

#include <stdarg.h>
#include <stdio.h>

struct check_state {
	unsigned int run;
	unsigned int failed;
};

/* One per test program: the counters are the program's verdict. */
static struct check_state check_state;

static inline int check_report(int ok, const char *file, int line,
			       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline int check_report(int ok, const char *file, int line,
			       const char *fmt, ...)
{
	va_list ap;

	check_state.run++;
	if (!ok)
		check_state.failed++;
	printf("%s %u - ", ok ? "ok" : "not ok", check_state.run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (%s:%d)", file, line);
	putchar('\n');
	fflush(stdout);
	return ok;
}

/* CHECK(cond, "what is being checked", ...) */
#define CHECK(cond, ...) check_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Print the plan and give main() its exit status. */
static inline int check_done(void)
{
	printf("1..%u\n", check_state.run);
	return check_state.failed ? 1 : 0;
}

#endif
