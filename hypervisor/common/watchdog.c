/* Hang diagnostics, for every domain.  A runnable vCPU that makes no
 * hypercall, takes no interrupt and causes no exit of its own (I/O, MSR,
 * MMIO...: only the host's interrupts take it out of the guest) for
 * WATCHDOG_NS is reported with the state of every vCPU of its domain: run state, registers, what it waits for (pending events,
 * vLAPIC, timers), the code at its RIP and the top of its stack, so a
 * hung boot says why it hangs.  A blocked vCPU with a deliverable event
 * is a lost wake-up and is reported at once. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>
#include <xen/xen.h>
#include <xen/hvm/params.h>

#define WATCHDOG_NS 15000000000ULL

static void dump_bits(const char *name, const uint64_t *m)
{
	for (unsigned int w = 0; w < 4; w++)
		if (m[w])
			printk("    %s[%u] %016llx\n", name, w, (unsigned long long)m[w]);
}

void vcpu_dump_state(struct vcpu *v, uint64_t now)
{
	void *vmcb = v->vmcb;
	struct vcpu_info *vi = vcpu_info_ptr(v);
	struct vlapic *l = &v->lapic;
	uint8_t code[16];
	uint64_t stack[6];

	printk("  d%uv%u: %s%s%s%s, %llu exits (last %#llx, %llu traps), %llu hypercalls "
	       "(last %lu), %llu irqs, unchanged for %lld ms\n", v->d->id, v->id,
	       v->online ? "online" : "offline", v->blocked ? " blocked" : " runnable",
	       v->polling ? " polling" : "", v->wait_for_sipi ? " wait-for-SIPI" : "",
	       (unsigned long long)v->nr_exits, (unsigned long long)v->last_exit_code,
	       (unsigned long long)v->nr_traps, (unsigned long long)v->nr_hypercalls, v->last_hypercall,
	       (unsigned long long)v->nr_irqs, -deadline_ms_from(v->wd_since, now));
	if (!vmcb)
		return;
	printk("    rip %#llx rsp %#llx rflags %#llx cr3 %#llx int_state %#llx\n",
	       (unsigned long long)VMCB64(vmcb, VMCB_RIP), (unsigned long long)VMCB64(vmcb, VMCB_RSP),
	       (unsigned long long)VMCB64(vmcb, VMCB_RFLAGS), (unsigned long long)VMCB64(vmcb, VMCB_CR3),
	       (unsigned long long)VMCB64(vmcb, VMCB_INT_STATE));
	printk("    vintr %#llx eventinj %#llx lapic: injected %d tpr %#x svr %#x lvtt %#x "
	       "timer in %lld ms\n", (unsigned long long)VMCB64(vmcb, VMCB_VINTR),
	       (unsigned long long)VMCB64(vmcb, VMCB_EVENTINJ), l->injected, l->tpr, l->svr,
	       l->lvt_timer, deadline_ms_from(l->timer_deadline, now));
	dump_bits("irr", l->irr);
	dump_bits("isr", l->isr);
	printk("    upcall vector %#x, callback %#llx, vcpu_info %s: pending %u mask %u sel %#llx\n",
	       v->upcall_vector, (unsigned long long)v->d->params[HVM_PARAM_CALLBACK_IRQ],
	       vi ? "mapped" : "none", vi ? vi->evtchn_upcall_pending : 0,
	       vi ? vi->evtchn_upcall_mask : 0, vi ? (unsigned long long)vi->evtchn_pending_sel : 0ULL);
	printk("    timers: singleshot %lld ms, periodic %llu ns next %lld ms, poll port %u "
	       "deadline %lld ms\n", deadline_ms_from(v->singleshot_deadline, now),
	       (unsigned long long)v->periodic_period,
	       v->periodic_period ? deadline_ms_from(v->periodic_next, now) : -1LL, v->poll_port,
	       deadline_ms_from(v->poll_deadline, now));
	if (!copy_from_guest(v, code, VMCB64(vmcb, VMCB_RIP), sizeof(code)))
		printk("    code: %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x "
		       "%02x %02x %02x %02x\n", code[0], code[1], code[2], code[3], code[4],
		       code[5], code[6], code[7], code[8], code[9], code[10], code[11],
		       code[12], code[13], code[14], code[15]);
	if (!copy_from_guest(v, stack, VMCB64(vmcb, VMCB_RSP), sizeof(stack)))
		printk("    stack: %llx %llx %llx %llx %llx %llx\n",
		       (unsigned long long)stack[0], (unsigned long long)stack[1],
		       (unsigned long long)stack[2], (unsigned long long)stack[3],
		       (unsigned long long)stack[4], (unsigned long long)stack[5]);
}

void domain_dump_state(struct domain *d, const char *why)
{
	struct shared_info *s = mm_page_virt(d->shared_info_pfn);
	uint64_t now = now_ns();

	printk("*** d%u state (%s) at %llu ms ***\n", d->id, why,
	       (unsigned long long)(now / 1000000));
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i])
			vcpu_dump_state(d->vcpus[i], now);
	/* pending ports with their binding: who should have been woken */
	for (unsigned int p = 1; p < EVTCHN_MAX; p++) {
		uint64_t bit = 1ULL << (p % 64);
		bool pend = s->evtchn_pending[p / 64] & bit, mask = s->evtchn_mask[p / 64] & bit;

		if (!pend || d->evtchn[p].state == 0)
			continue;
		printk("  port %u pending%s: state %u vcpu %u virq %u\n", p, mask ? " masked" : "",
		       d->evtchn[p].state, d->evtchn[p].vcpu, d->evtchn[p].virq);
	}
}

