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
	if (xl_dom_open(&ctx, cmd) < 0)
		return 1;
	if (xl_dom_resolve(&ctx, argv[optind], &domid) < 0) {
		lx_close(&ctx);
		return 1;
	}
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

/* The name lives at /local/domain/N/name and /vm/<uuid>/name; both change
 * in one transaction, after the old name is checked, as libxl does. */
static int rename_domain(struct lx_ctx *ctx, uint32_t domid, const char *old_name,
			 const char *new_name)
{
	char path[96], vmpath[96], uuid[37];
	xc_domaininfo_t info;
	uint32_t other;

	if (!*new_name || strchr(new_name, '/')) {
		fprintf(stderr, "xl rename: '%s' is not a valid domain name\n", new_name);
		return -1;
	}
	if (lx_domain_by_name(ctx, new_name, &other) == 0 && other != domid) {
		fprintf(stderr, "xl rename: domain %u: a domain named \"%s\" already exists.\n",
			domid, new_name);
		return -1;
	}
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		fprintf(stderr, "xl rename: domain %u: %s\n", domid, strerror(errno));
		return -1;
	}
	xl_uuid_format(info.handle, uuid);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	snprintf(vmpath, sizeof(vmpath), "/vm/%s/name", uuid);
	for (int tries = 0; tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(ctx->xs);
		unsigned int len;
		char *cur;

		if (t == XBT_NULL) {
			fprintf(stderr, "xl rename: xenstore transaction: %s\n", strerror(errno));
			return -1;
		}
		cur = xs_read(ctx->xs, t, path, &len);
		if (!cur || (old_name && strcmp(cur, old_name))) {
			fprintf(stderr, "xl rename: domain %u is %s\n", domid,
				cur ? "no longer named as it was (racing?)" : "not in xenstore");
			free(cur);
			xs_transaction_end(ctx->xs, t, true);
			return -1;
		}
		free(cur);
		if (!xs_write(ctx->xs, t, path, new_name, (unsigned int)strlen(new_name)) ||
		    !xs_write(ctx->xs, t, vmpath, new_name, (unsigned int)strlen(new_name))) {
			fprintf(stderr, "xl rename: writing the new name of domain %u: %s\n", domid,
				strerror(errno));
			xs_transaction_end(ctx->xs, t, true);
			return -1;
		}
		if (xs_transaction_end(ctx->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			break;
	}
	fprintf(stderr, "xl rename: committing the new name of domain %u: %s\n", domid,
		strerror(errno));
	return -1;
}

int main_rename(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	uint32_t domid;
	char *old_name;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "rename", 2, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open(&ctx, "rename") < 0)
		return 1;
	rc = 1;
	if (xl_dom_resolve(&ctx, argv[optind], &domid) == 0) {
		old_name = xl_dom_name(&ctx, domid);
		if (rename_domain(&ctx, domid, old_name, argv[optind + 1]) < 0)
			fprintf(stderr, "Can't rename domain '%s'.\n", argv[optind]);
		else
			rc = 0;
		free(old_name);
	}
	lx_close(&ctx);
	return rc;
}
