/* XEN_DOMCTL_get_cpu_policy / set_cpu_policy: a domain's CPUID and MSR
 * policy as records (cpu_policy.c); set only before the domain first
 * runs, as in Xen. */
#include <xenolith/cpu_policy.h>
#include <xenolith/domain.h>
#include <xenolith/domctl.h>
#include <xenolith/mm.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xen/errno.h>

/* A fresh copy of d's default policy (xmalloc'ed), NULL without memory. */
static struct cpu_policy *policy_default(struct domain *d)
{
	struct cpuid_ctx c = { svm_host_cpuid, 0, d->id, d->nr_vcpus };
	struct cpu_policy *p = xmalloc(sizeof(*p));

	if (p)
		cpu_policy_init(p, &c);
	return p;
}

/* p as records into the caller's arrays; NULL arrays ask for the sizes
 * to allocate, short ones get -ENOBUFS (Xen's rules for both the domctl
 * and the sysctl). */
static long policy_to_guest(struct vcpu *v, const struct cpu_policy *p, uint32_t *nr_leaves,
			    uint64_t leaves, uint32_t *nr_msrs, uint64_t msrs)
{
	struct xen_msr_entry m[2] = { { MSR_PLATFORM_INFO, 0, p->platform_info },
				      { MSR_ARCH_CAPABILITIES, 0, p->arch_caps } };

	if (!leaves) {
		*nr_leaves = CPU_POLICY_MAX_LEAVES;
	} else if (*nr_leaves < p->nr) {
		return -XEN_ENOBUFS;
	} else {
		*nr_leaves = p->nr;
		if (copy_to_guest(v, leaves, p->leaf, p->nr * sizeof(p->leaf[0])))
			return -XEN_EFAULT;
	}
	if (!msrs) {
		*nr_msrs = CPU_POLICY_MAX_MSRS;
	} else if (*nr_msrs < CPU_POLICY_MAX_MSRS) {
		return -XEN_ENOBUFS;
	} else {
		*nr_msrs = CPU_POLICY_MAX_MSRS;
		if (copy_to_guest(v, msrs, m, sizeof(m)))
			return -XEN_EFAULT;
	}
	return 0;
}

static long get_policy(struct vcpu *v, struct domain *d, struct xen_domctl_cpu_policy *cp)
{
	struct cpu_policy *own = d->cpu_policy ? NULL : policy_default(d);
	const struct cpu_policy *p = d->cpu_policy ? d->cpu_policy : own;
	long rc;

	if (!p)
		return -XEN_ENOMEM;
	rc = policy_to_guest(v, p, &cp->nr_leaves, (uint64_t)(uintptr_t)cp->leaves.p,
			     &cp->nr_msrs, (uint64_t)(uintptr_t)cp->msrs.p);
	xfree(own);
	return rc;
}

static long set_policy(struct vcpu *v, struct domain *d, struct xen_domctl_cpu_policy *cp)
{
	struct cpu_policy *dflt = NULL, *p = NULL;
	struct xen_cpuid_leaf *l = NULL;
	struct xen_msr_entry m[CPU_POLICY_MAX_MSRS];
	struct cpu_policy_err err = { ~0U, ~0U, ~0U };
	long rc;

	cp->err_leaf = cp->err_subleaf = cp->err_msr = ~0U;
	if (d == v->d)
		return -XEN_EINVAL;
	if (d->creation_finished)
		return -XEN_EEXIST; /* a running guest's CPUID must not change */
	if (cp->nr_leaves > CPU_POLICY_MAX_LEAVES || cp->nr_msrs > CPU_POLICY_MAX_MSRS)
		return -XEN_ENOBUFS;
	dflt = policy_default(d);
	p = d->cpu_policy ? d->cpu_policy : policy_default(d);
	l = xmalloc(sizeof(*l) * (cp->nr_leaves ? cp->nr_leaves : 1));
	rc = -XEN_ENOMEM;
	if (!dflt || !p || !l)
		goto out;
	rc = -XEN_EFAULT;
	if (copy_from_guest(v, l, (uint64_t)(uintptr_t)cp->leaves.p, cp->nr_leaves * sizeof(*l)) ||
	    copy_from_guest(v, m, (uint64_t)(uintptr_t)cp->msrs.p, cp->nr_msrs * sizeof(m[0])))
		goto out;
	rc = cpu_policy_apply(p, dflt, l, cp->nr_leaves, m, cp->nr_msrs, &err);
	cp->err_leaf = err.leaf;
	cp->err_subleaf = err.subleaf;
	cp->err_msr = err.msr;
	if (rc == 0)
		d->cpu_policy = p;
out:
	if (p != d->cpu_policy)
		xfree(p);
	xfree(dflt);
	xfree(l);
	return rc;
}

