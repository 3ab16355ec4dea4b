/* In-process xenstored for tests: connections whose bytes go to memory. */
#ifndef XENOLITH_TESTS_XS_TEST_UTIL_H
#define XENOLITH_TESTS_XS_TEST_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct tbuf {
	char *data;
	size_t len, cap;
};

static ssize_t t_read(struct xsd_conn *c, void *buf, size_t len)
{
	(void)c; (void)buf; (void)len;
	return 0;
}

static ssize_t t_write(struct xsd_conn *c, const void *buf, size_t len)
{
	struct tbuf *b = c->tp_data;

	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			abort();
	}
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	return (ssize_t)len;
}

static void t_destroy(struct xsd_conn *c)
{
	struct tbuf *b = c->tp_data;

	free(b->data);
	free(b);
}

static const struct xsd_transport t_transport = {
	.read = t_read, .write = t_write, .destroy = t_destroy,
};

static inline struct xsd_conn *t_conn(struct xsd *x, uint32_t domid)
{
	struct tbuf *b = calloc(1, sizeof(*b));

	return b ? conn_new(x, &t_transport, b, -1, domid) : NULL;
}

/* One message as received by the client. */
struct tmsg {
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

/* Take the oldest message the connection got; false if none. */
static inline bool t_next(struct xsd_conn *c, struct tmsg *m)
{
	struct tbuf *b;

	conn_flush(c);
	b = c->tp_data;
	if (b->len < sizeof(m->h))
		return false;
	memcpy(&m->h, b->data, sizeof(m->h));
	if (m->h.len > XENSTORE_PAYLOAD_MAX ||
	    b->len < sizeof(m->h) + m->h.len)
		return false;
	memcpy(m->body, b->data + sizeof(m->h), m->h.len);
	m->body[m->h.len] = '\0';
	memmove(b->data, b->data + sizeof(m->h) + m->h.len,
		b->len - sizeof(m->h) - m->h.len);
	b->len -= sizeof(m->h) + m->h.len;
	return true;
}

static inline void t_drain(struct xsd_conn *c)
{
	struct tmsg m;

	while (t_next(c, &m))
		;
}

/* Send a request (payload of len bytes) and return its reply. */
static inline struct tmsg *t_req(struct xsd_conn *c, uint32_t type,
				 uint32_t tx, const void *p, size_t len)
{
	static struct tmsg m;
	struct xsd_sockmsg h = { type, 77, tx, (uint32_t)len };
	char buf[sizeof(h) + XENSTORE_PAYLOAD_MAX];

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, len);
	conn_feed(c, buf, sizeof(h) + len);
	/* Skip watch events: tests read those with t_event. */
	for (;;) {
		if (!t_next(c, &m)) {
			m.h.type = XS_INVALID;
			m.body[0] = '\0';
			return &m;
		}
		if (m.h.type != XS_WATCH_EVENT)
			return &m;
	}
}

/* Request with NUL-separated args given as one string with '|' marks. */
static inline struct tmsg *t_cmd(struct xsd_conn *c, uint32_t type,
				 uint32_t tx, const char *args)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t len = strlen(args) + 1;

	memcpy(buf, args, len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '|')
			buf[i] = '\0';
	return t_req(c, type, tx, buf, len);
}

/* Error name of a reply, or "" on success. */
static inline const char *t_err(const struct tmsg *m)
{
	return m->h.type == XS_ERROR ? m->body : "";
}

static inline const char *t_write_s(struct xsd_conn *c, uint32_t tx,
				    const char *path, const char *val)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return t_err(t_req(c, XS_WRITE, tx, buf, pl + vl));
}

static inline void t_mem_ring_free(struct xsd_ring *r)
{
	free(r->intf);
	free(r);
}

/* A domain being introduced gets an in-memory ring page that its
 * connection owns (freed with it); notify may be NULL. */
static inline int t_mem_ring(struct xsd *x, struct xsd_domain *d,
			     void (*notify)(struct xsd_ring *r))
{
	struct xsd_ring *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->intf = calloc(1, sizeof(*r->intf));
	r->notify = notify;
	r->release = t_mem_ring_free;
	if (!r->intf || !ring_conn_new(x, r, d->domid)) {
		t_mem_ring_free(r);
		return -ENOMEM;
	}
	return 0;
}

/* As an introduce_hook: a ring that nobody is told about. */
static inline int t_mem_introduce(struct xsd *x, struct xsd_domain *d)
{
	return t_mem_ring(x, d, NULL);
}

#endif
