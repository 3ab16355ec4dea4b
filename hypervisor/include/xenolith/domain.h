/* Domains and vCPUs. */
#ifndef XENOLITH_DOMAIN_H
#define XENOLITH_DOMAIN_H

#include "lib.h"
#include "boot.h"
#include <xen/hvm/params.h>
#include <xenolith/sched_credit.h>
#include <xenolith/grant_limits.h>
#include <xenolith/printk.h>

#define MAX_VCPUS 8
/* XENMEM_set_memory_map limit (Linux keeps at most 128 entries) */
#define DOMAIN_MAX_E820 128

/* NPT software types (PTE bits 9-11). */
enum p2m_type {
	P2M_INVALID = 0,
	P2M_RAM = 1,
	P2M_SHARED_INFO = 2,
	P2M_GRANT = 3,
	P2M_FOREIGN = 4, /* another domain's page; the entry holds a reference */
	P2M_GRANT_MAP = 5, /* a page mapped through a grant; reference held */
};

/* Guest GPRs not kept in the VMCB; layout fixed by entry.S. */
struct guest_regs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct domain;
struct maptrack;

#define EVTCHN_MAX 1024 /* ports 1..1023; port 0 is never used */
#define NR_VIRQS_MAX 24

struct evtchn {
	uint8_t state; /* EVTCHNSTAT_* */
	uint8_t virq;
	uint16_t remote_dom;
	uint32_t remote_port;
	uint32_t vcpu; /* vCPU notified */
};

/* Minimal x2APIC model: enough for upcall vectors, EOI, timer, IPIs. */
struct vlapic {
	uint32_t svr, tpr, lvt_timer, lvt_lint0, lvt_lint1, lvt_error, tdcr, tmict, esr;
	uint64_t icr;
	uint64_t irr[4], isr[4];
	uint64_t timer_start, timer_deadline; /* ns; deadline 0 = idle */
	int injected; /* vector put in V_IRQ, -1 if none */
	bool x2apic;
};

struct vcpu {
	unsigned int id;
	struct domain *d;
	void *vmcb;
	uint64_t vmcb_pa;
	void *fpu; /* FXSAVE image while another vCPU owns the pCPU's FPU */
	int fpu_live_cpu; /* pCPU whose registers hold its FPU state; -1: in fpu */
	uint32_t asid;
	bool need_flush;
	bool online;
	bool blocked;
	struct guest_regs regs;
	uint64_t vcpu_info_gfn; /* INVALID_PFN until registered */
	uint32_t vcpu_info_offset;
	uint64_t runstate_gva;
	uint8_t upcall_vector;
	uint64_t nr_exits;
	uint16_t virq_port[NR_VIRQS_MAX];
	uint64_t singleshot_deadline; /* ns, 0 = none */
	uint64_t periodic_period, periodic_next;
	uint64_t poll_deadline; /* SCHEDOP_poll timeout, 0 = none */
	bool polling;
	struct vlapic lapic;
	bool wait_for_sipi;
	bool initialised; /* has a start state (VCPUOP_initialise / boot) */
	uint32_t poll_port; /* SCHEDOP_poll on one port; 0 = several */
	unsigned int processor; /* the pCPU whose run queue holds it */
	bool in_guest; /* inside VMRUN: its VMCB belongs to the CPU */
	bool timers_changed; /* a deadline moved: its pCPU reprograms */
	bool yielded; /* spun on PAUSE while another vCPU waited for its pCPU */
	bool pause_skip; /* a PAUSE we could not step over: no intercept once */
	/* watchdog bookkeeping: what the vCPU did last and when */
	uint64_t nr_hypercalls, nr_irqs;
	uint64_t nr_traps; /* exits the guest caused (I/O, MSR, CPUID, MMIO...) */
	uint64_t nr_stale_code; /* stale INT3 translations caught (swint.c) */
	uint64_t last_exit_code;
	unsigned long last_hypercall;
	uint64_t wd_count, wd_since; /* counters at the last change, and when */
	bool stall_reported;
	/* a second look one watchdog period after a stall report: did it
	 * exit at all, did it get pCPU time? */
	bool wd_followup;
	uint64_t wd_exits, wd_cpu_time;
	uint64_t cpu_time_ns; /* time given to it by its pCPU */
	uint64_t run_start; /* start of the current slice, 0 = not running */
	uint64_t vtime; /* run time scaled by the domain's weight */
	uint64_t affinity; /* hard affinity: pCPUs it may run on */
	uint64_t woken_at; /* woken from a block and not yet run again; 0 = not */
	bool woken_remote; /* by another pCPU than its own */
	bool woken_busy; /* while its pCPU was not halted */
};

