/* Minimal ACPI for PVH guests: RSDP, XSDT, MADT (one LAPIC per vCPU with
 * APIC id 2*i), hardware-reduced FADT and an empty DSDT. */
#ifndef XENOLITH_ACPI_BUILD_H
#define XENOLITH_ACPI_BUILD_H

#include "lib.h"

#define ACPI_LAPIC_BASE 0xFEE00000U
/* Hardware-reduced sleep registers (I/O ports we emulate) and the S5
 * sleep type the DSDT advertises: writing SLP_EN with SLP_TYP 5 to the
 * control port powers the domain off. */
#define ACPI_SLEEP_CONTROL_PORT 0xB0C0
#define ACPI_SLEEP_STATUS_PORT 0xB0C1
#define ACPI_S5_SLP_TYP 5

/* Build the tables into buf as if buf were at guest-physical base.
 * Returns bytes used (RSDP at offset 0) or 0 if buflen is too small. */
size_t acpi_build(uint8_t *buf, size_t buflen, uint64_t base, unsigned int nr_vcpus);

#endif
