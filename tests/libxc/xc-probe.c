/* Prints what libxenctrl reads from the hypervisor, one "key value" per
 * line, so VM scenarios can compare it with what Xen's own tools say. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

static int usage(void)
{
	fprintf(stderr, "usage: xc-probe version|physinfo|list|dmesg\n"
			"       xc-probe info|pause|unpause DOMID\n");
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
	       " vcpus %u max_vcpu_id %u flags 0x%x%s%s%s\n",
	       d->domain, d->tot_pages * 4, d->max_pages * 4, d->nr_online_vcpus,
	       d->max_vcpu_id, d->flags, d->flags & XEN_DOMINF_paused ? " paused" : "",
	       d->flags & XEN_DOMINF_hvm_guest ? " hvm" : "",
	       d->flags & XEN_DOMINF_dying ? " dying" : "");
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
