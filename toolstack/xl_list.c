/* xl list [-l] [-v] [-Z] [-c] [Domain]: the domain table in Xen 4.17's
 * layout, or (-l) each domain's configuration as libxl JSON.
 *
 * Where -l finds a configuration: like libxl, in the "libxl-json"
 * userdata file /var/lib/xen/userdata-d.<domid>.<uuid>.libxl-json,
 * refreshed with the live name, UUID, available vCPUs and memory limits.
 * A domain without that file but with a toolstack entry (/libxl/<domid>,
 * written by our create) is described from its live state alone: type,
 * name, UUID, vCPUs, memory and scheduler parameters; dom0 gets the
 * nearly empty config libxl prints for it. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"

#define LIST_BATCH 256
#define XEN_LIB_DIR "/var/lib/xen"	/* libxl's XEN_LIB_DIR on Debian */

/* Every domain (or the one asked for): a malloc'd array, count in *n. */
static xc_domaininfo_t *list_domains(struct lx_ctx *ctx, int *n)
{
	xc_domaininfo_t *all = NULL;
	uint32_t next = 0;
	int got, total = 0;

	do {
		xc_domaininfo_t *more = realloc(all, (size_t)(total + LIST_BATCH) * sizeof(*all));

		if (!more) {
			free(all);
			errno = ENOMEM;
			return NULL;
		}
		all = more;
		got = xc_domain_getinfolist(ctx->xch, next, LIST_BATCH, all + total);
		if (got < 0) {
			free(all);
			return NULL;
		}
		total += got;
		if (got > 0)
			next = all[total - 1].domain + 1u;
	} while (got == LIST_BATCH);
	*n = total;
	return all;
}

static char *xs_get(struct lx_ctx *ctx, const char *fmt, uint32_t id)
{
	char path[96];
	unsigned int len;

	snprintf(path, sizeof(path), fmt, id);
	return xs_read(ctx->xs, XBT_NULL, path, &len);
}

/* A domain's NUMA node affinity as xl prints it, over the host's nodes. */
static void node_affinity(struct lx_ctx *ctx, uint32_t domid, unsigned int nr_nodes, char *out,
			  size_t len)
{
	int max = xc_get_max_nodes(ctx->xch);
	uint8_t *map = max > 0 ? calloc(1, ((size_t)max + 7) / 8) : NULL;

	out[0] = '\0';
	if (map && xc_domain_node_getaffinity(ctx->xch, domid, map) == 0)
		xl_bitmap_format(map, nr_nodes, out, len);
	else
		fprintf(stderr, "xl list: node affinity of domain %u: %s\n", domid,
			strerror(errno));
	free(map);
}

static int print_table(struct lx_ctx *ctx, const xc_domaininfo_t *info, int n, unsigned int opts)
{
	xc_physinfo_t phys = { 0 };

	if ((opts & XL_LIST_NUMA) && xc_physinfo(ctx->xch, &phys) < 0) {
		fprintf(stderr, "libxl_physinfo failed.\n");
		return 1;
	}
	xl_list_header(stdout, opts);
	for (int i = 0; i < n; i++) {
		struct xl_list_dom d = {
			.domid = info[i].domain,
			.mem_kb = (info[i].tot_pages + info[i].outstanding_pages) * 4,
			.vcpus = info[i].nr_online_vcpus,
			.flags = info[i].flags,
			.cpu_time_ns = info[i].cpu_time,
		};
		char *name = xl_dom_name(ctx, info[i].domain);
		char *pool = NULL, label[32], nodes[256];

		memcpy(d.uuid, info[i].handle, sizeof(d.uuid));
		d.name = name;
		/* Without an XSM policy every ssidref is 0 and Xen prints "-". */
		if (info[i].ssidref) {
			snprintf(label, sizeof(label), "ssidref:%u", info[i].ssidref);
			d.ssid_label = label;
		}
		if (opts & XL_LIST_CPUPOOL)
			d.pool_name = pool = xs_get(ctx, "/local/pool/%u/name", info[i].cpupool);
		if (opts & XL_LIST_NUMA) {
			node_affinity(ctx, info[i].domain, phys.nr_nodes, nodes, sizeof(nodes));
			d.node_affinity = nodes;
		}
		xl_list_row(stdout, &d, opts);
		free(name);
		free(pool);
	}
	return 0;
}

