/* The hypervisor's console log (xl dmesg) copied to hypervisor.log as it
 * grows: VIRQ_CON_RING says when, readconsole (incremental) says what. */
#include <errno.h>
#include <string.h>
#include <xen/event_channel.h>
#include "console.h"

#define HVLOG_CHUNK 16384

int hvlog_start(struct daemon *d)
{
	d->hv_log_fd = log_open(&d->opts, "hypervisor.log");
	if (d->hv_log_fd < 0)
		return -1;
	d->hv_port = xenevtchn_bind_virq(d->xce, VIRQ_CON_RING);
	if (d->hv_port < 0) {
		console_log("cannot bind VIRQ_CON_RING: %s", strerror(errno));
		return -1;
	}
	hvlog_drain(d);
	return 0;
}

void hvlog_drain(struct daemon *d)
{
	char buf[HVLOG_CHUNK];
	unsigned int n;

	do {
		n = sizeof(buf);
		if (xc_readconsolering(d->xch, buf, &n, 0, 1, &d->hv_index) < 0) {
			console_log("reading the hypervisor log: %s", strerror(errno));
			return;
		}
		log_write(d->hv_log_fd, buf, n, d->opts.timestamp_hv, &d->hv_at_line_start);
	} while (n == sizeof(buf));
}
