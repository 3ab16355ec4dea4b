/*
 * The tree as a request sees it: the global table, or a transaction's
 * copy-on-write overlay on top of it.  All changes to the global table go
 * through store_put_global/store_del_global so that generations and the
 * per-domain accounting stay right.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

static long node_mem(const struct xsd_node *n)
{
	return (long)(sizeof(*n) + n->namelen + node_size(n));
}

static void acct(struct xsd *x, uint32_t owner, long nodes, long mem)
{
	struct xsd_domain *d = domain_get(x, owner);

	if (!d)
		return;
	d->nr_nodes += nodes;
	d->memory += mem;
	/* -q memory: a warning, once per crossing. */
	if (owner && d->memory > x->q.memory_soft && !d->warned_soft) {
		d->warned_soft = true;
		xsd_logf(x, LOG_WARNING, "domain %" PRIu32 ": memory %ld above "
			 "soft quota %ld", owner, d->memory, x->q.memory_soft);
	} else if (d->memory <= x->q.memory_soft) {
		d->warned_soft = false;
	}
}

/* A node now in (or replacing one in) the global table. */
void store_put_global(struct xsd *x, struct xsd_node *n)
{
	struct xsd_node *old = ntable_find(&x->tree, n->name, n->namelen,
					   n->hash);

	if (old && old != n) {
		acct(x, old->perms[0].id, -1, -node_mem(old));
		ntable_remove(&x->tree, old);
		node_free(old);
		old = NULL;
	}
	n->gen = ++x->gen;
	if (!old) {
		ntable_insert(&x->tree, n);
		acct(x, n->perms[0].id, 1, node_mem(n));
	}
}

void store_del_global(struct xsd *x, struct xsd_node *n)
{
	acct(x, n->perms[0].id, -1, -node_mem(n));
	ntable_remove(&x->tree, n);
	node_free(n);
	x->gen++;
}

static struct xsd_node *global_get(struct xsd *x, const char *name, size_t len)
{
	return ntable_find(&x->tree, name, len, xsd_hash(name, len));
}

static int copy_content(struct xsd_node *dst, const struct xsd_node *src)
{
	if (node_set_value(dst, src->value, src->vlen) ||
	    node_set_perms(dst, src->perms, src->nperms))
		return -ENOMEM;
	return node_set_children(dst, src->children, src->childlen);
}

/* The overlay entry for name, recording the first access: a snapshot
 * of the node, so the transaction reads what it started from. */
static struct xsd_node *txn_entry(struct xsd *x, struct xsd_txn *t,
				  const char *name, size_t len, int *err)
{
	uint32_t h = xsd_hash(name, len);
	struct xsd_node *e = ntable_find(&t->nodes, name, len, h), *g;

	if (e)
		return e;
	if ((long)t->nodes.count >= x->q.trans_nodes) {
		xsd_logf(x, LOG_WARNING, "transaction %" PRIu32 ": quota "
			 "transaction-nodes (%ld) reached", t->id,
			 x->q.trans_nodes);
		t->failed = true;
		*err = -ENOSPC;
		return NULL;
	}
	g = ntable_find(&x->tree, name, len, h);
	if (t->nr_order == t->order_cap) {
		size_t cap = t->order_cap ? t->order_cap * 2 : 16;
		struct xsd_node **o = realloc(t->order, cap * sizeof(*o));

		if (!o) {
			*err = -ENOMEM;
			return NULL;
		}
		t->order = o;
		t->order_cap = cap;
	}
	e = node_alloc(name, len, g ? g->vlen : 0);
	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	if (g) {
		e->gen = g->gen;
		if (copy_content(e, g)) {
			node_free(e);
			*err = -ENOMEM;
			return NULL;
		}
	} else {
		e->tflags = XSD_TN_ABSENT;
	}
	ntable_insert(&t->nodes, e);
	t->order[t->nr_order++] = e;
	return e;
}

static struct xsd_node *view_get(struct xsd *x, struct xsd_txn *t,
				 const char *name, size_t len, int *err)
{
	struct xsd_node *e;

	*err = 0;
	if (!t)
		return global_get(x, name, len);
	e = txn_entry(x, t, name, len, err);
	if (!e || (e->tflags & XSD_TN_ABSENT))
		return NULL;
	return e;
}

struct xsd_node *store_get(struct xsd *x, struct xsd_txn *t, const char *path,
			   int *err)
{
	struct xsd_node *n = view_get(x, t, path, strlen(path), err);

	if (!n && !*err)
		*err = -ENOENT;
	return n;
}

