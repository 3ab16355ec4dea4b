/* pvh-domains: dom0 builds, runs and destroys another domain with the
 * hypercalls libxc's PVH builder uses, and every bad request gets Xen's
 * error: createdomain checks, populate_physmap limits, foreign mappings
 * (add_to_physmap_batch / remove_from_physmap) with reference counting
 * across destruction, acquire_resource of grant frames, HVM context, pause
 * counting, a tiny guest that prints through port 0xE9 and triple-faults
 * (crash reported with VIRQ_DOM_EXC), and destruction giving pages back. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/arch-x86/hvm/save.h>

#define FOREIGN_GFN 0xC0000UL /* our GFNs for mappings: unbacked, inside the 4 GiB map */
#define GUEST_CODE_GFN 1UL
#define DOMID_NONE 0x7000 /* a valid id no domain has */

static struct shared_info *sh = (struct shared_info *)(void *)spare_page;
static uint8_t ctx[4096];
static char con[16384];

static long domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return hypercall3(__HYPERVISOR_domctl, (unsigned long)op, 0, 0);
}

static long memop(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0);
}

static uint64_t free_pages(void)
{
	struct xen_sysctl op;

	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_physinfo;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	if (hypercall3(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0))
		return 0;
	return op.u.physinfo.free_pages;
}

static void pvh_config(struct xen_domctl_createdomain *c)
{
	memset(c, 0, sizeof(*c));
	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = 1;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = 64;
	c->max_maptrack_frames = 1024;
	c->grant_opts = 1;
	c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
}

static long create(struct xen_domctl_createdomain *c, domid_t want, domid_t *got)
{
	struct xen_domctl op;
	long rc;

	memset(&op, 0, sizeof(op));
	op.u.createdomain = *c;
	rc = domctl(&op, XEN_DOMCTL_createdomain, want);
	*got = op.domain;
	return rc;
}

static long destroy(domid_t d, unsigned int *calls)
{
	struct xen_domctl op;
	long rc;

	*calls = 0;
	do {
		memset(&op, 0, sizeof(op));
		rc = domctl(&op, XEN_DOMCTL_destroydomain, d);
		(*calls)++;
	} while (rc == -XEN_EAGAIN && *calls < 100000);
	return rc;
}

static long info(domid_t d, struct xen_domctl_getdomaininfo *out)
{
	struct xen_domctl op;
	long rc;

	memset(&op, 0, sizeof(op));
	rc = domctl(&op, XEN_DOMCTL_getdomaininfo, d);
	*out = op.u.getdomaininfo;
	/* getdomaininfo answers the next domain up: this one is gone */
	if (!rc && op.domain != d)
		return -XEN_ESRCH;
	return rc;
}

static long populate(domid_t d, xen_pfn_t *gfns, unsigned long n, unsigned int order)
{
	struct xen_memory_reservation r = { gfns, n, order, 0, d };

	return memop(XENMEM_populate_physmap, &r);
}

/* One foreign mapping (domain d's gfn idx at our gfn at); per-entry error. */
static long map_foreign(domid_t d, uint64_t idx, uint64_t at, int *err)
{
	struct xen_add_to_physmap_batch b = {
		DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, d,
		(uintptr_t)&idx, (uintptr_t)&at, (uintptr_t)err,
	};

	*err = 12345;
	return memop(XENMEM_add_to_physmap_batch, &b);
}

static long unmap(uint64_t gfn)
{
	struct xen_remove_from_physmap r = { DOMID_SELF, gfn };

	return memop(XENMEM_remove_from_physmap, &r);
}

static volatile uint32_t *at_gfn(uint64_t gfn)
{
	return (volatile uint32_t *)(uintptr_t)(gfn << 12);
}

/* A plain MOV load: the form the hypervisor emulates for an address with
 * nothing behind it (reads all-ones). */
