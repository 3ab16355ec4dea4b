/* pvh-ctl: the privileged control interface as dom0 sees it (what `xl
 * list`, `xl info` and `xl dmesg` use): sysctl physinfo, sched_id,
 * getdomaininfolist, getcpuinfo, cpupool_op (INFO/FREEINFO) and
 * readconsole, domctl getdomaininfo, getvcpuinfo and getvcpuaffinity; the
 * interface version check, bad guest pointers and
 * unknown commands. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/arch-x86/hvm/start_info.h>

#define BAD_VA 0x00007ff000000000ULL /* canonical, outside our 4 GiB map */

static struct shared_info *sh = (struct shared_info *)(void *)spare_page;
static struct xen_domctl_getdomaininfo list[4];
static char con[8192];
static unsigned int phys_cpus; /* physinfo's nr_cpus */

static long sysctl(struct xen_sysctl *op, uint32_t cmd)
{
	op->cmd = cmd;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hypercall3(__HYPERVISOR_sysctl, (unsigned long)op, 0, 0);
}

static long domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return hypercall3(__HYPERVISOR_domctl, (unsigned long)op, 0, 0);
}

static bool contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return true;
	return false;
}

/* TSC kHz implied by the pvclock scale: 2^32 / mul ticks per ns, shifted. */
static uint64_t pvclock_khz(void)
{
	const struct vcpu_time_info *t = &sh->vcpu_info[0].time;
	uint64_t khz = (1000000ULL << 32) / t->tsc_to_system_mul;

	return t->tsc_shift >= 0 ? khz >> t->tsc_shift : khz << -t->tsc_shift;
}

static void check_physinfo(const struct hvm_start_info *si, uint64_t *ram_pages)
{
	struct xen_sysctl op;
	struct xen_sysctl_physinfo *pi = &op.u.physinfo;
	uint64_t khz = pvclock_khz();
	long rc;

	memset(&op, 0, sizeof(op));
	rc = sysctl(&op, XEN_SYSCTL_physinfo);
	guest_check(rc == 0, "sysctl physinfo: %ld", rc);
	guest_check(pi->nr_cpus >= 1 && pi->max_cpu_id == pi->nr_cpus - 1 &&
		    pi->threads_per_core * pi->cores_per_socket == pi->nr_cpus,
		    "physinfo: %u CPUs (max id %u, %u cores x %u threads)", pi->nr_cpus,
		    pi->max_cpu_id, pi->cores_per_socket, pi->threads_per_core);
	guest_check((pi->capabilities & (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
					 XEN_SYSCTL_PHYSCAP_gnttab_v1)) ==
		    (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1) &&
		    !(pi->capabilities & (XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_directio)),
		    "physinfo capabilities %#x: hvm hap gnttab_v1, no pv, no IOMMU", pi->capabilities);
	guest_check(pi->free_pages > 0 && pi->free_pages < pi->total_pages &&
		    pi->total_pages > *ram_pages && pi->max_mfn >= pi->total_pages - 1,
		    "physinfo memory: %llu of %llu pages free, max mfn %#llx, dom0 has %llu",
		    (unsigned long long)pi->free_pages, (unsigned long long)pi->total_pages,
		    (unsigned long long)pi->max_mfn, (unsigned long long)*ram_pages);
	guest_check(pi->cpu_khz > khz - khz / 50 && pi->cpu_khz < khz + khz / 50,
		    "physinfo cpu_khz %u matches the pvclock scale (%llu kHz)", pi->cpu_khz,
		    (unsigned long long)khz);
	phys_cpus = pi->nr_cpus;
	guest_check(pi->hw_cap[0] != 0, "physinfo hw_cap[0] (CPUID 1 EDX) %#x", pi->hw_cap[0]);
	(void)si;

	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_physinfo;
	op.interface_version = 0x14; /* Xen 4.16's */
	rc = hypercall3(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0);
	guest_check(rc == -XEN_EACCES, "sysctl with interface version 0x14: %ld (-EACCES)", rc);
	rc = sysctl(&op, 99);
	guest_check(rc == -XEN_ENOSYS, "sysctl unknown command 99: %ld (-ENOSYS)", rc);
	rc = hypercall3(__HYPERVISOR_sysctl, BAD_VA, 0, 0);
	guest_check(rc == -XEN_EFAULT, "sysctl at an unmapped address: %ld (-EFAULT)", rc);
	memset(&op, 0, sizeof(op));
	rc = sysctl(&op, XEN_SYSCTL_sched_id);
	guest_check(rc == 0 && op.u.sched_id.sched_id == 5, "sysctl sched_id: %ld, id %u (credit)",
		    rc, op.u.sched_id.sched_id);
}

