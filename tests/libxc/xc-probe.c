/* Prints what libxenctrl reads from the hypervisor, one "key value" per
 * line, so VM scenarios can compare it with what Xen's own tools say. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <xen/arch-x86/hvm/save.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>

static int usage(void)
{
	fprintf(stderr, "usage: xc-probe version|physinfo|list|dmesg|evtchn-loop|grant-loop\n"
			"       xc-probe info|pause|unpause|start-info DOMID\n");
	return 2;
}

static int parse_domid(const char *s, uint32_t *domid)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffff) {
		fprintf(stderr, "xc-probe: bad domain id '%s'\n", s);
		return -1;
	}
	*domid = (uint32_t)v;
	return 0;
}

static void print_dominfo(const xc_domaininfo_t *d)
{
	printf("dom %u mem_kib %" PRIu64 " max_kib %" PRIu64
	       " vcpus %u max_vcpu_id %u flags 0x%x%s%s%s%s\n",
	       d->domain, d->tot_pages * 4, d->max_pages * 4, d->nr_online_vcpus,
	       d->max_vcpu_id, d->flags, d->flags & XEN_DOMINF_paused ? " paused" : "",
	       d->flags & XEN_DOMINF_hvm_guest ? " hvm" : "",
	       d->flags & XEN_DOMINF_dying ? " dying" : "",
	       d->flags & XEN_DOMINF_shutdown ? " shutdown" : "");
}

static int cmd_version(xc_interface *xch)
{
	xen_extraversion_t extra;
	xen_capabilities_info_t caps;
	int v = xc_version(xch, XENVER_version, NULL);

	if (v < 0 || xc_version(xch, XENVER_extraversion, extra) < 0 ||
	    xc_version(xch, XENVER_capabilities, caps) < 0)
		return 1;
	extra[sizeof(extra) - 1] = 0;
	caps[sizeof(caps) - 1] = 0;
	printf("xen_major %d\nxen_minor %d\nxen_extra %s\ncapabilities %s\n",
	       v >> 16, v & 0xffff, extra, caps);
	return 0;
}

static int cmd_physinfo(xc_interface *xch)
{
	xc_physinfo_t p;
	int sched;

	if (xc_physinfo(xch, &p) < 0 || xc_sched_id(xch, &sched) < 0)
		return 1;
	printf("nr_cpus %u\nthreads_per_core %u\ncores_per_socket %u\n"
	       "cpu_mhz %u\ntotal_memory %" PRIu64 "\nfree_memory %" PRIu64 "\n"
	       "capabilities 0x%x\nsched_id %d\n",
	       p.nr_cpus, p.threads_per_core, p.cores_per_socket,
	       p.cpu_khz / 1000, p.total_pages / 256, p.free_pages / 256,
	       p.capabilities, sched);
	return 0;
}

static int cmd_list(xc_interface *xch)
{
	xc_domaininfo_t info[64];
	uint32_t next = 0;
	int n, i;

	for (;;) {
		n = xc_domain_getinfolist(xch, next, 64, info);
		if (n < 0)
			return 1;
		for (i = 0; i < n; i++)
			print_dominfo(&info[i]);
		if (n < 64)
			return 0;
		next = info[n - 1].domain + 1u;
	}
}

static int cmd_dmesg(xc_interface *xch)
{
	unsigned int size = 64 * 1024, n = size;
	char *buf = malloc(size);
	int rc = 1;

	if (!buf)
		return 1;
	if (xc_readconsolering(xch, buf, &n, 0, 0, NULL) == 0) {
		fwrite(buf, 1, n, stdout);
		rc = 0;
	}
	free(buf);
	return rc;
}

/* Two dom0 event-channel handles connected to each other: a notify on one
 * end must show up as pending on the other. */
static int cmd_evtchn_loop(void)
{
	xenevtchn_handle *a = xenevtchn_open(NULL, 0), *b = xenevtchn_open(NULL, 0);
	struct pollfd pfd;
	int pa, pb, fired, rc = 1;

	if (!a || !b)
		goto out;
	pa = xenevtchn_bind_unbound_port(a, 0);
	if (pa < 0)
		goto out;
	pb = xenevtchn_bind_interdomain(b, 0, (evtchn_port_t)pa);
	if (pb < 0)
		goto out;
	if (xenevtchn_notify(b, (evtchn_port_t)pb) < 0)
		goto out;
	pfd = (struct pollfd){ .fd = xenevtchn_fd(a), .events = POLLIN };
	if (poll(&pfd, 1, 10000) != 1) {
		fprintf(stderr, "xc-probe: no event within 10 s\n");
		errno = ETIMEDOUT;
		goto out;
	}
	fired = xenevtchn_pending(a);
	if (fired != pa) {
		fprintf(stderr, "xc-probe: port %d fired, expected %d\n", fired, pa);
		errno = EPROTO;
		goto out;
	}
	if (xenevtchn_unmask(a, (evtchn_port_t)pa) < 0 ||
	    xenevtchn_unbind(b, (evtchn_port_t)pb) < 0 ||
	    xenevtchn_unbind(a, (evtchn_port_t)pa) < 0)
		goto out;
	printf("evtchn loop: port %d -> port %d delivered\n", pb, pa);
	rc = 0;
out:
	xenevtchn_close(a);
	xenevtchn_close(b);
	return rc;
}

/* Grant a page to ourselves (gntalloc) and map the grant back (gntdev):
 * writes through either mapping must be seen through the other. */
