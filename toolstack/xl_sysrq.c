/* xl sysrq: a magic SysRq key for a guest, handed over in xenstore
 * (control/sysrq under the domain's home), where the guest's PV control
 * driver watches for it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lx.h"
#include "xl.h"

int main_sysrq(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	char path[64];
	const char *key;
	uint32_t domid;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "sysrq", 2, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	key = argv[optind + 1];
	/* one letter, as Xen's xl wants (it reads past an empty one) */
	if (!key[0] || key[1]) {
		fprintf(stderr, "Invalid sysrq.\n\n");
		xl_usage(xl_cmd_find("sysrq"));
		return 1;
	}
	if (xl_dom_open_resolve(&ctx, "sysrq", argv[optind], &domid) < 0)
		return 1;
	snprintf(path, sizeof(path), "/local/domain/%u/control/sysrq", domid);
	rc = 0;
	if (!xs_write(ctx.xs, XBT_NULL, path, key, 1)) {
		perror("xl sysrq: writing control/sysrq");
		rc = 1;
	}
	lx_close(&ctx);
	return rc;
}
