/*
 * GRUB 2's grub.cfg as pygrub reads it: line by line, no shell.  Only a
 * "menuentry 'T' ... {" line opens an entry, "}" closes it, submenus are
 * flattened, function bodies skipped, and if/fi, variables and escapes
 * are left as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "bootcfg_i.h"

struct grub2_state {
	struct bootentry *e; /* the open menuentry */
	size_t e_line;
	size_t submenus;
	bool in_function;
};

/*
 * The title of "menuentry Q...Q {" where each Q is either quote: up to the
 * first quote followed by a space, if a '{' comes anywhere after it.
 */
static bool grub2_title(struct pyslice l, struct pyslice *title)
{
	const size_t start = sizeof("menuentry '") - 1;

	if (!py_startswith(l, "menuentry ") || l.n <= start ||
	    (l.p[start - 1] != '\'' && l.p[start - 1] != '"'))
		return false;
	for (size_t p = start; p + 1 < l.n; p++) {
		if ((l.p[p] != '\'' && l.p[p] != '"') || l.p[p + 1] != ' ')
			continue;
		if (!memchr(l.p + p + 2, '{', l.n - p - 2))
			return false;
		*title = py_slice(l.p + start, p - start);
		return true;
	}
	return false;
}

/* "set NAME=VALUE": VALUE loses a quote pair that opens it (up to the
 * last same quote); pygrub fails on any other shape. */
static int grub2_set(struct cfgctx *x, struct pyslice arg, struct pyslice *name,
		     struct pyslice *val)
{
	struct pyslice part[3];

	if (grub_split(arg, 2, part) != 2)
		return cfg_fail(x, x->lineno, "'set' is not NAME=VALUE");
	*name = part[0];
	*val = part[1];
	if (val->n >= 2 && (val->p[0] == '\'' || val->p[0] == '"')) {
		for (size_t i = val->n - 1; i >= 1; i--) {
			if (val->p[i] == val->p[0]) {
				*val = py_slice(val->p + 1, i - 1);
				break;
			}
		}
	}
	return 0;
}

/* The command as pygrub names it: "set:NAME" for a set, else the word. */
struct grub2_cmd {
	bool set;
	struct pyslice word, arg;
};

static int grub2_cmd(struct cfgctx *x, struct pyslice l, struct grub2_cmd *c)
{
	grub_split_cmd(l, &c->word, &c->arg);
	c->set = py_eq(c->word, "set");
	if (c->set)
		return grub2_set(x, c->arg, &c->word, &c->arg);
	return 0;
}

static bool grub2_is(const struct grub2_cmd *c, const char *name)
{
	if (strncmp(name, "set:", 4) == 0 && c->set)
		return py_eq(c->word, name + 4);
	return !c->set && py_eq(c->word, name);
}

static int grub2_entry_line(struct cfgctx *x, struct bootentry *e, struct pyslice l)
{
	struct grub2_cmd c;
	struct pyslice v, path;
	char *repr = NULL;
	int r = grub2_cmd(x, l, &c);

	if (r < 0)
		return r;
	v = py_strip(c.arg);
	if (grub2_is(&c, "set:root")) {
		r = grub_diskpart(x, v, &repr);
		if (r < 0)
			return r;
		free(e->root);
		e->root = repr;
		return 0;
	}
	if (grub2_is(&c, "linux") || grub2_is(&c, "linux16"))
		return grub_set_kernel(x, e, v);
	if (grub2_is(&c, "initrd") || grub2_is(&c, "initrd16")) {
		r = grub_path(x, v, &path);
		return r < 0 ? r : cfg_set(x, &e->initrd, path);
	}
	return 0;
}

static int grub2_global_line(struct cfgctx *x, struct pyslice l)
{
	struct grub2_cmd c;
	struct pyslice v;
	int r = grub2_cmd(x, l, &c);

	if (r < 0)
		return r;
	v = py_strip(c.arg);
	if (grub2_is(&c, "set:default")) {
		if (py_eq(v, "${saved_entry}") || py_eq(v, "${next_entry}"))
			v = py_slice("0", 1);
		return grub_set_default(x, v);
	}
	if (grub2_is(&c, "set:timeout"))
		cfg_set_timeout(x, v);
	return 0;
}

static int grub2_open(struct cfgctx *x, struct grub2_state *st, struct pyslice title)
{
	if (st->e)
		return cfg_fail(x, x->lineno, "menuentry inside the menuentry of line %zu",
				st->e_line);
	st->e = cfg_new_entry(x);
	if (!st->e)
		return cfg_nomem(x);
	st->e_line = x->lineno;
	return cfg_set(x, &st->e->title, py_strip(title));
}

static int grub2_close(struct cfgctx *x, struct grub2_state *st)
{
	if (st->e) {
		st->e = NULL;
		return 0;
	}
	if (!st->submenus)
		return cfg_fail(x, x->lineno, "'}' without a menuentry");
	st->submenus--;
	return 0;
}

static int grub2_line(struct cfgctx *x, struct grub2_state *st, struct pyslice l)
{
	struct pyslice title;

	if (py_startswith(l, "function")) {
		st->in_function = true;
		return 0;
	}
	if (st->in_function) {
		st->in_function = !py_startswith(l, "}");
		return 0;
	}
	if (grub2_title(l, &title))
		return grub2_open(x, st, title);
	if (py_startswith(l, "submenu")) {
		st->submenus++;
		return 0;
	}
	if (py_startswith(l, "}"))
		return grub2_close(x, st);
	if (st->e)
		return grub2_entry_line(x, st->e, l);
	return grub2_global_line(x, l);
}

int grub2_parse(struct cfgctx *x)
{
	struct lineiter it = { x->text, x->len, 0, 0 };
	struct grub2_state st = { NULL, 0, 0, false };
	struct pyslice l;
	int r;

	while (line_next(&it, &l)) {
		x->lineno = it.lineno;
		if (!l.n || l.p[0] == '#')
			continue;
		r = grub2_line(x, &st, l);
		if (r < 0)
			return r;
	}
	if (st.e)
		return cfg_fail(x, st.e_line, "menuentry not closed at the end of the file");
	return 0;
}
