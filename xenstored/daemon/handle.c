/* One request in, one reply (or error) queued: the wire semantics. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "xsd.h"

/* Split the payload into NUL-terminated strings; trailing bytes without
 * a NUL do not count.  Returns the number found (up to max). */
static unsigned int split(const char *p, size_t len, const char **v,
			  unsigned int max)
{
	unsigned int n = 0;
	size_t off = 0;

	while (off < len && n < max) {
		size_t l = strnlen(p + off, len - off);

		if (off + l == len)
			break;
		v[n++] = p + off;
		off += l + 1;
	}
	return n;
}

/* Exactly one string, NUL-terminated, nothing after it. */
static const char *onearg(const char *p, size_t len)
{
	if (!len || p[len - 1] || strlen(p) != len - 1)
		return NULL;
	return p;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static void reply(struct xsd_conn *c, const struct xsd_sockmsg *h,
		  const void *data, size_t len)
{
	conn_queue(c, h->type, h->req_id, h->tx_id, data, len, false);
}

static void reply_ok(struct xsd_conn *c, const struct xsd_sockmsg *h)
{
	reply(c, h, "OK", 3);
}

static void reply_err(struct xsd_conn *c, const struct xsd_sockmsg *h,
		      int err)
{
	const char *name = xsd_errname(err);

	conn_queue(c, XS_ERROR, h->req_id, h->tx_id, name, strlen(name) + 1,
		   false);
}

static int do_directory_part(struct xsd *x, struct xsd_conn *c,
			     const struct xsd_node *n, const char *offs,
			     size_t *rlen)
{
	uint32_t off;
	size_t len = 0, glen, max;
	char *r = x->rbuf;

	if (parse_u32(offs, &off) || off > n->childlen)
		return -EINVAL;
	glen = (size_t)snprintf(r, 32, "%" PRIu64, n->gen) + 1;
	max = XENSTORE_PAYLOAD_MAX - glen - 1;
	/* Whole names only; an empty string marks the end. */
	while (off + len < n->childlen) {
		size_t l = strlen(n->children + off + len) + 1;

		if (len + l > max)
			break;
		len += l;
	}
	memcpy(r + glen, n->children + off, len);
	if (off + len == n->childlen)
		r[glen + len++] = '\0';
	*rlen = glen + len;
	(void)c;
	return 0;
}

static int do_perms(struct xsd *x, const struct xsd_node *n, size_t *rlen)
{
	size_t len = 0;

	for (uint32_t i = 0; i < n->nperms; i++) {
		int l = perm_format(&n->perms[i], x->rbuf + len,
				    XENSTORE_PAYLOAD_MAX - len);

		if (l < 0 || (size_t)l + 1 > XENSTORE_PAYLOAD_MAX - len)
			return -E2BIG;
		len += (size_t)l + 1;
	}
	*rlen = len;
	return 0;
}

void handle_message(struct xsd_conn *c, const struct xsd_sockmsg *h,
		    const char *p)
{
	struct xsd *x = c->x;
	char path[XENSTORE_ABS_PATH_MAX + 64];
	const char *v[4];
	struct xsd_txn *t = NULL;
	struct xsd_node *n;
	const char *arg;
	uint32_t a, b;
	size_t rlen = 0;
	int err = 0;

	if (x->log.trace) {
		/* Arguments shown space-separated, like the C daemon's. */
		char shown[128];
		size_t sl = h->len < sizeof(shown) - 1 ? h->len :
							sizeof(shown) - 1;

		for (size_t i = 0; i < sl; i++)
			shown[i] = !p[i] ? ' ' : (p[i] < ' ' || p[i] > '~') ?
				   '.' : p[i];
		shown[sl] = '\0';
		fprintf(x->log.trace, "IN  %p dom%" PRIu32 " %s (%s) tx %"
			PRIu32 "\n", (void *)c, c->domid,
			xsd_type_name(h->type), shown, h->tx_id);
	}

	switch (h->type) {
	case XS_DIRECTORY: case XS_READ: case XS_GET_PERMS: case XS_WRITE:
	case XS_MKDIR: case XS_RM: case XS_SET_PERMS: case XS_DIRECTORY_PART:
	case XS_TRANSACTION_END:
		if (h->tx_id) {
			t = txn_find(c, h->tx_id);
			if (!t) {
				err = -ENOENT;
				goto out;
			}
		}
		break;
	default:
		break;
	}

	switch (h->type) {
	case XS_CONTROL:
		if (!conn_is_priv(c)) {
			err = -EACCES;
			break;
		}
		err = control_handle(x, c, h, p, x->rbuf, &rlen);
		if (!err)
			reply(c, h, x->rbuf, rlen);
		else if (err > 0)
			err = 0; /* answered later (live-update -s) */
		break;
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
		arg = onearg(p, h->len);
		if (!arg) {
			err = -EINVAL;
			break;
		}
		err = path_canonical(x, c, arg, path, sizeof(path),
				     h->type == XS_GET_PERMS);
		if (!err)
			err = store_check_read(x, c, t, path, &n);
		if (err)
			break;
		if (h->type == XS_READ) {
			reply(c, h, n->value, n->vlen);
		} else if (h->type == XS_DIRECTORY) {
			if (n->childlen > XENSTORE_PAYLOAD_MAX)
				err = -E2BIG;
			else
				reply(c, h, n->children, n->childlen);
		} else {
			err = do_perms(x, n, &rlen);
			if (!err)
				reply(c, h, x->rbuf, rlen);
		}
		break;
	case XS_DIRECTORY_PART:
		if (split(p, h->len, v, 2) != 2) {
			err = -EINVAL;
			break;
		}
		err = path_canonical(x, c, v[0], path, sizeof(path), false);
		if (!err)
			err = store_check_read(x, c, t, path, &n);
		if (!err)
			err = do_directory_part(x, c, n, v[1], &rlen);
		if (!err)
			reply(c, h, x->rbuf, rlen);
		break;
	case XS_WRITE: {
		size_t l = strnlen(p, h->len);

		if (l == h->len) {
			err = -EINVAL;
			break;
		}
		err = path_canonical(x, c, p, path, sizeof(path), false);
		if (!err)
			err = store_write(x, c, t, path, p + l + 1,
					  h->len - l - 1, false);
		if (!err)
			reply_ok(c, h);
		break;
	}
	case XS_MKDIR:
	case XS_RM:
		arg = onearg(p, h->len);
		if (!arg) {
			err = -EINVAL;
			break;
		}
		err = path_canonical(x, c, arg, path, sizeof(path), false);
		if (err)
			break;
		if (h->type == XS_MKDIR)
			err = store_write(x, c, t, path, NULL, 0, true);
		else
			err = store_rm(x, c, t, path);
		if (!err)
			reply_ok(c, h);
		break;
	case XS_SET_PERMS: {
		struct xsd_perm perms[XENSTORE_PAYLOAD_MAX / 3];
		size_t l = strnlen(p, h->len);
		uint32_t nr;

		if (l == h->len) {
			err = -EINVAL;
			break;
		}
		err = path_canonical(x, c, p, path, sizeof(path), true);
		if (!err)
			err = perms_parse(p + l + 1, h->len - l - 1, perms,
					  XENSTORE_PAYLOAD_MAX / 3, &nr);
		if (!err)
			err = store_set_perms(x, c, t, path, perms, nr);
		if (!err)
			reply_ok(c, h);
		break;
	}
	case XS_WATCH:
	case XS_UNWATCH: {
		bool rel;

		if (split(p, h->len, v, 3) < 2) {
			err = -EINVAL;
			break;
		}
		rel = v[0][0] != '/' && v[0][0] != '@';
		err = path_canonical(x, c, v[0], path, sizeof(path), true);
		if (err)
			break;
		if (h->type == XS_UNWATCH) {
			err = watch_del(x, c, path, v[1]);
			if (!err)
				reply_ok(c, h);
			break;
		}
		err = watch_add(x, c, path, v[1], rel);
		if (err)
			break;
		reply_ok(c, h);
		/* The new watch fires at once, with the path as given. */
		watch_send(c, c->watches, path);
		break;
	}
	case XS_TRANSACTION_START:
		if (h->tx_id) {
			err = -EBUSY;
			break;
		}
		err = txn_start(x, c, &a);
		if (!err) {
			int l = snprintf(x->rbuf, 16, "%" PRIu32, a);

			reply(c, h, x->rbuf, (size_t)l + 1);
		}
		break;
	case XS_TRANSACTION_END:
		arg = onearg(p, h->len);
		if (!t) {
			err = -ENOENT;
			break;
		}
		if (!arg || (strcmp(arg, "T") && strcmp(arg, "F"))) {
			err = -EINVAL;
			break;
		}
		err = txn_end(x, c, t, arg[0] == 'T');
		if (!err)
			reply_ok(c, h);
		break;
	case XS_INTRODUCE: {
		uint64_t mfn;
		char *end;

		if (!conn_is_priv(c)) {
			err = -EACCES;
			break;
		}
		if (split(p, h->len, v, 3) != 3 || parse_u32(v[0], &a) ||
		    parse_u32(v[2], &b) || v[1][0] < '0' || v[1][0] > '9') {
			err = -EINVAL;
			break;
		}
		errno = 0;
		mfn = strtoull(v[1], &end, 10);
		if (*end || errno) {
			err = -EINVAL;
			break;
		}
		err = domain_introduce(x, c, a, mfn, b);
		if (!err)
			reply_ok(c, h);
		break;
	}
	case XS_RELEASE:
	case XS_RESUME:
		if (!conn_is_priv(c)) {
			err = -EACCES;
			break;
		}
		if (parse_u32(onearg(p, h->len), &a)) {
			err = -EINVAL;
			break;
		}
		if (h->type == XS_RELEASE) {
			err = domain_release(x, a, true);
		} else {
			struct xsd_domain *d = domain_find(x, a);

			if (!d || !d->introduced)
				err = a == 0 ? -EINVAL : -ENOENT;
			else
				d->shutdown = false;
		}
		if (!err)
			reply_ok(c, h);
		break;
	case XS_GET_DOMAIN_PATH:
		if (parse_u32(onearg(p, h->len), &a)) {
			err = -EINVAL;
			break;
		}
		rlen = (size_t)snprintf(x->rbuf, 64, "/local/domain/%" PRIu32,
					a) + 1;
		reply(c, h, x->rbuf, rlen);
		break;
	case XS_IS_DOMAIN_INTRODUCED: {
		struct xsd_domain *d;

		if (parse_u32(onearg(p, h->len), &a)) {
			err = -EINVAL;
			break;
		}
		d = domain_find(x, a);
		reply(c, h, (a == 0 || (d && d->introduced)) ? "T" : "F", 2);
		break;
	}
	case XS_SET_TARGET: {
		struct xsd_domain *d;

		if (!conn_is_priv(c)) {
			err = -EACCES;
			break;
		}
		if (split(p, h->len, v, 2) != 2 || parse_u32(v[0], &a) ||
		    parse_u32(v[1], &b)) {
			err = -EINVAL;
			break;
		}
		d = domain_find(x, a);
		if (!d || !d->introduced || b >= XSD_DOMID_MAX) {
			err = -ENOENT;
			break;
		}
		d->target = b;
		reply_ok(c, h);
		break;
	}
	case XS_RESET_WATCHES:
		watch_del_all(x, c);
		while (c->txns)
			txn_end(x, c, c->txns, false);
		reply_ok(c, h);
		break;
	default:
		xsd_logf(x, LOG_WARNING, "domain %" PRIu32 ": unknown message "
			 "type %" PRIu32, c->domid, h->type);
		err = -ENOSYS;
		break;
	}
out:
	if (err)
		reply_err(c, h, -err);
}
