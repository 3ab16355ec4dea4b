/* Xen 4.17 public ABI, x86-64 PV guests: the flat segment selectors Xen's
 * GDT provides, the register frame and the vCPU context that
 * XEN_DOMCTL_setvcpucontext loads.  Written for Xenolith from the
 * published layouts (sizes checked below). */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_X86_64_H
#define XEN_PUBLIC_ARCH_X86_XEN_X86_64_H

#include <stdint.h>

/* A 64-bit PV kernel runs in ring 3: its "kernel" selectors are Xen's
 * ring-3 flat ones (the 64-bit data selector is the null selector). */
#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_DS32 0xe02b
#define FLAT_RING3_DS64 0x0000
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b
#define FLAT_KERNEL_CS FLAT_RING3_CS64
#define FLAT_KERNEL_DS FLAT_RING3_DS64
#define FLAT_KERNEL_SS FLAT_RING3_SS64

/* The guest-visible hypervisor hole of a 64-bit PV address space. */
#define HYPERVISOR_VIRT_START_X86_64 0xFFFF800000000000ULL
#define HYPERVISOR_VIRT_END_X86_64 0xFFFF880000000000ULL

/* vcpu_guest_context.flags */
#define VGCF_i387_valid (1U << 0)
#define VGCF_in_kernel (1U << 2)
#define VGCF_failsafe_disables_events (1U << 3)
#define VGCF_syscall_disables_events (1U << 4)
#define VGCF_online (1U << 5)

struct cpu_user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint32_t error_code;
	uint32_t entry_vector;
	uint64_t rip;
	uint16_t cs, pad0[1];
	uint8_t saved_upcall_mask;
	uint8_t pad1[3];
	uint64_t rflags;
	uint64_t rsp;
	uint16_t ss, pad2[3];
	uint16_t es, pad3[3];
	uint16_t ds, pad4[3];
	uint16_t fs, pad5[3];
	uint16_t gs, pad6[3];
};

struct trap_info {
	uint8_t vector;
	uint8_t flags;		/* bits 0-3: DPL; bit 4: mask events */
	uint16_t cs;
	uint64_t address;
};

struct vcpu_guest_context {
	uint8_t fpu_ctxt[512];	/* FXSAVE image */
	uint64_t flags;		/* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	uint64_t ldt_base, ldt_ents;
	uint64_t gdt_frames[16], gdt_ents;
	uint64_t kernel_ss, kernel_sp;
	uint64_t ctrlreg[8];	/* cr3 in ctrlreg[3]; user cr3 in ctrlreg[1] */
	uint64_t debugreg[8];
	uint64_t event_callback_eip;
	uint64_t failsafe_callback_eip;
	uint64_t syscall_callback_eip;
	uint64_t vm_assist;
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
};

/* cr3 as a PV context carries it: the frame number shifted into place. */
#define xen_pfn_to_cr3(pfn) ((uint64_t)(pfn) << 12)

_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs is 200 bytes");
_Static_assert(sizeof(struct trap_info) == 16, "trap_info is 16 bytes");
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context is 5168 bytes");

#endif
