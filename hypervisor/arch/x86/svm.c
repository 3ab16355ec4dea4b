/* AMD SVM with nested paging: per-CPU enablement, VMCB set-up for a PVH
 * vCPU at its 32-bit entry point, and the exit handlers.  QEMU's TCG has
 * no next-RIP save, so every handler advances RIP by the instruction's
 * known length itself. */
#include <xenolith/svm.h>
#include <xenolith/cpu_policy.h>
#include <xenolith/domain.h>
#include <xenolith/hypercall.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/time.h>
#include <xenolith/acpi_build.h>
#include <xenolith/x86.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/errno.h>
#include <xen/hvm/params.h>

static uint64_t host_save_pa[NR_CPUS];
static uint32_t nr_asids;
static uint32_t next_asid = 1;
/* ASIDs given back by destroyed vCPUs (QEMU offers only 16): reused
 * first; a vCPU's first VMRUN flushes the whole TLB, so nothing of the
 * previous user survives. */
static uint32_t free_asids[64];
static unsigned int nr_free_asids;
/* Whose x87/SSE state each pCPU's registers hold: VMRUN does not switch
 * it, so a pCPU shared by vCPUs saves and restores it on a change.  A
 * vCPU moved away while its state is live here (v->fpu_live_cpu) cannot
 * run elsewhere until this pCPU saved it (svm_fpu_release).  All under
 * the domain lock.  Saving eagerly on every exit from the guest loop
 * instead made QEMU TCG's lost-state fault (README, Known problems)
 * strike dom0 in two CI runs in a row. */
static struct vcpu *fpu_owner[NR_CPUS];

#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24

static void fpu_save(struct vcpu *o, unsigned int cpu)
{
	__asm__ volatile("fxsaveq (%0)" : : "r"(o->fpu) : "memory");
	o->fpu_live_cpu = -1;
	fpu_owner[cpu] = NULL;
}

static void fpu_switch_to(struct vcpu *v, unsigned int cpu)
{
	struct vcpu *o = fpu_owner[cpu];

	if (o == v)
		return;
	if (o)
		fpu_save(o, cpu);
	__asm__ volatile("fxrstorq (%0)" : : "r"(v->fpu) : "memory");
	fpu_owner[cpu] = v;
	v->fpu_live_cpu = (int)cpu;
}

void svm_fpu_release(unsigned int cpu)
{
	struct vcpu *o = fpu_owner[cpu];

	if (!o || o->processor == cpu)
		return;
	fpu_save(o, cpu);
	vcpu_notify(o); /* its new pCPU may run it now */
}

void svm_host_cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	cpuid_count(leaf, sub, &out[0], &out[1], &out[2], &out[3]);
}

void svm_cpu_init(unsigned int cpu)
{
	uint32_t a, b, c, d;
	uint64_t hsave;

	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x8000000A)
		panic("CPU%u: no extended CPUID leaf 0x8000000A: SVM unavailable", cpu);
	cpuid_count(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & (1U << 2)))
		panic("CPU%u: AMD SVM not supported by this CPU (need -cpu ...,+svm)", cpu);
	if (rdmsr(MSR_VM_CR) & (1ULL << 4))
		panic("CPU%u: SVM disabled by firmware (VM_CR.SVMDIS)", cpu);
	cpuid_count(0x8000000A, 0, &a, &b, &c, &d);
	if (!(d & 1U))
		panic("CPU%u: SVM nested paging (NPT) not supported (need +npt)", cpu);
	nr_asids = b;
	/* FXSAVE/FXRSTOR of guest FPU state: with CR4.OSFXSR they include
	 * the XMM registers; CR0.EM and CR0.TS must be clear */
	{
		uint64_t cr0, cr4;

		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1ULL << 9) | (1ULL << 10)));
		__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
		__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~((1ULL << 2) | (1ULL << 3))));
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	hsave = mm_alloc(0, PAGE_OWNER_XEN);
	host_save_pa[cpu] = mm_alloc(0, PAGE_OWNER_XEN);
	if (hsave == INVALID_PFN || host_save_pa[cpu] == INVALID_PFN)
		panic("CPU%u: out of memory for SVM host state", cpu);
	mm_page(hsave)->flags |= PGF_PINNED;
	mm_page(host_save_pa[cpu])->flags |= PGF_PINNED;
	wrmsr(MSR_VM_HSAVE_PA, hsave << PAGE_SHIFT);
	host_save_pa[cpu] <<= PAGE_SHIFT;
	printk("CPU%u: SVM host state at %#llx, extra at %#llx\n", cpu,
	       (unsigned long long)(hsave << PAGE_SHIFT), (unsigned long long)host_save_pa[cpu]);
	__asm__ volatile("vmsave %0" : : "a"(host_save_pa[cpu]) : "memory");
	if (cpu == 0) {
		printk("HVM: SVM enabled, nested paging (NPT) detected, %u ASIDs, "
		       "next-RIP save %s\n", nr_asids, (d & (1U << 3)) ? "yes" : "no");
		svm_swint_init();
	}
}

