/* libFuzzer: xl sched-credit / sched-credit2 option parsing and checks.
 * The input is the argument list, one argument per line; the first byte
 * picks credit (even) or credit2 (odd). Whatever parses must hold the
 * invariants the command relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xl_sched.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2], err[256];
	struct xl_sched_opts o;
	int argc = 1, rc;
	bool credit2;

	if (size < 1)
		return 0;
	credit2 = data[0] & 1;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[0] = credit2 ? "sched-credit2" : "sched-credit";
	for (char *p = buf; argc <= MAX_ARGS;) {
		char *nl = strchr(p, '\n');

		argv[argc++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;
	rc = xl_sched_parse(argc, argv, credit2, &o, err, sizeof(err));
	if (rc < 0 || rc > 3)
		abort();
	if (rc >= 2 && !err[0])
		abort();	/* every refusal says why */
	if (rc == 0) {
		if ((o.opt_w || o.opt_c) && !o.dom)
			abort();
		if (!credit2 && (o.opt_t || o.opt_m))
			if (!o.opt_s)
				abort();
		if (credit2 && (o.opt_t || o.opt_m))
			abort();	/* credit2 has neither */
		xl_sched_check_domain(o.opt_w ? o.weight : XL_SCHED_KEEP,
				      o.opt_c ? o.cap : XL_SCHED_KEEP, (uint32_t)o.weight, err,
				      sizeof(err));
		xl_sched_check_credit_params(o.tslice_ms, o.ratelimit_us, o.migr_delay_us, err,
					     sizeof(err));
		if (xl_sched_check_ratelimit(o.ratelimit_us, err, sizeof(err)) == 0 &&
		    o.ratelimit_us != 0 && (o.ratelimit_us < 100 || o.ratelimit_us > 500000))
			abort();
		if (o.dom) {
			FILE *f = fopen("/dev/null", "w");

			if (f) {
				xl_sched_row(f, o.dom, (uint32_t)o.cap, o.weight, o.cap);
				fclose(f);
			}
		}
	}
	free(buf);
	return 0;
}
