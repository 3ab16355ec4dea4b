/* The domctl implementation, split by job (domctl.c reads, domctl_create.c
 * builds and tears down). */
#ifndef XENOLITH_DOMCTL_H
#define XENOLITH_DOMCTL_H

#include <xenolith/domain.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

/* Guest-building and lifecycle domctls; -XEN_ENOSYS for others.
 * *copy_back: the caller copies op back to the guest. */
long domctl_lifecycle(struct vcpu *v, struct xen_domctl *op, bool *copy_back);

/* A CPU bitmap for the guest: bit c set for each c in cpus. */
long cpumap_to_guest(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t cpus);
/* vCPU affinity and scheduler parameters (domctl_sched.c). */
long domctl_sched(struct vcpu *v, struct domain *d, struct xen_domctl *op);
long sysctl_scheduler_op(struct xen_sysctl_scheduler_op *op);
/* The host's CPU and NUMA layout (sysctl_topo.c). */
long sysctl_cputopoinfo(struct vcpu *v, struct xen_sysctl_cputopoinfo *ti);
long sysctl_numainfo(struct vcpu *v, struct xen_sysctl_numainfo *ni);

/* XEN_DOMCTL_get_cpu_policy / set_cpu_policy (domctl_cpu_policy.c). */
long domctl_cpu_policy(struct vcpu *v, struct domain *d, struct xen_domctl *op);
long sysctl_cpu_policy(struct vcpu *v, struct xen_sysctl_cpu_policy *sp);
long sysctl_cpu_featureset(struct vcpu *v, struct xen_sysctl_cpu_featureset *f);

#endif
