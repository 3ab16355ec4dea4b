/*
 * Load generator for tests/bench/xenstore: raw xenstore protocol over a
 * Unix socket, several client connections with requests pipelined, so the
 * daemon (not the client) is what is measured.  Prints one line per
 * workload: "<name> <ops per second>", and "mem10k-nodes-kib <KiB>".
 * Each workload first runs unmeasured for $XSB_WARMUP seconds (0.5) so
 * that caches, allocator pools and the scheduler have settled.
 * Exit status 3 if the daemon stalls (no reply for 20 s).
 *
 *   xenstore-bench SOCKET DAEMON_PID [SECONDS_PER_WORKLOAD]
 *   xenstore-bench --slice PID US     (set PID's scheduler slice)
 *   env: XSB_ONLY=<workload>|mem (one of them), XSB_MEMTAG (a fresh
 *        subtree name for mem, so it can be measured again on one daemon),
 *        XSB_CLIENTS (4), XSB_WINDOW (16), XSB_SLICE_US (0: the
 *        kernel's default; see client_slice)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct hdr { uint32_t type, req_id, tx_id, len; };
enum { T_DIR = 1, T_READ = 2, T_WATCH = 4, T_TSTART = 6, T_TEND = 7,
       T_WRITE = 11, T_MKDIR = 12, T_EVENT = 15, T_ERROR = 16 };

#define MAX_CLIENTS 64
static int CLIENTS = 4;  /* $XSB_CLIENTS */
static int WINDOW = 16;  /* $XSB_WINDOW: requests in flight per client */

static const char *sock_path;
static double seconds = 2.0, warmup = 0.5;
static long measured_ops; /* of the last run, for the CPU figure */
static long txn_eagain; /* commits refused: not counted as operations */
static pthread_mutex_t txn_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * With $XSB_SLICE_US, every client thread asks the scheduler for that time
 * slice (Linux 6.12+, sched_setattr runtime for SCHED_OTHER): a client
 * woken by a reply then tends to run soon even on a loaded machine.  The
 * same for every daemon measured; off by default.
 */
static long slice_us;

/* Ask for a slice of `us` microseconds for thread `tid` (0: this one). */
static int set_slice(int tid, long us)
{
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t priority;
		uint64_t runtime, deadline, period;
	} a = { sizeof(a), 0, 0, 0, 0, (uint64_t)us * 1000, 0, 0 };

	return (int)syscall(SYS_sched_setattr, tid, &a, 0);
}

static void client_slice(void)
{
	if (slice_us > 0)
		(void)set_slice(0, slice_us);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int xconnect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	/* The daemon may still be starting: retry for up to 20 s. */
	for (int i = 0; fd >= 0 && i < 2000; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		if (errno != ENOENT && errno != ECONNREFUSED)
			break;
		nanosleep(&ts, NULL);
	}
	perror("connect");
	exit(2);
}

static void write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0) {
			perror("write");
			exit(2);
		}
		p = (const char *)p + w;
		n -= (size_t)w;
	}
}

/* Buffered reader of whole messages. */
struct rd {
	int fd;
	char buf[65536];
	size_t have, off;
};

static void rd_msg(struct rd *r, struct hdr *h, char *body)
{
	for (;;) {
		if (r->have - r->off >= sizeof(*h)) {
			memcpy(h, r->buf + r->off, sizeof(*h));
			if (h->len > 4096) {
				fprintf(stderr, "bad reply length\n");
				exit(2);
			}
			if (r->have - r->off >= sizeof(*h) + h->len) {
				memcpy(body, r->buf + r->off + sizeof(*h),
				       h->len);
				body[h->len] = 0;
				r->off += sizeof(*h) + h->len;
				return;
			}
		}
		memmove(r->buf, r->buf + r->off, r->have - r->off);
		r->have -= r->off;
		r->off = 0;
		/* A daemon silent for 20 s has stalled: give up on it.
		 * (poll then read: measured faster here than a blocking
		 * read with SO_RCVTIMEO, for every daemon alike.) */
		struct pollfd p = { r->fd, POLLIN, 0 };

		if (poll(&p, 1, 20000) != 1) {
			fprintf(stderr, "daemon stalled (no reply in 20 s)\n");
			exit(3);
		}
		ssize_t n = read(r->fd, r->buf + r->have,
				 sizeof(r->buf) - r->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "daemon closed the connection\n");
			exit(2);
		}
		r->have += (size_t)n;
	}
}

