/* ELF64 parsing and PVH note discovery on hand-built images. */
#include "check.h"
#include "common/elf.c"
#include "common/vsprintf.c"

static uint8_t img[4096];

static void put(size_t off, uint64_t v, unsigned int n)
{
	memcpy(img + off, &v, n);
}

/* ELF header, 2 program headers (LOAD, NOTE) at 64, notes at 0x200,
 * segment data at 0x400. */
static size_t build(unsigned int entry_size)
{
	size_t n = 0x200;

	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 2;
	img[5] = 1;
	img[6] = 1;
	put(16, 2, 2);  /* ET_EXEC */
	put(18, 62, 2); /* x86-64 */
	put(32, 64, 8); /* phoff */
	put(54, 56, 2);
	put(56, 2, 2);
	/* PT_LOAD */
	put(64, 1, 4);
	put(64 + 8, 0x400, 8);
	put(64 + 24, 0x1000000, 8);
	put(64 + 32, 0x100, 8);
	put(64 + 40, 0x3000, 8);
	/* PT_NOTE */
	put(120, 4, 4);
	put(120 + 8, 0x200, 8);
	/* GUEST_OS "linux" */
	put(n, 4, 4); put(n + 4, 6, 4); put(n + 8, 6, 4);
	memcpy(img + n + 12, "Xen", 4); memcpy(img + n + 16, "linux", 6);
	n += 16 + 8;
	/* a note from another owner with the same type number is ignored */
	put(n, 4, 4); put(n + 4, 4, 4); put(n + 8, 18, 4);
	memcpy(img + n + 12, "GNU", 4); put(n + 16, 0xdead, 4);
	n += 20;
	/* PHYS32_ENTRY */
	put(n, 4, 4); put(n + 4, entry_size, 4); put(n + 8, 18, 4);
	memcpy(img + n + 12, "Xen", 4); put(n + 16, 0x1000040, entry_size);
	n += 16 + entry_size;
	put(120 + 32, n - 0x200, 8);
	memset(img + 0x400, 0x90, 0x100);
	return 0x500;
}

int main(void)
{
	struct elf_info ei;
	char err[128];
	size_t len;
	int rc;

	len = build(8);
	rc = elf_parse(img, len, &ei, err, sizeof(err));
	CHECK(rc == 0, "valid ELF parses (%s)", rc ? err : "ok");
	CHECK(ei.nr_segments == 1 && ei.seg[0].paddr == 0x1000000 && ei.seg[0].filesz == 0x100 &&
	      ei.seg[0].memsz == 0x3000, "PT_LOAD collected");
	CHECK(ei.paddr_lo == 0x1000000 && ei.paddr_hi == 0x1003000, "extent");
	CHECK(ei.has_phys32_entry && ei.phys32_entry == 0x1000040, "8-byte PHYS32_ENTRY note");
	CHECK(!strcmp(ei.guest_os, "linux"), "GUEST_OS note");
	len = build(4);
	rc = elf_parse(img, len, &ei, err, sizeof(err));
	CHECK(rc == 0 && ei.has_phys32_entry && ei.phys32_entry == 0x1000040,
	      "4-byte PHYS32_ENTRY note");

	build(8);
	rc = elf_parse(img, 0x480, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "segment 0"), "truncated segment data rejected: %s", err);
	build(8);
	put(18, 3, 2);
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "x86-64"), "i386 machine rejected: %s", err);
	build(8);
	img[4] = 1;
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "64-bit"), "ELF32 rejected: %s", err);
	build(8);
	put(56, 60000, 2);
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "program headers"), "phnum overflow rejected: %s", err);
	build(8);
	put(64 + 40, 0x10, 8); /* memsz < filesz */
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "bad sizes"), "memsz < filesz rejected: %s", err);
	build(8);
	put(120 + 32, 0x7FFFFFFF, 8); /* note segment beyond the file */
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc < 0, "oversized note segment rejected: %s", err);
	build(8);
	put(0x200 + 4, 0xFFFFFFF0U, 4); /* descsz wraps */
	rc = elf_parse(img, 0x500, &ei, err, sizeof(err));
	CHECK(rc == 0 && !ei.has_phys32_entry, "note with absurd descsz stops the note walk safely");
	rc = elf_parse((const uint8_t *)"MZ", 2, &ei, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "not an ELF"), "non-ELF rejected: %s", err);
	return check_done();
}
