/* Exception/interrupt entry stubs and the SVM world switch. */

	.text
	.code64

/* Every stub leaves: [error code] [vector] then jumps to the common path. */
.macro STUB_NOERR vec
	.balign 16
	pushq $0
	pushq $\vec
	jmp trap_common
.endm
.macro STUB_ERR vec
	.balign 16
	pushq $\vec
	jmp trap_common
.endm

	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	STUB_ERR vec
	.else
	STUB_NOERR vec
	.endif
	.set vec, vec + 1
	.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/* keep the ABI's 16-byte stack alignment for the C handler */
	movq %rsp, %rbx
	andq $-16, %rsp
	call do_trap
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

/*
 * void svm_vmrun(struct guest_regs *g, uint64_t vmcb_pa, uint64_t host_vmcb_pa)
 * struct guest_regs: rbx rcx rdx rsi rdi rbp r8 .. r15 (rax lives in the VMCB).
 * Called with interrupts off; GIF is cleared around the switch.
 */
#define G_RBX 0
#define G_RCX 8
#define G_RDX 16
#define G_RSI 24
#define G_RDI 32
#define G_RBP 40
#define G_R8 48
#define G_R9 56
#define G_R10 64
#define G_R11 72
#define G_R12 80
#define G_R13 88
#define G_R14 96
#define G_R15 104

	.globl svm_vmrun
svm_vmrun:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi                 /* guest regs */
	pushq %rdx                 /* host save area */
	clgi
	sti                        /* host IF=1: physical interrupts exit the guest (held by GIF=0 here) */
	movq %rsi, %rax
	movq G_RBX(%rdi), %rbx
	movq G_RCX(%rdi), %rcx
	movq G_RDX(%rdi), %rdx
	movq G_RSI(%rdi), %rsi
	movq G_RBP(%rdi), %rbp
	movq G_R8(%rdi), %r8
	movq G_R9(%rdi), %r9
	movq G_R10(%rdi), %r10
	movq G_R11(%rdi), %r11
	movq G_R12(%rdi), %r12
	movq G_R13(%rdi), %r13
	movq G_R14(%rdi), %r14
	movq G_R15(%rdi), %r15
	movq G_RDI(%rdi), %rdi
	vmload %rax
	vmrun %rax
	.globl svm_vmrun_resume
svm_vmrun_resume:
	vmsave %rax
	pushq %rdi                 /* guest rdi */
	movq 16(%rsp), %rdi        /* guest regs */
	movq %rbx, G_RBX(%rdi)
	movq %rcx, G_RCX(%rdi)
	movq %rdx, G_RDX(%rdi)
	movq %rsi, G_RSI(%rdi)
	movq %rbp, G_RBP(%rdi)
	movq %r8, G_R8(%rdi)
	movq %r9, G_R9(%rdi)
	movq %r10, G_R10(%rdi)
	movq %r11, G_R11(%rdi)
	movq %r12, G_R12(%rdi)
	movq %r13, G_R13(%rdi)
	movq %r14, G_R14(%rdi)
	movq %r15, G_R15(%rdi)
	popq %rax
	movq %rax, G_RDI(%rdi)
	popq %rax                  /* host save area */
	vmload %rax
	cli
	stgi
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
