/* TSC and local APIC timer calibration against the PIT, the CMOS RTC for
 * wallclock, and one-shot APIC timer programming. */
#include <xenolith/time.h>
#include <xenolith/apic.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/traps.h>
#include <xenolith/x86.h>

#define PIT_HZ 1193182ULL
#define CAL_MS 50

static uint64_t tsc_freq, tsc0, apic_hz;
static uint64_t apic_ticks_per_ns_32; /* apic_hz / 1e9, 32.32 fixed point */
static struct tsc_scale scale;
static uint64_t boot_sec;
volatile bool timer_softirq[NR_CPUS];

/* Per CPU, written only by that CPU: what it last asked of its APIC
 * timer and when the timer last fired, for timer_probe_*. */
struct timer_trace {
	uint64_t armed_at, deadline, fired_at;
	uint32_t ticks;
};
static struct timer_trace timer_trace[NR_CPUS];

struct timer_probe {
	bool requested, taken;
	uint64_t at;
	struct timer_trace trace;
	uint32_t tmict, tmcct, lvt, tdcr, tpr, ppr;
	uint32_t isr[8], irr[8];
};
static struct timer_probe timer_probes[NR_CPUS];

static unsigned int cmos(unsigned int reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned int bcd(unsigned int v, bool is_bcd)
{
	return is_bcd ? (v & 0xF) + (v >> 4) * 10 : v;
}

static uint64_t read_rtc(void)
{
	unsigned int s, m, h, d, mo, y, b;
	int spins = 0;

	while ((cmos(0x0A) & 0x80) && spins++ < 100000)
		cpu_relax(); /* update in progress */
	s = cmos(0x00);
	m = cmos(0x02);
	h = cmos(0x04);
	d = cmos(0x07);
	mo = cmos(0x08);
	y = cmos(0x09);
	b = cmos(0x0B);
	s = bcd(s, !(b & 4));
	m = bcd(m, !(b & 4));
	h = bcd(h & 0x7F, !(b & 4));
	d = bcd(d, !(b & 4));
	mo = bcd(mo, !(b & 4));
	y = bcd(y, !(b & 4)) + 2000;
	return rtc_to_epoch(y, mo, d, h, m, s);
}

static void timer_irq(unsigned int vector)
{
	(void)vector;
	unsigned int cpu = smp_processor_id();

	*apic_reg(APIC_EOI) = 0;
	timer_trace[cpu].fired_at = now_ns();
	timer_softirq[cpu] = true;
}

void apic_timer_init(unsigned int cpu)
{
	(void)cpu;
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ULL << 11));
	*apic_reg(APIC_SVR) = 0x1FF;
	*apic_reg(APIC_TDCR) = 0xB; /* divide by 1 */
	*apic_reg(APIC_LVT_TIMER) = TIMER_VECTOR; /* one-shot */
	*apic_reg(APIC_TMICT) = 0;
}

void time_init(void)
{
	uint64_t t0, t1;
	uint32_t c1;
	unsigned int count = (unsigned int)(PIT_HZ * CAL_MS / 1000);

	apic_timer_init(0);
	traps_set_irq_handler(TIMER_VECTOR, timer_irq);
	/* PIT channel 2, gate on, speaker off, mode 0 */
	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xB0);
	outb(0x42, (uint8_t)count);
	outb(0x42, (uint8_t)(count >> 8));
	*apic_reg(APIC_LVT_TIMER) = TIMER_VECTOR | (1U << 16); /* masked */
	*apic_reg(APIC_TMICT) = 0xFFFFFFFF;
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	t1 = rdtsc();
	c1 = *apic_reg(APIC_TMCCT);
	*apic_reg(APIC_TMICT) = 0;
	*apic_reg(APIC_LVT_TIMER) = TIMER_VECTOR;
	tsc_freq = (t1 - t0) * 1000 / CAL_MS;
	apic_hz = (0xFFFFFFFFULL - c1) * 1000 / CAL_MS;
	tsc0 = rdtsc();
	scale = tsc_scale_for(tsc_freq);
	apic_ticks_per_ns_32 = (apic_hz << 32) / 1000000000ULL;
	boot_sec = read_rtc();
	printk("Detected %llu.%03llu MHz TSC, APIC timer %llu.%03llu MHz; wallclock %llu s\n",
	       (unsigned long long)(tsc_freq / 1000000), (unsigned long long)(tsc_freq / 1000 % 1000),
	       (unsigned long long)(apic_hz / 1000000), (unsigned long long)(apic_hz / 1000 % 1000),
	       (unsigned long long)boot_sec);
	if (!tsc_freq || !apic_hz)
		panic("Time calibration failed (TSC %llu Hz, APIC %llu Hz)",
		      (unsigned long long)tsc_freq, (unsigned long long)apic_hz);
}

