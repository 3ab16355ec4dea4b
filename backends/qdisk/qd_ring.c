/* The blkif ring from the backend's side: requests are copied out of
 * the shared page before anything looks at them (the frontend may
 * change them under us), checked, carried out on the image, and
 * answered in the slot order of xen/io/ring.h. Layout (x86_64 ABI):
 * req_prod, req_event, rsp_prod, rsp_event as 32-bit indexes, 48 bytes
 * of padding, then the slots; a request is op, nr_segments, handle,
 * (pad), id, sector_number, then 11 segments of gref, first_sect,
 * last_sect (8 bytes each); a discard has nr_sectors where the segments
 * start; a response is id, op, (pad), status. */
#include <errno.h>
#include <string.h>
#include "qd.h"

#define RSP_SIZE 16u

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

void qd_req_decode(const uint8_t *s, struct qd_req *r)
{
	memset(r, 0, sizeof(*r));
	r->op = s[0];
	r->nseg = s[1];
	memcpy(&r->handle, s + 2, 2);
	r->id = ld64(s + 8);
	r->sector = ld64(s + 16);
	if (r->op == QD_OP_DISCARD) {
		r->nr_sectors = ld64(s + 24);
		r->nseg = 0;
		return;
	}
	for (int i = 0; i < QD_MAX_SEGS; i++) {
		const uint8_t *g = s + 24 + 8 * i;

		memcpy(&r->seg[i].gref, g, 4);
		r->seg[i].first = g[4];
		r->seg[i].last = g[5];
	}
}

void qd_req_encode(const struct qd_req *r, uint8_t *s)
{
	memset(s, 0, QD_SLOT_SIZE);
	s[0] = r->op;
	s[1] = r->nseg;
	memcpy(s + 2, &r->handle, 2);
	memcpy(s + 8, &r->id, 8);
	memcpy(s + 16, &r->sector, 8);
	if (r->op == QD_OP_DISCARD) {
		memcpy(s + 24, &r->nr_sectors, 8);
		return;
	}
	for (int i = 0; i < QD_MAX_SEGS; i++) {
		uint8_t *g = s + 24 + 8 * i;

		memcpy(g, &r->seg[i].gref, 4);
		g[4] = r->seg[i].first;
		g[5] = r->seg[i].last;
	}
}

/* READ or WRITE: segments are consecutive on the disk. */
static int rw(struct qd_image *img, const struct qd_req *r, const struct qd_grants *g)
{
	bool wr = r->op == QD_OP_WRITE;
	uint64_t sector = r->sector, total = 0;

	if (wr && img->readonly)
		return QD_RSP_ERROR;
	if (r->nseg == 0 || r->nseg > QD_MAX_SEGS)
		return QD_RSP_ERROR;
	for (int i = 0; i < r->nseg; i++) {
		if (r->seg[i].last >= QD_PAGE_SIZE / QD_SECTOR || r->seg[i].first > r->seg[i].last)
			return QD_RSP_ERROR;
		total += (uint64_t)(r->seg[i].last - r->seg[i].first + 1);
	}
	if (sector > img->size / QD_SECTOR || total > img->size / QD_SECTOR - sector)
		return QD_RSP_ERROR;
	for (int i = 0; i < r->nseg; i++) {
		size_t n = (size_t)(r->seg[i].last - r->seg[i].first + 1) * QD_SECTOR;
		uint8_t *page = g->map(g->ctx, r->seg[i].gref, !wr);
		int rc;

		if (!page)
			return QD_RSP_ERROR;
		if (wr)
			rc = qd_image_write(img, sector * QD_SECTOR, page + r->seg[i].first * QD_SECTOR,
					    n);
		else
			rc = qd_image_read(img, sector * QD_SECTOR, page + r->seg[i].first * QD_SECTOR,
					   n);
		g->unmap(g->ctx, page);
		if (rc < 0)
			return QD_RSP_ERROR;
		sector += n / QD_SECTOR;
	}
	return QD_RSP_OKAY;
}

