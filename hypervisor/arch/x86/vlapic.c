/* A small x2APIC model (MSR interface only): ID 2*vcpu, task priority,
 * IRR/ISR with priority-ordered delivery through the VMCB's virtual
 * interrupt, EOI, the timer (one-shot/periodic, 100 MHz bus clock) and
 * fixed/INIT/SIPI IPIs between vCPUs of a domain.  The Xen callback
 * vector (HVM_PARAM_CALLBACK_IRQ type 2) is injected the same way but
 * needs no EOI. */
#include <xenolith/domain.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/printk.h>
#include <xen/hvm/params.h>

#define BUS_NS 10 /* 100 MHz APIC bus, as Xen's vLAPIC */
#define LVT_MASKED (1U << 16)
#define LVT_PERIODIC (1U << 17)
#define SVR_ENABLED (1U << 8)
#define INJECT_NONE -1
#define INJECT_CALLBACK -2

static void set_bit256(uint64_t *m, unsigned int b)
{
	m[b / 64] |= 1ULL << (b % 64);
}

static void clear_bit256(uint64_t *m, unsigned int b)
{
	m[b / 64] &= ~(1ULL << (b % 64));
}

static int highest(const uint64_t *m)
{
	for (int w = 3; w >= 0; w--)
		if (m[w])
			return w * 64 + 63 - __builtin_clzll(m[w]);
	return -1;
}

void vlapic_reset(struct vcpu *v)
{
	struct vlapic *l = &v->lapic;

	memset(l, 0, sizeof(*l));
	l->svr = 0xFF;
	l->lvt_timer = l->lvt_lint0 = l->lvt_lint1 = l->lvt_error = LVT_MASKED;
	l->injected = INJECT_NONE;
}

void vlapic_set_irq(struct vcpu *v, uint8_t vector)
{
	set_bit256(v->lapic.irr, vector);
	vcpu_kick(v);
}

static uint64_t timer_period_ns(struct vlapic *l)
{
	unsigned int d = ((l->tdcr & 3) | ((l->tdcr >> 1) & 4));
	unsigned int div = d == 7 ? 1 : 2U << d;

	return (uint64_t)l->tmict * BUS_NS * div;
}

static void timer_start(struct vcpu *v)
{
	struct vlapic *l = &v->lapic;

	l->timer_start = now_ns();
	l->timer_deadline = l->tmict ? l->timer_start + timer_period_ns(l) : 0;
}

/* Called by the scheduler's timer scan. */
uint64_t vlapic_timer_check(struct vcpu *v, uint64_t now);
uint64_t vlapic_timer_check(struct vcpu *v, uint64_t now)
{
	struct vlapic *l = &v->lapic;

	if (!l->timer_deadline)
		return 0;
	if (now >= l->timer_deadline) {
		if (!(l->lvt_timer & LVT_MASKED))
			vlapic_set_irq(v, (uint8_t)l->lvt_timer);
		if ((l->lvt_timer & LVT_PERIODIC) && l->tmict) {
			uint64_t p = timer_period_ns(l);

			l->timer_start = l->timer_deadline;
			l->timer_deadline += p;
			if (l->timer_deadline <= now) /* fell behind: skip ticks */
				l->timer_deadline = now + p;
		} else {
			l->timer_deadline = 0;
		}
	}
	return l->timer_deadline;
}

static void deliver_ipi(struct vcpu *v, uint64_t icr)
{
	struct domain *d = v->d;
	unsigned int mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3;
	uint32_t dest = (uint32_t)(icr >> 32);
	uint8_t vector = (uint8_t)icr;

	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *t = d->vcpus[i];
		bool hit;

		if (!t)
			continue;
		switch (shorthand) {
		case 1: hit = t == v; break;
		case 2: hit = true; break;
		case 3: hit = t != v; break;
		default: hit = dest == 0xFFFFFFFFU || dest == 2 * t->id; break;
		}
		if (!hit)
			continue;
		switch (mode) {
		case 0: /* fixed */
		case 1: /* lowest priority: treat as fixed */
			vlapic_set_irq(t, vector);
			break;
		case 5: /* INIT */
			if (t != v) {
				t->online = false;
				t->wait_for_sipi = true;
				vcpu_notify(t);
			}
			break;
		case 6: /* SIPI */
			if (t->wait_for_sipi) {
				extern int svm_vcpu_start_real(struct vcpu *v, uint8_t vector);

				t->wait_for_sipi = false;
				if (!svm_vcpu_start_real(t, vector)) {
					t->online = true;
					vcpu_kick(t);
				}
			}
			break;
		default:
			log_debug("d%uv%u: IPI delivery mode %u ignored\n", d->id, v->id, mode);
			break;
		}
	}
}

