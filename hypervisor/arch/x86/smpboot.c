/* Secondary CPUs: INIT-SIPI-SIPI through the local APIC, a real-mode
 * trampoline, per-CPU traps, SVM and APIC timer.  In stage 1 the APs
 * then idle on their own timer ticks; vCPUs all run on the boot CPU. */
#include <xenolith/apic.h>
#include <xenolith/dom0.h>
#include <xenolith/printk.h>
#include <xenolith/cmdline.h>
#include <xenolith/setup.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/traps.h>
#include <xenolith/x86.h>

#define TRAMPOLINE_PA 0x8000UL
#define AP_TICK_NS 10000000ULL

extern char trampoline_start[], trampoline_end[], ap_entry64[];
extern uint64_t tramp_cr3, tramp_target;

void ap_main(unsigned int cpu) __attribute__((noreturn));

uint8_t ap_stacks[NR_CPUS][16384] __attribute__((aligned(16)));
volatile int ap_next_cpu = 1;
static volatile unsigned int cpus_online = 1;
static volatile int ap_init_lock;
static uint8_t apic_id_of[NR_CPUS];
static volatile unsigned int ap_ticks[NR_CPUS];

unsigned int smp_processor_id(void)
{
	/* every AP lives on its own slot of ap_stacks, the boot CPU elsewhere */
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t base = (uintptr_t)ap_stacks;

	if (sp >= base && sp < base + sizeof(ap_stacks))
		return (unsigned int)((sp - base) / sizeof(ap_stacks[0]));
	return 0;
}

static void kick_irq(unsigned int vector)
{
	(void)vector;
	timer_probe_take(smp_processor_id());
	*apic_reg(APIC_EOI) = 0; /* the interrupt itself was the message */
}

void smp_send_kick(unsigned int cpu)
{
	if (cpu >= cpus_online)
		return;
	*apic_reg(APIC_ICR_HI) = (uint32_t)apic_id_of[cpu] << 24;
	*apic_reg(APIC_ICR_LO) = KICK_VECTOR; /* fixed, physical destination */
	for (int i = 0; i < 100000 && (*apic_reg(APIC_ICR_LO) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

void smp_kick_others(void)
{
	unsigned int self = smp_processor_id();

	for (unsigned int c = 0; c < cpus_online; c++)
		if (c != self)
			smp_send_kick(c);
}

unsigned int smp_nr_cpus(void)
{
	return cpus_online;
}

static void delay_ns(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		cpu_relax();
}

static void send_ipi_all_but_self(uint32_t lo)
{
	*apic_reg(APIC_ICR_HI) = 0;
	*apic_reg(APIC_ICR_LO) = lo | (3U << 18);
	for (int i = 0; i < 100000 && (*apic_reg(APIC_ICR_LO) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

void ap_main(unsigned int cpu)
{
	if (cpu >= NR_CPUS || (hv_opts.maxcpus && cpu >= hv_opts.maxcpus)) {
		for (;;)
			halt(); /* more CPUs than we support or maxcpus= allows: park it */
	}
	while (__atomic_exchange_n(&ap_init_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	apic_id_of[cpu] = (uint8_t)(*apic_reg(APIC_ID) >> 24);
	traps_load(cpu);
	apic_timer_init(cpu);
	svm_cpu_init(cpu);
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ap_init_lock, 0, __ATOMIC_RELEASE);
	/* idle on a periodic tick from this CPU's own APIC timer until the
	 * scheduler has work for it */
	for (;;) {
		if (scheduler_started())
			scheduler_ap(cpu);
		timer_program(now_ns() + AP_TICK_NS);
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		if (timer_softirq[cpu]) {
			timer_softirq[cpu] = false;
			ap_ticks[cpu]++;
		}
	}
}

void smp_boot(void)
{
	uint64_t deadline;
	unsigned int n;

	apic_id_of[0] = (uint8_t)(*apic_reg(APIC_ID) >> 24);
	traps_set_irq_handler(KICK_VECTOR, kick_irq);
	memcpy((void *)TRAMPOLINE_PA, trampoline_start,
	       (size_t)(trampoline_end - trampoline_start));
	*(volatile uint64_t *)(TRAMPOLINE_PA + ((char *)&tramp_cr3 - trampoline_start)) = read_cr3();
	*(volatile uint64_t *)(TRAMPOLINE_PA + ((char *)&tramp_target - trampoline_start)) =
		(uint64_t)(uintptr_t)ap_entry64;
	send_ipi_all_but_self(0x00004500); /* INIT, assert */
	delay_ns(10000000ULL);
	send_ipi_all_but_self(0x00004600 | (TRAMPOLINE_PA >> 12)); /* SIPI */
	delay_ns(200000ULL);
	send_ipi_all_but_self(0x00004600 | (TRAMPOLINE_PA >> 12));
	/* wait for arrivals to settle: generous, then proceed with who came */
	deadline = now_ns() + 1000000000ULL;
	while (now_ns() < deadline) {
		unsigned int arrived = (unsigned int)ap_next_cpu;
		unsigned int limit = hv_opts.maxcpus ? MIN(hv_opts.maxcpus, NR_CPUS) : NR_CPUS;

		if (arrived > 1 && cpus_online == MIN(arrived, limit) &&
		    now_ns() > deadline - 800000000ULL)
			break;
		cpu_relax();
	}
	n = cpus_online;
	printk("Brought up %u CPU%s\n", n, n > 1 ? "s" : "");
	/* prove each AP's own timer ticks */
	deadline = now_ns() + 2000000000ULL;
	for (unsigned int c = 1; c < n; c++) {
		while (ap_ticks[c] < 3 && now_ns() < deadline)
			cpu_relax();
		if (ap_ticks[c] >= 3)
			printk("CPU%u: APIC id %u, SVM on, local timer ticking\n", c, apic_id_of[c]);
		else
			log_warn("CPU%u: local timer did not tick (%u ticks)\n", c, ap_ticks[c]);
	}
}
