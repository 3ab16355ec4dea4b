/*
 * bootfs_*: what filesystem starts at an offset of the disk.  ext2/3/4
 * (extfs.c) and iso9660 (isofs.c) are opened and read through their ops
 * tables; the others a guest is likely to boot from are recognised by
 * their signatures, so that the refusal can name them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bootfs.h"
#include "extfs.h"
#include "isofs.h"

#define BOOTFS_COPY_CHUNK (1u << 20)

struct bootfs {
	const struct bootfs_ops *ops;
	void *fs;
};

/* Reads `len` bytes `at` bytes past the filesystem start, if the disk has them. */
static bool bootfs_peek(const struct bootdisk *d, uint64_t offset, uint64_t at, void *buf,
			size_t len)
{
	if (offset > d->size || at > d->size - offset || len > d->size - offset - at)
		return false;
	return bootdisk_read(d, buf, len, offset + at) == 0;
}

static bool bootfs_magic_at(const struct bootdisk *d, uint64_t offset, uint64_t at,
			    const char *magic, size_t len)
{
	char buf[16];

	return len <= sizeof(buf) && bootfs_peek(d, offset, at, buf, len) && !memcmp(buf, magic, len);
}

static uint32_t bootfs_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t bootfs_be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static bool bootfs_u32_at(const struct bootdisk *d, uint64_t offset, uint64_t at, uint32_t magic)
{
	uint8_t b[4];

	return bootfs_peek(d, offset, at, b, 4) && (bootfs_le32(b) == magic || bootfs_be32(b) == magic);
}

static bool bootfs_is_ext(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 1024 + 56, "\x53\xef", 2);
}

static bool bootfs_is_xfs(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 0, "XFSB", 4);
}

static bool bootfs_is_btrfs(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 0x10040, "_BHRfS_M", 8);
}

/* UFS1 keeps its superblock at 8 KiB, UFS2 at 64 KiB; fs_magic is 1372 bytes in. */
static bool bootfs_is_ufs(const struct bootdisk *d, uint64_t off)
{
	return bootfs_u32_at(d, off, 8192 + 1372, 0x011954) ||
	       bootfs_u32_at(d, off, 65536 + 1372, 0x19540119) ||
	       bootfs_u32_at(d, off, 65536 + 1372, 0x011954);
}

static bool bootfs_is_iso9660(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 0x8001, "CD001", 5);
}

static bool bootfs_is_reiserfs(const struct bootdisk *d, uint64_t off)
{
	static const uint64_t at[] = { 65536 + 52, 8192 + 52 };
	char buf[10];

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (bootfs_peek(d, off, at[i], buf, sizeof(buf)) &&
		    (!memcmp(buf, "ReIsErFs", 8) || !memcmp(buf, "ReIsEr2Fs", 9) ||
		     !memcmp(buf, "ReIsEr3Fs", 9)))
			return true;
	return false;
}

/* The swap signature ends the first page, whatever the page size was. */
static bool bootfs_is_swap(const struct bootdisk *d, uint64_t off)
{
	for (uint64_t page = 4096; page <= 65536; page <<= 1)
		if (bootfs_magic_at(d, off, page - 10, "SWAPSPACE2", 10) ||
		    bootfs_magic_at(d, off, page - 10, "SWAP-SPACE", 10))
			return true;
	return false;
}

static bool bootfs_is_luks(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 0, "LUKS\xba\xbe", 6);
}

/* The LVM2 label may be in any of the first four sectors. */
static bool bootfs_is_lvm2(const struct bootdisk *d, uint64_t off)
{
	for (uint64_t s = 0; s < 4; s++)
		if (bootfs_magic_at(d, off, s * 512, "LABELONE", 8) &&
		    bootfs_magic_at(d, off, s * 512 + 24, "LVM2 001", 8))
			return true;
	return false;
}

/* FAT boot sectors name their type at 0x36 (FAT12/16) or 0x52 (FAT32). */
static bool bootfs_is_fat(const struct bootdisk *d, uint64_t off)
{
	return bootfs_magic_at(d, off, 510, "\x55\xaa", 2) &&
	       (bootfs_magic_at(d, off, 0x36, "FAT12   ", 8) ||
		bootfs_magic_at(d, off, 0x36, "FAT16   ", 8) ||
		bootfs_magic_at(d, off, 0x52, "FAT32   ", 8));
}

/* A ZFS label's uberblock array starts 128 KiB in, 1 KiB per slot. */
static bool bootfs_is_zfs(const struct bootdisk *d, uint64_t off)
{
	for (uint64_t slot = 0; slot < 128; slot++)
		if (bootfs_u32_at(d, off, 131072 + slot * 1024, 0x00bab10c))
			return true;
	return false;
}

static const struct {
	const char *name;
	bool (*is)(const struct bootdisk *d, uint64_t off);
} bootfs_others[] = {
	{ "xfs", bootfs_is_xfs },
	{ "btrfs", bootfs_is_btrfs },
	{ "ufs (FreeBSD)", bootfs_is_ufs },
	{ "reiserfs", bootfs_is_reiserfs },
	{ "swap", bootfs_is_swap },
	{ "LUKS", bootfs_is_luks },
	{ "LVM2 physical volume", bootfs_is_lvm2 },
	{ "FAT", bootfs_is_fat },
	{ "zfs", bootfs_is_zfs },
};

