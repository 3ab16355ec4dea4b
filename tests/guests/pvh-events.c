/* pvh-events: event channels (2-level), VIRQ_TIMER with one-shot and
 * periodic timers, pvclock and wallclock, the callback vector, the
 * virtual x2APIC (timer, self IPI, EOI) and bringing up a second vCPU.
 * Run with dom0_max_vcpus=2 for the vCPU check. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define UPCALL_VECTOR 0xF3
#define LAPIC_TIMER_VECTOR 0xF0
#define SELF_IPI_VECTOR 0xF1
#define SOFT_INT_VECTOR 0x81

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct interrupt_frame;

static struct idt_entry idt[256] __attribute__((aligned(16)));
static struct shared_info *sh = (struct shared_info *)(void *)spare_page;
static volatile unsigned int upcalls, lapic_ticks, self_ipis;
static volatile uint64_t seen_ports[16]; /* bitmap of ports delivered */
static volatile unsigned int timer_events;
static evtchn_port_t timer_port;
static volatile int ap_ran;
static volatile uint64_t soft_rip[2]; /* return addresses: #BP, INT 0x81 */
static volatile unsigned int soft_hits[2];
static uint8_t ap_stack[4096] __attribute__((aligned(16)));

static inline void wrmsr_(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdmsr_(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t guest_now(void)
{
	struct vcpu_time_info *t = &sh->vcpu_info[0].time;
	uint32_t ver;
	uint64_t ns;

	do {
		uint32_t lo, hi;
		uint64_t d;

		ver = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		d = (((uint64_t)hi << 32) | lo) - t->tsc_timestamp;
		if (t->tsc_shift >= 0)
			d <<= t->tsc_shift;
		else
			d >>= -t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)d * t->tsc_to_system_mul) >> 32);
	} while ((ver & 1) || ver != __atomic_load_n(&t->version, __ATOMIC_ACQUIRE));
	return ns;
}

/* Scan and acknowledge pending, unmasked ports (the 2-level protocol). */
static void scan_events(void)
{
	struct vcpu_info *vi = &sh->vcpu_info[0];
	uint64_t sel;

	vi->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = (unsigned int)__builtin_ctzll(sel);
		uint64_t bits;

		sel &= sel - 1;
		bits = sh->evtchn_pending[w] & ~sh->evtchn_mask[w];
		while (bits) {
			unsigned int b = (unsigned int)__builtin_ctzll(bits);
			unsigned int port = w * 64 + b;

			bits &= bits - 1;
			__atomic_fetch_and(&sh->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
			if (port < 1024)
				seen_ports[port / 64] |= 1ULL << (port % 64);
			if (port == timer_port)
				timer_events++;
		}
	}
}

__attribute__((interrupt)) static void upcall_handler(struct interrupt_frame *f)
{
	(void)f;
	upcalls++;
	scan_events();
}

__attribute__((interrupt)) static void lapic_timer_handler(struct interrupt_frame *f)
{
	(void)f;
	lapic_ticks++;
	wrmsr_(0x80B, 0); /* EOI */
}

__attribute__((interrupt)) static void self_ipi_handler(struct interrupt_frame *f)
{
	(void)f;
	self_ipis++;
	wrmsr_(0x80B, 0);
}

__attribute__((interrupt)) static void exception_handler(struct interrupt_frame *f)
{
	(void)f;
	guest_printf("pvh-events: unexpected exception\nTest result: FAILURE\n");
	guest_shutdown(SHUTDOWN_crash);
}

/* The frame starts with the return RIP. */
__attribute__((interrupt)) static void int3_handler(struct interrupt_frame *f)
{
	soft_rip[0] = *(const uint64_t *)(const void *)f;
	soft_hits[0]++;
}

__attribute__((interrupt)) static void soft_int_handler(struct interrupt_frame *f)
{
	soft_rip[1] = *(const uint64_t *)(const void *)f;
	soft_hits[1]++;
}

static void set_gate(unsigned int v, void *h)
{
	uint64_t a = (uint64_t)(uintptr_t)h;

	idt[v] = (struct idt_entry){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16),
				     (uint32_t)(a >> 32), 0 };
}

static void idt_setup(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	for (unsigned int v = 0; v < 32; v++)
		set_gate(v, (void *)exception_handler);
	set_gate(3, (void *)int3_handler);
	set_gate(SOFT_INT_VECTOR, (void *)soft_int_handler);
	set_gate(UPCALL_VECTOR, (void *)upcall_handler);
	set_gate(LAPIC_TIMER_VECTOR, (void *)lapic_timer_handler);
	set_gate(SELF_IPI_VECTOR, (void *)self_ipi_handler);
	__asm__ volatile("lidt %0" : : "m"(d));
}

