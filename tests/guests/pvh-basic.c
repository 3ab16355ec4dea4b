/* pvh-basic: boots as a PVH dom0 and checks what the hypervisor hands a
 * PVH guest: start_info, ACPI tables, CPUID leaves, the hypercall page
 * and direct VMMCALL, console_io, xen_version, memory_op, hvm_op, and
 * that bad hypercall arguments get Xen's error codes. */
#include "lib/guest.h"
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/hvm/hvm_op.h>
#include <xen/grant_table.h>
#include <xen/hvm/params.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>

static const void *phys(uint64_t pa)
{
	return (const void *)(uintptr_t)pa; /* identity mapped below 1 GiB */
}

static bool sum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s == 0;
}

static bool has_nul(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void check_start_info(const struct hvm_start_info *si)
{
	guest_check(si->magic == XEN_HVM_START_MAGIC_VALUE, "start_info magic %#x", si->magic);
	guest_check((si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) ==
		    (SIF_PRIVILEGED | SIF_INITDOMAIN), "start_info flags %#x: privileged initial domain",
		    si->flags);
	guest_check(si->cmdline_paddr != 0, "start_info cmdline: '%s'",
		    si->cmdline_paddr ? (const char *)phys(si->cmdline_paddr) : "(none)");
	if (guest_check(si->version >= 1 && si->memmap_entries > 0,
			"start_info version %u with %u memory map entries", si->version,
			si->memmap_entries)) {
		const struct hvm_memmap_table_entry *m = phys(si->memmap_paddr);
		bool covers = false;

		for (unsigned int i = 0; i < si->memmap_entries; i++)
			if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM && m[i].addr <= 0x200000 &&
			    m[i].addr + m[i].size >= 0x400000)
				covers = true;
		guest_check(covers, "memory map has RAM where the kernel was loaded");
	}
	guest_check(si->nr_modules == 0 || si->modlist_paddr != 0, "module list: %u modules",
		    si->nr_modules);
}

static void check_acpi(const struct hvm_start_info *si)
{
	const uint8_t *rsdp = phys(si->rsdp_paddr);
	const uint8_t *xsdt, *fadt = NULL, *madt = NULL;
	uint32_t xlen;

	if (!guest_check(si->rsdp_paddr && !memcmp(rsdp, "RSD PTR ", 8) && sum_ok(rsdp, 20) &&
			 rsdp[15] >= 2 && sum_ok(rsdp, 36), "ACPI RSDP at %#llx valid",
			 (unsigned long long)si->rsdp_paddr))
		return;
	xsdt = phys(get64(rsdp + 24));
	xlen = get32(xsdt + 4);
	if (!guest_check(!memcmp(xsdt, "XSDT", 4) && sum_ok(xsdt, xlen), "ACPI XSDT valid"))
		return;
	for (uint32_t off = 36; off + 8 <= xlen; off += 8) {
		const uint8_t *t = phys(get64(xsdt + off));

		if (!memcmp(t, "FACP", 4))
			fadt = t;
		if (!memcmp(t, "APIC", 4))
			madt = t;
	}
	if (guest_check(fadt && sum_ok(fadt, get32(fadt + 4)), "ACPI FADT present and valid")) {
		const uint8_t *dsdt = phys(get64(fadt + 140));

		guest_check(get32(fadt + 112) & (1U << 20), "FADT is hardware-reduced");
		guest_check(!memcmp(dsdt, "DSDT", 4) && sum_ok(dsdt, get32(dsdt + 4)),
			    "ACPI DSDT valid");
	}
	if (guest_check(madt && sum_ok(madt, get32(madt + 4)), "ACPI MADT present and valid")) {
		uint32_t len = get32(madt + 4);
		unsigned int n = 0;
		bool ids_ok = true;

		for (uint32_t off = 44; off + 2 <= len && madt[off + 1]; off += madt[off + 1]) {
			if (madt[off] == 0) {
				ids_ok = ids_ok && madt[off + 2] == n && madt[off + 3] == 2 * n;
				n++;
			}
		}
		guest_check(n >= 1 && ids_ok, "MADT lists %u LAPIC(s), UID i and APIC id 2i", n);
	}
}

