/*
 * Rings on a real Xen host: dom0's page from /dev/xen/xenbus_backend,
 * domU pages through gntdev (grant ref 1, GNTTAB_RESERVED_XENSTORE) or a
 * privcmd foreign mapping (the choice is ringmap.c's), event channels
 * through /dev/xen/evtchn.
 * The ioctl layouts below are the Linux UAPI ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <syslog.h>
#include <unistd.h>

#include "xenbus.h"

#define PAGE_SIZE 4096
#define GNTTAB_RESERVED_XENSTORE 1

struct evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct evtchn_port { unsigned int port; };
#define EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain))
#define EVTCHN_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port))
#define EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port))
struct evtchn_bind_virq { unsigned int virq; };
#define EVTCHN_BIND_VIRQ _IOC(_IOC_NONE, 'E', 0, sizeof(struct evtchn_bind_virq))
#define VIRQ_DOM_EXC 3

struct privcmd_hypercall { uint64_t op, arg[5]; };
#define PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define HYPERVISOR_domctl 36
#define DOMCTL_getdomaininfo 5
#define DOMCTL_INTERFACE_VERSION 0x15
#define DOMINF_dying (1u << 0)
#define DOMINF_shutdown (1u << 2)
#define DOMCTL_SIZE 144

struct gntdev_ref { uint32_t domid, ref; };
struct gntdev_map { uint32_t count, pad; uint64_t index; struct gntdev_ref r; };
struct gntdev_unmap { uint64_t index; uint32_t count, pad; };
#define GNTDEV_MAP _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map))
#define GNTDEV_UNMAP _IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap))

struct privcmd_batch2 {
	unsigned int num;
	uint16_t dom;
	uint64_t addr;
	const uint64_t *arr;
	int *err;
};
#define PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_batch2))

#define XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)

/* dom0's ring from xenbus_backend; domU rings go through ringmap.c with
 * the ops below. */
struct xb_ring {
	struct xsd_ring r;
	struct xenbus *xb;
};

static int evtchn_fd(struct xenbus *xb)
{
	if (xb->evtchn_fd < 0)
		xb->evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	return xb->evtchn_fd;
}

static void xb_port_notify(void *ctx, uint32_t port)
{
	struct xenbus *xb = ctx;
	struct evtchn_port p = { port };

	ioctl(xb->evtchn_fd, EVTCHN_NOTIFY, &p);
}

static void xb_port_unbind(void *ctx, uint32_t port)
{
	struct xenbus *xb = ctx;
	struct evtchn_port p = { port };

	ioctl(xb->evtchn_fd, EVTCHN_UNBIND, &p);
}

static int xb_port_bind(void *ctx, uint32_t domid, uint32_t port)
{
	struct xenbus *xb = ctx;
	struct evtchn_bind_interdomain bi = { domid, port };
	int lp;

	if (evtchn_fd(xb) < 0)
		return -errno;
	lp = ioctl(xb->evtchn_fd, EVTCHN_BIND_INTERDOMAIN, &bi);
	return lp < 0 ? -errno : lp;
}

static void *xb_map_grant(void *ctx, uint32_t domid, uint64_t *cookie)
{
	struct xenbus *xb = ctx;
	struct gntdev_map m = { 1, 0, 0, { domid, GNTTAB_RESERVED_XENSTORE } };
	void *p;
	int err;

	if (xb->gntdev_fd < 0)
		xb->gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (xb->gntdev_fd < 0 || ioctl(xb->gntdev_fd, GNTDEV_MAP, &m))
		return NULL;
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 xb->gntdev_fd, (off_t)m.index);
	if (p == MAP_FAILED) {
		struct gntdev_unmap u = { m.index, 1, 0 };

		err = errno;
		ioctl(xb->gntdev_fd, GNTDEV_UNMAP, &u);
		errno = err;
		return NULL;
	}
	*cookie = m.index;
	return p;
}

static void *xb_map_foreign(void *ctx, uint32_t domid, uint64_t gfn,
			    uint64_t *cookie)
{
	struct xenbus *xb = ctx;
	int err = 0;
	struct privcmd_batch2 b = { 1, (uint16_t)domid, 0, &gfn, &err };
	void *p;

	if (xb->privcmd_fd < 0)
		xb->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (xb->privcmd_fd < 0)
		return NULL;
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 xb->privcmd_fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	b.addr = (uint64_t)(uintptr_t)p;
	if (ioctl(xb->privcmd_fd, PRIVCMD_MMAPBATCH_V2, &b) || err) {
		int e = err ? -err : errno;

		munmap(p, PAGE_SIZE);
		errno = e;
		return NULL;
	}
	*cookie = 0;
	return p;
}

