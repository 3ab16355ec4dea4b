/*
 * bootdisk_*: a guest's disk, read-only, and the places on it where a
 * filesystem may start, in the order Xen 4.17's pygrub tries them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bootfs.h"

#define SECTOR 512u
#define MBR_SIG_OFF 510
#define MBR_TABLE_OFF 446
#define MBR_TYPE_GPT 0xee
#define ISO_MAGIC_OFF 0x8001
#define EBR_MAX 128
#define GPT_MAX_ARRAY (1u << 20)

int bootdisk_open_fd(struct bootdisk *d, int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	*d = (struct bootdisk){ .fd = -1 };
	d->path = strdup(path ? path : "(disk)");
	if (!d->path) {
		rc = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		goto fail;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &d->size) < 0) {
			rc = -errno;
			snprintf(err, errlen, "%s: cannot get the device size: %s", d->path,
				 strerror(errno));
			goto fail;
		}
	} else if (S_ISREG(st.st_mode)) {
		d->size = (uint64_t)st.st_size;
	} else {
		rc = -EINVAL;
		snprintf(err, errlen, "%s: neither a regular file nor a block device", d->path);
		goto fail;
	}
	d->fd = fd;
	return 0;
fail:
	free(d->path);
	d->path = NULL;
	close(fd);
	return rc;
}

int bootdisk_open(struct bootdisk *d, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int rc = -errno;

		*d = (struct bootdisk){ .fd = -1 };
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	return bootdisk_open_fd(d, fd, path, err, errlen);
}

void bootdisk_close(struct bootdisk *d)
{
	if (d->close)
		d->close(d);
	d->close = NULL;
	d->read = NULL;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->path);
	d->path = NULL;
}

int bootdisk_read(const struct bootdisk *d, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	if (off > d->size || len > d->size - off)
		return -ERANGE;
	if (d->read)
		return d->read(d, buf, len, off);
	while (len > 0) {
		ssize_t n = pread(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static uint16_t disk_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t disk_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t disk_le64(const uint8_t *p)
{
	return disk_le32(p) | (uint64_t)disk_le32(p + 4) << 32;
}

/* The CRC-32 of IEEE 802.3 that GPT uses, bit by bit: tables are small here. */
static uint32_t disk_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

struct part_list {
	struct bootpart *parts;
	size_t max;
	size_t n;
	uint64_t disk_size;
};

/* Adds a partition if it starts within the disk; the part past the end is cut. */
static void part_add(struct part_list *l, uint64_t first_sector, uint64_t sectors,
		     unsigned int index, const char *scheme)
{
	uint64_t off, size;

	if (l->n >= l->max || first_sector >= l->disk_size / SECTOR)
		return;
	off = first_sector * SECTOR;
	size = sectors > (l->disk_size - off) / SECTOR ? l->disk_size - off : sectors * SECTOR;
	l->parts[l->n++] = (struct bootpart){ off, size, index, scheme };
}

/* ---- GPT ---- */

struct gpt_table {
	uint64_t lba;
	uint32_t count;
	uint32_t entry_size;
	uint8_t *entries;
};

static int gpt_check_header(const struct bootdisk *d, uint64_t lba, const uint8_t *h,
			    struct gpt_table *t, char *why, size_t whylen)
{
	uint32_t hsize = disk_le32(h + 12), crc = disk_le32(h + 16);
	uint64_t sectors = d->size / SECTOR, entries_lba, bytes;
	uint8_t copy[SECTOR];

	if (memcmp(h, "EFI PART", 8)) {
		snprintf(why, whylen, "no \"EFI PART\" signature");
		return -EUCLEAN;
	}
	if (hsize < 92 || hsize > SECTOR) {
		snprintf(why, whylen, "header size %u", hsize);
		return -EUCLEAN;
	}
	memcpy(copy, h, hsize);
	memset(copy + 16, 0, 4);
	if (disk_crc32(copy, hsize) != crc) {
		snprintf(why, whylen, "header CRC32 0x%08x, computed 0x%08x", crc,
			 disk_crc32(copy, hsize));
		return -EUCLEAN;
	}
	if (disk_le64(h + 24) != lba) {
		snprintf(why, whylen, "says it is at LBA %llu", (unsigned long long)disk_le64(h + 24));
		return -EUCLEAN;
	}
	t->count = disk_le32(h + 80);
	t->entry_size = disk_le32(h + 84);
	entries_lba = disk_le64(h + 72);
	bytes = (uint64_t)t->count * t->entry_size;
	if (t->entry_size < 128 || t->entry_size % 8 || bytes > GPT_MAX_ARRAY ||
	    entries_lba >= sectors || bytes > (sectors - entries_lba) * SECTOR) {
		snprintf(why, whylen, "%u entries of %u bytes at LBA %llu do not fit the disk",
			 t->count, t->entry_size, (unsigned long long)entries_lba);
		return -EUCLEAN;
	}
	t->lba = entries_lba;
	return 0;
}