uint64_t now_ns(void)
{
	return tsc_scale_apply(rdtsc() - tsc0, scale);
}

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

uint64_t tsc_at_boot(void)
{
	return tsc0;
}

struct tsc_scale time_scale(void)
{
	return scale;
}

void wallclock_at_boot(uint64_t *sec, uint32_t *nsec)
{
	*sec = boot_sec;
	*nsec = 0;
}

void timer_program(uint64_t deadline)
{
	uint64_t now = now_ns(), ticks;
	struct timer_trace *t = &timer_trace[smp_processor_id()];

	t->armed_at = now;
	t->deadline = deadline;
	if (!deadline) {
		t->ticks = 0;
		*apic_reg(APIC_TMICT) = 0;
		return;
	}
	ticks = deadline > now ?
		(uint64_t)(((unsigned __int128)(deadline - now) * apic_ticks_per_ns_32) >> 32) : 1;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xFFFFFFFFULL)
		ticks = 0xFFFFFFFFULL;
	t->ticks = (uint32_t)ticks;
	*apic_reg(APIC_TMICT) = (uint32_t)ticks;
}

void timer_probe_request(unsigned int cpu)
{
	if (cpu < NR_CPUS)
		__atomic_store_n(&timer_probes[cpu].requested, true, __ATOMIC_RELEASE);
}

/* In the kick interrupt, before its EOI: ISR shows the kick itself. */
void timer_probe_take(unsigned int cpu)
{
	struct timer_probe *p;

	if (cpu >= NR_CPUS)
		return;
	p = &timer_probes[cpu];
	if (!__atomic_exchange_n(&p->requested, false, __ATOMIC_ACQ_REL))
		return;
	p->at = now_ns();
	p->trace = timer_trace[cpu];
	p->tmcct = *apic_reg(APIC_TMCCT);
	p->tmict = *apic_reg(APIC_TMICT);
	p->lvt = *apic_reg(APIC_LVT_TIMER);
	p->tdcr = *apic_reg(APIC_TDCR);
	p->tpr = *apic_reg(APIC_TPR);
	p->ppr = *apic_reg(APIC_PPR);
	for (unsigned int i = 0; i < 8; i++) {
		p->isr[i] = *apic_reg(APIC_ISR + 0x10 * i);
		p->irr[i] = *apic_reg(APIC_IRR + 0x10 * i);
	}
	__atomic_store_n(&p->taken, true, __ATOMIC_RELEASE);
}

bool timer_probe_report(unsigned int cpu)
{
	struct timer_probe *p;
	const struct timer_trace *t;

	if (cpu >= NR_CPUS)
		return false;
	p = &timer_probes[cpu];
	t = &p->trace;
	if (!__atomic_exchange_n(&p->taken, false, __ATOMIC_ACQ_REL))
		return false;
	log_warn("pCPU%u timer at the kick: armed %lld ms before for %lld ms later (%u ticks), "
		 "last fired %lld ms before; TMICT %u TMCCT %u LVT %#x TDCR %#x TPR %#x PPR %#x\n",
		 cpu, -deadline_ms_from(t->armed_at, p->at),
		 deadline_ms_from(t->deadline, t->armed_at), t->ticks,
		 -deadline_ms_from(t->fired_at, p->at), p->tmict, p->tmcct, p->lvt, p->tdcr, p->tpr,
		 p->ppr);
	log_warn("pCPU%u ISR %08x %08x %08x %08x %08x %08x %08x %08x, "
		 "IRR %08x %08x %08x %08x %08x %08x %08x %08x (vectors 255..0)\n", cpu,
		 p->isr[7], p->isr[6], p->isr[5], p->isr[4],
		 p->isr[3], p->isr[2], p->isr[1], p->isr[0],
		 p->irr[7], p->irr[6], p->irr[5], p->irr[4],
		 p->irr[3], p->irr[2], p->irr[1], p->irr[0]);
	return true;
}
