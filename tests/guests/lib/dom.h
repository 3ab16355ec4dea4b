/* Building small domains from a test dom0: thin wrappers of the domctl,
 * sysctl and memory_op calls, and dom_start, which runs a few bytes of
 * 32-bit code as a new PVH domain's vCPU 0. */
#ifndef XENOLITH_TEST_DOM_H
#define XENOLITH_TEST_DOM_H

#include "guest.h"
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/memory.h>

#define DOM_CODE_GFN 1UL /* where dom_start puts the code */

long dom_domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom);
long dom_sysctl(struct xen_sysctl *op, uint32_t cmd);
long dom_memop(unsigned int cmd, void *arg);
uint64_t dom_free_pages(void);
/* The createdomain settings of a PVH guest with one vCPU. */
void dom_pvh_config(struct xen_domctl_createdomain *c);
long dom_create(struct xen_domctl_createdomain *c, domid_t want, domid_t *got);
/* Destroy, repeating while -EAGAIN; *calls says how often. */
long dom_destroy(domid_t d, unsigned int *calls);
/* getdomaininfo of exactly d (-ESRCH when it is gone). */
long dom_info(domid_t d, struct xen_domctl_getdomaininfo *out);
long dom_populate(domid_t d, xen_pfn_t *gfns, unsigned long n, unsigned int order);
/* One foreign mapping (d's gfn idx at our gfn at); *err per entry. */
long dom_map_foreign(domid_t d, uint64_t idx, uint64_t at, int *err);
long dom_unmap(uint64_t gfn);
static inline volatile uint32_t *dom_at_gfn(uint64_t gfn)
{
	return (volatile uint32_t *)(uintptr_t)(gfn << 12);
}
/* One GNTTABOP_copy of len bytes; flags (GNTCOPY_*) say which ends are
 * grant refs (else frames).  The op's status, or -100 if the hypercall
 * itself failed. */
int16_t dom_grant_copy(domid_t sd, uint64_t src, uint16_t soff, domid_t dd, uint64_t dst,
		       uint16_t doff, uint16_t len, uint16_t flags);
/* A new domain running code (flat 32-bit protected mode at DOM_CODE_GFN,
 * copied through our unbacked gfn scratch): created, populated, entry
 * state set and unpaused; 0 or the failing call's error. */
long dom_start(const uint8_t *code, size_t len, uint64_t scratch, domid_t *d);

#endif