static void set_seg(void *vmcb, unsigned int off, uint16_t sel, uint16_t attr,
		    uint32_t limit, uint64_t base)
{
	VMCB16(vmcb, off + SEG_SEL) = sel;
	VMCB16(vmcb, off + SEG_ATTR) = attr;
	VMCB32(vmcb, off + SEG_LIMIT) = limit;
	VMCB64(vmcb, off + SEG_BASE) = base;
}

/* DS, ES, SS, FS and GS alike: null selector, base 0. */
static void set_data_segs(void *vmcb, uint16_t attr, uint32_t limit)
{
	static const unsigned int segs[] = { VMCB_DS, VMCB_ES, VMCB_SS, VMCB_FS, VMCB_GS };

	for (unsigned int i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		set_seg(vmcb, segs[i], 0, attr, limit, 0);
}

/* MSRs the guest may touch directly: all of them live in the VMCB and are
 * switched by VMLOAD/VMSAVE. */
static const uint32_t passthrough_msrs[] = {
	0xC0000100, /* FS_BASE */
	0xC0000101, /* GS_BASE */
	0xC0000102, /* KERNEL_GS_BASE */
	0xC0000081, /* STAR */
	0xC0000082, /* LSTAR */
	0xC0000083, /* CSTAR */
	0xC0000084, /* SFMASK */
	0x174, 0x175, 0x176, /* SYSENTER_* */
};

static void msrpm_allow(uint8_t *msrpm, uint32_t msr)
{
	uint32_t base, idx;

	if (msr < 0x2000) {
		base = 0;
		idx = msr;
	} else if (msr >= 0xC0000000 && msr < 0xC0002000) {
		base = 0x800;
		idx = msr - 0xC0000000;
	} else if (msr >= 0xC0010000 && msr < 0xC0012000) {
		base = 0x1000;
		idx = msr - 0xC0010000;
	} else {
		return;
	}
	msrpm[base + idx / 4] &= (uint8_t)~(3U << ((idx % 4) * 2));
}

static int svm_vcpu_create(struct vcpu *v)
{
	uint64_t vmcb_pfn, iopm, msrpm;
	void *vmcb;

	if (v->vmcb) {
		vcpu_sync(v); /* a remote start: wait for its pCPU to let go */
		return 0;
	}
	if (!nr_free_asids && next_asid >= nr_asids)
		return -XEN_ENOSPC;
	if (!v->fpu) {
		uint64_t fpu = mm_alloc(0, PAGE_OWNER_XEN);

		if (fpu == INVALID_PFN)
			return -XEN_ENOMEM;
		/* the x87/SSE reset state: FCW 0x37f, MXCSR 0x1f80 */
		v->fpu = mm_page_virt(fpu);
		*(uint16_t *)((uint8_t *)v->fpu + FXSAVE_FCW) = 0x37F;
		*(uint32_t *)((uint8_t *)v->fpu + FXSAVE_MXCSR) = 0x1F80;
	}
	vmcb_pfn = mm_alloc(0, PAGE_OWNER_XEN);
	iopm = mm_alloc(2, PAGE_OWNER_XEN); /* 12 KiB used */
	msrpm = mm_alloc(1, PAGE_OWNER_XEN);
	if (vmcb_pfn == INVALID_PFN || iopm == INVALID_PFN || msrpm == INVALID_PFN) {
		if (vmcb_pfn != INVALID_PFN)
			mm_free(vmcb_pfn, 0);
		if (iopm != INVALID_PFN)
			mm_free(iopm, 2);
		if (msrpm != INVALID_PFN)
			mm_free(msrpm, 1);
		return -XEN_ENOMEM;
	}
	/* intercept every port and every MSR, then open the safe MSRs */
	memset(mm_page_virt(iopm), 0xFF, 3 * PAGE_SIZE);
	memset(mm_page_virt(msrpm), 0xFF, 2 * PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		msrpm_allow(mm_page_virt(msrpm), passthrough_msrs[i]);

	vmcb = mm_page_virt(vmcb_pfn);
	v->vmcb = vmcb;
	v->vmcb_pa = vmcb_pfn << PAGE_SHIFT;
	v->asid = nr_free_asids ? free_asids[--nr_free_asids] : next_asid++;
	v->need_flush = true;

	VMCB32(vmcb, VMCB_INTERCEPT_EXC) = 1U << 18; /* #MC */
	VMCB32(vmcb, VMCB_INTERCEPT_MISC1) = INTERCEPT_INTR | INTERCEPT_NMI |
		INTERCEPT_SMI | INTERCEPT_INIT | INTERCEPT_CPUID | INTERCEPT_INVD |
		INTERCEPT_HLT | INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR |
		INTERCEPT_TASK_SWITCH | INTERCEPT_SHUTDOWN | svm_swint_intercept();
	VMCB32(vmcb, VMCB_INTERCEPT_MISC2) = INTERCEPT_VMRUN | INTERCEPT_VMMCALL |
		INTERCEPT_VMLOAD | INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
		INTERCEPT_SKINIT | INTERCEPT_MONITOR | INTERCEPT_MWAIT;
	/* PAUSE exits only while another vCPU waits for the pCPU (see
	 * svm_vcpu_run); where the CPU filters, after 4000 of them */
	VMCB16(vmcb, VMCB_PAUSE_FILTER_COUNT) = 4000;
	VMCB64(vmcb, VMCB_IOPM_BASE) = iopm << PAGE_SHIFT;
	VMCB64(vmcb, VMCB_MSRPM_BASE) = msrpm << PAGE_SHIFT;
	VMCB32(vmcb, VMCB_ASID) = v->asid;
	VMCB64(vmcb, VMCB_NP_ENABLE) = 1;
	VMCB64(vmcb, VMCB_NCR3) = v->d->npt_root << PAGE_SHIFT;
	return 0;
}

void svm_vcpu_destroy(struct vcpu *v)
{
	void *vmcb = v->vmcb;

	if (!vmcb)
		return;
	vcpu_sync(v);
	mm_free(VMCB64(vmcb, VMCB_IOPM_BASE) >> PAGE_SHIFT, 2);
	mm_free(VMCB64(vmcb, VMCB_MSRPM_BASE) >> PAGE_SHIFT, 1);
	if (nr_free_asids < ARRAY_SIZE(free_asids))
		free_asids[nr_free_asids++] = v->asid;
	mm_free(v->vmcb_pa >> PAGE_SHIFT, 0);
	v->vmcb = NULL;
	v->vmcb_pa = 0;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (fpu_owner[c] == v)
			fpu_owner[c] = NULL; /* the next owner restores over it */
	mm_free(mm_virt_to_pfn(v->fpu), 0);
	v->fpu = NULL;
}

/* Architectural reset values common to every start state. */
static void reset_state(struct vcpu *v)
{
	void *vmcb = v->vmcb;

	VMCB64(vmcb, VMCB_VINTR) = 1ULL << 24; /* V_INTR_MASKING: host owns IF */
	VMCB64(vmcb, VMCB_EVENTINJ) = 0;
	VMCB64(vmcb, VMCB_INT_STATE) = 0;
	set_seg(vmcb, VMCB_TR, 0, 0x8B, 0x67, 0);
	set_seg(vmcb, VMCB_LDTR, 0, 0x82, 0, 0);
	set_seg(vmcb, VMCB_GDTR, 0, 0, 0xFFFF, 0);
	set_seg(vmcb, VMCB_IDTR, 0, 0, 0xFFFF, 0);
	VMCB8(vmcb, VMCB_CPL) = 0;
	VMCB64(vmcb, VMCB_EFER) = EFER_SVME; /* guest view hides SVME */
	VMCB64(vmcb, VMCB_CR3) = 0;
	VMCB64(vmcb, VMCB_CR4) = 0;
	VMCB64(vmcb, VMCB_DR6) = 0xFFFF0FF0;
	VMCB64(vmcb, VMCB_DR7) = 0x400;
	VMCB64(vmcb, VMCB_RFLAGS) = 0x2;
	VMCB64(vmcb, VMCB_RSP) = 0;
	VMCB64(vmcb, VMCB_RAX) = 0;
	VMCB64(vmcb, VMCB_G_PAT) = 0x0007040600070406ULL;
	memset(&v->regs, 0, sizeof(v->regs));
	vlapic_reset(v);
	v->need_flush = true;
}

/* A vCPU's VMCB (created on first use) reset to a start state: CS as
 * given, the data segments alike, CR0 and RIP. */
static int start_state(struct vcpu *v, uint16_t cs_sel, uint16_t cs_attr, uint64_t cs_base,
		       uint16_t data_attr, uint32_t limit, uint64_t cr0, uint64_t rip)
{
	int rc = svm_vcpu_create(v);

	if (rc)
		return rc;
	reset_state(v);
	set_seg(v->vmcb, VMCB_CS, cs_sel, cs_attr, limit, cs_base);
	set_data_segs(v->vmcb, data_attr, limit);
	VMCB64(v->vmcb, VMCB_CR0) = cr0;
	VMCB64(v->vmcb, VMCB_RIP) = rip;
	return 0;
}

int svm_vcpu_init(struct vcpu *v, uint64_t rip, uint64_t rbx)
{
	/* PVH entry state: flat 32-bit protected mode, paging off */
	int rc = start_state(v, 0, 0xC9B, 0, 0xC93, 0xFFFFFFFF, CR0_PE | CR0_ET, rip);

	if (!rc)
		v->regs.rbx = rbx;
	return rc;
}

/* Start a vCPU as an AP after INIT-SIPI: real mode at vector << 12. */
int svm_vcpu_start_real(struct vcpu *v, uint8_t vector);
int svm_vcpu_start_real(struct vcpu *v, uint8_t vector)
{
	return start_state(v, (uint16_t)(vector << 8), 0x9B, (uint64_t)vector << 12, 0x93, 0xFFFF,
			   CR0_ET, 0);
}

/* VCPUOP_initialise for HVM/PVH: a flat 32- or 64-bit start state. */
int svm_vcpu_set_context(struct vcpu *v, bool long_mode, const uint64_t regs[14],
			 uint64_t efer);
int svm_vcpu_set_context(struct vcpu *v, bool long_mode, const uint64_t regs[14],
			 uint64_t efer)
{
	void *vmcb;
	int rc = svm_vcpu_create(v);

	if (rc)
		return rc;
	vmcb = v->vmcb;
	reset_state(v);
	/* regs: rax rcx rdx rbx rsp rbp rsi rdi rip rflags cr0 cr3 cr4 (+efer) */
	set_seg(vmcb, VMCB_CS, 0, long_mode ? 0xA9B : 0xC9B, 0xFFFFFFFF, 0);
	set_seg(vmcb, VMCB_DS, 0, 0xC93, 0xFFFFFFFF, 0);
	set_seg(vmcb, VMCB_ES, 0, 0xC93, 0xFFFFFFFF, 0);
	set_seg(vmcb, VMCB_SS, 0, 0xC93, 0xFFFFFFFF, 0);
	set_seg(vmcb, VMCB_FS, 0, 0xC93, 0xFFFFFFFF, 0);
	set_seg(vmcb, VMCB_GS, 0, 0xC93, 0xFFFFFFFF, 0);
	VMCB64(vmcb, VMCB_RAX) = regs[0];
	v->regs.rcx = regs[1];
	v->regs.rdx = regs[2];
	v->regs.rbx = regs[3];
	VMCB64(vmcb, VMCB_RSP) = regs[4];
	v->regs.rbp = regs[5];
	v->regs.rsi = regs[6];
	v->regs.rdi = regs[7];
	VMCB64(vmcb, VMCB_RIP) = regs[8];
	VMCB64(vmcb, VMCB_RFLAGS) = regs[9] | 2;
	VMCB64(vmcb, VMCB_CR0) = regs[10] | CR0_ET;
	VMCB64(vmcb, VMCB_CR3) = regs[11];
	VMCB64(vmcb, VMCB_CR4) = regs[12];
	VMCB64(vmcb, VMCB_EFER) = efer | EFER_SVME;
	return 0;
}

void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_err,
			  uint32_t err)
{
	VMCB64(v->vmcb, VMCB_EVENTINJ) = vector | EVENTINJ_TYPE_EXC | EVENTINJ_VALID |
		(has_err ? EVENTINJ_EV | ((uint64_t)err << 32) : 0);
}

static void advance_rip(struct vcpu *v, unsigned int len)
{
	VMCB64(v->vmcb, VMCB_RIP) += len;
	/* the instruction completed: drop any STI/MOV SS interrupt shadow */
	VMCB64(v->vmcb, VMCB_INT_STATE) &= ~1ULL;
}

static void handle_cpuid(struct vcpu *v)
{
	struct cpuid_ctx c = { svm_host_cpuid, v->id, v->d->id, v->d->nr_vcpus };
	uint32_t leaf = (uint32_t)VMCB64(v->vmcb, VMCB_RAX), out[4];

	/* the toolstack's policy if it set one, else the default view */
	if (v->d->cpu_policy)
		cpu_policy_cpuid(v->d->cpu_policy, &c, leaf, (uint32_t)v->regs.rcx, out);
	else
		cpuid_guest(&c, leaf, (uint32_t)v->regs.rcx, out);
	VMCB64(v->vmcb, VMCB_RAX) = out[0];
	v->regs.rbx = out[1];
	v->regs.rcx = out[2];
	v->regs.rdx = out[3];
	advance_rip(v, 2);
}

static int write_hypercall_page(struct vcpu *v, uint64_t val)
{
	uint8_t page[4096];
	uint64_t gpa = val & PAGE_MASK;

	if (val & ~PAGE_MASK)
		return -1; /* only page index 0 exists */
	hypercall_page_fill(page);
	if (copy_to_guest_phys(v->d, gpa, page, sizeof(page))) {
		log_warn("d%uv%u: hypercall page at bad GPA %#llx\n", v->d->id, v->id,
			 (unsigned long long)gpa);
		return -1;
	}
	log_debug("d%uv%u: hypercall page written at %#llx\n", v->d->id, v->id,
		  (unsigned long long)gpa);
	return 0;
}

/* 0 = handled, -1 = inject #GP */
static int msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	if (msr >= 0x800 && msr < 0x900)
		return vlapic_msr_read(v, msr, val);
	switch (msr) {
	case MSR_EFER:
		*val = VMCB64(v->vmcb, VMCB_EFER) & ~EFER_SVME;
		return 0;
	case MSR_APIC_BASE:
		*val = 0xFEE00000ULL | (1ULL << 11) | (v->id == 0 ? 1ULL << 8 : 0) |
		       (v->lapic.x2apic ? 1ULL << 10 : 0);
		return 0;
	case MSR_PAT:
		*val = VMCB64(v->vmcb, VMCB_G_PAT);
		return 0;
	case MSR_TSC:
		*val = rdtsc() + VMCB64(v->vmcb, VMCB_TSC_OFFSET);
		return 0;
	case 0xFE: /* MTRRcap: no variable ranges, no fixed, WC */
		*val = 1ULL << 10;
		return 0;
	case 0x2FF: /* MTRRdefType: enabled, write-back */
		*val = (1ULL << 11) | 6;
		return 0;
	case 0x8B: /* microcode revision */
	case 0x17: /* platform id */
	case 0x1A0: /* misc enable */
	case 0xC0010015: /* HWCR */
		*val = 0;
		return 0;
	default:
		return -1;
	}
}

