/* The less common xl.cfg device and resource lists: vnuma, ioports,
 * irqs, iomem, p9, vtpm, pvcalls, usbctrl, usbdev, vkb, vdispl, vsnd; and
 * the item walkers that xl_parse.c shares (xl_parse_i.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xl_parse_i.h"

char *xlp_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); )
		*--e = 0;
	return s;
}

static int ulong_of(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return end == s || errno || *v == ULONG_MAX ? -1 : 0;
}

/* vnuma = [ [ "pnode=0", "size=2048", "vcpus=0-1", "vdistances=10,20" ], ... ]
 * Host checks (pnode < host nodes, vcpus <= host cpus) need a running
 * hypervisor and are left to domain creation. */
int xlp_parse_vnuma(struct pctx *p)
{
	libxl_domain_build_info *b = &p->dc->b_info;
	XLU_ConfigList *vn;
	int n;
	unsigned long max_vcpus = 0;
	uint64_t max_memkb = 0;

	if (xlu_cfg_get_list(p->cfg, "vnuma", &vn, &n, 1) || !n)
		return 0;
	b->vnuma_nodes = calloc((size_t)n, sizeof(*b->vnuma_nodes));
	if (!b->vnuma_nodes)
		return -1;
	b->num_vnuma_nodes = n;
	for (int i = 0; i < n; i++) {
		libxl_vnode_info *v = &b->vnuma_nodes[i];

		v->memkb = LIBXL_MEMKB_DEFAULT;
		v->distances = calloc((size_t)n, sizeof(*v->distances));
		if (!v->distances)
			return -1;
		v->num_distances = n;
		if (libxl_bitmap_alloc(NULL, &v->vcpus, b->max_vcpus ? b->max_vcpus : 1))
			return -1;
	}
	for (int i = 0; i < n; i++) {
		libxl_vnode_info *v = &b->vnuma_nodes[i];
		XLU_ConfigValue *spec = xlu_cfg_get_listitem2(vn, i);
		XLU_ConfigList *opts;
		XLU_ConfigValue *o;

		if (xlu_cfg_value_get_list(p->cfg, spec, &opts, 1))
			return xlp_bad(p, "vnuma", "node %d must be a [list] of \"key=value\" strings", i);
		for (int j = 0; (o = xlu_cfg_get_listitem2(opts, j)); j++) {
			char *s, *eq, *k, *val;
			unsigned long ul;

			if (xlu_cfg_value_get_string(p->cfg, o, &s, 1))
				continue;
			s = strdup(s);
			if (!s)
				return -1;
			eq = strchr(s, '=');
			if (!eq) {
				free(s);
				return xlp_bad(p, "vnuma", "node %d: expected key=value, got \"%s\"", i,
					       xlu_cfg_get_listitem(opts, j));
			}
			*eq = 0;
			k = xlp_trim(s);
			val = xlp_trim(eq + 1);
			if (!strcmp(k, "pnode")) {
				if (ulong_of(val, &ul)) {
					xlp_bad(p, "vnuma", "node %d: bad pnode \"%s\"", i, val);
					free(s);
					return -1;
				}
				v->pnode = (uint32_t)ul;
				libxl_defbool_set(&b->numa_placement, false);
			} else if (!strcmp(k, "size")) {
				if (ulong_of(val, &ul)) {
					xlp_bad(p, "vnuma", "node %d: bad size \"%s\" (MiB)", i, val);
					free(s);
					return -1;
				}
				v->memkb = (uint64_t)ul << 10;
				max_memkb += v->memkb;
			} else if (!strcmp(k, "vcpus")) {
				char *save = NULL, *r;
				for (r = strtok_r(val, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
					char *end;
					unsigned long a = strtoul(r, &end, 10), z = a;
					if (end == r || (*end == '-' && ((z = strtoul(end + 1, &end, 10)), 0)) ||
					    *end || z < a || z > 4095) {
						xlp_bad(p, "vnuma", "node %d: bad vcpus range \"%s\"", i, r);
						free(s);
						return -1;
					}
					if (libxl_bitmap_grow(&v->vcpus, (int)z + 1)) {
						free(s);
						return -1;
					}
					for (; a <= z; a++) {
						libxl_bitmap_set(&v->vcpus, (int)a);
						max_vcpus++;
					}
				}
			} else if (!strcmp(k, "vdistances")) {
				char *save = NULL, *r;
				int d = 0;
				for (r = strtok_r(val, ",", &save); r; r = strtok_r(NULL, ",", &save), d++) {
					if (ulong_of(r, &ul) || d >= n) {
						free(s);
						return xlp_bad(p, "vnuma", "node %d: bad vdistances (need %d numbers)", i, n);
					}
					v->distances[d] = (uint32_t)ul;
				}
			}
			free(s);
		}
	}
	fprintf(stderr, "%s:%d: vnuma: pnode numbers and the vcpu count are not checked against the host "
		"(no hypervisor in a dry run)\n", p->src, xlu_cfg_lineno(p->cfg, "vnuma"));
	if (b->max_vcpus != 0) {
		if ((unsigned long)b->max_vcpus != max_vcpus)
			return xlp_bad(p, "vnuma", "vnuma vcpus (%lu) and maxvcpus= (%d) mismatch",
				       max_vcpus, b->max_vcpus);
	} else {
		b->max_vcpus = (int)max_vcpus;
	}
	if (b->max_memkb != LIBXL_MEMKB_DEFAULT && b->max_memkb != max_memkb)
		return xlp_bad(p, "vnuma", "maxmem and vnuma memory size mismatch");
	b->max_memkb = max_memkb;
	return 0;
}

int xlp_parse_io(struct pctx *p)
{
	libxl_domain_build_info *b = &p->dc->b_info;
	XLU_ConfigList *l;
	const char *s;
	int n;

	if (!xlu_cfg_get_list(p->cfg, "ioports", &l, &n, 0)) {
		b->ioports = calloc(n ? (size_t)n : 1, sizeof(*b->ioports));
		if (!b->ioports)
			return -1;
		b->num_ioports = n;
		for (int i = 0; i < n; i++) {
			char *ep;
			unsigned long a, z;

			s = xlu_cfg_get_listitem(l, i);
			if (!s)
				return xlp_bad(p, "ioports", "element %d is not a string", i);
			a = z = strtoul(s, &ep, 16);
			if (ep == s || a >= UINT32_MAX)
				return xlp_bad(p, "ioports", "invalid ioport `%s' (hex PORT or PORT-PORT)", s);
			if (*ep == '-') {
				const char *s2 = ep + 1;
				z = strtoul(s2, &ep, 16);
				if (ep == s2 || *ep || z >= UINT32_MAX || z < a)
					return xlp_bad(p, "ioports", "invalid ioport range `%s'", s);
			} else if (*ep) {
				return xlp_bad(p, "ioports", "invalid ioport `%s'", s);
			}
			b->ioports[i].first = (uint32_t)a;
			b->ioports[i].number = (uint32_t)(z - a + 1);
		}
	}
	if (!xlu_cfg_get_list(p->cfg, "irqs", &l, &n, 0)) {
		b->irqs = calloc(n ? (size_t)n : 1, sizeof(*b->irqs));
		if (!b->irqs)
			return -1;
		b->num_irqs = n;
		for (int i = 0; i < n; i++) {
			char *ep;
			unsigned long v;

			s = xlu_cfg_get_listitem(l, i);
			if (!s)
				return xlp_bad(p, "irqs", "element %d is not a string", i);
			v = strtoul(s, &ep, 10);
			if (ep == s || *ep || v >= UINT32_MAX)
				return xlp_bad(p, "irqs", "invalid irq `%s'", s);
			b->irqs[i] = (uint32_t)v;
		}
	}
	if (!xlu_cfg_get_list(p->cfg, "iomem", &l, &n, 0)) {
		b->iomem = calloc(n ? (size_t)n : 1, sizeof(*b->iomem));
		if (!b->iomem)
			return -1;
		b->num_iomem = n;
		for (int i = 0; i < n; i++) {
			int used = 0, r;

			s = xlu_cfg_get_listitem(l, i);
			if (!s)
				return xlp_bad(p, "iomem", "element %d is not a string", i);
			b->iomem[i].gfn = LIBXL_INVALID_GFN;
			r = sscanf(s, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n", &b->iomem[i].start,
				   &b->iomem[i].number, &used, &b->iomem[i].gfn, &used);
			if (r < 2 || s[used])
				return xlp_bad(p, "iomem", "invalid iomem `%s' (IOMEM_START,NUM_PAGES[@GFN])", s);
		}
	}
	return 0;
}

/* "a,b,c" and "k=v,k=v" specs, one item at a time (see xl_parse_i.h). */
int xlp_each_item(struct pctx *p, const char *spec,
		  int (*fn)(struct pctx *p, void *obj, char *item), void *obj)
{
	char *buf = strdup(spec), *save = NULL, *t;
	int r = 0;

	if (!buf)
		return -1;
	for (t = strtok_r(buf, ",", &save); t && !r; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		r = fn(p, obj, t);
	}
	free(buf);
	return r < 0 ? -1 : 0;
}

struct kv_walk {
	int (*fn)(struct pctx *, void *, const char *, char *);
	void *obj;
};

static int kv_item(struct pctx *p, void *arg, char *t)
{
	struct kv_walk *w = arg;
	char *eq = strchr(t, '=');

	if (!eq)
		return 1;
	*eq = 0;
	return w->fn(p, w->obj, t, eq + 1) ? -1 : 0;
}

int xlp_each_kv(struct pctx *p, const char *spec,
		int (*fn)(struct pctx *p, void *obj, const char *key, char *value), void *obj)
{
	struct kv_walk w = { fn, obj };

	return xlp_each_item(p, spec, kv_item, &w);
}

static int p9_kv(struct pctx *p, void *o, const char *k, char *v)
{
	libxl_device_p9 *d = o;

	if (!strcmp(k, "security_model")) return xlp_set_str(&d->security_model, v);
	if (!strcmp(k, "path")) return xlp_set_str(&d->path, v);
	if (!strcmp(k, "tag")) return xlp_set_str(&d->tag, v);
	if (!strcmp(k, "backend")) return xlp_set_str(&d->backend_domname, v);
	return xlp_bad(p, "p9", "unknown string `%s' in 9pfs spec (tag, path, security_model, backend)", k);
}

static int vtpm_kv(struct pctx *p, void *o, const char *k, char *v)
{
	libxl_device_vtpm *d = o;

	if (!strcmp(k, "backend")) return xlp_set_str(&d->backend_domname, v);
	if (!strcmp(k, "uuid")) {
		if (libxl_uuid_from_string(&d->uuid, v))
			return xlp_bad(p, "vtpm", "failed to parse vtpm UUID: %s", v);
		return 0;
	}
	return xlp_bad(p, "vtpm", "unknown string `%s' in vtpm spec (backend, uuid)", k);
}

static int pvcalls_kv(struct pctx *p, void *o, const char *k, char *v)
{
	libxl_device_pvcallsif *d = o;

	if (!strcmp(k, "backend")) return xlp_set_str(&d->backend_domname, v);
	return xlp_bad(p, "pvcalls", "unknown string `%s' in pvcalls spec (backend)", k);
}

int xlp_parse_p9_vtpm_pvcalls(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	XLU_ConfigList *l;
	const char *s;

	if (!xlu_cfg_get_list(p->cfg, "p9", &l, 0, 0))
		for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
			libxl_device_p9 *d = GROW(dc->p9s, dc->num_p9s, libxl_device_p9, libxl_device_p9_init);

			if (!d || xlp_each_kv(p, s, p9_kv, d))
				return -1;
			if (!d->path || !d->security_model || !d->tag)
				return xlp_bad(p, "p9", "9pfs spec `%s' needs tag=, path= and security_model=", s);
		}
	if (!xlu_cfg_get_list(p->cfg, "vtpm", &l, 0, 0))
		for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
			libxl_device_vtpm *d = GROW(dc->vtpms, dc->num_vtpms, libxl_device_vtpm,
						    libxl_device_vtpm_init);

			if (!d)
				return -1;
			d->devid = i;
			if (xlp_each_kv(p, s, vtpm_kv, d))
				return -1;
			if (!d->backend_domname)
				return xlp_bad(p, "vtpm", "vtpm spec `%s' is missing the required backend= field", s);
		}
	if (!xlu_cfg_get_list(p->cfg, "pvcalls", &l, 0, 0))
		for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
			libxl_device_pvcallsif *d = GROW(dc->pvcallsifs, dc->num_pvcallsifs,
							 libxl_device_pvcallsif, libxl_device_pvcallsif_init);

			if (!d)
				return -1;
			d->devid = i;
			if (xlp_each_kv(p, s, pvcalls_kv, d))
				return -1;
		}
	return 0;
}