/* The stored libxl config of a domain, or NULL (errno ENOENT if none). */
static char *read_userdata(uint32_t domid, const uint8_t handle[16])
{
	char uuid[37], path[160];
	FILE *f;
	char *buf = NULL;
	size_t len = 0;

	xl_uuid_format(handle, uuid);
	snprintf(path, sizeof(path), XEN_LIB_DIR "/userdata-d.%u.%s.libxl-json", domid, uuid);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static uint64_t xs_u64(struct lx_ctx *ctx, const char *fmt, uint32_t domid, uint64_t dflt)
{
	char *v = xs_get(ctx, fmt, domid), *end;
	uint64_t r = dflt;

	if (v) {
		errno = 0;
		r = strtoull(v, &end, 10);
		if (errno || *end || end == v)
			r = dflt;
	}
	free(v);
	return r;
}

/* What libxl refreshes from the live domain before printing: name,
 * UUID, the vCPUs the guest was asked to keep online, the memory target
 * and static maximum, and the scheduler parameters. */
static int refresh_config(struct lx_ctx *ctx, const xc_domaininfo_t *info,
			  libxl_domain_config *dc)
{
	libxl_domain_build_info *b = &dc->b_info;
	char *name = xl_dom_name(ctx, info->domain);
	uint64_t fudge;
	int sched;

	if (!name)
		return -1;
	free(dc->c_info.name);
	dc->c_info.name = name;
	memcpy(dc->c_info.uuid.uuid, info->handle, 16);
	libxl_bitmap_dispose(&b->avail_vcpus);
	libxl_bitmap_init(&b->avail_vcpus);
	if (b->max_vcpus > 0 && libxl_bitmap_alloc(NULL, &b->avail_vcpus, b->max_vcpus))
		return -1;
	for (int i = 0; i < b->max_vcpus; i++) {
		char path[80], *v;
		unsigned int len;

		snprintf(path, sizeof(path), "/local/domain/%u/cpu/%d/availability", info->domain, i);
		v = xs_read(ctx->xs, XBT_NULL, path, &len);
		if (v && !strcmp(v, "online"))
			libxl_bitmap_set(&b->avail_vcpus, i);
		free(v);
	}
	/* libxl adds its "fudge" (video memory, plus its constant for HVM) to
	 * the xenstore target; an unset video size wraps, as in libxl. */
	fudge = b->video_memkb;
	if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM && b->max_memkb > b->target_memkb)
		fudge += 1024;
	b->target_memkb = xs_u64(ctx, "/local/domain/%u/memory/target", info->domain,
				 info->tot_pages * 4) + fudge;
	b->max_memkb = xs_u64(ctx, "/local/domain/%u/memory/static-max", info->domain,
			      info->max_pages * 4);
	if (xc_sched_id(ctx->xch, &sched) == 0) {
		uint16_t weight, cap;

		b->sched_params.sched = (libxl_scheduler)sched;
		if (xc_sched_credit_weight_cap(ctx->xch, info->domain, (uint32_t)sched, &weight,
					       &cap) == 0) {
			b->sched_params.weight = weight;
			b->sched_params.cap = cap;
		}
	}
	return 0;
}

