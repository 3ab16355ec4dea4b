/* Host queries behind `xl info` and the memory-target call behind
 * `xl mem-set`, not covered by xc_host.c / xc_memory.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <xen/memory.h>
#include "xc_private.h"

/* sysctl, domctl and memory_op commands of Xen 4.17's public headers that
 * include/xen does not define (yet). */
#ifndef XEN_SYSCTL_cputopoinfo
#define XEN_SYSCTL_cputopoinfo 16
#endif
#ifndef XEN_SYSCTL_numainfo
#define XEN_SYSCTL_numainfo 17
#endif
#ifndef XEN_SYSCTL_pcitopoinfo
#define XEN_SYSCTL_pcitopoinfo 22
#endif
#ifndef XEN_DOMCTL_getnodeaffinity
#define XEN_DOMCTL_getnodeaffinity 69
#endif
#ifndef XENMEM_set_pod_target
#define XENMEM_set_pod_target 16
#endif
#ifndef XENMEM_get_sharing_freed_pages
#define XENMEM_get_sharing_freed_pages 18
#endif
#ifndef XENMEM_get_sharing_shared_pages
#define XENMEM_get_sharing_shared_pages 19
#endif

/* XENMEM_set_pod_target's argument (40 bytes). */
struct xc_pod_target_arg {
	uint64_t target_pages;		/* IN */
	uint64_t tot_pages;		/* OUT */
	uint64_t pod_cache_pages;	/* OUT */
	uint64_t pod_entries;		/* OUT */
	domid_t domid;			/* IN */
};
_Static_assert(sizeof(struct xc_pod_target_arg) == 40, "xen_pod_target is 40 bytes");

int xc_version_build_id(xc_interface *xch, unsigned char *buf, unsigned int len)
{
	size_t size = sizeof(uint32_t) + len;
	uint8_t *hb;
	long rc;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	hb = xc_hbuf_alloc(xch, size);
	if (!hb)
		return -1;
	memset(hb, 0, size);
	memcpy(hb, &len, sizeof(len));
	rc = xc_hypercall(xch, __HYPERVISOR_xen_version, XENVER_build_id,
			  (uintptr_t)hb, 0, 0, 0);
	if (rc > 0)
		memcpy(buf, hb + sizeof(uint32_t), (size_t)rc < len ? (size_t)rc : len);
	xc_hbuf_free(xch, hb, size);
	return rc < 0 ? -1 : (int)rc;
}

xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch)
{
	struct xen_sysctl_cpupool_op op = { .op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO };
	int size = xc_get_cpumap_size(xch);
	xc_cpumap_t map;

	if (size <= 0 || !(map = malloc((size_t)size)))
		return NULL;
	if (xc_cpupool_op(xch, &op, map, (size_t)size) < 0) {
		xc_free_keep_errno(map);
		return NULL;
	}
	return map;
}

long xc_sharing_freed_pages(xc_interface *xch)
{
	return xc_hypercall(xch, __HYPERVISOR_memory_op, XENMEM_get_sharing_freed_pages,
			    0, 0, 0, 0);
}

long xc_sharing_used_frames(xc_interface *xch)
{
	return xc_hypercall(xch, __HYPERVISOR_memory_op, XENMEM_get_sharing_shared_pages,
			    0, 0, 0, 0);
}

int xc_domain_set_pod_target(xc_interface *xch, uint32_t domid, uint64_t target_pages,
			     uint64_t *tot_pages, uint64_t *pod_cache_pages,
			     uint64_t *pod_entries)
{
	struct xc_pod_target_arg a = { .target_pages = target_pages, .domid = (domid_t)domid };

	if (xc_hypercall_cmd_ptr(xch, __HYPERVISOR_memory_op, XENMEM_set_pod_target,
				 &a, sizeof(a), 1) < 0)
		return -1;
	if (tot_pages)
		*tot_pages = a.tot_pages;
	if (pod_cache_pages)
		*pod_cache_pages = a.pod_cache_pages;
	if (pod_entries)
		*pod_entries = a.pod_entries;
	return 0;
}

/* ---- NUMA and CPU topology (xl info -n, xl list -n) ---- */

