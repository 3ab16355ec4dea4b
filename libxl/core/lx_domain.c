/* Creating and destroying PVH and PV domains. Create checks what a user can fix
 * first (name in use, kernel unusable, not enough memory), then builds;
 * any failure after the domain exists unwinds it completely. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include <xenguest.h>
#include <xen/hvm/params.h>
#include "lx.h"
#include "lx_device.h"

#define PAGE_KB 4

void lx_debug(struct lx_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->verbose < 3)
		return;
	fputs("libxl: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Create-step timing for xl -vvv: each call reports the time since the
 * previous one. */
struct lx_timer {
	struct lx_ctx *ctx;
	struct timespec last;
};

static void timer_step(void *arg, const char *step)
{
	struct lx_timer *t = arg;
	struct timespec now;

	if (t->ctx->verbose < 3)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	lx_debug(t->ctx, "create: %s: %ld ms", step,
		 (long)((now.tv_sec - t->last.tv_sec) * 1000 +
			(now.tv_nsec - t->last.tv_nsec) / 1000000));
	t->last = now;
}

int lx_open(struct lx_ctx *ctx, char *err, size_t errlen)
{
	ctx->verbose = 0;
	ctx->xs = xs_open(0);
	if (!ctx->xs)
		return lx_fail(err, errlen, "cannot connect to xenstored (%s): is it running? "
			    "Start it with /etc/init.d/xencommons start", strerror(errno));
	ctx->watching = false;
	ctx->xch = xc_interface_open(NULL, NULL, 0);
	if (!ctx->xch) {
		xs_close(ctx->xs);
		ctx->xs = NULL;
		return lx_fail(err, errlen, "cannot open /dev/xen/privcmd (%s): not a Xen dom0?",
			    strerror(errno));
	}
	return 0;
}

void lx_close(struct lx_ctx *ctx)
{
	xc_interface_close(ctx->xch);
	if (ctx->xs)
		xs_close(ctx->xs);
	ctx->xch = NULL;
	ctx->xs = NULL;
}

int lx_domain_by_name(struct lx_ctx *ctx, const char *name, uint32_t *domid)
{
	unsigned int n, i, len;
	char **doms = xs_directory(ctx->xs, XBT_NULL, "/local/domain", &n);
	int rc = -1;

	for (i = 0; doms && i < n && rc < 0; i++) {
		char path[64], *v;

		snprintf(path, sizeof(path), "/local/domain/%s/name", doms[i]);
		v = xs_read(ctx->xs, XBT_NULL, path, &len);
		if (v && !strcmp(v, name)) {
			*domid = (uint32_t)strtoul(doms[i], NULL, 10);
			rc = 0;
		}
		free(v);
	}
	free(doms);
	if (rc < 0)
		errno = ENOENT;
	return rc;
}

