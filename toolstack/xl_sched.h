/* xl sched-credit and sched-credit2: the commands (xl_sched.c) and their
 * option handling, checks and output lines (xl_sched_opts.c, no
 * hypervisor access, unit tested). */
#ifndef XL_SCHED_H
#define XL_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct xl_globals;
int main_sched_credit(struct xl_globals *g, int argc, char **argv);
int main_sched_credit2(struct xl_globals *g, int argc, char **argv);

/* libxl's "leave as it is" for weight and cap (its *_DEFAULT, -1). */
#define XL_SCHED_KEEP (-1)

struct xl_sched_opts {
	bool credit2;
	const char *dom, *pool;
	int weight, cap, tslice_ms, ratelimit_us, migr_delay_us;
	bool opt_w, opt_c, opt_s, opt_t, opt_r, opt_m;
};

/* Parses argv (from argv[1]) as xl does: numbers as strtol() into an int,
 * so "abc" is 0 and then refused by the range checks. Returns 0, or
 * 1: -h/--help (print the usage, exit 0), 2: bad option (err says which,
 * exit 2), 3: options that do not go together (err has Xen's refusal,
 * exit 1). Resets getopt first. */
int xl_sched_parse(int argc, char **argv, bool credit2, struct xl_sched_opts *o, char *err,
		   size_t errlen);

/* libxl's range checks; 0 or -1 with libxl's message in err.
 * max_vcpu_id as getdomaininfo reports it. */
int xl_sched_check_domain(int weight, int cap, uint32_t max_vcpu_id, char *err, size_t errlen);
int xl_sched_check_ratelimit(int ratelimit_us, char *err, size_t errlen);
int xl_sched_check_credit_params(int tslice_ms, int ratelimit_us, int migr_delay_us, char *err,
				 size_t errlen);

/* libxl's scheduler names ("credit2", "unknown" for ids it lacks). */
const char *xl_sched_name(uint32_t sched_id);

/* Xen 4.17 xl's lines. */
void xl_sched_header(FILE *f);
void xl_sched_row(FILE *f, const char *name, uint32_t domid, int weight, int cap);
void xl_sched_pool_credit(FILE *f, const char *pool, int tslice_ms, int ratelimit_us,
			  int migr_delay_us);
void xl_sched_pool_credit2(FILE *f, const char *pool, int ratelimit_us);

#endif
