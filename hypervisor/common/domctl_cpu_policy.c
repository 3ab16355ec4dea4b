/* XEN_DOMCTL_get_cpu_policy / set_cpu_policy: a domain's CPUID and MSR
 * policy as records (cpu_policy.c); set only before the domain first
 * runs, as in Xen. */
#include <xenolith/cpu_policy.h>
#include <xenolith/domain.h>
#include <xenolith/domctl.h>
#include <xenolith/mm.h>
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

static long get_policy(struct vcpu *v, struct domain *d, struct xen_domctl_cpu_policy *cp)
{
	struct cpu_policy *own = d->cpu_policy ? NULL : policy_default(d);
	const struct cpu_policy *p = d->cpu_policy ? d->cpu_policy : own;
	struct xen_msr_entry msrs[2] = { { MSR_PLATFORM_INFO, 0, 0 }, { MSR_ARCH_CAPABILITIES, 0, 0 } };
	long rc = 0;

	if (!p)
		return -XEN_ENOMEM;
	msrs[0].val = p->platform_info;
	msrs[1].val = p->arch_caps;
	/* null handles ask for the sizes to allocate */
	if (!cp->leaves.p) {
		cp->nr_leaves = CPU_POLICY_MAX_LEAVES;
	} else if (cp->nr_leaves < p->nr) {
		rc = -XEN_ENOBUFS;
	} else {
		cp->nr_leaves = p->nr;
		if (copy_to_guest(v, (uint64_t)(uintptr_t)cp->leaves.p, p->leaf,
				  p->nr * sizeof(p->leaf[0])))
			rc = -XEN_EFAULT;
	}
	if (rc)
		goto out;
	if (!cp->msrs.p) {
		cp->nr_msrs = CPU_POLICY_MAX_MSRS;
	} else if (cp->nr_msrs < CPU_POLICY_MAX_MSRS) {
		rc = -XEN_ENOBUFS;
	} else {
		cp->nr_msrs = CPU_POLICY_MAX_MSRS;
		if (copy_to_guest(v, (uint64_t)(uintptr_t)cp->msrs.p, msrs, sizeof(msrs)))
			rc = -XEN_EFAULT;
	}
out:
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