/* A node of the view that the caller may change, then pass to view_done. */
static struct xsd_node *view_modify(struct xsd *x, struct xsd_txn *t,
				    const char *name, size_t len, int *err)
{
	struct xsd_node *e;

	*err = 0;
	if (!t) {
		e = global_get(x, name, len);
		if (!e)
			*err = -ENOENT;
		return e;
	}
	e = txn_entry(x, t, name, len, err);
	if (!e)
		return NULL;
	if (e->tflags & XSD_TN_ABSENT) {
		*err = -ENOENT;
		return NULL;
	}
	return e;
}

/* Old accounting values of a node about to change (global view only). */
struct before {
	uint32_t owner;
	long mem;
};

static void before_take(struct before *b, const struct xsd_node *n)
{
	b->owner = n->perms[0].id;
	b->mem = node_mem(n);
}

static void view_done(struct xsd *x, struct xsd_txn *t, struct xsd_node *n,
		      const struct before *b)
{
	if (t) {
		n->tflags |= XSD_TN_DIRTY;
		return;
	}
	acct(x, b->owner, -1, -b->mem);
	acct(x, n->perms[0].id, 1, node_mem(n));
	n->gen = ++x->gen;
}

static struct xsd_node *view_create(struct xsd *x, struct xsd_txn *t,
				    const char *name, size_t len, size_t vroom,
				    int *err)
{
	struct xsd_node *n;

	*err = 0;
	if (!t) {
		n = node_alloc(name, len, vroom);
		if (!n)
			*err = -ENOMEM;
		return n;
	}
	n = txn_entry(x, t, name, len, err);
	if (!n)
		return NULL;
	n->tflags = XSD_TN_DIRTY;
	return n;
}

static void view_created(struct xsd *x, struct xsd_txn *t, struct xsd_node *n)
{
	if (!t)
		store_put_global(x, n);
}

static void view_delete(struct xsd *x, struct xsd_txn *t, struct xsd_node *n)
{
	if (!t) {
		store_del_global(x, n);
		return;
	}
	n = txn_entry(x, t, n->name, n->namelen, &(int){0});
	if (!n)
		return;
	node_set_value(n, NULL, 0);
	free(n->children);
	n->children = NULL;
	n->childlen = 0;
	n->tflags = XSD_TN_ABSENT | XSD_TN_DIRTY;
}

static void note_event(struct xsd *x, struct xsd_txn *t, const char *path,
		       bool exact, const struct xsd_node *n)
{
	if (t)
		txn_note_event(t, path, exact);
	else
		watch_fire(x, path, exact, n);
}

/* Change an existing node's content in place with `set` (value or
 * permissions): accounted, and its watches fired. */
static int change_node(struct xsd *x, struct xsd_txn *t, const char *path, size_t len,
		       int (*set)(struct xsd_node *, const void *, size_t),
		       const void *arg, size_t n)
{
	struct xsd_node *node;
	struct before b;
	int err;

	node = view_modify(x, t, path, len, &err);
	if (!node)
		return err;
	before_take(&b, node);
	if (set(node, arg, n)) {
		if (t)
			t->failed = true;
		return -ENOMEM;
	}
	view_done(x, t, node, &b);
	note_event(x, t, path, false, node);
	return 0;
}

static int set_perms(struct xsd_node *n, const void *perms, size_t nr)
{
	return node_set_perms(n, perms, (uint32_t)nr);
}

static size_t parent_len(const char *name, size_t len)
{
	while (len > 0 && name[len - 1] != '/')
		len--;
	return len > 1 ? len - 1 : 1;
}

static bool quota_size(struct xsd *x, struct xsd_conn *c,
		       const struct xsd_node *n)
{
	if (conn_is_priv(c) || (long)node_size(n) < x->q.entry_size)
		return false;
	domain_quota_hit(x, c, "entry-size", (long)node_size(n),
			 x->q.entry_size);
	return true;
}

/* EACCES instead of ENOENT when the caller could not see the parent:
 * absence must not leak through unreadable nodes. */
static int absent_errno(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
			const char *path)
{
	size_t len = strlen(path);
	int err;

	if (conn_is_priv(c))
		return -ENOENT;
	while (len > 1) {
		struct xsd_node *p;

		len = parent_len(path, len);
		p = view_get(x, t, path, len, &err);
		if (err)
			return err;
		if (p)
			return (perm_for_conn(x, c, p) & XSD_PERM_READ) ?
				-ENOENT : -EACCES;
	}
	return -ENOENT;
}

