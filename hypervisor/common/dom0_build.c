/* Dom0 construction: memory, kernel (ELF with PHYS32_ENTRY), initrd,
 * ACPI tables, hvm_start_info, and the vCPU0 entry state.  Every check
 * that fails names the module and the field. */
#include <xenolith/dom0.h>
#include <xenolith/acpi_build.h>
#include <xenolith/elf.h>
#include <xenolith/decompress.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/setup.h>
#include <xenolith/svm.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>


static uint64_t unpacked_pfn = INVALID_PFN;
static unsigned int unpacked_order;

static const uint8_t *module_data(unsigned int i, size_t *len)
{
	const struct boot_module *m = &boot_info.modules[i];

	*len = (size_t)(m->end - m->start);
	return (const uint8_t *)(uintptr_t)m->start;
}

/* A bzImage payload format the hypervisor unpacks: known by its first
 * bytes, as Xen 4.17 knows them. */
struct payload_fmt {
	const char *name;
	const char *magic;
	size_t magic_len, min_len;
	/* where the unpacked size is: appended by Linux (le32), or the
	 * format's own (xz's index, gzip's trailer) */
	enum { SIZE_APPENDED, SIZE_XZ_INDEX, SIZE_GZIP_TRAILER } size_at;
	size_t (*work_size)(void);
	long (*decode)(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen,
		       void *work, char *err, size_t errlen);
};

static const struct payload_fmt payload_fmts[] = {
	{ "xz", "\xFD" "7zXZ", 6, 24, SIZE_XZ_INDEX, unxz_work_size, unxz },
	{ "gzip", "\x1F\x8B", 2, 18, SIZE_GZIP_TRAILER, gunzip_work_size, gunzip },
	{ "zstd", "\x28\xB5\x2F\xFD", 4, 12, SIZE_APPENDED, unzstd_work_size, unzstd },
	{ "lz4", "\x02\x21\x4C\x18", 4, 8, SIZE_APPENDED, unlz4_work_size, unlz4 },
	/* .lzma has no magic: the properties byte lzma writes and a zero low
	 * byte of the dictionary size stand for one */
	{ "lzma", "\x5D\x00", 2, 22, SIZE_APPENDED, unlzma_work_size, unlzma },
	{ "bzip2", "BZh", 3, 18, SIZE_APPENDED, unbzip2_work_size, unbzip2 },
	{ "lzo", "\x89LZO\x00", 5, 13, SIZE_APPENDED, unlzo_work_size, unlzo },
};

/* The unpacked size (see size_at); Linux's appended size also comes after
 * an xz stream, which it then shortens. */
static uint32_t payload_size(const struct payload_fmt *f, const uint8_t *payload,
			     uint32_t *plen)
{
	uint32_t size;

	if (f->size_at == SIZE_XZ_INDEX) {
		uint64_t sz = unxz_size(payload, *plen);

		if (!sz && *plen > 28 && !memcmp(payload + *plen - 6, "YZ", 2)) {
			*plen -= 4;
			sz = unxz_size(payload, *plen);
		}
		return sz > (1ULL << 30) ? 0 : (uint32_t)sz;
	}
	if (f->size_at == SIZE_GZIP_TRAILER)
		return gzip_isize(payload, *plen);
	memcpy(&size, payload + *plen - 4, 4);
	return size;
}

/* Unpack payload[0..plen) of out_len bytes into fresh pages (freed with
 * the boot modules); returns the bytes written. */
static long payload_unpack(const struct payload_fmt *f, const uint8_t *payload,
			   uint32_t plen, uint32_t out_len, uint8_t **out)
{
	void *work = xmalloc(f->work_size());
	unsigned int order = 0;
	char err[96];
	uint64_t pfn;
	long n;

	if (!out_len || out_len > (1u << 30))
		panic("Dom0 kernel (module 0): bzImage %s payload: no usable unpacked size",
		      f->name);
	while ((PAGE_SIZE << order) < out_len)
		order++;
	pfn = mm_alloc(order, PAGE_OWNER_XEN);
	if (pfn == INVALID_PFN || !work)
		panic("Dom0 kernel (module 0): no memory to decompress %u bytes", out_len);
	*out = mm_page_virt(pfn);
	n = f->decode(payload, plen, *out, out_len, work, err, sizeof(err));
	xfree(work);
	if (n < 0)
		panic("Dom0 kernel (module 0): bzImage %s payload: %s", f->name, err);
	unpacked_pfn = pfn;
	unpacked_order = order;
	return n;
}

/* bzImage: the payload (any format of payload_fmts) holds the ELF vmlinux.
 * Returns the decompressed image in hypervisor memory (freed with the
 * boot modules). */
