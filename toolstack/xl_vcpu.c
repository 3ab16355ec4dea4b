/* xl vcpu-list, vcpu-pin and vcpu-set. Affinities are read and set in the
 * hypervisor; the number of online vCPUs is asked of the guest through
 * /local/domain/N/cpu/I/availability, which its kernel watches (libxl does
 * the same for PV and PVH guests). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"

#define AFFINITY_TEXT 1024
/* getdomaininfo's max_vcpu_id of a domain without vCPUs (Xen's domctl.h). */
#define XEN_INVALID_MAX_VCPU_ID (~0U)

struct host_cpus {
	int max_cpus;		/* bits in a map: max_cpu_id + 1 */
	unsigned int online;	/* bits xl prints: nr_cpus */
};

static int host_cpus(struct lx_ctx *ctx, struct host_cpus *h)
{
	xc_physinfo_t p;

	if (xc_physinfo(ctx->xch, &p) < 0) {
		fprintf(stderr, "libxl_physinfo failed.\n");
		return -1;
	}
	h->max_cpus = (int)p.max_cpu_id + 1;
	h->online = p.nr_cpus;
	return 0;
}

static void list_domain_vcpus(struct lx_ctx *ctx, uint32_t domid, const struct host_cpus *h)
{
	size_t mapsize = ((size_t)h->max_cpus + 7) / 8;
	uint8_t *hard = calloc(1, mapsize), *soft = calloc(1, mapsize);
	char *name = xl_dom_name(ctx, domid);
	xc_domaininfo_t info;

	if (!hard || !soft)
		goto out;
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		fprintf(stderr, "xl vcpu-list: domain %u: %s\n", domid, strerror(errno));
		goto out;
	}
	if (info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID)
		goto out;	/* no vCPUs yet */
	for (uint32_t v = 0; v <= info.max_vcpu_id; v++) {
		char htext[AFFINITY_TEXT], stext[AFFINITY_TEXT];
		xc_vcpuinfo_t vi;
		struct xl_vcpu_line line = { .name = name, .domid = domid, .vcpu = v };

		if (xc_vcpu_getinfo(ctx->xch, domid, v, &vi) < 0 ||
		    xc_vcpu_getaffinity(ctx->xch, domid, (int)v, hard, soft,
					XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) < 0) {
			fprintf(stderr, "xl vcpu-list: domain %u vCPU %u: %s\n", domid, v,
				strerror(errno));
			break;
		}
		xl_bitmap_format(hard, h->online, htext, sizeof(htext));
		xl_bitmap_format(soft, h->online, stext, sizeof(stext));
		line.cpu = vi.cpu;
		line.online = vi.online;
		line.running = vi.running;
		line.blocked = vi.blocked;
		line.cpu_time_ns = vi.cpu_time;
		line.hard = htext;
		line.soft = stext;
		xl_vcpu_row(stdout, &line);
	}
out:
	free(hard);
	free(soft);
	free(name);
}

int main_vcpulist(struct xl_globals *g, int argc, char **argv)
{
	struct host_cpus h;
	struct lx_ctx ctx;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "vcpu-list", 0, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open(&ctx, "vcpu-list") < 0)
		return 1;
	rc = 0;
	if (host_cpus(&ctx, &h) < 0)
		goto out;	/* Xen's xl also exits 0 here */
	xl_vcpu_header(stdout);
	if (optind == argc) {
		xc_domaininfo_t info[256];
		uint32_t next = 0;
		int n;

		do {
			n = xc_domain_getinfolist(ctx.xch, next, 256, info);
			for (int i = 0; i < n; i++)
				list_domain_vcpus(&ctx, info[i].domain, &h);
			if (n > 0)
				next = info[n - 1].domain + 1u;
		} while (n == 256);
		if (n < 0)
			fprintf(stderr, "libxl_list_domain failed.\n");
	}
	for (int i = optind; i < argc; i++) {
		uint32_t domid;

		if (xl_dom_resolve(&ctx, argv[i], &domid) < 0) {
			rc = 1;
			break;
		}
		list_domain_vcpus(&ctx, domid, &h);
	}
out:
	lx_close(&ctx);
	return rc;
}

