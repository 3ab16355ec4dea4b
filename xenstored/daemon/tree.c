/* Nodes, the path-keyed hash table holding them, permissions and paths. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

uint32_t xsd_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

int ntable_init(struct xsd_ntable *t, size_t nb)
{
	t->b = calloc(nb, sizeof(*t->b));
	if (!t->b)
		return -ENOMEM;
	t->nbuckets = nb;
	t->count = 0;
	return 0;
}

void ntable_free(struct xsd_ntable *t, bool free_nodes)
{
	if (free_nodes && t->b) {
		for (size_t i = 0; i < t->nbuckets; i++) {
			struct xsd_node *n = t->b[i], *nx;

			for (; n; n = nx) {
				nx = n->hnext;
				node_free(n);
			}
		}
	}
	free(t->b);
	t->b = NULL;
	t->nbuckets = t->count = 0;
}

struct xsd_node *ntable_find(const struct xsd_ntable *t, const char *name,
			     size_t len, uint32_t h)
{
	struct xsd_node *n = t->b[h & (t->nbuckets - 1)];

	for (; n; n = n->hnext)
		if (n->hash == h && n->namelen == len &&
		    !memcmp(n->name, name, len))
			return n;
	return NULL;
}

/* Doubling keeps chains short; a failed grow just leaves them longer. */
static void ntable_grow(struct xsd_ntable *t)
{
	size_t nb = t->nbuckets * 2;
	struct xsd_node **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct xsd_node *n = t->b[i], *nx;

		for (; n; n = nx) {
			nx = n->hnext;
			n->hnext = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	}
	free(t->b);
	t->b = b;
	t->nbuckets = nb;
}

int ntable_insert(struct xsd_ntable *t, struct xsd_node *n)
{
	size_t i;

	if (t->count >= 2 * t->nbuckets)
		ntable_grow(t); /* chains of two on average: fine */
	i = n->hash & (t->nbuckets - 1);
	n->hnext = t->b[i];
	t->b[i] = n;
	t->count++;
	return 0;
}

void ntable_remove(struct xsd_ntable *t, struct xsd_node *n)
{
	struct xsd_node **pp = &t->b[n->hash & (t->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			t->count--;
			return;
		}
	}
}

/* vroom: bytes kept after the name for a value (up to 64 KiB). */
struct xsd_node *node_alloc(const char *name, size_t len, size_t vroom)
{
	struct xsd_node *n;

	if (vroom > UINT16_MAX)
		vroom = 0;
	n = calloc(1, sizeof(*n) + len + 1 + vroom);
	if (!n)
		return NULL;
	memcpy(n->name, name, len);
	n->namelen = (uint32_t)len;
	n->hash = xsd_hash(name, len);
	n->perms = &n->perm0;
	n->nperms = 1;
	n->vinline = (uint16_t)vroom;
	return n;
}

static char *inline_value(struct xsd_node *n)
{
	return n->name + n->namelen + 1;
}

void node_free(struct xsd_node *n)
{
	if (!n)
		return;
	if (n->value != inline_value(n))
		free(n->value);
	free(n->children);
	if (n->perms != &n->perm0)
		free(n->perms);
	free(n);
}

struct xsd_node *node_dup(const struct xsd_node *src)
{
	struct xsd_node *n = node_alloc(src->name, src->namelen, src->vlen);

	if (!n)
		return NULL;
	n->gen = src->gen;
	if (node_set_value(n, src->value, src->vlen) ||
	    node_set_perms(n, src->perms, src->nperms))
		goto fail;
	if (node_set_children(n, src->children, src->childlen))
		goto fail;
	return n;
fail:
	node_free(n);
	return NULL;
}

int node_set_value(struct xsd_node *n, const void *v, size_t len)
{
	char *in = inline_value(n), *nv = NULL;

	if (len && len <= n->vinline) {
		nv = in;
		memmove(nv, v, len);
	} else if (len) {
		nv = malloc(len);
		if (!nv)
			return -ENOMEM;
		memcpy(nv, v, len);
	}
	if (n->value != in)
		free(n->value);
	n->value = nv;
	n->vlen = (uint32_t)len;
	return 0;
}

int node_set_perms(struct xsd_node *n, const struct xsd_perm *p, uint32_t nr)
{
	struct xsd_perm *np = &n->perm0;

	if (nr > UINT16_MAX)
		return -E2BIG;
	if (nr > 1) {
		np = malloc(nr * sizeof(*np));
		if (!np)
			return -ENOMEM;
	}
	memmove(np, p, nr * sizeof(*np));
	if (n->perms != &n->perm0)
		free(n->perms);
	n->perms = np;
	n->nperms = (uint16_t)nr;
	return 0;
}

/* Children buffers grow by doubling from 32 bytes. */
size_t node_child_cap(size_t len)
{
	size_t cap = 32;

	if (!len)
		return 0;
	while (cap < len)
		cap *= 2;
	return cap;
}

int node_set_children(struct xsd_node *n, const char *c, size_t len)
{
	char *nc = NULL;

	if (len) {
		nc = malloc(node_child_cap(len));
		if (!nc)
			return -ENOMEM;
		memcpy(nc, c, len);
	}
	free(n->children);
	n->children = nc;
	n->childlen = (uint32_t)len;
	return 0;
}