static void check_cpuid(void)
{
	uint32_t r[4];

	cpuid(XEN_CPUID_FIRST_LEAF, 0, r);
	guest_check(r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX, "CPUID 0x40000000 signature XenVMMXenVMM");
	guest_check(r[0] >= XEN_CPUID_LEAF(4), "CPUID 0x40000000 max leaf %#x", r[0]);
	cpuid(XEN_CPUID_LEAF(1), 0, r);
	guest_check(r[0] == 0x00040011, "CPUID 0x40000001 version %#x (4.17)", r[0]);
	cpuid(XEN_CPUID_LEAF(2), 0, r);
	guest_check(r[0] == 1 && r[1] == XEN_HYPERCALL_PAGE_MSR,
		    "CPUID 0x40000002: %u hypercall page(s), MSR %#x", r[0], r[1]);
	cpuid(XEN_CPUID_LEAF(4), 0, r);
	guest_check((r[0] & XEN_HVM_CPUID_VCPU_ID_PRESENT) && (r[0] & XEN_HVM_CPUID_DOMID_PRESENT) &&
		    r[1] == 0 && r[2] == 0, "CPUID 0x40000004: flags %#x vcpu %u domid %u",
		    r[0], r[1], r[2]);
	cpuid(1, 0, r);
	guest_check(r[2] & (1U << 31), "CPUID 1: hypervisor bit set");
	guest_check((r[1] >> 24) == 0, "CPUID 1: initial APIC id %u for vCPU0", r[1] >> 24);
	cpuid(0x80000001, 0, r);
	guest_check(!(r[2] & (1U << 2)), "CPUID 0x80000001: SVM hidden from the guest");
}

static void check_hypercall_page(void)
{
	static const uint8_t slot17[] = { 0xB8, 17, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3 };
	long rc;

	memset(hypercall_page, 0, sizeof(hypercall_page));
	wrmsr(XEN_HYPERCALL_PAGE_MSR, (uint64_t)(uintptr_t)hypercall_page);
	guest_check(!memcmp(hypercall_page + 32 * 17, slot17, sizeof(slot17)),
		    "hypercall page slot 17 is mov $17,%%eax; vmmcall; ret");
	guest_check(hypercall_page[32 * 23] == 0x0F && hypercall_page[32 * 23 + 1] == 0x0B,
		    "hypercall page slot 23 (iret) is ud2");
	rc = hypercall3_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	guest_check(rc == 0x00040011, "xen_version through the hypercall page: %#lx", rc);
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	guest_check(rc == 0x00040011, "xen_version through direct VMMCALL: %#lx", rc);
}

static void check_xen_version(void)
{
	char extra[16], caps[1024];
	struct xen_feature_info fi = { 0, 0 };
	long rc;

	memset(extra, 0x55, sizeof(extra));
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_extraversion, (unsigned long)extra, 0);
	guest_check(rc == 0 && has_nul(extra, sizeof(extra)), "XENVER_extraversion '%s'",
		    rc == 0 ? extra : "?");
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_capabilities, (unsigned long)caps, 0);
	guest_check(rc == 0 && contains(caps, "hvm-3.0-x86_64"), "XENVER_capabilities '%s'",
		    rc == 0 ? caps : "?");
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, (unsigned long)&fi, 0);
	guest_check(rc == 0 && (fi.submap & (1U << XENFEAT_auto_translated_physmap)) &&
		    (fi.submap & (1U << XENFEAT_dom0)) &&
		    (fi.submap & (1U << XENFEAT_hvm_callback_vector)),
		    "XENVER_get_features submap 0 = %#x", fi.submap);
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
	guest_check(rc == 4096, "XENVER_pagesize = %ld", rc);
}

