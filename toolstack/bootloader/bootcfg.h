/*
 * The boot menus pygrub understands: GRUB 2 (grub.cfg), GRUB legacy
 * (menu.lst, grub.conf) and extlinux/isolinux, read into one model.
 * Behaviour follows Xen 4.17's pygrub: the same entries, titles, kernel,
 * initrd and arguments, and the same default.
 */
#ifndef BOOTCFG_H
#define BOOTCFG_H

#include <stddef.h>

enum bootcfg_kind { BOOTCFG_GRUB2, BOOTCFG_EXTLINUX, BOOTCFG_GRUB };

struct bootentry {
	char *title;
	char *root;   /* GRUB's root device as pygrub prints it, or NULL */
	char *kernel; /* path inside the guest's filesystem, or NULL */
	char *args;   /* kernel command line, or NULL */
	char *initrd; /* path, or NULL */
};

struct bootcfg {
	enum bootcfg_kind kind;
	struct bootentry *e;
	size_t n;
	int timeout; /* seconds; -1 when the menu sets none */
	char *default_spec; /* the default as written ("0", a title, "a>b"), or NULL */
	char *password; /* GRUB legacy's global "password" argument, or NULL */
};

/* pygrub reads no more of a menu file than this; callers truncate to it. */
#define BOOTCFG_READ_MAX (1024 * 1024)

/* Where pygrub looks, in its order, and with which parser. */
struct bootcfg_path {
	const char *path;
	enum bootcfg_kind kind;
};
extern const struct bootcfg_path bootcfg_paths[];
extern const size_t bootcfg_npaths;

/*
 * Parses `len` bytes of `text` (a menu file called `fname` in messages).
 * 0, or -EINVAL/-ENOMEM with `err` as "FNAME:LINE: what is wrong".  A menu
 * with no entry is not an error here (pygrub finds no kernel later).
 */
int bootcfg_parse(struct bootcfg *c, enum bootcfg_kind kind, const char *text,
		  size_t len, const char *fname, char *err, size_t errlen);
void bootcfg_free(struct bootcfg *c);

/* The entry pygrub boots by default (its image_index), 0..n-1. */
size_t bootcfg_default(const struct bootcfg *c);

/* pygrub's --entry: a number, else an exact title; -1 when neither. */
long bootcfg_find(const struct bootcfg *c, const char *entry);

#endif
