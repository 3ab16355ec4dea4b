/* The qcow2 image format (versions 2 and 3), read-write with cluster
 * allocation at the end of the file. Everything in the file is big
 * endian. Guest offsets go through a two-level table: the L1 table
 * (held in memory) points at L2 tables, whose entries point at data
 * clusters. Every allocated cluster has a reference count in refcount
 * blocks, which the refcount table (also in memory) points at.
 * Allocation order keeps a crash from pointing at garbage: refcount,
 * then the cluster's contents, then the table entry that points at it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qd.h"

#define QCOW_MAGIC 0x514649fbu		/* "QFI\xfb" */
#define OFF_MASK 0x00fffffffffffe00ull	/* bits 9-55: a host offset */
#define L2_COMPRESSED (1ull << 62)
#define ENTRY_COPIED (1ull << 63)	/* refcount is exactly 1 */
#define L2_ZERO 1ull			/* v3: the cluster reads as zeros */
/* Incompatible feature bits (v3). */
#define INC_DIRTY (1ull << 0)
#define INC_CORRUPT (1ull << 1)
#define INC_DATA_FILE (1ull << 2)
#define INC_COMPRESSION (1ull << 3)
#define INC_EXTL2 (1ull << 4)
#define HDR_V2_LEN 72u
#define HDR_V3_LEN 104u
/* Bounds that keep a hostile header from making us allocate too much. */
#define MAX_L1_ENTRIES (32u << 20)
#define MAX_RT_BYTES (64ull << 20)

struct qd_qcow2 {
	int fd;
	const char *name;
	bool readonly;
	unsigned int version, cluster_bits, l2_bits, refcount_order;
	uint64_t cluster_size, size, file_size;
	uint32_t l1_size;
	uint64_t l1_off, *l1;
	uint64_t rt_off, rt_entries, *rt;
	uint64_t autoclear;
	uint64_t next_free;		/* host offset of the next new cluster */
};

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -e;
}

static int read_at(int fd, uint64_t off, void *buf, size_t len)
{
	return qd_file_io(fd, false, off, buf, len);
}

static int write_at(int fd, uint64_t off, const void *buf, size_t len)
{
	return qd_file_io(fd, true, off, (void *)buf, len);
}

/* A host range that must lie inside the file. */
static bool in_file(const struct qd_qcow2 *q, uint64_t off, uint64_t len)
{
	return off <= q->file_size && len <= q->file_size - off;
}

/* Why the header says no: a refusal naming the feature, or 0. */
static int check_features(struct qd_qcow2 *q, const uint8_t *h, char *err, size_t errlen)
{
	uint64_t backing = be64(h + 8), inc;

	if (be32(h + 32) != 0)
		return fail(err, errlen, ENOTSUP, "%s: encrypted qcow2 images (crypt_method %u) are "
			    "not supported", q->name, be32(h + 32));
	if (backing) {
		uint32_t blen = be32(h + 16);
		char bname[128] = "?";

		if (blen && blen < sizeof(bname) && in_file(q, backing, blen) &&
		    read_at(q->fd, backing, bname, blen) == 0)
			bname[blen] = 0;
		return fail(err, errlen, ENOTSUP, "%s: qcow2 backing files are not supported (this "
			    "image is an overlay of \"%s\"); flatten it with qemu-img convert",
			    q->name, bname);
	}
	if (q->version < 3)
		return 0;
	inc = be64(h + 72);
	if (inc & INC_DIRTY)
		return fail(err, errlen, ENOTSUP, "%s: the qcow2 image is dirty (lazy refcounts not "
			    "written back); repair it with qemu-img check -r all", q->name);
	if (inc & INC_CORRUPT)
		return fail(err, errlen, EIO, "%s: the qcow2 image is marked corrupt; repair it with "
			    "qemu-img check -r all", q->name);
	if (inc & INC_DATA_FILE)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 external data files are not supported",
			    q->name);
	if (inc & INC_COMPRESSION)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 compression (compression type %u) is "
			    "not supported", q->name, HDR_V3_LEN < be32(h + 100) ? h[104] : 0);
	if (inc & INC_EXTL2)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 extended L2 entries (subclusters) are "
			    "not supported", q->name);
	if (inc)
		return fail(err, errlen, ENOTSUP, "%s: unknown qcow2 incompatible feature bits "
			    "0x%llx", q->name, (unsigned long long)inc);
	return 0;
}

