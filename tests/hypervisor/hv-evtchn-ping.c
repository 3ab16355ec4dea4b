/* hv-evtchn-ping [-w] [-c CPU] DOMID PORT [COUNT]: event channel round
 * trips from dom0 user space to a guest that answers every event
 * (pvh-idle "echo"): binds to the guest's port, then COUNT times sends an
 * event and waits for the answer.  Prints "rtt_us=<mean>" (microseconds
 * per round trip).  -c runs it on that dom0 CPU only; -w also prints where
 * it ran and which dom0 CPUs took the event's interrupts (the round trip
 * depends on both). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenevtchn.h>

static int parse_uint(const char *s, const char *what, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || end == s || *end || *out > max) {
		fprintf(stderr, "hv-evtchn-ping: bad %s '%s' (0..%lu)\n", what, s, max);
		return -1;
	}
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Linux names a user event channel's interrupt "evtchn:<command>" */
static void print_irq_line(void)
{
	char line[512];
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f) {
		perror("hv-evtchn-ping: /proc/interrupts");
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "evtchn:hv-evtchn-pi"))
			printf("irq: %s", line);
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned long domid, port, count = 1000, cpu = 0;
	xenevtchn_handle *xce;
	int local, rc = 1, opt, cpu_start;
	bool where = false, pin = false;
	double t0;

	while ((opt = getopt(argc, argv, "wc:")) != -1) {
		if (opt == 'w') {
			where = true;
		} else if (opt == 'c') {
			if (parse_uint(optarg, "cpu", CPU_SETSIZE - 1, &cpu))
				return 2;
			pin = true;
		} else {
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: hv-evtchn-ping [-w] [-c CPU] DOMID PORT [COUNT]\n");
		return 2;
	}
	if (parse_uint(argv[1], "domid", 0x7FEF, &domid) ||
	    parse_uint(argv[2], "port", 0xFFFFFFFFUL, &port) ||
	    (argc == 4 && parse_uint(argv[3], "count", 10000000, &count)) || count == 0)
		return 2;
	if (pin) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			fprintf(stderr, "hv-evtchn-ping: run on CPU %lu: %s\n", cpu,
				strerror(errno));
			return 1;
		}
	}
	xce = xenevtchn_open(NULL, 0);
	if (!xce) {
		perror("hv-evtchn-ping: /dev/xen/evtchn");
		return 1;
	}
	local = xenevtchn_bind_interdomain(xce, (uint32_t)domid, (evtchn_port_t)port);
	if (local < 0) {
		fprintf(stderr, "hv-evtchn-ping: bind to domain %lu port %lu: %s\n", domid, port,
			strerror(errno));
		goto out;
	}
	cpu_start = sched_getcpu();
	t0 = now_us();
	for (unsigned long i = 0; i < count; i++) {
		int got;

		if (xenevtchn_notify(xce, (evtchn_port_t)local) < 0) {
			fprintf(stderr, "hv-evtchn-ping: notify: %s\n", strerror(errno));
			goto out;
		}
		got = xenevtchn_pending(xce);
		if (got != local || xenevtchn_unmask(xce, (evtchn_port_t)got) < 0) {
			fprintf(stderr, "hv-evtchn-ping: round trip %lu: port %d (%s)\n", i, got,
				got < 0 ? strerror(errno) : "not ours");
			goto out;
		}
	}
	printf("rtt_us=%.1f count=%lu\n", (now_us() - t0) / (double)count, count);
	if (where) {
		printf("ran on CPU %d (started on %d)\n", sched_getcpu(), cpu_start);
		print_irq_line();
	}
	rc = 0;
out:
	xenevtchn_close(xce);
	return rc;
}
