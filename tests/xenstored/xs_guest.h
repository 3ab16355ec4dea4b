/* The guest's side of a xenstore ring page, for host tests. */
#ifndef XENOLITH_TESTS_XS_GUEST_H
#define XENOLITH_TESTS_XS_GUEST_H

#include <stdbool.h>
#include <string.h>

#include "xsd.h"

/* Put bytes on the request ring (as much as fits). */
static inline size_t guest_put(struct xenstore_domain_interface *i,
			       const void *p, size_t len)
{
	size_t done = 0;

	while (done < len && i->req_prod - i->req_cons < XENSTORE_RING_SIZE) {
		i->req[MASK_XENSTORE_IDX(i->req_prod)] =
			((const char *)p)[done++];
		i->req_prod++;
	}
	return done;
}

static inline size_t guest_get(struct xenstore_domain_interface *i, void *p,
			       size_t len)
{
	size_t done = 0;

	while (done < len && i->rsp_cons != i->rsp_prod) {
		((char *)p)[done++] = i->rsp[MASK_XENSTORE_IDX(i->rsp_cons)];
		i->rsp_cons++;
	}
	return done;
}

/* One request with '|'-separated NUL args; the daemon is kicked. */
static inline void guest_send(struct xsd_conn *c, uint32_t type,
			      uint32_t req_id, uint32_t tx, const char *args)
{
	struct xsd_ring *r = c->tp_data;
	struct xsd_sockmsg h = { type, req_id, tx, (uint32_t)strlen(args) + 1 };
	char buf[sizeof(h) + 256];

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), args, h.len);
	for (size_t k = sizeof(h); k < sizeof(h) + h.len; k++)
		if (buf[k] == '|')
			buf[k] = '\0';
	guest_put(r->intf, buf, sizeof(h) + h.len);
	ring_conn_event(c);
}

/* Next whole message on the response ring; false if none. */
static inline bool guest_recv(struct xenstore_domain_interface *i,
			      struct xsd_sockmsg *h, char *body, size_t max)
{
	XENSTORE_RING_IDX save = i->rsp_cons;

	if (i->rsp_prod - i->rsp_cons < sizeof(*h))
		return false;
	guest_get(i, h, sizeof(*h));
	if (h->len >= max || i->rsp_prod - i->rsp_cons < h->len) {
		i->rsp_cons = save;
		return false;
	}
	guest_get(i, body, h->len);
	body[h->len] = '\0';
	return true;
}

#endif
