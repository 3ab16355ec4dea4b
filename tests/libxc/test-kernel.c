/* xg_kernel_parse: ELF and bzImage kernels built here in memory, their
 * payloads compressed at test time by the real zlib, liblzma (xz, lzma),
 * libzstd, and the lz4, bzip2 and lzop tools. */
#include <elf.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/elfnote.h>
#include <xenguest.h>
#include <zlib.h>
#include <zstd.h>
#include "check.h"

#define ENTRY 0x1000123u
#define LOAD_PADDR 0x1000000u

struct buf {
	uint8_t *p;
	size_t n;
};

/* A minimal x86-64 ELF: one PT_LOAD of 8 KiB (4 KiB bss) and, if asked,
 * a PT_NOTE with the Xen PHYS32_ENTRY note. */
static struct buf make_elf(int with_note)
{
	size_t phoff = sizeof(Elf64_Ehdr), noteoff = phoff + 2 * sizeof(Elf64_Phdr);
	size_t loadoff = 0x1000, size = loadoff + 0x1000;
	struct buf b = { calloc(1, size), size };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b.p;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b.p + phoff);
	uint32_t note[5] = { 4, 4, XEN_ELFNOTE_PHYS32_ENTRY, 0, ENTRY };

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_machine = EM_X86_64;
	eh->e_phoff = phoff;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = with_note ? 2 : 1;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = loadoff, .p_paddr = LOAD_PADDR,
			      .p_filesz = 0x1000, .p_memsz = 0x2000 };
	memcpy(&note[3], "Xen", 4);
	memcpy(b.p + noteoff, note, sizeof(note));
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = noteoff, .p_filesz = sizeof(note) };
	memset(b.p + loadoff, 0x90, 0x1000);
	return b;
}

/* A PV-only kernel (notes ENTRY, VIRT_BASE, HYPERCALL_PAGE, 8 bytes each,
 * as 64-bit Linux writes them; no PHYS32_ENTRY) is accepted and its notes
 * read; the PVH builder would refuse it. */
static void pv_notes(void)
{
	struct buf b = make_elf(0);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b.p;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b.p + eh->e_phoff);
	size_t at = eh->e_phoff + 2 * sizeof(Elf64_Phdr), start = at;
	static const struct { uint32_t type; uint64_t v; } notes[] = {
		{ XEN_ELFNOTE_ENTRY, 0xffffffff81000040ULL },
		{ XEN_ELFNOTE_VIRT_BASE, 0xffffffff80000000ULL },
		{ XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff81001000ULL },
	};
	struct xg_kernel k;
	char err[256] = "";

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		uint32_t hdr[3] = { 4, 8, notes[i].type };

		memcpy(b.p + at, hdr, sizeof(hdr));
		memcpy(b.p + at + 12, "Xen", 4);
		memcpy(b.p + at + 16, &notes[i].v, 8);
		at += 24;
	}
	eh->e_phnum = 2;
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = start, .p_filesz = at - start };
	CHECK(xg_kernel_parse(b.p, b.n, &k, err, sizeof(err)) == 0 && k.has_pv && !k.has_pvh,
	      "PV-only kernel accepted as PV, not PVH (%s)", err);
	CHECK(k.pv_entry == notes[0].v && k.has_virt_base && k.virt_base == notes[1].v &&
	      k.has_hypercall_page && k.hypercall_page == notes[2].v && k.paddr_offset == 0,
	      "its ENTRY, VIRT_BASE and HYPERCALL_PAGE read (entry 0x%llx)",
	      (unsigned long long)k.pv_entry);
	xg_kernel_close(&k);
	free(b.p);
}

/* The output of a packing tool (lz4, bzip2, lzop), then the size, as Linux
 * packs a kernel; 0 bytes if the tool is missing or fails. */
static size_t tool_pack(const char *tool, struct buf in, uint8_t *out, size_t cap)
{
	char path[] = "/tmp/test-kernel-lz4-XXXXXX", cmd[96];
	size_t n = 0;
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, in.p, in.n) == (ssize_t)in.n) {
		snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", tool, path);
		f = popen(cmd, "r");
		if (f) {
			n = fread(out, 1, cap - 4, f);
			if (pclose(f) != 0)
				n = 0;
		}
	}
	close(fd);
	unlink(path);
	if (n) {
		memcpy(out + n, &(uint32_t){ (uint32_t)in.n }, 4);
		n += 4;
	}
	return n;
}

