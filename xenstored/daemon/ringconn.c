/* A connection whose bytes travel over a domain's xenstore ring. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <syslog.h>

#include "xsd.h"

static ssize_t rc_read(struct xsd_conn *c, void *buf, size_t len)
{
	struct xsd_ring *r = c->tp_data;
	int err;
	size_t n = ring_read(r->intf, buf, len, &err);

	if (err) {
		xsd_logf(c->x, LOG_WARNING, "domain %" PRIu32 ": corrupt "
			 "request ring indices", c->domid);
		return -1;
	}
	if (n && r->notify)
		r->notify(r); /* room freed for the guest */
	return (ssize_t)n;
}

static ssize_t rc_write(struct xsd_conn *c, const void *buf, size_t len)
{
	struct xsd_ring *r = c->tp_data;
	int err;
	size_t n = ring_write(r->intf, buf, len, &err);

	if (err) {
		xsd_logf(c->x, LOG_WARNING, "domain %" PRIu32 ": corrupt "
			 "response ring indices", c->domid);
		return -1;
	}
	return (ssize_t)n;
}

static void rc_kick(struct xsd_conn *c)
{
	struct xsd_ring *r = c->tp_data;

	if (r->notify)
		r->notify(r);
}

static void rc_destroy(struct xsd_conn *c)
{
	struct xsd_ring *r = c->tp_data;

	if (r && r->release)
		r->release(r);
	c->tp_data = NULL;
}

static const struct xsd_transport ring_transport = {
	.read = rc_read,
	.write = rc_write,
	.kick = rc_kick,
	.destroy = rc_destroy,
};

struct xsd_conn *ring_conn_new(struct xsd *x, struct xsd_ring *r,
			       uint32_t domid)
{
	struct xsd_conn *c = conn_new(x, &ring_transport, r, -1, domid);

	if (!c)
		return NULL;
	if (c->dom)
		c->dom->conn = c;
	return c;
}

/* The guest kicked us: take requests, push replies and events. */
int ring_conn_event(struct xsd_conn *c)
{
	if (c->dead)
		return -1;
	conn_input(c);
	conn_flush(c);
	/* Replies may have freed the outstanding budget: go again. */
	if (!c->dead && ring_has_input(((struct xsd_ring *)c->tp_data)->intf)
	    && conn_wants_input(c)) {
		conn_input(c);
		conn_flush(c);
	}
	return c->dead ? -1 : 0;
}
