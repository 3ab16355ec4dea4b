/*
 * libbootcfg's entry points: where pygrub looks for a menu, the parse
 * dispatch, and pygrub's choice of the default entry.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg_i.h"

const struct bootcfg_path bootcfg_paths[] = {
	{ "/boot/grub/grub.cfg", BOOTCFG_GRUB2 },
	{ "/grub/grub.cfg", BOOTCFG_GRUB2 },
	{ "/boot/grub2/grub.cfg", BOOTCFG_GRUB2 },
	{ "/grub2/grub.cfg", BOOTCFG_GRUB2 },
	{ "/boot/isolinux/isolinux.cfg", BOOTCFG_EXTLINUX },
	{ "/boot/extlinux/extlinux.conf", BOOTCFG_EXTLINUX },
	{ "/boot/extlinux.conf", BOOTCFG_EXTLINUX },
	{ "/extlinux/extlinux.conf", BOOTCFG_EXTLINUX },
	{ "/extlinux.conf", BOOTCFG_EXTLINUX },
	{ "/boot/grub/menu.lst", BOOTCFG_GRUB },
	{ "/boot/grub/grub.conf", BOOTCFG_GRUB },
	{ "/grub/menu.lst", BOOTCFG_GRUB },
	{ "/grub/grub.conf", BOOTCFG_GRUB },
};
const size_t bootcfg_npaths = sizeof(bootcfg_paths) / sizeof(bootcfg_paths[0]);

int cfg_fail(struct cfgctx *x, size_t line, const char *fmt, ...)
{
	va_list ap;
	int off;

	if (!x->errlen)
		return -EINVAL;
	off = snprintf(x->err, x->errlen, "%s:%zu: ", x->fname, line);
	if (off >= 0 && (size_t)off < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + off, x->errlen - (size_t)off, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int cfg_nomem(struct cfgctx *x)
{
	if (x->errlen)
		snprintf(x->err, x->errlen, "%s: out of memory", x->fname);
	return -ENOMEM;
}

/*
 * NUL is valid in pygrub's strings but cannot live in ours: it is kept as
 * 0xFF, which no UTF-8 text holds, so that such a default or password
 * matches no title and no number, and a title, path or argument that
 * still holds one when the menu is read fails the parse (entries_check).
 */
int cfg_set(struct cfgctx *x, char **dst, struct pyslice v)
{
	char *s = malloc(v.n + 1);

	if (!s)
		return cfg_nomem(x);
	for (size_t i = 0; i < v.n; i++)
		s[i] = v.p[i] ? v.p[i] : (char)0xff;
	s[v.n] = 0;
	free(*dst);
	*dst = s;
	return 0;
}

struct bootentry *cfg_new_entry(struct cfgctx *x)
{
	struct bootcfg *c = x->c;

	if (c->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 8;
		struct bootentry *e = reallocarray(c->e, cap, sizeof(*e));

		if (!e)
			return NULL;
		c->e = e;
		x->cap = cap;
	}
	c->e[c->n] = (struct bootentry){ 0 };
	return &c->e[c->n++];
}

static void entry_free(struct bootentry *e)
{
	free(e->title);
	free(e->root);
	free(e->kernel);
	free(e->args);
	free(e->initrd);
}

void cfg_drop_last(struct cfgctx *x)
{
	entry_free(&x->c->e[--x->c->n]);
}

/* pygrub waits forever for -1 and boots at once for other negatives. */
void cfg_set_timeout(struct cfgctx *x, struct pyslice v)
{
	struct pyint t;

	if (py_int(v, &t, NULL) < 0)
		x->c->timeout = -1;
	else if (t.neg)
		x->c->timeout = t.mag == 1 ? -1 : 0;
	else
		x->c->timeout = t.mag > INT_MAX ? INT_MAX : (int)t.mag;
}