static struct buf compress_with(const char *how, struct buf in)
{
	struct buf out = { malloc(in.n * 2 + 4096), 0 };

	if (!strcmp(how, "gzip")) {
		z_stream z = { 0 };

		deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
		z.next_in = in.p;
		z.avail_in = (uInt)in.n;
		z.next_out = out.p;
		z.avail_out = (uInt)(in.n * 2 + 4096);
		deflate(&z, Z_FINISH);
		out.n = z.total_out;
		deflateEnd(&z);
	} else if (!strcmp(how, "xz") || !strcmp(how, "xz-sha256")) {
		lzma_easy_buffer_encode(6, how[2] ? LZMA_CHECK_SHA256 : LZMA_CHECK_CRC32, NULL,
					in.p, in.n, out.p, &out.n, in.n * 2 + 4096);
		/* Linux appends the decompressed size after the xz stream. */
		memcpy(out.p + out.n, &in.n, 4);
		out.n += 4;
	} else if (!strcmp(how, "zstd")) {
		out.n = ZSTD_compress(out.p, in.n * 2 + 4096, in.p, in.n, 3);
	} else if (!strcmp(how, "lzma")) {
		/* .lzma as the lzma tool (and so Linux) writes it: size not
		 * known in the header, the end marker; then the size. */
		lzma_options_lzma opt;
		lzma_stream s = LZMA_STREAM_INIT;

		lzma_lzma_preset(&opt, 9);
		s.next_in = in.p;
		s.avail_in = in.n;
		s.next_out = out.p;
		s.avail_out = in.n * 2 + 4096;
		if (lzma_alone_encoder(&s, &opt) == LZMA_OK &&
		    lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END)
			out.n = s.total_out;
		lzma_end(&s);
		memcpy(out.p + out.n, &in.n, 4);
		out.n += 4;
	} else if (!strcmp(how, "lz4")) {
		out.n = tool_pack("lz4 -l -9 -q -c", in, out.p, in.n * 2 + 4096);
	} else if (!strcmp(how, "bzip2")) {
		out.n = tool_pack("bzip2 -9 -q -c", in, out.p, in.n * 2 + 4096);
	} else if (!strcmp(how, "lzo")) {
		out.n = tool_pack("lzop -9 -q -c", in, out.p, in.n * 2 + 4096);
	} else {
		memset(out.p, 0xa5, 64);	/* unknown format */
		out.n = 64;
	}
	return out;
}

/* Real-mode setup (2 sectors + boot sector) then the payload. */
static struct buf make_bzimage(struct buf payload, uint16_t version)
{
	size_t pm = 3 * 512, size = pm + payload.n;
	struct buf b = { calloc(1, size), size };
	uint32_t len = (uint32_t)payload.n, zero = 0;

	b.p[0x1f1] = 2;
	memcpy(b.p + 0x202, "HdrS", 4);
	memcpy(b.p + 0x206, &version, 2);
	memcpy(b.p + 0x248, &zero, 4);
	memcpy(b.p + 0x24c, &len, 4);
	memcpy(b.p + pm, payload.p, payload.n);
	return b;
}

/* With FUZZ_SEED_DIR set, keep the images as fuzzing seeds. */
static void keep_seed(const char *name, struct buf b)
{
	const char *dir = getenv("FUZZ_SEED_DIR");
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(b.p, 1, b.n, f);
		fclose(f);
	}
}

static int parses(struct buf b, struct xg_kernel *k, char *err, size_t errlen)
{
	err[0] = 0;
	return xg_kernel_parse(b.p, b.n, k, err, errlen);
}

static int write_file(const char *path, struct buf b)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(b.p, 1, b.n, f) == b.n;

	return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

