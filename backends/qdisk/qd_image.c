/* Disk images as the ring sees them: byte ranges of a raw file or block
 * device, or of the guest view of a qcow2 image (qd_qcow2.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qd.h"

int qd_format_parse(const char *s, enum qd_format *fmt, char *err, size_t errlen)
{
	/* libxl names a raw qdisk "aio" in params. */
	if (!strcmp(s, "raw") || !strcmp(s, "aio")) {
		*fmt = QD_FMT_RAW;
		return 0;
	}
	if (!strcmp(s, "qcow2")) {
		*fmt = QD_FMT_QCOW2;
		return 0;
	}
	snprintf(err, errlen, "disk format \"%s\" is not supported by xen-qdisk (raw and qcow2 are)",
		 s);
	return -ENOTSUP;
}

int qd_image_open_fd(struct qd_image *img, int fd, const char *name, enum qd_format fmt,
		     bool readonly, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	snprintf(img->name, sizeof(img->name), "%s", name);
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(-rc));
		return rc;
	}
	if (fmt == QD_FMT_QCOW2) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "%s: a qcow2 image must be a regular file", name);
			return -EINVAL;
		}
		rc = qd_qcow2_open(&img->q, fd, img->name, readonly, &img->size, err, errlen);
		if (rc < 0)
			return rc;
	} else if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;

		if (ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
			rc = -errno;
			snprintf(err, errlen, "%s: size of the block device: %s", name, strerror(-rc));
			return rc;
		}
		img->size = bytes;
	} else if (S_ISREG(st.st_mode)) {
		img->size = (uint64_t)st.st_size;
	} else {
		snprintf(err, errlen, "%s: neither a file nor a block device", name);
		return -EINVAL;
	}
	img->fd = fd;
	img->fmt = fmt;
	img->readonly = readonly;
	return 0;
}

int qd_image_open(struct qd_image *img, const char *path, enum qd_format fmt, bool readonly,
		  char *err, size_t errlen)
{
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		rc = -errno;
		memset(img, 0, sizeof(*img));
		img->fd = -1;
		snprintf(err, errlen, "%s: cannot open %s: %s", path,
			 readonly ? "read-only" : "read-write", strerror(-rc));
		return rc;
	}
	rc = qd_image_open_fd(img, fd, path, fmt, readonly, err, errlen);
	if (rc < 0)
		close(fd);
	return rc;
}

static int in_range(const struct qd_image *img, uint64_t off, uint64_t len)
{
	return off <= img->size && len <= img->size - off;
}

int qd_file_io(int fd, bool wr, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = wr ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int qd_image_read(struct qd_image *img, uint64_t off, void *buf, size_t len)
{
	if (!in_range(img, off, len))
		return -EINVAL;
	if (img->fmt == QD_FMT_QCOW2)
		return qd_qcow2_read(img->q, off, buf, len);
	return qd_file_io(img->fd, false, off, buf, len);
}

int qd_image_write(struct qd_image *img, uint64_t off, const void *buf, size_t len)
{
	if (img->readonly)
		return -EROFS;
	if (!in_range(img, off, len))
		return -EINVAL;
	if (img->fmt == QD_FMT_QCOW2)
		return qd_qcow2_write(img->q, off, buf, len);
	return qd_file_io(img->fd, true, off, (void *)buf, len);
}

int qd_image_flush(struct qd_image *img)
{
	if (img->readonly)
		return -EROFS;
	return fdatasync(img->fd) < 0 ? -errno : 0;
}

int qd_image_discard(struct qd_image *img, uint64_t off, uint64_t len)
{
	if (img->readonly)
		return -EROFS;
	if (!in_range(img, off, len))
		return -EINVAL;
	if (img->fmt == QD_FMT_RAW && len &&
	    fallocate(img->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
		      (off_t)len) < 0 && errno != EOPNOTSUPP)
		return -errno;
	return 0;
}

void qd_image_close(struct qd_image *img)
{
	qd_qcow2_close(img->q);
	img->q = NULL;
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}
