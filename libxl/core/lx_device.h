/* Split-driver devices of a domain, done as libxl 4.17 does them: the
 * backend, frontend and /libxl nodes in xenstore, the XenbusState
 * handshake, the hotplug script that binds the backend to something in
 * dom0, and removal. lx_disk.c (vbd) and lx_nic.c (vif) describe their
 * nodes; this header is the whole interface of the device layer.
 * Every failure returns -1 with a message in err naming the device, and
 * leaves none of that device's nodes, loop devices or interfaces. */
#ifndef XENOLITH_LX_DEVICE_H
#define XENOLITH_LX_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lx_ctx;

/* XenbusState (xen/io/xenbus.h) */
enum {
	LX_XBS_UNKNOWN = 0, LX_XBS_INITIALISING = 1, LX_XBS_INITWAIT = 2,
	LX_XBS_INITIALISED = 3, LX_XBS_CONNECTED = 4, LX_XBS_CLOSING = 5,
	LX_XBS_CLOSED = 6,
};

/* Where hotplug scripts live (libxl's XEN_SCRIPT_DIR). */
#ifndef LX_SCRIPT_DIR
#define LX_SCRIPT_DIR "/etc/xen/scripts"
#endif

/* Limits, generous for QEMU TCG dom0s: backend to InitWait, one hotplug
 * script run, backend to Closed on removal. */
#define LX_DEV_INIT_TIMEOUT_MS 60000
#define LX_DEV_HOTPLUG_TIMEOUT_MS 120000
#define LX_DEV_CLOSE_TIMEOUT_MS 30000

/* One xenstore key under a device directory. */
#define LX_NODE_KEY 32
#define LX_NODE_VAL 512
#define LX_MAX_NODES 32
struct lx_nodes {
	size_t n;
	struct {
		char key[LX_NODE_KEY];
		char val[LX_NODE_VAL];
	} kv[LX_MAX_NODES];
};
/* 0, or -1 (ENOSPC / ENAMETOOLONG) when the set or a value is full. */
int lx_nodes_add(struct lx_nodes *n, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of key, or NULL. */
const char *lx_nodes_get(const struct lx_nodes *n, const char *key);

/* A device of domain `domid` served by `backend_domid`. */
struct lx_dev {
	const char *kind;		/* "vbd", "vif" */
	uint32_t domid, backend_domid;
	int devid;
	char name[64];			/* for messages: "xvda", "vif3.0" */
	char fe[128], be[128], lx[128];	/* frontend, backend, /libxl paths */
};
void lx_dev_init(struct lx_dev *d, const char *kind, uint32_t domid,
		 uint32_t backend_domid, int devid, const char *name);

/* The environment of a hotplug script, as libxl gives it: script,
 * XENBUS_TYPE, XENBUS_PATH (relative to dom0's home), XENBUS_BASE_PATH,
 * and for a vif netdev and vif (the netback interface name). Entries are
 * "KEY=VALUE" in buf; env is NULL-terminated. 0, or -1 if too small. */
#define LX_HOTPLUG_ENV_MAX 8
struct lx_hotplug_env {
	char *env[LX_HOTPLUG_ENV_MAX + 1];
	char buf[1024];
};
int lx_hotplug_env_build(const struct lx_dev *d, const char *script, const char *netdev,
			 struct lx_hotplug_env *e);

/* Writes the backend (owned by the backend domain, readable by the
 * guest), frontend (owned by the guest, readable by the backend) and
 * /libxl nodes in one transaction. EEXIST when the device is there. */
int lx_dev_write(struct lx_ctx *ctx, const struct lx_dev *d, const struct lx_nodes *back,
		 const struct lx_nodes *front, char *err, size_t errlen);
/* Waits until the state node at `path`/state is one of the states in
 * the mask (1 << state) or the node is gone (*state = -1, when gone_ok).
 * 0 with *state, or -1 (ETIMEDOUT). */
int lx_dev_wait_state(const char *path, unsigned int mask, bool gone_ok, int timeout_ms,
		      int *state);
/* Runs the backend's hotplug script with `action` ("add", "remove").
 * On failure err says which script, which device and what the script
 * wrote to hotplug-error (or how it ended). */
int lx_dev_hotplug(struct lx_ctx *ctx, const struct lx_dev *d, const char *action,
		   char *err, size_t errlen);
/* Adds a device whose nodes are written: waits for the backend's
 * InitWait, runs the hotplug script; undoes everything on failure. */
int lx_dev_connect(struct lx_ctx *ctx, const struct lx_dev *d, char *err, size_t errlen);
/* Asks the backend to close (online=0, state=Closing), waits for
 * Closed (not long when the guest is gone: force), runs the hotplug
 * script's remove and deletes the nodes. Best effort, always removes
 * the nodes; -1 with err when a step failed. */
int lx_dev_remove(struct lx_ctx *ctx, const struct lx_dev *d, bool force, char *err,
		  size_t errlen);
/* The devids of kind under /libxl/DOMID/device/KIND, ascending
 * (free()); *n = 0 and NULL when none. */
int *lx_dev_list(struct lx_ctx *ctx, uint32_t domid, const char *kind, unsigned int *n);
/* A node of the device's /libxl copy (free()), or NULL. */
char *lx_dev_read(struct lx_ctx *ctx, const char *dir, const char *key);

/* ---- vbd (lx_disk.c) ---- */
struct lx_disk_spec {
	const char *target;		/* block device or file (pdev_path) */
	const char *vdev;		/* "xvda", "hdc", "0xCA00", "d0p1" ... */
	int devid;			/* its number: libxl_devid_from_vdev() */
	const char *script;		/* NULL: "block" */
	bool readwrite, cdrom, removable, discard;
	/* The qdisk backend (xen-qdisk) serves a disk whose format is not
	 * raw ("qcow2"), or any disk when qdisk is set (backendtype=qdisk). */
	const char *format;		/* NULL or "raw": blkback */
	bool qdisk;
};
/* The backend and frontend nodes of a disk, as libxl writes them. */
int lx_disk_nodes(uint32_t domid, uint32_t backend_domid, const struct lx_disk_spec *s,
		  struct lx_nodes *back, struct lx_nodes *front, char *err, size_t errlen);
int lx_disk_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *s,
		char *err, size_t errlen);
