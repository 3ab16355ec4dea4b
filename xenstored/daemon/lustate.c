/*
 * The state a live update hands from the old daemon to the new one, in
 * the stream format Xen's daemons use (docs/designs/xenstore-migration.md
 * in Xen): an 8-byte "xenstore" identifier, a big-endian version (1) and
 * an endianness flag, then records of {u32 type, u32 length} and a body
 * padded to 8 bytes, in the writer's byte order.  Records used:
 *   GLOBAL  the listening socket and the event channel device (fds);
 *   CONN    a socket (its fd) or a domain's ring (domid, target, local
 *           event channel port), with its unread request bytes and its
 *           unwritten reply bytes (the first one maybe partly written);
 *   WATCH   path as the client gave it, and token;
 *   NODE    path, value and permissions; also the two special watch
 *           nodes, whose permissions are all they carry;
 *   END.
 * Transactions are not carried over (as with Xen 4.17): the update waits
 * for them or, when forced, drops them.
 *
 * Reading checks every length against the record holding it: the stream
 * is a file another program wrote.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

#define LU_IDENT "xenstore"

enum {
	REC_END = 0, REC_GLOBAL = 1, REC_CONN = 2, REC_WATCH = 3,
	REC_TXN = 4, REC_NODE = 5,
};
enum { CONN_RING = 0, CONN_SOCKET = 1 };

#define DOMID_INVALID 0x7ff4u

static const unsigned char version_be[4] = { 0, 0, 0, 1 };

/* Fixed parts of the bodies; fields read and written one by one. */
#define GLOBAL_SIZE 8
#define CONN_SIZE 24
#define WATCH_SIZE 8
#define NODE_SIZE 16
#define PERM_SIZE 4

static uint32_t host_flags(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 1u : 0u;
}

/* ---- writing ---- */

struct out {
	char *b;
	size_t len, cap;
	bool nomem;
};

static void *out_room(struct out *o, size_t n)
{
	if (o->nomem)
		return NULL;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		char *b;

		while (cap < o->len + n)
			cap *= 2;
		b = realloc(o->b, cap);
		if (!b) {
			o->nomem = true;
			return NULL;
		}
		o->b = b;
		o->cap = cap;
	}
	o->len += n;
	return o->b + o->len - n;
}

static void put(struct out *o, const void *p, size_t n)
{
	void *d = out_room(o, n);

	if (d && n)
		memcpy(d, p, n);
}

static void put32(struct out *o, uint32_t v) { put(o, &v, 4); }
static void put16(struct out *o, uint16_t v) { put(o, &v, 2); }

/* Start a record; rec_end fills in its padded length. */
static size_t rec_start(struct out *o, uint32_t type)
{
	size_t at = o->len;

	put32(o, type);
	put32(o, 0);
	return at;
}

static void rec_end(struct out *o, size_t at)
{
	size_t body = o->len - at - 8, pad = (8 - body % 8) % 8;
	uint32_t len = (uint32_t)(body + pad);
	void *d = out_room(o, pad);

	if (!d)
		return;
	memset(d, 0, pad);
	memcpy(o->b + at + 4, &len, 4);
}

static uint8_t perm_char(uint32_t perms)
{
	switch (perms & (XSD_PERM_READ | XSD_PERM_WRITE)) {
	case XSD_PERM_READ: return 'r';
	case XSD_PERM_WRITE: return 'w';
	case XSD_PERM_READ | XSD_PERM_WRITE: return 'b';
	default: return 'n';
	}
}

static void put_node(struct out *o, const struct xsd_node *n)
{
	size_t at = rec_start(o, REC_NODE);

	put32(o, 0); /* not in a transaction */
	put32(o, 0);
	put16(o, (uint16_t)(n->namelen + 1));
	put16(o, (uint16_t)n->vlen);
	put16(o, 0);
	put16(o, n->nperms);
	for (uint16_t i = 0; i < n->nperms; i++) {
		uint8_t p[2] = { perm_char(n->perms[i].perms), 0 };

		put(o, p, 2);
		put16(o, (uint16_t)n->perms[i].id);
	}
	put(o, n->name, n->namelen);
	put(o, "", 1);
	put(o, n->value, n->vlen);
	rec_end(o, at);
}