bool line_next(struct lineiter *it, struct pyslice *line)
{
	const char *start, *nl;
	size_t rest;

	if (it->pos > it->len)
		return false;
	start = it->text + it->pos;
	rest = it->len - it->pos;
	nl = memchr(start, '\n', rest);
	*line = py_strip(py_slice(start, nl ? (size_t)(nl - start) : rest));
	it->pos += (nl ? (size_t)(nl - start) : rest) + 1;
	it->lineno++;
	return true;
}

static size_t text_line_of(const char *text, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static bool field_has_nul(const char *s)
{
	return s && strchr(s, 0xff);
}

static int entries_check(struct cfgctx *x)
{
	const char *nul = memchr(x->text, 0, x->len);

	if (!nul)
		return 0;
	for (size_t i = 0; i < x->c->n; i++) {
		const struct bootentry *e = &x->c->e[i];

		if (field_has_nul(e->title) || field_has_nul(e->root) ||
		    field_has_nul(e->kernel) || field_has_nul(e->args) ||
		    field_has_nul(e->initrd))
			return cfg_fail(x, text_line_of(x->text, (size_t)(nul - x->text)),
					"NUL byte in the title, path or arguments of entry %zu", i);
	}
	return 0;
}

/* pygrub decodes the file as strict UTF-8 and fails on anything else. */
static int text_check(struct cfgctx *x, const char *text, size_t len)
{
	size_t bad;

	if (!py_utf8_valid(text, len, &bad))
		return cfg_fail(x, text_line_of(text, bad), "not UTF-8 (byte %zu)", bad);
	return 0;
}

int bootcfg_parse(struct bootcfg *c, enum bootcfg_kind kind, const char *text,
		  size_t len, const char *fname, char *err, size_t errlen)
{
	struct cfgctx x = { c, text, len, fname, err, errlen, 0, 0 };
	int r;

	*c = (struct bootcfg){ .kind = kind, .timeout = -1 };
	if (errlen)
		err[0] = 0;
	r = text_check(&x, text, len);
	if (r < 0)
		goto fail;
	switch (kind) {
	case BOOTCFG_GRUB2:
		r = grub2_parse(&x);
		break;
	case BOOTCFG_EXTLINUX:
		r = extlinux_parse(&x);
		break;
	case BOOTCFG_GRUB:
		r = grub_parse(&x);
		break;
	default:
		r = cfg_fail(&x, 0, "unknown menu kind %d", (int)kind);
	}
	if (r == 0)
		r = entries_check(&x);
	if (r < 0)
		goto fail;
	return 0;
fail:
	bootcfg_free(c);
	return r;
}

void bootcfg_free(struct bootcfg *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_free(&c->e[i]);
	free(c->e);
	free(c->default_spec);
	free(c->password);
	c->e = NULL;
	c->n = 0;
	c->default_spec = NULL;
	c->password = NULL;
}

static size_t default_by_title(const struct bootcfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].title, c->default_spec) == 0)
			return i;
	}
	return 0;
}

/*
 * pygrub's GRUB parsers keep only a number (anything else, a title or
 * "a>b" included, counts as 0), so its title and submenu matching never
 * runs; extlinux's default is a label.  Past the end means the first.
 */
size_t bootcfg_default(const struct bootcfg *c)
{
	struct pyint v;

	if (!c->default_spec)
		return 0;
	if (c->kind == BOOTCFG_EXTLINUX)
		return default_by_title(c);
	if (py_int(py_slice(c->default_spec, strlen(c->default_spec)), &v, NULL) < 0 ||
	    v.neg || v.mag >= c->n)
		return 0;
	return (size_t)v.mag;
}

long bootcfg_find(const struct bootcfg *c, const char *entry)
{
	struct pyint v;

	if (py_int(py_slice(entry, strlen(entry)), &v, NULL) == 0) {
		if (v.mag > LONG_MAX)
			return -1;
		return v.neg ? -(long)v.mag : (long)v.mag;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].title, entry) == 0)
			return (long)i;
	}
	return -1;
}
