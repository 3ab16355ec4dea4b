/* xl's domain lifecycle commands on the lifecycle core (libxl/core):
 * creating a parsed config, domain arguments, destroy. PVH guests only,
 * so far. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lx.h"
#include "xl.h"

/* The parsed cpus=/cpus_soft= sets as lx_cpusets (NULL when none). */
static struct lx_cpuset *cpusets(const libxl_bitmap *maps, int n)
{
	struct lx_cpuset *sets;

	if (n <= 0 || !maps)
		return NULL;
	sets = calloc((size_t)n, sizeof(*sets));
	if (!sets)
		return NULL;
	for (int i = 0; i < n; i++)
		sets[i] = (struct lx_cpuset){ .size = maps[i].size, .map = maps[i].map };
	return sets;
}

/* Whether the hypervisor builds 64-bit PV guests: Xen lists
 * "xen-3.0-x86_64" in its capabilities when it was built with PV. */
static bool hypervisor_runs_pv(struct lx_ctx *ctx)
{
	xen_capabilities_info_t caps;

	memset(caps, 0, sizeof(caps));
	if (xc_version(ctx->xch, XENVER_capabilities, &caps) < 0) {
		fprintf(stderr, "xl create: asking the hypervisor its capabilities: %s\n",
			strerror(errno));
		return false;
	}
	caps[sizeof(caps) - 1] = '\0';
	for (char *t = caps, *end; *t; t = end) {
		while (*t == ' ')
			t++;
		end = t + strcspn(t, " ");
		if ((size_t)(end - t) == strlen("xen-3.0-x86_64") &&
		    !strncmp(t, "xen-3.0-x86_64", (size_t)(end - t)))
			return true;
	}
	fprintf(stderr, "xl create: this config describes a PV guest (type = \"pv\", or no "
		"type= and no builder=), and this hypervisor cannot run PV guests (its "
		"capabilities: %s); boot the kernel as type = \"pvh\" instead\n", caps);
	return false;
}

/* Creates the domain `xl create` parsed, paused: the caller unpauses it
 * once its console and monitor are ready. Prints like Xen's xl. */
int xl_domain_create_paused(struct lx_ctx *ctx, const libxl_domain_config *dc, bool console,
			    uint32_t *domid)
{
	const libxl_domain_build_info *b = &dc->b_info;
	struct lx_domain_spec spec = { 0 };
	struct xl_boot boot;
	struct lx_cpuset *hard, *soft;
	char err[1024], *json;
	int rc;

	if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM) {
		fprintf(stderr, "xl create: HVM guests (type=\"hvm\", builder=\"hvm\") cannot "
			"be started yet: there is no device model; type=\"pvh\" and "
			"type=\"pv\" guests can\n");
		return -1;
	}
	spec.pv = dc->c_info.type == LIBXL_DOMAIN_TYPE_PV;
	if (!b->kernel && !b->bootloader) {
		fprintf(stderr, "xl create: a %s guest needs kernel= or bootloader=\n",
			spec.pv ? "PV" : "PVH");
		return -1;
	}
	/* Before the bootloader runs: nothing to undo. */
	if (spec.pv && !hypervisor_runs_pv(ctx))
		return -1;
	spec.name = dc->c_info.name;
	memcpy(spec.uuid, dc->c_info.uuid.uuid, sizeof(spec.uuid));
	spec.memory_kb = b->target_memkb;
	spec.maxmem_kb = b->max_memkb;
	spec.vcpus = b->max_vcpus > 0 ? (unsigned int)b->max_vcpus : 1;
	spec.kernel = b->kernel;
	spec.ramdisk = b->ramdisk;
	spec.cmdline = b->cmdline;
	spec.paused = true;
	/* libxl's default is "no_delay_for_missed_ticks"; Xen's own (0)
	 * would stop the guest's clock whenever its vCPU is descheduled. */
	spec.timer_mode = b->timer_mode == LIBXL_TIMER_MODE_DEFAULT ?
		LIBXL_TIMER_MODE_NO_DELAY_FOR_MISSED_TICKS : (uint32_t)b->timer_mode;
	switch (b->tsc_mode) {
	case LIBXL_TSC_MODE_ALWAYS_EMULATE:
		spec.tsc_mode = XEN_CPUID_TSC_MODE_ALWAYS_EMULATE;
		break;
	case LIBXL_TSC_MODE_NATIVE:
		spec.tsc_mode = XEN_CPUID_TSC_MODE_NEVER_EMULATE;
		break;
	case LIBXL_TSC_MODE_NATIVE_PARAVIRT:
		fprintf(stderr, "xl create: tsc_mode \"native_paravirt\" (PVRDTSCP) has been "
			"removed from Xen\n");
		return -1;
	default:
		spec.tsc_mode = XEN_CPUID_TSC_MODE_DEFAULT;
		break;
	}
	/* cpus= / cpus_soft=, one set per vCPU. */
	hard = cpusets(b->vcpu_hard_affinity, b->num_vcpu_hard_affinity);
	soft = cpusets(b->vcpu_soft_affinity, b->num_vcpu_soft_affinity);
	if ((b->num_vcpu_hard_affinity > 0 && !hard) || (b->num_vcpu_soft_affinity > 0 && !soft)) {
		fprintf(stderr, "xl create: out of memory\n");
		free(hard);
		free(soft);
		return -1;
	}
	spec.hard_affinity = hard;
	spec.n_hard_affinity = hard ? (unsigned int)b->num_vcpu_hard_affinity : 0;
	spec.soft_affinity = soft;
	spec.n_soft_affinity = soft ? (unsigned int)b->num_vcpu_soft_affinity : 0;
	/* Last before the build: the bootloader's copies are removed once
	 * the builder has read them. */
	if (xl_bootloader_run(dc, console, &boot) < 0) {
		free(hard);
		free(soft);
		return -1;
	}
	if (boot.kernel) {
		/* the bootloader's choice replaces kernel=, ramdisk= and the
		 * command line, as in libxl */
		spec.kernel = boot.kernel;
		spec.ramdisk = boot.ramdisk;
		spec.cmdline = boot.cmdline;
	}
	/* disk= and vif= for the device layer (xl_devices.c). */
	rc = xl_devices_spec(dc, &spec, err, sizeof(err));
	if (rc == 0)
		rc = lx_domain_create(ctx, &spec, domid, err, sizeof(err));
	xl_devices_spec_free(&spec);
	xl_bootloader_done(&boot);
	free(hard);
	free(soft);
	if (rc < 0) {
		fprintf(stderr, "xl create: %s\n", err);
		return -1;
	}
	/* Kept as libxl does, for `xl list -l` and restarts. */
	json = libxl_domain_config_to_json(NULL, dc);
	if (!json || lx_userdata_store(*domid, spec.uuid, "libxl-json", json, strlen(json)) < 0) {
		fprintf(stderr, "xl create: storing the config of domain %u in %s: %s\n", *domid,
			LX_LIB_DIR, strerror(errno));
		free(json);
		lx_domain_destroy(ctx, *domid, err, sizeof(err));
		return -1;
	}
	free(json);
	return 0;
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
	if (xl_dom_resolve(&ctx, argv[1], &domid) == 0) {
		if (lx_domain_destroy(&ctx, domid, err, sizeof(err)) < 0)
			fprintf(stderr, "xl destroy: %s\n", err);
		else
			rc = 0;
	}
	lx_close(&ctx);
	return rc;
}
