/* Connections: framing of requests, the reply queue, back-pressure. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

#define IN_CHUNK 65536
/* Stop reading requests while this much output waits for the client. */
#define OUT_HIGH (1u << 20)
/* Watch events beyond this are dropped (a client that never reads). */
#define OUT_EVENT_MAX (8u << 20)

struct xsd_conn *conn_new(struct xsd *x, const struct xsd_transport *tp,
			  void *tp_data, int fd, uint32_t domid)
{
	struct xsd_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->x = x;
	c->tp = tp;
	c->tp_data = tp_data;
	c->fd = fd;
	c->domid = domid;
	c->dom = domain_get(x, domid);
	c->next_txid = 1;
	c->next = x->conns;
	if (x->conns)
		x->conns->prev = c;
	x->conns = c;
	return c;
}

/* Forget watches, transactions and buffered bytes (ring reconnect). */
void conn_reset(struct xsd_conn *c)
{
	watch_del_all(c->x, c);
	while (c->txns) {
		struct xsd_txn *t = c->txns;

		c->txns = t->next;
		txn_free(t);
	}
	c->nr_txns = 0;
	c->in_len = 0;
	c->out_off = c->out_len = 0;
	c->out_msg_start = c->out_sent;
	c->out_msg_len = 0;
	c->pending = 0;
	evq_clear(c);
}

void conn_free(struct xsd_conn *c)
{
	struct xsd *x = c->x;

	conn_reset(c);
	if (c->prev)
		c->prev->next = c->next;
	else if (x->conns == c)
		x->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->dom && c->dom->conn == c)
		c->dom->conn = NULL;
	if (x->lu && x->lu->conn == c)
		lu_end(x); /* who asked is gone: the session with it */
	if (c->tp && c->tp->destroy)
		c->tp->destroy(c);
	free(c->in);
	free(c->out);
	free(c);
}

int conn_queue(struct xsd_conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, size_t len, bool is_event)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };
	size_t need = sizeof(h) + len, queued = c->out_len - c->out_off;

	if (c->dead)
		return -EPIPE;
	if (is_event && queued > OUT_EVENT_MAX) {
		if (!c->dropped_events++)
			xsd_logf(c->x, LOG_WARNING, "connection of domain %"
				 PRIu32 " does not read: dropping watch "
				 "events", c->domid);
		return -ENOSPC;
	}
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 8192;
		char *n;

		/* Compact before growing. */
		if (c->out_off) {
			memmove(c->out, c->out + c->out_off, queued);
			c->out_len = queued;
			c->out_off = 0;
		}
		while (cap < c->out_len + need)
			cap *= 2;
		if (cap != c->out_cap) {
			n = realloc(c->out, cap);
			if (!n)
				return -ENOMEM;
			c->out = n;
			c->out_cap = cap;
		}
	}
	if (is_event)
		evq_note(c, c->out_sent + (c->out_len - c->out_off),
			 (uint32_t)need); /* untracked if ENOMEM: kept */
	memcpy(c->out + c->out_len, &h, sizeof(h));
	if (len)
		memcpy(c->out + c->out_len + sizeof(h), data, len);
	c->out_len += need;
	if (!is_event)
		c->pending++;
	if (c->x->log.trace)
		fprintf(c->x->log.trace, "OUT %p %s (%zu bytes)\n", (void *)c,
			xsd_type_name(type), len);
	return 0;
}

/* n more bytes were written: move past the messages now wholly out.
 * Runs before any compaction, so the bytes of a message that began in
 * this write are still in the buffer. */
static void out_advance(struct xsd_conn *c, size_t n)
{
	c->out_off += n;
	c->out_sent += (uint64_t)n;
	while (c->out_msg_start < c->out_sent) {
		if (!c->out_msg_len) {
			struct xsd_sockmsg h;
			size_t at = c->out_off -
				    (size_t)(c->out_sent - c->out_msg_start);

			memcpy(&h, c->out + at, sizeof(h));
			c->out_msg_len = (uint32_t)sizeof(h) + h.len;
		}
		if (c->out_msg_start + c->out_msg_len > c->out_sent)
			break;
		c->out_msg_start += c->out_msg_len;
		c->out_msg_len = 0;
	}
}

