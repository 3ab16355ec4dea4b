/* Foreign mappings into a translated (PVH) control domain, the way Linux's
 * privcmd makes them: another domain's RAM placed at the caller's GFNs
 * (add_to_physmap_batch, XENMAPSPACE_gmfn_foreign), a domain's grant
 * table frames (acquire_resource), and removal (remove_from_physmap).
 * Every mapped page holds a reference, so a page of a destroyed domain
 * stays allocated until its last mapping goes. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include <xenolith/memop.h>

#define BATCH_MAX 1024 /* entries per call; Linux sends one page at a time */
#define GFN_LIMIT (1ULL << 40)

/* The domain a memory op names: itself, or (for the control domain
 * only) any other. */
struct domain *memop_target(struct vcpu *v, domid_t domid, long *rc)
{
	struct domain *d = domid == DOMID_SELF ? v->d : domain_by_id(domid);

	*rc = 0;
	if (!d) {
		*rc = -XEN_ESRCH;
		return NULL;
	}
	if (d != v->d && !v->d->privileged) {
		*rc = -XEN_EPERM;
		return NULL;
	}
	return d;
}

int memop_free_slot(struct domain *d, uint64_t gfn)
{
	enum p2m_type t;
	uint64_t old = p2m_lookup(d, gfn, &t);

	if (old == INVALID_PFN)
		return 0;
	if (t != P2M_RAM && t != P2M_FOREIGN && t != P2M_GRANT_MAP)
		return -XEN_EBUSY;
	p2m_remove(d, gfn);
	page_put(old);
	if (t == P2M_RAM)
		d->nr_pages--;
	return 0;
}

/* Put mfn (reference already taken) at the caller's gfn. */
static int map_foreign_frame(struct domain *d, uint64_t gfn, uint64_t mfn)
{
	int rc;

	if (gfn >= GFN_LIMIT)
		rc = -XEN_EINVAL;
	else
		rc = memop_free_slot(d, gfn);
	if (!rc)
		rc = p2m_set(d, gfn, mfn, P2M_FOREIGN);
	if (rc)
		page_put(mfn);
	return rc;
}

/* One entry: the foreign domain's RAM page at idx, mapped at gpfn. */
static int map_one(struct domain *d, struct domain *fd, uint64_t idx, uint64_t gpfn)
{
	enum p2m_type t;
	uint64_t mfn = idx < GFN_LIMIT ? p2m_lookup(fd, idx, &t) : INVALID_PFN;

	/* only plain RAM the foreign domain owns: no special pages, nothing
	 * it maps from elsewhere itself */
	if (mfn == INVALID_PFN || t != P2M_RAM || page_get(mfn, fd->id))
		return -XEN_EINVAL;
	return map_foreign_frame(d, gpfn, mfn);
}

long memop_add_to_physmap_batch(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap_batch b;
	struct domain *d, *fd;
	long rc;

	if (copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	d = memop_target(v, b.domid, &rc);
	if (!d)
		return rc;
	if (b.space != XENMAPSPACE_gmfn_foreign)
		return -XEN_EOPNOTSUPP;
	if (d != v->d)
		return -XEN_EPERM; /* into the caller's own physical space only */
	fd = domain_by_id(b.foreign_domid);
	if (!fd)
		return -XEN_ESRCH;
	if (b.size > BATCH_MAX)
		return -XEN_EINVAL; /* Xen would continue; nobody sends this many */
	for (uint32_t i = 0; i < b.size; i++) {
		uint64_t idx, gpfn;
		int err;

		if (copy_from_guest(v, &idx, b.idxs + 8ULL * i, sizeof(idx)) ||
		    copy_from_guest(v, &gpfn, b.gpfns + 8ULL * i, sizeof(gpfn)))
			return -XEN_EFAULT;
		/* as Xen, refusals are per entry: only the control domain
		 * maps others' memory, never its own or a dying domain's */
		if (!v->d->privileged)
			err = -XEN_EPERM;
		else if (fd == d || fd->dying)
			err = -XEN_EINVAL;
		else
			err = map_one(d, fd, idx, gpfn);
		if (copy_to_guest(v, b.errs + 4ULL * i, &err, sizeof(err)))
			return -XEN_EFAULT;
	}
	p2m_flush(d);
	return 0;
}

long memop_remove_from_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_remove_from_physmap r;
	struct domain *d;
	enum p2m_type t;
	uint64_t mfn;
	long rc;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	d = memop_target(v, r.domid, &rc);
	if (!d)
		return rc;
	mfn = r.gpfn < GFN_LIMIT ? p2m_lookup(d, r.gpfn, &t) : INVALID_PFN;
	if (mfn == INVALID_PFN)
		return -XEN_ENOENT; /* nothing there, as Xen answers */
	p2m_remove(d, r.gpfn);
	switch (t) {
	case P2M_RAM:
		d->nr_pages--;
		page_put(mfn);
		break;
	case P2M_FOREIGN:
	case P2M_GRANT_MAP:
		page_put(mfn);
		break;
	case P2M_SHARED_INFO:
		d->shared_info_gfn = INVALID_PFN;
		break;
	case P2M_GRANT:
		for (unsigned int i = 0; i < d->gnttab_nr_frames; i++)
			if (d->gnttab_gfn[i] == r.gpfn)
				d->gnttab_gfn[i] = INVALID_PFN;
		break;
	default:
		break;
	}
	p2m_flush(d);
	return 0;
}

long memop_acquire_resource(struct vcpu *v, uint64_t arg)
{
	struct xen_mem_acquire_resource a;
	struct domain *d, *rd;
	long rc;

	if (copy_from_guest(v, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	rd = memop_target(v, a.domid, &rc);
	if (!rd)
		return rc;
	if (a.pad || rd->dying)
		return -XEN_EINVAL;
	if (a.type != XENMEM_resource_grant_table)
		return -XEN_EOPNOTSUPP; /* no ioreq servers, no vmtrace */
	if (a.id != XENMEM_resource_grant_table_id_shared)
		return -XEN_EINVAL; /* status frames exist only in version 2 */
	if (!a.nr_frames && !a.frame_list) { /* a size query */
		a.nr_frames = gnttab_limit(rd);
		return copy_to_guest(v, arg, &a, sizeof(a)) ? -XEN_EFAULT : 0;
	}
	if (a.frame >= gnttab_limit(rd) || a.nr_frames > gnttab_limit(rd) - a.frame)
		return -XEN_EINVAL;
	rc = gnttab_grow(rd, (unsigned int)(a.frame + a.nr_frames));
	if (rc)
		return rc;
	d = v->d;
	for (uint32_t i = 0; i < a.nr_frames; i++) {
		uint64_t gfn, mfn = rd->gnttab_frame[a.frame + i];

		if (copy_from_guest(v, &gfn, a.frame_list + 8ULL * i, sizeof(gfn)))
			return -XEN_EFAULT;
		if (page_get(mfn, PAGE_OWNER_XEN))
			return -XEN_EINVAL;
		rc = map_foreign_frame(d, gfn, mfn);
		if (rc)
			return rc;
	}
	p2m_flush(d);
	return 0;
}
