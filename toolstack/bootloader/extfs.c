/*
 * Read-only ext2/ext3/ext4: superblock and group descriptors, inodes,
 * directory lookup and path walking with symlinks.  The image belongs to
 * a guest: every on-disk number is checked before it is used.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "extfs.h"

#define EXT_SB_OFFSET 1024
#define EXT_SB_SIZE 1024
#define EXT_MAGIC 0xef53

#define EXT_COMPAT_HAS_JOURNAL 0x4u
#define EXT_COMPAT_SPARSE_SUPER2 0x200u
#define EXT_RO_COMPAT_SPARSE_SUPER 0x1u

#define EXT_INCOMPAT_COMPRESSION 0x1u
#define EXT_INCOMPAT_FILETYPE 0x2u
#define EXT_INCOMPAT_RECOVER 0x4u
#define EXT_INCOMPAT_JOURNAL_DEV 0x8u
#define EXT_INCOMPAT_META_BG 0x10u
#define EXT_INCOMPAT_EXTENTS 0x40u
#define EXT_INCOMPAT_64BIT 0x80u
#define EXT_INCOMPAT_MMP 0x100u
#define EXT_INCOMPAT_FLEX_BG 0x200u
#define EXT_INCOMPAT_EA_INODE 0x400u
#define EXT_INCOMPAT_DIRDATA 0x1000u
#define EXT_INCOMPAT_CSUM_SEED 0x2000u
#define EXT_INCOMPAT_LARGEDIR 0x4000u
#define EXT_INCOMPAT_ENCRYPT 0x10000u
#define EXT_INCOMPAT_CASEFOLD 0x20000u

/* What reading needs no more than the block layout for. */
#define EXT_INCOMPAT_READ                                                                    \
	(EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_RECOVER | EXT_INCOMPAT_META_BG |               \
	 EXT_INCOMPAT_EXTENTS | EXT_INCOMPAT_64BIT | EXT_INCOMPAT_MMP | EXT_INCOMPAT_FLEX_BG | \
	 EXT_INCOMPAT_EA_INODE | EXT_INCOMPAT_CSUM_SEED | EXT_INCOMPAT_LARGEDIR |            \
	 EXT_INCOMPAT_INLINE_DATA | EXT_INCOMPAT_ENCRYPT | EXT_INCOMPAT_CASEFOLD)
/* What ext3 knew; anything beyond makes the filesystem ext4 (as blkid says). */
#define EXT3_INCOMPAT (EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_RECOVER | EXT_INCOMPAT_META_BG)
#define EXT3_RO_COMPAT 0x7u

#define EXT_S_IFMT 0xf000
#define EXT_S_IFDIR 0x4000
#define EXT_S_IFREG 0x8000
#define EXT_S_IFLNK 0xa000

#define EXT_MAX_SYMLINKS 8
#define EXT_MAX_SYMLINK_LEN 4096
#define EXT_NAME_MAX 255

int ext_fail(struct ext_ctx *c, const struct ext_inode *ino, int rc, const char *fmt, ...)
{
	size_t used;
	va_list ap;
	int n;

	if (!c->err || !c->errlen)
		return rc;
	if (ino)
		n = snprintf(c->err, c->errlen, "%s at offset %llu: inode %u (%s): ", c->fs->type,
			     (unsigned long long)c->fs->offset, ino->ino, c->at[0] ? c->at : "/");
	else
		n = snprintf(c->err, c->errlen, "%s at offset %llu: %s%s", c->fs->type,
			     (unsigned long long)c->fs->offset, c->at, c->at[0] ? ": " : "");
	used = n < 0 ? 0 : (size_t)n;
	if (used < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* ---- superblock ---- */

static const char *ext_type_of(uint32_t compat, uint32_t incompat, uint32_t ro_compat)
{
	if ((incompat & ~EXT3_INCOMPAT) || (ro_compat & ~EXT3_RO_COMPAT))
		return "ext4";
	return compat & EXT_COMPAT_HAS_JOURNAL ? "ext3" : "ext2";
}

static int ext_check_features(struct ext_ctx *c)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} refused[] = {
		{ EXT_INCOMPAT_COMPRESSION, "compression" },
		{ EXT_INCOMPAT_JOURNAL_DEV, "journal_dev (an external journal, not a filesystem)" },
		{ EXT_INCOMPAT_DIRDATA, "dirdata" },
	};
	uint32_t incompat = c->fs->incompat;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (incompat & refused[i].bit)
			return ext_fail(c, NULL, -EOPNOTSUPP, "feature %s is not supported",
					refused[i].name);
	if (incompat & ~EXT_INCOMPAT_READ)
		return ext_fail(c, NULL, -EOPNOTSUPP, "unknown incompatible features 0x%x",
				incompat & ~EXT_INCOMPAT_READ);
	return 0;
}