static void check_domaininfo(uint32_t nr_vcpus, uint64_t ram_pages)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo *di = &op.u.getdomaininfo;
	struct xen_sysctl sop;
	struct xen_sysctl_getdomaininfolist *l = &sop.u.getdomaininfolist;
	uint64_t lo = ram_pages - ram_pages / 16, hi = ram_pages + ram_pages / 16, tot_pages;
	long rc;

	memset(&op, 0, sizeof(op));
	rc = domctl(&op, XEN_DOMCTL_getdomaininfo, 0);
	guest_check(rc == 0 && op.domain == 0 && di->domain == 0, "domctl getdomaininfo(0): %ld",
		    rc);
	guest_check((di->flags & (XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_running)) ==
		    (XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_running) &&
		    !(di->flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown | XEN_DOMINF_blocked)),
		    "dom0 flags %#x: hvm hap running, not dying/shut down/blocked", di->flags);
	guest_check(di->nr_online_vcpus == 1 && di->max_vcpu_id == nr_vcpus - 1,
		    "dom0 vCPUs: %u online (only the BSP is up), max id %u of %u", di->nr_online_vcpus,
		    di->max_vcpu_id, nr_vcpus);
	guest_check(di->tot_pages >= lo && di->tot_pages <= hi && di->max_pages >= di->tot_pages,
		    "dom0 tot_pages %llu ~ its memory map (%llu RAM pages), max %llu",
		    (unsigned long long)di->tot_pages, (unsigned long long)ram_pages,
		    (unsigned long long)di->max_pages);
	guest_check(di->shared_info_frame == (uintptr_t)spare_page >> 12,
		    "dom0 shared_info_frame %#llx is where we mapped it",
		    (unsigned long long)di->shared_info_frame);
	guest_check(di->cpu_time > 0 && di->gpaddr_bits >= 32,
		    "dom0 cpu_time %llu ns, gpaddr_bits %u", (unsigned long long)di->cpu_time,
		    di->gpaddr_bits);

	tot_pages = di->tot_pages;
	memset(&op, 0, sizeof(op));
	rc = domctl(&op, XEN_DOMCTL_getdomaininfo, 1);
	guest_check(rc == -XEN_ESRCH, "getdomaininfo(1), no domain at or above: %ld (-ESRCH)", rc);
	rc = domctl(&op, XEN_DOMCTL_getdomaininfo, DOMID_FIRST_RESERVED);
	guest_check(rc == -XEN_EINVAL, "getdomaininfo(0x7FF0): %ld (-EINVAL)", rc);
	op.interface_version = 0x16;
	rc = hypercall3(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0);
	guest_check(rc == -XEN_EACCES, "domctl with interface version 0x16: %ld (-EACCES)", rc);
	rc = domctl(&op, 9999, 0);
	guest_check(rc == -XEN_ENOSYS, "domctl unknown command: %ld (-ENOSYS)", rc);
	rc = hypercall3(__HYPERVISOR_domctl, BAD_VA, 0, 0);
	guest_check(rc == -XEN_EFAULT, "domctl at an unmapped address: %ld (-EFAULT)", rc);

	memset(&sop, 0, sizeof(sop));
	memset(list, 0xAA, sizeof(list));
	l->first_domain = 0;
	l->max_domains = 4;
	l->buffer.p = list;
	rc = sysctl(&sop, XEN_SYSCTL_getdomaininfolist);
	guest_check(rc == 0 && l->num_domains == 1 && list[0].domain == 0 &&
		    list[0].nr_online_vcpus == 1 && list[0].tot_pages == tot_pages &&
		    list[1].domain == 0xAAAA,
		    "getdomaininfolist from 0: %ld, %u record(s): d%u with %u vCPU(s), %llu pages; "
		    "nothing written past (%#x)", rc, l->num_domains, list[0].domain,
		    list[0].nr_online_vcpus, (unsigned long long)list[0].tot_pages, list[1].domain);
	l->first_domain = 1;
	rc = sysctl(&sop, XEN_SYSCTL_getdomaininfolist);
	guest_check(rc == 0 && l->num_domains == 0, "getdomaininfolist from 1: %ld, %u records",
		    rc, l->num_domains);
	l->first_domain = 0;
	l->buffer.v = BAD_VA;
	rc = sysctl(&sop, XEN_SYSCTL_getdomaininfolist);
	guest_check(rc == -XEN_EFAULT, "getdomaininfolist into an unmapped buffer: %ld (-EFAULT)",
		    rc);
}

