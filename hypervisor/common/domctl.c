/* The privileged control interface, Xen 4.17 ABI: domctl (36) and sysctl
 * (35).  Only the hardware domain may call them (-EPERM otherwise); the
 * interface version must match exactly (-EACCES).  One CPU pool (0,
 * credit) holds every pCPU.  The argument structure
 * is copied in, and back out whole for commands with outputs; every
 * buffer handle inside it goes through copy_to_guest. */
#include <xenolith/dom0.h>
#include <xenolith/domctl.h>
#include <xenolith/domain.h>
#include <xenolith/memop.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/smp.h>
#include <xenolith/time.h>
#include <xenolith/x86.h>
#include <xen/errno.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>



static unsigned int host_paddr_bits(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000008)
		return 36;
	cpuid_count(0x80000008, 0, &a, &b, &c, &d);
	return a & 0xFF;
}

static void fill_domaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	unsigned int online = 0, blocked = 0, running = 0;
	uint64_t cpu_time = 0;

	memset(info, 0, sizeof(*info));
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		cpu_time += vcpu_cpu_time(v);
		if (!v->online)
			continue;
		online++;
		if (v->blocked)
			blocked++;
		else if (v->in_guest || v->processor == smp_processor_id())
			running++; /* in the guest, or the caller's own pCPU */
	}
	info->domain = d->id;
	info->flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
		      (d->dying ? XEN_DOMINF_dying : 0) |
		      (d->pause_count ? XEN_DOMINF_paused : 0) |
		      (online && blocked == online ? XEN_DOMINF_blocked : 0) |
		      (online && running ? XEN_DOMINF_running : 0);
	if (d->shutdown)
		info->flags |= XEN_DOMINF_shutdown |
			       ((d->shutdown_reason & XEN_DOMINF_shutdownmask) <<
				XEN_DOMINF_shutdownshift);
	info->tot_pages = d->nr_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = d->shared_info_gfn;
	info->cpu_time = cpu_time;
	info->nr_online_vcpus = online;
	info->max_vcpu_id = d->nr_vcpus ? d->nr_vcpus - 1 : 0xFFFFFFFFU;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->cpupool = 0;
	info->gpaddr_bits = (uint8_t)host_paddr_bits();
	info->arch_config.emulation_flags = XEN_X86_EMU_LAPIC; /* all we emulate */
}

/* A CPU set into the caller's byte bitmap of nr_bits: as many bytes as
 * both sides have, the rest of the caller's bytes zeroed. */
long cpumap_to_guest(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t cpus)
{
	uint32_t guest_bytes = (uint32_t)(((uint64_t)b->nr_bits + 7) / 8);
	uint32_t ours = (smp_nr_cpus() + 7) / 8;
	uint8_t zero[64];

	memset(zero, 0, sizeof(zero));
	for (uint32_t i = 0; i < guest_bytes; i += sizeof(zero)) {
		uint32_t n = MIN(guest_bytes - i, (uint32_t)sizeof(zero));
		uint8_t chunk[64];

		for (uint32_t k = 0; k < n; k++)
			chunk[k] = i + k < ours && i + k < 8 ? (uint8_t)(cpus >> (8 * (i + k))) : 0;
		if (copy_to_guest(v, b->bitmap.v + i, chunk, n))
			return -XEN_EFAULT;
	}
	return 0;
}

/* The vCPU a per-vCPU domctl names: -EINVAL past the domain's limit. */
static struct vcpu *domctl_vcpu(struct domain *d, uint32_t id, long *rc)
{
	*rc = id >= d->nr_vcpus ? -XEN_EINVAL : !d->vcpus[id] ? -XEN_ESRCH : 0;
	return *rc ? NULL : d->vcpus[id];
}

static long domctl_getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *vi)
{
	long rc;
	struct vcpu *t = domctl_vcpu(d, vi->vcpu, &rc);

	if (!t)
		return rc;
	vi->online = t->online;
	vi->blocked = t->online && t->blocked;
	vi->running = t->online && !t->blocked &&
		      (t->in_guest || t->processor == smp_processor_id());
	vi->cpu_time = vcpu_cpu_time(t);
	vi->cpu = t->processor;
	return 0;
}

/* What every domctl and sysctl starts with: only the control domain,
 * the argument copied in whole, the interface version exact. */
