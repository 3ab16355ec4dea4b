/* xl info, dmesg, uptime, domid, domname: host and hypervisor facts as
 * Xen 4.17's xl prints them, each read from the hypervisor (or xenstore,
 * uname, /proc/uptime) at the time of asking. */
#define _GNU_SOURCE	/* vasprintf */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "lx.h"
#include "xl.h"

/* One "key   : value" line; with a filter (xl info KEY) only the value
 * of lines whose key starts with it, as xl does. */
static void info_line(const char *filter, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void info_line(const char *filter, const char *fmt, ...)
{
	char *s = NULL, *colon;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!filter)
		fputs(s, stdout);
	else if (!strncmp(s, filter, strlen(filter)) && (colon = strchr(s, ':')) &&
		 colon[1] == ' ')
		fputs(colon + 2, stdout);
	free(s);
}

static const char *scheduler_name(int id)
{
	switch (id) {
	case LIBXL_SCHEDULER_SEDF:
		return "sedf";
	case LIBXL_SCHEDULER_CREDIT:
		return "credit";
	case LIBXL_SCHEDULER_CREDIT2:
		return "credit2";
	case LIBXL_SCHEDULER_ARINC653:
		return "arinc653";
	case LIBXL_SCHEDULER_RTDS:
		return "rtds";
	case LIBXL_SCHEDULER_NULL:
		return "null";
	default:
		return "unknown";
	}
}

static int count_bits(const uint8_t *map, int bytes)
{
	int n = 0;

	for (int i = 0; i < bytes * 8; i++)
		n += (map[i / 8] >> (i % 8)) & 1;
	return n;
}

static int print_physinfo(struct lx_ctx *ctx, const char *f, unsigned int pagesize)
{
	xc_physinfo_t p;
	uint32_t c;
	uint64_t per_mib = pagesize ? (1u << 20) / pagesize : 256;
	long freed, used;
	uint8_t *freemap;
	int mapsize;

	if (xc_physinfo(ctx->xch, &p) < 0) {
		fprintf(stderr, "xl info: reading the host's physinfo: %s\n", strerror(errno));
		return -1;
	}
	c = p.capabilities;
	info_line(f, "nr_cpus                : %u\n", p.nr_cpus);
	info_line(f, "max_cpu_id             : %u\n", p.max_cpu_id);
	info_line(f, "nr_nodes               : %u\n", p.nr_nodes);
	info_line(f, "cores_per_socket       : %u\n", p.cores_per_socket);
	info_line(f, "threads_per_core       : %u\n", p.threads_per_core);
	info_line(f, "cpu_mhz                : %u.%03u\n", p.cpu_khz / 1000, p.cpu_khz % 1000);
	info_line(f, "hw_caps                : %08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n",
		  p.hw_cap[0], p.hw_cap[1], p.hw_cap[2], p.hw_cap[3], p.hw_cap[4], p.hw_cap[5],
		  p.hw_cap[6], p.hw_cap[7]);
	info_line(f, "virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n",
		  c & XEN_SYSCTL_PHYSCAP_pv ? " pv" : "",
		  c & XEN_SYSCTL_PHYSCAP_hvm ? " hvm" : "",
		  (c & XEN_SYSCTL_PHYSCAP_hvm) && (c & XEN_SYSCTL_PHYSCAP_directio) ?
			  " hvm_directio" : "",
		  (c & XEN_SYSCTL_PHYSCAP_pv) && (c & XEN_SYSCTL_PHYSCAP_directio) ?
			  " pv_directio" : "",
		  c & XEN_SYSCTL_PHYSCAP_hap ? " hap" : "",
		  c & XEN_SYSCTL_PHYSCAP_shadow ? " shadow" : "",
		  c & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
		  c & XEN_SYSCTL_PHYSCAP_vmtrace ? " vmtrace" : "",
		  c & XEN_SYSCTL_PHYSCAP_vpmu ? " vpmu" : "",
		  c & XEN_SYSCTL_PHYSCAP_gnttab_v1 ? " gnttab-v1" : "",
		  c & XEN_SYSCTL_PHYSCAP_gnttab_v2 ? " gnttab-v2" : "");
	/* A hypervisor without memory sharing answers 0 (Xen) or an error:
	 * both mean nothing is shared. */
	freed = xc_sharing_freed_pages(ctx->xch);
	used = xc_sharing_used_frames(ctx->xch);
	info_line(f, "total_memory           : %" PRIu64 "\n", p.total_pages / per_mib);
	info_line(f, "free_memory            : %" PRIu64 "\n",
		  (p.free_pages - p.outstanding_pages) / per_mib);
	info_line(f, "sharing_freed_memory   : %" PRIu64 "\n",
		  (uint64_t)(freed < 0 ? 0 : freed) / per_mib);
	info_line(f, "sharing_used_memory    : %" PRIu64 "\n",
		  (uint64_t)(used < 0 ? 0 : used) / per_mib);
	info_line(f, "outstanding_claims     : %" PRIu64 "\n", p.outstanding_pages / per_mib);
	mapsize = xc_get_cpumap_size(ctx->xch);
	freemap = xc_cpupool_freeinfo(ctx->xch);
	if (freemap && mapsize > 0)
		info_line(f, "free_cpus              : %d\n", count_bits(freemap, mapsize));
	free(freemap);
	return 0;
}