static bool ext_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int ext_check_geometry(struct ext_ctx *c, const uint8_t *sb)
{
	struct extfs *fs = c->fs;
	uint64_t room = fs->disk->size > fs->offset ? fs->disk->size - fs->offset : 0;
	uint32_t log = ext_le32(sb + 0x18);
	uint64_t groups;

	if (log > 6)
		return ext_fail(c, NULL, -EUCLEAN, "superblock: block size 2^%u KiB, expected 1 to 64 KiB", log);
	fs->block_bits = 10 + log;
	fs->block_size = 1u << fs->block_bits;
	fs->sb_block = EXT_SB_OFFSET >> fs->block_bits;
	if (fs->blocks_count <= fs->first_data_block || fs->first_data_block > fs->sb_block)
		return ext_fail(c, NULL, -EUCLEAN,
				"superblock: %llu blocks, first data block %u (%u-byte blocks)",
				(unsigned long long)fs->blocks_count, fs->first_data_block, fs->block_size);
	if (fs->blocks_count > room >> fs->block_bits)
		return ext_fail(c, NULL, -EUCLEAN,
				"superblock: %llu blocks of %u bytes, but only %llu bytes of disk follow: truncated image?",
				(unsigned long long)fs->blocks_count, fs->block_size,
				(unsigned long long)room);
	fs->bytes = fs->blocks_count << fs->block_bits;
	if (fs->blocks_per_group < 8 || fs->inodes_per_group == 0 || fs->inodes_per_group > 8u * fs->block_size)
		return ext_fail(c, NULL, -EUCLEAN, "superblock: %u blocks and %u inodes per group",
				fs->blocks_per_group, fs->inodes_per_group);
	groups = (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) /
		 fs->blocks_per_group;
	if (groups > UINT32_MAX || fs->inodes_count == 0 ||
	    fs->inodes_count > groups * fs->inodes_per_group)
		return ext_fail(c, NULL, -EUCLEAN, "superblock: %u inodes in %llu groups of %u",
				fs->inodes_count, (unsigned long long)groups, fs->inodes_per_group);
	fs->groups = (uint32_t)groups;
	return 0;
}

static int ext_check_sizes(struct ext_ctx *c, const uint8_t *sb)
{
	struct extfs *fs = c->fs;
	uint32_t rev = ext_le32(sb + 0x4c);
	uint64_t gdt_blocks;

	fs->inode_size = rev == 0 ? 128 : ext_le16(sb + 0x58);
	if (fs->inode_size < 128 || fs->inode_size > fs->block_size || !ext_pow2(fs->inode_size))
		return ext_fail(c, NULL, -EUCLEAN, "superblock: inode size %u with %u-byte blocks",
				fs->inode_size, fs->block_size);
	fs->desc_size = fs->incompat & EXT_INCOMPAT_64BIT ? ext_le16(sb + 0xfe) : 32;
	if (fs->desc_size < (fs->incompat & EXT_INCOMPAT_64BIT ? 64u : 32u) ||
	    fs->desc_size > 1024 || !ext_pow2(fs->desc_size))
		return ext_fail(c, NULL, -EUCLEAN, "superblock: group descriptor size %u",
				fs->desc_size);
	fs->desc_per_block = fs->block_size / fs->desc_size;
	gdt_blocks = ((uint64_t)fs->groups + fs->desc_per_block - 1) / fs->desc_per_block;
	if (!(fs->incompat & EXT_INCOMPAT_META_BG))
		fs->first_meta_bg = UINT32_MAX;
	else if (fs->first_meta_bg > gdt_blocks)
		return ext_fail(c, NULL, -EUCLEAN,
				"superblock: first meta block group %u of %llu descriptor blocks",
				fs->first_meta_bg, (unsigned long long)gdt_blocks);
	if (fs->sb_block + 1 + (gdt_blocks < fs->first_meta_bg ? gdt_blocks : fs->first_meta_bg) >
	    fs->blocks_count)
		return ext_fail(c, NULL, -EUCLEAN,
				"superblock: %llu group descriptor blocks do not fit %llu blocks",
				(unsigned long long)gdt_blocks, (unsigned long long)fs->blocks_count);
	return 0;
}

