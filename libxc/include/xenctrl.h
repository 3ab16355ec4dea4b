/* Xenolith's libxenctrl: the control library dom0 tools use to reach the
 * hypervisor through Linux's privcmd driver. Function names, types and the
 * error convention (-1 with errno set) follow Xen 4.17's libxenctrl. */
#ifndef XENCTRL_H
#define XENCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/version.h>

#define XC_PAGE_SHIFT 12
#define XC_PAGE_SIZE (1UL << XC_PAGE_SHIFT)

typedef struct xc_interface_core xc_interface;
typedef struct xentoollog_logger xentoollog_logger;

typedef struct xen_domctl_getdomaininfo xc_domaininfo_t;
typedef struct xen_sysctl_physinfo xc_physinfo_t;
typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;

/* Loggers are accepted for API compatibility; errors go to stderr and to
 * xc_last_error(). */
xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned int open_flags);
int xc_interface_close(xc_interface *xch);
/* Text of the last failure on this handle ("" if none). */
const char *xc_last_error(xc_interface *xch);

/* Raw hypercalls with the argument copied through a hypercall buffer. */
int xc_domctl(xc_interface *xch, struct xen_domctl *domctl);
int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl);
int xc_version(xc_interface *xch, int cmd, void *arg);

/* Domains */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config);
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);
int xc_domain_set_tsc_info(xc_interface *xch, uint32_t domid, uint32_t tsc_mode,
			   uint64_t elapsed_nsec, uint32_t gtsc_khz, uint32_t incarnation);
int xc_domain_sethandle(xc_interface *xch, uint32_t domid,
			const xen_domain_handle_t handle);
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		    xc_vcpuinfo_t *info);
/* Fills up to max_domains records for domains >= first_domain; returns
 * how many, or -1. */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info);
/* Exactly domid, or -1 with errno ESRCH. */
int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
			     xc_domaininfo_t *info);

/* Guest memory and event channels */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start);
int xc_domain_set_paging_mempool_size(xc_interface *xch, uint32_t domid,
				      uint64_t size);
struct xen_cpuid_leaf;
struct xen_msr_entry;
int xc_get_domain_cpu_policy(xc_interface *xch, uint32_t domid, uint32_t *nr_leaves,
			     struct xen_cpuid_leaf *leaves, uint32_t *nr_msrs,
			     struct xen_msr_entry *msrs);
int xc_set_domain_cpu_policy(xc_interface *xch, uint32_t domid, uint32_t nr_leaves,
			     const struct xen_cpuid_leaf *leaves, uint32_t nr_msrs,
			     const struct xen_msr_entry *msrs, uint32_t *err_leaf_p,
			     uint32_t *err_subleaf_p, uint32_t *err_msr_p);
/* What libxl does to a new domain's CPUID policy (topology, PAE, invariant
 * TSC, nested virtualisation); restore, featureset and xend overrides are
 * not supported (EOPNOTSUPP). */
int xc_cpuid_apply_policy(xc_interface *xch, uint32_t domid, bool restore,
			  const uint32_t *featureset, unsigned int nr_features, bool pae,
			  bool itsc, bool nested_virt, const void *xend);
struct xen_e820_entry;
int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid,
			     const struct xen_e820_entry *entries, uint32_t nr);
/* An unbound port in domid that remote_domid may bind; returns the port. */
int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t domid,
			    uint32_t remote_domid);

/* HVM/PVH parameters and save-format context. getcontext with a NULL buf
 * returns the size needed; otherwise the size filled. */
int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t *value);
int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t value);
int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid,
			     uint8_t *buf, uint32_t size);
int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid,
			     const uint8_t *buf, uint32_t size);

/* PV domains (xc_pv.c): word size (32/64), Xen's hypercall stubs written
 * into machine frame gmfn, pinning a page table (MMUEXT_PIN_Ln_TABLE) on
 * the domain's behalf, and a vCPU's initial context. */
struct vcpu_guest_context;
int xc_domain_set_address_size(xc_interface *xch, uint32_t domid, unsigned int bits);
int xc_domain_hypercall_init(xc_interface *xch, uint32_t domid, uint64_t gmfn);
int xc_mmuext_pin(xc_interface *xch, uint32_t domid, unsigned int cmd, uint64_t mfn);
int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       const struct vcpu_guest_context *ctxt);

/* Host */
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);
int xc_sched_id(xc_interface *xch, int *sched_id);
/* Reads the hypervisor console ring (xl dmesg). *pnr_chars is the buffer
 * size in, bytes copied out. */
