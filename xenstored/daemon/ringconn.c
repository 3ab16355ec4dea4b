/* A connection whose bytes travel over a domain's xenstore ring. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <syslog.h>

#include "xsd.h"

/* Stop serving the ring and tell the guest why (error feature). */
static void rc_fail(struct xsd_conn *c, uint32_t why, const char *what)
{
	struct xsd_ring *r = c->tp_data;

	xsd_logf(c->x, LOG_WARNING, "domain %" PRIu32 ": %s: ring no longer "
		 "served until the guest reconnects", c->domid, what);
	if (r && r->intf)
		__atomic_store_n(&r->intf->error, why, __ATOMIC_RELEASE);
	c->dead = true;
}

static ssize_t rc_read(struct xsd_conn *c, void *buf, size_t len)
{
	struct xsd_ring *r = c->tp_data;
	int err;
	size_t n = ring_read(r->intf, buf, len, &err);

	if (err) {
		rc_fail(c, XENSTORE_ERROR_RINGIDX, "corrupt request ring "
			"indices");
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
	size_t n;

	/* A guest asking to reconnect ignores the queues: hold the bytes,
	 * the reset drops them. */
	if (__atomic_load_n(&r->intf->connection, __ATOMIC_ACQUIRE) ==
	    XENSTORE_RECONNECT)
		return 0;
	n = ring_write(r->intf, buf, len, &err);
	if (err) {
		rc_fail(c, XENSTORE_ERROR_RINGIDX, "corrupt response ring "
			"indices");
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

bool ring_conn_is(const struct xsd_conn *c)
{
	return c->tp == &ring_transport;
}

struct xsd_conn *ring_conn_new(struct xsd *x, struct xsd_ring *r,
			       uint32_t domid)
{
	struct xsd_conn *c;

	/* Features are offered before any byte is consumed or produced. */
	__atomic_or_fetch(&r->intf->server_features, XSD_RING_FEATURES,
			  __ATOMIC_RELEASE);
	c = conn_new(x, &ring_transport, r, -1, domid);
	if (!c)
		return NULL;
	if (c->dom)
		c->dom->conn = c;
	return c;
}

/* Reset on a packet boundary: no watches, transactions, buffered or
 * in-flight messages; empty queues; connected; the guest told. */
void ring_conn_restart(struct xsd_conn *c)
{
	struct xsd_ring *r = c->tp_data;

	conn_reset(c);
	c->dead = false;
	c->dropped_events = 0;
	ring_reset(r->intf);
	if (r->notify)
		r->notify(r);
	xsd_logf(c->x, LOG_INFO, "domain %" PRIu32 ": ring reconnected",
		 c->domid);
}

/* The guest kicked us: take requests, push replies and events. */
int ring_conn_event(struct xsd_conn *c)
{
	struct xsd_ring *r = c->tp_data;

	if (!r || !r->intf)
		return -1;
	if (__atomic_load_n(&r->intf->connection, __ATOMIC_ACQUIRE) ==
	    XENSTORE_RECONNECT)
		ring_conn_restart(c);
	if (c->dead)
		return -1;
	conn_input(c);
	conn_flush(c);
	/* Replies may have freed the outstanding budget: go again. */
	if (!c->dead && ring_has_input(r->intf) && conn_wants_input(c)) {
		conn_input(c);
		conn_flush(c);
	}
	/* Ended by a message the protocol forbids (conn.c says which). */
	if (c->dead && !__atomic_load_n(&r->intf->error, __ATOMIC_ACQUIRE))
		rc_fail(c, XENSTORE_ERROR_PROTO, "protocol violation");
	return c->dead ? -1 : 0;
}

/* After each round of the main loop: every ring with queued output (say
 * watch events another connection caused) gets it now, and one whose
 * guest wrote without a kick we saw (back-pressure ended) is served. */
void ring_conns_poll(struct xsd *x)
{
	for (struct xsd_conn *c = x->conns; c; c = c->next) {
		struct xsd_ring *r = c->tp_data;

		if (!ring_conn_is(c) || c->dead || !r || !r->intf)
			continue;
		if (c->out_len > c->out_off)
			conn_flush(c);
		if (!c->dead && ring_has_input(r->intf) && conn_wants_input(c))
			ring_conn_event(c);
	}
}