static int ext_parse_super(struct ext_ctx *c, const uint8_t *sb)
{
	struct extfs *fs = c->fs;
	int rc;

	fs->compat = ext_le32(sb + 0x5c);
	fs->incompat = ext_le32(sb + 0x60);
	fs->ro_compat = ext_le32(sb + 0x64);
	fs->type = ext_type_of(fs->compat, fs->incompat, fs->ro_compat);
	rc = ext_check_features(c);
	if (rc < 0)
		return rc;
	fs->inodes_count = ext_le32(sb + 0x00);
	fs->blocks_count = ext_le32(sb + 0x04);
	if (fs->incompat & EXT_INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)ext_le32(sb + 0x150) << 32;
	fs->first_data_block = ext_le32(sb + 0x14);
	fs->blocks_per_group = ext_le32(sb + 0x20);
	fs->inodes_per_group = ext_le32(sb + 0x28);
	fs->first_meta_bg = ext_le32(sb + 0x104);
	fs->backup_bgs[0] = ext_le32(sb + 0x24c);
	fs->backup_bgs[1] = ext_le32(sb + 0x250);
	rc = ext_check_geometry(c, sb);
	if (rc < 0)
		return rc;
	return ext_check_sizes(c, sb);
}

/* ---- group descriptors and inodes ---- */

static bool ext_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Does group g hold a copy of the superblock (and so of the descriptors)? */
static bool ext_group_has_super(const struct extfs *fs, uint32_t g)
{
	if (g == 0)
		return true;
	if (fs->compat & EXT_COMPAT_SPARSE_SUPER2)
		return g == fs->backup_bgs[0] || g == fs->backup_bgs[1];
	if (!(fs->ro_compat & EXT_RO_COMPAT_SPARSE_SUPER) || g == 1)
		return true;
	return ext_power_of(g, 3) || ext_power_of(g, 5) || ext_power_of(g, 7);
}

/* The block holding descriptor block `nr` (meta_bg puts them in their groups). */
static uint64_t ext_desc_block(const struct extfs *fs, uint32_t nr)
{
	uint64_t bg, has_super;

	if (nr < fs->first_meta_bg)
		return (uint64_t)fs->sb_block + 1 + nr;
	bg = (uint64_t)fs->desc_per_block * nr;
	has_super = bg <= UINT32_MAX && ext_group_has_super(fs, (uint32_t)bg);
	/* 1K blocks without a first data block (bigalloc): group 0 starts at block 0. */
	if (fs->block_size == 1024 && nr == 0 && fs->first_data_block == 0)
		has_super++;
	return has_super + fs->first_data_block + bg * fs->blocks_per_group;
}

static int ext_inode_table(struct ext_ctx *c, uint32_t group, uint64_t *table)
{
	struct extfs *fs = c->fs;
	uint64_t blk = ext_desc_block(fs, group / fs->desc_per_block), itb;
	uint8_t gd[64];
	int rc;

	rc = ext_read_phys(c, NULL, blk, (uint64_t)(group % fs->desc_per_block) * fs->desc_size, gd,
			   fs->desc_size < sizeof(gd) ? fs->desc_size : sizeof(gd));
	if (rc < 0)
		return rc;
	*table = ext_le32(gd + 8);
	if (fs->desc_size >= 64)
		*table |= (uint64_t)ext_le32(gd + 0x28) << 32;
	itb = ((uint64_t)fs->inodes_per_group * fs->inode_size + fs->block_size - 1) >> fs->block_bits;
	if (*table == 0 || *table >= fs->blocks_count || itb > fs->blocks_count - *table)
		return ext_fail(c, NULL, -EUCLEAN,
				"group %u: inode table at block %llu (%llu blocks) is outside the filesystem (%llu blocks)",
				group, (unsigned long long)*table, (unsigned long long)itb,
				(unsigned long long)fs->blocks_count);
	return 0;
}

