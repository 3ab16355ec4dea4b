/* xl pause, unpause and rename. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"

/* Xen's xl ignores libxl's answer for pause/unpause and exits 0 whatever
 * happened (libxl only logs the failure); we print what failed and keep
 * Xen's exit status, which scripts may rely on. */
static int pause_cmd(int argc, char **argv, const char *cmd, bool pause)
{
	struct lx_ctx ctx;
	uint32_t domid;
	int opt, rc = 1;

	while ((opt = xl_getopt(argc, argv, "h", NULL, cmd, 1, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open_resolve(&ctx, cmd, argv[optind], &domid) < 0)
		return 1;
	if ((pause ? xc_domain_pause : xc_domain_unpause)(ctx.xch, domid) < 0)
		fprintf(stderr, "xl %s: domain %u: %s\n", cmd, domid, strerror(errno));
	lx_close(&ctx);
	return 0;
}

int main_pause(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return pause_cmd(argc, argv, "pause", true);
}

int main_unpause(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return pause_cmd(argc, argv, "unpause", false);
}

int main_rename(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	uint32_t domid;
	char *old_name, err[512];
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "rename", 2, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open_resolve(&ctx, "rename", argv[optind], &domid) < 0)
		return 1;
	old_name = xl_dom_name(&ctx, domid);
	if (lx_domain_rename(&ctx, domid, old_name, argv[optind + 1], err, sizeof(err)) < 0) {
		fprintf(stderr, "xl rename: %s\n", err);
		fprintf(stderr, "Can't rename domain '%s'.\n", argv[optind]);
	} else {
		rc = 0;
	}
	free(old_name);
	lx_close(&ctx);
	return rc;
}
