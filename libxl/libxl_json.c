/* Table-driven init, dispose and JSON (generate and parse) of the
 * config types.  Generation follows libxl's rule: a field is written
 * unless it holds its default (aggregates are always written). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libxl_internal.h"

#define AT(base, off, T) ((T *)((char *)(base) + (off)))
#define CAT(base, off, T) ((const T *)((const char *)(base) + (off)))

static _Thread_local char json_err[256];

const char *libxl_json_last_error(void)
{
	return json_err;
}

static const char *field_key(const struct libxl__field *f)
{
	const char *dot = strrchr(f->name, '.');

	return dot ? dot + 1 : f->name;
}

const char *libxl__enum_to_string(const struct libxl__enum *e, int v)
{
	for (int i = 0; i < e->n; i++)
		if (e->vals[i].v == v)
			return e->vals[i].s;
	return NULL;
}

int libxl__enum_from_string(const struct libxl__enum *e, const char *s, int *v)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < e->n; i++)
		if (!strcasecmp(e->vals[i].s, s)) {
			*v = e->vals[i].v;
			return 0;
		}
	return -EINVAL;
}

/* ---- scalar access ---- */

static int64_t get_int(const void *base, const struct libxl__field *f, enum libxl__kind k)
{
	switch (k) {
	case LK_INT: case LK_DEVID: case LK_ENUM: case LK_UNION:
		return *CAT(base, f->off, int);
	case LK_U8: return *CAT(base, f->off, uint8_t);
	case LK_BOOL: return *CAT(base, f->off, bool);
	case LK_U32: case LK_DOMID: return *CAT(base, f->off, uint32_t);
	case LK_U64: case LK_MEMKB: return (int64_t)*CAT(base, f->off, uint64_t);
	default: return 0;
	}
}

static void set_int(void *base, size_t off, enum libxl__kind k, int64_t v)
{
	switch (k) {
	case LK_INT: case LK_DEVID: case LK_ENUM: case LK_UNION:
		*AT(base, off, int) = (int)v; break;
	case LK_U8: *AT(base, off, uint8_t) = (uint8_t)v; break;
	case LK_BOOL: *AT(base, off, bool) = v != 0; break;
	case LK_U32: case LK_DOMID: *AT(base, off, uint32_t) = (uint32_t)v; break;
	case LK_U64: case LK_MEMKB: *AT(base, off, uint64_t) = (uint64_t)v; break;
	default: break;
	}
}

static const struct libxl__ucase *union_case(const struct libxl__field *f, int key)
{
	for (int i = 0; i < f->ncases; i++)
		if (f->cases[i].key == key)
			return &f->cases[i];
	return NULL;
}

/* ---- init / dispose ---- */

static void init_fields(const struct libxl__type *t, void *p, int zero);

static void init_field(const struct libxl__field *f, void *p)
{
	switch (f->kind) {
	case LK_STRUCT:
		init_fields(f->sub, AT(p, f->off, char), 0);
		break;
	case LK_UNION:
		set_int(p, f->off, LK_UNION, f->has_init ? f->init : 0);
		break;
	default:
		if (f->has_init)
			set_int(p, f->off, f->kind, f->init);
	}
}

static void init_fields(const struct libxl__type *t, void *p, int zero)
{
	if (zero)
		memset(p, 0, t->size);
	for (int i = 0; i < t->nf; i++)
		init_field(&t->f[i], p);
}

void libxl__type_init(const struct libxl__type *t, void *p)
{
	init_fields(t, p, 1);
}

void libxl__type_init_union(const struct libxl__type *t, void *p, int key)
{
	for (int i = 0; i < t->nf; i++) {
		const struct libxl__field *f = &t->f[i];
		const struct libxl__ucase *c;

		if (f->kind != LK_UNION)
			continue;
		set_int(p, f->off, LK_UNION, key);
		c = union_case(f, key);
		if (c && c->t)
			init_fields(c->t, p, 0);
	}
}

static void dispose_value(enum libxl__kind k, const struct libxl__type *sub, void *v);

