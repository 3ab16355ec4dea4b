/* x86-64 four-level page tables, shared by the hypervisor's own mappings
 * and the nested (NPT) tables of each domain: the formats are the same. */
#ifndef XENOLITH_PAGETABLE_H
#define XENOLITH_PAGETABLE_H

#include "lib.h"

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_US (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_AVAIL_SHIFT 9 /* bits 9-11: free for software */
#define PTE_AVAIL_MASK (7ULL << PTE_AVAIL_SHIFT)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ULL

/* Mapping sizes, by the level of the entry that maps them. */
#define PT_LEVEL_4K 1
#define PT_LEVEL_2M 2
#define PT_LEVEL_1G 3

/* A fresh, empty top-level table (frame number) or INVALID_PFN. */
uint64_t pt_alloc_root(void);
/* Map va -> pa at the given level; intermediate tables get table_flags.
 * Replaces an existing leaf; fails (-1) on allocation failure or when a
 * larger leaf covers va. */
int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
	   unsigned int level, uint64_t table_flags);
/* Leaf entry for va (0 if unmapped); *level gets its level. */
uint64_t pt_lookup(uint64_t root, uint64_t va, unsigned int *level);
/* Clear the 4K leaf for va; returns the old entry. */
uint64_t pt_unmap(uint64_t root, uint64_t va);
/* Call fn for every present leaf, which it may rewrite; a nonzero return
 * stops the walk and is returned.  Lower-half addresses only (no sign
 * extension), which is all nested tables use. */
int pt_walk(uint64_t root, int (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx);
/* Free all table pages (not the mapped frames). */
void pt_destroy(uint64_t root);

#endif
