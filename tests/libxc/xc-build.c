/* Builds and runs a PVH guest with libxc alone (no xenstore, no libxl):
 * the builder's end-to-end proof. Reads the guest's console ring itself
 * until a marker appears, waits for the guest to shut down, destroys it.
 *   xc-build --kernel K [--ramdisk R] [--cmdline S] [--memory MiB]
 *            [--vcpus N] [--cpu P] [--marker TEXT] [--timeout SEC] [--wait-shutdown]
 * --cpu P pins every vCPU to pCPU P (under QEMU TCG, guests kept off
 * dom0's pCPU: README, "Known problems").
 * Exit 0 when the marker was seen (and, with --wait-shutdown, the guest
 * then shut down by itself). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/console.h>
#include <xen/sched.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenguest.h>

struct opts {
	const char *kernel, *ramdisk, *cmdline, *marker;
	unsigned long mem_mib;
	unsigned int vcpus, timeout;
	int wait_shutdown, cpu; /* cpu -1: any */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "xc-build: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size && (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		fprintf(stderr, "xc-build: %s: short read\n", path);
		free(buf);
		return NULL;
	}
	*size = got;
	return buf;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "ramdisk", required_argument, NULL, 'r' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "marker", required_argument, NULL, 'M' },
		{ "timeout", required_argument, NULL, 't' },
		{ "wait-shutdown", no_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .mem_mib = 128, .vcpus = 1, .timeout = 120,
			    .marker = "GUEST-MARKER", .cpu = -1 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->kernel = optarg; break;
		case 'r': o->ramdisk = optarg; break;
		case 'c': o->cmdline = optarg; break;
		case 'm': o->mem_mib = strtoul(optarg, NULL, 0); break;
		case 'v': o->vcpus = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'M': o->marker = optarg; break;
		case 't': o->timeout = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'w': o->wait_shutdown = 1; break;
		case 'p': o->cpu = atoi(optarg); break;
		default: return -1;
		}
	}
	if (!o->kernel || !o->mem_mib || !o->vcpus) {
		fprintf(stderr, "usage: xc-build --kernel K [--ramdisk R] [--cmdline S] "
				"[--memory MiB] [--vcpus N] [--cpu P] [--marker TEXT] [--timeout SEC]\n"
				"                [--wait-shutdown]\n");
		return -1;
	}
	return 0;
}

