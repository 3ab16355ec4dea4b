/* pvh-sched: run as dom0 (one vCPU, on pCPU 0), it starts two domains
 * that spin forever, pins both to pCPU 1 (setvcpuaffinity) and measures
 * the CPU time each gets (getvcpuinfo): with credit weights 512 and 256
 * the first must get about twice the second; with equal weights and a
 * cap of 25 on the second, the second about a quarter of the pCPU. */
#include "lib/guest.h"
#include "lib/dom.h"
#include <xen/errno.h>
#include <xen/sched.h>

#define SCRATCH_GFN 0xC0000UL /* unbacked: where the code is written */
#define MEASURE_NS 3000000000ULL /* CPU time of both spinners together */

static const uint8_t spin[] = { 0xEB, 0xFE }; /* jmp . */

static uint64_t cpu_time(domid_t d, uint32_t *cpu)
{
	struct xen_domctl op;

	memset(&op, 0, sizeof(op));
	op.u.getvcpuinfo.vcpu = 0;
	if (dom_domctl(&op, XEN_DOMCTL_getvcpuinfo, d))
		return 0;
	if (cpu)
		*cpu = op.u.getvcpuinfo.cpu;
	return op.u.getvcpuinfo.cpu_time;
}

static long pin(domid_t d, uint8_t mask)
{
	struct xen_domctl op;
	uint8_t hard = mask;

	memset(&op, 0, sizeof(op));
	op.u.vcpuaffinity.vcpu = 0;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	op.u.vcpuaffinity.cpumap_hard.bitmap.p = &hard;
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 8;
	return dom_domctl(&op, XEN_DOMCTL_setvcpuaffinity, d);
}

static long credit(domid_t d, uint16_t weight, uint16_t cap)
{
	struct xen_domctl op;

	memset(&op, 0, sizeof(op));
	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	op.u.scheduler_op.u.credit.weight = weight;
	op.u.scheduler_op.u.credit.cap = cap;
	return dom_domctl(&op, XEN_DOMCTL_scheduler_op, d);
}

/* CPU time a and b get while together they run MEASURE_NS.  Between
 * looks dom0 spins in the guest (its pCPU is its own): looking back to
 * back, it left and re-entered the guest ~100,000 times a measure, and
 * under QEMU TCG one VMRUN in very many comes back with the CPU's own
 * state saved as the guest's (README, Known problems). */
static void measure(domid_t a, domid_t b, uint64_t *da, uint64_t *db)
{
	uint64_t a0 = cpu_time(a, NULL), b0 = cpu_time(b, NULL);

	do {
		for (unsigned int i = 0; i < 100000; i++)
			__builtin_ia32_pause();
		*da = cpu_time(a, NULL) - a0;
		*db = cpu_time(b, NULL) - b0;
	} while (*da + *db < MEASURE_NS);
}

void guest_main(uint32_t start_info_pa)
{
	struct xen_sysctl sop;
	uint64_t free0 = dom_free_pages(), da, db;
	uint32_t cpu_a = 9, cpu_b = 9;
	unsigned int calls;
	domid_t a, b;
	long rc;

	(void)start_info_pa;
	memset(&sop, 0, sizeof(sop));
	dom_sysctl(&sop, XEN_SYSCTL_physinfo);
	if (!guest_check(sop.u.physinfo.nr_cpus >= 2, "two pCPUs (%u)", sop.u.physinfo.nr_cpus))
		guest_finish();
	rc = dom_start(spin, sizeof(spin), SCRATCH_GFN, &a);
	guest_check(rc == 0, "start spinner A (domain %u): %ld", a, rc);
	rc = dom_start(spin, sizeof(spin), SCRATCH_GFN, &b);
	guest_check(rc == 0, "start spinner B (domain %u): %ld", b, rc);
	guest_check(pin(a, 2) == 0 && pin(b, 2) == 0, "pin both to pCPU 1");
	cpu_time(a, &cpu_a);
	cpu_time(b, &cpu_b);
	guest_check(cpu_a == 1 && cpu_b == 1, "getvcpuinfo: both on pCPU %u and %u", cpu_a, cpu_b);

	guest_check(credit(a, 512, 0) == 0 && credit(b, 256, 0) == 0, "weights 512 and 256");
	measure(a, b, &da, &db); /* settling: the run queue's clocks catch up */
	/* On a loaded TCG host a late timer makes single runs of a spinner
	 * long, so one window can be off: up to three windows, one must
	 * show the 2:1 share (equal shares every time means no weights). */
	for (unsigned int i = 0; i < 3; i++) {
		measure(a, b, &da, &db);
		guest_printf("weights 512/256: A %llu ms, B %llu ms\n",
			     (unsigned long long)(da / 1000000), (unsigned long long)(db / 1000000));
		if (db && da * 10 >= db * 15 && da * 10 <= db * 26)
			break;
	}
	guest_check(db && da * 10 >= db * 15 && da * 10 <= db * 26,
		    "weight 512 gets about twice weight 256: ratio %llu.%02llu",
		    (unsigned long long)(da / (db ? db : 1)),
		    (unsigned long long)(db ? (da % db) * 100 / db : 0));

	guest_check(credit(a, 256, 0) == 0 && credit(b, 256, 25) == 0, "equal weights, B capped at 25%%");
	measure(a, b, &da, &db); /* settling, as above */
	measure(a, b, &da, &db);
	guest_printf("cap 25: A %llu ms, B %llu ms\n", (unsigned long long)(da / 1000000),
		     (unsigned long long)(db / 1000000));
	/* wall-clock budgets under a loaded TCG host: well below its fair
	 * half, near the cap */
	guest_check(db * 100 >= (da + db) * 10 && db * 100 <= (da + db) * 32,
		    "B got %llu%% of the pCPU (cap 25)", (unsigned long long)(db * 100 / (da + db)));

	guest_check(credit(b, 0, 0) == 0, "cap removed");
	measure(a, b, &da, &db);
	measure(a, b, &da, &db);
	guest_check(db * 100 >= (da + db) * 35 && db * 100 <= (da + db) * 65,
		    "uncapped, equal weights: B got %llu%%", (unsigned long long)(db * 100 / (da + db)));

	guest_check(pin(a, 4) == -XEN_EINVAL || sop.u.physinfo.nr_cpus > 2,
		    "pin to a pCPU that does not exist: -EINVAL");
	guest_check(dom_destroy(a, &calls) == 0 && dom_destroy(b, &calls) == 0, "destroy both");
	guest_check(free0 - dom_free_pages() < 32, "free pages back within 32 (%lld)",
		    (long long)(free0 - dom_free_pages()));
	guest_finish();
}
