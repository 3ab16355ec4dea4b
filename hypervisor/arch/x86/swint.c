/* Software interrupts (INT3, INTO, INT n) taken through the hypervisor,
 * only where the "CPU" is QEMU's TCG.  Its multi-threaded translator can
 * keep a translation of code another vCPU has just rewritten: Linux's
 * text_poke_bp() puts an INT3 over an instruction, writes the new one
 * and removes the INT3, and a vCPU that translated the page while the
 * INT3 was there goes on executing it.  Linux's INT3 handler sees no
 * INT3 in memory, steps back onto the instruction, and the vCPU loops
 * there for ever with interrupts off (seen as a dom0 hang within
 * minutes of flipping a static key under load).  QEMU checks the INTn
 * intercept before it delivers such an INT3, so the exit lets us look
 * at memory: a real INTn is delivered as the guest asked; a stale one
 * is dropped and the code page is stored to, which makes QEMU throw
 * its translations of that page away. */
#include <xenolith/svm.h>
#include <xenolith/domain.h>
#include <xenolith/printk.h>
#include <xenolith/x86.h>

#define STALE_REPORTS 3 /* per vCPU: enough to show it happens */

static bool swint_guard; /* set once on the boot CPU */

static bool cpu_is_qemu(void)
{
	uint32_t brand[12], a, b, c, d;

	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000004)
		return false;
	for (unsigned int i = 0; i < 3; i++)
		cpuid_count(0x80000002 + i, 0, &brand[i * 4], &brand[i * 4 + 1],
			    &brand[i * 4 + 2], &brand[i * 4 + 3]);
	for (unsigned int i = 0; i + 4 <= sizeof(brand); i++)
		if (!memcmp((const char *)brand + i, "QEMU", 4))
			return true;
	return false;
}

void svm_swint_init(void)
{
	swint_guard = cpu_is_qemu();
	if (swint_guard)
		printk("HVM: QEMU CPU: INT n intercepted to catch stale translations of INT3\n");
}

uint32_t svm_swint_intercept(void)
{
	return swint_guard ? INTERCEPT_INTN : 0;
}

/* The vector and length of the INTn at gva, or -1 if there is none. */
static int decode_intn(struct vcpu *v, uint64_t gva, unsigned int *len)
{
	uint8_t insn[15];
	unsigned int n = 0;

	/* legacy and REX prefixes, then the opcode; the bytes are read one
	 * at a time so that an instruction at the end of a mapping still
	 * decodes */
	for (; n < sizeof(insn); n++) {
		if (copy_from_guest(v, &insn[n], gva + n, 1))
			return -1;
		switch (insn[n]) {
		case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
		case 0x66: case 0x67: case 0xF2: case 0xF3:
			continue;
		}
		if ((insn[n] & 0xF0) == 0x40 && (VMCB64(v->vmcb, VMCB_EFER) & EFER_LMA))
			continue;
		break;
	}
	if (n == sizeof(insn))
		return -1;
	switch (insn[n]) {
	case 0xCC:
		*len = n + 1;
		return 3;
	case 0xCE:
		*len = n + 1;
		return 4;
	case 0xCD:
		if (n + 1 >= sizeof(insn) || copy_from_guest(v, &insn[n + 1], gva + n + 1, 1))
			return -1;
		*len = n + 2;
		return insn[n + 1];
	}
	return -1;
}

void svm_handle_swint(struct vcpu *v)
{
	void *vmcb = v->vmcb;
	uint64_t rip = VMCB64(vmcb, VMCB_RIP);
	unsigned int len = 0;
	int vec = decode_intn(v, rip, &len);

	if (vec >= 0) {
		/* delivered as a software interrupt: gate DPL checked, the
		 * return address after the instruction */
		VMCB64(vmcb, VMCB_RIP) = rip + len;
		VMCB64(vmcb, VMCB_INT_STATE) &= ~1ULL;
		VMCB64(vmcb, VMCB_EVENTINJ) = (uint64_t)vec | EVENTINJ_TYPE_SOFT | EVENTINJ_VALID;
		return;
	}
	/* memory holds no INTn there: the translation was stale */
	v->nr_stale_code++;
	if (v->nr_stale_code <= STALE_REPORTS)
		printk("d%uv%u: stale translation of an INT3 at %#llx (%s); code page refreshed\n",
		       v->d->id, v->id, (unsigned long long)rip,
		       guest_code_refresh(v, rip) ? "page not found" : "QEMU TCG");
	else
		guest_code_refresh(v, rip);
}