static int reg_read(struct vcpu *v, unsigned int reg, uint64_t *val)
{
	struct vlapic *l = &v->lapic;

	switch (reg) {
	case 0x02: *val = 2 * v->id; return 0;
	case 0x03: *val = 0x50014; return 0; /* version 0x14, 6 LVTs */
	case 0x08: *val = l->tpr; return 0;
	case 0x0A: *val = 0; return 0; /* PPR approximated */
	case 0x0D: *val = ((2 * v->id) & ~0xFU) << 12 | (1U << ((2 * v->id) & 0xF)); return 0;
	case 0x0F: *val = l->svr; return 0;
	case 0x28: *val = l->esr; return 0;
	case 0x30: *val = l->icr; return 0;
	case 0x32: *val = l->lvt_timer; return 0;
	case 0x35: *val = l->lvt_lint0; return 0;
	case 0x36: *val = l->lvt_lint1; return 0;
	case 0x37: *val = l->lvt_error; return 0;
	case 0x33: case 0x34: *val = LVT_MASKED; return 0; /* thermal, perf */
	case 0x38: *val = l->tmict; return 0;
	case 0x39: {
		uint64_t now = now_ns(), p = timer_period_ns(l);

		if (!l->timer_deadline || !p || now >= l->timer_deadline) {
			*val = 0;
		} else {
			*val = (l->timer_deadline - now) * l->tmict / p;
		}
		return 0;
	}
	case 0x3E: *val = l->tdcr; return 0;
	default:
		if (reg >= 0x10 && reg < 0x18) {
			*val = (uint32_t)(l->isr[(reg - 0x10) / 2] >> (32 * ((reg - 0x10) & 1)));
			return 0;
		}
		if (reg >= 0x20 && reg < 0x28) {
			*val = (uint32_t)(l->irr[(reg - 0x20) / 2] >> (32 * ((reg - 0x20) & 1)));
			return 0;
		}
		if (reg >= 0x18 && reg < 0x20) {
			*val = 0; /* TMR: everything edge */
			return 0;
		}
		return -1;
	}
}

static int reg_write(struct vcpu *v, unsigned int reg, uint64_t val)
{
	struct vlapic *l = &v->lapic;

	switch (reg) {
	case 0x08: l->tpr = (uint32_t)val & 0xFF; return 0;
	case 0x0B: { /* EOI */
		int isr = highest(l->isr);

		if (isr >= 0)
			clear_bit256(l->isr, (unsigned int)isr);
		return 0;
	}
	case 0x0F: l->svr = (uint32_t)val & 0x1FFF; return 0;
	case 0x28: l->esr = 0; return 0;
	case 0x30:
		deliver_ipi(v, val);
		return 0;
	case 0x32: l->lvt_timer = (uint32_t)val & 0x700FF; return 0;
	case 0x35: l->lvt_lint0 = (uint32_t)val; return 0;
	case 0x36: l->lvt_lint1 = (uint32_t)val; return 0;
	case 0x37: l->lvt_error = (uint32_t)val; return 0;
	case 0x33: case 0x34: return 0;
	case 0x38:
		l->tmict = (uint32_t)val;
		timer_start(v);
		v->timers_changed = true;
		return 0;
	case 0x3E: l->tdcr = (uint32_t)val & 0xB; return 0;
	case 0x3F: /* SELF IPI */
		vlapic_set_irq(v, (uint8_t)val);
		return 0;
	default:
		return -1;
	}
}

int vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	if (!v->lapic.x2apic)
		return -1;
	return reg_read(v, msr - 0x800, val);
}

int vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	if (!v->lapic.x2apic)
		return -1;
	if (msr == 0x830)
		v->lapic.icr = val;
	return reg_write(v, msr - 0x800, val);
}

/* xAPIC (MMIO) view of the same registers: 16-byte spaced 32-bit
 * registers; ID and the split ICR differ from x2APIC. */