static void check_readconsole(void)
{
	struct xen_sysctl op;
	struct xen_sysctl_readconsole *r = &op.u.readconsole;
	uint32_t first, idx;
	long rc;

	memset(&op, 0, sizeof(op));
	r->buffer.p = con;
	r->count = sizeof(con);
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	first = r->count;
	idx = r->index;
	guest_check(rc == 0 && first > 0 && first <= sizeof(con) &&
		    contains(con, first, "(XEN) Xenolith version") &&
		    contains(con, first, "*** Starting Dom0 ***"),
		    "readconsole: %ld, %u bytes of the boot log (banner .. Starting Dom0)", rc, first);
	memset(&op, 0, sizeof(op));
	r->buffer.p = con;
	r->count = 16;
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	guest_check(rc == 0 && r->count == 16 && !memcmp(con, "(XEN) Xenolith v", 16),
		    "readconsole of 16 bytes: %ld, %u bytes from the oldest", rc, r->count);
	memset(&op, 0, sizeof(op));
	r->buffer.p = con;
	r->count = sizeof(con);
	r->incremental = 1;
	r->index = idx;
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	guest_check(rc == 0 && r->index - idx == r->count && r->count < first,
		    "incremental readconsole from index %u: %ld, %u new bytes", idx, rc, r->count);
	memset(&op, 0, sizeof(op));
	r->buffer.v = BAD_VA;
	r->count = sizeof(con);
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	guest_check(rc == -XEN_EFAULT, "readconsole into an unmapped buffer: %ld (-EFAULT)", rc);
	memset(&op, 0, sizeof(op));
	r->buffer.p = con;
	r->count = sizeof(con);
	r->clear = 1;
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	guest_check(rc == 0 && r->count >= first, "readconsole with clear: %ld, %u bytes", rc,
		    r->count);
	memset(&op, 0, sizeof(op));
	r->buffer.p = con;
	r->count = sizeof(con);
	rc = sysctl(&op, XEN_SYSCTL_readconsole);
	guest_check(rc == 0 && r->count < first, "after clear only newer output is left: %u bytes",
		    r->count);
}

