/* The PV builder's boot layout and bootstrap page tables, checked the way
 * the CPU reads them: every address of the mapping walked from the L4
 * down, against the frame it must reach and whether it may be written. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "xg_pv_i.h"

#define LINUX_VIRT_BASE 0xffffffff80000000ULL
#define LINUX_KSTART 0xffffffff81000000ULL
#define MFN_OFFSET 0x40000ULL	/* machine frames differ from guest frames */
#define MIB (1ULL << 20)

struct tables {
	const struct xg_pv_layout *l;
	uint64_t (*t)[512];		/* table i at t[i] */
};

static uint64_t *table_by_mfn(const struct tables *tb, uint64_t mfn)
{
	uint64_t i = mfn - MFN_OFFSET - tb->l->pt_pfn;

	return i < tb->l->pt_pages ? tb->t[i] : NULL;
}

/* The final entry for va, or 0 when some level is not present or points
 * outside the tables. */
static uint64_t walk(const struct tables *tb, uint64_t va)
{
	uint64_t *t = tb->t[0], e = 0;

	for (int shift = 39; shift >= 12; shift -= 9) {
		e = t[(va >> shift) & 511];
		if (!(e & XG_PTE_PRESENT))
			return 0;
		if (shift > 12 && !(t = table_by_mfn(tb, e >> 12)))
			return 0;
	}
	return e;
}

static bool build(struct tables *tb, const struct xg_pv_layout *l, uint64_t **p2m_out)
{
	uint64_t *p2m = malloc(l->nr_pages * sizeof(*p2m));

	tb->l = l;
	tb->t = malloc(l->pt_pages * sizeof(*tb->t));
	if (!p2m || !tb->t)
		return false;
	for (uint64_t f = 0; f < l->nr_pages; f++)
		p2m[f] = f + MFN_OFFSET;
	for (uint64_t i = 0; i < l->pt_pages; i++)
		xg_pv_table(l, i, p2m, tb->t[i]);
	*p2m_out = p2m;
	return true;
}

static void check_mapping(const char *what, const struct xg_pv_layout *l)
{
	struct tables tb;
	uint64_t *p2m = NULL, bad = 0, first_bad = 0, rw_bad = 0;

	CHECK(build(&tb, l, &p2m), "%s: tables built", what);
	for (uint64_t va = l->virt_base; va < l->virt_end; va += XG_PV_PAGE) {
		uint64_t f = (va - l->virt_base) / XG_PV_PAGE, e = walk(&tb, va);
		bool table = f >= l->pt_pfn && f < l->pt_pfn + l->pt_pages;

		if (e >> 12 != p2m[f] && !bad++)
			first_bad = va;
		if (!!(e & XG_PTE_RW) == table)
			rw_bad++;
	}
	CHECK(!bad, "%s: every page of 0x%llx-0x%llx maps its frame (%llu wrong, first 0x%llx)",
	      what, (unsigned long long)l->virt_base, (unsigned long long)l->virt_end,
	      (unsigned long long)bad, (unsigned long long)first_bad);
	CHECK(!rw_bad, "%s: the %llu table pages read-only, all else writable (%llu wrong)",
	      what, (unsigned long long)l->pt_pages, (unsigned long long)rw_bad);
	CHECK(!walk(&tb, l->virt_end) && !walk(&tb, l->virt_base - XG_PV_PAGE),
	      "%s: nothing mapped just outside", what);
	free(p2m);
	free(tb.t);
}

static void linux_guest(void)
{
	struct xg_pv_layout l;
	char err[256] = "";
	uint64_t kend = LINUX_KSTART + 30 * MIB + 0x1234;
	int rc = xg_pv_layout(&l, LINUX_VIRT_BASE, LINUX_KSTART, kend, 20 * MIB + 1, 32768,
			      1ULL << 30, err, sizeof(err));
	uint64_t end_pfn = (l.virt_end - l.virt_base) / XG_PV_PAGE;

	CHECK(rc == 0, "128 MiB guest, 30 MiB kernel, 20 MiB ramdisk laid out (%s)", err);
	CHECK(l.kernel_pfn == 0x1000 && l.kernel_end_pfn == 0x1000 + 30 * 256 + 2,
	      "kernel at frames 0x%llx-0x%llx", (unsigned long long)l.kernel_pfn,
	      (unsigned long long)l.kernel_end_pfn);
	CHECK(l.ramdisk_pfn == l.kernel_end_pfn && l.ramdisk_pages == 20 * 256 + 1 &&
	      l.p2m_pfn == l.ramdisk_pfn + l.ramdisk_pages && l.p2m_pages == 64 &&
	      l.start_info_pfn == l.p2m_pfn + 64 && l.store_pfn == l.start_info_pfn + 1 &&
	      l.console_pfn == l.store_pfn + 1 && l.pt_pfn == l.console_pfn + 1 &&
	      l.stack_pfn == l.pt_pfn + l.pt_pages,
	      "ramdisk, p2m (64 pages), start_info, xenstore, console, tables, stack in order");
	CHECK(l.nr_l3 == 1 && l.nr_l2 == 1 && l.pt_pages == 2 + l.nr_l1 + 1 &&
	      l.nr_l1 == (l.virt_end - l.virt_base) / (2 * MIB),
	      "one L4, L3 and L2, one L1 per 2 MiB (%llu)", (unsigned long long)l.nr_l1);
	CHECK(l.virt_end % (4 * MIB) == 0 && end_pfn >= l.stack_pfn + 1 + 128,
	      "mapping ends on 4 MiB at 0x%llx, 512 KiB or more past the stack",
	      (unsigned long long)l.virt_end);
	check_mapping("linux", &l);
}

/* A mapping that crosses a 1 GiB and a 512 GiB boundary needs tables at
 * every level for both sides. */
static void crossing_guest(void)
{
	struct xg_pv_layout l;
	char err[256] = "";
	uint64_t base = (1ULL << 39) - 6 * MIB;
	int rc = xg_pv_layout(&l, base, base + 2 * MIB, base + 4 * MIB, 8 * MIB, 16384,
			      1ULL << 30, err, sizeof(err));

	CHECK(rc == 0 && l.nr_l3 == 2 && l.nr_l2 == 2,
	      "mapping across 512 GiB: two L3s and two L2s (%s)", err);
	check_mapping("crossing", &l);
}

static void refusals(void)
{
	struct xg_pv_layout l;
	char err[256] = "";

	CHECK(xg_pv_layout(&l, LINUX_VIRT_BASE, LINUX_KSTART, LINUX_KSTART + 30 * MIB, 0,
			   8192, 1ULL << 30, err, sizeof(err)) < 0 &&
	      strstr(err, "memory of 32 MiB is too small"),
	      "32 MiB for a kernel ending at 47 MiB refused: %s", err);
	CHECK(xg_pv_layout(&l, LINUX_VIRT_BASE, LINUX_VIRT_BASE - XG_PV_PAGE, LINUX_KSTART, 0,
			   32768, 1ULL << 30, err, sizeof(err)) < 0 && strstr(err, "virtual base"),
	      "kernel below its virtual base refused: %s", err);
	CHECK(xg_pv_layout(&l, LINUX_VIRT_BASE, LINUX_KSTART, LINUX_KSTART + MIB, 0,
			   (1ULL << 40) / XG_PV_PAGE, 1ULL << 30, err, sizeof(err)) < 0 &&
	      strstr(err, "exceed 1024 MiB"),
	      "a p2m list too big for the boot mapping refused: %s", err);
}

int main(void)
{
	linux_guest();
	crossing_guest();
	refusals();
	return check_done();
}
