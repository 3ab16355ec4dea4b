/* ELF64 parsing with every offset and size checked against the image. */
#include <xenolith/elf.h>
#include <xen/elfnote.h>

#define PT_LOAD 1
#define PT_NOTE 4
#define EM_X86_64 62

static uint64_t get(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

static void parse_notes(const uint8_t *p, uint64_t len, struct elf_info *ei)
{
	uint64_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz = (uint32_t)get(p + off, 4);
		uint32_t descsz = (uint32_t)get(p + off + 4, 4);
		uint32_t type = (uint32_t)get(p + off + 8, 4);
		uint64_t name = off + 12;
		uint64_t desc = name + ROUNDUP((uint64_t)namesz, 4);
		uint64_t next = desc + ROUNDUP((uint64_t)descsz, 4);

		if (next > len || next <= off)
			return;
		if (namesz == 4 && !memcmp(p + name, "Xen", 4)) {
			switch (type) {
			case XEN_ELFNOTE_PHYS32_ENTRY:
				if (descsz == 4 || descsz == 8) {
					ei->phys32_entry = get(p + desc, descsz);
					ei->has_phys32_entry = true;
				}
				break;
			case XEN_ELFNOTE_HYPERCALL_PAGE:
				if (descsz == 4 || descsz == 8) {
					ei->hypercall_page = get(p + desc, descsz);
					ei->has_hypercall_page = true;
				}
				break;
			case XEN_ELFNOTE_GUEST_OS: {
				size_t n = MIN((size_t)descsz, sizeof(ei->guest_os) - 1);

				memcpy(ei->guest_os, p + desc, n);
				ei->guest_os[n] = '\0';
				break;
			}
			case XEN_ELFNOTE_SUPPORTED_FEATURES:
				if (descsz >= 4)
					ei->supported_features = (uint32_t)get(p + desc, 4);
				break;
			default:
				break;
			}
		}
		off = next;
	}
}

int elf_parse(const uint8_t *img, size_t len, struct elf_info *ei, char *err,
	      size_t errlen)
{
	uint64_t phoff;
	uint16_t phentsize, phnum;

	memset(ei, 0, sizeof(*ei));
	if (len < 64 || memcmp(img, "\177ELF", 4)) {
		lib_snprintf(err, errlen, "not an ELF image");
		return -1;
	}
	if (img[4] != 2 || img[5] != 1) {
		lib_snprintf(err, errlen, "ELF class %u / data %u: need 64-bit little endian",
			     img[4], img[5]);
		return -1;
	}
	if (get(img + 18, 2) != EM_X86_64) {
		lib_snprintf(err, errlen, "ELF machine %u is not x86-64",
			     (unsigned int)get(img + 18, 2));
		return -1;
	}
	phoff = get(img + 32, 8);
	phentsize = (uint16_t)get(img + 54, 2);
	phnum = (uint16_t)get(img + 56, 2);
	if (phentsize < 56 || phnum == 0 || phoff > len ||
	    (uint64_t)phnum * phentsize > len - phoff) {
		lib_snprintf(err, errlen, "ELF program headers out of bounds (off %llu, %u x %u)",
			     (unsigned long long)phoff, phnum, phentsize);
		return -1;
	}
	ei->paddr_lo = ~0ULL;
	for (unsigned int i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (uint64_t)i * phentsize;
		uint32_t type = (uint32_t)get(ph, 4);
		uint64_t off = get(ph + 8, 8), paddr = get(ph + 24, 8);
		uint64_t filesz = get(ph + 32, 8), memsz = get(ph + 40, 8);

		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		if (off > len || filesz > len - off) {
			lib_snprintf(err, errlen, "ELF segment %u data out of bounds", i);
			return -1;
		}
		if (type == PT_NOTE) {
			parse_notes(img + off, filesz, ei);
			continue;
		}
		if (memsz < filesz || paddr + memsz < paddr) {
			lib_snprintf(err, errlen, "ELF segment %u has bad sizes", i);
			return -1;
		}
		if (ei->nr_segments == ELF_MAX_SEGMENTS) {
			lib_snprintf(err, errlen, "more than %u loadable ELF segments", ELF_MAX_SEGMENTS);
			return -1;
		}
		ei->seg[ei->nr_segments].offset = off;
		ei->seg[ei->nr_segments].filesz = filesz;
		ei->seg[ei->nr_segments].paddr = paddr;
		ei->seg[ei->nr_segments].memsz = memsz;
		ei->nr_segments++;
		ei->paddr_lo = MIN(ei->paddr_lo, paddr);
		ei->paddr_hi = MAX(ei->paddr_hi, paddr + memsz);
	}
	if (!ei->nr_segments) {
		lib_snprintf(err, errlen, "ELF image has no loadable segment");
		return -1;
	}
	return 0;
}
