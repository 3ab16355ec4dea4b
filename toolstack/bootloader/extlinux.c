/*
 * extlinux.conf / isolinux.cfg as pygrub reads it: case-insensitive
 * keywords, LABEL opens an entry, only KERNEL and APPEND fill it (LINUX,
 * INITRD and MENU LABEL are ignored), an initrd= word of APPEND is the
 * initrd, and APPEND after an mboot.c32 KERNEL names "xen --- kernel ---
 * initrd".  TIMEOUT is kept as written, in syslinux's tenths: pygrub
 * counts it in seconds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootcfg_i.h"

/* APPEND lines with many initrd= words cost pygrub quadratic time; past
 * this much copying we refuse the menu instead. */
#define EXT_INITRD_WORK (64u << 20)

/* A value in double quotes loses them (when something is inside). */
static struct pyslice ext_unquote(struct pyslice v)
{
	if (v.n >= 3 && v.p[0] == '"' && v.p[v.n - 1] == '"')
		return py_slice(v.p + 1, v.n - 2);
	return v;
}

static int ext_set_kernel(struct cfgctx *x, struct bootentry *e, struct pyslice v)
{
	struct pyslice part[2];
	int r;

	free(e->args);
	e->args = NULL;
	if (!py_find(v, " ", 1))
		return cfg_set(x, &e->kernel, v);
	py_split_ws(v, 1, part);
	r = cfg_set(x, &e->kernel, part[0]);
	return r < 0 ? r : cfg_set(x, &e->args, part[1]);
}

/* "[xen ---] kernel args --- initrd" after KERNEL mboot.c32. */
static int ext_mboot(struct cfgctx *x, struct bootentry *e, struct pyslice arg)
{
	struct pyslice mod[4], kernel = { NULL, 0 }, initrd = { NULL, 0 };
	size_t n = py_split_str(arg, "---", 3, mod);
	int r = 0;

	if (n == 3) {
		kernel = mod[1];
		initrd = mod[2];
	} else if (n == 2) {
		kernel = mod[0];
		initrd = mod[1];
	}
	if (kernel.n)
		r = ext_set_kernel(x, e, py_strip(kernel));
	if (r == 0 && initrd.n)
		r = cfg_set(x, &e->initrd, py_strip(initrd));
	return r;
}

static bool ext_initrd_word(struct pyslice w)
{
	static const char key[] = "initrd=";

	if (w.n < sizeof(key) - 1)
		return false;
	for (size_t i = 0; i < sizeof(key) - 1; i++) {
		char c = w.p[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != key[i])
			return false;
	}
	return true;
}

/*
 * Each space-separated word starting "initrd=" (any case) sets the initrd
 * to the word less every "initrd=", and every copy of the word is cut out
 * of the arguments, which end up in cur (cur->n bytes, room for arg.n).
 */
static int ext_take_initrd(struct cfgctx *x, struct bootentry *e, struct pyslice arg,
			   char *cur, size_t *curn)
{
	struct pyslice all = py_strip(arg), w;
	size_t work = 0;
	char *val;
	int r;

	memcpy(cur, arg.p, arg.n);
	*curn = arg.n;
	for (size_t i = 0; i <= all.n; i += w.n + 1) {
		const char *sp = memchr(all.p + i, ' ', all.n - i);

		w = py_slice(all.p + i, sp ? (size_t)(sp - all.p) - i : all.n - i);
		if (!ext_initrd_word(w))
			continue;
		work += *curn + w.n;
		if (work > EXT_INITRD_WORK)
			return cfg_fail(x, x->lineno, "too many initrd= words in APPEND");
		val = malloc(w.n);
		if (!val)
			return cfg_nomem(x);
		r = cfg_set(x, &e->initrd, py_slice(val, py_remove_all(w.p, w.n, "initrd=", 7, val)));
		free(val);
		if (r < 0)
			return r;
		*curn = py_remove_all(cur, *curn, w.p, w.n, cur);
	}
	return 0;
}

static bool ext_is_mboot(const struct bootentry *e)
{
	size_t n = strlen(e->kernel);

	return n >= 9 && strcmp(e->kernel + n - 9, "mboot.c32") == 0;
}

static int ext_append(struct cfgctx *x, struct bootentry *e, struct pyslice arg)
{
	char *cur;
	size_t curn;
	int r;

	if (e->kernel && ext_is_mboot(e))
		return ext_mboot(x, e, arg);
	if (!e->kernel || !py_find(arg, "initrd=", 7))
		return cfg_set(x, &e->args, ext_unquote(py_strip(arg)));
	cur = malloc(arg.n + 1);
	if (!cur)
		return cfg_nomem(x);
	r = ext_take_initrd(x, e, arg, cur, &curn);
	if (r == 0)
		r = cfg_set(x, &e->args, ext_unquote(py_strip(py_slice(cur, curn))));
	free(cur);
	return r;
}

static int ext_entry_line(struct cfgctx *x, struct bootentry *e, struct pyslice l)
{
	struct pyslice com, arg;

	grub_split_cmd(l, &com, &arg);
	if (py_eq_nocase(com, "append"))
		return ext_append(x, e, arg);
	if (py_eq_nocase(com, "label"))
		return cfg_set(x, &e->title, ext_unquote(py_strip(arg)));
	if (py_eq_nocase(com, "kernel"))
		return ext_set_kernel(x, e, ext_unquote(py_strip(arg)));
	return 0;
}

static int ext_global_line(struct cfgctx *x, struct pyslice l)
{
	struct pyslice com, arg;

	grub_split_cmd(l, &com, &arg);
	if (py_eq_nocase(com, "default"))
		return cfg_set(x, &x->c->default_spec, py_strip(arg));
	if (py_eq_nocase(com, "timeout"))
		cfg_set_timeout(x, py_strip(arg));
	return 0;
}

static int ext_label(struct cfgctx *x, struct bootentry **e)
{
	static const struct pyslice empty = { "", 0 };
	int r;

	*e = cfg_new_entry(x);
	if (!*e)
		return cfg_nomem(x);
	r = cfg_set(x, &(*e)->title, empty);
	if (r == 0)
		r = cfg_set(x, &(*e)->root, empty);
	if (r == 0)
		r = cfg_set(x, &(*e)->args, empty);
	return r;
}

static bool ext_is_label(struct pyslice l)
{
	return l.n >= 5 && strncasecmp(l.p, "label", 5) == 0;
}

int extlinux_parse(struct cfgctx *x)
{
	struct lineiter it = { x->text, x->len, 0, 0 };
	struct bootentry *e = NULL;
	struct pyslice l;
	int r;

	while (line_next(&it, &l)) {
		x->lineno = it.lineno;
		if (!l.n || l.p[0] == '#')
			continue;
		if (ext_is_label(l)) {
			r = ext_label(x, &e);
			if (r < 0)
				return r;
		}
		r = e ? ext_entry_line(x, e, l) : ext_global_line(x, l);
		if (r < 0)
			return r;
	}
	return 0;
}