/* Items are "key=value" with the key matched as a prefix, as in Xen. */
static const char *opt(const char *tok, const char *key)
{
	size_t n = strlen(key);
	return !strncmp(tok, key, n) && tok[n] == '=' ? tok + n + 1 : NULL;
}

static int usbctrl_item(struct pctx *p, void *o, char *t)
{
	libxl_device_usbctrl *u = o;
	const char *v;

	if ((v = opt(t, "type"))) {
		if (libxl_usbctrl_type_from_string(v, &u->type))
			return xlp_bad(p, "usbctrl", "invalid usb controller type '%s'", v);
	} else if ((v = opt(t, "version"))) {
		u->version = atoi(v);
	} else if ((v = opt(t, "ports"))) {
		u->ports = atoi(v);
	} else {
		return xlp_bad(p, "usbctrl", "unknown string `%s' in usbctrl spec", t);
	}
	return 0;
}

static int usbdev_item(struct pctx *p, void *o, char *t)
{
	libxl_device_usbdev *u = o;
	const char *v;

	if ((v = opt(t, "type"))) {
		if (strcasecmp(v, "hostdev"))
			return xlp_bad(p, "usbdev", "invalid usb device type: %s", v);
		u->type = LIBXL_USBDEV_TYPE_HOSTDEV;
	} else if ((v = opt(t, "hostbus"))) {
		u->u.hostdev.hostbus = (uint8_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "hostaddr"))) {
		u->u.hostdev.hostaddr = (uint8_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "controller"))) {
		u->ctrl = atoi(v);
	} else if ((v = opt(t, "port"))) {
		u->port = atoi(v);
	} else {
		return xlp_bad(p, "usbdev", "unknown string `%s' in usbdev spec", t);
	}
	return 0;
}

