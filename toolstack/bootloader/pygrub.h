/* Our pygrub's parts: what it chose to boot, how it says so, its menu. */
#ifndef PYGRUB_H
#define PYGRUB_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg.h"

enum pygrub_format { PYGRUB_SXP, PYGRUB_SIMPLE, PYGRUB_SIMPLE0 };

/* What goes back to xl: paths of the copies (NULL: none), arguments. */
struct pygrub_result {
	const char *kernel;
	const char *ramdisk;
	const char *args; /* NULL or "" : none */
};

/*
 * The result in `fmt`, as Xen's pygrub writes it (sxp quotes like
 * Python's repr, "None" for a missing kernel).  Malloc'd into *out;
 * -EINVAL when a simple format cannot hold a value (it contains the
 * separator), -ENOMEM.
 */
int pygrub_format(enum pygrub_format fmt, const struct pygrub_result *r,
		  char **out, size_t *len);

/* `-l`: every entry the way Xen's pygrub lists them. */
void pygrub_list(const struct bootcfg *c);

/*
 * The menu on the terminal `in_fd`/`out_fd`: arrows move, Enter boots,
 * 'a' edits the entry's kernel arguments (then *args is the malloc'd
 * new line), any key stops the countdown of c->timeout seconds (-1:
 * none).  Returns the chosen entry, or -1 on a read error or hang-up.
 */
long pygrub_menu(const struct bootcfg *c, size_t start, int in_fd, int out_fd, char **args);

/* --runas: the rest of the run in a child with no privileges. */
/* Returns 0 in the confined child; the parent exits with its status. */
int pygrub_depriv(unsigned long uid, const char *output_dir, const char *const copies[2],
		  char *err, size_t errlen);

#endif
