/* Domain arguments of xl's management commands, resolved as Xen's xl does
 * (libxl_domain_qualifier_to_domid): all digits is an id, anything else a
 * name looked up in xenstore. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "lx.h"
#include "xl.h"

int xl_dom_open(struct lx_ctx *ctx, const char *cmd)
{
	char err[512];

	if (lx_open(ctx, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "xl %s: %s\n", cmd, err);
	return -1;
}

int xl_dom_open_resolve(struct lx_ctx *ctx, const char *cmd, const char *arg, uint32_t *domid)
{
	if (xl_dom_open(ctx, cmd) < 0)
		return -1;
	if (xl_dom_resolve(ctx, arg, domid) < 0) {
		lx_close(ctx);
		return -1;
	}
	return 0;
}

char *xl_dom_name(struct lx_ctx *ctx, uint32_t domid)
{
	char path[64];
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	return xs_read(ctx->xs, XBT_NULL, path, &len);
}

int xl_dom_resolve(struct lx_ctx *ctx, const char *arg, uint32_t *domid)
{
	if (xl_domarg_numeric(arg, domid))
		return 0;
	if (lx_domain_by_name(ctx, arg, domid) == 0)
		return 0;
	/* -6 is libxl's ERROR_INVAL, the code Xen's xl prints here. */
	fprintf(stderr, "%s is an invalid domain identifier (rc=-6)\n", arg);
	return -1;
}

int xl_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	      const char *cmd, int reqargs, int *exit_code)
{
	static const struct option help_only[] = { { "help", 0, 0, 'h' }, { 0, 0, 0, 0 } };
	int opt;

	opterr = 0;
	opt = getopt_long(argc, argv, optstring, longopts ? longopts : help_only, NULL);
	if (opt == '?' && optopt != 'h') {
		fprintf(stderr, "option `%c' not supported.\n", optopt);
		*exit_code = 2;
		return 0;
	}
	if (opt == '?' || opt == 'h') {
		xl_usage(xl_cmd_find(cmd));
		*exit_code = 0;
		return 0;
	}
	if (opt != -1)
		return opt;
	if (argc - optind < reqargs) {
		fprintf(stderr, "'xl %s' requires at least %d argument%s.\n\n", cmd, reqargs,
			reqargs > 1 ? "s" : "");
		xl_usage(xl_cmd_find(cmd));
		*exit_code = 2;
		return 0;
	}
	return -1;
}
