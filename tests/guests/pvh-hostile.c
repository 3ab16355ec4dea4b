/* pvh-hostile: run as an unprivileged domU (xl create), it reaches for
 * dom0's memory, event channels, parameters and control interfaces, and
 * passes bad frame numbers and sizes for its own; every attempt must fail
 * with Xen's error and leave it (and dom0) running.  Verdict lines go to
 * the debug port ("(dN)" in the hypervisor log) and the PV console. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define DOMID_NONE 0x7000 /* a valid id no domain has */
#define SCRATCH_GFN 0xC0000UL /* unbacked in our physical map */

/* A plain MOV load: the only form the hypervisor emulates for addresses
 * with nothing behind them (a CMP with a memory operand crashes the
 * guest, as an access it cannot decode). */
static uint32_t read_gpa(uint64_t gpa)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static long memop(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0);
}

static long evtchn(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0);
}

static void check_control(void)
{
	struct xen_domctl dc;
	struct xen_sysctl sc;
	struct sched_remote_shutdown rs = { 0, SHUTDOWN_poweroff };
	long rc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	rc = hypercall3(__HYPERVISOR_domctl, (unsigned long)&dc, 0, 0);
	guest_check(rc == -XEN_EPERM, "domctl getdomaininfo: %ld (-EPERM)", rc);
	dc.cmd = XEN_DOMCTL_createdomain;
	rc = hypercall3(__HYPERVISOR_domctl, (unsigned long)&dc, 0, 0);
	guest_check(rc == -XEN_EPERM, "domctl createdomain: %ld (-EPERM)", rc);
	dc.cmd = XEN_DOMCTL_destroydomain;
	rc = hypercall3(__HYPERVISOR_domctl, (unsigned long)&dc, 0, 0);
	guest_check(rc == -XEN_EPERM, "domctl destroydomain of dom0: %ld (-EPERM)", rc);
	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_physinfo;
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	rc = hypercall3(__HYPERVISOR_sysctl, (unsigned long)&sc, 0, 0);
	guest_check(rc == -XEN_EPERM, "sysctl physinfo: %ld (-EPERM)", rc);
	rc = hypercall3(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, (unsigned long)&rs, 0);
	guest_check(rc == -XEN_EPERM, "remote_shutdown of dom0: %ld (-EPERM)", rc);
}

static void check_memory(void)
{
	xen_pfn_t gfn = 0x100, gpfn = SCRATCH_GFN;
	xen_ulong_t idx = 0x100;
	int err = 12345;
	struct xen_memory_reservation r = { &gfn, 1, 0, 0, 0 };
	struct xen_add_to_physmap_batch b = {
		DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, 0,
		(uintptr_t)&idx, (uintptr_t)&gpfn, (uintptr_t)&err,
	};
	struct xen_mem_acquire_resource ar = { 0, XENMEM_resource_grant_table, 0, 1, 0, 0,
					       (uintptr_t)&gpfn };
	struct xen_remove_from_physmap rm = { 0, 0x100 };
	struct xen_add_to_physmap ap = { 0, 0, XENMAPSPACE_shared_info, 0, SCRATCH_GFN };
	domid_t dom0 = 0;
	long rc;

	/* as Xen: reservations of others' domains do nothing (0 extents) */
	rc = memop(XENMEM_populate_physmap, &r);
	guest_check(rc == 0, "populate_physmap for dom0: %ld extents", rc);
	rc = memop(XENMEM_decrease_reservation, &r);
	guest_check(rc == 0, "decrease_reservation of dom0: %ld extents", rc);
	r.domid = DOMID_NONE;
	rc = memop(XENMEM_populate_physmap, &r);
	guest_check(rc == 0, "populate_physmap for a domain that does not exist: %ld extents", rc);
	rc = memop(XENMEM_add_to_physmap_batch, &b);
	guest_check(rc == 0 && err == -XEN_EPERM,
		    "map dom0's gfn 0x100 as foreign: %ld, entry error %d (-EPERM)", rc, err);
	guest_check(read_gpa(SCRATCH_GFN << 12) == 0xFFFFFFFF, "the target gfn stays unbacked");
	rc = memop(XENMEM_acquire_resource, &ar);
	guest_check(rc == -XEN_EPERM, "acquire dom0's grant table frame: %ld (-EPERM)", rc);
	rc = memop(XENMEM_remove_from_physmap, &rm);
	guest_check(rc == -XEN_EPERM, "remove_from_physmap in dom0: %ld (-EPERM)", rc);
	rc = memop(XENMEM_add_to_physmap, &ap);
	guest_check(rc == -XEN_EPERM, "add_to_physmap into dom0: %ld (-EPERM)", rc);
	rc = memop(XENMEM_current_reservation, &dom0);
	guest_check(rc == -XEN_EPERM, "dom0's current_reservation: %ld (-EPERM)", rc);

	/* bad numbers on its own memory */
	r.domid = DOMID_SELF;
	r.extent_order = 10;
	rc = memop(XENMEM_populate_physmap, &r);
	guest_check(rc == 0, "populate order 10: %ld extents", rc);
	r.extent_order = 0;
	gfn = 1ULL << 52;
	rc = memop(XENMEM_populate_physmap, &r);
	guest_check(rc == 0, "populate gfn 2^52: %ld extents", rc);
	gfn = SCRATCH_GFN;
	rc = memop(XENMEM_decrease_reservation, &r);
	guest_check(rc == 0, "give back an unpopulated gfn: %ld extents", rc);
	r.extent_start = (xen_pfn_t *)0x00007ff000000000ULL;
	rc = memop(XENMEM_populate_physmap, &r);
	guest_check(rc == 0, "populate with an unmapped extent list: %ld extents", rc);
	rm.domid = DOMID_SELF;
	rm.gpfn = SCRATCH_GFN;
	rc = memop(XENMEM_remove_from_physmap, &rm);
	guest_check(rc == -XEN_ENOENT, "remove an unbacked gfn of its own: %ld (-ENOENT)", rc);
	b.size = 5000;
	b.foreign_domid = DOMID_SELF;
	rc = memop(XENMEM_add_to_physmap_batch, &b);
	guest_check(rc == -XEN_ESRCH, "a batch from foreign domain DOMID_SELF: %ld (-ESRCH)", rc);
}

