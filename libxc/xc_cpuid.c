/* A domain's CPUID policy: read and write it (domctl get/set_cpu_policy)
 * and the adjustments Xen's toolstack makes to a new HVM/PVH domain's
 * default policy before it first runs (xc_cpuid_apply_policy): the
 * topology that matches the vLAPIC IDs Xen hands out (vCPU n has APIC ID
 * 2n, as if every core had a hidden sibling), and the invariant-TSC,
 * PAE and nested-virtualisation bits from the configuration. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/domctl.h>
#include "include/xenguest.h"
#include "xc_private.h"

#define VENDOR_AMD_EBX 0x68747541u	/* "Auth" */
#define VENDOR_HYGON_EBX 0x6f677948u	/* "Hygo" */
#define VENDOR_INTEL_EBX 0x756e6547u	/* "Genu" */

static struct xen_cpuid_leaf *find(struct xen_cpuid_leaf *l, uint32_t n, uint32_t leaf,
				   uint32_t subleaf)
{
	for (uint32_t i = 0; i < n; i++)
		if (l[i].leaf == leaf && l[i].subleaf == subleaf)
			return &l[i];
	return NULL;
}

static void set_bit_to(uint32_t *reg, unsigned int bit, bool on)
{
	*reg = on ? *reg | (1u << bit) : *reg & ~(1u << bit);
}

int xg_cpuid_adjust(struct xen_cpuid_leaf *l, uint32_t n, bool pae, bool itsc,
		    bool nested_virt)
{
	struct xen_cpuid_leaf *vendor = find(l, n, 0, XEN_CPUID_NO_SUBLEAF);
	struct xen_cpuid_leaf *basic = find(l, n, 1, XEN_CPUID_NO_SUBLEAF);
	struct xen_cpuid_leaf *ext1 = find(l, n, 0x80000001u, XEN_CPUID_NO_SUBLEAF);
	struct xen_cpuid_leaf *ext7 = find(l, n, 0x80000007u, XEN_CPUID_NO_SUBLEAF);
	struct xen_cpuid_leaf *ext8 = find(l, n, 0x80000008u, XEN_CPUID_NO_SUBLEAF);
	uint32_t lppp;

	if (!vendor || !basic) {
		errno = EINVAL;
		return -1;
	}
	set_bit_to(&basic->d, 6, pae);		/* PAE */
	set_bit_to(&basic->c, 5, nested_virt);	/* VMX */
	if (ext1) {
		set_bit_to(&ext1->c, 2, nested_virt);	/* SVM */
		set_bit_to(&ext1->c, 1, false);		/* CMP_LEGACY */
	}
	if (ext7)
		set_bit_to(&ext7->d, 8, itsc);		/* invariant TSC */
	/* Leaf 1: HTT, and logical processors per package doubled. */
	set_bit_to(&basic->d, 28, true);
	lppp = (basic->b >> 16) & 0xff;
	if (!lppp)
		lppp = 2;
	else if (!(lppp & 0x80))
		lppp *= 2;
	basic->b = (basic->b & ~0x00ff0000u) | (lppp << 16);
	if (vendor->b == VENDOR_INTEL_EBX) {
		/* Leaf 4: cores per package 2n+1, no sharing threads. */
		for (uint32_t s = 0; s < 64; s++) {
			struct xen_cpuid_leaf *c = find(l, n, 4, s);
			uint32_t cores;

			if (!c || !(c->a & 0x1f))
				break;
			cores = ((c->a >> 26) << 1) | 1;
			c->a = (c->a & 0x00003fffu) | ((cores & 0x3f) << 26);
		}
	} else if ((vendor->b == VENDOR_AMD_EBX || vendor->b == VENDOR_HYGON_EBX) && ext8) {
		/* 0x80000008 ECX: NumberOfCores-1 in [7:0], ApicIdCoreSize in
		 * [15:12] (kept at 7 or below, and left alone when 0, which
		 * changes the meaning of the count). */
		uint32_t nc = ext8->c & 0xff, size = (ext8->c >> 12) & 0xf;

		if (nc < 0x7f) {
			if (size != 0 && size < 7)
				size++;
			nc = (nc << 1) | 1;
			ext8->c = (ext8->c & ~0x0000f0ffu) | (size << 12) | nc;
		}
	}
	return 0;
}

