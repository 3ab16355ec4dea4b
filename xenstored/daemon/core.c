/* The daemon state as a whole: setup, teardown, quotas, logging, names. */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "xsd.h"

void xsd_quota_defaults(struct xsd_quota *q)
{
	/* The C xenstored 4.17 defaults. */
	q->entry_nb = 1000;
	q->entry_size = 2048;
	q->watch_nb = 128;
	q->transaction = 10;
	q->perm_nb = 5;
	q->path_max = XENSTORE_REL_PATH_MAX;
	q->trans_nodes = 1024;
	q->memory = 2 * 1024 * 1024 + 512 * 1024;
	q->memory_soft = 2 * 1024 * 1024;
	q->outstanding = 20;
	q->watch_timeout = 20;
}

static const struct {
	const char *name;
	size_t off;
} quota_names[] = {
	{ "nodes", offsetof(struct xsd_quota, entry_nb) },
	{ "entry-nb", offsetof(struct xsd_quota, entry_nb) },
	{ "node-size", offsetof(struct xsd_quota, entry_size) },
	{ "entry-size", offsetof(struct xsd_quota, entry_size) },
	{ "watches", offsetof(struct xsd_quota, watch_nb) },
	{ "watch-nb", offsetof(struct xsd_quota, watch_nb) },
	{ "transactions", offsetof(struct xsd_quota, transaction) },
	{ "transaction", offsetof(struct xsd_quota, transaction) },
	{ "permissions", offsetof(struct xsd_quota, perm_nb) },
	{ "node-permissions", offsetof(struct xsd_quota, perm_nb) },
	{ "perm-nb", offsetof(struct xsd_quota, perm_nb) },
	{ "path-length", offsetof(struct xsd_quota, path_max) },
	{ "path-max", offsetof(struct xsd_quota, path_max) },
	{ "transaction-nodes", offsetof(struct xsd_quota, trans_nodes) },
	{ "memory", offsetof(struct xsd_quota, memory) },
	{ "outstanding", offsetof(struct xsd_quota, outstanding) },
};

/* -Q name=value (soft: -q, memory only). */
int xsd_quota_set(struct xsd_quota *q, const char *name, long value, bool soft)
{
	if (value < 0)
		return -EINVAL;
	if (soft) {
		if (strcmp(name, "memory"))
			return -EINVAL;
		q->memory_soft = value;
		return 0;
	}
	for (size_t i = 0; i < sizeof(quota_names) / sizeof(quota_names[0]);
	     i++) {
		if (!strcmp(name, quota_names[i].name)) {
			*(long *)((char *)q + quota_names[i].off) = value;
			return 0;
		}
	}
	return -EINVAL;
}

long *xsd_quota_ref(struct xsd_quota *q, const char *name, const char **canon);
long *xsd_quota_ref(struct xsd_quota *q, const char *name, const char **canon)
{
	for (size_t i = 0; i < sizeof(quota_names) / sizeof(quota_names[0]);
	     i++) {
		if (!strcmp(name, quota_names[i].name)) {
			if (canon)
				*canon = quota_names[i].name;
			return (long *)((char *)q + quota_names[i].off);
		}
	}
	return NULL;
}

void xsd_logf(struct xsd *x, int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio >= LOG_INFO && !x->log.verbose && !x->log.trace)
		return;
	if (x->log.trace) {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(ts, sizeof(ts), "%Y%m%d %H:%M:%S",
			 localtime_r(&now, &tm));
		fprintf(x->log.trace, "%s ", ts);
		va_start(ap, fmt);
		vfprintf(x->log.trace, fmt, ap);
		va_end(ap);
		fputc('\n', x->log.trace);
		fflush(x->log.trace);
	}
	if (x->log.to_stderr) {
		fputs("xenstored: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (x->log.to_syslog && prio <= LOG_WARNING) {
		va_start(ap, fmt);
		vsyslog(prio, fmt, ap);
		va_end(ap);
	}
}

const char *xsd_errname(int err)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]);
	     i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EINVAL"; /* the wire has no name for it */
}

const char *xsd_type_name(uint32_t type)
{
	static const char *const names[XS_TYPE_COUNT] = {
		"CONTROL", "DIRECTORY", "READ", "GET_PERMS", "WATCH",
		"UNWATCH", "TRANSACTION_START", "TRANSACTION_END",
		"INTRODUCE", "RELEASE", "GET_DOMAIN_PATH", "WRITE", "MKDIR",
		"RM", "SET_PERMS", "WATCH_EVENT", "ERROR",
		"IS_DOMAIN_INTRODUCED", "RESUME", "SET_TARGET", "RESTRICT",
		"RESET_WATCHES", "DIRECTORY_PART",
	};

	return type < XS_TYPE_COUNT ? names[type] : "UNKNOWN";
}

static int add_root_node(struct xsd *x, const char *name)
{
	struct xsd_node *n = node_alloc(name, strlen(name), 0);

	if (!n)
		return -ENOMEM;
	n->perm0.id = 0;
	n->perm0.perms = XSD_PERM_NONE;
	store_put_global(x, n);
	return 0;
}

int xsd_init(struct xsd *x)
{
	xsd_quota_defaults(&x->q);
	x->whash_n = 1024;
	x->whash = calloc(x->whash_n, sizeof(*x->whash));
	if (!x->whash || ntable_init(&x->tree, 1024))
		goto fail;
	if (!domain_get(x, 0))
		goto fail;
	if (add_root_node(x, "/") || add_root_node(x, "@introduceDomain") ||
	    add_root_node(x, "@releaseDomain"))
		goto fail;
	/* The tree a fresh C xenstored 4.17 starts with. */
	if (store_write(x, NULL, NULL, "/tool/xenstored", NULL, 0, true))
		goto fail;
	return 0;
fail:
	xsd_fini(x);
	return -ENOMEM;
}

void xsd_reap(struct xsd *x)
{
	while (x->zombies) {
		struct xsd_conn *c = x->zombies;

		x->zombies = c->next;
		c->next = NULL;
		conn_free(c);
	}
}

void xsd_fini(struct xsd *x)
{
	xsd_reap(x);
	while (x->conns)
		conn_free(x->conns);
	ntable_free(&x->tree, true);
	while (x->domains) {
		struct xsd_domain *d = x->domains;

		x->domains = d->next;
		free(d);
	}
	x->dom0 = NULL;
	free(x->whash);
	x->whash = NULL;
}
