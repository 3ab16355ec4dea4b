/* xg_cpuid_adjust: the CPUID changes libxl makes to a new HVM/PVH
 * domain's policy, checked on AMD-like and Intel-like leaf sets. */
#include <stdbool.h>
#include <string.h>
#include <xen/domctl.h>
#include <xenguest.h>
#include "check.h"

#define NS XEN_CPUID_NO_SUBLEAF

static struct xen_cpuid_leaf *get(struct xen_cpuid_leaf *l, unsigned int n, uint32_t leaf,
				  uint32_t sub)
{
	for (unsigned int i = 0; i < n; i++)
		if (l[i].leaf == leaf && l[i].subleaf == sub)
			return &l[i];
	return NULL;
}

static void amd(void)
{
	struct xen_cpuid_leaf l[] = {
		{ 0, NS, 0xd, 0x68747541, 0x444d4163, 0x69746e65 },
		{ 1, NS, 0x663, 0x00010800, 0x80002001 | (1u << 5), 0x078bfbfd & ~(1u << 28) },
		{ 0x80000001, NS, 0, 0, (1u << 1) | (1u << 2) | 1, 0 },
		{ 0x80000007, NS, 0, 0, 0, 1u << 8 },
		{ 0x80000008, NS, 0x3030, 0, 0x1001, 0 },
	};
	unsigned int n = sizeof(l) / sizeof(l[0]);

	CHECK(xg_cpuid_adjust(l, n, true, false, false) == 0, "AMD policy adjusted");
	CHECK(get(l, n, 1, NS)->d & (1u << 28), "HTT set");
	CHECK(((get(l, n, 1, NS)->b >> 16) & 0xff) == 2, "logical processors per package 1 -> 2");
	CHECK((get(l, n, 1, NS)->b & 0xffff) == 0x0800, "rest of leaf 1 EBX kept");
	CHECK(!(get(l, n, 1, NS)->c & (1u << 5)), "VMX hidden without nested_virt");
	CHECK(get(l, n, 1, NS)->d & (1u << 6), "PAE set");
	CHECK(!(get(l, n, 0x80000001, NS)->c & (1u << 1)), "CMP_LEGACY cleared");
	CHECK(!(get(l, n, 0x80000001, NS)->c & (1u << 2)), "SVM hidden without nested_virt");
	CHECK(get(l, n, 0x80000001, NS)->c & 1, "other 0x80000001 ECX bits kept");
	CHECK(!(get(l, n, 0x80000007, NS)->d & (1u << 8)), "invariant TSC cleared (itsc off)");
	CHECK((get(l, n, 0x80000008, NS)->c & 0xff) == 3, "NumberOfCores-1: 1 -> 3 (%#x)",
	      get(l, n, 0x80000008, NS)->c);
	CHECK(((get(l, n, 0x80000008, NS)->c >> 12) & 0xf) == 2, "ApicIdCoreSize 1 -> 2");

	l[4].c = 0x0001;	/* ApicIdCoreSize 0 keeps its legacy meaning */
	l[1].b = 0x00800000;	/* lppp at its limit */
	CHECK(xg_cpuid_adjust(l, n, true, true, true) == 0, "adjusted again, itsc and nested");
	CHECK(((l[4].c >> 12) & 0xf) == 0 && (l[4].c & 0xff) == 3, "size 0 stays 0");
	CHECK(((l[1].b >> 16) & 0xff) == 0x80, "lppp 0x80 is not doubled");
	CHECK(l[3].d & (1u << 8), "invariant TSC set with itsc");
	CHECK((l[2].c & (1u << 2)) && (l[1].c & (1u << 5)), "SVM and VMX shown with nested_virt");
}

static void intel(void)
{
	struct xen_cpuid_leaf l[] = {
		{ 0, NS, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 },
		{ 1, NS, 0x306a9, 0, 0, 0 },
		{ 4, 0, (3u << 26) | (1u << 14) | 0x121, 0, 0, 0 },
		{ 4, 1, (3u << 26) | (1u << 14) | 0x122, 0, 0, 0 },
		{ 4, 2, 0, 0, 0, 0 },
	};
	unsigned int n = sizeof(l) / sizeof(l[0]);

	CHECK(xg_cpuid_adjust(l, n, true, false, false) == 0, "Intel policy adjusted");
	CHECK(((l[1].b >> 16) & 0xff) == 2, "lppp 0 -> 2");
	CHECK((l[2].a >> 26) == 7 && (l[3].a >> 26) == 7, "cores per package 3 -> 7");
	CHECK(((l[2].a >> 14) & 0xfff) == 0 && ((l[3].a >> 14) & 0xfff) == 0,
	      "threads per cache 0");
	CHECK((l[2].a & 0x3fff) == 0x121, "cache type and level kept");
	CHECK(l[4].a == 0, "the terminating subleaf untouched");
}

int main(void)
{
	struct xen_cpuid_leaf none[] = { { 2, NS, 0, 0, 0, 0 } };

	amd();
	intel();
	CHECK(xg_cpuid_adjust(none, 1, true, false, false) < 0, "a policy without leaves 0/1 refused");
	return check_done();
}