static int count_entries(const char *dir)
{
	char cmd[600];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s | grep -c '\\.elf$'", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

/* xg_kernel_open_cached: a miss unpacks and stores, a hit maps the same
 * ELF, any rewrite of the file misses, and only the newest few stay. */
static void check_cache(struct buf elf)
{
	char dir[] = "/tmp/test-kcache-XXXXXX", cache[600], path[600], err[256] = "", cmd[700];
	struct buf z = compress_with("xz", elf), bz = make_bzimage(z, 0x20f);
	struct xg_kernel k;
	bool cached = true;

	if (!mkdtemp(dir)) {
		CHECK(0, "temporary directory");
		return;
	}
	snprintf(cache, sizeof(cache), "%s/var/cache/kernels", dir);
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	CHECK(write_file(path, bz) == 0, "bzImage written to %s", path);
	CHECK(xg_kernel_open_cached(path, cache, &k, &cached, err, sizeof(err)) == 0 && !cached,
	      "first open unpacks (a miss): %s", err);
	xg_kernel_close(&k);
	CHECK(count_entries(cache) == 1, "one cache entry stored");
	CHECK(xg_kernel_open_cached(path, cache, &k, &cached, err, sizeof(err)) == 0 && cached,
	      "second open is a hit: %s", err);
	CHECK(k.elf_size == elf.n && !memcmp(k.elf, elf.p, elf.n) && k.phys32_entry == ENTRY &&
	      k.paddr_start == LOAD_PADDR && !strcmp(k.format, "bzImage (xz)"),
	      "the hit gives the same ELF, entry, span and format");
	xg_kernel_close(&k);
	/* Rewritten in place (new ctime), even with the same bytes: a miss. */
	CHECK(write_file(path, bz) == 0, "kernel rewritten");
	CHECK(xg_kernel_open_cached(path, cache, &k, &cached, err, sizeof(err)) == 0 && !cached,
	      "a rewritten kernel is unpacked again");
	xg_kernel_close(&k);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/vmlinuz-%d", dir, i);
		write_file(path, bz);
		if (xg_kernel_open_cached(path, cache, &k, &cached, err, sizeof(err)) == 0)
			xg_kernel_close(&k);
	}
	CHECK(count_entries(cache) == 3, "only the 3 newest entries are kept (%d)",
	      count_entries(cache));
	/* A damaged entry is not used. */
	snprintf(cmd, sizeof(cmd), "for f in %s/*.elf; do truncate -s 5000 \"$f\"; done", cache);
	CHECK(system(cmd) == 0, "entries truncated");
	CHECK(xg_kernel_open_cached(path, cache, &k, &cached, err, sizeof(err)) == 0 && !cached &&
	      k.elf_size == elf.n && !memcmp(k.elf, elf.p, elf.n),
	      "a truncated entry is a miss, and the kernel is unpacked correctly");
	xg_kernel_close(&k);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0, "clean up");
	free(z.p);
	free(bz.p);
}