static long ctl_prologue(struct vcpu *v, uint64_t arg, void *op, size_t size,
			 uint32_t version)
{
	uint32_t got;

	if (!v->d->privileged)
		return -XEN_EPERM;
	if (copy_from_guest(v, op, arg, size))
		return -XEN_EFAULT;
	/* both structures start with cmd, then interface_version */
	BUILD_BUG_ON(offsetof(struct xen_domctl, interface_version) != 4);
	BUILD_BUG_ON(offsetof(struct xen_sysctl, interface_version) != 4);
	memcpy(&got, (const uint8_t *)op + 4, sizeof(got));
	return got == version ? 0 : -XEN_EACCES;
}

long do_domctl(struct vcpu *v, uint64_t arg)
{
	struct xen_domctl op;
	struct domain *d;
	bool copy_back;
	long rc;

	rc = ctl_prologue(v, arg, &op, sizeof(op), XEN_DOMCTL_INTERFACE_VERSION);
	if (rc)
		return rc;
	switch (op.cmd) {
	case XEN_DOMCTL_getdomaininfo:
		if (op.domain >= DOMID_FIRST_RESERVED)
			return -XEN_EINVAL;
		/* the first domain at or above the requested id */
		d = domain_next(op.domain);
		if (!d)
			return -XEN_ESRCH;
		fill_domaininfo(d, &op.u.getdomaininfo);
		op.domain = d->id;
		break;
	case XEN_DOMCTL_getvcpuinfo:
		d = domain_by_id(op.domain);
		if (!d)
			return -XEN_ESRCH;
		rc = domctl_getvcpuinfo(d, &op.u.getvcpuinfo);
		if (rc)
			return rc;
		break;
	case XEN_DOMCTL_getvcpuaffinity:
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getnodeaffinity:
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_scheduler_op:
		d = domain_by_id(op.domain);
		if (!d)
			return -XEN_ESRCH;
		rc = domctl_sched(v, d, &op);
		if (rc)
			return rc;
		break;
	case XEN_DOMCTL_get_cpu_policy:
	case XEN_DOMCTL_set_cpu_policy:
		d = domain_by_id(op.domain);
		if (!d)
			return -XEN_ESRCH;
		rc = domctl_cpu_policy(v, d, &op);
		/* a refused set names the culprit in err_* */
		if (rc && op.cmd == XEN_DOMCTL_get_cpu_policy)
			return rc;
		if (copy_to_guest(v, arg, &op, sizeof(op)))
			return -XEN_EFAULT;
		return rc;
	default:
		rc = domctl_lifecycle(v, &op, &copy_back);
		if (rc || !copy_back)
			return rc;
		break;
	}
	return copy_to_guest(v, arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static void fill_physinfo(struct xen_sysctl_physinfo *pi)
{
	uint32_t a, b, c, dx;

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = smp_nr_cpus();
	pi->nr_cpus = smp_nr_cpus();
	pi->max_cpu_id = smp_nr_cpus() - 1;
	pi->nr_nodes = 1;
	pi->max_node_id = 0;
	pi->cpu_khz = (uint32_t)(tsc_hz() / 1000);
	/* PVH guests on nested paging, grant tables v1; no PV, no IOMMU */
	pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
			   XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = mm_total_pages();
	pi->free_pages = mm_free_pages();
	pi->outstanding_pages = claim_outstanding();
	pi->max_mfn = mm_max_pfn();
	/* the boot CPU's feature words, in Xen's featureset order */
	cpuid_count(1, 0, &a, &b, &c, &dx);
	pi->hw_cap[0] = dx;
	pi->hw_cap[1] = c;
	cpuid_count(0x80000001, 0, &a, &b, &c, &dx);
	pi->hw_cap[2] = dx;
	pi->hw_cap[3] = c;
	cpuid_count(0, 0, &a, &b, &c, &dx);
	if (a >= 0xD) {
		cpuid_count(0xD, 1, &a, &b, &c, &dx);
		pi->hw_cap[4] = a;
	}
	cpuid_count(0, 0, &a, &b, &c, &dx);
	if (a >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &dx);
		pi->hw_cap[5] = b;
		pi->hw_cap[6] = c;
	}
	cpuid_count(0x80000000, 0, &a, &b, &c, &dx);
	if (a >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &dx);
		pi->hw_cap[7] = dx;
	}
}