static void xb_unmap(void *ctx, void *page, enum xsd_map_how how,
		     uint64_t cookie)
{
	struct xenbus *xb = ctx;

	munmap(page, PAGE_SIZE);
	if (how == XSD_MAP_GRANT) {
		struct gntdev_unmap u = { cookie, 1, 0 };

		ioctl(xb->gntdev_fd, GNTDEV_UNMAP, &u);
	}
}

static const struct xsd_ring_ops xb_ring_ops = {
	.map_grant = xb_map_grant,
	.map_foreign = xb_map_foreign,
	.unmap = xb_unmap,
	.bind = xb_port_bind,
	.unbind = xb_port_unbind,
	.notify = xb_port_notify,
};

static void xb_notify(struct xsd_ring *r)
{
	xb_port_notify(((struct xb_ring *)r)->xb, r->local_port);
}

static void xb_release(struct xsd_ring *r)
{
	xb_port_unbind(((struct xb_ring *)r)->xb, r->local_port);
	if (r->intf)
		munmap(r->intf, PAGE_SIZE);
	free(r);
}

void xenbus_init(struct xenbus *xb, struct xsd *x)
{
	memset(xb, 0, sizeof(*xb));
	xb->evtchn_fd = xb->gntdev_fd = xb->privcmd_fd = -1;
	xb->virq_port = -1;
	evtchn_fd(xb); /* absent on a host without Xen: rings just fail */
	x->ring_ops = &xb_ring_ops;
	x->ring_ctx = xb;
}

/* Dom0's own ring, via the kernel's xenbus_backend device; bound to
 * local_port already (live update) or, if it is negative, bound here. */
