/* Watching a domain's life: its state as the hypervisor reports it,
 * waiting for it to change (xenstored fires @releaseDomain when a domain
 * shuts down or dies, driven by VIRQ_DOM_EXC), and the requests that
 * change it from outside: a PV control shutdown/reboot, and preserving a
 * shut-down domain under another name. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xen/hvm/params.h>
#include "lx.h"

#define RELEASE_TOKEN "lx-release"

int lx_domain_state(struct lx_ctx *ctx, uint32_t domid, struct lx_dom_state *st)
{
	xc_domaininfo_t info;

	memset(st, 0, sizeof(*st));
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		if (errno == ESRCH || errno == ENOENT) {
			st->gone = true;
			return 0;
		}
		return -1;
	}
	st->dying = (info.flags & XEN_DOMINF_dying) != 0;
	st->shutdown = (info.flags & XEN_DOMINF_shutdown) != 0;
	st->paused = (info.flags & XEN_DOMINF_paused) != 0;
	st->reason = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
	st->tot_pages = info.tot_pages;
	return 0;
}

int lx_watch_domains(struct lx_ctx *ctx)
{
	if (ctx->watching)
		return 0;
	if (!xs_watch(ctx->xs, "@releaseDomain", RELEASE_TOKEN))
		return -1;
	ctx->watching = true;
	return 0;
}

/* Xen's xenstored fires the watch once when it is set, and then on every
 * domain shutdown or death: callers re-read the state after each. */
int lx_wait_domains(struct lx_ctx *ctx, int timeout_ms)
{
	struct pollfd p = { .fd = xs_fileno(ctx->xs), .events = POLLIN };
	char **ev;
	int rc;

	if (p.fd < 0)
		return -1;
	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0) {
		if (rc == 0)
			errno = ETIMEDOUT;
		return -1;
	}
	/* Drain: one change is enough to re-read every domain's state. */
	while ((ev = xs_check_watch(ctx->xs)))
		free(ev);
	return 0;
}

int lx_wait_state_change(struct lx_ctx *ctx, uint32_t domid, struct lx_dom_state *st,
			 int timeout_ms)
{
	struct timespec start, now;

	if (lx_watch_domains(ctx) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int left = -1;

		if (lx_domain_state(ctx, domid, st) < 0)
			return -1;
		if (st->gone || st->dying || st->shutdown)
			return 0;
		if (timeout_ms >= 0) {
			long ms;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
			if (ms >= timeout_ms) {
				errno = ETIMEDOUT;
				return -1;
			}
			left = (int)(timeout_ms - ms);
		}
		if (lx_wait_domains(ctx, left) < 0)
			return -1;
	}
}

int lx_wait_gone(struct lx_ctx *ctx, uint32_t domid, int timeout_ms)
{
	struct timespec start, now;

	if (lx_watch_domains(ctx) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct lx_dom_state st;
		long ms;

		if (lx_domain_state(ctx, domid, &st) < 0)
			return -1;
		if (st.gone)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms >= timeout_ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* A dying domain's last pages go when the daemons that mapped
		 * them let go, which @releaseDomain tells them to do; poll too,
		 * as the last release fires no further watch. */
		if (lx_wait_domains(ctx, (int)(timeout_ms - ms < 500 ? timeout_ms - ms : 500)) < 0 &&
		    errno != ETIMEDOUT)
			return -1;
	}
}

/* libxl's PV control: only a guest that has set up its event callback
 * (HVM_PARAM_CALLBACK_IRQ) runs the xenbus driver that reads
 * control/shutdown. */
int lx_domain_pv_request(struct lx_ctx *ctx, uint32_t domid, const char *cmd,
			 char *err, size_t errlen)
{
	char path[64];
	uint64_t cb = 0;
	int tries;

	if (xc_hvm_param_get(ctx->xch, domid, HVM_PARAM_CALLBACK_IRQ, &cb) < 0) {
		snprintf(err, errlen, "domain %u: %s", domid, strerror(errno));
		return -1;
	}
	if (!cb) {
		errno = EOPNOTSUPP;
		snprintf(err, errlen, "PV control interface not available");
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	for (tries = 0; tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(ctx->xs);
		char dpath[48];
		unsigned int len;
		char *v;

		if (t == XBT_NULL)
			break;
		snprintf(dpath, sizeof(dpath), "/local/domain/%u/domid", domid);
		v = xs_read(ctx->xs, t, dpath, &len);
		if (!v) {
			xs_transaction_end(ctx->xs, t, true);
			snprintf(err, errlen, "domain %u has no xenstore directory", domid);
			errno = ENOENT;
			return -1;
		}
		free(v);
		if (!xs_write(ctx->xs, t, path, cmd, (unsigned int)strlen(cmd))) {
			int e = errno;

			xs_transaction_end(ctx->xs, t, true);
			errno = e;
			break;
		}
		if (xs_transaction_end(ctx->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			break;
	}
	snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
	return -1;
}

/* What xl does to keep a shut-down domain out of the way of its restarted
 * successor: a new name with a UTC time suffix, a new handle and its own
 * /vm entry, so the successor can take the old name and UUID. */
int lx_domain_preserve(struct lx_ctx *ctx, uint32_t domid, const char *name,
		       const uint8_t new_uuid[16], char *newname_out, size_t newname_len,
		       char *err, size_t errlen)
{
	struct xs_permissions perms[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = domid, .perms = XS_PERM_READ },
	};
	char suffix[24], newname[300], uuid[37], vm[64], path[96];
	struct tm tm;
	time_t now = time(NULL);
	uint32_t other;
	int tries;

	if (!gmtime_r(&now, &tm) || !strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", &tm)) {
		snprintf(err, errlen, "cannot format the time for the preserved name");
		return -1;
	}
	snprintf(newname, sizeof(newname), "%s%s", name, suffix);
	if (lx_domain_by_name(ctx, newname, &other) == 0 && other != domid) {
		snprintf(err, errlen, "domain with name \"%s\" already exists.", newname);
		errno = EEXIST;
		return -1;
	}
	lx_uuid_format(new_uuid, uuid);
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);
	for (tries = 0; tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(ctx->xs);
		bool ok;

		if (t == XBT_NULL)
			break;
		snprintf(path, sizeof(path), "%s/uuid", vm);
		ok = xs_write(ctx->xs, t, path, uuid, (unsigned int)strlen(uuid));
		snprintf(path, sizeof(path), "%s/name", vm);
		ok = ok && xs_write(ctx->xs, t, path, newname, (unsigned int)strlen(newname));
		ok = ok && xs_set_permissions(ctx->xs, t, vm, perms, 2);
		snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
		ok = ok && xs_write(ctx->xs, t, path, vm, (unsigned int)strlen(vm));
		snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
		ok = ok && xs_write(ctx->xs, t, path, newname, (unsigned int)strlen(newname));
		if (!ok) {
			int e = errno;

			xs_transaction_end(ctx->xs, t, true);
			errno = e;
			break;
		}
		if (xs_transaction_end(ctx->xs, t, false)) {
			if (xc_domain_sethandle(ctx->xch, domid, new_uuid) < 0) {
				snprintf(err, errlen, "new handle for domain %u: %s", domid,
					 strerror(errno));
				return -1;
			}
			snprintf(newname_out, newname_len, "%s", newname);
			return 0;
		}
		if (errno != EAGAIN)
			break;
	}
	snprintf(err, errlen, "preserving domain %u as '%s': %s", domid, newname, strerror(errno));
	return -1;
}
