/* Mapping another domain's memory into dom0 user space (privcmd), with the
 * API of Xen 4.17's libxenforeignmemory. */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>

typedef struct xenforeignmemory_handle xenforeignmemory_handle;
struct xentoollog_logger;

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned int open_flags);
int xenforeignmemory_close(xenforeignmemory_handle *fmem);
/* Maps `pages` frames of domain `dom` (guest frame numbers in arr).
 * With err non-NULL, per-page errors (-errno) are stored there and the
 * mapping succeeds as a whole; with err NULL any failed page fails it. */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
			   int prot, size_t pages, const uint64_t arr[],
			   int err[]);
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
			   size_t pages);

/* Resources a domain owns that are not in its physmap (grant table
 * frames, ioreq pages): type/id/frame as in XENMEM_acquire_resource. */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table 1
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1

typedef struct xenforeignmemory_resource_handle xenforeignmemory_resource_handle;

xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, uint32_t domid, unsigned int type,
	unsigned int id, unsigned long frame, unsigned long nr_frames,
	void **paddr, int prot, int flags);
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres);

#endif