static size_t build(char *out, uint32_t type, uint32_t tx, const char *a,
		    const char *b, size_t blen)
{
	struct hdr h = { type, 1, tx, 0 };
	size_t al = strlen(a) + 1;

	memcpy(out + sizeof(h), a, al);
	if (b)
		memcpy(out + sizeof(h) + al, b, blen);
	h.len = (uint32_t)(al + (b ? blen : 0));
	memcpy(out, &h, sizeof(h));
	return sizeof(h) + h.len;
}

static void expect_ok(struct rd *r, const char *what)
{
	struct hdr h;
	char body[4097];

	rd_msg(r, &h, body);
	if (h.type == T_ERROR) {
		fprintf(stderr, "%s: %s\n", what, body);
		exit(2);
	}
}

struct job {
	int kind, id;
	double end;
	long ops;
};

enum { K_READ, K_WRITE, K_DIR, K_TXN, K_READ1 };

/* Pipelined read/write/directory until the deadline; K_READ1: reads one
 * at a time, the round-trip floor a transaction's steps also pay. */
static void *pipelined(void *arg)
{
	struct job *j = arg;
	struct rd *r = calloc(1, sizeof(*r));
	char msg[4200], path[64];
	size_t len;
	long sent = 0, done = 0;
	int window = j->kind == K_READ1 ? 1 : WINDOW;
	struct hdr h;
	char body[4097];

	client_slice();
	r->fd = xconnect();
	snprintf(path, sizeof(path), "/bench/w/%d", j->id);
	for (;;) {
		if (j->kind == K_READ || j->kind == K_READ1)
			len = build(msg, T_READ, 0, "/bench/r", NULL, 0);
		else if (j->kind == K_DIR)
			len = build(msg, T_DIR, 0, "/bench/dir", NULL, 0);
		else
			len = build(msg, T_WRITE, 0, path, "0123456789abcdef",
				    16);
		while (sent - done < window) {
			write_all(r->fd, msg, len);
			sent++;
		}
		rd_msg(r, &h, body);
		if (h.type == T_ERROR) {
			fprintf(stderr, "error %s\n", body);
			exit(2);
		}
		done++;
		if ((done & 63) == 0 && now() >= j->end)
			break;
	}
	while (done < sent) {
		rd_msg(r, &h, body);
		done++;
	}
	j->ops = done;
	close(r->fd);
	free(r);
	return NULL;
}

/* Transaction read-modify-write, one at a time per client. */
static void *txn_rmw(void *arg)
{
	struct job *j = arg;
	struct rd *r = calloc(1, sizeof(*r));
	char msg[4200], path[64], body[4097];
	struct hdr h;
	long done = 0, failed = 0;

	client_slice();
	r->fd = xconnect();
	snprintf(path, sizeof(path), "/bench/t/%d", j->id);
	while (now() < j->end || done == 0) {
		uint32_t tx;
		unsigned long v;
		char val[32];
		size_t len;

		write_all(r->fd, msg, build(msg, T_TSTART, 0, "", NULL, 0));
		rd_msg(r, &h, body);
		tx = (uint32_t)strtoul(body, NULL, 10);
		write_all(r->fd, msg, build(msg, T_READ, tx, path, NULL, 0));
		rd_msg(r, &h, body);
		v = h.type == T_READ ? strtoul(body, NULL, 10) : 0;
		len = (size_t)snprintf(val, sizeof(val), "%lu", v + 1);
		write_all(r->fd, msg, build(msg, T_WRITE, tx, path, val, len));
		rd_msg(r, &h, body);
		write_all(r->fd, msg, build(msg, T_TEND, tx, "T", NULL, 0));
		rd_msg(r, &h, body);
		if (h.type != T_ERROR)
			done++;
		else
			failed++;
	}
	pthread_mutex_lock(&txn_lock);
	txn_eagain += failed;
	pthread_mutex_unlock(&txn_lock);
	j->ops = done;
	close(r->fd);
	free(r);
	return NULL;
}

static double run_clients_for(int kind, double secs)
{
	pthread_t th[MAX_CLIENTS];
	struct job jobs[MAX_CLIENTS];
	double t0 = now(), t1;
	long total = 0;

	for (int i = 0; i < CLIENTS; i++) {
		jobs[i] = (struct job){ kind, i, t0 + secs, 0 };
		pthread_create(&th[i], NULL, kind == K_TXN ? txn_rmw :
			       pipelined, &jobs[i]);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(th[i], NULL);
		total += jobs[i].ops;
	}
	t1 = now();
	measured_ops = total;
	return (double)total / (t1 - t0);
}

