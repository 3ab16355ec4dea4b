/* Hypercall dispatch and the simple hypercalls: xen_version, console_io,
 * sched_op, vm_assist, hvm_op, vcpu_op.  Arguments are copied in and out
 * through copy_{from,to}_guest; a bad pointer is -EFAULT, never a fault
 * in the hypervisor. */
#include <xenolith/hypercall.h>
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/printk.h>
#include <xenolith/serial.h>
#include <xenolith/setup.h>
#include <xenolith/x86.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/platform.h>
#include <xenolith/time.h>

long do_memory_op(struct vcpu *v, unsigned long cmd, uint64_t arg);
long do_grant_table_op(struct vcpu *v, unsigned long cmd, uint64_t uop, unsigned long count);

static long copy_string_out(struct vcpu *v, uint64_t arg, const char *s, size_t size)
{
	char buf[1024];

	memset(buf, 0, size);
	lib_strlcpy(buf, s, size);
	return copy_to_guest(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

static long do_xen_version(struct vcpu *v, unsigned long cmd, uint64_t arg)
{
	switch (cmd) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_extraversion:
		return copy_string_out(v, arg, ".0-xenolith", sizeof(xen_extraversion_t));
	case XENVER_compile_info: {
		struct xen_compile_info ci;

		memset(&ci, 0, sizeof(ci));
		lib_strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
		lib_strlcpy(ci.compile_by, "xenolith", sizeof(ci.compile_by));
		lib_strlcpy(ci.compile_domain, "", sizeof(ci.compile_domain));
		lib_strlcpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date));
		return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return copy_string_out(v, arg, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ",
				       sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string_out(v, arg, "xenolith " XENOLITH_VERSION,
				       sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = { 0xFFFF800000000000UL };

		return copy_to_guest(v, arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;

		if (copy_from_guest(v, &fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		if (fi.submap_idx != 0)
			return -XEN_EINVAL;
		fi.submap = (1U << XENFEAT_writable_page_tables) |
			    (1U << XENFEAT_auto_translated_physmap) |
			    (1U << XENFEAT_hvm_callback_vector) |
			    (1U << XENFEAT_hvm_safe_pvclock) |
			    (1U << XENFEAT_memory_op_vnode_supported) |
			    (1U << XENFEAT_not_direct_mapped);
		if (v->d->privileged)
			fi.submap |= 1U << XENFEAT_dom0;
		return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
	}
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_to_guest(v, arg, v->d->handle, sizeof(v->d->handle)) ? -XEN_EFAULT : 0;
	case XENVER_commandline:
		return copy_string_out(v, arg, cmdline_skip_image(boot_info.cmdline),
				       sizeof(xen_commandline_t));
	case XENVER_build_id:
		return -XEN_ENODATA;
	default:
		return -XEN_ENOSYS;
	}
}

static long do_console_io(struct vcpu *v, unsigned long cmd, unsigned long count,
			  uint64_t buf)
{
	char tmp[128];

	switch (cmd) {
	case CONSOLEIO_write:
		if (!v->d->privileged)
			return -XEN_EPERM;
		while (count) {
			size_t n = MIN(count, sizeof(tmp));

			if (copy_from_guest(v, tmp, buf, n))
				return -XEN_EFAULT;
			printk_guest(v->d->id, tmp, n);
			buf += n;
			count -= n;
		}
		return 0;
	case CONSOLEIO_read: {
		unsigned long got = 0;
		int c;

		if (!v->d->privileged)
			return -XEN_EPERM;
		while (got < count && got < sizeof(tmp) && (c = serial_getc()) >= 0)
			tmp[got++] = (char)c;
		if (got && copy_to_guest(v, buf, tmp, got))
			return -XEN_EFAULT;
		return (long)got;
	}
	default:
		return -XEN_ENOSYS;
	}
}

static long do_sched_op(struct vcpu *v, unsigned long cmd, uint64_t arg)
{
	switch (cmd) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_block:
		/* returns at once when an event is already waiting */
		if (!vcpu_upcall_pending(v) && !vlapic_has_pending(v))
			v->blocked = true;
		return 0;
	case SCHEDOP_poll: {
		struct sched_poll p;

		if (copy_from_guest(v, &p, arg, sizeof(p)))
			return -XEN_EFAULT;
		if (p.nr_ports > 128)
			return -XEN_EINVAL;
		for (unsigned int i = 0; i < p.nr_ports; i++) {
			evtchn_port_t port;
			struct shared_info *sh = mm_page_virt(v->d->shared_info_pfn);

			if (copy_from_guest(v, &port, (uint64_t)(uintptr_t)p.ports + 4 * i, 4))
				return -XEN_EFAULT;
			if (port == 0 || port >= EVTCHN_MAX)
				return -XEN_EINVAL;
			if (__atomic_load_n(&sh->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) &
			    (1UL << (port % 64)))
				return 0;
		}
		if (p.timeout && p.timeout <= now_ns())
			return 0;
		if (p.nr_ports == 1 &&
		    copy_from_guest(v, &v->poll_port, (uint64_t)(uintptr_t)p.ports, 4))
			return -XEN_EFAULT;
		if (p.nr_ports != 1)
			v->poll_port = 0;
		v->polling = true;
		v->poll_deadline = p.timeout;
		v->blocked = true;
		return 0;
	}
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;

		if (copy_from_guest(v, &s, arg, sizeof(s)))
			return -XEN_EFAULT;
		domain_shutdown(v->d, s.reason);
		return 0;
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(v, &s, arg, sizeof(s)))
			return -XEN_EFAULT;
		v->d->shutdown_code = s.reason;
		return 0;
	}
	case SCHEDOP_remote_shutdown: {
		struct sched_remote_shutdown rs;
		struct domain *t;

		if (copy_from_guest(v, &rs, arg, sizeof(rs)))
			return -XEN_EFAULT;
		if (!v->d->privileged)
			return -XEN_EPERM;
		t = domain_by_id(rs.domain_id);
		if (!t)
			return -XEN_ESRCH;
		domain_shutdown(t, rs.reason);
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}

static long do_vm_assist(struct vcpu *v, unsigned long cmd, unsigned long type)
{
	if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
		return -XEN_ENOSYS;
	/* HVM guests may only toggle runstate_update_flag */
	return type == VMASST_TYPE_runstate_update_flag ? 0 : -XEN_EINVAL;
}

static bool param_guest_settable(uint32_t idx)
{
	switch (idx) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_X87_FIP_WIDTH:
		return true;
	default:
		return false;
	}
}

static bool param_deprecated(uint32_t idx)
{
	switch (idx) {
	case HVM_PARAM_PAE_ENABLED:
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_MEMORY_EVENT_CR0:
	case HVM_PARAM_MEMORY_EVENT_CR3:
	case HVM_PARAM_MEMORY_EVENT_CR4:
	case HVM_PARAM_MEMORY_EVENT_INT3:
	case HVM_PARAM_NESTEDHVM:
	case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
	case HVM_PARAM_MEMORY_EVENT_MSR:
		return true;
	default:
		return false;
	}
}

static long do_hvm_op(struct vcpu *v, unsigned long op, uint64_t arg)
{
	switch (op) {
	case HVMOP_set_param:
	case HVMOP_get_param: {
		struct xen_hvm_param p;
		struct domain *t;

		if (copy_from_guest(v, &p, arg, sizeof(p)))
			return -XEN_EFAULT;
		if (p.index >= HVM_NR_PARAMS)
			return -XEN_EINVAL;
		t = p.domid == DOMID_SELF ? v->d : domain_by_id(p.domid);
		if (!t)
			return -XEN_ESRCH;
		if (t != v->d && !v->d->privileged)
			return -XEN_EPERM;
		if (param_deprecated(p.index))
			return -XEN_EINVAL;
		if (op == HVMOP_set_param) {
			if (t == v->d && !param_guest_settable(p.index))
				return -XEN_EPERM;
			if (p.index == HVM_PARAM_CALLBACK_IRQ) {
				unsigned int type = (unsigned int)(p.value >> 56);

				if (type > HVM_PARAM_CALLBACK_TYPE_VECTOR ||
				    (type == HVM_PARAM_CALLBACK_TYPE_VECTOR && (p.value & 0xFF) < 0x10))
					return -XEN_EINVAL;
			}
			if (p.index == HVM_PARAM_TRIPLE_FAULT_REASON && p.value > SHUTDOWN_MAX)
				return -XEN_EINVAL;
			t->params[p.index] = p.value;
			return 0;
		}
		if (t == v->d && !param_guest_settable(p.index) &&
		    p.index != HVM_PARAM_STORE_PFN && p.index != HVM_PARAM_CONSOLE_PFN &&
		    p.index != HVM_PARAM_ALTP2M)
			return -XEN_EPERM;
		p.value = t->params[p.index];
		return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
	}
	case HVMOP_set_evtchn_upcall_vector: {
		struct xen_hvm_evtchn_upcall_vector u;

		if (copy_from_guest(v, &u, arg, sizeof(u)))
			return -XEN_EFAULT;
		if (u.vector < 0x10)
			return -XEN_EINVAL;
		if (u.vcpu >= v->d->nr_vcpus || !v->d->vcpus[u.vcpu])
			return -XEN_ENOENT;
		v->d->vcpus[u.vcpu]->upcall_vector = u.vector;
		/* events already waiting get their interrupt now */
		if (vcpu_upcall_pending(v->d->vcpus[u.vcpu]))
			vlapic_set_irq(v->d->vcpus[u.vcpu], u.vector);
		return 0;
	}
	case HVMOP_pagetable_dying:
		return -XEN_EINVAL; /* meaningless with nested paging */
	case HVMOP_flush_tlbs:
		return arg ? -XEN_EINVAL : 0;
	default:
		return -XEN_ENOSYS;
	}
}

static long do_vcpu_op(struct vcpu *v, unsigned long cmd, unsigned long vcpuid,
		       uint64_t arg)
{
	struct vcpu *t;

	if (vcpuid >= v->d->nr_vcpus || !(t = v->d->vcpus[vcpuid]))
		return -XEN_ENOENT;
	switch (cmd) {
	case VCPUOP_is_up:
		return t->online ? 1 : 0;
	case VCPUOP_register_vcpu_info: {
		struct vcpu_register_vcpu_info info;
		enum p2m_type type;

		if (copy_from_guest(v, &info, arg, sizeof(info)))
			return -XEN_EFAULT;
		if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (info.offset & 7))
			return -XEN_ENXIO;
		if (t != v && t->online)
			return -XEN_EINVAL;
		if (t->vcpu_info_gfn != INVALID_PFN)
			return -XEN_EINVAL;
		if (p2m_lookup(v->d, info.mfn, &type) == INVALID_PFN || type != P2M_RAM)
			return -XEN_EINVAL;
		{
			/* carry the current contents over, then flag everything
			 * pending so the guest rescans (as Xen does) */
			struct vcpu_info old, *nv;
			struct vcpu_info *cur = vcpu_info_ptr(t);

			if (cur)
				memcpy(&old, cur, sizeof(old));
			else
				memset(&old, 0, sizeof(old));
			t->vcpu_info_gfn = info.mfn;
			t->vcpu_info_offset = info.offset;
			nv = vcpu_info_ptr(t);
			memcpy(nv, &old, sizeof(old));
			nv->evtchn_pending_sel = ~0UL;
			nv->evtchn_upcall_pending = 1;
			if (t->upcall_vector)
				vlapic_set_irq(t, t->upcall_vector);
			vcpu_update_time(t);
		}
		return 0;
	}
	case VCPUOP_register_runstate_memory_area: {
		uint64_t addr;

		if (copy_from_guest(v, &addr, arg, sizeof(addr)))
			return -XEN_EFAULT;
		t->runstate_gva = addr;
		return 0;
	}
	case VCPUOP_stop_periodic_timer:
		t->periodic_period = 0;
		t->timers_changed = true;
		vcpu_notify(t);
		return 0;
	case VCPUOP_set_periodic_timer: {
		struct vcpu_set_periodic_timer pt;

		if (copy_from_guest(v, &pt, arg, sizeof(pt)))
			return -XEN_EFAULT;
		if (pt.period_ns < 1000000ULL || pt.period_ns > (1ULL << 62))
			return -XEN_EINVAL;
		t->periodic_period = pt.period_ns;
		t->periodic_next = now_ns() + pt.period_ns;
		t->timers_changed = true;
		vcpu_notify(t);
		return 0;
	}
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer st;

		if (t != v)
			return -XEN_EINVAL;
		if (copy_from_guest(v, &st, arg, sizeof(st)))
			return -XEN_EFAULT;
		/* a time already past fires at once (VCPU_SSHOTTMR_future is advisory) */
		v->singleshot_deadline = st.timeout_abs_ns ? st.timeout_abs_ns : 1;
		v->timers_changed = true;
		return 0;
	}
	case VCPUOP_stop_singleshot_timer:
		if (t != v)
			return -XEN_EINVAL;
		v->singleshot_deadline = 0;
		return 0;
	case VCPUOP_get_runstate_info: {
		struct vcpu_runstate_info ri;

		memset(&ri, 0, sizeof(ri));
		ri.state = t->online ? (t->blocked ? RUNSTATE_blocked :
			   (t == v ? RUNSTATE_running : RUNSTATE_runnable)) : RUNSTATE_offline;
		ri.state_entry_time = now_ns();
		return copy_to_guest(v, arg, &ri, sizeof(ri)) ? -XEN_EFAULT : 0;
	}
	case VCPUOP_initialise: {
		/* vcpu_hvm_context: mode, then 32-bit or 64-bit register view */
		uint8_t ctx[128];
		uint64_t r[14];
		uint32_t mode;
		extern int svm_vcpu_set_context(struct vcpu *, bool, const uint64_t *, uint64_t);

		if (t->online)
			return -XEN_EEXIST;
		if (copy_from_guest(v, ctx, arg, sizeof(ctx)))
			return -XEN_EFAULT;
		memcpy(&mode, ctx, 4);
		memset(r, 0, sizeof(r));
		if (mode == 1) {
			/* rax rcx rdx rbx rsp rbp rsi rdi rip rflags cr0 cr3 cr4 efer */
			memcpy(r, ctx + 8, 14 * 8);
		} else if (mode == 0) {
			uint32_t r32[13];

			memcpy(r32, ctx + 8, sizeof(r32));
			for (unsigned int i = 0; i < 13; i++)
				r[i] = r32[i];
			memcpy(&r[13], ctx + 8 + 56, 8);
		} else {
			return -XEN_EINVAL;
		}
		if (svm_vcpu_set_context(t, mode == 1, r, mode == 1 ? r[13] | (1ULL << 8) | (1ULL << 10) : r[13]))
			return -XEN_ENOMEM;
		t->vcpu_info_gfn = t->vcpu_info_gfn; /* registration survives */
		t->wait_for_sipi = false;
		t->initialised = true;
		return 0;
	}
	case VCPUOP_up:
		if (!t->initialised)
			return -XEN_EINVAL;
		t->online = true;
		vcpu_kick(t);
		return 0;
	case VCPUOP_down:
		t->online = false;
		vcpu_notify(t);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

/* Dom0's platform operations: ACPI sleep (power off), clock setting. */
static long do_platform_op(struct vcpu *v, uint64_t arg)
{
	struct xen_platform_op op;

	if (!v->d->privileged)
		return -XEN_EPERM;
	if (copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XENPF_enter_acpi_sleep:
		if (op.u.enter_acpi_sleep.sleep_state != 5)
			return -XEN_EOPNOTSUPP; /* S1-S4: no suspend support */
		printk("Dom%u requests ACPI S5\n", v->d->id);
		domain_shutdown(v->d, SHUTDOWN_poweroff);
		return 0;
	case XENPF_settime32:
	case XENPF_settime64:
		return 0; /* the wallclock stays the RTC's */
	default:
		return -XEN_ENOSYS;
	}
}

/* hypercall_debug: which call failed how; for domctl and sysctl the
 * command word the caller passed. */
static void log_failed_hypercall(struct vcpu *v, unsigned long nr, const unsigned long a[5],
				 long rc)
{
	uint32_t cmd = 0;

	if (nr == __HYPERVISOR_domctl || nr == __HYPERVISOR_sysctl)
		(void)copy_from_guest(v, &cmd, a[0], sizeof(cmd));
	else
		cmd = (uint32_t)a[0];
	printk("d%uv%u: hypercall %lu cmd %u (%#lx, %#lx, %#lx) -> %ld\n", v->d->id, v->id, nr,
	       cmd, a[0], a[1], a[2], rc);
}

/* Upper bound on one multicall's entries: Xen preempts long lists with a
 * continuation; everything here runs under the one lock, so a caller
 * asking for more is refused rather than allowed to stall the host. */
#define MULTICALL_MAX 1024

/* Each entry's call made in order, its result stored in the entry;
 * a failing call does not stop the list (Xen's rules). */
static long do_multicall(struct vcpu *v, uint64_t list, unsigned long nr)
{
	if (nr > MULTICALL_MAX)
		return -XEN_EINVAL;
	for (unsigned long i = 0; i < nr; i++) {
		uint64_t at = list + i * sizeof(struct multicall_entry);
		struct multicall_entry e;
		unsigned long args[5];

		if (copy_from_guest(v, &e, at, sizeof(e)))
			return -XEN_EFAULT;
		for (unsigned int k = 0; k < 5; k++)
			args[k] = (unsigned long)e.args[k];
		/* no multicall inside a multicall */
		if (e.op == __HYPERVISOR_multicall) {
			e.result = (xen_ulong_t)(long)-XEN_EINVAL;
		} else {
			long rc;

			/* a preempted entry is finished here: each round makes
			 * progress (destruction frees a budget of pages) */
			do
				rc = hypercall_dispatch(v, (unsigned long)e.op, args);
			while (rc == -XEN_ERESTART);
			e.result = (xen_ulong_t)rc;
		}
		if (copy_to_guest(v, at + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result)))
			return -XEN_EFAULT;
	}
	return 0;
}

long hypercall_dispatch(struct vcpu *v, unsigned long nr, const unsigned long a[5])
{
	long rc;

	switch (nr) {
	case __HYPERVISOR_xen_version:
		rc = do_xen_version(v, a[0], a[1]);
		break;
	case __HYPERVISOR_console_io:
		rc = do_console_io(v, a[0], a[1], a[2]);
		break;
	case __HYPERVISOR_memory_op:
		rc = do_memory_op(v, a[0], a[1]);
		break;
	case __HYPERVISOR_multicall:
		rc = do_multicall(v, a[0], a[1]);
		break;
	case __HYPERVISOR_sched_op:
		rc = do_sched_op(v, a[0], a[1]);
		break;
	case __HYPERVISOR_vm_assist:
		rc = do_vm_assist(v, a[0], a[1]);
		break;
	case __HYPERVISOR_hvm_op:
		rc = do_hvm_op(v, a[0], a[1]);
		break;
	case __HYPERVISOR_vcpu_op:
		rc = do_vcpu_op(v, a[0], a[1], a[2]);
		break;
	case __HYPERVISOR_event_channel_op:
		rc = do_event_channel_op(v, a[0], a[1]);
		break;
	case __HYPERVISOR_platform_op:
		rc = do_platform_op(v, a[0]);
		break;
	case __HYPERVISOR_grant_table_op:
		rc = do_grant_table_op(v, a[0], a[1], a[2]);
		break;
	case __HYPERVISOR_domctl:
		rc = do_domctl(v, a[0]);
		break;
	case __HYPERVISOR_sysctl:
		rc = do_sysctl(v, a[0]);
		break;
	case __HYPERVISOR_set_timer_op:
		v->singleshot_deadline = a[0];
		v->timers_changed = true;
		rc = 0;
		break;
	default:
		rc = -XEN_ENOSYS;
		break;
	}
	if (rc < 0 && rc != -XEN_ERESTART && hv_opts.hypercall_debug)
		log_failed_hypercall(v, nr, a, rc);
	return rc;
}
