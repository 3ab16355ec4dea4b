/* The privileged calls only a PV domain's builder makes: its word size,
 * the hypercall page, pinning its top page table and vCPU context. */
#include <errno.h>
#include <string.h>
#include <xen/arch-x86/xen-x86_64.h>
#include "xc_private.h"

int xc_domain_set_address_size(xc_interface *xch, uint32_t domid, unsigned int bits)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_set_address_size, .domain = (domid_t)domid };

	d.u.address_size.size = bits;
	return xc_domctl(xch, &d);
}

int xc_domain_hypercall_init(xc_interface *xch, uint32_t domid, uint64_t gmfn)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_hypercall_init, .domain = (domid_t)domid };

	d.u.hypercall_init.gmfn = gmfn;
	return xc_domctl(xch, &d);
}

int xc_mmuext_pin(xc_interface *xch, uint32_t domid, unsigned int cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };
	struct xc_bounce b = { .in = &op, .size = sizeof(op) };
	long rc;

	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	rc = xc_hypercall(xch, __HYPERVISOR_mmuext_op, (uintptr_t)b.buf, 1, 0, domid, 0);
	xc_bounce_done(xch, &b, 0);
	return rc < 0 ? -1 : 0;
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       const struct vcpu_guest_context *ctxt)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_setvcpucontext, .domain = (domid_t)domid };
	struct xc_bounce b = { .in = ctxt, .size = sizeof(*ctxt) };
	int rc;

	if (xc_bounce_stage(xch, &b) < 0)
		return -1;
	d.u.vcpucontext.vcpu = vcpu;
	d.u.vcpucontext.ctxt.p = b.buf;
	rc = xc_domctl(xch, &d);
	xc_bounce_done(xch, &b, 0);
	return rc;
}
