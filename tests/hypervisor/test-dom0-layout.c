/* Dom0 memory sizing and guest-physical layout. */
#include "check.h"
#include "common/dom0_layout.c"

#define MiB (1ULL << 20)

int main(void)
{
	struct dom0_layout l;

	CHECK(dom0_mem_size(512 * MiB, 0, 0, 2000 * MiB) == 512 * MiB, "explicit dom0_mem");
	CHECK(dom0_mem_size(0, 0, 0, 2048 * MiB) == 2048 * MiB - 128 * MiB,
	      "default keeps max(1/16, 128 MiB) for the hypervisor");
	CHECK(dom0_mem_size(0, 0, 0, 4096 * MiB) == 4096 * MiB - 256 * MiB, "1/16 of 4 GiB");
	CHECK(dom0_mem_size(4096 * MiB, 0, 0, 1000 * MiB) == 1000 * MiB, "capped at what is free");
	CHECK(dom0_mem_size(64 * MiB, 128 * MiB, 0, 1000 * MiB) == 128 * MiB, "min: raises");
	CHECK(dom0_mem_size(0, 0, 300 * MiB, 1000 * MiB) == 300 * MiB, "max: caps");
	CHECK(dom0_layout(8 * MiB, &l) < 0, "too small refused");
	CHECK(dom0_layout(512 * MiB, &l) == 0, "512 MiB layout");
	CHECK(l.nr_e820 == 3 && l.e820[0].addr == 0 && l.e820[0].size == 0xA0000 &&
	      l.e820[0].type == 1, "low RAM below 640 KiB");
	CHECK(l.e820[1].addr == 0x100000 && l.e820[2].type == 3 &&
	      l.e820[2].addr == l.info_base && l.info_base + DOM0_INFO_SIZE == l.ram_top,
	      "RAM from 1 MiB, ACPI/start_info area at the top");
	CHECK(l.e820[0].size + l.e820[1].size + DOM0_INFO_SIZE == 512 * MiB,
	      "populated pages add up to dom0_mem");
	CHECK(dom0_layout(1024 * MiB, &l) == 0, "1024 MiB layout");
	CHECK(l.info_base + DOM0_INFO_SIZE <= (1ULL << 30),
	      "start_info area below 1 GiB (Linux reads it before mapping more)");
	CHECK(l.nr_e820 == 4 && l.e820[3].type == 1 && l.e820[3].addr == (1ULL << 30) &&
	      l.e820[3].addr + l.e820[3].size == l.ram_top, "RAM above the area up to the top");
	CHECK(l.e820[0].size + l.e820[1].size + DOM0_INFO_SIZE + l.e820[3].size == 1024 * MiB,
	      "1024 MiB: populated pages add up to dom0_mem");
	CHECK(dom0_layout(8192 * MiB, &l) == 0 && l.ram_top <= 0xF0000000ULL,
	      "large dom0 stays below the MMIO hole");
	return check_done();
}
