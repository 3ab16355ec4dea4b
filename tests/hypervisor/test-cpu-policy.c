/* CPUID/MSR policies in Xen's record format: the default's leaves,
 * records applied by a toolstack, and every refusal with its culprit. */
#include "check.h"
#include "common/cpuid.c"
#include "common/cpu_policy.c"

/* A host with max basic leaf 0xD, extended 0x80000008, two cache levels
 * in leaf 4 and two topology levels in leaf 0xB. */
static void fake_host(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	out[0] = out[1] = out[2] = out[3] = 0;
	switch (leaf) {
	case 0:
		out[0] = 0xD;
		out[1] = 0x68747541; /* "Auth" */
		break;
	case 1:
		out[2] = 0xFFFFFFFF;
		out[3] = 0xFFFFFFFF & ~(1U << 28);
		break;
	case 4:
		out[0] = sub < 2 ? 0x121 + sub : 0; /* type data/instruction, then none */
		break;
	case 7:
		out[1] = sub == 0 ? 0x209 : 0; /* max subleaf 0 */
		break;
	case 0xB:
		out[2] = sub < 2 ? ((sub + 1) << 8) | sub : sub;
		break;
	case 0x80000000:
		out[0] = 0x80000008;
		break;
	case 0x80000001:
		out[2] = 0xFFFFFFFF;
		out[3] = 0x2C100800;
		break;
	default:
		out[0] = leaf;
		break;
	}
}

