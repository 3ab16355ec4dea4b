/* Seeding a new guest's reserved grant entries (see xg_shared.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include "xg_shared.h"

#define PAGE 4096UL
#define MAP_CHUNK_PAGES 1024UL

int xg_seed_grants(xenforeignmemory_handle *fmem, uint32_t domid, uint32_t console_domid,
		   uint64_t console_frame, uint32_t store_domid, uint64_t store_frame,
		   char *err, size_t errlen)
{
	xenforeignmemory_resource_handle *res;
	struct grant_entry_v1 *gnt;
	void *addr = NULL;

	res = xenforeignmemory_map_resource(fmem, domid, XENMEM_resource_grant_table,
					    XENMEM_resource_grant_table_id_shared, 0, 1,
					    &addr, PROT_READ | PROT_WRITE, 0);
	if (!res) {
		snprintf(err, errlen, "mapping grant table frame 0 of domain %u: %s", domid,
			 strerror(errno));
		return -1;
	}
	gnt = addr;
	gnt[GNTTAB_RESERVED_CONSOLE].domid = (domid_t)console_domid;
	gnt[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)console_frame;
	if (store_domid != DOMID_INVALID) {
		gnt[GNTTAB_RESERVED_XENSTORE].domid = (domid_t)store_domid;
		gnt[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)store_frame;
	}
	/* The backend may look as soon as the flags say so. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gnt[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
	if (store_domid != DOMID_INVALID)
		gnt[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
	xenforeignmemory_unmap_resource(fmem, res);
	return 0;
}

int xg_write_frames(xenforeignmemory_handle *fmem, uint32_t domid, const uint64_t *frames,
		    size_t skip, const void *src, size_t len, char *err, size_t errlen)
{
	size_t nframes = (skip + len + PAGE - 1) / PAGE, at = 0, done = 0;

	while (at < nframes) {
		size_t n = nframes - at > MAP_CHUNK_PAGES ? MAP_CHUNK_PAGES : nframes - at;
		size_t off = at ? 0 : skip, chunk = n * PAGE - off;
		uint8_t *map = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, n,
						    frames + at, NULL);

		if (!map) {
			snprintf(err, errlen, "mapping guest frames 0x%llx+%zu: %s",
				 (unsigned long long)frames[at], n, strerror(errno));
			return -1;
		}
		if (chunk > len - done)
			chunk = len - done;
		if (src)
			memcpy(map + off, (const uint8_t *)src + done, chunk);
		else
			memset(map + off, 0, chunk);
		xenforeignmemory_unmap(fmem, map, n);
		done += chunk;
		at += n;
	}
	return 0;
}
