/* The domctls that build, start, stop and tear down a guest: what libxc's
 * PVH builder and libxl call (createdomain, max_mem, max_vcpus, handle,
 * TSC mode, paging pool, HVM context, affinity, pause/unpause, destroy).
 * Called from do_domctl with the caller checked, under the domain lock. */
#include <xenolith/domain.h>
#include <xenolith/hvmctx.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>
#include <xen/errno.h>
#include <xen/domctl.h>

#include <xenolith/domctl.h>

static long create(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	const char *why;
	struct domain *d;
	uint16_t domid = op->domain;

	if (domctl_create_check(c, MAX_VCPUS, &why)) {
		log_warn("createdomain refused: %s\n", why);
		return -XEN_EINVAL;
	}
	/* 0 or a reserved id asks for one; an explicit id must be free */
	if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
		domid = domain_free_id();
		if (!domid)
			return -XEN_ENOMEM;
	} else if (domain_by_id(domid)) {
		return -XEN_EEXIST;
	}
	d = domain_create(domid, false, c->max_vcpus);
	if (!d)
		return -XEN_ENOMEM;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	/* libxl passes -1 for "the hypervisor's default" */
	d->gnttab_max_frames = c->max_grant_frames < 0 ? GNTTAB_MAX_FRAMES
						       : (unsigned int)c->max_grant_frames;
	/* paused until the toolstack has built it and unpauses it */
	d->pause_count = 1;
	if (scheduler_add_domain(d)) {
		while (domain_destroy(d) == -XEN_ERESTART)
			; /* it never ran and owns no memory yet: a round or two */
		return -XEN_ENOMEM;
	}
	op->domain = domid;
	printk("Domain %u created: %u vCPU%s\n", domid, c->max_vcpus,
	       c->max_vcpus > 1 ? "s" : "");
	return 0;
}

static long gethvmcontext(struct vcpu *v, struct domain *d, struct xen_domctl_hvmcontext *h)
{
	struct hvm_save_header hdr = {
		.magic = HVM_FILE_MAGIC,
		.version = HVM_FILE_VERSION,
		.gtsc_khz = (uint32_t)(tsc_hz() / 1000),
	};
	uint32_t a, b, c, dx;
	size_t need;
	uint8_t *buf;
	long rc = 0;

	cpuid_count(1, 0, &a, &b, &c, &dx);
	hdr.cpuid = a;
	need = hvmctx_build(NULL, 0, d->nr_vcpus, &hdr);
	if (!h->buffer.v) { /* a size query */
		h->size = (uint32_t)need;
		return 0;
	}
	if (h->size < need)
		return -XEN_ENOSPC;
	buf = xmalloc(need);
	if (!buf)
		return -XEN_ENOMEM;
	hvmctx_build(buf, need, d->nr_vcpus, &hdr);
	if (copy_to_guest(v, h->buffer.v, buf, need))
		rc = -XEN_EFAULT;
	xfree(buf);
	h->size = (uint32_t)need;
	return rc;
}

static long sethvmcontext(struct vcpu *v, struct domain *d, struct xen_domctl_hvmcontext *h)
{
	struct hvmctx_set *set;
	uint8_t *buf;
	long rc;

	if (d == v->d)
		return -XEN_EPERM; /* not on the caller itself */
	if (!h->size || h->size > 64 * 1024)
		return -XEN_EINVAL;
	buf = xmalloc(h->size);
	set = xmalloc(sizeof(*set));
	rc = -XEN_ENOMEM;
	if (!buf || !set)
		goto out;
	rc = -XEN_EFAULT;
	if (copy_from_guest(v, buf, h->buffer.v, h->size))
		goto out;
	rc = hvmctx_parse(buf, h->size, d->nr_vcpus, set);
	for (unsigned int i = 0; !rc && i < d->nr_vcpus; i++)
		if (set->has_cpu[i])
			rc = hvmctx_cpu_is_pvh_entry(&set->cpu[i]);
	for (unsigned int i = 0; !rc && i < d->nr_vcpus; i++) {
		struct vcpu *t = d->vcpus[i];

		if (!set->has_cpu[i])
			continue;
		vcpu_sync(t);
		rc = svm_vcpu_init(t, set->cpu[i].rip, set->cpu[i].rbx);
		if (rc)
			break;
		/* the rest of the GPRs as the record gives them */
		t->regs.rcx = set->cpu[i].rcx;
		t->regs.rdx = set->cpu[i].rdx;
		t->regs.rsi = set->cpu[i].rsi;
		t->regs.rdi = set->cpu[i].rdi;
		t->regs.rbp = set->cpu[i].rbp;
		t->online = true;
		t->initialised = true;
		t->blocked = false;
	}
out:
	xfree(buf);
	xfree(set);
	return rc;
}

long domctl_lifecycle(struct vcpu *v, struct xen_domctl *op, bool *copy_back)
{
	struct domain *d;

	*copy_back = false;
	if (op->cmd == XEN_DOMCTL_createdomain) {
		long rc = create(op);

		*copy_back = !rc;
		return rc;
	}
	d = domain_by_id(op->domain);
	if (!d)
		return -XEN_ESRCH;
	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		return d->privileged ? -XEN_EINVAL : domain_destroy(d);
	case XEN_DOMCTL_pausedomain:
		if (d == v->d || d->privileged)
			return -XEN_EINVAL;
		if (d->pause_count == 0xFFFF)
			return -XEN_EOVERFLOW;
		d->pause_count++;
		for (unsigned int i = 0; i < d->nr_vcpus; i++)
			vcpu_sync(d->vcpus[i]);
		return 0;
	case XEN_DOMCTL_unpausedomain:
		if (d == v->d || d->privileged)
			return -XEN_EINVAL;
		if (!d->pause_count)
			return -XEN_EINVAL; /* not paused by the toolstack */
		d->pause_count--;
		d->creation_finished = true;
		for (unsigned int i = 0; i < d->nr_vcpus; i++)
			vcpu_notify(d->vcpus[i]);
		return 0;
	case XEN_DOMCTL_max_mem: {
		uint64_t kb = op->u.max_mem.max_memkb;

		/* like Xen: any value, enforced on later allocations */
		d->max_pages = kb >= (UINT64_MAX >> 2) ? UINT64_MAX : kb / 4;
		return 0;
	}
	case XEN_DOMCTL_max_vcpus:
		/* the vCPUs were fixed by createdomain */
		return op->u.max_vcpus.max == d->nr_vcpus ? 0 : -XEN_EINVAL;
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_settscinfo:
		/* the TSC is never emulated: native is what every mode gets */
		if (op->u.tsc_info.tsc_mode > XEN_CPUID_TSC_MODE_NEVER_EMULATE)
			return -XEN_EINVAL;
		return 0;
	case XEN_DOMCTL_set_paging_mempool_size:
		/* nested page tables come from the common heap: nothing to
		 * reserve, but the size must be whole pages */
		if (op->u.paging_mempool.size & (PAGE_SIZE - 1))
			return -XEN_EINVAL;
		d->paging_pool_bytes = op->u.paging_mempool.size;
		return 0;
	case XEN_DOMCTL_get_paging_mempool_size:
		op->u.paging_mempool.size = d->paging_pool_bytes;
		*copy_back = true;
		return 0;
	case XEN_DOMCTL_gethvmcontext: {
		long rc = gethvmcontext(v, d, &op->u.hvmcontext);

		*copy_back = !rc;
		return rc;
	}
	case XEN_DOMCTL_sethvmcontext:
		return sethvmcontext(v, d, &op->u.hvmcontext);
	default:
		return -XEN_ENOSYS;
	}
}
