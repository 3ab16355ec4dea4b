/* Building the PVH control domain from the multiboot modules. */
#ifndef XENOLITH_DOM0_H
#define XENOLITH_DOM0_H

#include "domain.h"

/* Guest-physical layout helpers (pure, unit tested). */
struct dom0_layout {
	uint64_t ram_top; /* end of the low RAM range */
	uint64_t info_base; /* start of the ACPI/start_info area */
	unsigned int nr_e820;
	struct e820_entry e820[4];
};

#define DOM0_INFO_SIZE 0x10000ULL
#define LOW_RAM_END 0xA0000ULL
#define HIGH_RAM_START 0x100000ULL
#define DOM0_MIN_MEM (16ULL << 20)

/* Amount of memory for dom0 given options and free memory (bytes). */
uint64_t dom0_mem_size(uint64_t opt, uint64_t opt_min, uint64_t opt_max,
		       uint64_t avail);
int dom0_layout(uint64_t mem, struct dom0_layout *l);

struct domain *dom0_build(void);
/* Place d's vCPUs on the pCPUs' run queues and run them (boot CPU). */
void scheduler_start(struct domain *d) __attribute__((noreturn));
/* An AP's life after bring-up: idle until there is work, then schedule. */
void scheduler_ap(unsigned int cpu) __attribute__((noreturn));
/* Time pCPU cpu has spent halted with nothing to run. */
uint64_t scheduler_idle_ns(unsigned int cpu);
/* Has the boot CPU started scheduling? */
bool scheduler_started(void);

#endif