/*
 * CPU time the daemon used, in ns, from every thread's schedstat: what a
 * measured period cost the daemon whatever else the machine was doing, so
 * that figure per operation compares daemons even when other load makes
 * the throughput figures jump.
 */
static int daemon_pid;

static double daemon_cpu_ns(void)
{
	char p[64], line[128];
	double sum = 0;
	int found = 0;
	struct dirent *e;
	DIR *d;

	snprintf(p, sizeof(p), "/proc/%d/task", daemon_pid);
	d = opendir(p);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/proc/%d/task/%.16s/schedstat",
			 daemon_pid, e->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			sum += strtod(line, NULL);
			found++;
		}
		fclose(f);
	}
	closedir(d);
	return found ? sum : -1;
}

static double cpu_before;

static void cpu_start(void)
{
	cpu_before = daemon_cpu_ns();
}

/* Print "<name>-cpu-us-per-op <us>" for the period since cpu_start. */
static void cpu_report(const char *name, long ops)
{
	double after = daemon_cpu_ns();

	if (cpu_before < 0 || after < 0 || ops <= 0)
		return;
	printf("%s-cpu-us-per-op %.2f\n", name,
	       (after - cpu_before) / 1000.0 / (double)ops);
}


static double run_clients(int kind)
{
	double r;

	if (warmup > 0)
		run_clients_for(kind, warmup);
	txn_eagain = 0;
	cpu_start();
	r = run_clients_for(kind, seconds);
	if (kind == K_TXN && txn_eagain)
		fprintf(stderr, "txn-rmw: %ld commits refused (EAGAIN)\n",
			txn_eagain);
	return r;
}

/* One watcher, one writer: events per second delivered to the watcher.
 * The watcher runs in its own thread; a daemon that loses events is
 * credited only with what arrived (waiting up to 2 s of silence). */
struct watcher {
	struct rd *r;
	volatile long events;
	volatile double last;
	volatile int stop;
};

static void *watch_reader(void *arg)
{
	struct watcher *w = arg;
	char body[4097];
	struct hdr h;

	client_slice();
	while (!w->stop) {
		struct pollfd p = { w->r->fd, POLLIN, 0 };

		if (w->r->have == w->r->off && poll(&p, 1, 100) != 1)
			continue;
		rd_msg(w->r, &h, body);
		if (h.type == T_EVENT) {
			w->events++;
			w->last = now();
		}
	}
	return NULL;
}

static double run_watch_for(double secs, bool report)
{
	struct rd *wr = calloc(1, sizeof(*wr));
	struct watcher w = { calloc(1, sizeof(struct rd)), 0, 0, 0 };
	char msg[4200], body[4097];
	struct hdr h;
	long sent = 0, acked = 0, seen;
	double t0, quiet;
	pthread_t th;

	w.r->fd = xconnect();
	wr->fd = xconnect();
	write_all(w.r->fd, msg, build(msg, T_WATCH, 0, "/bench/wf", "tok", 4));
	for (int events = 0; events < 1;) { /* OK and the initial event */
		rd_msg(w.r, &h, body);
		events += h.type == T_EVENT;
	}
	pthread_create(&th, NULL, watch_reader, &w);
	t0 = now();
	size_t len = build(msg, T_WRITE, 0, "/bench/wf/x", "v", 1);
	while (now() < t0 + secs) {
		for (int i = 0; i < WINDOW; i++) {
			write_all(wr->fd, msg, len);
			sent++;
		}
		while (acked < sent) {
			rd_msg(wr, &h, body);
			acked++;
		}
	}
	seen = -1;
	quiet = now();
	while (w.events < sent && now() - quiet < 2.0) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (w.events != seen) {
			seen = w.events;
			quiet = now();
		}
		nanosleep(&ts, NULL);
	}
	w.stop = 1;
	pthread_join(th, NULL);
	if (report && w.events < sent)
		fprintf(stderr, "watch-fire: %ld of %ld events arrived\n",
			w.events, sent);
	close(w.r->fd);
	close(wr->fd);
	free(w.r);
	free(wr);
	measured_ops = w.events;
	return w.events ? (double)w.events / (w.last - t0) : 0;
}

static double run_watch(void)
{
	if (warmup > 0)
		run_watch_for(warmup, false);
	cpu_start();
	return run_watch_for(seconds, true);
}

