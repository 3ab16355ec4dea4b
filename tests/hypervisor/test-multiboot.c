/* Multiboot1/2 information parsing from synthetic loader structures.
 * "Physical" addresses are offsets into a buffer; offset 0 is invalid. */
#include "check.h"
#include <stdlib.h>
#include "common/multiboot.c"
#include "common/vsprintf.c"

static uint8_t mem[8192];

static const void *map(uint64_t pa, size_t len, void *ctx)
{
	(void)ctx;
	if (pa == 0 || pa >= sizeof(mem) || len > sizeof(mem) - pa)
		return NULL;
	return mem + pa;
}

static void put32(uint64_t pa, uint32_t v)
{
	memcpy(mem + pa, &v, 4);
}

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, 8);
}

static void mb1_entry(uint64_t pa, uint64_t base, uint64_t len, uint32_t type)
{
	put32(pa, 20);
	put64(pa + 4, base);
	put64(pa + 12, len);
	put32(pa + 20, type);
}

static void build_mb1(void)
{
	memset(mem, 0, sizeof(mem));
	put32(0x100, 0x4 | 0x8 | 0x40 | 0x200); /* cmdline, mods, mmap, loader name */
	put32(0x100 + 16, 0x800);               /* cmdline */
	put32(0x100 + 20, 2);                   /* mods_count */
	put32(0x100 + 24, 0x900);               /* mods_addr */
	put32(0x100 + 44, 4 * 24);              /* mmap_length */
	put32(0x100 + 48, 0xA00);               /* mmap_addr */
	put32(0x100 + 64, 0xB00);               /* loader name */
	strcpy((char *)mem + 0x800, "/boot/xen.gz console=com1 loglvl=all");
	strcpy((char *)mem + 0xB00, "qemu");
	put32(0x900, 0x1000); put32(0x904, 0x1800); put32(0x908, 0xC00);
	put32(0x910, 0x2000); put32(0x914, 0x2100); put32(0x918, 0xC80);
	strcpy((char *)mem + 0xC00, "vmlinuz root=/dev/ram");
	strcpy((char *)mem + 0xC80, "initrd.img");
	/* deliberately unsorted, with an overlap to merge */
	mb1_entry(0xA00, 0x100000, 0x7FF00000, 1);
	mb1_entry(0xA18, 0, 0x9FC00, 1);
	mb1_entry(0xA30, 0x9FC00, 0x400, 2);
	mb1_entry(0xA48, 0x80000000, 0x1000, 1);
}

int main(void)
{
	struct boot_info *bi = malloc(sizeof(*bi));
	char err[128];
	int rc;

	build_mb1();
	rc = boot_parse(bi, MB1_BOOTLOADER_MAGIC, 0x100, map, NULL, err, sizeof(err));
	CHECK(rc == 0, "MB1 parses (%s)", rc ? err : "ok");
	CHECK(bi->loader == 1 && !strcmp(bi->loader_name, "qemu"), "MB1 loader name");
	CHECK(!strcmp(bi->cmdline, "/boot/xen.gz console=com1 loglvl=all"), "MB1 cmdline");
	CHECK(bi->nr_modules == 2, "MB1 two modules");
	CHECK(bi->modules[0].start == 0x1000 && bi->modules[0].end == 0x1800 &&
	      !strcmp(bi->modules[0].cmdline, "vmlinuz root=/dev/ram"), "MB1 module 0 = kernel + cmdline");
	CHECK(bi->modules[1].start == 0x2000 && !strcmp(bi->modules[1].cmdline, "initrd.img"),
	      "MB1 module 1 = initrd");
	CHECK(bi->nr_e820 == 3, "MB1 memory map sorted and merged to 3 entries (%u)", bi->nr_e820);
	CHECK(bi->e820[0].addr == 0 && bi->e820[0].type == 1 && bi->e820[1].type == 2 &&
	      bi->e820[2].addr == 0x100000 && bi->e820[2].size == 0x7FF01000,
	      "MB1 entries in order, adjacent RAM merged");

	build_mb1();
	put32(0x904, 0x0800); /* module 0 ends before it starts */
	rc = boot_parse(bi, MB1_BOOTLOADER_MAGIC, 0x100, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "module 0"), "MB1 bad module rejected: %s", err);

	build_mb1();
	put32(0x100 + 20, 99);
	rc = boot_parse(bi, MB1_BOOTLOADER_MAGIC, 0x100, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "modules"), "MB1 too many modules rejected: %s", err);

	build_mb1();
	put32(0xA00, 4); /* entry size too small */
	rc = boot_parse(bi, MB1_BOOTLOADER_MAGIC, 0x100, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "memory map"), "MB1 malformed mmap rejected: %s", err);

	rc = boot_parse(bi, 0x12345678, 0x100, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "magic"), "unknown magic rejected: %s", err);
	rc = boot_parse(bi, MB1_BOOTLOADER_MAGIC, 0x100000, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "unreadable"), "unreadable info rejected: %s", err);

	/* Multiboot2: cmdline, module, mmap, end */
	memset(mem, 0, sizeof(mem));
	{
		uint64_t p = 0x208;

		put32(p, 1); put32(p + 4, 8 + 18); strcpy((char *)mem + p + 8, "xen console=com1");
		p += ROUNDUP(8 + 18, 8);
		put32(p, 3); put32(p + 4, 16 + 8); put32(p + 8, 0x1000); put32(p + 12, 0x1400);
		strcpy((char *)mem + p + 16, "linux q");
		p += ROUNDUP(16 + 8, 8);
		put32(p, 6); put32(p + 4, 16 + 2 * 24); put32(p + 8, 24); put32(p + 12, 0);
		put64(p + 16, 0); put64(p + 24, 0xA0000); put32(p + 32, 1);
		put64(p + 40, 0x100000); put64(p + 48, 0x1000000); put32(p + 56, 1);
		p += 16 + 2 * 24;
		put32(p, 0); put32(p + 4, 8);
		p += 8;
		put32(0x200, (uint32_t)(p - 0x200));
	}
	rc = boot_parse(bi, MB2_BOOTLOADER_MAGIC, 0x200, map, NULL, err, sizeof(err));
	CHECK(rc == 0, "MB2 parses (%s)", rc ? err : "ok");
	CHECK(bi->loader == 2 && !strcmp(bi->cmdline, "xen console=com1"), "MB2 cmdline");
	CHECK(bi->nr_modules == 1 && bi->modules[0].end == 0x1400 &&
	      !strcmp(bi->modules[0].cmdline, "linux q"), "MB2 module");
	CHECK(bi->nr_e820 == 2 && bi->e820[1].size == 0x1000000, "MB2 memory map");
	put32(0x208 + 4, 4000); /* tag overruns the structure */
	rc = boot_parse(bi, MB2_BOOTLOADER_MAGIC, 0x200, map, NULL, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "bad size"), "MB2 oversized tag rejected: %s", err);
	free(bi);
	return check_done();
}