int node_add_child(struct xsd_node *n, const char *child, size_t len)
{
	size_t need = n->childlen + len + 1;

	if (need > node_child_cap(n->childlen)) {
		char *nc = realloc(n->children, node_child_cap(need));

		if (!nc)
			return -ENOMEM;
		n->children = nc;
	}
	memcpy(n->children + n->childlen, child, len);
	n->children[n->childlen + len] = '\0';
	n->childlen = (uint32_t)need;
	return 0;
}

bool node_del_child(struct xsd_node *n, const char *child, size_t len)
{
	size_t off = 0;

	while (off < n->childlen) {
		size_t l = strlen(n->children + off);

		if (l == len && !memcmp(n->children + off, child, len)) {
			memmove(n->children + off, n->children + off + l + 1,
				n->childlen - off - l - 1);
			n->childlen -= (uint32_t)(l + 1);
			return true;
		}
		off += l + 1;
	}
	return false;
}

/* What the entry-size quota measures, as the C daemon does. */
size_t node_size(const struct xsd_node *n)
{
	return n->nperms * sizeof(struct xsd_perm) + n->vlen + n->childlen;
}

/* "b0\0r5\0" style: each entry a letter and a decimal domid. */
int perms_parse(const char *s, size_t len, struct xsd_perm *out, uint32_t max,
		uint32_t *nr)
{
	size_t off = 0;
	uint32_t n = 0;

	while (off < len) {
		const char *e = s + off;
		size_t l = strnlen(e, len - off);
		uint32_t bits;
		char *end;
		unsigned long id;

		if (l == len - off)
			return -EINVAL; /* not terminated */
		switch (e[0]) {
		case 'n': bits = XSD_PERM_NONE; break;
		case 'r': bits = XSD_PERM_READ; break;
		case 'w': bits = XSD_PERM_WRITE; break;
		case 'b': bits = XSD_PERM_READ | XSD_PERM_WRITE; break;
		default: return -EINVAL;
		}
		if (e[1] < '0' || e[1] > '9')
			return -EINVAL;
		errno = 0;
		id = strtoul(e + 1, &end, 10);
		if (*end || errno || id > UINT32_MAX)
			return -EINVAL;
		if (n >= max)
			return -ENOSPC;
		out[n].id = (uint32_t)id;
		out[n].perms = bits;
		n++;
		off += l + 1;
	}
	if (!n)
		return -EINVAL;
	*nr = n;
	return 0;
}

int perm_format(const struct xsd_perm *p, char *buf, size_t len)
{
	static const char letters[] = "nrwb";

	return snprintf(buf, len, "%c%" PRIu32,
			letters[p->perms & 3], p->id);
}

bool conn_is_priv(const struct xsd_conn *c)
{
	return !c || c->domid == 0;
}

/* Owner gets everything; otherwise the entry naming the domain (or the
 * domain it is the device model of), else the default (first) entry. */
uint32_t perm_for_conn(struct xsd *x, const struct xsd_conn *c,
		       const struct xsd_node *n)
{
	uint32_t id, target = UINT32_MAX;

	if (conn_is_priv(c))
		return XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER;
	id = c->domid;
	if (c->dom)
		target = c->dom->target;
	if (n->perms[0].id == id || n->perms[0].id == target)
		return XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER;
	for (uint32_t i = 1; i < n->nperms; i++)
		if (n->perms[i].id == id || n->perms[i].id == target)
			return n->perms[i].perms;
	(void)x;
	return n->perms[0].perms;
}

bool path_is_child(const char *child, const char *parent)
{
	size_t l = strlen(parent);

	if (l == 1 && parent[0] == '/')
		return child[0] == '/';
	return !strncmp(child, parent, l) &&
	       (child[l] == '/' || child[l] == '\0');
}

static bool path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

/*
 * Make a request path absolute (relative ones live under the domain's
 * home) and validate it: charset, no empty components, length limits.
 */
int path_canonical(struct xsd *x, struct xsd_conn *c, const char *in,
		   char *out, size_t outlen, bool allow_special)
{
	size_t plen = 0, ilen = strlen(in), rel;
	uint32_t domid = c ? c->domid : 0;

	if (in[0] == '@') {
		if (!allow_special)
			return -EINVAL;
		if (strcmp(in, "@introduceDomain") &&
		    strcmp(in, "@releaseDomain"))
			return -EINVAL;
		if (ilen + 1 > outlen)
			return -EINVAL;
		memcpy(out, in, ilen + 1);
		return 0;
	}
	if (in[0] != '/') {
		plen = (size_t)snprintf(out, outlen, "/local/domain/%" PRIu32
					"/", domid);
	}
	if (plen + ilen + 1 > outlen || plen + ilen > XENSTORE_ABS_PATH_MAX)
		return -EINVAL;
	memcpy(out + plen, in, ilen + 1);
	ilen += plen;
	if (ilen > 1 && out[ilen - 1] == '/')
		return -EINVAL;
	for (size_t i = 0; i < ilen; i++) {
		if (!path_char_ok(out[i]))
			return -EINVAL;
		if (out[i] == '/' && out[i + 1] == '/')
			return -EINVAL;
	}
	/* The path-max quota counts what lies below the domain's home. */
	rel = ilen;
	if (!strncmp(out, "/local/domain/", 14)) {
		const char *p = out + 14;

		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '/')
			rel = ilen - (size_t)(p + 1 - out);
	}
	if (!conn_is_priv(c) && (long)rel > x->q.path_max) {
		domain_quota_hit(x, c, "path-max", (long)rel, x->q.path_max);
		return -EINVAL;
	}
	return 0;
}