static long rss_kib(int pid)
{
	char p[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/status", pid);
	f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

/* The client workloads, in the order they run (names as printed). */
static const struct {
	const char *name;
	int kind;
} loads[] = {
	{ "read", K_READ }, { "write", K_WRITE }, { "directory", K_DIR },
	{ "read-1-in-flight", K_READ1 }, { "txn-rmw", K_TXN },
};

int main(int argc, char **argv)
{
	struct rd *r;
	char msg[4200], path[64];
	int pid;
	long before, after;
	const char *only;

	/* "--slice PID US": give another process that scheduler slice (the
	 * script's REF_SLICE, for comparing with ours on equal terms). */
	if (argc == 4 && !strcmp(argv[1], "--slice")) {
		if (set_slice(atoi(argv[2]), atol(argv[3]))) {
			perror("sched_setattr");
			return 1;
		}
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: %s SOCKET DAEMON_PID [SECONDS]\n",
			argv[0]);
		return 2;
	}
	sock_path = argv[1];
	pid = atoi(argv[2]);
	daemon_pid = pid;
	if (argc > 3)
		seconds = atof(argv[3]);
	if (getenv("XSB_CLIENTS"))
		CLIENTS = atoi(getenv("XSB_CLIENTS"));
	if (getenv("XSB_SLICE_US"))
		slice_us = atol(getenv("XSB_SLICE_US"));
	client_slice(); /* this thread: setup, mem, the watch-fire writer */
	if (getenv("XSB_WARMUP"))
		warmup = atof(getenv("XSB_WARMUP"));
	if (getenv("XSB_WINDOW"))
		WINDOW = atoi(getenv("XSB_WINDOW"));
	if (CLIENTS < 1 || CLIENTS > MAX_CLIENTS || WINDOW < 1) {
		fprintf(stderr, "bad XSB_CLIENTS/XSB_WINDOW\n");
		return 2;
	}

	r = calloc(1, sizeof(*r));
	r->fd = xconnect();
	write_all(r->fd, msg, build(msg, T_WRITE, 0, "/bench/r",
				    "0123456789abcdef", 16));
	expect_ok(r, "setup");
	for (int i = 0; i < 50; i++) {
		snprintf(path, sizeof(path), "/bench/dir/entry-%02d", i);
		write_all(r->fd, msg, build(msg, T_WRITE, 0, path, "x", 1));
		expect_ok(r, "setup");
	}
	for (int i = 0; i < CLIENTS; i++) {
		snprintf(path, sizeof(path), "/bench/t/%d", i);
		write_all(r->fd, msg, build(msg, T_WRITE, 0, path, "0", 1));
		expect_ok(r, "setup");
	}

	only = getenv("XSB_ONLY"); /* one workload (the script's way) */
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		double v;

		if (only && strcmp(only, loads[i].name))
			continue;
		v = run_clients(loads[i].kind);
		printf("%s %.0f\n", loads[i].name, v);
		cpu_report(loads[i].name, measured_ops);
	}
	fflush(stdout);
	if (!only || !strcmp(only, "mem")) {
		/* RSS growth for 10,000 small nodes (pipelined writes) in a
		 * subtree not written before. */
		const char *tag = getenv("XSB_MEMTAG");

		before = rss_kib(pid);
		for (int i = 0; i < 10000; i++) {
			size_t len;
			char val[32];
			int vl = snprintf(val, sizeof(val), "value-%d", i);

			snprintf(path, sizeof(path), "/bench/mem%s/%d",
				 tag ? tag : "", i);
			len = build(msg, T_WRITE, 0, path, val, (size_t)vl);
			write_all(r->fd, msg, len);
			if (i % 16 == 15)
				for (int k = 0; k < 16; k++)
					expect_ok(r, "mem");
		}
		for (int k = 0; k < 10000 % 16; k++)
			expect_ok(r, "mem");
		/* a round trip so the last writes are surely applied */
		write_all(r->fd, msg, build(msg, T_READ, 0, "/bench/r", NULL,
					    0));
		expect_ok(r, "mem");
		after = rss_kib(pid);
		printf("mem10k-nodes-kib %ld\n", after - before);
		fflush(stdout);
	}
	/* last: some daemons stall under this one */
	if (!only || !strcmp(only, "watch-fire")) {
		double v = run_watch();

		printf("watch-fire %.0f\n", v);
		/* per event delivered, over the whole period incl. draining */
		cpu_report("watch-fire", measured_ops);
	}
	close(r->fd);
	free(r);
	return 0;
}