static long sysctl_getdomaininfolist(struct vcpu *v, struct xen_sysctl_getdomaininfolist *l)
{
	uint32_t n = 0;
	unsigned int id = l->first_domain;
	struct domain *d;

	while (n < l->max_domains && id < DOMID_FIRST_RESERVED && (d = domain_next((uint16_t)id))) {
		struct xen_domctl_getdomaininfo info;

		fill_domaininfo(d, &info);
		if (copy_to_guest(v, l->buffer.v + (uint64_t)n * sizeof(info), &info, sizeof(info)))
			return -XEN_EFAULT;
		n++;
		id = d->id + 1U;
	}
	l->num_domains = n;
	return 0;
}

/* One pool (id 0, credit) holding every pCPU and every domain. */
static long sysctl_cpupool(struct vcpu *v, struct xen_sysctl_cpupool_op *op)
{
	uint64_t all = smp_nr_cpus() >= 64 ? ~0ULL : (1ULL << smp_nr_cpus()) - 1;
	uint32_t n_dom = 0;
	struct domain *d;

	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		/* the first pool with an id >= the one asked for */
		if (op->cpupool_id > 0)
			return -XEN_ENOENT;
		for (unsigned int id = 0; id < DOMID_FIRST_RESERVED && (d = domain_next((uint16_t)id));
		     id = d->id + 1U)
			n_dom++;
		op->cpupool_id = 0;
		op->sched_id = XEN_SCHEDULER_CREDIT;
		op->n_dom = n_dom;
		return cpumap_to_guest(v, &op->cpumap, all);
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return cpumap_to_guest(v, &op->cpumap, 0); /* no CPU outside pool 0 */
	default:
		return -XEN_EOPNOTSUPP; /* one fixed pool: no create/destroy/moves */
	}
}

long do_sysctl(struct vcpu *v, uint64_t arg)
{
	struct xen_sysctl op;
	long rc;

	rc = ctl_prologue(v, arg, &op, sizeof(op), XEN_SYSCTL_INTERFACE_VERSION);
	if (rc)
		return rc;
	switch (op.cmd) {
	case XEN_SYSCTL_physinfo:
		fill_physinfo(&op.u.physinfo);
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = sysctl_getdomaininfolist(v, &op.u.getdomaininfolist);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_getcpuinfo: {
		struct xen_sysctl_getcpuinfo *ci = &op.u.getcpuinfo;
		uint32_t n = MIN(ci->max_cpus, smp_nr_cpus());

		for (uint32_t c = 0; c < n; c++) {
			uint64_t idle = scheduler_idle_ns(c);

			if (copy_to_guest(v, ci->info.v + 8ULL * c, &idle, sizeof(idle)))
				return -XEN_EFAULT;
		}
		ci->nr_cpus = n;
		break;
	}
	case XEN_SYSCTL_cputopoinfo:
		rc = sysctl_cputopoinfo(v, &op.u.cputopoinfo);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_get_cpu_featureset:
		rc = sysctl_cpu_featureset(v, &op.u.cpu_featureset);
		if (rc && rc != -XEN_ENOBUFS)
			return rc;
		/* a short array still gets the count back */
		if (copy_to_guest(v, arg, &op, sizeof(op)))
			return -XEN_EFAULT;
		return rc;
	case XEN_SYSCTL_get_cpu_policy:
		rc = sysctl_cpu_policy(v, &op.u.cpu_policy);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_numainfo:
		rc = sysctl_numainfo(v, &op.u.numainfo);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_scheduler_op:
		rc = sysctl_scheduler_op(&op.u.scheduler_op);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_cpupool_op:
		rc = sysctl_cpupool(v, &op.u.cpupool_op);
		if (rc)
			return rc;
		break;
	case XEN_SYSCTL_readconsole: {
		struct xen_sysctl_readconsole *rc_op = &op.u.readconsole;

		rc = conring_read(v, rc_op->buffer.v, &rc_op->count, &rc_op->index,
				  rc_op->incremental, rc_op->clear);
		if (rc)
			return rc;
		break;
	}
	default:
		return -XEN_ENOSYS;
	}
	return copy_to_guest(v, arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}
