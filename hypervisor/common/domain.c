/* Domain lifecycle: creation, shutdown with a reason, crash, and
 * destruction giving every page back. */
#include <xenolith/domain.h>
#include <xenolith/memop.h>
#include <xenolith/mm.h>
#include <xenolith/power.h>
#include <xenolith/printk.h>
#include <xenolith/setup.h>
#include <xenolith/smp.h>
#include <xenolith/svm.h>
#include <xen/errno.h>
#include <xen/sched.h>

#define MAX_DOMAINS 16

static struct domain *domains[MAX_DOMAINS];

static void domain_free(struct domain *d);

struct domain *domain_by_id(uint16_t domid)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->id == domid)
			return domains[i];
	return NULL;
}

struct domain *domain_next(uint16_t domid)
{
	struct domain *best = NULL;

	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->id >= domid && (!best || domains[i]->id < best->id))
			best = domains[i];
	return best;
}

struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus)
{
	struct domain *d;
	unsigned int slot;

	if (nr_vcpus == 0 || nr_vcpus > MAX_VCPUS || domain_by_id(domid))
		return NULL;
	for (slot = 0; slot < MAX_DOMAINS && domains[slot]; slot++)
		;
	if (slot == MAX_DOMAINS)
		return NULL;
	d = xzalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->id = domid;
	d->privileged = privileged;
	d->shutdown_code = ~0U;
	d->sched_weight = CREDIT_WEIGHT_DEFAULT;
	d->nr_vcpus = nr_vcpus;
	d->shared_info_gfn = INVALID_PFN;
	d->shared_info_pfn = INVALID_PFN;
	d->npt_root = INVALID_PFN;
	/* Xen's default: a triple fault asks for a reboot */
	d->params[HVM_PARAM_TRIPLE_FAULT_REASON] = SHUTDOWN_reboot;
	if (p2m_init(d) || evtchn_init(d))
		goto fail;
	d->shared_info_pfn = mm_alloc(0, PAGE_OWNER_XEN);
	if (d->shared_info_pfn == INVALID_PFN)
		goto fail;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = xzalloc(sizeof(*v));

		if (!v)
			goto fail;
		v->id = i;
		v->d = d;
		v->affinity = ~0ULL;
		v->fpu_live_cpu = -1;
		v->vcpu_info_gfn = INVALID_PFN;
		d->vcpus[i] = v;
	}
	domains[slot] = d;
	return d;
fail:
	domain_free(d);
	return NULL;
}

/* Everything a domain structure owns; the domain is in no table. */
static void domain_free(struct domain *d)
{
	printk_guest_line_flush(d->id, &d->debugcon);
	xfree(d->e820);
	d->e820 = NULL;
	xfree(d->cpu_policy);
	d->cpu_policy = NULL;
	for (unsigned int i = 0; i < MAX_VCPUS; i++) {
		if (!d->vcpus[i])
			continue;
		svm_vcpu_destroy(d->vcpus[i]);
		xfree(d->vcpus[i]);
		d->vcpus[i] = NULL;
	}
	evtchn_destroy(d);
	gnttab_release_mappings(d);
	p2m_teardown(d);
	/* frames a dom0 mapping still references live on until unmapped */
	for (unsigned int i = 0; i < d->gnttab_nr_frames; i++)
		page_put(d->gnttab_frame[i]);
	if (d->shared_info_pfn != INVALID_PFN)
		page_put(d->shared_info_pfn);
	xfree(d);
}

uint16_t domain_free_id(void)
{
	/* like Xen: the lowest unused id above the last one handed out */
	static uint16_t rover;

	for (unsigned int n = 0; n < DOMID_FIRST_RESERVED; n++) {
		rover = (uint16_t)(rover + 1U >= DOMID_FIRST_RESERVED ? 1 : rover + 1);
		if (!domain_by_id(rover))
			return rover;
	}
	return 0;
}

/* Pages freed per destroy call: 32 MiB.  Freeing is bookkeeping only
 * (pages are scrubbed when next allocated), so this holds the lock for
 * about a millisecond, and a 256 MiB guest takes 8 calls, each a trip
 * through dom0's privcmd. */
#define DESTROY_BUDGET 8192

/* How long its vCPUs waited for their pCPU after a wake-up, by where
 * the wake-up came from and whether that pCPU was halted (idle). */
static void wake_stats_print(const struct domain *d)
{
	static const char *const from[2] = { "own pCPU", "other pCPU" };
	static const char *const state[2] = { "idle", "busy" };
	const uint64_t *e = d->diag.exits_by;

	for (unsigned int r = 0; r < 2; r++)
		for (unsigned int b = 0; b < 2; b++) {
			const struct wake_stats *w = &d->diag.wake[r][b];

			if (w->count)
				log_info("d%u wake-ups from %s, %s: %llu, mean %llu us, max %llu us\n",
					 d->id, from[r], state[b], (unsigned long long)w->count,
					 (unsigned long long)(w->sum_ns / w->count / 1000),
					 (unsigned long long)(w->max_ns / 1000));
		}
	if (d->diag.wake_moved)
		log_info("d%u wake-ups moved from a busy pCPU to a halted one: %llu\n", d->id,
			 (unsigned long long)d->diag.wake_moved);
	log_info("d%u exits: intr %llu hlt %llu hypercall %llu msr %llu npf %llu cpuid %llu "
		 "io %llu pause %llu other %llu\n", d->id,
		 (unsigned long long)e[EXIT_INTR], (unsigned long long)e[EXIT_HLT],
		 (unsigned long long)e[EXIT_VMMCALL], (unsigned long long)e[EXIT_MSR],
		 (unsigned long long)e[EXIT_NPF], (unsigned long long)e[EXIT_CPUID],
		 (unsigned long long)e[EXIT_IOIO], (unsigned long long)e[EXIT_PAUSE],
		 (unsigned long long)e[EXIT_OTHER]);
	for (unsigned int i = 0; i < ARRAY_SIZE(d->diag.msr_exits) && d->diag.msr_exits[i].count; i++)
		log_info("d%u   msr %#x: %llu\n", d->id, d->diag.msr_exits[i].msr,
			 (unsigned long long)d->diag.msr_exits[i].count);
}

