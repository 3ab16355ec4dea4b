/* Console and verdict helpers shared by the test guests. */
#include "guest.h"
#include <xen/xen.h>
#include <xen/sched.h>

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
	hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, (unsigned long)n,
		   (unsigned long)buf);
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
