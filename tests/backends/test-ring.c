/* xen-qdisk's blkif ring and request execution on the host: a frontend
 * built here posts requests into a shared page laid out as in
 * xen/io/blkif.h; its "grants" are pages of this process (gntdev needs
 * Xen; everything after the mapping is the daemon's code). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "qd.h"

#define NPAGES 16
static uint8_t pages[NPAGES][QD_PAGE_SIZE] __attribute__((aligned(4096)));
static unsigned int maps, unmaps;

static void *fake_map(void *ctx, uint32_t gref, bool into)
{
	(void)ctx;
	(void)into;
	if (gref >= NPAGES) {
		errno = EINVAL;
		return NULL;
	}
	maps++;
	return pages[gref];
}

static void fake_unmap(void *ctx, void *addr)
{
	(void)ctx;
	(void)addr;
	unmaps++;
}

static const struct qd_grants grants = { fake_map, fake_unmap, NULL };
static uint8_t sring[QD_PAGE_SIZE] __attribute__((aligned(4096)));
static uint32_t req_prod;

static uint32_t idx(size_t off)
{
	uint32_t v;

	memcpy(&v, sring + off, 4);
	return v;
}

static void set_idx(size_t off, uint32_t v)
{
	memcpy(sring + off, &v, 4);
}

static void post(const struct qd_req *r, uint32_t size)
{
	qd_req_encode(r, sring + QD_RING_HDR + (req_prod & (size - 1)) * QD_SLOT_SIZE);
	req_prod++;
	set_idx(0, req_prod);
}

/* The response in slot i: its id and status. */
static int16_t rsp(uint32_t i, uint32_t size, uint64_t *id)
{
	const uint8_t *s = sring + QD_RING_HDR + (i & (size - 1)) * QD_SLOT_SIZE;
	int16_t st;

	memcpy(id, s, 8);
	memcpy(&st, s + 10, 2);
	return st;
}

static struct qd_req rwreq(uint8_t op, uint64_t id, uint64_t sector, uint8_t nseg)
{
	struct qd_req r = { .op = op, .id = id, .sector = sector, .nseg = nseg };

	for (int i = 0; i < nseg; i++) {
		r.seg[i].gref = (uint32_t)i;
		r.seg[i].first = 0;
		r.seg[i].last = 7;
	}
	return r;
}

/* Posts one request, serves the ring, returns its status. */
static int16_t one(struct qd_ring *ring, struct qd_image *img, const struct qd_req *r)
{
	uint64_t id;
	bool notify;
	uint32_t before = ring->rsp_prod_pvt;
	int16_t st;

	post(r, ring->size);
	if (qd_ring_serve(ring, img, &grants, &notify) != 1 || idx(8) != before + 1)
		return 99;
	st = rsp(before, ring->size, &id);
	return id == r->id ? st : 98;
}