int store_check_read(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		     const char *path, struct xsd_node **out)
{
	int err;
	struct xsd_node *n = view_get(x, t, path, strlen(path), &err);

	if (err)
		return err;
	if (!n)
		return absent_errno(x, c, t, path);
	if (!(perm_for_conn(x, c, n) & XSD_PERM_READ))
		return -EACCES;
	*out = n;
	return 0;
}

int store_write(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		const char *path, const void *val, size_t vlen, bool mkdir)
{
	size_t len = strlen(path), plen;
	struct xsd_node *n, *p;
	struct before b;
	int err, missing = 0;

	n = view_get(x, t, path, len, &err);
	if (err)
		return err;
	if (n) {
		if (!(perm_for_conn(x, c, n) & XSD_PERM_WRITE))
			return -EACCES;
		if (mkdir)
			return 0;
		if (!conn_is_priv(c) && (long)(node_size(n) - n->vlen + vlen) >=
		    x->q.entry_size) {
			domain_quota_hit(x, c, "entry-size",
					 (long)(node_size(n) - n->vlen + vlen),
					 x->q.entry_size);
			return -ENOSPC;
		}
		if (!conn_is_priv(c) && c->dom &&
		    c->dom->memory + (long)vlen > x->q.memory) {
			domain_quota_hit(x, c, "memory",
					 c->dom->memory + (long)vlen,
					 x->q.memory);
			return -ENOMEM;
		}
		return change_node(x, t, path, len, node_set_value, val, vlen);
	}

	/* Find the nearest existing ancestor; it must be writable. */
	plen = len;
	do {
		plen = parent_len(path, plen);
		missing++;
		p = view_get(x, t, path, plen, &err);
		if (err)
			return err;
	} while (!p && plen > 1);
	if (!p)
		return -ENOENT; /* no root: cannot happen */
	if (!(perm_for_conn(x, c, p) & XSD_PERM_WRITE))
		return -EACCES;
	if (!conn_is_priv(c) && c->dom) {
		long have = c->dom->nr_nodes + (t ? t->nodes_delta : 0) +
			    missing;

		if (domain_quota_hit(x, c, "entry-nb", have, x->q.entry_nb))
			return -ENOSPC;
		if (vlen + 64 * (size_t)missing + (size_t)c->dom->memory >
		    (size_t)x->q.memory) {
			domain_quota_hit(x, c, "memory", c->dom->memory +
					 (long)vlen, x->q.memory);
			return -ENOMEM;
		}
		if ((long)vlen + 8 >= x->q.entry_size) {
			domain_quota_hit(x, c, "entry-size", (long)vlen + 8,
					 x->q.entry_size);
			return -ENOSPC;
		}
	}

	/* Create the missing nodes top-down, each inheriting its parent's
	 * permissions; unprivileged domains own what they create. */
	while (plen < len) {
		size_t end = plen == 1 ? 1 : plen + 1, clen;
		struct xsd_perm *perms;
		uint16_t nperms;

		while (end < len && path[end] != '/')
			end++;
		clen = end - (plen == 1 ? 1 : plen + 1);
		p = view_modify(x, t, path, plen, &err);
		if (!p)
			goto fail;
		before_take(&b, p);
		if (node_add_child(p, path + end - clen, clen)) {
			err = -ENOMEM;
			goto fail;
		}
		if (quota_size(x, c, p)) {
			node_del_child(p, path + end - clen, clen);
			err = -ENOSPC;
			goto fail;
		}
		view_done(x, t, p, &b);
		perms = p->perms;
		nperms = p->nperms;
		n = view_create(x, t, path, end,
				end == len && !mkdir ? vlen : 0, &err);
		if (!n)
			goto fail;
		if (node_set_perms(n, perms, nperms) ||
		    (end == len && !mkdir && node_set_value(n, val, vlen))) {
			err = -ENOMEM;
			if (!t)
				node_free(n);
			goto fail;
		}
		if (!conn_is_priv(c))
			n->perms[0].id = c->domid;
		if (t)
			t->nodes_delta++;
		view_created(x, t, n);
		plen = end;
	}
	note_event(x, t, path, false, n);
	return 0;
fail:
	/* Earlier levels stay created, as with the C daemon's partial mkdir;
	 * in a transaction the commit is refused instead. */
	if (t)
		t->failed = true;
	return err;
}

