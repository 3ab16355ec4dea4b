/* Buddy allocator.  Free blocks sit on per-order doubly linked lists
 * threaded through the frame table; a freed block merges with its buddy
 * while the buddy is a free block of the same order. */
#include <xenolith/mm.h>
#ifndef XENOLITH_HOSTED
#include <xenolith/printk.h>
#endif

#define NIL 0xFFFFFFFFU

static struct page_info *frames;
static uint64_t nr_frames;
static uint8_t *dmap;
static uint32_t free_head[MM_MAX_ORDER + 1];
static uint64_t nr_free;
static uint64_t nr_managed;
static uint64_t nr_bad_frees;

void mm_init(struct page_info *table, uint64_t nr_pages, uint8_t *directmap)
{
	frames = table;
	nr_frames = nr_pages;
	dmap = directmap;
	nr_free = 0;
	nr_managed = 0;
	for (unsigned int o = 0; o <= MM_MAX_ORDER; o++)
		free_head[o] = NIL;
	for (uint64_t i = 0; i < nr_pages; i++) {
		table[i].next = table[i].prev = NIL;
		table[i].count = 0;
		table[i].owner = PAGE_OWNER_NONE;
		table[i].order = 0;
		table[i].flags = PGF_RESERVED;
	}
}

struct page_info *mm_page(uint64_t pfn)
{
	return pfn < nr_frames ? &frames[pfn] : NULL;
}

void *mm_page_virt(uint64_t pfn)
{
	return dmap + (pfn << PAGE_SHIFT);
}

uint64_t mm_virt_to_pfn(const void *p)
{
	return (uint64_t)((const uint8_t *)p - dmap) >> PAGE_SHIFT;
}

uint64_t mm_free_pages(void)
{
	return nr_free;
}

uint64_t mm_bad_frees(void)
{
	return nr_bad_frees;
}

uint64_t mm_total_pages(void)
{
	return nr_managed;
}

uint64_t mm_max_pfn(void)
{
	return nr_frames ? nr_frames - 1 : 0;
}

static void list_add(uint64_t pfn, unsigned int order)
{
	struct page_info *pg = &frames[pfn];

	pg->prev = NIL;
	pg->next = free_head[order];
	if (free_head[order] != NIL)
		frames[free_head[order]].prev = (uint32_t)pfn;
	free_head[order] = (uint32_t)pfn;
	pg->order = (uint8_t)order;
	pg->flags = (uint8_t)((pg->flags & PGF_DIRTY) | PGF_FREE | PGF_HEAD);
	pg->owner = PAGE_OWNER_NONE;
	pg->count = 0;
}

static void list_del(uint64_t pfn, unsigned int order)
{
	struct page_info *pg = &frames[pfn];

	if (pg->prev != NIL)
		frames[pg->prev].next = pg->next;
	else
		free_head[order] = pg->next;
	if (pg->next != NIL)
		frames[pg->next].prev = pg->prev;
	pg->next = pg->prev = NIL;
	pg->flags &= (uint8_t)~(PGF_FREE | PGF_HEAD);
}

/* Insert a block and merge it upwards with free buddies. */
static void free_block(uint64_t pfn, unsigned int order)
{
	nr_free += 1ULL << order;
	while (order < MM_MAX_ORDER) {
		uint64_t buddy = pfn ^ (1ULL << order);
		struct page_info *b;

		if (buddy + (1ULL << order) > nr_frames)
			break;
		b = &frames[buddy];
		if (!(b->flags & PGF_FREE) || !(b->flags & PGF_HEAD) || b->order != order)
			break;
		list_del(buddy, order);
		if (buddy < pfn)
			pfn = buddy;
		order++;
	}
	list_add(pfn, order);
}

void mm_add_free_range(uint64_t start, uint64_t end)
{
	if (end > nr_frames)
		end = nr_frames;
	for (uint64_t p = start; p < end; p++) {
		frames[p].flags = PGF_DIRTY; /* unknown contents until scrubbed */
		frames[p].owner = PAGE_OWNER_NONE;
	}
	if (end > start)
		nr_managed += end - start;
	while (start < end) {
		unsigned int order = 0;

		while (order < MM_MAX_ORDER &&
		       !(start & ((2ULL << order) - 1)) &&
		       start + (2ULL << order) <= end)
			order++;
		free_block(start, order);
		start += 1ULL << order;
	}
}

uint64_t mm_alloc(unsigned int order, uint16_t owner)
{
	unsigned int o = order;
	uint64_t pfn;

	if (order > MM_MAX_ORDER)
		return INVALID_PFN;
	while (o <= MM_MAX_ORDER && free_head[o] == NIL)
		o++;
	if (o > MM_MAX_ORDER)
		return INVALID_PFN;
	pfn = free_head[o];
	list_del(pfn, o);
	/* split: return the upper halves to the lists */
	while (o > order) {
		o--;
		list_add(pfn + (1ULL << o), o);
	}
	nr_free -= 1ULL << order;
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		struct page_info *pg = &frames[pfn + i];

		if (pg->flags & PGF_DIRTY)
			memset(mm_page_virt(pfn + i), 0, PAGE_SIZE);
		pg->flags = 0;
		pg->owner = owner;
		pg->count = 1;
		pg->order = 0;
	}
	frames[pfn].flags = PGF_HEAD;
	frames[pfn].order = (uint8_t)order;
	return pfn;
}

void mm_free(uint64_t pfn, unsigned int order)
{
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		const struct page_info *pg = &frames[pfn + i];

		/* a second free would hand the page to two owners: refuse it */
		if (pfn + i >= nr_frames || (pg->flags & (PGF_FREE | PGF_RESERVED | PGF_PINNED)) ||
		    pg->owner == PAGE_OWNER_NONE) {
			nr_bad_frees++;
#ifndef XENOLITH_HOSTED
			log_err("mm_free: pfn %#llx order %u is not allocated or pinned (flags %#x), from %p\n",
				(unsigned long long)pfn, order, pfn + i < nr_frames ? pg->flags : 0,
				__builtin_return_address(0));
#endif
			return;
		}
#ifndef XENOLITH_HOSTED
		if (pg->count > 1)
			log_err("mm_free: pfn %#llx freed with %u references held, from %p\n",
				(unsigned long long)(pfn + i), pg->count, __builtin_return_address(0));
#endif
	}
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		struct page_info *pg = &frames[pfn + i];

		/* scrubbed when next allocated (mm_alloc), not here: freeing a
		 * domain's memory then costs no more than its bookkeeping */
		pg->flags = PGF_DIRTY;
		pg->owner = PAGE_OWNER_NONE;
		pg->count = 0;
		pg->order = 0;
	}
	free_block(pfn, order);
}

int page_get(uint64_t pfn, uint16_t owner)
{
	struct page_info *pg = mm_page(pfn);

	if (!pg || (pg->flags & (PGF_FREE | PGF_RESERVED)) || pg->owner != owner ||
	    pg->count == 0 || pg->count == 0xFFFFFFFFU)
		return -1;
	pg->count++;
	return 0;
}

void page_put(uint64_t pfn)
{
	struct page_info *pg = mm_page(pfn);

	if (!pg || pg->count == 0 || (pg->flags & (PGF_FREE | PGF_RESERVED)))
		return;
#ifndef XENOLITH_HOSTED
	if (pg->flags & PGF_PINNED)
		log_err("page_put: pinned pfn %#llx (count %u), from %p\n", (unsigned long long)pfn,
			pg->count, __builtin_return_address(0));
#endif
	if (--pg->count == 0)
		mm_free(pfn, (pg->flags & PGF_HEAD) ? pg->order : 0);
}
