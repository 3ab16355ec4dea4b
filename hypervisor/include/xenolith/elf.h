/* ELF kernels for PVH: PT_LOAD segments and the "Xen" notes. */
#ifndef XENOLITH_ELF_H
#define XENOLITH_ELF_H

#include "lib.h"

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	uint64_t offset, filesz, paddr, memsz;
};

struct elf_info {
	unsigned int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t paddr_lo, paddr_hi; /* extent of all segments */
	bool has_phys32_entry;
	uint64_t phys32_entry;
	bool has_hypercall_page;
	uint64_t hypercall_page;
	char guest_os[32];
	uint32_t supported_features;
};

/* Validate an ELF64 x86-64 image and collect segments and notes.
 * Returns 0, or -1 with the reason in err. */
int elf_parse(const uint8_t *img, size_t len, struct elf_info *ei, char *err,
	      size_t errlen);

#endif
