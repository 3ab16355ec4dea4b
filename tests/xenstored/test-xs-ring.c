/* The xenstore ring on the host: an in-memory page driven as a guest
 * would, through the same connection code the daemon uses for domains. */
#include <stdio.h>

#include "check.h"
#include "xs_guest.h"
#include "xs_test_util.h"

_Static_assert(sizeof(struct xenstore_domain_interface) == 2076,
	       "ring page layout");
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048,
	       "req_cons offset");
_Static_assert(offsetof(struct xenstore_domain_interface, server_features) ==
	       2064, "server_features offset");
_Static_assert(offsetof(struct xenstore_domain_interface, error) == 2072,
	       "error offset");
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "header size");

static unsigned int kicks;

static void count_kick(struct xsd_ring *r)
{
	(void)r;
	kicks++;
}

static void test_raw_ring(void)
{
	struct xenstore_domain_interface *i = calloc(1, sizeof(*i));
	char in[3000], out[3000];
	size_t n;
	int err;

	for (size_t k = 0; k < sizeof(in); k++)
		in[k] = (char)(k * 7);
	/* Indices start just below the u32 wrap. */
	i->req_cons = i->req_prod = 0xfffffe00u;
	i->rsp_cons = i->rsp_prod = 0xfffffff0u;
	n = guest_put(i, in, sizeof(in));
	CHECK(n == XENSTORE_RING_SIZE, "guest fills the request ring");
	n = ring_read(i, out, 100, &err);
	CHECK(n == 100 && !err && !memcmp(out, in, 100), "partial read");
	n = ring_read(i, out + 100, sizeof(out), &err);
	CHECK(n == XENSTORE_RING_SIZE - 100 && !memcmp(out, in,
						       XENSTORE_RING_SIZE),
	      "rest of the ring, across the index wrap");
	CHECK(!ring_has_input(i), "ring empty after reading");
	n = ring_write(i, in, sizeof(in), &err);
	CHECK(n == XENSTORE_RING_SIZE && !err, "response ring takes 1024");
	CHECK(ring_write(i, in, 10, &err) == 0 && !err,
	      "full response ring takes nothing");
	CHECK(guest_get(i, out, sizeof(out)) == XENSTORE_RING_SIZE &&
	      !memcmp(out, in, XENSTORE_RING_SIZE), "guest reads it back");
	i->req_prod = i->req_cons + XENSTORE_RING_SIZE + 1;
	ring_read(i, out, 10, &err);
	CHECK(err == -EIO, "producer too far ahead: error");
	free(i);
}

static int intro(struct xsd *x, struct xsd_domain *d)
{
	struct xsd_ring *r = calloc(1, sizeof(*r));

	r->intf = calloc(1, sizeof(*r->intf));
	r->notify = count_kick;
	/* the page is the test's: freed there */
	return ring_conn_new(x, r, d->domid) ? 0 : -ENOMEM;
}

