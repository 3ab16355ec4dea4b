/* Transactions: a private overlay of every node touched, checked against
 * the global generations at commit (EAGAIN on any change), then applied. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

struct xsd_txn *txn_find(struct xsd_conn *c, uint32_t id)
{
	struct xsd_txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

int txn_start(struct xsd *x, struct xsd_conn *c, uint32_t *id)
{
	struct xsd_txn *t;

	if (!conn_is_priv(c) &&
	    domain_quota_hit(x, c, "transaction", (long)c->nr_txns + 1,
			     x->q.transaction))
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t || ntable_init(&t->nodes, 16)) {
		free(t);
		return -ENOMEM;
	}
	do {
		t->id = c->next_txid++;
		if (!t->id)
			t->id = c->next_txid++;
	} while (txn_find(c, t->id));
	t->started_ms = xsd_now_ms(x);
	t->next = c->txns;
	c->txns = t;
	c->nr_txns++;
	*id = t->id;
	return 0;
}

void txn_free(struct xsd_txn *t)
{
	struct xsd_event *e, *en;

	ntable_free(&t->nodes, true);
	free(t->order);
	for (e = t->events; e; e = en) {
		en = e->next;
		free(e);
	}
	free(t);
}

int txn_note_event(struct xsd_txn *t, const char *path, bool exact)
{
	size_t l = strlen(path);
	struct xsd_event *e = malloc(sizeof(*e) + l + 1);

	if (!e) {
		t->failed = true;
		return -ENOMEM;
	}
	memcpy(e->path, path, l + 1);
	e->exact = exact;
	e->next = NULL;
	if (t->events_last)
		t->events_last->next = e;
	else
		t->events = e;
	t->events_last = e;
	return 0;
}

static bool txn_conflicts(struct xsd *x, struct xsd_txn *t)
{
	for (size_t i = 0; i < t->nr_order; i++) {
		struct xsd_node *e = t->order[i];
		struct xsd_node *g = ntable_find(&x->tree, e->name, e->namelen,
						 e->hash);

		if ((g ? g->gen : 0) != e->gen)
			return true;
	}
	return false;
}

static void txn_apply(struct xsd *x, struct xsd_txn *t)
{
	for (size_t i = 0; i < t->nr_order; i++) {
		struct xsd_node *e = t->order[i];

		if (!(e->tflags & XSD_TN_DIRTY))
			continue;
		if (e->tflags & XSD_TN_ABSENT) {
			struct xsd_node *g = ntable_find(&x->tree, e->name,
							 e->namelen, e->hash);
			if (g)
				store_del_global(x, g);
			continue;
		}
		/* Move the private copy into the global table. */
		ntable_remove(&t->nodes, e);
		t->order[i] = NULL;
		e->tflags = 0;
		store_put_global(x, e);
	}
	t->nr_order = 0;
}

int txn_end(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t, bool commit)
{
	struct xsd_txn **pp;
	int err = 0;

	for (pp = &c->txns; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	c->nr_txns--;
	if (commit) {
		if (t->failed || txn_conflicts(x, t)) {
			err = -EAGAIN;
		} else {
			txn_apply(x, t);
			for (struct xsd_event *ev = t->events; ev;
			     ev = ev->next) {
				struct xsd_node *n = ntable_find(
					&x->tree, ev->path, strlen(ev->path),
					xsd_hash(ev->path, strlen(ev->path)));
				watch_fire(x, ev->path, ev->exact, n);
			}
		}
	}
	txn_free(t);
	return err;
}
