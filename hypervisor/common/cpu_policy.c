/* CPUID/MSR policies in Xen's record format: building the default from
 * the guest view, validating and applying a toolstack's records, and
 * answering CPUID from them.  Pure: unit tested on the host. */
#include <xenolith/cpu_policy.h>
#include <xen/errno.h>

#define BASIC_LAST 0xDU
#define EXTD_FIRST 0x80000000U
#define EXTD_LAST 0x80000021U

static void add(struct cpu_policy *p, const struct cpuid_ctx *c, uint32_t leaf, uint32_t sub)
{
	struct xen_cpuid_leaf *e;
	uint32_t r[4];

	if (p->nr == CPU_POLICY_MAX_LEAVES)
		return;
	cpuid_guest(c, leaf, sub == CPU_NO_SUBLEAF ? 0 : sub, r);
	e = &p->leaf[p->nr++];
	*e = (struct xen_cpuid_leaf){ leaf, sub, r[0], r[1], r[2], r[3] };
}

/* Does leaf take subleaves, and how many does the host view have? */
static bool has_subleaves(uint32_t leaf)
{
	return leaf == 4 || leaf == 7 || leaf == 0xB || leaf == 0xD;
}

static uint32_t nr_subleaves(const struct cpuid_ctx *c, uint32_t leaf)
{
	uint32_t r[4];

	/* as many as Xen's serialiser writes, whatever the host has: libxc
	 * serialises a policy it read back into an array of the size we
	 * reported, so the two counts must agree */
	switch (leaf) {
	case 4:
		return 6; /* CPUID_GUEST_NR_CACHE */
	case 0xB:
		return 2; /* CPUID_GUEST_NR_TOPO */
	case 7:
		cpuid_guest(c, 7, 0, r);
		return MIN(r[0], 2U) + 1;
	default: /* 0xD: x87 and SSE state, the only ones offered */
		return 2;
	}
}

void cpu_policy_init(struct cpu_policy *p, const struct cpuid_ctx *c)
{
	uint32_t r[4], max;

	memset(p, 0, sizeof(*p));
	cpuid_guest(c, 0, 0, r);
	max = MIN(r[0], BASIC_LAST);
	for (uint32_t leaf = 0; leaf <= max; leaf++) {
		if (!has_subleaves(leaf)) {
			add(p, c, leaf, CPU_NO_SUBLEAF);
			continue;
		}
		for (uint32_t s = 0, n = nr_subleaves(c, leaf); s < n; s++)
			add(p, c, leaf, s);
	}
	/* Xen's serialised form carries the Xen leaves' limits (hv_limit,
	 * hv2_limit) as two records; 0 = the hypervisor's choice */
	p->leaf[p->nr++] = (struct xen_cpuid_leaf){ 0x40000000U, CPU_NO_SUBLEAF, 0, 0, 0, 0 };
	p->leaf[p->nr++] = (struct xen_cpuid_leaf){ 0x40000100U, CPU_NO_SUBLEAF, 0, 0, 0, 0 };
	cpuid_guest(c, EXTD_FIRST, 0, r);
	max = (r[0] & 0xFFFF0000U) == EXTD_FIRST ? MIN(r[0], EXTD_LAST) : EXTD_FIRST;
	for (uint32_t leaf = EXTD_FIRST; leaf <= max; leaf++)
		add(p, c, leaf, CPU_NO_SUBLEAF);
}

static struct xen_cpuid_leaf *find(struct cpu_policy *p, uint32_t leaf, uint32_t sub)
{
	for (unsigned int i = 0; i < p->nr; i++)
		if (p->leaf[i].leaf == leaf && p->leaf[i].subleaf == sub)
			return &p->leaf[i];
	return NULL;
}

const struct xen_cpuid_leaf *cpu_policy_find(const struct cpu_policy *p, uint32_t leaf,
					     uint32_t sub)
{
	return find((struct cpu_policy *)p, leaf, has_subleaves(leaf) ? sub : CPU_NO_SUBLEAF);
}

/* Registers holding feature flags: the toolstack may clear bits, never
 * add ones the default lacks (except HTT, which describes topology). */
