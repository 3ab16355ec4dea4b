/* Helpers for freestanding PVH test guests: hypercalls, console output
 * through console_io, and the verdict protocol ("ok"/"FAIL" lines and a
 * final "Test result: SUCCESS|FAILURE"). */
#ifndef XENOLITH_TEST_GUEST_H
#define XENOLITH_TEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenolith/lib.h>

extern uint8_t scratch_page[4096];
extern uint8_t hypercall_page[4096];
extern uint8_t spare_page[4096];

static inline long hypercall3(unsigned long nr, unsigned long a1,
			      unsigned long a2, unsigned long a3)
{
	long ret;

	__asm__ volatile("vmmcall"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			 : "a"(nr)
			 : "memory", "r10", "r8");
	return ret;
}

/* The same, through entry nr of the hypercall page. */
static inline long hypercall3_page(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3)
{
	long ret;
	void *entry = hypercall_page + 32 * nr;

	__asm__ volatile("call *%[e]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
			 : [e] "r"(entry)
			 : "memory", "r10", "r8", "rcx", "r11");
	return ret;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Console output: console_io (dom0), else port 0xE9 and the PV console. */
void guest_write(const char *s, size_t len);
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One verdict line; returns cond. */
bool guest_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the final verdict and power the machine off through dom0 shutdown. */
void guest_finish(void) __attribute__((noreturn));
void guest_shutdown(unsigned int reason) __attribute__((noreturn));

void guest_main(uint32_t start_info_pa);

#endif
