/* pvh-bench: times the null hypercall round trip, xen_version(XENVER_version)
 * through the hypercall page, BENCH_CALLS times.  The TSC is converted to
 * nanoseconds with the pvclock scale of vcpu_info[0].time, so the figure
 * is comparable across hypervisors.  Runs as dom0 on xenolith and as a PVH
 * domU on Xen; prints one parseable line
 *     BENCH null_hypercall_ns=<mean> min_batch_ns=<best batch mean> calls=<n>
 * then the verdict, and powers off. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <xen/arch-x86/cpuid.h>

#define BENCH_CALLS 100000U
#define BENCH_BATCHES 10U
#define WARMUP_CALLS 1000U

static struct shared_info *sh = (struct shared_info *)(void *)spare_page;

static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* TSC ticks to ns with the hypervisor's pvclock scale. */
static uint64_t tsc_to_ns(uint64_t ticks)
{
	const struct vcpu_time_info *t = &sh->vcpu_info[0].time;
	uint32_t mul;
	int8_t shift;
	uint32_t ver;

	do {
		ver = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
	} while ((ver & 1) || ver != __atomic_load_n(&t->version, __ATOMIC_ACQUIRE));
	if (shift >= 0)
		ticks <<= shift;
	else
		ticks >>= -shift;
	return (uint64_t)(((unsigned __int128)ticks * mul) >> 32);
}

/* The Xen leaves may sit at 0x40000000 or, with Viridian, 0x40000100. */
static uint32_t xen_cpuid_base(void)
{
	for (uint32_t base = 0x40000000U; base < 0x40010000U; base += 0x100) {
		uint32_t r[4];

		cpuid(base, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] >= base + 2)
			return base;
	}
	return 0;
}

void guest_main(uint32_t start_info_pa)
{
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	uint64_t total = 0, best = ~0ULL;
	uint32_t base, r[4];
	long rc, ver, bad = 0;

	(void)start_info_pa;
	guest_printf("pvh-bench: null hypercall round trip, %u calls\n", BENCH_CALLS);
	base = xen_cpuid_base();
	if (!guest_check(base != 0, "Xen CPUID leaves at %#x", base))
		guest_finish();
	cpuid(base + 2, 0, r);
	wrmsr(r[1], (uintptr_t)hypercall_page);
	ver = hypercall3_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	guest_check(ver == 0x40011, "xen_version through the hypercall page: %ld.%ld", ver >> 16,
		    ver & 0xFFFF);
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	if (!guest_check(rc == 0 && sh->vcpu_info[0].time.tsc_to_system_mul != 0,
			 "shared_info mapped with a pvclock scale: rc %ld", rc))
		guest_finish();

	for (unsigned int i = 0; i < WARMUP_CALLS; i++)
		hypercall3_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	for (unsigned int b = 0; b < BENCH_BATCHES; b++) {
		uint64_t t0 = rdtsc_ordered(), d;

		for (unsigned int i = 0; i < BENCH_CALLS / BENCH_BATCHES; i++)
			bad |= hypercall3_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0) ^ ver;
		d = rdtsc_ordered() - t0;
		total += d;
		if (d < best)
			best = d;
	}
	if (!guest_check(bad == 0, "all %u timed calls returned the version", BENCH_CALLS))
		guest_finish();
	guest_printf("BENCH null_hypercall_ns=%llu min_batch_ns=%llu calls=%u\n",
		     (unsigned long long)(tsc_to_ns(total) / BENCH_CALLS),
		     (unsigned long long)(tsc_to_ns(best) / (BENCH_CALLS / BENCH_BATCHES)),
		     BENCH_CALLS);
	guest_finish();
}
