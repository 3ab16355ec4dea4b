/* Batched socket sends through io_uring (see sendbatch.h). */
#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sendbatch.h"

static void *ring_at(void *base, uint32_t off)
{
	return (char *)base + off;
}

void sendbatch_fini(struct sendbatch *b)
{
	if (b->sqes)
		munmap(b->sqes, b->sqes_len);
	if (b->cq_map && b->cq_map != b->sq_map)
		munmap(b->cq_map, b->cq_len);
	if (b->sq_map)
		munmap(b->sq_map, b->sq_len);
	if (b->fd >= 0)
		close(b->fd);
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

static void *map_ring(int fd, size_t len, off_t what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, fd, what);

	return p == MAP_FAILED ? NULL : p;
}

int sendbatch_init(struct sendbatch *b, unsigned int entries)
{
	struct io_uring_params p;
	int err;

	memset(b, 0, sizeof(*b));
	memset(&p, 0, sizeof(p));
	b->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (b->fd < 0) {
		err = -errno;
		b->fd = -1;
		return err;
	}
	b->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	b->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (b->cq_len > b->sq_len)
			b->sq_len = b->cq_len;
		b->cq_len = b->sq_len;
	}
	b->sq_map = map_ring(b->fd, b->sq_len, IORING_OFF_SQ_RING);
	if (!b->sq_map)
		goto fail;
	b->cq_map = p.features & IORING_FEAT_SINGLE_MMAP ? b->sq_map :
		map_ring(b->fd, b->cq_len, IORING_OFF_CQ_RING);
	if (!b->cq_map)
		goto fail;
	b->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	b->sqes = map_ring(b->fd, b->sqes_len, IORING_OFF_SQES);
	if (!b->sqes)
		goto fail;
	b->sq_tail = ring_at(b->sq_map, p.sq_off.tail);
	b->sq_mask = ring_at(b->sq_map, p.sq_off.ring_mask);
	b->sq_array = ring_at(b->sq_map, p.sq_off.array);
	b->cq_head = ring_at(b->cq_map, p.cq_off.head);
	b->cq_tail = ring_at(b->cq_map, p.cq_off.tail);
	b->cq_mask = ring_at(b->cq_map, p.cq_off.ring_mask);
	b->cqes = ring_at(b->cq_map, p.cq_off.cqes);
	/* Completions of one batch must all fit in the CQ ring. */
	b->cap = p.sq_entries < p.cq_entries ? p.sq_entries : p.cq_entries;
	return 0;
fail:
	err = -errno;
	sendbatch_fini(b);
	return err ? err : -ENOMEM;
}

bool sendbatch_add(struct sendbatch *b, int fd, const void *buf, size_t len,
		   uint64_t tag)
{
	unsigned int tail, idx;
	struct io_uring_sqe *sqe;

	if (b->fd < 0 || b->queued >= b->cap || len > UINT32_MAX)
		return false;
	tail = *b->sq_tail; /* only we write it */
	idx = tail & *b->sq_mask;
	sqe = &b->sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SEND;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)buf;
	sqe->len = (uint32_t)len;
	sqe->msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
	sqe->user_data = tag;
	b->sq_array[idx] = idx;
	/* The entry is complete before the kernel can see it. */
	__atomic_store_n(b->sq_tail, tail + 1, __ATOMIC_RELEASE);
	b->queued++;
	return true;
}

static int reap(struct sendbatch *b,
		void (*done)(void *arg, uint64_t tag, int res), void *arg)
{
	unsigned int head = *b->cq_head;
	unsigned int tail = __atomic_load_n(b->cq_tail, __ATOMIC_ACQUIRE);
	int n = 0;

	for (; head != tail; head++, n++) {
		const struct io_uring_cqe *c = &b->cqes[head & *b->cq_mask];

		done(arg, c->user_data, c->res);
	}
	__atomic_store_n(b->cq_head, head, __ATOMIC_RELEASE);
	return n;
}

int sendbatch_run(struct sendbatch *b,
		  void (*done)(void *arg, uint64_t tag, int res), void *arg)
{
	unsigned int n = b->queued;
	long ret;
	int got;

	if (!n)
		return 0;
	b->queued = 0;
	/* NOWAIT sends complete during submission: waiting for all of them
	 * returns at once. */
	ret = syscall(__NR_io_uring_enter, b->fd, n, n,
		      IORING_ENTER_GETEVENTS, NULL, 0);
	got = reap(b, done, arg);
	if (ret != (long)n || got != (int)n) {
		/* Not all taken or not all done: entries could be left
		 * in the ring, so stop using it. */
		int err = ret < 0 ? (int)-errno : -EIO;

		sendbatch_fini(b);
		return err;
	}
	return got;
}