static void ext_inode_put(struct ext_inode *ino)
{
	free(ino->raw);
	ino->raw = NULL;
}

static int ext_inode_get(struct ext_ctx *c, uint32_t nr, struct ext_inode *ino)
{
	struct extfs *fs = c->fs;
	uint32_t group, index;
	uint64_t table, off;
	int rc;

	ino->ino = nr;
	ino->raw = NULL;
	if (nr < 1 || nr > fs->inodes_count)
		return ext_fail(c, NULL, -EUCLEAN, "inode number %u out of range (1..%u)", nr,
				fs->inodes_count);
	group = (nr - 1) / fs->inodes_per_group;
	index = (nr - 1) % fs->inodes_per_group;
	rc = ext_inode_table(c, group, &table);
	if (rc < 0)
		return rc;
	ino->raw = malloc(fs->inode_size);
	if (!ino->raw)
		return ext_fail(c, ino, -ENOMEM, "out of memory");
	off = (uint64_t)index * fs->inode_size;
	rc = ext_read_phys(c, ino, table + (off >> fs->block_bits), off & (fs->block_size - 1),
			   ino->raw, fs->inode_size);
	if (rc < 0)
		goto fail;
	ino->mode = ext_le16(ino->raw);
	ino->flags = ext_le32(ino->raw + 0x20);
	ino->size = ext_le32(ino->raw + 4);
	if ((ino->mode & EXT_S_IFMT) == EXT_S_IFREG || (fs->incompat & EXT_INCOMPAT_LARGEDIR))
		ino->size |= (uint64_t)ext_le32(ino->raw + 0x6c) << 32;
	rc = -EUCLEAN;
	if (ino->mode == 0) {
		ext_fail(c, ino, rc, "not in use (mode 0)");
		goto fail;
	}
	if (ino->flags & EXT_FL_ENCRYPT) {
		rc = ext_fail(c, ino, -EOPNOTSUPP, "encrypted (fscrypt): cannot be read");
		goto fail;
	}
	if ((ino->flags & EXT_FL_INLINE_DATA) && !(fs->incompat & EXT_INCOMPAT_INLINE_DATA)) {
		ext_fail(c, ino, rc, "inline data flag without the inline_data feature");
		goto fail;
	}
	if (ino->size > fs->bytes && !(ino->flags & EXT_FL_INLINE_DATA)) {
		ext_fail(c, ino, rc, "size %llu exceeds the filesystem's %llu bytes",
			 (unsigned long long)ino->size, (unsigned long long)fs->bytes);
		goto fail;
	}
	return 0;
fail:
	ext_inode_put(ino);
	return rc;
}

/* ---- directories ---- */

static uint32_t ext_rec_len(const struct extfs *fs, const uint8_t *d)
{
	uint32_t len = ext_le16(d + 4);

	/* 64 KiB blocks store a whole-block record as 0 or 65535. */
	if (fs->block_size == 65536 && (len == 0 || len == 65535))
		return 65536;
	return len;
}

/* Scans one run of directory entries (a block, or a piece of inline data). */
static int ext_dir_scan(struct ext_ctx *c, const struct ext_inode *dir, const uint8_t *p,
			size_t len, uint64_t where, const char *name, size_t name_len, uint32_t *found)
{
	bool ftype = c->fs->incompat & EXT_INCOMPAT_FILETYPE;
	size_t pos = 0;

	while (pos + 8 <= len) {
		const uint8_t *d = p + pos;
		uint32_t rec = ext_rec_len(c->fs, d), ino = ext_le32(d);
		size_t nl = ftype ? d[6] : ext_le16(d + 6);

		if (rec < 12 || rec % 4 || rec > len - pos || nl > rec - 8)
			return ext_fail(c, dir, -EUCLEAN,
					"directory entry at byte %zu of %s %llu: rec_len %u, name_len %zu",
					pos, where == UINT64_MAX ? "inline data" : "block",
					(unsigned long long)(where == UINT64_MAX ? 0 : where), rec, nl);
		if (ino && nl == name_len && !memcmp(d + 8, name, nl)) {
			*found = ino;
			return 0;
		}
		pos += rec;
	}
	return 0;
}

