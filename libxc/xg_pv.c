/* The 64-bit PV domain builder: the guest is not translated, so every
 * frame it is given is a machine frame it must know (its p2m list), and
 * it starts with paging on, in the bootstrap mapping the start_info ABI
 * describes (layout in xg_pv_layout.c). */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/arch-x86/xen-x86_64.h>
#include <xen/memory.h>
#include "include/xenforeignmemory.h"
#include "include/xenguest.h"
#include "xc_private.h"
#include "xg_shared.h"
#include "xg_pv_i.h"

#define PAGE XG_PV_PAGE
#define POPULATE_CHUNK 16384ULL
/* A 64-bit Linux maps its image in the top 2 GiB, of which 1 GiB is for
 * the kernel: the bootstrap mapping has to fit there. */
#define MAX_BOOT_MAP (1ULL << 30)
#define E820_RAM 1
#define GUEST_TYPE "xen-3.0-x86_64"
#define DR6_DEFAULT 0xffff0ff0ULL
#define DR7_DEFAULT 0x400ULL
#define RFLAGS_IF (1ULL << 9)

struct pvb {
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	const struct xg_pvh_config *cfg;
	struct xg_pv_layout l;
	uint64_t *p2m;			/* frame -> machine frame */
	uint64_t shared_info_mfn;	/* Xen's page for the domain */
	char *err;
	size_t errlen;
};

