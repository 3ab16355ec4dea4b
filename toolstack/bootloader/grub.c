/*
 * GRUB legacy's menu.lst / grub.conf as pygrub reads it, and the pieces
 * both GRUB parsers share: device names, "(hd0,0)/path" and the default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg_i.h"

/* pygrub drops every parenthesis of a device half before reading it. */
static size_t drop_parens(struct pyslice s, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] != '(' && s.p[i] != ')')
			out[o++] = s.p[i];
	}
	return o;
}

/* "hdN" (any two characters, then int()) or "/dev/xvdX" (X - 'a'). */
static int diskpart_disk(struct cfgctx *x, struct pyslice s, char *buf, char *out)
{
	struct pyslice v = py_slice(buf, drop_parens(s, buf));
	struct pyint d;

	if (py_startswith(v, "/dev/xvd")) {
		struct pyslice c = py_tail(v, 8);
		long cp = (unsigned char)c.p[0];

		if (!c.n)
			return cfg_fail(x, x->lineno, "no disk letter after /dev/xvd");
		if (cp >= 0x80) {
			size_t l = py_cp_len(c.p, c.n);

			cp &= l == 2 ? 0x1f : l == 3 ? 0x0f : 0x07;
			for (size_t i = 1; i < l; i++)
				cp = (cp << 6) | (c.p[i] & 0x3f);
		}
		sprintf(out, "%ld", cp - 'a');
		return 0;
	}
	if (py_int(py_skip_cps(v, 2), &d, out) < 0)
		return cfg_fail(x, x->lineno, "bad disk \"%.*s\" in GRUB device", (int)v.n, v.p);
	return 0;
}

static int diskpart_part(struct cfgctx *x, struct pyslice s, char *buf, char *out)
{
	struct pyslice v = py_slice(buf, drop_parens(s, buf));
	struct pyint d;

	if (py_startswith(v, "msdos"))
		v = py_tail(v, 5);
	if (py_startswith(v, "gpt"))
		v = py_tail(v, 3);
	if (py_int(v, &d, out) < 0)
		return cfg_fail(x, x->lineno, "bad partition \"%.*s\" in GRUB device", (int)v.n, v.p);
	return 0;
}

int grub_diskpart(struct cfgctx *x, struct pyslice s, char **repr)
{
	struct pyslice half[3];
	size_t n = py_split_str(s, ",", 2, half);
	char *buf = NULL, *disk = NULL, *part = NULL;
	int r;

	if (n > 2)
		return cfg_fail(x, x->lineno, "more than one ',' in GRUB device");
	buf = malloc(s.n + 1);
	disk = malloc(s.n + 32);
	part = malloc(s.n + 32);
	r = -ENOMEM;
	if (!buf || !disk || !part)
		goto out;
	r = diskpart_disk(x, half[0], buf, disk);
	if (r < 0)
		goto out;
	if (n == 2) {
		r = diskpart_part(x, half[1], buf, part);
		if (r < 0)
			goto out;
	}
	r = -ENOMEM;
	*repr = malloc(2 * s.n + 72);
	if (!*repr)
		goto out;
	sprintf(*repr, n == 2 ? "d%sp%s" : "d%s", disk, part);
	r = 0;
out:
	if (r == -ENOMEM)
		cfg_nomem(x);
	free(buf);
	free(disk);
	free(part);
	return r;
}

int grub_path(struct cfgctx *x, struct pyslice s, struct pyslice *path)
{
	const char *close;
	char *repr = NULL;
	int r;

	*path = s;
	if (!py_startswith(s, "("))
		return 0;
	close = py_find(s, ")", 1);
	if (!close)
		return cfg_fail(x, x->lineno, "no ')' after GRUB device");
	r = grub_diskpart(x, py_slice(s.p, (size_t)(close - s.p)), &repr);
	free(repr);
	*path = py_tail(s, (size_t)(close - s.p) + 1);
	return r;
}

/* Only a number is kept: "saved" and any other word count as 0. */
int grub_set_default(struct cfgctx *x, struct pyslice v)
{
	struct pyint d;

	if (py_int(v, &d, NULL) == 0 && d.neg)
		return cfg_fail(x, x->lineno, "negative default");
	return cfg_set(x, &x->c->default_spec, v);
}

/* "PATH ARGS": split at the first whitespace, but only when there is a
 * space (a lone tab keeps it all as the path). */
int grub_set_kernel(struct cfgctx *x, struct bootentry *e, struct pyslice v)
{
	struct pyslice part[2] = { v, { 0 } }, path;
	bool has_args = py_find(v, " ", 1) != NULL;
	int r;

	if (has_args)
		py_split_ws(v, 1, part);
	r = grub_path(x, part[0], &path);
	if (r < 0)
		return r;
	r = cfg_set(x, &e->kernel, path);
	if (r < 0)
		return r;
	free(e->args);
	e->args = NULL;
	return has_args ? cfg_set(x, &e->args, part[1]) : 0;
}

static int grub_entry_line(struct cfgctx *x, struct bootentry *e, struct pyslice line)
{
	struct pyslice com, arg, v, path;
	char *repr = NULL;
	int r;

	grub_split_cmd(line, &com, &arg);
	v = py_strip(arg);
	if (py_eq(com, "root") || py_eq(com, "rootnoverify")) {
		r = grub_diskpart(x, v, &repr);
		if (r < 0)
			return r;
		free(e->root);
		e->root = repr;
		return 0;
	}
	if (py_eq(com, "kernel"))
		return grub_set_kernel(x, e, v);
	if (py_eq(com, "initrd")) {
		r = grub_path(x, v, &path);
		return r < 0 ? r : cfg_set(x, &e->initrd, path);
	}
	return 0;
}

static int grub_global_line(struct cfgctx *x, struct pyslice line)
{
	struct pyslice com, arg, v, path;

	grub_split_cmd(line, &com, &arg);
	v = py_strip(arg);
	if (py_eq(com, "default"))
		return grub_set_default(x, v);
	if (py_eq(com, "timeout"))
		cfg_set_timeout(x, v);
	else if (py_eq(com, "splashimage"))
		return grub_path(x, v, &path);
	else if (py_eq(com, "password"))
		return cfg_set(x, &x->c->password, v);
	return 0;
}

static int grub_title(struct cfgctx *x, struct pyslice line, struct bootentry **e)
{
	*e = cfg_new_entry(x);
	if (!*e)
		return cfg_nomem(x);
	return cfg_set(x, &(*e)->title, py_strip(py_skip_cps(line, 6)));
}

/* A last title without any line after it is dropped, as pygrub does. */
int grub_parse(struct cfgctx *x)
{
	struct lineiter it = { x->text, x->len, 0, 0 };
	struct bootentry *e = NULL;
	bool has_lines = false;
	struct pyslice l;
	int r;

	while (line_next(&it, &l)) {
		x->lineno = it.lineno;
		if (!l.n || l.p[0] == '#')
			continue;
		if (py_startswith(l, "title")) {
			r = grub_title(x, l, &e);
			has_lines = false;
		} else if (e) {
			r = grub_entry_line(x, e, l);
			has_lines = true;
		} else {
			r = grub_global_line(x, l);
		}
		if (r < 0)
			return r;
	}
	if (e && !has_lines)
		cfg_drop_last(x);
	return 0;
}
