/* Time: TSC-based system time (ns since boot), wallclock from the CMOS
 * RTC, and the local APIC timer as the per-CPU event source. */
#ifndef XENOLITH_TIME_H
#define XENOLITH_TIME_H

#include "lib.h"

#define TIMER_VECTOR 0xEF

struct tsc_scale {
	uint32_t mul;
	int8_t shift;
};

void time_init(void);
/* Per CPU: local APIC on, timer vector routed. */
void apic_timer_init(unsigned int cpu);
uint64_t now_ns(void);
uint64_t tsc_hz(void);
/* TSC value at system time 0. */
uint64_t tsc_at_boot(void);
struct tsc_scale time_scale(void);
/* Seconds and ns since the epoch at system time 0. */
void wallclock_at_boot(uint64_t *sec, uint32_t *nsec);
/* Fire TIMER_VECTOR at (or shortly after) deadline; 0 = cancel. */
void timer_program(uint64_t deadline_ns);
/* Set by the timer interrupt, consumed by the scheduler. */
extern volatile bool timer_softirq[];

/* A lost timer interrupt, seen from the CPU that lost it: the boot CPU
 * asks for a probe before its kick; the kicked CPU's kick interrupt
 * takes a snapshot of its APIC timer state (ahead of its own EOI) and
 * the CPU reports it at its next look at the scheduler. */
void timer_probe_request(unsigned int cpu);
void timer_probe_take(unsigned int cpu);
/* true if there was one to report */
bool timer_probe_report(unsigned int cpu);

/* The earlier of two deadlines, where 0 means none. */
static inline uint64_t deadline_earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return MIN(a, b);
}

/* Milliseconds from now to t (negative: t is past), -1 when t is 0
 * (none); for diagnostics. */
static inline long long deadline_ms_from(uint64_t t, uint64_t now)
{
	if (!t)
		return -1;
	return t >= now ? (long long)((t - now) / 1000000) : -(long long)((now - t) / 1000000);
}

/* Pure helpers (unit tested). */
struct tsc_scale tsc_scale_for(uint64_t hz);
uint64_t tsc_scale_apply(uint64_t delta, struct tsc_scale s);
/* Days-from-civil conversion for the RTC. */
uint64_t rtc_to_epoch(unsigned int year, unsigned int mon, unsigned int day,
		      unsigned int hour, unsigned int min, unsigned int sec);

#endif
