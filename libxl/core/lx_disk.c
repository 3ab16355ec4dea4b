/* Virtual block devices (vbd). Two backends, chosen as libxl 4.17 does:
 *   phy    dom0's blkback: block devices directly, raw files through a
 *          loop device that the `block` hotplug script sets up;
 *   qdisk  our user-space xen-qdisk (backends/qdisk) for what blkback
 *          cannot serve: qcow2 images, and any disk given with
 *          backendtype=qdisk. Backend directory
 *          /local/domain/0/backend/qdisk/DOMID/DEVID, params
 *          "FORMAT:PATH" (raw is "aio"), no hotplug script. One
 *          xen-qdisk process per device, started here; it goes when the
 *          device goes (online=0 after the frontend closed, or its
 *          frontend or backend directory removed).
 * The frontend and /libxl nodes are the same for both. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>
#include "lx.h"
#include "lx_device.h"

#ifndef LX_QDISK_BIN
#define LX_QDISK_BIN "/usr/sbin/xen-qdisk"
#endif
#define QDISK_LOG_DIR "/var/log/xen"

/* The image format for a qdisk ("raw", "qcow2"), or NULL for blkback. */
static const char *qdisk_format(const struct lx_disk_spec *s)
{
	const char *f = s->format && s->format[0] ? s->format : "raw";

	return s->qdisk || strcmp(f, "raw") ? f : NULL;
}

/* Where a device's backend lives. */
static void disk_dev_init(struct lx_dev *d, uint32_t domid, uint32_t bdom, int devid,
			  const char *name, bool qdisk)
{
	lx_dev_init(d, "vbd", domid, bdom, devid, name);
	if (qdisk)
		snprintf(d->be, sizeof(d->be), "/local/domain/%u/backend/qdisk/%u/%d", bdom, domid,
			 devid);
}

/* The file of a params node: qdisk ones say "FORMAT:PATH". */
static const char *params_path(const char *params)
{
	const char *c = strchr(params, ':');

	return c && params[0] != '/' ? c + 1 : params;
}

int lx_disk_nodes(uint32_t domid, uint32_t backend_domid, const struct lx_disk_spec *s,
		  struct lx_nodes *back, struct lx_nodes *front, char *err, size_t errlen)
{
	const char *script = s->script && s->script[0] ? s->script : "block";
	const char *vdev = s->vdev ? s->vdev : "";
	const char *fmt = qdisk_format(s);
	/* A cdrom is never written through, whatever the access said. */
	bool rw = s->readwrite && !s->cdrom;
	int bad = 0;

