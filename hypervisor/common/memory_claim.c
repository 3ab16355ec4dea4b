/* XENMEM_claim_pages: the toolstack reserves a new domain's memory in
 * one step before populating it page by page, so that two domains
 * built at once cannot each get half of what they need.  A claim is
 * used up as the domain's pages are allocated; what others may take
 * leaves the outstanding claims untouched (Xen's rules). */
#include <xenolith/domain.h>
#include <xenolith/memop.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xen/errno.h>
#include <xen/memory.h>

static uint64_t claimed; /* promised, not yet allocated (big lock) */

uint64_t claim_outstanding(void)
{
	return claimed;
}

bool claim_room(const struct domain *d, uint64_t nr)
{
	uint64_t others = claimed - d->outstanding_pages;

	return mm_free_pages() >= others && mm_free_pages() - others >= nr;
}

void claim_consume(struct domain *d, uint64_t nr)
{
	uint64_t n = MIN(nr, d->outstanding_pages);

	d->outstanding_pages -= n;
	claimed -= n;
}

void claim_cancel(struct domain *d)
{
	claimed -= d->outstanding_pages;
	d->outstanding_pages = 0;
}

/* pages is the domain's total once built: what it has counts toward it */
static long claim_set(struct domain *d, uint64_t pages)
{
	uint64_t want;

	if (!pages) {
		claim_cancel(d);
		return 0;
	}
	if (d->outstanding_pages)
		return -XEN_EINVAL; /* one claim at a time */
	if (pages <= d->nr_pages || pages > d->max_pages)
		return -XEN_EINVAL;
	want = pages - d->nr_pages;
	if (!claim_room(d, want))
		return -XEN_ENOMEM;
	d->outstanding_pages = want;
	claimed += want;
	return 0;
}

long memop_claim_pages(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	long rc;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.extent_start || r.extent_order || r.mem_flags)
		return -XEN_EINVAL;
	d = memop_target(v, r.domid, &rc);
	if (!d)
		return rc == -XEN_ESRCH ? -XEN_EINVAL : rc;
	if (d == v->d || d->dying)
		return -XEN_EINVAL;
	rc = claim_set(d, r.nr_extents);
	if (rc)
		log_debug("d%u: claim of %llu pages for d%u refused (%ld): it has %llu of %llu\n",
			  v->d->id, (unsigned long long)r.nr_extents, d->id, rc,
			  (unsigned long long)d->nr_pages, (unsigned long long)d->max_pages);
	return rc;
}