static int ext_dir_lookup_inline(struct ext_ctx *c, const struct ext_inode *dir, const char *name,
				 size_t name_len, uint32_t *found)
{
	uint8_t *data;
	size_t len;
	int rc;

	rc = ext_inline_data(c, dir, &data, &len);
	if (rc < 0)
		return rc;
	/* The parent's number comes first; entries fill the rest of i_block, then the xattr. */
	if (name_len == 2 && !memcmp(name, "..", 2))
		*found = ext_le32(data);
	else
		rc = ext_dir_scan(c, dir, data + 4, EXT_N_BLOCKS_BYTES - 4, UINT64_MAX, name,
				  name_len, found);
	if (rc == 0 && !*found && len > EXT_N_BLOCKS_BYTES)
		rc = ext_dir_scan(c, dir, data + EXT_N_BLOCKS_BYTES, len - EXT_N_BLOCKS_BYTES,
				  UINT64_MAX, name, name_len, found);
	free(data);
	return rc;
}

static int ext_dir_lookup(struct ext_ctx *c, const struct ext_inode *dir, const char *name,
			  size_t name_len, uint32_t *found)
{
	uint32_t bs = c->fs->block_size;
	uint64_t pos;
	uint8_t *buf;
	int rc = 0;

	*found = 0;
	if (dir->flags & EXT_FL_INLINE_DATA)
		return ext_dir_lookup_inline(c, dir, name, name_len, found);
	buf = malloc(bs);
	if (!buf)
		return ext_fail(c, dir, -ENOMEM, "out of memory");
	for (pos = 0; pos < dir->size && !*found; pos += bs) {
		size_t n = dir->size - pos < bs ? (size_t)(dir->size - pos) : bs;
		struct ext_run run;

		rc = ext_map(c, dir, pos >> c->fs->block_bits, &run);
		if (rc < 0)
			break;
		if (run.zero) {
			/* skip the whole hole, not one block at a time */
			pos += (run.count - 1) << c->fs->block_bits;
			continue;
		}
		rc = ext_read_phys(c, dir, run.pblk, 0, buf, n);
		if (rc < 0)
			break;
		rc = ext_dir_scan(c, dir, buf, n, run.pblk, name, name_len, found);
		if (rc < 0)
			break;
	}
	free(buf);
	return rc;
}

/* ---- paths ---- */

static bool ext_is(const struct ext_inode *ino, uint16_t type)
{
	return (ino->mode & EXT_S_IFMT) == type;
}

/* A symlink's target, NUL-terminated, into a malloc'd buffer. */
static int ext_symlink_target(struct ext_ctx *c, const struct ext_inode *ino, char **target)
{
	int rc;

	if (ino->size == 0 || ino->size >= EXT_MAX_SYMLINK_LEN)
		return ext_fail(c, ino, -EUCLEAN, "symlink target of %llu bytes",
				(unsigned long long)ino->size);
	*target = malloc((size_t)ino->size + 1);
	if (!*target)
		return ext_fail(c, ino, -ENOMEM, "out of memory");
	if (!(ino->flags & (EXT_FL_INLINE_DATA | EXT_FL_EXTENTS)) && ino->size < EXT_N_BLOCKS_BYTES) {
		/* A fast symlink keeps its target where the block map would be. */
		memcpy(*target, ino->raw + EXT_I_BLOCK, (size_t)ino->size);
		rc = 0;
	} else {
		rc = ext_file_pread(c, ino, *target, (size_t)ino->size, 0);
	}
	if (rc < 0) {
		free(*target);
		*target = NULL;
		return rc;
	}
	(*target)[ino->size] = 0;
	if (strlen(*target) != ino->size) {
		free(*target);
		*target = NULL;
		return ext_fail(c, ino, -EUCLEAN, "symlink target contains a NUL byte");
	}
	return 0;
}

static void ext_at_append(struct ext_ctx *c, const char *name, size_t len)
{
	size_t used = strlen(c->at);

	if (used + 1 + len < sizeof(c->at)) {
		c->at[used] = '/';
		memcpy(c->at + used + 1, name, len);
		c->at[used + 1 + len] = 0;
	}
}

