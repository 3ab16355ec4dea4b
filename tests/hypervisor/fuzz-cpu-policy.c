/* libFuzzer target: CPU policy records as set_cpu_policy receives them
 * (leaves and MSRs in Xen's format) applied to a default policy, then
 * CPUID answered from whatever was accepted. */
#include "common/cpuid.c"
#include "common/cpu_policy.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fake_host(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	out[0] = leaf < 0x80000000U ? (leaf == 0 ? 0xD : leaf ^ sub) : (leaf == 0x80000000U ? 0x80000008U : leaf);
	out[1] = 0x68747541;
	out[2] = sub < 2 ? (sub + 1) << 8 : 0;
	out[3] = 0xFFFFFFFF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cpu_policy dflt, p;
	static struct xen_cpuid_leaf l[CPU_POLICY_MAX_LEAVES + 1];
	static struct xen_msr_entry m[CPU_POLICY_MAX_MSRS + 1];
	struct cpuid_ctx c = { fake_host, 1, 3, 2 };
	struct cpu_policy_err err;
	unsigned int nl, nm;
	uint32_t r[4];

	if (size < 2)
		return 0;
	nl = MIN((size_t)data[0] % (CPU_POLICY_MAX_LEAVES + 2), (size - 2) / sizeof(l[0]));
	nm = MIN((size_t)data[1] % (CPU_POLICY_MAX_MSRS + 2),
		 (size - 2 - nl * sizeof(l[0])) / sizeof(m[0]));
	memcpy(l, data + 2, nl * sizeof(l[0]));
	memcpy(m, data + 2 + nl * sizeof(l[0]), nm * sizeof(m[0]));
	cpu_policy_init(&dflt, &c);
	p = dflt;
	if (cpu_policy_apply(&p, &dflt, l, nl, m, nm, &err) == 0)
		for (unsigned int i = 0; i < p.nr; i++)
			cpu_policy_cpuid(&p, &c, p.leaf[i].leaf, p.leaf[i].subleaf, r);
	return 0;
}