int main(void)
{
	struct cpuid_ctx c = { fake_host, 0, 5, 2 }, c1 = { fake_host, 1, 5, 2 };
	static struct cpu_policy dflt, p;
	struct cpu_policy_err err;
	struct xen_cpuid_leaf l[3];
	struct xen_msr_entry m[1];
	const struct xen_cpuid_leaf *e;
	uint32_t r[4];
	unsigned int n4 = 0, n7 = 0, nb = 0, nd = 0, nx = 0, nh = 0;

	cpu_policy_init(&dflt, &c);
	for (unsigned int i = 0; i < dflt.nr; i++) {
		uint32_t lf = dflt.leaf[i].leaf;

		n4 += lf == 4;
		n7 += lf == 7;
		nb += lf == 0xB;
		nd += lf == 0xD;
		nx += lf >= 0x80000000U;
		nh += lf == 0x40000000U || lf == 0x40000100U;
		if (lf != 4 && lf != 7 && lf != 0xB && lf != 0xD && dflt.leaf[i].subleaf != CPU_NO_SUBLEAF)
			break;
	}
	CHECK(dflt.nr == 14 - 4 + n4 + n7 + nb + nd + nh + nx,
	      "leaves 0..0xD, two Xen limits and 0x80000000..8: %u records", dflt.nr);
	/* the counts Xen's serialiser writes, whatever the host reports */
	CHECK(n4 == 6 && n7 == 1 && nb == 2 && nd == 2 && nh == 2 && nx == 9,
	      "subleaves: leaf 4 x%u, 7 x%u, 0xB x%u, 0xD x%u; Xen limits %u; extended %u", n4, n7,
	      nb, nd, nh, nx);
	e = cpu_policy_find(&dflt, 2, 0);
	CHECK(e && e->subleaf == CPU_NO_SUBLEAF, "leaf 2 has no subleaves (XEN_CPUID_NO_SUBLEAF)");
	e = cpu_policy_find(&dflt, 1, 0);
	CHECK(e && (e->c & (1U << 31)) && !(e->c & (1U << 5)), "leaf 1 as guests see it (hypervisor bit, no VMX)");
	e = cpu_policy_find(&dflt, 0x40000000, 0);
	CHECK(e && !e->a && !e->b && !e->c && !e->d, "Xen's leaves: only the limit record (hv_limit 0)");
	e = cpu_policy_find(&dflt, 1, 0);

	/* CPUID under a policy: stored values, per-vCPU APIC ids, Xen leaves */
	p = dflt;
	cpu_policy_cpuid(&p, &c1, 1, 0, r);
	CHECK((r[1] >> 24) == 2 && r[2] == e->c, "leaf 1 for vCPU 1: APIC id 2, stored features");
	cpu_policy_cpuid(&p, &c1, 0xB, 1, r);
	CHECK(r[3] == 2 && ((r[2] >> 8) & 0xFF) == 2, "leaf 0xB subleaf 1: x2APIC id 2");
	cpu_policy_cpuid(&p, &c1, 0x40000004, 0, r);
	CHECK(r[1] == 1 && r[2] == 5, "leaf 0x40000004: vcpu and domain ids");
	cpu_policy_cpuid(&p, &c1, 0x20, 0, r);
	CHECK(!r[0] && !r[1] && !r[2] && !r[3], "a leaf past the max basic leaf reads zero");

	/* a toolstack's adjustments: clear a feature, set HTT, try to add one */
	l[0] = *cpu_policy_find(&dflt, 1, 0);
	l[0].d |= 1U << 28;
	l[0].c &= ~(1U << 0);
	l[1] = *cpu_policy_find(&dflt, 0x80000001U, 0);
	l[1].c |= 1U << 2; /* SVM: the default hides it */
	CHECK(cpu_policy_apply(&p, &dflt, l, 2, NULL, 0, &err) == 0 && err.leaf == ~0U,
	      "apply leaf 1 and 0x80000001");
	e = cpu_policy_find(&p, 1, 0);
	CHECK(e && (e->d & (1U << 28)) && !(e->c & 1), "HTT set, SSE3 cleared");
	e = cpu_policy_find(&p, 0x80000001U, 0);
	CHECK(e && !(e->c & (1U << 2)), "a feature the host view lacks stays off (SVM)");

	/* refusals leave the policy alone and name the culprit */
	p = dflt;
	l[0] = (struct xen_cpuid_leaf){ 0x50, CPU_NO_SUBLEAF, 1, 2, 3, 4 };
	CHECK(cpu_policy_apply(&p, &dflt, l, 1, NULL, 0, &err) == -XEN_ERANGE && err.leaf == 0x50 &&
	      err.subleaf == CPU_NO_SUBLEAF && err.msr == ~0U, "an unknown leaf: -ERANGE, err_leaf 0x50");
	l[0] = (struct xen_cpuid_leaf){ 2, 0, 1, 2, 3, 4 };
	CHECK(cpu_policy_apply(&p, &dflt, l, 1, NULL, 0, &err) == -XEN_ERANGE && err.leaf == 2 &&
	      err.subleaf == 0, "a subleaf of a leaf without subleaves: -ERANGE");
	l[0] = *cpu_policy_find(&dflt, 1, 0);
	l[0].c = 0;
	l[1] = *cpu_policy_find(&dflt, 0, 0);
	l[1].a = 0x20;
	CHECK(cpu_policy_apply(&p, &dflt, l, 2, NULL, 0, &err) == -XEN_EINVAL && err.leaf == 0 &&
	      err.subleaf == CPU_NO_SUBLEAF, "a larger max basic leaf: -EINVAL, err_leaf 0");
	CHECK(cpu_policy_find(&p, 1, 0)->c == cpu_policy_find(&dflt, 1, 0)->c,
	      "a refused set changes nothing");
	l[0] = *cpu_policy_find(&dflt, 0x80000000U, 0);
	l[0].a = 0x80000030;
	CHECK(cpu_policy_apply(&p, &dflt, l, 1, NULL, 0, &err) == -XEN_EINVAL &&
	      err.leaf == 0x80000000U, "a larger max extended leaf: -EINVAL");
	l[0] = *cpu_policy_find(&dflt, 7, 0);
	l[0].a = 1;
	CHECK(cpu_policy_apply(&p, &dflt, l, 1, NULL, 0, &err) == -XEN_EINVAL && err.leaf == 7 &&
	      err.subleaf == 0, "a larger leaf 7 max subleaf: -EINVAL (7, 0)");
	m[0] = (struct xen_msr_entry){ 0x1B, 0, 0 };
	CHECK(cpu_policy_apply(&p, &dflt, NULL, 0, m, 1, &err) == -XEN_ERANGE && err.msr == 0x1B &&
	      err.leaf == ~0U, "an MSR outside the policy: -ERANGE, err_msr");
	m[0] = (struct xen_msr_entry){ MSR_PLATFORM_INFO, 1, 0 };
	CHECK(cpu_policy_apply(&p, &dflt, NULL, 0, m, 1, &err) == -XEN_EINVAL &&
	      err.msr == MSR_PLATFORM_INFO, "MSR flags set: -EINVAL");
	m[0] = (struct xen_msr_entry){ MSR_PLATFORM_INFO, 0, 1ULL << 31 };
	CHECK(cpu_policy_apply(&p, &dflt, NULL, 0, m, 1, &err) == -XEN_EINVAL,
	      "CPUID faulting (not offered): -EINVAL");
	m[0] = (struct xen_msr_entry){ MSR_ARCH_CAPABILITIES, 0, 0 };
	CHECK(cpu_policy_apply(&p, &dflt, NULL, 0, m, 1, &err) == 0, "the MSRs as offered: accepted");
	CHECK(cpu_policy_apply(&p, &dflt, l, CPU_POLICY_MAX_LEAVES + 1, NULL, 0, &err) == -XEN_ENOBUFS,
	      "more records than a policy holds: -ENOBUFS");
	return check_done();
}