int xlp_parse_usb(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	XLU_ConfigList *l;
	const char *s;

	if (!xlu_cfg_get_list(p->cfg, "usbctrl", &l, 0, 0))
		for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
			libxl_device_usbctrl *u = GROW(dc->usbctrls, dc->num_usbctrls, libxl_device_usbctrl,
						       libxl_device_usbctrl_init);

			if (!u)
				return -1;
			u->devid = i;
			if (xlp_each_item(p, s, usbctrl_item, u))
				return -1;
		}
	if (!xlu_cfg_get_list(p->cfg, "usbdev", &l, 0, 0))
		for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
			libxl_device_usbdev *u = GROW(dc->usbdevs, dc->num_usbdevs, libxl_device_usbdev,
						      libxl_device_usbdev_init);

			if (!u || xlp_each_item(p, s, usbdev_item, u))
				return -1;
		}
	return 0;
}

static int vkb_item(struct pctx *p, void *o, char *t)
{
	libxl_device_vkb *k = o;
	const char *v;

	if ((v = opt(t, "backend"))) {
		return xlp_set_str(&k->backend_domname, v);
	} else if ((v = opt(t, "backend-type"))) {
		if (libxl_vkb_backend_from_string(v, &k->backend_type))
			return xlp_bad(p, "vkb", "unknown backend-type \"%s\" (qemu or linux)", v);
	} else if ((v = opt(t, "unique-id"))) {
		return xlp_set_str(&k->unique_id, v);
	} else if ((v = opt(t, "feature-disable-keyboard"))) {
		k->feature_disable_keyboard = strtoul(v, NULL, 0);
	} else if ((v = opt(t, "feature-disable-pointer"))) {
		k->feature_disable_pointer = strtoul(v, NULL, 0);
	} else if ((v = opt(t, "feature-abs-pointer"))) {
		k->feature_abs_pointer = strtoul(v, NULL, 0);
	} else if ((v = opt(t, "feature-raw-pointer"))) {
		k->feature_raw_pointer = strtoul(v, NULL, 0);
	} else if ((v = opt(t, "feature-multi-touch"))) {
		k->feature_multi_touch = strtoul(v, NULL, 0);
	} else if ((v = opt(t, "multi-touch-width"))) {
		k->multi_touch_width = (uint32_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "multi-touch-height"))) {
		k->multi_touch_height = (uint32_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "multi-touch-num-contacts"))) {
		k->multi_touch_num_contacts = (uint32_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "width"))) {
		k->width = (uint32_t)strtoul(v, NULL, 0);
	} else if ((v = opt(t, "height"))) {
		k->height = (uint32_t)strtoul(v, NULL, 0);
	} else {
		return xlp_bad(p, "vkb", "unknown string \"%s\" in vkb spec", t);
	}
	return 0;
}

