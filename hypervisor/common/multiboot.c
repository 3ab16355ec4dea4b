/* Multiboot1 and Multiboot2 information parsing.  All loader data is read
 * through the map callback with bounds, so a broken structure yields an
 * error instead of a wild read. */
#include <xenolith/boot.h>

#define MB1_INFO_MEM 0x001
#define MB1_INFO_CMDLINE 0x004
#define MB1_INFO_MODS 0x008
#define MB1_INFO_MMAP 0x040
#define MB1_INFO_LOADER 0x200

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

static int copy_string(char *dst, size_t size, uint64_t pa, boot_map_fn map,
		       void *ctx)
{
	size_t n = 0;

	if (!pa) {
		dst[0] = '\0';
		return 0;
	}
	for (; n + 1 < size; n++) {
		const char *c = map(pa + n, 1, ctx);

		if (!c)
			return -1;
		if (!*c)
			break;
		dst[n] = *c;
	}
	dst[n] = '\0';
	return 0;
}

/* Loader structures need not be aligned (e.g. odd-sized mmap entries):
 * read integers bytewise. */
static int get32(boot_map_fn map, void *ctx, uint64_t pa, uint32_t *out)
{
	const void *p = map(pa, 4, ctx);

	if (!p)
		return -1;
	memcpy(out, p, 4);
	return 0;
}

static void add_e820(struct boot_info *bi, uint64_t addr, uint64_t size,
		     uint32_t type)
{
	if (size == 0 || bi->nr_e820 >= BOOT_MAX_E820)
		return;
	bi->e820[bi->nr_e820].addr = addr;
	bi->e820[bi->nr_e820].size = size;
	bi->e820[bi->nr_e820].type = type;
	bi->nr_e820++;
}

static int parse_mb1(struct boot_info *bi, uint64_t info_pa, boot_map_fn map,
		     void *ctx, char *err, size_t errlen)
{
	const void *raw = map(info_pa, 88, ctx);
	uint32_t mbi[22];
	uint32_t flags;

	if (!raw) {
		lib_snprintf(err, errlen, "multiboot info at %#llx unreadable",
			     (unsigned long long)info_pa);
		return -1;
	}
	memcpy(mbi, raw, sizeof(mbi));
	bi->loader = 1;
	bi->info_start = info_pa;
	bi->info_end = info_pa + 88;
	flags = mbi[0];
	if ((flags & MB1_INFO_CMDLINE) &&
	    copy_string(bi->cmdline, sizeof(bi->cmdline), mbi[4], map, ctx)) {
		lib_snprintf(err, errlen, "multiboot cmdline at %#x unreadable", mbi[4]);
		return -1;
	}
	if ((flags & MB1_INFO_LOADER) &&
	    copy_string(bi->loader_name, sizeof(bi->loader_name), mbi[16], map, ctx))
		bi->loader_name[0] = '\0';
	if (flags & MB1_INFO_MODS) {
		uint32_t count = mbi[5], addr = mbi[6];

		if (count > BOOT_MAX_MODULES) {
			lib_snprintf(err, errlen, "%u multiboot modules, at most %u supported",
				     count, BOOT_MAX_MODULES);
			return -1;
		}
		for (uint32_t i = 0; i < count; i++) {
			const void *mraw = map(addr + 16ULL * i, 16, ctx);
			uint32_t m[4];
			struct boot_module *bm = &bi->modules[i];

			if (!mraw) {
				lib_snprintf(err, errlen, "multiboot module %u entry unreadable", i);
				return -1;
			}
			memcpy(m, mraw, sizeof(m));
			if (m[1] < m[0]) {
				lib_snprintf(err, errlen, "multiboot module %u ends (%#x) before it starts (%#x)",
					     i, m[1], m[0]);
				return -1;
			}
			bm->start = m[0];
			bm->end = m[1];
			if (copy_string(bm->cmdline, sizeof(bm->cmdline), m[2], map, ctx)) {
				lib_snprintf(err, errlen, "multiboot module %u cmdline unreadable", i);
				return -1;
			}
		}
		bi->nr_modules = count;
	}
	if (flags & MB1_INFO_MMAP) {
		uint64_t len = mbi[11], addr = mbi[12], off = 0;

		while (off + 4 <= len) {
			uint32_t sz;
			const unsigned char *e;
			uint64_t base, size;
			uint32_t type;

			if (get32(map, ctx, addr + off, &sz) || sz < 20) {
				lib_snprintf(err, errlen, "multiboot memory map entry at offset %llu malformed",
					     (unsigned long long)off);
				return -1;
			}
			e = map(addr + off + 4, 20, ctx);
			if (!e) {
				lib_snprintf(err, errlen, "multiboot memory map entry at offset %llu unreadable",
					     (unsigned long long)off);
				return -1;
			}
			memcpy(&base, e, 8);
			memcpy(&size, e + 8, 8);
			memcpy(&type, e + 16, 4);
			add_e820(bi, base, size, type);
			if (sz > len)
				break;
			off += sz + 4;
		}
	} else if (flags & MB1_INFO_MEM) {
		add_e820(bi, 0, (uint64_t)mbi[1] << 10, E820_RAM);
		add_e820(bi, 0x100000, (uint64_t)mbi[2] << 10, E820_RAM);
	}
	return 0;
}