static int print_xeninfo(struct lx_ctx *ctx, const char *f)
{
	union {
		xen_extraversion_t extra;
		struct xen_compile_info cc;
		xen_capabilities_info_t caps;
		xen_changeset_info_t changeset;
		struct xen_platform_parameters params;
		xen_commandline_t cmdline;
	} u;
	int version = xc_version(ctx->xch, XENVER_version, NULL), sched = 0, pagesize, n;
	char extra[sizeof(xen_extraversion_t) + 1];
	unsigned char id[256];
	char idhex[2 * sizeof(id) + 1] = "";

	if (version < 0) {
		fprintf(stderr, "xl info: asking the hypervisor its version: %s\n", strerror(errno));
		return -1;
	}
	pagesize = xc_version(ctx->xch, XENVER_pagesize, NULL);
	if (xc_sched_id(ctx->xch, &sched) < 0) {
		fprintf(stderr, "get_scheduler sysctl failed.\n");
		return -1;
	}
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_extraversion, &u.extra);
	snprintf(extra, sizeof(extra), "%.*s", (int)sizeof(u.extra), u.extra);
	info_line(f, "xen_major              : %d\n", version >> 16);
	info_line(f, "xen_minor              : %d\n", version & 0xFF);
	info_line(f, "xen_extra              : %s\n", extra);
	info_line(f, "xen_version            : %d.%d%s\n", version >> 16, version & 0xFF, extra);
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_capabilities, &u.caps);
	u.caps[sizeof(u.caps) - 1] = '\0';
	info_line(f, "xen_caps               : %s\n", u.caps);
	info_line(f, "xen_scheduler          : %s\n", scheduler_name(sched));
	info_line(f, "xen_pagesize           : %u\n", (unsigned int)pagesize);
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_platform_parameters, &u.params);
	info_line(f, "platform_params        : virt_start=0x%" PRIx64 "\n",
		  (uint64_t)u.params.virt_start);
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_changeset, &u.changeset);
	u.changeset[sizeof(u.changeset) - 1] = '\0';
	info_line(f, "xen_changeset          : %s\n", u.changeset);
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_commandline, &u.cmdline);
	u.cmdline[sizeof(u.cmdline) - 1] = '\0';
	info_line(f, "xen_commandline        : %s\n", u.cmdline);
	memset(&u, 0, sizeof(u));
	xc_version(ctx->xch, XENVER_compile_info, &u.cc);
	info_line(f, "cc_compiler            : %.*s\n", (int)sizeof(u.cc.compiler) - 1,
		  u.cc.compiler);
	info_line(f, "cc_compile_by          : %.*s\n", (int)sizeof(u.cc.compile_by) - 1,
		  u.cc.compile_by);
	info_line(f, "cc_compile_domain      : %.*s\n", (int)sizeof(u.cc.compile_domain) - 1,
		  u.cc.compile_domain);
	info_line(f, "cc_compile_date        : %.*s\n", (int)sizeof(u.cc.compile_date) - 1,
		  u.cc.compile_date);
	/* No build id (ENODATA) or not allowed (EPERM) prints empty, as xl. */
	n = xc_version_build_id(ctx->xch, id, sizeof(id));
	for (int i = 0; i < n && i < (int)sizeof(id); i++)
		snprintf(idhex + 2 * i, 3, "%02x", id[i]);
	info_line(f, "build_id               : %s\n", idhex);
	return 0;
}

#define INVALID_ID (~0U)		/* XEN_INVALID_{CORE,SOCKET,NODE}_ID */
#define INVALID_DEV (~0U - 1)		/* XEN_INVALID_DEV */

/* The PCI devices dom0's kernel knows, as libxl lists them: the entries
 * of /sys/bus/pci/devices in directory order. */
static int pci_devices(physdev_pci_device_t **out)
{
	DIR *dir = opendir("/sys/bus/pci/devices");
	physdev_pci_device_t *devs = NULL;
	struct dirent *e;
	int n = 0;

	if (!dir)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dir))) {
		unsigned int seg, bus, dev, fn;
		physdev_pci_device_t *more;

		if (e->d_name[0] == '.' ||
		    sscanf(e->d_name, "%x:%x:%x.%u", &seg, &bus, &dev, &fn) != 4)
			continue;
		more = realloc(devs, (size_t)(n + 1) * sizeof(*devs));
		if (!more) {
			free(devs);
			closedir(dir);
			return -1;
		}
		devs = more;
		devs[n].seg = (uint16_t)seg;
		devs[n].bus = (uint8_t)bus;
		devs[n].devfn = (uint8_t)((dev << 3) | (fn & 7));
		n++;
	}
	closedir(dir);
	*out = devs;
	return n;
}