int xlp_parse_vkbs(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	XLU_ConfigList *l;
	const char *s;

	if (xlu_cfg_get_list(p->cfg, "vkb", &l, 0, 0))
		return 0;
	for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
		int idx = dc->num_vkbs;
		libxl_device_vkb *k = GROW(dc->vkbs, dc->num_vkbs, libxl_device_vkb, libxl_device_vkb_init);

		if (!k)
			return -1;
		k->devid = idx;
		if (xlp_each_item(p, s, vkb_item, k))
			return -1;
		if (k->backend_type == LIBXL_VKB_BACKEND_UNKNOWN)
			return xlp_bad(p, "vkb", "backend-type should be set in vkb spec `%s'", s);
		if (k->multi_touch_height || k->multi_touch_width || k->multi_touch_num_contacts)
			k->feature_multi_touch = true;
		if (k->feature_multi_touch &&
		    !(k->multi_touch_height || k->multi_touch_width || k->multi_touch_num_contacts))
			return xlp_bad(p, "vkb", "multi-touch-width, multi-touch-height, "
				       "multi-touch-num-contacts should be set for multi touch in vkb spec");
	}
	return 0;
}

/* connectors=ID:WxH;ID:WxH; a second connectors= replaces the first. */
static int vdispl_connectors(struct pctx *p, libxl_device_vdispl *v, const char *val)
{
	char *list = strdup(val), *cs = NULL, *c;
	int n = 0, rc = 0;

	if (!list)
		return -1;
	for (const char *q = val; *q; q++)
		n += *q == ';';
	for (int i = 0; i < v->num_connectors; i++)
		free(v->connectors[i].unique_id);
	free(v->connectors);
	v->num_connectors = 0;
	v->connectors = calloc((size_t)n + 1, sizeof(*v->connectors));
	if (!v->connectors) {
		free(list);
		return -1;
	}
	for (c = strtok_r(list, ";", &cs); c && !rc; c = strtok_r(NULL, ";", &cs)) {
		libxl_connector_param *cp = &v->connectors[v->num_connectors];
		char *colon = strchr(c, ':');
		char tail;

		if (!colon || colon == c ||
		    sscanf(colon + 1, "%ux%u%c", &cp->width, &cp->height, &tail) != 2) {
			rc = xlp_bad(p, "vdispl", "connector `%s': expected ID:WIDTHxHEIGHT", c);
			break;
		}
		*colon = 0;
		cp->unique_id = strdup(c);
		v->num_connectors++;
		if (!cp->unique_id)
			rc = -1;
	}
	free(list);
	return rc;
}

