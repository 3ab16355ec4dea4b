/* The generic half of the device layer: node sets, xenstore paths and
 * permissions, the XenbusState waits, hotplug scripts and removal (the
 * order libxl 4.17 follows: nodes, backend InitWait, script "add";
 * online=0 and Closing, backend Closed, script "remove", nodes gone). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include "lx.h"
#include "lx_device.h"

#define HOTPLUG_LOG "/var/log/xen/xen-hotplug.log"

int lx_nodes_add(struct lx_nodes *n, const char *key, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (n->n >= LX_MAX_NODES || strlen(key) >= LX_NODE_KEY) {
		errno = ENOSPC;
		return -1;
	}
	va_start(ap, fmt);
	len = vsnprintf(n->kv[n->n].val, LX_NODE_VAL, fmt, ap);
	va_end(ap);
	if (len < 0 || len >= LX_NODE_VAL) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(n->kv[n->n].key, LX_NODE_KEY, "%s", key);
	n->n++;
	return 0;
}

const char *lx_nodes_get(const struct lx_nodes *n, const char *key)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->kv[i].key, key))
			return n->kv[i].val;
	return NULL;
}

void lx_dev_init(struct lx_dev *d, const char *kind, uint32_t domid, uint32_t backend_domid,
		 int devid, const char *name)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->domid = domid;
	d->backend_domid = backend_domid;
	d->devid = devid;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->fe, sizeof(d->fe), "/local/domain/%u/device/%s/%d", domid, kind, devid);
	snprintf(d->be, sizeof(d->be), "/local/domain/%u/backend/%s/%u/%d", backend_domid, kind,
		 domid, devid);
	snprintf(d->lx, sizeof(d->lx), "/libxl/%u/device/%s/%d", domid, kind, devid);
}

int lx_hotplug_env_build(const struct lx_dev *d, const char *script, const char *netdev,
			 struct lx_hotplug_env *e)
{
	size_t used = 0, i = 0;
	char vif[32];
	const char *kv[LX_HOTPLUG_ENV_MAX * 2];
	size_t nkv = 0;
	char rel[128];

	/* Relative to the backend domain's home, as libxl passes it. */
	snprintf(rel, sizeof(rel), "backend/%s/%u/%d", d->kind, d->domid, d->devid);
	kv[nkv++] = "script";
	kv[nkv++] = script;
	kv[nkv++] = "XENBUS_TYPE";
	kv[nkv++] = d->kind;
	kv[nkv++] = "XENBUS_PATH";
	kv[nkv++] = rel;
	kv[nkv++] = "XENBUS_BASE_PATH";
	kv[nkv++] = "backend";
	if (!strcmp(d->kind, "vif")) {
		snprintf(vif, sizeof(vif), "vif%u.%d", d->domid, d->devid);
		kv[nkv++] = "netdev";
		kv[nkv++] = netdev ? netdev : "";
		kv[nkv++] = "vif";
		kv[nkv++] = vif;
	}
	for (size_t k = 0; k < nkv; k += 2) {
		int n = snprintf(e->buf + used, sizeof(e->buf) - used, "%s=%s", kv[k], kv[k + 1]);

		if (n < 0 || (size_t)n >= sizeof(e->buf) - used || i >= LX_HOTPLUG_ENV_MAX)
			return -1;
		e->env[i++] = e->buf + used;
		used += (size_t)n + 1;
	}
	e->env[i] = NULL;
	return 0;
}

/* Permission pairs: owner (full), then one reader. */
static bool set_perms(struct xs_handle *xs, xs_transaction_t t, const char *path,
		      uint32_t owner, uint32_t reader)
{
	struct xs_permissions p[2] = {
		{ .id = owner, .perms = XS_PERM_NONE },
		{ .id = reader, .perms = XS_PERM_READ },
	};

	return xs_set_permissions(xs, t, path, p, owner == reader ? 1 : 2);
}

