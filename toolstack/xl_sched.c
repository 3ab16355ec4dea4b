/* xl sched-credit and sched-credit2 against the hypervisor: list the
 * domains of every cpupool run by the scheduler with their weight and
 * cap, show or set one domain's, show or set a pool's parameters. What
 * is printed, and when, follows Xen 4.17's xl and libxl. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"
#include "xl_sched.h"

#define ERRLEN 256
#define DOM_BATCH 256

struct sched_kind {
	uint32_t id;			/* XEN_SCHEDULER_* */
	const char *cmd;		/* "sched-credit" */
	const char *label;		/* libxl's "Credit" / "Credit2" in messages */
	const char *lower;		/* "credit" / "credit2" */
	int (*dom_get)(xc_interface *xch, uint32_t domid, struct xen_domctl_sched_credit *sdom);
	int (*dom_set)(xc_interface *xch, uint32_t domid, struct xen_domctl_sched_credit *sdom);
};

static const struct sched_kind credit = { XEN_SCHEDULER_CREDIT, "sched-credit", "Credit",
					  "credit", xc_sched_credit_domain_get,
					  xc_sched_credit_domain_set };
static const struct sched_kind credit2 = { XEN_SCHEDULER_CREDIT2, "sched-credit2", "Credit2",
					   "credit2", xc_sched_credit2_domain_get,
					   xc_sched_credit2_domain_set };

static char *pool_name(struct lx_ctx *ctx, uint32_t poolid)
{
	char path[64];
	unsigned int len;

	snprintf(path, sizeof(path), "/local/pool/%u/name", poolid);
	return xs_read(ctx->xs, XBT_NULL, path, &len);
}

/* The scheduler of pool poolid, or -1 if there is no such pool. */
static int pool_sched(struct lx_ctx *ctx, uint32_t poolid)
{
	xc_cpupoolinfo_t *info = xc_cpupool_getinfo(ctx->xch, poolid);
	int sched = -1;

	if (info && info->cpupool_id == poolid)
		sched = (int)info->sched_id;
	xc_cpupool_infofree(ctx->xch, info);
	return sched;
}

/* libxl's cpupool qualifier: an id, or the name of a pool. */
static int pool_resolve(struct lx_ctx *ctx, const char *q, uint32_t *poolid)
{
	char *end;
	unsigned long id = strtoul(q, &end, 10);

	if (*q && !*end && id <= UINT32_MAX) {
		*poolid = (uint32_t)id;
	} else {
		xc_cpupoolinfo_t *info;
		bool found = false;

		for (uint32_t next = 0; !found && (info = xc_cpupool_getinfo(ctx->xch, next));) {
			char *name = pool_name(ctx, info->cpupool_id);

			if (name && !strcmp(name, q)) {
				*poolid = info->cpupool_id;
				found = true;
			}
			next = info->cpupool_id + 1;
			free(name);
			xc_cpupool_infofree(ctx->xch, info);
		}
		if (!found)
			goto unknown;
	}
	if (pool_sched(ctx, *poolid) >= 0)
		return 0;
unknown:
	fprintf(stderr, "unknown cpupool '%s'\n", q);
	return -1;
}

static void pool_output(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t poolid)
{
	char *name = pool_name(ctx, poolid);
	int rc;

	if (k->id == XEN_SCHEDULER_CREDIT) {
		struct xen_sysctl_credit_schedule p;

		rc = xc_sched_credit_params_get(ctx->xch, poolid, &p);
		if (rc == 0)
			xl_sched_pool_credit(stdout, name, (int)p.tslice_ms, (int)p.ratelimit_us,
					     (int)p.vcpu_migr_delay_us);
	} else {
		struct xen_sysctl_credit2_schedule p;

		rc = xc_sched_credit2_params_get(ctx->xch, poolid, &p);
		if (rc == 0)
			xl_sched_pool_credit2(stdout, name, (int)p.ratelimit_us);
	}
	if (rc < 0) {
		fprintf(stderr, "libxl: error: getting %s scheduler parameters: %s\n", k->label,
			strerror(errno));
		fprintf(stderr, "libxl_sched_%s_params_get failed.\n", k->lower);
		printf("Cpupool %s: [sched params unavailable]\n", name ? name : "(null)");
	}
	free(name);
}

/* The first steps of libxl's domain get and set: the domain's info
 * (and, with sched, its pool's scheduler), libxl's message on failure. */
