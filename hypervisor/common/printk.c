/* Console output.  Every hypervisor line starts with "(XEN) "; messages
 * above the loglvl= threshold are dropped.  A simple spinlock keeps lines
 * from different CPUs whole. */
#include <xenolith/printk.h>
#include <xenolith/serial.h>
#include <xenolith/x86.h>
#include <xenolith/power.h>

static enum log_level threshold = LOG_WARNING;
static enum log_level guest_threshold = LOG_NONE;
static volatile int console_lock;
static bool at_line_start = true;

void printk_set_threshold(enum log_level lvl)
{
	threshold = lvl;
}

void printk_set_guest_threshold(enum log_level lvl)
{
	guest_threshold = lvl;
}

enum log_level printk_guest_threshold(void)
{
	return guest_threshold;
}

static void lock(void)
{
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

static void emit_prefixed(const char *prefix, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (at_line_start) {
			serial_write(prefix, strlen(prefix));
			at_line_start = false;
		}
		serial_write(&s[i], 1);
		if (s[i] == '\n')
			at_line_start = true;
	}
}

void printk_lvl(enum log_level lvl, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (lvl > threshold && lvl != LOG_NONE)
		return;
	va_start(ap, fmt);
	n = lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	lock();
	emit_prefixed("(XEN) ", buf, (size_t)n);
	unlock();
}

void printk_guest(unsigned int domid, const char *buf, size_t len)
{
	char prefix[16];

	lock();
	if (domid == 0) {
		/* the hardware domain's console is interactive: verbatim */
		serial_write(buf, len);
		at_line_start = len ? buf[len - 1] == '\n' : at_line_start;
	} else {
		lib_snprintf(prefix, sizeof(prefix), "(d%u) ", domid);
		emit_prefixed(prefix, buf, len);
	}
	unlock();
}

void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	lib_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	threshold = LOG_ALL;
	printk_lvl(LOG_ERR, "\n****************************************\n");
	printk_lvl(LOG_ERR, "Panic on CPU 0:\n%s\n", buf);
	printk_lvl(LOG_ERR, "****************************************\n");
	panic_action();
}
