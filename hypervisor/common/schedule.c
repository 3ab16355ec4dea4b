/* The scheduler: every pCPU has its own run queue of the vCPUs placed on
 * it (vCPU n on pCPU n mod #pCPUs to start with), runs them in 10 ms
 * slices (credit's tslice, settable), the one with the least weighted run
 * time first (sched_credit.c: weights and caps) except that a vCPU just
 * woken from a block goes first (credit's boost), fires their guest timers
 * from its local APIC timer and halts when all of them are blocked or out
 * of cap budget.  vCPUs move, within their hard affinity, when woken on a
 * busy pCPU while another is halted, and when a pCPU with nothing to run
 * takes one waiting on a busy pCPU.  A vCPU made runnable (or given an
 * interrupt) from another pCPU gets its owner kicked with an IPI.
 * Run queues hold the vCPUs of every domain; a domain's vCPU n starts on
 * pCPU (domid + n) mod #pCPUs so that small guests spread out.
 * Everything except guest execution runs under one lock (domain_lock):
 * event channels, grants and foreign mappings touch two domains at once,
 * and one lock leaves no lock order to get wrong. */
#include <xenolith/dom0.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>
#include <xen/errno.h>

#define WATCHDOG_PERIOD_NS 1000000000ULL
#define RUNQ_MAX 64

struct runq {
	struct vcpu *vcpus[RUNQ_MAX];
	unsigned int nr;
	unsigned int cur; /* the vCPU holding the current slice */
	uint64_t slice_start;
	uint64_t slice_end;
	uint64_t preempt_at; /* a woken vCPU may take the pCPU from then on; 0 = none */
	struct vcpu *yielder; /* gave the pCPU up: the others go first */
	uint64_t vclock; /* virtual time of the vCPU picked last */
};

static uint64_t tslice_ns = 10000000ULL;
/* Xen's sched_ratelimit_us: a slice holder runs this long before a
 * woken vCPU may take its pCPU; 0 = at once. */
static uint64_t ratelimit_ns = 1000000ULL;
static volatile bool preempt_pending[NR_CPUS]; /* a vCPU of its runq woke */

uint64_t scheduler_ratelimit_ns(void)
{
	return ratelimit_ns;
}

void scheduler_set_ratelimit_ns(uint64_t ns)
{
	ratelimit_ns = ns;
}

bool scheduler_preempt_pending(unsigned int cpu)
{
	return preempt_pending[cpu];
}


uint64_t scheduler_tslice_ns(void)
{
	return tslice_ns;
}

void scheduler_set_tslice_ns(uint64_t ns)
{
	tslice_ns = ns;
}

static struct runq runqs[NR_CPUS];
static uint64_t idle_ns[NR_CPUS]; /* time spent halted since scheduling began */
static uint64_t idle_since[NR_CPUS]; /* start of the current halt, 0 = busy */
static struct domain *volatile sched_domain; /* the hardware domain */
static int big_lock;

void domain_lock(struct domain *d)
{
	(void)d; /* one lock for all domains: see the top of the file */
	while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&big_lock, __ATOMIC_RELAXED))
			cpu_relax();
}

void domain_unlock(struct domain *d)
{
	(void)d;
	__atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE);
}

static bool cpu_halted(unsigned int cpu)
{
	return __atomic_load_n(&idle_since[cpu], __ATOMIC_RELAXED) != 0;
}

static void wake_place(struct vcpu *v);

/* Is v woken, from its exit handling, by a vCPU of another domain that
 * holds v's pCPU (an event it sent)?  That one hands work over and mostly
 * waits for the answer, so v runs at once rather than after the rate
 * limit: the waker chose the switch the rate limit guards it from.  Not
 * within a domain: its vCPUs wake each other (IPIs) holding locks the
 * woken one may need next. */
static bool woken_by_own_holder(const struct vcpu *v)
{
	const struct runq *rq = &runqs[v->processor];
	const struct vcpu *holder = rq->nr ? rq->vcpus[rq->cur] : NULL;

	/* run_start is set only while the holder's pCPU is in its run */
	return v->processor == smp_processor_id() && holder && holder->d != v->d &&
	       holder->run_start;
}

