/*
 * ext2/3/4 file data: where a file's logical blocks are on disk (extent
 * trees, classic direct/indirect block maps), inline data, and reading
 * byte ranges of a file.  Every number read from the image is checked
 * before it is used as a block number, an offset or a count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "extfs.h"

#define EXT_EXTENT_MAGIC 0xf30a
#define EXT_EXTENT_MAX_DEPTH 5
#define EXT_EXTENT_INIT_MAX 32768u
#define EXT_LBLK_LIMIT ((uint64_t)UINT32_MAX + 1)
#define EXT_NDIR 12

#define EXT_XATTR_MAGIC 0xea020000u
#define EXT_XATTR_INDEX_SYSTEM 7
#define EXT_GOOD_OLD_INODE_SIZE 128

int ext_read_phys(struct ext_ctx *c, const struct ext_inode *ino, uint64_t pblk,
		  uint64_t off, void *buf, size_t len)
{
	struct extfs *fs = c->fs;
	uint64_t start;
	int rc;

	if (pblk >= fs->blocks_count || off > fs->bytes ||
	    (pblk << fs->block_bits) > fs->bytes - off ||
	    len > fs->bytes - (pblk << fs->block_bits) - off)
		return ext_fail(c, ino, -EUCLEAN,
				"block %llu (+%llu bytes) lies past the end of the filesystem (%llu blocks)",
				(unsigned long long)pblk, (unsigned long long)off,
				(unsigned long long)fs->blocks_count);
	start = fs->offset + (pblk << fs->block_bits) + off;
	rc = bootdisk_read(fs->disk, buf, len, start);
	if (rc < 0)
		return ext_fail(c, ino, rc, "cannot read %zu bytes at disk offset %llu: %s", len,
				(unsigned long long)start, strerror(-rc));
	return 0;
}

/* A run as far as `limit` (exclusive) reading as zeros. */
static void ext_run_hole(struct ext_run *run, uint64_t lblk, uint64_t limit)
{
	run->zero = true;
	run->pblk = 0;
	run->count = limit > lblk ? limit - lblk : 1;
}

struct ext_node {
	const uint8_t *p;
	size_t len;
	unsigned int depth;
	unsigned int entries;
};

static int ext_node_check(struct ext_ctx *c, const struct ext_inode *ino, const uint8_t *p,
			  size_t len, int want_depth, uint64_t where, struct ext_node *n)
{
	unsigned int magic = ext_le16(p), max = ext_le16(p + 4);

	n->p = p;
	n->len = len;
	n->entries = ext_le16(p + 2);
	n->depth = ext_le16(p + 6);
	if (magic != EXT_EXTENT_MAGIC && where)
		return ext_fail(c, ino, -EUCLEAN,
				"extent header magic 0x%04x, expected 0x%04x (block %llu)", magic,
				EXT_EXTENT_MAGIC, (unsigned long long)where);
	if (magic != EXT_EXTENT_MAGIC)
		return ext_fail(c, ino, -EUCLEAN, "extent header magic 0x%04x, expected 0x%04x",
				magic, EXT_EXTENT_MAGIC);
	if (n->entries > max || max > (len - 12) / 12)
		return ext_fail(c, ino, -EUCLEAN,
				"extent node with %u entries, room for %u of at most %zu",
				n->entries, max, (len - 12) / 12);
	if (n->depth > EXT_EXTENT_MAX_DEPTH || (want_depth >= 0 && n->depth != (unsigned)want_depth))
		return ext_fail(c, ino, -EUCLEAN, "extent node depth %u, expected %s%d", n->depth,
				want_depth >= 0 ? "" : "at most ",
				want_depth >= 0 ? want_depth : EXT_EXTENT_MAX_DEPTH);
	return 0;
}

