/* xenconsoled: options, daemon start-up and the event loop. Options and
 * defaults are those of Xen 4.17's xenconsoled. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include "config.h"
#include "console.h"
#include "daemon.h"

static bool log_to_stderr = true;

void console_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_to_stderr) {
		fputs("xenconsoled: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(LOG_INFO, fmt, ap);
	}
	va_end(ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xenconsoled [-h] [-V] [-v] [-i] [--log=none|guest|hv|all]\n"
		"                   [--log-dir=DIR] [--pid-file=FILE]\n"
		"                   [-t, --timestamp=none|guest|hv|all]\n"
		"                   [-o, --overflow-data=discard|keep]\n");
}

/* --OPT=none|guest|hv|all into two flags; reports anything else. */
static int parse_which(const char *opt, const char *arg, bool *guest, bool *hv)
{
	*guest = !strcmp(arg, "guest") || !strcmp(arg, "all");
	*hv = !strcmp(arg, "hv") || !strcmp(arg, "all");
	if (*guest || *hv || !strcmp(arg, "none"))
		return 0;
	fprintf(stderr, "xenconsoled: --%s: '%s' is not none, guest, hv or all\n", opt, arg);
	return -1;
}

static int parse_options(int argc, char **argv, struct console_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-dir", required_argument, NULL, 'r' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "timestamp", required_argument, NULL, 't' },
		{ "overflow-data", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct console_opts){ .log_dir = "/var/log/xen/console" };
	while ((c = getopt_long(argc, argv, "hVvit:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("xenconsoled (Xenolith %s, Xen 4.17 compatible)\n", PACKAGE_VERSION);
			exit(0);
		case 'v':
			break;
		case 'i':
			o->foreground = true;
			break;
		case 'l':
			if (parse_which("log", optarg, &o->log_guest, &o->log_hv))
				return -1;
			break;
		case 'r':
			o->log_dir = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 't':
			if (parse_which("timestamp", optarg, &o->timestamp_guest, &o->timestamp_hv))
				return -1;
			break;
		case 'o':
			if (!strcmp(optarg, "keep"))
				o->overflow_keep = true;
			else if (strcmp(optarg, "discard") != 0) {
				fprintf(stderr, "xenconsoled: --overflow-data: '%s' is not discard or keep\n", optarg);
				return -1;
			}
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "xenconsoled: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int daemon_open(struct daemon *d)
{
	d->hv_port = -1;
	d->hv_log_fd = -1;
	d->hv_at_line_start = true;
	d->xs = xs_open(0);
	if (!d->xs) {
		fprintf(stderr, "xenconsoled: cannot connect to xenstored: %s\n", strerror(errno));
		return -1;
	}
	d->xch = xc_interface_open(NULL, NULL, 0);
	d->xce = xenevtchn_open(NULL, 0);
	d->xgt = xengnttab_open(NULL, 0);
	d->fmem = xenforeignmemory_open(NULL, 0);
	if (!d->xch || !d->xce || !d->xgt || !d->fmem) {
		fprintf(stderr, "xenconsoled: cannot open the Xen devices (privcmd, evtchn, gntdev): %s\n",
			strerror(errno));
		return -1;
	}
	if (!xs_watch(d->xs, "@introduceDomain", "domlist") ||
	    !xs_watch(d->xs, "@releaseDomain", "domlist")) {
		fprintf(stderr, "xenconsoled: cannot watch domain changes: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void handle_xenstore(struct daemon *d)
{
	unsigned int num;
	char **w = xs_read_watch(d->xs, &num);

	/* Any of our watches means the set of consoles may have changed. */
	if (w) {
		free(w);
		guests_scan(d);
	}
}

static void handle_evtchn(struct daemon *d)
{
	int port = xenevtchn_pending(d->xce);
	struct guest *g;

	if (port < 0)
		return;
	xenevtchn_unmask(d->xce, (evtchn_port_t)port);
	if (port == d->hv_port) {
		hvlog_drain(d);
		return;
	}
	g = guest_by_port(d, port);
	if (g)
		guest_handle_event(d, g);
}

/* Start-up is over: the parent that waits in daemon_detach() exits 0,
 * and from now on we log to syslog. */
static void detach_done(int ready_fd)
{
	if (daemon_ready(ready_fd) < 0)
		console_log("start-up handshake: %s", strerror(errno));
	daemon_quiet_stdio();
	log_to_stderr = false;
	openlog("xenconsoled", LOG_PID, LOG_DAEMON);
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int run(struct daemon *d)
{
	struct pollfd *fds = NULL;
	size_t cap = 0;

	while (!stopping) {
		struct guest *g;
		size_t n = 2, i;

		for (g = d->guests; g; g = g->next)
			n++;
		if (n > cap) {
			struct pollfd *p = realloc(fds, n * sizeof(*fds));

			if (!p)
				return -1;
			fds = p;
			cap = n;
		}
		fds[0] = (struct pollfd){ .fd = xs_fileno(d->xs), .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = xenevtchn_fd(d->xce), .events = POLLIN };
		for (i = 2, g = d->guests; g; g = g->next, i++) {
			fds[i] = (struct pollfd){ .fd = g->master_fd, .events = POLLIN };
			if (g->out.len)
				fds[i].events |= POLLOUT;
		}
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			console_log("poll: %s", strerror(errno));
			free(fds);
			return -1;
		}
		/* Guests first: a scan below may free some of them. */
		for (i = 2, g = d->guests; g && i < n; g = g->next, i++) {
			if (fds[i].fd != g->master_fd || g->master_fd < 0)
				continue;
			if (fds[i].revents & POLLIN)
				guest_handle_pty(d, g);
			if (fds[i].revents & POLLOUT)
				guest_flush_pty(g);
		}
		if (fds[1].revents & POLLIN)
			handle_evtchn(d);
		if (fds[0].revents & POLLIN)
			handle_xenstore(d);
	}
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon d = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	int rc = 1, ready_fd = -1;

	if (parse_options(argc, argv, &d.opts) < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Detach before opening anything: libxenstore's watch thread would
	 * not survive a fork.  The parent stays until we are ready, so init
	 * scripts see start-up failures. */
	if (!d.opts.foreground && (ready_fd = daemon_detach("xenconsoled")) < 0)
		return 1;
	if (daemon_open(&d) < 0)
		goto out;
	if (d.opts.log_hv && hvlog_start(&d) < 0)
		goto out;
	guests_scan(&d);
	/* The pid file appears once we are ready, so scripts can wait on it. */
	if (d.opts.pid_file && daemon_write_pid_file("xenconsoled", d.opts.pid_file) < 0)
		goto out;
	if (ready_fd >= 0)
		detach_done(ready_fd);
	rc = run(&d) < 0;
out:
	while (d.guests)
		guest_release(&d, d.guests);
	if (d.opts.pid_file && rc == 0)
		unlink(d.opts.pid_file);
	if (d.hv_log_fd >= 0)
		close(d.hv_log_fd);
	xenforeignmemory_close(d.fmem);
	xengnttab_close(d.xgt);
	xenevtchn_close(d.xce);
	xc_interface_close(d.xch);
	if (d.xs)
		xs_close(d.xs);
	return rc;
}
