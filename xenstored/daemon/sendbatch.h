/*
 * Batched socket sends through io_uring: every reply of a round of the
 * event loop leaves in one system call.  With one send() per reply the
 * client each one wakes preempts the daemon on return from that send, so
 * the replies behind it wait and the daemon pays a context switch per
 * reply; submitted together, all are sent (and all clients woken) before
 * the daemon can be preempted once.  Sends carry MSG_DONTWAIT, so a full
 * socket completes at once with -EAGAIN (the loop then polls for
 * EPOLLOUT) and running a batch never blocks.  Where io_uring is not
 * available (old kernel, disabled by sysctl, seccomp) init fails and the
 * caller keeps using send().
 */
#ifndef XENOLITH_XSD_SENDBATCH_H
#define XENOLITH_XSD_SENDBATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct io_uring_sqe;
struct io_uring_cqe;

struct sendbatch {
	int fd;                         /* the ring, -1: none */
	unsigned int queued, cap;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq_map, *cq_map;
	size_t sq_len, cq_len, sqes_len;
};

int sendbatch_init(struct sendbatch *b, unsigned int entries);
void sendbatch_fini(struct sendbatch *b);
/* Queue a send of len bytes at buf on socket fd; false when full. */
bool sendbatch_add(struct sendbatch *b, int fd, const void *buf, size_t len,
		   uint64_t tag);
/* Send all queued; done(arg, tag, bytes sent or -errno) for each one that
 * completed.  Returns how many completed, or -errno if the ring failed (it
 * is then closed: the caller sends what did not complete itself). */
int sendbatch_run(struct sendbatch *b,
		  void (*done)(void *arg, uint64_t tag, int res), void *arg);

#endif