int vlapic_mmio(struct vcpu *v, uint32_t offset, uint32_t *val, bool write);
int vlapic_mmio(struct vcpu *v, uint32_t offset, uint32_t *val, bool write)
{
	struct vlapic *l = &v->lapic;
	unsigned int reg = offset >> 4;
	uint64_t v64;

	if (l->x2apic)
		return -1; /* MMIO is disabled in x2APIC mode */
	if (!write) {
		switch (reg) {
		case 0x02: *val = (2 * v->id) << 24; return 0;
		case 0x0D: *val = 0; return 0; /* LDR */
		case 0x0E: *val = 0xFFFFFFFFU; return 0; /* DFR: flat */
		case 0x30: *val = (uint32_t)l->icr & ~(1U << 12); return 0;
		case 0x31: *val = (uint32_t)(l->icr >> 32); return 0;
		default:
			if (reg_read(v, reg, &v64))
				return -1;
			*val = (uint32_t)v64;
			return 0;
		}
	}
	switch (reg) {
	case 0x02: case 0x0D: case 0x0E:
		return 0; /* ID/LDR/DFR writes ignored */
	case 0x31:
		l->icr = (l->icr & 0xFFFFFFFFULL) | ((uint64_t)*val << 32);
		return 0;
	case 0x30: {
		uint32_t dest = (uint32_t)(l->icr >> 56);

		l->icr = (l->icr & ~0xFFFFFFFFULL) | *val;
		/* to the x2APIC form: 8-bit destination, 0xFF = broadcast */
		return reg_write(v, 0x30, *val | ((uint64_t)(dest == 0xFF ? 0xFFFFFFFFU : dest) << 32));
	}
	default:
		return reg_write(v, reg, *val);
	}
}

bool vlapic_has_pending(struct vcpu *v)
{
	return highest(v->lapic.irr) >= 0;
}

static int deliverable(struct vcpu *v)
{
	struct vlapic *l = &v->lapic;
	int irr = highest(l->irr), isr = highest(l->isr);
	int prio = MAX(isr >= 0 ? isr >> 4 : 0, (int)(l->tpr >> 4));

	if (irr < 0 || (irr >> 4) <= prio)
		return -1;
	return irr;
}

void vlapic_prepare_entry(struct vcpu *v)
{
	void *vmcb = v->vmcb;
	struct vlapic *l = &v->lapic;
	int vec;
	uint64_t cb = v->d->params[HVM_PARAM_CALLBACK_IRQ];

	if (l->injected != INJECT_NONE)
		return; /* still waiting in V_IRQ */
	/* the per-vCPU upcall vector stays asserted while events are
	 * pending (an INIT or a late vector registration loses nothing) */
	if (v->upcall_vector && vcpu_upcall_pending(v) &&
	    !(l->irr[v->upcall_vector / 64] & (1ULL << (v->upcall_vector % 64))) &&
	    !(l->isr[v->upcall_vector / 64] & (1ULL << (v->upcall_vector % 64))))
		set_bit256(l->irr, v->upcall_vector);
	vec = deliverable(v);
	if (vec < 0 && !v->upcall_vector && (cb >> 56) == HVM_PARAM_CALLBACK_TYPE_VECTOR &&
	    vcpu_upcall_pending(v)) {
		vec = (int)(cb & 0xFF);
		l->injected = INJECT_CALLBACK;
	} else if (vec >= 0) {
		l->injected = vec;
	} else {
		return;
	}
	/* V_IRQ | priority 15 | ignore TPR | V_INTR_MASKING, vector in 39:32 */
	VMCB64(vmcb, VMCB_VINTR) = (1ULL << 8) | (0xFULL << 16) | (1ULL << 20) |
				   (1ULL << 24) | ((uint64_t)vec << 32);
}

void vlapic_after_exit(struct vcpu *v)
{
	void *vmcb = v->vmcb;
	struct vlapic *l = &v->lapic;

	if (l->injected == INJECT_NONE)
		return;
	if (VMCB64(vmcb, VMCB_VINTR) & (1ULL << 8))
		return; /* not taken yet */
	v->nr_irqs++;
	if (l->injected >= 0) {
		clear_bit256(l->irr, (unsigned int)l->injected);
		set_bit256(l->isr, (unsigned int)l->injected);
	}
	l->injected = INJECT_NONE;
}
