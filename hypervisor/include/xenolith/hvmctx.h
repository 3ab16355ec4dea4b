/* HVM save records as the toolstack uses them to build a PVH guest, and
 * the checks on a createdomain request: pure code, unit tested on the
 * host. */
#ifndef XENOLITH_HVMCTX_H
#define XENOLITH_HVMCTX_H

#include "lib.h"
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/arch-x86/hvm/save.h>

#define HVMCTX_MAX_VCPUS 8

/* The context XEN_DOMCTL_gethvmcontext returns: the header, one MTRR
 * record per vCPU, the end record.  Writes it to buf when it fits in
 * size and returns the size it needs. */
size_t hvmctx_build(uint8_t *buf, size_t size, unsigned int nr_vcpus,
		    const struct hvm_save_header *hdr);

/* What a XEN_DOMCTL_sethvmcontext blob asks for. */
struct hvmctx_set {
	bool has_cpu[HVMCTX_MAX_VCPUS];
	struct hvm_hw_cpu cpu[HVMCTX_MAX_VCPUS];
	unsigned int nr_mtrr; /* MTRR records seen (accepted, not modelled) */
};

/* Parse a blob: a header first (magic and version checked), records for
 * vCPUs below nr_vcpus only, with their exact lengths, up to the end
 * record.  0 or -XEN_EINVAL. */
int hvmctx_parse(const uint8_t *buf, size_t len, unsigned int nr_vcpus,
		 struct hvmctx_set *out);

/* The CPU records accepted: the PVH entry state (32-bit flat protected
 * mode, paging off), what the PVH builder writes.  0 or -XEN_EOPNOTSUPP. */
int hvmctx_cpu_is_pvh_entry(const struct hvm_hw_cpu *c);

/* A createdomain request Xenolith can honour: HVM with HAP (PVH), only
 * the LAPIC emulated, 1..max_vcpus vCPUs, limits in range.
 * 0 or -XEN_EINVAL; *why gets a reason for the log. */
int domctl_create_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus,
			const char **why);

#endif