/* Finds lblk in a leaf; `limit` is where the next subtree starts. */
static int ext_leaf_find(struct ext_ctx *c, const struct ext_inode *ino, const struct ext_node *n,
			 uint64_t lblk, uint64_t limit, struct ext_run *run)
{
	uint64_t prev_end = 0;

	for (unsigned int i = 0; i < n->entries; i++) {
		const uint8_t *e = n->p + 12 + 12 * (size_t)i;
		uint64_t first = ext_le32(e), len = ext_le16(e + 4);
		uint64_t start = ext_le32(e + 8) | (uint64_t)ext_le16(e + 6) << 32;
		bool unwritten = len > EXT_EXTENT_INIT_MAX;

		if (unwritten)
			len -= EXT_EXTENT_INIT_MAX;
		if (len == 0 || first < prev_end || first + len > EXT_LBLK_LIMIT)
			return ext_fail(c, ino, -EUCLEAN,
					"extent %u (logical %llu, %llu blocks) is empty, overlaps or is out of order",
					i, (unsigned long long)first, (unsigned long long)len);
		if (start >= c->fs->blocks_count || len > c->fs->blocks_count - start)
			return ext_fail(c, ino, -EUCLEAN,
					"extent %u maps blocks %llu..%llu, past the end of the filesystem (%llu blocks)",
					i, (unsigned long long)start, (unsigned long long)(start + len - 1),
					(unsigned long long)c->fs->blocks_count);
		prev_end = first + len;
		if (lblk < first) {
			ext_run_hole(run, lblk, first < limit ? first : limit);
			return 0;
		}
		if (lblk < first + len) {
			run->zero = unwritten;
			run->pblk = start + (lblk - first);
			run->count = first + len - lblk;
			return 0;
		}
	}
	ext_run_hole(run, lblk, limit);
	return 0;
}

/* Picks the index entry covering lblk; *child = 0 when lblk precedes them all. */
static int ext_index_find(struct ext_ctx *c, const struct ext_inode *ino, const struct ext_node *n,
			  uint64_t lblk, uint64_t *limit, uint64_t *child)
{
	uint64_t prev = 0;
	int pick = -1;

	for (unsigned int i = 0; i < n->entries; i++) {
		const uint8_t *e = n->p + 12 + 12 * (size_t)i;
		uint64_t first = ext_le32(e);

		if (i > 0 && first <= prev)
			return ext_fail(c, ino, -EUCLEAN, "extent index entries %u and %u out of order",
					i - 1, i);
		prev = first;
		if (first <= lblk) {
			pick = (int)i;
		} else {
			if (first < *limit)
				*limit = first;
			break;
		}
	}
	*child = 0;
	if (pick < 0)
		return 0;
	const uint8_t *e = n->p + 12 + 12 * (size_t)pick;
	*child = ext_le32(e + 4) | (uint64_t)ext_le16(e + 8) << 32;
	if (*child == 0 || *child >= c->fs->blocks_count)
		return ext_fail(c, ino, -EUCLEAN, "extent index points at block %llu (filesystem has %llu)",
				(unsigned long long)*child, (unsigned long long)c->fs->blocks_count);
	return 0;
}

static int ext_extent_map(struct ext_ctx *c, const struct ext_inode *ino, uint64_t lblk,
			  struct ext_run *run)
{
	uint64_t limit = EXT_LBLK_LIMIT, child = 0, where = 0;
	const uint8_t *p = ino->raw + EXT_I_BLOCK;
	size_t len = EXT_N_BLOCKS_BYTES;
	uint8_t *buf = NULL;
	int want = -1, rc;
	struct ext_node n;

	for (;;) {
		rc = ext_node_check(c, ino, p, len, want, where, &n);
		if (rc < 0)
			goto out;
		if (n.depth == 0) {
			rc = ext_leaf_find(c, ino, &n, lblk, limit, run);
			goto out;
		}
		rc = ext_index_find(c, ino, &n, lblk, &limit, &child);
		if (rc < 0)
			goto out;
		if (!child) {
			ext_run_hole(run, lblk, limit);
			goto out;
		}
		if (!buf && !(buf = malloc(c->fs->block_size))) {
			rc = ext_fail(c, ino, -ENOMEM, "out of memory for an extent block");
			goto out;
		}
		rc = ext_read_phys(c, ino, child, 0, buf, c->fs->block_size);
		if (rc < 0)
			goto out;
		want = (int)n.depth - 1;
		where = child;
		p = buf;
		len = c->fs->block_size;
	}
out:
	free(buf);
	return rc;
}

