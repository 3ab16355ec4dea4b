/* XS_CONTROL: administrative commands for dom0 (xenstore-control). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

long *xsd_quota_ref(struct xsd_quota *q, const char *name, const char **canon);

/* The quotas as XS_CONTROL "quota" lists them: Xen 4.17's names, order
 * and wording, which scripts may parse. */
static const struct {
	const char *name, *what;
} quota_list[] = {
	{ "nodes", "Nodes per domain" },
	{ "watches", "Watches per domain" },
	{ "transactions", "Transactions per domain" },
	{ "outstanding", "Outstanding requests per domain" },
	{ "transaction-nodes", "Max. number of accessed nodes per transaction" },
	{ "memory", "Total Xenstore memory per domain (error level)" },
	{ "node-size", "Max. size of a node" },
	{ "path-max", "Max. length of a node path" },
	{ "permissions", "Max. number of permissions per node" },
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

/* "quota <domid>": what the domain uses now. */
static int quota_domain(struct xsd *x, const char *arg, char *reply,
			size_t *rlen)
{
	long txns = 0, outstanding = 0;
	struct xsd_domain *d;
	unsigned long id;
	char *end;
	int l;

	errno = 0;
	id = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || id >= XSD_DOMID_MAX)
		return -EINVAL;
	d = domain_find(x, (uint32_t)id);
	if (!d)
		return -ENOENT;
	for (struct xsd_conn *c = x->conns; c; c = c->next) {
		if (c->domid != id)
			continue;
		txns += c->nr_txns;
		outstanding += c->pending;
	}
	l = snprintf(reply, XENSTORE_PAYLOAD_MAX, "Domain %lu:\n"
		     "%-16s: %8ld\n%-16s: %8ld\n%-16s: %8ld\n%-16s: %8ld\n"
		     "%-16s: %8ld\n", id, "nodes", d->nr_nodes, "watches",
		     d->nr_watches, "transactions", txns, "outstanding",
		     outstanding, "memory", d->memory);
	*rlen = (size_t)l + 1;
	return 0;
}

/* quota [set <name> <val>|<domid>], quota-soft [set memory <val>]. */
static int do_quota(struct xsd *x, const char **v, unsigned int n, bool soft,
		    char *reply, size_t *rlen)
{
	size_t len = 0;

	if (n == 0) {
		len = (size_t)snprintf(reply, XENSTORE_PAYLOAD_MAX,
				       "Quota settings:\n");
		for (size_t i = 0; i < sizeof(quota_list) / sizeof(*quota_list);
		     i++) {
			const long *val = xsd_quota_ref(&x->q, quota_list[i].name,
						      NULL);
			const char *what = quota_list[i].what;

			if (soft) {
				if (strcmp(quota_list[i].name, "memory"))
					continue;
				val = &x->q.memory_soft;
				what = "Total Xenstore memory per domain "
				       "(warning level)";
			}
			len += (size_t)snprintf(reply + len,
						XENSTORE_PAYLOAD_MAX - len,
						"%-17s: %8ld %s\n",
						quota_list[i].name, *val, what);
		}
		*rlen = len + 1;
		return 0;
	}
	if (n == 3 && !strcmp(v[0], "set")) {
		char *end;
		long val;

		errno = 0;
		val = strtol(v[2], &end, 10);
		if (errno || *end || end == v[2] ||
		    xsd_quota_set(&x->q, v[1], val, soft))
			return -EINVAL;
		return out_text(reply, rlen, "OK");
	}
	if (n == 1 && !soft)
		return quota_domain(x, v[0], reply, rlen);
	return -EINVAL;
}

/* memreport [<file>]: the report as the reply, or written to file. */
static int memreport(struct xsd *x, const char *file, char *reply,
		     size_t *rlen)
{
	unsigned long conns = 0;
	size_t l = 0;
	FILE *f;

	for (struct xsd_conn *i = x->conns; i; i = i->next)
		conns++;
	l += (size_t)snprintf(reply, XENSTORE_PAYLOAD_MAX, "nodes: %zu\n"
			      "watches: %zu\nconnections: %lu\n",
			      x->tree.count, x->nr_watches, conns);
	for (struct xsd_domain *d = x->domains; d; d = d->next) {
		if (l + 128 > XENSTORE_PAYLOAD_MAX)
			break;
		l += (size_t)snprintf(reply + l, XENSTORE_PAYLOAD_MAX - l,
				      "domain %" PRIu32 ": nodes %ld watches "
				      "%ld memory %ld\n", d->domid, d->nr_nodes,
				      d->nr_watches, d->memory);
	}
	if (!file) {
		*rlen = l + 1;
		return 0;
	}
	if (x->control_no_files)
		return -EACCES;
	f = fopen(file, "w");
	if (!f)
		return -errno;
	if (fwrite(reply, 1, l, f) != l) {
		int err = errno ? -errno : -EIO;

		fclose(f);
		return err;
	}
	if (fclose(f))
		return -errno;
	return out_text(reply, rlen, "OK");
}

int control_handle(struct xsd *x, struct xsd_conn *c,
		   const struct xsd_sockmsg *h, const char *payload,
		   char *reply, size_t *rlen)
{
	const char *v[8];
	unsigned int n = 0;
	size_t off = 0, len = h->len;

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
				"check\t\nlog\ton|off\n"
				"live-update\t[-c <cmdline>] [-F] [-t <timeout>]"
				" <file>\n    Default timeout is 60 seconds.\n"
				"logfile\t<file>\n"
				"memreport\t[<file>]\nprint\t<string>\n"
				"quota\t[set <name> <val>|<domid>]\n"
				"quota-soft\t[set <name> <val>]\nhelp\t\n");
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
		FILE *f;

		if (x->control_no_files)
			return -EACCES;
		f = fopen(v[1], "ae");
		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
		if (x->log.trace)
			fclose(x->log.trace);
		x->log.trace = f;
		return out_text(reply, rlen, "OK");
	}
	if (!strcmp(v[0], "memreport") && n <= 2)
		return memreport(x, n == 2 ? v[1] : NULL, reply, rlen);
	if (!strcmp(v[0], "quota") || !strcmp(v[0], "quota-soft"))
		return do_quota(x, v + 1, n - 1, v[0][5] == '-', reply, rlen);
	if (!strcmp(v[0], "live-update"))
		return lu_control(x, c, v + 1, n - 1, h, reply, rlen);
	return -EINVAL;
}
