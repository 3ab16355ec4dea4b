/*
 * Internal to libbootfs: what bootfs.c calls on an opened filesystem.
 * Each reader (extfs.c, isofs.c) fills one table; `fs` is its own.
 */
#ifndef BOOTFS_I_H
#define BOOTFS_I_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bootfs.h"

struct bootfs_ops {
	const char *name; /* in messages: "ext2/3/4", "iso9660" */
	int (*open)(void **fs, const struct bootdisk *d, uint64_t offset, char *err,
		    size_t errlen);
	void (*close)(void *fs);
	const char *(*type)(const void *fs);
	bool (*exists)(void *fs, const char *path);
	int (*read)(void *fs, const char *path, size_t max, void **data, size_t *len, char *err,
		    size_t errlen);
	int (*read_head)(void *fs, const char *path, size_t max, void **data, size_t *len,
			 char *err, size_t errlen);
	int (*copy)(void *fs, const char *path, int out_fd, uint64_t *copied, char *err,
		    size_t errlen);
};

#endif
