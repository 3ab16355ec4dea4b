/*
 * Read-only access to what a guest boots from: a disk image or block
 * device, its partition table, and the files of one filesystem on it.
 * Used by our pygrub; nothing here ever writes to the disk.
 */
#ifndef BOOTFS_H
#define BOOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bootdisk {
	int fd;
	uint64_t size; /* bytes: the file's size, the block device's, or the
			* guest-visible size of an image format */
	char *path;
	/* An image format (bootdisk_qcow2.c): reads of guest bytes within
	 * `size`, and its cleanup.  NULL: the file is the disk. */
	int (*read)(const struct bootdisk *d, void *buf, size_t len, uint64_t off);
	void (*close)(struct bootdisk *d);
	void *priv;
};

/* Opens `path` read-only.  0, or -errno with `err` naming the path. */
int bootdisk_open(struct bootdisk *d, const char *path, char *err, size_t errlen);
void bootdisk_close(struct bootdisk *d);

/*
 * Like bootdisk_open on an already open descriptor, which it takes over
 * (closed on failure too); `path` names it in messages.  For callers that
 * hold the image elsewhere, e.g. a fuzz target's memfd.
 */
int bootdisk_open_fd(struct bootdisk *d, int fd, const char *path, char *err, size_t errlen);

/*
 * Opens a qcow2 image read-only through xen-qdisk's reader (backends/qdisk:
 * versions 2 and 3; backing files, encryption and compressed clusters are
 * refused by name).  Only ever on the caller's word that the disk is
 * qcow2: a raw disk is the guest's to fill, header included.
 */
int bootdisk_open_qcow2(struct bootdisk *d, const char *path, char *err, size_t errlen);

/* Reads exactly `len` bytes at `off`: 0, -ERANGE past the end, -EIO. */
int bootdisk_read(const struct bootdisk *d, void *buf, size_t len, uint64_t off);

#define BOOTDISK_MAX_PARTS 128

struct bootpart {
	uint64_t offset; /* bytes from the start of the disk */
	uint64_t size;   /* bytes */
	unsigned int index; /* 1-based, as Linux numbers them; 0: whole disk */
	const char *scheme; /* "raw", "mbr", "gpt", "iso" */
};

/*
 * The places a filesystem may start, in the order Xen 4.17's pygrub tries
 * them: the whole disk when there is no partition table; MBR primaries in
 * table order (empty ones skipped); a protective MBR's GPT entries in
 * table order (unused ones skipped); a hybrid ISO's offset 0 first.
 * 0, or -errno with `err` saying what is wrong with the table.
 */
int bootdisk_partitions(const struct bootdisk *d, struct bootpart *parts,
			size_t max, size_t *n, char *err, size_t errlen);

struct bootfs;

/*
 * Opens the filesystem starting `offset` bytes into the disk.
 * ext2/3/4 and iso9660 (with Rock Ridge) are read.  -ENODEV when none
 * of those is there (`err` names what was found, e.g. "xfs at offset
 * 1048576: not supported (ext2/3/4 and iso9660 are)"), other -errno
 * for a damaged one, with `err` naming the structure at fault.
 */
int bootfs_open(struct bootfs **fs, const struct bootdisk *d, uint64_t offset,
		char *err, size_t errlen);
void bootfs_close(struct bootfs *fs);
const char *bootfs_type(const struct bootfs *fs); /* "ext2", "ext3", "ext4", "iso9660" */

/* True if `path` (absolute; symlinks followed) is a regular file. */
bool bootfs_exists(struct bootfs *fs, const char *path);

/*
 * Reads the whole regular file `path` (symlinks followed) into a malloc'd
 * buffer, NUL-terminated beyond *len for the config parsers.  -EFBIG if
 * it is larger than `max`; -ENOENT, -ENOTDIR, -ELOOP, -EISDIR, -EIO,
 * -EUCLEAN (damaged) with `err` naming the path and the fault.
 */
int bootfs_read(struct bootfs *fs, const char *path, size_t max, void **data,
		size_t *len, char *err, size_t errlen);

/* The same, but a longer file gives its first `max` bytes (pygrub reads
 * no more of a boot menu). */
int bootfs_read_head(struct bootfs *fs, const char *path, size_t max, void **data,
		     size_t *len, char *err, size_t errlen);

/* Copies the regular file `path` to `out_fd`; *copied = bytes written. */
int bootfs_copy(struct bootfs *fs, const char *path, int out_fd,
		uint64_t *copied, char *err, size_t errlen);

#endif
