/* Guest consoles: found through xenstore, ring mapped by grant ref 0 (or
 * by foreign mapping of ring-ref), event channel bound, output to a pty
 * and the log, pty input back into the ring. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include "console.h"

#define SCAN_BATCH 64

static char *xs_read_str(struct daemon *d, const char *fmt, uint32_t domid)
{
	char path[96];
	unsigned int len;

	snprintf(path, sizeof(path), fmt, domid);
	return xs_read(d->xs, XBT_NULL, path, &len);
}

static int xs_read_uint(struct daemon *d, const char *fmt, uint32_t domid,
			unsigned long *out)
{
	char *s = xs_read_str(d, fmt, domid), *end;
	int rc = -1;

	if (s) {
		errno = 0;
		*out = strtoul(s, &end, 10);
		rc = (errno || end == s || *end) ? -1 : 0;
		free(s);
	}
	return rc;
}

static int open_pty(struct daemon *d, struct guest *g)
{
	char path[96];
	struct termios t;
	const char *slave;
	int fd;

	g->master_fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (g->master_fd < 0 || grantpt(g->master_fd) < 0 || unlockpt(g->master_fd) < 0)
		goto fail;
	slave = ptsname(g->master_fd);
	if (!slave)
		goto fail;
	/* Raw mode, set through the slave: what attaches gets bytes as sent. */
	fd = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	close(fd);
	snprintf(path, sizeof(path), "/local/domain/%u/console/tty", g->domid);
	if (!xs_write(d->xs, XBT_NULL, path, slave, (unsigned int)strlen(slave))) {
		console_log("domain %u: cannot write %s: %s", g->domid, path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	console_log("domain %u: no pty: %s", g->domid, strerror(errno));
	if (g->master_fd >= 0)
		close(g->master_fd);
	g->master_fd = -1;
	return -1;
}

/* Connects a guest whose console nodes are complete; returns 0 when it is
 * served, 1 when it is not ready yet or not ours, -1 on failure. */
static int guest_connect(struct daemon *d, struct guest *g)
{
	unsigned long ring_ref, port;
	char *type, *name, file[192];
	int local;

	type = xs_read_str(d, "/local/domain/%u/console/type", g->domid);
	if (type && strcmp(type, "xenconsoled") != 0) {
		free(type);
		return 1;	/* served by QEMU or another backend */
	}
	free(type);
	if (xs_read_uint(d, "/local/domain/%u/console/ring-ref", g->domid, &ring_ref) < 0 ||
	    xs_read_uint(d, "/local/domain/%u/console/port", g->domid, &port) < 0)
		return 1;
	name = xs_read_str(d, "/local/domain/%u/name", g->domid);
	snprintf(g->name, sizeof(g->name), "%s", name ? name : "");
	free(name);

	g->ring = xengnttab_map_grant_ref(d->xgt, g->domid, GNTTAB_RESERVED_CONSOLE,
					  PROT_READ | PROT_WRITE);
	g->ring_by_grant = g->ring != NULL;
	if (!g->ring) {
		uint64_t pfn = ring_ref;

		g->ring = xenforeignmemory_map(d->fmem, g->domid, PROT_READ | PROT_WRITE, 1,
					       &pfn, NULL);
	}
	if (!g->ring) {
		console_log("domain %u: cannot map console ring %lu: %s", g->domid, ring_ref,
			    strerror(errno));
		return -1;
	}
	local = xenevtchn_bind_interdomain(d->xce, g->domid, (evtchn_port_t)port);
	if (local < 0) {
		console_log("domain %u: cannot bind console port %lu: %s", g->domid, port,
			    strerror(errno));
		return -1;
	}
	g->local_port = local;
	g->remote_port = (int)port;
	if (open_pty(d, g) < 0)
		return -1;
	if (d->opts.log_guest) {
		snprintf(file, sizeof(file), "guest-%s.log", g->name[0] ? g->name : "unnamed");
		g->log_fd = log_open(&d->opts, file);
	}
	console_log("domain %u (%s): console on %s", g->domid, g->name, ptsname(g->master_fd));
	guest_handle_event(d, g);
	return 0;
}

void guest_release(struct daemon *d, struct guest *g)
{
	struct guest **pp;

	for (pp = &d->guests; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
	if (g->ring) {
		if (g->ring_by_grant)
			xengnttab_unmap(d->xgt, g->ring, 1);
		else
			xenforeignmemory_unmap(d->fmem, g->ring, 1);
	}
	if (g->local_port >= 0)
		xenevtchn_unbind(d->xce, (evtchn_port_t)g->local_port);
	if (g->master_fd >= 0)
		close(g->master_fd);
	if (g->log_fd >= 0)
		close(g->log_fd);
	buffer_free(&g->out);
	free(g);
}

static struct guest *guest_find(struct daemon *d, uint32_t domid)
{
	struct guest *g;

	for (g = d->guests; g; g = g->next)
		if (g->domid == domid)
			return g;
	return NULL;
}

struct guest *guest_by_port(struct daemon *d, int port)
{
	struct guest *g;

	for (g = d->guests; g; g = g->next)
		if (g->local_port == port)
			return g;
	return NULL;
}

static void guest_track(struct daemon *d, uint32_t domid)
{
	struct guest *g = guest_find(d, domid);
	char path[64];

	if (!g) {
		g = calloc(1, sizeof(*g));
		if (!g)
			return;
		g->domid = domid;
		g->local_port = g->remote_port = -1;
		g->master_fd = g->log_fd = -1;
		g->log_at_line_start = true;
		g->next = d->guests;
		d->guests = g;
		/* libxl writes the console nodes before introducing the domain,
		 * but a watch on them also covers other toolstacks' order. */
		snprintf(path, sizeof(path), "/local/domain/%u/console", domid);
		xs_watch(d->xs, path, "console");
	}
	g->seen = true;
	if (!g->ring && guest_connect(d, g) < 0) {
		/* Undo the partial connection; a later event retries. */
		if (g->ring) {
			if (g->ring_by_grant)
				xengnttab_unmap(d->xgt, g->ring, 1);
			else
				xenforeignmemory_unmap(d->fmem, g->ring, 1);
			g->ring = NULL;
		}
		if (g->local_port >= 0)
			xenevtchn_unbind(d->xce, (evtchn_port_t)g->local_port);
		g->local_port = -1;
	}
}

void guests_scan(struct daemon *d)
{
	xc_domaininfo_t info[SCAN_BATCH];
	struct guest *g, *next;
	uint32_t first = 1;
	int n, i;

	for (g = d->guests; g; g = g->next)
		g->seen = false;
	do {
		n = xc_domain_getinfolist(d->xch, first, SCAN_BATCH, info);
		if (n < 0) {
			console_log("listing domains: %s", strerror(errno));
			return;	/* keep what we have rather than drop everyone */
		}
		for (i = 0; i < n; i++)
			if (!(info[i].flags & XEN_DOMINF_dying))
				guest_track(d, info[i].domain);
		if (n)
			first = info[n - 1].domain + 1u;
	} while (n == SCAN_BATCH);
	for (g = d->guests; g; g = next) {
		next = g->next;
		if (!g->seen) {
			char path[64];

			if (g->ring)
				guest_handle_event(d, g);	/* last words */
			snprintf(path, sizeof(path), "/local/domain/%u/console", g->domid);
			xs_unwatch(d->xs, path, "console");
			console_log("domain %u (%s): gone", g->domid, g->name);
			guest_release(d, g);
		}
	}
}

void guest_flush_pty(struct guest *g)
{
	ssize_t n;

	while (g->out.len && g->master_fd >= 0) {
		n = write(g->master_fd, g->out.data, g->out.len);
		if (n <= 0)
			return;	/* nobody reading: keep it, bounded */
		buffer_consume(&g->out, (size_t)n);
	}
}

/* Guest output: ring -> log and pty. */
void guest_handle_event(struct daemon *d, struct guest *g)
{
	struct xencons_interface *r = g->ring;
	XENCONS_RING_IDX cons, prod;
	char chunk[XENCONS_OUT_SIZE];
	size_t len = 0;

	if (!r)
		return;
	cons = r->out_cons;
	prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > XENCONS_OUT_SIZE) {
		console_log("domain %u: console ring indices corrupt (cons %u prod %u); resetting",
			    g->domid, cons, prod);
		cons = prod;
	}
	if (!d->opts.overflow_keep || g->out.len < CONSOLE_BUFFER_MAX) {
		while (cons != prod)
			chunk[len++] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
		__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
	}
	if (len) {
		log_write(g->log_fd, chunk, len, d->opts.timestamp_guest, &g->log_at_line_start);
		buffer_append(&g->out, chunk, len);
		guest_flush_pty(g);
		/* Room freed: tell the guest, and only then. */
		xenevtchn_notify(d->xce, (evtchn_port_t)g->local_port);
	}
}

/* pty input -> ring, as much as the ring has room for. */
void guest_handle_pty(struct daemon *d, struct guest *g)
{
	struct xencons_interface *r = g->ring;
	XENCONS_RING_IDX cons, prod;
	char chunk[XENCONS_IN_SIZE];
	size_t room;
	ssize_t n;

	if (!r)
		return;
	cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	prod = r->in_prod;
	room = XENCONS_IN_SIZE - (prod - cons);
	if (prod - cons > XENCONS_IN_SIZE || room == 0)
		return;
	n = read(g->master_fd, chunk, room);
	if (n <= 0)
		return;
	for (ssize_t i = 0; i < n; i++)
		r->in[MASK_XENCONS_IDX(prod++, r->in)] = chunk[i];
	__atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
	xenevtchn_notify(d->xce, (evtchn_port_t)g->local_port);
}
