/* PVH entry for the test guests: the PHYS32_ENTRY note, then our own
 * switch to long mode with a 4 GiB identity map (2 MiB pages). */

	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 8, 18            /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.quad pvh_start
	.balign 4
	.long 4, 14, 6            /* XEN_ELFNOTE_GUEST_OS */
	.asciz "Xen"
	.asciz "xenolith-test"
	.balign 4

	.section .text.entry, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl %ebx, %edi            /* hvm_start_info, kept for guest_main */
	movl $stack_top, %esp

	movl $pdpt, %eax
	orl $3, %eax
	movl %eax, pml4
	/* PDPT[0..3] -> pd[0..3]: identity map the low 4 GiB */
	movl $pd, %eax
	orl $3, %eax
	movl %eax, pdpt
	addl $4096, %eax
	movl %eax, pdpt + 8
	addl $4096, %eax
	movl %eax, pdpt + 16
	addl $4096, %eax
	movl %eax, pdpt + 24
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, pd(,%ecx,8)
	movl $0, pd+4(,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jb 1b

	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax
	movl %eax, %cr0
	lgdt gdt_desc
	ljmp $0x08, $long_entry

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq $stack_top, %rsp
	movl %edi, %edi
	call guest_main
2:	hlt
	jmp 2b

	.section .data
	.balign 16
gdt:
	.quad 0
	.quad 0x00af9b000000ffff
	.quad 0x00cf93000000ffff
gdt_end:
gdt_desc:
	.short gdt_end - gdt - 1
	.quad gdt

	.section .bss
	.balign 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096 * 4
	.globl scratch_page
scratch_page:
	.skip 4096
	.globl hypercall_page
hypercall_page:
	.skip 4096
	.globl spare_page
spare_page:
	.skip 4096
	.skip 16384
stack_top:
