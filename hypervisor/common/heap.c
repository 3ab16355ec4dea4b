/* Hypervisor heap: power-of-two slabs for small objects, whole buddy
 * blocks for anything larger than half a page. */
#include <xenolith/mm.h>

#define SLAB_MIN_SHIFT 4
#define SLAB_CLASSES 8 /* 16 .. 2048 bytes */

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *slab_free[SLAB_CLASSES];

static unsigned int size_class(size_t size)
{
	unsigned int c = 0;

	while ((1UL << (SLAB_MIN_SHIFT + c)) < size)
		c++;
	return c;
}

static int slab_refill(unsigned int c)
{
	size_t objsz = 1UL << (SLAB_MIN_SHIFT + c);
	uint64_t pfn = mm_alloc(0, PAGE_OWNER_XEN);
	uint8_t *page;

	if (pfn == INVALID_PFN)
		return -1;
	mm_page(pfn)->flags |= PGF_SLAB;
	mm_page(pfn)->order = (uint8_t)c;
	page = mm_page_virt(pfn);
	for (size_t off = 0; off + objsz <= PAGE_SIZE; off += objsz) {
		struct free_obj *o = (struct free_obj *)(page + off);

		o->next = slab_free[c];
		slab_free[c] = o;
	}
	return 0;
}

void *xmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	if (size <= (1UL << (SLAB_MIN_SHIFT + SLAB_CLASSES - 1))) {
		unsigned int c = size_class(size);
		struct free_obj *o;

		if (!slab_free[c] && slab_refill(c))
			return NULL;
		o = slab_free[c];
		slab_free[c] = o->next;
		return o;
	} else {
		unsigned int order = 0;
		uint64_t pfn;

		while ((PAGE_SIZE << order) < size)
			order++;
		pfn = mm_alloc(order, PAGE_OWNER_XEN);
		return pfn == INVALID_PFN ? NULL : mm_page_virt(pfn);
	}
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void xfree(void *p)
{
	uint64_t pfn;
	struct page_info *pg;

	if (!p)
		return;
	pfn = mm_virt_to_pfn(p);
	pg = mm_page(pfn);
	if (pg->flags & PGF_SLAB) {
		struct free_obj *o = p;
		size_t objsz = 1UL << (SLAB_MIN_SHIFT + pg->order);

		/* scrub the object so stale data never leaks to the next user */
		memset(p, 0, objsz);
		o->next = slab_free[pg->order];
		slab_free[pg->order] = o;
	} else {
		mm_free(pfn, pg->order);
	}
}
