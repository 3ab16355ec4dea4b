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
	uint8_t *hbuf = NULL;
	int rc;

	/* A NULL buffer asks for the size the context needs. */
	if (buf) {
		hbuf = xc_hbuf_alloc(xch, size);
		if (!hbuf)
			return -1;
		d.u.hvmcontext.buffer.p = hbuf;
	}
	d.u.hvmcontext.size = size;
	rc = xc_domctl(xch, &d);
	if (rc == 0) {
		rc = (int)d.u.hvmcontext.size;
		if (buf)
			memcpy(buf, hbuf, d.u.hvmcontext.size);
	}
	if (hbuf) {
		int saved = errno;

		xc_hbuf_free(xch, hbuf, size);
		errno = saved;
	}
	return rc;
}

int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid,
			     const uint8_t *buf, uint32_t size)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_sethvmcontext, .domain = (domid_t)domid };
	uint8_t *hbuf = xc_hbuf_alloc(xch, size);
	int rc, saved;

	if (!hbuf)
		return -1;
	memcpy(hbuf, buf, size);
	d.u.hvmcontext.size = size;
	d.u.hvmcontext.buffer.p = hbuf;
	rc = xc_domctl(xch, &d);
	saved = errno;
	xc_hbuf_free(xch, hbuf, size);
	errno = saved;
	return rc;
}
