/* Xen 4.17 sysctl: the privileged host-wide control hypercall (35),
 * interface version 0x15. */
#ifndef XEN_PUBLIC_SYSCTL_H
#define XEN_PUBLIC_SYSCTL_H

#include <stddef.h>
#include <stdint.h>
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_sched_id 4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_getcpuinfo 8
#define XEN_SYSCTL_cputopoinfo 16
#define XEN_SYSCTL_numainfo 17
#define XEN_SYSCTL_cpupool_op 18
#define XEN_SYSCTL_scheduler_op 19
#define XEN_SYSCTL_get_cpu_featureset 26
#define XEN_SYSCTL_get_cpu_policy 29

struct xen_sysctl_readconsole {
	uint8_t clear;
	uint8_t incremental;
	uint8_t pad0;
	uint8_t pad1;
	uint32_t index;
	XEN_HANDLE64(char) buffer;
	uint32_t count;
};

/* physinfo capabilities */
#define XEN_SYSCTL_PHYSCAP_hvm (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv (1U << 1)
#define XEN_SYSCTL_PHYSCAP_directio (1U << 2)
#define XEN_SYSCTL_PHYSCAP_hap (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow (1U << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2 (1U << 9)

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

/* XEN_SYSCTL_cputopoinfo: where each CPU sits; a NULL array asks only
 * for the count (max_cpu_id + 1), a short one gets -ENOBUFS. */
#define XEN_INVALID_CORE_ID (~0U)
#define XEN_INVALID_SOCKET_ID (~0U)
#define XEN_INVALID_NODE_ID (~0U)
struct xen_sysctl_cputopo {
	uint32_t core;
	uint32_t socket;
	uint32_t node;
};

struct xen_sysctl_cputopoinfo {
	uint32_t num_cpus;
	XEN_HANDLE64(struct xen_sysctl_cputopo) cputopo;
};

/* XEN_SYSCTL_numainfo: per node memory and the node distance matrix
 * (num_nodes x num_nodes, row-major). */
#define XEN_INVALID_MEM_SZ (~0ULL)
#define XEN_INVALID_NODE_DIST (~0U)
struct xen_sysctl_meminfo {
	uint64_t memsize;
	uint64_t memfree;
};

struct xen_sysctl_numainfo {
	uint32_t num_nodes;
	XEN_HANDLE64(struct xen_sysctl_meminfo) meminfo;
	XEN_HANDLE64(uint32_t) distance;
};

/* XEN_SYSCTL_get_cpu_featureset: feature words in Xen's featureset
 * order; a NULL array asks for the count, a short one is filled and
 * gets -ENOBUFS. */
#define XEN_SYSCTL_cpu_featureset_raw 0
#define XEN_SYSCTL_cpu_featureset_host 1
#define XEN_SYSCTL_cpu_featureset_pv 2
#define XEN_SYSCTL_cpu_featureset_hvm 3
#define XEN_SYSCTL_cpu_featureset_pv_max 4
#define XEN_SYSCTL_cpu_featureset_hvm_max 5
struct xen_sysctl_cpu_featureset {
	uint32_t index;
	uint32_t nr_features;
	XEN_HANDLE64(uint32_t) features;
};

/* XEN_SYSCTL_get_cpu_policy: a system CPUID/MSR policy as the records of
 * XEN_DOMCTL_get_cpu_policy; NULL arrays ask for the sizes. */
#define XEN_SYSCTL_cpu_policy_raw 0
#define XEN_SYSCTL_cpu_policy_host 1
#define XEN_SYSCTL_cpu_policy_pv_max 2
#define XEN_SYSCTL_cpu_policy_hvm_max 3
#define XEN_SYSCTL_cpu_policy_pv_default 4
#define XEN_SYSCTL_cpu_policy_hvm_default 5
struct xen_sysctl_cpu_policy {
	uint32_t index;
	uint32_t nr_leaves;
	uint32_t nr_msrs;
	uint32_t _rsvd;
	XEN_HANDLE64(struct xen_cpuid_leaf) leaves;
	XEN_HANDLE64(struct xen_msr_entry) msrs;
};

struct xen_sysctl_sched_id {
	uint32_t sched_id;
};

struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint32_t max_domains;
	XEN_HANDLE64(struct xen_domctl_getdomaininfo) buffer;
	uint32_t num_domains;
};

struct xen_sysctl_getcpuinfo {
	uint32_t max_cpus;
	XEN_HANDLE64(uint64_t) info;
	uint32_t nr_cpus;
};

#define XEN_SYSCTL_CPUPOOL_OP_CREATE 1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY 2
#define XEN_SYSCTL_CPUPOOL_OP_INFO 3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU 4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU 5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO 7

struct xen_sysctl_cpupool_op {
	uint32_t op;
	uint32_t cpupool_id;
	uint32_t sched_id;
	uint32_t domid;
	uint32_t cpu;
	uint32_t n_dom;
	struct xenctl_bitmap cpumap;
};

/* XEN_SYSCTL_scheduler_op: a cpupool's scheduler-wide parameters. */
#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
#define XEN_SYSCTL_CSCHED_TSLICE_MAX 1000
#define XEN_SYSCTL_CSCHED_TSLICE_MIN 1
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100
#define XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US 100000

struct xen_sysctl_scheduler_op {
	uint32_t cpupool_id;
	uint32_t sched_id; /* XEN_SCHEDULER_* */
	uint32_t cmd; /* XEN_SYSCTL_SCHEDOP_* */
	union {
		struct xen_sysctl_credit_schedule {
			uint32_t tslice_ms;
			uint32_t ratelimit_us;
			uint32_t vcpu_migr_delay_us;
		} sched_credit;
		struct xen_sysctl_credit2_schedule {
			uint32_t ratelimit_us;
		} sched_credit2;
		uint64_t align; /* Xen's arinc653 handle: the union sits at 16 */
		uint8_t pad[16];
	} u;
};

struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_sched_id sched_id;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_getcpuinfo getcpuinfo;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		struct xen_sysctl_numainfo numainfo;
		struct xen_sysctl_cpu_policy cpu_policy;
		struct xen_sysctl_cpu_featureset cpu_featureset;
		struct xen_sysctl_cpupool_op cpupool_op;
		struct xen_sysctl_scheduler_op scheduler_op;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl is 136 bytes");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "sysctl payload at 8");
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole is 24 bytes");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo is 112 bytes");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40, "physinfo.total_pages");
_Static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80, "physinfo.hw_cap");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24, "getdomaininfolist is 24 bytes");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16, "getdomaininfolist.num_domains");
_Static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40, "cpupool_op is 40 bytes");
_Static_assert(offsetof(struct xen_sysctl_scheduler_op, u) == 16, "scheduler_op params at 16");
_Static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16, "cputopoinfo is 16 bytes");
_Static_assert(sizeof(struct xen_sysctl_cputopo) == 12, "cputopo is 12 bytes");
_Static_assert(sizeof(struct xen_sysctl_numainfo) == 24, "numainfo is 24 bytes");
_Static_assert(offsetof(struct xen_sysctl_numainfo, distance) == 16, "numainfo.distance");
_Static_assert(sizeof(struct xen_sysctl_cpu_policy) == 32, "sysctl cpu_policy is 32 bytes");
_Static_assert(sizeof(struct xen_sysctl_cpu_featureset) == 16, "cpu_featureset is 16 bytes");

#endif