static uint32_t read_gpa(uint64_t gpa)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static void check_create_errors(void)
{
	struct xen_domctl_createdomain c;
	struct xen_domctl op;
	domid_t d;

	pvh_config(&c);
	c.flags = XEN_DOMCTL_CDF_hvm;
	guest_check(create(&c, 0, &d) == -XEN_EINVAL, "createdomain HVM without HAP: -EINVAL");
	pvh_config(&c);
	c.arch.emulation_flags |= XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIT;
	guest_check(create(&c, 0, &d) == -XEN_EINVAL, "createdomain with IOAPIC+PIT emulation: -EINVAL");
	pvh_config(&c);
	c.max_vcpus = 0;
	guest_check(create(&c, 0, &d) == -XEN_EINVAL, "createdomain with 0 vCPUs: -EINVAL");
	pvh_config(&c);
	memset(&op, 0, sizeof(op));
	op.u.createdomain = c;
	op.cmd = XEN_DOMCTL_createdomain;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	guest_check(hypercall3(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0) == -XEN_EACCES,
		    "createdomain with interface version 0x14: -EACCES");
	memset(&op, 0, sizeof(op));
	guest_check(domctl(&op, XEN_DOMCTL_unpausedomain, DOMID_NONE) == -XEN_ESRCH &&
		    domctl(&op, XEN_DOMCTL_destroydomain, DOMID_NONE) == -XEN_ESRCH,
		    "unpause/destroy of a domain that does not exist: -ESRCH");
	guest_check(domctl(&op, XEN_DOMCTL_destroydomain, 0) == -XEN_EINVAL,
		    "destroying dom0: -EINVAL");
}

