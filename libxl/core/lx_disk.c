/* Virtual block devices (vbd) served by dom0's blkback: block devices
 * directly, raw files through a loop device that the `block` hotplug
 * script sets up. The nodes are libxl 4.17's for a "phy" backend. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xenstore.h>
#include "lx.h"
#include "lx_device.h"

int lx_disk_nodes(uint32_t domid, uint32_t backend_domid, const struct lx_disk_spec *s,
		  struct lx_nodes *back, struct lx_nodes *front, char *err, size_t errlen)
{
	const char *script = s->script && s->script[0] ? s->script : "block";
	const char *vdev = s->vdev ? s->vdev : "";
	/* A cdrom is never written through, whatever the access said. */
	bool rw = s->readwrite && !s->cdrom;
	int bad = 0;

	back->n = front->n = 0;
	if (!s->target || !s->target[0])
		return lx_fail(err, errlen, "disk %s: no target (the file or device to use)", vdev);
	if (!vdev[0] || s->devid < 0)
		return lx_fail(err, errlen, "disk %s: invalid or unsupported virtual disk identifier",
			    vdev);
	bad |= lx_nodes_add(back, "params", "%s", s->target);
	bad |= lx_nodes_add(back, "script", "%s%s%s", script[0] == '/' ? "" : LX_SCRIPT_DIR,
			    script[0] == '/' ? "" : "/", script);
	bad |= lx_nodes_add(back, "frontend-id", "%u", domid);
	bad |= lx_nodes_add(back, "online", "1");
	bad |= lx_nodes_add(back, "removable", "%d", s->removable ? 1 : 0);
	bad |= lx_nodes_add(back, "bootable", "1");
	bad |= lx_nodes_add(back, "state", "%d", LX_XBS_INITIALISING);
	bad |= lx_nodes_add(back, "dev", "%s", vdev);
	bad |= lx_nodes_add(back, "type", "phy");
	bad |= lx_nodes_add(back, "mode", "%s", rw ? "w" : "r");
	bad |= lx_nodes_add(back, "device-type", "%s", s->cdrom ? "cdrom" : "disk");
	bad |= lx_nodes_add(back, "discard-enable", "%d", s->discard ? 1 : 0);
	bad |= lx_nodes_add(front, "backend-id", "%u", backend_domid);
	bad |= lx_nodes_add(front, "state", "%d", LX_XBS_INITIALISING);
	bad |= lx_nodes_add(front, "virtual-device", "%d", s->devid);
	bad |= lx_nodes_add(front, "device-type", "%s", s->cdrom ? "cdrom" : "disk");
	if (bad)
		return lx_fail(err, errlen, "disk %s: a value is too long (target %.64s...)", vdev,
			    s->target);
	return 0;
}

/* The same file or block device, whatever path names it. */
static bool same_target(const struct stat *a, const char *other)
{
	struct stat b;

	if (stat(other, &b) < 0)
		return false;
	if (S_ISBLK(a->st_mode) && S_ISBLK(b.st_mode))
		return a->st_rdev == b.st_rdev;
	return !S_ISBLK(a->st_mode) && !S_ISBLK(b.st_mode) && a->st_dev == b.st_dev &&
	       a->st_ino == b.st_ino;
}

/* Refuses a target another domain has read-write, or that we want
 * read-write while another domain has it at all. */
static int check_sharing(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *s,
			 const struct stat *st, char *err, size_t errlen)
{
	bool rw = s->readwrite && !s->cdrom;
	unsigned int nd = 0;
	char **doms = xs_directory(ctx->xs, XBT_NULL, "/libxl", &nd);
	int rc = 0;

	for (unsigned int i = 0; doms && i < nd && !rc; i++) {
		uint32_t other = (uint32_t)strtoul(doms[i], NULL, 10);
		unsigned int n;
		int *ids;

		xc_domaininfo_t info;

		/* Entries a crashed toolstack left for a dead domain hold nothing. */
		if (other == domid || xc_domain_getinfo_single(ctx->xch, other, &info) < 0)
			continue;
		ids = lx_dev_list(ctx, other, "vbd", &n);
		for (unsigned int k = 0; k < n && !rc; k++) {
			char dir[128], *params, *mode, *dev;

			snprintf(dir, sizeof(dir), "/libxl/%u/device/vbd/%d", other, ids[k]);
			params = lx_dev_read(ctx, dir, "params");
			mode = lx_dev_read(ctx, dir, "mode");
			dev = lx_dev_read(ctx, dir, "dev");
			if (params && same_target(st, params) &&
			    (rw || (mode && !strcmp(mode, "w")))) {
				char np[64], *name;

				snprintf(np, sizeof(np), "/local/domain/%u/name", other);
				name = xs_read(ctx->xs, XBT_NULL, np, NULL);
				errno = EBUSY;
				rc = lx_fail(err, errlen, "disk %s: %s is already in use by domain %u (%s) "
					  "as %s in mode %s; a disk used read-write by one domain "
					  "cannot be given to another", s->vdev, s->target, other,
					  name ? name : "?", dev ? dev : "?", mode ? mode : "?");
				free(name);
			}
			free(params);
			free(mode);
			free(dev);
		}
		free(ids);
	}
	free(doms);
	return rc;
}

int lx_disk_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *s, char *err,
		size_t errlen)
{
	struct lx_nodes back, front;
	struct lx_dev d;
	struct stat st;

	if (lx_disk_nodes(domid, 0, s, &back, &front, err, errlen) < 0)
		return -1;
	if (stat(s->target, &st) < 0)
		return lx_fail(err, errlen, "disk %s: cannot use %s: %s", s->vdev, s->target,
			    strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return lx_fail(err, errlen, "disk %s: %s is neither a block device nor a file",
			    s->vdev, s->target);
	if (check_sharing(ctx, domid, s, &st, err, errlen) < 0)
		return -1;
	lx_dev_init(&d, "vbd", domid, 0, s->devid, s->vdev);
	if (lx_dev_write(ctx, &d, &back, &front, err, errlen) < 0)
		return -1;
	return lx_dev_connect(ctx, &d, err, errlen);
}

int lx_disk_remove(struct lx_ctx *ctx, uint32_t domid, int devid, bool force, char *err,
		   size_t errlen)
{
	struct lx_dev d;
	char *be, *vdev;
	unsigned int bdom = 0;
	int rc;

	lx_dev_init(&d, "vbd", domid, 0, devid, "");
	be = lx_dev_read(ctx, d.lx, "backend");
	if (!be) {
		errno = ENOENT;
		return lx_fail(err, errlen, "domain %u has no disk %d", domid, devid);
	}
	vdev = lx_dev_read(ctx, d.lx, "dev");
	if (sscanf(be, "/local/domain/%u/", &bdom) != 1)
		bdom = 0;
	lx_dev_init(&d, "vbd", domid, bdom, devid, vdev ? vdev : "?");
	rc = lx_dev_remove(ctx, &d, force, err, errlen);
	free(vdev);
	free(be);
	return rc;
}
