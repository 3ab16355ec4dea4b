/* libxengnttab: gntdev maps others' grants, gntalloc grants our pages.
 * Both hand back an mmap offset ("index") for the pages they set up. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "include/xengnttab.h"
#include "linux_xendev.h"
#include "xc_private.h"

#define GNT_PAGE_SIZE 4096UL

struct xengntdev_handle {
	int fd;		/* first: see xc_devhandle_open */
};

struct xengntshr_handle {
	int fd;		/* first: see xc_devhandle_open */
};

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
				 unsigned int open_flags)
{
	(void)logger;
	(void)open_flags;
	return xc_devhandle_open("/dev/xen/gntdev", sizeof(xengnttab_handle));
}

int xengnttab_close(xengnttab_handle *xgt)
{
	return xc_devhandle_close(xgt);
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
			      uint32_t ref, int prot)
{
	struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
	struct ioctl_gntdev_unmap_grant_ref unmap;
	void *addr;
	int saved;

	map.refs[0].domid = domid;
	map.refs[0].ref = ref;
	if (ioctl(xgt->fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
		return NULL;
	addr = mmap(NULL, GNT_PAGE_SIZE, prot, MAP_SHARED, xgt->fd,
		    (off_t)map.index);
	if (addr == MAP_FAILED) {
		saved = errno;
		unmap = (struct ioctl_gntdev_unmap_grant_ref){
			.index = map.index, .count = 1,
		};
		ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
		errno = saved;
		return NULL;
	}
	return addr;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
		    uint32_t count)
{
	struct ioctl_gntdev_get_offset_for_vaddr off = {
		.vaddr = (uintptr_t)start_address,
	};
	struct ioctl_gntdev_unmap_grant_ref unmap;

	if (ioctl(xgt->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &off) < 0)
		return -1;
	if (off.count != count) {
		errno = EINVAL;
		return -1;
	}
	if (munmap(start_address, count * GNT_PAGE_SIZE) < 0)
		return -1;
	unmap = (struct ioctl_gntdev_unmap_grant_ref){
		.index = off.offset, .count = count,
	};
	return ioctl(xgt->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
}

xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger,
				 unsigned int open_flags)
{
	(void)logger;
	(void)open_flags;
	return xc_devhandle_open("/dev/xen/gntalloc", sizeof(xengntshr_handle));
}

int xengntshr_close(xengntshr_handle *xgs)
{
	return xc_devhandle_close(xgs);
}

void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count,
			    uint32_t *refs, int writable)
{
	struct ioctl_gntalloc_alloc_gref *req;
	struct ioctl_gntalloc_dealloc_gref dealloc;
	size_t size;
	void *addr = NULL;
	int saved;

	if (count <= 0) {
		errno = EINVAL;
		return NULL;
	}
	size = sizeof(*req) + (size_t)(count - 1) * sizeof(req->gref_ids[0]);
	req = calloc(1, size);
	if (!req)
		return NULL;
	req->domid = (uint16_t)domid;
	req->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
	req->count = (uint32_t)count;
	if (ioctl(xgs->fd, IOCTL_GNTALLOC_ALLOC_GREF, req) < 0)
		goto out;
	addr = mmap(NULL, (size_t)count * GNT_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, xgs->fd, (off_t)req->index);
	if (addr == MAP_FAILED) {
		saved = errno;
		dealloc = (struct ioctl_gntalloc_dealloc_gref){
			.index = req->index, .count = (uint32_t)count,
		};
		ioctl(xgs->fd, IOCTL_GNTALLOC_DEALLOC_GREF, &dealloc);
		errno = saved;
		addr = NULL;
		goto out;
	}
	/* Dealloc now: gntalloc then frees the grants when the mapping goes,
	 * so unshare is a plain munmap and a crashed caller leaks nothing. */
	dealloc = (struct ioctl_gntalloc_dealloc_gref){
		.index = req->index, .count = (uint32_t)count,
	};
	ioctl(xgs->fd, IOCTL_GNTALLOC_DEALLOC_GREF, &dealloc);
	memcpy(refs, req->gref_ids, (size_t)count * sizeof(*refs));
out:
	xc_free_keep_errno(req);
	return addr;
}

int xengntshr_unshare(xengntshr_handle *xgs, void *start_address,
		      uint32_t count)
{
	(void)xgs;
	return munmap(start_address, count * GNT_PAGE_SIZE);
}
