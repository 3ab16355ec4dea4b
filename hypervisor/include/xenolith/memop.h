/* memory_op, split by job: memory.c (own map), memory_reservation.c,
 * foreign.c (mappings of other domains' pages). */
#ifndef XENOLITH_MEMOP_H
#define XENOLITH_MEMOP_H

#include <xenolith/domain.h>
#include <xen/xen.h>

/* The domain a memory op names (DOMID_SELF or, for the control domain,
 * any); NULL with *rc = -XEN_ESRCH or -XEN_EPERM. */
struct domain *memop_target(struct vcpu *v, domid_t domid, long *rc);

/* Claims (memory_claim.c): XENMEM_claim_pages; may d get nr pages now
 * without eating into another domain's claim; d got nr pages; d's claim
 * given up (destroy); all pages claimed and not yet allocated. */
long memop_claim_pages(struct vcpu *v, uint64_t arg);
bool claim_room(const struct domain *d, uint64_t nr);
void claim_consume(struct domain *d, uint64_t nr);
void claim_cancel(struct domain *d);
uint64_t claim_outstanding(void);

/* Free d's GFN for a new mapping: RAM there is given up (as Xen does),
 * a mapping is dropped, a special page (shared_info, grant frame)
 * refuses with -XEN_EBUSY. */
int memop_free_slot(struct domain *d, uint64_t gfn);

long memop_add_to_physmap_batch(struct vcpu *v, uint64_t arg);
long memop_remove_from_physmap(struct vcpu *v, uint64_t arg);
long memop_acquire_resource(struct vcpu *v, uint64_t arg);
/* populate_physmap / decrease_reservation; returns extents done. */
long memop_reservation(struct vcpu *v, unsigned int op, uint64_t arg);

/* GNTTABOP_map_grant_ref / unmap_grant_ref (gnttab_map.c). */
long gnttab_map_op(struct vcpu *v, unsigned long cmd, uint64_t uop, unsigned long count);
struct grant_entry_v1;

/* GNTTABOP_copy (gnttab_copy.c). */
long gnttab_copy_op(struct vcpu *v, uint64_t uop, unsigned long count);
/* rd's grant entry ref, NULL beyond its table. */
struct grant_entry_v1 *gnttab_entry(struct domain *rd, uint32_t ref);
/* Pin an entry for grantee who (GTF_reading, and GTF_writing when
 * writable): GNTST_okay or GNTST_general_error; gnttab_unpin clears
 * the flags no mapping needs any more. */
int16_t gnttab_pin(struct grant_entry_v1 *e, domid_t who, bool writable);
void gnttab_unpin(uint16_t dom, uint32_t ref);
/* A dying domain's grant mappings: unpinned at their granters. */
void gnttab_release_mappings(struct domain *d);

/* Grant table frames: grow the table to nr frames (grant_table.c). */
int gnttab_grow(struct domain *d, unsigned int nr);
/* The most grant frames d may have (its createdomain limit). */
unsigned int gnttab_limit(const struct domain *d);

#endif