static int msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	if (msr >= 0x800 && msr < 0x900)
		return vlapic_msr_write(v, msr, val);
	switch (msr) {
	case MSR_EFER:
		if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | (1ULL << 14)))
			return -1;
		/* LMA is the CPU's to set; SVME must stay on for VMRUN */
		VMCB64(v->vmcb, VMCB_EFER) = (val & ~EFER_LMA) |
			(VMCB64(v->vmcb, VMCB_EFER) & EFER_LMA) | EFER_SVME;
		return 0;
	case XEN_HYPERCALL_PAGE_MSR:
		return write_hypercall_page(v, val);
	case MSR_PAT:
		VMCB64(v->vmcb, VMCB_G_PAT) = val;
		return 0;
	case 0xC0010015: /* HWCR */
		return 0;
	case MSR_APIC_BASE:
		if ((val & 0xFFFFF000ULL) != 0xFEE00000ULL)
			return -1; /* relocating the APIC is not supported */
		v->lapic.x2apic = (val & (3ULL << 10)) == (3ULL << 10);
		return 0;
	case 0x2FF:
	case 0x1A0:
	case 0x8B:
		return 0; /* accepted and ignored */
	default:
		return -1;
	}
}

static void handle_msr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.rcx;

	if (VMCB64(v->vmcb, VMCB_EXITINFO1) == 0) {
		uint64_t val;

		if (msr_read(v, msr, &val)) {
			log_debug("d%uv%u: RDMSR %#x unhandled: #GP\n", v->d->id, v->id, msr);
			svm_inject_exception(v, 13, true, 0);
			return;
		}
		VMCB64(v->vmcb, VMCB_RAX) = (uint32_t)val;
		v->regs.rdx = val >> 32;
	} else {
		uint64_t val = (uint32_t)VMCB64(v->vmcb, VMCB_RAX) | (v->regs.rdx << 32);

		if (msr_write(v, msr, val)) {
			log_debug("d%uv%u: WRMSR %#x <- %#llx unhandled: #GP\n", v->d->id,
				  v->id, msr, (unsigned long long)val);
			svm_inject_exception(v, 13, true, 0);
			return;
		}
	}
	advance_rip(v, 2);
}

