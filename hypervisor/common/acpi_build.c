/* Guest ACPI tables, laid out back to back: RSDP, XSDT, MADT, FADT, DSDT. */
#include <xenolith/acpi_build.h>

#define HDR_LEN 36
#define FADT_LEN 276 /* revision 6 */
#define FADT_FLAG_HW_REDUCED (1U << 20)
#define IAPC_VGA_NOT_PRESENT (1U << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1U << 5)

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)(0x100 - s);
}

static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "XENOLI", 6);
	memcpy(t + 16, "Xenolith", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "XNLT", 4);
	put32(t + 32, 1);
}

static void seal(uint8_t *t, uint32_t len)
{
	t[9] = 0;
	t[9] = checksum(t, len);
}

/* Name (_S5, Package (2) { 5, 5 }) */
static const uint8_t s5_aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02,
				  0x0A, ACPI_S5_SLP_TYP, 0x0A, ACPI_S5_SLP_TYP };

static void gas_io(uint8_t *g, uint16_t port)
{
	g[0] = 1; /* system I/O */
	g[1] = 8; /* bit width */
	g[2] = 0;
	g[3] = 1; /* byte access */
	put64(g + 4, port);
}

size_t acpi_build(uint8_t *buf, size_t buflen, uint64_t base, unsigned int nr_vcpus)
{
	size_t rsdp_off = 0, xsdt_off = 48, madt_off, fadt_off, dsdt_off, end;
	uint32_t xsdt_len = HDR_LEN + 2 * 8;
	uint32_t madt_len = HDR_LEN + 8 + 8 * nr_vcpus;
	uint8_t *t;

	madt_off = ROUNDUP(xsdt_off + xsdt_len, 16);
	fadt_off = ROUNDUP(madt_off + madt_len, 16);
	dsdt_off = ROUNDUP(fadt_off + FADT_LEN, 16);
	end = dsdt_off + HDR_LEN + sizeof(s5_aml);
	if (end > buflen || nr_vcpus == 0 || nr_vcpus > 255)
		return 0;
	memset(buf, 0, end);

	/* DSDT: no devices, just the S5 sleep type */
	t = buf + dsdt_off;
	header(t, "DSDT", HDR_LEN + sizeof(s5_aml), 2);
	memcpy(t + HDR_LEN, s5_aml, sizeof(s5_aml));
	seal(t, HDR_LEN + sizeof(s5_aml));

	/* FADT: hardware-reduced, no legacy devices, points at the DSDT */
	t = buf + fadt_off;
	header(t, "FACP", FADT_LEN, 6);
	put32(t + 40, (uint32_t)(base + dsdt_off));
	t[109] = IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT;
	put32(t + 112, FADT_FLAG_HW_REDUCED);
	t[131] = 0; /* minor version */
	put64(t + 140, base + dsdt_off);
	gas_io(t + 244, ACPI_SLEEP_CONTROL_PORT);
	gas_io(t + 256, ACPI_SLEEP_STATUS_PORT);
	memcpy(t + 268, "Xenolith", 8); /* hypervisor vendor identity */
	seal(t, FADT_LEN);

	/* MADT: local APICs only, UID i, APIC id 2*i */
	t = buf + madt_off;
	header(t, "APIC", madt_len, 4);
	put32(t + 36, ACPI_LAPIC_BASE);
	put32(t + 40, 0);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		uint8_t *e = t + 44 + 8 * i;

		e[0] = 0; /* processor local APIC */
		e[1] = 8;
		e[2] = (uint8_t)i;
		e[3] = (uint8_t)(2 * i);
		put32(e + 4, 1); /* enabled */
	}
	seal(t, madt_len);

	t = buf + xsdt_off;
	header(t, "XSDT", xsdt_len, 1);
	put64(t + 36, base + fadt_off);
	put64(t + 44, base + madt_off);
	seal(t, xsdt_len);

	t = buf + rsdp_off;
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + 9, "XENOLI", 6);
	t[15] = 2;
	put32(t + 16, 0);
	put32(t + 20, 36);
	put64(t + 24, base + xsdt_off);
	t[8] = checksum(t, 20);
	t[32] = checksum(t, 36);
	return end;
}