/* INT3 and INT n reach the guest's own gates with the return address
 * after the instruction, also where the hypervisor intercepts them
 * (arch/x86/swint.c, under QEMU). */
static void soft_interrupts(void)
{
	uint64_t after;

	__asm__ volatile("int3\n1: lea 1b(%%rip), %0" : "=r"(after) : : "memory");
	guest_check(soft_hits[0] == 1 && soft_rip[0] == after,
		    "INT3 reaches the #BP gate once, returning after it (%#lx, expected %#lx)",
		    (unsigned long)soft_rip[0], (unsigned long)after);
	__asm__ volatile("int $0x81\n1: lea 1b(%%rip), %0" : "=r"(after) : : "memory");
	guest_check(soft_hits[1] == 1 && soft_rip[1] == after,
		    "INT 0x81 reaches its gate once, returning after it (%#lx, expected %#lx)",
		    (unsigned long)soft_rip[1], (unsigned long)after);
}

static long evtchn_op(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0);
}

static bool port_seen(evtchn_port_t p)
{
	return seen_ports[p / 64] & (1ULL << (p % 64));
}

static void forget_port(evtchn_port_t p)
{
	seen_ports[p / 64] &= ~(1ULL << (p % 64));
}

/* Wait with interrupts on until cond() or the time limit. */
static bool wait_until(volatile unsigned int *counter, unsigned int target, uint64_t limit_ns)
{
	uint64_t end = guest_now() + limit_ns;

	while (*counter < target && guest_now() < end)
		__asm__ volatile("sti; hlt; cli");
	return *counter >= target;
}

static void ap_main(void)
{
	static const char msg[] = "pvh-events: vCPU1 running\n";

	ap_ran = 1;
	hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1, (unsigned long)msg);
	for (;;)
		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
}

static void check_vcpu_bringup(void)
{
	uint64_t ctx[16];
	uint32_t r[4];
	unsigned long cr0, cr3, cr4;
	long rc;
	uint64_t end;

	cpuid(1, 0, r);
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0);
	if (rc == -XEN_ENOENT) {
		guest_printf("pvh-events: one vCPU only, vCPU bring-up not checked\n");
		return;
	}
	guest_check(rc == 0, "VCPUOP_is_up(1) before bring-up: %ld", rc);
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0);
	guest_check(rc == -XEN_EINVAL, "VCPUOP_up before initialise: %ld (-EINVAL)", rc);
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	memset(ctx, 0, sizeof(ctx));
	ctx[0] = 1; /* VCPU_HVM_MODE_64B */
	/* 64-bit view at +8: rax rcx rdx rbx rsp rbp rsi rdi rip rflags cr0 cr3 cr4 efer */
	ctx[1 + 4] = (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack) - 8);
	ctx[1 + 8] = (uint64_t)(uintptr_t)ap_main;
	ctx[1 + 9] = 2;
	ctx[1 + 10] = cr0;
	ctx[1 + 11] = cr3;
	ctx[1 + 12] = cr4;
	ctx[1 + 13] = 0x500; /* LME | LMA */
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (unsigned long)ctx);
	guest_check(rc == 0, "VCPUOP_initialise(1, 64-bit context): %ld", rc);
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0);
	guest_check(rc == 0, "VCPUOP_up(1): %ld", rc);
	end = guest_now() + 2000000000ULL;
	while (!ap_ran && guest_now() < end)
		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	guest_check(ap_ran, "vCPU1 ran its entry point");
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0);
	guest_check(rc == 1, "VCPUOP_is_up(1) after bring-up: %ld", rc);
}

