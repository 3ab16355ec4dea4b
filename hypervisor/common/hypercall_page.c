/* The legacy hypercall page a guest requests through MSR 0x40000000. */
#include <xenolith/hypercall.h>
#include <xen/xen.h>

void hypercall_page_fill(uint8_t page[4096])
{
	memset(page, 0xCC, 4096);
	for (unsigned int n = 0; n < HYPERCALL_PAGE_ENTRIES; n++) {
		uint8_t *p = page + 32 * n;

		if (n == __HYPERVISOR_iret) {
			p[0] = 0x0F; /* ud2: no iret hypercall for HVM */
			p[1] = 0x0B;
			continue;
		}
		p[0] = 0xB8; /* mov $n, %eax */
		p[1] = (uint8_t)n;
		p[2] = p[3] = p[4] = 0;
		p[5] = 0x0F; /* vmmcall */
		p[6] = 0x01;
		p[7] = 0xD9;
		p[8] = 0xC3; /* ret */
	}
}