static bool write_set(struct xs_handle *xs, xs_transaction_t t, const char *dir,
		      const struct lx_nodes *n, char *bad_path_out, size_t bad_len)
{
	char path[256];

	for (size_t i = 0; i < n->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, n->kv[i].key);
		if (!xs_write(xs, t, path, n->kv[i].val, (unsigned int)strlen(n->kv[i].val))) {
			snprintf(bad_path_out, bad_len, "%s", path);
			return false;
		}
	}
	return true;
}

struct dev_write {
	const struct lx_dev *d;
	const struct lx_nodes *back, *front;
	bool exists;		/* the device was found already there */
	char bad[256];		/* the path that could not be written */
};

/* write_node: one value, noting the path on failure. */
static bool write_node(struct xs_handle *xs, xs_transaction_t t, struct dev_write *w,
		       const char *dir, const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (xs_write(xs, t, path, val, (unsigned int)strlen(val)))
		return true;
	snprintf(w->bad, sizeof(w->bad), "%s", path);
	return false;
}

/* write_dir: an empty directory with its owner and the other side's read. */
static bool write_dir(struct xs_handle *xs, xs_transaction_t t, struct dev_write *w,
		      const char *dir, unsigned int owner, unsigned int reader)
{
	if (xs_write(xs, t, dir, "", 0) && set_perms(xs, t, dir, owner, reader))
		return true;
	snprintf(w->bad, sizeof(w->bad), "%s", dir);
	return false;
}

static int dev_write_body(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	struct dev_write *w = arg;
	const struct lx_dev *d = w->d;
	struct xs_handle *xs = ctx->xs;
	char *old = xs_read(xs, t, d->fe, NULL);

	if (!old)
		old = xs_read(xs, t, d->be, NULL);
	if (old) {
		free(old);
		w->exists = true;
		errno = EEXIST;
		return -1;
	}
	w->bad[0] = 0;
	if (write_dir(xs, t, w, d->be, d->backend_domid, d->domid) &&
	    write_node(xs, t, w, d->be, "frontend", d->fe) &&
	    write_set(xs, t, d->be, w->back, w->bad, sizeof(w->bad)) &&
	    write_dir(xs, t, w, d->fe, d->domid, d->backend_domid) &&
	    write_node(xs, t, w, d->fe, "backend", d->be) &&
	    write_set(xs, t, d->fe, w->front, w->bad, sizeof(w->bad)) &&
	    /* libxl's own copy: what the device was made from. */
	    write_node(xs, t, w, d->lx, "frontend", d->fe) &&
	    write_node(xs, t, w, d->lx, "backend", d->be) &&
	    write_set(xs, t, d->lx, w->back, w->bad, sizeof(w->bad)))
		return 0;
	return -1;
}

