/* Grant tables from dom0 user space: mapping pages other domains granted
 * (gntdev, xengnttab_*) and granting our own pages (gntalloc, xengntshr_*),
 * with the API of Xen 4.17's libxengnttab. */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>

typedef struct xengntdev_handle xengnttab_handle;
typedef struct xengntshr_handle xengntshr_handle;
struct xentoollog_logger;

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
				 unsigned int open_flags);
int xengnttab_close(xengnttab_handle *xgt);
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
			      uint32_t ref, int prot);
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
		    uint32_t count);

xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger,
				 unsigned int open_flags);
int xengntshr_close(xengntshr_handle *xgs);
/* Shares `count` fresh zeroed pages with domid; fills refs[count]. */
void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count,
			    uint32_t *refs, int writable);
int xengntshr_unshare(xengntshr_handle *xgs, void *start_address,
		      uint32_t count);

#endif