/* Parents before children, as the reader needs them.  path: room for
 * any child's name (one buffer for the whole walk, not one per level). */
static void put_tree(struct xsd *x, struct out *o, const struct xsd_node *n,
		     char *path)
{
	size_t off = 0;

	put_node(o, n);
	while (off < n->childlen && !o->nomem) {
		const char *child = n->children + off;
		size_t clen = strlen(child), plen = n->namelen > 1 ?
						     n->namelen : 0;
		const struct xsd_node *c;

		off += clen + 1;
		if (plen + 1 + clen > XENSTORE_ABS_PATH_MAX)
			continue;
		memcpy(path, n->name, plen);
		path[plen] = '/';
		memcpy(path + plen + 1, child, clen);
		c = ntable_find(&x->tree, path, plen + 1 + clen,
				xsd_hash(path, plen + 1 + clen));
		if (c)
			put_tree(x, o, c, path);
	}
}

/* The first message of the pending output may be partly written. */
static uint32_t out_partial(const struct xsd_conn *c)
{
	if (c->out_msg_start >= c->out_sent)
		return 0;
	return (uint32_t)(c->out_msg_start + c->out_msg_len - c->out_sent);
}

static void put_watches(struct out *o, const struct xsd_conn *c,
			uint32_t id)
{
	const struct xsd_watch **ws, *w;
	char home[40];
	size_t hlen, n = 0;

	if (!c->watches)
		return;
	for (w = c->watches; w; w = w->cnext)
		n++;
	ws = malloc(n * sizeof(*ws));
	if (!ws) {
		o->nomem = true;
		return;
	}
	n = 0;
	for (w = c->watches; w; w = w->cnext)
		ws[n++] = w;
	hlen = (size_t)snprintf(home, sizeof(home), "/local/domain/%" PRIu32
				"/", c->domid);
	/* Oldest first: the reader adds each at the front, as WATCH did. */
	while (n--) {
		const char *p = ws[n]->path, *token = ws[n]->token;
		size_t at = rec_start(o, REC_WATCH);

		if (ws[n]->relative && !strncmp(p, home, hlen))
			p += hlen;
		put32(o, id);
		put16(o, (uint16_t)(strlen(p) + 1));
		put16(o, (uint16_t)(strlen(token) + 1));
		put(o, p, strlen(p) + 1);
		put(o, token, strlen(token) + 1);
		rec_end(o, at);
	}
	free(ws);
}

static void put_conn(struct xsd *x, struct out *o, const struct xsd_conn *c,
		     uint32_t id)
{
	size_t at = rec_start(o, REC_CONN), outlen = c->out_len - c->out_off;
	const struct xsd_lu *lu = x->lu;
	bool answer = lu && lu->conn == c;
	struct xsd_sockmsg ok;

	put32(o, id);
	if (c->fd >= 0) {
		put16(o, CONN_SOCKET);
		put16(o, 0);
		put32(o, (uint32_t)c->fd);
		put32(o, 0);
	} else {
		const struct xsd_ring *r = c->tp_data;
		uint32_t t = c->dom ? c->dom->target : UINT32_MAX;

		put16(o, CONN_RING);
		put16(o, 0);
		put16(o, (uint16_t)c->domid);
		put16(o, (uint16_t)(t == UINT32_MAX ? DOMID_INVALID : t));
		put32(o, r->local_port);
	}
	if (answer) {
		ok = lu->req;
		ok.len = 3;
	}
	put16(o, (uint16_t)c->in_len);
	put16(o, (uint16_t)out_partial(c));
	put32(o, (uint32_t)(outlen + (answer ? sizeof(ok) + 3 : 0)));
	put(o, c->in, c->in_len);
	put(o, c->out + c->out_off, outlen);
	if (answer) {
		put(o, &ok, sizeof(ok));
		put(o, "OK", 3);
	}
	rec_end(o, at);
	put_watches(o, c, id);
}

