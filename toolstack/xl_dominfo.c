/* xl uptime, domid, domname and dmesg: small questions about domains and
 * the hypervisor, answered and worded as Xen 4.17's xl does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lx.h"
#include "xl.h"

#define DMESG_CHUNK 16384

static void uptime_line(const char *name, uint32_t domid, unsigned long secs, bool short_mode,
			time_t now)
{
	xl_uptime_row(stdout, name, domid, secs, short_mode, now);
}

static int dom0_uptime(struct lx_ctx *ctx, bool short_mode, time_t now)
{
	char buf[128], *name;
	FILE *f = fopen("/proc/uptime", "r");
	unsigned long secs;

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		fprintf(stderr, "Can not get Dom0 uptime.\n");
		return -1;
	}
	fclose(f);
	secs = strtoul(buf, NULL, 10);
	name = xl_dom_name(ctx, 0);
	uptime_line(name, 0, secs, short_mode, now);
	free(name);
	return 0;
}

/* A domU's uptime counts from /vm/<uuid>/start_time, written at create. */
static void domu_uptime(struct lx_ctx *ctx, uint32_t domid, bool short_mode, time_t now)
{
	char path[128], *vm, *start = NULL, *name;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	vm = xs_read(ctx->xs, XBT_NULL, path, &len);
	if (vm) {
		snprintf(path, sizeof(path), "%s/start_time", vm);
		start = xs_read(ctx->xs, XBT_NULL, path, &len);
	}
	if (!start) {
		fprintf(stderr, "xl uptime: domain %u: can't get its start time from xenstore\n",
			domid);
		free(vm);
		return;
	}
	name = xl_dom_name(ctx, domid);
	uptime_line(name, domid, (unsigned long)(uint32_t)((uint32_t)now -
				(uint32_t)strtoul(start, NULL, 10)), short_mode, now);
	free(name);
	free(start);
	free(vm);
}

int main_uptime(struct xl_globals *g, int argc, char **argv)
{
	bool short_mode = false;
	struct lx_ctx ctx;
	uint32_t *doms = NULL;
	int opt, rc = 1, ndoms;
	time_t now;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "hs", NULL, "uptime", 0, &rc)) > 0)
		if (opt == 's')
			short_mode = true;
	if (opt == 0)
		return rc;
	if (xl_dom_open(&ctx, "uptime") < 0)
		return 1;
	rc = 1;
	ndoms = argc - optind;
	doms = calloc((size_t)ndoms + 1, sizeof(*doms));
	if (!doms)
		goto out;
	/* Every argument is checked before anything is printed, like xl. */
	for (int i = 0; i < ndoms; i++)
		if (xl_dom_resolve(&ctx, argv[optind + i], &doms[i]) < 0)
			goto out;
	now = time(NULL);
	if (!short_mode)
		xl_uptime_header(stdout);
	if (ndoms == 0) {
		xc_domaininfo_t info[256];
		uint32_t next = 1;
		int n;

		if (dom0_uptime(&ctx, short_mode, now) < 0)
			goto out;
		do {
			n = xc_domain_getinfolist(ctx.xch, next, 256, info);
			for (int i = 0; i < n; i++)
				domu_uptime(&ctx, info[i].domain, short_mode, now);
			if (n > 0)
				next = info[n - 1].domain + 1u;
		} while (n == 256);
		if (n < 0) {
			fprintf(stderr, "Could not list vms.\n");
			goto out;
		}
	}
	for (int i = 0; i < ndoms; i++) {
		if (doms[i] == 0) {
			if (dom0_uptime(&ctx, short_mode, now) < 0)
				goto out;
		} else {
			domu_uptime(&ctx, doms[i], short_mode, now);
		}
	}
	rc = 0;
out:
	free(doms);
	lx_close(&ctx);
	return rc;
}

int main_domid(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	uint32_t domid;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "domid", 1, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	if (xl_dom_open(&ctx, "domid") < 0)
		return 1;
	/* A name only: "0" is not Domain-0's name. */
	if (lx_domain_by_name(&ctx, argv[optind], &domid) < 0) {
		fprintf(stderr, "Can't get domid of domain name '%s', maybe this domain does "
			"not exist.\n", argv[optind]);
	} else {
		printf("%u\n", domid);
		rc = 0;
	}
	lx_close(&ctx);
	return rc;
}

int main_domname(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	char *end, *name;
	long v;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "domname", 1, &rc)) > 0)
		;
	if (opt == 0)
		return rc;
	errno = 0;
	v = strtol(argv[optind], &end, 10);
	if (end == argv[optind] || *end || errno || v < 0 || v >= DOMID_FIRST_RESERVED) {
		fprintf(stderr, "Invalid domain id.\n\n");
		return 1;
	}
	if (xl_dom_open(&ctx, "domname") < 0)
		return 1;
	name = xl_dom_name(&ctx, (uint32_t)v);
	if (!name) {
		fprintf(stderr, "Can't get domain name of domain id '%u', maybe this domain "
			"does not exist.\n", (unsigned int)v);
	} else {
		printf("%s\n", name);
		rc = 0;
	}
	free(name);
	lx_close(&ctx);
	return rc;
}

int main_dmesg(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "clear", 0, 0, 'c' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	bool clear = false;
	struct lx_ctx ctx;
	uint32_t index = 0;
	char *buf;
	int opt, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "hc", opts, "dmesg", 0, &rc)) > 0)
		if (opt == 'c')
			clear = true;
	if (opt == 0)
		return rc;
	buf = malloc(DMESG_CHUNK);
	if (!buf || xl_dom_open(&ctx, "dmesg") < 0) {
		free(buf);
		return 1;
	}
	/* Incremental reads from the oldest byte until the ring has no more. */
	for (;;) {
		unsigned int count = DMESG_CHUNK;

		if (xc_readconsolering(ctx.xch, buf, &count, clear, 1, &index) < 0) {
			fprintf(stderr, "xl dmesg: reading the hypervisor console ring: %s\n",
				strerror(errno));
			goto out;
		}
		if (count == 0)
			break;
		if (fwrite(buf, 1, count, stdout) != count)
			goto out;
	}
	rc = fflush(stdout) ? 1 : 0;
out:
	free(buf);
	lx_close(&ctx);
	return rc;
}
