/* pvh-domains: dom0 builds, runs and destroys another domain with the
 * hypercalls libxc's PVH builder uses, and every bad request gets Xen's
 * error: createdomain checks, populate_physmap limits, foreign mappings
 * (add_to_physmap_batch / remove_from_physmap) with reference counting
 * across destruction, acquire_resource of grant frames, HVM context, pause
 * counting, a tiny guest that prints through port 0xE9 and triple-faults
 * (crash reported with VIRQ_DOM_EXC), and destruction giving pages back. */
#include "lib/guest.h"
#include "lib/dom.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/arch-x86/hvm/save.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define FOREIGN_GFN 0xC0000UL /* our GFNs for mappings: unbacked, inside the 4 GiB map */
#define GUEST_CODE_GFN 1UL
#define DOMID_NONE 0x7000 /* a valid id no domain has */

static struct shared_info *sh = (struct shared_info *)(void *)spare_page;
static uint8_t ctx[4096];
static uint8_t copy_page[4096] __attribute__((aligned(4096))); /* GNTTABOP_copy's own end */
static char con[16384];

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

	dom_pvh_config(&c);
	c.flags = XEN_DOMCTL_CDF_hvm;
	guest_check(dom_create(&c, 0, &d) == -XEN_EINVAL, "createdomain HVM without HAP: -EINVAL");
	dom_pvh_config(&c);
	c.arch.emulation_flags |= XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIT;
	guest_check(dom_create(&c, 0, &d) == -XEN_EINVAL, "createdomain with IOAPIC+PIT emulation: -EINVAL");
	dom_pvh_config(&c);
	c.max_vcpus = 0;
	guest_check(dom_create(&c, 0, &d) == -XEN_EINVAL, "createdomain with 0 vCPUs: -EINVAL");
	dom_pvh_config(&c);
	memset(&op, 0, sizeof(op));
	op.u.createdomain = c;
	op.cmd = XEN_DOMCTL_createdomain;
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	guest_check(hypercall3(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0) == -XEN_EACCES,
		    "createdomain with interface version 0x14: -EACCES");
	memset(&op, 0, sizeof(op));
	guest_check(dom_domctl(&op, XEN_DOMCTL_unpausedomain, DOMID_NONE) == -XEN_ESRCH &&
		    dom_domctl(&op, XEN_DOMCTL_destroydomain, DOMID_NONE) == -XEN_ESRCH,
		    "unpause/destroy of a domain that does not exist: -ESRCH");
	guest_check(dom_domctl(&op, XEN_DOMCTL_destroydomain, 0) == -XEN_EINVAL,
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

	free0 = dom_free_pages();
	dom_pvh_config(&c);
	rc = dom_create(&c, 0, &d);
	if (!guest_check(rc == 0 && d > 0 && d < DOMID_FIRST_RESERVED,
			 "createdomain: %ld, domain %u", rc, d))
		return;
	guest_check(dom_create(&c, d, &d2) == -XEN_EEXIST, "createdomain with id %u again: -EEXIST", d);
	rc = dom_info(d, &di);
	guest_check(rc == 0 && (di.flags & XEN_DOMINF_paused) && (di.flags & XEN_DOMINF_hvm_guest) &&
		    di.tot_pages == 0 && di.max_vcpu_id == 0,
		    "new domain: paused PVH, no pages, 1 vCPU (flags %#x)", di.flags);
	memset(&op, 0, sizeof(op));
	op.u.max_mem.max_memkb = 4096; /* 1024 pages */
	guest_check(dom_domctl(&op, XEN_DOMCTL_max_mem, d) == 0, "max_mem 4 MiB");

	for (unsigned int i = 0; i < 16; i++)
		gfns[i] = i;
	rc = dom_populate(d, gfns, 16, 0);
	guest_check(rc == 16, "populate_physmap 16 pages: %ld extents", rc);
	rc = dom_populate(d, gfns + 3, 1, 0);
	guest_check(rc == 0, "populate an already populated gfn: %ld extents", rc);
	gfns[0] = 513;
	rc = dom_populate(d, gfns, 1, 9);
	guest_check(rc == 0, "populate a misaligned 2 MiB extent: %ld extents", rc);
	gfns[0] = 512;
	rc = dom_populate(d, gfns, 1, 9);
	guest_check(rc == 1, "populate a 2 MiB extent: %ld extent", rc);
	gfns[0] = 1024;
	rc = dom_populate(d, gfns, 1, 9);
	guest_check(rc == 0, "populate past max_mem (528 + 512 > 1024 pages): %ld extents", rc);
	rc = dom_populate(d, gfns, 1, 10);
	guest_check(rc == 0, "populate order 10: %ld extents (as Xen: none)", rc);
	rc = dom_populate(DOMID_NONE, gfns, 1, 0);
	guest_check(rc == 0, "populate for a domain that does not exist: %ld extents", rc);
	rc = dom_info(d, &di);
	guest_check(rc == 0 && di.tot_pages == 528, "tot_pages 528: %llu",
		    (unsigned long long)di.tot_pages);
	guest_check(free0 - dom_free_pages() >= 528, "528 pages came from the free pool (%llu)",
		    (unsigned long long)(free0 - dom_free_pages()));

	/* foreign mappings */
	rc = dom_map_foreign(d, 3, FOREIGN_GFN, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 at our gfn %#lx: %ld, err %d", FOREIGN_GFN,
		    rc, err);
	rc = dom_map_foreign(d, 3, FOREIGN_GFN + 1, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 a second time: %ld, err %d", rc, err);
	*dom_at_gfn(FOREIGN_GFN) = 0x600DF00D;
	guest_check(*dom_at_gfn(FOREIGN_GFN + 1) == 0x600DF00D,
		    "a write through one mapping reads back through the other");
	rc = dom_map_foreign(d, 100, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map an unpopulated gfn: entry error %d", err);
	rc = dom_map_foreign(d, 1ULL << 52, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map gfn 2^52: entry error %d", err);
	rc = dom_map_foreign(0, 3, FOREIGN_GFN + 2, &err);
	guest_check(rc == 0 && err == -XEN_EINVAL, "map our own memory as foreign: entry error %d",
		    err);
	rc = dom_map_foreign(DOMID_NONE, 3, FOREIGN_GFN + 2, &err);
	guest_check(rc == -XEN_ESRCH, "map from a domain that does not exist: %ld", rc);
	guest_check(dom_unmap(FOREIGN_GFN + 2) == -XEN_ENOENT, "remove an empty gfn: -ENOENT");
	free_mapped = dom_free_pages();

	rc = dom_destroy(d, &calls);
	guest_check(rc == 0 && calls >= 1, "destroydomain: %ld after %u call(s)", rc, calls);
	guest_check(dom_info(d, &di) == -XEN_ESRCH, "getdomaininfo after destroy: gone");
	free_destroyed = dom_free_pages();
	guest_check(free_destroyed - free_mapped >= 527,
		    "destroy gave back all but the mapped page (%llu pages)",
		    (unsigned long long)(free_destroyed - free_mapped));
	guest_check(*dom_at_gfn(FOREIGN_GFN) == 0x600DF00D,
		    "the mapped page outlives its domain with its contents");
	guest_check(dom_unmap(FOREIGN_GFN) == 0, "unmap the first mapping");
	guest_check(dom_free_pages() == free_destroyed, "the page stays while mapped once more");
	guest_check(dom_unmap(FOREIGN_GFN + 1) == 0, "unmap the second mapping");
	guest_check(dom_free_pages() == free_destroyed + 1,
		    "the last unmap frees it (free %llu -> %llu)",
		    (unsigned long long)free_destroyed, (unsigned long long)dom_free_pages());
	guest_check(read_gpa(FOREIGN_GFN << 12) == 0xFFFFFFFF,
		    "our gfn is unbacked again (reads all-ones)");
	/* the heap and our p2m keep a few pages (tables, slabs) */
	guest_check(free0 - dom_free_pages() < 32, "free pages back to the start within 32 (%lld)",
		    (long long)(free0 - dom_free_pages()));
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

/* GNTTABOP_copy as netback uses it: between our own frames and domain
 * d's grants (entries 5-8 as set by check_grants), and every refusal. */
static void check_copy(domid_t d, volatile struct grant_entry_v1 *g)
{
	volatile uint8_t *peer = (volatile uint8_t *)dom_at_gfn(FOREIGN_GFN + 4); /* d's gfn 3 */
	uint8_t *mine = copy_page + 2048;
	uint64_t my_gfn = (uintptr_t)copy_page >> 12;
	const uint16_t S = GNTCOPY_source_gref, D = GNTCOPY_dest_gref;
	struct gnttab_copy two[2];
	int16_t st;

	g[5].flags = GTF_permit_access;
	for (unsigned int i = 0; i < 64; i++)
		mine[i] = (uint8_t)(0xA0 + i);
	st = dom_grant_copy(DOMID_SELF, my_gfn, 2048, d, 5, 100, 64, D);
	guest_check(st == GNTST_okay && peer[100] == 0xA0 && peer[163] == 0xDF && peer[164] == 0,
		    "copy 64 bytes into d's grant 5 at offset 100: status %d", st);
	guest_check(!(g[5].flags & (GTF_reading | GTF_writing)),
		    "the entry is idle after the copy (flags %#x)", g[5].flags);
	memset(mine, 0, 64);
	st = dom_grant_copy(d, 7, 100, DOMID_SELF, my_gfn, 2048, 64, S);
	guest_check(st == GNTST_okay && mine[0] == 0xA0 && mine[63] == 0xDF,
		    "copy back out of the read-only grant 7: status %d", st);
	st = dom_grant_copy(d, 5, 0, d, 5, 4000, 97, S | D);
	guest_check(st == GNTST_bad_copy_arg, "a copy past the end of the page: %d (bad copy arg)", st);
	st = dom_grant_copy(DOMID_SELF, my_gfn, 0, d, 7, 0, 8, D);
	guest_check(st == GNTST_general_error, "a copy into a read-only grant: %d (general error)", st);
	st = dom_grant_copy(d, 6, 0, DOMID_SELF, my_gfn, 0, 8, S);
	guest_check(st == GNTST_general_error, "a copy from a grant to another domain: %d", st);
	st = dom_grant_copy(d, 9, 0, DOMID_SELF, my_gfn, 0, 8, S);
	guest_check(st == GNTST_general_error, "a copy from an entry never granted: %d", st);
	st = dom_grant_copy(d, 8, 0, DOMID_SELF, my_gfn, 0, 8, S);
	guest_check(st == GNTST_bad_page, "a copy from a grant of an unpopulated frame: %d", st);
	st = dom_grant_copy(d, 512 * 64, 0, DOMID_SELF, my_gfn, 0, 8, S);
	guest_check(st == GNTST_bad_gntref, "a copy from a ref past the table: %d", st);
	st = dom_grant_copy(DOMID_NONE, 5, 0, DOMID_SELF, my_gfn, 0, 8, S);
	guest_check(st == GNTST_bad_domain, "a copy from a domain that does not exist: %d", st);
	st = dom_grant_copy(d, 3, 0, DOMID_SELF, my_gfn, 0, 8, 0);
	guest_check(st == GNTST_permission_denied,
		    "a copy from another domain's frame (no gref): %d (permission denied)", st);
	st = dom_grant_copy(DOMID_SELF, 1ULL << 40, 0, d, 5, 0, 8, D);
	guest_check(st == GNTST_bad_page, "a copy from a frame we do not have: %d (bad page)", st);
	/* a batch: each op has its own status */
	memset(two, 0, sizeof(two));
	two[0].source.u.gmfn = my_gfn;
	two[0].source.domid = DOMID_SELF;
	two[0].dest.u.ref = 5;
	two[0].dest.domid = d;
	two[0].dest.offset = 200; /* clear of the word the map checks use */
	two[0].len = 8;
	two[0].flags = D;
	two[1] = two[0];
	two[1].dest.u.ref = 7;
	guest_check(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (unsigned long)two, 2) == 0 &&
		    two[0].status == GNTST_okay && two[1].status == GNTST_general_error,
		    "a batch of two: statuses %d, %d", two[0].status, two[1].status);
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
	*dom_at_gfn(at) = 0xCAFE0005;
	guest_check(*dom_at_gfn(FOREIGN_GFN + 4) == 0xCAFE0005,
		    "a write through the grant is in the granter's page");
	st = gmap(d, 5, at + 1, GNTMAP_host_map | GNTMAP_readonly, &h2);
	guest_check(st == GNTST_okay && *dom_at_gfn(at + 1) == 0xCAFE0005,
		    "the same grant mapped again, read-only: status %d", st);
	guest_check(gunmap(h2, at + 1) == GNTST_okay &&
		    (g[5].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
		    "unmapping one of two mappings keeps the entry busy");
	guest_check(gmap(d, 6, at + 2, GNTMAP_host_map, &h2) == GNTST_general_error,
		    "a grant to another domain: general error");
	guest_check(gmap(d, 7, at + 2, GNTMAP_host_map, &h2) == GNTST_general_error,
		    "a read-only grant mapped writable: general error");
	st = gmap(d, 7, at + 2, GNTMAP_host_map | GNTMAP_readonly, &h2);
	guest_check(st == GNTST_okay && read_gpa((at + 2) << 12) == 0xCAFE0005,
		    "a read-only grant mapped read-only: status %d", st);
	guest_check(gunmap(h2, at + 2) == GNTST_okay && !(g[7].flags & (GTF_reading | GTF_writing)),
		    "unmapped, the read-only entry is idle again (flags %#x)", g[7].flags);
	guest_check(gmap(d, 9, at + 2, GNTMAP_host_map, &h2) == GNTST_general_error,
		    "an entry never granted: general error");
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
	check_copy(d, g);
	/* a mapping still in place when the granter is destroyed */
	st = gmap(d, 5, at, GNTMAP_host_map, &h);
	guest_check(st == GNTST_okay, "map ref 5 again, to outlive the granter: %d", st);
	g[5].flags = 0; /* a granter revoking a busy entry does not unmap it */
	guest_check(*dom_at_gfn(at) == 0xCAFE0005, "the mapping stays after the granter revokes");
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

/* CPUID policy records of the new domain d (before it runs), then the
 * refusals: an unknown leaf, a larger max leaf, ourselves. */
static void check_cpu_policy(domid_t d)
{
	static struct xen_cpuid_leaf leaves[128];
	struct xen_msr_entry msrs[4];
	struct xen_domctl op;
	struct xen_cpuid_leaf *l1 = NULL, *l0 = NULL;
	uint32_t r[4], n;
	long rc;

	memset(&op, 0, sizeof(op));
	rc = dom_domctl(&op, XEN_DOMCTL_get_cpu_policy, d);
	guest_check(rc == 0 && op.u.cpu_policy.nr_leaves >= 16 && op.u.cpu_policy.nr_msrs == 2,
		    "get_cpu_policy sizes: %ld, %u leaves, %u MSRs", rc, op.u.cpu_policy.nr_leaves,
		    op.u.cpu_policy.nr_msrs);
	op.u.cpu_policy.nr_leaves = 4;
	op.u.cpu_policy.nr_msrs = 4;
	op.u.cpu_policy.leaves.p = leaves;
	op.u.cpu_policy.msrs.p = msrs;
	guest_check(dom_domctl(&op, XEN_DOMCTL_get_cpu_policy, d) == -XEN_ENOBUFS,
		    "get_cpu_policy into 4 records: -ENOBUFS");
	op.u.cpu_policy.nr_leaves = 128;
	rc = dom_domctl(&op, XEN_DOMCTL_get_cpu_policy, d);
	n = op.u.cpu_policy.nr_leaves;
	for (uint32_t i = 0; rc == 0 && i < n; i++) {
		if (leaves[i].leaf == 0)
			l0 = &leaves[i];
		if (leaves[i].leaf == 1)
			l1 = &leaves[i];
	}
	cpuid(0, 0, r);
	guest_check(rc == 0 && l0 && l1 && l0->subleaf == 0xFFFFFFFFU && l0->b == r[1] &&
		    msrs[0].idx == 0xCE && msrs[1].idx == 0x10A,
		    "get_cpu_policy: %ld, %u leaves, leaf 0 vendor as ours, MSRs 0xce and 0x10a", rc, n);
	if (!l0 || !l1)
		return;
	l1->c &= ~1U; /* the toolstack takes SSE3 away */
	op.u.cpu_policy.nr_leaves = n;
	op.u.cpu_policy.nr_msrs = 2;
	rc = dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, d);
	guest_check(rc == 0 && op.u.cpu_policy.err_leaf == ~0U, "set_cpu_policy (SSE3 off): %ld", rc);
	leaves[0] = (struct xen_cpuid_leaf){ 0x77, 0xFFFFFFFFU, 0, 0, 0, 0 };
	op.u.cpu_policy.nr_leaves = 1;
	op.u.cpu_policy.nr_msrs = 0;
	rc = dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, d);
	guest_check(rc == -XEN_ERANGE && op.u.cpu_policy.err_leaf == 0x77 &&
		    op.u.cpu_policy.err_subleaf == 0xFFFFFFFFU,
		    "set_cpu_policy with leaf 0x77: %ld (-ERANGE), err_leaf %#x", rc,
		    op.u.cpu_policy.err_leaf);
	leaves[0] = (struct xen_cpuid_leaf){ 0, 0xFFFFFFFFU, r[0] + 1, r[1], r[2], r[3] };
	rc = dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, d);
	guest_check(rc == -XEN_EINVAL && op.u.cpu_policy.err_leaf == 0,
		    "set_cpu_policy raising the max leaf: %ld (-EINVAL), err_leaf %#x", rc,
		    op.u.cpu_policy.err_leaf);
	msrs[0] = (struct xen_msr_entry){ 0x1B, 0, 0 };
	op.u.cpu_policy.nr_leaves = 0;
	op.u.cpu_policy.nr_msrs = 1;
	rc = dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, d);
	guest_check(rc == -XEN_ERANGE && op.u.cpu_policy.err_msr == 0x1B,
		    "set_cpu_policy with MSR 0x1b: %ld (-ERANGE), err_msr %#x", rc,
		    op.u.cpu_policy.err_msr);
	guest_check(dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, 0) == -XEN_EINVAL,
		    "set_cpu_policy of ourselves: -EINVAL");
	op.u.cpu_policy.nr_leaves = 128;
	op.u.cpu_policy.nr_msrs = 4;
	rc = dom_domctl(&op, XEN_DOMCTL_get_cpu_policy, d);
	l1 = NULL;
	for (uint32_t i = 0; rc == 0 && i < op.u.cpu_policy.nr_leaves; i++)
		if (leaves[i].leaf == 1)
			l1 = &leaves[i];
	guest_check(l1 && !(l1->c & 1U), "get_cpu_policy shows SSE3 off");
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
	uint64_t free0 = dom_free_pages(), gfn;
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
	dom_pvh_config(&c);
	if (!guest_check(dom_create(&c, 0, &d) == 0, "create domain %u to run", d))
		return;
	memset(&op, 0, sizeof(op));
	op.u.max_mem.max_memkb = 64;
	dom_domctl(&op, XEN_DOMCTL_max_mem, d);
	guest_check(dom_populate(d, gfns, 4, 0) == 4, "populate 4 pages");

	/* grant table frames through acquire_resource */
	memset(&ar, 0, sizeof(ar));
	ar.domid = d;
	ar.type = XENMEM_resource_grant_table;
	rc = dom_memop(XENMEM_acquire_resource, &ar);
	guest_check(rc == 0 && ar.nr_frames == 64, "acquire_resource size query: %ld, %u frames", rc,
		    ar.nr_frames);
	gfn = FOREIGN_GFN + 8;
	ar.nr_frames = 1;
	ar.frame_list = (uintptr_t)&gfn;
	rc = dom_memop(XENMEM_acquire_resource, &ar);
	guest_check(rc == 0, "acquire grant frame 0 at our gfn %#llx: %ld", (unsigned long long)gfn, rc);
	guest_check(*dom_at_gfn(gfn) == 0, "a fresh grant frame reads zero");
	rc = dom_map_foreign(d, 3, FOREIGN_GFN + 4, &err);
	guest_check(rc == 0 && err == 0, "map its gfn 3 for the grant checks");
	grant_handle = check_grants(d, gfn);
	dom_unmap(FOREIGN_GFN + 4);
	guest_check(dom_unmap(gfn) == 0, "unmap the grant frame");
	ar.id = XENMEM_resource_grant_table_id_status;
	guest_check(dom_memop(XENMEM_acquire_resource, &ar) == -XEN_EINVAL, "status frames (v2): -EINVAL");
	ar.id = 0;
	ar.frame = 64;
	guest_check(dom_memop(XENMEM_acquire_resource, &ar) == -XEN_EINVAL, "frame 64 of 64: -EINVAL");
	ar.frame = 0;
	ar.type = XENMEM_resource_ioreq_server;
	guest_check(dom_memop(XENMEM_acquire_resource, &ar) == -XEN_EOPNOTSUPP,
		    "ioreq server frames: -EOPNOTSUPP");

	/* the code, through a foreign mapping */
	rc = dom_map_foreign(d, GUEST_CODE_GFN, FOREIGN_GFN + 4, &err);
	if (!guest_check(rc == 0 && err == 0, "map its code page: %ld, %d", rc, err))
		return;
	guest_code((uint8_t *)(uintptr_t)((FOREIGN_GFN + 4) << 12), "hello from the new domain\n");
	dom_unmap(FOREIGN_GFN + 4);

	/* HVM context: size query, get, then the entry state */
	memset(&op, 0, sizeof(op));
	rc = dom_domctl(&op, XEN_DOMCTL_gethvmcontext, d);
	guest_check(rc == 0 && op.u.hvmcontext.size == 8 + 24 + 248 + 8,
		    "gethvmcontext size: %ld, %u bytes", rc, op.u.hvmcontext.size);
	op.u.hvmcontext.buffer.p = ctx;
	op.u.hvmcontext.size = 16;
	guest_check(dom_domctl(&op, XEN_DOMCTL_gethvmcontext, d) == -XEN_ENOSPC,
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
	guest_check(dom_domctl(&op, XEN_DOMCTL_sethvmcontext, d) == -XEN_EOPNOTSUPP,
		    "sethvmcontext with paging on: -EOPNOTSUPP");
	op.u.hvmcontext.size = (uint32_t)at - 8;
	guest_check(dom_domctl(&op, XEN_DOMCTL_sethvmcontext, d) == -XEN_EINVAL,
		    "sethvmcontext without the end record: -EINVAL");
	guest_check(dom_domctl(&op, XEN_DOMCTL_sethvmcontext, 0) == -XEN_EPERM,
		    "sethvmcontext on ourselves: -EPERM");
	cpu.cr0 = 0x11;
	put_rec(sizeof(struct hvm_save_descriptor) + sizeof(hdr), HVM_SAVE_CODE_CPU, 0, &cpu,
		sizeof(cpu));
	op.u.hvmcontext.size = (uint32_t)at;
	guest_check(dom_domctl(&op, XEN_DOMCTL_sethvmcontext, d) == 0, "sethvmcontext: PVH entry");

	/* its triple fault is to count as a crash, not Xen's default reboot */
	{
		struct xen_hvm_param p = { d, 0, HVM_PARAM_TRIPLE_FAULT_REASON, SHUTDOWN_MAX + 1 };

		rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
		guest_check(rc == -XEN_EINVAL, "triple fault reason %u: %ld (-EINVAL)",
			    SHUTDOWN_MAX + 1, rc);
		p.value = SHUTDOWN_crash;
		rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
		guest_check(rc == 0, "triple fault reason: crash: %ld", rc);
	}

	check_cpu_policy(d);

	/* pause counting: created paused, one more pause needs two unpauses */
	memset(&op, 0, sizeof(op));
	guest_check(dom_domctl(&op, XEN_DOMCTL_pausedomain, d) == 0, "pause (count 2)");
	guest_check(dom_domctl(&op, XEN_DOMCTL_unpausedomain, d) == 0 && dom_info(d, &di) == 0 &&
		    (di.flags & XEN_DOMINF_paused), "one unpause: still paused");
	guest_check(dom_domctl(&op, XEN_DOMCTL_unpausedomain, d) == 0, "second unpause: runs");
	guest_check(dom_domctl(&op, XEN_DOMCTL_unpausedomain, d) == -XEN_EINVAL,
		    "unpause of a running domain: -EINVAL");
	memset(&op, 0, sizeof(op));
	guest_check(dom_domctl(&op, XEN_DOMCTL_set_cpu_policy, d) == -XEN_EEXIST,
		    "set_cpu_policy once it has run: -EEXIST");

	/* it runs on our pCPUs, prints and crashes; dom0 hears of it */
	for (unsigned long i = 0; i < 2000000UL; i++) {
		if (dom_info(d, &di) || (di.flags & XEN_DOMINF_shutdown))
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
	rc = dom_destroy(d, &calls);
	guest_check(rc == 0, "destroy the crashed domain: %ld", rc);
	guest_check(*dom_at_gfn(FOREIGN_GFN + 20) == 0xCAFE0005,
		    "the granted page outlives its destroyed granter while mapped");
	guest_check(gunmap(grant_handle, FOREIGN_GFN + 20) == GNTST_okay,
		    "unmap the last grant mapping");
	guest_check(read_gpa((FOREIGN_GFN + 20) << 12) == 0xFFFFFFFF, "and the gfn is unbacked");
	guest_check(free0 - dom_free_pages() < 32, "free pages back within 32 (%lld)",
		    (long long)(free0 - dom_free_pages()));
}

void guest_main(uint32_t start_info_pa)
{
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	long rc;

	(void)start_info_pa;
	guest_printf("pvh-domains: dom0 builds, runs and destroys a domain\n");
	rc = dom_memop(XENMEM_add_to_physmap, &xatp);
	if (!guest_check(rc == 0, "shared_info mapped: %ld", rc))
		guest_finish();
	check_create_errors();
	check_memory();
	check_run();
	guest_finish();
}
