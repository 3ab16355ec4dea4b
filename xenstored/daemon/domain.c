/* Domains: accounting for quotas, introduction and release. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

struct xsd_domain *domain_find(struct xsd *x, uint32_t domid)
{
	struct xsd_domain *d;

	if (domid == 0)
		return x->dom0;
	for (d = x->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* Find or create: nodes may name domains that are not introduced yet. */
struct xsd_domain *domain_get(struct xsd *x, uint32_t domid)
{
	struct xsd_domain *d = domain_find(x, domid);

	if (d || domid >= XSD_DOMID_MAX)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	d->target = UINT32_MAX;
	d->next = x->domains;
	x->domains = d;
	if (domid == 0)
		x->dom0 = d;
	return d;
}

bool domain_quota_hit(struct xsd *x, struct xsd_conn *c, const char *what,
		      long have, long limit)
{
	if (have <= limit)
		return false;
	xsd_logf(x, LOG_WARNING, "domain %" PRIu32 ": quota %s (%ld) "
		 "exceeded (%ld)", c ? c->domid : 0, what, limit, have);
	return true;
}

void domain_memory_add(struct xsd *x, uint32_t domid, long delta)
{
	struct xsd_domain *d = domain_get(x, domid);

	if (d)
		d->memory += delta;
}

int domain_introduce(struct xsd *x, struct xsd_conn *c, uint32_t domid,
		     uint64_t mfn, uint32_t port)
{
	struct xsd_domain *d;
	int err;

	if (domid >= XSD_DOMID_MAX)
		return -EINVAL;
	d = domain_get(x, domid);
	if (!d)
		return -ENOMEM;
	if (d->introduced) {
		/* Re-introduction (soft reset, kexec): same page only.  As in
		 * Xen's daemon the event channel is bound again and the
		 * connection starts afresh on an empty ring. */
		if (d->mfn != mfn)
			return -EINVAL;
		if (domid != 0 && d->conn && d->conn != c &&
		    ring_conn_is(d->conn)) {
			struct xsd_ring *r = d->conn->tp_data;

			if (port != d->port && r->rebind) {
				err = r->rebind(r, domid, port);
				if (err)
					return err;
			}
			ring_conn_restart(d->conn);
		}
		d->port = port;
		return 0;
	}
	if (domid != 0 || !d->conn) {
		if (!x->ring_ops && !x->introduce_hook)
			return -EINVAL;
		d->mfn = mfn;
		d->port = port;
		err = x->ring_ops ? ring_attach(x, d) : x->introduce_hook(x, d);
		if (err) {
			xsd_logf(x, LOG_ERR, "introduce of domain %" PRIu32
				 " failed: %s", domid, xsd_errname(-err));
			return err;
		}
	}
	d->introduced = true;
	d->shutdown = false;
	xsd_logf(x, LOG_INFO, "domain %" PRIu32 " introduced (mfn %#" PRIx64
		 ", port %" PRIu32 ")", domid, mfn, port);
	watch_fire_special(x, "@introduceDomain");
	return 0;
}

/* Nodes the domain owned go with it (or to dom0 with --keep-orphans). */
static void domain_drop_nodes(struct xsd *x, uint32_t domid)
{
	size_t nr = 0, cap = 0;
	char **names = NULL;

	for (size_t i = 0; i < x->tree.nbuckets; i++) {
		for (struct xsd_node *n = x->tree.b[i]; n; n = n->hnext) {
			if (n->perms[0].id != domid || n->name[0] != '/')
				continue;
			if (x->keep_orphans) {
				n->perms[0].id = 0;
				continue;
			}
			if (nr == cap) {
				size_t nc = cap ? cap * 2 : 16;
				char **nn = realloc(names, nc * sizeof(*nn));

				if (!nn)
					goto out;
				names = nn;
				cap = nc;
			}
			names[nr] = strndup(n->name, n->namelen);
			if (names[nr])
				nr++;
		}
	}
	if (x->keep_orphans) {
		struct xsd_domain *d = domain_find(x, domid);

		if (d && x->dom0) {
			x->dom0->nr_nodes += d->nr_nodes;
			x->dom0->memory += d->memory;
			d->nr_nodes = d->memory = 0;
		}
	}
	for (size_t i = 0; i < nr; i++)
		store_rm(x, NULL, NULL, names[i]); /* gone already is fine */
out:
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

int domain_release(struct xsd *x, uint32_t domid, bool fire)
{
	struct xsd_domain *d;

	if (domid == 0 || domid >= XSD_DOMID_MAX)
		return -EINVAL;
	d = domain_find(x, domid);
	if (!d || !d->introduced)
		return -ENOENT;
	if (d->conn) {
		struct xsd_conn *c = d->conn;

		/* The caller may be walking the connection list: park the
		 * connection, xsd_reap frees it. */
		conn_reset(c);
		c->dead = true;
		if (c->prev)
			c->prev->next = c->next;
		else
			x->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		c->prev = NULL;
		c->next = x->zombies;
		x->zombies = c;
		d->conn = NULL;
	}
	d->introduced = false;
	domain_drop_nodes(x, domid);
	for (struct xsd_domain *o = x->domains; o; o = o->next)
		if (o->target == domid)
			o->target = UINT32_MAX;
	d->target = UINT32_MAX;
	xsd_logf(x, LOG_INFO, "domain %" PRIu32 " released", domid);
	if (fire)
		watch_fire_special(x, "@releaseDomain");
	return 0;
}
