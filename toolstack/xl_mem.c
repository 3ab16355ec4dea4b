/* xl mem-set and mem-max, with libxl's checks and arithmetic: the target
 * lives in xenstore (memory/target, watched by the guest's balloon
 * driver), the ceiling in the hypervisor (XEN_DOMCTL_max_mem) and in
 * memory/static-max, which mem-max sets as Xen 4.17's libxl does. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"

#define MAXMEM_EXTRA_KB 1024		/* libxl's LIBXL_MAXMEM_CONSTANT (x86) */
#define MIN_DOM0_KB (128 * 1024)	/* libxl's LIBXL_MIN_DOM0_MEM */

static int read_kb(struct lx_ctx *ctx, xs_transaction_t t, uint32_t domid, const char *node,
		   uint64_t *kb)
{
	char path[80], *v, *end;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, node);
	v = xs_read(ctx->xs, t, path, &len);
	if (!v) {
		fprintf(stderr, "xl: domain %u: cannot read %s\n", domid, path);
		return -1;
	}
	errno = 0;
	*kb = strtoull(v, &end, 10);
	if (errno || *end || end == v) {
		fprintf(stderr, "xl: domain %u: %s holds '%s', not a size in KiB\n", domid, path, v);
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

static int set_max(struct lx_ctx *ctx, uint32_t domid, uint64_t max_kb)
{
	char path[80], num[32];
	uint64_t target;

	if (read_kb(ctx, XBT_NULL, domid, "target", &target) < 0)
		return -1;
	if (max_kb < target) {
		fprintf(stderr, "xl mem-max: domain %u: the maximum (%" PRIu64 " KiB) must be at "
			"least the current target (%" PRIu64 " KiB)\n", domid, max_kb, target);
		return -1;
	}
	if (xc_domain_setmaxmem(ctx->xch, domid, max_kb + MAXMEM_EXTRA_KB) < 0) {
		fprintf(stderr, "xl mem-max: domain %u: setting the hypervisor's limit to %" PRIu64
			" KiB: %s\n", domid, max_kb + MAXMEM_EXTRA_KB, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", domid);
	snprintf(num, sizeof(num), "%" PRIu64, max_kb);
	if (!xs_write(ctx->xs, XBT_NULL, path, num, (unsigned int)strlen(num))) {
		fprintf(stderr, "xl mem-max: domain %u: writing %s: %s\n", domid, path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* dom0 may lack the memory nodes: libxl fills them from the hypervisor. */
static int fill_dom0_memory(struct lx_ctx *ctx)
{
	xc_domaininfo_t info;
	char num[32];

	if (xc_domain_getinfo_single(ctx->xch, 0, &info) < 0)
		return -1;
	snprintf(num, sizeof(num), "%" PRIu64, info.tot_pages * 4);
	if (!xs_write(ctx->xs, XBT_NULL, "/local/domain/0/memory/target", num,
		      (unsigned int)strlen(num)))
		return -1;
	snprintf(num, sizeof(num), "%" PRIu64, info.max_pages * 4);
	return xs_write(ctx->xs, XBT_NULL, "/local/domain/0/memory/static-max", num,
			(unsigned int)strlen(num)) ? 0 : -1;
}

static bool is_pv(struct lx_ctx *ctx, const xc_domaininfo_t *info)
{
	(void)ctx;
	return !(info->flags & XEN_DOMINF_hvm_guest);
}

/* One attempt inside transaction t: 0, -1 (error printed), or 1 when the
 * caller must retry with a fresh transaction. */
static int set_target_txn(struct lx_ctx *ctx, xs_transaction_t t, uint32_t domid,
			  uint64_t target_kb)
{
	xc_domaininfo_t info;
	uint64_t cur, max, videoram = 0, new_target;
	char path[96], num[32], uuid[37], *v;
	unsigned int len;

	if (read_kb(ctx, t, domid, "target", &cur) < 0 ||
	    read_kb(ctx, t, domid, "static-max", &max) < 0)
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%u/memory/videoram", domid);
	v = xs_read(ctx->xs, t, path, &len);
	/* libxl writes a size here; a negative one (our create's "-1")
	 * would wrap in libxl's arithmetic, so it counts as none. */
	if (v && atoi(v) > 0)
		videoram = (uint64_t)atoi(v);
	free(v);
	new_target = target_kb - videoram;
	if (new_target > max) {
		fprintf(stderr, "xl mem-set: domain %u: the target (%" PRIu64 " KiB) must not "
			"exceed the static maximum memory/static-max (%" PRIu64 " KiB)\n", domid,
			new_target, max);
		return -1;
	}
	if (domid == 0 && new_target < MIN_DOM0_KB) {
		fprintf(stderr, "xl mem-set: new target %" PRIu64 " KiB for dom0 is below the "
			"minimum of %u KiB\n", new_target, MIN_DOM0_KB);
		return -1;
	}
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		fprintf(stderr, "xl mem-set: domain %u: %s\n", domid, strerror(errno));
		return -1;
	}
	if (xc_domain_setmaxmem(ctx->xch, domid, new_target + videoram + MAXMEM_EXTRA_KB) < 0) {
		fprintf(stderr, "xl mem-set: domain %u: setting the hypervisor's limit: %s\n",
			domid, strerror(errno));
		return -1;
	}
	if (!is_pv(ctx, &info) &&
	    xc_domain_set_pod_target(ctx->xch, domid, (new_target + MAXMEM_EXTRA_KB) / 4,
				     NULL, NULL, NULL) < 0) {
		fprintf(stderr, "xl mem-set: domain %u: setting the populate-on-demand target: "
			"%s\n", domid, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
	snprintf(num, sizeof(num), "%" PRIu64, new_target);
	if (!xs_write(ctx->xs, t, path, num, (unsigned int)strlen(num)))
		goto xs_fail;
	xl_uuid_format(info.handle, uuid);
	snprintf(path, sizeof(path), "/vm/%s/memory", uuid);
	snprintf(num, sizeof(num), "%" PRIu64, new_target / 1024);
	if (!xs_write(ctx->xs, t, path, num, (unsigned int)strlen(num)))
		goto xs_fail;
	return 0;
xs_fail:
	fprintf(stderr, "xl mem-set: domain %u: writing %s: %s\n", domid, path, strerror(errno));
	return -1;
}

struct target_req {
	uint32_t domid;
	uint64_t target_kb;
	bool reported;			/* the body printed its own error */
};

static int set_target_body(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	struct target_req *r = arg;

	if (set_target_txn(ctx, t, r->domid, r->target_kb) < 0) {
		r->reported = true;
		if (!errno)
			errno = EINVAL;
		return -1;
	}
	return 0;
}

static int set_target(struct lx_ctx *ctx, uint32_t domid, uint64_t target_kb)
{
	struct target_req req = { 0 };
	char path[64];
	unsigned int len;
	char *v;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
	if (domid == 0 && !(v = xs_read(ctx->xs, XBT_NULL, path, &len))) {
		if (fill_dom0_memory(ctx) < 0) {
			fprintf(stderr, "xl mem-set: filling in dom0's memory nodes: %s\n",
				strerror(errno));
			return -1;
		}
	} else if (domid == 0) {
		free(v);
	}
	req.domid = domid;
	req.target_kb = target_kb;
	if (lx_xs_transact(ctx, set_target_body, &req) == 0)
		return 0;
	if (!req.reported)
		fprintf(stderr, "xl mem-set: domain %u: committing to xenstore: %s\n", domid,
			strerror(errno));
	return -1;
}

static int mem_cmd(int argc, char **argv, const char *cmd, bool max)
{
	struct lx_ctx ctx;
	uint32_t domid;
	int64_t kb;
	int opt, rc = 1;

	while ((opt = xl_getopt(argc, argv, "h", NULL, cmd, 2, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open_resolve(&ctx, cmd, argv[optind], &domid) < 0)
		return 1;
	rc = 1;
	kb = xlu_parse_size_kb(argv[optind + 1], 'm');
	if (kb < 0) {
		fprintf(stderr, "invalid memory size: %s\n", argv[optind + 1]);
		goto out;
	}
	if ((max ? set_max : set_target)(&ctx, domid, (uint64_t)kb) < 0)
		fprintf(stderr, "cannot set domid %u %s max memory to : %s\n", domid,
			max ? "static" : "dynamic", argv[optind + 1]);
	else
		rc = 0;
out:
	lx_close(&ctx);
	return rc;
}

int main_memmax(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return mem_cmd(argc, argv, "mem-max", true);
}

int main_memset(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return mem_cmd(argc, argv, "mem-set", false);
}