int lx_dev_write(struct lx_ctx *ctx, const struct lx_dev *d, const struct lx_nodes *back,
		 const struct lx_nodes *front, char *err, size_t errlen)
{
	struct dev_write w = { .d = d, .back = back, .front = front };

	if (lx_xs_transact(ctx, dev_write_body, &w) == 0)
		return 0;
	if (w.exists)
		return lx_fail(err, errlen, "%s %s of domain %u: device already exists in xenstore "
			       "(%s)", d->kind, d->name, d->domid, d->fe);
	if (w.bad[0])
		return lx_fail(err, errlen, "%s %s of domain %u: writing xenstore %s: %s", d->kind,
			       d->name, d->domid, w.bad, strerror(errno));
	return lx_fail(err, errlen, "%s %s of domain %u: committing its xenstore nodes: %s",
		       d->kind, d->name, d->domid, strerror(errno));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_state(struct xs_handle *xs, const char *path, bool *gone)
{
	char p[256], *v;
	int st = -1;

	snprintf(p, sizeof(p), "%s/state", path);
	v = xs_read(xs, XBT_NULL, p, NULL);
	*gone = !v;
	if (v) {
		st = atoi(v);
		free(v);
	}
	return st;
}

int lx_dev_wait_state(const char *path, unsigned int mask, bool gone_ok, int timeout_ms,
		      int *state)
{
	/* A handle of our own: the caller's may carry other watches. */
	struct xs_handle *xs = xs_open(0);
	long long deadline = now_ms() + timeout_ms;
	char wpath[256];
	int rc = -1;

	if (!xs)
		return -1;
	snprintf(wpath, sizeof(wpath), "%s/state", path);
	if (!xs_watch(xs, wpath, "lx-dev-state"))
		goto out;
	for (;;) {
		bool gone;
		int st = read_state(xs, path, &gone);
		long long left;
		struct pollfd pfd = { .fd = xs_fileno(xs), .events = POLLIN };

		*state = st;
		if ((gone && gone_ok) || (!gone && st >= 0 && st < 32 && (mask & (1u << st)))) {
			rc = 0;
			break;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			errno = ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, (int)left) > 0) {
			unsigned int n;
			char **ev = xs_read_watch(xs, &n);

			free(ev);
		}
	}
	xs_unwatch(xs, wpath, "lx-dev-state");
out:
	xs_close(xs);
	return rc;
}

static char *read_node(struct lx_ctx *ctx, const char *dir, const char *key)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, key);
	return xs_read(ctx->xs, XBT_NULL, p, NULL);
}

char *lx_dev_read(struct lx_ctx *ctx, const char *dir, const char *key)
{
	return read_node(ctx, dir, key);
}

/* Waits for child pid for at most timeout_ms: its wait status, or -1
 * (ETIMEDOUT, the child killed and reaped). */
static int wait_child(pid_t pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int status, pfd = (int)syscall(SYS_pidfd_open, pid, 0);

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		long long left;

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			errno = ETIMEDOUT;
			break;
		}
		if (pfd >= 0) {
			struct pollfd p = { .fd = pfd, .events = POLLIN };

			poll(&p, 1, (int)left);
		} else {
			/* No pidfd (old kernel): a bounded re-check. */
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	if (pfd >= 0)
		close(pfd);
	return status;
}