int main(void)
{
	static const char *const formats[] = { "gzip", "xz", "zstd", "lz4", "lzma", "bzip2",
						"lzo" };
	struct buf elf = make_elf(1), bare = make_elf(0);
	struct xg_kernel k;
	char err[256];

	keep_seed("elf-pvh", elf);
	CHECK(parses(elf, &k, err, sizeof(err)) == 0, "ELF with PHYS32_ENTRY parses");
	CHECK(k.phys32_entry == ENTRY, "entry point read from the note (0x%x)", k.phys32_entry);
	CHECK(k.paddr_start == LOAD_PADDR && k.paddr_end == LOAD_PADDR + 0x2000,
	      "load span covers filesz and bss");
	CHECK(!strcmp(k.format, "ELF"), "format named ELF");
	xg_kernel_close(&k);

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct buf z = compress_with(formats[i], elf), bz = make_bzimage(z, 0x20f);
		char want[32];

		if (!z.n) {
			printf("# %s: not made here (no tool), not tried\n", formats[i]);
			free(z.p);
			free(bz.p);
			continue;
		}
		snprintf(want, sizeof(want), "bzImage (%s)", formats[i]);
		keep_seed(formats[i], bz);
		CHECK(parses(bz, &k, err, sizeof(err)) == 0, "bzImage with %s payload parses: %s",
		      formats[i], err);
		CHECK(k.elf_size == elf.n && !memcmp(k.elf, elf.p, elf.n),
		      "%s payload decompresses to the original ELF", formats[i]);
		CHECK(!strcmp(k.format, want), "format named '%s'", k.format);
		xg_kernel_close(&k);
		/* A payload cut short must be refused, not half-loaded. */
		bz.n -= z.n / 2;
		memcpy(bz.p + 0x24c, &(uint32_t){ (uint32_t)(z.n - z.n / 2) }, 4);
		CHECK(parses(bz, &k, err, sizeof(err)) < 0 && strstr(err, "corrupt"),
		      "truncated %s payload refused: %s", formats[i], err);
		free(z.p);
		free(bz.p);
	}

	{
		/* Our xz decoder has no SHA-256; liblzma takes such a payload. */
		struct buf z = compress_with("xz-sha256", elf), bz = make_bzimage(z, 0x20f);

		CHECK(parses(bz, &k, err, sizeof(err)) == 0 && k.elf_size == elf.n &&
		      !memcmp(k.elf, elf.p, elf.n),
		      "xz payload with a SHA-256 check decompresses (liblzma): %s", err);
		xg_kernel_close(&k);
		/* Corruption inside the data is caught, not passed to liblzma. */
		bz.p[bz.n - z.n / 2] ^= 0x55;
		CHECK(parses(bz, &k, err, sizeof(err)) < 0 && strstr(err, "corrupt"),
		      "corrupt xz payload with a SHA-256 check refused: %s", err);
		free(z.p);
		free(bz.p);
	}
	{
		struct buf z = compress_with("xz", elf), bz = make_bzimage(z, 0x20f);

		bz.p[bz.n - z.n / 2] ^= 0x55;
		CHECK(parses(bz, &k, err, sizeof(err)) < 0 && strstr(err, "corrupt"),
		      "xz payload with a flipped byte refused: %s", err);
		free(z.p);
		free(bz.p);
	}

	CHECK(parses(bare, &k, err, sizeof(err)) < 0 && strstr(err, "no PVH entry point"),
	      "ELF without the note refused: %s", err);
	pv_notes();
	{
		struct buf z = compress_with("junk", elf), bz = make_bzimage(z, 0x20f);

		CHECK(parses(bz, &k, err, sizeof(err)) < 0 && strstr(err, "unknown compression"),
		      "unknown payload refused: %s", err);
		free(bz.p);
		z.n = 64;
		bz = make_bzimage(z, 0x206);
		CHECK(parses(bz, &k, err, sizeof(err)) < 0 && strstr(err, "too old"),
		      "boot protocol 2.06 refused: %s", err);
		free(bz.p);
		free(z.p);
	}
	elf.p[EI_CLASS] = ELFCLASS32;
	CHECK(parses(elf, &k, err, sizeof(err)) < 0 && strstr(err, "not x86-64"),
	      "32-bit ELF refused: %s", err);
	elf.p[EI_CLASS] = ELFCLASS64;
	((Elf64_Phdr *)(elf.p + sizeof(Elf64_Ehdr)))->p_filesz = 1 << 30;
	CHECK(parses(elf, &k, err, sizeof(err)) < 0 && strstr(err, "out of bounds"),
	      "segment beyond the file refused: %s", err);
	CHECK(xg_kernel_parse((const uint8_t *)"hello", 5, &k, err, sizeof(err)) < 0 &&
	      strstr(err, "neither"), "text file refused: %s", err);
	CHECK(xg_kernel_open("/nonexistent/vmlinuz", &k, err, sizeof(err)) < 0 &&
	      strstr(err, "/nonexistent/vmlinuz") && strstr(err, "No such file"),
	      "missing file named: %s", err);
	elf.p[EI_CLASS] = ELFCLASS64;
	((Elf64_Phdr *)(elf.p + sizeof(Elf64_Ehdr)))->p_filesz = 0x1000;
	check_cache(elf);
	free(elf.p);
	free(bare.p);
	return check_done();
}