static int read_header(struct qd_qcow2 *q, char *err, size_t errlen)
{
	uint8_t h[HDR_V3_LEN + 8];
	uint64_t l2_span, need;
	uint32_t rt_clusters, hlen;
	int rc;

	memset(h, 0, sizeof(h));
	if (q->file_size < HDR_V2_LEN)
		return fail(err, errlen, EINVAL, "%s: too short for a qcow2 image (%llu bytes)",
			    q->name, (unsigned long long)q->file_size);
	rc = read_at(q->fd, 0, h, q->file_size < sizeof(h) ? (size_t)q->file_size : sizeof(h));
	if (rc < 0)
		return fail(err, errlen, -rc, "%s: reading the qcow2 header: %s", q->name,
			    strerror(-rc));
	if (be32(h) != QCOW_MAGIC)
		return fail(err, errlen, EINVAL, "%s: not a qcow2 image (magic 0x%08x)", q->name,
			    be32(h));
	q->version = be32(h + 4);
	if (q->version != 2 && q->version != 3)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 version %u is not supported (2 and 3 "
			    "are)", q->name, q->version);
	if (q->version == 3 && q->file_size < HDR_V3_LEN)
		return fail(err, errlen, EINVAL, "%s: qcow2 v3 header truncated", q->name);
	rc = check_features(q, h, err, errlen);
	if (rc < 0)
		return rc;
	q->cluster_bits = be32(h + 20);
	if (q->cluster_bits < 9 || q->cluster_bits > 21)
		return fail(err, errlen, EINVAL, "%s: qcow2 cluster_bits %u out of range 9..21",
			    q->name, q->cluster_bits);
	q->cluster_size = 1ull << q->cluster_bits;
	q->l2_bits = q->cluster_bits - 3;
	q->size = be64(h + 24);
	if (q->size > (1ull << 56))
		return fail(err, errlen, EINVAL, "%s: qcow2 size %llu too large", q->name,
			    (unsigned long long)q->size);
	q->l1_size = be32(h + 36);
	q->l1_off = be64(h + 40);
	q->rt_off = be64(h + 48);
	rt_clusters = be32(h + 56);
	if (be32(h + 60) && !q->readonly)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 internal snapshots (%u) are not "
			    "supported for writing", q->name, be32(h + 60));
	q->refcount_order = 4;
	if (q->version == 3) {
		q->autoclear = be64(h + 88);
		q->refcount_order = be32(h + 96);
		hlen = be32(h + 100);
		if (hlen < HDR_V3_LEN || hlen > q->cluster_size)
			return fail(err, errlen, EINVAL, "%s: qcow2 header_length %u invalid", q->name,
				    hlen);
	}
	if (q->refcount_order < 3 || q->refcount_order > 6)
		return fail(err, errlen, ENOTSUP, "%s: qcow2 refcount_order %u (%u-bit refcounts) "
			    "is not supported (8 to 64 bits are)", q->name, q->refcount_order,
			    1u << (q->refcount_order & 31));
	/* The L1 table must cover the whole disk. */
	l2_span = 1ull << (q->cluster_bits + q->l2_bits);
	need = q->size / l2_span + (q->size % l2_span != 0);
	if (q->l1_size < need || q->l1_size > MAX_L1_ENTRIES)
		return fail(err, errlen, EINVAL, "%s: qcow2 l1_size %u does not fit size %llu "
			    "(needs %llu)", q->name, q->l1_size, (unsigned long long)q->size,
			    (unsigned long long)need);
	if (q->l1_size && ((q->l1_off & (q->cluster_size - 1)) || !q->l1_off ||
			   !in_file(q, q->l1_off, (uint64_t)q->l1_size * 8)))
		return fail(err, errlen, EINVAL, "%s: qcow2 l1_table_offset 0x%llx invalid", q->name,
			    (unsigned long long)q->l1_off);
	q->rt_entries = (uint64_t)rt_clusters << (q->cluster_bits - 3);
	if (!rt_clusters || (q->rt_off & (q->cluster_size - 1)) || !q->rt_off ||
	    q->rt_entries * 8 > MAX_RT_BYTES ||
	    !in_file(q, q->rt_off, (uint64_t)rt_clusters << q->cluster_bits))
		return fail(err, errlen, EINVAL, "%s: qcow2 refcount table (offset 0x%llx, %u "
			    "clusters) invalid", q->name, (unsigned long long)q->rt_off, rt_clusters);
	return 0;
}

