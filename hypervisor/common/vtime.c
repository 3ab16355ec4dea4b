/* Guest time: pvclock in vcpu_time_info, wallclock in shared_info, and
 * the Xen one-shot/periodic vCPU timers that raise VIRQ_TIMER. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

uint64_t vlapic_timer_check(struct vcpu *v, uint64_t now);

static void write_time(struct vcpu_time_info *t)
{
	struct tsc_scale s = time_scale();
	uint64_t tsc = rdtsc();

	t->version++; /* odd: update in progress */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = tsc;
	t->system_time = tsc_scale_apply(tsc - tsc_at_boot(), s);
	t->tsc_to_system_mul = s.mul;
	t->tsc_shift = s.shift;
	t->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->version++;
}

void vcpu_update_time(struct vcpu *v)
{
	struct vcpu_info *vi = vcpu_info_ptr(v);
	struct shared_info *s = mm_page_virt(v->d->shared_info_pfn);
	uint64_t sec;
	uint32_t nsec;

	if (vi)
		write_time(&vi->time);
	/* keep the legacy slot current too, as Xen does for vCPUs < 32 */
	if (v->vcpu_info_gfn != INVALID_PFN && v->id < XEN_LEGACY_MAX_VCPUS)
		write_time(&s->vcpu_info[v->id].time);
	if (v->id == 0 && !s->wc_sec) {
		wallclock_at_boot(&sec, &nsec);
		s->wc_version++;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		s->wc_sec = (uint32_t)sec;
		s->wc_sec_hi = (uint32_t)(sec >> 32);
		s->wc_nsec = nsec;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		s->wc_version++;
	}
}

uint64_t vcpu_timers_check(struct vcpu *v, uint64_t now)
{
	uint64_t next = 0;

	if (v->singleshot_deadline && now >= v->singleshot_deadline) {
		v->singleshot_deadline = 0;
		send_guest_virq(v, VIRQ_TIMER);
	}
	if (v->periodic_period && now >= v->periodic_next) {
		send_guest_virq(v, VIRQ_TIMER);
		v->periodic_next += v->periodic_period;
		if (v->periodic_next <= now)
			v->periodic_next = now + v->periodic_period;
	}
	if (v->polling && v->poll_deadline && now >= v->poll_deadline)
		vcpu_kick(v);
	next = deadline_earliest(next, v->singleshot_deadline);
	next = deadline_earliest(next, v->periodic_period ? v->periodic_next : 0);
	next = deadline_earliest(next, v->polling ? v->poll_deadline : 0);
	next = deadline_earliest(next, vlapic_timer_check(v, now));
	return next;
}
