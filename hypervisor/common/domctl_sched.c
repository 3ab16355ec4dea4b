/* Scheduling controls: vCPU hard affinity (get/set; a vCPU outside its
 * new mask moves to the least loaded pCPU in it), credit weight and cap
 * per domain (XEN_DOMCTL_scheduler_op) and the time slice of the one
 * cpupool (XEN_SYSCTL_scheduler_op), with Xen's checks. */
#include <xenolith/domain.h>
#include <xenolith/domctl.h>
#include <xenolith/smp.h>
#include <xenolith/time.h>
#include <xen/errno.h>

static uint64_t all_cpus(void)
{
	return smp_nr_cpus() >= 64 ? ~0ULL : (1ULL << smp_nr_cpus()) - 1;
}

static long cpumap_from_guest(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t *cpus)
{
	uint8_t bytes[8] = { 0 };
	uint32_t n = MIN((uint32_t)(((uint64_t)b->nr_bits + 7) / 8), 8U);

	if (n && copy_from_guest(v, bytes, b->bitmap.v, n))
		return -XEN_EFAULT;
	*cpus = 0;
	for (uint32_t i = 0; i < n; i++)
		*cpus |= (uint64_t)bytes[i] << (8 * i);
	if (b->nr_bits < 64)
		*cpus &= (1ULL << b->nr_bits) - 1;
	return 0;
}

static struct vcpu *affinity_vcpu(struct domain *d, struct xen_domctl_vcpuaffinity *a, long *rc)
{
	*rc = a->vcpu >= d->nr_vcpus || !d->vcpus[a->vcpu] ? -XEN_EINVAL : 0;
	if (!*rc && !(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
		*rc = -XEN_EINVAL;
	return *rc ? NULL : d->vcpus[a->vcpu];
}

/* The pCPU in mask with the fewest vCPUs of any domain. */
static unsigned int least_loaded(uint64_t mask)
{
	unsigned int best = 0, best_n = ~0U;

	for (unsigned int c = 0; c < smp_nr_cpus() && c < 64; c++) {
		unsigned int n = 0;

		if (!(mask & (1ULL << c)))
			continue;
		for (struct domain *d = domain_next(0); d; d = domain_next((uint16_t)(d->id + 1U)))
			for (unsigned int i = 0; i < d->nr_vcpus; i++)
				n += d->vcpus[i] && d->vcpus[i]->processor == c;
		if (n < best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

static long setvcpuaffinity(struct vcpu *v, struct domain *d, struct xen_domctl_vcpuaffinity *a)
{
	struct vcpu *t;
	uint64_t hard;
	long rc;

	if (!(t = affinity_vcpu(d, a, &rc)))
		return rc;
	if (a->flags & XEN_VCPUAFFINITY_HARD) {
		if ((rc = cpumap_from_guest(v, &a->cpumap_hard, &hard)))
			return rc;
		hard &= all_cpus();
		if (!hard)
			return -XEN_EINVAL; /* no online pCPU in it */
		if (!(hard & (1ULL << t->processor)) && (rc = scheduler_move(t, least_loaded(hard))))
			return rc;
		t->affinity = hard;
	}
	/* soft affinity is accepted and not used: any pCPU is as good */
	return 0;
}

static long getvcpuaffinity(struct vcpu *v, struct domain *d, struct xen_domctl_vcpuaffinity *a)
{
	struct vcpu *t;
	long rc;

	if (!(t = affinity_vcpu(d, a, &rc)))
		return rc;
	if ((a->flags & XEN_VCPUAFFINITY_HARD) &&
	    (rc = cpumap_to_guest(v, &a->cpumap_hard, t->affinity & all_cpus())))
		return rc;
	if ((a->flags & XEN_VCPUAFFINITY_SOFT) && (rc = cpumap_to_guest(v, &a->cpumap_soft, all_cpus())))
		return rc;
	return 0;
}

static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *op)
{
	if (op->sched_id != XEN_SCHEDULER_CREDIT)
		return -XEN_EINVAL;
	switch (op->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		op->u.credit.weight = d->sched_weight;
		op->u.credit.cap = d->sched_cap.cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		/* weight 0 and cap ~0 leave the value as it is */
		if (op->u.credit.weight)
			d->sched_weight = op->u.credit.weight;
		if (op->u.credit.cap != (uint16_t)~0U)
			credit_cap_set(&d->sched_cap, op->u.credit.cap, now_ns());
		return 0;
	default: /* credit has no per-vCPU parameters */
		return -XEN_EINVAL;
	}
}

/* One NUMA node: a node map must include it (Xen refuses a map with no
 * online node); the affinity is then always that node. */
static long setnodeaffinity(struct vcpu *v, struct xen_domctl_nodeaffinity *n)
{
	uint64_t nodes;
	long rc = cpumap_from_guest(v, &n->nodemap, &nodes);

	if (rc)
		return rc;
	return (nodes & 1) ? 0 : -XEN_EINVAL;
}

long domctl_sched(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
	switch (op->cmd) {
	case XEN_DOMCTL_setnodeaffinity:
		return setnodeaffinity(v, &op->u.nodeaffinity);
	case XEN_DOMCTL_getnodeaffinity:
		return cpumap_to_guest(v, &op->u.nodeaffinity.nodemap, 1);
	case XEN_DOMCTL_getvcpuaffinity:
		return getvcpuaffinity(v, d, &op->u.vcpuaffinity);
	case XEN_DOMCTL_setvcpuaffinity:
		/* Xen hands back the effective maps */
		return setvcpuaffinity(v, d, &op->u.vcpuaffinity) ?:
		       getvcpuaffinity(v, d, &op->u.vcpuaffinity);
	default:
		return scheduler_op(d, &op->u.scheduler_op);
	}
}

long sysctl_scheduler_op(struct xen_sysctl_scheduler_op *op)
{
	struct xen_sysctl_credit_schedule *c = &op->u.sched_credit;

	if (op->cpupool_id != 0)
		return -XEN_ESRCH; /* one pool */
	if (op->sched_id != XEN_SCHEDULER_CREDIT)
		return -XEN_EINVAL;
	switch (op->cmd) {
	case XEN_SYSCTL_SCHEDOP_getinfo:
		c->tslice_ms = (uint32_t)(scheduler_tslice_ns() / 1000000ULL);
		c->ratelimit_us = (uint32_t)(scheduler_ratelimit_ns() / 1000ULL);
		c->vcpu_migr_delay_us = 0;
		return 0;
	case XEN_SYSCTL_SCHEDOP_putinfo:
		if (c->tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN ||
		    c->tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX ||
		    (c->ratelimit_us && (c->ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN ||
					 c->ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
					 c->ratelimit_us > 1000ULL * c->tslice_ms)) ||
		    c->vcpu_migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US)
			return -XEN_EINVAL;
		scheduler_set_tslice_ns(1000000ULL * c->tslice_ms);
		scheduler_set_ratelimit_ns(1000ULL * c->ratelimit_us);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}