static const struct {
	bool (*is)(const struct bootdisk *d, uint64_t off);
	const struct bootfs_ops *ops;
} bootfs_readers[] = {
	{ bootfs_is_ext, &extfs_ops },
	{ bootfs_is_iso9660, &isofs_ops },
};

#define BOOTFS_READ "ext2/3/4 and iso9660"

/* -ENODEV with a message naming what is at `offset`, if we know it. */
static int bootfs_refuse(const struct bootdisk *d, uint64_t offset, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(bootfs_others) / sizeof(bootfs_others[0]); i++)
		if (bootfs_others[i].is(d, offset)) {
			snprintf(err, errlen, "%s at offset %llu: not supported (" BOOTFS_READ " are)",
				 bootfs_others[i].name, (unsigned long long)offset);
			return -ENODEV;
		}
	snprintf(err, errlen, "no filesystem pygrub can read at offset %llu (" BOOTFS_READ " are read)",
		 (unsigned long long)offset);
	return -ENODEV;
}

int bootfs_open(struct bootfs **out, const struct bootdisk *d, uint64_t offset, char *err,
		size_t errlen)
{
	const struct bootfs_ops *ops = NULL;
	struct bootfs *fs;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < sizeof(bootfs_readers) / sizeof(bootfs_readers[0]) && !ops; i++)
		if (bootfs_readers[i].is(d, offset))
			ops = bootfs_readers[i].ops;
	if (!ops)
		return bootfs_refuse(d, offset, err, errlen);
	fs = calloc(1, sizeof(*fs));
	if (!fs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fs->ops = ops;
	rc = ops->open(&fs->fs, d, offset, err, errlen);
	if (rc < 0) {
		free(fs);
		return rc;
	}
	*out = fs;
	return 0;
}

void bootfs_close(struct bootfs *fs)
{
	if (!fs)
		return;
	fs->ops->close(fs->fs);
	free(fs);
}

const char *bootfs_type(const struct bootfs *fs)
{
	return fs->ops->type(fs->fs);
}

bool bootfs_exists(struct bootfs *fs, const char *path)
{
	uint64_t size;
	void *f;

	if (fs->ops->file_open(fs->fs, path, &f, &size, NULL, 0) < 0)
		return false;
	fs->ops->file_close(f);
	return true;
}

/* The whole file, or with `head` only its first `max` bytes. */
static int bootfs_read_file(struct bootfs *fs, const char *path, size_t max, bool head,
			    void **data, size_t *len, char *err, size_t errlen)
{
	uint64_t size;
	uint8_t *buf;
	size_t n;
	void *f;
	int rc;

	*data = NULL;
	*len = 0;
	rc = fs->ops->file_open(fs->fs, path, &f, &size, err, errlen);
	if (rc < 0)
		return rc;
	if (!head && (size > max || size >= SIZE_MAX)) {
		snprintf(err, errlen, "%s: %llu bytes, more than the %zu allowed", path,
			 (unsigned long long)size, max);
		rc = -EFBIG;
		goto out;
	}
	n = size > max ? max : (size_t)size;
	buf = malloc(n + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory for %zu bytes", path, n);
		rc = -ENOMEM;
		goto out;
	}
	rc = fs->ops->file_pread(f, buf, n, 0, err, errlen);
	if (rc < 0) {
		free(buf);
		goto out;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
out:
	fs->ops->file_close(f);
	return rc;
}

int bootfs_read(struct bootfs *fs, const char *path, size_t max, void **data, size_t *len,
		char *err, size_t errlen)
{
	return bootfs_read_file(fs, path, max, false, data, len, err, errlen);
}

int bootfs_read_head(struct bootfs *fs, const char *path, size_t max, void **data, size_t *len,
		     char *err, size_t errlen)
{
	return bootfs_read_file(fs, path, max, true, data, len, err, errlen);
}

static int bootfs_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Kernels are tens of MB: streamed, never held whole. */
int bootfs_copy(struct bootfs *fs, const char *path, int out_fd, uint64_t *copied, char *err,
		size_t errlen)
{
	uint8_t *buf = NULL;
	uint64_t size, pos;
	void *f;
	int rc;

	*copied = 0;
	rc = fs->ops->file_open(fs->fs, path, &f, &size, err, errlen);
	if (rc < 0)
		return rc;
	buf = malloc(BOOTFS_COPY_CHUNK);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto out;
	}
	for (pos = 0; pos < size; pos += BOOTFS_COPY_CHUNK) {
		size_t n = size - pos < BOOTFS_COPY_CHUNK ? (size_t)(size - pos) : BOOTFS_COPY_CHUNK;

		rc = fs->ops->file_pread(f, buf, n, pos, err, errlen);
		if (rc < 0)
			goto out;
		rc = bootfs_write_all(out_fd, buf, n);
		if (rc < 0) {
			snprintf(err, errlen, "%s: writing the copy: %s", path, strerror(-rc));
			goto out;
		}
		*copied += n;
	}
out:
	free(buf);
	fs->ops->file_close(f);
	return rc;
}