static void print_topology(struct lx_ctx *ctx)
{
	physdev_pci_device_t *devs = NULL;
	xc_cputopo_t *topo = NULL;
	unsigned int ncpus = 0;
	uint32_t *nodes = NULL;
	int ndevs, valid = 0;

	if (xc_cputopoinfo(ctx->xch, &ncpus, NULL) < 0 ||
	    !(topo = calloc(ncpus ? ncpus : 1, sizeof(*topo))) ||
	    xc_cputopoinfo(ctx->xch, &ncpus, topo) < 0) {
		fprintf(stderr, "libxl_get_cpu_topology failed.\n");
		free(topo);
		return;
	}
	printf("cpu_topology           :\n");
	printf("cpu:    core    socket     node\n");
	for (unsigned int i = 0; i < ncpus; i++)
		if (topo[i].core != INVALID_ID)
			printf("%3u:    %4d     %4d     %4d\n", i, (int)topo[i].core,
			       (int)topo[i].socket, (int)topo[i].node);
	free(topo);
	ndevs = pci_devices(&devs);
	if (ndevs < 0 || !(nodes = calloc((size_t)ndevs + 1, sizeof(*nodes))) ||
	    (ndevs > 0 && xc_pcitopoinfo(ctx->xch, (unsigned int)ndevs, devs, nodes) < 0)) {
		fprintf(stderr, "libxl_get_pci_topology failed.\n");
		free(devs);
		free(nodes);
		return;
	}
	printf("device topology        :\n");
	printf("device           node\n");
	for (int i = 0; i < ndevs; i++) {
		if (nodes[i] == INVALID_ID || nodes[i] == INVALID_DEV)
			continue;
		printf("%04x:%02x:%02x.%01x      %d\n", devs[i].seg, devs[i].bus,
		       (devs[i].devfn >> 3) & 0x1f, devs[i].devfn & 7, (int)nodes[i]);
		valid++;
	}
	if (!valid)
		printf("No device topology data available\n");
	free(devs);
	free(nodes);
}

static void print_numainfo(struct lx_ctx *ctx)
{
	xc_meminfo_t *mem = NULL;
	uint32_t *dist = NULL;
	unsigned int n = 0;

	if (xc_numainfo(ctx->xch, &n, NULL, NULL) < 0 || !(mem = calloc(n ? n : 1, sizeof(*mem))) ||
	    !(dist = calloc((size_t)n * n + 1, sizeof(*dist))) ||
	    xc_numainfo(ctx->xch, &n, mem, dist) < 0) {
		fprintf(stderr, "libxl_get_numainfo failed.\n");
		free(mem);
		free(dist);
		return;
	}
	printf("numa_info              :\n");
	printf("node:    memsize    memfree    distances\n");
	for (unsigned int i = 0; i < n; i++) {
		/* Xen marks unknown sizes with a 32-bit ~0, even in 64-bit fields. */
		if (mem[i].memsize == INVALID_ID)
			continue;
		printf("%4u:    %6" PRIu64 "     %6" PRIu64 "      %d", i, mem[i].memsize >> 20,
		       mem[i].memfree == INVALID_ID ? UINT64_MAX >> 20 : mem[i].memfree >> 20,
		       (int)dist[i * n]);
		for (unsigned int j = 1; j < n; j++)
			printf(",%d", (int)dist[i * n + j]);
		printf("\n");
	}
	free(mem);
	free(dist);
}

int main_info(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "numa", 0, 0, 'n' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	const char *filter = NULL;
	struct utsname uts;
	struct lx_ctx ctx;
	int opt, rc = 1, pagesize = 4096;
	bool numa = false;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "hn", opts, "info", 0, &rc)) > 0)
		if (opt == 'n')
			numa = true;
	if (opt == 0)
		return rc;
	/* A key picks one line, except with -n (as xl). */
	if (optind < argc && !numa)
		filter = argv[optind];
	if (xl_dom_open(&ctx, "info") < 0)
		return 1;
	/* xl info prints what it could get and succeeds, as Xen's does. */
	if (uname(&uts) == 0) {
		info_line(filter, "host                   : %s\n", uts.nodename);
		info_line(filter, "release                : %s\n", uts.release);
		info_line(filter, "version                : %s\n", uts.version);
		info_line(filter, "machine                : %s\n", uts.machine);
	}
	pagesize = xc_version(ctx.xch, XENVER_pagesize, NULL);
	print_physinfo(&ctx, filter, pagesize > 0 ? (unsigned int)pagesize : 4096);
	if (numa) {
		fflush(stdout);
		print_topology(&ctx);
		print_numainfo(&ctx);
	}
	print_xeninfo(&ctx, filter);
	info_line(filter, "xend_config_format     : 4\n");
	lx_close(&ctx);
	return fflush(stdout) ? 1 : 0;
}
