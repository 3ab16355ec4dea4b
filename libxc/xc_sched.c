/* Scheduler controls behind `xl sched-credit` and `xl sched-credit2`:
 * a domain's weight and cap (XEN_DOMCTL_scheduler_op), a cpupool's
 * scheduler-wide parameters (XEN_SYSCTL_scheduler_op) and the cpupools
 * themselves (XEN_SYSCTL_cpupool_op INFO). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xc_private.h"

static int domain_sched_op(xc_interface *xch, uint32_t domid, uint32_t sched_id, uint32_t cmd,
			   struct xen_domctl_sched_credit *sdom)
{
	struct xen_domctl d = { .cmd = XEN_DOMCTL_scheduler_op, .domain = (domid_t)domid };

	d.u.scheduler_op.sched_id = sched_id;
	d.u.scheduler_op.cmd = cmd;
	if (cmd == XEN_DOMCTL_SCHEDOP_putinfo)
		d.u.scheduler_op.u.credit = *sdom;
	if (xc_domctl(xch, &d) < 0)
		return -1;
	if (cmd == XEN_DOMCTL_SCHEDOP_getinfo)
		*sdom = d.u.scheduler_op.u.credit;
	return 0;
}

int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom)
{
	return domain_sched_op(xch, domid, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, sdom);
}

int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
			       struct xen_domctl_sched_credit *sdom)
{
	return domain_sched_op(xch, domid, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, sdom);
}

int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
				struct xen_domctl_sched_credit *sdom)
{
	return domain_sched_op(xch, domid, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, sdom);
}

int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
				struct xen_domctl_sched_credit *sdom)
{
	return domain_sched_op(xch, domid, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, sdom);
}

/* xl list -l's weight and cap under the given scheduler; only credit
 * and credit2 have this pair. */
int xc_sched_credit_weight_cap(xc_interface *xch, uint32_t domid, uint32_t sched_id,
			       uint16_t *weight, uint16_t *cap)
{
	struct xen_domctl_sched_credit sdom;

	if (sched_id != XEN_SCHEDULER_CREDIT && sched_id != XEN_SCHEDULER_CREDIT2) {
		errno = EINVAL;
		return -1;
	}
	if (domain_sched_op(xch, domid, sched_id, XEN_DOMCTL_SCHEDOP_getinfo, &sdom) < 0)
		return -1;
	*weight = sdom.weight;
	*cap = sdom.cap;
	return 0;
}

/* One XEN_SYSCTL_scheduler_op on a pool: the scheduler's parameters
 * (size bytes at params, the layout of op.u for sched_id) go in on
 * putinfo and come back on both, as Xen applied them. */
static int pool_sched_op(xc_interface *xch, uint32_t poolid, uint32_t sched_id, uint32_t cmd,
			 void *params, size_t size)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_scheduler_op };
	struct xen_sysctl_scheduler_op *op = &s.u.scheduler_op;

	op->cpupool_id = poolid;
	op->sched_id = sched_id;
	op->cmd = cmd;
	if (cmd == XEN_SYSCTL_SCHEDOP_putinfo)
		memcpy(&op->u, params, size);
	if (xc_sysctl(xch, &s) < 0)
		return -1;
	memcpy(params, &op->u, size);
	return 0;
}

int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *p)
{
	return pool_sched_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_getinfo, p,
			     sizeof(*p));
}

int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
			       struct xen_sysctl_credit_schedule *p)
{
	return pool_sched_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_putinfo, p,
			     sizeof(*p));
}

int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
				struct xen_sysctl_credit2_schedule *p)
{
	return pool_sched_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_getinfo, p,
			     sizeof(*p));
}

int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
				struct xen_sysctl_credit2_schedule *p)
{
	return pool_sched_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_putinfo, p,
			     sizeof(*p));
}

int xc_cpupool_op(xc_interface *xch, struct xen_sysctl_cpupool_op *op, uint8_t *map,
		  size_t size)
{
	struct xen_sysctl s = { .cmd = XEN_SYSCTL_cpupool_op };
	uint8_t *hb = xc_hbuf_alloc(xch, size);
	int rc;

	if (!hb)
		return -1;
	memset(hb, 0, size);
	s.u.cpupool_op = *op;
	s.u.cpupool_op.cpumap.bitmap.p = hb;
	s.u.cpupool_op.cpumap.nr_bits = (uint32_t)size * 8;
	rc = xc_sysctl(xch, &s);
	if (rc == 0) {
		*op = s.u.cpupool_op;
		memcpy(map, hb, size);
	}
	xc_hbuf_free(xch, hb, size);
	return rc;
}

xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid)
{
	struct xen_sysctl_cpupool_op op = { .op = XEN_SYSCTL_CPUPOOL_OP_INFO, .cpupool_id = poolid };
	int size = xc_get_cpumap_size(xch);
	xc_cpupoolinfo_t *info;

	if (size <= 0)
		return NULL;
	info = calloc(1, sizeof(*info) + (size_t)size);
	if (!info)
		return NULL;
	info->cpumap = (xc_cpumap_t)(info + 1);
	if (xc_cpupool_op(xch, &op, info->cpumap, (size_t)size) < 0) {
		xc_free_keep_errno(info);
		return NULL;
	}
	info->cpupool_id = op.cpupool_id;
	info->sched_id = op.sched_id;
	info->n_dom = op.n_dom;
	return info;
}

void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info)
{
	(void)xch;
	free(info);	/* the map lives in the same allocation */
}
