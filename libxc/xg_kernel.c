/* Guest kernel images: ELF (vmlinux) directly, or a bzImage whose payload
 * is decompressed with zlib, our xz decoder (liblzma where it cannot),
 * libzstd, or our lz4, lzma, bzip2 or lzo decoder. A kernel without the PVH entry note is
 * refused with a message saying so. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xen/elfnote.h>
#include <xenolith/decompress.h>
#include <zlib.h>
#include <zstd.h>
#include "include/xenguest.h"
#include "xg_kernel_i.h"

#define KERNEL_MAX_SIZE (512UL << 20)	/* decompressed kernels are far smaller */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Growable output buffer for the decompressors. */
struct outbuf {
	uint8_t *data;
	size_t size, cap;
	bool fixed;			/* caller's buffer: never grown */
};

static int outbuf_grow(struct outbuf *o)
{
	size_t cap = o->cap ? o->cap * 2 : 32UL << 20;
	uint8_t *p;

	if (o->fixed || cap > KERNEL_MAX_SIZE)
		return -1;
	p = realloc(o->data, cap);
	if (!p)
		return -1;
	o->data = p;
	o->cap = cap;
	return 0;
}

static int inflate_gzip(const uint8_t *in, size_t len, struct outbuf *o)
{
	z_stream z = { 0 };
	int rc;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		if (o->size == o->cap && outbuf_grow(o) < 0)
			break;
		z.next_out = o->data + o->size;
		z.avail_out = (uInt)(o->cap - o->size);
		rc = inflate(&z, Z_NO_FLUSH);
		o->size = o->cap - z.avail_out;
	} while (rc == Z_OK || (rc == Z_BUF_ERROR && z.avail_out == 0));
	inflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/*
 * Into a buffer of the size the bzImage announces, the hypervisor's xz
 * decoder (hypervisor/common/unxz.c): one pass straight into the buffer,
 * no dictionary copy, branch-free bit decoding.  Under QEMU TCG it
 * unpacks Debian's kernel in 1.5 s where liblzma takes 2.7 s; natively
 * they are even.  liblzma does the rest: no announced size, a filter or
 * check ours lacks.  One stream only: Linux appends the size after it.
 */
static int inflate_xz(const uint8_t *in, size_t len, struct outbuf *o)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret rc;

	if (o->data && o->cap && !o->size) {
		void *work = malloc(unxz_work_size());
		char why[128];
		long n = work ? unxz(in, len, o->data, o->cap, work, why, sizeof(why))
			      : UNXZ_UNSUPPORTED;

		free(work);
		if (n >= 0) {
			o->size = (size_t)n;
			return 0;
		}
		if (n == UNXZ_CORRUPT)
			return -1;
	}
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	s.next_in = in;
	s.avail_in = len;
	do {
		if (o->size == o->cap && outbuf_grow(o) < 0)
			break;
		s.next_out = o->data + o->size;
		s.avail_out = o->cap - o->size;
		rc = lzma_code(&s, s.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->size = o->cap - s.avail_out;
	} while (rc == LZMA_OK);
	lzma_end(&s);
	return rc == LZMA_STREAM_END ? 0 : -1;
}

/*
 * lz4, lzma, bzip2 and lzo as Linux packs them (lz4's legacy format;
 * .lzma; lzop's format),
 * the unpacked size appended: the hypervisor's decoders, straight into a
 * buffer of that size.  No library has lz4's legacy framing (Xen's
 * libxenguest carries its own decoder too); for lzma ours is liblzma's
 * equal natively and faster under emulation, as for xz; bzip2 and lzo need
 * no libbz2 or liblzo2 this way (Debian's libxenguest, built without them,
 * refuses both).
 */
static int inflate_sized(const uint8_t *in, size_t len, struct outbuf *o,
			 long (*decode)(const uint8_t *, size_t, uint8_t *, size_t, void *,
					char *, size_t),
			 size_t work_size)
{
	uint32_t want = get_le32(in + len - 4);
	char why[128];
	void *work;
	long n;

	if (!want || want > KERNEL_MAX_SIZE)
		return -1;
	if (o->cap < want && !o->fixed) {
		uint8_t *p = realloc(o->data, want);

		if (!p)
			return -1;
		o->data = p;
		o->cap = want;
	}
	work = malloc(work_size);
	n = work ? decode(in, len, o->data, o->cap, work, why, sizeof(why)) : -1;
	free(work);
	if (n < 0)
		return -1;
	o->size = (size_t)n;
	return 0;
}

