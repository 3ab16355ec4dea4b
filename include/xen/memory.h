/* memory_op hypercall (12). */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include <stdint.h>
#include "xen.h"

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page 2
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_machphys_mfn_list 5
#define XENMEM_populate_physmap 6
#define XENMEM_add_to_physmap 7
#define XENMEM_memory_map 9
#define XENMEM_machine_memory_map 10
#define XENMEM_exchange 11
#define XENMEM_machphys_mapping 12
#define XENMEM_set_memory_map 13
#define XENMEM_maximum_gpfn 14
#define XENMEM_remove_from_physmap 15
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_claim_pages 24
#define XENMEM_acquire_resource 28
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1U << MEMOP_EXTENT_SHIFT) - 1)

struct xen_memory_reservation {
	xen_pfn_t *extent_start;
	xen_ulong_t nr_extents;
	unsigned int extent_order;
	unsigned int mem_flags;
	domid_t domid;
};

#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5
#define XENMAPIDX_grant_table_status 0x80000000U

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;
	unsigned int space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};

/* One entry of the buffer handed to XENMEM_memory_map: packed, 20 bytes. */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct xen_memory_map {
	unsigned int nr_entries;
	void *buffer;
};

/* XENMEM_add_to_physmap_batch (Linux: add_to_physmap_range): size
 * entries, idxs[i] of space put at gpfns[i], errs[i] per entry. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	domid_t foreign_domid; /* XENMAPSPACE_gmfn_foreign only */
	uint64_t idxs; /* guest handle: xen_ulong_t[size] */
	uint64_t gpfns; /* guest handle: xen_pfn_t[size] */
	uint64_t errs; /* guest handle: int[size] */
};

/* XENMEM_acquire_resource: frames [frame, frame + nr_frames) of one of
 * a domain's resources; a translated caller names in frame_list the GFNs
 * where they are to appear.  nr_frames 0 with no frame_list asks for the
 * resource's size. */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table 1
#define XENMEM_resource_vmtrace_buf 2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;
	uint32_t id;
	uint32_t nr_frames;
	uint32_t pad;
	uint64_t frame;
	uint64_t frame_list; /* guest handle: xen_pfn_t[nr_frames] */
};

struct xen_foreign_memory_map {
	domid_t domid;
	struct xen_memory_map map;
};

_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "add_to_physmap_batch");
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource");

#endif
