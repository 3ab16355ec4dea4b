/* libxenforeignmemory over privcmd: reserve a VMA on the device, then let
 * the kernel fill it with the foreign frames (MMAPBATCH_V2). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "include/xenforeignmemory.h"
#include "linux_privcmd.h"
#include "xc_private.h"

#define FMEM_PAGE_SIZE 4096UL

struct xenforeignmemory_handle {
	int fd;		/* first: see xc_devhandle_open */
};

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned int open_flags)
{
	(void)logger;
	(void)open_flags;
	return xc_devhandle_open("/dev/xen/privcmd", sizeof(xenforeignmemory_handle));
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	return xc_devhandle_close(fmem);
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
			   int prot, size_t pages, const uint64_t arr[],
			   int err[])
{
	struct privcmd_mmapbatch_v2 batch;
	int *errs = err;
	void *addr;
	size_t i;
	int saved;

	if (pages == 0 || pages > UINT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	addr = mmap(NULL, pages * FMEM_PAGE_SIZE, prot, MAP_SHARED, fmem->fd, 0);
	if (addr == MAP_FAILED)
		return NULL;
	if (!errs) {
		errs = calloc(pages, sizeof(*errs));
		if (!errs)
			goto fail;
	}
	batch = (struct privcmd_mmapbatch_v2){
		.num = (uint32_t)pages,
		.dom = (uint16_t)dom,
		.addr = (uintptr_t)addr,
		.arr = arr,
		.err = errs,
	};
	if (ioctl(fmem->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch) < 0) {
		/* With caller-provided err[], partial failure (ENOENT) is
		 * reported per page and the mapping stands. */
		if (!(err && errno == ENOENT))
			goto fail;
	}
	if (!err) {
		for (i = 0; i < pages; i++) {
			if (errs[i]) {
				errno = -errs[i];
				goto fail;
			}
		}
		free(errs);
	}
	return addr;

fail:
	saved = errno;
	if (errs != err)
		free(errs);
	munmap(addr, pages * FMEM_PAGE_SIZE);
	errno = saved;
	return NULL;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
			   size_t pages)
{
	(void)fmem;
	return munmap(addr, pages * FMEM_PAGE_SIZE);
}

struct xenforeignmemory_resource_handle {
	void *addr;
	unsigned long nr_frames;
};

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, uint32_t domid, unsigned int type,
	unsigned int id, unsigned long frame, unsigned long nr_frames,
	void **paddr, int prot, int flags)
{
	struct privcmd_mmap_resource r;
	xenforeignmemory_resource_handle *fres;
	int saved;

	if (nr_frames == 0) {
		errno = EINVAL;
		return NULL;
	}
	fres = calloc(1, sizeof(*fres));
	if (!fres)
		return NULL;
	fres->nr_frames = nr_frames;
	fres->addr = mmap(*paddr, nr_frames * FMEM_PAGE_SIZE, prot,
			  MAP_SHARED | flags, fmem->fd, 0);
	if (fres->addr == MAP_FAILED) {
		xc_free_keep_errno(fres);
		return NULL;
	}
	r = (struct privcmd_mmap_resource){
		.dom = (uint16_t)domid,
		.type = type,
		.id = id,
		.idx = (uint32_t)frame,
		.num = nr_frames,
		.addr = (uintptr_t)fres->addr,
	};
	if (ioctl(fmem->fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r) < 0) {
		saved = errno;
		munmap(fres->addr, nr_frames * FMEM_PAGE_SIZE);
		free(fres);
		errno = saved;
		return NULL;
	}
	*paddr = fres->addr;
	return fres;
}

int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres)
{
	int rc;

	(void)fmem;
	if (!fres)
		return 0;
	rc = munmap(fres->addr, fres->nr_frames * FMEM_PAGE_SIZE);
	free(fres);
	return rc;
}