static int inflate_zstd(const uint8_t *in, size_t len, struct outbuf *o)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t rc = 1;

	if (!d)
		return -1;
	ZSTD_initDStream(d);
	while (rc != 0) {
		ZSTD_outBuffer ob;

		if (o->size == o->cap && outbuf_grow(o) < 0)
			break;
		ob = (ZSTD_outBuffer){ o->data, o->cap, o->size };
		rc = ZSTD_decompressStream(d, &ob, &ib);
		o->size = ob.pos;
		if (ZSTD_isError(rc) || (ib.pos == ib.size && ob.pos < ob.size && rc != 0))
			break;
	}
	ZSTD_freeDStream(d);
	return rc == 0 ? 0 : -1;
}

static uint64_t note_value(const uint8_t *desc, uint32_t descsz)
{
	return descsz >= 8 ? get_le32(desc) | (uint64_t)get_le32(desc + 4) << 32
			   : get_le32(desc);
}

/* One note of the "Xen" namespace: what the builders need of it. */
static void xen_note(struct xg_kernel *k, uint32_t type, const uint8_t *desc, uint32_t descsz)
{
	if (descsz < 4)
		return;
	switch (type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		k->phys32_entry = get_le32(desc);
		k->has_pvh = true;
		break;
	case XEN_ELFNOTE_ENTRY:
		k->pv_entry = note_value(desc, descsz);
		k->has_pv = true;
		break;
	case XEN_ELFNOTE_VIRT_BASE:
		k->virt_base = note_value(desc, descsz);
		k->has_virt_base = true;
		break;
	case XEN_ELFNOTE_PADDR_OFFSET:
		k->paddr_offset = note_value(desc, descsz);
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		k->hypercall_page = note_value(desc, descsz);
		k->has_hypercall_page = true;
		break;
	default:
		break;
	}
}

/* Finds the PVH and PV entries in the ELF's notes and the span of its
 * segments. */
int xg_kernel_inspect(struct xg_kernel *k, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->elf;
	const Elf64_Phdr *ph;
	uint64_t lo = UINT64_MAX, hi = 0;
	int i;

	k->has_pvh = k->has_pv = k->has_virt_base = k->has_hypercall_page = false;
	k->paddr_offset = 0;
	if (k->elf_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, "not an ELF image");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		return fail(err, errlen, "ELF image is not x86-64 (class %u, machine %u)",
			    eh->e_ident[EI_CLASS], eh->e_machine);
	if (eh->e_phentsize != sizeof(*ph) || eh->e_phoff > k->elf_size ||
	    (uint64_t)eh->e_phnum * sizeof(*ph) > k->elf_size - eh->e_phoff)
		return fail(err, errlen, "ELF program headers out of bounds");
	ph = (const Elf64_Phdr *)(k->elf + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_offset > k->elf_size ||
		    ph[i].p_filesz > k->elf_size - ph[i].p_offset)
			return fail(err, errlen, "ELF segment %d out of bounds", i);
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz) {
			if (ph[i].p_filesz > ph[i].p_memsz ||
			    ph[i].p_paddr > UINT64_MAX - ph[i].p_memsz)
				return fail(err, errlen, "ELF segment %d has bad sizes", i);
			if (ph[i].p_paddr < lo)
				lo = ph[i].p_paddr;
			if (ph[i].p_paddr + ph[i].p_memsz > hi)
				hi = ph[i].p_paddr + ph[i].p_memsz;
		} else if (ph[i].p_type == PT_NOTE) {
			const uint8_t *n = k->elf + ph[i].p_offset;
			const uint8_t *end = n + ph[i].p_filesz;

			while ((size_t)(end - n) >= 12) {
				uint32_t namesz = get_le32(n), descsz = get_le32(n + 4);
				uint32_t type = get_le32(n + 8);
				size_t nlen = (namesz + 3) & ~3U, dlen = (descsz + 3) & ~3U;
				const uint8_t *name = n + 12, *desc = name + nlen;

				if (namesz > (size_t)(end - name) || nlen > (size_t)(end - name) ||
				    dlen > (size_t)(end - desc))
					break;
				if (namesz == 4 && !memcmp(name, "Xen", 4))
					xen_note(k, type, desc, descsz);
				n = desc + dlen;
			}
		}
	}
	if (hi == 0)
		return fail(err, errlen, "ELF image has nothing to load");
	if (!k->has_pvh && !k->has_pv)
		return fail(err, errlen,
			    "kernel has no PVH entry point (Xen ELF note PHYS32_ENTRY) and no "
			    "PV entry point (ENTRY): it was built without CONFIG_XEN_PVH and "
			    "CONFIG_XEN_PV and cannot boot as a Xen guest");
	k->paddr_start = lo;
	k->paddr_end = hi;
	return 0;
}

