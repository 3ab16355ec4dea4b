/* cpuid= policies: the named CPUID/MSR feature bits of Xen 4.17's
 * featureset, the older multi-bit field names, the xend list form, and
 * the JSON shape libxl gives them ({"cpuid": [...], "msr": [...]}). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_internal.h"

enum { REG_EAX = 0, REG_EBX, REG_ECX, REG_EDX };
#define NA XEN_CPUID_INPUT_UNUSED

/* Fields named by xl.cfg(5) outside the featureset, some several bits wide. */
static const struct field {
	const char *name;
	uint32_t leaf, subleaf;
	int reg, bit, length;
} fields[] = {
	{ "maxleaf", 0x0, NA, REG_EAX, 0, 32 },
	{ "stepping", 0x1, NA, REG_EAX, 0, 4 }, { "model", 0x1, NA, REG_EAX, 4, 8 },
	{ "family", 0x1, NA, REG_EAX, 8, 8 },
	{ "brandid", 0x1, NA, REG_EBX, 0, 8 }, { "clflush", 0x1, NA, REG_EBX, 8, 8 },
	{ "proccount", 0x1, NA, REG_EBX, 16, 8 }, { "localapicid", 0x1, NA, REG_EBX, 24, 8 },
	{ "est", 0x1, NA, REG_ECX, 7, 1 }, { "cntxid", 0x1, NA, REG_ECX, 10, 1 },
	{ "cmpxchg16", 0x1, NA, REG_ECX, 13, 1 }, { "sse4_1", 0x1, NA, REG_ECX, 19, 1 },
	{ "sse4.1", 0x1, NA, REG_ECX, 19, 1 }, { "sse4_2", 0x1, NA, REG_ECX, 20, 1 },
	{ "sse4.2", 0x1, NA, REG_ECX, 20, 1 }, { "aes", 0x1, NA, REG_ECX, 25, 1 },
	{ "cmpxchg8", 0x1, NA, REG_EDX, 8, 1 }, { "sysenter", 0x1, NA, REG_EDX, 11, 1 },
	{ "psn", 0x1, NA, REG_EDX, 18, 1 }, { "clfsh", 0x1, NA, REG_EDX, 19, 1 },
	{ "tm", 0x1, NA, REG_EDX, 29, 1 }, { "ia64", 0x1, NA, REG_EDX, 30, 1 },
	{ "pbe", 0x1, NA, REG_EDX, 31, 1 },
	{ "arat", 0x6, NA, REG_EAX, 2, 1 },
	{ "tsc_adjust", 0x7, 0, REG_EBX, 1, 1 }, { "cmt", 0x7, 0, REG_EBX, 12, 1 },
	{ "lahfsahf", 0x80000001, NA, REG_ECX, 0, 1 }, { "cmplegacy", 0x80000001, NA, REG_ECX, 1, 1 },
	{ "altmovcr8", 0x80000001, NA, REG_ECX, 4, 1 }, { "nodeid", 0x80000001, NA, REG_ECX, 19, 1 },
	{ "perfctr_core", 0x80000001, NA, REG_ECX, 23, 1 },
	{ "perfctr_nb", 0x80000001, NA, REG_ECX, 24, 1 },
	{ "procpkg", 0x4, 0, REG_EAX, 26, 6 },
	{ "invtsc", 0x80000007, NA, REG_EDX, 8, 1 },
	{ "ppin", 0x80000008, NA, REG_EBX, 23, 1 }, { "btc-no", 0x80000008, NA, REG_EBX, 29, 1 },
	{ "nc", 0x80000008, NA, REG_ECX, 0, 8 }, { "apicidsize", 0x80000008, NA, REG_ECX, 12, 4 },
	{ "svm_npt", 0x8000000a, NA, REG_EDX, 0, 1 }, { "svm_lbrv", 0x8000000a, NA, REG_EDX, 1, 1 },
	{ "svm_nrips", 0x8000000a, NA, REG_EDX, 3, 1 }, { "svm_tscrate", 0x8000000a, NA, REG_EDX, 4, 1 },
	{ "svm_vmcbclean", 0x8000000a, NA, REG_EDX, 5, 1 },
	{ "svm_decode", 0x8000000a, NA, REG_EDX, 7, 1 },
	{ "svm_pausefilt", 0x8000000a, NA, REG_EDX, 10, 1 },
	{ "lfence+", 0x80000021, NA, REG_EAX, 2, 1 },
	{ "maxhvleaf", 0x40000000, NA, REG_EAX, 0, 8 },
};