int main(void)
{
	char path[] = "/tmp/test-ring-XXXXXX", err[256];
	struct qd_image img, ro;
	struct qd_ring ring;
	struct qd_req r;
	bool notify;
	int fd = mkstemp(path);

	if (fd < 0 || ftruncate(fd, 1 << 20) < 0) {
		printf("Bail out! temp file\n");
		return 1;
	}
	close(fd);
	CHECK(qd_image_open(&img, path, QD_FMT_RAW, false, err, sizeof(err)) == 0, "open raw rw");
	CHECK(qd_image_open(&ro, path, QD_FMT_RAW, true, err, sizeof(err)) == 0, "open raw ro");
	qd_ring_init(&ring, sring);
	CHECK(ring.size == 32, "a one-page x86_64 blkif ring has 32 slots (%u)", ring.size);
	set_idx(12, 1);	/* rsp_event: the frontend wants the first response */

	for (int i = 0; i < 3; i++)
		memset(pages[i], 0x41 + i, QD_PAGE_SIZE);
	r = rwreq(QD_OP_WRITE, 7, 16, 3);
	CHECK(one(&ring, &img, &r) == QD_RSP_OKAY, "write of 3 segments at sector 16");
	CHECK(maps == 3 && unmaps == 3, "every mapped segment unmapped (%u/%u)", maps, unmaps);
	memset(pages, 0, sizeof(pages));
	r = rwreq(QD_OP_READ, 8, 24, 1);
	r.seg[0].first = 2;
	r.seg[0].last = 3;
	CHECK(one(&ring, &img, &r) == QD_RSP_OKAY && pages[0][1023] == 0 &&
	      pages[0][1024] == 0x42 && pages[0][2047] == 0x42 && pages[0][2048] == 0,
	      "partial-page read lands at first_sect and reads the second segment's data");
	r = rwreq(QD_OP_WRITE, 9, 0, 1);
	CHECK(one(&ring, &ro, &r) == QD_RSP_ERROR, "write to a read-only disk: BLKIF_RSP_ERROR");
	r = (struct qd_req){ .op = QD_OP_FLUSH_DISKCACHE, .id = 10 };
	CHECK(one(&ring, &ro, &r) == QD_RSP_ERROR, "flush on a read-only disk: BLKIF_RSP_ERROR");
	CHECK(one(&ring, &img, &r) == QD_RSP_OKAY, "flush on a writable disk");
	r = (struct qd_req){ .op = QD_OP_DISCARD, .id = 11, .sector = 16, .nr_sectors = 8 };
	CHECK(one(&ring, &ro, &r) == QD_RSP_ERROR, "discard on a read-only disk refused");
	CHECK(one(&ring, &img, &r) == QD_RSP_OKAY, "discard");
	r = rwreq(QD_OP_READ, 12, (1 << 20) / 512 - 7, 1);
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "read past the end: error");
	r = rwreq(QD_OP_READ, 13, 0, 1);
	r.seg[0].first = 5;
	r.seg[0].last = 4;
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "first_sect after last_sect: error");
	r.seg[0].first = 0;
	r.seg[0].last = 8;
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "last_sect beyond the page: error");
	r = rwreq(QD_OP_READ, 14, 0, 0);
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "no segments: error");
	r = rwreq(QD_OP_READ, 15, 0, 1);
	r.nseg = 12;
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "12 segments: error");
	r = rwreq(QD_OP_READ, 16, 0, 1);
	r.seg[0].gref = 999;
	CHECK(one(&ring, &img, &r) == QD_RSP_ERROR, "unmappable grant: error");
	r = rwreq(QD_OP_INDIRECT, 17, 0, 1);
	CHECK(one(&ring, &img, &r) == QD_RSP_EOPNOTSUPP, "indirect (not offered): EOPNOTSUPP");
	r = rwreq(QD_OP_WRITE_BARRIER, 18, 0, 1);
	CHECK(one(&ring, &img, &r) == QD_RSP_EOPNOTSUPP, "barrier (not offered): EOPNOTSUPP");

	/* A batch wrapping around the ring, one notification decision. */
	{
		uint32_t first = ring.rsp_prod_pvt, n;
		uint64_t id;
		bool ids_ok = true;

		set_idx(12, first + 1);
		for (int i = 0; i < 20; i++) {
			r = rwreq(QD_OP_READ, 100 + (uint64_t)i, (uint64_t)i * 8, 1);
			post(&r, ring.size);
		}
		n = qd_ring_serve(&ring, &img, &grants, &notify);
		for (uint32_t i = 0; i < 20; i++)
			ids_ok &= rsp(first + i, ring.size, &id) == QD_RSP_OKAY && id == 100 + i;
		CHECK(n == 20 && idx(8) == first + 20 && ids_ok && notify,
		      "20 requests across the ring's end answered in order, frontend notified");
		CHECK(idx(4) == ring.req_cons + 1, "req_event re-armed for the next request");
		CHECK(qd_ring_serve(&ring, &img, &grants, &notify) == 0 && !notify,
		      "nothing new: no responses, no notification");
	}
	/* The frontend claims more requests than the ring has slots. */
	set_idx(0, ring.req_cons + 33);
	qd_ring_serve(&ring, &img, &grants, &notify);
	CHECK(ring.broken, "req_prod more than a ring ahead: the ring is marked broken");

	qd_image_close(&img);
	qd_image_close(&ro);
	unlink(path);
	return check_done();
}
