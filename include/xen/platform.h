/* platform_op hypercall (7), the subset Xenolith implements. */
#ifndef XEN_PUBLIC_PLATFORM_H
#define XEN_PUBLIC_PLATFORM_H

#include <stdint.h>

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32 17
#define XENPF_enter_acpi_sleep 51
#define XENPF_get_cpuinfo 55
#define XENPF_settime64 62
#define XENPF_get_dom0_console 64

struct xenpf_enter_acpi_sleep {
	uint16_t val_a; /* PM1a control value, or sleep type A (extended) */
	uint16_t val_b;
	uint32_t sleep_state; /* S-state to enter */
	uint32_t flags;
};
#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001

struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz;
	uint64_t system_time;
};

struct xen_platform_op {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xenpf_enter_acpi_sleep enter_acpi_sleep;
		struct xenpf_settime64 settime64;
		uint8_t pad[128];
	} u;
};

#endif