static int fail(struct pvb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct pvb *b, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

static int step(struct pvb *b, const char *what)
{
	if (b->cfg->progress)
		b->cfg->progress(b->cfg->progress_arg, what);
	return 0;
}

/* Copy len bytes (zeros when src is NULL) to byte offset off of the
 * guest's pseudo-physical space. */
static int guest_write(struct pvb *b, uint64_t off, const void *src, size_t len)
{
	if ((off + len + PAGE - 1) / PAGE > b->l.nr_pages)
		return fail(b, "write of %zu bytes at 0x%llx is past the guest's memory", len,
			    (unsigned long long)off);
	return xg_write_frames(b->fmem, b->cfg->domid, b->p2m + off / PAGE, off % PAGE, src,
			       len, b->err, b->errlen);
}

/* Every frame of RAM, one page each: Xen hands back the machine frames. */
static int populate(struct pvb *b)
{
	uint64_t n = b->l.nr_pages;

	b->p2m = malloc(n * sizeof(*b->p2m));
	if (!b->p2m)
		return fail(b, "out of memory for a p2m list of %llu frames",
			    (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++)
		b->p2m[i] = i;
	for (uint64_t at = 0; at < n; at += POPULATE_CHUNK) {
		uint64_t c = n - at > POPULATE_CHUNK ? POPULATE_CHUNK : n - at;

		if (xc_domain_populate_physmap_exact(b->xch, b->cfg->domid, c, 0, 0,
						     b->p2m + at) < 0)
			return fail(b, "populating %llu MiB for domain %u: %s",
				    (unsigned long long)(n >> 8), b->cfg->domid, strerror(errno));
	}
	return 0;
}

static uint64_t virt_offset(const struct xg_kernel *k)
{
	return k->virt_base - k->paddr_offset;
}

static int load_kernel(struct pvb *b)
{
	const struct xg_kernel *k = b->cfg->kernel;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(k->elf + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++) {
		uint64_t at;

		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		at = ph[i].p_paddr + virt_offset(k) - k->virt_base;
		if (guest_write(b, at, k->elf + ph[i].p_offset, ph[i].p_filesz) < 0)
			return -1;
		if (ph[i].p_memsz > ph[i].p_filesz &&
		    guest_write(b, at + ph[i].p_filesz, NULL, ph[i].p_memsz - ph[i].p_filesz) < 0)
			return -1;
	}
	return 0;
}

static int write_tables(struct pvb *b)
{
	uint64_t *t = malloc(512 * sizeof(*t));
	int rc = 0;

	if (!t)
		return fail(b, "out of memory");
	for (uint64_t i = 0; i < b->l.pt_pages && rc == 0; i++) {
		xg_pv_table(&b->l, i, b->p2m, t);
		rc = guest_write(b, (b->l.pt_pfn + i) * PAGE, t, PAGE);
	}
	free(t);
	return rc;
}

static int write_start_info(struct pvb *b, const struct xg_pvh_result *out)
{
	const struct xg_pvh_config *cfg = b->cfg;
	const struct xg_pv_layout *l = &b->l;
	struct start_info *si = calloc(1, PAGE);
	int rc;

	if (!si)
		return fail(b, "out of memory");
	memcpy(si->magic, GUEST_TYPE, sizeof(GUEST_TYPE));
	si->nr_pages = l->nr_pages;
	si->shared_info = b->shared_info_mfn * PAGE;
	si->store_mfn = out->store_pfn;
	si->store_evtchn = out->store_port;
	si->console.domU.mfn = out->console_pfn;
	si->console.domU.evtchn = out->console_port;
	si->pt_base = l->virt_base + l->pt_pfn * PAGE;
	si->nr_pt_frames = l->pt_pages;
	si->mfn_list = l->virt_base + l->p2m_pfn * PAGE;
	if (cfg->ramdisk) {
		si->mod_start = l->virt_base + l->ramdisk_pfn * PAGE;
		si->mod_len = cfg->ramdisk_size;
	}
	if (cfg->cmdline)
		memcpy(si->cmd_line, cfg->cmdline, strlen(cfg->cmdline) + 1);
	rc = guest_write(b, l->start_info_pfn * PAGE, si, PAGE);
	free(si);
	return rc;
}

/* Events stay masked on every vCPU until the guest sets up its handler. */
static int init_shared_info(struct pvb *b)
{
	struct shared_info *sh;

	sh = xenforeignmemory_map(b->fmem, b->cfg->domid, PROT_READ | PROT_WRITE, 1,
				  &b->shared_info_mfn, NULL);
	if (!sh)
		return fail(b, "mapping the shared info page of domain %u: %s", b->cfg->domid,
			    strerror(errno));
	memset(sh, 0, sizeof(*sh));
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		sh->vcpu_info[i].evtchn_upcall_mask = 1;
	xenforeignmemory_unmap(b->fmem, sh, 1);
	return 0;
}

static int set_rings(struct pvb *b, struct xg_pvh_result *out)
{
	const struct xg_pvh_config *cfg = b->cfg;
	int port;

	if (guest_write(b, b->l.store_pfn * PAGE, NULL, 2 * PAGE) < 0)
		return -1;
	port = xc_evtchn_alloc_unbound(b->xch, cfg->domid, cfg->console_domid);
	if (port < 0)
		return fail(b, "console event channel: %s", strerror(errno));
	out->console_port = (uint32_t)port;
	out->console_pfn = b->p2m[b->l.console_pfn];
	out->store_pfn = b->p2m[b->l.store_pfn];
	if (cfg->store_domid != DOMID_INVALID) {
		port = xc_evtchn_alloc_unbound(b->xch, cfg->domid, cfg->store_domid);
		if (port < 0)
			return fail(b, "xenstore event channel: %s", strerror(errno));
		out->store_port = (uint32_t)port;
	}
	return xg_seed_grants(b->fmem, cfg->domid, cfg->console_domid, out->console_pfn,
			      cfg->store_domid, out->store_pfn, b->err, b->errlen);
}

static int set_vcpu0(struct pvb *b)
{
	const struct xg_pv_layout *l = &b->l;
	struct vcpu_guest_context *c = calloc(1, sizeof(*c));
	int rc = 0;

	if (!c)
		return fail(b, "out of memory");
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = b->cfg->kernel->pv_entry;
	c->user_regs.rsp = l->virt_base + (l->stack_pfn + 1) * PAGE;
	c->user_regs.rsi = l->virt_base + l->start_info_pfn * PAGE;
	c->user_regs.rflags = RFLAGS_IF;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
	c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = xen_pfn_to_cr3(b->p2m[l->pt_pfn]);
	c->debugreg[6] = DR6_DEFAULT;
	c->debugreg[7] = DR7_DEFAULT;
	if (xc_vcpu_setcontext(b->xch, b->cfg->domid, 0, c) < 0)
		rc = fail(b, "setting vCPU 0's context: %s", strerror(errno));
	free(c);
	return rc;
}

/* Checks a kernel and guest against the limits of this builder before
 * anything is allocated. */
static int check(struct pvb *b)
{
	const struct xg_pvh_config *cfg = b->cfg;
	const struct xg_kernel *k = cfg->kernel;
	uint64_t kstart, kend;

	if (!k->has_pv)
		return fail(b, "kernel has no PV entry point (Xen ELF note ENTRY): it was built "
			    "without CONFIG_XEN_PV and cannot boot as a PV guest%s",
			    k->has_pvh ? " (it can boot as PVH: type = \"pvh\")" : "");
	if (!k->has_virt_base)
		return fail(b, "kernel has no Xen ELF note VIRT_BASE: its virtual load address "
			    "is unknown");
	if (cfg->cmdline && strlen(cfg->cmdline) >= MAX_GUEST_CMDLINE)
		return fail(b, "kernel command line is %zu bytes; a PV guest's limit is %d",
			    strlen(cfg->cmdline), MAX_GUEST_CMDLINE - 1);
	if (cfg->vcpus == 0 || cfg->vcpus > 128)
		return fail(b, "%u vCPUs: a PV guest has 1 to 128 here", cfg->vcpus);
	kstart = k->paddr_start + virt_offset(k);
	kend = k->paddr_end + virt_offset(k);
	if (xg_pv_layout(&b->l, k->virt_base, kstart, kend, cfg->ramdisk ? cfg->ramdisk_size : 0,
			 cfg->mem_bytes / PAGE, MAX_BOOT_MAP, b->err, b->errlen) < 0)
		return -1;
	if (k->has_hypercall_page &&
	    (k->hypercall_page < kstart || k->hypercall_page >= kend))
		return fail(b, "kernel's hypercall page 0x%llx is outside its image",
			    (unsigned long long)k->hypercall_page);
	if (k->pv_entry < kstart || k->pv_entry >= kend)
		return fail(b, "kernel's PV entry 0x%llx is outside its image",
			    (unsigned long long)k->pv_entry);
	return 0;
}

static int set_memory_map(struct pvb *b)
{
	const struct xg_pvh_config *cfg = b->cfg;
	uint64_t limit = cfg->maxmem_bytes > cfg->mem_bytes ? cfg->maxmem_bytes : cfg->mem_bytes;
	struct xen_e820_entry e = { .addr = 0, .size = limit & ~(PAGE - 1), .type = E820_RAM };

	if (xc_domain_set_memory_map(b->xch, cfg->domid, &e, 1) < 0)
		return fail(b, "setting the memory map of domain %u: %s", cfg->domid,
			    strerror(errno));
	return 0;
}

int xg_pv_build(xc_interface *xch, const struct xg_pvh_config *cfg,
		struct xg_pvh_result *out, char *err, size_t errlen)
{
	struct pvb b = { .xch = xch, .cfg = cfg, .err = err, .errlen = errlen };
	const struct xg_kernel *k = cfg->kernel;
	xc_domaininfo_t info;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (check(&b) < 0)
		return -1;
	if (xc_domain_set_address_size(xch, cfg->domid, 64) < 0)
		return fail(&b, "making domain %u a 64-bit PV guest: %s", cfg->domid,
			    strerror(errno));
	if (xc_domain_getinfo_single(xch, cfg->domid, &info) < 0)
		return fail(&b, "reading domain %u: %s", cfg->domid, strerror(errno));
	b.shared_info_mfn = info.shared_info_frame;
	b.fmem = xenforeignmemory_open(NULL, 0);
	if (!b.fmem)
		return fail(&b, "opening /dev/xen/privcmd for foreign mappings: %s",
			    strerror(errno));
	if (populate(&b) < 0 || step(&b, "memory populated") < 0 ||
	    load_kernel(&b) < 0 || step(&b, "kernel copied in") < 0)
		goto out;
	if (cfg->ramdisk &&
	    (guest_write(&b, b.l.ramdisk_pfn * PAGE, cfg->ramdisk, cfg->ramdisk_size) < 0 ||
	     step(&b, "ramdisk copied in") < 0))
		goto out;
	if (guest_write(&b, b.l.p2m_pfn * PAGE, b.p2m, b.l.nr_pages * sizeof(*b.p2m)) < 0 ||
	    set_rings(&b, out) < 0 || write_start_info(&b, out) < 0 ||
	    guest_write(&b, b.l.stack_pfn * PAGE, NULL, PAGE) < 0 || write_tables(&b) < 0 ||
	    init_shared_info(&b) < 0 || set_memory_map(&b) < 0 ||
	    step(&b, "p2m, start_info, rings and page tables written") < 0)
		goto out;
	/* Xen writes the stubs over what the image had there. */
	if (k->has_hypercall_page &&
	    xc_domain_hypercall_init(xch, cfg->domid,
				     b.p2m[(k->hypercall_page - k->virt_base) / PAGE]) < 0) {
		fail(&b, "writing the hypercall page: %s", strerror(errno));
		goto out;
	}
	/* Nothing of the guest is mapped in dom0 any more, so the tables
	 * can take their page-table types. */
	if (xc_mmuext_pin(xch, cfg->domid, MMUEXT_PIN_L4_TABLE, b.p2m[b.l.pt_pfn]) < 0) {
		fail(&b, "pinning the bootstrap page tables: %s (the hypervisor's log says "
		     "which entry it refused)", strerror(errno));
		goto out;
	}
	if (set_vcpu0(&b) < 0 || step(&b, "page tables pinned, vCPU 0 set") < 0)
		goto out;
	out->start_info_paddr = b.l.start_info_pfn * PAGE;
	rc = 0;
out:
	free(b.p2m);
	xenforeignmemory_close(b.fmem);
	return rc;
}
