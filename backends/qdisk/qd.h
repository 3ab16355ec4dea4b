/* xen-qdisk: a user-space block backend for the vbd frontends of Xen
 * guests, for what dom0's blkback cannot serve (qcow2 images, disks
 * given with backendtype=qdisk). One process serves one device: it
 * follows its backend directory in xenstore (the XenbusState
 * handshake), maps the frontend's ring through gntdev, waits on its
 * event channel and answers READ, WRITE, FLUSH_DISKCACHE and DISCARD
 * against a raw or qcow2 image. It exits, leaving no nodes or mappings,
 * when its device is removed or its guest is gone.
 *
 * The layers, each usable on its own (the host tests use the first
 * three without Xen):
 *   qd_image  raw and qcow2 images (qd_qcow2.c: the qcow2 format)
 *   qd_ring   the blkif shared ring and request execution
 *   qd_xen    xenstore, grant mapping and event channel (the daemon)
 * Errors: -errno returns, with a message naming the file and the field
 * where a caller passes err/errlen. */
#ifndef XENOLITH_QD_H
#define XENOLITH_QD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- images (qd_image.c, qd_qcow2.c) ---- */
enum qd_format { QD_FMT_RAW, QD_FMT_QCOW2 };

struct qd_qcow2;

struct qd_image {
	int fd;
	bool readonly;
	enum qd_format fmt;
	uint64_t size;			/* guest-visible bytes */
	struct qd_qcow2 *q;		/* QD_FMT_QCOW2 */
	char name[256];			/* for messages */
};

/* "raw"/"aio" or "qcow2" from the part before ':' in the backend's
 * params node: 0, or -EINVAL with err saying which formats exist. */
int qd_format_parse(const char *s, enum qd_format *fmt, char *err, size_t errlen);
/* All of len bytes at off of an open file (read, or write when wr), or
 * -errno; a file that ends first is -EIO (callers check ranges). */
int qd_file_io(int fd, bool wr, uint64_t off, void *buf, size_t len);
/* Opens path (O_RDONLY when readonly). 0 or -errno with err. */
int qd_image_open(struct qd_image *img, const char *path, enum qd_format fmt, bool readonly,
		  char *err, size_t errlen);
/* The same on an open fd (not closed on failure; closed by
 * qd_image_close otherwise). name is for messages. */
int qd_image_open_fd(struct qd_image *img, int fd, const char *name, enum qd_format fmt,
		     bool readonly, char *err, size_t errlen);
/* Guest byte ranges inside [0, size): 0 or -errno (-EROFS on a
 * read-only image, -EINVAL out of range, -EIO on a corrupt image). */
int qd_image_read(struct qd_image *img, uint64_t off, void *buf, size_t len);
int qd_image_write(struct qd_image *img, uint64_t off, const void *buf, size_t len);
int qd_image_flush(struct qd_image *img);
/* A hint: raw files get a hole; qcow2 clusters stay as they are. */
int qd_image_discard(struct qd_image *img, uint64_t off, uint64_t len);
void qd_image_close(struct qd_image *img);

/* qcow2 proper (qd_qcow2.c). Versions 2 and 3, any cluster size,
 * refcounts of 8 to 64 bits; refused with a message naming the file and
 * the feature: encryption, backing files, compressed clusters, external
 * data files, extended L2 entries, internal snapshots (read-write),
 * dirty or corrupt images. */
int qd_qcow2_open(struct qd_qcow2 **out, int fd, const char *name, bool readonly,
		  uint64_t *size, char *err, size_t errlen);
int qd_qcow2_read(struct qd_qcow2 *q, uint64_t off, void *buf, size_t len);
int qd_qcow2_write(struct qd_qcow2 *q, uint64_t off, const void *buf, size_t len);
void qd_qcow2_close(struct qd_qcow2 *q);
/* Makes fd an empty qcow2 v3 image of size bytes (a multiple of 512)
 * with 1 << cluster_bits byte clusters and 16-bit refcounts. */
int qd_qcow2_create(int fd, const char *name, uint64_t size, unsigned int cluster_bits,
		    char *err, size_t errlen);

/* ---- the blkif ring (qd_ring.c), facts from xen/io/blkif.h ---- */
enum {
	QD_OP_READ = 0, QD_OP_WRITE = 1, QD_OP_WRITE_BARRIER = 2, QD_OP_FLUSH_DISKCACHE = 3,
	QD_OP_DISCARD = 5, QD_OP_INDIRECT = 6,
};
enum { QD_RSP_OKAY = 0, QD_RSP_ERROR = -1, QD_RSP_EOPNOTSUPP = -2 };
/* info node bits */
enum { QD_VDISK_CDROM = 1, QD_VDISK_REMOVABLE = 2, QD_VDISK_READONLY = 4 };

#define QD_PAGE_SIZE 4096u
#define QD_SECTOR 512u
#define QD_MAX_SEGS 11
/* x86_64 ABI: 64-byte ring header, 112-byte request/response slots. */
#define QD_RING_HDR 64u
#define QD_SLOT_SIZE 112u

struct qd_req {
	uint8_t op, nseg;
	uint16_t handle;
	uint64_t id, sector;
	uint64_t nr_sectors;		/* DISCARD */
	struct {
		uint32_t gref;
		uint8_t first, last;	/* sectors within the page, 0..7 */
	} seg[QD_MAX_SEGS];
};

/* Turns grant references into our addresses; the daemon maps them
 * through gntdev, the host tests through their own pages. `into` is
 * true when we write into the page (a READ). NULL with errno. */
struct qd_grants {
	void *(*map)(void *ctx, uint32_t gref, bool into);
	void (*unmap)(void *ctx, void *addr);
	void *ctx;
};

/* Decodes ring slot bytes (copied out of shared memory first). */
void qd_req_decode(const uint8_t *slot, struct qd_req *r);
void qd_req_encode(const struct qd_req *r, uint8_t *slot);
/* Carries one request out: a QD_RSP_* status. A write, flush or
 * discard on a read-only disk answers QD_RSP_ERROR. */
int qd_req_execute(struct qd_image *img, const struct qd_req *r, const struct qd_grants *g);

/* One single-page ring, seen from the backend. */
struct qd_ring {
	uint8_t *sring;			/* the shared page */
	uint32_t size;			/* slots: a power of two */
	uint32_t req_cons, rsp_prod_pvt;
	bool broken;			/* the frontend's indexes made no sense */
};
void qd_ring_init(struct qd_ring *ring, void *page);
/* Serves every request the frontend posted (until none is left after
 * re-arming req_event). Returns how many; *notify says whether the
 * frontend wants an event for the responses. */
unsigned int qd_ring_serve(struct qd_ring *ring, struct qd_image *img, const struct qd_grants *g,
			   bool *notify);

/* ---- the daemon (qd_xen.c) ---- */
/* Serves the device whose backend directory is be_path until it goes;
 * 0 when it ended cleanly. */
int qd_xen_serve(const char *be_path);

#endif
