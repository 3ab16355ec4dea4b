/* Attaching a domU ring at XS_INTRODUCE (ringmap.c) with injected
 * mapping primitives: grant first, the foreign frame if that fails, and
 * every failure unwound. */
#include <stdio.h>

#include "check.h"
#include "xs_guest.h"
#include "xs_test_util.h"

/* What the fake primitives did, and what they are told to do. */
struct fake {
	int grant_errno, foreign_errno, bind_err;  /* 0: succeed */
	int grant_maps, foreign_maps, grant_unmaps, foreign_unmaps;
	int binds, unbinds, notifies;
	uint32_t last_domid, last_port, last_unbound;
	uint64_t last_gfn, last_cookie;
	uint32_t next_local;
};

static void *fake_page(void)
{
	return calloc(1, 4096);
}

static void *f_map_grant(void *ctx, uint32_t domid, uint64_t *cookie)
{
	struct fake *f = ctx;

	f->last_domid = domid;
	if (f->grant_errno) {
		errno = f->grant_errno;
		return NULL;
	}
	f->grant_maps++;
	*cookie = 0x6700 + domid;
	return fake_page();
}

static void *f_map_foreign(void *ctx, uint32_t domid, uint64_t gfn,
			   uint64_t *cookie)
{
	struct fake *f = ctx;

	f->last_domid = domid;
	f->last_gfn = gfn;
	if (f->foreign_errno) {
		errno = f->foreign_errno;
		return NULL;
	}
	f->foreign_maps++;
	*cookie = 0xf000 + domid;
	return fake_page();
}

static void f_unmap(void *ctx, void *page, enum xsd_map_how how,
		    uint64_t cookie)
{
	struct fake *f = ctx;

	if (how == XSD_MAP_GRANT)
		f->grant_unmaps++;
	else if (how == XSD_MAP_FOREIGN)
		f->foreign_unmaps++;
	f->last_cookie = cookie;
	free(page);
}

static int f_bind(void *ctx, uint32_t domid, uint32_t port)
{
	struct fake *f = ctx;

	if (f->bind_err)
		return f->bind_err;
	f->binds++;
	f->last_domid = domid;
	f->last_port = port;
	return (int)f->next_local++;
}

static void f_unbind(void *ctx, uint32_t port)
{
	struct fake *f = ctx;

	f->unbinds++;
	f->last_unbound = port;
}

static void f_notify(void *ctx, uint32_t port)
{
	struct fake *f = ctx;

	(void)port;
	f->notifies++;
}

static const struct xsd_ring_ops fake_ops = {
	.map_grant = f_map_grant,
	.map_foreign = f_map_foreign,
	.unmap = f_unmap,
	.bind = f_bind,
	.unbind = f_unbind,
	.notify = f_notify,
};

static bool ok(const struct tmsg *m)
{
	return m->h.type == XS_INTRODUCE && !strcmp(m->body, "OK");
}

/* The guest's read of its own name works over the attached ring. */
static bool ring_serves(struct xsd_conn *g)
{
	struct xenstore_domain_interface *i =
		((struct xsd_ring *)g->tp_data)->intf;
	struct xsd_sockmsg h;
	char body[256];

	guest_send(g, XS_GET_DOMAIN_PATH, 42, 0, "5");
	return guest_recv(i, &h, body, sizeof(body)) && h.req_id == 42 &&
	       !strcmp(body, "/local/domain/5");
}