void vcpu_kick(struct vcpu *v)
{
	/* a vCPU waking from a block may preempt the slice holder of its
	 * pCPU (Xen's wake-up boost): an event answered within a slice,
	 * not after it */
	if (v->blocked && v->online) {
		if (!v->d->pause_count && !v->d->dying && !v->d->shutdown && scheduler_started())
			wake_place(v);
		if (woken_by_own_holder(v))
			runqs[v->processor].preempt_at = now_ns();
		__atomic_store_n(&preempt_pending[v->processor], true, __ATOMIC_RELEASE);
		if (!v->woken_at) {
			v->woken_at = now_ns();
			v->woken_remote = v->processor != smp_processor_id();
			v->woken_busy = !cpu_halted(v->processor);
		}
	}
	/* an offline vCPU stays offline: only its pending state changes */
	v->blocked = false;
	v->polling = false;
	vcpu_notify(v);
}

void vcpu_notify(struct vcpu *v)
{
	/* its pCPU re-evaluates: leaves the guest or wakes from HLT */
	if (v->processor != smp_processor_id())
		smp_send_kick(v->processor);
}

void vcpu_sync(struct vcpu *v)
{
	/* the caller holds the domain lock, so once v is out of VMRUN it
	 * cannot go back in until the caller is done with its VMCB */
	if (!__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE))
		return;
	smp_send_kick(v->processor);
	while (__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static bool vcpu_runnable(const struct vcpu *v)
{
	return v->online && !v->blocked && !v->d->pause_count && !v->d->dying &&
	       !v->d->shutdown;
}

static int runq_insert(struct vcpu *v, unsigned int cpu)
{
	struct runq *rq = &runqs[cpu];

	if (rq->nr == RUNQ_MAX)
		return -XEN_ENOMEM;
	v->processor = cpu;
	/* a newcomer starts level with the queue, not ahead of it */
	v->vtime = MAX(v->vtime, rq->vclock);
	rq->vcpus[rq->nr++] = v;
	return 0;
}

static int runq_add(struct vcpu *v)
{
	return runq_insert(v, (v->d->id + v->id) % smp_nr_cpus());
}

/* With the lock held: take v off its run queue for good.  v must not be
 * in the guest (the caller paused its domain and synced it). */
static void runq_remove(struct vcpu *v)
{
	struct runq *rq = &runqs[v->processor];

	if (rq->yielder == v)
		rq->yielder = NULL;

	for (unsigned int i = 0; i < rq->nr; i++) {
		if (rq->vcpus[i] != v)
			continue;
		rq->vcpus[i] = rq->vcpus[--rq->nr];
		if (rq->cur >= rq->nr)
			rq->cur = 0;
		rq->slice_end = 0;
		return;
	}
}

/* Move a vCPU that is not in the guest to another run queue, keeping
 * how far ahead of or behind its queue's virtual clock it was (each
 * queue's clock runs on its own). */
static void runq_migrate(struct vcpu *v, unsigned int cpu)
{
	const struct runq *from = &runqs[v->processor];

	v->vtime = credit_move(v->vtime, from->vclock, runqs[cpu].vclock);
	runq_remove(v);
	runq_insert(v, cpu);
	/* its ASID's TLB entries on the new pCPU may predate what the guest
	 * changed while it ran elsewhere */
	v->need_flush = true;
}

int scheduler_move(struct vcpu *v, unsigned int cpu)
{
	unsigned int old = v->processor;

	if (cpu == old)
		return 0;
	if (runqs[cpu].nr == RUNQ_MAX)
		return -XEN_ENOMEM;
	vcpu_sync(v); /* out of VMRUN; svm_vcpu_run sees the move and returns */
	runq_migrate(v, cpu);
	if (old != smp_processor_id())
		smp_send_kick(old);
	vcpu_notify(v);
	return 0;
}

/* Credit's wake-up placement: a vCPU woken while its pCPU is busy moves
 * to a halted pCPU it may run on, rather than queue behind the vCPU
 * running there (up to the rate limit, or a whole slice). */
static void wake_place(struct vcpu *v)
{
	unsigned int cpu = v->processor;

	/* its FPU state still in its pCPU's registers: moving it would make
	 * it wait for that pCPU anyway */
	if (cpu_halted(cpu) || v->fpu_live_cpu >= 0)
		return;
	for (unsigned int n = 1; n < smp_nr_cpus(); n++) {
		unsigned int c = (cpu + n) % smp_nr_cpus();

		if ((v->affinity & (1ULL << c)) && cpu_halted(c) && runqs[c].nr < RUNQ_MAX) {
			runq_migrate(v, c);
			v->d->diag.wake_moved++;
			return;
		}
	}
}

/* May v take (or keep) its pCPU now?  Not while the pCPU it was moved
 * from still handles its last exit (run_start set there). */
static bool vcpu_may_run(const struct vcpu *v)
{
	return vcpu_runnable(v) && !v->run_start && credit_cap_allows(&v->d->sched_cap) &&
	       (v->fpu_live_cpu < 0 || (unsigned int)v->fpu_live_cpu == v->processor);
}

bool scheduler_others_waiting(const struct vcpu *v)
{
	const struct runq *rq = &runqs[v->processor];

	for (unsigned int i = 0; i < rq->nr; i++)
		if (rq->vcpus[i] != v && vcpu_may_run(rq->vcpus[i]))
			return true;
	return false;
}

/* Credit's wake-up boost for a vCPU woken from a block and not run
 * since; it is charged in full for what it runs, so a vCPU that wakes
 * often and runs a lot loses it. */
static bool vcpu_boosted(const struct runq *rq, const struct vcpu *v)
{
	return credit_boosted(v->woken_at != 0, v->vtime, rq->vclock, tslice_ns);
}

static bool pick_before(const struct runq *rq, const struct vcpu *v, const struct vcpu *than)
{
	bool bv = vcpu_boosted(rq, v), bt = vcpu_boosted(rq, than);

	return bv != bt ? bv : v->vtime < than->vtime;
}

/* The runnable vCPU with the least virtual time, round robin among
 * equals from the one after the current; NULL if none may run. */
static struct vcpu *runq_pick(struct runq *rq, uint64_t now)
{
	struct vcpu *best = NULL;
	unsigned int at = 0;

	for (unsigned int n = 1; n <= rq->nr; n++) {
		unsigned int i = (rq->cur + n) % rq->nr;
		struct vcpu *v = rq->vcpus[i];

		if (!vcpu_may_run(v) || v == rq->yielder)
			continue;
		v->vtime = credit_floor(v->vtime, rq->vclock, tslice_ns);
		if (!best || pick_before(rq, v, best)) {
			best = v;
			at = i;
		}
	}
	if (best) {
		rq->cur = at;
		/* a boosted pick runs ahead of its turn: the clock stays */
		if (!vcpu_boosted(rq, best))
			rq->vclock = MAX(rq->vclock, best->vtime);
		rq->slice_start = now;
		rq->slice_end = now + credit_cap_slice(&best->d->sched_cap, tslice_ns);
		rq->preempt_at = 0;
	} else if (rq->yielder && vcpu_may_run(rq->yielder)) {
		/* nobody else: the yielder goes on */
		best = rq->yielder;
		rq->slice_start = now;
		rq->slice_end = now + credit_cap_slice(&best->d->sched_cap, tslice_ns);
		rq->preempt_at = 0;
		for (unsigned int i = 0; i < rq->nr; i++)
			if (rq->vcpus[i] == best)
				rq->cur = i;
	}
	rq->yielder = NULL;
	return best;
}

/* Credit's load balancing: a pCPU with nothing to run takes a vCPU that
 * waits, runnable, in the queue of a busy pCPU (not the one holding
 * that queue's current slice) and may run here. */
static struct vcpu *runq_steal(unsigned int cpu, uint64_t now)
{
	for (unsigned int n = 1; n < smp_nr_cpus(); n++) {
		unsigned int c = (cpu + n) % smp_nr_cpus();
		struct runq *rq = &runqs[c];

		if (cpu_halted(c))
			continue; /* it was kicked and runs them itself */
		for (unsigned int i = 0; i < rq->nr; i++) {
			struct vcpu *v = rq->vcpus[i];

			if ((i == rq->cur && now < rq->slice_end) || !(v->affinity & (1ULL << cpu)) ||
			    !vcpu_may_run(v) || v->fpu_live_cpu >= 0 || runqs[cpu].nr == RUNQ_MAX)
				continue;
			runq_migrate(v, cpu);
			return runq_pick(&runqs[cpu], now);
		}
	}
	return NULL;
}

int scheduler_add_domain(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		if (runq_add(d->vcpus[i])) {
			while (i--)
				runq_remove(d->vcpus[i]);
			return -XEN_ENOMEM;
		}
	}
	return 0;
}

