/*
 * The two byte rings of a xenstore_domain_interface, seen from xenstored:
 * we consume req[] and produce rsp[].  Pure memory logic, so it runs on a
 * page from gntdev, a foreign mapping or a test's malloc alike.
 */
#include <errno.h>
#include <string.h>

#include "xsd.h"

/* Indices are free-running; a producer more than a ring ahead of its
 * consumer is a broken (or hostile) peer. */
static bool ring_sane(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
	return (XENSTORE_RING_IDX)(prod - cons) <= XENSTORE_RING_SIZE;
}

size_t ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len,
		 int *err)
{
	XENSTORE_RING_IDX cons, prod;
	size_t done = 0;

	*err = 0;
	cons = __atomic_load_n(&intf->req_cons, __ATOMIC_RELAXED);
	prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
	if (!ring_sane(cons, prod)) {
		*err = -EIO;
		return 0;
	}
	while (done < len && cons != prod) {
		size_t off = MASK_XENSTORE_IDX(cons);
		size_t avail = (size_t)(XENSTORE_RING_IDX)(prod - cons);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (chunk > avail)
			chunk = avail;
		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)buf + done, intf->req + off, chunk);
		done += chunk;
		cons += (XENSTORE_RING_IDX)chunk;
	}
	/* Data copied out before the slot is handed back. */
	__atomic_store_n(&intf->req_cons, cons, __ATOMIC_RELEASE);
	return done;
}

size_t ring_write(struct xenstore_domain_interface *intf, const void *buf,
		  size_t len, int *err)
{
	XENSTORE_RING_IDX cons, prod;
	size_t done = 0;

	*err = 0;
	cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_RELAXED);
	if (!ring_sane(cons, prod)) {
		*err = -EIO;
		return 0;
	}
	while (done < len) {
		size_t used = (size_t)(XENSTORE_RING_IDX)(prod - cons);
		size_t off = MASK_XENSTORE_IDX(prod);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (used >= XENSTORE_RING_SIZE)
			break;
		if (chunk > XENSTORE_RING_SIZE - used)
			chunk = XENSTORE_RING_SIZE - used;
		if (chunk > len - done)
			chunk = len - done;
		memcpy(intf->rsp + off, (const char *)buf + done, chunk);
		done += chunk;
		prod += (XENSTORE_RING_IDX)chunk;
	}
	/* Data visible before the index that publishes it. */
	__atomic_store_n(&intf->rsp_prod, prod, __ATOMIC_RELEASE);
	return done;
}

bool ring_has_input(const struct xenstore_domain_interface *intf)
{
	return __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&intf->req_cons, __ATOMIC_RELAXED);
}

/* Reconnection: both queues empty, stale bytes unreadable as a valid
 * header (type 0xffffffff), no error; then, last and ordered after the
 * rest, the state the guest is waiting for. */
void ring_reset(struct xenstore_domain_interface *intf)
{
	memset(intf->req, 0xff, sizeof(intf->req));
	memset(intf->rsp, 0xff, sizeof(intf->rsp));
	intf->req_cons = intf->req_prod = 0;
	intf->rsp_cons = intf->rsp_prod = 0;
	intf->error = XENSTORE_ERROR_NONE;
	__atomic_store_n(&intf->connection, XENSTORE_CONNECTED,
			 __ATOMIC_RELEASE);
}