static void check_vcpus(uint32_t nr_vcpus)
{
	struct xen_domctl op;
	struct xen_domctl_getvcpuinfo *vi = &op.u.getvcpuinfo;
	struct xen_domctl_vcpuaffinity *a = &op.u.vcpuaffinity;
	struct xen_sysctl sop;
	uint8_t hard[2], soft[2];
	uint64_t idle[8];
	long rc;

	memset(&op, 0, sizeof(op));
	vi->vcpu = 0;
	rc = domctl(&op, XEN_DOMCTL_getvcpuinfo, 0);
	guest_check(rc == 0 && vi->online && !vi->blocked && vi->running && vi->cpu == 0 &&
		    vi->cpu_time > 0, "getvcpuinfo d0v0: %ld, online %u blocked %u running %u on "
		    "CPU%u, %llu ns", rc, vi->online, vi->blocked, vi->running, vi->cpu,
		    (unsigned long long)vi->cpu_time);
	if (nr_vcpus > 1) {
		memset(&op, 0, sizeof(op));
		vi->vcpu = 1;
		rc = domctl(&op, XEN_DOMCTL_getvcpuinfo, 0);
		guest_check(rc == 0 && !vi->online && !vi->running && vi->cpu == 1 % phys_cpus,
			    "getvcpuinfo d0v1 (never started): %ld, online %u, placed on CPU%u", rc,
			    vi->online, vi->cpu);
	}
	memset(&op, 0, sizeof(op));
	vi->vcpu = nr_vcpus;
	rc = domctl(&op, XEN_DOMCTL_getvcpuinfo, 0);
	guest_check(rc == -XEN_EINVAL, "getvcpuinfo past the last vCPU: %ld (-EINVAL)", rc);
	rc = domctl(&op, XEN_DOMCTL_getvcpuinfo, 5);
	guest_check(rc == -XEN_ESRCH, "getvcpuinfo of a missing domain: %ld (-ESRCH)", rc);

	memset(&op, 0, sizeof(op));
	memset(hard, 0xFF, sizeof(hard));
	memset(soft, 0xFF, sizeof(soft));
	a->vcpu = 0;
	a->flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	a->cpumap_hard.bitmap.p = hard;
	a->cpumap_hard.nr_bits = 8;
	a->cpumap_soft.bitmap.p = soft;
	a->cpumap_soft.nr_bits = 8;
	rc = domctl(&op, XEN_DOMCTL_getvcpuaffinity, 0);
	guest_check(rc == 0 && hard[0] == (1U << phys_cpus) - 1 && soft[0] == (1U << phys_cpus) - 1 &&
		    hard[1] == 0xFF, "getvcpuaffinity d0v0: %ld, hard %02x (any pCPU), soft %02x", rc,
		    hard[0], soft[0]);
	a->flags = 0;
	rc = domctl(&op, XEN_DOMCTL_getvcpuaffinity, 0);
	guest_check(rc == -XEN_EINVAL, "getvcpuaffinity without HARD/SOFT: %ld (-EINVAL)", rc);

	/* CPU1 has only our offline vCPU1: it halts as soon as its scheduler
	 * runs, which on a loaded TCG host may take a while after boot */
	for (unsigned long i = 0; i < 2000000UL; i++) {
		memset(&sop, 0, sizeof(sop));
		memset(idle, 0xFF, sizeof(idle));
		sop.u.getcpuinfo.max_cpus = 8;
		sop.u.getcpuinfo.info.p = idle;
		rc = sysctl(&sop, XEN_SYSCTL_getcpuinfo);
		if (rc || phys_cpus < 2 || (idle[1] > 0 && idle[1] != ~0ULL))
			break;
		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	}
	guest_check(rc == 0 && sop.u.getcpuinfo.nr_cpus == phys_cpus &&
		    (phys_cpus < 2 || (idle[1] > 0 && idle[1] != ~0ULL)) &&
		    (phys_cpus >= 8 || idle[phys_cpus] == ~0ULL),
		    "getcpuinfo: %ld, %u CPUs, CPU1 idle %llu ns (its vCPU is down)", rc,
		    sop.u.getcpuinfo.nr_cpus, (unsigned long long)idle[1]);
}

