/* A domain's CPUID/MSR policy in Xen's serialised form (the records of
 * XEN_DOMCTL_get/set_cpu_policy): the default is what cpuid_guest shows
 * vCPU 0; the toolstack may replace it before the domain first runs. */
#ifndef XENOLITH_CPU_POLICY_H
#define XENOLITH_CPU_POLICY_H

#include "hypercall.h"
#include <xen/domctl.h>

#define CPU_POLICY_MAX_LEAVES 96
#define CPU_POLICY_MAX_MSRS 2
#define CPU_NO_SUBLEAF 0xFFFFFFFFU
#define MSR_PLATFORM_INFO 0xCEU
#define MSR_ARCH_CAPABILITIES 0x10AU

struct cpu_policy {
	unsigned int nr;
	struct xen_cpuid_leaf leaf[CPU_POLICY_MAX_LEAVES];
	uint64_t platform_info, arch_caps;
};

struct cpu_policy_err {
	uint32_t leaf, subleaf, msr; /* ~0 = not this kind */
};

/* The leaves Xen serialises (basic up to 0xD, with the subleaves of 4, 7,
 * 0xB and 0xD; extended up to 0x80000021), as c shows them. */
void cpu_policy_init(struct cpu_policy *p, const struct cpuid_ctx *c);
/* The entry for (leaf, sub), NULL if the policy has none. */
const struct xen_cpuid_leaf *cpu_policy_find(const struct cpu_policy *p, uint32_t leaf,
					     uint32_t sub);
/* Apply nl leaves and nm MSRs onto p (entries not named keep their
 * values), checked against dflt, the domain's default: unknown leaves or
 * MSRs -ERANGE, larger max leaves, set MSR flags or MSR bits the host
 * lacks -EINVAL, with the culprit in *err.  Feature bits dflt lacks are
 * cleared (Xen recalculates the same way).  p is unchanged on error. */
int cpu_policy_apply(struct cpu_policy *p, const struct cpu_policy *dflt,
		     const struct xen_cpuid_leaf *l, unsigned int nl, const struct xen_msr_entry *m,
		     unsigned int nm, struct cpu_policy_err *err);
/* What a vCPU sees for (leaf, sub) under p: the stored values with the
 * per-vCPU fields (APIC ids) of c; Xen leaves as cpuid_guest has them. */
void cpu_policy_cpuid(const struct cpu_policy *p, const struct cpuid_ctx *c, uint32_t leaf,
		      uint32_t sub, uint32_t out[4]);

#endif
