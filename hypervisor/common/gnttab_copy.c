/* GNTTABOP_copy, version 1 grants: the hypervisor copies bytes between
 * two pages, each named either by a grant reference of some domain
 * (which must grant it to the caller; the destination writable) or by a
 * frame of the caller's own (DOMID_SELF only).  Linux's netback moves
 * packets this way.  Each op gets its own GNTST_* status, decided in
 * Xen's order: domains, source, destination, then the byte range. */
#include <xenolith/domain.h>
#include <xenolith/memop.h>
#include <xenolith/mm.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#define COPY_BATCH_MAX 512

/* One end of a copy, claimed: the page and the pin to drop. */
struct copy_end {
	struct domain *d;
	uint64_t mfn;
	bool pinned;
	uint32_t ref;
};

static int16_t end_domain(struct vcpu *v, const struct gnttab_copy_ptr *p, bool gref,
			  struct domain **d)
{
	/* only the caller's own frames may be named directly */
	if (!gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;
	*d = p->domid == DOMID_SELF ? v->d : domain_by_id(p->domid);
	if (!*d || (*d)->dying)
		return GNTST_bad_domain;
	return GNTST_okay;
}

static int16_t end_claim(struct vcpu *v, const struct gnttab_copy_ptr *p, bool gref,
			 bool writable, struct copy_end *c)
{
	uint64_t gfn = p->u.gmfn;
	enum p2m_type t;

	if (gref) {
		struct grant_entry_v1 *e = gnttab_entry(c->d, p->u.ref);
		int16_t st;

		if (!e)
			return GNTST_bad_gntref;
		st = gnttab_pin(e, v->d->id, writable);
		if (st != GNTST_okay)
			return st;
		c->pinned = true;
		c->ref = p->u.ref;
		gfn = e->frame;
	}
	c->mfn = p2m_lookup(c->d, gfn, &t);
	if (c->mfn == INVALID_PFN || t != P2M_RAM)
		return GNTST_bad_page;
	return GNTST_okay;
}

static void end_release(struct copy_end *c)
{
	if (c->pinned)
		gnttab_unpin(c->d->id, c->ref);
	c->pinned = false;
}

static int16_t copy_one(struct vcpu *v, const struct gnttab_copy *op)
{
	bool src_gref = op->flags & GNTCOPY_source_gref, dst_gref = op->flags & GNTCOPY_dest_gref;
	struct copy_end src = { 0 }, dst = { 0 };
	int16_t st;

	st = end_domain(v, &op->source, src_gref, &src.d);
	if (st == GNTST_okay)
		st = end_domain(v, &op->dest, dst_gref, &dst.d);
	if (st != GNTST_okay)
		return st;
	st = end_claim(v, &op->source, src_gref, false, &src);
	if (st == GNTST_okay)
		st = end_claim(v, &op->dest, dst_gref, true, &dst);
	if (st == GNTST_okay && ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
				 (unsigned int)op->dest.offset + op->len > PAGE_SIZE))
		st = GNTST_bad_copy_arg;
	if (st == GNTST_okay)
		memmove((uint8_t *)mm_page_virt(dst.mfn) + op->dest.offset,
			(const uint8_t *)mm_page_virt(src.mfn) + op->source.offset, op->len);
	end_release(&dst);
	end_release(&src);
	return st;
}

long gnttab_copy_op(struct vcpu *v, uint64_t uop, unsigned long count)
{
	/* Xen continues longer batches; Linux sends at most a ring's worth */
	if (count > COPY_BATCH_MAX)
		return -XEN_EINVAL;
	for (unsigned long i = 0; i < count; i++) {
		struct gnttab_copy op;
		uint64_t at = uop + i * sizeof(op);

		if (copy_from_guest(v, &op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = copy_one(v, &op);
		if (copy_to_guest(v, at + __builtin_offsetof(struct gnttab_copy, status), &op.status,
				  sizeof(op.status)))
			return -XEN_EFAULT;
	}
	return 0;
}