/* Delete n and everything below it, children first. */
static int rm_tree(struct xsd *x, struct xsd_txn *t, struct xsd_node *n,
		   bool top)
{
	char *name = strndup(n->name, n->namelen);
	size_t off = 0;
	int err = 0;

	if (!name)
		return -ENOMEM;
	/* Children are looked up again each round: deleting changes n. */
	for (;;) {
		struct xsd_node *cur = view_get(x, t, name, strlen(name), &err);
		char cpath[XENSTORE_ABS_PATH_MAX + 2];
		struct xsd_node *child;
		int l;

		if (err || !cur || off >= cur->childlen)
			break;
		l = snprintf(cpath, sizeof(cpath), "%s/%s",
			     strcmp(name, "/") ? name : "",
			     cur->children + off);
		off += strlen(cur->children + off) + 1;
		if (l < 0 || (size_t)l >= sizeof(cpath))
			continue;
		child = view_get(x, t, cpath, (size_t)l, &err);
		if (err)
			break;
		if (child) {
			err = rm_tree(x, t, child, false);
			if (err)
				break;
		}
	}
	if (!err) {
		n = view_get(x, t, name, strlen(name), &err);
		if (n) {
			note_event(x, t, name, !top, n);
			view_delete(x, t, n);
		}
	}
	free(name);
	if (err && t)
		t->failed = true;
	return err;
}

int store_rm(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
	     const char *path)
{
	size_t len = strlen(path), plen;
	struct xsd_node *n, *p;
	struct before b;
	int err;

	if (len == 1 || path[0] != '/')
		return -EINVAL;
	n = view_get(x, t, path, len, &err);
	if (err)
		return err;
	plen = parent_len(path, len);
	if (!n) {
		/* Removing what is not there is fine if the parent is. */
		p = view_get(x, t, path, plen, &err);
		if (err)
			return err;
		return p ? 0 : absent_errno(x, c, t, path);
	}
	if (!(perm_for_conn(x, c, n) & XSD_PERM_WRITE))
		return -EACCES;
	p = view_modify(x, t, path, plen, &err);
	if (!p)
		return err;
	before_take(&b, p);
	node_del_child(p, path + plen + (plen > 1), len - plen - (plen > 1));
	view_done(x, t, p, &b);
	if (t)
		t->nodes_delta--;
	return rm_tree(x, t, n, true);
}

int store_set_perms(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		    const char *path, const struct xsd_perm *perms, uint32_t nr)
{
	size_t len = strlen(path);
	struct xsd_node *n;
	int err;

	n = view_get(x, t, path, len, &err);
	if (err)
		return err;
	if (!n)
		return absent_errno(x, c, t, path);
	if (!(perm_for_conn(x, c, n) & XSD_PERM_OWNER))
		return -EACCES;
	if (!conn_is_priv(c) &&
	    domain_quota_hit(x, c, "perm-nb", (long)nr, x->q.perm_nb))
		return -ENOSPC;
	return change_node(x, t, path, len, set_perms, perms, nr);
}

/* Live update: put a node back as the old daemon had it, no watch fired,
 * no quota applied.  Parents come before their children in the stream;
 * a node that already exists (those a fresh daemon starts with) takes
 * the value and permissions and keeps its children. */
int store_restore_node(struct xsd *x, const char *path, size_t len,
		       const void *val, size_t vlen, const struct xsd_perm *p,
		       uint32_t nr)
{
	struct xsd_node *n = global_get(x, path, len), *parent;
	struct before b;
	size_t plen;

	if (n) {
		before_take(&b, n);
		if (node_set_value(n, val, vlen) || node_set_perms(n, p, nr))
			return -ENOMEM;
		view_done(x, NULL, n, &b);
		return 0;
	}
	if (path[0] != '/' || len < 2)
		return -EINVAL;
	plen = parent_len(path, len);
	parent = global_get(x, path, plen);
	if (!parent)
		return -ENOENT;
	n = node_alloc(path, len, vlen);
	if (!n)
		return -ENOMEM;
	if (node_set_value(n, val, vlen) || node_set_perms(n, p, nr))
		goto fail;
	before_take(&b, parent);
	if (node_add_child(parent, path + plen + (plen > 1),
			   len - plen - (plen > 1)))
		goto fail;
	view_done(x, NULL, parent, &b);
	store_put_global(x, n);
	return 0;
fail:
	node_free(n);
	return -ENOMEM;
}