#define XEN_DEBUGCON_PORT 0xE9

static void handle_ioio(struct vcpu *v)
{
	uint64_t info = VMCB64(v->vmcb, VMCB_EXITINFO1);
	uint16_t port = (uint16_t)(info >> 16);
	bool in = info & 1, str = info & 4, rep = info & 8;
	unsigned int size = (info & 0x10) ? 1 : (info & 0x20) ? 2 : 4;

	if (str) {
		/* only "rep outsb" to the debug console is meaningful to PVH */
		uint64_t count = rep ? v->regs.rcx : 1;

		if (!in && port == XEN_DEBUGCON_PORT && size == 1) {
			char buf[64];

			while (count) {
				size_t n = MIN(count, sizeof(buf));

				if (copy_from_guest(v, buf, v->regs.rsi, n)) {
					svm_inject_exception(v, 14, true, 0);
					return;
				}
				printk_guest_line(v->d->id, &v->d->debugcon, buf, n);
				v->regs.rsi += n;
				count -= n;
			}
		}
		if (rep)
			v->regs.rcx = 0;
	} else if (in) {
		uint64_t mask = size == 4 ? 0xFFFFFFFFULL : (1ULL << (8 * size)) - 1;

		/* no devices behind ports: reads float high (the ACPI sleep
		 * status register reads as zero: nothing to wake from) */
		VMCB64(v->vmcb, VMCB_RAX) = (size == 4 ? 0 : (VMCB64(v->vmcb, VMCB_RAX) & ~mask)) |
			(port == ACPI_SLEEP_STATUS_PORT ? 0 : mask);
	} else if (port == XEN_DEBUGCON_PORT) {
		char c = (char)VMCB64(v->vmcb, VMCB_RAX);

		printk_guest_line(v->d->id, &v->d->debugcon, &c, 1);
	} else if (port == ACPI_SLEEP_CONTROL_PORT) {
		uint8_t val = (uint8_t)VMCB64(v->vmcb, VMCB_RAX);

		/* SLP_EN with the S5 type from our DSDT: ACPI power off */
		if ((val & 0x20) && ((val >> 2) & 7) == ACPI_S5_SLP_TYP)
			domain_shutdown(v->d, 0);
	}
	VMCB64(v->vmcb, VMCB_RIP) = VMCB64(v->vmcb, VMCB_EXITINFO2);
}