int qd_req_execute(struct qd_image *img, const struct qd_req *r, const struct qd_grants *g)
{
	switch (r->op) {
	case QD_OP_READ:
	case QD_OP_WRITE:
		return rw(img, r, g);
	case QD_OP_FLUSH_DISKCACHE:
		/* Linux puts the data of a FUA write on the flush: write it,
		 * then flush. */
		if (img->readonly)
			return QD_RSP_ERROR;
		if (r->nseg) {
			struct qd_req w = *r;
			int s;

			w.op = QD_OP_WRITE;
			s = rw(img, &w, g);
			if (s != QD_RSP_OKAY)
				return s;
		}
		return qd_image_flush(img) < 0 ? QD_RSP_ERROR : QD_RSP_OKAY;
	case QD_OP_DISCARD:
		if (img->readonly || r->sector > img->size / QD_SECTOR ||
		    r->nr_sectors > img->size / QD_SECTOR - r->sector)
			return QD_RSP_ERROR;
		return qd_image_discard(img, r->sector * QD_SECTOR, r->nr_sectors * QD_SECTOR) < 0
			       ? QD_RSP_ERROR : QD_RSP_OKAY;
	default:
		return QD_RSP_EOPNOTSUPP;
	}
}

void qd_ring_init(struct qd_ring *ring, void *page)
{
	uint32_t n = (QD_PAGE_SIZE - QD_RING_HDR) / QD_SLOT_SIZE, p = 1;

	while (p * 2 <= n)
		p *= 2;
	memset(ring, 0, sizeof(*ring));
	ring->sring = page;
	ring->size = p;
}

static uint32_t load_idx(const struct qd_ring *ring, size_t off)
{
	return __atomic_load_n((const uint32_t *)(const void *)(ring->sring + off),
			       __ATOMIC_ACQUIRE);
}

static void store_idx(struct qd_ring *ring, size_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(void *)(ring->sring + off), v, __ATOMIC_RELEASE);
}

enum { REQ_PROD = 0, REQ_EVENT = 4, RSP_PROD = 8, RSP_EVENT = 12 };

unsigned int qd_ring_serve(struct qd_ring *ring, struct qd_image *img, const struct qd_grants *g,
			   bool *notify)
{
	uint32_t old = ring->rsp_prod_pvt;
	unsigned int done = 0;

	*notify = false;
	while (!ring->broken) {
		uint32_t rp = load_idx(ring, REQ_PROD);

		/* More outstanding than slots: a broken or hostile frontend. */
		if (rp - ring->req_cons > ring->size) {
			ring->broken = true;
			break;
		}
		while (ring->req_cons != rp) {
			/* No more requests than free response slots. */
			if (ring->req_cons - ring->rsp_prod_pvt >= ring->size)
				break;
			uint8_t slot[QD_SLOT_SIZE], *s, *rsp;
			struct qd_req r;
			int16_t status;

			s = ring->sring + QD_RING_HDR + (ring->req_cons & (ring->size - 1)) * QD_SLOT_SIZE;
			memcpy(slot, s, sizeof(slot));
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			ring->req_cons++;
			qd_req_decode(slot, &r);
			status = (int16_t)qd_req_execute(img, &r, g);
			rsp = ring->sring + QD_RING_HDR +
			      (ring->rsp_prod_pvt & (ring->size - 1)) * QD_SLOT_SIZE;
			memset(rsp, 0, RSP_SIZE);
			memcpy(rsp, &r.id, 8);
			rsp[8] = r.op;
			memcpy(rsp + 10, &status, 2);
			ring->rsp_prod_pvt++;
			done++;
		}
		/* Ask for an event for the next request, then look again so
		 * none posted meanwhile is missed. */
		store_idx(ring, REQ_EVENT, ring->req_cons + 1);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (load_idx(ring, REQ_PROD) == ring->req_cons)
			break;
	}
	if (ring->rsp_prod_pvt != old) {
		uint32_t ev;

		__atomic_thread_fence(__ATOMIC_RELEASE);
		store_idx(ring, RSP_PROD, ring->rsp_prod_pvt);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ev = load_idx(ring, RSP_EVENT);
		*notify = (uint32_t)(ring->rsp_prod_pvt - ev) < (uint32_t)(ring->rsp_prod_pvt - old);
	}
	return done;
}
