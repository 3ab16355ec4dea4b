/* Per-domain control: thin, checked wrappers around domctl. */
#include <errno.h>
#include <string.h>
#include "xc_private.h"

int xc_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
	domctl->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return xc_hypercall_ptr(xch, __HYPERVISOR_domctl, domctl,
				sizeof(*domctl), 1) < 0 ? -1 : 0;
}

static int domctl_simple(xc_interface *xch, uint32_t cmd, uint32_t domid)
{
	struct xen_domctl d = { .cmd = cmd, .domain = (domid_t)domid };

	return xc_domctl(xch, &d);
}

int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config)
{
	struct xen_domctl d = {
		.cmd = XEN_DOMCTL_createdomain,
		.domain = (domid_t)*pdomid,
	};

	d.u.createdomain = *config;
	if (xc_domctl(xch, &d) < 0)
		return -1;
	*pdomid = d.domain;
	*config = d.u.createdomain;
	return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
	int rc;

	/* Destruction is preemptible: Xen asks us to come back until done. */
	do {
		rc = domctl_simple(xch, XEN_DOMCTL_destroydomain, domid);
	} while (rc < 0 && errno == EAGAIN);
	return rc;
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
	return domctl_simple(xch, XEN_DOMCTL_pausedomain, domid);
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
	return domctl_simple(xch, XEN_DOMCTL_unpausedomain, domid);
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_max_mem, .domain = (domid_t)domid };

	d.u.max_mem.max_memkb = max_memkb;
	return xc_domctl(xch, &d);
}

int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_max_vcpus, .domain = (domid_t)domid };

	d.u.max_vcpus.max = max;
	return xc_domctl(xch, &d);
}

int xc_domain_sethandle(xc_interface *xch, uint32_t domid,
			const xen_domain_handle_t handle)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_setdomainhandle, .domain = (domid_t)domid };

	memcpy(d.u.setdomainhandle.handle, handle, sizeof(xen_domain_handle_t));
	return xc_domctl(xch, &d);
}

int xc_domain_set_tsc_info(xc_interface *xch, uint32_t domid, uint32_t tsc_mode,
			   uint64_t elapsed_nsec, uint32_t gtsc_khz, uint32_t incarnation)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_settscinfo, .domain = (domid_t)domid };

	d.u.tsc_info.tsc_mode = tsc_mode;
	d.u.tsc_info.elapsed_nsec = elapsed_nsec;
	d.u.tsc_info.gtsc_khz = gtsc_khz;
	d.u.tsc_info.incarnation = incarnation;
	return xc_domctl(xch, &d);
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		    xc_vcpuinfo_t *info)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_getvcpuinfo, .domain = (domid_t)domid };

	d.u.getvcpuinfo.vcpu = vcpu;
	if (xc_domctl(xch, &d) < 0)
		return -1;
	*info = d.u.getvcpuinfo;
	return 0;
}

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
			     xc_domaininfo_t *info)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_getdomaininfo, .domain = (domid_t)domid };

	if (xc_domctl(xch, &d) < 0)
		return -1;
	/* getdomaininfo answers for the next domain at or above domid. */
	if (d.u.getdomaininfo.domain != domid) {
		errno = ESRCH;
		return -1;
	}
	*info = d.u.getdomaininfo;
	return 0;
}
