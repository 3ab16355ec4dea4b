/* pvh-idle: the smallest useful domU.  Prints its marker line (domain id
 * and the command line xl passed) to the PV console and the debug port,
 * then, by its command line:
 *   (default) sleeps for good (woken only by new events);
 *   spin      burns CPU (xl list reports the time it got);
 *   echo      offers dom0 an event channel port (printed as "echo port
 *             N") and sends an event back for every event it receives:
 *             the other end of hv-evtchn-ping's round trips. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/arch-x86/hvm/start_info.h>

static long evtchn(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0);
}

/* Wait in SCHEDOP_poll for the port, clear it, answer with an event. */
static void echo(uint32_t domid)
{
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					   (uintptr_t)spare_page >> 12 };
	struct shared_info *sh = (struct shared_info *)(void *)spare_page;
	struct evtchn_alloc_unbound au = { DOMID_SELF, 0, 0 };
	evtchn_port_t port;
	struct sched_poll poll = { &port, 1, 0 };
	struct evtchn_send snd;
	long rc;

	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	if (rc || (rc = evtchn(EVTCHNOP_alloc_unbound, &au))) {
		guest_printf("GUEST-MARKER: pvh-idle domain %u echo FAILED: %ld\n", domid, rc);
		return;
	}
	port = au.port;
	snd.port = port;
	guest_printf("GUEST-MARKER: pvh-idle domain %u echo port %u\n", domid, port);
	for (;;) {
		uint64_t bit = 1ULL << (port % 64);

		if (!(__atomic_load_n(&sh->evtchn_pending[port / 64], __ATOMIC_ACQUIRE) & bit)) {
			hypercall3(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll, 0);
			continue;
		}
		__atomic_fetch_and(&sh->evtchn_pending[port / 64], ~bit, __ATOMIC_ACQ_REL);
		evtchn(EVTCHNOP_send, &snd);
	}
}

/* Is w one of the space-separated words of s? */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; *p; p++)
		if ((p == s || p[-1] == ' ') && !strncmp(p, w, n) && (p[n] == 0 || p[n] == ' '))
			return true;
	return false;
}

void guest_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
	const char *cmdline = si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "";
	uint32_t r[4];

	cpuid(0x40000004, 0, r);
	guest_printf("GUEST-MARKER: pvh-idle domain %u up, cmdline '%s'\n", r[2], cmdline);
	if (has_word(cmdline, "echo"))
		echo(r[2]);
	if (has_word(cmdline, "spin")) {
		for (volatile uint64_t n = 0;; n++)
			;
	}
	/* SCHEDOP_block returns at once while an event is pending, and this
	 * guest never takes its events (xenstored's and xenconsoled's first
	 * notifications stay pending): it spun ~50,000 hypercalls per
	 * guest.  A poll of no ports sleeps until the next event arrives. */
	for (;;) {
		struct sched_poll none = { NULL, 0, 0 };

		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&none, 0);
	}
}
