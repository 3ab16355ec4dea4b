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

struct pv_request {
	uint32_t domid;
	const char *cmd;
	bool missing;			/* the domain has no xenstore directory */
};

/* Written only while the domain's directory exists, so a request never
 * recreates the directory of a domain that is going away. */
static int write_request(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	struct pv_request *r = arg;
	char path[64];
	unsigned int len;
	char *v;

	snprintf(path, sizeof(path), "/local/domain/%u/domid", r->domid);
	v = xs_read(ctx->xs, t, path, &len);
	if (!v) {
		r->missing = true;
		errno = ENOENT;
		return -1;
	}
	free(v);
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", r->domid);
	return xs_write(ctx->xs, t, path, r->cmd, (unsigned int)strlen(r->cmd)) ? 0 : -1;
}

/* libxl's PV control: a PV guest always has it; a PVH or HVM guest only
 * once it has set up its event callback (HVM_PARAM_CALLBACK_IRQ), which
 * is when its xenbus driver that reads control/shutdown runs. */
int lx_domain_pv_request(struct lx_ctx *ctx, uint32_t domid, const char *cmd,
			 char *err, size_t errlen)
{
	struct pv_request req = { 0 };
	xc_domaininfo_t info;
	uint64_t cb = 1;

	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0 ||
	    ((info.flags & XEN_DOMINF_hvm_guest) &&
	     xc_hvm_param_get(ctx->xch, domid, HVM_PARAM_CALLBACK_IRQ, &cb) < 0)) {
		snprintf(err, errlen, "domain %u: %s", domid, strerror(errno));
		return -1;
	}
	if (!cb) {
		errno = EOPNOTSUPP;
		snprintf(err, errlen, "PV control interface not available");
		return -1;
	}
	req.domid = domid;
	req.cmd = cmd;
	if (lx_xs_transact(ctx, write_request, &req) == 0)
		return 0;
	if (req.missing)
		snprintf(err, errlen, "domain %u has no xenstore directory", domid);
	else
		snprintf(err, errlen, "writing /local/domain/%u/control/shutdown: %s", domid,
			 strerror(errno));
	return -1;
}