enum exit_class {
	EXIT_INTR, EXIT_HLT, EXIT_VMMCALL, EXIT_MSR, EXIT_NPF, EXIT_CPUID, EXIT_IOIO,
	EXIT_PAUSE, EXIT_OTHER, EXIT_CLASSES
};

/* Wake-up latency: from a blocked vCPU's wake-up to its pCPU running it. */
struct wake_stats {
	uint64_t count, sum_ns, max_ns;
};

struct domain {
	uint16_t id;
	int lock; /* held for everything but guest execution */
	bool privileged;
	bool dying;
	bool shutdown;
	bool creation_finished; /* unpaused by the toolstack once */
	uint16_t sched_weight; /* credit weight, 256 by default */
	struct credit_cap sched_cap;
	struct cpu_policy *cpu_policy; /* set by the toolstack; NULL = default */
	unsigned int pause_count; /* toolstack pauses (1 from creation); runs at 0 */
	uint64_t paging_pool_bytes; /* as set by the toolstack (informational) */
	unsigned int shutdown_reason;
	struct guest_line debugcon; /* port 0xE9 text until its newline */
	unsigned int shutdown_code; /* SCHEDOP_shutdown_code, ~0 = none */
	unsigned int nr_vcpus;
	struct vcpu *vcpus[MAX_VCPUS];
	uint64_t npt_root; /* frame of the nested page table root */
	uint64_t nr_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages; /* what is left of its XENMEM_claim_pages */
	uint64_t max_gpfn;
	uint64_t shared_info_pfn; /* host frame */
	uint64_t shared_info_gfn; /* where the guest sees it, INVALID_PFN if nowhere */
	uint64_t params[HVM_NR_PARAMS];
	unsigned int nr_e820;
	struct e820_entry *e820; /* xmalloc'ed; NULL until set */
	uint8_t handle[16];
	struct evtchn *evtchn;
	unsigned int gnttab_nr_frames;
	unsigned int gnttab_max_frames; /* createdomain's max_grant_frames */
	uint64_t gnttab_frame[GNTTAB_MAX_FRAMES]; /* host frames */
	uint64_t gnttab_gfn[GNTTAB_MAX_FRAMES]; /* where the guest sees them */
	uint16_t global_virq_port[NR_VIRQS_MAX];
	struct maptrack *maptrack; /* grants this domain maps, NULL until the first */
	/* scheduling figures logged when it is destroyed (dom0's: since the
	 * last such report) */
	struct {
		/* [woken from another pCPU][while its own was not halted] */
		struct wake_stats wake[2][2];
		uint64_t wake_moved; /* woken on a busy pCPU: moved to a halted one */
		/* exits by reason, and MSR exits by MSR (the first few seen) */
		uint64_t exits_by[EXIT_CLASSES];
		struct {
			uint32_t msr;
			uint64_t count;
		} msr_exits[8];
	} diag;
};

/* Move v to pCPU cpu's run queue (lock held): -ENOMEM if it is full. */
int scheduler_move(struct vcpu *v, unsigned int cpu);
/* The length of a time slice, and setting it (credit's tslice). */
uint64_t scheduler_tslice_ns(void);
void scheduler_set_tslice_ns(uint64_t ns);
uint64_t scheduler_ratelimit_ns(void);
void scheduler_set_ratelimit_ns(uint64_t ns);
/* A vCPU of this pCPU's run queue woke: leave the guest and look again. */
bool scheduler_preempt_pending(unsigned int cpu);
/* Does another vCPU of v's run queue wait to run? */
bool scheduler_others_waiting(const struct vcpu *v);
/* Put every vCPU of d on a run queue / take them off (lock held). */
int scheduler_add_domain(struct domain *d);
void scheduler_remove_domain(struct domain *d);

