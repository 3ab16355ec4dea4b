/* IDT and TSS.  The hypervisor itself should never fault: an exception in
 * hypervisor context is fatal and logged with the register state. */
#include <xenolith/traps.h>
#include <xenolith/printk.h>
#include <xenolith/x86.h>
#include <xenolith/smp.h>

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __attribute__((packed));

struct gdt_desc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern char trap_stubs[];
extern uint64_t boot_gdt[];

static struct idt_entry idt[256] __attribute__((aligned(16)));
static struct tss64 tss[NR_CPUS] __attribute__((aligned(16)));
/* per-CPU GDTs: each needs its own TSS descriptor (busy bit) */
static uint64_t gdt[NR_CPUS][6] __attribute__((aligned(16)));
static uint8_t df_stack[NR_CPUS][4096] __attribute__((aligned(16)));
static irq_handler_fn irq_handlers[256];

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound",
	"invalid opcode", "device not available", "double fault",
	"coprocessor overrun", "invalid TSS", "segment not present",
	"stack fault", "general protection", "page fault", "reserved",
	"x87 FPU error", "alignment check", "machine check", "SIMD error",
	"virtualization", "control protection", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security", "reserved",
};

void traps_init(void)
{
	for (unsigned int v = 0; v < 256; v++) {
		uint64_t addr = (uint64_t)(uintptr_t)(trap_stubs + 16 * v);

		idt[v].off_lo = (uint16_t)addr;
		idt[v].sel = 0x08;
		idt[v].ist = v == 8 ? 1 : 0; /* double fault on its own stack */
		idt[v].type = 0x8E;          /* present, DPL0, interrupt gate */
		idt[v].off_mid = (uint16_t)(addr >> 16);
		idt[v].off_hi = (uint32_t)(addr >> 32);
		idt[v].zero = 0;
	}
}

void traps_set_irq_handler(unsigned int vector, irq_handler_fn fn)
{
	if (vector < 256)
		irq_handlers[vector] = fn;
}

void traps_load(unsigned int cpu)
{
	struct gdt_desc gd, id;
	uint64_t base = (uint64_t)(uintptr_t)&tss[cpu];
	uint64_t limit = sizeof(struct tss64) - 1;

	tss[cpu].ist[0] = (uint64_t)(uintptr_t)(df_stack[cpu] + sizeof(df_stack[cpu]));
	tss[cpu].iomap_base = sizeof(struct tss64);
	for (unsigned int i = 0; i < 4; i++)
		gdt[cpu][i] = boot_gdt[i];
	gdt[cpu][4] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
		      (0x89ULL << 40) | (((limit >> 16) & 0xF) << 48) |
		      (((base >> 24) & 0xFF) << 56);
	gdt[cpu][5] = base >> 32;
	gd.limit = sizeof(gdt[cpu]) - 1;
	gd.base = (uint64_t)(uintptr_t)gdt[cpu];
	id.limit = sizeof(idt) - 1;
	id.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lgdt %0" : : "m"(gd));
	__asm__ volatile("lidt %0" : : "m"(id));
	__asm__ volatile("ltr %w0" : : "r"(0x20));
}

void do_trap(struct cpu_regs *r)
{
	if (r->vector >= 32) {
		if (irq_handlers[r->vector])
			irq_handlers[r->vector]((unsigned int)r->vector);
		else
			log_warn("spurious interrupt, vector %#llx\n",
				 (unsigned long long)r->vector);
		return;
	}
	log_err("CPU%u: %s (vector %llu) in hypervisor, error code %#llx\n",
		smp_processor_id(), exc_names[r->vector],
		(unsigned long long)r->vector, (unsigned long long)r->error_code);
	log_err("RIP: %04llx:%016llx RFLAGS: %016llx CR2: %016lx\n",
		(unsigned long long)r->cs, (unsigned long long)r->rip,
		(unsigned long long)r->rflags, read_cr2());
	log_err("rax: %016llx rbx: %016llx rcx: %016llx\n",
		(unsigned long long)r->rax, (unsigned long long)r->rbx,
		(unsigned long long)r->rcx);
	log_err("rdx: %016llx rsi: %016llx rdi: %016llx\n",
		(unsigned long long)r->rdx, (unsigned long long)r->rsi,
		(unsigned long long)r->rdi);
	log_err("rbp: %016llx rsp: %016llx r8:  %016llx\n",
		(unsigned long long)r->rbp, (unsigned long long)r->rsp,
		(unsigned long long)r->r8);
	panic("FATAL TRAP: vector = %llu (%s)", (unsigned long long)r->vector,
	      exc_names[r->vector]);
}
