/* A domain's xenstore layout, as libxl writes it for a PVH or PV guest: its own
 * directory (owned by dom0, readable by the guest) with the subtrees the
 * guest may write, /vm/UUID and /libxl/DOMID. One transaction, retried
 * while xenstored reports a conflict. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore_lib.h>
#include "lx.h"

/* Guest-writable subtrees of /local/domain/N. */
static const char *const guest_rw[] = {
	"device", "control", "data", "drivers", "feature", "attr", "error",
	"memory", "control/shutdown", "control/sysrq",
};

struct xs_txn {
	struct lx_ctx *ctx;
	xs_transaction_t t;
	char failed[256];		/* first path that could not be written */
	int failed_errno;
};

static void note_failure(struct xs_txn *x, const char *path)
{
	x->failed_errno = errno;
	snprintf(x->failed, sizeof(x->failed), "%s", path);
}

static void put(struct xs_txn *x, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put(struct xs_txn *x, const char *value, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	if (x->failed[0])
		return;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!xs_write(x->ctx->xs, x->t, path, value, (unsigned int)strlen(value)))
		note_failure(x, path);
}

static void perms(struct xs_txn *x, uint32_t owner, uint32_t reader, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void perms(struct xs_txn *x, uint32_t owner, uint32_t reader, const char *fmt, ...)
{
	char path[256];
	struct xs_permissions p[2] = {
		{ .id = owner, .perms = XS_PERM_NONE },
		{ .id = reader, .perms = XS_PERM_READ },
	};
	va_list ap;

	if (x->failed[0])
		return;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!xs_set_permissions(x->ctx->xs, x->t, path, p, reader == owner ? 1 : 2))
		note_failure(x, path);
}

#define TRANSACT_TRIES 20

int lx_xs_transact(struct lx_ctx *ctx, int (*body)(struct lx_ctx *ctx, xs_transaction_t t,
						   void *arg), void *arg)
{
	for (int tries = 0; tries < TRANSACT_TRIES; tries++) {
		xs_transaction_t t = xs_transaction_start(ctx->xs);
		int e;

		if (t == XBT_NULL)
			return -1;
		if (body(ctx, t, arg) < 0) {
			e = errno;
			xs_transaction_end(ctx->xs, t, true);
			errno = e;
			return -1;
		}
		if (xs_transaction_end(ctx->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;	/* errno is still EAGAIN */
}

struct domain_layout {
	uint32_t domid;
	const struct lx_domain_spec *spec;
	const char *uuid;
	uint64_t store_pfn, console_pfn;
	uint32_t store_port, console_port;
	char failed[256];		/* first path that could not be written */
};

static int write_layout(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	struct domain_layout *l = arg;
	const struct lx_domain_spec *spec = l->spec;
	uint32_t domid = l->domid;
	struct xs_txn x = { .ctx = ctx, .t = t };
	char num[64], dom[32];
	const char *d = dom, *uuid = l->uuid;
	size_t i;

	snprintf(dom, sizeof(dom), "/local/domain/%u", domid);
	put(&x, "", "%s", d);
	perms(&x, 0, domid, "%s", d);
	for (i = 0; i < sizeof(guest_rw) / sizeof(guest_rw[0]); i++) {
		put(&x, "", "%s/%s", d, guest_rw[i]);
		perms(&x, domid, domid, "%s/%s", d, guest_rw[i]);
	}
	put(&x, spec->name, "%s/name", d);
	snprintf(num, sizeof(num), "%u", domid);
	put(&x, num, "%s/domid", d);
	snprintf(num, sizeof(num), "/vm/%s", uuid);
	put(&x, num, "%s/vm", d);
	snprintf(num, sizeof(num), "%llu",
		 (unsigned long long)(spec->maxmem_kb ? spec->maxmem_kb : spec->memory_kb));
	put(&x, num, "%s/memory/static-max", d);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)spec->memory_kb);
	put(&x, num, "%s/memory/target", d);
	put(&x, "-1", "%s/memory/videoram", d);
	for (unsigned int c = 0; c < spec->vcpus; c++)
		put(&x, "online", "%s/cpu/%u/availability", d, c);
	snprintf(num, sizeof(num), "%u", l->store_port);
	put(&x, num, "%s/store/port", d);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)l->store_pfn);
	put(&x, num, "%s/store/ring-ref", d);
	snprintf(num, sizeof(num), "%u", l->console_port);
	put(&x, num, "%s/console/port", d);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)l->console_pfn);
	put(&x, num, "%s/console/ring-ref", d);
	put(&x, "1048576", "%s/console/limit", d);
	put(&x, "xenconsoled", "%s/console/type", d);
	put(&x, "pty", "%s/console/output", d);
	put(&x, "0", "%s/console/backend-id", d);
	put(&x, "1", "%s/control/platform-feature-multiprocessor-suspend", d);
	put(&x, "1", "%s/control/platform-feature-xs_reset_watches", d);
	put(&x, uuid, "/vm/%s/uuid", uuid);
	put(&x, spec->name, "/vm/%s/name", uuid);
	snprintf(num, sizeof(num), "%lld", (long long)time(NULL));
	put(&x, num, "/vm/%s/start_time", uuid);
	perms(&x, 0, domid, "/vm/%s", uuid);
	if (spec->pv) {
		/* libxl records what a PV guest was booted from. */
		put(&x, "linux", "/vm/%s/image/ostype", uuid);
		put(&x, spec->kernel, "/vm/%s/image/kernel", uuid);
		if (spec->ramdisk)
			put(&x, spec->ramdisk, "/vm/%s/image/ramdisk", uuid);
		if (spec->cmdline)
			put(&x, spec->cmdline, "/vm/%s/image/cmdline", uuid);
	}
	put(&x, spec->pv ? "pv" : "pvh", "/libxl/%u/type", domid);
	if (x.failed[0]) {
		snprintf(l->failed, sizeof(l->failed), "%s", x.failed);
		errno = x.failed_errno;
		return -1;
	}
	return 0;
}

int lx_xs_write_domain(struct lx_ctx *ctx, uint32_t domid, const struct lx_domain_spec *spec,
		       const char *uuid, uint64_t store_pfn, uint32_t store_port,
		       uint64_t console_pfn, uint32_t console_port, char *err, size_t errlen)
{
	struct domain_layout l = {
		.domid = domid, .spec = spec, .uuid = uuid,
		.store_pfn = store_pfn, .console_pfn = console_pfn,
		.store_port = store_port, .console_port = console_port,
	};

	if (lx_xs_transact(ctx, write_layout, &l) == 0)
		return 0;
	if (l.failed[0])
		snprintf(err, errlen, "writing xenstore %s: %s", l.failed, strerror(errno));
	else
		snprintf(err, errlen, "committing the xenstore entries of domain %u: %s", domid,
			 strerror(errno));
	return -1;
}

void lx_xs_remove_domain(struct lx_ctx *ctx, uint32_t domid)
{
	char path[64];
	char *vm;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	vm = xs_read(ctx->xs, XBT_NULL, path, &len);
	if (vm && !strncmp(vm, "/vm/", 4))
		xs_rm(ctx->xs, XBT_NULL, vm);
	free(vm);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	xs_rm(ctx->xs, XBT_NULL, path);
	snprintf(path, sizeof(path), "/libxl/%u", domid);
	xs_rm(ctx->xs, XBT_NULL, path);
}
