/* Console output.  Every hypervisor line starts with "(XEN) "; messages
 * above the loglvl= threshold are dropped.  A simple spinlock keeps lines
 * from different CPUs whole. */
#include <xenolith/printk.h>
#include <xenolith/serial.h>
#include <xenolith/x86.h>
#include <xenolith/power.h>
#include <xenolith/domain.h>
#include <xen/errno.h>

#define CONRING_SIZE 32768 /* a power of two */

static enum log_level threshold = LOG_WARNING;
/* The hypervisor's console history for readconsole (`xl dmesg`):
 * free-running producer/consumer indices, the oldest bytes overwritten. */
static char conring[CONRING_SIZE];
static uint32_t conring_prod, conring_cons;
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

static void conring_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		conring[conring_prod++ & (CONRING_SIZE - 1)] = s[i];
	if (conring_prod - conring_cons > CONRING_SIZE)
		conring_cons = conring_prod - CONRING_SIZE;
}

static void emit_prefixed(const char *prefix, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (at_line_start) {
			serial_write(prefix, strlen(prefix));
			conring_put(prefix, strlen(prefix));
			at_line_start = false;
		}
		serial_write(&s[i], 1);
		conring_put(&s[i], 1);
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

void printk_guest_line(unsigned int domid, struct guest_line *gl, const char *buf, size_t len)
{
	if (domid == 0) {
		printk_guest(0, buf, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		gl->buf[gl->len++] = buf[i];
		if (buf[i] == '\n' || gl->len == sizeof(gl->buf))
			printk_guest_line_flush(domid, gl);
	}
}

void printk_guest_line_flush(unsigned int domid, struct guest_line *gl)
{
	if (gl->len)
		printk_guest(domid, gl->buf, gl->len);
	gl->len = 0;
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

int conring_read(struct vcpu *v, uint64_t buf, uint32_t *count, uint32_t *index,
		 bool incremental, bool clear)
{
	char tmp[256];
	uint32_t c, p, done = 0, max = *count;

	lock();
	c = conring_cons;
	p = conring_prod;
	/* continue where the caller left off if that is still in the ring */
	if (incremental && *index - c <= p - c)
		c = *index;
	unlock();
	for (;;) {
		uint32_t idx, len;

		lock();
		/* overwritten meanwhile: skip to the oldest byte still there */
		if (c - conring_cons > conring_prod - conring_cons)
			c = conring_cons;
		p = conring_prod;
		idx = c & (CONRING_SIZE - 1);
		len = MIN(MIN(p - c, CONRING_SIZE - idx), MIN(max - done, (uint32_t)sizeof(tmp)));
		memcpy(tmp, &conring[idx], len);
		unlock();
		if (!len)
			break;
		/* outside the console lock: a fault may log */
		if (copy_to_guest(v, buf + done, tmp, len))
			return -XEN_EFAULT;
		done += len;
		c += len;
	}
	if (clear) {
		lock();
		if (c - conring_cons <= conring_prod - conring_cons)
			conring_cons = c;
		unlock();
	}
	*count = done;
	*index = c;
	return 0;
}
