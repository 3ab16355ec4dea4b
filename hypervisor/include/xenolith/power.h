/* Machine power control through the host's ACPI tables. */
#ifndef XENOLITH_POWER_H
#define XENOLITH_POWER_H

#include "lib.h"

/* Find PM1a/PM1b control blocks and the S5 sleep type. */
void power_init(uint64_t rsdp_hint);
void machine_power_off(void) __attribute__((noreturn));
void machine_restart(void) __attribute__((noreturn));
/* Halt forever (noreboot). */
void machine_halt(void) __attribute__((noreturn));
/* After a hypervisor panic: reset, or halt when 'noreboot' was given. */
void panic_action(void) __attribute__((noreturn));

/* Pure helpers, unit tested on the host. */
int acpi_checksum_ok(const void *p, size_t len);
/* Scan AML for "_S5_" and return SLP_TYPa/b; 0 on success. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb);

#endif