static void clamp_features(struct xen_cpuid_leaf *e, const struct xen_cpuid_leaf *d)
{
	switch (e->leaf) {
	case 1:
		e->c &= d->c;
		e->d &= d->d | (1U << 28);
		break;
	case 7:
		if (e->subleaf == 0) {
			e->b &= d->b;
			e->c &= d->c;
			e->d &= d->d;
		}
		break;
	case 0x80000001U:
		e->c &= d->c;
		e->d &= d->d;
		break;
	case 0x80000007U:
		e->d &= d->d;
		break;
	default:
		break;
	}
}

static int fail(struct cpu_policy_err *err, int rc, uint32_t leaf, uint32_t sub, uint32_t msr)
{
	err->leaf = leaf;
	err->subleaf = sub;
	err->msr = msr;
	return rc;
}

int cpu_policy_apply(struct cpu_policy *p, const struct cpu_policy *dflt,
		     const struct xen_cpuid_leaf *l, unsigned int nl, const struct xen_msr_entry *m,
		     unsigned int nm, struct cpu_policy_err *err)
{
	static const uint32_t max_leaves[] = { 0, EXTD_FIRST };
	struct cpu_policy n = *p;

	err->leaf = err->subleaf = err->msr = ~0U;
	if (nl > CPU_POLICY_MAX_LEAVES || nm > CPU_POLICY_MAX_MSRS)
		return -XEN_ENOBUFS;
	for (unsigned int i = 0; i < nl; i++) {
		struct xen_cpuid_leaf *e = find(&n, l[i].leaf, l[i].subleaf);

		if (!e)
			return fail(err, -XEN_ERANGE, l[i].leaf, l[i].subleaf, ~0U);
		*e = l[i];
	}
	for (unsigned int i = 0; i < nm; i++) {
		if (m[i].idx != MSR_PLATFORM_INFO && m[i].idx != MSR_ARCH_CAPABILITIES)
			return fail(err, -XEN_ERANGE, ~0U, ~0U, m[i].idx);
		/* no CPUID faulting, no architectural capabilities to offer */
		if (m[i].flags || m[i].val != (m[i].idx == MSR_PLATFORM_INFO ? dflt->platform_info
									     : dflt->arch_caps))
			return fail(err, -XEN_EINVAL, ~0U, ~0U, m[i].idx);
	}
	/* the max leaves (and leaf 7's max subleaf) may only shrink */
	for (unsigned int i = 0; i < 2; i++) {
		const struct xen_cpuid_leaf *h = cpu_policy_find(dflt, max_leaves[i], 0);
		const struct xen_cpuid_leaf *g = find(&n, max_leaves[i], CPU_NO_SUBLEAF);

		if (h && g && g->a > h->a)
			return fail(err, -XEN_EINVAL, max_leaves[i], CPU_NO_SUBLEAF, ~0U);
	}
	{
		const struct xen_cpuid_leaf *h = cpu_policy_find(dflt, 7, 0);
		const struct xen_cpuid_leaf *g = find(&n, 7, 0);

		if (h && g && g->a > h->a)
			return fail(err, -XEN_EINVAL, 7, 0, ~0U);
	}
	for (unsigned int i = 0; i < n.nr; i++) {
		const struct xen_cpuid_leaf *d = cpu_policy_find(dflt, n.leaf[i].leaf,
								 n.leaf[i].subleaf);

		if (d)
			clamp_features(&n.leaf[i], d);
	}
	*p = n;
	return 0;
}

void cpu_policy_cpuid(const struct cpu_policy *p, const struct cpuid_ctx *c, uint32_t leaf,
		      uint32_t sub, uint32_t out[4])
{
	const struct xen_cpuid_leaf *e;

	if ((leaf & 0xFFFF0000U) == 0x40000000U) {
		cpuid_guest(c, leaf, sub, out);
		return;
	}
	e = cpu_policy_find(p, leaf, sub);
	if (!e) {
		out[0] = out[1] = out[2] = out[3] = 0;
		return;
	}
	out[0] = e->a;
	out[1] = e->b;
	out[2] = e->c;
	out[3] = e->d;
	/* per-vCPU: the initial and x2APIC ids are 2 x vCPU id */
	if (leaf == 1)
		out[1] = (out[1] & 0x00FFFFFFU) | ((2U * c->vcpu_id) << 24);
	else if (leaf == 0xB)
		out[3] = 2U * c->vcpu_id;
}