int xc_get_domain_cpu_policy(xc_interface *xch, uint32_t domid, uint32_t *nr_leaves,
			     struct xen_cpuid_leaf *leaves, uint32_t *nr_msrs,
			     struct xen_msr_entry *msrs)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_get_cpu_policy, .domain = (domid_t)domid };
	struct xc_bounce lb = { .out = leaves, .size = leaves ? *nr_leaves * sizeof(*leaves) : 0 };
	struct xc_bounce mb = { .out = msrs, .size = msrs ? *nr_msrs * sizeof(*msrs) : 0 };
	int rc = -1;

	if (xc_bounce_stage(xch, &lb) < 0 || xc_bounce_stage(xch, &mb) < 0)
		goto out;
	d.u.cpu_policy.nr_leaves = *nr_leaves;
	d.u.cpu_policy.nr_msrs = *nr_msrs;
	d.u.cpu_policy.leaves.p = lb.buf;
	d.u.cpu_policy.msrs.p = mb.buf;
	rc = xc_domctl(xch, &d);
	if (rc == 0) {
		*nr_leaves = d.u.cpu_policy.nr_leaves;
		*nr_msrs = d.u.cpu_policy.nr_msrs;
	}
out:
	xc_bounce_done(xch, &lb, rc == 0 ? *nr_leaves * sizeof(*leaves) : 0);
	xc_bounce_done(xch, &mb, rc == 0 ? *nr_msrs * sizeof(*msrs) : 0);
	return rc;
}

int xc_set_domain_cpu_policy(xc_interface *xch, uint32_t domid, uint32_t nr_leaves,
			     const struct xen_cpuid_leaf *leaves, uint32_t nr_msrs,
			     const struct xen_msr_entry *msrs, uint32_t *err_leaf_p,
			     uint32_t *err_subleaf_p, uint32_t *err_msr_p)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_set_cpu_policy, .domain = (domid_t)domid };
	struct xc_bounce lb = { .in = leaves, .size = nr_leaves * sizeof(*leaves) };
	struct xc_bounce mb = { .in = msrs, .size = nr_msrs * sizeof(*msrs) };
	int rc = -1;

	if (xc_bounce_stage(xch, &lb) < 0 || xc_bounce_stage(xch, &mb) < 0)
		goto out;
	d.u.cpu_policy.nr_leaves = nr_leaves;
	d.u.cpu_policy.nr_msrs = nr_msrs;
	d.u.cpu_policy.leaves.p = lb.buf;
	d.u.cpu_policy.msrs.p = mb.buf;
	d.u.cpu_policy.err_leaf = d.u.cpu_policy.err_subleaf = d.u.cpu_policy.err_msr = ~0u;
	rc = xc_domctl(xch, &d);
	if (err_leaf_p)
		*err_leaf_p = d.u.cpu_policy.err_leaf;
	if (err_subleaf_p)
		*err_subleaf_p = d.u.cpu_policy.err_subleaf;
	if (err_msr_p)
		*err_msr_p = d.u.cpu_policy.err_msr;
out:
	xc_bounce_done(xch, &lb, 0);
	xc_bounce_done(xch, &mb, 0);
	return rc;
}

int xc_cpuid_apply_policy(xc_interface *xch, uint32_t domid, bool restore,
			  const uint32_t *featureset, unsigned int nr_features, bool pae,
			  bool itsc, bool nested_virt, const void *xend)
{
	uint32_t nl = 0, nm = 0, el, es, em;
	struct xen_cpuid_leaf *leaves = NULL;
	struct xen_msr_entry *msrs = NULL;
	int rc = -1;

	/* Migration and explicit featuresets/cpuid= overrides are not done. */
	if (restore || featureset || nr_features || xend) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (xc_get_domain_cpu_policy(xch, domid, &nl, NULL, &nm, NULL) < 0)
		return -1;
	leaves = calloc(nl ? nl : 1, sizeof(*leaves));
	msrs = calloc(nm ? nm : 1, sizeof(*msrs));
	if (!leaves || !msrs)
		goto out;
	if (xc_get_domain_cpu_policy(xch, domid, &nl, leaves, &nm, msrs) < 0 ||
	    xg_cpuid_adjust(leaves, nl, pae, itsc, nested_virt) < 0)
		goto out;
	if (xc_set_domain_cpu_policy(xch, domid, nl, leaves, nm, msrs, &el, &es, &em) < 0) {
		xc_report(xch, "set_cpu_policy of domain %u refused (leaf %#x subleaf %#x msr %#x)",
			  domid, el, es, em);
		goto out;
	}
	rc = 0;
out:
	free(leaves);
	free(msrs);
	return rc;
}