int xc_get_max_nodes(xc_interface *xch)
{
	xc_physinfo_t info;

	if (xc_physinfo(xch, &info) < 0)
		return -1;
	return (int)info.max_node_id + 1;
}

/* A sysctl whose payload (in u.pad) is a count at @0 followed by up to two
 * handles at @8 and @16, each to an array of `count` elements of the
 * given sizes; NULL arrays ask only for the count. */
static int sysctl_arrays(xc_interface *xch, uint32_t cmd, uint32_t *count, void *a,
			 size_t asize, void *b, size_t bsize)
{
	struct xen_sysctl s = { .cmd = cmd };
	struct xc_bounce ab = { .in = a, .out = a, .size = a ? *count * asize : 0 };
	struct xc_bounce bb = { .in = b, .out = b, .size = b ? (size_t)*count * bsize : 0 };
	uint64_t pa, pb;
	int rc = -1;

	if (xc_bounce_stage(xch, &ab) < 0 || xc_bounce_stage(xch, &bb) < 0)
		goto out;
	pa = (uintptr_t)ab.buf;
	pb = (uintptr_t)bb.buf;
	memcpy(s.u.pad, count, 4);
	memcpy(s.u.pad + 8, &pa, 8);
	memcpy(s.u.pad + 16, &pb, 8);
	rc = xc_sysctl(xch, &s);
	if (rc == 0)
		memcpy(count, s.u.pad, 4);
out:
	xc_bounce_done(xch, &ab, rc == 0 ? ab.size : 0);
	xc_bounce_done(xch, &bb, rc == 0 ? bb.size : 0);
	return rc;
}

int xc_cputopoinfo(xc_interface *xch, unsigned int *max_cpus, xc_cputopo_t *cputopo)
{
	uint32_t n = *max_cpus;
	int rc = sysctl_arrays(xch, XEN_SYSCTL_cputopoinfo, &n, cputopo, sizeof(*cputopo),
			       NULL, 0);

	*max_cpus = n;
	return rc;
}

int xc_numainfo(xc_interface *xch, unsigned int *max_nodes, xc_meminfo_t *meminfo,
		uint32_t *distance)
{
	uint32_t n = *max_nodes;
	bool both = meminfo && distance;	/* else count only: both handles NULL */
	/* distance is an n x n matrix: n "elements" of n entries each. */
	int rc = sysctl_arrays(xch, XEN_SYSCTL_numainfo, &n, both ? meminfo : NULL,
			       sizeof(*meminfo), both ? distance : NULL,
			       (size_t)n * sizeof(*distance));

	if (rc == 0)
		*max_nodes = n;
	return rc;
}

int xc_pcitopoinfo(xc_interface *xch, unsigned int num_devs, physdev_pci_device_t *devs,
		   uint32_t *nodes)
{
	unsigned int done = 0;

	/* Xen answers for as many devices as it gets to before preempting:
	 * ask again for the rest. */
	while (done < num_devs) {
		uint32_t n = num_devs - done;

		if (sysctl_arrays(xch, XEN_SYSCTL_pcitopoinfo, &n, devs + done, sizeof(*devs),
				  nodes + done, sizeof(*nodes)) < 0)
			return -1;
		if (n == 0 || n > num_devs - done) {
			errno = EIO;
			return -1;
		}
		done += n;
	}
	return 0;
}

int xc_domain_node_getaffinity(xc_interface *xch, uint32_t domid, xc_nodemap_t nodemap)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_getnodeaffinity, .domain = (domid_t)domid };
	int nodes = xc_get_max_nodes(xch), size, rc;
	uint32_t bits;
	uint8_t *hb;
	uint64_t p;

	if (nodes <= 0)
		return -1;
	size = (nodes + 7) / 8;
	hb = xc_hbuf_alloc(xch, (size_t)size);
	if (!hb)
		return -1;
	memset(hb, 0, (size_t)size);
	p = (uintptr_t)hb;
	bits = (uint32_t)size * 8;
	memcpy(d.u.pad, &p, 8);
	memcpy(d.u.pad + 8, &bits, 4);
	rc = xc_domctl(xch, &d);
	if (rc == 0)
		memcpy(nodemap, hb, (size_t)size);
	xc_hbuf_free(xch, hb, (size_t)size);
	return rc;
}