void scheduler_remove_domain(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		vcpu_sync(d->vcpus[i]);
		runq_remove(d->vcpus[i]);
	}
}

/* A pCPU still in a guest well after its slice ended did not get its
 * timer interrupt.  Seen under QEMU TCG (vm:timer-probe): the one-shot
 * timer had run down and its vector waited in IRR with nothing holding
 * it back (TPR 0, no vector in service), yet no #VMEXIT came until
 * another interrupt, an IPI, arrived.  The boot CPU looks at every
 * slice's end and kicks such a pCPU out with an IPI, so a lost timer
 * interrupt costs SLICE_OVERDUE_NS, not the guest: an AP spinning until
 * its BSP, on the same pCPU, gets a turn would wait for ever.  Returns
 * when to look next (0: no pCPU in a guest). */
#define SLICE_OVERDUE_NS 20000000ULL

static uint64_t kick_overdue(uint64_t now)
{
	static uint64_t kicks[NR_CPUS];
	uint64_t next = 0;

	for (unsigned int c = 1; c < smp_nr_cpus(); c++) {
		const struct runq *rq = &runqs[c];
		const struct vcpu *v = rq->nr ? rq->vcpus[rq->cur] : NULL;

		if (!v || !rq->slice_end || !__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE))
			continue;
		if (now < rq->slice_end + SLICE_OVERDUE_NS) {
			next = deadline_earliest(next, rq->slice_end + SLICE_OVERDUE_NS);
			continue;
		}
		kicks[c]++;
		if (kicks[c] <= 10 || !(kicks[c] % 100))
			log_warn("pCPU%u: d%uv%u still in the guest %llu ms after its slice ended "
				 "(timer interrupt lost): kicked, %llu time%s so far\n", c, v->d->id,
				 v->id, (unsigned long long)((now - rq->slice_end) / 1000000),
				 (unsigned long long)kicks[c], kicks[c] == 1 ? "" : "s");
		if (kicks[c] <= 10)
			timer_probe_request(c);
		smp_send_kick(c);
	}
	return next;
}

