/* The PV builder's boot layout and bootstrap page tables (see xg_pv_i.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xg_pv_i.h"

#define VA_MASK ((1ULL << 48) - 1)	/* table indexes use 48 bits */
#define PAD_PAGES ((512ULL << 10) / XG_PV_PAGE)
#define ALIGN_4M (4ULL << 20)
#define UPPER_PROT (XG_PTE_PRESENT | XG_PTE_RW | XG_PTE_ACCESSED | XG_PTE_DIRTY | XG_PTE_USER)
#define L1_PROT (XG_PTE_PRESENT | XG_PTE_RW | XG_PTE_ACCESSED)

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + XG_PV_PAGE - 1) / XG_PV_PAGE;
}

/* Regions of 2^shift bytes that [from, to) touches. */
static uint64_t regions(uint64_t from, uint64_t to, unsigned int shift)
{
	return (((to - 1) & VA_MASK) >> shift) - ((from & VA_MASK) >> shift) + 1;
}

static void count_tables(struct xg_pv_layout *l, uint64_t end)
{
	l->nr_l3 = regions(l->virt_base, end, 39);
	l->nr_l2 = regions(l->virt_base, end, 30);
	l->nr_l1 = regions(l->virt_base, end, 21);
	l->pt_pages = 1 + l->nr_l3 + l->nr_l2 + l->nr_l1;
}

int xg_pv_layout(struct xg_pv_layout *l, uint64_t virt_base, uint64_t kstart, uint64_t kend,
		 size_t ramdisk_size, uint64_t nr_pages, uint64_t max_map, char *err,
		 size_t errlen)
{
	uint64_t next, end;

	memset(l, 0, sizeof(*l));
	l->virt_base = virt_base;
	l->nr_pages = nr_pages;
	if (virt_base % XG_PV_PAGE || kstart < virt_base || kend <= kstart ||
	    kend - virt_base > max_map)
		return fail(err, errlen, "kernel at 0x%llx-0x%llx does not fit its virtual base "
			    "0x%llx", (unsigned long long)kstart, (unsigned long long)kend,
			    (unsigned long long)virt_base);
	l->kernel_pfn = (kstart - virt_base) / XG_PV_PAGE;
	l->kernel_end_pfn = pages_of(kend - virt_base);
	next = l->kernel_end_pfn;
	l->ramdisk_pfn = next;
	l->ramdisk_pages = pages_of(ramdisk_size);
	next += l->ramdisk_pages;
	l->p2m_pfn = next;
	l->p2m_pages = pages_of(nr_pages * sizeof(uint64_t));
	next += l->p2m_pages;
	l->start_info_pfn = next++;
	l->store_pfn = next++;
	l->console_pfn = next++;
	l->pt_pfn = next;
	if (next > max_map / XG_PV_PAGE)
		return fail(err, errlen, "the boot mapping would exceed %llu MiB (kernel, "
			    "%zu-byte ramdisk and the p2m list of %llu MiB of RAM)",
			    (unsigned long long)(max_map >> 20), ramdisk_size,
			    (unsigned long long)(nr_pages >> 8));
	/* The tables map themselves, so their count and the end of the
	 * mapping settle together: grow until both agree. */
	l->pt_pages = 0;
	for (;;) {
		uint64_t want = next + l->pt_pages + 1 + PAD_PAGES;

		end = virt_base + want * XG_PV_PAGE;
		end = (end + ALIGN_4M - 1) & ~(ALIGN_4M - 1);
		count_tables(l, end);
		if (next + l->pt_pages + 1 + PAD_PAGES <= (end - virt_base) / XG_PV_PAGE)
			break;
	}
	l->stack_pfn = l->pt_pfn + l->pt_pages;
	l->virt_end = end;
	if (end - virt_base > max_map)
		return fail(err, errlen, "the boot mapping would exceed %llu MiB",
			    (unsigned long long)(max_map >> 20));
	if ((end - virt_base) / XG_PV_PAGE > nr_pages)
		return fail(err, errlen, "memory of %llu MiB is too small: the kernel, ramdisk "
			    "and boot structures need %llu MiB mapped at start",
			    (unsigned long long)(nr_pages >> 8),
			    (unsigned long long)((end - virt_base) >> 20));
	return 0;
}

void xg_pv_table(const struct xg_pv_layout *l, uint64_t i, const uint64_t *p2m,
		 uint64_t entries[512])
{
	uint64_t first3 = (l->virt_base & VA_MASK) >> 39;
	uint64_t first2 = (l->virt_base & VA_MASK) >> 30;
	uint64_t first1 = (l->virt_base & VA_MASK) >> 21;
	uint64_t l3_at = 1, l2_at = l3_at + l->nr_l3, l1_at = l2_at + l->nr_l2;

	memset(entries, 0, 512 * sizeof(*entries));
	if (i == 0) {
		for (uint64_t j = 0; j < l->nr_l3; j++)
			entries[(first3 + j) & 511] = p2m[l->pt_pfn + l3_at + j] << 12 | UPPER_PROT;
	} else if (i < l2_at) {
		uint64_t r3 = first3 + (i - l3_at);

		for (uint64_t k = 0; k < l->nr_l2; k++)
			if ((first2 + k) >> 9 == r3)
				entries[(first2 + k) & 511] =
					p2m[l->pt_pfn + l2_at + k] << 12 | UPPER_PROT;
	} else if (i < l1_at) {
		uint64_t r2 = first2 + (i - l2_at);

		for (uint64_t m = 0; m < l->nr_l1; m++)
			if ((first1 + m) >> 9 == r2)
				entries[(first1 + m) & 511] =
					p2m[l->pt_pfn + l1_at + m] << 12 | UPPER_PROT;
	} else {
		uint64_t r1 = first1 + (i - l1_at);
		uint64_t lo = l->virt_base & VA_MASK, hi = (l->virt_end - 1) & VA_MASK;

		for (uint64_t e = 0; e < 512; e++) {
			uint64_t va = (r1 << 21) + e * XG_PV_PAGE, f;
			uint64_t prot = L1_PROT;

			if (va < lo || va > hi)
				continue;
			f = (va - lo) / XG_PV_PAGE;
			if (f >= l->pt_pfn && f < l->pt_pfn + l->pt_pages)
				prot &= ~XG_PTE_RW;
			entries[e] = p2m[f] << 12 | prot;
		}
	}
}
