/* pvh-crash: a dom0 that misbehaves on purpose.  The hypervisor must log
 * why it crashed the domain and then take the machine down cleanly.
 * Command line "npf" executes from a guest-physical address with no RAM;
 * anything else (the default) triple faults. */
#include "lib/guest.h"
#include <xen/arch-x86/hvm/start_info.h>

void guest_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
	const char *cmd = si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "";

	if (!strcmp(cmd, "npf")) {
		const struct hvm_memmap_table_entry *m =
			(const void *)(uintptr_t)si->memmap_paddr;
		uint64_t top = 0;

		for (unsigned int i = 0; i < si->memmap_entries; i++)
			if (m[i].addr + m[i].size > top)
				top = m[i].addr + m[i].size;
		/* the first page above everything the memory map describes,
		 * reached through our own 4 GiB identity map.  Data accesses
		 * there read as unbacked MMIO (all ones); executing there
		 * cannot be emulated and must crash the domain. */
		guest_printf("pvh-crash: reading guest-physical %#llx (beyond RAM): %#x\n",
			     (unsigned long long)top, *(volatile uint32_t *)(uintptr_t)top);
		guest_printf("pvh-crash: jumping to guest-physical %#llx\n", (unsigned long long)top);
		((void (*)(void))(uintptr_t)top)();
	} else {
		struct {
			uint16_t limit;
			uint64_t base;
		} __attribute__((packed)) empty = { 0, 0 };

		guest_printf("pvh-crash: triple faulting on purpose\n");
		__asm__ volatile("lidt %0; int3" : : "m"(empty));
	}
	guest_printf("pvh-crash: still running: the fault was not delivered\n");
	guest_printf("Test result: FAILURE\n");
	guest_shutdown(0);
}