static void check_console(void)
{
	static const char msg[] = "console_io write from the guest\n";
	long rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
			     (unsigned long)msg);

	guest_check(rc == 0, "console_io CONSOLEIO_write returned %ld", rc);
}

static void check_bad_arguments(void)
{
	struct xen_feature_info fi = { 1, 0 };
	long rc;

	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_extraversion, 0x7FFF00000000UL, 0);
	guest_check(rc == -XEN_EFAULT, "xen_version with an unmapped buffer: %ld (-EFAULT)", rc);
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_extraversion, 0x8000000000000000UL, 0);
	guest_check(rc == -XEN_EFAULT, "xen_version with a non-canonical buffer: %ld (-EFAULT)", rc);
	rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 64, 0x100000000000UL);
	guest_check(rc == -XEN_EFAULT, "console_io from an unmapped address: %ld (-EFAULT)", rc);
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, (unsigned long)&fi, 0);
	guest_check(rc == -XEN_EINVAL, "XENVER_get_features submap 1: %ld (-EINVAL)", rc);
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_pagesize, (unsigned long)&fi, 0);
	guest_check(rc == -XEN_EINVAL, "XENVER_pagesize with an argument: %ld (-EINVAL)", rc);
	rc = hypercall3(__HYPERVISOR_console_io, 7, 0, 0);
	guest_check(rc == -XEN_ENOSYS, "console_io unknown command: %ld (-ENOSYS)", rc);
	rc = hypercall3(__HYPERVISOR_xen_version, 99, 0, 0);
	guest_check(rc == -XEN_ENOSYS, "xen_version unknown command: %ld (-ENOSYS)", rc);
	rc = hypercall3(63, 0, 0, 0);
	guest_check(rc == -XEN_ENOSYS, "hypercall number 63: %ld (-ENOSYS)", rc);
	rc = hypercall3(__HYPERVISOR_set_trap_table, 0, 0, 0);
	guest_check(rc == -XEN_ENOSYS, "PV-only set_trap_table: %ld (-ENOSYS)", rc);
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_machine_memory_map, (unsigned long)&fi, 0);
	guest_check(rc == -XEN_ENOSYS, "machine_memory_map from PVH: %ld (-ENOSYS)", rc);
}

static void check_memory(const struct hvm_start_info *si)
{
	struct xen_e820_entry map[16];
	struct xen_memory_map mm = { 16, map };
	struct xen_add_to_physmap xatp;
	struct shared_info *sh = (struct shared_info *)spare_page;
	long rc;

	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_memory_map, (unsigned long)&mm, 0);
	if (guest_check(rc == 0 && mm.nr_entries == si->memmap_entries,
			"XENMEM_memory_map: rc %ld, %u entries", rc, mm.nr_entries)) {
		const struct hvm_memmap_table_entry *m = phys(si->memmap_paddr);
		bool same = true;

		for (unsigned int i = 0; i < mm.nr_entries; i++)
			same = same && map[i].addr == m[i].addr && map[i].size == m[i].size &&
			       map[i].type == m[i].type;
		guest_check(same, "XENMEM_memory_map matches the start_info memory map");
	}
	memset(spare_page, 0xA5, sizeof(spare_page));
	xatp = (struct xen_add_to_physmap){ DOMID_SELF, 0, XENMAPSPACE_shared_info, 0,
					    (uintptr_t)spare_page >> 12 };
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	guest_check(rc == 0 && sh->evtchn_mask[0] == 0 && spare_page[4095] == 0,
		    "add_to_physmap(shared_info) maps the shared page: rc %ld", rc);
	guest_check(!(sh->wc_version & 1) && sh->wc_sec > 1577836800U,
		    "shared_info wallclock: %u s (version %u)", sh->wc_sec, sh->wc_version);
	xatp.idx = 1;
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	guest_check(rc == -XEN_EINVAL, "add_to_physmap(shared_info, idx 1): %ld (-EINVAL)", rc);
}

