/* `xl create` after parsing: create the domain paused, start its monitor
 * (a daemon logging to /var/log/xen/xl-NAME.log, as Xen's xl does) and
 * its console, then let it run. The monitor waits for the domain to shut
 * down and carries out on_poweroff / on_reboot / on_crash / on_watchdog. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/sched.h>
#include "lx.h"
#include "xl.h"

#ifndef XEN_LOG_DIR
#define XEN_LOG_DIR "/var/log/xen"
#endif

enum restart { RESTART_NONE, RESTART_NORMAL, RESTART_RENAME };

static void mlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void mlog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static libxl_action_on_shutdown action_for(const libxl_domain_config *dc, unsigned int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff: return dc->on_poweroff;
	case SHUTDOWN_reboot: return dc->on_reboot;
	case SHUTDOWN_crash: return dc->on_crash;
	case SHUTDOWN_watchdog: return dc->on_watchdog;
	case SHUTDOWN_soft_reset: return dc->on_soft_reset;
	default:
		mlog("Unknown shutdown reason code %u. Destroying domain.", reason);
		return LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	}
}

static void destroy_domain(struct lx_ctx *ctx, uint32_t domid)
{
	char err[512];

	mlog("Domain %u needs to be cleaned up: destroying the domain", domid);
	if (lx_domain_destroy(ctx, domid, err, sizeof(err)) < 0)
		mlog("destroying domain %u failed: %s", domid, err);
}

/* What to do with a domain that has shut down with `reason`. */
static enum restart handle_shutdown(struct lx_ctx *ctx, uint32_t domid, unsigned int reason,
				    const libxl_domain_config *dc)
{
	libxl_action_on_shutdown a;

	if (reason == SHUTDOWN_suspend) {
		mlog("Domain has suspended.");
		return RESTART_NONE;
	}
	a = action_for(dc, reason);
	mlog("Action for shutdown reason code %u is %s", reason,
	     libxl_action_on_shutdown_to_string(a));
	if (a == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY ||
	    a == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART) {
		/* Not written yet; the action goes on without the dump, as
		 * Xen's xl goes on when a dump fails. */
		mlog("core dump failed: core dumps are not supported yet");
		a = a == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY ? LIBXL_ACTION_ON_SHUTDOWN_DESTROY
								  : LIBXL_ACTION_ON_SHUTDOWN_RESTART;
	}
	switch (a) {
	case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
		return RESTART_NONE;
	case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
		return RESTART_RENAME;
	case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
		destroy_domain(ctx, domid);
		return RESTART_NORMAL;
	case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
		mlog("soft reset is not supported yet: destroying the domain instead");
		destroy_domain(ctx, domid);
		return RESTART_NONE;
	default:
		destroy_domain(ctx, domid);
		return RESTART_NONE;
	}
}

/* The monitor proper: returns when nothing is left to watch. */
static int monitor_domain(struct lx_ctx *ctx, libxl_domain_config *dc, uint32_t domid)
{
	struct lx_dom_state st;
	char err[512];

	mlog("Waiting for domain %s (domid %u) to die [pid %ld]", dc->c_info.name, domid,
	     (long)getpid());
	for (;;) {
		enum restart r;

		if (lx_wait_state_change(ctx, domid, &st, -1) < 0) {
			mlog("watching domain %u failed: %s", domid, strerror(errno));
			return 1;
		}
		if (st.gone || st.dying) {
			mlog("Domain %u has been destroyed.", domid);
			return 0;
		}
		mlog("Domain %u has shut down, reason code %u 0x%x", domid, st.reason, st.reason);
		r = handle_shutdown(ctx, domid, st.reason, dc);
		if (r == RESTART_NONE) {
			mlog("Done. Exiting now");
			return 0;
		}
		if (r == RESTART_RENAME) {
			libxl_uuid fresh;
			char kept[320];

			libxl_uuid_generate(&fresh);
			if (lx_domain_preserve(ctx, domid, dc->c_info.name, fresh.uuid, kept,
					       sizeof(kept), err, sizeof(err)) < 0) {
				mlog("Preserving domain %u failed: %s", domid, err);
				return 1;
			}
			mlog("Preserved domain %u %s as %s", domid, dc->c_info.name, kept);
		}
		/* Its successor needs the memory back: Xen's xl sleeps here. */
		if (r == RESTART_NORMAL && lx_wait_gone(ctx, domid, 60000) < 0)
			mlog("domain %u is still dying after 60 s: %s", domid, strerror(errno));
		mlog("Done. Rebooting now");
		if (xl_domain_create_paused(ctx, dc, false, &domid) < 0)
			return 1;
		if (xc_domain_unpause(ctx->xch, domid) < 0) {
			mlog("starting domain %u: %s", domid, strerror(errno));
			destroy_domain(ctx, domid);
			return 1;
		}
		mlog("Waiting for domain %s (domid %u) to die [pid %ld]", dc->c_info.name, domid,
		     (long)getpid());
	}
}

