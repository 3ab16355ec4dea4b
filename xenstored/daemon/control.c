/* XS_CONTROL: administrative commands for dom0 (xenstore-control). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

long *xsd_quota_ref(struct xsd_quota *q, const char *name, const char **canon);

static const char *const quota_list[] = {
	"nodes", "node-size", "watches", "transactions", "node-permissions",
	"path-length", "transaction-nodes", "memory", "outstanding",
};

static int out_text(char *reply, size_t *rlen, const char *text)
{
	size_t l = strlen(text);

	if (l + 1 > XENSTORE_PAYLOAD_MAX)
		l = XENSTORE_PAYLOAD_MAX - 1;
	memcpy(reply, text, l);
	reply[l] = '\0';
	*rlen = l + 1;
	return 0;
}

static int do_quota(struct xsd *x, const char **v, unsigned int n, bool soft,
		    char *reply, size_t *rlen)
{
	size_t len = 0;

	if (n == 0) {
		for (size_t i = 0; i < sizeof(quota_list) / sizeof(*quota_list);
		     i++) {
			long *val = xsd_quota_ref(&x->q, quota_list[i], NULL);

			if (soft && strcmp(quota_list[i], "memory"))
				continue;
			if (soft)
				val = &x->q.memory_soft;
			len += (size_t)snprintf(reply + len,
						XENSTORE_PAYLOAD_MAX - len,
						"%-18s: %ld\n", quota_list[i],
						*val);
		}
		reply[len] = '\0';
		*rlen = len + 1;
		return 0;
	}
	if (n == 2) {
		char *end;
		long val = strtol(v[1], &end, 10);

		if (*end || end == v[1] ||
		    xsd_quota_set(&x->q, v[0], val, soft))
			return -EINVAL;
		return out_text(reply, rlen, "OK");
	}
	if (n == 1) {
		long *val = soft ? (strcmp(v[0], "memory") ? NULL :
				    &x->q.memory_soft) :
				   xsd_quota_ref(&x->q, v[0], NULL);

		if (!val)
			return -EINVAL;
		*rlen = (size_t)snprintf(reply, 32, "%ld", *val) + 1;
		return 0;
	}
	return -EINVAL;
}

int control_handle(struct xsd *x, struct xsd_conn *c, const char *payload,
		   size_t len, char *reply, size_t *rlen)
{
	const char *v[8];
	unsigned int n = 0;
	size_t off = 0;

	while (off < len && n < 8) {
		size_t l = strnlen(payload + off, len - off);

		v[n++] = payload + off;
		if (off + l == len)
			break; /* unterminated last arg: payload[len] is NUL */
		off += l + 1;
	}
	if (!n)
		return -EINVAL;
	if (!strcmp(v[0], "check"))
		return out_text(reply, rlen, "OK");
	if (!strcmp(v[0], "help"))
		return out_text(reply, rlen,
				"check\nhelp\nlog on|off\nlogfile <file>\n"
				"memreport\nprint <string>\n"
				"quota [<what> [<nb>]]\n"
				"quota-soft [memory [<nb>]]\n");
	if (!strcmp(v[0], "print") && n == 2) {
		xsd_logf(x, LOG_NOTICE, "control: %s", v[1]);
		return out_text(reply, rlen, "OK");
	}
	if (!strcmp(v[0], "log") && n == 2) {
		if (!strcmp(v[1], "on"))
			x->log.verbose = true;
		else if (!strcmp(v[1], "off"))
			x->log.verbose = false;
		else
			return -EINVAL;
		return out_text(reply, rlen, "OK");
	}
	if (!strcmp(v[0], "logfile") && n == 2) {
		FILE *f = fopen(v[1], "a");

		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
		if (x->log.trace)
			fclose(x->log.trace);
		x->log.trace = f;
		return out_text(reply, rlen, "OK");
	}
	if (!strcmp(v[0], "memreport")) {
		unsigned long conns = 0;
		size_t l = 0;

		for (struct xsd_conn *i = x->conns; i; i = i->next)
			conns++;
		l += (size_t)snprintf(reply, XENSTORE_PAYLOAD_MAX,
				      "nodes: %zu\nwatches: %zu\n"
				      "connections: %lu\n", x->tree.count,
				      x->nr_watches, conns);
		for (struct xsd_domain *d = x->domains; d; d = d->next) {
			if (l + 128 > XENSTORE_PAYLOAD_MAX)
				break;
			l += (size_t)snprintf(reply + l,
					      XENSTORE_PAYLOAD_MAX - l,
					      "domain %" PRIu32 ": nodes %ld "
					      "watches %ld memory %ld\n",
					      d->domid, d->nr_nodes,
					      d->nr_watches, d->memory);
		}
		*rlen = l + 1;
		return 0;
	}
	if (!strcmp(v[0], "quota") || !strcmp(v[0], "quota-soft"))
		return do_quota(x, v + 1, n - 1, v[0][5] == '-', reply, rlen);
	(void)c;
	return -EINVAL;
}
