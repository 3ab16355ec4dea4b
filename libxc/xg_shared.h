/* What both domain builders share. */
#ifndef XENOLITH_XG_SHARED_H
#define XENOLITH_XG_SHARED_H

#include <stddef.h>
#include <stdint.h>
#include "include/xenforeignmemory.h"

/* Grant refs 0 and 1 let the console and xenstore backends map the rings
 * by grant before the guest has run.  Frames are what the guest's grant
 * entries name: pfns for PVH, machine frames for PV.  store_domid
 * DOMID_INVALID: no xenstore entry. */
int xg_seed_grants(xenforeignmemory_handle *fmem, uint32_t domid, uint32_t console_domid,
		   uint64_t console_frame, uint32_t store_domid, uint64_t store_frame,
		   char *err, size_t errlen);

/* Copies len bytes (zeros when src is NULL) into the guest's frames
 * frames[0], frames[1], ... starting skip bytes into frames[0] (pfns for
 * PVH, machine frames for PV), mapping a few MiB at a time. */
int xg_write_frames(xenforeignmemory_handle *fmem, uint32_t domid, const uint64_t *frames,
		    size_t skip, const void *src, size_t len, char *err, size_t errlen);

#endif
