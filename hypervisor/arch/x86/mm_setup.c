/* Boot-time memory: place the frame table, hand free RAM to the buddy
 * allocator and switch to the hypervisor's own page tables. */
#include <xenolith/setup.h>
#include <xenolith/mm.h>
#include <xenolith/pagetable.h>
#include <xenolith/printk.h>
#include <xenolith/x86.h>

#define LOW_RESERVED 0x100000ULL /* real-mode area, BIOS data, EBDA */

struct range {
	uint64_t start, end;
};

static unsigned int collect_reserved(struct range *r, unsigned int max)
{
	unsigned int n = 0;

	r[n].start = 0;
	r[n++].end = LOW_RESERVED;
	r[n].start = (uint64_t)(uintptr_t)_start_image;
	r[n++].end = ROUNDUP((uint64_t)(uintptr_t)_end_image, PAGE_SIZE);
	for (unsigned int i = 0; i < boot_info.nr_modules && n < max; i++) {
		r[n].start = ROUNDDOWN(boot_info.modules[i].start, PAGE_SIZE);
		r[n++].end = ROUNDUP(boot_info.modules[i].end, PAGE_SIZE);
	}
	return n;
}

static bool overlaps(const struct range *r, unsigned int n, uint64_t s, uint64_t e)
{
	for (unsigned int i = 0; i < n; i++)
		if (s < r[i].end && r[i].start < e)
			return true;
	return false;
}

/* Highest page-aligned hole of size bytes in RAM below 4 GiB. */
static uint64_t find_hole(const struct range *r, unsigned int n, uint64_t size)
{
	for (int i = (int)boot_info.nr_e820 - 1; i >= 0; i--) {
		const struct e820_entry *e = &boot_info.e820[i];
		uint64_t top, s;

		if (e->type != E820_RAM)
			continue;
		top = ROUNDDOWN(MIN(e->addr + e->size, 1ULL << 32), PAGE_SIZE);
		while (top >= e->addr + size && top >= size) {
			s = ROUNDDOWN(top - size, PAGE_SIZE);
			if (s < e->addr || s < LOW_RESERVED)
				break;
			if (!overlaps(r, n, s, s + size))
				return s;
			top -= PAGE_SIZE * 256; /* step down 1 MiB and retry */
		}
	}
	return 0;
}

static bool chunk_has_ram(uint64_t s, uint64_t e)
{
	for (unsigned int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *x = &boot_info.e820[i];

		if (x->type == E820_RAM && s < x->addr + x->size && x->addr < e)
			return true;
	}
	return false;
}

static void build_hv_pagetables(uint64_t top)
{
	uint64_t root = pt_alloc_root();

	if (root == INVALID_PFN)
		panic("no memory for the hypervisor page tables");
	for (uint64_t a = 0; a < top; a += 1ULL << 21) {
		uint64_t flags = PTE_P | PTE_RW | PTE_G;

		/* MMIO and holes are uncached; RAM write-back */
		if (!chunk_has_ram(a, a + (1ULL << 21)))
			flags |= PTE_PCD | PTE_PWT;
		if (pt_map(root, a, a, flags, PT_LEVEL_2M, PTE_P | PTE_RW))
			panic("cannot map %#llx in the hypervisor page tables",
			      (unsigned long long)a);
	}
	write_cr3(root << PAGE_SHIFT);
	printk("Hypervisor page tables: identity map of %llu GiB, root %#llx\n",
	       (unsigned long long)(top >> 30), (unsigned long long)(root << PAGE_SHIFT));
}

void mm_setup(void)
{
	struct range res[BOOT_MAX_MODULES + 4];
	unsigned int nres;
	uint64_t max_pfn = 0, ft_size, ft, top;

	for (unsigned int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];

		if (e->type == E820_RAM)
			max_pfn = MAX(max_pfn, (e->addr + e->size) >> PAGE_SHIFT);
	}
	if (max_pfn > (64ULL << 30) >> PAGE_SHIFT) {
		log_warn("RAM above 64 GiB ignored\n");
		max_pfn = (64ULL << 30) >> PAGE_SHIFT;
	}
	nres = collect_reserved(res, ARRAY_SIZE(res));
	ft_size = ROUNDUP(max_pfn * sizeof(struct page_info), PAGE_SIZE);
	ft = find_hole(res, nres, ft_size);
	if (!ft)
		panic("no room for a %llu KiB frame table below 4 GiB",
		      (unsigned long long)(ft_size >> 10));
	res[nres].start = ft;
	res[nres++].end = ft + ft_size;
	mm_init((struct page_info *)(uintptr_t)ft, max_pfn, (uint8_t *)0);

	for (unsigned int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];
		uint64_t s = ROUNDUP(e->addr, PAGE_SIZE);
		uint64_t end = ROUNDDOWN(MIN(e->addr + e->size, max_pfn << PAGE_SHIFT), PAGE_SIZE);

		if (e->type != E820_RAM)
			continue;
		/* free everything in [s, end) that is not reserved */
		while (s < end) {
			uint64_t next = end;
			bool hit = false;

			for (unsigned int r = 0; r < nres; r++) {
				if (s >= res[r].start && s < res[r].end) {
					s = res[r].end;
					hit = true;
					break;
				}
				if (res[r].start > s && res[r].start < next)
					next = res[r].start;
			}
			if (hit)
				continue;
			mm_add_free_range(s >> PAGE_SHIFT, next >> PAGE_SHIFT);
			s = next;
		}
	}
	printk("Frame table at %#llx (%llu KiB); %llu MiB free of %llu MiB managed\n",
	       (unsigned long long)ft, (unsigned long long)(ft_size >> 10),
	       (unsigned long long)(mm_free_pages() >> 8),
	       (unsigned long long)(mm_total_pages() >> 8));
	top = MAX(1ULL << 32, ROUNDUP(max_pfn << PAGE_SHIFT, 1ULL << 30));
	build_hv_pagetables(top);
}

void mm_release_modules(void)
{
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		uint64_t s = ROUNDDOWN(boot_info.modules[i].start, PAGE_SIZE);
		uint64_t e = ROUNDUP(boot_info.modules[i].end, PAGE_SIZE);

		if (s < LOW_RESERVED)
			s = LOW_RESERVED;
		/* pages shared with the image or another module stay reserved */
		for (uint64_t p = s; p < e; p += PAGE_SIZE) {
			bool shared = p < ROUNDUP((uint64_t)(uintptr_t)_end_image, PAGE_SIZE);

			for (unsigned int j = 0; j < boot_info.nr_modules && !shared; j++)
				if (j != i && p < ROUNDUP(boot_info.modules[j].end, PAGE_SIZE) &&
				    ROUNDDOWN(boot_info.modules[j].start, PAGE_SIZE) <= p)
					shared = j > i; /* the later one frees it */
			if (!shared)
				mm_add_free_range(p >> PAGE_SHIFT, (p >> PAGE_SHIFT) + 1);
		}
	}
}
