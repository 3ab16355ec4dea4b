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
	/* A regular file by absolute path, symlinks followed: *file for the
	 * two below, *size its length.  err may be NULL (a mere look). */
	int (*file_open)(void *fs, const char *path, void **file, uint64_t *size, char *err,
			 size_t errlen);
	/* Bytes [off, off + len) of an open file, all inside its size. */
	int (*file_pread)(void *file, void *buf, size_t len, uint64_t off, char *err,
			  size_t errlen);
	void (*file_close)(void *file);
};

#endif