/* Where each 32-bit word of the featureset lives (4.17 numbering). */
static const struct word {
	int is_msr;
	uint32_t leaf, subleaf;   /* or MSR index */
	int reg;                  /* for MSRs: REG_EAX low half, REG_EDX high half */
} words[] = {
	{ 0, 0x1, NA, REG_EDX }, { 0, 0x1, NA, REG_ECX }, { 0, 0x80000001, NA, REG_EDX },
	{ 0, 0x80000001, NA, REG_ECX }, { 0, 0xd, 1, REG_EAX }, { 0, 0x7, 0, REG_EBX },
	{ 0, 0x7, 0, REG_ECX }, { 0, 0x80000007, NA, REG_EDX }, { 0, 0x80000008, NA, REG_EBX },
	{ 0, 0x7, 0, REG_EDX }, { 0, 0x7, 1, REG_EAX }, { 0, 0x80000021, NA, REG_EAX },
	{ 0, 0x7, 1, REG_EBX }, { 0, 0x7, 2, REG_EDX }, { 0, 0x7, 1, REG_ECX },
	{ 0, 0x7, 1, REG_EDX }, { 1, 0x10a, 0, REG_EAX }, { 1, 0x10a, 0, REG_EDX },
	{ 0, 0x80000021, NA, REG_ECX },
};

