/* Real-Xen ring plumbing for xenstored (see xenbus.c). */
#ifndef XENOLITH_XSD_XENBUS_H
#define XENOLITH_XSD_XENBUS_H

#include "xsd.h"

struct xenbus {
	int evtchn_fd, gntdev_fd, privcmd_fd;
	int virq_port;          /* VIRQ_DOM_EXC, or -1 */
	void *hcall_buf;        /* one page from /dev/xen/hypercall */
	bool hcall_failed;      /* logged once */
};

void xenbus_init(struct xenbus *xb, struct xsd *x);
int xenbus_dom0(struct xenbus *xb, struct xsd *x);
void xenbus_event(struct xenbus *xb, struct xsd *x);
void xenbus_poll_rings(struct xsd *x);
int xenbus_watch_domains(struct xenbus *xb, struct xsd *x);
void xenbus_unwatch_domains(struct xenbus *xb);
void xenbus_check_domains(struct xenbus *xb, struct xsd *x);
int xenbus_dom0_adopt(struct xenbus *xb, struct xsd *x, uint32_t local_port);
int xenbus_adopt_evtchn(struct xenbus *xb, int fd);

#endif
