/*
 * A qcow2 boot disk, read through xen-qdisk's own qcow2 reader
 * (backends/qdisk), so pygrub sees the same guest bytes the qdisk backend
 * serves.  libxl would attach such a disk to dom0 and hand pygrub the
 * block device; reading the image in place needs no attach and no dom0
 * frontend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs.h"
#include "qd.h"

static int qcow2_read(const struct bootdisk *d, void *buf, size_t len, uint64_t off)
{
	return qd_image_read(d->priv, off, buf, len) == 0 ? 0 : -EIO;
}

static void qcow2_close(struct bootdisk *d)
{
	qd_image_close(d->priv);
	free(d->priv);
	d->priv = NULL;
	d->fd = -1; /* qd_image_close closed it */
}

int bootdisk_open_qcow2(struct bootdisk *d, const char *path, char *err, size_t errlen)
{
	struct qd_image *img = calloc(1, sizeof(*img));
	int rc;

	*d = (struct bootdisk){ .fd = -1 };
	if (!img) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	rc = qd_image_open(img, path, QD_FMT_QCOW2, true, err, errlen);
	if (rc) {
		free(img);
		return rc;
	}
	d->path = strdup(path);
	if (!d->path) {
		qd_image_close(img);
		free(img);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	d->fd = img->fd;
	d->size = img->size;
	d->read = qcow2_read;
	d->close = qcow2_close;
	d->priv = img;
	return 0;
}