static void wake_stats_add(struct wake_stats *w, uint64_t ns)
{
	w->count++;
	w->sum_ns += ns;
	w->max_ns = MAX(w->max_ns, ns);
}

static void __attribute__((noreturn)) schedule_loop(struct domain *d, unsigned int cpu)
{
	/* d is the hardware domain: its shutdown takes the machine down */
	struct runq *rq = &runqs[cpu];
	uint64_t next_watchdog = 0;

	for (;;) {
		uint64_t now, next = 0, watch = 0; /* watch: the boot CPU's next look */
		struct vcpu *run = NULL;

		domain_lock(d);
		now = now_ns();
		svm_fpu_release(cpu);
		for (unsigned int i = 0; i < rq->nr; i++) {
			struct credit_cap *cap = &rq->vcpus[i]->d->sched_cap;

			next = deadline_earliest(next, vcpu_timers_check(rq->vcpus[i], now));
			credit_cap_refill(cap, now);
			/* out of budget: look again when the next period starts */
			if (vcpu_runnable(rq->vcpus[i]) && !credit_cap_allows(cap))
				next = deadline_earliest(next, cap->period_end);
		}
		if (cpu == 0) {
			watch = kick_overdue(now);
			if (now >= next_watchdog) {
				watchdog_check(now);
				next_watchdog = now + WATCHDOG_PERIOD_NS;
			}
			watch = deadline_earliest(watch, next_watchdog);
		}
		if (d->shutdown) {
			domain_unlock(d);
			if (cpu == 0)
				hwdom_shutdown(d);
			for (;;) /* the boot CPU takes the machine down */
				__asm__ volatile("sti; hlt; cli" ::: "memory");
		}
		if (__atomic_exchange_n(&preempt_pending[cpu], false, __ATOMIC_ACQ_REL) &&
		    !rq->preempt_at)
			rq->preempt_at = MAX(now, rq->slice_start + ratelimit_ns);
		/* the slice holder keeps the CPU until its slice ends (leaving
		 * the guest to reprogram a timer does not end it), or until
		 * a woken vCPU may preempt it: then the least run time wins */
		if (rq->nr && now < rq->slice_end && vcpu_may_run(rq->vcpus[rq->cur]) &&
		    !(rq->preempt_at && now >= rq->preempt_at))
			run = rq->vcpus[rq->cur];
		if (!run && rq->nr)
			run = runq_pick(rq, now);
		if (!run)
			run = runq_steal(cpu, now);
		timer_softirq[cpu] = false;
		if (run) {
			if (run->woken_at) {
				wake_stats_add(&run->d->diag.wake[run->woken_remote][run->woken_busy],
					       now > run->woken_at ? now - run->woken_at : 0);
				run->woken_at = 0;
			}
			run->timers_changed = false;
			/* the boot CPU's looks wait for this slice's end: an extra
			 * interrupt into a running guest costs a #VMEXIT, and
			 * each exit risks QEMU TCG's lost-state fault */
			timer_program(deadline_earliest(deadline_earliest(next, rq->slice_end), rq->preempt_at));
			vcpu_update_time(run);
			run->run_start = now;
			svm_vcpu_run(run); /* drops the lock while in the guest */
			{
				uint64_t ran = now_ns() - now;

				run->cpu_time_ns += ran;
				run->vtime += credit_charge(ran, run->d->sched_weight);
				credit_cap_charge(&run->d->sched_cap, ran);
			}
			run->run_start = 0;
			if (timer_probe_report(cpu))
				vcpu_dump_state(run, now_ns());
			if (run->yielded) {
				run->yielded = false;
				rq->yielder = run;
				rq->slice_end = 0;
			}
			/* moved meanwhile: its new pCPU may take it now */
			if (run->processor != cpu)
				smp_send_kick(run->processor);
			domain_unlock(d);
			continue;
		}
		domain_unlock(d);
		/* idle until a timer, the watchdog's next look or a kick */
		timer_program(deadline_earliest(next, watch));
		__atomic_store_n(&idle_since[cpu], now, __ATOMIC_RELAXED);
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		__atomic_store_n(&idle_since[cpu], 0, __ATOMIC_RELAXED);
		__atomic_fetch_add(&idle_ns[cpu], now_ns() - now, __ATOMIC_RELAXED);
	}
}