	back->n = front->n = 0;
	if (!s->target || !s->target[0])
		return lx_fail(err, errlen, "disk %s: no target (the file or device to use)", vdev);
	if (!vdev[0] || s->devid < 0)
		return lx_fail(err, errlen, "disk %s: invalid or unsupported virtual disk identifier",
			    vdev);
	if (fmt && strcmp(fmt, "raw") && strcmp(fmt, "qcow2"))
		return lx_fail(err, errlen, "disk %s: format %s is not supported (raw and qcow2 "
			       "are, qcow2 through the qdisk backend)", vdev, fmt);
	if (fmt) {
		/* libxl's name for a raw qdisk is "aio". */
		bad |= lx_nodes_add(back, "params", "%s:%s", strcmp(fmt, "raw") ? fmt : "aio",
				    s->target);
	} else {
		bad |= lx_nodes_add(back, "params", "%s", s->target);
		bad |= lx_nodes_add(back, "script", "%s%s%s", script[0] == '/' ? "" : LX_SCRIPT_DIR,
				    script[0] == '/' ? "" : "/", script);
	}
	bad |= lx_nodes_add(back, "frontend-id", "%u", domid);
	bad |= lx_nodes_add(back, "online", "1");
	bad |= lx_nodes_add(back, "removable", "%d", s->removable ? 1 : 0);
	bad |= lx_nodes_add(back, "bootable", "1");
	bad |= lx_nodes_add(back, "state", "%d", LX_XBS_INITIALISING);
	bad |= lx_nodes_add(back, "dev", "%s", vdev);
	bad |= lx_nodes_add(back, "type", "%s", fmt ? "qdisk" : "phy");
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
			if (params && same_target(st, params_path(params)) &&
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

/* Starts xen-qdisk for the device, detached from us (it outlives xl),
 * its output in /var/log/xen/xen-qdisk-DOMID-DEVID.log. */
static int qdisk_spawn(const struct lx_dev *d, char *err, size_t errlen)
{
	char log[160];
	int status;
	pid_t pid;

	snprintf(log, sizeof(log), QDISK_LOG_DIR "/xen-qdisk-%u-%d.log", d->domid, d->devid);
	if (access(LX_QDISK_BIN, X_OK) < 0)
		return lx_fail(err, errlen, "disk %s of domain %u needs the qdisk backend: %s: %s",
			       d->name, d->domid, LX_QDISK_BIN, strerror(errno));
	pid = fork();
	if (pid < 0)
		return lx_fail(err, errlen, "disk %s: starting %s: %s", d->name, LX_QDISK_BIN,
			       strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);

		setsid();
		if (fd >= 0)
			dup2(fd, 0);
		mkdir(QDISK_LOG_DIR, 0755);
		fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* Twice, so that init reaps it and not us. */
		if (fork() == 0) {
			execl(LX_QDISK_BIN, LX_QDISK_BIN, "serve", d->be, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* A qdisk: nodes, the daemon, and its InitWait (or its refusal). */
static int qdisk_add(struct lx_ctx *ctx, struct lx_dev *d, const struct lx_nodes *back,
		     const struct lx_nodes *front, char *err, size_t errlen)
{
	char why[1024], *msg;
	int st = -1;

	if (lx_dev_write(ctx, d, back, front, err, errlen) < 0)
		return -1;
	if (qdisk_spawn(d, err, errlen) < 0)
		goto undo;
	if (lx_dev_wait_state(d->be, (1u << LX_XBS_INITWAIT) | (1u << LX_XBS_CONNECTED) |
				     (1u << LX_XBS_CLOSED),
			      true, LX_DEV_INIT_TIMEOUT_MS, &st) < 0) {
		lx_fail(err, errlen, "disk %s of domain %u: xen-qdisk did not come up within %d s "
			"(state %d; see " QDISK_LOG_DIR "/xen-qdisk-%u-%d.log)", d->name, d->domid,
			LX_DEV_INIT_TIMEOUT_MS / 1000, st, d->domid, d->devid);
		goto undo;
	}
	if (st == LX_XBS_INITWAIT || st == LX_XBS_CONNECTED)
		return 0;
	msg = lx_dev_read(ctx, d->be, "hotplug-error");
	lx_fail(err, errlen, "disk %s of domain %u: %s", d->name, d->domid,
		msg ? msg : "xen-qdisk refused the disk (see " QDISK_LOG_DIR "/xen-qdisk-*.log)");
	free(msg);
undo:
	lx_dev_remove(ctx, d, true, why, sizeof(why));
	return -1;
}

int lx_disk_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *s, char *err,
		size_t errlen)
{
	struct lx_nodes back, front;
	struct lx_dev d;
	struct stat st;
	bool qdisk = qdisk_format(s) != NULL;

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
	disk_dev_init(&d, domid, 0, s->devid, s->vdev, qdisk);
	if (qdisk)
		return qdisk_add(ctx, &d, &back, &front, err, errlen);
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
	bool qdisk;
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
	qdisk = strstr(be, "/backend/qdisk/") != NULL;
	disk_dev_init(&d, domid, bdom, devid, vdev ? vdev : "?", qdisk);
	rc = lx_dev_remove(ctx, &d, force, err, errlen);
	free(vdev);
	free(be);
	return rc;
}