static int parse_mb2(struct boot_info *bi, uint64_t info_pa, boot_map_fn map,
		     void *ctx, char *err, size_t errlen)
{
	uint32_t total;
	uint64_t off = 8;

	if (get32(map, ctx, info_pa, &total)) {
		lib_snprintf(err, errlen, "multiboot2 info at %#llx unreadable",
			     (unsigned long long)info_pa);
		return -1;
	}
	if (total < 16) {
		lib_snprintf(err, errlen, "multiboot2 info too small (%u bytes)", total);
		return -1;
	}
	bi->loader = 2;
	bi->info_start = info_pa;
	bi->info_end = info_pa + total;
	while (off + 8 <= total) {
		uint32_t type, size;

		if (get32(map, ctx, info_pa + off, &type) || get32(map, ctx, info_pa + off + 4, &size)) {
			lib_snprintf(err, errlen, "multiboot2 tag at offset %llu unreadable",
				     (unsigned long long)off);
			return -1;
		}
		if (size < 8 || off + size > total) {
			lib_snprintf(err, errlen, "multiboot2 tag %u at offset %llu has bad size %u",
				     type, (unsigned long long)off, size);
			return -1;
		}
		if (type == MB2_TAG_END)
			return 0;
		switch (type) {
		case MB2_TAG_CMDLINE:
			copy_string(bi->cmdline, sizeof(bi->cmdline), info_pa + off + 8, map, ctx);
			break;
		case MB2_TAG_LOADER:
			copy_string(bi->loader_name, sizeof(bi->loader_name), info_pa + off + 8, map, ctx);
			break;
		case MB2_TAG_MODULE: {
			uint32_t m[2];
			struct boot_module *bm;

			if (size < 17 || get32(map, ctx, info_pa + off + 8, &m[0]) ||
			    get32(map, ctx, info_pa + off + 12, &m[1])) {
				lib_snprintf(err, errlen, "multiboot2 module tag at offset %llu malformed",
					     (unsigned long long)off);
				return -1;
			}
			if (bi->nr_modules >= BOOT_MAX_MODULES) {
				lib_snprintf(err, errlen, "more than %u multiboot2 modules", BOOT_MAX_MODULES);
				return -1;
			}
			if (m[1] < m[0]) {
				lib_snprintf(err, errlen, "multiboot2 module %u ends before it starts",
					     bi->nr_modules);
				return -1;
			}
			bm = &bi->modules[bi->nr_modules++];
			bm->start = m[0];
			bm->end = m[1];
			copy_string(bm->cmdline, sizeof(bm->cmdline), info_pa + off + 16, map, ctx);
			break;
		}
		case MB2_TAG_MMAP: {
			uint32_t esz;
			uint64_t p;

			if (get32(map, ctx, info_pa + off + 8, &esz) || esz < 24) {
				lib_snprintf(err, errlen, "multiboot2 memory map at offset %llu malformed",
					     (unsigned long long)off);
				return -1;
			}
			for (p = 16; p + esz <= size; p += esz) {
				const unsigned char *e = map(info_pa + off + p, 24, ctx);
				uint64_t base, len;
				uint32_t t;

				if (!e)
					return -1;
				memcpy(&base, e, 8);
				memcpy(&len, e + 8, 8);
				memcpy(&t, e + 16, 4);
				add_e820(bi, base, len, t);
			}
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			if (!bi->rsdp || type == MB2_TAG_ACPI_NEW)
				bi->rsdp = info_pa + off + 8;
			break;
		default:
			break;
		}
		off += ROUNDUP((uint64_t)size, 8);
	}
	lib_snprintf(err, errlen, "multiboot2 info has no end tag");
	return -1;
}

int boot_parse(struct boot_info *bi, uint32_t magic, uint64_t info_pa,
	       boot_map_fn map, void *ctx, char *err, size_t errlen)
{
	int rc;

	memset(bi, 0, sizeof(*bi));
	if (magic == MB1_BOOTLOADER_MAGIC)
		rc = parse_mb1(bi, info_pa, map, ctx, err, errlen);
	else if (magic == MB2_BOOTLOADER_MAGIC)
		rc = parse_mb2(bi, info_pa, map, ctx, err, errlen);
	else {
		lib_snprintf(err, errlen, "not started by a multiboot loader (magic %#x)", magic);
		return -1;
	}
	if (rc)
		return rc;
	if (bi->nr_e820 == 0) {
		lib_snprintf(err, errlen, "boot loader supplied no memory map");
		return -1;
	}
	boot_e820_sanitize(bi);
	return 0;
}

void boot_e820_sanitize(struct boot_info *bi)
{
	unsigned int i, j, n = 0;

	/* insertion sort: the map is small */
	for (i = 1; i < bi->nr_e820; i++) {
		struct e820_entry e = bi->e820[i];

		for (j = i; j > 0 && bi->e820[j - 1].addr > e.addr; j--)
			bi->e820[j] = bi->e820[j - 1];
		bi->e820[j] = e;
	}
	for (i = 0; i < bi->nr_e820; i++) {
		struct e820_entry *e = &bi->e820[i];

		if (!e->size)
			continue;
		if (n && bi->e820[n - 1].type == e->type &&
		    bi->e820[n - 1].addr + bi->e820[n - 1].size >= e->addr) {
			uint64_t end = MAX(bi->e820[n - 1].addr + bi->e820[n - 1].size,
					   e->addr + e->size);

			bi->e820[n - 1].size = end - bi->e820[n - 1].addr;
			continue;
		}
		bi->e820[n++] = *e;
	}
	bi->nr_e820 = n;
}