/* The walk's state: the directory we are in and the path still to go. */
struct ext_walk {
	struct ext_inode cur;
	char *rest;
	char *spare;
	size_t cap;
	unsigned int links;
};

/* Replaces the walk's remaining path with target + "/" + rest. */
static int ext_walk_splice(struct ext_ctx *c, struct ext_walk *w, const char *target,
			   const struct ext_inode *link)
{
	size_t tl = strlen(target), rl = strlen(w->rest);
	char *t;

	if (tl + 1 + rl + 1 > w->cap)
		return ext_fail(c, link, -ENAMETOOLONG, "path through symlinks grows too long");
	memcpy(w->spare, target, tl);
	w->spare[tl] = '/';
	memcpy(w->spare + tl + 1, w->rest, rl + 1);
	t = w->rest;
	w->rest = w->spare;
	w->spare = t;
	return 0;
}

static int ext_walk_symlink(struct ext_ctx *c, struct ext_walk *w, struct ext_inode *link)
{
	char *target = NULL;
	int rc;

	if (++w->links > EXT_MAX_SYMLINKS) {
		rc = ext_fail(c, link, -ELOOP, "more than %d symlinks followed", EXT_MAX_SYMLINKS);
		goto out;
	}
	rc = ext_symlink_target(c, link, &target);
	if (rc < 0)
		goto out;
	rc = ext_walk_splice(c, w, target, link);
	if (rc < 0)
		goto out;
	if (target[0] == '/') {
		ext_inode_put(&w->cur);
		c->at[0] = 0;
		rc = ext_inode_get(c, EXT_ROOT_INO, &w->cur);
	} else {
		/* relative: from the link's directory, which the walk is still in */
		size_t used = strlen(c->at);
		char *slash = strrchr(c->at, '/');

		if (slash && used)
			*slash = 0;
	}
out:
	free(target);
	return rc;
}

/* One step: the next component of w->rest, from w->cur.  1 when done. */
static int ext_walk_step(struct ext_ctx *c, struct ext_walk *w)
{
	struct ext_inode child;
	size_t len;
	uint32_t nr;
	char *name;
	int rc;

	while (*w->rest == '/')
		w->rest++;
	if (!*w->rest)
		return 1;
	name = w->rest;
	len = strcspn(name, "/");
	w->rest += len;
	if (len == 1 && name[0] == '.')
		return 0;
	if (!ext_is(&w->cur, EXT_S_IFDIR))
		return ext_fail(c, NULL, -ENOTDIR, "not a directory");
	if (len > EXT_NAME_MAX)
		return ext_fail(c, NULL, -ENAMETOOLONG, "a name of %zu bytes", len);
	rc = ext_dir_lookup(c, &w->cur, name, len, &nr);
	ext_at_append(c, name, len);
	if (rc < 0)
		return rc;
	if (!nr)
		return ext_fail(c, NULL, -ENOENT, "no such file or directory");
	rc = ext_inode_get(c, nr, &child);
	if (rc < 0)
		return rc;
	if (ext_is(&child, EXT_S_IFLNK)) {
		rc = ext_walk_symlink(c, w, &child);
		ext_inode_put(&child);
		return rc;
	}
	ext_inode_put(&w->cur);
	w->cur = child;
	return 0;
}