static int dom0_ring(struct xenbus *xb, struct xsd *x, int local_port)
{
	struct xb_ring *xr;
	struct xsd_conn *c;
	int fd, port, err;
	void *p;

	fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	port = local_port >= 0 ? 0 : ioctl(fd, XENBUS_BACKEND_EVTCHN);
	if (port < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	xr = calloc(1, sizeof(*xr));
	if (!xr) {
		munmap(p, PAGE_SIZE);
		return -ENOMEM;
	}
	xr->r.intf = p;
	xr->xb = xb;
	err = local_port >= 0 ? local_port : xb_port_bind(xb, 0, (uint32_t)port);
	if (err < 0) {
		munmap(p, PAGE_SIZE);
		free(xr);
		return err;
	}
	xr->r.local_port = (uint32_t)err;
	xr->r.notify = xb_notify;
	xr->r.release = xb_release;
	c = ring_conn_new(x, &xr->r, 0);
	if (!c) {
		xb_release(&xr->r);
		return -ENOMEM;
	}
	domain_get(x, 0)->introduced = true;
	if (local_port < 0) { /* else served once the state is back */
		ring_conn_event(c); /* requests written before we started */
		xb_notify(&xr->r);
	}
	return 0;
}

int xenbus_dom0(struct xenbus *xb, struct xsd *x)
{
	return dom0_ring(xb, x, -1);
}

int xenbus_dom0_adopt(struct xenbus *xb, struct xsd *x, uint32_t local_port)
{
	if (local_port > INT32_MAX)
		return -EINVAL;
	return dom0_ring(xb, x, (int)local_port);
}

/* Live update: the old daemon's event channel device, with its ports. */
int xenbus_adopt_evtchn(struct xenbus *xb, int fd)
{
	if (fcntl(fd, F_SETFD, FD_CLOEXEC))
		return -errno;
	if (xb->evtchn_fd >= 0 && xb->evtchn_fd != fd)
		close(xb->evtchn_fd);
	xb->evtchn_fd = fd;
	return 0;
}

/* domctl getdomaininfo: 1 alive, 0 gone or dying, -1 cannot tell.
 * *shutdown gets the shutdown flag of a live domain. */
static int domain_state(struct xenbus *xb, uint32_t domid, bool *shutdown)
{
	unsigned char *d = xb->hcall_buf;
	struct privcmd_hypercall h = { HYPERVISOR_domctl, { 0 } };
	uint32_t v32;
	uint16_t v16 = (uint16_t)domid;
	int ret;

	memset(d, 0, DOMCTL_SIZE);
	v32 = DOMCTL_getdomaininfo;
	memcpy(d + 0, &v32, 4);
	v32 = DOMCTL_INTERFACE_VERSION;
	memcpy(d + 4, &v32, 4);
	memcpy(d + 8, &v16, 2);
	h.arg[0] = (uint64_t)(uintptr_t)d;
	ret = ioctl(xb->privcmd_fd, PRIVCMD_HYPERCALL, &h);
	if (ret < 0)
		return errno == ESRCH ? 0 : -1;
	/* Xen answers for the first domain with an id >= the one asked. */
	memcpy(&v16, d + 16, 2);
	if (v16 != (uint16_t)domid)
		return 0;
	memcpy(&v32, d + 16 + 4, 4);
	if (v32 & DOMINF_dying)
		return 0;
	*shutdown = (v32 & DOMINF_shutdown) != 0;
	return 1;
}

/* VIRQ_DOM_EXC: some domain died or shut down.  Like the C daemon: a
 * shut down domain fires @releaseDomain, a dying or gone one is released
 * (which fires it too). */
void xenbus_check_domains(struct xenbus *xb, struct xsd *x)
{
	struct xsd_domain *d, *next;

	if (!xb->hcall_buf)
		return;
	for (d = x->domains; d; d = next) {
		bool shut = false;
		int st;

		next = d->next;
		if (!d->domid || !d->introduced)
			continue;
		st = domain_state(xb, d->domid, &shut);
		if (st < 0) {
			if (!xb->hcall_failed)
				xsd_logf(x, LOG_ERR, "getdomaininfo failed: %s",
					 strerror(errno));
			xb->hcall_failed = true;
			return;
		}
		if (st == 0) {
			domain_release(x, d->domid, true);
		} else if (shut && !d->shutdown) {
			d->shutdown = true;
			watch_fire_special(x, "@releaseDomain");
		}
	}
}

int xenbus_watch_domains(struct xenbus *xb, struct xsd *x)
{
	struct evtchn_bind_virq bv = { VIRQ_DOM_EXC };
	int fd, port;
	void *p;

	if (xb->evtchn_fd < 0)
		return -ENODEV;
	if (xb->virq_port >= 0)
		return 0;
	if (xb->privcmd_fd < 0)
		xb->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (xb->privcmd_fd < 0)
		return -errno;
	/* Hypercall arguments must live in memory Xen can reach. */
	fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	port = ioctl(xb->evtchn_fd, EVTCHN_BIND_VIRQ, &bv);
	if (port < 0) {
		munmap(p, PAGE_SIZE);
		return -errno;
	}
	xb->hcall_buf = p;
	xb->virq_port = port;
	xsd_logf(x, LOG_INFO, "VIRQ_DOM_EXC on port %d", port);
	return 0;
}

/* Before a live update: the new daemon binds VIRQ_DOM_EXC itself. */
void xenbus_unwatch_domains(struct xenbus *xb)
{
	if (xb->virq_port < 0)
		return;
	xb_port_unbind(xb, (uint32_t)xb->virq_port);
	xb->virq_port = -1;
	if (xb->hcall_buf)
		munmap(xb->hcall_buf, PAGE_SIZE);
	xb->hcall_buf = NULL;
}

/* Drain pending ports; run each ring's connection. */
void xenbus_event(struct xenbus *xb, struct xsd *x)
{
	uint32_t ports[64];
	ssize_t n = read(xb->evtchn_fd, ports, sizeof(ports));

	if (n <= 0)
		return;
	/* Unmask first: a kick arriving while we work is not lost. */
	if (write(xb->evtchn_fd, ports, (size_t)n) != n)
		xsd_logf(x, LOG_WARNING, "evtchn unmask failed");
	for (size_t i = 0; i < (size_t)n / sizeof(ports[0]); i++) {
		if (xb->virq_port >= 0 && ports[i] == (uint32_t)xb->virq_port) {
			xenbus_check_domains(xb, x);
			continue;
		}
		for (struct xsd_conn *c = x->conns; c; c = c->next) {
			struct xsd_ring *r;

			if (c->fd >= 0 || !c->tp_data)
				continue;
			r = c->tp_data;
			if (r->local_port == ports[i]) {
				ring_conn_event(c);
				break;
			}
		}
	}
}

/* Rings with queued output or unserved input: after each round. */
void xenbus_poll_rings(struct xsd *x)
{
	ring_conns_poll(x);
}
