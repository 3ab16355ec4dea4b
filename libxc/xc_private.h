/* libxenctrl internals: the handle and the hypercall-buffer plumbing. */
#ifndef XENOLITH_XC_PRIVATE_H
#define XENOLITH_XC_PRIVATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "xenctrl.h"

struct xc_interface_core {
	int privcmd_fd;
	int hcall_fd;		/* /dev/xen/hypercall, or -1: fall back to mlock */
	pthread_mutex_t lock;	/* guards the cached buffer page */
	void *cached_page;
	char last_error[256];
};

void xc_report(xc_interface *xch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The evtchn, gnttab, gntshr and foreignmemory handles: a struct of `size`
 * bytes whose first member is the fd of an open /dev/xen node. NULL with
 * errno when the node cannot be opened. */
void *xc_devhandle_open(const char *path, size_t size);
/* Closes the node and frees the handle; NULL is fine. */
int xc_devhandle_close(void *handle);

/* Hypercall buffers: memory the hypervisor may read and write while the
 * hypercall runs (never paged out or migrated). */
void *xc_hbuf_alloc(xc_interface *xch, size_t size);
/* Leaves errno alone, so that a failed call's errno outlives the cleanup. */
void xc_hbuf_free(xc_interface *xch, void *buf, size_t size);
/* free() on an error path: errno stays what the failure set. */
void xc_free_keep_errno(void *p);

/* A caller's array passed by handle: staged in a hypercall buffer (copied
 * from `in` when set), copied back to `out` after the call. size 0 stages
 * nothing and leaves buf NULL (a NULL handle). */
struct xc_bounce {
	const void *in;
	void *out;
	size_t size;
	void *buf;
};

/* Allocate b->buf and copy `in` into it; -1 with errno when out of memory. */
int xc_bounce_stage(xc_interface *xch, struct xc_bounce *b);
/* Copy the first out_len bytes (at most size) back to `out`, then free the
 * buffer; errno is kept, so this goes on every exit path. */
void xc_bounce_done(xc_interface *xch, struct xc_bounce *b, size_t out_len);

/* Issue a hypercall; returns the result, or -1 with errno on failure. */
long xc_hypercall(xc_interface *xch, unsigned int op, uint64_t a1,
		  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* Hypercalls taking a struct of `size` bytes, copied through a hypercall
 * buffer (and back when `copy_back` is set): op(ptr) and op(cmd, ptr). */
long xc_hypercall_ptr(xc_interface *xch, unsigned int op, void *arg,
		      size_t size, int copy_back);
long xc_hypercall_cmd_ptr(xc_interface *xch, unsigned int op, uint64_t cmd,
			  void *arg, size_t size, int copy_back);

/* One XEN_SYSCTL_cpupool_op with a CPU map of size bytes: op in and
 * out, the map copied to map on success (xc_sched.c). */
int xc_cpupool_op(xc_interface *xch, struct xen_sysctl_cpupool_op *op, uint8_t *map,
		  size_t size);

#endif