static uint8_t *read_whole(const char *path, size_t *size, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		lx_fail(err, errlen, "ramdisk %s: %s", path, strerror(errno));
		goto out;
	}
	buf = malloc((size_t)st.st_size ? (size_t)st.st_size : 1);
	while (buf && got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	if (!buf || got != (size_t)st.st_size) {
		lx_fail(err, errlen, "ramdisk %s: short read", path);
		free(buf);
		buf = NULL;
	}
	*size = got;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

void lx_uuid_format(const uint8_t u[16], char out[37])
{
	uuid_unparse_lower(u, out);
}

/* Paging pool for the guest's nested page tables, sized like libxl's
 * default shadow memory: 4 KiB per (256 per vCPU + 2 per MiB of RAM). */
static uint64_t paging_pool_bytes(const struct lx_domain_spec *s, uint64_t maxmem_kb)
{
	return 4096ULL * (256ULL * s->vcpus + 2ULL * (maxmem_kb / 1024));
}

/* libxl's CPUID policy: invariant TSC only when always emulated (or
 * migration is disabled, which PVH guests here cannot ask for). A
 * hypervisor without CPU policies (ENOSYS) keeps its own. */
static int apply_cpuid_policy(struct lx_ctx *ctx, uint32_t domid, const struct lx_domain_spec *spec)
{
	if (xc_cpuid_apply_policy(ctx->xch, domid, false, NULL, 0, true,
				  spec->tsc_mode == XEN_CPUID_TSC_MODE_ALWAYS_EMULATE, false,
				  NULL) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	lx_debug(ctx, "create: the hypervisor has no CPU policy interface; default kept");
	return 0;
}

/* One vCPU's set as a hypervisor cpumap: bits past the host's pCPUs are
 * dropped; a set naming none of them is an error, as in libxl. */
static int cpuset_to_map(const struct lx_cpuset *set, xc_cpumap_t map, int mapsize,
			 uint32_t max_cpu_id)
{
	bool any = false;

	memset(map, 0, (size_t)mapsize);
	for (uint32_t cpu = 0; cpu <= max_cpu_id && cpu / 8 < (uint32_t)mapsize; cpu++)
		if (cpu / 8 < set->size && (set->map[cpu / 8] & (1u << (cpu % 8)))) {
			map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
			any = true;
		}
	return any ? 0 : -1;
}

/* libxl applies cpus= / cpus_soft= to each vCPU before the guest runs. */
static int apply_affinity(struct lx_ctx *ctx, uint32_t domid, const struct lx_domain_spec *spec,
			  uint32_t max_cpu_id, char *err, size_t errlen)
{
	int mapsize = xc_get_cpumap_size(ctx->xch), rc = -1;
	xc_cpumap_t hard = NULL, soft = NULL;

	if (!spec->n_hard_affinity && !spec->n_soft_affinity)
		return 0;
	if (mapsize <= 0 || !(hard = xc_cpumap_alloc(ctx->xch)) ||
	    !(soft = xc_cpumap_alloc(ctx->xch))) {
		lx_fail(err, errlen, "reading the host's CPU map size: %s", strerror(errno));
		goto out;
	}
	for (unsigned int v = 0; v < spec->vcpus; v++) {
		bool h = v < spec->n_hard_affinity && spec->hard_affinity[v].size;
		bool s = v < spec->n_soft_affinity && spec->soft_affinity[v].size;
		uint32_t flags = (h ? XEN_VCPUAFFINITY_HARD : 0) | (s ? XEN_VCPUAFFINITY_SOFT : 0);

		if (!flags)
			continue;
		if (h && cpuset_to_map(&spec->hard_affinity[v], hard, mapsize, max_cpu_id) < 0) {
			lx_fail(err, errlen, "cpus: vCPU %u would run on no CPU of this host", v);
			goto out;
		}
		if (s && cpuset_to_map(&spec->soft_affinity[v], soft, mapsize, max_cpu_id) < 0) {
			lx_fail(err, errlen, "cpus_soft: vCPU %u names no CPU of this host", v);
			goto out;
		}
		if (xc_vcpu_setaffinity(ctx->xch, domid, (int)v, hard, soft, flags) < 0) {
			lx_fail(err, errlen, "setting the CPU affinity of vCPU %u: %s", v,
				strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	free(hard);
	free(soft);
	return rc;
}

int lx_domain_create(struct lx_ctx *ctx, const struct lx_domain_spec *spec,
			 uint32_t *domid_out, char *err, size_t errlen)
{
	struct xen_domctl_createdomain cd = {
		.flags = spec->pv ? 0 : XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = spec->vcpus,
		.max_evtchn_port = 1023,
		.max_grant_frames = 64,
		.max_maptrack_frames = 1024,
		.grant_opts = 1,
		/* A PV guest has no emulated devices at all. */
		.arch = { .emulation_flags = spec->pv ? 0 : XEN_X86_EMU_LAPIC },
	};
	uint64_t maxmem_kb = spec->maxmem_kb ? spec->maxmem_kb : spec->memory_kb;
	/* PV guests' page tables are their own: no paging pool. */
	uint64_t pool = spec->pv ? 0 : paging_pool_bytes(spec, maxmem_kb);
	struct xg_kernel kernel = { 0 };
	struct xg_pvh_config cfg;
	struct xg_pvh_result res;
	xc_physinfo_t phys;
	uint8_t *ramdisk = NULL;
	size_t ramdisk_size = 0;
	uint32_t domid = 0, other;
	uint64_t need_kb, free_kb;
	char uuid[37], why[512];
	int created = 0, rc = -1;
	bool cached;
	struct lx_timer timer = { .ctx = ctx };

	clock_gettime(CLOCK_MONOTONIC, &timer.last);

	if (!spec->name || !spec->name[0] || strchr(spec->name, '/'))
		return lx_fail(err, errlen, "domain name '%s' is not valid", spec->name ? spec->name : "");
	if (lx_domain_by_name(ctx, spec->name, &other) == 0)
		return lx_fail(err, errlen, "domain name '%s' is already in use by domain %u",
			    spec->name, other);
	if (spec->memory_kb == 0 || maxmem_kb < spec->memory_kb)
		return lx_fail(err, errlen, "memory %llu KiB with maxmem %llu KiB is not valid",
			    (unsigned long long)spec->memory_kb, (unsigned long long)maxmem_kb);
	if (xc_physinfo(ctx->xch, &phys) < 0)
		return lx_fail(err, errlen, "reading host memory: %s", strerror(errno));
	need_kb = spec->memory_kb + pool / 1024 + 64;
	free_kb = phys.free_pages * PAGE_KB;
	if (need_kb > free_kb)
		return lx_fail(err, errlen, "not enough free memory for '%s': it needs %llu MiB, "
			    "%llu MiB are free", spec->name, (unsigned long long)(need_kb >> 10),
			    (unsigned long long)(free_kb >> 10));
	timer_step(&timer, "checks");
	if (xg_kernel_open_cached(spec->kernel, LX_KERNEL_CACHE_DIR, &kernel, &cached, why,
				  sizeof(why)) < 0)
		return lx_fail(err, errlen, "%s", why);
	timer_step(&timer, cached ? "kernel read (unpacked copy from " LX_KERNEL_CACHE_DIR ")"
				  : "kernel read and unpacked");
	if (spec->pv ? !kernel.has_pv : !kernel.has_pvh) {
		lx_fail(err, errlen, "kernel %s has no %s entry point (Xen ELF note %s): it was "
			"built without CONFIG_XEN_%s and cannot boot as a %s guest%s", spec->kernel,
			spec->pv ? "PV" : "PVH", spec->pv ? "ENTRY" : "PHYS32_ENTRY",
			spec->pv ? "PV" : "PVH", spec->pv ? "PV" : "PVH",
			spec->pv ? " (it can boot as PVH: type = \"pvh\")"
				 : " (it can boot as PV: type = \"pv\")");
		goto out;
	}
	if (spec->ramdisk && !(ramdisk = read_whole(spec->ramdisk, &ramdisk_size, err, errlen)))
		goto out;
	timer_step(&timer, "ramdisk read");

	if (xc_domain_create(ctx->xch, &domid, &cd) < 0) {
		lx_fail(err, errlen, "creating domain '%s': %s", spec->name, strerror(errno));
		goto out;
	}
	created = 1;
	if (xc_domain_max_vcpus(ctx->xch, domid, spec->vcpus) < 0 ||
	    (!spec->pv &&
	     xc_hvm_param_set(ctx->xch, domid, HVM_PARAM_TIMER_MODE, spec->timer_mode) < 0) ||
	    xc_domain_setmaxmem(ctx->xch, domid, maxmem_kb + 1024) < 0 ||
	    (!spec->pv && xc_domain_set_paging_mempool_size(ctx->xch, domid, pool) < 0) ||
	    xc_domain_sethandle(ctx->xch, domid, spec->uuid) < 0 ||
	    /* As libxl: once the vCPUs exist, so vCPU 0's TSC offset is set
	     * by the same rule as everything else of the mode. */
	    xc_domain_set_tsc_info(ctx->xch, domid, spec->tsc_mode, 0, 0, 0) < 0 ||
	    apply_cpuid_policy(ctx, domid, spec) < 0) {
		lx_fail(err, errlen, "setting up domain %u: %s", domid, strerror(errno));
		goto out;
	}
	cfg = (struct xg_pvh_config){
		.domid = domid, .mem_bytes = spec->memory_kb * 1024,
		.maxmem_bytes = maxmem_kb * 1024, .vcpus = spec->vcpus,
		.kernel = &kernel, .ramdisk = ramdisk, .ramdisk_size = ramdisk_size,
		.cmdline = spec->cmdline, .console_domid = 0, .store_domid = 0,
		.progress = timer_step, .progress_arg = &timer,
	};
	if (apply_affinity(ctx, domid, spec, phys.max_cpu_id, err, errlen) < 0)
		goto out;
	timer_step(&timer, "domain created and configured");
	if ((spec->pv ? xg_pv_build : xg_pvh_build)(ctx->xch, &cfg, &res, why, sizeof(why)) < 0) {
		lx_fail(err, errlen, "building domain %u: %s", domid, why);
		goto out;
	}
	lx_uuid_format(spec->uuid, uuid);
	if (lx_xs_write_domain(ctx, domid, spec, uuid, res.store_pfn, res.store_port,
			       res.console_pfn, res.console_port, err, errlen) < 0)
		goto out;
	timer_step(&timer, "xenstore entries written");
	if (!xs_introduce_domain(ctx->xs, domid, res.store_pfn, res.store_port)) {
		lx_fail(err, errlen, "introducing domain %u to xenstored: %s", domid, strerror(errno));
		goto out;
	}
	timer_step(&timer, "introduced to xenstored");
	/* Devices: backends ready before the guest runs. */
	if (lx_devices_add(ctx, domid, spec->disks, spec->ndisks, spec->nics, spec->nnics, err,
			   errlen) < 0)
		goto out;
	timer_step(&timer, "devices added");
	if (!spec->paused && xc_domain_unpause(ctx->xch, domid) < 0) {
		lx_fail(err, errlen, "starting domain %u: %s", domid, strerror(errno));
		goto out;
	}
	*domid_out = domid;
	rc = 0;
out:
	if (rc < 0 && created) {
		/* Leave nothing of a failed create behind. */
		xc_domain_destroy(ctx->xch, domid);
		lx_devices_remove_all(ctx, domid);
		lx_xs_remove_domain(ctx, domid);
		lx_userdata_remove_all(domid);
	}
	free(ramdisk);
	xg_kernel_close(&kernel);
	return rc;
}

int lx_domain_destroy(struct lx_ctx *ctx, uint32_t domid, char *err, size_t errlen)
{
	xc_domaininfo_t info;

	if (domid == 0)
		return lx_fail(err, errlen, "domain 0 cannot be destroyed");
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0)
		return lx_fail(err, errlen, "domain %u: %s", domid, strerror(errno));
	xc_domain_pause(ctx->xch, domid);
	if (xc_domain_destroy(ctx->xch, domid) < 0)
		return lx_fail(err, errlen, "destroying domain %u: %s", domid, strerror(errno));
	lx_devices_remove_all(ctx, domid);
	lx_xs_remove_domain(ctx, domid);
	lx_userdata_remove_all(domid);
	return 0;
}

/* libxl's per-domain "userdata" files: XEN_LIB_DIR/userdata-d.DOMID.UUID.KEY
 * (the domain config as JSON under "libxl-json", which `xl list -l` reads). */
int lx_userdata_store(uint32_t domid, const uint8_t uuid[16], const char *key,
		      const void *data, size_t len)
{
	char u[37], path[256], tmp[272];
	int fd, rc = -1;

	lx_uuid_format(uuid, u);
	mkdir(LX_LIB_DIR, 0755);
	snprintf(path, sizeof(path), LX_LIB_DIR "/userdata-d.%u.%s.%s", domid, u, key);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) == (ssize_t)len && fsync(fd) == 0)
		rc = 0;
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

void lx_userdata_remove_all(uint32_t domid)
{
	char prefix[48];
	struct dirent *e;
	DIR *d = opendir(LX_LIB_DIR);
	size_t plen;

	if (!d)
		return;
	plen = (size_t)snprintf(prefix, sizeof(prefix), "userdata-d.%u.", domid);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, plen))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}