static void dispose_fields(const struct libxl__type *t, void *p)
{
	for (int i = 0; i < t->nf; i++) {
		const struct libxl__field *f = &t->f[i];

		if (f->kind == LK_UNION) {
			const struct libxl__ucase *c =
				union_case(f, (int)get_int(p, f, LK_UNION));
			if (c && c->t)
				dispose_fields(c->t, p);
		} else if (f->kind == LK_ARRAY) {
			char *arr = *AT(p, f->off, char *);
			int n = *AT(p, f->count_off, int);

			for (int j = 0; arr && j < n; j++)
				dispose_value(f->elem, f->sub, arr + (size_t)j * f->elem_size);
			free(arr);
			*AT(p, f->off, char *) = NULL;
			*AT(p, f->count_off, int) = 0;
		} else if (!f->is_const) {
			dispose_value(f->kind, f->sub, AT(p, f->off, char));
		}
	}
}

static void dispose_value(enum libxl__kind k, const struct libxl__type *sub, void *v)
{
	switch (k) {
	case LK_STRING: free(*(char **)v); *(char **)v = NULL; break;
	case LK_BITMAP: libxl_bitmap_dispose(v); break;
	case LK_STRLIST: libxl_string_list_dispose(v); break;
	case LK_KVLIST: libxl_key_value_list_dispose(v); break;
	case LK_CPUID: libxl_cpuid_dispose(v); break;
	case LK_STRUCT: dispose_fields(sub, v); break;
	default: break;
	}
}

void libxl__type_dispose(const struct libxl__type *t, void *p)
{
	dispose_fields(t, p);
	memset(p, 0, t->size);
}

/* ---- generation ---- */

