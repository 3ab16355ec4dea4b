/* Grant mappings, version 1: GNTTABOP_map_grant_ref and unmap_grant_ref
 * for translated (PVH) callers, which name a GFN of their own in host_addr
 * (Linux's gntdev passes the page's physical address).  The granter's
 * entry must permit the caller (domid), read-only grants map read-only,
 * and GTF_reading/GTF_writing tell the granter the page is in use.  Each
 * mapping holds a reference on the granted page, so it outlives a granter
 * that is destroyed meanwhile. */
#include <xenolith/domain.h>
#include <xenolith/memop.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#define MAPTRACK_MAX 1024 /* mappings per domain */
#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GFN_LIMIT (1ULL << 40)

struct maptrack {
	bool used;
	bool writable;
	uint16_t dom; /* the granter */
	uint32_t ref;
	uint64_t gfn; /* where the caller sees it */
	uint64_t mfn;
};

struct grant_entry_v1 *gnttab_entry(struct domain *rd, uint32_t ref)
{
	if (ref >= rd->gnttab_nr_frames * ENTRIES_PER_FRAME)
		return NULL;
	return (struct grant_entry_v1 *)mm_page_virt(rd->gnttab_frame[ref / ENTRIES_PER_FRAME]) +
	       ref % ENTRIES_PER_FRAME;
}

/* Mark the entry in use, if it still grants what was checked; the
 * granter may rewrite it at any time, so compare-and-swap.  A wrong type,
 * grantee or a write to a read-only grant is GNTST_general_error, as in
 * Xen (map and copy alike). */