/* Could v take an interrupt right now if it were running? */
static bool wake_pending(struct vcpu *v)
{
	bool vector_cb = v->upcall_vector ||
		(v->d->params[HVM_PARAM_CALLBACK_IRQ] >> 56) == HVM_PARAM_CALLBACK_TYPE_VECTOR;

	return vlapic_has_pending(v) || (vcpu_upcall_pending(v) && vector_cb);
}

/* Will a timer wake v by itself? */
static bool timer_armed(struct vcpu *v)
{
	return v->singleshot_deadline || v->periodic_period || v->lapic.timer_deadline ||
	       (v->polling && v->poll_deadline);
}

static bool other_runnable(struct domain *d, struct vcpu *v)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i] != v && d->vcpus[i]->online && !d->vcpus[i]->blocked)
			return true;
	return false;
}

static void watchdog_check_domain(struct domain *d, uint64_t now)
{
	/* a paused, dying or shut-down domain is still on purpose; its
	 * watch starts afresh when it runs again */
	if (d->pause_count || d->dying || d->shutdown) {
		for (unsigned int i = 0; i < d->nr_vcpus; i++)
			if (d->vcpus[i])
				d->vcpus[i]->wd_since = 0;
		return;
	}
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		uint64_t count;

		if (!v || !v->online || !v->vmcb)
			continue;
		if (v->wd_followup) {
			v->wd_followup = false;
			log_err("watchdog: d%uv%u a period later: %llu exits, %llu us of pCPU%u\n",
				d->id, v->id, (unsigned long long)(v->nr_exits - v->wd_exits),
				(unsigned long long)((vcpu_cpu_time(v) - v->wd_cpu_time) / 1000),
				v->processor);
		}
		if (v->blocked && !v->polling && wake_pending(v) &&
		    (VMCB64(v->vmcb, VMCB_RFLAGS) & (1ULL << 9)) && !v->stall_reported) {
			v->stall_reported = true;
			log_err("watchdog: d%uv%u blocked with an interrupt pending (lost wake-up)\n",
				d->id, v->id);
			domain_dump_state(d, "lost wake-up");
			continue;
		}
		count = v->nr_hypercalls + v->nr_irqs + v->nr_traps;
		if (count != v->wd_count || !v->wd_since) {
			v->wd_count = count;
			v->wd_since = now;
			v->stall_reported = false;
			continue;
		}
		if (now - v->wd_since < WATCHDOG_NS || v->stall_reported)
			continue;
		if (!v->blocked) {
			log_err("watchdog: d%uv%u runnable but no hypercall, interrupt or trap for %llu s\n",
				d->id, v->id, (unsigned long long)((now - v->wd_since) / 1000000000ULL));
		} else if (!timer_armed(v) && other_runnable(d, v)) {
			log_err("watchdog: d%uv%u blocked for %llu s with no timer armed while "
				"another vCPU runs\n", d->id, v->id,
				(unsigned long long)((now - v->wd_since) / 1000000000ULL));
		} else {
			continue; /* idle, waiting for its own timer: healthy */
		}
		v->stall_reported = true;
		v->wd_followup = true;
		v->wd_exits = v->nr_exits;
		v->wd_cpu_time = vcpu_cpu_time(v);
		domain_dump_state(d, "stall");
		scheduler_dump(now);
	}
}

/* Every domain, dom0 and guests alike: a hung guest is as worth a
 * dump as a hung dom0.  Runs under the big lock. */
void watchdog_check(uint64_t now)
{
	for (struct domain *d = domain_next(0); d; d = d->id < UINT16_MAX ? domain_next(d->id + 1) : NULL)
		watchdog_check_domain(d, now);
}
