/* Guest memory and event channels set up on a domain's behalf. */
#include <errno.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include "xc_private.h"

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr_extents,
		.extent_order = extent_order,
		.mem_flags = mem_flags,
		.domid = (domid_t)domid,
	};
	struct xc_bounce b = {
		.in = extent_start, .out = extent_start,
		.size = nr_extents * sizeof(*extent_start),
	};
	long done;

	if (nr_extents == 0)
		return 0;
	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	r.extent_start = b.buf;
	done = xc_hypercall_cmd_ptr(xch, __HYPERVISOR_memory_op,
				    XENMEM_populate_physmap, &r, sizeof(r), 0);
	xc_bounce_done(xch, &b, done >= 0 ? b.size : 0);
	if (done < 0)
		return -1;
	if ((unsigned long)done != nr_extents) {
		xc_report(xch, "populate_physmap for domain %u: %ld of %lu extents of order %u",
			  domid, done, nr_extents, extent_order);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t domid,
			    uint32_t remote_domid)
{
	struct evtchn_alloc_unbound a = {
		.dom = (domid_t)domid,
		.remote_dom = (domid_t)remote_domid,
	};

	if (xc_hypercall_cmd_ptr(xch, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_alloc_unbound, &a, sizeof(a), 1) < 0)
		return -1;
	return (int)a.port;
}

int xc_domain_set_paging_mempool_size(xc_interface *xch, uint32_t domid,
				      uint64_t size)
{
	struct xen_domctl d = {
		.cmd = XEN_DOMCTL_set_paging_mempool_size,
		.domain = (domid_t)domid,
	};

	d.u.paging_mempool.size = size;
	return xc_domctl(xch, &d);
}

/* The guest's E820 as XENMEM_memory_map will answer it (libxl sets the
 * same map it writes into a PVH guest's start_info). */
int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid,
			     const struct xen_e820_entry *entries, uint32_t nr)
{
	struct xen_foreign_memory_map fmap = { .domid = (domid_t)domid };
	struct xc_bounce b = { .in = entries, .size = nr * sizeof(*entries) };
	long rc;

	if (nr == 0) {
		errno = EINVAL;
		return -1;
	}
	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	fmap.map.nr_entries = nr;
	fmap.map.buffer = b.buf;
	rc = xc_hypercall_cmd_ptr(xch, __HYPERVISOR_memory_op, XENMEM_set_memory_map,
				  &fmap, sizeof(fmap), 0);
	xc_bounce_done(xch, &b, 0);
	return rc < 0 ? -1 : 0;
}
