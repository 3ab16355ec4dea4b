/* The backend of one vbd: follows the XenbusState handshake of its
 * backend directory against the frontend's, maps the frontend's ring
 * (gntdev) and binds its event channel once the frontend is
 * Initialised, and serves requests until the frontend closes. Node
 * names and the handshake are those of xen/io/blkif.h and
 * xen/io/xenbus.h. The process ends when:
 *   - the frontend closed and the toolstack set online=0 (detach);
 *   - the backend directory went (the toolstack removed the device);
 *   - the frontend directory went (the guest was destroyed): then it
 *     removes its own backend directory, which nobody else may know. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>
#include "qd.h"

enum { XBS_INITIALISING = 1, XBS_INITWAIT = 2, XBS_INITIALISED = 3, XBS_CONNECTED = 4,
       XBS_CLOSING = 5, XBS_CLOSED = 6 };

struct qd_dev {
	struct xs_handle *xs;
	xengnttab_handle *gt;
	xenevtchn_handle *xe;
	char be[160], fe[160];
	unsigned int domid;
	struct qd_image img;
	bool cdrom, discard;
	int state;			/* ours, as last written */
	void *ring_page;
	int port;			/* local port, -1 when unbound */
	struct qd_ring ring;
};

static void logf_(const struct qd_dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const struct qd_dev *d, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xen-qdisk %s: ", d->be);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static char *rd(struct qd_dev *d, const char *dir, const char *key)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, key);
	return xs_read(d->xs, XBT_NULL, p, NULL);
}

