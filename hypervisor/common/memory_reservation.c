/* populate_physmap and decrease_reservation for translated domains: the
 * toolstack filling a new guest (target another domain, control domain
 * only) and a balloon driver giving pages back (DOMID_SELF).  Partial
 * success is reported as in Xen: the number of extents done (0 when the
 * domain is unknown or not the caller's to change). */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include <xenolith/memop.h>
#include <xenolith/printk.h>

#define GFN_LIMIT (1ULL << 40)
#define ORDER_MAX 9 /* 2 MiB extents at most, as Xen allows a guest */

static bool range_empty(struct domain *d, uint64_t gfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++)
		if (p2m_lookup(d, gfn + i, NULL) != INVALID_PFN)
			return false;
	return true;
}

/* 2^order fresh pages at gfn (aligned, free, within max_pages). */
static int populate_one(struct domain *d, uint64_t gfn, unsigned int order)
{
	uint64_t nr = 1ULL << order, mfn;

	if ((gfn & (nr - 1)) || gfn >= GFN_LIMIT || nr > GFN_LIMIT - gfn)
		return -XEN_EINVAL;
	if (d->nr_pages + nr > d->max_pages)
		return -XEN_ENOMEM;
	if (!range_empty(d, gfn, nr))
		return -XEN_EBUSY;
	if (!claim_room(d, nr))
		return -XEN_ENOMEM; /* promised to a domain being built */
	mfn = mm_alloc(order, d->id);
	if (mfn == INVALID_PFN)
		return -XEN_ENOMEM;
	for (uint64_t i = 0; i < nr; i++) {
		struct page_info *pg = mm_page(mfn + i);

		/* each frame its own head with its own reference (the p2m's),
		 * so that it can be given back alone */
		pg->flags = PGF_HEAD;
		pg->order = 0;
	}
	for (uint64_t i = 0; i < nr; i++) {
		if (p2m_set(d, gfn + i, mfn + i, P2M_RAM)) {
			for (uint64_t k = 0; k < i; k++)
				p2m_remove(d, gfn + k);
			for (uint64_t k = 0; k < nr; k++)
				page_put(mfn + k);
			return -XEN_ENOMEM;
		}
	}
	d->nr_pages += nr;
	claim_consume(d, nr);
	return 0;
}

/* Give back the 2^order RAM pages at gfn; all must be RAM. */
static int decrease_one(struct domain *d, uint64_t gfn, unsigned int order)
{
	uint64_t nr = 1ULL << order;

	if (gfn >= GFN_LIMIT || nr > GFN_LIMIT - gfn)
		return -XEN_EINVAL;
	for (uint64_t i = 0; i < nr; i++) {
		enum p2m_type t;

		if (p2m_lookup(d, gfn + i, &t) == INVALID_PFN || t != P2M_RAM)
			return -XEN_EINVAL;
	}
	for (uint64_t i = 0; i < nr; i++) {
		page_put(p2m_remove(d, gfn + i));
		d->nr_pages--;
	}
	return 0;
}

long memop_reservation(struct vcpu *v, unsigned int op, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	uint64_t done = 0;
	long rc;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	/* as Xen: a domain that does not exist or may not be touched gets
	 * no extents rather than an error */
	d = memop_target(v, r.domid, &rc);
	if (!d)
		return 0;
	/* as Xen: an order too large does nothing (0 extents); mem_flags
	 * (NUMA node, address width) do not matter on one node */
	if (r.extent_order > ORDER_MAX || d->dying)
		return 0;
	for (; done < r.nr_extents; done++) {
		uint64_t gfn;

		if (copy_from_guest(v, &gfn, (uint64_t)(uintptr_t)r.extent_start + 8 * done,
				    sizeof(gfn))) {
			log_debug("d%u: memory op %u: extent list at %p unreadable\n", v->d->id, op,
				  (void *)r.extent_start);
			break; /* as Xen: the extents done so far */
		}
		if (op == XENMEM_populate_physmap)
			rc = populate_one(d, gfn, r.extent_order);
		else
			rc = decrease_one(d, gfn, r.extent_order);
		if (rc) {
			log_debug("d%u: %s of order %u at gfn %#llx for d%u failed (%ld): "
				  "%llu of %llu pages\n", v->d->id,
				  op == XENMEM_populate_physmap ? "populate" : "decrease",
				  r.extent_order, (unsigned long long)gfn, d->id, rc,
				  (unsigned long long)d->nr_pages, (unsigned long long)d->max_pages);
			break;
		}
	}
	if (op == XENMEM_decrease_reservation && done)
		p2m_flush(d);
	return (long)done;
}