/* The run starting at ptrs[slot]: contiguous neighbours, or zeros, make one. */
static int ext_ptr_run(struct ext_ctx *c, const struct ext_inode *ino, const uint8_t *ptrs,
		       size_t nptrs, size_t slot, struct ext_run *run)
{
	uint64_t ptr = ext_le32(ptrs + 4 * slot);

	run->zero = ptr == 0;
	run->pblk = ptr;
	run->count = 1;
	while (slot + run->count < nptrs) {
		uint64_t next = ext_le32(ptrs + 4 * (slot + run->count));

		if (run->zero ? next != 0 : next != ptr + run->count)
			break;
		run->count++;
	}
	if (!run->zero && (ptr >= c->fs->blocks_count || run->count > c->fs->blocks_count - ptr))
		return ext_fail(c, ino, -EUCLEAN,
				"block map points at block %llu, past the end of the filesystem (%llu blocks)",
				(unsigned long long)(ptr + run->count - 1),
				(unsigned long long)c->fs->blocks_count);
	return 0;
}

/*
 * Follows `levels` map blocks from `ptr` down to the block holding the
 * data pointer for `rel` (blocks into what ptr maps, `span` of them);
 * leaves that block in buf and the pointer's index in *slot, or sets a
 * hole run (and *slot to SIZE_MAX) where a map block is missing.
 */
static int ext_indirect_descend(struct ext_ctx *c, const struct ext_inode *ino, uint64_t ptr,
				unsigned int levels, uint64_t span, uint64_t rel, uint64_t lblk,
				uint8_t *buf, size_t *slot, struct ext_run *run)
{
	uint64_t per = c->fs->block_size / 4;
	int rc;

	for (; levels > 0; levels--) {
		span /= per;
		if (ptr == 0) {
			/* A missing map block: a hole to the end of what it maps. */
			ext_run_hole(run, lblk, lblk + (span * per - rel));
			*slot = SIZE_MAX;
			return 0;
		}
		if (ptr >= c->fs->blocks_count)
			return ext_fail(c, ino, -EUCLEAN,
					"indirect block %llu is past the end of the filesystem (%llu blocks)",
					(unsigned long long)ptr, (unsigned long long)c->fs->blocks_count);
		rc = ext_read_phys(c, ino, ptr, 0, buf, c->fs->block_size);
		if (rc < 0)
			return rc;
		*slot = (size_t)(rel / span);
		rel %= span;
		ptr = ext_le32(buf + 4 * *slot);
	}
	return 0;
}

/*
 * Classic block maps: 12 direct pointers, then single, double and triple
 * indirect blocks of block_size/4 pointers each.
 */
static int ext_indirect_map(struct ext_ctx *c, const struct ext_inode *ino, uint64_t lblk,
			    struct ext_run *run)
{
	uint64_t per = c->fs->block_size / 4, span = per, rel = lblk - EXT_NDIR;
	const uint8_t *iblock = ino->raw + EXT_I_BLOCK;
	unsigned int levels = 1;
	size_t slot = 0;
	uint8_t *buf;
	int rc;

	if (lblk < EXT_NDIR)
		return ext_ptr_run(c, ino, iblock, EXT_NDIR, (size_t)lblk, run);
	for (; rel >= span; levels++, span *= per) {
		rel -= span;
		if (levels == 3)
			return ext_fail(c, ino, -EFBIG,
					"logical block %llu is beyond the triple indirect block",
					(unsigned long long)lblk);
	}
	buf = malloc(c->fs->block_size);
	if (!buf)
		return ext_fail(c, ino, -ENOMEM, "out of memory for an indirect block");
	rc = ext_indirect_descend(c, ino, ext_le32(iblock + 4 * (EXT_NDIR - 1 + levels)), levels,
				  span, rel, lblk, buf, &slot, run);
	if (rc == 0 && slot != SIZE_MAX)
		rc = ext_ptr_run(c, ino, buf, (size_t)per, slot, run);
	free(buf);
	return rc;
}

int ext_map(struct ext_ctx *c, const struct ext_inode *ino, uint64_t lblk, struct ext_run *run)
{
	if (lblk >= EXT_LBLK_LIMIT)
		return ext_fail(c, ino, -EFBIG, "logical block %llu is beyond 2^32",
				(unsigned long long)lblk);
	if (ino->flags & EXT_FL_EXTENTS)
		return ext_extent_map(c, ino, lblk, run);
	return ext_indirect_map(c, ino, lblk, run);
}

