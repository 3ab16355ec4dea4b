/* Host-wide queries: sysctl and xen_version. */
#include <errno.h>
#include <string.h>
#include "xc_private.h"

int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl)
{
	sysctl->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return xc_hypercall_ptr(xch, __HYPERVISOR_sysctl, sysctl,
				sizeof(*sysctl), 1) < 0 ? -1 : 0;
}

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_physinfo };

	if (xc_sysctl(xch, &s) < 0)
		return -1;
	*info = s.u.physinfo;
	return 0;
}

int xc_sched_id(xc_interface *xch, int *sched_id)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_sched_id };

	if (xc_sysctl(xch, &s) < 0)
		return -1;
	*sched_id = (int)s.u.sched_id.sched_id;
	return 0;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_getdomaininfolist };
	struct xc_bounce b = { .out = info, .size = (size_t)max_domains * sizeof(*info) };
	int rc;

	if (max_domains == 0)
		return 0;
	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	s.u.getdomaininfolist.first_domain = (domid_t)first_domain;
	s.u.getdomaininfolist.max_domains = max_domains;
	s.u.getdomaininfolist.buffer.p = b.buf;
	rc = xc_sysctl(xch, &s);
	if (rc == 0)
		rc = (int)s.u.getdomaininfolist.num_domains;
	xc_bounce_done(xch, &b, rc > 0 ? (size_t)rc * sizeof(*info) : 0);
	return rc;
}

int xc_readconsolering(xc_interface *xch, char *buffer,
		       unsigned int *pnr_chars, int clear, int incremental,
		       uint32_t *pindex)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_readconsole };
	struct xc_bounce b = { .out = buffer, .size = *pnr_chars };
	int rc;

	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	s.u.readconsole.clear = !!clear;
	s.u.readconsole.incremental = !!incremental;
	s.u.readconsole.index = pindex ? *pindex : 0;
	s.u.readconsole.buffer.p = b.buf;
	s.u.readconsole.count = *pnr_chars;
	rc = xc_sysctl(xch, &s);
	if (rc == 0) {
		*pnr_chars = s.u.readconsole.count;
		if (pindex)
			*pindex = s.u.readconsole.index;
	}
	xc_bounce_done(xch, &b, rc == 0 ? s.u.readconsole.count : 0);
	return rc;
}

/* Size of the argument each xen_version command writes (0: none). */
static size_t version_arg_size(int cmd)
{
	switch (cmd) {
	case XENVER_version:
	case XENVER_pagesize:
		return 0;
	case XENVER_extraversion:
		return sizeof(xen_extraversion_t);
	case XENVER_compile_info:
		return sizeof(struct xen_compile_info);
	case XENVER_capabilities:
		return sizeof(xen_capabilities_info_t);
	case XENVER_changeset:
		return sizeof(xen_changeset_info_t);
	case XENVER_platform_parameters:
		return sizeof(struct xen_platform_parameters);
	case XENVER_get_features:
		return sizeof(struct xen_feature_info);
	case XENVER_commandline:
		return sizeof(xen_commandline_t);
	default:
		return SIZE_MAX;
	}
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
	size_t size = version_arg_size(cmd);
	long rc;

	if (size == SIZE_MAX) {
		xc_report(xch, "xen_version command %d is not supported", cmd);
		errno = EINVAL;
		return -1;
	}
	if (size == 0)
		return (int)xc_hypercall(xch, __HYPERVISOR_xen_version,
					 (uint64_t)cmd, 0, 0, 0, 0);
	rc = xc_hypercall_cmd_ptr(xch, __HYPERVISOR_xen_version, (uint64_t)cmd,
				  arg, size, 1);
	return rc < 0 ? -1 : (int)rc;
}