static void test_ring_conn(void)
{
	static struct xsd x;
	struct xsd_conn *d0, *g;
	struct xenstore_domain_interface *i;
	struct xsd_ring *r;
	char msg[16 + XENSTORE_PAYLOAD_MAX], reply[16 + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h;
	size_t got = 0, sent = 0, want;
	char val[3000];
	int rounds = 0;

	xsd_init(&x);
	x.introduce_hook = intro;
	d0 = t_conn(&x, 0);
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "3|99|7")), ""),
	      "introduce over an in-memory ring");
	g = domain_find(&x, 3)->conn;
	r = g->tp_data;
	i = r->intf;
	i->req_cons = i->req_prod = 0xffffff00u;
	i->rsp_cons = i->rsp_prod = 0xffffff80u;
	t_cmd(d0, XS_MKDIR, 0, "/local/domain/3");
	t_cmd(d0, XS_SET_PERMS, 0, "/local/domain/3|n3");

	/* A write bigger than the ring, pushed in pieces with kicks. */
	memset(val, 'q', sizeof(val));
	h.type = XS_WRITE;
	h.req_id = 5;
	h.tx_id = 0;
	h.len = 5 + 1500;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 16, "data", 5);
	memcpy(msg + 21, val, 1500);
	want = 16 + h.len;
	while (sent < want && rounds++ < 50) {
		sent += guest_put(i, msg + sent, want - sent);
		kicks = 0;
		ring_conn_event(g);
		CHECK(kicks > 0 || sent == want, "daemon kicks after taking "
		      "bytes (round %d)", rounds);
	}
	got = guest_get(i, reply, sizeof(reply));
	memcpy(&h, reply, sizeof(h));
	CHECK(got == 19 && h.type == XS_WRITE && h.req_id == 5 &&
	      !strcmp(reply + 16, "OK"), "write over the ring answered OK");

	/* A 1500-byte reply: bigger than free space once the ring is
	 * partly used; the daemon finishes it when the guest consumes. */
	h.type = XS_READ;
	h.req_id = 6;
	h.len = 5;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 16, "data", 5);
	guest_put(i, msg, 21);
	ring_conn_event(g);
	got = 0;
	rounds = 0;
	while (got < 16 + 1500 && rounds++ < 10) {
		got += guest_get(i, reply + got, sizeof(reply) - got);
		ring_conn_event(g); /* guest kicked after consuming */
	}
	memcpy(&h, reply, sizeof(h));
	CHECK(got == 16 + 1500 && h.req_id == 6 && h.len == 1500 &&
	      !memcmp(reply + 16, val, 1500),
	      "reply larger than the ring arrives whole");

	/* Guest-relative watch: event path relative, delivered on the ring. */
	h.type = XS_WATCH;
	h.req_id = 7;
	h.len = 7;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 16, "data\0w", 7);
	guest_put(i, msg, 23);
	ring_conn_event(g);
	got = guest_get(i, reply, sizeof(reply));
	CHECK(got == 19 + 16 + 7 && !memcmp(reply + 16 + 3 + 16, "data\0w", 7),
	      "relative watch: OK then event with relative path");

	/* Corrupt indices: the connection stops. */
	i->req_prod = i->req_cons + 5000;
	ring_conn_event(g);
	CHECK(g->dead, "corrupt request indices end the connection");
	CHECK(i->error == XENSTORE_ERROR_RINGIDX,
	      "and the error field says why (%u)", i->error);

	free(i);
	r->intf = NULL;
	g->tp_data = NULL;
	free(r);
	xsd_fini(&x);
}

/* An in-memory ring the connection owns (freed with it). */
static int intro_owned(struct xsd *x, struct xsd_domain *d)
{
	return t_mem_ring(x, d, count_kick);
}

static bool ring_empty_connected(const struct xenstore_domain_interface *i)
{
	return i->connection == XENSTORE_CONNECTED && !i->req_cons &&
	       !i->req_prod && !i->rsp_cons && !i->rsp_prod &&
	       i->error == XENSTORE_ERROR_NONE;
}

/* Ask for a reconnection as a guest does: state, then kick. */
static void guest_reconnect(struct xsd_conn *g)
{
	struct xenstore_domain_interface *i =
		((struct xsd_ring *)g->tp_data)->intf;

	i->connection = XENSTORE_RECONNECT;
	kicks = 0;
	ring_conn_event(g);
}