static bool wr(struct qd_dev *d, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool wr(struct qd_dev *d, const char *key, const char *fmt, ...)
{
	char p[256], v[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	snprintf(p, sizeof(p), "%s/%s", d->be, key);
	return xs_write(d->xs, XBT_NULL, p, v, (unsigned int)strlen(v));
}

/* Our state, only while the backend directory exists (a write would
 * recreate a directory the toolstack just removed). */
static void set_state(struct qd_dev *d, int st)
{
	for (int tries = 0; tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(d->xs);
		char p[256], v[4], *cur;

		if (t == XBT_NULL)
			return;
		snprintf(p, sizeof(p), "%s/frontend-id", d->be);
		cur = xs_read(d->xs, t, p, NULL);
		if (cur) {
			snprintf(p, sizeof(p), "%s/state", d->be);
			snprintf(v, sizeof(v), "%d", st);
			xs_write(d->xs, t, p, v, (unsigned int)strlen(v));
			free(cur);
		}
		if (xs_transaction_end(d->xs, t, false) || errno != EAGAIN)
			break;
	}
	d->state = st;
}

/* A node's integer value, or dflt when it is missing or not a number. */
static long rd_long(struct qd_dev *d, const char *dir, const char *key, long dflt)
{
	char *v = rd(d, dir, key), *end;
	long n = dflt;

	if (v) {
		n = strtol(v, &end, 10);
		if (end == v || *end)
			n = dflt;
	}
	free(v);
	return n;
}

static void *gnt_map(void *ctx, uint32_t gref, bool into)
{
	struct qd_dev *d = ctx;

	return xengnttab_map_grant_ref(d->gt, d->domid, gref,
				       into ? PROT_READ | PROT_WRITE : PROT_READ);
}

static void gnt_unmap(void *ctx, void *addr)
{
	struct qd_dev *d = ctx;

	xengnttab_unmap(d->gt, addr, 1);
}

static void disconnect(struct qd_dev *d)
{
	if (d->port >= 0)
		xenevtchn_unbind(d->xe, (evtchn_port_t)d->port);
	d->port = -1;
	if (d->ring_page)
		xengnttab_unmap(d->gt, d->ring_page, 1);
	d->ring_page = NULL;
}

static void serve(struct qd_dev *d)
{
	struct qd_grants g = { gnt_map, gnt_unmap, d };
	bool notify;

	if (!d->ring_page)
		return;
	qd_ring_serve(&d->ring, &d->img, &g, &notify);
	if (notify)
		xenevtchn_notify(d->xe, (evtchn_port_t)d->port);
	if (d->ring.broken) {
		logf_(d, "the frontend's ring indexes are inconsistent; closing");
		disconnect(d);
		set_state(d, XBS_CLOSING);
	}
}

/* The frontend is Initialised: map its ring and event channel, say how
 * large the disk is, and go Connected. */
static int connect_fe(struct qd_dev *d)
{
	long ref = rd_long(d, d->fe, "ring-ref", -1), evt = rd_long(d, d->fe, "event-channel", -1);
	long order = rd_long(d, d->fe, "ring-page-order", 0);
	char *proto = rd(d, d->fe, "protocol");
	int port;

	if (proto && strcmp(proto, "x86_64-abi")) {
		logf_(d, "frontend protocol %s is not supported (x86_64-abi is)", proto);
		free(proto);
		return -1;
	}
	free(proto);
	if (ref < 0 || evt < 0 || order != 0) {
		logf_(d, "frontend %s: ring-ref %ld, event-channel %ld, ring-page-order %ld: need one "
		      "ring page and an event channel", d->fe, ref, evt, order);
		return -1;
	}
	d->ring_page = xengnttab_map_grant_ref(d->gt, d->domid, (uint32_t)ref,
					       PROT_READ | PROT_WRITE);
	if (!d->ring_page) {
		logf_(d, "mapping ring grant %ld of domain %u: %s", ref, d->domid, strerror(errno));
		return -1;
	}
	port = xenevtchn_bind_interdomain(d->xe, d->domid, (evtchn_port_t)evt);
	if (port < 0) {
		logf_(d, "binding event channel %ld of domain %u: %s", evt, d->domid,
		      strerror(errno));
		disconnect(d);
		return -1;
	}
	d->port = port;
	qd_ring_init(&d->ring, d->ring_page);
	wr(d, "sector-size", "%u", QD_SECTOR);
	wr(d, "sectors", "%llu", (unsigned long long)(d->img.size / QD_SECTOR));
	wr(d, "info", "%u", (d->cdrom ? QD_VDISK_CDROM : 0) |
			    (d->img.readonly ? QD_VDISK_READONLY : 0));
	set_state(d, XBS_CONNECTED);
	logf_(d, "connected to domain %u (ring-ref %ld, event channel %ld)", d->domid, ref, evt);
	serve(d);
	return 0;
}

/* Opens the image from params ("FORMAT:PATH", or a bare path for raw)
 * and mode; on failure the reason is in hotplug-error for the
 * toolstack, and the backend goes Closed. */
static int open_image(struct qd_dev *d)
{
	char *params = rd(d, d->be, "params"), *mode = rd(d, d->be, "mode");
	char *dtype = rd(d, d->be, "device-type"), err[512] = "", *path, *colon;
	enum qd_format fmt = QD_FMT_RAW;
	bool ro;
	int rc = -1;

	d->cdrom = dtype && !strcmp(dtype, "cdrom");
	ro = !mode || strcmp(mode, "w") || d->cdrom;
	d->discard = !ro && rd_long(d, d->be, "discard-enable", 0) == 1;
	if (!params || !params[0]) {
		snprintf(err, sizeof(err), "%s/params: no image given", d->be);
		goto out;
	}
	path = params;
	colon = strchr(params, ':');
	if (colon && colon != params && params[0] != '/') {
		*colon = 0;
		path = colon + 1;
		if (qd_format_parse(params, &fmt, err, sizeof(err)) < 0)
			goto out;
	}
	if (!path[0]) {
		snprintf(err, sizeof(err), "%s/params: an empty drive has no image to serve", d->be);
		goto out;
	}
	rc = qd_image_open(&d->img, path, fmt, ro, err, sizeof(err));
out:
	if (rc < 0) {
		logf_(d, "%s", err);
		wr(d, "hotplug-error", "xen-qdisk: %s", err);
		wr(d, "hotplug-status", "error");
	}
	free(params);
	free(mode);
	free(dtype);
	return rc < 0 ? -1 : 0;
}

static bool exists(struct qd_dev *d, const char *dir)
{
	char *v = rd(d, dir, "state");

	free(v);
	return v != NULL;
}

/* The per-domain directory goes with its last device (each daemon
 * removes its own device first, so the last one to look sees none). */
static void rm_parent_if_empty(struct qd_dev *d)
{
	char parent[160], *slash, **left;
	unsigned int n = 0;

	snprintf(parent, sizeof(parent), "%s", d->be);
	slash = strrchr(parent, '/');
	if (!slash)
		return;
	*slash = 0;
	left = xs_directory(d->xs, XBT_NULL, parent, &n);
	if (left && n == 0)
		xs_rm(d->xs, XBT_NULL, parent);
	free(left);
}

/* Reacts to the two state nodes: 1 to go on, 0 when done. */
static int step(struct qd_dev *d)
{
	int fs;

	if (!exists(d, d->be)) {
		logf_(d, "backend directory removed: exiting");
		return 0;
	}
	if (!exists(d, d->fe)) {
		logf_(d, "frontend %s gone: removing the backend and exiting", d->fe);
		disconnect(d);
		xs_rm(d->xs, XBT_NULL, d->be);
		rm_parent_if_empty(d);
		return 0;
	}
	fs = (int)rd_long(d, d->fe, "state", 0);
	switch (fs) {
	case XBS_INITIALISED:
	case XBS_CONNECTED:
		if (!d->ring_page && d->state == XBS_INITWAIT && connect_fe(d) < 0) {
			disconnect(d);
			set_state(d, XBS_CLOSING);
		}
		break;
	case XBS_CLOSING:
		disconnect(d);
		if (d->state != XBS_CLOSING && d->state != XBS_CLOSED)
			set_state(d, XBS_CLOSING);
		break;
	case XBS_CLOSED:
		disconnect(d);
		if (d->state != XBS_CLOSED)
			set_state(d, XBS_CLOSED);
		if (rd_long(d, d->be, "online", 1) == 0) {
			logf_(d, "frontend closed and device offline: exiting");
			return 0;
		}
		break;
	case XBS_INITIALISING:
	case XBS_INITWAIT:
		/* A frontend starting over (guest reboot, kexec). */
		if (d->state == XBS_CLOSED || d->state == XBS_CLOSING) {
			disconnect(d);
			set_state(d, XBS_INITWAIT);
		}
		break;
	default:
		break;
	}
	/* The toolstack asks for removal while the guest may still run:
	 * online=0 with the frontend never connected needs no handshake. */
	if (rd_long(d, d->be, "online", 1) == 0 && !d->ring_page &&
	    (fs == XBS_INITIALISING || fs == XBS_INITWAIT || fs == 0)) {
		set_state(d, XBS_CLOSED);
		logf_(d, "device offline before the frontend connected: exiting");
		return 0;
	}
	return 1;
}

static int setup(struct qd_dev *d, const char *be_path)
{
	char *fe;
	long domid;

	snprintf(d->be, sizeof(d->be), "%s", be_path);
	d->xs = xs_open(0);
	if (!d->xs) {
		logf_(d, "cannot connect to xenstore: %s", strerror(errno));
		return -1;
	}
	fe = rd(d, d->be, "frontend");
	domid = rd_long(d, d->be, "frontend-id", -1);
	if (!fe || domid <= 0 || domid >= 0x7ff0) {
		logf_(d, "no frontend or frontend-id under the backend directory");
		free(fe);
		return -1;
	}
	snprintf(d->fe, sizeof(d->fe), "%s", fe);
	free(fe);
	d->domid = (unsigned int)domid;
	if (open_image(d) < 0) {
		set_state(d, XBS_CLOSED);
		return -1;
	}
	d->gt = xengnttab_open(NULL, 0);
	d->xe = xenevtchn_open(NULL, 0);
	if (!d->gt || !d->xe) {
		logf_(d, "cannot open %s: %s", d->gt ? "/dev/xen/evtchn" : "/dev/xen/gntdev",
		      strerror(errno));
		wr(d, "hotplug-error", "xen-qdisk: cannot open %s (are xen-gntdev and xen-evtchn "
		   "loaded?)", d->gt ? "/dev/xen/evtchn" : "/dev/xen/gntdev");
		set_state(d, XBS_CLOSED);
		return -1;
	}
	wr(d, "feature-flush-cache", "1");
	wr(d, "feature-discard", "%d", d->discard ? 1 : 0);
	wr(d, "feature-persistent", "0");
	wr(d, "hotplug-status", "connected");
	if (!xs_watch(d->xs, d->be, "be") || !xs_watch(d->xs, d->fe, "fe")) {
		logf_(d, "xenstore watch: %s", strerror(errno));
		return -1;
	}
	set_state(d, XBS_INITWAIT);
	logf_(d, "serving %s (%s, %s, %llu bytes) to domain %u", d->img.name,
	      d->img.fmt == QD_FMT_QCOW2 ? "qcow2" : "raw", d->img.readonly ? "read-only" :
	      "read-write", (unsigned long long)d->img.size, d->domid);
	return 0;
}

int qd_xen_serve(const char *be_path)
{
	struct qd_dev d;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	d.img.fd = -1;
	d.port = -1;
	if (setup(&d, be_path) < 0)
		goto out;
	for (;;) {
		struct pollfd p[2] = { { .fd = xs_fileno(d.xs), .events = POLLIN },
				       { .fd = xenevtchn_fd(d.xe), .events = POLLIN } };

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			logf_(&d, "poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents & POLLIN) {
			int port = xenevtchn_pending(d.xe);

			if (port >= 0) {
				xenevtchn_unmask(d.xe, (evtchn_port_t)port);
				if (port == d.port)
					serve(&d);
			}
		}
		if (p[0].revents & POLLIN) {
			char **w;

			/* Drain; the nodes are read afresh anyway. */
			while ((w = xs_check_watch(d.xs)))
				free(w);
			if (step(&d) == 0) {
				rc = 0;
				break;
			}
		}
	}
out:
	disconnect(&d);
	if (d.xe)
		xenevtchn_close(d.xe);
	if (d.gt)
		xengnttab_close(d.gt);
	qd_image_close(&d.img);
	if (d.xs)
		xs_close(d.xs);
	return rc;
}
