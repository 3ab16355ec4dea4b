/* Xen 4.17 HVM save format (get/sethvmcontext): a sequence of records,
 * each a descriptor followed by its body, ended by an END record. */
#ifndef XEN_PUBLIC_ARCH_X86_HVM_SAVE_H
#define XEN_PUBLIC_ARCH_X86_HVM_SAVE_H

#include <stddef.h>
#include <stdint.h>

struct hvm_save_descriptor {
	uint16_t typecode;
	uint16_t instance;
	uint32_t length;
};

#define HVM_SAVE_CODE_END 0
#define HVM_SAVE_CODE_HEADER 1
#define HVM_SAVE_CODE_CPU 2
#define HVM_SAVE_CODE_PIC 3
#define HVM_SAVE_CODE_IOAPIC 4
#define HVM_SAVE_CODE_LAPIC 5
#define HVM_SAVE_CODE_LAPIC_REGS 6
#define HVM_SAVE_CODE_MTRR 14
#define HVM_SAVE_CODE_CPU_XSAVE 16
#define HVM_SAVE_CODE_CPU_MSR 20
#define HVM_SAVE_CODE_MAX 20

#define HVM_FILE_MAGIC 0x54381286
#define HVM_FILE_VERSION 0x00000001

struct hvm_save_header {
	uint32_t magic;
	uint32_t version;
	uint64_t changeset;
	uint32_t cpuid;
	uint32_t gtsc_khz;
};

struct hvm_hw_cpu {
	uint8_t fpu_regs[512];
	uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t dr0, dr1, dr2, dr3, dr6, dr7;
	uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel, ldtr_sel;
	uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit;
	uint32_t tr_limit, ldtr_limit, idtr_limit, gdtr_limit;
	uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base;
	uint64_t tr_base, ldtr_base, idtr_base, gdtr_base;
	uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes;
	uint32_t ss_arbytes, tr_arbytes, ldtr_arbytes;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t shadow_gs;
	uint64_t msr_flags, msr_lstar, msr_star, msr_cstar, msr_syscall_mask;
	uint64_t msr_efer, msr_tsc_aux;
	uint64_t tsc;
	uint32_t pending_event;
	uint32_t error_code;
	uint32_t flags;
	uint32_t pad0;
};

struct hvm_hw_mtrr {
	uint64_t msr_pat_cr;
	uint64_t msr_mtrr_var[16];
	uint64_t msr_mtrr_fixed[11];
	uint64_t msr_mtrr_cap;
	uint64_t msr_mtrr_def_type;
};

_Static_assert(sizeof(struct hvm_save_descriptor) == 8, "save descriptor");
_Static_assert(sizeof(struct hvm_save_header) == 24, "save header");
_Static_assert(offsetof(struct hvm_hw_cpu, rbx) == 520, "cpu.rbx");
_Static_assert(offsetof(struct hvm_hw_cpu, rip) == 640, "cpu.rip");
_Static_assert(offsetof(struct hvm_hw_cpu, cs_sel) == 736, "cpu.cs_sel");
_Static_assert(offsetof(struct hvm_hw_cpu, cs_limit) == 768, "cpu.cs_limit");
_Static_assert(offsetof(struct hvm_hw_cpu, cs_base) == 808, "cpu.cs_base");
_Static_assert(offsetof(struct hvm_hw_cpu, cs_arbytes) == 888, "cpu.cs_arbytes");
_Static_assert(offsetof(struct hvm_hw_cpu, sysenter_cs) == 920, "cpu.sysenter_cs");
_Static_assert(offsetof(struct hvm_hw_cpu, msr_efer) == 992, "cpu.msr_efer");
_Static_assert(offsetof(struct hvm_hw_cpu, pending_event) == 1016, "cpu.pending_event");
_Static_assert(sizeof(struct hvm_hw_cpu) == 1032, "cpu record");
_Static_assert(sizeof(struct hvm_hw_mtrr) == 240, "mtrr record");

#endif
