/* Guest CPUID policy: the host's leaves minus what a guest must not use
 * (SVM, MONITOR), the "hypervisor present" bit, APIC ids of 2 x vCPU id,
 * and the Xen leaves at 0x40000000 as Xen 4.17 reports them for HVM. */
#include <xenolith/hypercall.h>
#include <xen/arch-x86/cpuid.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

static void xen_leaf(const struct cpuid_ctx *c, uint32_t idx, uint32_t sub,
		     uint32_t out[4])
{
	out[0] = out[1] = out[2] = out[3] = 0;
	switch (idx) {
	case 0:
		out[0] = XEN_CPUID_LEAF(5);
		out[1] = XEN_CPUID_SIGNATURE_EBX;
		out[2] = XEN_CPUID_SIGNATURE_ECX;
		out[3] = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1:
		out[0] = (XEN_MAJOR << 16) | XEN_MINOR;
		break;
	case 2:
		out[0] = 1; /* hypercall pages */
		out[1] = XEN_HYPERCALL_PAGE_MSR;
		break;
	case 3:
		/* TSC: native, no emulation; leave the rest zero */
		break;
	case 4:
		if (sub == 0) {
			out[0] = XEN_HVM_CPUID_IOMMU_MAPPINGS | XEN_HVM_CPUID_VCPU_ID_PRESENT |
				 XEN_HVM_CPUID_DOMID_PRESENT | XEN_HVM_CPUID_UPCALL_VECTOR;
			out[1] = c->vcpu_id;
			out[2] = c->domid;
		}
		break;
	default: /* base+5 is PV only: zeros for HVM/PVH */
		break;
	}
}

void cpuid_guest(const struct cpuid_ctx *c, uint32_t leaf, uint32_t sub,
		 uint32_t out[4])
{
	if ((leaf & 0xFFFF0000U) == 0x40000000U) {
		if (leaf <= XEN_CPUID_LEAF(5))
			xen_leaf(c, leaf - XEN_CPUID_FIRST_LEAF, sub, out);
		else
			out[0] = out[1] = out[2] = out[3] = 0;
		return;
	}
	c->host(leaf, sub, out);
	switch (leaf) {
	case 1:
		out[1] = (out[1] & 0x0000FFFFU) | ((2U * c->vcpu_id) << 24) |
			 ((c->nr_vcpus * 2U > 255 ? 255U : c->nr_vcpus * 2U) << 16);
		out[2] &= ~((1U << 3) | (1U << 5) | (1U << 24)); /* MONITOR, VMX, TSC-deadline */
		/* XSAVE, OSXSAVE, AVX: vCPUs sharing a pCPU have their FPU
		 * state switched with FXSAVE, which covers x87 and SSE only */
		out[2] &= ~((1U << 26) | (1U << 27) | (1U << 28));
		out[2] |= 1U << 21; /* x2APIC: the virtual LAPIC speaks the MSR interface */
		out[3] &= ~((1U << 7) | (1U << 14)); /* no machine-check architecture */
		out[2] |= 1U << 31; /* running on a hypervisor */
		break;
	case 5: /* MONITOR/MWAIT leaf hidden */
		out[0] = out[1] = out[2] = out[3] = 0;
		break;
	case 0xB:
		out[3] = 2U * c->vcpu_id;
		break;
	case 0x80000001:
		out[2] &= ~(1U << 2); /* no nested SVM */
		break;
	case 0x8000000A:
		out[0] = out[1] = out[2] = out[3] = 0;
		break;
	default:
		break;
	}
}