/* Detach like a daemon, with stdout/stderr in the log; returns in the
 * daemon (0), in the caller once the daemon runs (1), or -1. The pipe
 * tells the caller the daemon has its own xenstore connection and its
 * watch set, so no shutdown can slip past it. */
static int daemonize(const char *name, int *ready_fd)
{
	int p[2], status;
	pid_t child;
	char c;

	if (pipe(p) < 0)
		return -1;
	child = fork();
	if (child < 0)
		return -1;
	if (child > 0) {
		ssize_t n;

		close(p[1]);
		waitpid(child, &status, 0);
		do
			n = read(p[0], &c, 1);
		while (n < 0 && errno == EINTR);
		close(p[0]);
		return n == 1 ? 1 : -1;
	}
	close(p[0]);
	if (setsid() < 0)
		_exit(1);
	child = fork();
	if (child < 0)
		_exit(1);
	if (child > 0)
		_exit(0);
	{
		char path[512];
		int fd, null;

		mkdir(XEN_LOG_DIR, 0755);
		snprintf(path, sizeof(path), XEN_LOG_DIR "/xl-%s.log", name);
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		null = open("/dev/null", O_RDWR);
		if (fd < 0 || null < 0)
			_exit(1);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		close(null);
		if (chdir("/") < 0)
			_exit(1);
	}
	*ready_fd = p[1];
	return 0;
}

static int run_monitor(libxl_domain_config *dc, uint32_t domid, int ready_fd)
{
	struct lx_ctx ctx;
	char err[512];
	int rc;

	if (lx_open(&ctx, err, sizeof(err)) < 0 || lx_watch_domains(&ctx) < 0) {
		mlog("monitor for domain %u: %s", domid, err);
		return 1;
	}
	if (ready_fd >= 0) {
		if (write(ready_fd, "", 1) != 1)
			mlog("monitor for domain %u: cannot signal readiness", domid);
		close(ready_fd);
	}
	rc = monitor_domain(&ctx, dc, domid);
	lx_close(&ctx);
	return rc;
}

/* xl -vvv: how long each stage of a create took. */
static void run_step(const struct xl_run_opts *o, struct timespec *last, const char *what)
{
	struct timespec now;

	if (o->verbose < 3)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "xl: debug: create: %s: %ld ms\n", what,
		(long)((now.tv_sec - last->tv_sec) * 1000 + (now.tv_nsec - last->tv_nsec) / 1000000));
	*last = now;
}

int xl_domain_run(libxl_domain_config *dc, const struct xl_run_opts *o)
{
	struct timespec last;
	struct lx_ctx ctx;
	char err[1024];
	uint32_t domid;
	int ready_fd = -1, d;

	last = o->start;
	run_step(o, &last, "config parsed");
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl create: %s\n", err);
		return 1;
	}
	ctx.verbose = (unsigned int)o->verbose;
	run_step(o, &last, "xenstored and privcmd opened");
	if (xl_domain_create_paused(&ctx, dc, o->console, &domid) < 0) {
		lx_close(&ctx);
		return 1;
	}
	run_step(o, &last, "domain built, config stored");
	/* Each process below opens its own connections. */
	lx_close(&ctx);
	fflush(NULL);
	if (o->monitor && o->daemonize) {
		d = daemonize(dc->c_info.name, &ready_fd);
		if (d == 0)
			exit(run_monitor(dc, domid, ready_fd));
		if (d < 0) {
			fprintf(stderr, "xl create: cannot start the monitor of domain %u: %s\n",
				domid, strerror(errno));
			goto undo;
		}
		run_step(o, &last, "monitor started");
	} else if (o->monitor) {
		/* -F: the monitor stays in the foreground; a console runs beside it. */
		if (o->console) {
			pid_t c = fork();

			if (c == 0)
				_exit(xl_console_attach(domid, !o->paused));
			if (c < 0)
				goto undo;
		} else if (!o->paused && lx_open(&ctx, err, sizeof(err)) == 0) {
			xc_domain_unpause(ctx.xch, domid);
			lx_close(&ctx);
		}
		return run_monitor(dc, domid, -1);
	}
	if (o->announce) {
		printf("Started domain %s (id=%u)\n", dc->c_info.name, domid);
		fflush(stdout);
	}
	if (o->console)
		return xl_console_attach(domid, !o->paused);
	if (!o->paused) {
		if (lx_open(&ctx, err, sizeof(err)) < 0 || xc_domain_unpause(ctx.xch, domid) < 0) {
			fprintf(stderr, "xl create: starting domain %u: %s\n", domid, strerror(errno));
			return 1;
		}
		lx_close(&ctx);
	}
	return 0;
undo:
	if (lx_open(&ctx, err, sizeof(err)) == 0) {
		lx_domain_destroy(&ctx, domid, err, sizeof(err));
		lx_close(&ctx);
	}
	return 1;
}
