/*
 * Internal to libbootfs: the read-only ISO 9660 reader behind
 * bootfs_open (isofs.c), with Rock Ridge names and symlinks.
 */
#ifndef ISOFS_H
#define ISOFS_H

#include "bootfs_i.h"

extern const struct bootfs_ops isofs_ops;

#endif