static int gpt_load(const struct bootdisk *d, uint64_t lba, struct gpt_table *t, char *why,
		    size_t whylen)
{
	uint8_t h[SECTOR];
	size_t bytes;
	uint32_t crc;
	int rc;

	t->entries = NULL;
	if (bootdisk_read(d, h, sizeof(h), lba * SECTOR) < 0) {
		snprintf(why, whylen, "cannot be read");
		return -EIO;
	}
	rc = gpt_check_header(d, lba, h, t, why, whylen);
	if (rc < 0)
		return rc;
	bytes = (size_t)t->count * t->entry_size;
	t->entries = malloc(bytes ? bytes : 1);
	if (!t->entries) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	if (bootdisk_read(d, t->entries, bytes, t->lba * SECTOR) < 0) {
		snprintf(why, whylen, "entry array cannot be read");
		rc = -EIO;
		goto fail;
	}
	crc = disk_crc32(t->entries, bytes);
	if (crc != disk_le32(h + 88)) {
		snprintf(why, whylen, "entry array CRC32 0x%08x, computed 0x%08x", disk_le32(h + 88),
			 crc);
		rc = -EUCLEAN;
		goto fail;
	}
	return 0;
fail:
	free(t->entries);
	t->entries = NULL;
	return rc;
}

static void gpt_add_entries(struct part_list *l, const struct gpt_table *t)
{
	static const uint8_t unused[16];

	for (uint32_t i = 0; i < t->count; i++) {
		const uint8_t *e = t->entries + (size_t)i * t->entry_size;
		uint64_t first = disk_le64(e + 32), last = disk_le64(e + 40);

		if (!memcmp(e, unused, sizeof(unused)) || first == 0 || last < first)
			continue;
		part_add(l, first, last - first + 1, i + 1, "gpt");
	}
}

/* The primary header at LBA 1, else the backup at the last LBA (as Linux does). */
static int gpt_partitions(const struct bootdisk *d, struct part_list *l, char *err, size_t errlen)
{
	char why1[128], why2[128];
	uint64_t last = d->size / SECTOR - 1;
	struct gpt_table t;
	int rc;

	rc = gpt_load(d, 1, &t, why1, sizeof(why1));
	if (rc < 0 && rc != -ENOMEM && last > 1)
		rc = gpt_load(d, last, &t, why2, sizeof(why2));
	else if (rc < 0)
		snprintf(why2, sizeof(why2), "not tried");
	if (rc < 0) {
		snprintf(err, errlen, "%s: GPT: primary header at LBA 1: %s; backup header at LBA %llu: %s",
			 d->path, why1, (unsigned long long)last, why2);
		return rc;
	}
	gpt_add_entries(l, &t);
	free(t.entries);
	return 0;
}

/* ---- MBR ---- */

static bool mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Logical partitions: a chain of EBRs inside the extended partition, bounded. */
static void mbr_logicals(const struct bootdisk *d, struct part_list *l, uint64_t ext_start,
			 uint64_t ext_sectors)
{
	uint64_t ebr = ext_start;
	uint8_t sec[SECTOR];

	for (unsigned int i = 0; i < EBR_MAX; i++) {
		const uint8_t *p = sec + MBR_TABLE_OFF, *next = p + 16;
		uint64_t start, link;

		if (ebr >= ext_start + ext_sectors || bootdisk_read(d, sec, SECTOR, ebr * SECTOR) < 0 ||
		    disk_le16(sec + MBR_SIG_OFF) != 0xaa55)
			return;
		start = disk_le32(p + 8);
		if (start && p[4] && !mbr_is_extended(p[4]))
			part_add(l, ebr + start, disk_le32(p + 12), 5 + i, "mbr");
		link = disk_le32(next + 8);
		if (!link || !mbr_is_extended(next[4]) || ext_start + link <= ebr)
			return;
		ebr = ext_start + link;
	}
}

static int mbr_partitions(const struct bootdisk *d, const uint8_t *mbr, struct part_list *l,
			  char *err, size_t errlen)
{
	uint64_t ext_start = 0, ext_sectors = 0;

	for (unsigned int i = 0; i < 4; i++) {
		const uint8_t *p = mbr + MBR_TABLE_OFF + 16 * i;
		uint64_t start = disk_le32(p + 8);

		/* pygrub: a zero start means an unused slot. */
		if (start == 0)
			continue;
		if (p[4] == MBR_TYPE_GPT)
			return gpt_partitions(d, l, err, errlen);
		if (mbr_is_extended(p[4])) {
			if (!ext_start) {
				ext_start = start;
				ext_sectors = disk_le32(p + 12);
			}
			continue;
		}
		part_add(l, start, disk_le32(p + 12), i + 1, "mbr");
	}
	if (ext_start)
		mbr_logicals(d, l, ext_start, ext_sectors);
	return 0;
}

int bootdisk_partitions(const struct bootdisk *d, struct bootpart *parts, size_t max, size_t *n,
			char *err, size_t errlen)
{
	struct part_list l = { parts, max, 0, d->size };
	uint8_t mbr[SECTOR], cd[5];
	int rc;

	*n = 0;
	if (max == 0)
		return -EINVAL;
	if (d->size < SECTOR || bootdisk_read(d, mbr, SECTOR, 0) < 0 ||
	    disk_le16(mbr + MBR_SIG_OFF) != 0xaa55) {
		parts[0] = (struct bootpart){ 0, d->size, 0, "raw" };
		*n = 1;
		return 0;
	}
	/* A hybrid ISO: the image itself is the filesystem, its table is for USB sticks. */
	if (bootdisk_read(d, cd, sizeof(cd), ISO_MAGIC_OFF) == 0 && !memcmp(cd, "CD001", 5))
		parts[l.n++] = (struct bootpart){ 0, d->size, 0, "iso" };
	rc = mbr_partitions(d, mbr, &l, err, errlen);
	if (rc < 0)
		return rc;
	if (l.n == 0)
		parts[l.n++] = (struct bootpart){ 0, d->size, 0, "raw" };
	*n = l.n;
	return 0;
}
