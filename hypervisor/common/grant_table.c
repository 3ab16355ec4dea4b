/* Grant tables, version 1: the table frames, their placement in the
 * guest's physical address space (add_to_physmap), and the setup, query
 * and version sub-operations; map/unmap are in gnttab_map.c, copy in
 * gnttab_copy.c. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

long do_grant_table_op(struct vcpu *v, unsigned long cmd, uint64_t uop, unsigned long count);
int gnttab_map_frame(struct domain *d, uint64_t idx, uint64_t gpfn);
#include <xenolith/memop.h>

unsigned int gnttab_limit(const struct domain *d)
{
	/* dom0 is built, not created: it gets the default */
	return d->gnttab_max_frames ? d->gnttab_max_frames : GNTTAB_MAX_FRAMES;
}

int gnttab_grow(struct domain *d, unsigned int nr)
{
	if (nr > gnttab_limit(d))
		return -XEN_EINVAL;
	while (d->gnttab_nr_frames < nr) {
		uint64_t pfn = mm_alloc(0, PAGE_OWNER_XEN);

		if (pfn == INVALID_PFN)
			return -XEN_ENOMEM;
		d->gnttab_frame[d->gnttab_nr_frames] = pfn;
		d->gnttab_gfn[d->gnttab_nr_frames] = INVALID_PFN;
		d->gnttab_nr_frames++;
	}
	return 0;
}

int gnttab_map_frame(struct domain *d, uint64_t idx, uint64_t gpfn)
{
	enum p2m_type t;
	uint64_t old;
	int rc;

	if (idx & XENMAPIDX_grant_table_status)
		return -XEN_EINVAL; /* status frames exist only in version 2 */
	if (idx >= gnttab_limit(d))
		return -XEN_EINVAL;
	rc = gnttab_grow(d, (unsigned int)idx + 1);
	if (rc)
		return rc;
	if (d->gnttab_gfn[idx] == gpfn)
		return 0;
	old = p2m_lookup(d, gpfn, &t);
	if (old != INVALID_PFN) {
		if (t != P2M_RAM)
			return -XEN_EBUSY; /* would hide another special page */
		p2m_remove(d, gpfn);
		page_put(old);
		d->nr_pages--;
	}
	if (d->gnttab_gfn[idx] != INVALID_PFN)
		p2m_remove(d, d->gnttab_gfn[idx]);
	rc = p2m_set(d, gpfn, d->gnttab_frame[idx], P2M_GRANT);
	if (rc)
		return rc;
	d->gnttab_gfn[idx] = gpfn;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i]->need_flush = true;
	return 0;
}

static struct domain *gnt_target(struct vcpu *v, domid_t dom)
{
	if (dom == DOMID_SELF || dom == v->d->id)
		return v->d;
	return v->d->privileged ? domain_by_id(dom) : NULL;
}

/* The sub-operations below take exactly one op: read it in. */
static long gnt_read_one(struct vcpu *v, uint64_t uop, unsigned long count, void *op, size_t len)
{
	if (count != 1)
		return -XEN_EINVAL;
	return copy_from_guest(v, op, uop, len) ? -XEN_EFAULT : 0;
}

static int16_t gnt_setup(struct vcpu *v, struct gnttab_setup_table *op)
{
	struct domain *d = gnt_target(v, op->dom);

	if (!d)
		return GNTST_bad_domain;
	if (op->nr_frames > gnttab_limit(d) || gnttab_grow(d, op->nr_frames))
		return GNTST_general_error;
	/* translated guests get the GFN each frame is mapped at, or ~0 for
	 * frames not placed yet */
	for (unsigned int i = 0; i < op->nr_frames; i++) {
		xen_pfn_t f = d->gnttab_gfn[i] == INVALID_PFN ? ~(xen_pfn_t)0 : d->gnttab_gfn[i];

		if (copy_to_guest(v, (uint64_t)(uintptr_t)op->frame_list + i * sizeof(f), &f,
				  sizeof(f)))
			return GNTST_bad_virt_addr;
	}
	return GNTST_okay;
}

long do_grant_table_op(struct vcpu *v, unsigned long cmd, uint64_t uop, unsigned long count)
{
	long rc;

	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
		return gnttab_map_op(v, cmd, uop, count);
	case GNTTABOP_copy:
		return gnttab_copy_op(v, uop, count);
	case GNTTABOP_setup_table: {
		struct gnttab_setup_table op;

		if ((rc = gnt_read_one(v, uop, count, &op, sizeof(op))))
			return rc;
		op.status = gnt_setup(v, &op);
		return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
	}
	case GNTTABOP_query_size: {
		struct gnttab_query_size op;
		struct domain *d;

		if ((rc = gnt_read_one(v, uop, count, &op, sizeof(op))))
			return rc;
		d = gnt_target(v, op.dom);
		if (!d) {
			op.status = GNTST_bad_domain;
		} else {
			op.nr_frames = d->gnttab_nr_frames;
			op.max_nr_frames = gnttab_limit(d);
			op.status = GNTST_okay;
		}
		return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
	}
	case GNTTABOP_set_version: {
		struct gnttab_set_version op;

		if ((rc = gnt_read_one(v, uop, count, &op, sizeof(op))))
			return rc;
		if (op.version != 1)
			rc = -XEN_EINVAL; /* only version 1 is offered */
		op.version = 1;
		if (copy_to_guest(v, uop, &op, sizeof(op)))
			return -XEN_EFAULT;
		return rc;
	}
	case GNTTABOP_get_version: {
		struct gnttab_get_version op;

		if ((rc = gnt_read_one(v, uop, count, &op, sizeof(op))))
			return rc;
		if (!gnt_target(v, op.dom))
			return -XEN_ESRCH;
		op.version = 1;
		return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
