/* Physical memory: buddy allocator over a frame table with per-page owner
 * and reference count; every freed page is scrubbed before reuse, by the
 * allocation that hands it out. */
#ifndef XENOLITH_MM_H
#define XENOLITH_MM_H

#include "lib.h"

#define MM_MAX_ORDER 18 /* 1 GiB blocks */
#define INVALID_PFN (~0ULL)
#define PAGE_OWNER_XEN 0x7FF2U /* DOMID_XEN */
#define PAGE_OWNER_NONE 0x7FF4U /* DOMID_INVALID */

#define PGF_FREE 0x01 /* in the buddy free lists (valid on block heads) */
#define PGF_DIRTY 0x02 /* contents not known to be zero */
#define PGF_HEAD 0x04 /* first page of an allocation or free block */
#define PGF_SLAB 0x08 /* hypervisor heap slab page */
#define PGF_RESERVED 0x10 /* never managed by the allocator */
#define PGF_PINNED 0x20 /* the CPU uses it for good (SVM host state): never freed */

struct page_info {
	uint32_t next, prev; /* free-list links (pfn), 0xFFFFFFFF = none */
	uint32_t count; /* references held on an allocated page */
	uint16_t owner;
	uint8_t order; /* block order (head pages) or slab class */
	uint8_t flags;
};

/* Manage nr_pages frames; the page with frame number n is at
 * directmap + n * PAGE_SIZE in the hypervisor's address space. */
void mm_init(struct page_info *table, uint64_t nr_pages, uint8_t *directmap);
/* Hand [start, end) (frame numbers) to the allocator. */
void mm_add_free_range(uint64_t start_pfn, uint64_t end_pfn);
/* 2^order zeroed, naturally aligned frames, count 1, owned by owner. */
uint64_t mm_alloc(unsigned int order, uint16_t owner);
/* Return a block (regardless of reference count), marked dirty: it is
 * scrubbed when next allocated.  Freeing a block that is not allocated
 * is refused, logged and counted. */
void mm_free(uint64_t pfn, unsigned int order);
uint64_t mm_bad_frees(void);
/* Take a reference on pfn if it is allocated to owner; 0 or -1. */
int page_get(uint64_t pfn, uint16_t owner);
/* Drop a reference; the block is freed when the last one goes. */
void page_put(uint64_t pfn);
struct page_info *mm_page(uint64_t pfn);
void *mm_page_virt(uint64_t pfn);
uint64_t mm_virt_to_pfn(const void *p);
uint64_t mm_free_pages(void);
uint64_t mm_total_pages(void);
/* The highest frame number the frame table describes. */
uint64_t mm_max_pfn(void);

/* Hypervisor heap. */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);

#endif