int conn_flush(struct xsd_conn *c)
{
	bool wrote = false;

	while (!c->dead && c->out_off < c->out_len) {
		ssize_t n = c->tp->write(c, c->out + c->out_off,
					 c->out_len - c->out_off);

		if (n < 0) {
			c->dead = true;
			break;
		}
		if (n == 0)
			break;
		out_advance(c, (size_t)n);
		wrote = true;
	}
	if (wrote)
		evq_sent(c);
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		c->pending = 0;
	}
	if (wrote && c->tp->kick)
		c->tp->kick(c);
	return c->dead ? -EPIPE : 0;
}

/* The caller wrote for us (batched sends): n bytes taken, or -errno. */
int conn_sent(struct xsd_conn *c, ssize_t n)
{
	if (n < 0) {
		if (n != -EAGAIN && n != -EINTR)
			c->dead = true;
	} else {
		out_advance(c, (size_t)n);
		evq_sent(c);
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		c->pending = 0;
	}
	if (n > 0 && c->tp->kick)
		c->tp->kick(c);
	return c->dead ? -EPIPE : 0;
}

static bool conn_may_process(const struct xsd_conn *c)
{
	if (c->dead || c->held || c->out_len - c->out_off > OUT_HIGH)
		return false;
	if (!conn_is_priv(c) && (long)c->pending >= c->x->q.outstanding)
		return false;
	return true;
}

bool conn_wants_input(const struct xsd_conn *c)
{
	return conn_may_process(c);
}

/* Handle every whole message in the buffer; -1 kills the connection. */
static int conn_process(struct xsd_conn *c)
{
	size_t pos = 0;
	int ret = 0;

	while (c->in_len - pos >= sizeof(struct xsd_sockmsg) &&
	       conn_may_process(c)) {
		struct xsd_sockmsg h;

		memcpy(&h, c->in + pos, sizeof(h));
		if (h.len > XENSTORE_PAYLOAD_MAX) {
			xsd_logf(c->x, LOG_WARNING, "domain %" PRIu32 ": "
				 "message of %" PRIu32 " bytes exceeds %d: "
				 "dropping connection", c->domid, h.len,
				 XENSTORE_PAYLOAD_MAX);
			c->dead = true;
			ret = -1;
			break;
		}
		if (c->in_len - pos < sizeof(h) + h.len)
			break;
		memcpy(c->x->inbuf, c->in + pos + sizeof(h), h.len);
		c->x->inbuf[h.len] = '\0';
		pos += sizeof(h) + h.len;
		handle_message(c, &h, c->x->inbuf);
	}
	if (pos) {
		memmove(c->in, c->in + pos, c->in_len - pos);
		c->in_len -= pos;
	}
	return ret;
}

int conn_feed(struct xsd_conn *c, const void *buf, size_t len)
{
	if (c->in_len + len > c->in_cap) {
		size_t cap = c->in_cap ? c->in_cap : IN_CHUNK;
		char *n;

		while (cap < c->in_len + len)
			cap *= 2;
		n = realloc(c->in, cap);
		if (!n)
			return -ENOMEM;
		c->in = n;
		c->in_cap = cap;
	}
	memcpy(c->in + c->in_len, buf, len);
	c->in_len += len;
	return conn_process(c);
}

/* Read what the transport has and handle it; -1 = connection is gone. */
int conn_input(struct xsd_conn *c)
{
	if (conn_process(c) < 0)
		return -1;
	while (conn_may_process(c)) {
		ssize_t n;

		if (!c->in) {
			c->in = malloc(IN_CHUNK);
			if (!c->in)
				return -1;
			c->in_cap = IN_CHUNK;
		}
		/* A whole message always fits: the buffer is compacted. */
		size_t space = c->in_cap - c->in_len;

		n = c->tp->read(c, c->in + c->in_len, space);
		if (n < 0) {
			c->dead = true;
			return -1;
		}
		if (n == 0)
			break;
		c->in_len += (size_t)n;
		if (conn_process(c) < 0)
			return -1;
		if ((size_t)n < space)
			break; /* drained; level-triggered polling wakes us */
	}
	return c->dead ? -1 : 0;
}