static void check_hvm_op(void)
{
	struct xen_hvm_param p = { DOMID_SELF, 0, HVM_PARAM_CALLBACK_IRQ, 1 };
	long rc;

	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
	guest_check(rc == 0, "HVMOP_set_param CALLBACK_IRQ=1: %ld", rc);
	p.value = 0;
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&p, 0);
	guest_check(rc == 0 && p.value == 1, "HVMOP_get_param CALLBACK_IRQ = %llu",
		    (unsigned long long)p.value);
	p.index = HVM_PARAM_STORE_PFN;
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_set_param, (unsigned long)&p, 0);
	guest_check(rc == -XEN_EPERM, "HVMOP_set_param STORE_PFN on itself: %ld (-EPERM)", rc);
	p.index = HVM_NR_PARAMS;
	rc = hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&p, 0);
	guest_check(rc == -XEN_EINVAL, "HVMOP_get_param out of range: %ld (-EINVAL)", rc);
	rc = hypercall3(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
			VMASST_TYPE_runstate_update_flag, 0);
	guest_check(rc == 0, "vm_assist(enable, runstate_update_flag): %ld", rc);
}

static void check_grant_table(void)
{
	struct gnttab_query_size q = { DOMID_SELF, 0, 0, 0 };
	struct gnttab_set_version sv = { 1 };
	struct gnttab_get_version gv = { DOMID_SELF, 0, 0 };
	struct xen_add_to_physmap xatp = { DOMID_SELF, 0, XENMAPSPACE_grant_table, 0,
					   (uintptr_t)scratch_page >> 12 };
	struct grant_entry_v1 *gt = (struct grant_entry_v1 *)(void *)scratch_page;
	xen_pfn_t frames[2] = { 0, 0 };
	struct gnttab_setup_table st = { DOMID_SELF, 1, 0, frames };
	long rc;

	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, (unsigned long)&q, 1);
	guest_check(rc == 0 && q.status == GNTST_okay && q.max_nr_frames == 64,
		    "GNTTABOP_query_size: %u of %u frames", q.nr_frames, q.max_nr_frames);
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, (unsigned long)&sv, 1);
	guest_check(rc == 0 && sv.version == 1, "GNTTABOP_set_version(1): %ld", rc);
	sv.version = 2;
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_set_version, (unsigned long)&sv, 1);
	guest_check(rc == -XEN_EINVAL && sv.version == 1, "set_version(2) refused: %ld", rc);
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_get_version, (unsigned long)&gv, 1);
	guest_check(rc == 0 && gv.version == 1, "GNTTABOP_get_version = %u", gv.version);
	memset(scratch_page, 0x5A, 4096);
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	guest_check(rc == 0 && gt[0].flags == 0 && gt[511].frame == 0,
		    "add_to_physmap(grant_table, 0) maps a zeroed table frame: %ld", rc);
	gt[8] = (struct grant_entry_v1){ GTF_permit_access, 0, 0x1234 };
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, (unsigned long)&q, 1);
	guest_check(rc == 0 && q.nr_frames == 1, "table now has %u frame", q.nr_frames);
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (unsigned long)&st, 1);
	guest_check(rc == 0 && st.status == GNTST_okay &&
		    frames[0] == (uintptr_t)scratch_page >> 12,
		    "GNTTABOP_setup_table reports frame 0 at GFN %#llx", (unsigned long long)frames[0]);
	xatp.idx = 64;
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp, 0);
	guest_check(rc == -XEN_EINVAL, "grant frame 64 (beyond max) refused: %ld", rc);
	rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, (unsigned long)&q, 2);
	guest_check(rc == -XEN_EINVAL, "query_size with count 2: %ld (-EINVAL)", rc);
}

void guest_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = phys(start_info_pa);

	guest_printf("pvh-basic: PVH test guest, start_info at %#x\n", start_info_pa);
	check_start_info(si);
	check_acpi(si);
	check_cpuid();
	check_console();
	check_hypercall_page();
	check_xen_version();
	check_bad_arguments();
	check_memory(si);
	check_hvm_op();
	check_grant_table();
	guest_finish();
}