/* Finds the "system.data" value among the in-inode extended attributes. */
static int ext_inline_xattr(struct ext_ctx *c, const struct ext_inode *ino, const uint8_t **val,
			    size_t *vlen)
{
	size_t isz = c->fs->inode_size, extra, base, pos;

	*val = NULL;
	*vlen = 0;
	if (isz <= EXT_GOOD_OLD_INODE_SIZE)
		return 0;
	extra = ext_le16(ino->raw + EXT_GOOD_OLD_INODE_SIZE);
	if (extra % 4 || EXT_GOOD_OLD_INODE_SIZE + extra > isz)
		return ext_fail(c, ino, -EUCLEAN, "i_extra_isize %zu does not fit a %zu-byte inode",
				extra, isz);
	if (EXT_GOOD_OLD_INODE_SIZE + extra + 4 > isz)
		return 0;
	if (ext_le32(ino->raw + EXT_GOOD_OLD_INODE_SIZE + extra) != EXT_XATTR_MAGIC)
		return 0;
	base = EXT_GOOD_OLD_INODE_SIZE + extra + 4;
	for (pos = base; pos + 4 <= isz && ext_le32(ino->raw + pos) != 0;) {
		const uint8_t *e = ino->raw + pos;
		size_t name_len, esz, voff, vsz;

		if (pos + 16 > isz)
			break;
		name_len = e[0];
		esz = (16 + name_len + 3) & ~(size_t)3;
		if (pos + esz > isz)
			break;
		voff = ext_le16(e + 2);
		vsz = ext_le32(e + 8);
		if (e[1] == EXT_XATTR_INDEX_SYSTEM && name_len == 4 && !memcmp(e + 16, "data", 4)) {
			if (ext_le32(e + 4) != 0)
				return ext_fail(c, ino, -EOPNOTSUPP,
						"inline data kept in a separate xattr inode is not supported");
			if (voff > isz - base || vsz > isz - base - voff)
				return ext_fail(c, ino, -EUCLEAN,
						"inline data xattr value (%zu bytes at %zu) lies outside the inode",
						vsz, voff);
			*val = ino->raw + base + voff;
			*vlen = vsz;
			return 0;
		}
		pos += esz;
	}
	return 0;
}

int ext_inline_data(struct ext_ctx *c, const struct ext_inode *ino, uint8_t **data, size_t *len)
{
	const uint8_t *val;
	size_t vlen;
	int rc;

	rc = ext_inline_xattr(c, ino, &val, &vlen);
	if (rc < 0)
		return rc;
	*len = EXT_N_BLOCKS_BYTES + vlen;
	*data = malloc(*len + 1);
	if (!*data)
		return ext_fail(c, ino, -ENOMEM, "out of memory for inline data");
	memcpy(*data, ino->raw + EXT_I_BLOCK, EXT_N_BLOCKS_BYTES);
	if (vlen)
		memcpy(*data + EXT_N_BLOCKS_BYTES, val, vlen);
	return 0;
}

static int ext_inline_pread(struct ext_ctx *c, const struct ext_inode *ino, void *buf, size_t len,
			    uint64_t pos)
{
	uint8_t *data;
	size_t dlen;
	int rc;

	rc = ext_inline_data(c, ino, &data, &dlen);
	if (rc < 0)
		return rc;
	if (pos > dlen || len > dlen - pos)
		rc = ext_fail(c, ino, -EUCLEAN, "size %llu exceeds its %zu bytes of inline data",
			      (unsigned long long)ino->size, dlen);
	else
		memcpy(buf, data + pos, len);
	free(data);
	return rc;
}

int ext_file_pread(struct ext_ctx *c, const struct ext_inode *ino, void *buf, size_t len,
		   uint64_t pos)
{
	unsigned int bits = c->fs->block_bits;
	uint8_t *out = buf;
	struct ext_run run;
	int rc;

	if (ino->flags & EXT_FL_INLINE_DATA)
		return ext_inline_pread(c, ino, buf, len, pos);
	while (len > 0) {
		uint64_t lblk = pos >> bits, within = pos & (c->fs->block_size - 1), avail;
		size_t n;

		rc = ext_map(c, ino, lblk, &run);
		if (rc < 0)
			return rc;
		avail = (run.count << bits) - within;
		n = avail < len ? (size_t)avail : len;
		if (run.zero)
			memset(out, 0, n);
		else if ((rc = ext_read_phys(c, ino, run.pblk, within, out, n)) < 0)
			return rc;
		out += n;
		pos += n;
		len -= n;
	}
	return 0;
}
