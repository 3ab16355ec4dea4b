/* Xen 4.17 public ABI: hypercall numbers, domain ids and the shared_info
 * page.  Written for Xenolith from the published layouts; usable from the
 * freestanding hypervisor and from hosted tools (only <stdint.h> types). */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include <stdint.h>

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;
typedef unsigned long xen_ulong_t;

#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF 0x7FF0U
#define DOMID_IO 0x7FF1U
#define DOMID_XEN 0x7FF2U
#define DOMID_COW 0x7FF3U
#define DOMID_INVALID 0x7FF4U
#define DOMID_IDLE 0x7FFFU
#define DOMID_MASK 0x7FFFU

#define __HYPERVISOR_set_trap_table 0
#define __HYPERVISOR_mmu_update 1
#define __HYPERVISOR_set_gdt 2
#define __HYPERVISOR_stack_switch 3
#define __HYPERVISOR_set_callbacks 4
#define __HYPERVISOR_fpu_taskswitch 5
#define __HYPERVISOR_sched_op_compat 6
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_set_debugreg 8
#define __HYPERVISOR_get_debugreg 9
#define __HYPERVISOR_update_descriptor 10
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_update_va_mapping 14
#define __HYPERVISOR_set_timer_op 15
#define __HYPERVISOR_event_channel_op_compat 16
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_physdev_op_compat 19
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret 23
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_set_segment_base 25
#define __HYPERVISOR_mmuext_op 26
#define __HYPERVISOR_xsm_op 27
#define __HYPERVISOR_nmi_op 28
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_callback_op 30
#define __HYPERVISOR_xenoprof_op 31
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36
#define __HYPERVISOR_kexec_op 37
#define __HYPERVISOR_tmem_op 38
#define __HYPERVISOR_argo_op 39
#define __HYPERVISOR_xenpmu_op 40
#define __HYPERVISOR_dm_op 41
#define __HYPERVISOR_hypfs_op 42
#define __HYPERVISOR_arch_0 48

/* console_io commands */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* vm_assist */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_runstate_update_flag 5

#define XEN_LEGACY_MAX_VCPUS 32

/* Guest-visible time, binary-compatible with the pvclock layout. */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED (1 << 1)

struct arch_vcpu_info {
	unsigned long cr2;
	unsigned long pad;
};

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad0[6];
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

struct arch_shared_info {
	unsigned long max_pfn;
	xen_pfn_t pfn_to_mfn_frame_list_list;
	unsigned long nmi_reason;
	unsigned long p2m_cr3;
	unsigned long p2m_vaddr;
	unsigned long p2m_generation;
};

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

/* Start-of-day flags shared by PV start_info and PVH hvm_start_info. */
#define SIF_PRIVILEGED (1 << 0)
#define SIF_INITDOMAIN (1 << 1)
#define SIF_MULTIBOOT_MOD (1 << 2)
#define SIF_MOD_START_PFN (1 << 3)
#define SIF_VIRT_P2M_4TOOLS (1 << 4)
#define SIF_PM_MASK (0xFF << 8)

struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};

/* mmuext_op commands (the ones a domain builder issues). */
#define MMUEXT_PIN_L1_TABLE 0
#define MMUEXT_PIN_L2_TABLE 1
#define MMUEXT_PIN_L3_TABLE 2
#define MMUEXT_PIN_L4_TABLE 3
#define MMUEXT_UNPIN_TABLE 4
#define MMUEXT_NEW_BASEPTR 5

struct mmuext_op {
	uint32_t cmd;
	uint32_t pad;
	union {
		xen_pfn_t mfn;
		uint64_t linear_addr;
	} arg1;
	union {
		uint32_t nr_ents;
		uint64_t vcpumask;
		xen_pfn_t src_mfn;
	} arg2;
};

/* What a PV guest finds at %rsi on entry (x86-64 layout). */
#define MAX_GUEST_CMDLINE 1024
struct start_info {
	char magic[32];			/* "xen-3.0-x86_64" */
	uint64_t nr_pages;
	uint64_t shared_info;		/* machine address */
	uint32_t flags;			/* SIF_* */
	uint32_t pad0;
	xen_pfn_t store_mfn;
	uint32_t store_evtchn;
	uint32_t pad1;
	union {
		struct {
			xen_pfn_t mfn;
			uint32_t evtchn;
			uint32_t pad;
		} domU;
		struct {
			uint32_t info_off;
			uint32_t info_size;
		} dom0;
	} console;
	uint64_t pt_base;		/* virtual address of the top page table */
	uint64_t nr_pt_frames;
	uint64_t mfn_list;		/* virtual address of the p2m list */
	uint64_t mod_start;		/* virtual address (or pfn) of the ramdisk */
	uint64_t mod_len;
	int8_t cmd_line[MAX_GUEST_CMDLINE];
	uint64_t first_p2m_pfn;
	uint64_t nr_p2m_frames;
};

_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op is 24 bytes");
_Static_assert(__builtin_offsetof(struct start_info, pt_base) == 88, "start_info.pt_base");
_Static_assert(__builtin_offsetof(struct start_info, cmd_line) == 128, "start_info.cmd_line");
_Static_assert(sizeof(struct start_info) == 1168, "start_info is 1168 bytes");

#endif
