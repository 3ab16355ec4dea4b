/* Event channels, 2-level ABI: pending and mask bitmaps in shared_info,
 * per-vCPU selector and upcall flag in vcpu_info.  Port 0 is reserved. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/hvm/params.h>

#define BITS_PER_WORD 64

static bool virq_is_global(unsigned int virq)
{
	/* per-vCPU: TIMER, DEBUG, XENOPROF, XENPMU */
	return !(virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
		 virq == VIRQ_XENPMU);
}

int evtchn_init(struct domain *d)
{
	d->evtchn = xzalloc(EVTCHN_MAX * sizeof(struct evtchn));
	return d->evtchn ? 0 : -XEN_ENOMEM;
}

static struct shared_info *shinfo(struct domain *d)
{
	return mm_page_virt(d->shared_info_pfn);
}

struct vcpu_info *vcpu_info_ptr(struct vcpu *v)
{
	if (v->vcpu_info_gfn != INVALID_PFN) {
		enum p2m_type t;
		uint64_t mfn = p2m_lookup(v->d, v->vcpu_info_gfn, &t);

		if (mfn == INVALID_PFN || t != P2M_RAM)
			return NULL;
		return (struct vcpu_info *)((uint8_t *)mm_page_virt(mfn) + v->vcpu_info_offset);
	}
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return &shinfo(v->d)->vcpu_info[v->id];
	return NULL;
}

bool vcpu_upcall_pending(struct vcpu *v)
{
	struct vcpu_info *vi = vcpu_info_ptr(v);

	return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE);
}

static void wake_pollers(struct domain *d, unsigned int port)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *p = d->vcpus[i];

		if (p && p->polling && (!p->poll_port || p->poll_port == port))
			vcpu_kick(p);
	}
}

