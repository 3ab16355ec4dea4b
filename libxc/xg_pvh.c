/* The PVH domain builder: guest RAM, the kernel at its physical load
 * address, ramdisk, command line and hvm_start_info, console and xenstore
 * rings with their event channels and reserved grants, and vCPU 0 at the
 * PVH entry point in 32-bit flat protected mode. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/arch-x86/hvm/save.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/grant_table.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include "include/xenforeignmemory.h"
#include "include/xenguest.h"
#include "xc_private.h"
#include "xg_shared.h"

#define PAGE 4096UL
#define SUPERPAGE_PAGES 512UL		/* 2 MiB extents where aligned */
/* Special pages sit just below 0xff000000, outside RAM, as Xen's own
 * toolstack places them: guests and tools know these frame numbers. */
#define SPECIAL_REGION_END_PFN 0xff000UL
#define SPECIAL_PAGES 8UL
#define SPECIAL_XENSTORE 4
#define SPECIAL_CONSOLE 7
#define SPECIAL_PFN(x) (SPECIAL_REGION_END_PFN - SPECIAL_PAGES + (x))
#define RAM_LIMIT (ACPI_PFN * PAGE)
/* ACPI tables where Xen's toolstack puts them for PVH guests. */
#define ACPI_PFN 0xfc000UL
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define CMDLINE_MAX 2048

struct builder {
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	const struct xg_pvh_config *cfg;
	char *err;
	size_t errlen;
};

static int fail(struct builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct builder *b, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

static uint64_t page_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

/* Copy `len` bytes (or zeros when src is NULL) to guest physical `gpa`. */
static int guest_write(struct builder *b, uint64_t gpa, const void *src, size_t len)
{
	uint64_t first = gpa / PAGE, n = (gpa + len + PAGE - 1) / PAGE - first;
	uint64_t *pfns = malloc((n ? n : 1) * sizeof(*pfns));
	int rc;

	if (!pfns)
		return fail(b, "out of memory");
	for (uint64_t i = 0; i < n; i++)
		pfns[i] = first + i;
	rc = xg_write_frames(b->fmem, b->cfg->domid, pfns, gpa % PAGE, src, len, b->err,
			     b->errlen);
	free(pfns);
	return rc;
}

static int step(struct builder *b, const char *what)
{
	if (b->cfg->progress)
		b->cfg->progress(b->cfg->progress_arg, what);
	return 0;
}

static int populate(struct builder *b, uint64_t ram_pages)
{
	uint64_t nr_super = ram_pages / SUPERPAGE_PAGES;
	uint64_t rest_start = nr_super * SUPERPAGE_PAGES;
	xen_pfn_t *list;
	uint64_t i, n = nr_super > ram_pages - rest_start ? nr_super : ram_pages - rest_start;

	list = calloc(n ? n : 1, sizeof(*list));
	if (!list)
		return fail(b, "out of memory");
	for (i = 0; i < nr_super; i++)
		list[i] = i * SUPERPAGE_PAGES;
	if (nr_super && xc_domain_populate_physmap_exact(b->xch, b->cfg->domid, nr_super,
							 9, 0, list) < 0)
		goto fail;
	for (i = rest_start; i < ram_pages; i++)
		list[i - rest_start] = i;
	if (ram_pages > rest_start &&
	    xc_domain_populate_physmap_exact(b->xch, b->cfg->domid, ram_pages - rest_start,
					     0, 0, list) < 0)
		goto fail;
	for (i = 0; i < SPECIAL_PAGES; i++)
		list[i] = SPECIAL_PFN(i);
	if (xc_domain_populate_physmap_exact(b->xch, b->cfg->domid, SPECIAL_PAGES, 0, 0,
					     list) < 0)
		goto fail;
	free(list);
	return 0;
fail:
	free(list);
	return fail(b, "populating %llu MiB for domain %u: %s",
		    (unsigned long long)(ram_pages / 256), b->cfg->domid, strerror(errno));
}

static int load_kernel(struct builder *b)
{
	const struct xg_kernel *k = b->cfg->kernel;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(k->elf + eh->e_phoff);

	/* xg_kernel_parse checked every segment against the image. */
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (guest_write(b, ph[i].p_paddr, k->elf + ph[i].p_offset, ph[i].p_filesz) < 0)
			return -1;
		if (ph[i].p_memsz > ph[i].p_filesz &&
		    guest_write(b, ph[i].p_paddr + ph[i].p_filesz, NULL,
				ph[i].p_memsz - ph[i].p_filesz) < 0)
			return -1;
	}
	return 0;
}

/* Boot information page(s): start_info, module list, memory map and the
 * command line, laid out after the kernel. */
