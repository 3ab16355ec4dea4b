/* xl's domain lifecycle commands on the lifecycle core (libxl/core):
 * starting a parsed config, destroy and list. PVH guests only, so far. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lx.h"
#include "xl.h"

#define LIST_BATCH 256

/* Starts what `xl create` parsed. Prints like Xen's xl; 0 on success. */
int xl_domain_start(const libxl_domain_config *dc, bool paused)
{
	const libxl_domain_build_info *b = &dc->b_info;
	struct lx_pvh_spec spec = { 0 };
	struct lx_ctx ctx;
	char err[1024];
	uint32_t domid;

	if (dc->c_info.type != LIBXL_DOMAIN_TYPE_PVH) {
		fprintf(stderr, "xl create: only type=\"pvh\" guests can be started so far "
			"(this config describes a %s guest)\n",
			dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM ? "HVM" : "PV");
		return 1;
	}
	if (!b->kernel) {
		fprintf(stderr, "xl create: a PVH guest needs kernel= (bootloaders are not "
			"supported yet)\n");
		return 1;
	}
	if (dc->num_disks || dc->num_nics) {
		fprintf(stderr, "xl create: disk= and vif= devices are not supported yet\n");
		return 1;
	}
	spec.name = dc->c_info.name;
	memcpy(spec.uuid, dc->c_info.uuid.uuid, sizeof(spec.uuid));
	spec.memory_kb = b->target_memkb;
	spec.maxmem_kb = b->max_memkb;
	spec.vcpus = b->max_vcpus > 0 ? (unsigned int)b->max_vcpus : 1;
	spec.kernel = b->kernel;
	spec.ramdisk = b->ramdisk;
	spec.cmdline = b->cmdline;
	spec.paused = paused;
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl create: %s\n", err);
		return 1;
	}
	if (lx_domain_create_pvh(&ctx, &spec, &domid, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl create: %s\n", err);
		lx_close(&ctx);
		return 1;
	}
	lx_close(&ctx);
	return 0;
}

/* A domain argument: a name, or a number. */
static int find_domain(struct lx_ctx *ctx, const char *arg, uint32_t *domid)
{
	char *end;
	unsigned long v;

	if (lx_domain_by_name(ctx, arg, domid) == 0)
		return 0;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!errno && *arg && !*end && v < DOMID_FIRST_RESERVED) {
		*domid = (uint32_t)v;
		return 0;
	}
	fprintf(stderr, "xl: '%s' is not a domain name or id\n", arg);
	return -1;
}

int main_destroy(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	char err[512];
	uint32_t domid;
	int rc = 1;

	(void)g;
	if (argc != 2) {
		xl_usage(xl_cmd_find("destroy"));
		return 2;
	}
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl destroy: %s\n", err);
		return 1;
	}
	if (find_domain(&ctx, argv[1], &domid) == 0) {
		if (lx_domain_destroy(&ctx, domid, err, sizeof(err)) < 0)
			fprintf(stderr, "xl destroy: %s\n", err);
		else
			rc = 0;
	}
	lx_close(&ctx);
	return rc;
}

/* Xen's state letters: r running, b blocked, p paused, s shutdown,
 * c crashed, d dying. */
static void state_letters(uint32_t flags, char out[7])
{
	unsigned int code = (flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
	bool shutdown = flags & XEN_DOMINF_shutdown;

	snprintf(out, 7, "%c%c%c%c%c%c", flags & XEN_DOMINF_running ? 'r' : '-',
		 flags & XEN_DOMINF_blocked ? 'b' : '-', flags & XEN_DOMINF_paused ? 'p' : '-',
		 shutdown && code != 3 ? 's' : '-', shutdown && code == 3 ? 'c' : '-',
		 flags & XEN_DOMINF_dying ? 'd' : '-');
}

int main_list(struct xl_globals *g, int argc, char **argv)
{
	xc_domaininfo_t info[LIST_BATCH];
	struct lx_ctx ctx;
	char err[512];
	uint32_t next = 0;
	int n;

	(void)g;
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "xl list: options and domain arguments are not supported yet\n");
		return 2;
	}
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl list: %s\n", err);
		return 1;
	}
	printf("%-40s %5s %5s %5s     %s %s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
	do {
		n = xc_domain_getinfolist(ctx.xch, next, LIST_BATCH, info);
		for (int i = 0; i < n; i++) {
			char path[64], state[7], *name;
			unsigned int len;

			snprintf(path, sizeof(path), "/local/domain/%u/name", info[i].domain);
			name = xs_read(ctx.xs, XBT_NULL, path, &len);
			state_letters(info[i].flags, state);
			printf("%-40s %5u %5" PRIu64 " %5u     %s %8.1f\n",
			       name ? name : "(null)", info[i].domain, info[i].tot_pages / 256,
			       info[i].nr_online_vcpus, state, (double)info[i].cpu_time / 1e9);
			free(name);
		}
		if (n > 0)
			next = info[n - 1].domain + 1u;
	} while (n == LIST_BATCH);
	lx_close(&ctx);
	if (n < 0) {
		fprintf(stderr, "xl list: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