/* Every vCPU's hard affinity: pCPU `cpu` only. */
static int pin_vcpus(xc_interface *xch, uint32_t domid, unsigned int vcpus, unsigned int cpu)
{
	int size = xc_get_cpumap_size(xch);
	xc_cpumap_t map;
	int rc = -1;

	if (size <= 0 || cpu / 8 >= (unsigned int)size) {
		fprintf(stderr, "xc-build: --cpu %u: no such pCPU\n", cpu);
		return -1;
	}
	map = xc_cpumap_alloc(xch);
	if (!map)
		return -1;
	for (unsigned int v = 0; v < vcpus; v++) {
		memset(map, 0, (size_t)size);
		map[cpu / 8] = (uint8_t)(1u << (cpu % 8));
		if (xc_vcpu_setaffinity(xch, domid, (int)v, map, NULL, XEN_VCPUAFFINITY_HARD) < 0) {
			fprintf(stderr, "xc-build: pinning vCPU %u of domain %u to pCPU %u: %s\n",
				v, domid, cpu, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	free(map);
	return rc;
}

/* Copies new console output to stdout; returns 1 once the marker shows. */
static int drain_console(struct xencons_interface *ring, char *seen, size_t seen_cap,
			 size_t *seen_len, const char *marker)
{
	uint32_t cons = ring->out_cons, prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);

	while (cons != prod) {
		char ch = ring->out[MASK_XENCONS_IDX(cons, ring->out)];

		putchar(ch);
		if (*seen_len + 1 < seen_cap)
			seen[(*seen_len)++] = ch;
		cons++;
	}
	__atomic_store_n(&ring->out_cons, cons, __ATOMIC_RELEASE);
	fflush(stdout);
	seen[*seen_len] = 0;
	return strstr(seen, marker) != NULL;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct xg_kernel kernel = { 0 };
	struct xen_domctl_createdomain cd = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_evtchn_port = 1023,
		.max_grant_frames = 64,
		.max_maptrack_frames = 1024,
		.grant_opts = 1,
		.arch = { .emulation_flags = XEN_X86_EMU_LAPIC },
	};
	struct xg_pvh_config cfg;
	struct xg_pvh_result res;
	xc_interface *xch = NULL;
	xenevtchn_handle *xce = NULL;
	xenforeignmemory_handle *fmem = NULL;
	struct xencons_interface *ring = NULL;
	xc_domaininfo_t info;
	uint8_t *ramdisk = NULL;
	size_t ramdisk_size = 0, seen_len = 0;
	static char seen[1 << 20];
	char err[512];
	uint32_t domid = 0;
	int created = 0, marker = 0, off = 0, rc = 1, local;
	double t0, t_built, deadline;

	if (parse(argc, argv, &o) < 0)
		return 2;
	if (xg_kernel_open(o.kernel, &kernel, err, sizeof(err)) < 0) {
		fprintf(stderr, "xc-build: %s\n", err);
		return 1;
	}
	if (o.ramdisk && !(ramdisk = read_file(o.ramdisk, &ramdisk_size)))
		goto out;
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		goto out;
	t0 = now();
	cd.max_vcpus = o.vcpus;
	if (xc_domain_create(xch, &domid, &cd) < 0) {
		fprintf(stderr, "xc-build: createdomain: %s\n", strerror(errno));
		goto out;
	}
	created = 1;
	if (xc_domain_max_vcpus(xch, domid, o.vcpus) < 0 ||
	    xc_domain_setmaxmem(xch, domid, o.mem_mib * 1024 + 1024) < 0 ||
	    xc_domain_set_paging_mempool_size(xch, domid,
					      4096ULL * (256 * o.vcpus + 2 * o.mem_mib)) < 0) {
		fprintf(stderr, "xc-build: domain %u limits: %s\n", domid, strerror(errno));
		goto out;
	}
	cfg = (struct xg_pvh_config){
		.domid = domid, .mem_bytes = (uint64_t)o.mem_mib << 20, .vcpus = o.vcpus,
		.kernel = &kernel, .ramdisk = ramdisk, .ramdisk_size = ramdisk_size,
		.cmdline = o.cmdline, .console_domid = 0, .store_domid = DOMID_INVALID,
	};
	if (xg_pvh_build(xch, &cfg, &res, err, sizeof(err)) < 0) {
		fprintf(stderr, "xc-build: building domain %u: %s\n", domid, err);
		goto out;
	}
	t_built = now();
	printf("xc-build: domain %u built from %s in %.0f ms (console pfn 0x%llx port %u)\n",
	       domid, kernel.format, (t_built - t0) * 1000,
	       (unsigned long long)res.console_pfn, res.console_port);
	fmem = xenforeignmemory_open(NULL, 0);
	xce = xenevtchn_open(NULL, 0);
	if (!fmem || !xce)
		goto out;
	ring = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1, &res.console_pfn, NULL);
	local = xenevtchn_bind_interdomain(xce, domid, res.console_port);
	if (!ring || local < 0) {
		fprintf(stderr, "xc-build: console of domain %u: %s\n", domid, strerror(errno));
		goto out;
	}
	if (o.cpu >= 0 && pin_vcpus(xch, domid, o.vcpus, (unsigned int)o.cpu) < 0)
		goto out;
	if (xc_domain_unpause(xch, domid) < 0)
		goto out;
	deadline = now() + o.timeout;
	while (now() < deadline) {
		struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };

		/* The timeout also catches output whose event we missed. */
		if (poll(&pfd, 1, 100) == 1) {
			int port = xenevtchn_pending(xce);

			if (port >= 0)
				xenevtchn_unmask(xce, (evtchn_port_t)port);
		}
		if (drain_console(ring, seen, sizeof(seen), &seen_len, o.marker) && !marker) {
			marker = 1;
			printf("\nxc-build: marker after %.2f s from unpause\n",
			       now() - t_built);
			if (!o.wait_shutdown)
				break;
		}
		xenevtchn_notify(xce, (evtchn_port_t)local);
		if (xc_domain_getinfo_single(xch, domid, &info) == 0 &&
		    (info.flags & XEN_DOMINF_shutdown)) {
			drain_console(ring, seen, sizeof(seen), &seen_len, o.marker);
			off = 1;
			printf("\nxc-build: domain %u shut down, reason %u\n", domid,
			       (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
			break;
		}
	}
	if (!marker)
		fprintf(stderr, "xc-build: no '%s' on the console within %u s\n", o.marker, o.timeout);
	else if (o.wait_shutdown && !off)
		fprintf(stderr, "xc-build: guest did not shut down within %u s\n", o.timeout);
	rc = marker && (off || !o.wait_shutdown) ? 0 : 1;
out:
	if (ring)
		xenforeignmemory_unmap(fmem, ring, 1);
	xenevtchn_close(xce);
	xenforeignmemory_close(fmem);
	/* Never leave a half-built or finished domain behind. */
	if (created) {
		if (xc_domain_destroy(xch, domid) < 0) {
			fprintf(stderr, "xc-build: destroying domain %u: %s\n", domid,
				strerror(errno));
			rc = 1;
		} else {
			printf("xc-build: domain %u destroyed\n", domid);
		}
	}
	xc_interface_close(xch);
	xg_kernel_close(&kernel);
	free(ramdisk);
	return rc;
}
