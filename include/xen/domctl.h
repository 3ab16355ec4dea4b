/* Xen 4.17 domctl: the privileged per-domain control hypercall (36).
 * Layouts follow the 4.17 interface (version 0x15); the static asserts pin
 * the sizes and offsets that were measured on real Xen headers. */
#ifndef XEN_PUBLIC_DOMCTL_H
#define XEN_PUBLIC_DOMCTL_H

#include <stddef.h>
#include <stdint.h>
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* A guest handle that is 8 bytes wide for every caller. */
#define XEN_HANDLE64(type) union { type *p; uint64_t v; } __attribute__((aligned(8)))

typedef uint8_t xen_domain_handle_t[16];

struct xenctl_bitmap {
	XEN_HANDLE64(uint8_t) bitmap;
	uint32_t nr_bits;
};

#define XEN_DOMCTL_createdomain 1
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMCTL_setvcpuaffinity 9
#define XEN_DOMCTL_max_mem 11
#define XEN_DOMCTL_setvcpucontext 12
#define XEN_DOMCTL_getvcpucontext 13
#define XEN_DOMCTL_getvcpuinfo 14
#define XEN_DOMCTL_max_vcpus 15
#define XEN_DOMCTL_scheduler_op 16
#define XEN_DOMCTL_setdomainhandle 17
#define XEN_DOMCTL_hypercall_init 22
#define XEN_DOMCTL_settimeoffset 24
#define XEN_DOMCTL_getvcpuaffinity 25
#define XEN_DOMCTL_resumedomain 27
#define XEN_DOMCTL_sendtrigger 28
#define XEN_DOMCTL_gethvmcontext 33
#define XEN_DOMCTL_sethvmcontext 34
#define XEN_DOMCTL_set_address_size 35
#define XEN_DOMCTL_set_target 46
#define XEN_DOMCTL_gettscinfo 59
#define XEN_DOMCTL_settscinfo 60
#define XEN_DOMCTL_set_virq_handler 66
#define XEN_DOMCTL_setnodeaffinity 68
#define XEN_DOMCTL_getnodeaffinity 69
#define XEN_DOMCTL_get_cpu_policy 82
#define XEN_DOMCTL_set_cpu_policy 83
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86

/* createdomain flags */
#define XEN_DOMCTL_CDF_hvm (1U << 0)
#define XEN_DOMCTL_CDF_hap (1U << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain (1U << 4)
#define XEN_DOMCTL_CDF_iommu (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt (1U << 6)
#define XEN_DOMCTL_CDF_vpmu (1U << 7)

/* x86 emulation flags */
#define XEN_X86_EMU_LAPIC (1U << 0)
#define XEN_X86_EMU_HPET (1U << 1)
#define XEN_X86_EMU_PM (1U << 2)
#define XEN_X86_EMU_RTC (1U << 3)
#define XEN_X86_EMU_IOAPIC (1U << 4)
#define XEN_X86_EMU_PIC (1U << 5)
#define XEN_X86_EMU_VGA (1U << 6)
#define XEN_X86_EMU_IOMMU (1U << 7)
#define XEN_X86_EMU_PIT (1U << 8)
#define XEN_X86_EMU_USE_PIRQ (1U << 9)
#define XEN_X86_EMU_VPCI (1U << 10)

struct xen_arch_domainconfig {
	uint32_t emulation_flags;
	uint32_t misc_flags;
};

struct xen_domctl_createdomain {
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t flags;
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;
	int32_t max_maptrack_frames;
	uint32_t grant_opts;
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	struct xen_arch_domainconfig arch;
};

/* getdomaininfo flags */
#define XEN_DOMINF_dying (1U << 0)
#define XEN_DOMINF_hvm_guest (1U << 1)
#define XEN_DOMINF_shutdown (1U << 2)
#define XEN_DOMINF_paused (1U << 3)
#define XEN_DOMINF_blocked (1U << 4)
#define XEN_DOMINF_running (1U << 5)
#define XEN_DOMINF_debugged (1U << 6)
#define XEN_DOMINF_xs_domain (1U << 7)
#define XEN_DOMINF_hap (1U << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask 0xff

struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags;
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;
	uint64_t cpu_time;
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;

struct xen_domctl_max_mem {
	uint64_t max_memkb;
};

struct xen_domctl_max_vcpus {
	uint32_t max;
};

struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;
	uint8_t online;
	uint8_t blocked;
	uint8_t running;
	uint64_t cpu_time;
	uint32_t cpu;
};

#define XEN_VCPUAFFINITY_HARD (1U << 0)
#define XEN_VCPUAFFINITY_SOFT (1U << 1)
#define XEN_VCPUAFFINITY_FORCE (1U << 2)

