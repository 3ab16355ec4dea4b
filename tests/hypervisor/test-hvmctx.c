/* HVM context records (what libxc's PVH builder reads and writes) and the
 * createdomain checks. */
#include "check.h"
#include "common/hvmctx.c"

static size_t rec(uint8_t *buf, size_t at, uint16_t code, uint16_t inst, const void *body,
		  uint32_t len)
{
	struct hvm_save_descriptor d = { code, inst, len };

	memcpy(buf + at, &d, sizeof(d));
	if (len)
		memcpy(buf + at + sizeof(d), body, len);
	return at + sizeof(d) + len;
}

static struct hvm_hw_cpu pvh_cpu(void)
{
	struct hvm_hw_cpu c;

	memset(&c, 0, sizeof(c));
	c.rip = 0x1000000;
	c.rbx = 0x2000000;
	c.cr0 = 0x11;
	c.cs_limit = c.ds_limit = c.es_limit = c.ss_limit = 0xFFFFFFFF;
	c.cs_arbytes = 0xC9B;
	c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0xC93;
	return c;
}

static struct xen_domctl_createdomain pvh_create(void)
{
	struct xen_domctl_createdomain c;

	memset(&c, 0, sizeof(c));
	c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c.max_vcpus = 2;
	c.max_evtchn_port = 1023;
	c.max_grant_frames = 64;
	c.max_maptrack_frames = 1024;
	c.grant_opts = 1;
	c.arch.emulation_flags = XEN_X86_EMU_LAPIC;
	return c;
}

