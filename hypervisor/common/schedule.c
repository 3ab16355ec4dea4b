/* The stage-1 scheduler: the boot CPU runs the domain's online vCPUs
 * round robin in 10 ms slices, fires guest timers from the local APIC
 * timer, idles in HLT when every vCPU is blocked, and follows dom0 when
 * it shuts down. */
#include <xenolith/dom0.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>

#define SLICE_NS 10000000ULL

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return MIN(a, b);
}

void scheduler_run(struct domain *d)
{
	unsigned int cpu = smp_processor_id();
	unsigned int next_vcpu = 0;
	bool warned = false;
	uint64_t next_report = 0;

	for (;;) {
		uint64_t now = now_ns(), next = 0;
		struct vcpu *run = NULL;

		for (unsigned int i = 0; i < d->nr_vcpus; i++)
			next = earliest(next, vcpu_timers_check(d->vcpus[i], now));
		if (now >= next_report) {
			/* debug heartbeat: where each vCPU is */
			for (unsigned int i = 0; i < d->nr_vcpus && next_report; i++) {
				struct vcpu *v = d->vcpus[i];

				log_debug("d%uv%u: %s%s rip %#llx, %llu exits\n", d->id, v->id,
					  v->online ? "online" : "offline",
					  v->blocked ? " blocked" : "",
					  v->vmcb ? (unsigned long long)VMCB64(v->vmcb, VMCB_RIP) : 0ULL,
					  (unsigned long long)v->nr_exits);
			}
			next_report = now + 5000000000ULL;
		}
		if (d->shutdown)
			hwdom_shutdown(d);
		for (unsigned int n = 0; n < d->nr_vcpus && !run; n++) {
			struct vcpu *v = d->vcpus[(next_vcpu + n) % d->nr_vcpus];

			if (v->online && !v->blocked)
				run = v;
		}
		timer_softirq[cpu] = false;
		if (run) {
			next_vcpu = (run->id + 1) % d->nr_vcpus;
			timer_program(earliest(next, now + SLICE_NS));
			vcpu_update_time(run);
			svm_vcpu_run(run);
			if (d->shutdown)
				hwdom_shutdown(d);
			continue;
		}
		if (!next) {
			if (!warned)
				log_warn("Dom%u: every vCPU is blocked with no timer pending\n", d->id);
			warned = true;
		}
		timer_program(next);
		/* idle: sleep until the timer (or another interrupt) fires */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}
