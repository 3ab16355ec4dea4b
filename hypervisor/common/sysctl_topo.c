/* XEN_SYSCTL_cputopoinfo and XEN_SYSCTL_numainfo: one NUMA node holding
 * all of memory, one socket whose cores are the pCPUs (what physinfo
 * says).  libxl asks for both before it builds a domain. */
#include <xenolith/domain.h>
#include <xenolith/domctl.h>
#include <xenolith/mm.h>
#include <xenolith/smp.h>
#include <xen/errno.h>

#define NODE_LOCAL_DISTANCE 10 /* ACPI SLIT's value for a node to itself */

long sysctl_cputopoinfo(struct vcpu *v, struct xen_sysctl_cputopoinfo *ti)
{
	uint32_t n = smp_nr_cpus();

	if (ti->cputopo.v) {
		/* like Xen: a short array gets nothing and -ENOBUFS */
		if (ti->num_cpus < n)
			return -XEN_ENOBUFS;
		for (uint32_t c = 0; c < n; c++) {
			struct xen_sysctl_cputopo t = { .core = c, .socket = 0, .node = 0 };

			if (copy_to_guest(v, ti->cputopo.v + sizeof(t) * c, &t, sizeof(t)))
				return -XEN_EFAULT;
		}
	}
	ti->num_cpus = n;
	return 0;
}

long sysctl_numainfo(struct vcpu *v, struct xen_sysctl_numainfo *ni)
{
	const uint32_t nodes = 1;

	if (ni->meminfo.v || ni->distance.v) {
		struct xen_sysctl_meminfo m = {
			.memsize = mm_total_pages() << PAGE_SHIFT,
			.memfree = mm_free_pages() << PAGE_SHIFT,
		};
		uint32_t dist = NODE_LOCAL_DISTANCE;

		if (ni->num_nodes < nodes)
			return -XEN_ENOBUFS;
		if (ni->meminfo.v && copy_to_guest(v, ni->meminfo.v, &m, sizeof(m)))
			return -XEN_EFAULT;
		if (ni->distance.v && copy_to_guest(v, ni->distance.v, &dist, sizeof(dist)))
			return -XEN_EFAULT;
	}
	ni->num_nodes = nodes;
	return 0;
}