/* Removes the disk with this virtual-device number; ENOENT when there
 * is none. */
int lx_disk_remove(struct lx_ctx *ctx, uint32_t domid, int devid, bool force,
		   char *err, size_t errlen);

/* ---- vif (lx_nic.c) ---- */
struct lx_nic_spec {
	int devid;			/* -1: the next free */
	uint8_t mac[6];			/* all zero: 00:16:3e + random */
	const char *bridge;		/* may be NULL */
	const char *script;		/* NULL: "vif-bridge" */
	const char *ip, *model, *ifname, *gatewaydev;
	uint64_t rate_bytes;
	uint32_t rate_usecs;		/* 0: no rate limit */
};
int lx_nic_nodes(uint32_t domid, uint32_t backend_domid, const struct lx_nic_spec *s,
		 int devid, struct lx_nodes *back, struct lx_nodes *front, char *err,
		 size_t errlen);
/* Adds the nic; *devid_out (may be NULL) says which devid it got. */
int lx_nic_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_nic_spec *s,
	       int *devid_out, char *err, size_t errlen);
int lx_nic_remove(struct lx_ctx *ctx, uint32_t domid, int devid, bool force, char *err,
		  size_t errlen);
/* "00:16:3e:00:00:01" into mac: 0 or -1. */
int lx_mac_parse(const char *s, uint8_t mac[6]);

/* ---- a domain's devices (lx_device.c) ---- */
/* All disks then all nics, in order, before the domain runs; on failure
 * those already added are removed again. */
int lx_devices_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_disk_spec *disks,
		   unsigned int ndisks, const struct lx_nic_spec *nics, unsigned int nnics,
		   char *err, size_t errlen);
/* Every vbd and vif of domid (the domain is being destroyed). */
void lx_devices_remove_all(struct lx_ctx *ctx, uint32_t domid);

#endif
