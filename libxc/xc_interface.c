/* Opening and closing a control handle, and the device handles of
 * libxenevtchn, libxengnttab and libxenforeignmemory. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xc_private.h"

void xc_report(xc_interface *xch, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(xch->last_error, sizeof(xch->last_error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xc: error: %s\n", xch->last_error);
	errno = saved;
}

const char *xc_last_error(xc_interface *xch)
{
	return xch->last_error;
}

void *xc_devhandle_open(const char *path, size_t size)
{
	int *fd = malloc(size);

	if (!fd)
		return NULL;
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		xc_free_keep_errno(fd);
		return NULL;
	}
	return fd;
}

int xc_devhandle_close(void *handle)
{
	int *fd = handle;

	if (!fd)
		return 0;
	close(*fd);
	free(fd);
	return 0;
}

xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned int open_flags)
{
	xc_interface *xch;
	int saved;

	(void)logger;
	(void)dombuild_logger;
	(void)open_flags;
	xch = calloc(1, sizeof(*xch));
	if (!xch)
		return NULL;
	xch->hcall_fd = -1;
	pthread_mutex_init(&xch->lock, NULL);
	xch->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (xch->privcmd_fd < 0) {
		saved = errno;
		fprintf(stderr,
			"xc: error: cannot open /dev/xen/privcmd: %s "
			"(is this a Xen dom0 with the xen-privcmd module loaded?)\n",
			strerror(saved));
		pthread_mutex_destroy(&xch->lock);
		free(xch);
		errno = saved;
		return NULL;
	}
	/* Older kernels lack the hypercall buffer device; mlock'd memory is
	 * the fallback they expect. */
	xch->hcall_fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	return xch;
}

int xc_interface_close(xc_interface *xch)
{
	if (!xch)
		return 0;
	if (xch->cached_page)
		xc_hbuf_free(xch, xch->cached_page, XC_PAGE_SIZE);
	if (xch->hcall_fd >= 0)
		close(xch->hcall_fd);
	close(xch->privcmd_fd);
	pthread_mutex_destroy(&xch->lock);
	free(xch);
	return 0;
}
