/* The host's local APIC (xAPIC mode, at its reset address, mapped 1:1):
 * register offsets and access, for the timer, IPIs and diagnostics. */
#ifndef XENOLITH_APIC_H
#define XENOLITH_APIC_H

#include "lib.h"

#define APIC_BASE_VA 0xFEE00000UL

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_PPR 0xA0
#define APIC_EOI 0xB0
#define APIC_SVR 0xF0
#define APIC_ISR 0x100 /* 8 registers, 0x10 apart */
#define APIC_IRR 0x200 /* likewise */
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3E0

#define APIC_ICR_BUSY (1U << 12)

static inline volatile uint32_t *apic_reg(unsigned int off)
{
	return (volatile uint32_t *)(APIC_BASE_VA + off);
}

#endif