static int vdispl_item(struct pctx *p, void *o, char *t)
{
	libxl_device_vdispl *v = o;
	const char *val;

	if ((val = opt(t, "backend")))
		return xlp_set_str(&v->backend_domname, val);
	if ((val = opt(t, "be-alloc"))) {
		v->be_alloc = strtoul(val, NULL, 0) != 0;
		return 0;
	}
	if ((val = opt(t, "connectors")))
		return vdispl_connectors(p, v, val);
	return xlp_bad(p, "vdispl", "unknown string \"%s\" in vdispl spec (backend, be-alloc, connectors)", t);
}

/* vdispl = [ 'backend=dom0,be-alloc=1,connectors=id0:1920x1080;id1:800x600' ] */
int xlp_parse_vdispls(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	XLU_ConfigList *l;
	const char *s;

	if (xlu_cfg_get_list(p->cfg, "vdispl", &l, 0, 0))
		return 0;
	for (int i = 0; (s = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_vdispl *v = GROW(dc->vdispls, dc->num_vdispls, libxl_device_vdispl,
					      libxl_device_vdispl_init);

		if (!v)
			return -1;
		v->devid = i;
		if (xlp_each_item(p, s, vdispl_item, v))
			return -1;
		if (!v->num_connectors)
			return xlp_bad(p, "vdispl", "at least one connector should be specified in `%s'", s);
	}
	return 0;
}

static int u32_list(const char *val, uint32_t **out, int *n)
{
	int cnt = 1;
	char *copy, *save = NULL, *t;

	for (const char *q = val; *q; q++)
		cnt += *q == ';';
	*out = calloc((size_t)cnt, sizeof(**out));
	copy = strdup(val);
	if (!*out || !copy) {
		free(copy);
		return -1;
	}
	*n = 0;
	for (t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save))
		(*out)[(*n)++] = (uint32_t)strtoul(t, NULL, 0);
	free(copy);
	return 0;
}