int lustate_dump(struct xsd *x, int socket_fd, int evtchn_fd, char **buf,
		 size_t *len)
{
	static const char *const special[] = { "@releaseDomain",
					       "@introduceDomain" };
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct out o = { 0 };
	struct xsd_conn *c, *last = NULL;
	const struct xsd_node *root;
	uint32_t id = 0;
	size_t at;

	put(&o, LU_IDENT, 8);
	put(&o, version_be, 4);
	put32(&o, host_flags());

	at = rec_start(&o, REC_GLOBAL);
	put32(&o, (uint32_t)socket_fd);
	put32(&o, (uint32_t)evtchn_fd);
	rec_end(&o, at);

	/* Oldest connection first, so the reader rebuilds the same list. */
	for (c = x->conns; c; c = c->next)
		last = c;
	for (c = last; c; c = c->prev) {
		if (c->fd >= 0 ? c->dead : !ring_conn_is(c))
			continue;
		put_conn(x, &o, c, ++id);
	}
	for (unsigned int i = 0; i < 2; i++) {
		const struct xsd_node *n = ntable_find(&x->tree, special[i],
			strlen(special[i]), xsd_hash(special[i],
						     strlen(special[i])));
		if (n)
			put_node(&o, n);
	}
	root = ntable_find(&x->tree, "/", 1, xsd_hash("/", 1));
	if (root)
		put_tree(x, &o, root, path);
	at = rec_start(&o, REC_END);
	rec_end(&o, at);
	if (o.nomem) {
		free(o.b);
		return -ENOMEM;
	}
	*buf = o.b;
	*len = o.len;
	return 0;
}

/* ---- reading ---- */

struct in {
	const unsigned char *p;
	size_t len;
	char *err;
	size_t errlen;
};

static int bad(struct in *in, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct in *in, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(in->err, in->errlen, "offset %zu: ", off);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < in->errlen)
		vsnprintf(in->err + n, in->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* A NUL-terminated string of exactly len bytes (the NUL included). */
static bool is_cstr(const unsigned char *p, size_t len)
{
	return len && memchr(p, 0, len) == p + len - 1;
}

struct conn_ids {
	uint32_t *id;
	struct xsd_conn **c;  /* NULL: skipped by the hook */
	size_t n, cap;
};

static int ids_add(struct conn_ids *t, uint32_t id, struct xsd_conn *c)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		uint32_t *ni = realloc(t->id, cap * sizeof(*ni));
		struct xsd_conn **nc;

		if (!ni)
			return -ENOMEM;
		t->id = ni;
		nc = realloc(t->c, cap * sizeof(*nc));
		if (!nc)
			return -ENOMEM;
		t->c = nc;
		t->cap = cap;
	}
	t->id[t->n] = id;
	t->c[t->n++] = c;
	return 0;
}

/* Index of id, or -1. */
static long ids_find(const struct conn_ids *t, uint32_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->id[i] == id)
			return (long)i;
	return -1;
}

/* Put a connection's pending bytes back: requests to be read again,
 * replies to be written (a partly written one first, as bare bytes). */
static int restore_data(struct in *in, size_t off, struct xsd_conn *c,
			const unsigned char *d, size_t in_len,
			size_t partial, size_t out_len)
{
	size_t pos = partial;

	if (partial > out_len)
		return bad(in, off, "partial reply longer than the output");
	while (pos < out_len) {
		struct xsd_sockmsg h;

		if (out_len - pos < sizeof(h))
			return bad(in, off, "output ends inside a header");
		memcpy(&h, d + in_len + pos, sizeof(h));
		if (h.len > XENSTORE_PAYLOAD_MAX ||
		    out_len - pos - sizeof(h) < h.len)
			return bad(in, off, "output message of %" PRIu32
				   " bytes does not fit", h.len);
		pos += sizeof(h) + h.len;
	}
	if (in_len) {
		c->in = malloc(in_len > 65536 ? in_len : 65536);
		if (!c->in)
			return -ENOMEM;
		c->in_cap = in_len > 65536 ? in_len : 65536;
		memcpy(c->in, d, in_len);
		c->in_len = in_len;
	}
	if (out_len) {
		c->out = malloc(out_len);
		if (!c->out)
			return -ENOMEM;
		c->out_cap = out_len;
		memcpy(c->out, d + in_len, out_len);
		c->out_len = out_len;
	}
	c->out_msg_start = c->out_sent;
	c->out_msg_len = (uint32_t)partial;
	for (pos = partial; pos < out_len;) {
		struct xsd_sockmsg h;

		memcpy(&h, c->out + pos, sizeof(h));
		if (h.type == XS_WATCH_EVENT)
			evq_note(c, c->out_sent + pos,
				 (uint32_t)(sizeof(h) + h.len));
		else
			c->pending++;
		pos += sizeof(h) + h.len;
	}
	return 0;
}

