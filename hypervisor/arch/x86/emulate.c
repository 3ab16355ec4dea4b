/* Just enough instruction decoding to emulate guest accesses to MMIO that
 * has no memory behind it (nested page faults): MOV loads and stores,
 * MOVZX loads.  The local APIC page goes to the virtual APIC; any other
 * unbacked address reads as all ones and ignores writes, as Xen does for
 * a PVH guest without a device model. */
#include <xenolith/domain.h>
#include <xenolith/svm.h>
#include <xenolith/printk.h>
#include <xenolith/x86.h>

#define APIC_MMIO_BASE 0xFEE00000ULL

int vlapic_mmio(struct vcpu *v, uint32_t offset, uint32_t *val, bool write);
int mmio_emulate(struct vcpu *v, uint64_t gpa);

static uint64_t *gpr(struct vcpu *v, unsigned int n)
{
	switch (n) {
	case 0: return (uint64_t *)((uint8_t *)v->vmcb + VMCB_RAX);
	case 1: return &v->regs.rcx;
	case 2: return &v->regs.rdx;
	case 3: return &v->regs.rbx;
	case 4: return (uint64_t *)((uint8_t *)v->vmcb + VMCB_RSP);
	case 5: return &v->regs.rbp;
	case 6: return &v->regs.rsi;
	case 7: return &v->regs.rdi;
	case 8: return &v->regs.r8;
	case 9: return &v->regs.r9;
	case 10: return &v->regs.r10;
	case 11: return &v->regs.r11;
	case 12: return &v->regs.r12;
	case 13: return &v->regs.r13;
	case 14: return &v->regs.r14;
	default: return &v->regs.r15;
	}
}

static int mmio_access(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val,
		       bool write)
{
	if (gpa >= APIC_MMIO_BASE && gpa < APIC_MMIO_BASE + 0x1000) {
		uint32_t v32 = (uint32_t)*val;

		if ((gpa & 0xF) || size != 4) {
			if (!write)
				*val = 0;
			return 0; /* unaligned/partial APIC access: ignored */
		}
		if (vlapic_mmio(v, (uint32_t)(gpa - APIC_MMIO_BASE), &v32, write) && !write)
			v32 = 0;
		if (!write)
			*val = v32;
		return 0;
	}
	if (!write)
		*val = ~0ULL;
	return 0;
}

int mmio_emulate(struct vcpu *v, uint64_t gpa)
{
	void *vmcb = v->vmcb;
	uint8_t insn[16];
	unsigned int i = 0, size = 4, rex = 0, op, modrm, mod, reg, rm;
	bool opsize16 = false, write, zext = false, imm = false;
	uint64_t rip = VMCB64(vmcb, VMCB_RIP);
	uint64_t val = 0;
	bool long_mode = (VMCB64(vmcb, VMCB_EFER) & EFER_LMA) &&
			 (VMCB16(vmcb, VMCB_CS + SEG_ATTR) & (1U << 9));

	if (!long_mode)
		rip += VMCB64(vmcb, VMCB_CS + SEG_BASE);
	memset(insn, 0, sizeof(insn));
	if (copy_from_guest(v, insn, rip, 15))
		return -1;
	for (;; i++) {
		if (insn[i] == 0x66)
			opsize16 = true;
		else if (insn[i] == 0x2E || insn[i] == 0x3E || insn[i] == 0x26 ||
			 insn[i] == 0x36 || insn[i] == 0x64 || insn[i] == 0x65)
			continue; /* segment overrides: flat segments */
		else
			break;
		if (i > 4)
			return -1;
	}
	if (long_mode && (insn[i] & 0xF0) == 0x40)
		rex = insn[i++];
	op = insn[i++];
	if (op == 0x0F) {
		op = 0x0F00 | insn[i++];
		if (op != 0x0FB6 && op != 0x0FB7)
			return -1;
		zext = true;
	}
	switch (op) {
	case 0x8B: write = false; break;
	case 0x89: write = true; break;
	case 0x8A: write = false; size = 1; break;
	case 0x88: write = true; size = 1; break;
	case 0xC7: write = true; imm = true; break;
	case 0xC6: write = true; imm = true; size = 1; break;
	case 0x0FB6: write = false; break;
	case 0x0FB7: write = false; break;
	default: return -1;
	}
	if (size != 1) {
		if (rex & 8)
			size = 8;
		else if (opsize16)
			size = 2;
	}
	modrm = insn[i++];
	mod = modrm >> 6;
	reg = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
	rm = modrm & 7;
	if (mod == 3)
		return -1;
	if (rm == 4) {
		uint8_t sib = insn[i++];

		if (mod == 0 && (sib & 7) == 5)
			i += 4;
	} else if (mod == 0 && rm == 5) {
		i += 4; /* RIP-relative / disp32 */
	}
	if (mod == 1)
		i += 1;
	else if (mod == 2)
		i += 4;
	if (imm && ((modrm >> 3) & 7) != 0)
		return -1;
	if (write) {
		if (imm) {
			uint32_t imm32 = 0;

			memcpy(&imm32, insn + i, size == 1 ? 1 : size == 2 ? 2 : 4);
			i += size == 1 ? 1 : size == 2 ? 2 : 4;
			val = size == 8 ? (uint64_t)(int64_t)(int32_t)imm32 : imm32;
		} else {
			val = *gpr(v, reg);
			if (size == 1 && !rex && reg >= 4 && reg < 8)
				val = *gpr(v, reg - 4) >> 8; /* AH..BH */
		}
		if (size < 8)
			val &= (1ULL << (8 * size)) - 1;
		mmio_access(v, gpa, op == 0x0FB6 ? 1 : op == 0x0FB7 ? 2 : size, &val, true);
	} else {
		unsigned int asize = op == 0x0FB6 ? 1 : op == 0x0FB7 ? 2 : size;
		uint64_t *r = gpr(v, reg);

		mmio_access(v, gpa, asize, &val, false);
		if (asize < 8)
			val &= (1ULL << (8 * asize)) - 1;
		if (zext || size == 4 || size == 8)
			*r = val; /* 32-bit writes zero-extend */
		else if (size == 2)
			*r = (*r & ~0xFFFFULL) | val;
		else if (!rex && reg >= 4 && reg < 8)
			*gpr(v, reg - 4) = (*gpr(v, reg - 4) & ~0xFF00ULL) | (val << 8);
		else
			*r = (*r & ~0xFFULL) | val;
	}
	if (i > 15)
		return -1;
	VMCB64(vmcb, VMCB_RIP) += i;
	VMCB64(vmcb, VMCB_INT_STATE) &= ~1ULL;
	return 0;
}
