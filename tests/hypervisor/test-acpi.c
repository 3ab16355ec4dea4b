/* Guest ACPI tables and host \_S5 discovery. */
#include "check.h"
#include "common/acpi_build.c"
#include "common/acpi_parse.c"

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int main(void)
{
	static uint8_t buf[4096];
	const uint64_t base = 0x7F000000;
	size_t n = acpi_build(buf, sizeof(buf), base, 3);
	const uint8_t *xsdt, *fadt, *madt, *dsdt;
	uint8_t a = 9, b = 9;

	CHECK(n > 0 && n < sizeof(buf), "tables built (%zu bytes)", n);
	CHECK(!memcmp(buf, "RSD PTR ", 8) && acpi_checksum_ok(buf, 20) && acpi_checksum_ok(buf, 36) &&
	      buf[15] == 2, "RSDP v2 with both checksums");
	xsdt = buf + (rd64(buf + 24) - base);
	CHECK(!memcmp(xsdt, "XSDT", 4) && acpi_checksum_ok(xsdt, rd32(xsdt + 4)) &&
	      rd32(xsdt + 4) == 36 + 16, "XSDT with two entries");
	fadt = buf + (rd64(xsdt + 36) - base);
	madt = buf + (rd64(xsdt + 44) - base);
	CHECK(!memcmp(fadt, "FACP", 4) && rd32(fadt + 4) == 276 && fadt[8] == 6 &&
	      acpi_checksum_ok(fadt, 276), "FADT revision 6, 276 bytes");
	CHECK(rd32(fadt + 112) & (1U << 20), "FADT HW_REDUCED_ACPI");
	dsdt = buf + (rd64(fadt + 140) - base);
	CHECK(rd32(fadt + 40) == rd64(fadt + 140) && !memcmp(dsdt, "DSDT", 4) &&
	      acpi_checksum_ok(dsdt, rd32(dsdt + 4)), "DSDT via both FADT pointers");
	{
		uint8_t ta = 0, tb = 0;

		CHECK(acpi_find_s5(dsdt + 36, rd32(dsdt + 4) - 36, &ta, &tb) == 0 && ta == 5 && tb == 5,
		      "DSDT carries \\_S5 = {5, 5}");
		CHECK(fadt[244] == 1 && rd64(fadt + 248) == ACPI_SLEEP_CONTROL_PORT && fadt[256] == 1 &&
		      rd64(fadt + 260) == ACPI_SLEEP_STATUS_PORT, "FADT sleep control/status ports");
	}
	CHECK(!memcmp(madt, "APIC", 4) && acpi_checksum_ok(madt, rd32(madt + 4)) &&
	      rd32(madt + 36) == 0xFEE00000U && rd32(madt + 4) == 44 + 3 * 8, "MADT with 3 entries");
	CHECK(madt[44] == 0 && madt[45] == 8 && madt[46] == 0 && madt[47] == 0 &&
	      madt[52 + 2] == 1 && madt[52 + 3] == 2 && madt[60 + 2] == 2 && madt[60 + 3] == 4 &&
	      rd32(madt + 60 + 4) == 1, "LAPIC UID i, APIC id 2i, enabled");
	CHECK(acpi_build(buf, 100, base, 1) == 0, "too small a buffer is refused");
	CHECK(acpi_build(buf, sizeof(buf), base, 0) == 0, "zero vCPUs refused");

	{
		static const uint8_t aml1[] = { 0x10, 0x08, 0x5C, 0x08, '_', 'S', '5', '_', 0x12,
						0x08, 0x04, 0x0A, 0x05, 0x0A, 0x07, 0x00, 0x00 };
		static const uint8_t aml2[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
						0x00, 0x00, 0x00, 0x00 };
		static const uint8_t aml3[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06 };
		static const uint8_t aml4[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0, 0 };

		CHECK(acpi_find_s5(aml1, sizeof(aml1), &a, &b) == 0 && a == 5 && b == 7,
		      "_S5 with BytePrefix values");
		CHECK(acpi_find_s5(aml2, sizeof(aml2), &a, &b) == 0 && a == 0 && b == 0,
		      "_S5 with ZeroOp values (QEMU)");
		CHECK(acpi_find_s5(aml3, sizeof(aml3), &a, &b) < 0, "truncated _S5 rejected");
		CHECK(acpi_find_s5(aml4, sizeof(aml4), &a, &b) < 0, "no _S5 found");
	}
	return check_done();
}