static yajl_gen_status gen_str(yajl_gen g, const char *s)
{
	return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static yajl_gen_status gen_u64(yajl_gen g, uint64_t v)
{
	char num[32];
	int len = snprintf(num, sizeof(num), "%" PRIu64, v);

	return yajl_gen_number(g, num, (size_t)len);
}

static int value_is_default(const struct libxl__field *f, const void *p)
{
	const void *v = CAT(p, f->off, char);

	switch (f->kind) {
	case LK_STRUCT: case LK_UNION:
		return 0;
	case LK_ARRAY:
		return !*(char *const *)v || !*CAT(p, f->count_off, int);
	case LK_STRING:
		return !*(char *const *)v;
	case LK_DEFBOOL:
		return ((const libxl_defbool *)v)->val == 0;
	case LK_UUID:
		return libxl_uuid_is_nil(v);
	case LK_MAC: {
		const uint8_t *m = v;
		return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
	}
	case LK_BITMAP:
		return libxl_bitmap_is_empty(v);
	case LK_STRLIST: case LK_KVLIST:
		return !*(char **const *)v || !**(char **const *)v;
	case LK_CPUID: {
		const libxl_cpuid_policy *c = *(libxl_cpuid_policy *const *)v;
		return !c || (!c->num_leaves && !c->num_msrs);
	}
	case LK_GENID: {
		const uint8_t *b = v;
		for (int i = 0; i < 16; i++)
			if (b[i])
				return 0;
		return 1;
	}
	default:
		if (f->has_init)
			return get_int(p, f, f->kind) == f->init;
		return get_int(p, f, f->kind) == 0;
	}
}

static yajl_gen_status gen_fields(yajl_gen g, const struct libxl__type *t, const void *p);

static yajl_gen_status gen_value(yajl_gen g, enum libxl__kind k,
				 const struct libxl__field *f,
				 const struct libxl__type *sub, const void *v)
{
	char buf[40];

	switch (k) {
	case LK_STRING: {
		const char *s = *(char *const *)v;
		return s ? gen_str(g, s) : yajl_gen_null(g);
	}
	case LK_INT: case LK_DEVID: return yajl_gen_integer(g, *(const int *)v);
	case LK_U8: return yajl_gen_integer(g, *(const uint8_t *)v);
	case LK_BOOL: return yajl_gen_bool(g, *(const bool *)v);
	case LK_U32: case LK_DOMID: return yajl_gen_integer(g, *(const uint32_t *)v);
	case LK_U64: case LK_MEMKB: return gen_u64(g, *(const uint64_t *)v);
	case LK_DEFBOOL: return gen_str(g, libxl_defbool_to_string(*(const libxl_defbool *)v));
	case LK_ENUM: {
		const char *s = libxl__enum_to_string(f->en, *(const int *)v);
		return s ? gen_str(g, s) : yajl_gen_null(g);
	}
	case LK_UUID:
		libxl_uuid_to_string(v, buf);
		return gen_str(g, buf);
	case LK_MAC: {
		const uint8_t *m = v;
		snprintf(buf, sizeof(buf), "%02hhx:%02hhx:%02hhx:%02hhx:%02hhx:%02hhx",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		return gen_str(g, buf);
	}
	case LK_BITMAP: {
		const libxl_bitmap *b = v;
		yajl_gen_status s = yajl_gen_array_open(g);
		for (uint32_t i = 0; s == yajl_gen_status_ok && i < b->size * 8; i++)
			if (libxl_bitmap_test(b, (int)i))
				s = yajl_gen_integer(g, i);
		return s == yajl_gen_status_ok ? yajl_gen_array_close(g) : s;
	}
	case LK_STRLIST: {
		char *const *sl = *(char **const *)v;
		yajl_gen_status s = yajl_gen_array_open(g);
		for (int i = 0; s == yajl_gen_status_ok && sl && sl[i]; i++)
			s = gen_str(g, sl[i]);
		return s == yajl_gen_status_ok ? yajl_gen_array_close(g) : s;
	}
	case LK_KVLIST: {
		char *const *kv = *(char **const *)v;
		yajl_gen_status s = yajl_gen_map_open(g);
		for (int i = 0; s == yajl_gen_status_ok && kv && kv[i]; i += 2) {
			s = gen_str(g, kv[i]);
			if (s == yajl_gen_status_ok)
				s = kv[i + 1] ? gen_str(g, kv[i + 1]) : yajl_gen_null(g);
		}
		return s == yajl_gen_status_ok ? yajl_gen_map_close(g) : s;
	}
	case LK_CPUID:
		return libxl__cpuid_gen_json(g, *(libxl_cpuid_policy *const *)v);
	case LK_GENID: {
		const uint8_t *b = v;
		yajl_gen_status s = yajl_gen_array_open(g);
		for (int i = 0; s == yajl_gen_status_ok && i < 16; i++)
			s = yajl_gen_integer(g, b[i]);
		return s == yajl_gen_status_ok ? yajl_gen_array_close(g) : s;
	}
	case LK_STRUCT:
		return gen_fields(g, sub, v);
	default:
		return yajl_gen_generation_complete;
	}
}

static yajl_gen_status gen_fields(yajl_gen g, const struct libxl__type *t, const void *p)
{
	yajl_gen_status s = yajl_gen_map_open(g);

	for (int i = 0; s == yajl_gen_status_ok && i < t->nf; i++) {
		const struct libxl__field *f = &t->f[i];
		char key[64];

		if (f->is_const || value_is_default(f, p))
			continue;
		if (f->kind == LK_UNION) {
			int kv = (int)get_int(p, f, LK_UNION);
			const struct libxl__ucase *c = union_case(f, kv);

			if (!c)
				continue;
			snprintf(key, sizeof(key), "%s.%s", f->keyname, c->name);
			s = gen_str(g, key);
			if (s != yajl_gen_status_ok)
				break;
			if (c->t) {
				s = gen_fields(g, c->t, p);
			} else {
				s = yajl_gen_map_open(g);
				if (s == yajl_gen_status_ok)
					s = yajl_gen_map_close(g);
			}
			continue;
		}
		s = gen_str(g, field_key(f));
		if (s != yajl_gen_status_ok)
			break;
		if (f->kind == LK_ARRAY) {
			const char *arr = *CAT(p, f->off, char *const);
			int n = *CAT(p, f->count_off, int);

			s = yajl_gen_array_open(g);
			for (int j = 0; s == yajl_gen_status_ok && j < n; j++)
				s = gen_value(g, f->elem, f, f->sub, arr + (size_t)j * f->elem_size);
			if (s == yajl_gen_status_ok)
				s = yajl_gen_array_close(g);
		} else {
			s = gen_value(g, f->kind, f, f->sub, CAT(p, f->off, char));
		}
	}
	return s == yajl_gen_status_ok ? yajl_gen_map_close(g) : s;
}

yajl_gen_status libxl__type_gen_json(yajl_gen g, const struct libxl__type *t, const void *p)
{
	return gen_fields(g, t, p);
}

char *libxl__type_to_json(const struct libxl__type *t, const void *p)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	size_t len;
	char *out = NULL;

	if (!g)
		return NULL;
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_indent_string, "    ");
	if (gen_fields(g, t, p) != yajl_gen_status_ok)
		goto out;
	if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
		goto out;
	out = malloc(len + 1);
	if (out) {
		memcpy(out, buf, len);
		out[len] = 0;
	}
out:
	yajl_gen_free(g);
	return out;
}