static void check_events(void)
{
	struct evtchn_alloc_unbound au = { 0, 0, 0 };
	struct evtchn_bind_interdomain bi = { 0, 1, 0 };
	struct evtchn_send snd = { 1000 };
	struct evtchn_close cl = { 1000 };
	struct xen_hvm_param p = { 0, 0, HVM_PARAM_STORE_EVTCHN, 0 };
	long rc;

	rc = evtchn(EVTCHNOP_alloc_unbound, &au);
	guest_check(rc == -XEN_EPERM, "alloc_unbound in dom0: %ld (-EPERM)", rc);
	for (uint32_t port = 1; port < 16; port++) {
		bi.remote_port = port;
		rc = evtchn(EVTCHNOP_bind_interdomain, &bi);
		if (!guest_check(rc == -XEN_EINVAL, "bind to dom0's port %u: %ld (-EINVAL)", port, rc))
			break;
	}
	bi.remote_dom = DOMID_NONE;
	rc = evtchn(EVTCHNOP_bind_interdomain, &bi);
	guest_check(rc == -XEN_ESRCH, "bind to a domain that does not exist: %ld (-ESRCH)", rc);
	rc = evtchn(EVTCHNOP_send, &snd);
	guest_check(rc == -XEN_EINVAL, "send on a closed port: %ld (-EINVAL)", rc);
	snd.port = 5000;
	rc = evtchn(EVTCHNOP_send, &snd);
	guest_check(rc == -XEN_EINVAL, "send on port 5000: %ld (-EINVAL)", rc);
	rc = evtchn(EVTCHNOP_close, &cl);
	guest_check(rc == -XEN_EINVAL, "close a closed port: %ld (-EINVAL)", rc);
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&p, 0);
	guest_check(rc == -XEN_EPERM, "read dom0's HVM param: %ld (-EPERM)", rc);
	p.value = 1;
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
	guest_check(rc == -XEN_EPERM, "write dom0's HVM param: %ld (-EPERM)", rc);
	p.domid = DOMID_SELF;
	p.index = HVM_PARAM_STORE_PFN;
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
	guest_check(rc == -XEN_EPERM, "move its own xenstore page: %ld (-EPERM)", rc);
}

void guest_main(uint32_t start_info_pa)
{
	uint32_t r[4];

	(void)start_info_pa;
	cpuid(0x40000004, 0, r);
	guest_printf("pvh-hostile: domain %u reaches for what is not its own\n", r[2]);
	if (!guest_check(r[2] != 0, "running as a domU (domain %u)", r[2]))
		guest_finish();
	check_control();
	check_memory();
	check_events();
	guest_finish();
}
