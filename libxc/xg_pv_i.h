/* The PV builder's boot layout: where each piece lives in the guest's
 * pseudo-physical frames and its initial virtual mapping, and the
 * bootstrap page tables over that mapping.  Pure computation, so host
 * tests check it without a hypervisor. */
#ifndef XENOLITH_XG_PV_I_H
#define XENOLITH_XG_PV_I_H

#include <stddef.h>
#include <stdint.h>

#define XG_PV_PAGE 4096ULL
/* x86-64 PTE bits the bootstrap tables use. */
#define XG_PTE_PRESENT 0x001ULL
#define XG_PTE_RW 0x002ULL
#define XG_PTE_USER 0x004ULL
#define XG_PTE_ACCESSED 0x020ULL
#define XG_PTE_DIRTY 0x040ULL

/*
 * The start_info ABI's order for the initial region, each piece on its
 * own pages: kernel, ramdisk, p2m list, start_info, xenstore ring,
 * console ring, bootstrap page tables, boot stack.  Frame f is mapped at
 * virt_base + f * 4096 for every f below the end of the mapping, which
 * is padded by at least 512 KiB and rounded up to 4 MiB.
 */
struct xg_pv_layout {
	uint64_t virt_base;
	uint64_t nr_pages;		/* guest RAM, frames 0 .. nr_pages-1 */
	uint64_t kernel_pfn, kernel_end_pfn;
	uint64_t ramdisk_pfn, ramdisk_pages;
	uint64_t p2m_pfn, p2m_pages;
	uint64_t start_info_pfn, store_pfn, console_pfn;
	/* Tables in this order: the L4, then the L3s, L2s and L1s, each
	 * level covering consecutive 512 GiB, 1 GiB and 2 MiB regions. */
	uint64_t pt_pfn, pt_pages;
	uint64_t nr_l3, nr_l2, nr_l1;
	uint64_t stack_pfn;
	uint64_t virt_end;		/* mapping is [virt_base, virt_end) */
};

/* kstart/kend: the kernel's virtual extent.  -1 with a message when the
 * pieces do not fit nr_pages or the mapping would exceed max_map bytes. */
int xg_pv_layout(struct xg_pv_layout *l, uint64_t virt_base, uint64_t kstart, uint64_t kend,
		 size_t ramdisk_size, uint64_t nr_pages, uint64_t max_map, char *err,
		 size_t errlen);

/* Table page i (0 .. pt_pages-1) of the bootstrap tables: 512 entries
 * naming machine frames through p2m[] (frame -> machine frame).  The
 * tables themselves are mapped read-only, as Xen requires of PV page
 * tables. */
void xg_pv_table(const struct xg_pv_layout *l, uint64_t i, const uint64_t *p2m,
		 uint64_t entries[512]);

#endif
