/* Dom0's size and guest-physical layout: RAM below 640 KiB and from
 * 1 MiB up, with 64 KiB holding ACPI tables and start_info at the top of
 * RAM or just below 1 GiB, whichever is lower: Linux reads start_info,
 * the memory map and the command line before it maps more than the first
 * GiB. RAM above the info area continues as its own range. */
#include <xenolith/dom0.h>

#define MAX_LOW_TOP 0xF0000000ULL /* below the MMIO hole */
#define INFO_CEILING (1ULL << 30)

uint64_t dom0_mem_size(uint64_t opt, uint64_t opt_min, uint64_t opt_max,
		       uint64_t avail)
{
	uint64_t reserve = MAX(avail / 16, 128ULL << 20);
	uint64_t mem;

	if (opt)
		mem = opt;
	else
		mem = avail > reserve ? avail - reserve : avail / 2;
	if (opt_min && mem < opt_min)
		mem = opt_min;
	if (opt_max && mem > opt_max)
		mem = opt_max;
	if (mem > avail)
		mem = avail;
	return ROUNDDOWN(mem, PAGE_SIZE);
}

int dom0_layout(uint64_t mem, struct dom0_layout *l)
{
	uint64_t top = mem + (HIGH_RAM_START - LOW_RAM_END), info_top;

	if (mem < DOM0_MIN_MEM)
		return -1;
	top = ROUNDDOWN(MIN(top, MAX_LOW_TOP), PAGE_SIZE);
	info_top = MIN(top, INFO_CEILING);
	l->ram_top = top;
	l->info_base = info_top - DOM0_INFO_SIZE;
	l->nr_e820 = 3;
	l->e820[0] = (struct e820_entry){ 0, LOW_RAM_END, E820_RAM };
	l->e820[1] = (struct e820_entry){ HIGH_RAM_START, l->info_base - HIGH_RAM_START, E820_RAM };
	l->e820[2] = (struct e820_entry){ l->info_base, DOM0_INFO_SIZE, E820_ACPI };
	if (top > info_top)
		l->e820[l->nr_e820++] = (struct e820_entry){ info_top, top - info_top, E820_RAM };
	return 0;
}