/* Creates a domain with nr_vcpus vCPUs (not yet runnable). */
struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus);
/* Stop a misbehaving domain with a log line saying why. */
void domain_crash(struct domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void domain_shutdown(struct domain *d, unsigned int reason);
/* HLT with interrupts disabled: the vCPU goes offline; the last one
 * powers the domain off (Xen's hvm_vcpu_down). */
void vcpu_down_halted(struct vcpu *v);
/* Triple fault: shutdown with HVM_PARAM_TRIPLE_FAULT_REASON. */
void domain_triple_fault(struct vcpu *v, uint64_t rip);
struct domain *domain_by_id(uint16_t domid);
/* Free every resource of a (non-privileged) domain; pages mapped by
 * another domain stay allocated until unmapped.  Lock held.  Gives back
 * a bounded number of pages per call and returns -XEN_EAGAIN until done
 * (the toolstack calls again, as with Xen's preemptible destroy). */
int domain_destroy(struct domain *d);
/* An unused domain id for createdomain, 0 if none is left. */
uint16_t domain_free_id(void);
/* VIRQ_DOM_EXC to dom0: a domain shut down, crashed or went away. */
void domain_notify_dom0(void);
/* The existing domain with the lowest id >= domid, or NULL. */
struct domain *domain_next(uint16_t domid);

/* Privileged control hypercalls (domctl.c). */
long do_domctl(struct vcpu *v, uint64_t arg);
long do_sysctl(struct vcpu *v, uint64_t arg);/* The hypervisor's reaction to dom0 going away (power off, reboot...). */
void hwdom_shutdown(struct domain *d) __attribute__((noreturn));

/* Event channels (2-level ABI). */
long do_event_channel_op(struct vcpu *v, unsigned long cmd, uint64_t arg);
int evtchn_init(struct domain *d);
/* Close every port (peers see theirs become unbound) and free the table. */
void evtchn_destroy(struct domain *d);
/* Raise a VIRQ for vCPU v (per-vCPU VIRQs) or the domain (global ones). */
void send_guest_virq(struct vcpu *v, unsigned int virq);
/* Does v have an event upcall pending in its vcpu_info? */
bool vcpu_upcall_pending(struct vcpu *v);
struct vcpu_info *vcpu_info_ptr(struct vcpu *v);
/* Make v runnable if it is blocked, and have its pCPU look at it. */
void vcpu_kick(struct vcpu *v);
/* Have v's pCPU re-evaluate it (new interrupt, timer, run state). */
void vcpu_notify(struct vcpu *v);
/* With the domain lock held: wait until v is out of the guest, so that
 * its VMCB may be rewritten. */
void vcpu_sync(struct vcpu *v);
void domain_lock(struct domain *d);
/* Running time so far, the current slice included. */
uint64_t vcpu_cpu_time(const struct vcpu *v);
void domain_unlock(struct domain *d);
/* Refresh v's vcpu_time_info (pvclock). */
void vcpu_update_time(struct vcpu *v);
/* Expire guest timers due by now; returns the next deadline (0 = none). */
uint64_t vcpu_timers_check(struct vcpu *v, uint64_t now);

/* Diagnostics: dump every vCPU's state (rip, run state, pending events,
 * timers) and, from the scheduler, report vCPUs that stop progressing. */
void vcpu_dump_state(struct vcpu *v, uint64_t now);
void domain_dump_state(struct domain *d, const char *why);
void watchdog_check(uint64_t now);
/* Each pCPU's run queue, for hang reports (called under the lock). */
void scheduler_dump(uint64_t now);

/* Virtual local APIC. */
int vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
void vlapic_set_irq(struct vcpu *v, uint8_t vector);
/* Before VMRUN: choose what to inject; after: account for delivery. */
void vlapic_prepare_entry(struct vcpu *v);
void vlapic_after_exit(struct vcpu *v);
bool vlapic_has_pending(struct vcpu *v);
void vlapic_reset(struct vcpu *v);

/* Guest-physical memory (nested page tables). */
int p2m_init(struct domain *d);
int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, enum p2m_type t);
/* The same, read-only when !writable (a read-only grant mapping). */
int p2m_set_access(struct domain *d, uint64_t gfn, uint64_t mfn, enum p2m_type t,
		   bool writable);
uint64_t p2m_lookup(struct domain *d, uint64_t gfn, enum p2m_type *t);
uint64_t p2m_remove(struct domain *d, uint64_t gfn);
/* Drop every page reference the p2m holds and free its tables. */
void p2m_teardown(struct domain *d);
/* The same, at most budget pages at a time: 1 while more remain. */
int p2m_release(struct domain *d, uint64_t budget);
/* After removing entries: no vCPU of d may keep a stale translation. */
void p2m_flush(struct domain *d);
/* Allocate and map guest RAM for [gfn, gfn + nr). */
int p2m_populate(struct domain *d, uint64_t gfn, uint64_t nr);

/* Copy to/from guest-physical addresses (RAM only); 0 or -XEN_EFAULT. */
int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *src, size_t len);
int copy_from_guest_phys(struct domain *d, void *dst, uint64_t gpa, size_t len);
int clear_guest_phys(struct domain *d, uint64_t gpa, size_t len);

/* Through the vCPU's current paging mode; 0 or -XEN_EFAULT. */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* Store to the code page at gva without changing it (see swint.c). */
int guest_code_refresh(struct vcpu *v, uint64_t gva);

#endif
