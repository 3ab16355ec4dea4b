/* Power off (ACPI S5 through the FADT's PM1 control registers) and reset
 * (0xCF9, then the keyboard controller, then a triple fault). */
#include <xenolith/power.h>
#include <xenolith/printk.h>
#include <xenolith/x86.h>
#include <xenolith/setup.h>

static uint16_t pm1a_cnt, pm1b_cnt;
static uint8_t slp_typa, slp_typb;
static bool s5_ok;

static const uint8_t *find_rsdp_in(uint64_t start, uint64_t len)
{
	for (uint64_t a = start; a + 20 <= start + len; a += 16) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)a;

		if (!memcmp(p, "RSD PTR ", 8) && acpi_checksum_ok(p, 20))
			return p;
	}
	return NULL;
}

static const uint8_t *table_at(uint64_t pa)
{
	const uint8_t *t = (const uint8_t *)(uintptr_t)pa;
	uint32_t len;

	if (!pa || pa >= (1ULL << 32))
		return NULL;
	memcpy(&len, t + 4, 4);
	if (len < 36 || len > (1U << 20) || !acpi_checksum_ok(t, len))
		return NULL;
	return t;
}

void power_init(uint64_t rsdp_hint)
{
	const uint8_t *rsdp = rsdp_hint ? (const uint8_t *)(uintptr_t)rsdp_hint : NULL;
	const uint8_t *root, *fadt = NULL, *dsdt;
	uintptr_t bda = 0x40E; /* BIOS data area: EBDA segment */
	uint64_t ebda;
	uint32_t rlen, dsdt32, dlen;
	uint64_t dsdt64 = 0, xsdt = 0;
	bool use_x;

	/* hide the constant address from the compiler's bounds analysis */
	__asm__("" : "+r"(bda));
	ebda = (uint64_t)*(const uint16_t *)bda << 4;
	if (!rsdp && ebda >= 0x80000 && ebda < 0xA0000)
		rsdp = find_rsdp_in(ebda, 1024);
	if (!rsdp)
		rsdp = find_rsdp_in(0xE0000, 0x20000);
	if (!rsdp) {
		log_warn("ACPI: no RSDP found; power off will not work\n");
		return;
	}
	{
		uint32_t rsdt;

		memcpy(&rsdt, rsdp + 16, 4);
		if (rsdp[15] >= 2)
			memcpy(&xsdt, rsdp + 24, 8);
		use_x = xsdt != 0;
		root = table_at(use_x ? xsdt : rsdt);
	}
	if (!root) {
		log_warn("ACPI: root table unreadable\n");
		return;
	}
	memcpy(&rlen, root + 4, 4);
	for (uint32_t off = 36; off + (use_x ? 8 : 4) <= rlen; off += use_x ? 8 : 4) {
		uint64_t pa = 0;
		const uint8_t *t;

		memcpy(&pa, root + off, use_x ? 8 : 4);
		t = table_at(pa);
		if (t && !memcmp(t, "FACP", 4)) {
			fadt = t;
			break;
		}
	}
	if (!fadt) {
		log_warn("ACPI: no FADT\n");
		return;
	}
	{
		uint32_t a, b, flen;

		memcpy(&flen, fadt + 4, 4);
		memcpy(&a, fadt + 64, 4);
		memcpy(&b, fadt + 68, 4);
		pm1a_cnt = (uint16_t)a;
		pm1b_cnt = (uint16_t)b;
		memcpy(&dsdt32, fadt + 40, 4);
		if (flen >= 148)
			memcpy(&dsdt64, fadt + 140, 8);
	}
	dsdt = table_at(dsdt64 ? dsdt64 : dsdt32);
	if (!dsdt || !pm1a_cnt) {
		log_warn("ACPI: no DSDT or PM1a control block\n");
		return;
	}
	memcpy(&dlen, dsdt + 4, 4);
	if (acpi_find_s5(dsdt + 36, dlen - 36, &slp_typa, &slp_typb)) {
		log_warn("ACPI: no \\_S5 package in the DSDT\n");
		return;
	}
	s5_ok = true;
	printk("ACPI: S5 via PM1a_CNT %#x (SLP_TYP %u)\n", pm1a_cnt, slp_typa);
}

void machine_halt(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void machine_power_off(void)
{
	if (s5_ok) {
		outw(pm1a_cnt, (uint16_t)((slp_typa << 10) | (1U << 13)));
		if (pm1b_cnt)
			outw(pm1b_cnt, (uint16_t)((slp_typb << 10) | (1U << 13)));
		/* the platform acts asynchronously: give it time before
		 * declaring failure (port 0x80 reads pace the loop) */
		for (unsigned int i = 0; i < 2000000; i++)
			(void)inb(0x80);
	}
	log_err("Power off failed: halting\n");
	machine_halt();
}

void machine_restart(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) null_idt = { 0, 0 };

	outb(0xCF9, 0x02);
	outb(0xCF9, 0x06);
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		cpu_relax();
	outb(0x64, 0xFE);
	/* last resort: triple fault */
	__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
	machine_halt();
}

void panic_action(void)
{
	if (hv_opts.noreboot) {
		printk("Manual reset required ('noreboot' specified)\n");
		machine_halt();
	}
	printk("Rebooting machine\n");
	machine_restart();
}