/* Featureset names (lower case, '_' as '-') and their word*32+bit. */
static const struct feature { const char *name; int bit; } features[] = {
{ "3dnow", 95 },{ "3dnowext", 94 },{ "3dnowprefetch", 104 },{ "abm", 101 },
{ "acpi", 22 },{ "adx", 179 },{ "aesni", 57 },{ "amd-ppin", 279 },
{ "amd-ssbd", 280 },{ "amd-stibp", 271 },{ "apic", 9 },{ "arch-caps", 317 },
{ "auto-ibrs", 360 },{ "avx", 60 },{ "avx-vnni", 324 },{ "avx2", 165 },
{ "avx512-4fmaps", 291 },{ "avx512-4vnniw", 290 },{ "avx512-bf16", 325 },{ "avx512-bitalg", 204 },
{ "avx512-fp16", 311 },{ "avx512-ifma", 181 },{ "avx512-vbmi", 193 },{ "avx512-vbmi2", 198 },
{ "avx512-vnni", 203 },{ "avx512-vp2intersect", 296 },{ "avx512-vpopcntdq", 206 },{ "avx512bw", 190 },
{ "avx512cd", 188 },{ "avx512dq", 177 },{ "avx512er", 187 },{ "avx512f", 176 },
{ "avx512pf", 186 },{ "avx512vl", 191 },{ "bhi-ctrl", 420 },{ "bhi-no", 532 },
{ "bmi1", 163 },{ "bmi2", 168 },{ "btc-no", 285 },{ "cet-ibt", 308 },
{ "cet-ss", 199 },{ "cet-sss", 498 },{ "cldemote", 217 },{ "clflush", 19 },
{ "clflushopt", 183 },{ "clwb", 184 },{ "clzero", 256 },{ "cmov", 15 },
{ "cmp-legacy", 97 },{ "core-caps", 318 },{ "cpb", 233 },{ "cr8-legacy", 100 },
{ "cx16", 45 },{ "cx8", 8 },{ "dbext", 122 },{ "dca", 50 },
{ "de", 2 },{ "doitm", 524 },{ "ds", 21 },{ "dscpl", 36 },
{ "dtes64", 34 },{ "efro", 234 },{ "eibrs", 513 },{ "eist", 39 },
{ "energy-filtering", 523 },{ "enqcmd", 221 },{ "erms", 169 },{ "extapic", 99 },
{ "f16c", 61 },{ "fb-clear", 529 },{ "fb-clear-ctrl", 530 },{ "fbsdp-no", 526 },
{ "fdp-excp-only", 166 },{ "ffxsr", 89 },{ "fma", 44 },{ "fma4", 112 },
{ "fpu", 0 },{ "fsgsbase", 160 },{ "fsrcs", 332 },{ "fsrm", 292 },
{ "fsrs", 331 },{ "fxsr", 24 },{ "fzrm", 330 },{ "gds-ctrl", 537 },
{ "gds-no", 538 },{ "gfni", 200 },{ "hle", 164 },{ "htt", 28 },
{ "hw-pstate", 231 },{ "hybrid", 303 },{ "hypervisor", 63 },{ "ibpb", 268 },
{ "ibpb-brtype", 380 },{ "ibpb-ret", 286 },{ "ibrs", 270 },{ "ibrs-always", 272 },
{ "ibrs-fast", 274 },{ "ibrs-same-mode", 275 },{ "ibrsb", 314 },{ "ibs", 106 },
{ "if-pschange-mc-no", 518 },{ "intel-ppin", 384 },{ "intel-psfd", 416 },{ "intel-ssb-no", 516 },
{ "invpcid", 170 },{ "ipred-ctrl", 417 },{ "its-no", 574 },{ "itsc", 232 },
{ "l1d-flush", 316 },{ "lahf-lm", 96 },{ "lfence-dispatch", 354 },{ "lm", 93 },
{ "lwp", 111 },{ "mca", 14 },{ "mcdt-no", 421 },{ "mce", 7 },
{ "mcu-ctrl", 521 },{ "md-clear", 298 },{ "mds-no", 517 },{ "misalignsse", 103 },
{ "misc-pkg-ctrl", 522 },{ "mmx", 23 },{ "mmxext", 86 },{ "monitor", 35 },
{ "monitorx", 125 },{ "movbe", 54 },{ "movdir64b", 220 },{ "movdiri", 219 },
{ "mpx", 174 },{ "msr", 5 },{ "mtrr", 12 },{ "no-fpu-sel", 173 },
{ "no-lmsl", 276 },{ "nodeid-msr", 115 },{ "nscb", 358 },{ "nx", 84 },
{ "ospke", 196 },{ "osvw", 105 },{ "osxsave", 59 },{ "ovrclk-status", 535 },
{ "pae", 6 },{ "page1gb", 90 },{ "pat", 16 },{ "pbe", 31 },
{ "pbrsb-no", 536 },{ "pcid", 49 },{ "pclmulqdq", 33 },{ "pdcm", 47 },
{ "pge", 13 },{ "pku", 195 },{ "popcnt", 55 },{ "pqe", 175 },
{ "pqm", 172 },{ "prefetchwt1", 192 },{ "proc-trace", 185 },{ "psdp-no", 527 },
{ "pse", 3 },{ "pse36", 17 },{ "psfd", 284 },{ "rdcl-no", 512 },
{ "rdpid", 214 },{ "rdrand", 62 },{ "rdseed", 178 },{ "rdtscp", 91 },
{ "rfds-clear", 540 },{ "rfds-no", 539 },{ "rrsba", 531 },{ "rrsba-ctrl", 418 },
{ "rsba", 514 },{ "rstr-fp-err-ptrs", 258 },{ "rtm", 171 },{ "rtm-always-abort", 299 },
{ "sbdr-ssdp-no", 525 },{ "sbpb", 379 },{ "sep", 11 },{ "serialize", 302 },
{ "sgx", 162 },{ "sha", 189 },{ "skinit", 108 },{ "skip-l1dfl", 515 },
{ "smap", 180 },{ "smep", 167 },{ "smx", 38 },{ "srbds-ctrl", 297 },
{ "srso-msr-fix", 383 },{ "srso-no", 381 },{ "srso-us-no", 382 },{ "ss", 27 },
{ "ssb-no", 282 },{ "ssbd", 319 },{ "sse", 25 },{ "sse2", 26 },
{ "sse3", 32 },{ "sse4-1", 51 },{ "sse4-2", 52 },{ "sse4a", 102 },
{ "ssse3", 41 },{ "stibp", 315 },{ "stibp-always", 273 },{ "svm", 98 },
{ "syscall", 75 },{ "taa-no", 520 },{ "tbm", 117 },{ "tm1", 29 },
{ "tm2", 40 },{ "topoext", 118 },{ "tsa-l1-no", 578 },{ "tsa-sq-no", 577 },
{ "tsc", 4 },{ "tsc-adjust", 161 },{ "tsc-deadline", 56 },{ "tsx-ctrl", 519 },
{ "tsx-force-abort", 301 },{ "tsxldtrk", 304 },{ "umip", 194 },{ "vaes", 201 },
{ "verw-clear", 357 },{ "virt-ssbd", 281 },{ "vme", 1 },{ "vmx", 37 },
{ "vpclmulqdq", 202 },{ "wbnoinvd", 265 },{ "wdt", 109 },{ "x2apic", 53 },
{ "xapic-status", 533 },{ "xgetbv1", 130 },{ "xop", 107 },{ "xsave", 58 },
{ "xsavec", 129 },{ "xsaveopt", 128 },{ "xsaves", 131 },{ "xtpr", 46 },

};

