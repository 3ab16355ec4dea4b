/* libFuzzer: arbitrary bytes as the state stream a live update reads.
 * Must never crash, leak or trip a sanitizer; and what a stream restores,
 * written out and read again, must give the very same stream. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xs_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int f_global(void *ctx, int socket_fd, int evtchn_fd)
{
	(void)ctx; (void)socket_fd; (void)evtchn_fd;
	return 0;
}

static struct xsd_conn *f_socket(void *ctx, int fd)
{
	struct xsd_conn *c = fd >= 0 ? t_conn(ctx, 0) : NULL;

	if (c)
		c->fd = fd; /* a number only: t_transport never uses it */
	return c;
}

static struct xsd_conn *f_ring(void *ctx, uint32_t domid, uint32_t tdomid,
			       uint32_t port)
{
	(void)tdomid; (void)port;
	return domid < XSD_DOMID_MAX ? t_conn(ctx, domid) : NULL;
}

static int restore(struct xsd *x, const void *buf, size_t len)
{
	struct lu_restore_ops ops = { f_global, f_socket, f_ring, x };
	char why[256];

	if (xsd_init(x))
		abort();
	x->control_no_files = true;
	return lustate_read(x, buf, len, &ops, why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xsd a, b;
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;

	if (!restore(&a, data, size) && !lustate_dump(&a, 3, -1, &d1, &l1)) {
		if (restore(&b, d1, l1) || lustate_dump(&b, 3, -1, &d2, &l2) ||
		    l1 != l2 || memcmp(d1, d2, l1))
			abort();
		xsd_fini(&b);
	}
	free(d1);
	free(d2);
	xsd_fini(&a);
	return 0;
}