static void handle_vmmcall(struct vcpu *v)
{
	void *vmcb = v->vmcb;
	unsigned long args[5];
	long rc;
	bool long_mode = (VMCB64(vmcb, VMCB_EFER) & EFER_LMA) &&
			 (VMCB16(vmcb, VMCB_CS + SEG_ATTR) & (1U << 9));

	advance_rip(v, 3);
	if (VMCB8(vmcb, VMCB_CPL) != 0) {
		VMCB64(vmcb, VMCB_RAX) = (uint64_t)(long)-XEN_EPERM;
		return;
	}
	if (!long_mode) {
		/* the 32-bit (compat) hypercall ABI is not implemented */
		log_debug("d%uv%u: hypercall %llu from 32-bit mode: -ENOSYS\n", v->d->id,
			  v->id, (unsigned long long)(uint32_t)VMCB64(vmcb, VMCB_RAX));
		VMCB64(vmcb, VMCB_RAX) = (uint64_t)(long)-XEN_ENOSYS;
		return;
	}
	v->nr_hypercalls++;
	v->last_hypercall = (unsigned long)VMCB64(vmcb, VMCB_RAX);
	args[0] = v->regs.rdi;
	args[1] = v->regs.rsi;
	args[2] = v->regs.rdx;
	args[3] = v->regs.r10;
	args[4] = v->regs.r8;
	rc = hypercall_dispatch(v, VMCB64(vmcb, VMCB_RAX), args);
	if (rc == -XEN_ERESTART) {
		/* preempted: the guest runs VMMCALL again with the same
		 * registers once its pending events are delivered */
		VMCB64(vmcb, VMCB_RIP) -= 3;
		return;
	}
	VMCB64(vmcb, VMCB_RAX) = (uint64_t)rc;
}

