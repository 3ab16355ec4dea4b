/* HVM save records for building PVH guests (see hvmctx.h); no hypervisor
 * state here, so the host tests exercise it directly. */
#include <xenolith/hvmctx.h>
#include <xenolith/grant_limits.h>
#include <xen/errno.h>

/* MTRRcap as Xen shows it to HVM guests: 8 variable ranges, fixed
 * ranges and write combining. */
#define MTRR_CAP_DEFAULT 0x508ULL
#define PAT_DEFAULT 0x0007040600070406ULL

static size_t put(uint8_t *buf, size_t size, size_t at, uint16_t code, uint16_t inst,
		  const void *body, uint32_t len)
{
	struct hvm_save_descriptor d = { .typecode = code, .instance = inst, .length = len };

	if (buf && at + sizeof(d) + len <= size) {
		memcpy(buf + at, &d, sizeof(d));
		if (len)
			memcpy(buf + at + sizeof(d), body, len);
	}
	return at + sizeof(d) + len;
}

size_t hvmctx_build(uint8_t *buf, size_t size, unsigned int nr_vcpus,
		    const struct hvm_save_header *hdr)
{
	struct hvm_hw_mtrr mtrr;
	size_t at;

	memset(&mtrr, 0, sizeof(mtrr));
	mtrr.msr_pat_cr = PAT_DEFAULT;
	mtrr.msr_mtrr_cap = MTRR_CAP_DEFAULT;
	at = put(buf, size, 0, HVM_SAVE_CODE_HEADER, 0, hdr, sizeof(*hdr));
	for (unsigned int v = 0; v < nr_vcpus; v++)
		at = put(buf, size, at, HVM_SAVE_CODE_MTRR, (uint16_t)v, &mtrr, sizeof(mtrr));
	return put(buf, size, at, HVM_SAVE_CODE_END, 0, NULL, 0);
}

int hvmctx_parse(const uint8_t *buf, size_t len, unsigned int nr_vcpus,
		 struct hvmctx_set *out)
{
	struct hvm_save_descriptor d;
	struct hvm_save_header hdr;
	size_t off = 0;
	bool first = true;

	memset(out, 0, sizeof(*out));
	if (nr_vcpus > HVMCTX_MAX_VCPUS)
		return -XEN_EINVAL;
	for (;;) {
		if (len - off < sizeof(d))
			return -XEN_EINVAL; /* no end record */
		memcpy(&d, buf + off, sizeof(d));
		off += sizeof(d);
		if (d.length > len - off)
			return -XEN_EINVAL;
		if (first != (d.typecode == HVM_SAVE_CODE_HEADER))
			return -XEN_EINVAL; /* the header comes first, and once */
		first = false;
		switch (d.typecode) {
		case HVM_SAVE_CODE_END:
			return d.length == 0 ? 0 : -XEN_EINVAL;
		case HVM_SAVE_CODE_HEADER:
			if (d.length != sizeof(hdr))
				return -XEN_EINVAL;
			memcpy(&hdr, buf + off, sizeof(hdr));
			if (hdr.magic != HVM_FILE_MAGIC || hdr.version != HVM_FILE_VERSION)
				return -XEN_EINVAL;
			break;
		case HVM_SAVE_CODE_CPU:
			if (d.length != sizeof(struct hvm_hw_cpu) || d.instance >= nr_vcpus)
				return -XEN_EINVAL;
			memcpy(&out->cpu[d.instance], buf + off, sizeof(struct hvm_hw_cpu));
			out->has_cpu[d.instance] = true;
			break;
		case HVM_SAVE_CODE_MTRR:
			if (d.length != sizeof(struct hvm_hw_mtrr) || d.instance >= nr_vcpus)
				return -XEN_EINVAL;
			out->nr_mtrr++;
			break;
		default:
			return -XEN_EINVAL; /* a device we do not emulate */
		}
		off += d.length;
	}
}

int hvmctx_cpu_is_pvh_entry(const struct hvm_hw_cpu *c)
{
	/* CR0.PE with paging, CR4 and EFER off; flat 4 GiB code and data */
	if ((c->cr0 & 0x80000001ULL) != 1 || c->cr4 || (c->msr_efer & ~0x1000ULL))
		return -XEN_EOPNOTSUPP;
	if (c->cs_base || c->ds_base || c->ss_base || c->es_base ||
	    c->cs_limit != 0xFFFFFFFFU || c->ds_limit != 0xFFFFFFFFU ||
	    (c->cs_arbytes & 0xC9B) != 0xC9B || (c->ds_arbytes & 0xC93) != 0xC93)
		return -XEN_EOPNOTSUPP;
	if (c->rip > 0xFFFFFFFFULL || c->rbx > 0xFFFFFFFFULL)
		return -XEN_EOPNOTSUPP;
	return 0;
}

int domctl_create_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus,
			const char **why)
{
	const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
			       XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
			       XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
			       XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;

	*why = NULL;
	if (c->flags & ~known)
		*why = "unknown flags";
	else if ((c->flags & (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)) !=
		 (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap))
		*why = "only PVH guests (CDF_hvm|CDF_hap) are supported";
	else if (c->flags & (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt |
			     XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_vpmu))
		*why = "IOMMU, nested virtualisation, vPMU and tboot are not supported";
	else if (c->arch.emulation_flags != XEN_X86_EMU_LAPIC)
		*why = "a PVH guest emulates the local APIC and nothing else";
	else if (c->arch.misc_flags)
		*why = "unknown arch misc_flags";
	else if (c->max_vcpus == 0 || c->max_vcpus > max_vcpus)
		*why = "max_vcpus out of range";
	else if (c->max_grant_frames == 0 || c->max_grant_frames > GNTTAB_MAX_FRAMES)
		*why = "max_grant_frames out of range (1..64, or negative for the default)";
	else if (c->max_maptrack_frames > MAPTRACK_MAX_FRAMES)
		*why = "max_maptrack_frames out of range (0..1024, or negative for the default)";
	else if (c->grant_opts & ~0xFU || (c->grant_opts & 0xF) > 1)
		*why = "only grant table version 1 is supported";
	else if (c->vmtrace_size)
		*why = "vmtrace is not supported";
	else if (c->cpupool_id)
		*why = "only CPU pool 0 exists";
	else if (c->iommu_opts)
		*why = "no IOMMU";
	return *why ? -XEN_EINVAL : 0;
}
