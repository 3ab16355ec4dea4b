/* The domctl implementation, split by job (domctl.c reads, domctl_create.c
 * builds and tears down). */
#ifndef XENOLITH_DOMCTL_H
#define XENOLITH_DOMCTL_H

#include <xenolith/domain.h>
#include <xen/domctl.h>

/* Guest-building and lifecycle domctls; -XEN_ENOSYS for others.
 * *copy_back: the caller copies op back to the guest. */
long domctl_lifecycle(struct vcpu *v, struct xen_domctl *op, bool *copy_back);

#endif