static int domain_info(struct lx_ctx *ctx, uint32_t domid, xc_domaininfo_t *info, int *sched)
{
	if (xc_domain_getinfo_single(ctx->xch, domid, info) < 0 ||
	    (sched && (*sched = pool_sched(ctx, info->cpupool)) < 0)) {
		fprintf(stderr, "libxl: error: Domain %u:Getting domain info: %s\n", domid,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int domain_read(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t domid,
		       struct xen_domctl_sched_credit *sdom)
{
	if (k->dom_get(ctx->xch, domid, sdom) < 0) {
		fprintf(stderr, "libxl: error: Domain %u:Getting domain sched %s: %s\n", domid,
			k->lower, strerror(errno));
		return -1;
	}
	return 0;
}

static int domain_get(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t domid,
		      struct xen_domctl_sched_credit *sdom)
{
	xc_domaininfo_t info;
	int sched;

	/* libxl asks the domain's pool which scheduler it has */
	if (domain_info(ctx, domid, &info, &sched) < 0)
		goto fail;
	if ((uint32_t)sched != k->id) {
		fprintf(stderr, "libxl_domain_sched_params_get returned %s not %s.\n",
			xl_sched_name((uint32_t)sched), k->lower);
		return -1;
	}
	if (domain_read(ctx, k, domid, sdom) == 0)
		return 0;
fail:
	fprintf(stderr, "libxl_domain_sched_params_get failed.\n");
	return -1;
}

static int domain_output(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t domid)
{
	struct xen_domctl_sched_credit sdom;
	char *name;

	if (domain_get(ctx, k, domid, &sdom) < 0)
		return -1;
	name = xl_dom_name(ctx, domid);
	xl_sched_row(stdout, name, domid, sdom.weight, sdom.cap);
	free(name);
	return 0;
}

/* libxl_domain_sched_params_set for credit/credit2: read, change what was
 * asked (checked first), write back; nothing is written on a bad value. */
static int domain_set(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t domid, int weight,
		      int cap)
{
	struct xen_domctl_sched_credit sdom;
	xc_domaininfo_t info;
	char err[ERRLEN];

	if (domain_info(ctx, domid, &info, NULL) < 0 || domain_read(ctx, k, domid, &sdom) < 0)
		goto fail;
	if (xl_sched_check_domain(weight, cap, info.max_vcpu_id, err, sizeof(err)) < 0) {
		fprintf(stderr, "libxl: error: Domain %u:%s\n", domid, err);
		goto fail;
	}
	if (weight != XL_SCHED_KEEP)
		sdom.weight = (uint16_t)weight;
	if (cap != XL_SCHED_KEEP)
		sdom.cap = (uint16_t)cap;
	if (k->dom_set(ctx->xch, domid, &sdom) == 0)
		return 0;
	fprintf(stderr, "libxl: error: Domain %u:Setting domain sched %s: %s\n", domid, k->lower,
		strerror(errno));
fail:
	fprintf(stderr, "libxl_domain_sched_params_set failed.\n");
	return -1;
}

/* Every domain: a growing array of getdomaininfo records (free()). */
static xc_domaininfo_t *domains_list(struct lx_ctx *ctx, int *count)
{
	xc_domaininfo_t *all = NULL, *grown;
	uint32_t next = 0;
	int n = 0, got;

	do {
		grown = realloc(all, ((size_t)n + DOM_BATCH) * sizeof(*all));
		if (!grown)
			goto fail;
		all = grown;
		got = xc_domain_getinfolist(ctx->xch, next, DOM_BATCH, all + n);
		if (got < 0)
			goto fail;
		n += got;
		if (got > 0)
			next = all[n - 1].domain + 1u;
	} while (got == DOM_BATCH);
	*count = n;
	return all;
fail:
	free(all);
	return NULL;
}

/* No -d, no -s: each pool the scheduler runs (or just -p's), its
 * parameters, then its domains. */
static int list_pools(struct lx_ctx *ctx, const struct sched_kind *k, const char *pool)
{
	xc_cpupoolinfo_t *info;
	xc_domaininfo_t *doms;
	uint32_t only = 0;
	int n;

	if (pool && pool_resolve(ctx, pool, &only) < 0)
		return -1;
	doms = domains_list(ctx, &n);
	if (!doms) {
		fprintf(stderr, "libxl_list_domain failed.\n");
		return -1;
	}
	for (uint32_t next = 0; (info = xc_cpupool_getinfo(ctx->xch, next));) {
		uint32_t id = info->cpupool_id;
		bool shown = info->sched_id == k->id && (!pool || id == only);

		next = id + 1;
		xc_cpupool_infofree(ctx->xch, info);
		if (!shown)
			continue;
		pool_output(ctx, k, id);
		xl_sched_header(stdout);
		for (int i = 0; i < n; i++)
			if (doms[i].cpupool == id && domain_output(ctx, k, doms[i].domain) < 0)
				break;	/* Xen's xl stops here and still exits 0 */
	}
	free(doms);
	return 0;
}

static int pool_params_set(struct lx_ctx *ctx, const struct sched_kind *k, uint32_t poolid,
			   const struct xl_sched_opts *o)
{
	char err[ERRLEN];
	int rc;

	if (k->id == XEN_SCHEDULER_CREDIT) {
		struct xen_sysctl_credit_schedule p;

		if (xc_sched_credit_params_get(ctx->xch, poolid, &p) < 0) {
			fprintf(stderr, "libxl: error: getting Credit scheduler parameters: %s\n",
				strerror(errno));
			fprintf(stderr, "libxl_sched_credit_params_get failed.\n");
			return -1;
		}
		if (o->opt_t)
			p.tslice_ms = (uint32_t)o->tslice_ms;
		if (o->opt_r)
			p.ratelimit_us = (uint32_t)o->ratelimit_us;
		if (o->opt_m)
			p.vcpu_migr_delay_us = (uint32_t)o->migr_delay_us;
		if (xl_sched_check_credit_params((int)p.tslice_ms, (int)p.ratelimit_us,
						 (int)p.vcpu_migr_delay_us, err, sizeof(err)) < 0) {
			fprintf(stderr, "libxl: error: %s\n", err);
			goto fail;
		}
		rc = xc_sched_credit_params_set(ctx->xch, poolid, &p);
	} else {
		struct xen_sysctl_credit2_schedule p = { .ratelimit_us = (uint32_t)o->ratelimit_us };

		if (xl_sched_check_ratelimit(o->ratelimit_us, err, sizeof(err)) < 0) {
			fprintf(stderr, "libxl: error: %s\n", err);
			goto fail;
		}
		rc = xc_sched_credit2_params_set(ctx->xch, poolid, &p);
	}
	if (rc == 0)
		return 0;
	fprintf(stderr, "libxl: error: Setting %s scheduler parameters: %s\n", k->label,
		strerror(errno));
fail:
	fprintf(stderr, "libxl_sched_%s_params_set failed.\n", k->lower);
	return -1;
}

static int sched_main(const struct sched_kind *k, int argc, char **argv)
{
	struct xl_sched_opts o;
	char err[ERRLEN];
	struct lx_ctx ctx;
	uint32_t id = 0;
	int rc;

	switch (xl_sched_parse(argc, argv, k->id == XEN_SCHEDULER_CREDIT2, &o, err, sizeof(err))) {
	case 0:
		break;
	case 1:
		xl_usage(xl_cmd_find(k->cmd));
		return 0;
	case 2:
		fprintf(stderr, "%s\n", err);
		return 2;
	default:
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (xl_dom_open(&ctx, k->cmd) < 0)
		return 1;
	rc = 1;
	if (o.opt_s) {
		bool show = k->id == XEN_SCHEDULER_CREDIT ? !o.opt_t && !o.opt_r && !o.opt_m : !o.opt_r;

		if (o.pool && pool_resolve(&ctx, o.pool, &id) < 0)
			goto out;
		if (show)
			pool_output(&ctx, k, id);
		else if (pool_params_set(&ctx, k, id, &o) < 0)
			goto out;
	} else if (!o.dom) {
		if (list_pools(&ctx, k, o.pool) < 0)
			goto out;
	} else {
		if (xl_dom_resolve(&ctx, o.dom, &id) < 0)
			goto out;
		if (!o.opt_w && !o.opt_c) {
			xl_sched_header(stdout);
			if (domain_output(&ctx, k, id) < 0)
				goto out;
		} else if (domain_set(&ctx, k, id, o.opt_w ? o.weight : XL_SCHED_KEEP,
				      o.opt_c ? o.cap : XL_SCHED_KEEP) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	lx_close(&ctx);
	return rc;
}

int main_sched_credit(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return sched_main(&credit, argc, argv);
}

int main_sched_credit2(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	return sched_main(&credit2, argc, argv);
}
