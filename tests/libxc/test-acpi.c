/* xg_acpi_build: the tables read back the way a guest's ACPI code reads
 * them: signatures, lengths, checksums, links and one LAPIC per vCPU.
 * With ACPI_DUMP_DIR set, the tables are also written out for `iasl -d`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenguest.h>
#include "check.h"

#define GPA 0xfc000000ull

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int sums_to_zero(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s == 0;
}

/* The table at guest address gpa, if it lies inside the page. */
static const uint8_t *table_at(const uint8_t *page, uint64_t gpa)
{
	if (gpa < GPA || gpa + 36 > GPA + XG_ACPI_SIZE)
		return NULL;
	return page + (gpa - GPA);
}

static void dump(const char *name, const uint8_t *t)
{
	const char *dir = getenv("ACPI_DUMP_DIR");
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(t, 1, get32(t + 4), f);
		fclose(f);
	}
}

static void check_tables(unsigned int vcpus)
{
	static uint8_t page[XG_ACPI_SIZE];
	const uint8_t *rsdp, *xsdt, *fadt = NULL, *madt = NULL, *dsdt;
	int off = xg_acpi_build(page, GPA, vcpus);
	unsigned int n, i, ok = 1;

	if (!CHECK(off >= 0, "%u vCPUs: tables built", vcpus))
		return;
	rsdp = page + off;
	CHECK(!memcmp(rsdp, "RSD PTR ", 8) && rsdp[15] == 2, "RSDP signature, revision 2");
	CHECK(sums_to_zero(rsdp, 20) && sums_to_zero(rsdp, 36), "RSDP checksums");
	xsdt = table_at(page, get64(rsdp + 24));
	if (!CHECK(xsdt && !memcmp(xsdt, "XSDT", 4), "RSDP points at the XSDT"))
		return;
	CHECK(sums_to_zero(xsdt, get32(xsdt + 4)), "XSDT checksum");
	n = (get32(xsdt + 4) - 36) / 8;
	for (i = 0; i < n; i++) {
		const uint8_t *t = table_at(page, get64(xsdt + 36 + 8 * i));

		if (t && !memcmp(t, "FACP", 4))
			fadt = t;
		else if (t && !memcmp(t, "APIC", 4))
			madt = t;
	}
	if (!CHECK(fadt && madt, "XSDT lists FADT and MADT"))
		return;
	CHECK(sums_to_zero(fadt, get32(fadt + 4)) && get32(fadt + 4) == 268 && fadt[8] == 5,
	      "FADT: revision 5, 268 bytes, checksum");
	CHECK(get32(fadt + 112) & (1u << 20), "FADT: hardware-reduced ACPI");
	dsdt = table_at(page, get64(fadt + 140));
	CHECK(dsdt && !memcmp(dsdt, "DSDT", 4) && get32(fadt + 40) == get64(fadt + 140) &&
	      sums_to_zero(dsdt, get32(dsdt + 4)), "FADT points at a valid DSDT");
	CHECK(sums_to_zero(madt, get32(madt + 4)), "MADT checksum");
	CHECK(get32(madt + 36) == 0xfee00000u, "MADT: LAPIC at 0xfee00000");
	n = (get32(madt + 4) - 44) / 8;
	CHECK(n == vcpus, "MADT: %u LAPIC entries for %u vCPUs", n, vcpus);
	for (i = 0; i < n; i++) {
		const uint8_t *e = madt + 44 + 8 * i;

		ok &= e[0] == 0 && e[1] == 8 && e[2] == i && e[3] == 2 * i && get32(e + 4) == 1;
	}
	CHECK(ok, "MADT: vCPU n has UID n, APIC ID 2n, enabled");
	if (vcpus == 2) {
		dump("facp", fadt);
		dump("apic", madt);
		dump("dsdt", dsdt);
		dump("xsdt", xsdt);
	}
}

int main(void)
{
	static uint8_t page[XG_ACPI_SIZE];

	check_tables(1);
	check_tables(2);
	check_tables(128);
	CHECK(xg_acpi_build(page, GPA, 0) < 0, "0 vCPUs refused");
	CHECK(xg_acpi_build(page, GPA, 129) < 0, "129 vCPUs refused");
	return check_done();
}
