/* Console and verdict helpers shared by the test guests. */
#include "guest.h"
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

static unsigned int checks_run, checks_failed;

void guest_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	guest_write(buf, (size_t)n);
}

/* The PV console ring xl gives a domU (HVM_PARAM_CONSOLE_PFN/EVTCHN). */
static void pvcons_write(const char *s, size_t len)
{
	static struct xencons_interface *ring;
	static uint32_t port;
	static bool probed;
	unsigned int spins = 0;

	if (!probed) {
		struct xen_hvm_param pfn = { DOMID_SELF, 0, HVM_PARAM_CONSOLE_PFN, 0 };
		struct xen_hvm_param evt = { DOMID_SELF, 0, HVM_PARAM_CONSOLE_EVTCHN, 0 };

		probed = true;
		if (!hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&pfn, 0) &&
		    !hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&evt, 0) &&
		    pfn.value && pfn.value < (1ULL << 20) && evt.value) {
			ring = (struct xencons_interface *)(uintptr_t)(pfn.value << 12);
			port = (uint32_t)evt.value;
		}
	}
	if (!ring)
		return;
	while (len && spins++ < 100000) {
		XENCONS_RING_IDX cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
		XENCONS_RING_IDX prod = ring->out_prod;
		struct evtchn_send snd = { port };

		while (len && prod - cons < sizeof(ring->out)) {
			ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
			prod++;
			len--;
		}
		__atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
		hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&snd, 0);
		if (len) /* ring full: let the console daemon drain it */
			hypercall3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	}
}

void guest_write(const char *s, size_t len)
{
	/* console_io is dom0's; a domU on Xen gets -EPERM and falls back to
	 * the debug port (Xen's "(dN)" lines) and its PV console */
	if (hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, (unsigned long)len,
		       (unsigned long)s) == 0)
		return;
	for (size_t i = 0; i < len; i++)
		__asm__ volatile("outb %0, %1" : : "a"(s[i]), "Nd"((uint16_t)0xE9));
	pvcons_write(s, len);
}

bool guest_check(bool cond, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	checks_run++;
	if (!cond)
		checks_failed++;
	guest_printf("%s %u - %s\n", cond ? "ok" : "FAIL", checks_run, buf);
	return cond;
}

void guest_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { reason };

	hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&s, 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_finish(void)
{
	guest_printf("%u checks, %u failed\n", checks_run, checks_failed);
	guest_printf("Test result: %s\n", checks_run && !checks_failed ? "SUCCESS" : "FAILURE");
	guest_shutdown(SHUTDOWN_poweroff);
}
