/*
 * Read-only ISO 9660 (ECMA-119): the primary volume descriptor, directory
 * records, files of one or several extents, and path walking.  Rock Ridge
 * (SUSP with RRIP) gives names (NM) and symlinks (SL), possibly spread
 * over continuation areas (CE).  The image belongs to a guest: every
 * length and block number is checked against the volume and the disk.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "isofs.h"

#define ISO_SECTOR 2048
#define ISO_VD_FIRST 16
#define ISO_VD_MAX 64 /* descriptors read before giving up on the terminator */
#define ISO_VD_PRIMARY 1
#define ISO_VD_END 255
#define ISO_PVD_ROOT 156

#define ISO_DR_MIN 34
#define ISO_FL_DIR 0x02u
#define ISO_FL_ASSOC 0x04u
#define ISO_FL_MULTI 0x80u

#define ISO_MAX_CE 32        /* continuation areas for one record */
#define ISO_MAX_EXTENTS 1024 /* pieces of one multi-extent file */
#define ISO_MAX_SYMLINKS 8
#define ISO_MAX_SYMLINK_LEN 4096
#define ISO_NAME_MAX 255

#define ISO_S_IFMT 0170000u
#define ISO_S_IFDIR 0040000u
#define ISO_S_IFREG 0100000u
#define ISO_S_IFLNK 0120000u

struct isofs {
	const struct bootdisk *disk;
	uint64_t offset;  /* of the volume on the disk, bytes */
	uint64_t blocks;  /* volume space size, logical blocks */
	uint32_t block_size;
	uint64_t root_block;
	uint32_t root_size;
	bool rr;          /* the root's "." record starts with SUSP's SP */
	uint8_t su_skip;  /* SP's LEN_SKP: bytes before each record's SUSP entries */
};

struct iso_ctx {
	struct isofs *fs;
	char *err;
	size_t errlen;
	char at[256];
};

struct iso_extent {
	uint64_t block;
	uint32_t bytes;
};

/* A file or directory found by a walk; `ext` and `target` are malloc'd. */
struct iso_file {
	uint64_t size;
	bool dir;
	bool special; /* Rock Ridge says it is neither file, directory nor symlink */
	size_t n;
	struct iso_extent *ext;
	char *target; /* a Rock Ridge symlink's target */
};

/* One directory record, pointing into the buffer it was read into. */
struct iso_rec {
	uint8_t len;
	uint64_t block; /* of the data, past any extended attribute record */
	uint32_t size;
	uint8_t flags;
	bool interleaved;
	const uint8_t *id;
	size_t id_len;
	const uint8_t *su; /* system use area */
	size_t su_len;
};

static uint16_t iso_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint16_t iso_be16(const uint8_t *p)
{
	return (uint16_t)(p[1] | p[0] << 8);
}