/* Walks `path` from the root, following symlinks, to an inode. */
static int ext_walk(struct ext_ctx *c, const char *path, struct ext_inode *out)
{
	struct ext_walk w = { .links = 0 };
	char *a, *b;
	int rc;

	c->at[0] = 0;
	w.cap = strlen(path) + 1 + EXT_MAX_SYMLINKS * (EXT_MAX_SYMLINK_LEN + 1);
	a = malloc(w.cap);
	b = malloc(w.cap);
	w.cur.raw = NULL;
	if (!a || !b) {
		rc = ext_fail(c, NULL, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(a, path, strlen(path) + 1);
	w.rest = a;
	w.spare = b;
	rc = ext_inode_get(c, EXT_ROOT_INO, &w.cur);
	if (rc == 0 && !ext_is(&w.cur, EXT_S_IFDIR))
		rc = ext_fail(c, &w.cur, -EUCLEAN, "the root is not a directory");
	while (rc == 0)
		rc = ext_walk_step(c, &w);
	if (rc == 1) {
		*out = w.cur;
		w.cur.raw = NULL;
		rc = 0;
	}
out:
	ext_inode_put(&w.cur);
	free(a);
	free(b);
	return rc;
}

static int ext_open_file(struct ext_ctx *c, const char *path, struct ext_inode *out)
{
	int rc = ext_walk(c, path, out);

	if (rc < 0)
		return rc;
	if (ext_is(out, EXT_S_IFREG))
		return 0;
	rc = ext_is(out, EXT_S_IFDIR) ? -EISDIR : -EINVAL;
	ext_fail(c, NULL, rc, "%s", rc == -EISDIR ? "is a directory" : "not a regular file");
	ext_inode_put(out);
	return rc;
}

/* ---- the operations bootfs.c calls ---- */

static void ext_ctx_init(struct ext_ctx *c, struct extfs *fs, char *err, size_t errlen)
{
	c->fs = fs;
	c->err = err;
	c->errlen = errlen;
	c->at[0] = 0;
	if (err && errlen)
		err[0] = 0;
}

static int extfs_open(void **out, const struct bootdisk *d, uint64_t offset, char *err,
		      size_t errlen)
{
	struct extfs *fs = calloc(1, sizeof(*fs));
	uint8_t sb[EXT_SB_SIZE];
	struct ext_inode root;
	struct ext_ctx c;
	int rc;

	if (!fs)
		return -ENOMEM;
	fs->disk = d;
	fs->offset = offset;
	fs->type = "ext2/3/4";
	ext_ctx_init(&c, fs, err, errlen);
	if (offset > d->size || d->size - offset < EXT_SB_OFFSET + EXT_SB_SIZE ||
	    bootdisk_read(d, sb, sizeof(sb), offset + EXT_SB_OFFSET) < 0) {
		rc = ext_fail(&c, NULL, -EIO, "cannot read the superblock");
		goto fail;
	}
	if (ext_le16(sb + 0x38) != EXT_MAGIC) {
		rc = ext_fail(&c, NULL, -ENODEV, "superblock magic 0x%04x, expected 0x%04x",
			      ext_le16(sb + 0x38), EXT_MAGIC);
		goto fail;
	}
	rc = ext_parse_super(&c, sb);
	if (rc < 0)
		goto fail;
	rc = ext_inode_get(&c, EXT_ROOT_INO, &root);
	if (rc < 0)
		goto fail;
	if (!ext_is(&root, EXT_S_IFDIR))
		rc = ext_fail(&c, &root, -EUCLEAN, "the root is not a directory (mode 0%o)", root.mode);
	ext_inode_put(&root);
	if (rc < 0)
		goto fail;
	*out = fs;
	return 0;
fail:
	free(fs);
	return rc;
}

static void extfs_close(void *fs)
{
	free(fs);
}

static const char *extfs_type(const void *fs)
{
	return ((const struct extfs *)fs)->type;
}

/* An open file: its inode, and the context naming it in messages. */
struct ext_open {
	struct ext_ctx c;
	struct ext_inode ino;
};

static int extfs_file_open(void *fs, const char *path, void **file, uint64_t *size, char *err,
			   size_t errlen)
{
	struct ext_open *f = malloc(sizeof(*f));
	int rc;

	if (!f) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ext_ctx_init(&f->c, fs, err, errlen);
	rc = ext_open_file(&f->c, path, &f->ino);
	if (rc < 0) {
		free(f);
		return rc;
	}
	*file = f;
	*size = f->ino.size;
	return 0;
}

static int extfs_file_pread(void *file, void *buf, size_t len, uint64_t off, char *err,
			    size_t errlen)
{
	struct ext_open *f = file;

	f->c.err = err;
	f->c.errlen = errlen;
	return ext_file_pread(&f->c, &f->ino, buf, len, off);
}

static void extfs_file_close(void *file)
{
	struct ext_open *f = file;

	ext_inode_put(&f->ino);
	free(f);
}

const struct bootfs_ops extfs_ops = {
	.name = "ext2/3/4",
	.open = extfs_open,
	.close = extfs_close,
	.type = extfs_type,
	.file_open = extfs_file_open,
	.file_pread = extfs_file_pread,
	.file_close = extfs_file_close,
};
