/* memory_op for translated (PVH) guests: the memory map, reservations and
 * placing the shared_info page into the guest's physical address space. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include <xenolith/memop.h>

long do_memory_op(struct vcpu *v, unsigned long cmd, uint64_t arg);
int gnttab_map_frame(struct domain *d, uint64_t idx, uint64_t gpfn);

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap x;
	struct domain *d;
	uint64_t old;
	enum p2m_type t;
	long rc;

	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -XEN_EFAULT;
	d = memop_target(v, x.domid, &rc);
	if (!d)
		return rc;
	if (x.gpfn >= (1ULL << 40) - 1)
		return -XEN_EINVAL;
	switch (x.space) {
	case XENMAPSPACE_shared_info:
		if (x.idx != 0)
			return -XEN_EINVAL;
		/* a page already at that GFN is given up (Xen does the same) */
		old = p2m_lookup(d, x.gpfn, &t);
		if (old == d->shared_info_pfn)
			return 0;
		if (old != INVALID_PFN) {
			p2m_remove(d, x.gpfn);
			if (t == P2M_RAM) {
				page_put(old);
				d->nr_pages--;
			}
		}
		/* only one GFN shows shared_info at a time */
		if (d->shared_info_gfn != INVALID_PFN)
			p2m_remove(d, d->shared_info_gfn);
		if (p2m_set(d, x.gpfn, d->shared_info_pfn, P2M_SHARED_INFO))
			return -XEN_ENOMEM;
		d->shared_info_gfn = x.gpfn;
		for (unsigned int i = 0; i < d->nr_vcpus; i++)
			d->vcpus[i]->need_flush = true;
		return 0;
	case XENMAPSPACE_grant_table:
		return gnttab_map_frame(d, x.idx, x.gpfn);
	default:
		return -XEN_EOPNOTSUPP;
	}
}

/* The caller's own E820, as its toolstack set it; -ENOSYS when none was
 * (Xen's "backwards compatibility" answer). */
static long memory_map(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_map map;
	struct xen_e820_entry e;
	unsigned int n;

	if (copy_from_guest(v, &map, arg, sizeof(map)))
		return -XEN_EFAULT;
	if (!v->d->nr_e820)
		return -XEN_ENOSYS;
	n = MIN(map.nr_entries, v->d->nr_e820);
	for (unsigned int i = 0; i < n; i++) {
		e.addr = v->d->e820[i].addr;
		e.size = v->d->e820[i].size;
		e.type = v->d->e820[i].type;
		if (copy_to_guest(v, (uint64_t)(uintptr_t)map.buffer + i * sizeof(e), &e, sizeof(e)))
			return -XEN_EFAULT;
	}
	map.nr_entries = n;
	return copy_to_guest(v, arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/* XENMEM_set_memory_map: the toolstack (or the domain itself, as Xen
 * allows) replaces a domain's E820.  Checks in Xen's order: count,
 * domain, permission, then the entries. */
static long set_memory_map(struct vcpu *v, uint64_t arg)
{
	struct xen_foreign_memory_map fmap;
	struct e820_entry *map;
	struct domain *d;
	long rc;

	if (copy_from_guest(v, &fmap, arg, sizeof(fmap)))
		return -XEN_EFAULT;
	if (fmap.map.nr_entries > DOMAIN_MAX_E820)
		return -XEN_EINVAL;
	d = memop_target(v, fmap.domid, &rc);
	if (!d)
		return rc;
	map = xmalloc(sizeof(*map) * (fmap.map.nr_entries ? fmap.map.nr_entries : 1));
	if (!map)
		return -XEN_ENOMEM;
	for (unsigned int i = 0; i < fmap.map.nr_entries; i++) {
		struct xen_e820_entry e;

		if (copy_from_guest(v, &e, (uint64_t)(uintptr_t)fmap.map.buffer + i * sizeof(e),
				    sizeof(e))) {
			xfree(map);
			return -XEN_EFAULT;
		}
		map[i] = (struct e820_entry){ e.addr, e.size, e.type };
	}
	xfree(d->e820);
	d->e820 = map;
	d->nr_e820 = fmap.map.nr_entries;
	return 0;
}

long do_memory_op(struct vcpu *v, unsigned long cmd, uint64_t arg)
{
	switch (cmd & MEMOP_CMD_MASK) {
	case XENMEM_memory_map:
		return memory_map(v, arg);
	case XENMEM_set_memory_map:
		return set_memory_map(v, arg);
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg);
	case XENMEM_add_to_physmap_batch:
		return memop_add_to_physmap_batch(v, arg);
	case XENMEM_remove_from_physmap:
		return memop_remove_from_physmap(v, arg);
	case XENMEM_acquire_resource:
		return memop_acquire_resource(v, arg);
	case XENMEM_claim_pages:
		return memop_claim_pages(v, arg);
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
		return memop_reservation(v, cmd & MEMOP_CMD_MASK, arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn: {
		domid_t domid;
		struct domain *d;
		long rc;

		if (copy_from_guest(v, &domid, arg, sizeof(domid)))
			return -XEN_EFAULT;
		d = memop_target(v, domid, &rc);
		if (!d)
			return rc;
		if ((cmd & MEMOP_CMD_MASK) == XENMEM_current_reservation)
			return (long)d->nr_pages;
		if ((cmd & MEMOP_CMD_MASK) == XENMEM_maximum_reservation)
			return (long)d->max_pages;
		return (long)d->max_gpfn;
	}
	case XENMEM_machine_memory_map:
	case XENMEM_machphys_mapping:
		return -XEN_ENOSYS; /* not for HVM/PVH callers, as in Xen */
	default:
		return -XEN_ENOSYS;
	}
}