int16_t gnttab_pin(struct grant_entry_v1 *e, domid_t who, bool writable)
{
	uint16_t f = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

	for (;;) {
		uint16_t want = (uint16_t)(f | GTF_reading | (writable ? GTF_writing : 0));

		if ((f & GTF_type_mask) != GTF_permit_access ||
		    __atomic_load_n(&e->domid, __ATOMIC_ACQUIRE) != who ||
		    (writable && (f & GTF_readonly)))
			return GNTST_general_error;
		if (__atomic_compare_exchange_n(&e->flags, &f, want, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
}

/* Is (dom, ref) still mapped anywhere (writable: for writing)? */
static bool still_mapped(uint16_t dom, uint32_t ref, bool writable)
{
	for (struct domain *d = domain_next(0); d; d = domain_next((uint16_t)(d->id + 1U))) {
		for (unsigned int i = 0; d->maptrack && i < MAPTRACK_MAX; i++) {
			struct maptrack *m = &d->maptrack[i];

			if (m->used && m->dom == dom && m->ref == ref && (!writable || m->writable))
				return true;
		}
	}
	return false;
}

void gnttab_unpin(uint16_t dom, uint32_t ref)
{
	struct domain *rd = domain_by_id(dom);
	struct grant_entry_v1 *e = rd && !rd->dying ? gnttab_entry(rd, ref) : NULL;
	uint16_t clear = 0;

	if (!e)
		return; /* the granter is gone: nobody to tell */
	if (!still_mapped(dom, ref, false))
		clear |= GTF_reading;
	if (!still_mapped(dom, ref, true))
		clear |= GTF_writing;
	__atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
}

static int16_t map_one(struct domain *d, struct gnttab_map_grant_ref *op)
{
	bool writable = !(op->flags & GNTMAP_readonly);
	uint64_t gfn = op->host_addr >> PAGE_SHIFT, mfn;
	struct grant_entry_v1 *e;
	struct maptrack *m = NULL;
	struct domain *rd;
	enum p2m_type t;
	int16_t st;

	/* translated callers map into their physical space only */
	if (!(op->flags & GNTMAP_host_map) ||
	    (op->flags & (GNTMAP_contains_pte | GNTMAP_application_map)))
		return GNTST_general_error;
	if (gfn >= GFN_LIMIT)
		return GNTST_bad_virt_addr;
	rd = op->dom == DOMID_SELF ? d : domain_by_id(op->dom);
	if (!rd || rd->dying)
		return GNTST_bad_domain;
	e = gnttab_entry(rd, op->ref);
	if (!e)
		return GNTST_bad_gntref;
	if (!d->maptrack && !(d->maptrack = xzalloc(MAPTRACK_MAX * sizeof(*d->maptrack))))
		return GNTST_no_device_space;
	for (unsigned int i = 0; i < MAPTRACK_MAX && !m; i++)
		if (!d->maptrack[i].used)
			m = &d->maptrack[i];
	if (!m)
		return GNTST_no_device_space;
	st = gnttab_pin(e, d->id, writable);
	if (st != GNTST_okay)
		return st;
	/* the granted frame: plain RAM the granter owns */
	mfn = p2m_lookup(rd, e->frame, &t);
	if (mfn == INVALID_PFN || t != P2M_RAM || page_get(mfn, rd->id)) {
		gnttab_unpin(rd->id, op->ref);
		return GNTST_bad_page;
	}
	if (memop_free_slot(d, gfn) || p2m_set_access(d, gfn, mfn, P2M_GRANT_MAP, writable)) {
		page_put(mfn);
		gnttab_unpin(rd->id, op->ref);
		return GNTST_general_error;
	}
	*m = (struct maptrack){ true, writable, rd->id, op->ref, gfn, mfn };
	log_debug("d%u maps grant %u of d%u at gfn %#llx%s\n", d->id, op->ref, rd->id,
		  (unsigned long long)gfn, writable ? "" : " (read-only)");
	op->handle = (grant_handle_t)(m - d->maptrack);
	op->dev_bus_addr = 0;
	return GNTST_okay;
}

static int16_t unmap_one(struct domain *d, struct gnttab_unmap_grant_ref *op)
{
	struct maptrack *m;
	enum p2m_type t;

	if (!d->maptrack || op->handle >= MAPTRACK_MAX || !d->maptrack[op->handle].used)
		return GNTST_bad_handle;
	m = &d->maptrack[op->handle];
	if (op->host_addr && (op->host_addr >> PAGE_SHIFT) != m->gfn)
		return GNTST_bad_virt_addr;
	/* the caller may have put something else there since */
	if (p2m_lookup(d, m->gfn, &t) == m->mfn && t == P2M_GRANT_MAP) {
		p2m_remove(d, m->gfn);
		page_put(m->mfn);
	}
	m->used = false;
	gnttab_unpin(m->dom, m->ref);
	return GNTST_okay;
}

long gnttab_map_op(struct vcpu *v, unsigned long cmd, uint64_t uop, unsigned long count)
{
	struct domain *d = v->d;
	long rc = 0;

	if (count > 512)
		return -XEN_EINVAL;
	for (unsigned long i = 0; i < count && !rc; i++) {
		if (cmd == GNTTABOP_map_grant_ref) {
			struct gnttab_map_grant_ref op;
			uint64_t at = uop + i * sizeof(op);

			if (copy_from_guest(v, &op, at, sizeof(op)))
				return -XEN_EFAULT;
			op.status = map_one(d, &op);
			if (copy_to_guest(v, at, &op, sizeof(op)))
				rc = -XEN_EFAULT;
		} else {
			struct gnttab_unmap_grant_ref op;
			uint64_t at = uop + i * sizeof(op);

			if (copy_from_guest(v, &op, at, sizeof(op)))
				return -XEN_EFAULT;
			op.status = unmap_one(d, &op);
			if (copy_to_guest(v, at, &op, sizeof(op)))
				rc = -XEN_EFAULT;
		}
	}
	/* unmapped pages (or pages a map replaced) must leave every TLB */
	p2m_flush(d);
	return rc;
}

void gnttab_release_mappings(struct domain *d)
{
	/* the p2m teardown drops the page references; the granters learn
	 * that the pages are free again */
	for (unsigned int i = 0; d->maptrack && i < MAPTRACK_MAX; i++) {
		if (!d->maptrack[i].used)
			continue;
		d->maptrack[i].used = false;
		gnttab_unpin(d->maptrack[i].dom, d->maptrack[i].ref);
	}
	xfree(d->maptrack);
	d->maptrack = NULL;
}