static void check_cpupool(void)
{
	struct xen_sysctl op;
	struct xen_sysctl_cpupool_op *c = &op.u.cpupool_op;
	uint8_t map[4];
	long rc;

	memset(&op, 0, sizeof(op));
	memset(map, 0xFF, sizeof(map));
	c->op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	c->cpupool_id = 0;
	c->cpumap.bitmap.p = map;
	c->cpumap.nr_bits = 24; /* 3 bytes: the 4th must stay untouched */
	rc = sysctl(&op, XEN_SYSCTL_cpupool_op);
	guest_check(rc == 0 && c->cpupool_id == 0 && c->sched_id == 5 && c->n_dom == 1 &&
		    map[0] == (1U << phys_cpus) - 1 && map[1] == 0 && map[2] == 0 && map[3] == 0xFF,
		    "cpupool INFO(0): %ld, pool %u, sched %u, %u domain(s), cpus %02x %02x %02x "
		    "(3 bytes written)", rc, c->cpupool_id, c->sched_id, c->n_dom, map[0], map[1], map[2]);
	c->cpupool_id = 1;
	rc = sysctl(&op, XEN_SYSCTL_cpupool_op);
	guest_check(rc == -XEN_ENOENT, "cpupool INFO(1), no pool at or above: %ld (-ENOENT)", rc);
	memset(&op, 0, sizeof(op));
	memset(map, 0xFF, sizeof(map));
	c->op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
	c->cpumap.bitmap.p = map;
	c->cpumap.nr_bits = 8;
	rc = sysctl(&op, XEN_SYSCTL_cpupool_op);
	guest_check(rc == 0 && map[0] == 0 && map[1] == 0xFF,
		    "cpupool FREEINFO: %ld, free cpus %02x (every CPU is in pool 0)", rc, map[0]);
	c->op = XEN_SYSCTL_CPUPOOL_OP_CREATE;
	rc = sysctl(&op, XEN_SYSCTL_cpupool_op);
	guest_check(rc == -XEN_EOPNOTSUPP, "cpupool CREATE: %ld (-EOPNOTSUPP)", rc);
}

/* Credit parameters: dom0's weight and cap, the pool's time slice, vCPU
 * hard affinity; Xen's refusals. */
