/*
 * Internals of libbootcfg: the handful of Python string operations whose
 * exact behaviour decides what pygrub reads out of a menu (its strip and
 * split see Unicode whitespace, its int() takes Unicode digits), and the
 * parsing context shared by the three parsers.
 */
#ifndef BOOTCFG_I_H
#define BOOTCFG_I_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg.h"

/* A view into the menu text; never NUL-terminated. */
struct pyslice {
	const char *p;
	size_t n;
};

static inline struct pyslice py_slice(const char *p, size_t n)
{
	return (struct pyslice){ p, n };
}

static inline struct pyslice py_tail(struct pyslice s, size_t off)
{
	return off >= s.n ? py_slice(s.p + s.n, 0) : py_slice(s.p + off, s.n - off);
}

bool py_utf8_valid(const char *p, size_t n, size_t *bad);
size_t py_cp_len(const char *p, size_t n);
struct pyslice py_skip_cps(struct pyslice s, size_t count);
bool py_space_at(const char *p, size_t n, size_t *len);
struct pyslice py_strip(struct pyslice s);
bool py_startswith(struct pyslice s, const char *prefix);
bool py_eq(struct pyslice s, const char *word);
bool py_eq_nocase(struct pyslice s, const char *word);
const char *py_find(struct pyslice s, const char *needle, size_t nlen);
size_t py_split_ws(struct pyslice s, size_t maxsplit, struct pyslice *out);
size_t py_split_str(struct pyslice s, const char *sep, size_t maxsplit,
		    struct pyslice *out);
size_t py_remove_all(const char *s, size_t n, const char *pat, size_t pn, char *out);

/* Python's int(s) in base 10; canon (room for s.n + 2) gets str(int(s)). */
struct pyint {
	bool neg;
	bool zero;
	unsigned long long mag; /* saturates at ULLONG_MAX */
};
int py_int(struct pyslice s, struct pyint *v, char *canon);

/* pygrub's grub_split(s, maxsplit) and grub_exact_split(s, 2). */
size_t grub_split(struct pyslice s, size_t maxsplit, struct pyslice *out);
void grub_split_cmd(struct pyslice line, struct pyslice *com, struct pyslice *arg);

struct cfgctx {
	struct bootcfg *c;
	const char *text;
	size_t len;
	const char *fname;
	char *err;
	size_t errlen;
	size_t lineno;
	size_t cap;
};

int cfg_fail(struct cfgctx *x, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cfg_nomem(struct cfgctx *x);
int cfg_set(struct cfgctx *x, char **dst, struct pyslice v);
struct bootentry *cfg_new_entry(struct cfgctx *x);
void cfg_drop_last(struct cfgctx *x);
void cfg_set_timeout(struct cfgctx *x, struct pyslice v);

/* Iterates over the lines of the text, each stripped as Python strips. */
struct lineiter {
	const char *text;
	size_t len;
	size_t pos;
	size_t lineno;
};
bool line_next(struct lineiter *it, struct pyslice *line);

/* GRUB's "(hd0,msdos1)" as pygrub prints it ("d0p1"), shared by both GRUBs. */
int grub_diskpart(struct cfgctx *x, struct pyslice s, char **repr);
int grub_path(struct cfgctx *x, struct pyslice s, struct pyslice *path);
int grub_set_default(struct cfgctx *x, struct pyslice v);
int grub_set_kernel(struct cfgctx *x, struct bootentry *e, struct pyslice v);

int grub_parse(struct cfgctx *x);
int grub2_parse(struct cfgctx *x);
int extlinux_parse(struct cfgctx *x);

#endif