static const uint8_t *bzimage_unpack(const uint8_t *img, size_t *len)
{
	unsigned int setup_sects = img[0x1F1] ? img[0x1F1] : 4;
	uint16_t version = (uint16_t)(img[0x206] | img[0x207] << 8);
	size_t start = ((size_t)setup_sects + 1) * 512;
	const struct payload_fmt *f;
	uint32_t poff, plen, out_len;
	const uint8_t *payload;
	uint8_t *out;
	long n;

	if (version < 0x208)
		panic("Dom0 kernel (module 0): bzImage boot protocol %#x has no payload fields "
		      "(need >= 2.08)", version);
	memcpy(&poff, img + 0x248, 4);
	memcpy(&plen, img + 0x24C, 4);
	if (start > *len || poff > *len - start || plen > *len - start - poff)
		panic("Dom0 kernel (module 0): bzImage payload [%#x + %u] outside the %zu-byte image",
		      poff, plen, *len);
	payload = img + start + poff;
	for (f = payload_fmts; f < payload_fmts + ARRAY_SIZE(payload_fmts); f++)
		if (plen >= f->min_len && !memcmp(payload, f->magic, f->magic_len))
			break;
	if (f == payload_fmts + ARRAY_SIZE(payload_fmts))
		panic("Dom0 kernel (module 0): bzImage payload is not gzip, xz, zstd, lz4, lzma, "
		      "bzip2 or lzo");
	out_len = payload_size(f, payload, &plen);
	n = payload_unpack(f, payload, plen, out_len, &out);
	printk("Dom0 kernel: bzImage (protocol %u.%02u), %s payload %u -> %ld bytes\n",
	       version >> 8, version & 0xFF, f->name, plen, n);
	*len = (size_t)n;
	return out;
}

struct domain *dom0_build(void)
{
	struct elf_info ei;
	struct dom0_layout l;
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct domain *d;
	const uint8_t *kimg;
	size_t klen, acpi_len;
	uint64_t mem, avail, initrd_gpa = 0, initrd_len = 0;
	uint64_t si_gpa, mod_gpa, cmd_gpa, modcmd_gpa;
	unsigned int nr_vcpus;
	uint8_t acpi[4096];
	char err[128];
	const char *cmd;

	printk("*** Building a PVH Dom0 ***\n");
	if (boot_info.nr_modules == 0)
		panic("No dom0 kernel: the first multiboot module must be the dom0 kernel");
	if (!hv_opts.dom0_pvh)
		panic("dom0=pv requested, but Xenolith only builds PVH dom0s");
	kimg = module_data(0, &klen);
	if (klen >= 0x250 && !memcmp(kimg + 0x202, "HdrS", 4))
		kimg = bzimage_unpack(kimg, &klen);
	if (elf_parse(kimg, klen, &ei, err, sizeof(err)))
		panic("Dom0 kernel (module 0): %s", err);
	if (!ei.has_phys32_entry)
		panic("Dom0 kernel (module 0): no XEN_ELFNOTE_PHYS32_ENTRY note: not PVH capable");

	nr_vcpus = hv_opts.dom0_vcpus_max ? hv_opts.dom0_vcpus_max : 1;
	if (nr_vcpus > MAX_VCPUS) {
		log_warn("dom0_max_vcpus=%u capped to %u\n", nr_vcpus, MAX_VCPUS);
		nr_vcpus = MAX_VCPUS;
	}
	avail = mm_free_pages() << PAGE_SHIFT;
	mem = dom0_mem_size(hv_opts.dom0_mem, hv_opts.dom0_mem_min, hv_opts.dom0_mem_max,
			    avail > (16ULL << 20) ? avail - (16ULL << 20) : 0);
	if (dom0_layout(mem, &l))
		panic("Dom0 memory %llu KiB is below the %llu MiB minimum",
		      (unsigned long long)(mem >> 10), (unsigned long long)(DOM0_MIN_MEM >> 20));
	if (ei.paddr_lo < HIGH_RAM_START || ei.paddr_hi > l.info_base)
		panic("Dom0 kernel (module 0): segments [%#llx, %#llx) do not fit dom0 RAM "
		      "[%#llx, %#llx)", (unsigned long long)ei.paddr_lo,
		      (unsigned long long)ei.paddr_hi, (unsigned long long)HIGH_RAM_START,
		      (unsigned long long)l.info_base);

	d = domain_create(0, true, nr_vcpus);
	if (!d)
		panic("Cannot create dom0: out of memory");
	d->e820 = xmalloc(sizeof(l.e820[0]) * l.nr_e820);
	if (!d->e820)
		panic("Cannot create dom0: out of memory");
	d->nr_e820 = l.nr_e820;
	memcpy(d->e820, l.e820, sizeof(l.e820[0]) * l.nr_e820);
	/* the legacy hole 640K-1M is backed by zeroed pages (not reported as
	 * RAM): ROM and BIOS-table scans then find nothing instead of
	 * faulting */
	if (p2m_populate(d, 0, HIGH_RAM_START >> PAGE_SHIFT) ||
	    p2m_populate(d, HIGH_RAM_START >> PAGE_SHIFT,
			 (l.ram_top - HIGH_RAM_START) >> PAGE_SHIFT))
		panic("Out of memory populating %llu MiB for dom0", (unsigned long long)(mem >> 20));
	d->nr_pages -= (HIGH_RAM_START - LOW_RAM_END) >> PAGE_SHIFT;
	d->max_pages = d->nr_pages;
	printk("Dom0 memory: %llu MiB, RAM [0, %#llx) and [%#llx, %#llx), %u vCPU%s\n",
	       (unsigned long long)((d->nr_pages << PAGE_SHIFT) >> 20),
	       (unsigned long long)LOW_RAM_END, (unsigned long long)HIGH_RAM_START,
	       (unsigned long long)l.info_base, nr_vcpus, nr_vcpus > 1 ? "s" : "");

