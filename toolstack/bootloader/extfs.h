/*
 * Internal to libbootfs: the read-only ext2/ext3/ext4 reader behind
 * bootfs_open.  extfs.c holds the superblock, inodes, directories and
 * path walking; extmap.c maps a file's logical blocks (extent trees,
 * indirect blocks, inline data) and reads its bytes.
 */
#ifndef EXTFS_H
#define EXTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bootfs_i.h"

struct extfs {
	const struct bootdisk *disk;
	uint64_t offset;       /* of the filesystem on the disk, bytes */
	uint64_t blocks_count;
	uint64_t bytes;        /* blocks_count * block_size */
	uint32_t block_size;
	unsigned int block_bits;
	uint32_t first_data_block;
	uint32_t sb_block;     /* block holding the superblock */
	uint32_t blocks_per_group;
	uint32_t inodes_per_group;
	uint32_t inodes_count;
	uint32_t groups;
	uint32_t desc_size;
	uint32_t desc_per_block;
	uint32_t inode_size;
	uint32_t first_meta_bg;
	uint32_t backup_bgs[2];
	uint32_t compat, incompat, ro_compat;
	const char *type;      /* "ext2", "ext3", "ext4" */
};

/* One operation's error sink, and the path it has walked so far. */
struct ext_ctx {
	struct extfs *fs;
	char *err;
	size_t errlen;
	char at[256];
};

struct ext_inode {
	uint32_t ino;
	uint16_t mode;
	uint32_t flags;
	uint64_t size;
	uint8_t *raw; /* the on-disk inode, fs->inode_size bytes */
};

/* A stretch of logical blocks: on disk from `pblk`, or reading as zeros. */
struct ext_run {
	uint64_t pblk;
	uint64_t count;
	bool zero;
};

#define EXT_ROOT_INO 2
#define EXT_N_BLOCKS_BYTES 60
#define EXT_I_BLOCK 0x28

#define EXT_FL_ENCRYPT 0x800u
#define EXT_FL_EXTENTS 0x80000u
#define EXT_FL_INLINE_DATA 0x10000000u

#define EXT_INCOMPAT_INLINE_DATA 0x8000u

static inline uint16_t ext_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t ext_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ext_le64(const uint8_t *p)
{
	return ext_le32(p) | (uint64_t)ext_le32(p + 4) << 32;
}

/* What bootfs.c calls: extfs_open, _close, _exists, _read, _read_head, _copy. */
extern const struct bootfs_ops extfs_ops;

/* Formats "<type> at offset N: [inode I (<path>): ]..." into c->err; returns rc. */
int ext_fail(struct ext_ctx *c, const struct ext_inode *ino, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reads `len` bytes `off` bytes into physical block `pblk`, range-checked. */
int ext_read_phys(struct ext_ctx *c, const struct ext_inode *ino, uint64_t pblk,
		  uint64_t off, void *buf, size_t len);

/* The run of blocks from logical block `lblk` of a block-mapped inode. */
int ext_map(struct ext_ctx *c, const struct ext_inode *ino, uint64_t lblk, struct ext_run *run);

/* Reads bytes [pos, pos+len) of the inode, which must lie within its size. */
int ext_file_pread(struct ext_ctx *c, const struct ext_inode *ino, void *buf, size_t len,
		   uint64_t pos);

/* An inline-data inode's bytes (i_block, then "system.data"), malloc'd. */
int ext_inline_data(struct ext_ctx *c, const struct ext_inode *ino, uint8_t **data,
		    size_t *len);

#endif