void libxl_cpuid_dispose(libxl_cpuid_policy_list *pl)
{
	libxl_cpuid_policy *c = *pl;

	if (!c)
		return;
	for (int i = 0; i < c->num_leaves; i++)
		for (int r = 0; r < 4; r++)
			free(c->leaves[i].policy[r]);
	free(c->leaves);
	free(c->msrs);
	free(c);
	*pl = NULL;
}

static libxl_cpuid_policy *policy_get(libxl_cpuid_policy_list *pl)
{
	if (!*pl)
		*pl = calloc(1, sizeof(**pl));
	return *pl;
}

static libxl_cpuid_leaf *leaf_get(libxl_cpuid_policy_list *pl, uint32_t leaf, uint32_t sub)
{
	libxl_cpuid_policy *c = policy_get(pl);
	libxl_cpuid_leaf *n;

	if (!c)
		return NULL;
	for (int i = 0; i < c->num_leaves; i++)
		if (c->leaves[i].input[0] == leaf && c->leaves[i].input[1] == sub)
			return &c->leaves[i];
	n = realloc(c->leaves, (size_t)(c->num_leaves + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->leaves = n;
	n = &c->leaves[c->num_leaves++];
	memset(n, 0, sizeof(*n));
	n->input[0] = leaf;
	n->input[1] = sub;
	return n;
}

static libxl_cpuid_msr *msr_get(libxl_cpuid_policy_list *pl, uint32_t index)
{
	libxl_cpuid_policy *c = policy_get(pl);
	libxl_cpuid_msr *n;

	if (!c)
		return NULL;
	for (int i = 0; i < c->num_msrs; i++)
		if (c->msrs[i].index == index)
			return &c->msrs[i];
	n = realloc(c->msrs, (size_t)(c->num_msrs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->msrs = n;
	n = &c->msrs[c->num_msrs++];
	n->index = index;
	memset(n->policy, 'x', 64);
	n->policy[64] = 0;
	return n;
}

/* Sets LENGTH bits at BIT of one register string from VAL: a number
 * (written in binary) or one of x/k/s for every bit. */
static int field_set(libxl_cpuid_policy_list *pl, const struct field *f, const char *val)
{
	libxl_cpuid_leaf *e = leaf_get(pl, f->leaf, f->subleaf);
	char bits[33], *reg;
	char *end;
	unsigned long num;

	if (!e)
		return ERROR_NOMEM;
	num = strtoul(val, &end, 0);
	bits[f->length] = 0;
	if (end != val) {
		for (int i = 0; i < f->length; i++)
			bits[f->length - 1 - i] = "01"[(num >> i) & 1];
	} else if (val[0] == 'x' || val[0] == 'k' || val[0] == 's') {
		memset(bits, val[0], (size_t)f->length);
	} else {
		return 3;
	}
	reg = e->policy[f->reg];
	if (!reg) {
		reg = strdup("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		if (!reg)
			return ERROR_NOMEM;
	}
	/* family and model spill into the extended fields of leaf 1 eax */
	if (!strcmp(f->name, "family")) {
		if (num < 16) {
			memcpy(reg + 28 - f->bit, bits + 4, 4);
			memcpy(reg + 4, "00000000", 8);
		} else {
			num -= 15;
			memcpy(reg + 28 - f->bit, "1111", 4);
			for (int i = 0; i < 7; i++) {
				bits[7 - i] = "01"[num & 1];
				num >>= 1;
			}
			memcpy(reg + 4, bits, 8);
		}
	} else if (!strcmp(f->name, "model")) {
		memcpy(reg + 12, bits, 4);
		memcpy(reg + 28 - f->bit, bits + 4, 4);
	} else {
		memcpy(reg + 32 - f->length - f->bit, bits, (size_t)f->length);
	}
	e->policy[f->reg] = reg;
	return 0;
}

int libxl_cpuid_parse_config(libxl_cpuid_policy_list *pl, const char *str)
{
	const char *eq = strchr(str, '='), *val;
	size_t nlen;

	if (!eq)
		return 1;
	val = eq + 1;
	nlen = (size_t)(eq - str);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].name) == nlen && !strncmp(fields[i].name, str, nlen))
			return field_set(pl, &fields[i], val);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct word *w;

		if (strlen(features[i].name) != nlen || strncmp(features[i].name, str, nlen))
			continue;
		w = &words[features[i].bit / 32];
		if (!w->is_msr) {
			struct field f = { features[i].name, w->leaf, w->subleaf, w->reg,
					   features[i].bit % 32, 1 };
			return field_set(pl, &f, val);
		} else {
			libxl_cpuid_msr *m;
			int bit = features[i].bit % 32 + (w->reg == REG_EDX ? 32 : 0);

			if (strlen(val) != 1 || !strchr("01xks", val[0]))
				return 3;
			m = msr_get(pl, w->leaf);
			if (!m)
				return ERROR_NOMEM;
			/* 's' is the deprecated spelling of 'k' for MSRs */
			m->policy[63 - bit] = val[0] == 's' ? 'k' : val[0];
			return 0;
		}
	}
	return 2;
}

int libxl_cpuid_parse_config_xend(libxl_cpuid_policy_list *pl, const char *str)
{
	char *end;
	unsigned long v;
	uint32_t leaf, sub = NA;
	libxl_cpuid_leaf *e;

	v = strtoul(str, &end, 0);
	if (end == str)
		return 1;
	leaf = (uint32_t)v;
	if (*end == ',') {
		str = end + 1;
		v = strtoul(str, &end, 0);
		if (end == str)
			return 2;
		sub = (uint32_t)v;
	}
	if (*end != ':')
		return 3;
	e = leaf_get(pl, leaf, sub);
	if (!e)
		return ERROR_NOMEM;
	for (str = end + 1; *str;) {
		const char *eq, *stop;
		int r;

		if (str[0] != 'e' || !str[1] || str[2] != 'x')
			return 4;
		r = str[1] - 'a';
		eq = strchr(str, '=');
		if (r < 0 || r > 3 || !eq)
			return 4;
		str = eq + 1;
		stop = strchr(str, ',');
		if (!stop)
			stop = str + strlen(str);
		if (stop - str != 32)
			return 5;
		free(e->policy[r]);
		e->policy[r] = strndup(str, 32);
		if (!e->policy[r])
			return ERROR_NOMEM;
		if (!*stop)
			break;
		for (str = stop + 1; *str == ' ' || *str == '\n'; str++)
			;
	}
	return 0;
}

static yajl_gen_status gstr(yajl_gen g, const char *s, size_t n)
{
	return yajl_gen_string(g, (const unsigned char *)s, n);
}

yajl_gen_status libxl__cpuid_gen_json(yajl_gen g, const libxl_cpuid_policy *c)
{
	static const char *const regs[4] = { "eax", "ebx", "ecx", "edx" };
	yajl_gen_status s = yajl_gen_map_open(g);

#define OK(x) do { if ((s = (x)) != yajl_gen_status_ok) return s; } while (0)
	if (s != yajl_gen_status_ok)
		return s;
	OK(gstr(g, "cpuid", 5));
	OK(yajl_gen_array_open(g));
	for (int i = 0; c && i < c->num_leaves; i++) {
		const libxl_cpuid_leaf *e = &c->leaves[i];

		OK(yajl_gen_map_open(g));
		OK(gstr(g, "leaf", 4));
		OK(yajl_gen_integer(g, e->input[0]));
		if (e->input[1] != NA) {
			OK(gstr(g, "subleaf", 7));
			OK(yajl_gen_integer(g, e->input[1]));
		}
		for (int r = 0; r < 4; r++)
			if (e->policy[r]) {
				OK(gstr(g, regs[r], 3));
				OK(gstr(g, e->policy[r], 32));
			}
		OK(yajl_gen_map_close(g));
	}
	OK(yajl_gen_array_close(g));
	OK(gstr(g, "msr", 3));
	OK(yajl_gen_array_open(g));
	for (int i = 0; c && i < c->num_msrs; i++) {
		OK(yajl_gen_map_open(g));
		OK(gstr(g, "index", 5));
		OK(yajl_gen_integer(g, c->msrs[i].index));
		OK(gstr(g, "policy", 6));
		OK(gstr(g, c->msrs[i].policy, 64));
		OK(yajl_gen_map_close(g));
	}
	OK(yajl_gen_array_close(g));
#undef OK
	return yajl_gen_map_close(g);
}

static int policy_chars_ok(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	return strspn(s, "01xks") == n;
}

int libxl__cpuid_parse_json(yajl_val v, libxl_cpuid_policy_list *pl, char *err, size_t len)
{
	static const char *const regs[4] = { "eax", "ebx", "ecx", "edx" };
	const char *cp[] = { "cpuid", NULL }, *mp[] = { "msr", NULL };
	yajl_val cl, ml;

	if (!YAJL_IS_OBJECT(v)) {
		snprintf(err, len, "expected {\"cpuid\": [...], \"msr\": [...]}");
		return -EINVAL;
	}
	cl = yajl_tree_get(v, cp, yajl_t_array);
	ml = yajl_tree_get(v, mp, yajl_t_array);
	for (size_t i = 0; cl && i < cl->u.array.len; i++) {
		yajl_val o = cl->u.array.values[i], x;
		const char *lp[] = { "leaf", NULL }, *sp[] = { "subleaf", NULL };
		libxl_cpuid_leaf *e;
		uint32_t sub = NA;

		x = yajl_tree_get(o, lp, yajl_t_number);
		if (!x || !YAJL_IS_INTEGER(x)) {
			snprintf(err, len, "cpuid entry %zu has no leaf", i);
			return -EINVAL;
		}
		if (yajl_tree_get(o, sp, yajl_t_number))
			sub = (uint32_t)YAJL_GET_INTEGER(yajl_tree_get(o, sp, yajl_t_number));
		e = leaf_get(pl, (uint32_t)YAJL_GET_INTEGER(x), sub);
		if (!e)
			return -ENOMEM;
		for (int r = 0; r < 4; r++) {
			const char *rp[] = { regs[r], NULL };
			yajl_val rv = yajl_tree_get(o, rp, yajl_t_any);

			if (!rv)
				continue;
			if (!policy_chars_ok(YAJL_GET_STRING(rv), 32)) {
				snprintf(err, len, "cpuid entry %zu: %s must be 32 of 0/1/x/k/s", i, regs[r]);
				return -EINVAL;
			}
			free(e->policy[r]);
			e->policy[r] = strndup(rv->u.string, 32);
			if (!e->policy[r])
				return -ENOMEM;
		}
	}
	for (size_t i = 0; ml && i < ml->u.array.len; i++) {
		yajl_val o = ml->u.array.values[i];
		const char *ip[] = { "index", NULL }, *pp[] = { "policy", NULL };
		yajl_val x = yajl_tree_get(o, ip, yajl_t_number), p = yajl_tree_get(o, pp, yajl_t_any);
		libxl_cpuid_msr *m;

		if (!x || !YAJL_IS_INTEGER(x) || !p || !policy_chars_ok(YAJL_GET_STRING(p), 64)) {
			snprintf(err, len, "msr entry %zu needs index and a 64-character policy", i);
			return -EINVAL;
		}
		m = msr_get(pl, (uint32_t)YAJL_GET_INTEGER(x));
		if (!m)
			return -ENOMEM;
		memcpy(m->policy, p->u.string, 64);
	}
	if (!policy_get(pl))
		return -ENOMEM;
	return 0;
}