int xc_readconsolering(xc_interface *xch, char *buffer,
		       unsigned int *pnr_chars, int clear, int incremental,
		       uint32_t *pindex);

/* ---- xl domain management (xc_vcpu.c, xc_misc.c) ---- */

/* CPU bitmaps: CPU n is bit n%8 of byte n/8, xc_get_cpumap_size() bytes
 * (physinfo max_cpu_id + 1 bits, rounded up). */
typedef uint8_t *xc_cpumap_t;
int xc_get_max_cpus(xc_interface *xch);
int xc_get_cpumap_size(xc_interface *xch);
/* A zeroed map of xc_get_cpumap_size() bytes (free()), or NULL. */
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch);

/* flags: XEN_VCPUAFFINITY_HARD and/or _SOFT (and _FORCE on set). On set,
 * the maps named by flags are replaced by the effective affinity. */
int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout, xc_cpumap_t cpumap_soft_inout,
			uint32_t flags);
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft, uint32_t flags);

/* CPUs in no cpupool (free()), or NULL. */
xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch);
/* XENVER_build_id into buf: returns the id's length, or -1 (errno
 * ENOBUFS: buf too small, ENODATA: the hypervisor has none). */
int xc_version_build_id(xc_interface *xch, unsigned char *buf, unsigned int len);
/* Memory sharing counters (pages); negative when Xen lacks the feature. */
long xc_sharing_freed_pages(xc_interface *xch);
long xc_sharing_used_frames(xc_interface *xch);
/* XENMEM_set_pod_target; any of the OUT pointers may be NULL. */
int xc_domain_set_pod_target(xc_interface *xch, uint32_t domid, uint64_t target_pages,
			     uint64_t *tot_pages, uint64_t *pod_cache_pages,
			     uint64_t *pod_entries);

/* ---- schedulers (xc_sched.c): xl sched-credit / sched-credit2 ---- */

/* A domain's weight and cap; credit2 takes the same pair. put on a
 * domain under another scheduler fails with EINVAL. */
int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom);
int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom);
int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
				struct xen_domctl_sched_credit *sdom);
int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
				struct xen_domctl_sched_credit *sdom);
/* A domain's weight and cap under the credit (5) or credit2 (6)
 * scheduler, sched_id as xc_sched_id() reports it. */
int xc_sched_credit_weight_cap(xc_interface *xch, uint32_t domid, uint32_t sched_id,
			       uint16_t *weight, uint16_t *cap);
/* A cpupool's scheduler parameters; set hands back what Xen applied. */
int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *p);
int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *p);
int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
				struct xen_sysctl_credit2_schedule *p);
int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
				struct xen_sysctl_credit2_schedule *p);

typedef struct xc_cpupoolinfo {
	uint32_t cpupool_id;
	uint32_t sched_id;		/* XEN_SCHEDULER_* */
	uint32_t n_dom;
	xc_cpumap_t cpumap;		/* xc_get_cpumap_size() bytes */
} xc_cpupoolinfo_t;
/* The first cpupool with an id >= poolid (callers walk id + 1 until
 * NULL, errno ENOENT), or NULL. Free with xc_cpupool_infofree(). */
xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid);
void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info);

/* Topology. Invalid entries hold ~0U, as Xen reports them. */
typedef struct { uint32_t core, socket, node; } xc_cputopo_t;
typedef struct { uint64_t memsize, memfree; } xc_meminfo_t;
typedef struct { uint16_t seg; uint8_t bus, devfn; } physdev_pci_device_t;
typedef uint8_t *xc_nodemap_t;
int xc_get_max_nodes(xc_interface *xch);
/* NULL arrays: *max_cpus / *max_nodes get the counts. distance is
 * nodes x nodes. */
int xc_cputopoinfo(xc_interface *xch, unsigned int *max_cpus, xc_cputopo_t *cputopo);
int xc_numainfo(xc_interface *xch, unsigned int *max_nodes, xc_meminfo_t *meminfo,
		uint32_t *distance);
/* The NUMA node of each PCI device (~0U unknown, ~0U - 1 no such device). */
int xc_pcitopoinfo(xc_interface *xch, unsigned int num_devs, physdev_pci_device_t *devs,
		   uint32_t *nodes);
/* nodemap: (xc_get_max_nodes() + 7) / 8 bytes. */
int xc_domain_node_getaffinity(xc_interface *xch, uint32_t domid, xc_nodemap_t nodemap);

#endif
