/* ACPI tables for PVH guests: RSDP, XSDT, a hardware-reduced FADT, an
 * empty DSDT and a MADT naming every vCPU's local APIC. Linux PVH guests
 * find their processors only here (they never use VCPUOP_initialise). */
#include <string.h>
#include "include/xenguest.h"

#define ACPI_OEM_ID "Xen   "		/* what guests see under Xen, too */
#define ACPI_OEM_TABLE_ID "Xenolith"
#define ACPI_CREATOR_ID "XNLT"
#define LAPIC_BASE 0xFEE00000u
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define IAPC_BOOT_NO_VGA (1u << 2)
#define IAPC_BOOT_NO_CMOS_RTC (1u << 5)

/* Offsets inside the one page the tables share. */
#define AT_RSDP 0
#define AT_XSDT 64
#define AT_FADT 128
#define AT_DSDT 400
#define AT_MADT 448
#define SDT_HEADER 36
#define FADT_LENGTH 268
#define MADT_LAPIC_LENGTH 8

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)(0 - sum);
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
	put32(t + 24, 1);
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	put32(t + 32, 1);
}

static void sdt_finish(uint8_t *t)
{
	uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 |
		       (uint32_t)t[7] << 24;

	t[9] = 0;
	t[9] = checksum(t, len);
}

unsigned int xg_acpi_max_vcpus(void)
{
	return (unsigned int)((XG_ACPI_SIZE - AT_MADT - SDT_HEADER - 8) / MADT_LAPIC_LENGTH);
}

int xg_acpi_build(uint8_t *page, uint64_t page_gpa, unsigned int vcpus)
{
	uint8_t *rsdp = page + AT_RSDP, *xsdt = page + AT_XSDT, *fadt = page + AT_FADT;
	uint8_t *dsdt = page + AT_DSDT, *madt = page + AT_MADT;
	uint32_t madt_len = SDT_HEADER + 8 + vcpus * MADT_LAPIC_LENGTH;

	if (vcpus == 0 || vcpus > xg_acpi_max_vcpus() || vcpus > 128)
		return -1;
	memset(page, 0, XG_ACPI_SIZE);

	/* An empty DSDT: no devices to describe. */
	sdt_header(dsdt, "DSDT", SDT_HEADER, 5);
	sdt_finish(dsdt);

	/* Hardware-reduced: no PM1/GPE blocks, no SCI, no legacy devices. */
	sdt_header(fadt, "FACP", FADT_LENGTH, 5);
	put32(fadt + 40, (uint32_t)(page_gpa + AT_DSDT));
	put16(fadt + 109, IAPC_BOOT_NO_VGA | IAPC_BOOT_NO_CMOS_RTC);
	put32(fadt + 112, FADT_HW_REDUCED_ACPI);
	fadt[131] = 1;				/* FADT minor version: 5.1 */
	put64(fadt + 140, page_gpa + AT_DSDT);	/* X_DSDT */
	sdt_finish(fadt);

	sdt_header(madt, "APIC", madt_len, 3);
	put32(madt + 36, LAPIC_BASE);
	put32(madt + 40, 0);			/* no 8259 PICs */
	for (unsigned int i = 0; i < vcpus; i++) {
		uint8_t *e = madt + SDT_HEADER + 8 + i * MADT_LAPIC_LENGTH;

		e[0] = 0;			/* processor local APIC */
		e[1] = MADT_LAPIC_LENGTH;
		e[2] = (uint8_t)i;		/* ACPI processor UID */
		e[3] = (uint8_t)(2 * i);	/* Xen gives vCPU n APIC ID 2n */
		put32(e + 4, 1);		/* enabled */
	}
	sdt_finish(madt);

	sdt_header(xsdt, "XSDT", SDT_HEADER + 16, 1);
	put64(xsdt + SDT_HEADER, page_gpa + AT_FADT);
	put64(xsdt + SDT_HEADER + 8, page_gpa + AT_MADT);
	sdt_finish(xsdt);

	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, ACPI_OEM_ID, 6);
	rsdp[15] = 2;				/* ACPI 2.0+: XSDT */
	put32(rsdp + 20, 36);
	put64(rsdp + 24, page_gpa + AT_XSDT);
	rsdp[8] = checksum(rsdp, 20);
	rsdp[32] = checksum(rsdp, 36);
	return AT_RSDP;
}