struct xen_domctl_vcpuaffinity {
	uint32_t vcpu;
	uint32_t flags;
	struct xenctl_bitmap cpumap_hard;
	struct xenctl_bitmap cpumap_soft;
};

struct xen_domctl_setdomainhandle {
	xen_domain_handle_t handle;
};

struct xen_domctl_hvmcontext {
	uint32_t size;
	XEN_HANDLE64(uint8_t) buffer;
};

struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	XEN_HANDLE64(void) ctxt;
};

/* PV: Xen writes its hypercall stubs into the guest frame gmfn. */
struct xen_domctl_hypercall_init {
	uint64_t gmfn;
};

/* PV: 32 or 64 (the default): the guest's word size. */
struct xen_domctl_address_size {
	uint32_t size;
};

/* tsc_mode of XEN_DOMCTL_settscinfo. */
#define XEN_CPUID_TSC_MODE_DEFAULT 0
#define XEN_CPUID_TSC_MODE_ALWAYS_EMULATE 1
#define XEN_CPUID_TSC_MODE_NEVER_EMULATE 2

struct xen_domctl_tsc_info {
	uint32_t tsc_mode;
	uint32_t gtsc_khz;
	uint32_t incarnation;
	uint32_t pad;
	uint64_t elapsed_nsec;
};

struct xen_domctl_paging_mempool {
	uint64_t size;
};

/* One CPUID leaf of a serialised CPU policy; subleaf XEN_CPUID_NO_SUBLEAF
 * for leaves without one. */
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
struct xen_cpuid_leaf {
	uint32_t leaf, subleaf;
	uint32_t a, b, c, d;
};

struct xen_msr_entry {
	uint32_t idx;
	uint32_t flags;			/* must be zero */
	uint64_t val;
};

/* XEN_DOMCTL_get_cpu_policy / set_cpu_policy. Null handles on get ask
 * for the counts; on a refused set, err_* name the offending entry. */
struct xen_domctl_cpu_policy {
	uint32_t nr_leaves;
	uint32_t nr_msrs;
	XEN_HANDLE64(struct xen_cpuid_leaf) leaves;
	XEN_HANDLE64(struct xen_msr_entry) msrs;
	uint32_t err_leaf, err_subleaf, err_msr;
};

/* XEN_DOMCTL_setnodeaffinity / getnodeaffinity: the NUMA nodes a
 * domain's memory should come from. */
struct xen_domctl_nodeaffinity {
	struct xenctl_bitmap nodemap;
};

/* XEN_DOMCTL_scheduler_op: a domain's parameters under its scheduler. */
#define XEN_SCHEDULER_CREDIT 5
#define XEN_SCHEDULER_CREDIT2 6
#define XEN_DOMCTL_SCHEDOP_putinfo 0
#define XEN_DOMCTL_SCHEDOP_getinfo 1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

struct xen_domctl_scheduler_op {
	uint32_t sched_id; /* XEN_SCHEDULER_* */
	uint32_t cmd; /* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct xen_domctl_sched_credit {
			uint16_t weight;
			uint16_t cap; /* % of one pCPU, 0 = none; ~0 on put = unchanged */
		} credit;
		uint8_t pad[16];
	} u;
};

struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	domid_t domain;
	uint16_t _pad[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		struct xen_domctl_setdomainhandle setdomainhandle;
		struct xen_domctl_hvmcontext hvmcontext;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_hypercall_init hypercall_init;
		struct xen_domctl_address_size address_size;
		struct xen_domctl_tsc_info tsc_info;
		struct xen_domctl_paging_mempool paging_mempool;
		struct xen_domctl_cpu_policy cpu_policy;
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_nodeaffinity nodeaffinity;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl is 144 bytes");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "domctl payload at 16");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain is 64 bytes");
_Static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56, "createdomain.arch");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo is 112 bytes");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "getdomaininfo.handle");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96, "getdomaininfo.gpaddr_bits");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104, "getdomaininfo.arch_config");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo is 24 bytes");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16, "getvcpuinfo.cpu");
_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40, "vcpuaffinity is 40 bytes");
_Static_assert(sizeof(struct xen_domctl_hvmcontext) == 16, "hvmcontext is 16 bytes");
_Static_assert(sizeof(struct xen_domctl_tsc_info) == 24, "tsc_info is 24 bytes");
_Static_assert(sizeof(struct xen_domctl_cpu_policy) == 40, "cpu_policy is 40 bytes");
_Static_assert(offsetof(struct xen_domctl_cpu_policy, err_leaf) == 24, "cpu_policy.err_leaf");
_Static_assert(sizeof(struct xen_cpuid_leaf) == 24, "xen_cpuid_leaf is 24 bytes");
_Static_assert(sizeof(struct xen_msr_entry) == 16, "xen_msr_entry is 16 bytes");

#endif