/* 1 when tok is not a stream-parameter key */
static int vsnd_params(struct pctx *p, libxl_vsnd_params *pr, const char *tok)
{
	const char *val;

	if ((val = opt(tok, "sample-rates"))) {
		free(pr->sample_rates);
		return u32_list(val, &pr->sample_rates, &pr->num_sample_rates);
	}
	if ((val = opt(tok, "sample-formats"))) {
		char *copy = strdup(val), *save = NULL, *t;
		int cnt = 1;

		for (const char *q = val; *q; q++)
			cnt += *q == ';';
		free(pr->sample_formats);
		pr->num_sample_formats = 0;
		pr->sample_formats = calloc((size_t)cnt, sizeof(*pr->sample_formats));
		if (!copy || !pr->sample_formats) {
			free(copy);
			return -1;
		}
		for (t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
			if (libxl_vsnd_pcm_format_from_string(t, &pr->sample_formats[pr->num_sample_formats])) {
				xlp_bad(p, "vsnd", "invalid pcm format: %s", t);
				free(copy);
				return -1;
			}
			pr->num_sample_formats++;
		}
		free(copy);
		return 0;
	}
	if ((val = opt(tok, "channels-min"))) {
		pr->channels_min = (uint32_t)strtoul(val, NULL, 0);
		return 0;
	}
	if ((val = opt(tok, "channels-max"))) {
		pr->channels_max = (uint32_t)strtoul(val, NULL, 0);
		return 0;
	}
	if ((val = opt(tok, "buffer-size"))) {
		pr->buffer_size = (uint32_t)strtoul(val, NULL, 0);
		return 0;
	}
	return 1;
}

static void vsnd_pcm_init(void *v)
{
	memset(v, 0, sizeof(libxl_vsnd_pcm));
}

static void vsnd_stream_init(void *v)
{
	memset(v, 0, sizeof(libxl_vsnd_stream));
}

struct vsnd_walk {
	libxl_device_vsnd *vs;
	const char *key;	/* the item's first word: card, pcm or stream */
};