static void test_reconnect(void)
{
	static struct xsd x;
	struct xsd_conn *d0, *g;
	struct xenstore_domain_interface *i;
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t tx;
	XENSTORE_RING_IDX before;
	int n;

	xsd_init(&x);
	x.introduce_hook = intro_owned;
	d0 = t_conn(&x, 0);
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "4|55|9")), ""),
	      "introduce domain 4");
	g = domain_find(&x, 4)->conn;
	i = ((struct xsd_ring *)g->tp_data)->intf;
	CHECK(i->server_features == (XENSTORE_SERVER_FEATURE_RECONNECTION |
				     XENSTORE_SERVER_FEATURE_ERROR) &&
	      !i->req_cons && !i->rsp_prod,
	      "reconnection and error features offered before any data");
	i->req_cons = i->req_prod = 0x1000;
	i->rsp_cons = i->rsp_prod = 0x2000;
	t_cmd(d0, XS_MKDIR, 0, "/local/domain/4");
	t_cmd(d0, XS_SET_PERMS, 0, "/local/domain/4|n4");
	t_cmd(d0, XS_MKDIR, 0, "/local/domain/4/w"); /* inherits: domain 4's */

	/* Some state: a watch, a transaction, half a request, unread
	 * output. */
	guest_send(g, XS_WATCH, 1, 0, "/local/domain/4/w|tok");
	n = 0;
	while (guest_recv(i, &h, body, sizeof(body)))
		n++;
	CHECK(n == 2, "watch: OK and the first event (%d)", n);
	guest_send(g, XS_TRANSACTION_START, 2, 0, "");
	CHECK(guest_recv(i, &h, body, sizeof(body)) &&
	      h.type == XS_TRANSACTION_START, "transaction started");
	tx = (uint32_t)strtoul(body, NULL, 10);
	CHECK(g->nr_watches == 1 && g->nr_txns == 1, "guest has state");
	t_write_s(d0, 0, "/local/domain/4/w/x", "1");
	before = i->rsp_prod;
	ring_conns_poll(&x);
	CHECK(i->rsp_prod != before, "an event another connection caused "
	      "reaches the ring without a kick from the guest");
	h = (struct xsd_sockmsg){ XS_READ, 3, 0, 100 };
	guest_put(i, &h, sizeof(h));
	guest_put(i, "/local", 6);
	ring_conn_event(g);
	CHECK(g->in_len == sizeof(h) + 6, "partial request buffered");

	/* The guest asks; output produced meanwhile stays off the ring. */
	i->connection = XENSTORE_RECONNECT;
	t_write_s(d0, 0, "/local/domain/4/w/x", "2");
	before = i->rsp_prod;
	ring_conns_poll(&x);
	CHECK(i->rsp_prod == before, "nothing written while a reconnect is "
	      "pending");
	kicks = 0;
	ring_conn_event(g);
	CHECK(ring_empty_connected(i), "after the kick: queues empty, "
	      "indices 0, connected");
	CHECK(kicks > 0, "guest signalled");
	CHECK(g->nr_watches == 0 && g->nr_txns == 0 && domain_find(&x, 4)->
	      nr_watches == 0, "watches and transactions dropped");
	CHECK(g->in_len == 0 && g->out_len == g->out_off && !g->pending,
	      "partial request, queued output, in-flight replies dropped");
	CHECK(i->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION,
	      "features still offered");

	guest_send(g, XS_READ, 4, tx, "/local/domain/4/w/x");
	CHECK(guest_recv(i, &h, body, sizeof(body)) && h.type == XS_ERROR &&
	      !strcmp(body, "ENOENT") && h.req_id == 4,
	      "old transaction is gone (%s)", body);
	t_write_s(d0, 0, "/local/domain/4/w/x", "3");
	ring_conns_poll(&x);
	CHECK(!guest_recv(i, &h, body, sizeof(body)), "old watch is gone");
	guest_send(g, XS_READ, 5, 0, "/local/domain/4/w/x");
	CHECK(guest_recv(i, &h, body, sizeof(body)) && h.type == XS_READ &&
	      h.req_id == 5 && !strcmp(body, "3"), "served after reconnect");

	/* Errors: the ring stops, says why, and a reconnect revives it. */
	h = (struct xsd_sockmsg){ XS_READ, 6, 0, XENSTORE_PAYLOAD_MAX + 1 };
	guest_put(i, &h, sizeof(h));
	ring_conn_event(g);
	CHECK(g->dead && i->error == XENSTORE_ERROR_PROTO,
	      "oversized message: error PROTO (%u)", i->error);
	guest_send(g, XS_READ, 7, 0, "/local/domain/4/w/x");
	CHECK(!guest_recv(i, &h, body, sizeof(body)), "dead ring not served");
	guest_reconnect(g);
	CHECK(!g->dead && ring_empty_connected(i) && kicks > 0,
	      "reconnect after an error: error cleared, ring live");
	guest_send(g, XS_READ, 8, 0, "/local/domain/4/w/x");
	CHECK(guest_recv(i, &h, body, sizeof(body)) && h.req_id == 8 &&
	      !strcmp(body, "3"), "served again");
	i->rsp_cons = i->rsp_prod + 7;
	guest_send(g, XS_READ, 9, 0, "/local/domain/4/w/x");
	CHECK(g->dead && i->error == XENSTORE_ERROR_RINGIDX,
	      "consumer past producer: error RINGIDX (%u)", i->error);
	guest_reconnect(g);
	CHECK(!g->dead && ring_empty_connected(i), "reconnect again");

	/* XS_INTRODUCE again (soft reset): the same, driven by dom0. */
	guest_send(g, XS_WATCH, 10, 0, "/local/domain/4/w|t2");
	CHECK(g->nr_watches == 1, "new watch");
	kicks = 0;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "4|55|10")), ""),
	      "re-introduce");
	CHECK(g == domain_find(&x, 4)->conn && g->nr_watches == 0 &&
	      ring_empty_connected(i) && kicks > 0,
	      "re-introduce resets the connection and the ring");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "4|56|10")), "EINVAL"),
	      "re-introduce with another page: EINVAL");
	xsd_fini(&x);
}

int main(void)
{
	test_raw_ring();
	test_ring_conn();
	test_reconnect();
	return check_done();
}
