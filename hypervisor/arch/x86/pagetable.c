/* Generic four-level page-table walker/builder over frames from the
 * buddy allocator (reached through the allocator's direct map). */
#include <xenolith/pagetable.h>
#include <xenolith/mm.h>

static uint64_t *table_virt(uint64_t pfn)
{
	return mm_page_virt(pfn);
}

static unsigned int index_at(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (12 + 9 * (level - 1))) & 511);
}

uint64_t pt_alloc_root(void)
{
	return mm_alloc(0, PAGE_OWNER_XEN);
}

int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
	   unsigned int level, uint64_t table_flags)
{
	uint64_t pfn = root;

	for (unsigned int l = 4; l > level; l--) {
		uint64_t *t = table_virt(pfn);
		uint64_t *e = &t[index_at(va, l)];

		if (!(*e & PTE_P)) {
			uint64_t n = mm_alloc(0, PAGE_OWNER_XEN);

			if (n == INVALID_PFN)
				return -1;
			*e = (n << PAGE_SHIFT) | table_flags;
		} else if (*e & PTE_PS) {
			return -1;
		}
		pfn = (*e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	}
	{
		uint64_t *t = table_virt(pfn);
		uint64_t *e = &t[index_at(va, level)];

		if ((*e & PTE_P) && !(*e & PTE_PS) && level > PT_LEVEL_4K)
			return -1; /* a table already lives here */
		*e = (pa & PTE_ADDR_MASK) | flags | (level > PT_LEVEL_4K ? PTE_PS : 0);
	}
	return 0;
}

uint64_t pt_lookup(uint64_t root, uint64_t va, unsigned int *level)
{
	uint64_t pfn = root;

	for (unsigned int l = 4; l >= 1; l--) {
		uint64_t e = table_virt(pfn)[index_at(va, l)];

		if (!(e & PTE_P))
			return 0;
		if (l == 1 || (e & PTE_PS)) {
			if (level)
				*level = l;
			return e;
		}
		pfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	}
	return 0;
}

uint64_t pt_unmap(uint64_t root, uint64_t va)
{
	uint64_t pfn = root;

	for (unsigned int l = 4; l > 1; l--) {
		uint64_t e = table_virt(pfn)[index_at(va, l)];

		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		pfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	}
	{
		uint64_t *e = &table_virt(pfn)[index_at(va, 1)];
		uint64_t old = *e;

		*e = 0;
		return old;
	}
}

static int walk_level(uint64_t pfn, unsigned int level, uint64_t va,
		      int (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx)
{
	uint64_t *t = table_virt(pfn);

	for (unsigned int i = 0; i < 512; i++) {
		uint64_t at = va | ((uint64_t)i << (12 + 9 * (level - 1)));
		int rc;

		if (!(t[i] & PTE_P))
			continue;
		if (level == 1 || (t[i] & PTE_PS))
			rc = fn(ctx, at, &t[i]);
		else
			rc = walk_level((t[i] & PTE_ADDR_MASK) >> PAGE_SHIFT, level - 1, at, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int pt_walk(uint64_t root, int (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx)
{
	return walk_level(root, 4, 0, fn, ctx);
}

static void destroy_level(uint64_t pfn, unsigned int level)
{
	if (level > 1) {
		uint64_t *t = table_virt(pfn);

		for (unsigned int i = 0; i < 512; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				destroy_level((t[i] & PTE_ADDR_MASK) >> PAGE_SHIFT, level - 1);
	}
	mm_free(pfn, 0);
}

void pt_destroy(uint64_t root)
{
	destroy_level(root, 4);
}
