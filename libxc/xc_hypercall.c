/* Hypercalls through privcmd, with arguments in hypercall buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "linux_privcmd.h"
#include "xc_private.h"

static size_t round_pages(size_t size)
{
	return (size + XC_PAGE_SIZE - 1) & ~(XC_PAGE_SIZE - 1);
}

void *xc_hbuf_alloc(xc_interface *xch, size_t size)
{
	void *p;

	size = round_pages(size);
	if (size == XC_PAGE_SIZE) {
		pthread_mutex_lock(&xch->lock);
		p = xch->cached_page;
		xch->cached_page = NULL;
		pthread_mutex_unlock(&xch->lock);
		if (p)
			return p;
	}
	if (xch->hcall_fd >= 0) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 xch->hcall_fd, 0);
		if (p == MAP_FAILED) {
			xc_report(xch, "hypercall buffer of %zu bytes: %s", size,
				  strerror(errno));
			return NULL;
		}
		return p;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (p == MAP_FAILED) {
		xc_report(xch, "locked buffer of %zu bytes: %s", size,
			  strerror(errno));
		return NULL;
	}
	return p;
}

void xc_hbuf_free(xc_interface *xch, void *buf, size_t size)
{
	int saved = errno;

	if (!buf)
		return;
	size = round_pages(size);
	if (size == XC_PAGE_SIZE) {
		pthread_mutex_lock(&xch->lock);
		if (!xch->cached_page) {
			memset(buf, 0, size);
			xch->cached_page = buf;
			buf = NULL;
		}
		pthread_mutex_unlock(&xch->lock);
		if (!buf)
			return;
	}
	munmap(buf, size);
	errno = saved;
}

void xc_free_keep_errno(void *p)
{
	int saved = errno;

	free(p);
	errno = saved;
}

int xc_bounce_stage(xc_interface *xch, struct xc_bounce *b)
{
	b->buf = NULL;
	if (!b->size)
		return 0;
	b->buf = xc_hbuf_alloc(xch, b->size);
	if (!b->buf)
		return -1;
	if (b->in)
		memcpy(b->buf, b->in, b->size);
	return 0;
}

void xc_bounce_done(xc_interface *xch, struct xc_bounce *b, size_t out_len)
{
	if (!b->buf)
		return;
	if (b->out && out_len)
		memcpy(b->out, b->buf, out_len < b->size ? out_len : b->size);
	xc_hbuf_free(xch, b->buf, b->size);
	b->buf = NULL;
}

long xc_hypercall(xc_interface *xch, unsigned int op, uint64_t a1,
		  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct privcmd_hypercall call = {
		.op = op,
		.arg = { a1, a2, a3, a4, a5 },
	};

	return ioctl(xch->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &call);
}

/* The struct goes in the last argument: alone for domctl/sysctl, after a
 * command number for xen_version and friends. */
static long hypercall_struct(xc_interface *xch, unsigned int op, int with_cmd,
			     uint64_t cmd, void *arg, size_t size, int copy_back)
{
	void *buf;
	long rc;

	buf = xc_hbuf_alloc(xch, size);
	if (!buf)
		return -1;
	memcpy(buf, arg, size);
	if (with_cmd)
		rc = xc_hypercall(xch, op, cmd, (uintptr_t)buf, 0, 0, 0);
	else
		rc = xc_hypercall(xch, op, (uintptr_t)buf, 0, 0, 0, 0);
	if (rc >= 0 && copy_back)
		memcpy(arg, buf, size);
	xc_hbuf_free(xch, buf, size);
	return rc;
}

long xc_hypercall_ptr(xc_interface *xch, unsigned int op, void *arg,
		      size_t size, int copy_back)
{
	return hypercall_struct(xch, op, 0, 0, arg, size, copy_back);
}

long xc_hypercall_cmd_ptr(xc_interface *xch, unsigned int op, uint64_t cmd,
			  void *arg, size_t size, int copy_back)
{
	return hypercall_struct(xch, op, 1, cmd, arg, size, copy_back);
}
