/* Guest virtual address access for hypercall arguments: walk the guest's
 * own page tables (in guest-physical memory, through the p2m) in whatever
 * paging mode the vCPU is in.  Nothing a guest passes is trusted. */
#include <xenolith/domain.h>
#include <xenolith/mm.h>
#include <xenolith/svm.h>
#include <xenolith/x86.h>
#include <xenolith/pagetable.h>
#include <xen/errno.h>

#define CR4_PSE (1UL << 4)
#define CR4_PAE (1UL << 5)

static int read_pte(struct domain *d, uint64_t gpa, uint64_t *pte, size_t size)
{
	*pte = 0;
	return copy_from_guest_phys(d, pte, gpa, size);
}

/* Translate gva for a supervisor access; write=true requires writability
 * (honouring CR0.WP).  Returns the GPA or ~0. */
static uint64_t gva_to_gpa(struct vcpu *v, uint64_t gva, bool write)
{
	void *vmcb = v->vmcb;
	uint64_t cr0 = VMCB64(vmcb, VMCB_CR0), cr3 = VMCB64(vmcb, VMCB_CR3);
	uint64_t cr4 = VMCB64(vmcb, VMCB_CR4), efer = VMCB64(vmcb, VMCB_EFER);
	bool wp = cr0 & CR0_WP, rw = true;
	uint64_t pte, table;
	int levels;

	if (!(cr0 & CR0_PG))
		return gva & 0xFFFFFFFFULL;
	if (efer & EFER_LMA) {
		/* canonical check */
		if ((uint64_t)((int64_t)(gva << 16) >> 16) != gva)
			return ~0ULL;
		levels = 4;
		table = cr3 & PTE_ADDR_MASK;
	} else if (cr4 & CR4_PAE) {
		gva &= 0xFFFFFFFFULL;
		if (read_pte(v->d, (cr3 & 0xFFFFFFE0ULL) + ((gva >> 30) & 3) * 8, &pte, 8) ||
		    !(pte & PTE_P))
			return ~0ULL;
		table = pte & PTE_ADDR_MASK;
		levels = 2;
	} else {
		/* 2-level, 4-byte entries */
		uint64_t pde;

		gva &= 0xFFFFFFFFULL;
		if (read_pte(v->d, (cr3 & 0xFFFFF000ULL) + ((gva >> 22) & 1023) * 4, &pde, 4) ||
		    !(pde & PTE_P))
			return ~0ULL;
		rw = pde & PTE_RW;
		if ((pde & PTE_PS) && (cr4 & CR4_PSE)) {
			if (write && !rw && wp)
				return ~0ULL;
			return (pde & 0xFFC00000ULL) | (gva & 0x3FFFFF);
		}
		if (read_pte(v->d, (pde & 0xFFFFF000ULL) + ((gva >> 12) & 1023) * 4, &pte, 4) ||
		    !(pte & PTE_P))
			return ~0ULL;
		rw = rw && (pte & PTE_RW);
		if (write && !rw && wp)
			return ~0ULL;
		return (pte & 0xFFFFF000ULL) | (gva & 0xFFF);
	}
	for (int l = levels; l >= 1; l--) {
		unsigned int shift = 12 + 9 * (unsigned int)(l - 1);

		if (read_pte(v->d, table + ((gva >> shift) & 511) * 8, &pte, 8) ||
		    !(pte & PTE_P))
			return ~0ULL;
		rw = rw && (pte & PTE_RW);
		if (l > 1 && (pte & PTE_PS)) {
			uint64_t mask = (1ULL << shift) - 1;

			if (l > 3 || (write && !rw && wp))
				return ~0ULL;
			return ((pte & PTE_ADDR_MASK) & ~mask) | (gva & mask);
		}
		table = pte & PTE_ADDR_MASK;
	}
	if (write && !rw && wp)
		return ~0ULL;
	return table | (gva & 0xFFF);
}

static int virt_access(struct vcpu *v, uint64_t gva, void *buf, size_t len, bool write)
{
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		uint64_t gpa = gva_to_gpa(v, gva, write);
		int rc;

		if (gpa == ~0ULL)
			return -XEN_EFAULT;
		rc = write ? copy_to_guest_phys(v->d, gpa, buf, chunk)
			   : copy_from_guest_phys(v->d, buf, gpa, chunk);
		if (rc)
			return -XEN_EFAULT;
		buf = (uint8_t *)buf + chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	return virt_access(v, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
	return virt_access(v, gva, (void *)(uintptr_t)src, len, true);
}

int guest_code_refresh(struct vcpu *v, uint64_t gva)
{
	uint64_t gpa = gva_to_gpa(v, gva, false), mfn;
	enum p2m_type t;

	if (gpa == ~0ULL)
		return -XEN_EFAULT;
	mfn = p2m_lookup(v->d, gpa >> PAGE_SHIFT, &t);
	if (mfn == INVALID_PFN || t != P2M_RAM)
		return -XEN_EFAULT;
	/* a locked OR of 0: a store to the page, whatever other vCPUs are
	 * writing to the same byte meanwhile */
	__atomic_fetch_or((uint8_t *)mm_page_virt(mfn) + (gpa & (PAGE_SIZE - 1)), 0,
			  __ATOMIC_SEQ_CST);
	return 0;
}