struct boot_info {
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry map[3];
	char cmdline[CMDLINE_MAX];
};

/* The same map for XENMEM_memory_map, as libxl sets it. */
static int set_e820(struct builder *b, const struct hvm_memmap_table_entry *map, unsigned int n)
{
	struct xen_e820_entry e[3];

	for (unsigned int i = 0; i < n && i < 3; i++)
		e[i] = (struct xen_e820_entry){ map[i].addr, map[i].size, map[i].type };
	/* A hypervisor without XENMEM_set_memory_map (ENOSYS) leaves the
	 * guest the map in its start_info, which is what PVH Linux reads. */
	if (xc_domain_set_memory_map(b->xch, b->cfg->domid, e, n < 3 ? n : 3) < 0 &&
	    errno != ENOSYS)
		return fail(b, "setting the memory map of domain %u: %s", b->cfg->domid,
			    strerror(errno));
	return 0;
}

static int write_start_info(struct builder *b, uint64_t at, uint64_t ramdisk_at,
			    uint64_t ram_bytes, uint64_t rsdp)
{
	const struct xg_pvh_config *cfg = b->cfg;
	struct boot_info *bi = calloc(1, sizeof(*bi));
	int rc;

	if (!bi)
		return fail(b, "out of memory");
	bi->si.magic = XEN_HVM_START_MAGIC_VALUE;
	bi->si.version = 1;
	if (cfg->ramdisk) {
		bi->si.nr_modules = 1;
		bi->si.modlist_paddr = at + offsetof(struct boot_info, mod);
		bi->mod.paddr = ramdisk_at;
		bi->mod.size = cfg->ramdisk_size;
	}
	if (cfg->cmdline) {
		strcpy(bi->cmdline, cfg->cmdline);
		bi->si.cmdline_paddr = at + offsetof(struct boot_info, cmdline);
	}
	bi->map[0] = (struct hvm_memmap_table_entry){
		.addr = 0, .size = ram_bytes, .type = E820_RAM,
	};
	bi->map[1] = (struct hvm_memmap_table_entry){
		.addr = SPECIAL_PFN(0) * PAGE, .size = SPECIAL_PAGES * PAGE,
		.type = E820_RESERVED,
	};
	bi->map[2] = (struct hvm_memmap_table_entry){
		.addr = ACPI_PFN * PAGE, .size = XG_ACPI_SIZE, .type = E820_ACPI,
	};
	bi->si.memmap_paddr = at + offsetof(struct boot_info, map);
	bi->si.memmap_entries = 3;
	bi->si.rsdp_paddr = rsdp;
	rc = guest_write(b, at, bi, sizeof(*bi));
	if (rc == 0)
		rc = set_e820(b, bi->map, 3);
	free(bi);
	return rc;
}

static int write_acpi(struct builder *b, uint64_t *rsdp)
{
	uint8_t *page = malloc(XG_ACPI_SIZE);
	xen_pfn_t pfn = ACPI_PFN;
	int off, rc = -1;

	if (!page)
		return fail(b, "out of memory");
	off = xg_acpi_build(page, ACPI_PFN * PAGE, b->cfg->vcpus);
	if (off < 0) {
		fail(b, "%u vCPUs do not fit the ACPI tables (at most %u)", b->cfg->vcpus,
		     xg_acpi_max_vcpus());
		goto out;
	}
	if (xc_domain_populate_physmap_exact(b->xch, b->cfg->domid, 1, 0, 0, &pfn) < 0) {
		fail(b, "populating the ACPI page: %s", strerror(errno));
		goto out;
	}
	if (guest_write(b, ACPI_PFN * PAGE, page, XG_ACPI_SIZE) < 0)
		goto out;
	*rsdp = ACPI_PFN * PAGE + (uint64_t)off;
	rc = 0;
out:
	free(page);
	return rc;
}

static int seed_grants(struct builder *b, const struct xg_pvh_result *out)
{
	return xg_seed_grants(b->fmem, b->cfg->domid, b->cfg->console_domid, out->console_pfn,
			      b->cfg->store_domid, out->store_pfn, b->err, b->errlen);
}

/* One of the guest's special rings (console, xenstore): an unbound port
 * for the backend domain, and the ring's pfn and port in its HVM params. */
static int set_ring(struct builder *b, const char *what, uint32_t backend, uint64_t pfn,
		    uint32_t pfn_param, uint32_t port_param, uint64_t *out_pfn, uint32_t *out_port)
{
	uint32_t domid = b->cfg->domid;
	int port = xc_evtchn_alloc_unbound(b->xch, domid, backend);

	if (port < 0)
		return fail(b, "%s event channel: %s", what, strerror(errno));
	*out_port = (uint32_t)port;
	*out_pfn = pfn;
	if (xc_hvm_param_set(b->xch, domid, pfn_param, pfn) < 0 ||
	    xc_hvm_param_set(b->xch, domid, port_param, *out_port) < 0)
		return fail(b, "%s parameters: %s", what, strerror(errno));
	return 0;
}

