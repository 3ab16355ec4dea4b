/* xl shutdown / xl reboot: ask guests through their PV control node, and
 * with -w wait until each has shut down or is gone. Messages and exit
 * codes follow Xen 4.17's xl. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "xl.h"

#define LIST_BATCH 256
#define ERROR_NOPARAVIRT (-10)	/* libxl's code, printed by xl */

struct request {
	const char *cmd;		/* command name, and what is written */
	const char *node_value;
	const char *noun;		/* "shutdown" / "reboot" in messages */
	const char *fallback;		/* what -F would send in Xen */
};

static int send_one(struct lx_ctx *ctx, uint32_t domid, const struct request *r, bool fallback)
{
	char err[512];

	if (lx_domain_pv_request(ctx, domid, r->node_value, err, sizeof(err)) == 0)
		return 0;
	if (errno == EOPNOTSUPP) {
		if (fallback) {
			fprintf(stderr, "PV control interface not available: sending the ACPI %s "
				"event is not possible for a PVH guest.\n", r->fallback);
		} else {
			fprintf(stderr, "PV control interface not available:"
				" external graceful %s not possible.\n", r->noun);
			fprintf(stderr, "Use \"-F\" to fallback to ACPI %s event.\n", r->fallback);
		}
		fprintf(stderr, "%s failed (rc=%d)\n", r->noun, ERROR_NOPARAVIRT);
		return -1;
	}
	fprintf(stderr, "%s failed: %s\n", r->noun, err);
	return -1;
}

/* Waits until every listed domain has shut down or is gone. */
static int wait_all(struct lx_ctx *ctx, uint32_t *doms, int n)
{
	int left = n;

	fprintf(stderr, "Waiting for %d domains\n", n);
	if (lx_watch_domains(ctx) < 0)
		return -1;
	while (left > 0) {
		for (int i = 0; i < n; i++) {
			struct lx_dom_state st;

			if (doms[i] == DOMID_INVALID || lx_domain_state(ctx, doms[i], &st) < 0)
				continue;
			if (st.gone || st.dying) {
				fprintf(stderr, "Domain %u has been destroyed\n", doms[i]);
			} else if (st.shutdown) {
				fprintf(stderr, "Domain %u has been shut down, reason code %u\n",
					doms[i], st.reason);
			} else {
				continue;
			}
			doms[i] = DOMID_INVALID;
			left--;
		}
		if (left > 0 && lx_wait_domains(ctx, -1) < 0)
			return -1;
	}
	return 0;
}

static int request_main(const struct request *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "wait", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, wait = false, fallback = false;
	uint32_t *doms = NULL;
	struct lx_ctx ctx;
	char err[512];
	int opt, n = 0, rc = 1;

	while ((opt = getopt_long(argc, argv, "+awFh", opts, NULL)) >= 0) {
		switch (opt) {
		case 'a': all = true; break;
		case 'w': wait = true; break;
		case 'F': fallback = true; break;
		case 'h': xl_usage(xl_cmd_find(r->cmd)); return 0;
		default: xl_usage(xl_cmd_find(r->cmd)); return 2;
		}
	}
	if (all == (argc - optind == 1) || argc - optind > 1) {
		xl_usage(xl_cmd_find(r->cmd));
		return 2;
	}
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl %s: %s\n", r->cmd, err);
		return 1;
	}
	if (all) {
		xc_domaininfo_t info[LIST_BATCH];
		int got = xc_domain_getinfolist(ctx.xch, 1, LIST_BATCH, info);

		if (got < 0) {
			fprintf(stderr, "xl %s: listing domains: %s\n", r->cmd, strerror(errno));
			goto out;
		}
		doms = calloc((size_t)got + 1, sizeof(*doms));
		if (!doms)
			goto out;
		for (int i = 0; i < got; i++) {
			if (info[i].domain == 0 || (info[i].flags & XEN_DOMINF_dying))
				continue;
			/* Like Xen's xl, one guest that cannot take the request does not
			 * stop the others. */
			if (send_one(&ctx, info[i].domain, r, fallback) == 0)
				doms[n++] = info[i].domain;
		}
	} else {
		doms = calloc(1, sizeof(*doms));
		if (!doms || xl_dom_resolve(&ctx, argv[optind], &doms[0]) < 0)
			goto out;
		if (send_one(&ctx, doms[0], r, fallback) < 0)
			goto out;
		n = 1;
	}
	rc = 0;
	if (wait && n > 0 && wait_all(&ctx, doms, n) < 0) {
		fprintf(stderr, "xl %s: waiting for domains: %s\n", r->cmd, strerror(errno));
		rc = 1;
	}
out:
	free(doms);
	lx_close(&ctx);
	return rc;
}

int main_shutdown(struct xl_globals *g, int argc, char **argv)
{
	static const struct request r = { "shutdown", "poweroff", "shutdown", "power" };

	(void)g;
	return request_main(&r, argc, argv);
}

int main_reboot(struct xl_globals *g, int argc, char **argv)
{
	static const struct request r = { "reboot", "reboot", "reboot", "reset" };

	(void)g;
	return request_main(&r, argc, argv);
}
