/*
 * Attaching a domU's ring at XS_INTRODUCE: map its page, bind its event
 * channel, start the connection.  The page is mapped by the grant the
 * domain builder reserves for xenstore (as Xen's daemon does); when that
 * fails (no gntdev, or a builder that did not fill the entry) the frame
 * number given in XS_INTRODUCE is mapped through privcmd instead.  The
 * mapping and signalling primitives come from x->ring_ops, so the choice
 * is tested on the host with fakes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

struct ring_map {
	struct xsd_ring r;       /* first: the connection's tp_data */
	const struct xsd_ring_ops *ops;
	void *ctx;
	enum xsd_map_how how;
	uint64_t cookie;
};

static void rm_notify(struct xsd_ring *r)
{
	struct ring_map *m = (struct ring_map *)r;

	m->ops->notify(m->ctx, r->local_port);
}

static void rm_release(struct xsd_ring *r)
{
	struct ring_map *m = (struct ring_map *)r;

	m->ops->unbind(m->ctx, r->local_port);
	m->ops->unmap(m->ctx, r->intf, m->how, m->cookie);
	free(m);
}

static int rm_rebind(struct xsd_ring *r, uint32_t domid, uint32_t port)
{
	struct ring_map *m = (struct ring_map *)r;
	int lp = m->ops->bind(m->ctx, domid, port);

	if (lp < 0)
		return lp;
	m->ops->unbind(m->ctx, r->local_port);
	r->local_port = (uint32_t)lp;
	return 0;
}

enum xsd_map_how ring_map_how(const struct xsd_conn *c)
{
	const struct ring_map *m = c->tp_data;

	return m && m->r.release == rm_release ? m->how : 0;
}

static void *rm_map(struct xsd *x, struct xsd_domain *d, struct ring_map *m)
{
	void *p = m->ops->map_grant(m->ctx, d->domid, &m->cookie);
	int gerr;

	if (p) {
		m->how = XSD_MAP_GRANT;
		return p;
	}
	gerr = errno;
	xsd_logf(x, LOG_NOTICE, "domain %" PRIu32 ": grant map of its xenstore"
		 " page failed (%s): foreign-mapping frame %#" PRIx64,
		 d->domid, strerror(gerr), d->mfn);
	p = m->ops->map_foreign(m->ctx, d->domid, d->mfn, &m->cookie);
	if (p) {
		m->how = XSD_MAP_FOREIGN;
		return p;
	}
	xsd_logf(x, LOG_ERR, "domain %" PRIu32 ": cannot map its xenstore "
		 "page: grant: %s; foreign frame %#" PRIx64 ": %s", d->domid,
		 strerror(gerr), d->mfn, strerror(errno));
	return NULL;
}

/* Map the page; bind the port unless local_port (>= 0) is bound. */
static int attach(struct xsd *x, struct xsd_domain *d, int local_port)
{
	struct ring_map *m = calloc(1, sizeof(*m));
	struct xsd_conn *c;
	int lp, err;

	if (!m)
		return -ENOMEM;
	m->ops = x->ring_ops;
	m->ctx = x->ring_ctx;
	m->r.intf = rm_map(x, d, m);
	if (!m->r.intf) {
		err = -EINVAL;
		goto fail_free;
	}
	lp = local_port >= 0 ? local_port :
	     m->ops->bind(m->ctx, d->domid, d->port);
	if (lp < 0) {
		xsd_logf(x, LOG_ERR, "domain %" PRIu32 ": cannot bind event "
			 "channel %" PRIu32 ": %s", d->domid, d->port,
			 strerror(-lp));
		err = lp;
		goto fail_unmap;
	}
	m->r.local_port = (uint32_t)lp;
	m->r.notify = rm_notify;
	m->r.release = rm_release;
	m->r.rebind = rm_rebind;
	c = ring_conn_new(x, &m->r, d->domid);
	if (!c) {
		rm_release(&m->r);
		return -ENOMEM;
	}
	/* The guest may have written before we bound: serve that now (its
	 * answers notify it). No event otherwise: a guest early in its boot
	 * has nothing to hear, and an upcall left pending there only makes
	 * the hypervisor hold an interrupt window open while it runs with
	 * interrupts off, as in its PIT calibration loop. Xen's daemon sends
	 * none either.  A ring taken over by a live update is served once
	 * the whole state is back (main.c). */
	if (local_port < 0)
		ring_conn_event(c);
	return 0;

fail_unmap:
	m->ops->unmap(m->ctx, m->r.intf, m->how, m->cookie);
fail_free:
	free(m);
	return err;
}

int ring_attach(struct xsd *x, struct xsd_domain *d)
{
	return attach(x, d, -1);
}

int ring_adopt(struct xsd *x, struct xsd_domain *d, uint32_t local_port)
{
	if (!x->ring_ops || local_port > INT32_MAX)
		return -EINVAL;
	return attach(x, d, (int)local_port);
}