/* populate_physmap limits and foreign mappings with reference counting. */
static void check_memory(void)
{
	struct xen_domctl_createdomain c;
	struct xen_domctl_getdomaininfo di;
	struct xen_domctl op;
	xen_pfn_t gfns[16];
	uint64_t free0, free_mapped, free_destroyed;
	unsigned int calls;
	domid_t d, d2;
	long rc;
	int err;

	free0 = free_pages();
	pvh_config(&c);
	rc = create(&c, 0, &d);
	if (!guest_check(rc == 0 && d > 0 && d < DOMID_FIRST_RESERVED,
			 "createdomain: %ld, domain %u", rc, d))
		return;
	guest_check(create(&c, d, &d2) == -XEN_EEXIST, "createdomain with id %u again: -EEXIST", d);
	rc = info(d, &di);
	guest_check(rc == 0 && (di.flags & XEN_DOMINF_paused) && (di.flags & XEN_DOMINF_hvm_guest) &&
		    di.tot_pages == 0 && di.max_vcpu_id == 0,
		    "new domain: paused PVH, no pages, 1 vCPU (flags %#x)", di.flags);
	memset(&op, 0, sizeof(op));
	op.u.max_mem.max_memkb = 4096; /* 1024 pages */
	guest_check(domctl(&op, XEN_DOMCTL_max_mem, d) == 0, "max_mem 4 MiB");

	for (unsigned int i = 0; i < 16; i++)
		gfns[i] = i;
	rc = populate(d, gfns, 16, 0);
	guest_check(rc == 16, "populate_physmap 16 pages: %ld extents", rc);
	rc = populate(d, gfns + 3, 1, 0);
	guest_check(rc == 0, "populate an already populated gfn: %ld extents", rc);
	gfns[0] = 513;
	rc = populate(d, gfns, 1, 9);
	guest_check(rc == 0, "populate a misaligned 2 MiB extent: %ld extents", rc);
	gfns[0] = 512;
	rc = populate(d, gfns, 1, 9);
	guest_check(rc == 1, "populate a 2 MiB extent: %ld extent", rc);
	gfns[0] = 1024;
	rc = populate(d, gfns, 1, 9);
	guest_check(rc == 0, "populate past max_mem (528 + 512 > 1024 pages): %ld extents", rc);
	rc = populate(d, gfns, 1, 10);
	guest_check(rc == 0, "populate order 10: %ld extents (as Xen: none)", rc);
	rc = populate(DOMID_NONE, gfns, 1, 0);
	guest_check(rc == 0, "populate for a domain that does not exist: %ld extents", rc);
	rc = info(d, &di);
	guest_check(rc == 0 && di.tot_pages == 528, "tot_pages 528: %llu",
		    (unsigned long long)di.tot_pages);
	guest_check(free0 - free_pages() >= 528, "528 pages came from the free pool (%llu)",
		    (unsigned long long)(free0 - free_pages()));

	/* foreign mappings */
	rc = map_foreign(d, 3, FOREIGN_GFN, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 at our gfn %#lx: %ld, err %d", FOREIGN_GFN,
		    rc, err);
	rc = map_foreign(d, 3, FOREIGN_GFN + 1, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 a second time: %ld, err %d", rc, err);
	*at_gfn(FOREIGN_GFN) = 0x600DF00D;
	guest_check(*at_gfn(FOREIGN_GFN + 1) == 0x600DF00D,
		    "a write through one mapping reads back through the other");
	rc = map_foreign(d, 100, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map an unpopulated gfn: entry error %d", err);
	rc = map_foreign(d, 1ULL << 52, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map gfn 2^52: entry error %d", err);
	rc = map_foreign(0, 3, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map our own memory as foreign: entry error %d",
		    err);
	rc = map_foreign(DOMID_NONE, 3, FOREIGN_GFN + 2, &err);
	guest_check(rc == -XEN_ESRCH, "map from a domain that does not exist: %ld", rc);
	guest_check(unmap(FOREIGN_GFN + 2) == -XEN_ENOENT, "remove an empty gfn: -ENOENT");
	free_mapped = free_pages();

	rc = destroy(d, &calls);
	guest_check(rc == 0 && calls >= 1, "destroydomain: %ld after %u call(s)", rc, calls);
	guest_check(info(d, &di) == -XEN_ESRCH, "getdomaininfo after destroy: gone");
	free_destroyed = free_pages();
	guest_check(free_destroyed - free_mapped >= 527,
		    "destroy gave back all but the mapped page (%llu pages)",
		    (unsigned long long)(free_destroyed - free_mapped));
	guest_check(*at_gfn(FOREIGN_GFN) == 0x600DF00D,
		    "the mapped page outlives its domain with its contents");
	guest_check(unmap(FOREIGN_GFN) == 0, "unmap the first mapping");
	guest_check(free_pages() == free_destroyed, "the page stays while mapped once more");
	guest_check(unmap(FOREIGN_GFN + 1) == 0, "unmap the second mapping");
	guest_check(free_pages() == free_destroyed + 1,
		    "the last unmap frees it (free %llu -> %llu)",
		    (unsigned long long)free_destroyed, (unsigned long long)free_pages());
	guest_check(read_gpa(FOREIGN_GFN << 12) == 0xFFFFFFFF,
		    "our gfn is unbacked again (reads all-ones)");
	/* the heap and our p2m keep a few pages (tables, slabs) */
	guest_check(free0 - free_pages() < 32, "free pages back to the start within 32 (%lld)",
		    (long long)(free0 - free_pages()));
}

static int16_t gmap(domid_t d, uint32_t ref, uint64_t gfn, uint32_t flags, uint32_t *handle)
{
	struct gnttab_map_grant_ref m = { gfn << 12, flags, ref, d, 99, 0, 0 };
	long rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
			     (unsigned long)&m, 1);

	*handle = m.handle;
	return rc ? (int16_t)-100 : m.status;
}

static int16_t gunmap(uint32_t handle, uint64_t gfn)
{
	struct gnttab_unmap_grant_ref u = { gfn << 12, 0, handle, 99 };
	long rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
			     (unsigned long)&u, 1);

	return rc ? (int16_t)-100 : u.status;
}

/* Grants of domain d (gfns 0..3 populated, grant frame 0 at our gfn
 * table_gfn, its page 3 also mapped foreign at our FOREIGN_GFN + 4):
 * map, use, unmap, and every way a map must be refused.  Returns the
 * handle of a mapping left in place at FOREIGN_GFN + 20. */
static uint32_t check_grants(domid_t d, uint64_t table_gfn)
{
	volatile struct grant_entry_v1 *g = (volatile void *)(uintptr_t)(table_gfn << 12);
	const uint64_t at = FOREIGN_GFN + 20;
	uint32_t h, h2;
	int16_t st;

	g[5].domid = 0;
	g[5].frame = 3;
	g[5].flags = GTF_permit_access;
	g[6].domid = 7; /* granted to someone else */
	g[6].frame = 3;
	g[6].flags = GTF_permit_access;
	g[7].domid = 0;
	g[7].frame = 3;
	g[7].flags = GTF_permit_access | GTF_readonly;
	g[8].domid = 0;
	g[8].frame = 200; /* not populated */
	g[8].flags = GTF_permit_access;

	st = gmap(d, 5, at, GNTMAP_host_map, &h);
	guest_check(st == GNTST_okay, "map grant ref 5 at our gfn %#llx: status %d, handle %u",
		    (unsigned long long)at, st, h);
	guest_check((g[5].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
		    "the granter's entry shows reading|writing (flags %#x)", g[5].flags);
	*at_gfn(at) = 0xCAFE0005;
	guest_check(*at_gfn(FOREIGN_GFN + 4) == 0xCAFE0005,
		    "a write through the grant is in the granter's page");
	st = gmap(d, 5, at + 1, GNTMAP_host_map | GNTMAP_readonly, &h2);
	guest_check(st == GNTST_okay && *at_gfn(at + 1) == 0xCAFE0005,
		    "the same grant mapped again, read-only: status %d", st);
	guest_check(gunmap(h2, at + 1) == GNTST_okay &&
		    (g[5].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
		    "unmapping one of two mappings keeps the entry busy");
	guest_check(gmap(d, 6, at + 2, GNTMAP_host_map, &h2) == GNTST_permission_denied,
		    "a grant to another domain: permission denied");
	guest_check(gmap(d, 7, at + 2, GNTMAP_host_map, &h2) == GNTST_permission_denied,
		    "a read-only grant mapped writable: permission denied");
	st = gmap(d, 7, at + 2, GNTMAP_host_map | GNTMAP_readonly, &h2);
	guest_check(st == GNTST_okay && read_gpa((at + 2) << 12) == 0xCAFE0005,
		    "a read-only grant mapped read-only: status %d", st);
	guest_check(gunmap(h2, at + 2) == GNTST_okay && !(g[7].flags & (GTF_reading | GTF_writing)),
		    "unmapped, the read-only entry is idle again (flags %#x)", g[7].flags);
	guest_check(gmap(d, 9, at + 2, GNTMAP_host_map, &h2) == GNTST_permission_denied,
		    "an entry never granted: permission denied");
	guest_check(gmap(d, 8, at + 2, GNTMAP_host_map, &h2) == GNTST_bad_page,
		    "a grant of an unpopulated frame: bad page");
	guest_check(!(g[8].flags & (GTF_reading | GTF_writing)), "and leaves that entry idle");
	guest_check(gmap(d, 512 * 64, at + 2, GNTMAP_host_map, &h2) == GNTST_bad_gntref,
		    "ref past the table: bad gntref");
	guest_check(gmap(DOMID_NONE, 5, at + 2, GNTMAP_host_map, &h2) == GNTST_bad_domain,
		    "a granter that does not exist: bad domain");
	guest_check(gmap(d, 5, 1ULL << 41, GNTMAP_host_map, &h2) == GNTST_bad_virt_addr,
		    "host_addr past the physical address space: bad virt addr");
	guest_check(gmap(d, 5, at + 2, GNTMAP_host_map | GNTMAP_contains_pte, &h2) ==
		    GNTST_general_error, "a PV-style PTE mapping: general error");
	guest_check(gunmap(h + 1000, at) == GNTST_bad_handle, "unmap a bad handle: bad handle");
	guest_check(gunmap(h, at + 7) == GNTST_bad_virt_addr, "unmap at the wrong gfn: bad virt addr");
	guest_check(gunmap(h, at) == GNTST_okay && !(g[5].flags & (GTF_reading | GTF_writing)),
		    "unmap: the entry is idle again (flags %#x)", g[5].flags);
	guest_check(read_gpa(at << 12) == 0xFFFFFFFF, "the gfn is unbacked again");
	guest_check(gunmap(h, at) == GNTST_bad_handle, "unmap twice: bad handle");
	/* a mapping still in place when the granter is destroyed */
	st = gmap(d, 5, at, GNTMAP_host_map, &h);
	guest_check(st == GNTST_okay, "map ref 5 again, to outlive the granter: %d", st);
	g[5].flags = 0; /* a granter revoking a busy entry does not unmap it */
	guest_check(*at_gfn(at) == 0xCAFE0005, "the mapping stays after the granter revokes");
	return h;
}

/* A guest of a few instructions: print through the debug port, then
 * fault with no IDT (a triple fault). */
static size_t guest_code(uint8_t *p, const char *msg)
{
	size_t n = 0;

	p[n++] = 0x66; /* mov $0xe9, %dx */
	p[n++] = 0xBA;
	p[n++] = 0xE9;
	p[n++] = 0x00;
	for (; *msg; msg++) {
		p[n++] = 0xB0; /* mov $c, %al */
		p[n++] = (uint8_t)*msg;
		p[n++] = 0xEE; /* out %al, (%dx) */
	}
	p[n++] = 0x0F; /* ud2 */
	p[n++] = 0x0B;
	return n;
}

static size_t put_rec(size_t at, uint16_t code, uint16_t inst, const void *body, uint32_t len)
{
	struct hvm_save_descriptor dsc = { code, inst, len };

	memcpy(ctx + at, &dsc, sizeof(dsc));
	memcpy(ctx + at + sizeof(dsc), body, len);
	return at + sizeof(dsc) + len;
}

static bool console_has(const char *needle)
{
	struct xen_sysctl op;
	size_t k = strlen(needle);

	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_readconsole;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op.u.readconsole.buffer.p = con;
	op.u.readconsole.count = sizeof(con);
	if (hypercall3(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0))
		return false;
	for (size_t i = 0; i + k <= op.u.readconsole.count; i++)
		if (!memcmp(con + i, needle, k))
			return true;
	return false;
}

/* Build, run and lose a guest: HVM context, grant frames, pause counts,
 * the crash reported to dom0. */
static void check_run(void)
{
	struct xen_domctl_createdomain c;
	struct xen_domctl_getdomaininfo di;
	struct xen_domctl op;
	struct xen_mem_acquire_resource ar;
	struct hvm_save_header hdr = { HVM_FILE_MAGIC, HVM_FILE_VERSION, 0, 0, 0 };
	struct hvm_hw_cpu cpu;
	struct evtchn_bind_virq bv = { VIRQ_DOM_EXC, 0, 0 };
	xen_pfn_t gfns[4] = { 0, 1, 2, 3 };
	uint64_t free0 = free_pages(), gfn;
	unsigned int calls, port;
	uint32_t grant_handle = ~0U;
	size_t at;
	domid_t d;
	long rc;
	int err;

	rc = hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (unsigned long)&bv, 0);
	if (!guest_check(rc == 0, "bind VIRQ_DOM_EXC: %ld, port %u", rc, bv.port))
		return;
	port = bv.port;
	pvh_config(&c);
	if (!guest_check(create(&c, 0, &d) == 0, "create domain %u to run", d))
		return;
	memset(&op, 0, sizeof(op));
	op.u.max_mem.max_memkb = 64;
	domctl(&op, XEN_DOMCTL_max_mem, d);
	guest_check(populate(d, gfns, 4, 0) == 4, "populate 4 pages");

	/* grant table frames through acquire_resource */
	memset(&ar, 0, sizeof(ar));
	ar.domid = d;
	ar.type = XENMEM_resource_grant_table;
	rc = memop(XENMEM_acquire_resource, &ar);
	guest_check(rc == 0 && ar.nr_frames == 64, "acquire_resource size query: %ld, %u frames", rc,
		    ar.nr_frames);
	gfn = FOREIGN_GFN + 8;
	ar.nr_frames = 1;
	ar.frame_list = (uintptr_t)&gfn;
	rc = memop(XENMEM_acquire_resource, &ar);
	guest_check(rc == 0, "acquire grant frame 0 at our gfn %#llx: %ld", (unsigned long long)gfn, rc);
	guest_check(*at_gfn(gfn) == 0, "a fresh grant frame reads zero");
	rc = map_foreign(d, 3, FOREIGN_GFN + 4, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 for the grant checks");
	grant_handle = check_grants(d, gfn);
	unmap(FOREIGN_GFN + 4);
	guest_check(unmap(gfn) == 0, "unmap the grant frame");
	ar.id = XENMEM_resource_grant_table_id_status;
	guest_check(memop(XENMEM_acquire_resource, &ar) == -XEN_EINVAL, "status frames (v2): -EINVAL");
	ar.id = 0;
	ar.frame = 64;
	guest_check(memop(XENMEM_acquire_resource, &ar) == -XEN_EINVAL, "frame 64 of 64: -EINVAL");
	ar.frame = 0;
	ar.type = XENMEM_resource_ioreq_server;
	guest_check(memop(XENMEM_acquire_resource, &ar) == -XEN_EOPNOTSUPP,
		    "ioreq server frames: -EOPNOTSUPP");

	/* the code, through a foreign mapping */
	rc = map_foreign(d, GUEST_CODE_GFN, FOREIGN_GFN + 4, &err);
	if (!guest_check(rc == 0 && err == 0, "map its code page: %ld, %d", rc, err))
		return;
	guest_code((uint8_t *)(uintptr_t)((FOREIGN_GFN + 4) << 12), "hello from the new domain\n");
	unmap(FOREIGN_GFN + 4);

	/* HVM context: size query, get, then the entry state */
	memset(&op, 0, sizeof(op));
	rc = domctl(&op, XEN_DOMCTL_gethvmcontext, d);
	guest_check(rc == 0 && op.u.hvmcontext.size == 8 + 24 + 248 + 8,
		    "gethvmcontext size: %ld, %u bytes", rc, op.u.hvmcontext.size);
	op.u.hvmcontext.buffer.p = ctx;
	op.u.hvmcontext.size = 16;
	guest_check(domctl(&op, XEN_DOMCTL_gethvmcontext, d) == -XEN_ENOSPC,
		    "gethvmcontext into 16 bytes: -ENOSPC");
	memset(&cpu, 0, sizeof(cpu));
	cpu.rip = GUEST_CODE_GFN << 12;
	cpu.cr0 = 0x80000011; /* paging on: not a PVH entry */
	cpu.cs_limit = cpu.ds_limit = cpu.es_limit = cpu.ss_limit = 0xFFFFFFFF;
	cpu.cs_arbytes = 0xC9B;
	cpu.ds_arbytes = cpu.es_arbytes = cpu.ss_arbytes = 0xC93;
	at = put_rec(0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	at = put_rec(at, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu));
	at = put_rec(at, HVM_SAVE_CODE_END, 0, &cpu, 0);
	memset(&op, 0, sizeof(op));
	op.u.hvmcontext.buffer.p = ctx;
	op.u.hvmcontext.size = (uint32_t)at;
	guest_check(domctl(&op, XEN_DOMCTL_sethvmcontext, d) == -XEN_EOPNOTSUPP,
		    "sethvmcontext with paging on: -EOPNOTSUPP");
	op.u.hvmcontext.size = (uint32_t)at - 8;
	guest_check(domctl(&op, XEN_DOMCTL_sethvmcontext, d) == -XEN_EINVAL,
		    "sethvmcontext without the end record: -EINVAL");
	guest_check(domctl(&op, XEN_DOMCTL_sethvmcontext, 0) == -XEN_EPERM,
		    "sethvmcontext on ourselves: -EPERM");
	cpu.cr0 = 0x11;
	put_rec(sizeof(struct hvm_save_descriptor) + sizeof(hdr), HVM_SAVE_CODE_CPU, 0, &cpu,
		sizeof(cpu));
	op.u.hvmcontext.size = (uint32_t)at;
	guest_check(domctl(&op, XEN_DOMCTL_sethvmcontext, d) == 0, "sethvmcontext: PVH entry");

	/* pause counting: created paused, one more pause needs two unpauses */
	memset(&op, 0, sizeof(op));
	guest_check(domctl(&op, XEN_DOMCTL_pausedomain, d) == 0, "pause (count 2)");
	guest_check(domctl(&op, XEN_DOMCTL_unpausedomain, d) == 0 && info(d, &di) == 0 &&
		    (di.flags & XEN_DOMINF_paused), "one unpause: still paused");
	guest_check(domctl(&op, XEN_DOMCTL_unpausedomain, d) == 0, "second unpause: runs");
	guest_check(domctl(&op, XEN_DOMCTL_unpausedomain, d) == -XEN_EINVAL,
		    "unpause of a running domain: -EINVAL");

	/* it runs on our pCPUs, prints and crashes; dom0 hears of it */
	for (unsigned long i = 0; i < 2000000UL; i++) {
		if (info(d, &di) || (di.flags & XEN_DOMINF_shutdown))
			break;
		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	}
	guest_check((di.flags & XEN_DOMINF_shutdown) &&
		    ((di.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) == SHUTDOWN_crash,
		    "the guest crashed (flags %#x)", di.flags);
	guest_check(sh->evtchn_pending[port / 64] & (1ULL << (port % 64)),
		    "VIRQ_DOM_EXC is pending on port %u", port);
	guest_check(console_has("hello from the new domain"),
		    "its debug-port output is in the hypervisor log");
	rc = destroy(d, &calls);
	guest_check(rc == 0, "destroy the crashed domain: %ld", rc);
	guest_check(*at_gfn(FOREIGN_GFN + 20) == 0xCAFE0005,
		    "the granted page outlives its destroyed granter while mapped");
	guest_check(gunmap(grant_handle, FOREIGN_GFN + 20) == GNTST_okay,
		    "unmap the last grant mapping");
	guest_check(read_gpa((FOREIGN_GFN + 20) << 12) == 0xFFFFFFFF, "and the gfn is unbacked");
	guest_check(free0 - free_pages() < 32, "free pages back within 32 (%lld)",
		    (long long)(free0 - free_pages()));
}

void guest_main(uint32_t start_info_pa)
{
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	long rc;

	(void)start_info_pa;
	guest_printf("pvh-domains: dom0 builds, runs and destroys a domain\n");
	rc = memop(XENMEM_add_to_physmap, &xatp);
	if (!guest_check(rc == 0, "shared_info mapped: %ld", rc))
		guest_finish();
	check_create_errors();
	check_memory();
	check_run();
	guest_finish();
}
