/* HVM/PVH domain state: parameters (hvm_op) and the save-format context
 * (domctl get/sethvmcontext). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/hvm/hvm_op.h>
#include "xc_private.h"

int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t *value)
{
	struct xen_hvm_param p = { .domid = (domid_t)domid, .index = param };

	if (xc_hypercall_cmd_ptr(xch, __HYPERVISOR_hvm_op, HVMOP_get_param, &p,
				 sizeof(p), 1) < 0)
		return -1;
	*value = p.value;
	return 0;
}

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t value)
{
	struct xen_hvm_param p = {
		.domid = (domid_t)domid, .index = param, .value = value,
	};

	return xc_hypercall_cmd_ptr(xch, __HYPERVISOR_hvm_op, HVMOP_set_param,
				    &p, sizeof(p), 0) < 0 ? -1 : 0;
}

int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid,
			     uint8_t *buf, uint32_t size)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_gethvmcontext, .domain = (domid_t)domid };
	/* A NULL buffer asks for the size the context needs. */
	struct xc_bounce b = { .out = buf, .size = buf ? size : 0 };
	int rc;

	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	d.u.hvmcontext.buffer.p = b.buf;
	d.u.hvmcontext.size = size;
	rc = xc_domctl(xch, &d);
	if (rc == 0)
		rc = (int)d.u.hvmcontext.size;
	xc_bounce_done(xch, &b, rc >= 0 ? d.u.hvmcontext.size : 0);
	return rc;
}

int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid,
			     const uint8_t *buf, uint32_t size)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_sethvmcontext, .domain = (domid_t)domid };
	struct xc_bounce b = { .in = buf, .size = size };
	int rc;

	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	d.u.hvmcontext.size = size;
	d.u.hvmcontext.buffer.p = b.buf;
	rc = xc_domctl(xch, &d);
	xc_bounce_done(xch, &b, 0);
	return rc;
}