static void handle_intr(void)
{
	/* let the pending physical interrupt reach the host IDT */
	local_irq_enable();
	__asm__ volatile("nop");
	local_irq_disable();
}

static const char *exit_name(uint64_t code)
{
	switch (code) {
	case VMEXIT_SHUTDOWN: return "triple fault";
	case VMEXIT_NPF: return "nested page fault";
	case VMEXIT_INVALID: return "invalid guest state";
	case VMEXIT_TASK_SWITCH: return "task switch";
	case VMEXIT_EXCP_BASE + 18: return "machine check";
	default: return "unhandled exit";
	}
}

static void crash_on_exit(struct vcpu *v, uint64_t code)
{
	void *vmcb = v->vmcb;

	domain_crash(v->d, "d%uv%u %s (exit %#llx, info1 %#llx, info2 %#llx) at "
		     "rip %#llx cs %#x cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx vmcb %#llx",
		     v->d->id, v->id, exit_name(code), (unsigned long long)code,
		     (unsigned long long)VMCB64(vmcb, VMCB_EXITINFO1),
		     (unsigned long long)VMCB64(vmcb, VMCB_EXITINFO2),
		     (unsigned long long)VMCB64(vmcb, VMCB_RIP),
		     VMCB16(vmcb, VMCB_CS + SEG_SEL),
		     (unsigned long long)VMCB64(vmcb, VMCB_CR0),
		     (unsigned long long)VMCB64(vmcb, VMCB_CR3),
		     (unsigned long long)VMCB64(vmcb, VMCB_CR4),
		     (unsigned long long)(VMCB64(vmcb, VMCB_EFER) & ~EFER_SVME),
		     (unsigned long long)v->vmcb_pa);
}