static int vsnd_token(struct pctx *p, void *o, char *t)
{
	struct vsnd_walk *w = o;
	libxl_device_vsnd *vs = w->vs;
	const char *key = w->key, *val;
	int r;

	if (!key) {
		w->key = t;
		if (!strcasecmp(t, "pcm")) {
			if (!xlp_grow((void **)&vs->pcms, &vs->num_vsnd_pcms, sizeof(libxl_vsnd_pcm),
				      vsnd_pcm_init))
				return -1;
		} else if (!strcasecmp(t, "stream")) {
			libxl_vsnd_pcm *pcm;
			if (!vs->num_vsnd_pcms &&
			    !xlp_grow((void **)&vs->pcms, &vs->num_vsnd_pcms, sizeof(libxl_vsnd_pcm),
				      vsnd_pcm_init))
				return -1;
			pcm = &vs->pcms[vs->num_vsnd_pcms - 1];
			if (!xlp_grow((void **)&pcm->streams, &pcm->num_vsnd_streams,
				      sizeof(libxl_vsnd_stream), vsnd_stream_init))
				return -1;
		} else if (strcasecmp(t, "card")) {
			return xlp_bad(p, "vsnd", "invalid key `%s' (card, pcm or stream)", t);
		}
		return 0;
	}
	if (!strcasecmp(key, "card")) {
		r = vsnd_params(p, &vs->params, t);
		if (r <= 0)
			return r;
		if ((val = opt(t, "backend"))) return xlp_set_str(&vs->backend_domname, val);
		if ((val = opt(t, "short-name"))) return xlp_set_str(&vs->short_name, val);
		if ((val = opt(t, "long-name"))) return xlp_set_str(&vs->long_name, val);
		return xlp_bad(p, "vsnd", "invalid card parameter: %s", t);
	} else if (!strcasecmp(key, "pcm")) {
		libxl_vsnd_pcm *pcm = &vs->pcms[vs->num_vsnd_pcms - 1];

		r = vsnd_params(p, &pcm->params, t);
		if (r <= 0)
			return r;
		if ((val = opt(t, "name"))) return xlp_set_str(&pcm->name, val);
		return xlp_bad(p, "vsnd", "invalid pcm parameter: %s", t);
	} else {
		libxl_vsnd_pcm *pcm = &vs->pcms[vs->num_vsnd_pcms - 1];
		libxl_vsnd_stream *st = &pcm->streams[pcm->num_vsnd_streams - 1];

		r = vsnd_params(p, &st->params, t);
		if (r <= 0)
			return r;
		if ((val = opt(t, "unique-id"))) return xlp_set_str(&st->unique_id, val);
		if ((val = opt(t, "type"))) {
			if (libxl_vsnd_stream_type_from_string(val, &st->type))
				return xlp_bad(p, "vsnd", "invalid stream type: %s (p or c)", val);
			return 0;
		}
		return xlp_bad(p, "vsnd", "invalid stream parameter: %s", t);
	}
}

/* One item of a card list: "card,...", "pcm,...", "stream,..." */
static int vsnd_item(struct pctx *p, libxl_device_vsnd *vs, const char *spec)
{
	struct vsnd_walk w = { vs, NULL };

	return xlp_each_item(p, spec, vsnd_token, &w);
}

/* vsnd = [ [ 'card, short-name=..', 'pcm, name=..', 'stream, type=p' ], ... ] */
int xlp_parse_vsnds(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	XLU_ConfigList *l;
	XLU_ConfigValue *card;

	if (xlu_cfg_get_list(p->cfg, "vsnd", &l, 0, 0))
		return 0;
	for (int i = 0; (card = xlu_cfg_get_listitem2(l, i)); i++) {
		XLU_ConfigList *items;
		const char *s;
		libxl_device_vsnd *vs;

		if (xlu_cfg_value_get_list(p->cfg, card, &items, 1))
			return xlp_bad(p, "vsnd", "card %d must be a [list] of \"card/pcm/stream,...\" strings", i + 1);
		vs = GROW(dc->vsnds, dc->num_vsnds, libxl_device_vsnd, libxl_device_vsnd_init);
		if (!vs)
			return -1;
		vs->devid = i;
		for (int j = 0; (s = xlu_cfg_get_listitem(items, j)); j++)
			if (vsnd_item(p, vs, s))
				return -1;
	}
	return 0;
}
