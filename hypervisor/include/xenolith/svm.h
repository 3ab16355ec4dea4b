/* AMD SVM: VMCB layout (offsets from the AMD64 APM vol. 2, appendix B)
 * and the vCPU run loop. */
#ifndef XENOLITH_SVM_H
#define XENOLITH_SVM_H

#include "lib.h"

struct vcpu;

/* control area */
#define VMCB_INTERCEPT_CR 0x000
#define VMCB_INTERCEPT_DR 0x004
#define VMCB_INTERCEPT_EXC 0x008
#define VMCB_INTERCEPT_MISC1 0x00C
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_PAUSE_FILTER_COUNT 0x03E
#define VMCB_IOPM_BASE 0x040
#define VMCB_MSRPM_BASE 0x048
#define VMCB_TSC_OFFSET 0x050
#define VMCB_ASID 0x058
#define VMCB_TLB_CONTROL 0x05C
#define VMCB_VINTR 0x060
#define VMCB_INT_STATE 0x068
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_EXITINTINFO 0x088
#define VMCB_NP_ENABLE 0x090
#define VMCB_EVENTINJ 0x0A8
#define VMCB_NCR3 0x0B0
#define VMCB_CLEAN 0x0C0
#define VMCB_NRIP 0x0C8
/* state save area */
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_FS 0x440
#define VMCB_GS 0x450
#define VMCB_GDTR 0x460
#define VMCB_LDTR 0x470
#define VMCB_IDTR 0x480
#define VMCB_TR 0x490
#define VMCB_CPL 0x4CB
#define VMCB_EFER 0x4D0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5D8
#define VMCB_RAX 0x5F8
#define VMCB_STAR 0x600
#define VMCB_LSTAR 0x608
#define VMCB_CSTAR 0x610
#define VMCB_SFMASK 0x618
#define VMCB_KGSBASE 0x620
#define VMCB_SYSENTER_CS 0x628
#define VMCB_SYSENTER_ESP 0x630
#define VMCB_SYSENTER_EIP 0x638
#define VMCB_CR2 0x640
#define VMCB_G_PAT 0x668

/* segment register fields, relative to the segment's offset */
#define SEG_SEL 0
#define SEG_ATTR 2
#define SEG_LIMIT 4
#define SEG_BASE 8

/* MISC1 intercept bits */
#define INTERCEPT_INTR (1U << 0)
#define INTERCEPT_NMI (1U << 1)
#define INTERCEPT_SMI (1U << 2)
#define INTERCEPT_INIT (1U << 3)
#define INTERCEPT_CPUID (1U << 18)
#define INTERCEPT_INTN (1U << 21)
#define INTERCEPT_INVD (1U << 22)
#define INTERCEPT_PAUSE (1U << 23)
#define INTERCEPT_HLT (1U << 24)
#define INTERCEPT_INVLPGA (1U << 26)
#define INTERCEPT_IOIO (1U << 27)
#define INTERCEPT_MSR (1U << 28)
#define INTERCEPT_TASK_SWITCH (1U << 29)
#define INTERCEPT_SHUTDOWN (1U << 31)
/* MISC2 intercept bits */
#define INTERCEPT_VMRUN (1U << 0)
#define INTERCEPT_VMMCALL (1U << 1)
#define INTERCEPT_VMLOAD (1U << 2)
#define INTERCEPT_VMSAVE (1U << 3)
#define INTERCEPT_STGI (1U << 4)
#define INTERCEPT_CLGI (1U << 5)
#define INTERCEPT_SKINIT (1U << 6)
#define INTERCEPT_RDTSCP (1U << 7)
#define INTERCEPT_MONITOR (1U << 10)
#define INTERCEPT_MWAIT (1U << 11)
#define INTERCEPT_XSETBV (1U << 13)

/* exit codes */
#define VMEXIT_EXCP_BASE 0x40
#define VMEXIT_INTR 0x60
#define VMEXIT_NMI 0x61
#define VMEXIT_SMI 0x62
#define VMEXIT_INIT 0x63
#define VMEXIT_VINTR 0x64
#define VMEXIT_CPUID 0x72
#define VMEXIT_SWINT 0x75
#define VMEXIT_INVD 0x76
#define VMEXIT_PAUSE 0x77
#define VMEXIT_HLT 0x78
#define VMEXIT_INVLPGA 0x7A
#define VMEXIT_IOIO 0x7B
#define VMEXIT_MSR 0x7C
#define VMEXIT_TASK_SWITCH 0x7D
#define VMEXIT_SHUTDOWN 0x7F
#define VMEXIT_VMRUN 0x80
#define VMEXIT_VMMCALL 0x81
#define VMEXIT_VMLOAD 0x82
#define VMEXIT_VMSAVE 0x83
#define VMEXIT_STGI 0x84
#define VMEXIT_CLGI 0x85
#define VMEXIT_SKINIT 0x86
#define VMEXIT_RDTSCP 0x87
#define VMEXIT_MONITOR 0x8A
#define VMEXIT_MWAIT 0x8B
#define VMEXIT_XSETBV 0x8D
#define VMEXIT_NPF 0x400
#define VMEXIT_INVALID 0xFFFFFFFFFFFFFFFFULL

#define EVENTINJ_VALID (1ULL << 31)
#define EVENTINJ_EV (1ULL << 11)
#define EVENTINJ_TYPE_INTR (0ULL << 8)
#define EVENTINJ_TYPE_EXC (3ULL << 8)
#define EVENTINJ_TYPE_SOFT (4ULL << 8)

#define VMCB_FIELD(v, off, type) (*(volatile type *)((uint8_t *)(v) + (off)))
#define VMCB64(v, off) VMCB_FIELD(v, off, uint64_t)
#define VMCB32(v, off) VMCB_FIELD(v, off, uint32_t)
#define VMCB16(v, off) VMCB_FIELD(v, off, uint16_t)
#define VMCB8(v, off) VMCB_FIELD(v, off, uint8_t)

/* Per-CPU: enable SVM; panics with the reason when it cannot. */
void svm_cpu_init(unsigned int cpu);
/* swint.c: INT n through the hypervisor where the CPU is QEMU's */
void svm_swint_init(void);
uint32_t svm_swint_intercept(void);
void svm_handle_swint(struct vcpu *v);
/* Build the VMCB for a PVH vCPU entering at rip with rbx = start_info. */
int svm_vcpu_init(struct vcpu *v, uint64_t rip, uint64_t rbx);
/* Free v's VMCB and permission maps and give its ASID back. */
void svm_vcpu_destroy(struct vcpu *v);
/* Run v until it blocks, goes offline or its domain stops. */
void svm_vcpu_run(struct vcpu *v);
/* From a pCPU's scheduler loop (lock held): if the vCPU whose FPU state
 * its registers hold has moved to another pCPU, save that state so the
 * vCPU can run there. */
void svm_fpu_release(unsigned int cpu);
/* CPUID on this pCPU (the host's view, before guest filtering). */
void svm_host_cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]);
void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_err,
			  uint32_t err);

void svm_vmrun(void *regs, uint64_t vmcb_pa, uint64_t host_save_pa);

#endif
