/* Domain building for test dom0s (see dom.h). */
#include "dom.h"
#include <xen/errno.h>
#include <xen/arch-x86/hvm/save.h>
#include <xen/grant_table.h>

long dom_domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return hypercall3(__HYPERVISOR_domctl, (unsigned long)op, 0, 0);
}

long dom_sysctl(struct xen_sysctl *op, uint32_t cmd)
{
	op->cmd = cmd;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hypercall3(__HYPERVISOR_sysctl, (unsigned long)op, 0, 0);
}

long dom_memop(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0);
}

uint64_t dom_free_pages(void)
{
	struct xen_sysctl op;

	memset(&op, 0, sizeof(op));
	if (dom_sysctl(&op, XEN_SYSCTL_physinfo))
		return 0;
	return op.u.physinfo.free_pages;
}

void dom_pvh_config(struct xen_domctl_createdomain *c)
{
	memset(c, 0, sizeof(*c));
	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = 1;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = 64;
	c->max_maptrack_frames = 1024;
	c->grant_opts = 1;
	c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
}

long dom_create(struct xen_domctl_createdomain *c, domid_t want, domid_t *got)
{
	struct xen_domctl op;
	long rc;

	memset(&op, 0, sizeof(op));
	op.u.createdomain = *c;
	rc = dom_domctl(&op, XEN_DOMCTL_createdomain, want);
	*got = op.domain;
	return rc;
}

long dom_destroy(domid_t d, unsigned int *calls)
{
	struct xen_domctl op;
	long rc;

	*calls = 0;
	do {
		memset(&op, 0, sizeof(op));
		rc = dom_domctl(&op, XEN_DOMCTL_destroydomain, d);
		(*calls)++;
	} while (rc == -XEN_EAGAIN && *calls < 100000);
	return rc;
}

long dom_info(domid_t d, struct xen_domctl_getdomaininfo *out)
{
	struct xen_domctl op;
	long rc;

	memset(&op, 0, sizeof(op));
	rc = dom_domctl(&op, XEN_DOMCTL_getdomaininfo, d);
	*out = op.u.getdomaininfo;
	/* getdomaininfo answers the next domain up: this one is gone */
	if (!rc && op.domain != d)
		return -XEN_ESRCH;
	return rc;
}

long dom_populate(domid_t d, xen_pfn_t *gfns, unsigned long n, unsigned int order)
{
	struct xen_memory_reservation r = { gfns, n, order, 0, d };

	return dom_memop(XENMEM_populate_physmap, &r);
}

long dom_map_foreign(domid_t d, uint64_t idx, uint64_t at, int *err)
{
	struct xen_add_to_physmap_batch b = {
		DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1, d,
		(uintptr_t)&idx, (uintptr_t)&at, (uintptr_t)err,
	};

	*err = 12345;
	return dom_memop(XENMEM_add_to_physmap_batch, &b);
}

long dom_unmap(uint64_t gfn)
{
	struct xen_remove_from_physmap r = { DOMID_SELF, gfn };

	return dom_memop(XENMEM_remove_from_physmap, &r);
}

int16_t dom_grant_copy(domid_t sd, uint64_t src, uint16_t soff, domid_t dd, uint64_t dst,
		       uint16_t doff, uint16_t len, uint16_t flags)
{
	struct gnttab_copy c;
	long rc;

	memset(&c, 0, sizeof(c));
	if (flags & GNTCOPY_source_gref)
		c.source.u.ref = (grant_ref_t)src;
	else
		c.source.u.gmfn = src;
	if (flags & GNTCOPY_dest_gref)
		c.dest.u.ref = (grant_ref_t)dst;
	else
		c.dest.u.gmfn = dst;
	c.source.domid = sd;
	c.source.offset = soff;
	c.dest.domid = dd;
	c.dest.offset = doff;
	c.len = len;
	c.flags = flags;
	c.status = 99;
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (unsigned long)&c, 1);
	return rc ? (int16_t)-100 : c.status;
}

static uint8_t ctx[4096]; /* the HVM context record dom_start sends */

static size_t put_rec(size_t at, uint16_t code, const void *body, uint32_t len)
{
	struct hvm_save_descriptor dsc = { code, 0, len };

	memcpy(ctx + at, &dsc, sizeof(dsc));
	memcpy(ctx + at + sizeof(dsc), body, len);
	return at + sizeof(dsc) + len;
}

long dom_start(const uint8_t *code, size_t len, uint64_t scratch, domid_t *d)
{
	struct xen_domctl_createdomain c;
	struct hvm_save_header hdr = { HVM_FILE_MAGIC, HVM_FILE_VERSION, 0, 0, 0 };
	struct hvm_hw_cpu cpu;
	struct xen_domctl op;
	xen_pfn_t gfn = DOM_CODE_GFN;
	size_t at;
	long rc;
	int err;

	dom_pvh_config(&c);
	if ((rc = dom_create(&c, 0, d)))
		return rc;
	memset(&op, 0, sizeof(op));
	op.u.max_mem.max_memkb = 64;
	dom_domctl(&op, XEN_DOMCTL_max_mem, *d);
	if (dom_populate(*d, &gfn, 1, 0) != 1)
		return -XEN_ENOMEM;
	rc = dom_map_foreign(*d, DOM_CODE_GFN, scratch, &err);
	if (rc || err)
		return rc ? rc : err;
	memcpy((void *)(uintptr_t)(scratch << 12), code, len);
	dom_unmap(scratch);
	memset(&cpu, 0, sizeof(cpu));
	cpu.rip = DOM_CODE_GFN << 12;
	cpu.cr0 = 0x11; /* protected mode, paging off: the PVH entry */
	cpu.cs_limit = cpu.ds_limit = cpu.es_limit = cpu.ss_limit = 0xFFFFFFFF;
	cpu.cs_arbytes = 0xC9B;
	cpu.ds_arbytes = cpu.es_arbytes = cpu.ss_arbytes = 0xC93;
	at = put_rec(0, HVM_SAVE_CODE_HEADER, &hdr, sizeof(hdr));
	at = put_rec(at, HVM_SAVE_CODE_CPU, &cpu, sizeof(cpu));
	at = put_rec(at, HVM_SAVE_CODE_END, &cpu, 0);
	memset(&op, 0, sizeof(op));
	op.u.hvmcontext.buffer.p = ctx;
	op.u.hvmcontext.size = (uint32_t)at;
	if ((rc = dom_domctl(&op, XEN_DOMCTL_sethvmcontext, *d)))
		return rc;
	memset(&op, 0, sizeof(op));
	return dom_domctl(&op, XEN_DOMCTL_unpausedomain, *d);
}
