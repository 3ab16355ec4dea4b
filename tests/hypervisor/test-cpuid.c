/* Guest CPUID policy and the hypercall page contents. */
#include "check.h"
#include "common/cpuid.c"
#include "common/hypercall_page.c"

static void fake_host(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	(void)sub;
	out[0] = leaf;
	out[1] = 0xFFFFFFFF;
	out[2] = 0xFFFFFFFF;
	out[3] = 0xFFFFFFFF;
}

int main(void)
{
	struct cpuid_ctx c = { fake_host, 3, 7, 4 };
	uint32_t r[4];
	static uint8_t page[4096];

	cpuid_guest(&c, 0x40000000, 0, r);
	CHECK(r[0] == 0x40000005 && !memcmp(&r[1], "XenV", 4) && !memcmp(&r[2], "MMXe", 4) &&
	      !memcmp(&r[3], "nVMM", 4), "leaf 0x40000000: XenVMMXenVMM, max 0x40000005");
	cpuid_guest(&c, 0x40000001, 0, r);
	CHECK(r[0] == 0x00040011, "leaf 0x40000001: 4.17");
	cpuid_guest(&c, 0x40000002, 0, r);
	CHECK(r[0] == 1 && r[1] == 0x40000000 && r[2] == 0, "leaf 0x40000002: one page, MSR");
	cpuid_guest(&c, 0x40000004, 0, r);
	CHECK(r[0] == 0x5C && r[1] == 3 && r[2] == 7, "leaf 0x40000004: flags 0x5c, vcpu, domid");
	cpuid_guest(&c, 0x40000100, 0, r);
	CHECK(!r[0] && !r[1] && !r[2] && !r[3], "no Viridian/second base for PVH");
	cpuid_guest(&c, 1, 0, r);
	CHECK((r[2] & (1U << 31)) && !(r[2] & (1U << 5)) && !(r[2] & (1U << 3)),
	      "leaf 1: hypervisor bit, no VMX, no MONITOR");
	CHECK((r[1] >> 24) == 6, "leaf 1: initial APIC id 2 x vcpu");
	CHECK((r[2] & (1U << 21)) && !(r[2] & (1U << 24)), "leaf 1: x2APIC offered, TSC-deadline not");
	CHECK(!(r[3] & (1U << 7)) && !(r[3] & (1U << 14)), "leaf 1: no MCE/MCA");
	CHECK(!(r[2] & (7U << 26)), "leaf 1: no XSAVE/OSXSAVE/AVX (FPU switched with FXSAVE)");
	cpuid_guest(&c, 0x80000001, 0, r);
	CHECK(!(r[2] & 4), "leaf 0x80000001: SVM hidden");
	cpuid_guest(&c, 0x8000000A, 0, r);
	CHECK(!r[0] && !r[1] && !r[2] && !r[3], "leaf 0x8000000A: zero");
	cpuid_guest(&c, 7, 0, r);
	CHECK(r[0] == 7 && r[1] == 0xFFFFFFFF, "other leaves pass through");

	hypercall_page_fill(page);
	CHECK(page[0] == 0xB8 && page[1] == 0 && page[5] == 0x0F && page[6] == 0x01 &&
	      page[7] == 0xD9 && page[8] == 0xC3, "slot 0: mov $0,%%eax; vmmcall; ret");
	CHECK(page[32 * 29] == 0xB8 && page[32 * 29 + 1] == 29, "slot 29 carries its number");
	CHECK(page[32 * 23] == 0x0F && page[32 * 23 + 1] == 0x0B, "slot 23 is ud2");
	CHECK(page[9] == 0xCC && page[4095] == 0xCC, "padding is int3");
	return check_done();
}
