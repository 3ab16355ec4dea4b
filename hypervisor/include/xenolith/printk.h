/* Hypervisor console: "(XEN) "-prefixed lines filtered by loglvl=. */
#ifndef XENOLITH_PRINTK_H
#define XENOLITH_PRINTK_H

#include "lib.h"

enum log_level {
	LOG_NONE = 0, /* threshold only: print nothing */
	LOG_ERR = 1,
	LOG_WARNING = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
	LOG_ALL = 5,
};

void printk_set_threshold(enum log_level lvl);
void printk_set_guest_threshold(enum log_level lvl);
enum log_level printk_guest_threshold(void);
void printk_lvl(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Raw text from a guest: dom0's goes out verbatim, others get "(dN) ". */
void printk_guest(unsigned int domid, const char *buf, size_t len);
/* A domU's debug-port text, held until its line is complete so that
 * other domains' output cannot cut into the line (Xen does the same). */
struct guest_line {
	char buf[120];
	unsigned int len;
};
void printk_guest_line(unsigned int domid, struct guest_line *gl, const char *buf, size_t len);
void printk_guest_line_flush(unsigned int domid, struct guest_line *gl);
struct vcpu;
/* sysctl readconsole: copy up to *count bytes of the console history to
 * guest address buf, from the oldest byte or (incremental) from *index;
 * returns 0 with *count and *index updated, or -XEN_EFAULT. */
int conring_read(struct vcpu *v, uint64_t buf, uint32_t *count, uint32_t *index,
		 bool incremental, bool clear);

#define printk(...) printk_lvl(LOG_INFO, __VA_ARGS__)
#define log_err(...) printk_lvl(LOG_ERR, __VA_ARGS__)
#define log_warn(...) printk_lvl(LOG_WARNING, __VA_ARGS__)
#define log_info(...) printk_lvl(LOG_INFO, __VA_ARGS__)
#define log_debug(...) printk_lvl(LOG_DEBUG, __VA_ARGS__)

/* Stop the machine after logging why (never returns). */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