/* A #VMEXIT taken while the CPU was already back in the host (seen
 * under QEMU TCG) stores the host's state as the guest's: RIP right
 * after our VMRUN, the host's CR3.  Running that as the guest would
 * execute hypervisor code in the guest's address space. */
static bool vmcb_holds_host_state(const void *vmcb)
{
	extern const char svm_vmrun_resume[];

	return VMCB64(vmcb, VMCB_RIP) == (uint64_t)(uintptr_t)svm_vmrun_resume &&
	       VMCB64(vmcb, VMCB_CR3) == read_cr3();
}

static void exit_count(struct vcpu *v, uint64_t code)
{
	struct domain *d = v->d;
	enum exit_class c;

	switch (code) {
	case VMEXIT_INTR: c = EXIT_INTR; break;
	case VMEXIT_HLT: c = EXIT_HLT; break;
	case VMEXIT_VMMCALL: c = EXIT_VMMCALL; break;
	case VMEXIT_MSR: c = EXIT_MSR; break;
	case VMEXIT_NPF: c = EXIT_NPF; break;
	case VMEXIT_CPUID: c = EXIT_CPUID; break;
	case VMEXIT_IOIO: c = EXIT_IOIO; break;
	case VMEXIT_PAUSE: c = EXIT_PAUSE; break;
	default: c = EXIT_OTHER; break;
	}
	d->diag.exits_by[c]++;
	if (c != EXIT_MSR)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(d->diag.msr_exits); i++) {
		if (!d->diag.msr_exits[i].count)
			d->diag.msr_exits[i].msr = (uint32_t)v->regs.rcx;
		if (d->diag.msr_exits[i].msr == (uint32_t)v->regs.rcx) {
			d->diag.msr_exits[i].count++;
			return;
		}
	}
}

