/* xenstored: options, the Unix socket, the event loop, daemon plumbing. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "luexec.h"
#include "pollwin.h"
#include "sched.h"
#include "sendbatch.h"
#include "xenbus.h"
#include "xsd.h"

struct opts {
	bool no_domain_init, no_fork, output_pid, live_update;
	const char *pid_file, *trace_file;
	long busy_poll_us;
	long sched_slice_us;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fputs("Usage:\n\n  xenstored <options>\n\nwhere options may include:\n\n"
	      "  -D, --no-domain-init    do not connect dom0's ring\n"
	      "  -F, --pid-file <file>   write the daemon's pid to <file>\n"
	      "  -H, --help              print this message\n"
	      "  -N, --no-fork           stay in the foreground\n"
	      "  -P, --output-pid        print the daemon's pid on stdout\n"
	      "  -T, --trace-file <file> log every message to <file>\n"
	      "  -E, --entry-nb <nb>     nodes per domain (1000)\n"
	      "  -S, --entry-size <size> bytes per node (2048)\n"
	      "  -W, --watch-nb <nb>     watches per domain (128)\n"
	      "  -t, --transaction <nb>  open transactions per domain (10)\n"
	      "  -A, --perm-nb <nb>      permissions per node (5)\n"
	      "  -M, --path-max <chars>  node path length below the domain's"
	      " home (2048)\n"
	      "  -Q, --quota <what>=<nb> transaction-nodes (1024), memory\n"
	      "                          (2621440), outstanding (20), nodes,\n"
	      "                          node-size, watches, transactions,\n"
	      "                          node-permissions, path-length\n"
	      "  -q, --quota-soft memory=<nb>  warn above this (2097152)\n"
	      "  -w, --timeout watch-event=<seconds>\n"
	      "  -R, --no-recovery       accepted for compatibility\n"
	      "  -I, --internal-db [on|off]  the store is always in memory\n"
	      "  -K, --keep-orphans      give a released domain's nodes to"
	      " dom0\n"
	      "  -V, --verbose           log more\n"
	      "  -U, --live-update       started by a live update: take over"
	      " the state\n"
	      "                          the old daemon left\n"
	      "      --busy-poll <us>    poll up to this long for the next"
	      " request\n"
	      "                          before sleeping, adaptively (0: never,"
	      " the\n"
	      "                          default; for a dom0 with a CPU to"
	      " spare)\n"
	      "      --sched-slice <us>  ask the scheduler for this time slice"
	      " (100,\n"
	      "                          the default, to 100000; 0: the"
	      " kernel's):\n"
	      "                          short means served soon after a"
	      " request\n",
	      f);
}

static int parse_long(const char *opt, const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < 0) {
		fprintf(stderr, "xenstored: option %s: '%s' is not a "
			"non-negative number\n", opt, s);
		return -1;
	}
	return 0;
}

static int parse_quota(struct xsd *x, const char *opt, const char *arg,
		       bool soft, bool timeout)
{
	const char *eq = strchr(arg, '=');
	char name[64];
	long v;

	if (!eq || (size_t)(eq - arg) >= sizeof(name)) {
		fprintf(stderr, "xenstored: option %s: expected <what>=<nb>, "
			"got '%s'\n", opt, arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if (parse_long(opt, eq + 1, &v))
		return -1;
	if (timeout) {
		if (strcmp(name, "watch-event")) {
			fprintf(stderr, "xenstored: option %s: unknown timeout"
				" '%s'\n", opt, name);
			return -1;
		}
		x->q.watch_timeout = v;
		return 0;
	}
	if (xsd_quota_set(&x->q, name, v, soft)) {
		fprintf(stderr, "xenstored: option %s: unknown quota '%s'\n",
			opt, name);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct xsd *x, struct opts *o)
{
	static const struct option lo[] = {
		{ "no-domain-init", no_argument, NULL, 'D' },
		{ "pid-file", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'H' },
		{ "no-fork", no_argument, NULL, 'N' },
		{ "output-pid", no_argument, NULL, 'P' },
		{ "trace-file", required_argument, NULL, 'T' },
		{ "trace-control", required_argument, NULL, 1 },
		{ "entry-nb", required_argument, NULL, 'E' },
		{ "entry-size", required_argument, NULL, 'S' },
		{ "watch-nb", required_argument, NULL, 'W' },
		{ "transaction", required_argument, NULL, 't' },
		{ "perm-nb", required_argument, NULL, 'A' },
		{ "path-max", required_argument, NULL, 'M' },
		{ "quota", required_argument, NULL, 'Q' },
		{ "quota-soft", required_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "no-recovery", no_argument, NULL, 'R' },
		{ "internal-db", optional_argument, NULL, 'I' },
		{ "keep-orphans", no_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "live-update", no_argument, NULL, 'U' },
		{ "busy-poll", required_argument, NULL, 2 },
		{ "sched-slice", required_argument, NULL, 3 },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	long v;

	while ((ch = getopt_long(argc, argv, "DF:HNPT:E:S:W:t:A:M:Q:q:w:RI::KVU",
				 lo, NULL)) != -1) {
		switch (ch) {
		case 'D': o->no_domain_init = true; break;
		case 'F': o->pid_file = optarg; break;
		case 'H': usage(stdout); exit(0);
		case 'N': o->no_fork = true; break;
		case 'P': o->output_pid = true; break;
		case 'T': o->trace_file = optarg; break;
		case 1: break; /* trace switches: everything is traced */
		case 2:
			if (parse_long("--busy-poll", optarg, &v))
				return -1;
			if (v > POLLWIN_MAX_US) {
				fprintf(stderr, "xenstored: option --busy-poll:"
					" %ld is above the limit of %d us\n",
					v, POLLWIN_MAX_US);
				return -1;
			}
			o->busy_poll_us = v;
			break;
		case 3:
			if (parse_long("--sched-slice", optarg, &v))
				return -1;
			if (v && (v < SCHED_SLICE_MIN_US ||
				  v > SCHED_SLICE_MAX_US)) {
				fprintf(stderr, "xenstored: option --sched-slice:"
					" %ld is outside %d..%d us (or 0)\n", v,
					SCHED_SLICE_MIN_US, SCHED_SLICE_MAX_US);
				return -1;
			}
			o->sched_slice_us = v;
			break;
		case 'E': case 'S': case 'W': case 't': case 'A': case 'M': {
			static const char *const names[] = {
				"entry-nb", "entry-size", "watch-nb",
				"transaction", "perm-nb", "path-max" };
			const char *all = "ESWtAM";
			char opt[4] = { '-', (char)ch, 0, 0 };

			if (parse_long(opt, optarg, &v))
				return -1;
			xsd_quota_set(&x->q, names[strchr(all, ch) - all], v,
				      false);
			break;
		}
		case 'Q': case 'q': case 'w':
			if (parse_quota(x, ch == 'Q' ? "-Q" : ch == 'q' ? "-q" :
					"-w", optarg, ch == 'q', ch == 'w'))
				return -1;
			break;
		case 'R': break;
		case 'I':
			if (optarg && strcmp(optarg, "on") &&
			    strcmp(optarg, "off")) {
				fprintf(stderr, "xenstored: option -I: expected"
					" on or off, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'K': x->keep_orphans = true; break;
		case 'V': x->log.verbose = true; break;
		case 'U': o->live_update = true; break;
		default:
			usage(stderr);
			return -1;
		}
	}
	/* "-I off" as two words: the C daemon tolerates it too. */
	if (optind < argc && (!strcmp(argv[optind], "on") ||
			      !strcmp(argv[optind], "off")) &&
	    optind > 1 && (!strcmp(argv[optind - 1], "-I") ||
			   !strcmp(argv[optind - 1], "--internal-db")))
		optind++;
	if (optind != argc) {
		fprintf(stderr, "xenstored: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static bool has_arg(int argc, char **argv, const char *arg)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], arg))
			return true;
	return false;
}

static const char *socket_path(char *buf, size_t len)
{
	const char *p = getenv("XENSTORED_PATH");
	const char *dir = getenv("XENSTORED_RUNDIR");

	if (p)
		return p;
	snprintf(buf, len, "%s/socket", dir ? dir : "/var/run/xenstored");
	return buf;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xenstored: socket path '%s' is too long\n",
			path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(fd, 128))
		goto fail;
	return fd;
fail:
	fprintf(stderr, "xenstored: socket %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

struct sock_data {
	uint32_t events;
};

static ssize_t sock_read(struct xsd_conn *c, void *buf, size_t len)
{
	ssize_t n = read(c->fd, buf, len);

	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

static ssize_t sock_write(struct xsd_conn *c, const void *buf, size_t len)
{
	ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return -1;
}

static void sock_destroy(struct xsd_conn *c)
{
	close(c->fd);
	free(c->tp_data);
}

static const struct xsd_transport sock_transport = {
	.read = sock_read,
	.write = sock_write,
	.destroy = sock_destroy,
};

static int ep_tag_listen, ep_tag_evtchn;

/* Poll for what the connection can use now. */
static void sock_update(int ep, struct xsd_conn *c)
{
	struct sock_data *sd = c->tp_data;
	uint32_t want = (conn_wants_input(c) ? EPOLLIN : 0) |
			(c->out_len > c->out_off ? EPOLLOUT : 0);
	struct epoll_event ev = { .events = want, .data.ptr = c };

	if (want != sd->events) {
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
		sd->events = want;
	}
}

/* A connection of a connected socket (accepted, or kept by a live
 * update); the caller adds it to the epoll set. */
static struct xsd_conn *sock_conn_new(struct xsd *x, int fd)
{
	struct sock_data *sd = calloc(1, sizeof(*sd));
	struct xsd_conn *c = sd ? conn_new(x, &sock_transport, sd, fd, 0) :
				  NULL;

	if (!c)
		free(sd);
	return c;
}

static int sock_watch(int ep, struct xsd_conn *c)
{
	struct sock_data *sd = c->tp_data;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	sd->events = EPOLLIN;
	return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void accept_all(struct xsd *x, int ep, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct xsd_conn *c;

		if (fd < 0)
			return;
		c = sock_conn_new(x, fd);
		if (!c) {
			close(fd);
			continue;
		}
		if (sock_watch(ep, c)) {
			conn_free(c);
			continue;
		}
		xsd_logf(x, LOG_DEBUG, "new connection %p", (void *)c);
	}
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Wait for events: poll for the adaptive window first (see pollwin.h),
 * then sleep.  SIGTERM/SIGINT are blocked except inside epoll_pwait, so
 * one that arrives just before we sleep still ends the wait. */
static int wait_events(struct pollwin *pw, int ep, struct epoll_event *evs,
		       int max, int timeout_ms, const sigset_t *run_mask)
{
	uint32_t win = pollwin_window(pw);
	uint64_t t0;
	int n;

	if (win) {
		uint64_t last = now_us(), end = last + win;

		for (;;) {
			uint64_t t;

			n = epoll_pwait(ep, evs, max, 0, run_mask);
			if (n) {
				pollwin_after_spin(pw, true);
				return n;
			}
			/* A gap means we were preempted: the CPU is
			 * contended and polling takes from others. */
			t = now_us();
			if (stop_signal || t - last > POLLWIN_GAP_MAX_US ||
			    t >= end)
				break;
			last = t;
		}
		pollwin_after_spin(pw, false);
	}
	t0 = now_us();
	n = epoll_pwait(ep, evs, max, timeout_ms, run_mask);
	if (n > 0)
		pollwin_after_sleep(pw, now_us() - t0);
	return n;
}

#define BATCH_MAX 64

struct batch_round {
	struct xsd_conn *c[BATCH_MAX];
	bool done[BATCH_MAX];
	unsigned int n;
};

static void batch_done(void *arg, uint64_t tag, int res)
{
	struct batch_round *r = arg;

	if (tag < r->n && !r->done[tag]) {
		r->done[tag] = true;
		conn_sent(r->c[tag], res);
	}
}

/* Every socket connection's queued output, in one system call when the
 * batch ring is there (see sendbatch.h), else one send each. */
static void flush_sockets(struct xsd *x, struct sendbatch *sb)
{
	struct batch_round r;
	unsigned int n = 0;

	for (struct xsd_conn *c = x->conns; c; c = c->next) {
		if (c->fd < 0 || c->dead || c->out_len == c->out_off)
			continue;
		if (n < BATCH_MAX &&
		    sendbatch_add(sb, c->fd, c->out + c->out_off,
				  c->out_len - c->out_off, n)) {
			r.c[n] = c;
			r.done[n++] = false;
		} else {
			conn_flush(c);
		}
	}
	if (!n)
		return;
	r.n = n;
	if (sendbatch_run(sb, batch_done, &r) < 0)
		xsd_logf(x, LOG_WARNING, "batched sends failed: using send()");
	for (unsigned int i = 0; i < n; i++)
		if (!r.done[i])
			conn_flush(r.c[i]);
}

/* A live update asked for and now due: run it (returns only if it
 * failed), or give up on it when it has waited too long. */
static void live_update_poll(struct xsd *x, struct xenbus *xb, int lfd,
			     int argc, char **argv)
{
	char why[512];

	switch (lu_poll(x, why, sizeof(why))) {
	case LU_GO:
		lu_answer(x, luexec_run(x, xb, lfd, argc, argv));
		break;
	case LU_REFUSED:
		lu_answer(x, why);
		break;
	default:
		break;
	}
}

static void loop(struct xsd *x, struct xenbus *xb, int ep, int lfd,
		 uint32_t busy_poll_us, const sigset_t *run_mask, int argc,
		 char **argv)
{
	struct epoll_event evs[64];
	struct pollwin pw;
	struct sendbatch sb;
	int err;

	err = sendbatch_init(&sb, BATCH_MAX);
	if (err)
		xsd_logf(x, LOG_INFO, "no io_uring (%s): one send() per reply",
			 strerror(-err));

	pollwin_init(&pw, busy_poll_us);
	while (!stop_signal) {
		bool events_queued;
		int n;

		xsd_reap(x);
		/* Queued watch events: wake at least once a second so that
		 * those nobody reads time out (-w watch-event). */
		events_queued = x->q.watch_timeout && evq_waiting(x);
		n = wait_events(&pw, ep, evs, 64, x->lu && x->lu->started ?
				250 : events_queued ? 1000 : -1, run_mask);
		if (events_queued) {
			uint64_t now = xsd_now_ms(x);

			for (struct xsd_conn *c = x->conns; c; c = c->next)
				if (c->evq_n > c->evq_head)
					evq_expire(c, now);
		}

		if (n < 0) {
			if (errno == EINTR)
				continue;
			xsd_logf(x, LOG_ERR, "epoll_wait: %s", strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++) {
			void *tag = evs[i].data.ptr;
			struct xsd_conn *c = tag;

			if (tag == &ep_tag_listen) {
				accept_all(x, ep, lfd);
				continue;
			}
			if (tag == &ep_tag_evtchn) {
				xenbus_event(xb, x);
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				conn_input(c);
			if (evs[i].events & EPOLLOUT)
				conn_flush(c);
		}
		xenbus_poll_rings(x);
		live_update_poll(x, xb, lfd, argc, argv);
		/* Replies and the watch events they caused, everywhere. */
		flush_sockets(x, &sb);
		for (struct xsd_conn *c = x->conns, *next; c; c = next) {
			next = c->next;
			if (c->fd < 0)
				continue;
			if (!c->dead && c->in_len && conn_wants_input(c)) {
				/* Back-pressure ended: buffered requests. */
				conn_input(c);
				conn_flush(c);
			}
			if (c->dead) {
				xsd_logf(x, LOG_DEBUG, "connection %p closed",
					 (void *)c);
				conn_free(c); /* closing the fd unregisters it */
				continue;
			}
			sock_update(ep, c);
		}
	}
	sendbatch_fini(&sb);
}

int main(int argc, char **argv)
{
	static struct xsd x; /* large buffers: not on the stack */
	struct opts o = { .busy_poll_us = POLLWIN_DEFAULT_MAX_US,
			  .sched_slice_us = SCHED_SLICE_DEFAULT_US };
	struct xenbus xb;
	char pathbuf[512];
	const char *path;
	int lfd, ep, ready_fd = -1, err;
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t stop_set, run_mask;

	if (xsd_init(&x)) {
		fprintf(stderr, "xenstored: out of memory\n");
		return 1;
	}
	if (parse_args(argc, argv, &x, &o)) {
		/* After a live update the store of the whole host lives in
		 * this process: a bad -c command line must not end it. */
		if (!has_arg(argc, argv, "-U") &&
		    !has_arg(argc, argv, "--live-update"))
			return 2;
		fprintf(stderr, "xenstored: live update: the command line "
			"above is not valid: running with the defaults\n");
		syslog(LOG_ERR, "live update: command line not valid: "
		       "running with the defaults");
		xsd_quota_defaults(&x.q);
		x.keep_orphans = false;
		x.log.verbose = false;
		o = (struct opts){ .busy_poll_us = POLLWIN_DEFAULT_MAX_US,
				   .sched_slice_us = SCHED_SLICE_DEFAULT_US,
				   .live_update = true };
	}
	x.log.to_syslog = true;
	x.log.to_stderr = o.no_fork;
	if (o.trace_file) {
		x.log.trace = fopen(o.trace_file, "ae");
		if (!x.log.trace) {
			fprintf(stderr, "xenstored: trace file %s: %s\n",
				o.trace_file, strerror(errno));
			return 1;
		}
		setvbuf(x.log.trace, NULL, _IOLBF, 0);
	}
	openlog("xenstored", LOG_PID, LOG_DAEMON);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	sigprocmask(SIG_BLOCK, &stop_set, &run_mask);
	sigdelset(&run_mask, SIGTERM);
	sigdelset(&run_mask, SIGINT);

	path = socket_path(pathbuf, sizeof(pathbuf));
	xenbus_init(&xb, &x);
	if (o.live_update) {
		/* Same process, already a daemon: take over what the old
		 * binary left, and detach from nothing. */
		o.no_fork = true;
		if (luexec_restore(&x, &xb, &lfd, sock_conn_new))
			return 1;
	} else {
		lfd = listen_on(path);
		if (lfd < 0)
			return 1;
	}
	if (!o.no_fork && (ready_fd = daemon_detach("xenstored")) < 0)
		return 1;
	if (o.pid_file && daemon_write_pid_file("xenstored", o.pid_file))
		return 1;

	if (!o.no_domain_init && !o.live_update) {
		err = xenbus_dom0(&xb, &x);
		if (err)
			xsd_logf(&x, LOG_NOTICE, "no dom0 ring (%s): serving "
				 "the socket only", strerror(-err));
	}
	if (xb.evtchn_fd >= 0) {
		err = xenbus_watch_domains(&xb, &x);
		if (err)
			xsd_logf(&x, LOG_NOTICE, "no VIRQ_DOM_EXC (%s): domains "
				 "are released by XS_RELEASE only",
				 strerror(-err));
		else if (o.live_update)
			xenbus_check_domains(&xb, &x); /* gone meanwhile? */
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.data.ptr = &ep_tag_listen;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev)) {
		fprintf(stderr, "xenstored: epoll: %s\n", strerror(errno));
		return 1;
	}
	if (xb.evtchn_fd >= 0) {
		ev.data.ptr = &ep_tag_evtchn;
		epoll_ctl(ep, EPOLL_CTL_ADD, xb.evtchn_fd, &ev);
	}
	/* Kept connections: requests they had sent are served now, and
	 * replies waiting (the live update's own "OK") go out. */
	for (struct xsd_conn *c = x.conns, *next; c; c = next) {
		next = c->next;
		if (c->fd < 0) {
			if (o.live_update && ring_conn_is(c))
				ring_conn_event(c);
			continue;
		}
		if (sock_watch(ep, c)) {
			conn_free(c);
			continue;
		}
		if (c->in_len)
			conn_input(c);
		conn_flush(c);
		sock_update(ep, c);
	}

	if (o.sched_slice_us) {
		err = sched_set_slice((uint32_t)o.sched_slice_us);
		if (err)
			xsd_logf(&x, LOG_INFO, "scheduler slice of %ld us not "
				 "set (%s): the kernel's default applies",
				 o.sched_slice_us, err == -EBUSY ?
				 "not SCHED_OTHER, left as set" :
				 strerror(-err));
	}
	if (o.output_pid) {
		printf("%ld\n", (long)getpid());
		fflush(stdout);
	}
	if (!o.live_update)
		daemon_notify_systemd("xenstored"); /* told once, as Xen's */
	if (ready_fd >= 0) {
		daemon_quiet_stdio();
		if (daemon_ready(ready_fd))
			return 1;
	}
	loop(&x, &xb, ep, lfd, (uint32_t)o.busy_poll_us, &run_mask, argc,
	     argv);
	xsd_logf(&x, LOG_INFO, "exiting on signal %d", (int)stop_signal);
	close(lfd);
	unlink(path);
	if (o.pid_file)
		unlink(o.pid_file);
	xsd_fini(&x);
	if (x.log.trace)
		fclose(x.log.trace);
	return 0;
}
