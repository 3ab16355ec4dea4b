/* Exceptions and interrupts taken by the hypervisor itself. */
#ifndef XENOLITH_TRAPS_H
#define XENOLITH_TRAPS_H

#include "lib.h"

/* Layout pushed by the entry stubs (entry.S); keep in sync. */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void traps_init(void);
/* Per-CPU: load the IDT (and this CPU's TSS). */
void traps_load(unsigned int cpu);
void do_trap(struct cpu_regs *regs);

typedef void (*irq_handler_fn)(unsigned int vector);
void traps_set_irq_handler(unsigned int vector, irq_handler_fn fn);

#endif