static int cmd_grant_loop(void)
{
	xengntshr_handle *shr = xengntshr_open(NULL, 0);
	xengnttab_handle *tab = xengnttab_open(NULL, 0);
	uint32_t ref;
	char *mine = NULL, *mapped = NULL;
	int rc = 1;

	if (!shr || !tab)
		goto out;
	mine = xengntshr_share_pages(shr, 0, 1, &ref, 1);
	if (!mine)
		goto out;
	strcpy(mine, "granted by dom0");
	mapped = xengnttab_map_grant_ref(tab, 0, ref, PROT_READ | PROT_WRITE);
	if (!mapped)
		goto out;
	if (strcmp(mapped, "granted by dom0") != 0) {
		fprintf(stderr, "xc-probe: mapped grant %u reads '%.20s'\n", ref, mapped);
		errno = EPROTO;
		goto out;
	}
	strcpy(mapped + 2048, "written through the map");
	if (strcmp(mine + 2048, "written through the map") != 0) {
		errno = EPROTO;
		goto out;
	}
	printf("grant loop: ref %u shared, mapped, read and written\n", ref);
	rc = 0;
out:
	if (mapped && xengnttab_unmap(tab, mapped, 1) < 0)
		rc = 1;
	if (mine && xengntshr_unshare(shr, mine, 1) < 0)
		rc = 1;
	xengnttab_close(tab);
	xengntshr_close(shr);
	return rc;
}

/* Read a paused PVH guest's boot state the way a builder would check it:
 * vCPU 0's rbx from the HVM context points at hvm_start_info. */
static int cmd_start_info(xc_interface *xch, uint32_t domid)
{
	xenforeignmemory_handle *fmem = NULL;
	struct hvm_save_descriptor desc;
	struct hvm_hw_cpu cpu;
	struct hvm_start_info si;
	uint8_t *ctx = NULL, *page = NULL, *cpage = NULL;
	uint64_t gpa = 0, pfn;
	int size, off, found = 0, rc = 1;

	size = xc_domain_hvm_getcontext(xch, domid, NULL, 0);
	if (size <= 0)
		goto out;
	ctx = malloc((size_t)size);
	if (!ctx || xc_domain_hvm_getcontext(xch, domid, ctx, (uint32_t)size) < 0)
		goto out;
	for (off = 0; off + (int)sizeof(desc) <= size; off += (int)sizeof(desc) + (int)desc.length) {
		memcpy(&desc, ctx + off, sizeof(desc));
		if (desc.typecode == HVM_SAVE_CODE_END)
			break;
		if (desc.typecode == HVM_SAVE_CODE_CPU && desc.instance == 0 &&
		    desc.length >= sizeof(cpu)) {
			memcpy(&cpu, ctx + off + sizeof(desc), sizeof(cpu));
			gpa = cpu.rbx;
			found = 1;
		}
	}
	if (!found) {
		fprintf(stderr, "xc-probe: no CPU record for vCPU 0 in %d bytes of context\n", size);
		errno = ENOENT;
		goto out;
	}
	printf("vcpu0 rip 0x%llx rbx 0x%llx cr0 0x%llx\n", (unsigned long long)cpu.rip,
	       (unsigned long long)cpu.rbx, (unsigned long long)cpu.cr0);
	fmem = xenforeignmemory_open(NULL, 0);
	if (!fmem)
		goto out;
	pfn = gpa >> 12;
	page = xenforeignmemory_map(fmem, domid, PROT_READ, 1, &pfn, NULL);
	if (!page)
		goto out;
	memcpy(&si, page + (gpa & 0xfff), sizeof(si));
	printf("start_info magic 0x%x version %u nr_modules %u\n", si.magic,
	       si.version, si.nr_modules);
	if (si.cmdline_paddr) {
		pfn = si.cmdline_paddr >> 12;
		cpage = xenforeignmemory_map(fmem, domid, PROT_READ, 1, &pfn, NULL);
		if (!cpage)
			goto out;
		printf("cmdline '%.200s'\n", (char *)cpage + (si.cmdline_paddr & 0xfff));
	}
	rc = 0;
out:
	if (cpage)
		xenforeignmemory_unmap(fmem, cpage, 1);
	if (page)
		xenforeignmemory_unmap(fmem, page, 1);
	xenforeignmemory_close(fmem);
	free(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	xc_interface *xch;
	xc_domaininfo_t info;
	uint32_t domid = 0;
	int rc;

	if (argc < 2)
		return usage();
	if (argc == 3 && parse_domid(argv[2], &domid) < 0)
		return 2;
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		return 1;
	if (!strcmp(argv[1], "version"))
		rc = cmd_version(xch);
	else if (!strcmp(argv[1], "physinfo"))
		rc = cmd_physinfo(xch);
	else if (!strcmp(argv[1], "list"))
		rc = cmd_list(xch);
	else if (!strcmp(argv[1], "dmesg"))
		rc = cmd_dmesg(xch);
	else if (!strcmp(argv[1], "evtchn-loop"))
		rc = cmd_evtchn_loop();
	else if (!strcmp(argv[1], "grant-loop"))
		rc = cmd_grant_loop();
	else if (!strcmp(argv[1], "start-info") && argc == 3)
		rc = cmd_start_info(xch, domid);
	else if (!strcmp(argv[1], "info") && argc == 3) {
		rc = xc_domain_getinfo_single(xch, domid, &info) < 0;
		if (!rc)
			print_dominfo(&info);
	} else if (!strcmp(argv[1], "pause") && argc == 3)
		rc = xc_domain_pause(xch, domid) < 0;
	else if (!strcmp(argv[1], "unpause") && argc == 3)
		rc = xc_domain_unpause(xch, domid) < 0;
	else
		rc = usage();
	if (rc == 1)
		fprintf(stderr, "xc-probe %s: %s\n", argv[1], strerror(errno));
	xc_interface_close(xch);
	return rc;
}