int lx_dev_hotplug(struct lx_ctx *ctx, const struct lx_dev *d, const char *action, char *err,
		   size_t errlen)
{
	struct lx_hotplug_env env;
	char *script = read_node(ctx, d->be, "script");
	char *netdev = NULL, *msg = NULL, path[256];
	int status, rc = -1;
	pid_t pid;

	if (!script)
		return 0;	/* nothing to run, as libxl */
	if (!strcmp(d->kind, "vif"))
		netdev = read_node(ctx, d->be, "gatewaydev");
	if (lx_hotplug_env_build(d, script, netdev, &env) < 0) {
		lx_fail(err, errlen, "%s %s: hotplug environment too large", d->kind, d->name);
		goto out;
	}
	if (access(script, X_OK) < 0) {
		lx_fail(err, errlen, "hotplug script %s for %s %s of domain %u: %s", script, d->kind,
		     d->name, d->domid, strerror(errno));
		goto out;
	}
	/* A stale error from an earlier run must not be taken for ours. */
	snprintf(path, sizeof(path), "%s/hotplug-error", d->be);
	xs_rm(ctx->xs, XBT_NULL, path);
	pid = fork();
	if (pid < 0) {
		lx_fail(err, errlen, "starting %s: %s", script, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);
		char *argv[] = { script, (char *)action, NULL };

		if (fd >= 0)
			dup2(fd, 0);
		mkdir("/var/log/xen", 0755);
		fd = open(HOTPLUG_LOG, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* On top of the toolstack's own environment, as libxl does. */
		for (int i = 0; env.env[i]; i++)
			putenv(env.env[i]);
		execv(script, argv);
		_exit(127);
	}
	status = wait_child(pid, LX_DEV_HOTPLUG_TIMEOUT_MS);
	msg = read_node(ctx, d->be, "hotplug-error");
	if (status == 0 && !msg) {
		rc = 0;
		goto out;
	}
	if (msg && msg[0])
		lx_fail(err, errlen, "%s %s failed for %s %s of domain %u (%s): %s", script, action,
		     d->kind, d->name, d->domid, d->be, msg);
	else if (status == -1)
		lx_fail(err, errlen, "%s %s for %s %s of domain %u did not finish within %d s", script,
		     action, d->kind, d->name, d->domid, LX_DEV_HOTPLUG_TIMEOUT_MS / 1000);
	else if (WIFSIGNALED(status))
		lx_fail(err, errlen, "%s %s for %s %s of domain %u killed by signal %d", script, action,
		     d->kind, d->name, d->domid, WTERMSIG(status));
	else
		lx_fail(err, errlen, "%s %s failed for %s %s of domain %u with status %d (see %s)",
		     script, action, d->kind, d->name, d->domid, WEXITSTATUS(status), HOTPLUG_LOG);
out:
	free(msg);
	free(netdev);
	free(script);
	return rc;
}

static void rm_nodes(struct lx_ctx *ctx, const struct lx_dev *d)
{
	char parent[sizeof(d->be)], *slash;
	unsigned int n = 0;
	char **left;

	xs_rm(ctx->xs, XBT_NULL, d->fe);
	xs_rm(ctx->xs, XBT_NULL, d->be);
	xs_rm(ctx->xs, XBT_NULL, d->lx);
	/* The per-domain backend directory (backend/KIND/DOMID, or
	 * backend/qdisk/DOMID for a qdisk vbd) goes with its last device. */
	memcpy(parent, d->be, sizeof(parent));
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	left = xs_directory(ctx->xs, XBT_NULL, parent, &n);
	if (left && n == 0)
		xs_rm(ctx->xs, XBT_NULL, parent);
	free(left);
}

int lx_dev_connect(struct lx_ctx *ctx, const struct lx_dev *d, char *err, size_t errlen)
{
	char why[1024];
	int st;

	if (lx_dev_wait_state(d->be, (1u << LX_XBS_INITWAIT) | (1u << LX_XBS_INITIALISED) |
				     (1u << LX_XBS_CONNECTED),
			      false, LX_DEV_INIT_TIMEOUT_MS, &st) < 0) {
		lx_fail(err, errlen, "%s %s of domain %u: the backend in domain %u did not come up "
		     "within %d s (state %d; is %s loaded?)", d->kind, d->name, d->domid,
		     d->backend_domid, LX_DEV_INIT_TIMEOUT_MS / 1000, st,
		     strcmp(d->kind, "vbd") ? "xen-netback" : "xen-blkback");
		lx_dev_remove(ctx, d, true, why, sizeof(why));
		return -1;
	}
	if (lx_dev_hotplug(ctx, d, "add", err, errlen) < 0) {
		lx_dev_remove(ctx, d, true, why, sizeof(why));
		return -1;
	}
	return 0;
}

/* Asks the backend to close: online 0, state Closing — only while it
 * exists, so a removed backend is never recreated. */
static int ask_close(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	const struct lx_dev *d = arg;
	char path[256], *cur;

	snprintf(path, sizeof(path), "%s/state", d->be);
	cur = xs_read(ctx->xs, t, path, NULL);
	if (!cur)
		return 0;
	free(cur);
	snprintf(path, sizeof(path), "%s/online", d->be);
	xs_write(ctx->xs, t, path, "0", 1);
	snprintf(path, sizeof(path), "%s/state", d->be);
	xs_write(ctx->xs, t, path, "5", 1);
	return 0;
}

int lx_dev_remove(struct lx_ctx *ctx, const struct lx_dev *d, bool force, char *err,
		  size_t errlen)
{
	char *state = read_node(ctx, d->be, "state");
	int rc = 0, st = -1;

	if (state && atoi(state) != LX_XBS_CLOSED) {
		lx_xs_transact(ctx, ask_close, (void *)d);
		/* A guest that is gone cannot answer: do not wait for it. */
		if (!force && lx_dev_wait_state(d->be, 1u << LX_XBS_CLOSED, true,
						LX_DEV_CLOSE_TIMEOUT_MS, &st) < 0) {
			lx_fail(err, errlen, "domain %u did not release %s %s within %d s (backend "
			     "state %d); it may still be in use in the guest", d->domid, d->kind,
			     d->name, LX_DEV_CLOSE_TIMEOUT_MS / 1000, st);
			free(state);
			return -1;
		}
	}
	free(state);
	/* The script is needed only once it ran: "add" leaves hotplug-status
	 * (a vif's is there from the start, empty). */
	{
		char *hs = read_node(ctx, d->be, "hotplug-status");

		if (hs && hs[0] && lx_dev_hotplug(ctx, d, "remove", err, errlen) < 0)
			rc = -1;
		free(hs);
	}
	rm_nodes(ctx, d);
	return rc;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int *lx_dev_list(struct lx_ctx *ctx, uint32_t domid, const char *kind, unsigned int *n)
{
	char path[128], **ents;
	unsigned int num = 0, k = 0;
	int *out = NULL;

	*n = 0;
	snprintf(path, sizeof(path), "/libxl/%u/device/%s", domid, kind);
	ents = xs_directory(ctx->xs, XBT_NULL, path, &num);
	if (!ents || !num)
		goto out;
	out = calloc(num, sizeof(*out));
	if (!out)
		goto out;
	for (unsigned int i = 0; i < num; i++) {
		char *end;
		long v = strtol(ents[i], &end, 10);

		if (!*end && end != ents[i] && v >= 0 && v <= 0x7fffffff)
			out[k++] = (int)v;
	}
	qsort(out, k, sizeof(*out), cmp_int);
	*n = k;
out:
	free(ents);
	return out;
}

int lx_devices_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *disks,
		   unsigned int ndisks, const struct lx_nic_spec *nics, unsigned int nnics,
		   char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < ndisks; i++)
		if (lx_disk_add(ctx, domid, &disks[i], err, errlen) < 0)
			goto undo;
	for (i = 0; i < nnics; i++)
		if (lx_nic_add(ctx, domid, &nics[i], NULL, err, errlen) < 0)
			goto undo;
	return 0;
undo:
	lx_devices_remove_all(ctx, domid);
	return -1;
}