/* Where a bzImage keeps its compressed payload. */
static int bzimage_payload(const uint8_t *data, size_t size, const uint8_t **payload,
			   uint32_t *len, char *err, size_t errlen)
{
	unsigned int setup_sects = data[0x1f1] ? data[0x1f1] : 4;
	size_t pm_start = ((size_t)setup_sects + 1) * 512;
	uint32_t off = get_le32(data + 0x248);

	*len = get_le32(data + 0x24c);
	if ((data[0x206] | data[0x207] << 8) < 0x208)
		return fail(err, errlen, "bzImage boot protocol too old to locate the payload");
	if (pm_start > size || off > size - pm_start || *len > size - pm_start - off || *len < 4)
		return fail(err, errlen, "bzImage payload out of bounds");
	*payload = data + pm_start + off;
	return 0;
}

static bool is_bzimage(const uint8_t *data, size_t size)
{
	return size >= 0x250 && get_le32(data + 0x202) == 0x53726448;
}

static int unpack(const uint8_t *payload, uint32_t len, struct outbuf *o, const char **fmt,
		  char *err, size_t errlen)
{
	int rc;

	if (payload[0] == 0x1f && payload[1] == 0x8b) {
		*fmt = "gzip";
		rc = inflate_gzip(payload, len, o);
	} else if (len >= 6 && !memcmp(payload, "\xfd" "7zXZ\0", 6)) {
		*fmt = "xz";
		rc = inflate_xz(payload, len, o);
	} else if (get_le32(payload) == 0xfd2fb528) {
		*fmt = "zstd";
		rc = inflate_zstd(payload, len, o);
	} else if (!memcmp(payload, "BZh", 3)) {
		*fmt = "bzip2";
		rc = inflate_sized(payload, len, o, unbzip2, unbzip2_work_size());
	} else if (len >= 13 && !memcmp(payload, "\x89LZO", 5)) {
		*fmt = "lzo";
		rc = inflate_sized(payload, len, o, unlzo, unlzo_work_size());
	} else if (get_le32(payload) == 0x184c2102) {
		*fmt = "lz4";
		rc = inflate_sized(payload, len, o, unlz4, unlz4_work_size());
	} else if (len >= 22 && payload[0] == 0x5d && payload[1] == 0) {
		*fmt = "lzma";
		rc = inflate_sized(payload, len, o, unlzma, unlzma_work_size());
	} else {
		return fail(err, errlen, "bzImage payload has an unknown compression format "
			    "(gzip, xz, zstd, lz4, lzma, bzip2 and lzo are known)");
	}
	if (rc < 0)
		return fail(err, errlen, "bzImage %s payload is corrupt or too large", *fmt);
	return 0;
}

size_t xg_bzimage_unpacked_size(const uint8_t *data, size_t size)
{
	const uint8_t *payload;
	uint32_t len, want;
	char why[8];

	if (!is_bzimage(data, size) || bzimage_payload(data, size, &payload, &len, why,
						       sizeof(why)) < 0)
		return 0;
	/* Linux appends the unpacked size to every payload. */
	want = get_le32(payload + len - 4);
	if (want < 64 || want > KERNEL_MAX_SIZE || want > (size_t)len * 1024)
		return 0;
	return want;
}

