/* Xenolith's domain builder (the libxenguest part of libxc): load a guest
 * kernel image and build a PVH domain's memory and boot state. */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xenctrl.h"

/* A kernel ready to load: the ELF image (decompressed from a bzImage if
 * needed) and what its notes say. */
struct xg_kernel {
	uint8_t *elf;
	size_t elf_size;
	void *map;		/* the cache entry mapping elf lives in, if any */
	size_t map_len;
	bool has_pvh;		/* boots as PVH: phys32_entry is valid */
	uint32_t phys32_entry;	/* PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY) */
	/* PV boot (XEN_ELFNOTE_ENTRY, VIRT_BASE, PADDR_OFFSET, HYPERCALL_PAGE):
	 * virtual addresses; segment p_paddr + virt_base - paddr_offset is
	 * where each is mapped. */
	bool has_pv, has_virt_base, has_hypercall_page;
	uint64_t pv_entry;
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t hypercall_page;
	uint64_t paddr_start;	/* lowest and end of loadable segments */
	uint64_t paddr_end;
	char format[32];	/* "ELF", "bzImage (xz)", ... for messages */
};

/* Loads and checks a kernel file. On failure returns -1 and writes a
 * message naming the file and the problem into err. */
int xg_kernel_open(const char *path, struct xg_kernel *k, char *err,
		   size_t errlen);
/* The same, keeping unpacked bzImages in cache_dir (created if missing;
 * a few newest entries kept) and using them while the file is unchanged.
 * *cached tells whether the image came from the cache. */
int xg_kernel_open_cached(const char *path, const char *cache_dir, struct xg_kernel *k,
			  bool *cached, char *err, size_t errlen);
/* The same from memory (what the fuzz target and unit tests use). */
int xg_kernel_parse(const uint8_t *data, size_t size, struct xg_kernel *k,
		    char *err, size_t errlen);
void xg_kernel_close(struct xg_kernel *k);

/* ACPI tables for a PVH guest, all in one page at guest address page_gpa:
 * returns the RSDP's offset in the page, or -1 if vcpus is out of range. */
#define XG_ACPI_SIZE 4096
int xg_acpi_build(uint8_t *page, uint64_t page_gpa, unsigned int vcpus);
unsigned int xg_acpi_max_vcpus(void);

/* What both builders take (xg_pvh_build, xg_pv_build). */
struct xg_pvh_config {
	uint32_t domid;			/* created, paused, max_vcpus set */
	uint64_t mem_bytes;
	uint64_t maxmem_bytes;		/* PV: the memory map's limit (0: mem_bytes) */
	unsigned int vcpus;
	const struct xg_kernel *kernel;
	const uint8_t *ramdisk;		/* may be NULL */
	size_t ramdisk_size;
	const char *cmdline;		/* may be NULL */
	uint32_t console_domid;		/* backends' domain, normally 0 */
	uint32_t store_domid;
	/* Called after each build step with its name, when set (timing). */
	void (*progress)(void *arg, const char *step);
	void *progress_arg;
};

/* For a PV guest the ring frames are machine frames (what its
 * start_info, xenstore's ring-ref and XS_INTRODUCE carry). */
struct xg_pvh_result {
	uint64_t console_pfn;
	uint64_t store_pfn;
	uint32_t console_port;		/* unbound ports in the guest, bound */
	uint32_t store_port;		/* by the backends later */
	uint64_t start_info_paddr;
};

/* Populates memory, loads kernel/ramdisk/cmdline/start_info, sets up the
 * console and xenstore pages, event channels, grant entries 0 and 1 and
 * vCPU 0's entry state. Leaves the domain paused. On failure returns -1
 * with a message in err; the caller destroys the domain. */
int xg_pvh_build(xc_interface *xch, const struct xg_pvh_config *cfg,
		 struct xg_pvh_result *out, char *err, size_t errlen);

/* A 64-bit PV domain (created without XEN_DOMCTL_CDF_hvm): RAM populated
 * and its p2m list, the kernel at its virtual addresses with Xen's
 * hypercall page, ramdisk, start_info with the command line, console and
 * xenstore rings with their ports and grant entries 0 and 1, bootstrap
 * page tables pinned, the memory map and vCPU 0's context.  Leaves the
 * domain paused; on failure -1 with a message in err (the caller
 * destroys the domain). */
int xg_pv_build(xc_interface *xch, const struct xg_pvh_config *cfg,
		struct xg_pvh_result *out, char *err, size_t errlen);

/* The CPUID adjustments of xc_cpuid_apply_policy on a serialised policy
 * (leaves as domctl get_cpu_policy returns them): topology for vLAPIC
 * IDs 2n, PAE, invariant TSC and nested virtualisation bits. */
struct xen_cpuid_leaf;
int xg_cpuid_adjust(struct xen_cpuid_leaf *leaves, uint32_t n, bool pae, bool itsc,
		    bool nested_virt);

#endif