static int read_conn(struct in *in, size_t off,
		     const unsigned char *b, size_t len,
		     const struct lu_restore_ops *ops, struct conn_ids *ids)
{
	uint32_t id, out_len;
	uint16_t type, in_len, partial;
	struct xsd_conn *c;
	int err;

	if (len < CONN_SIZE)
		return bad(in, off, "connection record too short");
	id = get32(b);
	type = get16(b + 4);
	in_len = get16(b + 16);
	partial = get16(b + 18);
	out_len = get32(b + 20);
	if (!id || ids_find(ids, id) >= 0)
		return bad(in, off, "connection id %" PRIu32 " is zero or "
			   "used twice", id);
	if ((size_t)in_len + out_len > len - CONN_SIZE)
		return bad(in, off, "connection data longer than its record");
	if (type == CONN_SOCKET) {
		c = ops->socket(ops->ctx, (int)get32(b + 8));
	} else if (type == CONN_RING) {
		uint16_t t = get16(b + 10);

		c = ops->ring(ops->ctx, get16(b + 8),
			      t == DOMID_INVALID ? UINT32_MAX : t,
			      get32(b + 12));
	} else {
		return bad(in, off, "unknown connection type %u", type);
	}
	err = ids_add(ids, id, c);
	if (err || !c)
		return err;
	return restore_data(in, off, c, b + CONN_SIZE, in_len, partial,
			    out_len);
}

static int read_watch(struct xsd *x, struct in *in, size_t off,
		      const unsigned char *b, size_t len,
		      const struct conn_ids *ids)
{
	char path[XENSTORE_ABS_PATH_MAX + 2];
	const char *wpath, *token;
	uint16_t plen, tlen;
	struct xsd_conn *c;
	long i;
	int err;

	if (len < WATCH_SIZE)
		return bad(in, off, "watch record too short");
	plen = get16(b + 4);
	tlen = get16(b + 6);
	i = ids_find(ids, get32(b));
	if (i < 0)
		return bad(in, off, "watch of unknown connection %" PRIu32,
			   get32(b));
	if ((size_t)plen + tlen > len - WATCH_SIZE ||
	    !is_cstr(b + WATCH_SIZE, plen) ||
	    !is_cstr(b + WATCH_SIZE + plen, tlen))
		return bad(in, off, "watch path or token malformed");
	c = ids->c[i];
	if (!c)
		return 0; /* its connection was not restored */
	wpath = (const char *)b + WATCH_SIZE;
	token = wpath + plen;
	err = path_canonical(x, c, wpath, path, sizeof(path), true);
	if (!err)
		err = watch_add(x, c, path, token, wpath[0] != '/' &&
				wpath[0] != '@');
	if (err && err != -EEXIST)
		xsd_logf(x, LOG_ERR, "live-update: watch %s of domain %" PRIu32
			 " not restored: %s", wpath, c->domid,
			 xsd_errname(-err));
	return 0;
}