static int set_params(struct builder *b, struct xg_pvh_result *out)
{
	const struct xg_pvh_config *cfg = b->cfg;

	if (set_ring(b, "console", cfg->console_domid, SPECIAL_PFN(SPECIAL_CONSOLE),
		     HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN, &out->console_pfn,
		     &out->console_port) < 0)
		return -1;
	if (cfg->store_domid == DOMID_INVALID)
		return 0;
	return set_ring(b, "xenstore", cfg->store_domid, SPECIAL_PFN(SPECIAL_XENSTORE),
			HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN, &out->store_pfn,
			&out->store_port);
}

/* Append one record to a context being assembled. */
static size_t ctx_put(uint8_t *buf, size_t at, uint16_t type, uint16_t inst,
		      const void *body, uint32_t len)
{
	struct hvm_save_descriptor d = { .typecode = type, .instance = inst, .length = len };

	memcpy(buf + at, &d, sizeof(d));
	if (len)
		memcpy(buf + at + sizeof(d), body, len);
	return at + sizeof(d) + len;
}

/* vCPU state goes in as save records: MTRRs for every vCPU first, vCPU 0's
 * registers last, since each load takes down the vCPUs it does not name. */
static int set_entry_state(struct builder *b, uint64_t entry, uint64_t start_info)
{
	const struct xg_pvh_config *cfg = b->cfg;
	struct hvm_save_header hdr;
	struct hvm_hw_cpu cpu;
	struct hvm_hw_mtrr mtrr;
	struct hvm_save_descriptor d;
	uint8_t *full = NULL, rec[sizeof(hdr) + sizeof(mtrr) + sizeof(cpu) + 4 * sizeof(d)];
	int size, have = 0, rc = -1;
	size_t off, at;

	size = xc_domain_hvm_getcontext(b->xch, cfg->domid, NULL, 0);
	if (size <= 0)
		return fail(b, "reading HVM context size: %s", strerror(errno));
	full = malloc((size_t)size);
	if (!full)
		return fail(b, "out of memory");
	size = xc_domain_hvm_getcontext(b->xch, cfg->domid, full, (uint32_t)size);
	if (size <= 0) {
		fail(b, "reading HVM context: %s", strerror(errno));
		goto out;
	}
	for (off = 0; off + sizeof(d) <= (size_t)size; off += sizeof(d) + d.length) {
		memcpy(&d, full + off, sizeof(d));
		if (d.length > (size_t)size - off - sizeof(d))
			break;
		if (d.typecode == HVM_SAVE_CODE_END)
			break;
		if (d.typecode == HVM_SAVE_CODE_HEADER && d.length == sizeof(hdr)) {
			memcpy(&hdr, full + off + sizeof(d), sizeof(hdr));
			have |= 1;
		} else if (d.typecode == HVM_SAVE_CODE_MTRR && d.instance == 0 &&
			   d.length == sizeof(mtrr)) {
			memcpy(&mtrr, full + off + sizeof(d), sizeof(mtrr));
			have |= 4;
		}
	}
	/* A new domain's vCPUs are down, so there is no CPU record to start
	 * from: vCPU 0's state is built from nothing. */
	if ((have & 5) != 5) {
		fail(b, "HVM context of domain %u (%d bytes) lacks a usable%s%s record",
		     cfg->domid, size, have & 1 ? "" : " header", have & 4 ? "" : " MTRR");
		goto out;
	}
	mtrr.msr_mtrr_def_type = 0x6 | (1U << 11);	/* write-back, enabled */
	for (unsigned int v = 0; v < cfg->vcpus; v++) {
		at = ctx_put(rec, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
		at = ctx_put(rec, at, HVM_SAVE_CODE_MTRR, (uint16_t)v, &mtrr, sizeof(mtrr));
		at = ctx_put(rec, at, HVM_SAVE_CODE_END, 0, NULL, 0);
		if (xc_domain_hvm_setcontext(b->xch, cfg->domid, rec, (uint32_t)at) < 0) {
			fail(b, "setting MTRRs of vCPU %u: %s", v, strerror(errno));
			goto out;
		}
	}
	/* The PVH entry protocol: 32-bit flat protected mode, paging off,
	 * %ebx = physical address of hvm_start_info. */
	memset(&cpu, 0, sizeof(cpu));
	cpu.rip = entry;
	cpu.rbx = start_info;
	cpu.rflags = 0x2;
	cpu.cr0 = 0x11;			/* PE | ET */
	cpu.dr6 = 0xffff0ff0;
	cpu.dr7 = 0x400;
	cpu.cs_limit = cpu.ds_limit = cpu.es_limit = cpu.ss_limit = 0xffffffff;
	cpu.fs_limit = cpu.gs_limit = 0xffffffff;
	cpu.cs_arbytes = 0xc9b;
	cpu.ds_arbytes = cpu.es_arbytes = cpu.ss_arbytes = 0xc93;
	cpu.fs_arbytes = cpu.gs_arbytes = 0xc93;
	cpu.tr_limit = 0x67;
	cpu.tr_arbytes = 0x8b;
	at = ctx_put(rec, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	at = ctx_put(rec, at, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu));
	at = ctx_put(rec, at, HVM_SAVE_CODE_END, 0, NULL, 0);
	if (xc_domain_hvm_setcontext(b->xch, cfg->domid, rec, (uint32_t)at) < 0) {
		fail(b, "setting vCPU 0 entry state: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(full);
	return rc;
}

int xg_pvh_build(xc_interface *xch, const struct xg_pvh_config *cfg,
		 struct xg_pvh_result *out, char *err, size_t errlen)
{
	struct builder b = { .xch = xch, .cfg = cfg, .err = err, .errlen = errlen };
	const struct xg_kernel *k = cfg->kernel;
	uint64_t ram = cfg->mem_bytes & ~(PAGE - 1);
	uint64_t info_at, ramdisk_at, end, rsdp = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!k->has_pvh)
		return fail(&b, "kernel has no PVH entry point (Xen ELF note PHYS32_ENTRY): it "
			    "was built without CONFIG_XEN_PVH and cannot boot as a PVH guest "
			    "(it can boot as a PV guest: type = \"pv\")");
	if (cfg->cmdline && strlen(cfg->cmdline) >= CMDLINE_MAX)
		return fail(&b, "kernel command line is %zu bytes; the limit is %d",
			    strlen(cfg->cmdline), CMDLINE_MAX - 1);
	if (cfg->vcpus == 0 || cfg->vcpus > xg_acpi_max_vcpus() || cfg->vcpus > 128)
		return fail(&b, "%u vCPUs: a PVH guest has 1 to 128", cfg->vcpus);
	if (ram > RAM_LIMIT)
		return fail(&b, "memory of %llu MiB is above what the PVH builder places "
			    "below 4 GiB (%lu MiB)", (unsigned long long)(ram >> 20),
			    RAM_LIMIT >> 20);
	info_at = page_up(k->paddr_end);
	ramdisk_at = page_up(info_at + sizeof(struct boot_info));
	end = cfg->ramdisk ? ramdisk_at + cfg->ramdisk_size : ramdisk_at;
	if (end > ram)
		return fail(&b, "memory of %llu MiB is too small: the kernel (%s, loaded at "
			    "0x%llx-0x%llx) and ramdisk (%zu bytes) need %llu MiB",
			    (unsigned long long)(ram >> 20), k->format,
			    (unsigned long long)k->paddr_start, (unsigned long long)k->paddr_end,
			    cfg->ramdisk_size, (unsigned long long)((end + (1 << 20) - 1) >> 20));

	b.fmem = xenforeignmemory_open(NULL, 0);
	if (!b.fmem)
		return fail(&b, "opening /dev/xen/privcmd for foreign mappings: %s",
			    strerror(errno));
	if (populate(&b, ram / PAGE) < 0 || step(&b, "memory populated") < 0 ||
	    load_kernel(&b) < 0 || step(&b, "kernel copied in") < 0 ||
	    write_acpi(&b, &rsdp) < 0 ||
	    write_start_info(&b, info_at, ramdisk_at, ram, rsdp) < 0 ||
	    step(&b, "ACPI tables and start_info written") < 0)
		goto out;
	if (cfg->ramdisk && (guest_write(&b, ramdisk_at, cfg->ramdisk, cfg->ramdisk_size) < 0 ||
			     step(&b, "ramdisk copied in") < 0))
		goto out;
	if (guest_write(&b, SPECIAL_PFN(0) * PAGE, NULL, SPECIAL_PAGES * PAGE) < 0 ||
	    set_params(&b, out) < 0 || seed_grants(&b, out) < 0 ||
	    set_entry_state(&b, k->phys32_entry, info_at) < 0 ||
	    step(&b, "rings, grants and vCPU state set") < 0)
		goto out;
	out->start_info_paddr = info_at;
	rc = 0;
out:
	xenforeignmemory_close(b.fmem);
	return rc;
}