static uint32_t iso_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t iso_be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static int iso_fail(struct iso_ctx *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int iso_fail(struct iso_ctx *c, int rc, const char *fmt, ...)
{
	size_t used;
	va_list ap;
	int n;

	if (!c->err || !c->errlen)
		return rc;
	n = snprintf(c->err, c->errlen, "iso9660 at offset %llu: %s%s",
		     (unsigned long long)c->fs->offset, c->at, c->at[0] ? ": " : "");
	used = n < 0 ? 0 : (size_t)n;
	if (used < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Reads `len` bytes `off` bytes into logical block `block`, inside the volume. */
static int iso_read(struct iso_ctx *c, uint64_t block, uint64_t off, void *buf, size_t len)
{
	struct isofs *fs = c->fs;
	uint64_t bytes = fs->blocks * fs->block_size;

	if (block >= fs->blocks || off > bytes - block * fs->block_size ||
	    len > bytes - block * fs->block_size - off)
		return iso_fail(c, -EUCLEAN, "%zu bytes at block %llu + %llu: past the end of the volume",
				len, (unsigned long long)block, (unsigned long long)off);
	if (bootdisk_read(fs->disk, buf, len, fs->offset + block * fs->block_size + off) < 0)
		return iso_fail(c, -EIO, "cannot read block %llu", (unsigned long long)block);
	return 0;
}

/* ---- directory records ---- */

/* Does an extent of `size` bytes from `block` lie inside the volume? */
static bool iso_extent_fits(const struct isofs *fs, uint64_t block, uint64_t size)
{
	uint64_t n = (size + fs->block_size - 1) / fs->block_size;

	return block <= fs->blocks && n <= fs->blocks - block;
}

/* Parses the record at p[0..avail); `where` names it in messages. */
static int iso_rec_parse(struct iso_ctx *c, const uint8_t *p, size_t avail, const char *where,
			 uint64_t block, size_t pos, struct iso_rec *r)
{
	size_t su;

	r->len = p[0];
	if (r->len < ISO_DR_MIN || r->len > avail || p[32] > r->len - 33)
		return iso_fail(c, -EUCLEAN,
				"%s record at byte %zu of block %llu: length %u, name length %u (%zu bytes left)",
				where, pos, (unsigned long long)block, r->len, avail > 32 ? p[32] : 0,
				avail);
	r->block = (uint64_t)iso_le32(p + 2) + p[1];
	r->size = iso_le32(p + 10);
	r->flags = p[25];
	r->interleaved = p[26] || p[27];
	r->id = p + 33;
	r->id_len = p[32];
	su = 33 + r->id_len + !(r->id_len & 1); /* a pad byte keeps the area even */
	r->su = p + su;
	r->su_len = su < r->len ? r->len - su : 0;
	if (!iso_extent_fits(c->fs, r->block, r->size))
		return iso_fail(c, -EUCLEAN,
				"%s record at byte %zu of block %llu: extent of %u bytes at block %llu is outside the volume (%llu blocks)",
				where, pos, (unsigned long long)block, r->size,
				(unsigned long long)r->block, (unsigned long long)c->fs->blocks);
	return 0;
}

/* ---- System Use Sharing Protocol ---- */

/* Called for each SUSP entry; nonzero stops the walk (<0 an error). */
typedef int (*iso_susp_fn)(struct iso_ctx *c, const uint8_t *e, void *arg);

/* A CE entry: where the record's entries go on. */
static int iso_susp_ce(struct iso_ctx *c, const uint8_t *e, uint8_t *buf, size_t *len)
{
	uint64_t block = iso_le32(e + 4);
	uint32_t off = iso_le32(e + 12), n = iso_le32(e + 20);
	uint32_t bs = c->fs->block_size;

	if (e[2] < 28 || n > bs || off > bs - n)
		return iso_fail(c, -EUCLEAN,
				"Rock Ridge continuation area of %u bytes at byte %u of block %llu (entry length %u)",
				n, off, (unsigned long long)block, e[2]);
	*len = n;
	return iso_read(c, block, off, buf, n);
}

/* Walks one area's entries; *ce is the area's CE entry, if it has one. */
static int iso_susp_area(struct iso_ctx *c, const uint8_t *p, size_t len, iso_susp_fn fn,
			 void *arg, const uint8_t **ce)
{
	size_t pos = 0;
	int rc;

	while (pos + 4 <= len && p[pos]) {
		const uint8_t *e = p + pos;

		if (e[2] < 4 || e[2] > len - pos)
			return iso_fail(c, -EUCLEAN, "Rock Ridge entry %c%c at byte %zu: length %u of %zu",
					e[0] >= 0x20 && e[0] < 0x7f ? e[0] : '?',
					e[1] >= 0x20 && e[1] < 0x7f ? e[1] : '?', pos, e[2], len - pos);
		if (e[0] == 'S' && e[1] == 'T')
			break;
		if (e[0] == 'C' && e[1] == 'E') {
			*ce = e;
		} else {
			rc = fn(c, e, arg);
			if (rc)
				return rc;
		}
		pos += e[2];
	}
	return 0;
}

/* Calls fn for every SUSP entry of the record, through its continuation areas. */
static int iso_susp_each(struct iso_ctx *c, const struct iso_rec *r, iso_susp_fn fn, void *arg)
{
	size_t skip = c->fs->su_skip, len = r->su_len > skip ? r->su_len - skip : 0;
	const uint8_t *p = r->su + skip;
	uint8_t *buf = NULL, ce_entry[28] = { 0 };
	unsigned int hops = 0;
	int rc;

	for (;;) {
		const uint8_t *ce = NULL;

		rc = iso_susp_area(c, p, len, fn, arg, &ce);
		if (rc || !ce)
			break;
		if (++hops > ISO_MAX_CE) {
			rc = iso_fail(c, -EUCLEAN, "more than %d Rock Ridge continuation areas for one record",
				      ISO_MAX_CE);
			break;
		}
		/* The CE entry may sit in the buffer about to be overwritten. */
		memcpy(ce_entry, ce, ce[2] < sizeof(ce_entry) ? ce[2] : sizeof(ce_entry));
		if (!buf && !(buf = malloc(c->fs->block_size))) {
			rc = iso_fail(c, -ENOMEM, "out of memory");
			break;
		}
		rc = iso_susp_ce(c, ce_entry, buf, &len);
		if (rc)
			break;
		p = buf;
	}
	free(buf);
	return rc < 0 ? rc : 0;
}

/* ---- Rock Ridge names and symlinks ---- */

struct iso_name {
	char buf[ISO_NAME_MAX + 1];
	size_t len;
	bool has;     /* an NM entry was seen */
	bool more;    /* the last NM said CONTINUE */
	bool relocated; /* RE: the directory also appears where it belongs */
	uint32_t mode;
	bool has_mode;
};

static int iso_rr_name_entry(struct iso_ctx *c, const uint8_t *e, void *arg)
{
	struct iso_name *nm = arg;
	size_t n;

	if (e[0] == 'R' && e[1] == 'E') {
		nm->relocated = true;
	} else if (e[0] == 'P' && e[1] == 'X' && e[2] >= 12) {
		nm->mode = iso_le32(e + 4);
		nm->has_mode = true;
	} else if (e[0] == 'N' && e[1] == 'M' && e[2] >= 5 && !(e[4] & 0x06)) {
		if (nm->has && !nm->more)
			return 0; /* a second name: the first one stands */
		n = e[2] - 5u;
		if (n > ISO_NAME_MAX - nm->len)
			return iso_fail(c, -EUCLEAN, "Rock Ridge name longer than %d bytes", ISO_NAME_MAX);
		memcpy(nm->buf + nm->len, e + 5, n);
		nm->len += n;
		nm->buf[nm->len] = 0;
		nm->has = true;
		nm->more = e[4] & 1;
	}
	return 0;
}

struct iso_link {
	char *buf; /* ISO_MAX_SYMLINK_LEN + 1 bytes */
	size_t len;
	bool has;
	bool in_component; /* the last component said CONTINUE */
};

static int iso_link_add(struct iso_ctx *c, struct iso_link *l, const char *s, size_t n)
{
	if (n > ISO_MAX_SYMLINK_LEN - l->len)
		return iso_fail(c, -EUCLEAN, "Rock Ridge symlink target longer than %d bytes",
				ISO_MAX_SYMLINK_LEN);
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = 0;
	return 0;
}

/* One SL component: flags, length, then the bytes. */
static int iso_link_component(struct iso_ctx *c, struct iso_link *l, const uint8_t *p)
{
	uint8_t flags = p[0];
	int rc = 0;

	if (flags & 0x08) /* ROOT */
		return l->len && l->buf[l->len - 1] == '/' ? 0 : iso_link_add(c, l, "/", 1);
	if (l->len && !l->in_component && l->buf[l->len - 1] != '/')
		rc = iso_link_add(c, l, "/", 1);
	if (rc == 0 && (flags & 0x02))
		rc = iso_link_add(c, l, ".", 1);
	else if (rc == 0 && (flags & 0x04))
		rc = iso_link_add(c, l, "..", 2);
	else if (rc == 0)
		rc = iso_link_add(c, l, (const char *)p + 2, p[1]);
	l->in_component = flags & 0x01;
	return rc;
}

static int iso_rr_link_entry(struct iso_ctx *c, const uint8_t *e, void *arg)
{
	struct iso_link *l = arg;
	size_t pos = 5;
	int rc;

	if (e[0] != 'S' || e[1] != 'L' || e[2] < 5)
		return 0;
	l->has = true;
	while (pos + 2 <= e[2]) {
		if (e[pos + 1] > e[2] - pos - 2)
			return iso_fail(c, -EUCLEAN, "Rock Ridge symlink component of %u bytes at byte %zu of a %u-byte entry",
					e[pos + 1], pos, e[2]);
		rc = iso_link_component(c, l, e + pos);
		if (rc < 0)
			return rc;
		pos += 2u + e[pos + 1];
	}
	return 0;
}

/* ---- lookup ---- */

/* ISO 9660 names: any case, without ";version" or a trailing "." */
static bool iso_plain_match(const struct iso_rec *r, const char *name, size_t len)
{
	size_t n = 0;

	while (n < r->id_len && r->id[n] != ';')
		n++;
	if (n && r->id[n - 1] == '.')
		n--;
	if (n != len)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = r->id[i], b = (unsigned char)name[i];

		if (a >= 'a' && a <= 'z')
			a = (unsigned char)(a - 32);
		if (b >= 'a' && b <= 'z')
			b = (unsigned char)(b - 32);
		if (a != b)
			return false;
	}
	return true;
}

/* Is record r the one `name` means?  ".." is the record named 0x01. */
static int iso_rec_match(struct iso_ctx *c, const struct iso_rec *r, const char *name, size_t len,
			 bool *match)
{
	struct iso_name nm = { .len = 0 };
	int rc;

	*match = false;
	if (r->flags & ISO_FL_ASSOC)
		return 0;
	if (r->id_len == 1 && r->id[0] <= 1) {
		*match = len == 2 && name[0] == '.' && name[1] == '.' && r->id[0] == 1;
		return 0;
	}
	if (c->fs->rr) {
		rc = iso_susp_each(c, r, iso_rr_name_entry, &nm);
		if (rc < 0)
			return rc;
		if (nm.relocated)
			return 0;
		if (nm.has) {
			*match = nm.len == len && !memcmp(nm.buf, name, len);
			return 0;
		}
	}
	*match = iso_plain_match(r, name, len);
	return 0;
}

static void iso_file_put(struct iso_file *f)
{
	free(f->ext);
	free(f->target);
	f->ext = NULL;
	f->target = NULL;
}

static int iso_file_add_extent(struct iso_ctx *c, struct iso_file *f, const struct iso_rec *r)
{
	struct iso_extent *e;

	if (r->interleaved)
		return iso_fail(c, -EOPNOTSUPP, "an interleaved file cannot be read");
	if (f->n >= ISO_MAX_EXTENTS)
		return iso_fail(c, -EUCLEAN, "a file of more than %d extents", ISO_MAX_EXTENTS);
	e = realloc(f->ext, (f->n + 1) * sizeof(*e));
	if (!e)
		return iso_fail(c, -ENOMEM, "out of memory");
	f->ext = e;
	f->ext[f->n].block = r->block;
	f->ext[f->n].bytes = r->size;
	f->n++;
	f->size += r->size;
	return 0;
}

/* The Rock Ridge facts of the record a walk stops at: its type and link. */
static int iso_file_rr(struct iso_ctx *c, struct iso_file *f, const struct iso_rec *r)
{
	struct iso_name nm = { .len = 0 };
	struct iso_link l = { .len = 0 };
	int rc;

	rc = iso_susp_each(c, r, iso_rr_name_entry, &nm);
	if (rc < 0)
		return rc;
	if (nm.has_mode && (nm.mode & ISO_S_IFMT) != ISO_S_IFREG &&
	    (nm.mode & ISO_S_IFMT) != ISO_S_IFDIR && (nm.mode & ISO_S_IFMT) != ISO_S_IFLNK)
		f->special = true;
	if (f->dir)
		return 0;
	l.buf = malloc(ISO_MAX_SYMLINK_LEN + 1);
	if (!l.buf)
		return iso_fail(c, -ENOMEM, "out of memory");
	l.buf[0] = 0;
	rc = iso_susp_each(c, r, iso_rr_link_entry, &l);
	if (rc == 0 && l.has && !l.len)
		rc = iso_fail(c, -EUCLEAN, "empty Rock Ridge symlink target");
	if (rc == 0 && l.has) {
		f->target = l.buf;
		l.buf = NULL;
	}
	free(l.buf);
	return rc;
}

/* The lookup's state, carried across the directory's blocks. */
struct iso_scan {
	const char *name;
	size_t len;
	struct iso_file *out;
	bool collecting; /* inside a multi-extent file's records */
	bool done;
};

static int iso_scan_rec(struct iso_ctx *c, struct iso_scan *s, const struct iso_rec *r)
{
	bool match;
	int rc;

	if (!s->collecting) {
		rc = iso_rec_match(c, r, s->name, s->len, &match);
		if (rc < 0 || !match)
			return rc;
		s->out->dir = r->flags & ISO_FL_DIR;
		if (c->fs->rr) {
			rc = iso_file_rr(c, s->out, r);
			if (rc < 0)
				return rc;
		}
	}
	if (s->out->dir && (r->flags & ISO_FL_MULTI))
		return iso_fail(c, -EUCLEAN, "a directory of several extents");
	rc = iso_file_add_extent(c, s->out, r);
	if (rc < 0)
		return rc;
	s->collecting = r->flags & ISO_FL_MULTI;
	s->done = !s->collecting;
	return 0;
}

/* Scans one block of directory records (`len` of them in use). */
static int iso_scan_block(struct iso_ctx *c, struct iso_scan *s, const uint8_t *buf, size_t len,
			  uint64_t block)
{
	size_t pos = 0;
	int rc;

	while (pos < len && !s->done) {
		struct iso_rec r;

		if (buf[pos] == 0)
			break; /* records never cross a block: the rest is padding */
		rc = iso_rec_parse(c, buf + pos, len - pos, "directory", block, pos, &r);
		if (rc < 0)
			return rc;
		rc = iso_scan_rec(c, s, &r);
		if (rc < 0)
			return rc;
		pos += r.len;
	}
	return 0;
}

static int iso_dir_lookup(struct iso_ctx *c, const struct iso_file *dir, const char *name,
			  size_t len, struct iso_file *out, bool *found)
{
	struct iso_scan s = { .name = name, .len = len, .out = out };
	uint32_t bs = c->fs->block_size;
	uint8_t *buf;
	uint64_t pos;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (dir->n != 1)
		return iso_fail(c, -EUCLEAN, "a directory of %zu extents", dir->n);
	buf = malloc(bs);
	if (!buf)
		return iso_fail(c, -ENOMEM, "out of memory");
	for (pos = 0; pos < dir->size && !s.done; pos += bs) {
		size_t n = dir->size - pos < bs ? (size_t)(dir->size - pos) : bs;
		uint64_t block = dir->ext[0].block + pos / bs;

		rc = iso_read(c, block, 0, buf, n);
		if (rc == 0)
			rc = iso_scan_block(c, &s, buf, n, block);
		if (rc < 0)
			break;
	}
	if (rc == 0 && s.collecting)
		rc = iso_fail(c, -EUCLEAN, "a multi-extent file's last record is missing");
	free(buf);
	if (rc < 0)
		iso_file_put(out);
	else
		*found = s.done;
	return rc;
}

/* ---- paths ---- */

static void iso_at_append(struct iso_ctx *c, const char *name, size_t len)
{
	size_t used = strlen(c->at);

	if (used + 1 + len < sizeof(c->at)) {
		c->at[used] = '/';
		memcpy(c->at + used + 1, name, len);
		c->at[used + 1 + len] = 0;
	}
}

static int iso_root(struct iso_ctx *c, struct iso_file *f)
{
	memset(f, 0, sizeof(*f));
	f->dir = true;
	f->size = c->fs->root_size;
	f->ext = malloc(sizeof(*f->ext));
	if (!f->ext)
		return iso_fail(c, -ENOMEM, "out of memory");
	f->ext[0].block = c->fs->root_block;
	f->ext[0].bytes = c->fs->root_size;
	f->n = 1;
	return 0;
}

/* The walk's state: the directory we are in and the path still to go. */
struct iso_walk {
	struct iso_file cur;
	char *rest;
	char *spare;
	size_t cap;
	unsigned int links;
};

/* Replaces the remaining path with target + "/" + rest. */
static int iso_walk_splice(struct iso_ctx *c, struct iso_walk *w, const char *target)
{
	size_t tl = strlen(target), rl = strlen(w->rest);
	char *t;

	if (tl + 1 + rl + 1 > w->cap)
		return iso_fail(c, -ENAMETOOLONG, "path through symlinks grows too long");
	memcpy(w->spare, target, tl);
	w->spare[tl] = '/';
	memcpy(w->spare + tl + 1, w->rest, rl + 1);
	t = w->rest;
	w->rest = w->spare;
	w->spare = t;
	return 0;
}

static int iso_walk_symlink(struct iso_ctx *c, struct iso_walk *w, const char *target)
{
	char *slash;
	int rc;

	if (++w->links > ISO_MAX_SYMLINKS)
		return iso_fail(c, -ELOOP, "more than %d symlinks followed", ISO_MAX_SYMLINKS);
	rc = iso_walk_splice(c, w, target);
	if (rc < 0)
		return rc;
	if (target[0] == '/') {
		iso_file_put(&w->cur);
		c->at[0] = 0;
		return iso_root(c, &w->cur);
	}
	/* relative: from the link's directory, which the walk is still in */
	slash = strrchr(c->at, '/');
	if (slash)
		*slash = 0;
	return 0;
}

/* One step: the next component of w->rest, from w->cur.  1 when done. */
static int iso_walk_step(struct iso_ctx *c, struct iso_walk *w)
{
	struct iso_file child;
	bool found;
	size_t len;
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
	if (!w->cur.dir)
		return iso_fail(c, -ENOTDIR, "not a directory");
	if (len > ISO_NAME_MAX)
		return iso_fail(c, -ENAMETOOLONG, "a name of %zu bytes", len);
	rc = iso_dir_lookup(c, &w->cur, name, len, &child, &found);
	iso_at_append(c, name, len);
	if (rc < 0)
		return rc;
	if (!found)
		return iso_fail(c, -ENOENT, "no such file or directory");
	if (child.target) {
		rc = iso_walk_symlink(c, w, child.target);
		iso_file_put(&child);
		return rc;
	}
	iso_file_put(&w->cur);
	w->cur = child;
	return 0;
}

static int iso_walk(struct iso_ctx *c, const char *path, struct iso_file *out)
{
	struct iso_walk w = { .links = 0 };
	size_t plen = strlen(path);
	char *a, *b;
	int rc;

	c->at[0] = 0;
	memset(&w.cur, 0, sizeof(w.cur));
	w.cap = plen + 1 + ISO_MAX_SYMLINKS * (ISO_MAX_SYMLINK_LEN + 1);
	a = malloc(w.cap);
	b = malloc(w.cap);
	if (!a || !b) {
		rc = iso_fail(c, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(a, path, plen + 1);
	w.rest = a;
	w.spare = b;
	rc = iso_root(c, &w.cur);
	while (rc == 0)
		rc = iso_walk_step(c, &w);
	if (rc == 1) {
		*out = w.cur;
		memset(&w.cur, 0, sizeof(w.cur));
		rc = 0;
	}
out:
	iso_file_put(&w.cur);
	free(a);
	free(b);
	return rc;
}

static int iso_open_file(struct iso_ctx *c, const char *path, struct iso_file *out)
{
	int rc = iso_walk(c, path, out);

	if (rc < 0)
		return rc;
	if (!out->dir && !out->special)
		return 0;
	rc = out->dir ? -EISDIR : -EINVAL;
	iso_fail(c, rc, "%s", out->dir ? "is a directory" : "not a regular file");
	iso_file_put(out);
	return rc;
}

/* Reads bytes [pos, pos+len) of the file, which must lie within its size. */
static int iso_file_pread(struct iso_ctx *c, const struct iso_file *f, uint8_t *buf, size_t len,
			  uint64_t pos)
{
	for (size_t i = 0; i < f->n && len > 0; i++) {
		const struct iso_extent *e = &f->ext[i];
		size_t n;
		int rc;

		if (pos >= e->bytes) {
			pos -= e->bytes;
			continue;
		}
		n = e->bytes - pos < len ? (size_t)(e->bytes - pos) : len;
		rc = iso_read(c, e->block + pos / c->fs->block_size, pos % c->fs->block_size, buf, n);
		if (rc < 0)
			return rc;
		buf += n;
		len -= n;
		pos = 0;
	}
	return 0;
}

/* ---- the volume ---- */

static void iso_ctx_init(struct iso_ctx *c, struct isofs *fs, char *err, size_t errlen)
{
	c->fs = fs;
	c->err = err;
	c->errlen = errlen;
	c->at[0] = 0;
	if (err && errlen)
		err[0] = 0;
}

/* Reads the descriptor set from sector 16 to its terminator; keeps the first PVD. */
static int iso_find_pvd(struct iso_ctx *c, uint8_t *pvd)
{
	const struct bootdisk *d = c->fs->disk;
	uint64_t off = c->fs->offset;
	uint8_t vd[ISO_SECTOR];
	bool have = false;

	for (unsigned int i = 0; i < ISO_VD_MAX; i++) {
		uint64_t at = (uint64_t)(ISO_VD_FIRST + i) * ISO_SECTOR;

		if (off > d->size || at + ISO_SECTOR > d->size - off)
			return iso_fail(c, -EUCLEAN, "volume descriptor %u is past the end of the disk: truncated image?",
					ISO_VD_FIRST + i);
		if (bootdisk_read(d, vd, sizeof(vd), off + at) < 0)
			return iso_fail(c, -EIO, "cannot read volume descriptor %u", ISO_VD_FIRST + i);
		if (memcmp(vd + 1, "CD001", 5))
			return iso_fail(c, i ? -EUCLEAN : -ENODEV,
					"volume descriptor %u: no CD001 identifier", ISO_VD_FIRST + i);
		if (vd[0] == ISO_VD_END)
			return have ? 0 : iso_fail(c, -EUCLEAN, "no primary volume descriptor");
		if (vd[0] == ISO_VD_PRIMARY && !have) {
			memcpy(pvd, vd, sizeof(vd));
			have = true;
		}
	}
	return iso_fail(c, -EUCLEAN, "no volume descriptor set terminator in the first %d",
			ISO_VD_MAX);
}

static int iso_parse_pvd(struct iso_ctx *c, const uint8_t *pvd)
{
	struct isofs *fs = c->fs;
	uint64_t room = fs->disk->size - fs->offset;
	const uint8_t *root = pvd + ISO_PVD_ROOT;
	struct iso_rec r;
	int rc;

	fs->blocks = iso_le32(pvd + 80);
	fs->block_size = iso_le16(pvd + 128);
	if (fs->blocks != iso_be32(pvd + 84) || fs->block_size != iso_be16(pvd + 130))
		return iso_fail(c, -EUCLEAN,
				"primary volume descriptor: volume size %u or block size %u differs from its big-endian copy (%u, %u)",
				(unsigned)fs->blocks, fs->block_size, iso_be32(pvd + 84), iso_be16(pvd + 130));
	if (fs->block_size != 512 && fs->block_size != 1024 && fs->block_size != 2048)
		return iso_fail(c, -EUCLEAN, "primary volume descriptor: logical block size %u, expected 512, 1024 or 2048",
				fs->block_size);
	if (fs->blocks * fs->block_size < (ISO_VD_FIRST + 2) * ISO_SECTOR)
		return iso_fail(c, -EUCLEAN, "primary volume descriptor: a volume of %llu blocks",
				(unsigned long long)fs->blocks);
	if (fs->blocks > room / fs->block_size)
		return iso_fail(c, -EUCLEAN,
				"primary volume descriptor: %llu blocks of %u bytes, but only %llu bytes of disk follow: truncated image?",
				(unsigned long long)fs->blocks, fs->block_size, (unsigned long long)room);
	rc = iso_rec_parse(c, root, 34, "root directory", ISO_VD_FIRST, ISO_PVD_ROOT, &r);
	if (rc < 0)
		return rc;
	if (!(r.flags & ISO_FL_DIR) || r.size == 0 || (r.flags & ISO_FL_MULTI))
		return iso_fail(c, -EUCLEAN, "primary volume descriptor: the root record (flags 0x%02x, %u bytes) is not a directory",
				r.flags, r.size);
	fs->root_block = r.block;
	fs->root_size = r.size;
	return 0;
}

/* Rock Ridge is there if the root's "." record starts with SUSP's SP entry. */
static int iso_detect_rr(struct iso_ctx *c)
{
	struct isofs *fs = c->fs;
	size_t n = fs->root_size < fs->block_size ? fs->root_size : fs->block_size;
	uint8_t *buf = malloc(n);
	struct iso_rec r;
	int rc;

	if (!buf)
		return iso_fail(c, -ENOMEM, "out of memory");
	rc = iso_read(c, fs->root_block, 0, buf, n);
	if (rc == 0 && n > 0 && buf[0])
		rc = iso_rec_parse(c, buf, n, "root directory's \".\"", fs->root_block, 0, &r);
	else if (rc == 0)
		rc = iso_fail(c, -EUCLEAN, "the root directory has no \".\" record");
	if (rc == 0 && r.su_len >= 7 && !memcmp(r.su, "SP\x07\x01\xbe\xef", 6)) {
		fs->rr = true;
		fs->su_skip = r.su[6];
	}
	free(buf);
	return rc;
}

static int isofs_open(void **out, const struct bootdisk *d, uint64_t offset, char *err,
		      size_t errlen)
{
	struct isofs *fs = calloc(1, sizeof(*fs));
	uint8_t pvd[ISO_SECTOR];
	struct iso_ctx c;
	int rc;

	if (!fs)
		return -ENOMEM;
	fs->disk = d;
	fs->offset = offset;
	iso_ctx_init(&c, fs, err, errlen);
	rc = iso_find_pvd(&c, pvd);
	if (rc == 0)
		rc = iso_parse_pvd(&c, pvd);
	if (rc == 0)
		rc = iso_detect_rr(&c);
	if (rc < 0) {
		free(fs);
		return rc;
	}
	*out = fs;
	return 0;
}

static void isofs_close(void *fs)
{
	free(fs);
}

static const char *isofs_type(const void *fs)
{
	(void)fs;
	return "iso9660";
}

/* An open file: its extents, and the context naming it in messages. */
struct iso_open {
	struct iso_ctx c;
	struct iso_file f;
};

static int isofs_file_open(void *fs, const char *path, void **file, uint64_t *size, char *err,
			   size_t errlen)
{
	struct iso_open *o = malloc(sizeof(*o));
	int rc;

	if (!o) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	iso_ctx_init(&o->c, fs, err, errlen);
	rc = iso_open_file(&o->c, path, &o->f);
	if (rc < 0) {
		free(o);
		return rc;
	}
	*file = o;
	*size = o->f.size;
	return 0;
}

static int isofs_file_pread(void *file, void *buf, size_t len, uint64_t off, char *err,
			    size_t errlen)
{
	struct iso_open *o = file;

	o->c.err = err;
	o->c.errlen = errlen;
	return iso_file_pread(&o->c, &o->f, buf, len, off);
}

static void isofs_file_close(void *file)
{
	struct iso_open *o = file;

	iso_file_put(&o->f);
	free(o);
}

const struct bootfs_ops isofs_ops = {
	.name = "iso9660",
	.open = isofs_open,
	.close = isofs_close,
	.type = isofs_type,
	.file_open = isofs_file_open,
	.file_pread = isofs_file_pread,
	.file_close = isofs_file_close,
};