/* Called and returns with the domain lock held. */
void svm_vcpu_run(struct vcpu *v)
{
	void *vmcb = v->vmcb;
	unsigned int cpu = smp_processor_id();

	fpu_switch_to(v, cpu);
	while (!v->d->shutdown && !v->d->dying && !v->d->pause_count &&
	       !v->blocked && v->online && v->processor == cpu &&
	       !timer_softirq[cpu] && !v->timers_changed && !scheduler_preempt_pending(cpu) &&
	       !v->yielded) {
		uint64_t code, prev_code, entry_event, entry_vintr;

		vlapic_prepare_entry(v);
		/* a vCPU spinning on a lock held by a vCPU waiting for this
		 * pCPU would spin out its slice: PAUSE hands the pCPU over */
		if (scheduler_others_waiting(v) && !v->pause_skip)
			VMCB32(vmcb, VMCB_INTERCEPT_MISC1) |= INTERCEPT_PAUSE;
		else
			VMCB32(vmcb, VMCB_INTERCEPT_MISC1) &= ~INTERCEPT_PAUSE;
		v->pause_skip = false;
		VMCB8(vmcb, VMCB_TLB_CONTROL) = v->need_flush ? 1 : 0;
		v->need_flush = false;
		VMCB32(vmcb, VMCB_CLEAN) = 0;
		entry_event = VMCB64(vmcb, VMCB_EVENTINJ);
		entry_vintr = VMCB64(vmcb, VMCB_VINTR);
		__atomic_store_n(&v->in_guest, true, __ATOMIC_RELEASE);
		domain_unlock(v->d);
		svm_vmrun(&v->regs, v->vmcb_pa, host_save_pa[cpu]);
		__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
		domain_lock(v->d);
		v->nr_exits++;
		vlapic_after_exit(v);
		code = VMCB64(vmcb, VMCB_EXITCODE);
		prev_code = v->last_exit_code;
		v->last_exit_code = code;
		if (vmcb_holds_host_state(vmcb)) {
			domain_crash(v->d, "d%uv%u: the CPU saved its own state as the guest's "
				     "(exit %#llx, info1 %#llx, info2 %#llx, intinfo %#llx; "
				     "entered with event %#llx vintr %#llx after exit %#llx; "
				     "vmcb %#llx, CPU%u host save %#llx): guest state lost",
				     v->d->id, v->id, (unsigned long long)code,
				     (unsigned long long)VMCB64(vmcb, VMCB_EXITINFO1),
				     (unsigned long long)VMCB64(vmcb, VMCB_EXITINFO2),
				     (unsigned long long)VMCB64(vmcb, VMCB_EXITINTINFO),
				     (unsigned long long)entry_event, (unsigned long long)entry_vintr,
				     (unsigned long long)prev_code, (unsigned long long)v->vmcb_pa,
				     cpu, (unsigned long long)rdmsr(MSR_VM_HSAVE_PA));
			break;
		}
		if (code != VMEXIT_INTR && code != VMEXIT_NMI)
			v->nr_traps++; /* the guest did something: the watchdog's progress */
		exit_count(v, code);
		/* an event cut short by the exit must be re-delivered */
		if (VMCB64(vmcb, VMCB_EXITINTINFO) & EVENTINJ_VALID)
			VMCB64(vmcb, VMCB_EVENTINJ) = VMCB64(vmcb, VMCB_EXITINTINFO);
		else
			VMCB64(vmcb, VMCB_EVENTINJ) = 0;

		switch (code) {
		case VMEXIT_CPUID:
			handle_cpuid(v);
			break;
		case VMEXIT_MSR:
			handle_msr(v);
			break;
		case VMEXIT_IOIO:
			handle_ioio(v);
			break;
		case VMEXIT_VMMCALL:
			handle_vmmcall(v);
			break;
		case VMEXIT_HLT:
			advance_rip(v, 1);
			if (!(VMCB64(vmcb, VMCB_RFLAGS) & (1ULL << 9))) {
				log_debug("d%uv%u halted with interrupts disabled at rip %#llx\n",
					  v->d->id, v->id, (unsigned long long)VMCB64(vmcb, VMCB_RIP));
				vcpu_down_halted(v);
				break;
			}
			/* sleep until an interrupt can be delivered */
			if (!vlapic_has_pending(v) && !(vcpu_upcall_pending(v) &&
			    (v->upcall_vector || (v->d->params[HVM_PARAM_CALLBACK_IRQ] >> 56) ==
			     HVM_PARAM_CALLBACK_TYPE_VECTOR)))
				v->blocked = true;
			break;
		case VMEXIT_INTR:
		case VMEXIT_NMI:
		case VMEXIT_SMI:
			handle_intr();
			break;
		case VMEXIT_INIT:
			break;
		case VMEXIT_NPF: {
			extern int mmio_emulate(struct vcpu *v, uint64_t gpa);
			uint64_t gpa = VMCB64(vmcb, VMCB_EXITINFO2);
			enum p2m_type t;

			/* no RAM behind it: emulate the access as MMIO */
			if (p2m_lookup(v->d, gpa >> PAGE_SHIFT, &t) == INVALID_PFN &&
			    !mmio_emulate(v, gpa))
				break;
			crash_on_exit(v, code);
			break;
		}
		case VMEXIT_SHUTDOWN:
			domain_triple_fault(v, VMCB64(vmcb, VMCB_RIP));
			break;
		case VMEXIT_INVD:
			advance_rip(v, 2);
			break;
		case VMEXIT_SWINT:
			svm_handle_swint(v);
			break;
		case VMEXIT_PAUSE: {
			uint8_t insn[2];

			/* F3 90; a PAUSE with more prefixes just runs again */
			if (!copy_from_guest(v, insn, VMCB64(vmcb, VMCB_RIP), 2) &&
			    insn[0] == 0xF3 && insn[1] == 0x90) {
				advance_rip(v, 2);
				v->yielded = true;
			} else {
				v->pause_skip = true; /* let it run natively once */
			}
			break;
		}
		case VMEXIT_VMRUN:
		case VMEXIT_VMLOAD:
		case VMEXIT_VMSAVE:
		case VMEXIT_STGI:
		case VMEXIT_CLGI:
		case VMEXIT_SKINIT:
		case VMEXIT_INVLPGA:
		case VMEXIT_MONITOR:
		case VMEXIT_MWAIT:
			svm_inject_exception(v, 6, false, 0); /* #UD */
			break;
		default:
			crash_on_exit(v, code);
			break;
		}
	}
	/* moved to another pCPU: its FPU state must travel with it (the new
	 * pCPU cannot run it before we return, see vcpu_may_run) */
	if (v->processor != cpu && fpu_owner[cpu] == v)
		fpu_save(v, cpu);
}