int xg_bzimage_unpack_into(const uint8_t *data, size_t size, uint8_t *out, size_t cap,
			   size_t *got, char *format, size_t flen, char *err, size_t errlen)
{
	struct outbuf o = { .data = out, .cap = cap, .fixed = true };
	const uint8_t *payload;
	const char *fmt = "";
	uint32_t len;

	if (!is_bzimage(data, size))
		return fail(err, errlen, "not a bzImage");
	if (bzimage_payload(data, size, &payload, &len, err, errlen) < 0 ||
	    unpack(payload, len, &o, &fmt, err, errlen) < 0)
		return -1;
	*got = o.size;
	snprintf(format, flen, "bzImage (%s)", fmt);
	return 0;
}

static int bzimage_unpack(const uint8_t *data, size_t size, struct xg_kernel *k,
			  char *err, size_t errlen)
{
	struct outbuf o = { 0 };
	const uint8_t *payload;
	const char *fmt = "";
	uint32_t len;

	if (bzimage_payload(data, size, &payload, &len, err, errlen) < 0)
		return -1;
	/* One allocation of the announced size instead of growing (each
	 * new page costs a fault); growing is the fallback. */
	o.cap = xg_bzimage_unpacked_size(data, size);
	if (o.cap && !(o.data = malloc(o.cap)))
		o.cap = 0;
	if (unpack(payload, len, &o, &fmt, err, errlen) < 0) {
		free(o.data);
		return -1;
	}
	k->elf = o.data;
	k->elf_size = o.size;
	snprintf(k->format, sizeof(k->format), "bzImage (%s)", fmt);
	return 0;
}

int xg_kernel_parse(const uint8_t *data, size_t size, struct xg_kernel *k,
		    char *err, size_t errlen)
{
	memset(k, 0, sizeof(*k));
	if (is_bzimage(data, size)) {
		if (bzimage_unpack(data, size, k, err, errlen) < 0)
			return -1;
	} else if (size >= SELFMAG && !memcmp(data, ELFMAG, SELFMAG)) {
		k->elf = malloc(size);
		if (!k->elf)
			return fail(err, errlen, "out of memory");
		memcpy(k->elf, data, size);
		k->elf_size = size;
		strcpy(k->format, "ELF");
	} else {
		return fail(err, errlen, "neither an ELF image nor a bzImage");
	}
	if (xg_kernel_inspect(k, err, errlen) < 0) {
		xg_kernel_close(k);
		return -1;
	}
	return 0;
}

int xg_kernel_open_cached(const char *path, const char *cache_dir, struct xg_kernel *k,
			  bool *cached, char *err, size_t errlen)
{
	char why[200];
	struct stat st;
	uint8_t *data;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	*cached = false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "kernel %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > KERNEL_MAX_SIZE) {
		close(fd);
		return fail(err, errlen, "kernel %s: not a regular file of sensible size", path);
	}
	if (cache_dir && xg_kcache_lookup(cache_dir, &st, k) == 0) {
		close(fd);
		*cached = true;
		return 0;
	}
	data = malloc((size_t)st.st_size);
	if (!data) {
		close(fd);
		return fail(err, errlen, "kernel %s: out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, data + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(data);
		return fail(err, errlen, "kernel %s: short read", path);
	}
	/* A bzImage is unpacked straight into a new cache entry; anything
	 * else (or a cache that cannot be written) the usual way. */
	if (cache_dir && xg_kcache_fill(cache_dir, &st, data, got, k) == 0) {
		free(data);
		return 0;
	}
	rc = xg_kernel_parse(data, got, k, why, sizeof(why));
	free(data);
	if (rc < 0)
		return fail(err, errlen, "kernel %s: %s", path, why);
	return 0;
}

int xg_kernel_open(const char *path, struct xg_kernel *k, char *err, size_t errlen)
{
	bool cached;

	return xg_kernel_open_cached(path, NULL, k, &cached, err, errlen);
}

void xg_kernel_close(struct xg_kernel *k)
{
	if (k->map)
		munmap(k->map, k->map_len);
	else
		free(k->elf);
	memset(k, 0, sizeof(*k));
}
