/* AP start-up trampoline.  Copied to TRAMPOLINE_PA (below 1 MiB) and
 * entered in real mode by a SIPI; switches to long mode on the page
 * tables in tramp_cr3 and jumps to ap_entry64 in the hypervisor image. */

#define TRAMPOLINE_PA 0x8000
#define T(x) (TRAMPOLINE_PA + ((x) - trampoline_start))

	.section .rodata
	.code16
	.balign 16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl T(tramp_gdt_desc)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x18, $T(tramp32)

	.code32
tramp32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $0x20, %eax            /* PAE */
	movl %eax, %cr4
	movl T(tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx
	rdmsr
	orl $0x900, %eax           /* LME | NXE */
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax      /* PG | WP | PE */
	movl %eax, %cr0
	ljmp $0x08, $T(tramp64)

	.code64
tramp64:
	movq T(tramp_target), %rax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00af9b000000ffff   /* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff   /* 0x10: data */
	.quad 0x00cf9b000000ffff   /* 0x18: 32-bit code */
tramp_gdt_end:
tramp_gdt_desc:
	.short tramp_gdt_end - tramp_gdt - 1
	.long T(tramp_gdt)
	.balign 8
	.globl tramp_cr3
tramp_cr3:
	.quad 0
	.globl tramp_target
tramp_target:
	.quad 0
	.globl trampoline_end
trampoline_end:

	.text
	.code64
	/* 64-bit, on the hypervisor page tables, no stack yet */
	.globl ap_entry64
ap_entry64:
	lgdt boot_gdt_desc
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	/* take the next CPU number and its stack */
	movl $1, %eax
	lock xaddl %eax, ap_next_cpu
	movl %eax, %edi
	movq %rdi, %rax
	incq %rax
	shlq $14, %rax             /* 16 KiB stacks */
	leaq ap_stacks(%rip), %rsp
	addq %rax, %rsp
	pushq $0                   /* fake return address */
	jmp ap_main