static int read_node(struct xsd *x, struct in *in, size_t off,
		     const unsigned char *b, size_t len)
{
	struct xsd_perm perms[XENSTORE_PAYLOAD_MAX / PERM_SIZE];
	char canon[XENSTORE_ABS_PATH_MAX + 2];
	uint16_t plen, vlen, nperms;
	const unsigned char *p;
	const char *path;
	int err;

	if (len < NODE_SIZE)
		return bad(in, off, "node record too short");
	plen = get16(b + 8);
	vlen = get16(b + 10);
	nperms = get16(b + 14);
	if ((size_t)nperms * PERM_SIZE + plen + vlen > len - NODE_SIZE)
		return bad(in, off, "node data longer than its record");
	if (get32(b))
		return 0; /* a transaction's copy: transactions end here */
	p = b + NODE_SIZE + (size_t)nperms * PERM_SIZE;
	path = (const char *)p;
	if (!is_cstr(p, plen))
		return bad(in, off, "node path malformed");
	if (!nperms || nperms > sizeof(perms) / sizeof(perms[0]))
		return bad(in, off, "node %s: %u permissions", path, nperms);
	if (vlen > XENSTORE_PAYLOAD_MAX)
		return bad(in, off, "node %s: value of %u bytes", path, vlen);
	err = path_canonical(x, NULL, path, canon, sizeof(canon), true);
	if (err || strcmp(canon, path))
		return bad(in, off, "node path %s is not canonical", path);
	for (uint16_t i = 0; i < nperms; i++) {
		const unsigned char *q = b + NODE_SIZE + (size_t)i * PERM_SIZE;

		switch (q[0]) {
		case 'r': perms[i].perms = XSD_PERM_READ; break;
		case 'w': perms[i].perms = XSD_PERM_WRITE; break;
		case 'b': perms[i].perms = XSD_PERM_READ | XSD_PERM_WRITE;
			  break;
		case 'n': perms[i].perms = XSD_PERM_NONE; break;
		default:
			return bad(in, off, "node %s: permission '%c'", path,
				   q[0]);
		}
		perms[i].id = get16(q + 2);
	}
	err = store_restore_node(x, path, plen - 1u, p + plen, vlen, perms,
				 nperms);
	if (err == -ENOENT)
		return bad(in, off, "node %s comes before its parent", path);
	return err;
}

int lustate_read(struct xsd *x, const void *buf, size_t len,
		 const struct lu_restore_ops *ops, char *err, size_t errlen)
{
	struct in in = { buf, len, err, errlen };
	struct conn_ids ids = { 0 };
	bool global = false;
	size_t off = 16;
	int ret = 0;

	if (len < 16 || memcmp(buf, LU_IDENT, 8))
		return bad(&in, 0, "not a xenstore state stream");
	if (memcmp(in.p + 8, version_be, 4))
		return bad(&in, 8, "stream version unknown (not 1)");
	if (get32(in.p + 12) != host_flags())
		return bad(&in, 12, "stream of the other byte order");
	for (;;) {
		uint32_t type, rlen;
		const unsigned char *b;

		if (len - off < 8) {
			ret = bad(&in, off, "no END record");
			break;
		}
		type = get32(in.p + off);
		rlen = get32(in.p + off + 4);
		if (rlen > len - off - 8 || rlen % 8) {
			ret = bad(&in, off, "record of %" PRIu32 " bytes",
				  rlen);
			break;
		}
		b = in.p + off + 8;
		if (type == REC_END)
			break;
		if ((type == REC_CONN || type == REC_WATCH) && !global) {
			ret = bad(&in, off, "record before the global one");
			break;
		}
		switch (type) {
		case REC_GLOBAL:
			if (rlen < GLOBAL_SIZE || global) {
				ret = bad(&in, off, "bad global record");
				break;
			}
			global = true;
			ret = ops->global(ops->ctx, (int)get32(b),
					  (int)get32(b + 4));
			break;
		case REC_CONN:
			ret = read_conn(&in, off, b, rlen, ops, &ids);
			break;
		case REC_WATCH:
			ret = read_watch(x, &in, off, b, rlen, &ids);
			break;
		case REC_NODE:
			ret = read_node(x, &in, off, b, rlen);
			break;
		default:
			/* REC_TXN and newer kinds: as Xen's reader, skip. */
			xsd_logf(x, LOG_INFO, "live-update: record type %"
				 PRIu32 " skipped", type);
			break;
		}
		if (ret)
			break;
		off += 8 + rlen;
	}
	if (!ret && !global)
		ret = bad(&in, off, "no global record");
	free(ids.id);
	free(ids.c);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}
