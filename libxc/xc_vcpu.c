/* vCPU affinity (xl vcpu-pin / vcpu-list) and the host CPU map size it is
 * expressed in. Bitmaps are bytes, CPU n at bit n%8 of byte n/8, sized for
 * physinfo's max_cpu_id + 1 CPUs as libxenctrl does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xc_private.h"

int xc_get_max_cpus(xc_interface *xch)
{
	xc_physinfo_t info;

	if (xc_physinfo(xch, &info) < 0)
		return -1;
	return (int)info.max_cpu_id + 1;
}

int xc_get_cpumap_size(xc_interface *xch)
{
	int n = xc_get_max_cpus(xch);

	return n < 0 ? -1 : (n + 7) / 8;
}

xc_cpumap_t xc_cpumap_alloc(xc_interface *xch)
{
	int size = xc_get_cpumap_size(xch);

	return size <= 0 ? NULL : calloc(1, (size_t)size);
}

/* One affinity domctl: the maps go in and come back (Xen returns the
 * effective affinity on set, the current one on get). */
static int vcpu_affinity(xc_interface *xch, uint32_t cmd, uint32_t domid, uint32_t vcpu,
			 xc_cpumap_t hard, xc_cpumap_t soft, uint32_t flags)
{
	struct xen_domctl d = { .cmd = cmd, .domain = (domid_t)domid };
	int size = xc_get_cpumap_size(xch), rc = -1;
	uint8_t *hbuf = NULL, *sbuf = NULL;

	if (size <= 0)
		return -1;
	if ((flags & XEN_VCPUAFFINITY_HARD) && !hard)
		goto inval;
	if ((flags & XEN_VCPUAFFINITY_SOFT) && !soft)
		goto inval;
	hbuf = xc_hbuf_alloc(xch, (size_t)size);
	sbuf = xc_hbuf_alloc(xch, (size_t)size);
	if (!hbuf || !sbuf)
		goto out;
	memset(hbuf, 0, (size_t)size);
	memset(sbuf, 0, (size_t)size);
	if (flags & XEN_VCPUAFFINITY_HARD)
		memcpy(hbuf, hard, (size_t)size);
	if (flags & XEN_VCPUAFFINITY_SOFT)
		memcpy(sbuf, soft, (size_t)size);
	d.u.vcpuaffinity.vcpu = vcpu;
	d.u.vcpuaffinity.flags = flags;
	d.u.vcpuaffinity.cpumap_hard.bitmap.p = hbuf;
	d.u.vcpuaffinity.cpumap_hard.nr_bits = (uint32_t)size * 8;
	d.u.vcpuaffinity.cpumap_soft.bitmap.p = sbuf;
	d.u.vcpuaffinity.cpumap_soft.nr_bits = (uint32_t)size * 8;
	rc = xc_domctl(xch, &d);
	if (rc == 0) {
		if (flags & XEN_VCPUAFFINITY_HARD)
			memcpy(hard, hbuf, (size_t)size);
		if (flags & XEN_VCPUAFFINITY_SOFT)
			memcpy(soft, sbuf, (size_t)size);
	}
out:
	xc_hbuf_free(xch, hbuf, (size_t)size);
	xc_hbuf_free(xch, sbuf, (size_t)size);
	return rc;
inval:
	xc_report(xch, "vcpu affinity: flags 0x%x name a map that is NULL", flags);
	errno = EINVAL;
	return -1;
}

int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout, xc_cpumap_t cpumap_soft_inout,
			uint32_t flags)
{
	return vcpu_affinity(xch, XEN_DOMCTL_setvcpuaffinity, domid, (uint32_t)vcpu,
			     cpumap_hard_inout, cpumap_soft_inout, flags);
}

int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft, uint32_t flags)
{
	return vcpu_affinity(xch, XEN_DOMCTL_getvcpuaffinity, domid, (uint32_t)vcpu,
			     cpumap_hard, cpumap_soft, flags);
}
