/* The p2m of a domain is its nested page table: GFN -> host frame with a
 * software type in the available bits.  NPT walks are user accesses, so
 * every level carries US. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/pagetable.h>
#include <xen/errno.h>

#define NPT_TABLE_FLAGS (PTE_P | PTE_RW | PTE_US)

int p2m_init(struct domain *d)
{
	d->npt_root = pt_alloc_root();
	return d->npt_root == INVALID_PFN ? -XEN_ENOMEM : 0;
}

int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, enum p2m_type t)
{
	return p2m_set_access(d, gfn, mfn, t, true);
}

int p2m_set_access(struct domain *d, uint64_t gfn, uint64_t mfn, enum p2m_type t,
		   bool writable)
{
	uint64_t flags = PTE_P | PTE_US | (writable ? PTE_RW : 0) |
			 ((uint64_t)t << PTE_AVAIL_SHIFT);

	if (pt_map(d->npt_root, gfn << PAGE_SHIFT, mfn << PAGE_SHIFT, flags,
		   PT_LEVEL_4K, NPT_TABLE_FLAGS))
		return -XEN_ENOMEM;
	if (gfn > d->max_gpfn)
		d->max_gpfn = gfn;
	return 0;
}

struct release {
	struct domain *d;
	uint64_t budget; /* pages still to give back in this call */
};

static int release_leaf(void *ctx, uint64_t va, uint64_t *pte)
{
	struct release *r = ctx;
	enum p2m_type t = (enum p2m_type)((*pte & PTE_AVAIL_MASK) >> PTE_AVAIL_SHIFT);
	uint64_t mfn = (*pte & PTE_ADDR_MASK) >> PAGE_SHIFT;

	(void)va;
	if (!r->budget)
		return 1;
	*pte = 0;
	/* shared_info and grant frames belong to the domain structure and
	 * are freed with it; everything else the p2m references */
	if (t == P2M_RAM || t == P2M_FOREIGN || t == P2M_GRANT_MAP) {
		page_put(mfn);
		if (t == P2M_RAM)
			r->d->nr_pages--;
		r->budget--;
	}
	return 0;
}

int p2m_release(struct domain *d, uint64_t budget)
{
	struct release r = { d, budget };

	if (d->npt_root == INVALID_PFN)
		return 0;
	if (pt_walk(d->npt_root, release_leaf, &r))
		return 1; /* budget used up: more to do */
	pt_destroy(d->npt_root);
	d->npt_root = INVALID_PFN;
	return 0;
}

void p2m_teardown(struct domain *d)
{
	p2m_release(d, UINT64_MAX);
}

void p2m_flush(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		v->need_flush = true;
		vcpu_sync(v); /* out of VMRUN now; flushes on its way back in */
	}
}

uint64_t p2m_lookup(struct domain *d, uint64_t gfn, enum p2m_type *t)
{
	unsigned int level;
	uint64_t e;

	if (gfn >= (1ULL << 40))
		return INVALID_PFN;
	e = pt_lookup(d->npt_root, gfn << PAGE_SHIFT, &level);
	if (!(e & PTE_P) || level != PT_LEVEL_4K)
		return INVALID_PFN;
	if (t)
		*t = (enum p2m_type)((e & PTE_AVAIL_MASK) >> PTE_AVAIL_SHIFT);
	return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

uint64_t p2m_remove(struct domain *d, uint64_t gfn)
{
	uint64_t e = pt_unmap(d->npt_root, gfn << PAGE_SHIFT);

	return (e & PTE_P) ? (e & PTE_ADDR_MASK) >> PAGE_SHIFT : INVALID_PFN;
}

int p2m_populate(struct domain *d, uint64_t gfn, uint64_t nr)
{
	while (nr) {
		unsigned int order = 0;
		uint64_t mfn;

		/* big naturally aligned chunks keep the allocator fast */
		while (order < 9 && !(gfn & ((2ULL << order) - 1)) && (2ULL << order) <= nr)
			order++;
		mfn = mm_alloc(order, d->id);
		if (mfn == INVALID_PFN)
			return -XEN_ENOMEM;
		/* each frame carries its own reference: the p2m holds it */
		for (uint64_t i = 0; i < (1ULL << order); i++) {
			struct page_info *pg = mm_page(mfn + i);

			pg->flags = PGF_HEAD;
			pg->order = 0;
			if (p2m_set(d, gfn + i, mfn + i, P2M_RAM))
				return -XEN_ENOMEM;
		}
		d->nr_pages += 1ULL << order;
		gfn += 1ULL << order;
		nr -= 1ULL << order;
	}
	return 0;
}

static int phys_access(struct domain *d, uint64_t gpa, void *buf, size_t len,
		       int dir)
{
	while (len) {
		size_t off = gpa & (PAGE_SIZE - 1);
		size_t chunk = MIN(len, PAGE_SIZE - off);
		enum p2m_type t;
		uint64_t mfn = p2m_lookup(d, gpa >> PAGE_SHIFT, &t);
		uint8_t *host;

		if (mfn == INVALID_PFN || (t != P2M_RAM && t != P2M_SHARED_INFO && t != P2M_GRANT))
			return -XEN_EFAULT;
		host = (uint8_t *)mm_page_virt(mfn) + off;
		if (dir > 0)
			memcpy(host, buf, chunk);
		else if (dir < 0)
			memcpy(buf, host, chunk);
		else
			memset(host, 0, chunk);
		if (buf)
			buf = (uint8_t *)buf + chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
	return phys_access(d, gpa, (void *)(uintptr_t)src, len, 1);
}

int copy_from_guest_phys(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
	return phys_access(d, gpa, dst, len, -1);
}

int clear_guest_phys(struct domain *d, uint64_t gpa, size_t len)
{
	return phys_access(d, gpa, NULL, len, 0);
}