static void check_sched(void)
{
	struct xen_domctl op;
	struct xen_domctl_scheduler_op *so = &op.u.scheduler_op;
	struct xen_domctl_vcpuaffinity *a = &op.u.vcpuaffinity;
	struct xen_sysctl sop;
	struct xen_sysctl_credit_schedule *cs = &sop.u.scheduler_op.u.sched_credit;
	uint8_t hard[2], soft[2];
	long rc;

	memset(&op, 0, sizeof(op));
	so->sched_id = XEN_SCHEDULER_CREDIT;
	so->cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	rc = domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	guest_check(rc == 0 && so->u.credit.weight == 256 && so->u.credit.cap == 0,
		    "credit getinfo d0: %ld, weight %u, cap %u", rc, so->u.credit.weight,
		    so->u.credit.cap);
	so->cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	so->u.credit.weight = 512;
	so->u.credit.cap = 0xFFFF; /* unchanged */
	rc = domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	so->cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	guest_check(rc == 0 && so->u.credit.weight == 512 && so->u.credit.cap == 0,
		    "credit putinfo weight 512: %ld, now %u, cap %u", rc, so->u.credit.weight,
		    so->u.credit.cap);
	so->cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	so->u.credit.weight = 256;
	domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	so->sched_id = 6; /* credit2: not ours */
	rc = domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	guest_check(rc == -XEN_EINVAL, "scheduler_op for credit2: %ld (-EINVAL)", rc);
	so->sched_id = XEN_SCHEDULER_CREDIT;
	so->cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
	rc = domctl(&op, XEN_DOMCTL_scheduler_op, 0);
	guest_check(rc == -XEN_EINVAL, "credit getvcpuinfo: %ld (-EINVAL)", rc);
	rc = domctl(&op, XEN_DOMCTL_scheduler_op, 77);
	guest_check(rc == -XEN_ESRCH, "scheduler_op of a missing domain: %ld (-ESRCH)", rc);

	memset(&sop, 0, sizeof(sop));
	sop.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	sop.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
	rc = sysctl(&sop, XEN_SYSCTL_scheduler_op);
	guest_check(rc == 0 && cs->tslice_ms == 10, "credit pool getinfo: %ld, tslice %u ms", rc,
		    cs->tslice_ms);
	sop.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
	cs->tslice_ms = 0;
	guest_check(sysctl(&sop, XEN_SYSCTL_scheduler_op) == -XEN_EINVAL, "tslice 0 ms: -EINVAL");
	cs->tslice_ms = 1001;
	guest_check(sysctl(&sop, XEN_SYSCTL_scheduler_op) == -XEN_EINVAL, "tslice 1001 ms: -EINVAL");
	cs->tslice_ms = 1;
	cs->ratelimit_us = 5000;
	guest_check(sysctl(&sop, XEN_SYSCTL_scheduler_op) == -XEN_EINVAL,
		    "ratelimit 5000 us above a 1 ms slice: -EINVAL");
	cs->tslice_ms = 10;
	cs->ratelimit_us = 1000;
	guest_check(sysctl(&sop, XEN_SYSCTL_scheduler_op) == 0, "tslice 10 ms, ratelimit 1 ms: accepted");
	sop.u.scheduler_op.cpupool_id = 1;
	guest_check(sysctl(&sop, XEN_SYSCTL_scheduler_op) == -XEN_ESRCH, "cpupool 1: -ESRCH");

	memset(&op, 0, sizeof(op));
	hard[0] = 0;
	a->vcpu = 0;
	a->flags = XEN_VCPUAFFINITY_HARD;
	a->cpumap_hard.bitmap.p = hard;
	a->cpumap_hard.nr_bits = 8;
	rc = domctl(&op, XEN_DOMCTL_setvcpuaffinity, 0);
	guest_check(rc == -XEN_EINVAL, "setvcpuaffinity to no pCPU: %ld (-EINVAL)", rc);
	hard[0] = 0xF1; /* CPU0 and pCPUs that do not exist */
	a->flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	a->cpumap_soft.bitmap.p = soft;
	a->cpumap_soft.nr_bits = 8;
	rc = domctl(&op, XEN_DOMCTL_setvcpuaffinity, 0);
	guest_check(rc == 0 && hard[0] == 1, "setvcpuaffinity d0v0 to CPU0: %ld, effective %02x", rc,
		    hard[0]);
	hard[0] = 0xFF;
	rc = domctl(&op, XEN_DOMCTL_setvcpuaffinity, 0);
	guest_check(rc == 0 && hard[0] == (1U << phys_cpus) - 1,
		    "setvcpuaffinity d0v0 back to all: %ld, effective %02x", rc, hard[0]);
}

void guest_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
	const struct hvm_memmap_table_entry *m = (const void *)(uintptr_t)si->memmap_paddr;
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	uint64_t ram_pages = 0;
	uint32_t nr_vcpus = 0;
	long rc;

	guest_printf("pvh-ctl: domctl/sysctl as dom0\n");
	for (unsigned int i = 0; i < si->memmap_entries; i++)
		if (m[i].type == 1)
			ram_pages += m[i].size >> 12;
	/* how many vCPUs we have, by another path: VCPUOP_is_up answers
	 * -ENOENT past the last one */
	while (nr_vcpus < 64 && hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, nr_vcpus, 0) >= 0)
		nr_vcpus++;
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	if (!guest_check(rc == 0, "shared_info mapped: %ld", rc))
		guest_finish();
	check_physinfo(si, &ram_pages);
	check_domaininfo(nr_vcpus, ram_pages);
	check_vcpus(nr_vcpus);
	check_cpupool();
	check_sched();
	check_readconsole();
	guest_finish();
}