int main(void)
{
	struct hvm_save_header hdr = { HVM_FILE_MAGIC, HVM_FILE_VERSION, 0, 0x800F12, 2000000 };
	static uint8_t buf[8192];
	static struct hvmctx_set set;
	struct hvm_save_descriptor d;
	struct hvm_hw_mtrr mtrr;
	struct hvm_hw_cpu cpu = pvh_cpu();
	struct xen_domctl_createdomain c;
	const char *why;
	size_t need, at;

	/* get: header, one MTRR per vCPU, end */
	need = hvmctx_build(NULL, 0, 3, &hdr);
	CHECK(need == 8 + 24 + 3 * (8 + 240) + 8, "context size for 3 vCPUs: %zu", need);
	CHECK(hvmctx_build(buf, need - 1, 3, &hdr) == need, "a short buffer still gives the size");
	memset(buf, 0xAA, sizeof(buf));
	hvmctx_build(buf, sizeof(buf), 3, &hdr);
	memcpy(&d, buf, sizeof(d));
	CHECK(d.typecode == HVM_SAVE_CODE_HEADER && d.length == 24, "header record first");
	memcpy(&d, buf + 32 + 2 * 248, sizeof(d));
	memcpy(&mtrr, buf + 32 + 2 * 248 + 8, sizeof(mtrr));
	CHECK(d.typecode == HVM_SAVE_CODE_MTRR && d.instance == 2 && d.length == 240,
	      "third MTRR record for vCPU 2");
	CHECK(mtrr.msr_mtrr_cap == 0x508 && mtrr.msr_pat_cr == 0x0007040600070406ULL,
	      "MTRR defaults: cap 0x508, PAT power-on value");
	memcpy(&d, buf + need - 8, sizeof(d));
	CHECK(d.typecode == HVM_SAVE_CODE_END && d.length == 0, "end record last");
	CHECK(hvmctx_parse(buf, need, 3, &set) == 0 && set.nr_mtrr == 3,
	      "what get returns parses back (3 MTRR records)");

	/* set: what xg_pvh.c sends */
	at = rec(buf, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	at = rec(buf, at, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu));
	at = rec(buf, at, HVM_SAVE_CODE_END, 0, NULL, 0);
	CHECK(hvmctx_parse(buf, at, 2, &set) == 0 && set.has_cpu[0] && !set.has_cpu[1] &&
	      set.cpu[0].rip == 0x1000000 && set.cpu[0].rbx == 0x2000000,
	      "CPU record for vCPU 0: entry and start_info");
	CHECK(hvmctx_cpu_is_pvh_entry(&set.cpu[0]) == 0, "the builder's state is a PVH entry");
	CHECK(hvmctx_parse(buf, at - 8, 2, &set) == -XEN_EINVAL, "no end record: EINVAL");
	CHECK(hvmctx_parse(buf, at - 1, 2, &set) == -XEN_EINVAL, "truncated: EINVAL");
	CHECK(hvmctx_parse(buf, at, 0, &set) == -XEN_EINVAL, "CPU record past the vCPUs: EINVAL");
	CHECK(hvmctx_parse(buf, at, HVMCTX_MAX_VCPUS + 1, &set) == -XEN_EINVAL,
	      "more vCPUs than supported: EINVAL");
	hdr.magic ^= 1;
	rec(buf, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	CHECK(hvmctx_parse(buf, at, 2, &set) == -XEN_EINVAL, "bad magic: EINVAL");
	hdr.magic ^= 1;
	at = rec(buf, 0, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu));
	at = rec(buf, at, HVM_SAVE_CODE_END, 0, NULL, 0);
	CHECK(hvmctx_parse(buf, at, 2, &set) == -XEN_EINVAL, "no header first: EINVAL");
	at = rec(buf, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	at = rec(buf, at, HVM_SAVE_CODE_CPU, 0, &cpu, sizeof(cpu) - 8);
	at = rec(buf, at, HVM_SAVE_CODE_END, 0, NULL, 0);
	CHECK(hvmctx_parse(buf, at, 2, &set) == -XEN_EINVAL, "short CPU record: EINVAL");
	at = rec(buf, 0, HVM_SAVE_CODE_HEADER, 0, &hdr, sizeof(hdr));
	at = rec(buf, at, HVM_SAVE_CODE_LAPIC, 0, &cpu, 8);
	at = rec(buf, at, HVM_SAVE_CODE_END, 0, NULL, 0);
	CHECK(hvmctx_parse(buf, at, 2, &set) == -XEN_EINVAL, "a device record: EINVAL");
	d = (struct hvm_save_descriptor){ HVM_SAVE_CODE_HEADER, 0, 0xFFFFFFFF };
	memcpy(buf, &d, sizeof(d));
	CHECK(hvmctx_parse(buf, 64, 2, &set) == -XEN_EINVAL, "length past the buffer: EINVAL");

	cpu.cr0 |= 0x80000000;
	CHECK(hvmctx_cpu_is_pvh_entry(&cpu) == -XEN_EOPNOTSUPP, "paging on: not a PVH entry");
	cpu = pvh_cpu();
	cpu.msr_efer = 0x500;
	CHECK(hvmctx_cpu_is_pvh_entry(&cpu) == -XEN_EOPNOTSUPP, "long mode: not a PVH entry");
	cpu = pvh_cpu();
	cpu.cs_base = 0x1000;
	CHECK(hvmctx_cpu_is_pvh_entry(&cpu) == -XEN_EOPNOTSUPP, "non-flat CS: not a PVH entry");
	cpu = pvh_cpu();
	cpu.rip = 1ULL << 32;
	CHECK(hvmctx_cpu_is_pvh_entry(&cpu) == -XEN_EOPNOTSUPP, "entry above 4 GiB: refused");

	/* createdomain */
	c = pvh_create();
	CHECK(domctl_create_check(&c, 8, &why) == 0 && !why, "libxl's PVH request is accepted");
	c.arch.emulation_flags = XEN_X86_EMU_LAPIC | XEN_X86_EMU_IOAPIC;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL && why, "IOAPIC emulation: EINVAL (%s)",
	      why);
	c.arch.emulation_flags = 0;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "no LAPIC: EINVAL");
	c = pvh_create();
	c.flags = XEN_DOMCTL_CDF_hvm;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "HVM without HAP (shadow): EINVAL");
	c.flags = 0;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "PV: EINVAL");
	c = pvh_create();
	c.flags |= 1U << 20;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "unknown flag: EINVAL");
	c = pvh_create();
	c.max_vcpus = 0;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "0 vCPUs: EINVAL");
	c.max_vcpus = 9;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "9 vCPUs of 8: EINVAL");
	c.max_vcpus = 8;
	CHECK(domctl_create_check(&c, 8, &why) == 0, "8 vCPUs of 8: accepted");
	c = pvh_create();
	c.max_grant_frames = 65;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "65 grant frames: EINVAL");
	c.max_grant_frames = 0;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "0 grant frames: EINVAL");
	/* what Debian's libxl 4.17 sends: -1 = the hypervisor's defaults */
	c.max_grant_frames = -1;
	c.max_maptrack_frames = -1;
	CHECK(domctl_create_check(&c, 8, &why) == 0 && !why, "grant limits -1 (defaults): accepted");
	c.max_maptrack_frames = 1025;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "1025 maptrack frames: EINVAL");
	c = pvh_create();
	c.grant_opts = 2;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "grant table v2: EINVAL");
	c = pvh_create();
	c.cpupool_id = 1;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "pool 1: EINVAL");
	c = pvh_create();
	c.flags |= XEN_DOMCTL_CDF_iommu;
	CHECK(domctl_create_check(&c, 8, &why) == -XEN_EINVAL, "IOMMU: EINVAL");
	return check_done();
}