int main(void)
{
	static struct xsd x;
	struct fake f = { .next_local = 30 };
	struct xsd_conn *d0, *g;

	xsd_init(&x);
	x.ring_ops = &fake_ops;
	x.ring_ctx = &f;
	d0 = t_conn(&x, 0);

	/* Grant works: no foreign mapping tried. */
	CHECK(ok(t_cmd(d0, XS_INTRODUCE, 0, "5|4660|11")), "introduce 5");
	g = domain_find(&x, 5)->conn;
	CHECK(g && f.grant_maps == 1 && f.foreign_maps == 0 &&
	      ring_map_how(g) == XSD_MAP_GRANT, "mapped by grant");
	CHECK(f.binds == 1 && f.last_domid == 5 && f.last_port == 11 &&
	      ((struct xsd_ring *)g->tp_data)->local_port == 30,
	      "guest's port bound");
	CHECK(ring_serves(g), "requests served over the grant mapping");
	CHECK(f.notifies > 0, "guest signalled through the ops");

	/* XS_INTRODUCE again with a new port: bound anew, old unbound. */
	CHECK(ok(t_cmd(d0, XS_INTRODUCE, 0, "5|4660|12")), "re-introduce");
	CHECK(f.binds == 2 && f.last_port == 12 && f.unbinds == 1 &&
	      f.last_unbound == 30 &&
	      ((struct xsd_ring *)g->tp_data)->local_port == 31,
	      "event channel rebound");
	f.bind_err = -EBUSY;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "5|4660|13")), "EBUSY")
	      && ((struct xsd_ring *)g->tp_data)->local_port == 31 &&
	      f.unbinds == 1, "failed rebind: error, old port kept");
	f.bind_err = 0;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RELEASE, 0, "5")), ""), "release 5");
	xsd_reap(&x);
	CHECK(f.grant_unmaps == 1 && f.foreign_unmaps == 0 &&
	      f.last_cookie == 0x6705 && f.unbinds == 2,
	      "released: grant unmapped with its cookie, port unbound");

	/* Grant fails: the frame from XS_INTRODUCE is foreign-mapped. */
	f.grant_errno = EINVAL;
	CHECK(ok(t_cmd(d0, XS_INTRODUCE, 0, "6|305419896|14")), "introduce 6");
	g = domain_find(&x, 6)->conn;
	CHECK(g && f.foreign_maps == 1 && f.last_gfn == 305419896 &&
	      f.last_domid == 6 && ring_map_how(g) == XSD_MAP_FOREIGN,
	      "grant failed: foreign map of the given frame");
	CHECK(((struct xsd_ring *)g->tp_data)->intf->server_features ==
	      XSD_RING_FEATURES, "features offered on the foreign page");
	{
		struct xenstore_domain_interface *i =
			((struct xsd_ring *)g->tp_data)->intf;
		struct xsd_sockmsg h;
		char body[64];

		guest_send(g, XS_GET_DOMAIN_PATH, 43, 0, "6");
		CHECK(guest_recv(i, &h, body, sizeof(body)) &&
		      !strcmp(body, "/local/domain/6"),
		      "requests served over the foreign mapping");
	}
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RELEASE, 0, "6")), ""), "release 6");
	xsd_reap(&x);
	CHECK(f.foreign_unmaps == 1 && f.grant_unmaps == 1 &&
	      f.last_cookie == 0xf006, "released: unmapped as foreign");

	/* Both fail: an error, nothing introduced, nothing held. */
	f.foreign_errno = ENOENT;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "7|1|15")), "EINVAL"),
	      "no mapping at all: EINVAL");
	CHECK(!strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "7")->body, "F")
	      && !domain_find(&x, 7)->conn, "domain 7 not introduced");
	CHECK(f.binds == 3 && f.foreign_maps == 1,
	      "no port bound for it");

	/* Mapped but the port cannot be bound: the page is given back. */
	f.grant_errno = f.foreign_errno = 0;
	f.bind_err = -EACCES;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "8|2|16")), "EACCES"),
	      "bind fails: its error");
	CHECK(f.grant_maps == 2 && f.grant_unmaps == 2 &&
	      !domain_find(&x, 8)->conn &&
	      !strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "8")->body, "F"),
	      "page unmapped, domain 8 not introduced");
	f.bind_err = 0;
	CHECK(ok(t_cmd(d0, XS_INTRODUCE, 0, "8|2|16")), "then it works");

	xsd_fini(&x);
	CHECK(f.grant_maps + f.foreign_maps ==
	      f.grant_unmaps + f.foreign_unmaps && f.binds == f.unbinds,
	      "every mapping and binding undone at exit (%d/%d maps, %d/%d"
	      " binds)", f.grant_maps + f.foreign_maps,
	      f.grant_unmaps + f.foreign_unmaps, f.binds, f.unbinds);
	return check_done();
}