int domain_destroy(struct domain *d)
{
	struct domain *hw;
	unsigned int slot;

	if (d->privileged)
		return -XEN_EINVAL;
	for (slot = 0; slot < MAX_DOMAINS && domains[slot] != d; slot++)
		;
	if (slot == MAX_DOMAINS)
		return -XEN_ESRCH;
	if (!d->dying) {
		/* first call: stop it for good; it shows as dying meanwhile */
		d->dying = true;
		claim_cancel(d);
		scheduler_remove_domain(d);
		evtchn_destroy(d);
	}
	/* more to do: the caller re-executes the hypercall (Xen's
	 * continuation), taking its interrupts in between */
	if (p2m_release(d, DESTROY_BUDGET))
		return -XEN_ERESTART;
	/* a pCPU that ran one of its vCPUs may still be on its way out of
	 * svm_vcpu_run (waiting for this lock): free nothing under it */
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->run_start)
			return -XEN_ERESTART;
	domains[slot] = NULL;
	printk("Domain %u destroyed\n", d->id);
	wake_stats_print(d);
	/* and dom0's since the last such report, the other half of a round
	 * trip between them */
	if ((hw = domain_by_id(0))) {
		wake_stats_print(hw);
		memset(&hw->diag, 0, sizeof(hw->diag));
	}
	domain_free(d);
	domain_notify_dom0();
	return 0;
}

void domain_notify_dom0(void)
{
	struct domain *hw = domain_by_id(0);

	if (hw && hw->vcpus[0])
		send_guest_virq(hw->vcpus[0], VIRQ_DOM_EXC);
}

static const char *reason_name(unsigned int r)
{
	switch (r) {
	case SHUTDOWN_poweroff: return "poweroff";
	case SHUTDOWN_reboot: return "reboot";
	case SHUTDOWN_suspend: return "suspend";
	case SHUTDOWN_crash: return "crash";
	case SHUTDOWN_watchdog: return "watchdog";
	case SHUTDOWN_soft_reset: return "soft_reset";
	default: return "unknown";
	}
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	if (d->shutdown)
		return;
	d->shutdown = true;
	d->shutdown_reason = reason;
	printk("Domain %u shutdown: reason %u (%s)\n", d->id, reason, reason_name(reason));
	if (!d->privileged)
		domain_notify_dom0(); /* xl's monitor and xenstored watch for it */
	smp_kick_others();
}

/* HLT with interrupts off: nothing but an NMI could wake the vCPU, so
 * Xen takes it offline, and a domain with no vCPU left online has
 * powered itself off (how Linux PVH guests without an ACPI power-off
 * method end: every CPU parks in cli; hlt). */
void vcpu_down_halted(struct vcpu *v)
{
	struct domain *d = v->d;

	v->online = false;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->online)
			return;
	printk("d%u: all vCPUs offline -- powering off\n", d->id);
	domain_shutdown(d, SHUTDOWN_poweroff);
}

/* A triple fault ends the domain with the reason the toolstack chose
 * (HVM_PARAM_TRIPLE_FAULT_REASON; Xen's default is reboot). */
void domain_triple_fault(struct vcpu *v, uint64_t rip)
{
	unsigned int reason = (unsigned int)v->d->params[HVM_PARAM_TRIPLE_FAULT_REASON];

	printk("d%uv%u triple fault at rip %#llx: shutdown reason %u\n", v->d->id, v->id,
	       (unsigned long long)rip, reason);
	domain_shutdown(v->d, reason);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	char buf[384];
	va_list ap;

	va_start(ap, fmt);
	lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_err("domain_crash: Domain %u crashed: %s\n", d->id, buf);
	if (!d->shutdown) {
		d->shutdown = true;
		d->shutdown_reason = SHUTDOWN_crash;
		if (!d->privileged)
			domain_notify_dom0();
		smp_kick_others();
	}
}

void hwdom_shutdown(struct domain *d)
{
	switch (d->shutdown_reason) {
	case SHUTDOWN_poweroff:
		printk("Hardware Dom%u halted: powering off machine\n", d->id);
		machine_power_off();
	case SHUTDOWN_crash:
		if (hv_opts.noreboot) {
			printk("Hardware Dom%u crashed: 'noreboot' set - not rebooting.\n", d->id);
			machine_halt();
		}
		printk("Hardware Dom%u crashed: rebooting machine.\n", d->id);
		machine_restart();
	case SHUTDOWN_reboot:
	case SHUTDOWN_watchdog:
	case SHUTDOWN_soft_reset:
	default:
		if (hv_opts.noreboot) {
			printk("Hardware Dom%u shutdown (%s): 'noreboot' set - not rebooting.\n",
			       d->id, reason_name(d->shutdown_reason));
			machine_halt();
		}
		printk("Hardware Dom%u shutdown: rebooting machine\n", d->id);
		machine_restart();
	}
}