/* Mark port pending; if newly pending and unmasked, flag the vCPU. */
static void evtchn_set_pending(struct domain *d, unsigned int port)
{
	struct shared_info *s = shinfo(d);
	struct evtchn *e = &d->evtchn[port];
	struct vcpu *v = d->vcpus[e->vcpu < d->nr_vcpus ? e->vcpu : 0];
	uint64_t bit = 1ULL << (port % BITS_PER_WORD);
	unsigned int word = port / BITS_PER_WORD;
	struct vcpu_info *vi;

	if (__atomic_fetch_or((uint64_t *)&s->evtchn_pending[word], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	/* pollers wait on the pending bit itself, masked or not (Linux's PV
	 * spinlocks poll a masked port) */
	wake_pollers(d, port);
	if (__atomic_load_n((uint64_t *)&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & bit)
		return;
	vi = vcpu_info_ptr(v);
	if (!vi)
		return;
	if (!(__atomic_fetch_or((uint64_t *)&vi->evtchn_pending_sel, 1ULL << word,
				__ATOMIC_SEQ_CST) & (1ULL << word))) {
		__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
		if (v->upcall_vector)
			vlapic_set_irq(v, v->upcall_vector);
	}
	vcpu_kick(v);
}

void send_guest_virq(struct vcpu *v, unsigned int virq)
{
	unsigned int port;

	if (virq >= NR_VIRQS_MAX)
		return;
	port = virq_is_global(virq) ? v->d->global_virq_port[virq] : v->virq_port[virq];
	if (port)
		evtchn_set_pending(v->d, port);
}

static int alloc_port(struct domain *d)
{
	for (unsigned int p = 1; p < EVTCHN_MAX; p++)
		if (d->evtchn[p].state == EVTCHNSTAT_closed)
			return (int)p;
	return -XEN_ENOSPC;
}

static bool port_valid(struct domain *d, uint32_t port)
{
	return port > 0 && port < EVTCHN_MAX && d->evtchn[port].state != EVTCHNSTAT_closed;
}

static struct domain *evt_target(struct vcpu *v, domid_t dom)
{
	if (dom == DOMID_SELF || dom == v->d->id)
		return v->d;
	return v->d->privileged ? domain_by_id(dom) : NULL;
}

static void clear_pending(struct domain *d, unsigned int port)
{
	__atomic_fetch_and((uint64_t *)&shinfo(d)->evtchn_pending[port / BITS_PER_WORD],
			   ~(1ULL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

static long evtchn_close(struct domain *d, uint32_t port)
{
	struct evtchn *e;

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	e = &d->evtchn[port];
	switch (e->state) {
	case EVTCHNSTAT_virq:
		if (virq_is_global(e->virq))
			d->global_virq_port[e->virq] = 0;
		else
			d->vcpus[e->vcpu]->virq_port[e->virq] = 0;
		break;
	case EVTCHNSTAT_interdomain: {
		struct domain *rd = domain_by_id(e->remote_dom);

		if (rd && e->remote_port < EVTCHN_MAX &&
		    rd->evtchn[e->remote_port].state == EVTCHNSTAT_interdomain) {
			rd->evtchn[e->remote_port].state = EVTCHNSTAT_unbound;
			rd->evtchn[e->remote_port].remote_dom = d->id;
		}
		break;
	}
	default:
		break;
	}
	clear_pending(d, port);
	memset(e, 0, sizeof(*e));
	return 0;
}

void evtchn_destroy(struct domain *d)
{
	if (!d->evtchn)
		return;
	/* interdomain peers see their end go back to unbound, as in Xen */
	for (uint32_t p = 1; p < EVTCHN_MAX; p++)
		if (d->evtchn[p].state != EVTCHNSTAT_closed)
			evtchn_close(d, p);
	xfree(d->evtchn);
	d->evtchn = NULL;
}

static long evtchn_send(struct vcpu *v, uint32_t port)
{
	struct domain *d = v->d;
	struct evtchn *e;

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	e = &d->evtchn[port];
	switch (e->state) {
	case EVTCHNSTAT_interdomain: {
		struct domain *rd = domain_by_id(e->remote_dom);

		if (rd)
			evtchn_set_pending(rd, e->remote_port);
		return 0;
	}
	case EVTCHNSTAT_ipi:
		evtchn_set_pending(d, port);
		return 0;
	case EVTCHNSTAT_unbound:
		return 0; /* nobody listening yet: dropped, as Xen does */
	default:
		return -XEN_EINVAL;
	}
}

static long evtchn_unmask(struct vcpu *v, uint32_t port)
{
	struct domain *d = v->d;
	struct shared_info *s = shinfo(d);
	unsigned int word = port / BITS_PER_WORD;
	uint64_t bit = 1ULL << (port % BITS_PER_WORD);

	if (port == 0 || port >= EVTCHN_MAX)
		return -XEN_EINVAL;
	if ((__atomic_fetch_and((uint64_t *)&s->evtchn_mask[word], ~bit, __ATOMIC_SEQ_CST) & bit) &&
	    (__atomic_load_n((uint64_t *)&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit)) {
		struct evtchn *e = &d->evtchn[port];
		struct vcpu *t = d->vcpus[e->vcpu < d->nr_vcpus ? e->vcpu : 0];
		struct vcpu_info *vi = vcpu_info_ptr(t);

		if (vi && !(__atomic_fetch_or((uint64_t *)&vi->evtchn_pending_sel, 1ULL << word,
					      __ATOMIC_SEQ_CST) & (1ULL << word))) {
			__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
			if (t->upcall_vector)
				vlapic_set_irq(t, t->upcall_vector);
			vcpu_kick(t);
		}
	}
	return 0;
}

long do_event_channel_op(struct vcpu *v, unsigned long cmd, uint64_t arg)
{
	struct domain *d = v->d;
	int port;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound a;
		struct domain *t;

		if (copy_from_guest(v, &a, arg, sizeof(a)))
			return -XEN_EFAULT;
		t = evt_target(v, a.dom);
		if (!t)
			return a.dom == DOMID_SELF || v->d->privileged ? -XEN_ESRCH : -XEN_EPERM;
		port = alloc_port(t);
		if (port < 0)
			return port;
		t->evtchn[port].state = EVTCHNSTAT_unbound;
		t->evtchn[port].remote_dom = a.remote_dom == DOMID_SELF ? d->id : a.remote_dom;
		t->evtchn[port].vcpu = 0;
		a.port = (uint32_t)port;
		if (copy_to_guest(v, arg, &a, sizeof(a))) {
			evtchn_close(t, (uint32_t)port);
			return -XEN_EFAULT;
		}
		return 0;
	}
	case EVTCHNOP_bind_interdomain: {
		struct evtchn_bind_interdomain b;
		struct domain *rd;
		struct evtchn *re;

		if (copy_from_guest(v, &b, arg, sizeof(b)))
			return -XEN_EFAULT;
		rd = b.remote_dom == DOMID_SELF ? d : domain_by_id(b.remote_dom);
		if (!rd)
			return -XEN_ESRCH;
		if (!port_valid(rd, b.remote_port))
			return -XEN_EINVAL;
		re = &rd->evtchn[b.remote_port];
		if (re->state != EVTCHNSTAT_unbound || re->remote_dom != d->id)
			return -XEN_EINVAL;
		port = alloc_port(d);
		if (port < 0)
			return port;
		d->evtchn[port].state = EVTCHNSTAT_interdomain;
		d->evtchn[port].remote_dom = rd->id;
		d->evtchn[port].remote_port = b.remote_port;
		d->evtchn[port].vcpu = 0;
		re->state = EVTCHNSTAT_interdomain;
		re->remote_dom = d->id;
		re->remote_port = (uint32_t)port;
		b.local_port = (uint32_t)port;
		/* a newly bound channel starts pending so no event is lost */
		evtchn_set_pending(d, (unsigned int)port);
		return copy_to_guest(v, arg, &b, sizeof(b)) ? -XEN_EFAULT : 0;
	}
	case EVTCHNOP_bind_virq: {
		struct evtchn_bind_virq b;
		uint16_t *slot;

		if (copy_from_guest(v, &b, arg, sizeof(b)))
			return -XEN_EFAULT;
		if (b.virq >= NR_VIRQS_MAX)
			return -XEN_EINVAL;
		if (virq_is_global(b.virq) && b.vcpu != 0)
			return -XEN_EINVAL;
		if (b.vcpu >= d->nr_vcpus || !d->vcpus[b.vcpu])
			return -XEN_ENOENT;
		slot = virq_is_global(b.virq) ? &d->global_virq_port[b.virq]
					      : &d->vcpus[b.vcpu]->virq_port[b.virq];
		if (*slot)
			return -XEN_EEXIST;
		port = alloc_port(d);
		if (port < 0)
			return port;
		d->evtchn[port].state = EVTCHNSTAT_virq;
		d->evtchn[port].virq = (uint8_t)b.virq;
		d->evtchn[port].vcpu = b.vcpu;
		*slot = (uint16_t)port;
		b.port = (uint32_t)port;
		return copy_to_guest(v, arg, &b, sizeof(b)) ? -XEN_EFAULT : 0;
	}
	case EVTCHNOP_bind_ipi: {
		struct evtchn_bind_ipi b;

		if (copy_from_guest(v, &b, arg, sizeof(b)))
			return -XEN_EFAULT;
		if (b.vcpu >= d->nr_vcpus || !d->vcpus[b.vcpu])
			return -XEN_ENOENT;
		port = alloc_port(d);
		if (port < 0)
			return port;
		d->evtchn[port].state = EVTCHNSTAT_ipi;
		d->evtchn[port].vcpu = b.vcpu;
		b.port = (uint32_t)port;
		return copy_to_guest(v, arg, &b, sizeof(b)) ? -XEN_EFAULT : 0;
	}
	case EVTCHNOP_close: {
		struct evtchn_close c;

		if (copy_from_guest(v, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		return evtchn_close(d, c.port);
	}
	case EVTCHNOP_send: {
		struct evtchn_send s;

		if (copy_from_guest(v, &s, arg, sizeof(s)))
			return -XEN_EFAULT;
		return evtchn_send(v, s.port);
	}
	case EVTCHNOP_status: {
		struct evtchn_status st;
		struct domain *t;
		struct evtchn *e;

		if (copy_from_guest(v, &st, arg, sizeof(st)))
			return -XEN_EFAULT;
		t = evt_target(v, st.dom);
		if (!t)
			return -XEN_ESRCH;
		if (st.port >= EVTCHN_MAX)
			return -XEN_EINVAL;
		e = &t->evtchn[st.port];
		memset(&st.u, 0, sizeof(st.u));
		st.status = e->state;
		st.vcpu = e->vcpu;
		switch (e->state) {
		case EVTCHNSTAT_unbound:
			st.u.unbound.dom = e->remote_dom;
			break;
		case EVTCHNSTAT_interdomain:
			st.u.interdomain.dom = e->remote_dom;
			st.u.interdomain.port = e->remote_port;
			break;
		case EVTCHNSTAT_virq:
			st.u.virq = e->virq;
			break;
		default:
			break;
		}
		return copy_to_guest(v, arg, &st, sizeof(st)) ? -XEN_EFAULT : 0;
	}
	case EVTCHNOP_unmask: {
		struct evtchn_unmask u;

		if (copy_from_guest(v, &u, arg, sizeof(u)))
			return -XEN_EFAULT;
		return evtchn_unmask(v, u.port);
	}
	case EVTCHNOP_bind_vcpu: {
		struct evtchn_bind_vcpu b;
		struct evtchn *e;

		if (copy_from_guest(v, &b, arg, sizeof(b)))
			return -XEN_EFAULT;
		if (!port_valid(d, b.port))
			return -XEN_EINVAL;
		if (b.vcpu >= d->nr_vcpus || !d->vcpus[b.vcpu])
			return -XEN_ENOENT;
		e = &d->evtchn[b.port];
		if (e->state == EVTCHNSTAT_ipi ||
		    (e->state == EVTCHNSTAT_virq && !virq_is_global(e->virq)))
			return -XEN_EINVAL;
		e->vcpu = b.vcpu;
		return 0;
	}
	case EVTCHNOP_reset: {
		struct evtchn_reset r;

		if (copy_from_guest(v, &r, arg, sizeof(r)))
			return -XEN_EFAULT;
		if (evt_target(v, r.dom) != d)
			return -XEN_EPERM;
		for (unsigned int p = 1; p < EVTCHN_MAX; p++)
			if (d->evtchn[p].state != EVTCHNSTAT_closed)
				evtchn_close(d, p);
		return 0;
	}
	default:
		/* FIFO ABI (init_control, expand_array, set_priority) is not
		 * offered: guests fall back to the 2-level ABI */
		return -XEN_ENOSYS;
	}
}
