/* Buddy allocator, heap and page tables over a host arena. */
#include "check.h"
#include <stdlib.h>
#include "common/page_alloc.c"
#include "common/heap.c"
#include "arch/x86/pagetable.c"

#define NPAGES 1024

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

int main(void)
{
	static struct page_info table[NPAGES];
	uint8_t *arena = aligned_alloc(PAGE_SIZE, NPAGES * PAGE_SIZE);
	uint64_t a, b, c, before;
	bool ok;

	memset(arena, 0x77, NPAGES * PAGE_SIZE); /* boot memory is dirty */
	mm_init(table, NPAGES, arena);
	mm_add_free_range(1, NPAGES); /* frame 0 stays reserved */
	CHECK(mm_free_pages() == NPAGES - 1, "free pages after init: %llu",
	      (unsigned long long)mm_free_pages());

	a = mm_alloc(0, 1);
	CHECK(a != INVALID_PFN && a != 0 && all_zero(mm_page_virt(a), PAGE_SIZE),
	      "order-0 allocation is zeroed even from dirty boot memory");
	CHECK(mm_page(a)->owner == 1 && mm_page(a)->count == 1, "owner and count set");
	b = mm_alloc(3, 2);
	CHECK(b != INVALID_PFN && (b & 7) == 0, "order-3 allocation is naturally aligned");
	c = mm_alloc(9, 2);
	CHECK(c == INVALID_PFN || (c & 511) == 0, "order-9 allocation aligned (or none)");
	CHECK(mm_alloc(MM_MAX_ORDER + 1, 1) == INVALID_PFN, "order beyond max refused");

	CHECK(page_get(a, 2) < 0, "page_get with the wrong owner fails");
	CHECK(page_get(a, 1) == 0 && mm_page(a)->count == 2, "page_get takes a reference");
	memset(mm_page_virt(a), 0xAB, PAGE_SIZE);
	before = mm_free_pages();
	page_put(a);
	CHECK(mm_free_pages() == before, "first put keeps the page");
	page_put(a);
	CHECK(mm_free_pages() == before + 1, "last put frees the page");
	CHECK(mm_page(a)->flags & PGF_DIRTY, "freed page is marked for scrubbing");
	CHECK(page_get(a, 1) < 0, "page_get on a free page fails");

	mm_free(b, 3);
	if (c != INVALID_PFN)
		mm_free(c, 9);
	CHECK(mm_free_pages() == NPAGES - 1, "everything back after frees");
	/* coalescing: the upper half [512,1024) must be one order-9 block again */
	c = mm_alloc(9, 3);
	CHECK(c == 512, "buddies coalesced into an order-9 block (got %llu)",
	      (unsigned long long)c);
	mm_free(c, 9);

	/* a second free, or a free of a never-allocated frame, is refused */
	a = mm_alloc(0, 5);
	mm_free(a, 0);
	before = mm_free_pages();
	mm_free(a, 0);
	mm_free(0, 0);
	CHECK(mm_free_pages() == before && mm_bad_frees() == 2,
	      "double free and reserved-frame free refused (%llu bad)",
	      (unsigned long long)mm_bad_frees());
	b = mm_alloc(0, 5);
	c = mm_alloc(0, 5);
	CHECK(b != c, "the page twice freed is handed out once");
	mm_free(b, 0);
	mm_free(c, 0);

	/* exhaustion and recovery */
	{
		uint64_t got = 0, p;

		ok = true;
		while ((p = mm_alloc(0, 4)) != INVALID_PFN) {
			got++;
			ok = ok && all_zero(mm_page_virt(p), PAGE_SIZE);
			memset(mm_page_virt(p), 0x5A, PAGE_SIZE);
		}
		CHECK(got == NPAGES - 1 && mm_free_pages() == 0, "every page allocatable once");
		CHECK(ok, "every allocation zeroed, the page written before its free too");
		for (p = 1; p < NPAGES; p++)
			page_put(p);
		ok = true;
		while ((p = mm_alloc(0, 4)) != INVALID_PFN)
			ok = ok && all_zero(mm_page_virt(p), PAGE_SIZE);
		CHECK(ok, "pages freed dirty come back zeroed");
		for (p = 1; p < NPAGES; p++)
			page_put(p);
		CHECK(mm_free_pages() == NPAGES - 1, "all returned");
	}

	/* heap */
	{
		char *s[64];
		void *big;

		ok = true;
		for (int i = 0; i < 64; i++) {
			s[i] = xmalloc((size_t)(i * 37 + 1));
			ok = ok && s[i];
			if (s[i])
				memset(s[i], i, (size_t)(i * 37 + 1));
		}
		for (int i = 0; i < 64 && ok; i++)
			for (int j = 0; j < i * 37 + 1; j++)
				ok = ok && s[i][j] == (char)i;
		CHECK(ok, "64 heap objects of mixed sizes do not overlap");
		for (int i = 0; i < 64; i++)
			xfree(s[i]);
		big = xzalloc(3 * PAGE_SIZE);
		CHECK(big && ((uintptr_t)big & (PAGE_SIZE - 1)) == 0 && all_zero(big, 3 * PAGE_SIZE),
		      "large xzalloc is page aligned and zeroed");
		before = mm_free_pages();
		xfree(big);
		CHECK(mm_free_pages() == before + 4, "large xfree returns its order-2 block");
		xfree(NULL);
		s[0] = xmalloc(100);
		CHECK(s[0] != NULL, "heap reuses freed slabs");
		xfree(s[0]);
	}

	/* page tables */
	{
		uint64_t root = pt_alloc_root(), e;
		unsigned int level = 0;

		before = mm_free_pages();
		CHECK(root != INVALID_PFN, "page-table root allocated");
		CHECK(pt_map(root, 0x7000, 0x123000, PTE_P | PTE_RW, PT_LEVEL_4K, PTE_P | PTE_RW) == 0,
		      "map 4K");
		e = pt_lookup(root, 0x7abc, &level);
		CHECK((e & PTE_ADDR_MASK) == 0x123000 && level == 1 && (e & PTE_RW), "lookup 4K");
		CHECK(pt_map(root, 0x40000000, 0x200000, PTE_P, PT_LEVEL_2M, PTE_P | PTE_RW) == 0,
		      "map 2M");
		e = pt_lookup(root, 0x40012345, &level);
		CHECK((e & PTE_ADDR_MASK) == 0x200000 && level == 2 && (e & PTE_PS), "lookup 2M");
		CHECK(pt_map(root, 0x40001000, 0x5000, PTE_P, PT_LEVEL_4K, PTE_P) < 0,
		      "4K inside a 2M leaf refused");
		CHECK(pt_map(root, 0xFFFF800000000000ULL, 0x9000, PTE_P, PT_LEVEL_4K, PTE_P) == 0 &&
		      (pt_lookup(root, 0xFFFF800000000000ULL, NULL) & PTE_ADDR_MASK) == 0x9000,
		      "high half mapping");
		CHECK(pt_lookup(root, 0x9000000, NULL) == 0, "unmapped address has no entry");
		CHECK((pt_unmap(root, 0x7000) & PTE_ADDR_MASK) == 0x123000 &&
		      pt_lookup(root, 0x7000, NULL) == 0, "unmap");
		pt_destroy(root);
		CHECK(mm_free_pages() == before + 1, "destroy frees every table page");
	}
	free(arena);
	return check_done();
}