	for (unsigned int i = 0; i < ei.nr_segments; i++) {
		const struct elf_segment *s = &ei.seg[i];

		if (copy_to_guest_phys(d, s->paddr, kimg + s->offset, s->filesz) ||
		    clear_guest_phys(d, s->paddr + s->filesz, s->memsz - s->filesz))
			panic("Dom0 kernel (module 0): segment %u at %#llx outside dom0 RAM", i,
			      (unsigned long long)s->paddr);
	}
	printk("Dom0 kernel: ELF64 %s, [%#llx, %#llx), PVH entry %#llx\n",
	       ei.guest_os[0] ? ei.guest_os : "(no GUEST_OS note)",
	       (unsigned long long)ei.paddr_lo, (unsigned long long)ei.paddr_hi,
	       (unsigned long long)ei.phys32_entry);

	if (boot_info.nr_modules > 1) {
		const uint8_t *rd = module_data(1, &klen);

		initrd_len = klen;
		initrd_gpa = ROUNDDOWN(l.info_base - initrd_len, PAGE_SIZE);
		if (initrd_len > l.info_base || initrd_gpa < ROUNDUP(ei.paddr_hi, PAGE_SIZE))
			panic("Dom0 initrd (module 1, %llu bytes) does not fit in dom0 RAM above the kernel",
			      (unsigned long long)initrd_len);
		if (copy_to_guest_phys(d, initrd_gpa, rd, initrd_len))
			panic("Dom0 initrd (module 1): copy failed");
		printk("Dom0 initrd: %llu bytes at %#llx\n", (unsigned long long)initrd_len,
		       (unsigned long long)initrd_gpa);
	}

	/* info area: ACPI at +0, start_info at +16K, modlist +16K+64,
	 * kernel cmdline at +20K, initrd cmdline at +24K */
	acpi_len = acpi_build(acpi, sizeof(acpi), l.info_base, nr_vcpus);
	if (!acpi_len || copy_to_guest_phys(d, l.info_base, acpi, acpi_len))
		panic("Cannot build dom0 ACPI tables");
	si_gpa = l.info_base + 0x4000;
	mod_gpa = si_gpa + 64;
	cmd_gpa = l.info_base + 0x5000;
	modcmd_gpa = l.info_base + 0x6000;
	cmd = cmdline_skip_image(boot_info.modules[0].cmdline);
	if (copy_to_guest_phys(d, cmd_gpa, cmd, strlen(cmd) + 1))
		panic("Cannot write dom0 command line");
	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = 1;
	si.flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
	si.cmdline_paddr = cmd_gpa;
	si.rsdp_paddr = l.info_base;
	if (initrd_len) {
		const char *mc = cmdline_skip_image(boot_info.modules[1].cmdline);

		memset(&mod, 0, sizeof(mod));
		mod.paddr = initrd_gpa;
		mod.size = initrd_len;
		if (*mc) {
			mod.cmdline_paddr = modcmd_gpa;
			if (copy_to_guest_phys(d, modcmd_gpa, mc, strlen(mc) + 1))
				panic("Cannot write dom0 initrd command line");
		}
		if (copy_to_guest_phys(d, mod_gpa, &mod, sizeof(mod)))
			panic("Cannot write dom0 module list");
		si.nr_modules = 1;
		si.modlist_paddr = mod_gpa;
	}
	{
		struct hvm_memmap_table_entry mm[4];
		uint64_t mm_gpa = l.info_base + 0x4800;

		for (unsigned int i = 0; i < l.nr_e820; i++) {
			mm[i].addr = l.e820[i].addr;
			mm[i].size = l.e820[i].size;
			mm[i].type = l.e820[i].type;
			mm[i].reserved = 0;
		}
		if (copy_to_guest_phys(d, mm_gpa, mm, sizeof(mm[0]) * l.nr_e820))
			panic("Cannot write dom0 memory map");
		si.memmap_paddr = mm_gpa;
		si.memmap_entries = l.nr_e820;
	}
	if (copy_to_guest_phys(d, si_gpa, &si, sizeof(si)))
		panic("Cannot write dom0 start_info");

	if (unpacked_pfn != INVALID_PFN)
		mm_free(unpacked_pfn, unpacked_order);
	if (svm_vcpu_init(d->vcpus[0], ei.phys32_entry, si_gpa))
		panic("Cannot set up dom0 vCPU0");
	d->vcpus[0]->online = true;
	d->vcpus[0]->initialised = true;
	printk("Dom0 start_info at %#llx, ACPI RSDP at %#llx, cmdline '%s'\n",
	       (unsigned long long)si_gpa, (unsigned long long)l.info_base, cmd);
	return d;
}