void scheduler_start(struct domain *d)
{
	if (scheduler_add_domain(d))
		panic("no room in the run queues for Dom%u\n", d->id);
	for (unsigned int c = 0; c < smp_nr_cpus(); c++)
		if (runqs[c].nr)
			printk("CPU%u runs %u vCPU%s of Dom%u\n", c, runqs[c].nr,
			       runqs[c].nr > 1 ? "s" : "", d->id);
	__atomic_store_n(&sched_domain, d, __ATOMIC_RELEASE);
	schedule_loop(d, 0);
}

uint64_t scheduler_idle_ns(unsigned int cpu)
{
	uint64_t since;

	if (cpu >= NR_CPUS)
		return 0;
	/* a halt still going on counts too */
	since = __atomic_load_n(&idle_since[cpu], __ATOMIC_RELAXED);
	return __atomic_load_n(&idle_ns[cpu], __ATOMIC_RELAXED) + (since ? now_ns() - since : 0);
}

void scheduler_dump(uint64_t now)
{
	for (unsigned int c = 0; c < smp_nr_cpus() && c < NR_CPUS; c++) {
		struct runq *rq = &runqs[c];
		uint64_t since = __atomic_load_n(&idle_since[c], __ATOMIC_RELAXED);

		printk("  pCPU%u: %s, %u vCPUs, slice of d%uv%u ends in %lld ms, preempt at %lld ms, "
		       "woken pending %d\n", c, since ? "halted" : "busy", rq->nr,
		       rq->nr ? rq->vcpus[rq->cur]->d->id : 0, rq->nr ? rq->vcpus[rq->cur]->id : 0,
		       deadline_ms_from(rq->slice_end, now), deadline_ms_from(rq->preempt_at, now),
		       (int)__atomic_load_n(&preempt_pending[c], __ATOMIC_RELAXED));
		for (unsigned int i = 0; i < rq->nr; i++) {
			struct vcpu *v = rq->vcpus[i];

			printk("    d%uv%u: vtime %llu, may run %d, runnable %d, picked %d, in guest %d, "
			       "on pCPU %u\n", v->d->id, v->id, (unsigned long long)v->vtime,
			       vcpu_may_run(v), vcpu_runnable(v), v->run_start != 0,
			       (int)__atomic_load_n(&v->in_guest, __ATOMIC_RELAXED), v->processor);
		}
	}
}

uint64_t vcpu_cpu_time(const struct vcpu *v)
{
	/* with the domain lock held: the slice in progress counts too */
	return v->cpu_time_ns + (v->run_start ? now_ns() - v->run_start : 0);
}

bool scheduler_started(void)
{
	return __atomic_load_n(&sched_domain, __ATOMIC_ACQUIRE) != NULL;
}

void scheduler_ap(unsigned int cpu)
{
	schedule_loop(__atomic_load_n(&sched_domain, __ATOMIC_ACQUIRE), cpu);
}