/* The config of one domain as JSON (malloc'd), or NULL to skip it. */
static char *domain_config_json(struct lx_ctx *ctx, const xc_domaininfo_t *info)
{
	libxl_domain_config dc;
	char *stored = read_userdata(info->domain, info->handle), *type = NULL, *json = NULL;
	bool hvm = info->flags & XEN_DOMINF_hvm_guest;

	libxl_domain_config_init(&dc);
	if (stored) {
		if (libxl_domain_config_from_json(NULL, &dc, stored)) {
			fprintf(stderr, "xl list: the stored configuration of domain %u is not "
				"valid: %s\n", info->domain, libxl_json_last_error());
			goto out;
		}
		/* libxl stores configs with its defaults applied, where the
		 * video size is a number; one stored without them means none. */
		if (dc.b_info.video_memkb == LIBXL_MEMKB_DEFAULT)
			dc.b_info.video_memkb = 0;
	} else if ((type = xs_get(ctx, "/libxl/%u/type", info->domain))) {
		/* Ours: what the domain itself tells. */
		libxl_domain_type t = !strcmp(type, "pvh") ? LIBXL_DOMAIN_TYPE_PVH :
				      !strcmp(type, "hvm") ? LIBXL_DOMAIN_TYPE_HVM :
							     LIBXL_DOMAIN_TYPE_PV;

		dc.c_info.type = t;
		libxl_domain_build_info_init_type(&dc.b_info, t);
		dc.b_info.max_vcpus = (int)info->max_vcpu_id + 1;
		dc.b_info.video_memkb = 0;
	} else if (info->domain == 0) {
		/* dom0 has no stored config: libxl prints an empty one,
		 * refreshed like any other. */
		dc.c_info.type = hvm ? LIBXL_DOMAIN_TYPE_PVH : LIBXL_DOMAIN_TYPE_PV;
		libxl_domain_build_info_init_type(&dc.b_info, dc.c_info.type);
	} else {
		goto out;	/* not made by a toolstack we know */
	}
	if (refresh_config(ctx, info, &dc) < 0) {
		fprintf(stderr, "xl list: domain %u vanished while being read\n", info->domain);
		goto out;
	}
	json = libxl_domain_config_to_json(NULL, &dc);
out:
	libxl_domain_config_dispose(&dc);
	free(stored);
	free(type);
	return json;
}

static int print_details(struct lx_ctx *ctx, const xc_domaininfo_t *info, int n)
{
	int printed = 0;

	fputs("[\n", stdout);
	for (int i = 0; i < n; i++) {
		char *json = domain_config_json(ctx, &info[i]);

		if (!json)
			continue;
		xl_list_json_entry(stdout, info[i].domain, json, printed == 0);
		printed++;
		free(json);
	}
	xl_list_json_close(stdout, printed > 0);
	return 0;
}

int main_list(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "long", 0, 0, 'l' }, { "verbose", 0, 0, 'v' }, { "context", 0, 0, 'Z' },
		{ "cpupool", 0, 0, 'c' }, { "numa", 0, 0, 'n' }, { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	xc_domaininfo_t *info = NULL, one;
	unsigned int flags = 0;
	bool details = false;
	struct lx_ctx ctx;
	int opt, n = 0, rc = 1;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "lvhZcn", opts, "list", 0, &rc)) > 0) {
		switch (opt) {
		case 'l':
			details = true;
			break;
		case 'v':
			flags |= XL_LIST_VERBOSE;
			break;
		case 'Z':
			flags |= XL_LIST_CONTEXT;
			break;
		case 'c':
			flags |= XL_LIST_CPUPOOL;
			break;
		case 'n':
			flags |= XL_LIST_NUMA;
			break;
		}
	}
	if (opt == 0)
		return rc;
	if (argc - optind > 1) {
		xl_usage(xl_cmd_find("list"));
		return 1;
	}
	if (xl_dom_open(&ctx, "list") < 0)
		return 1;
	rc = 1;
	if (optind < argc) {
		uint32_t domid;

		if (xl_dom_resolve(&ctx, argv[optind], &domid) < 0)
			goto out;
		if (xc_domain_getinfo_single(ctx.xch, domid, &one) < 0) {
			/* ESRCH: no such domain; EINVAL: beyond the id range. */
			if (errno == ESRCH || errno == EINVAL)
				fprintf(stderr, "Error: Domain '%s' does not exist.\n", argv[optind]);
			else
				fprintf(stderr, "xl list: domain %u: %s\n", domid, strerror(errno));
			goto out;
		}
		n = 1;
	} else if (!(info = list_domains(&ctx, &n))) {
		fprintf(stderr, "xl list: listing domains: %s\n", strerror(errno));
		goto out;
	}
	if (details)
		rc = print_details(&ctx, info ? info : &one, n);
	else
		rc = print_table(&ctx, info ? info : &one, n, flags);
	if (fflush(stdout) || ferror(stdout)) {
		perror("stdout");
		rc = 1;
	}
out:
	free(info);
	lx_close(&ctx);
	return rc;
}