void lx_devices_remove_all(struct lx_ctx *ctx, uint32_t domid)
{
	static const char *const kinds[] = { "vif", "vbd" };
	char why[1024];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		unsigned int n;
		int *ids = lx_dev_list(ctx, domid, kinds[k], &n);

		for (unsigned int i = 0; i < n; i++) {
			struct lx_dev d;
			char *be, name[32];
			unsigned int bdom = 0;

			snprintf(name, sizeof(name), "%d", ids[i]);
			lx_dev_init(&d, kinds[k], domid, 0, ids[i], name);
			/* The backend may live in another domain. */
			be = read_node(ctx, d.lx, "backend");
			if (be && sscanf(be, "/local/domain/%u/", &bdom) == 1) {
				if (bdom != 0)
					lx_dev_init(&d, kinds[k], domid, bdom, ids[i], name);
				/* As written: a qdisk's is under backend/qdisk. */
				if (strlen(be) < sizeof(d.be))
					snprintf(d.be, sizeof(d.be), "%s", be);
			}
			free(be);
			if (lx_dev_remove(ctx, &d, true, why, sizeof(why)) < 0)
				fprintf(stderr, "libxl: error: removing %s %d of domain %u: %s\n",
					kinds[k], ids[i], domid, why);
		}
		free(ids);
	}
}