void guest_main(uint32_t start_info_pa)
{
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	struct evtchn_bind_virq bv = { VIRQ_TIMER, 0, 0 };
	struct vcpu_set_singleshot_timer st;
	struct vcpu_set_periodic_timer pt;
	struct evtchn_bind_ipi bi = { 0, 0 };
	struct evtchn_alloc_unbound au = { DOMID_SELF, DOMID_SELF, 0 };
	struct evtchn_bind_interdomain bd;
	struct evtchn_status es;
	struct evtchn_send snd;
	struct evtchn_unmask um;
	struct evtchn_close cl;
	struct xen_hvm_param hp;
	uint64_t t0, t1;
	unsigned int before;
	long rc;

	(void)start_info_pa;
	guest_printf("pvh-events: event channel, timer and APIC test guest\n");
	idt_setup();
	soft_interrupts();
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	guest_check(rc == 0, "shared_info mapped: %ld", rc);

	/* time */
	t0 = guest_now();
	for (volatile int i = 0; i < 200000; i++)
		;
	t1 = guest_now();
	guest_check(t1 > t0 && sh->vcpu_info[0].time.tsc_to_system_mul != 0,
		    "pvclock advances: %llu -> %llu ns", (unsigned long long)t0,
		    (unsigned long long)t1);
	guest_check(sh->wc_sec > 1577836800U && !(sh->wc_version & 1), "wallclock %u s", sh->wc_sec);

	/* VIRQ_TIMER binding rules */
	rc = evtchn_op(EVTCHNOP_bind_virq, &bv);
	timer_port = bv.port;
	guest_check(rc == 0 && bv.port > 0, "bind_virq(VIRQ_TIMER, vCPU0) -> port %u", bv.port);
	rc = evtchn_op(EVTCHNOP_bind_virq, &bv);
	guest_check(rc == -XEN_EEXIST, "second bind_virq(VIRQ_TIMER): %ld (-EEXIST)", rc);
	bv = (struct evtchn_bind_virq){ 99, 0, 0 };
	rc = evtchn_op(EVTCHNOP_bind_virq, &bv);
	guest_check(rc == -XEN_EINVAL, "bind_virq(99): %ld (-EINVAL)", rc);
	bv = (struct evtchn_bind_virq){ VIRQ_DOM_EXC, 1, 0 };
	rc = evtchn_op(EVTCHNOP_bind_virq, &bv);
	guest_check(rc == -XEN_EINVAL, "global VIRQ on vCPU1: %ld (-EINVAL)", rc);

	/* one-shot timer wakes SCHEDOP_block */
	t0 = guest_now();
	st = (struct vcpu_set_singleshot_timer){ t0 + 20000000ULL, 0 };
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, (unsigned long)&st);
	guest_check(rc == 0, "set_singleshot_timer(+20 ms): %ld", rc);
	rc = hypercall3(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
	t1 = guest_now();
	guest_check(rc == 0 && (sh->evtchn_pending[timer_port / 64] & (1UL << (timer_port % 64))),
		    "SCHEDOP_block returned with the timer port pending");
	guest_check(t1 - t0 >= 20000000ULL && t1 - t0 < 500000000ULL,
		    "one-shot timer fired on time: after %llu us (want >= 20000)",
		    (unsigned long long)((t1 - t0) / 1000));
	scan_events();

	/* callback vector delivery */
	hp = (struct xen_hvm_param){ DOMID_SELF, 0, HVM_PARAM_CALLBACK_IRQ,
				     (2ULL << 56) | UPCALL_VECTOR };
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&hp, 0);
	guest_check(rc == 0, "CALLBACK_IRQ = vector %#x: %ld", UPCALL_VECTOR, rc);
	rc = evtchn_op(EVTCHNOP_bind_ipi, &bi);
	guest_check(rc == 0 && bi.port > 0 && bi.port != timer_port, "bind_ipi(vCPU0) -> port %u",
		    bi.port);
	before = upcalls;
	snd.port = bi.port;
	rc = evtchn_op(EVTCHNOP_send, &snd);
	__asm__ volatile("sti; nop; nop; cli");
	guest_check(rc == 0 && upcalls > before && port_seen(bi.port),
		    "send on the IPI port raised an upcall that delivered it");
	forget_port(bi.port);

	/* masking */
	sh->evtchn_mask[bi.port / 64] |= 1UL << (bi.port % 64);
	before = upcalls;
	rc = evtchn_op(EVTCHNOP_send, &snd);
	__asm__ volatile("sti; nop; nop; cli");
	guest_check(rc == 0 && upcalls == before &&
		    (sh->evtchn_pending[bi.port / 64] & (1UL << (bi.port % 64))),
		    "masked port: pending, no upcall");
	um.port = bi.port;
	rc = evtchn_op(EVTCHNOP_unmask, &um);
	__asm__ volatile("sti; nop; nop; cli");
	guest_check(rc == 0 && upcalls > before && port_seen(bi.port),
		    "unmask of a pending port delivers it");
	forget_port(bi.port);

	/* status and close */
	es = (struct evtchn_status){ DOMID_SELF, bi.port, 0, 0, { { 0 } } };
	rc = evtchn_op(EVTCHNOP_status, &es);
	guest_check(rc == 0 && es.status == EVTCHNSTAT_ipi && es.vcpu == 0, "status: ipi on vCPU0");
	es.port = timer_port;
	rc = evtchn_op(EVTCHNOP_status, &es);
	guest_check(rc == 0 && es.status == EVTCHNSTAT_virq && es.u.virq == VIRQ_TIMER,
		    "status: virq TIMER");
	cl.port = bi.port;
	rc = evtchn_op(EVTCHNOP_close, &cl);
	es.port = bi.port;
	guest_check(rc == 0 && evtchn_op(EVTCHNOP_status, &es) == 0 &&
		    es.status == EVTCHNSTAT_closed, "close -> closed");
	rc = evtchn_op(EVTCHNOP_send, &snd);
	guest_check(rc == -XEN_EINVAL, "send on a closed port: %ld (-EINVAL)", rc);
	cl.port = 5000;
	rc = evtchn_op(EVTCHNOP_close, &cl);
	guest_check(rc == -XEN_EINVAL, "close of an out-of-range port: %ld (-EINVAL)", rc);

	/* loopback interdomain channel */
	rc = evtchn_op(EVTCHNOP_alloc_unbound, &au);
	guest_check(rc == 0 && au.port > 0, "alloc_unbound(self, self) -> port %u", au.port);
	bd = (struct evtchn_bind_interdomain){ DOMID_SELF, au.port, 0 };
	rc = evtchn_op(EVTCHNOP_bind_interdomain, &bd);
	guest_check(rc == 0 && bd.local_port > 0 && bd.local_port != au.port,
		    "bind_interdomain to own unbound port -> %u", bd.local_port);
	__asm__ volatile("sti; nop; nop; cli");
	forget_port(au.port);
	forget_port(bd.local_port);
	snd.port = bd.local_port;
	rc = evtchn_op(EVTCHNOP_send, &snd);
	__asm__ volatile("sti; nop; nop; cli");
	guest_check(rc == 0 && port_seen(au.port), "send on one end notifies the other");
	cl.port = bd.local_port;
	evtchn_op(EVTCHNOP_close, &cl);
	es = (struct evtchn_status){ DOMID_SELF, au.port, 0, 0, { { 0 } } };
	rc = evtchn_op(EVTCHNOP_status, &es);
	guest_check(rc == 0 && es.status == EVTCHNSTAT_unbound && es.u.unbound.dom == 0,
		    "closing one end leaves the other unbound");
	au.dom = 5;
	rc = evtchn_op(EVTCHNOP_alloc_unbound, &au);
	guest_check(rc == -XEN_ESRCH, "alloc_unbound in a missing domain: %ld (-ESRCH)", rc);
	rc = evtchn_op(EVTCHNOP_init_control, &au);
	guest_check(rc == -XEN_ENOSYS, "FIFO init_control refused: %ld (-ENOSYS)", rc);

	/* periodic timer: at least 5 ticks of 10 ms within 2 s */
	pt.period_ns = 10000000ULL;
	timer_events = 0;
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, (unsigned long)&pt);
	t0 = guest_now();
	{
		bool got = rc == 0 && wait_until(&timer_events, 5, 2000000000ULL);
		uint64_t ms = (guest_now() - t0) / 1000000;

		guest_check(got && ms >= 40, "periodic timer: %u VIRQ_TIMER events in %llu ms",
			    timer_events, (unsigned long long)ms);
	}
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0);
	guest_check(rc == 0, "stop_periodic_timer: %ld", rc);
	pt.period_ns = 1000;
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, (unsigned long)&pt);
	guest_check(rc == -XEN_EINVAL, "periodic timer below 1 ms: %ld (-EINVAL)", rc);

	/* virtual x2APIC */
	wrmsr_(0x1B, 0xFEE00000ULL | (1ULL << 11) | (1ULL << 10) | (1ULL << 8));
	guest_check((rdmsr_(0x1B) & (1ULL << 10)) && rdmsr_(0x802) == 0,
		    "x2APIC enabled, APIC id %llu", (unsigned long long)rdmsr_(0x802));
	wrmsr_(0x80F, 0x1FF); /* SVR: enabled */
	wrmsr_(0x83E, 0xB); /* divide by 1 */
	wrmsr_(0x832, LAPIC_TIMER_VECTOR); /* one-shot */
	t0 = guest_now();
	wrmsr_(0x838, 1000000); /* 10 ms at 100 MHz */
	{
		bool got = wait_until(&lapic_ticks, 1, 2000000000ULL);
		uint64_t us = (guest_now() - t0) / 1000;

		guest_check(got && us >= 10000, "LAPIC one-shot timer fired after %llu us",
			    (unsigned long long)us);
	}
	wrmsr_(0x830, (1ULL << 18) | SELF_IPI_VECTOR); /* fixed, shorthand self */
	guest_check(wait_until(&self_ipis, 1, 1000000000ULL), "self IPI through the ICR");
	wrmsr_(0x83F, SELF_IPI_VECTOR);
	guest_check(wait_until(&self_ipis, 2, 1000000000ULL), "SELF_IPI register");

	check_vcpu_bringup();
	{
		/* not a check: the cost of a null hypercall round trip */
		uint64_t a = guest_now();

		for (int k = 0; k < 20000; k++)
			hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
		guest_printf("bench: null hypercall (xen_version) round trip %llu ns\n",
			     (unsigned long long)((guest_now() - a) / 20000));
	}
	guest_finish();
}
