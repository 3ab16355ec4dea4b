/* Multiboot1/Multiboot2 entry: 32-bit protected mode, paging off.
 * Builds an identity map of the low 4 GiB with 2 MiB pages, enters long
 * mode and calls start_xen(magic, info_pa) on the boot stack. */

#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS 0x00000003 /* page-align modules, want memory info */
#define MB2_MAGIC 0xE85250D6

#define BOOT_STACK_SIZE 16384

	.section .multiboot, "a"
	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0 /* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* information request: cmdline, modules, mmap, ACPI */
	.balign 8
mb2_info_req:
	.short 1, 0
	.long mb2_info_req_end - mb2_info_req
	.long 1, 3, 6
mb2_info_req_end:
	.balign 8
	/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %edi            /* loader magic */
	movl %ebx, %esi            /* info structure */
	movl $boot_stack_top, %esp

	/* clear .bss (the stack lives there too: keep magic in ebp) */
	movl %edi, %ebp
	movl $_bss_start, %edi
	movl $_bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl %ebp, %edi

	/* long mode available? */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories */
	movl $boot_pdpt, %eax
	orl $0x3, %eax
	movl %eax, boot_pml4
	movl $boot_pd, %eax
	orl $0x3, %eax
	movl %eax, boot_pdpt
	addl $4096, %eax
	movl %eax, boot_pdpt + 8
	addl $4096, %eax
	movl %eax, boot_pdpt + 16
	addl $4096, %eax
	movl %eax, boot_pdpt + 24
	/* 2048 x 2 MiB: present, writable, PS; the top GiB (MMIO) uncached */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	cmpl $1536, %ecx
	jb 2f
	orl $0x18, %eax            /* PCD|PWT */
2:	movl %eax, boot_pd(,%ecx,8)
	movl $0, boot_pd+4(,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jb 1b

	movl %cr4, %eax
	orl $0x20, %eax            /* PAE */
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx     /* EFER: LME | NXE */
	rdmsr
	orl $0x900, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax      /* PG | WP | PE */
	movl %eax, %cr0

	lgdt boot_gdt_desc
	ljmp $0x08, $long_mode_entry

no_long_mode:
	/* say so on COM1 at whatever speed firmware left it */
	movl $no_lm_msg, %esi
3:	lodsb
	testb %al, %al
	jz 5f
	movb %al, %bl
	movw $0x3FD, %dx
4:	inb %dx, %al
	testb $0x20, %al
	jz 4b
	movw $0x3F8, %dx
	movb %bl, %al
	outb %al, %dx
	jmp 3b
5:	hlt
	jmp 5b

	.code64
long_mode_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	/* rdi = magic, rsi = info (zero-extended by the 32-bit moves) */
	movl %edi, %edi
	movl %esi, %esi
	call start_xen
6:	hlt
	jmp 6b

	.section .rodata
no_lm_msg:
	.asciz "Xenolith: this CPU has no long mode (x86-64); cannot boot.\r\n"

	.section .data
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff   /* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff   /* 0x10: data */
	.quad 0x00cf9b000000ffff   /* 0x18: 32-bit code */
	.quad 0, 0                 /* 0x20: TSS (filled by traps_init) */
boot_gdt_end:
	.globl boot_gdt_desc
boot_gdt_desc:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4096 * 4
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
