/* Watches: indexed by path so that a change costs one lookup per
 * ancestor of the changed node, whatever the number of watches. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

static struct xsd_watch **bucket(struct xsd *x, uint32_t h)
{
	return &x->whash[h & (x->whash_n - 1)];
}

int watch_add(struct xsd *x, struct xsd_conn *c, const char *path,
	      const char *token, bool relative)
{
	uint32_t h = xsd_hash(path, strlen(path));
	struct xsd_watch *w;

	for (w = c->watches; w; w = w->cnext)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return -EEXIST;
	if (!conn_is_priv(c) && c->dom &&
	    domain_quota_hit(x, c, "watch-nb", c->dom->nr_watches + 1,
			     x->q.watch_nb))
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	w->conn = c;
	w->hash = h;
	w->relative = relative;
	w->cnext = c->watches;
	c->watches = w;
	w->hnext = *bucket(x, h);
	*bucket(x, h) = w;
	c->nr_watches++;
	x->nr_watches++;
	if (c->dom) {
		c->dom->nr_watches++;
		c->dom->memory += (long)(sizeof(*w) + strlen(path) +
					 strlen(token));
	}
	return 0;
}

static void watch_unlink(struct xsd *x, struct xsd_watch *w)
{
	struct xsd_watch **pp;
	struct xsd_conn *c = w->conn;

	for (pp = bucket(x, w->hash); *pp; pp = &(*pp)->hnext) {
		if (*pp == w) {
			*pp = w->hnext;
			break;
		}
	}
	c->nr_watches--;
	x->nr_watches--;
	if (c->dom) {
		c->dom->nr_watches--;
		c->dom->memory -= (long)(sizeof(*w) + strlen(w->path) +
					 strlen(w->token));
	}
	free(w->path);
	free(w->token);
	free(w);
}

int watch_del(struct xsd *x, struct xsd_conn *c, const char *path,
	      const char *token)
{
	struct xsd_watch **pp;

	for (pp = &c->watches; *pp; pp = &(*pp)->cnext) {
		struct xsd_watch *w = *pp;

		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->cnext;
			watch_unlink(x, w);
			return 0;
		}
	}
	return -ENOENT;
}

void watch_del_all(struct xsd *x, struct xsd_conn *c)
{
	while (c->watches) {
		struct xsd_watch *w = c->watches;

		c->watches = w->cnext;
		watch_unlink(x, w);
	}
}

void watch_send(struct xsd_conn *c, const struct xsd_watch *w,
		const char *path)
{
	char *buf = c->x->scratch;
	size_t pl, tl;

	if (w->relative) {
		char home[32];
		int hl = snprintf(home, sizeof(home), "/local/domain/%" PRIu32
				  "/", c->domid);

		if (!strncmp(path, home, (size_t)hl))
			path += hl;
	}
	pl = strlen(path);
	tl = strlen(w->token);
	if (pl + tl + 2 > sizeof(c->x->scratch))
		return;
	memcpy(buf, path, pl + 1);
	memcpy(buf + pl + 1, w->token, tl + 1);
	conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, pl + tl + 2, true);
}

static void fire_one(struct xsd *x, const char *wpath, size_t wlen,
		     const char *path, const struct xsd_node *perm_node)
{
	uint32_t h = xsd_hash(wpath, wlen);
	struct xsd_watch *w;

	for (w = *bucket(x, h); w; w = w->hnext) {
		if (w->hash != h || strncmp(w->path, wpath, wlen) ||
		    w->path[wlen])
			continue;
		if (w->conn->dead)
			continue;
		/* Watchers only learn about nodes they may read. */
		if (perm_node && !(perm_for_conn(x, w->conn, perm_node) &
				   XSD_PERM_READ))
			continue;
		watch_send(w->conn, w, path);
	}
}

/* A change at path: watches on path (and, unless exact, its ancestors). */
void watch_fire(struct xsd *x, const char *path, bool exact,
		const struct xsd_node *perm_node)
{
	size_t len = strlen(path);

	if (!x->nr_watches)
		return;
	fire_one(x, path, len, path, perm_node);
	if (exact || path[0] != '/')
		return;
	while (len > 1) {
		while (len > 0 && path[len - 1] != '/')
			len--;
		len = len > 1 ? len - 1 : 1;
		fire_one(x, path, len, path, perm_node);
	}
}

void watch_fire_special(struct xsd *x, const char *name)
{
	size_t l = strlen(name);
	struct xsd_node *n = ntable_find(&x->tree, name, l, xsd_hash(name, l));

	watch_fire(x, name, true, n);
}