/* One affinity argument: "-" leaves it alone (NULL map). */
static int affinity_arg(const char *s, uint8_t **map, const struct host_cpus *h)
{
	char err[256];

	*map = NULL;
	if (!s || !strcmp(s, "-"))
		return 0;
	*map = calloc(1, ((size_t)h->max_cpus + 7) / 8);
	if (!*map)
		return -1;
	if (xl_cpulist_parse(s, *map, (unsigned int)h->max_cpus, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int pin_one(struct lx_ctx *ctx, uint32_t domid, int vcpu, const uint8_t *hard,
		   const uint8_t *soft, uint32_t flags, const struct host_cpus *h)
{
	size_t mapsize = ((size_t)h->max_cpus + 7) / 8;
	uint8_t *hbuf = calloc(1, mapsize), *sbuf = calloc(1, mapsize);
	int rc = -1;

	if (!hbuf || !sbuf)
		goto out;
	if (hard) {
		memcpy(hbuf, hard, mapsize);
		flags |= XEN_VCPUAFFINITY_HARD;
	}
	if (soft) {
		memcpy(sbuf, soft, mapsize);
		flags |= XEN_VCPUAFFINITY_SOFT;
	}
	if (!flags) {
		errno = EINVAL;	/* nothing to set: "-" with no soft affinity */
		goto out;
	}
	rc = xc_vcpu_setaffinity(ctx->xch, domid, vcpu, hbuf, sbuf, flags);
	if (rc < 0)
		goto out;
	/* Xen answers with the effective soft affinity; an empty one means
	 * only the hard affinity counts, which libxl warns about. */
	if (soft) {
		bool empty = true;

		for (size_t i = 0; i < mapsize; i++)
			empty = empty && !sbuf[i];
		if (empty)
			fprintf(stderr, "xl vcpu-pin: all CPUs in the soft affinity of vCPU %d are "
				"unreachable; only the hard affinity will be considered for "
				"scheduling\n", vcpu);
	}
out:
	free(hbuf);
	free(sbuf);
	return rc;
}

int main_vcpupin(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", 0, 0, 'f' }, { "ignore-global-affinity-masks", 0, 0, 'i' },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	uint8_t *hard = NULL, *soft = NULL;
	const char *vcpu_arg;
	struct host_cpus h;
	struct lx_ctx ctx;
	bool force = false;
	uint32_t domid;
	long vcpu;
	char *end;
	int opt, rc = 1;

	/* -i: xl.conf's global affinity masks (vm.cpumask...) are not read
	 * by our xl, so there is nothing to ignore; accepted as Xen's xl does. */
	while ((opt = xl_getopt(argc, argv, "fih", opts, "vcpu-pin", 3, &rc)) > 0)
		if (opt == 'f')
			force = true;
	if (opt == 0)
		return rc;
	if (xl_dom_open_resolve(&ctx, "vcpu-pin", argv[optind], &domid) < 0)
		return 1;
	rc = 1;
	vcpu_arg = argv[optind + 1];
	errno = 0;
	vcpu = strtol(vcpu_arg, &end, 10);
	if (end == vcpu_arg || *end || errno || vcpu < 0 || vcpu > INT32_MAX) {
		if (strcmp(vcpu_arg, "all")) {
			fprintf(stderr, "Error: Invalid argument %s as VCPU.\n", vcpu_arg);
			goto out;
		}
		if (force) {
			fprintf(stderr, "Error: --force and 'all' as VCPU not allowed.\n");
			goto out;
		}
		vcpu = -1;
	}
	if (host_cpus(&ctx, &h) < 0 ||
	    affinity_arg(argv[optind + 2], &hard, &h) < 0 ||
	    affinity_arg(argc > optind + 3 ? argv[optind + 3] : NULL, &soft, &h) < 0)
		goto out;
	if (g->dryrun) {
		char text[AFFINITY_TEXT];

		printf("cpumap: ");
		if (hard) {
			xl_bitmap_format(hard, (unsigned int)h.max_cpus, text, sizeof(text));
			printf("%s", text);
		} else {
			printf("-");
		}
		if (soft) {
			xl_bitmap_format(soft, (unsigned int)h.max_cpus, text, sizeof(text));
			printf(" %s", text);
		}
		printf("\n");
		rc = fflush(stdout) ? 1 : 0;
		goto out;
	}
	if (vcpu >= 0) {
		if (pin_one(&ctx, domid, (int)vcpu, hard, soft, force ? XEN_VCPUAFFINITY_FORCE : 0,
			    &h) < 0) {
			fprintf(stderr, "xl vcpu-pin: domain %u vCPU %ld: %s\n", domid, vcpu,
				strerror(errno));
			fprintf(stderr, "Could not set affinity for vcpu `%ld'.\n", vcpu);
			goto out;
		}
	} else {
		xc_domaininfo_t info;
		bool failed = false;

		if (xc_domain_getinfo_single(ctx.xch, domid, &info) < 0) {
			fprintf(stderr, "libxl_list_vcpu failed.\n");
			goto out;
		}
		for (uint32_t v = 0; info.max_vcpu_id != XEN_INVALID_MAX_VCPU_ID &&
				     v <= info.max_vcpu_id; v++) {
			if (pin_one(&ctx, domid, (int)v, hard, soft, 0, &h) < 0) {
				fprintf(stderr, "xl vcpu-pin: domain %u vCPU %u: %s\n", domid, v,
					strerror(errno));
				failed = true;
			}
		}
		/* Xen's xl reports this and still exits 0. */
		if (failed)
			fprintf(stderr, "Could not set affinity.\n");
	}
	rc = 0;
out:
	free(hard);
	free(soft);
	lx_close(&ctx);
	return rc;
}

/* Which path sets the online vCPUs: the guest's own (PV, PVH) through
 * xenstore, or QEMU's for HVM, which we do not run. */
static bool uses_xenstore_vcpus(struct lx_ctx *ctx, const xc_domaininfo_t *info)
{
	char path[64], *type;
	unsigned int len;
	bool ok;

	if (!(info->flags & XEN_DOMINF_hvm_guest))
		return true;
	snprintf(path, sizeof(path), "/libxl/%u/type", info->domain);
	type = xs_read(ctx->xs, XBT_NULL, path, &len);
	ok = type && !strcmp(type, "pvh");
	free(type);
	return ok;
}

struct availability {
	uint32_t domid;
	unsigned long want, max;
};

static int write_availability(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	const struct availability *a = arg;

	for (unsigned long i = 0; i < a->max; i++) {
		char path[80];
		const char *v = i < a->want ? "online" : "offline";

		snprintf(path, sizeof(path), "/local/domain/%u/cpu/%lu/availability", a->domid, i);
		if (!xs_write(ctx->xs, t, path, v, (unsigned int)strlen(v)))
			return -1;
	}
	return 0;
}

static int set_online(struct lx_ctx *ctx, uint32_t domid, unsigned long want)
{
	struct availability avail;
	xc_domaininfo_t info;
	unsigned long max;

	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		if (errno == ESRCH || errno == EINVAL)
			fprintf(stderr, "Domain %u does not exist.\n", domid);
		else
			fprintf(stderr, "xl vcpu-set: domain %u: %s\n", domid, strerror(errno));
		return -1;
	}
	max = info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0 : info.max_vcpu_id + 1ul;
	if (want == 0 || want > max) {
		if (want == 0)
			fprintf(stderr, "xl vcpu-set: domain %u: requested 0 VCPUs!\n", domid);
		else
			fprintf(stderr, "xl vcpu-set: domain %u: requested %lu VCPUs, however "
				"maxcpus is %lu!\n", domid, want, max);
		goto fail;
	}
	if (!uses_xenstore_vcpus(ctx, &info)) {
		fprintf(stderr, "xl vcpu-set: domain %u is an HVM guest: its vCPUs are "
			"plugged through QEMU, which is not supported yet\n", domid);
		goto fail;
	}
	avail.domid = domid;
	avail.want = want;
	avail.max = max;
	if (lx_xs_transact(ctx, write_availability, &avail) == 0)
		return 0;
	fprintf(stderr, "xl vcpu-set: domain %u: writing xenstore: %s\n", domid, strerror(errno));
fail:
	/* -3 is libxl's ERROR_FAIL, which Xen's xl prints here. */
	fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%lu, rc: -3\n", domid,
		want);
	return -1;
}

int main_vcpuset(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ignore-host", 0, 0, 'i' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	bool check_host = true;
	struct lx_ctx ctx;
	unsigned long want;
	uint32_t domid;
	const char *n;
	char *end;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "ih", opts, "vcpu-set", 2, &rc)) > 0)
		if (opt == 'i')
			check_host = false;
	if (opt == 0)
		return rc;
	if (xl_dom_open_resolve(&ctx, "vcpu-set", argv[optind], &domid) < 0)
		return 1;
	rc = 1;
	n = argv[optind + 1];
	errno = 0;
	want = strtoul(n, &end, 10);
	if (end == n || *end || errno || *n == '-') {
		fprintf(stderr, "Error: Invalid argument.\n");
		goto out;
	}
	if (check_host) {
		xc_domaininfo_t info;
		int host = xc_get_max_cpus(ctx.xch);

		if (host < 0 || xc_domain_getinfo_single(ctx.xch, domid, &info) < 0) {
			fprintf(stderr, "xl vcpu-set: domain %u: %s\n", domid, strerror(errno));
			goto out;
		}
		if (want > info.nr_online_vcpus && want > (unsigned long)host) {
			fprintf(stderr, "You are overcommmitting! You have %d physical CPUs and want "
				"%lu vCPUs! Aborting, use --ignore-host to continue\n", host, want);
			goto out;
		}
	}
	if (set_online(&ctx, domid, want) == 0)
		rc = 0;
out:
	lx_close(&ctx);
	return rc;
}
