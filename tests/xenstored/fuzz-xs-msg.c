/* libFuzzer: arbitrary bytes as the request stream of xenstored
 * connections (dom0 and an unprivileged domain on sockets, and an
 * in-memory ring domain with reconnections), through the very parser and
 * handlers the daemon runs.  Must never crash, leak or trip a sanitizer. */
#include <stddef.h>
#include <stdint.h>

#include "xs_guest.h"
#include "xs_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xsd x;
	struct xsd_conn *c[2], *g;
	size_t off = 1;

	if (size < 1 || xsd_init(&x))
		return 0;
	x.introduce_hook = t_mem_introduce;
	x.control_no_files = true; /* no stray files from logfile/memreport */
	/* Small quotas so the fuzzer reaches their paths quickly. */
	if (data[0] & 0x80) {
		x.q.entry_nb = 8;
		x.q.watch_nb = 2;
		x.q.transaction = 2;
		x.q.trans_nodes = 8;
		x.q.outstanding = 2;
		x.q.memory = 4096;
	}
	c[0] = t_conn(&x, 0);
	c[1] = t_conn(&x, 5);
	g = domain_introduce(&x, c[0], 7, 1, 1) ? NULL : domain_find(&x, 7)->conn;
	if (c[0] && c[1] && g) {
		struct xenstore_domain_interface *i =
			((struct xsd_ring *)g->tp_data)->intf;

		/* Chunks: a length byte, then that many bytes to one side:
		 * dom0's socket, domain 5's, or domain 7's ring (where a
		 * chunk may first ask for a reconnection). */
		while (off < size) {
			size_t n = data[off++] + 1, which = n % 3;
			char sink[XENSTORE_RING_SIZE];

			if (n > size - off)
				n = size - off;
			if (which < 2) {
				if (!c[which]->dead)
					conn_feed(c[which], data + off, n);
				t_drain(c[which]);
			} else {
				if (n > 1 && data[off] == 0xfe)
					i->connection = XENSTORE_RECONNECT;
				guest_put(i, data + off, n);
				ring_conn_event(g);
				ring_conns_poll(&x);
				guest_get(i, sink, sizeof(sink));
			}
			off += n;
		}
	}
	xsd_fini(&x);
	return 0;
}
