/* A domain's names: rename (xl rename) and the preserved name of a
 * shut-down domain kept out of its successor's way (on_*="rename-restart").
 * Both change /local/domain/N/name and /vm/UUID/name in one transaction. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lx.h"

struct renaming {
	uint32_t domid;
	const char *old_name, *new_name;
	const char *vmpath;		/* /vm/UUID/name */
	bool raced;			/* the old name was no longer there */
};

static int write_name(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	struct renaming *r = arg;
	char path[64];
	unsigned int len;
	char *cur;

	snprintf(path, sizeof(path), "/local/domain/%u/name", r->domid);
	cur = xs_read(ctx->xs, t, path, &len);
	if (!cur || (r->old_name && strcmp(cur, r->old_name))) {
		r->raced = true;
		free(cur);
		errno = cur ? EBUSY : ENOENT;
		return -1;
	}
	free(cur);
	if (!xs_write(ctx->xs, t, path, r->new_name, (unsigned int)strlen(r->new_name)) ||
	    !xs_write(ctx->xs, t, r->vmpath, r->new_name, (unsigned int)strlen(r->new_name)))
		return -1;
	return 0;
}

/* As libxl_domain_rename: the old name (when given) must still be the
 * current one, and the new one must be free. */
int lx_domain_rename(struct lx_ctx *ctx, uint32_t domid, const char *old_name,
		     const char *new_name, char *err, size_t errlen)
{
	struct renaming r = { .domid = domid, .old_name = old_name, .new_name = new_name };
	char vmpath[96], uuid[37];
	xc_domaininfo_t info;
	uint32_t other;

	if (!*new_name || strchr(new_name, '/')) {
		snprintf(err, errlen, "'%s' is not a valid domain name", new_name);
		errno = EINVAL;
		return -1;
	}
	if (lx_domain_by_name(ctx, new_name, &other) == 0 && other != domid) {
		snprintf(err, errlen, "domain %u: a domain named \"%s\" already exists.", domid,
			 new_name);
		errno = EEXIST;
		return -1;
	}
	if (xc_domain_getinfo_single(ctx->xch, domid, &info) < 0) {
		snprintf(err, errlen, "domain %u: %s", domid, strerror(errno));
		return -1;
	}
	lx_uuid_format(info.handle, uuid);
	snprintf(vmpath, sizeof(vmpath), "/vm/%s/name", uuid);
	r.vmpath = vmpath;
	if (lx_xs_transact(ctx, write_name, &r) == 0)
		return 0;
	if (r.raced)
		snprintf(err, errlen, "domain %u is %s", domid, errno == EBUSY ?
			 "no longer named as it was (racing?)" : "not in xenstore");
	else
		snprintf(err, errlen, "writing the new name of domain %u: %s", domid,
			 strerror(errno));
	return -1;
}

struct preserved {
	uint32_t domid;
	const char *vm, *uuid, *newname;
};

static int write_preserved(struct lx_ctx *ctx, xs_transaction_t t, void *arg)
{
	const struct preserved *p = arg;
	struct xs_permissions perms[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = p->domid, .perms = XS_PERM_READ },
	};
	char path[96];
	bool ok;

	snprintf(path, sizeof(path), "%s/uuid", p->vm);
	ok = xs_write(ctx->xs, t, path, p->uuid, (unsigned int)strlen(p->uuid));
	snprintf(path, sizeof(path), "%s/name", p->vm);
	ok = ok && xs_write(ctx->xs, t, path, p->newname, (unsigned int)strlen(p->newname));
	ok = ok && xs_set_permissions(ctx->xs, t, p->vm, perms, 2);
	snprintf(path, sizeof(path), "/local/domain/%u/vm", p->domid);
	ok = ok && xs_write(ctx->xs, t, path, p->vm, (unsigned int)strlen(p->vm));
	snprintf(path, sizeof(path), "/local/domain/%u/name", p->domid);
	ok = ok && xs_write(ctx->xs, t, path, p->newname, (unsigned int)strlen(p->newname));
	return ok ? 0 : -1;
}

/* What xl does to keep a shut-down domain out of the way of its restarted
 * successor: a new name with a UTC time suffix, a new handle and its own
 * /vm entry, so the successor can take the old name and UUID. */
int lx_domain_preserve(struct lx_ctx *ctx, uint32_t domid, const char *name,
		       const uint8_t new_uuid[16], char *newname_out, size_t newname_len,
		       char *err, size_t errlen)
{
	struct preserved p;
	char suffix[24], newname[300], uuid[37], vm[64];
	struct tm tm;
	time_t now = time(NULL);
	uint32_t other;

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
	p.domid = domid;
	p.vm = vm;
	p.uuid = uuid;
	p.newname = newname;
	if (lx_xs_transact(ctx, write_preserved, &p) == 0) {
		if (xc_domain_sethandle(ctx->xch, domid, new_uuid) < 0) {
			snprintf(err, errlen, "new handle for domain %u: %s", domid, strerror(errno));
			return -1;
		}
		snprintf(newname_out, newname_len, "%s", newname);
		return 0;
	}
	snprintf(err, errlen, "preserving domain %u as '%s': %s", domid, newname, strerror(errno));
	return -1;
}