/* A table of n big-endian entries into host order. */
static int read_table(struct qd_qcow2 *q, uint64_t off, uint64_t n, uint64_t **out)
{
	uint64_t *t = calloc(n ? n : 1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	rc = read_at(q->fd, off, t, n * 8);
	if (rc < 0) {
		free(t);
		return rc;
	}
	for (uint64_t i = 0; i < n; i++)
		t[i] = be64((const uint8_t *)&t[i]);
	*out = t;
	return 0;
}

/* A table entry pointing at a whole cluster inside the file: 0 when
 * valid, else the refusal. what/index say where it was found. */
static int check_ptr(struct qd_qcow2 *q, uint64_t off, const char *what, uint64_t index,
		     char *err, size_t errlen)
{
	if ((off & (q->cluster_size - 1)) || !in_file(q, off, q->cluster_size))
		return fail(err, errlen, EIO, "%s: corrupt qcow2 image: %s entry %llu points at "
			    "0x%llx (not a cluster in the file)", q->name, what,
			    (unsigned long long)index, (unsigned long long)off);
	return 0;
}

/* Every L2 table once: compressed clusters are refused here, before a
 * guest ever reads one, and bad pointers are found early. */
static int scan_l2(struct qd_qcow2 *q, char *err, size_t errlen)
{
	uint64_t n = 1ull << q->l2_bits, *l2 = NULL;
	int rc = 0;

	for (uint32_t i = 0; i < q->l1_size && !rc; i++) {
		uint64_t off = q->l1[i] & OFF_MASK;

		if (!off)
			continue;
		rc = check_ptr(q, off, "L1", i, err, errlen);
		if (rc)
			break;
		rc = read_table(q, off, n, &l2);
		if (rc < 0) {
			fail(err, errlen, -rc, "%s: reading L2 table %u: %s", q->name, i,
			     strerror(-rc));
			break;
		}
		for (uint64_t k = 0; k < n && !rc; k++) {
			uint64_t guest = (((uint64_t)i << q->l2_bits) + k) << q->cluster_bits;
			uint64_t e = l2[k], host = e & OFF_MASK;

			if (e & L2_COMPRESSED)
				rc = fail(err, errlen, ENOTSUP, "%s: compressed qcow2 clusters are not "
					  "supported (guest offset 0x%llx); convert the image without "
					  "-c", q->name, (unsigned long long)guest);
			else if (host)
				rc = check_ptr(q, host, "L2", ((uint64_t)i << q->l2_bits) + k, err,
					       errlen);
		}
		free(l2);
		l2 = NULL;
	}
	return rc;
}

int qd_qcow2_open(struct qd_qcow2 **out, int fd, const char *name, bool readonly, uint64_t *size,
		  char *err, size_t errlen)
{
	struct qd_qcow2 *q = calloc(1, sizeof(*q));
	struct stat st;
	int rc;

	if (!q)
		return fail(err, errlen, ENOMEM, "%s: out of memory", name);
	q->fd = fd;
	q->name = name;
	q->readonly = readonly;
	if (fstat(fd, &st) < 0) {
		rc = fail(err, errlen, errno, "%s: %s", name, strerror(errno));
		goto bad;
	}
	q->file_size = (uint64_t)st.st_size;
	rc = read_header(q, err, errlen);
	if (rc < 0)
		goto bad;
	rc = read_table(q, q->l1_off, q->l1_size, &q->l1);
	if (rc == 0)
		rc = read_table(q, q->rt_off, q->rt_entries, &q->rt);
	if (rc < 0) {
		fail(err, errlen, -rc, "%s: reading the qcow2 tables: %s", name, strerror(-rc));
		goto bad;
	}
	for (uint64_t i = 0; i < q->rt_entries; i++) {
		uint64_t off = q->rt[i] & OFF_MASK;

		if (q->rt[i] != off)
			rc = fail(err, errlen, EIO, "%s: corrupt qcow2 image: refcount table entry "
				  "%llu has reserved bits (0x%llx)", name, (unsigned long long)i,
				  (unsigned long long)q->rt[i]);
		else if (off)
			rc = check_ptr(q, off, "refcount table", i, err, errlen);
		if (rc < 0)
			goto bad;
	}
	rc = scan_l2(q, err, errlen);
	if (rc < 0)
		goto bad;
	q->next_free = (q->file_size + q->cluster_size - 1) & ~(q->cluster_size - 1);
	/* Autoclear features (e.g. bitmaps) describe data we will not keep
	 * up to date: a writer must clear them. */
	if (!readonly && q->autoclear) {
		uint8_t z[8] = { 0 };

		rc = write_at(fd, 88, z, sizeof(z));
		if (rc < 0) {
			fail(err, errlen, -rc, "%s: clearing autoclear features: %s", name,
			     strerror(-rc));
			goto bad;
		}
	}
	*size = q->size;
	*out = q;
	return 0;
bad:
	qd_qcow2_close(q);
	return rc;
}

void qd_qcow2_close(struct qd_qcow2 *q)
{
	if (!q)
		return;
	free(q->l1);
	free(q->rt);
	free(q);
}

/* The L2 entry for guest offset off: 0 when there is no L2 table. */
static int l2_entry(struct qd_qcow2 *q, uint64_t off, uint64_t *l2_off, uint64_t *entry)
{
	uint64_t l1i = off >> (q->cluster_bits + q->l2_bits);
	uint64_t l2i = (off >> q->cluster_bits) & ((1ull << q->l2_bits) - 1);
	uint8_t b[8];
	int rc;

	*entry = 0;
	*l2_off = 0;
	if (l1i >= q->l1_size)
		return -EIO;
	if (!(q->l1[l1i] & OFF_MASK))
		return 0;
	*l2_off = (q->l1[l1i] & OFF_MASK) + l2i * 8;
	rc = read_at(q->fd, *l2_off, b, 8);
	if (rc < 0)
		return rc;
	*entry = be64(b);
	return 0;
}

static int check_range(const struct qd_qcow2 *q, uint64_t off, size_t len)
{
	return off > q->size || len > q->size - off ? -EINVAL : 0;
}

int qd_qcow2_read(struct qd_qcow2 *q, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	int rc = check_range(q, off, len);

	while (!rc && len) {
		uint64_t in = off & (q->cluster_size - 1), l2_off, e, host;
		size_t n = (size_t)(q->cluster_size - in < len ? q->cluster_size - in : len);

		rc = l2_entry(q, off, &l2_off, &e);
		if (rc < 0)
			break;
		host = e & OFF_MASK;
		if (e & L2_COMPRESSED) {
			rc = -EIO;
			break;
		}
		if (!host || (q->version >= 3 && (e & L2_ZERO))) {
			memset(p, 0, n);
		} else {
			if (!in_file(q, host, q->cluster_size))
				return -EIO;
			rc = read_at(q->fd, host + in, p, n);
		}
		p += n;
		off += n;
		len -= n;
	}
	return rc;
}

/* Sets the reference count of the cluster at host offset off,
 * allocating the refcount block it lives in when there is none. */
static int alloc_cluster(struct qd_qcow2 *q, uint64_t *off);

static int set_refcount(struct qd_qcow2 *q, uint64_t off, uint64_t val)
{
	unsigned int per_block_bits = q->cluster_bits + 3 - q->refcount_order;
	unsigned int width = (1u << q->refcount_order) / 8;
	uint64_t ci = off >> q->cluster_bits, rti = ci >> per_block_bits;
	uint64_t idx = ci & ((1ull << per_block_bits) - 1);
	uint8_t b[8];
	int rc;

	if (rti >= q->rt_entries)
		return -ENOSPC;	/* growing the refcount table: not supported */
	if (!q->rt[rti]) {
		uint64_t blk = q->next_free;
		uint8_t e[8];
		void *z = calloc(1, (size_t)q->cluster_size);

		if (!z)
			return -ENOMEM;
		q->next_free += q->cluster_size;
		rc = write_at(q->fd, blk, z, (size_t)q->cluster_size);
		free(z);
		if (rc < 0)
			return rc;
		put_be64(e, blk);
		rc = write_at(q->fd, q->rt_off + rti * 8, e, 8);
		if (rc < 0)
			return rc;
		q->rt[rti] = blk;
		if (blk + q->cluster_size > q->file_size)
			q->file_size = blk + q->cluster_size;
		rc = set_refcount(q, blk, 1);
		if (rc < 0)
			return rc;
	}
	put_be64(b, val);
	return write_at(q->fd, q->rt[rti] + idx * width, b + 8 - width, width);
}

static int alloc_cluster(struct qd_qcow2 *q, uint64_t *off)
{
	uint64_t c = q->next_free;

	if (c + q->cluster_size > OFF_MASK)
		return -ENOSPC;
	q->next_free += q->cluster_size;
	*off = c;
	return set_refcount(q, c, 1);
}

/* A new zeroed L2 table for L1 entry l1i. */
static int new_l2(struct qd_qcow2 *q, uint64_t l1i)
{
	uint64_t off;
	uint8_t e[8];
	void *z;
	int rc = alloc_cluster(q, &off);

	if (rc < 0)
		return rc;
	z = calloc(1, (size_t)q->cluster_size);
	if (!z)
		return -ENOMEM;
	rc = write_at(q->fd, off, z, (size_t)q->cluster_size);
	free(z);
	if (rc < 0)
		return rc;
	if (off + q->cluster_size > q->file_size)
		q->file_size = off + q->cluster_size;
	put_be64(e, off | ENTRY_COPIED);
	rc = write_at(q->fd, q->l1_off + l1i * 8, e, 8);
	if (rc == 0)
		q->l1[l1i] = off | ENTRY_COPIED;
	return rc;
}

/* Writes n bytes at in-cluster offset `in` of the cluster holding guest
 * offset off, allocating it (and its L2 table) as needed. */
static int write_cluster(struct qd_qcow2 *q, uint64_t off, uint64_t in, const uint8_t *p,
			 size_t n, uint8_t *scratch)
{
	uint64_t l1i = off >> (q->cluster_bits + q->l2_bits), l2_off, e, host;
	uint8_t b[8];
	int rc;

	if (!(q->l1[l1i] & OFF_MASK)) {
		rc = new_l2(q, l1i);
		if (rc < 0)
			return rc;
	} else if (!(q->l1[l1i] & ENTRY_COPIED)) {
		return -EIO;	/* shared with a snapshot: would need copy-on-write */
	}
	rc = l2_entry(q, off, &l2_off, &e);
	if (rc < 0)
		return rc;
	if (e & L2_COMPRESSED)
		return -EIO;
	host = e & OFF_MASK;
	if (host && !(e & ENTRY_COPIED))
		return -EIO;
	if (host && !(q->version >= 3 && (e & L2_ZERO))) {
		if (!in_file(q, host, q->cluster_size))
			return -EIO;
		return write_at(q->fd, host + in, p, n);
	}
	/* Unallocated or all-zero: the whole cluster is written, zeros
	 * around the new bytes (there is no backing file to show through). */
	if (!host) {
		rc = alloc_cluster(q, &host);
		if (rc < 0)
			return rc;
	}
	memset(scratch, 0, (size_t)q->cluster_size);
	memcpy(scratch + in, p, n);
	rc = write_at(q->fd, host, scratch, (size_t)q->cluster_size);
	if (rc < 0)
		return rc;
	if (host + q->cluster_size > q->file_size)
		q->file_size = host + q->cluster_size;
	put_be64(b, host | ENTRY_COPIED);
	return write_at(q->fd, l2_off, b, 8);
}

int qd_qcow2_write(struct qd_qcow2 *q, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t *scratch;
	int rc = check_range(q, off, len);

	if (rc < 0)
		return rc;
	if (q->readonly)
		return -EROFS;
	scratch = malloc((size_t)q->cluster_size);
	if (!scratch)
		return -ENOMEM;
	while (!rc && len) {
		uint64_t in = off & (q->cluster_size - 1);
		size_t n = (size_t)(q->cluster_size - in < len ? q->cluster_size - in : len);

		rc = write_cluster(q, off, in, p, n, scratch);
		p += n;
		off += n;
		len -= n;
	}
	free(scratch);
	return rc;
}

/* A new empty version 3 image: header, refcount table, one refcount
 * block, the L1 table, each in its own clusters at the start. */
int qd_qcow2_create(int fd, const char *name, uint64_t size, unsigned int cluster_bits,
		    char *err, size_t errlen)
{
	uint64_t cs = 1ull << cluster_bits, l2_span, l1_size, l1_clusters, used;
	uint8_t *c;
	int rc;

	if (cluster_bits < 9 || cluster_bits > 21)
		return fail(err, errlen, EINVAL, "%s: cluster_bits %u out of range 9..21", name,
			    cluster_bits);
	if (!size || size % QD_SECTOR || size > (1ull << 50))
		return fail(err, errlen, EINVAL, "%s: size %llu must be a non-zero multiple of 512 "
			    "up to 1 PiB", name, (unsigned long long)size);
	l2_span = 1ull << (2 * cluster_bits - 3);
	l1_size = size / l2_span + (size % l2_span != 0);
	l1_clusters = (l1_size * 8 + cs - 1) / cs;
	used = 3 + l1_clusters;
	/* The one refcount block must count the metadata clusters. */
	if (used > (1ull << (cluster_bits + 3 - 4)) || l1_size > MAX_L1_ENTRIES)
		return fail(err, errlen, EINVAL, "%s: size %llu too large for %llu-byte clusters",
			    name, (unsigned long long)size, (unsigned long long)cs);
	c = calloc(1, (size_t)cs);
	if (!c)
		return fail(err, errlen, ENOMEM, "%s: out of memory", name);
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)(used * cs)) < 0) {
		rc = fail(err, errlen, errno, "%s: %s", name, strerror(errno));
		goto out;
	}
	put_be64(c, (uint64_t)QCOW_MAGIC << 32 | 3);
	put_be64(c + 16, (uint64_t)cluster_bits);	/* backing size 0, cluster_bits */
	put_be64(c + 24, size);
	put_be64(c + 32, l1_size);			/* crypt_method 0, l1_size */
	put_be64(c + 40, 3 * cs);			/* L1 table */
	put_be64(c + 48, cs);				/* refcount table */
	put_be64(c + 56, 1ull << 32);			/* 1 cluster, no snapshots */
	put_be64(c + 96, 4ull << 32 | HDR_V3_LEN);	/* 16-bit refcounts */
	rc = write_at(fd, 0, c, (size_t)cs);
	if (rc == 0) {
		memset(c, 0, (size_t)cs);
		put_be64(c, 2 * cs);
		rc = write_at(fd, cs, c, (size_t)cs);
	}
	if (rc == 0) {
		memset(c, 0, (size_t)cs);
		for (uint64_t i = 0; i < used; i++)
			c[2 * i + 1] = 1;
		rc = write_at(fd, 2 * cs, c, (size_t)cs);
	}
	if (rc == 0 && fdatasync(fd) < 0)
		rc = -errno;
	if (rc < 0)
		fail(err, errlen, -rc, "%s: writing the new image: %s", name, strerror(-rc));
out:
	free(c);
	return rc;
}
