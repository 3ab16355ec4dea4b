/* pvh-hostile: run as an unprivileged domU (xl create), it reaches for
 * dom0's memory, event channels, parameters and control interfaces, and
 * passes bad frame numbers and sizes for its own; every attempt must fail
 * with Xen's error and leave it (and dom0) running.  Verdict lines go to
 * the debug port ("(dN)" in the hypervisor log) and the PV console. */
#include "lib/guest.h"
#include "lib/dom.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/grant_table.h>

#define DOMID_NONE 0x7000 /* a valid id no domain has */
#define SCRATCH_GFN 0xC0000UL /* unbacked in our physical map */
#define GRANT_GFN (SCRATCH_GFN + 16) /* where our grant table frame 0 goes */

static uint8_t pages[2][4096] __attribute__((aligned(4096))); /* copy ends */
#define BIG_BATCH 5000
static xen_ulong_t big_idx[BIG_BATCH];
static xen_pfn_t big_gpfn[BIG_BATCH];
static int big_err[BIG_BATCH];

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
	/* Xen answers this per entry: room for all 5000 errors */
	b.size = BIG_BATCH;
	b.foreign_domid = DOMID_SELF;
	b.idxs = (uintptr_t)big_idx;
	b.gpfns = (uintptr_t)big_gpfn;
	b.errs = (uintptr_t)big_err;
	rc = memop(XENMEM_add_to_physmap_batch, &b);
	guest_check(rc == -XEN_ESRCH, "a batch from foreign domain DOMID_SELF: %ld (-ESRCH)", rc);
}

/* E820: dom0's is not ours to set; our own we may (as on Xen). */
static void check_memory_map(void)
{
	struct xen_e820_entry mine[2] = { { 0, 0x1000000, 1 }, { 0xFC000000, 0x1000, 2 } }, back[4];
	struct xen_foreign_memory_map fm = { 0, { 2, mine } };
	struct xen_memory_map m = { 4, back };
	long rc;

	rc = memop(XENMEM_set_memory_map, &fm);
	guest_check(rc == -XEN_EPERM, "set dom0's memory map: %ld (-EPERM)", rc);
	fm.domid = DOMID_NONE;
	rc = memop(XENMEM_set_memory_map, &fm);
	guest_check(rc == -XEN_ESRCH, "set the memory map of a domain that does not exist: %ld", rc);
	fm.domid = DOMID_SELF;
	fm.map.nr_entries = 100000;
	rc = memop(XENMEM_set_memory_map, &fm);
	guest_check(rc == -XEN_EINVAL, "a memory map of 100000 entries: %ld (-EINVAL)", rc);
	fm.map.nr_entries = 2;
	fm.map.buffer = (void *)0x00007ff000000000ULL;
	rc = memop(XENMEM_set_memory_map, &fm);
	guest_check(rc == -XEN_EFAULT, "a memory map at an unmapped address: %ld (-EFAULT)", rc);
	fm.map.buffer = mine;
	rc = memop(XENMEM_set_memory_map, &fm);
	guest_check(rc == 0, "set our own memory map: %ld", rc);
	rc = memop(XENMEM_memory_map, &m);
	guest_check(rc == 0 && m.nr_entries == 2 && back[1].addr == 0xFC000000 && back[1].type == 2,
		    "read it back: %ld, %u entries", rc, m.nr_entries);
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

/* 16 bytes from offset 0 to offset 0 */
static int16_t gcopy(domid_t sd, uint64_t src, domid_t dd, uint64_t dst, uint16_t flags)
{
	return dom_grant_copy(sd, src, 0, dd, dst, 0, 16, flags);
}

/* Grant copy: within its own grants it works; dom0's grants (none for
 * us), dom0's frames and made-up refs and domains all fail per op. */
static void check_grant_copy(domid_t self)
{
	struct xen_add_to_physmap ap = { DOMID_SELF, 0, XENMAPSPACE_grant_table, 0, GRANT_GFN };
	volatile struct grant_entry_v1 *g = (volatile void *)(uintptr_t)(GRANT_GFN << 12);
	uint64_t a = (uintptr_t)pages[0] >> 12, b = (uintptr_t)pages[1] >> 12;
	const uint16_t S = GNTCOPY_source_gref, D = GNTCOPY_dest_gref;
	int16_t st;
	long rc;

	rc = memop(XENMEM_add_to_physmap, &ap);
	if (!guest_check(rc == 0, "place our grant table frame 0: %ld", rc))
		return;
	g[10].domid = self;
	g[10].frame = (uint32_t)a;
	g[10].flags = GTF_permit_access;
	g[11].domid = 0; /* granted to dom0, not to us */
	g[11].frame = (uint32_t)a;
	g[11].flags = GTF_permit_access;
	memcpy(pages[0], "grant copy works", 16);
	st = gcopy(self, 10, DOMID_SELF, b, S);
	guest_check(st == GNTST_okay && !memcmp(pages[1], "grant copy works", 16),
		    "copy from our own grant to ourselves: %d", st);
	st = gcopy(self, 11, DOMID_SELF, b, S);
	guest_check(st == GNTST_general_error, "copy from our grant to dom0: %d (general error)", st);
	st = gcopy(0, 1, DOMID_SELF, b, S);
	guest_check(st == GNTST_general_error, "copy from dom0's ref 1 (not ours): %d (general error)",
		    st);
	st = gcopy(DOMID_SELF, a, 0, 1, D);
	guest_check(st == GNTST_general_error, "copy into dom0's ref 1: %d (general error)", st);
	st = gcopy(0, 0x100, DOMID_SELF, b, 0);
	guest_check(st == GNTST_permission_denied,
		    "copy from dom0's frame 0x100: %d (permission denied)", st);
	st = gcopy(DOMID_SELF, a, 0, 0x100, 0);
	guest_check(st == GNTST_permission_denied,
		    "copy into dom0's frame 0x100: %d (permission denied)", st);
	st = gcopy(0, 512 * 64, DOMID_SELF, b, S);
	guest_check(st == GNTST_bad_gntref, "copy from dom0's ref 32768: %d (bad gntref)", st);
	st = gcopy(DOMID_NONE, 1, DOMID_SELF, b, S);
	guest_check(st == GNTST_bad_domain, "copy from a domain that does not exist: %d (bad domain)",
		    st);
	st = gcopy(DOMID_SELF, SCRATCH_GFN, DOMID_SELF, b, 0);
	guest_check(st == GNTST_bad_page, "copy from an unbacked frame of ours: %d (bad page)", st);
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
	check_memory_map();
	check_grant_copy((domid_t)r[2]);
	guest_finish();
}