/* ---- parsing ---- */

struct perr {
	char *buf;
	size_t len;
	char path[200];
};

static int perr_set(struct perr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int perr_set(struct perr *e, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(e->buf, e->len, "%s: %s", e->path[0] ? e->path : "(top)", msg);
	return -EINVAL;
}

static int parse_fields(const struct libxl__type *t, void *p, yajl_val v, struct perr *e);

static int parse_int(yajl_val v, int64_t lo, int64_t hi, int64_t *out, struct perr *e)
{
	if (!YAJL_IS_INTEGER(v))
		return perr_set(e, "expected an integer");
	if (YAJL_GET_INTEGER(v) < lo || YAJL_GET_INTEGER(v) > hi)
		return perr_set(e, "integer %lld out of range", YAJL_GET_INTEGER(v));
	*out = YAJL_GET_INTEGER(v);
	return 0;
}

static int parse_value(enum libxl__kind k, const struct libxl__field *f,
		       const struct libxl__type *sub, void *dst, yajl_val v, struct perr *e)
{
	int64_t n;
	int r;

	switch (k) {
	case LK_STRING:
		if (YAJL_IS_NULL(v))
			return 0;
		if (!YAJL_IS_STRING(v))
			return perr_set(e, "expected a string");
		{
			const char *sv = v->u.string;
			free(*(char **)dst);
			*(char **)dst = strdup(sv ? sv : "");
			return *(char **)dst ? 0 : -ENOMEM;
		}
	case LK_INT: case LK_DEVID:
		if ((r = parse_int(v, INT32_MIN, INT32_MAX, &n, e)))
			return r;
		*(int *)dst = (int)n;
		return 0;
	case LK_U8:
		if ((r = parse_int(v, 0, UINT8_MAX, &n, e)))
			return r;
		*(uint8_t *)dst = (uint8_t)n;
		return 0;
	case LK_U32: case LK_DOMID:
		if ((r = parse_int(v, 0, UINT32_MAX, &n, e)))
			return r;
		*(uint32_t *)dst = (uint32_t)n;
		return 0;
	case LK_U64: case LK_MEMKB: {
		/* yajl_tree keeps the text, so values above INT64_MAX survive */
		char *end;
		const char *s = YAJL_IS_NUMBER(v) ? YAJL_GET_NUMBER(v) : NULL;
		if (!s || *s == '-')
			return perr_set(e, "expected an unsigned integer");
		errno = 0;
		*(uint64_t *)dst = strtoull(s, &end, 10);
		if (errno || *end)
			return perr_set(e, "bad unsigned integer '%s'", s);
		return 0;
	}
	case LK_BOOL:
		if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
			return perr_set(e, "expected true or false");
		*(bool *)dst = YAJL_IS_TRUE(v);
		return 0;
	case LK_DEFBOOL: {
		const char *s = YAJL_GET_STRING(v);
		if (!s)
			return perr_set(e, "expected \"True\", \"False\" or \"<default>\"");
		if (!strcmp(s, "True"))
			((libxl_defbool *)dst)->val = 1;
		else if (!strcmp(s, "False"))
			((libxl_defbool *)dst)->val = -1;
		else if (!strcmp(s, "<default>"))
			((libxl_defbool *)dst)->val = 0;
		else
			return perr_set(e, "bad boolean '%s'", s);
		return 0;
	}
	case LK_ENUM: {
		int x;
		if (!YAJL_IS_STRING(v) || libxl__enum_from_string(f->en, YAJL_GET_STRING(v), &x))
			return perr_set(e, "unknown value '%s'", YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "?");
		*(int *)dst = x;
		return 0;
	}
	case LK_UUID:
		if (!YAJL_IS_STRING(v) || libxl_uuid_from_string(dst, YAJL_GET_STRING(v)))
			return perr_set(e, "bad uuid");
		return 0;
	case LK_MAC: {
		uint8_t *m = dst;
		char tail;
		if (!YAJL_IS_STRING(v) ||
		    sscanf(YAJL_GET_STRING(v), "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%c",
			   &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6)
			return perr_set(e, "bad MAC address");
		return 0;
	}
	case LK_BITMAP: {
		libxl_bitmap *b = dst;
		if (!YAJL_IS_ARRAY(v))
			return perr_set(e, "expected an array of bit numbers");
		for (size_t i = 0; i < v->u.array.len; i++) {
			if ((r = parse_int(v->u.array.values[i], 0, 1 << 20, &n, e)))
				return r;
			if (libxl_bitmap_grow(b, (int)n + 1))
				return -ENOMEM;
			libxl_bitmap_set(b, (int)n);
		}
		return 0;
	}
	case LK_STRLIST: case LK_KVLIST: {
		int is_map = k == LK_KVLIST;
		size_t len = is_map ? v->u.object.len * 2 : v->u.array.len;
		char **l;
		if (is_map ? !YAJL_IS_OBJECT(v) : !YAJL_IS_ARRAY(v))
			return perr_set(e, is_map ? "expected an object" : "expected an array");
		l = calloc(len + 1, sizeof(*l));
		if (!l)
			return -ENOMEM;
		for (size_t i = 0; i < len; i++) {
			yajl_val it;
			const char *s;
			if (is_map)
				s = (i & 1) ? ((it = v->u.object.values[i / 2]), YAJL_GET_STRING(it))
					    : v->u.object.keys[i / 2];
			else
				s = YAJL_GET_STRING(v->u.array.values[i]);
			if (!s && !(is_map && (i & 1))) {
				l[i] = NULL;
				char **tmp = l;
				libxl_string_list_dispose(&tmp);
				return perr_set(e, "expected strings");
			}
			l[i] = s ? strdup(s) : NULL;
		}
		if (is_map)
			libxl_key_value_list_dispose(dst);
		else
			libxl_string_list_dispose(dst);
		*(char ***)dst = l;
		return 0;
	}
	case LK_GENID: {
		uint8_t *b = dst;
		if (!YAJL_IS_ARRAY(v) || v->u.array.len != 16)
			return perr_set(e, "expected 16 bytes");
		for (int i = 0; i < 16; i++) {
			if ((r = parse_int(v->u.array.values[i], 0, 255, &n, e)))
				return r;
			b[i] = (uint8_t)n;
		}
		return 0;
	}
	case LK_CPUID: {
		char msg[120];
		if (libxl__cpuid_parse_json(v, dst, msg, sizeof(msg)))
			return perr_set(e, "%s", msg);
		return 0;
	}
	case LK_STRUCT:
		return parse_fields(sub, dst, v, e);
	default:
		return perr_set(e, "unsupported field");
	}
}

static int parse_fields(const struct libxl__type *t, void *p, yajl_val v, struct perr *e)
{
	size_t plen = strlen(e->path);

	if (!YAJL_IS_OBJECT(v))
		return perr_set(e, "expected an object");
	for (size_t i = 0; i < v->u.object.len; i++) {
		const char *key = v->u.object.keys[i];
		yajl_val val = v->u.object.values[i];
		const struct libxl__field *f = NULL;
		const struct libxl__ucase *uc = NULL;
		int r = 0;

		snprintf(e->path + plen, sizeof(e->path) - plen, "%s%s", plen ? "." : "", key);
		for (int j = 0; j < t->nf && !f; j++) {
			const struct libxl__field *c = &t->f[j];

			if (c->kind == LK_UNION) {
				size_t kl = strlen(c->keyname);
				if (!strncmp(key, c->keyname, kl) && key[kl] == '.') {
					for (int m = 0; m < c->ncases; m++)
						if (!strcmp(key + kl + 1, c->cases[m].name))
							uc = &c->cases[m];
					if (uc)
						f = c;
				}
			} else if (!c->is_const && !strcmp(field_key(c), key)) {
				f = c;
			}
		}
		if (!f)
			return perr_set(e, "unknown key");
		if (f->kind == LK_UNION) {
			libxl__type_init_union(t, p, uc->key);
			if (uc->t)
				r = parse_fields(uc->t, p, val, e);
			else if (!YAJL_IS_OBJECT(val) || val->u.object.len)
				r = perr_set(e, "expected an empty object");
		} else if (f->kind == LK_ARRAY) {
			size_t n;
			char *arr;

			if (!YAJL_IS_ARRAY(val))
				return perr_set(e, "expected an array");
			n = val->u.array.len;
			if (n > INT32_MAX / 2)
				return perr_set(e, "array too long");
			dispose_fields(&(struct libxl__type){ t->name, t->size, f, 1 }, p);
			arr = calloc(n ? n : 1, f->elem_size);
			if (!arr)
				return -ENOMEM;
			*AT(p, f->off, char *) = arr;
			for (size_t j = 0; j < n; j++) {
				char *el = arr + j * f->elem_size;
				if (f->elem == LK_STRUCT)
					libxl__type_init(f->sub, el);
				*AT(p, f->count_off, int) = (int)j + 1;
				r = parse_value(f->elem, f, f->sub, el, val->u.array.values[j], e);
				if (r)
					break;
			}
		} else {
			r = parse_value(f->kind, f, f->sub, AT(p, f->off, char), val, e);
		}
		if (r)
			return r;
	}
	e->path[plen] = 0;
	return 0;
}

int libxl__type_from_json(const struct libxl__type *t, void *p, const char *s,
			  char *err, size_t errlen)
{
	char ybuf[200];
	struct perr e = { err, errlen, "" };
	yajl_val root = yajl_tree_parse(s, ybuf, sizeof(ybuf));
	int r;

	if (!root) {
		snprintf(err, errlen, "invalid JSON: %s", ybuf);
		return -EINVAL;
	}
	r = parse_fields(t, p, root, &e);
	yajl_tree_free(root);
	return r;
}

/* ---- the public per-type entry points ---- */

#define TYPE_API(T)                                                           \
	void libxl_##T##_init(libxl_##T *p)                                   \
	{                                                                     \
		libxl__type_init(&libxl__##T##_type, p);                      \
	}                                                                     \
	void libxl_##T##_dispose(libxl_##T *p)                                \
	{                                                                     \
		libxl__type_dispose(&libxl__##T##_type, p);                   \
	}                                                                     \
	char *libxl_##T##_to_json(libxl_ctx *ctx, const libxl_##T *p)         \
	{                                                                     \
		(void)ctx;                                                    \
		return libxl__type_to_json(&libxl__##T##_type, p);            \
	}                                                                     \
	int libxl_##T##_from_json(libxl_ctx *ctx, libxl_##T *p, const char *s) \
	{                                                                     \
		(void)ctx;                                                    \
		return libxl__type_from_json(&libxl__##T##_type, p, s,        \
					     json_err, sizeof(json_err))      \
			       ? ERROR_INVAL : 0;                             \
	}

TYPE_API(domain_config)
TYPE_API(domain_create_info)
TYPE_API(domain_build_info)
TYPE_API(device_disk)
TYPE_API(device_nic)
TYPE_API(device_pci)
TYPE_API(device_vfb)
TYPE_API(device_vkb)
TYPE_API(device_channel)
TYPE_API(device_vtpm)
TYPE_API(device_p9)
TYPE_API(device_pvcallsif)
TYPE_API(device_usbctrl)
TYPE_API(device_usbdev)
TYPE_API(device_dtdev)
TYPE_API(device_rdm)
TYPE_API(device_vdispl)
TYPE_API(device_vsnd)

void libxl_domain_build_info_init_type(libxl_domain_build_info *b, libxl_domain_type type)
{
	libxl__type_init_union(&libxl__domain_build_info_type, b, type);
}

void libxl_device_channel_init_type(libxl_device_channel *c, libxl_channel_connection conn)
{
	libxl__type_init_union(&libxl__device_channel_type, c, conn);
}

void libxl_device_usbdev_init_type(libxl_device_usbdev *u, libxl_usbdev_type type)
{
	libxl__type_init_union(&libxl__device_usbdev_type, u, type);
}