long domctl_cpu_policy(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	return op->cmd == XEN_DOMCTL_get_cpu_policy ? get_policy(v, d, &op->u.cpu_policy)
						    : set_policy(v, d, &op->u.cpu_policy);
}

/* Where each word of Xen's featureset comes from (leaf, subleaf,
 * register 0..3 = eax..edx), in featureset order. */
static const struct {
	uint32_t leaf, sub;
	unsigned int reg;
} fs_words[] = {
	{ 1, CPU_NO_SUBLEAF, 3 },	   /* 1d */
	{ 1, CPU_NO_SUBLEAF, 2 },	   /* 1c */
	{ 0x80000001, CPU_NO_SUBLEAF, 3 }, /* e1d */
	{ 0x80000001, CPU_NO_SUBLEAF, 2 }, /* e1c */
	{ 0xD, 1, 0 },			   /* Da1 */
	{ 7, 0, 1 },			   /* 7b0 */
	{ 7, 0, 2 },			   /* 7c0 */
	{ 0x80000007, CPU_NO_SUBLEAF, 3 }, /* e7d */
	{ 0x80000008, CPU_NO_SUBLEAF, 1 }, /* e8b */
	{ 7, 0, 3 },			   /* 7d0 */
	{ 7, 1, 0 },			   /* 7a1 */
	{ 0x80000021, CPU_NO_SUBLEAF, 0 }, /* e21a */
};

long sysctl_cpu_featureset(struct vcpu *v, struct xen_sysctl_cpu_featureset *f)
{
	struct cpuid_ctx c = { svm_host_cpuid, 0, 0, smp_nr_cpus() };
	const uint32_t total = ARRAY_SIZE(fs_words);
	uint32_t words[ARRAY_SIZE(fs_words)], n;
	struct cpu_policy *p;

	if (!f->features.v) {
		f->nr_features = total;
		return 0;
	}
	if (f->index == XEN_SYSCTL_cpu_featureset_pv || f->index == XEN_SYSCTL_cpu_featureset_pv_max)
		return -XEN_EOPNOTSUPP;
	if (f->index > XEN_SYSCTL_cpu_featureset_hvm_max)
		return -XEN_EINVAL;
	p = xmalloc(sizeof(*p));
	if (!p)
		return -XEN_ENOMEM;
	cpu_policy_init(p, &c);
	for (unsigned int i = 0; i < total; i++) {
		const struct xen_cpuid_leaf *l = cpu_policy_find(p, fs_words[i].leaf, fs_words[i].sub);
		const uint32_t regs[4] = { l ? l->a : 0, l ? l->b : 0, l ? l->c : 0, l ? l->d : 0 };

		words[i] = regs[fs_words[i].reg];
	}
	xfree(p);
	n = MIN(f->nr_features, total);
	if (copy_to_guest(v, f->features.v, words, n * sizeof(words[0])))
		return -XEN_EFAULT;
	f->nr_features = n;
	return n < total ? -XEN_ENOBUFS : 0;
}

/* XEN_SYSCTL_get_cpu_policy (and the featuresets above): the system
 * policies.  A PVH guest's default
 * is what a new domain gets; its maximum is the same (nothing is held
 * back for opting in), and the raw and host policies are served as that
 * too: the host leaves as far as guests may see them.  No PV. */
long sysctl_cpu_policy(struct vcpu *v, struct xen_sysctl_cpu_policy *sp)
{
	struct cpuid_ctx c = { svm_host_cpuid, 0, 0, smp_nr_cpus() };
	struct cpu_policy *p;
	long rc;

	switch (sp->index) {
	case XEN_SYSCTL_cpu_policy_raw:
	case XEN_SYSCTL_cpu_policy_host:
	case XEN_SYSCTL_cpu_policy_hvm_max:
	case XEN_SYSCTL_cpu_policy_hvm_default:
		break;
	case XEN_SYSCTL_cpu_policy_pv_max:
	case XEN_SYSCTL_cpu_policy_pv_default:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_EINVAL;
	}
	if (sp->_rsvd)
		return -XEN_EINVAL;
	p = xmalloc(sizeof(*p));
	if (!p)
		return -XEN_ENOMEM;
	cpu_policy_init(p, &c);
	rc = policy_to_guest(v, p, &sp->nr_leaves, sp->leaves.v, &sp->nr_msrs, sp->msrs.v);
	xfree(p);
	return rc;
}
