/*
 * Live update, the part that touches the process: write the state stream
 * to $XENSTORED_RUNDIR/state_dump (/var/run/xenstored by default: where
 * Xen 4.17's daemon writes and reads it, so either daemon can follow the
 * other), let the
 * descriptors it names survive exec, and exec the new binary with the
 * command line (ours, or the one given with -c) plus -U.  The new process
 * (-U) reads the stream back and carries on with the same pid, sockets,
 * rings and event channels.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "io.h"
#include "luexec.h"

#define LU_ARGS_MAX 256

static void state_path(char *buf, size_t len)
{
	const char *dir = getenv("XENSTORED_RUNDIR");

	snprintf(buf, len, "%s/state_dump", dir ? dir : "/var/run/xenstored");
}

static int write_state(struct xsd *x, int lfd, int evtchn_fd,
		       const char *path)
{
	char *buf, dir[600];
	size_t len;
	int fd, err;

	err = lustate_dump(x, lfd, evtchn_fd, &buf, &len);
	if (err)
		return err;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0700); /* a fresh host may not have it yet */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || io_write_all(fd, buf, len) || close(fd)) {
		err = -errno;
		if (fd >= 0)
			unlink(path);
	}
	free(buf);
	return err;
}

static int set_cloexec(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC);
}

/* The descriptors the stream names: kept across exec, or not again. */
static void keep_fds(struct xsd *x, int lfd, int evtchn_fd, bool keep)
{
	set_cloexec(lfd, !keep);
	if (evtchn_fd >= 0)
		set_cloexec(evtchn_fd, !keep);
	for (struct xsd_conn *c = x->conns; c; c = c->next)
		if (c->fd >= 0 && !c->dead)
			set_cloexec(c->fd, !keep);
}

/* argv for the new binary: -c's words or our own, then -U. */
static int build_argv(const struct xsd_lu *lu, int argc, char **argv,
		      char **out, char *words)
{
	int n = 0;
	bool have_u = false;

	out[n++] = lu->binary;
	if (lu->cmdline) {
		char *save = NULL;

		for (char *w = strtok_r(words, " \t", &save); w;
		     w = strtok_r(NULL, " \t", &save)) {
			if (n >= LU_ARGS_MAX - 2)
				return -E2BIG;
			have_u |= !strcmp(w, "-U") || !strcmp(w, "--live-update");
			out[n++] = w;
		}
	} else {
		for (int i = 1; i < argc; i++) {
			if (n >= LU_ARGS_MAX - 2)
				return -E2BIG;
			have_u |= !strcmp(argv[i], "-U") ||
				  !strcmp(argv[i], "--live-update");
			out[n++] = argv[i];
		}
	}
	if (!have_u)
		out[n++] = "-U";
	out[n] = NULL;
	return 0;
}

const char *luexec_run(struct xsd *x, struct xenbus *xb, int lfd, int argc,
		       char **argv)
{
	char *nargv[LU_ARGS_MAX], path[600], *words = NULL;
	sigset_t stop, mask;
	int err;

	if (x->lu->cmdline) {
		words = strdup(x->lu->cmdline);
		if (!words)
			return "Allocation failure.";
	}
	if (build_argv(x->lu, argc, argv, nargv, words)) {
		free(words);
		return "Command line too long.";
	}
	state_path(path, sizeof(path));
	err = write_state(x, lfd, xb->evtchn_fd, path);
	if (err) {
		xsd_logf(x, LOG_ERR, "live-update: state %s: %s", path,
			 strerror(-err));
		free(words);
		return "Dump state open error";
	}
	xsd_logf(x, LOG_NOTICE, "live-update: executing %s", x->lu->binary);
	if (x->log.trace)
		fflush(x->log.trace);
	xenbus_unwatch_domains(xb);
	keep_fds(x, lfd, xb->evtchn_fd, true);
	/* The new binary starts with SIGTERM and SIGINT deliverable, as any
	 * daemon expects (we only let them in while waiting). */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_UNBLOCK, &stop, &mask);
	/* execv, not execvp: no search, and no shell for a file that is not
	 * a program. */
	execv(x->lu->binary, nargv);
	err = errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	keep_fds(x, lfd, xb->evtchn_fd, false);
	unlink(path);
	if (xb->evtchn_fd >= 0 && xenbus_watch_domains(xb, x))
		xsd_logf(x, LOG_ERR, "live-update: VIRQ_DOM_EXC not bound "
			 "again: domains are released by XS_RELEASE only");
	xsd_logf(x, LOG_ERR, "live-update: exec %s: %s", x->lu->binary,
		 strerror(err));
	free(words);
	return "Error activating new binary.";
}

/* ---- the new process ---- */

struct restore {
	struct xsd *x;
	struct xenbus *xb;
	int *lfd;
	struct xsd_conn *(*sock_new)(struct xsd *x, int fd);
};

static bool fd_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

static int on_global(void *ctx, int socket_fd, int evtchn_fd)
{
	struct restore *r = ctx;
	struct stat st;

	if (!fd_open(socket_fd) || fstat(socket_fd, &st) ||
	    !S_ISSOCK(st.st_mode)) {
		xsd_logf(r->x, LOG_ERR, "live-update: listening socket %d is "
			 "not open", socket_fd);
		return -EBADF;
	}
	set_cloexec(socket_fd, true);
	fcntl(socket_fd, F_SETFL, fcntl(socket_fd, F_GETFL) | O_NONBLOCK);
	*r->lfd = socket_fd;
	if (evtchn_fd < 0)
		return 0;
	if (!fd_open(evtchn_fd) || fstat(evtchn_fd, &st) ||
	    !S_ISCHR(st.st_mode)) {
		xsd_logf(r->x, LOG_WARNING, "live-update: event channel "
			 "descriptor %d is not open: rings cannot be kept",
			 evtchn_fd);
		return 0;
	}
	return xenbus_adopt_evtchn(r->xb, evtchn_fd);
}

static struct xsd_conn *on_socket(void *ctx, int fd)
{
	struct restore *r = ctx;
	struct xsd_conn *c;

	if (!fd_open(fd) || fd == *r->lfd) {
		xsd_logf(r->x, LOG_WARNING, "live-update: connection socket "
			 "%d is not open: dropped", fd);
		return NULL;
	}
	set_cloexec(fd, true);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c = r->sock_new(r->x, fd);
	if (!c)
		close(fd);
	return c;
}

static struct xsd_conn *on_ring(void *ctx, uint32_t domid, uint32_t tdomid,
				uint32_t port)
{
	struct restore *r = ctx;
	struct xsd_domain *d = domain_get(r->x, domid);
	int err;

	if (!d || domid >= XSD_DOMID_MAX)
		return NULL;
	/* A domU stays introduced even if its ring is lost (as in Xen's
	 * daemon): it still gets @releaseDomain and cleanup when it dies. */
	if (domid) {
		d->introduced = true;
		d->target = tdomid;
	}
	if (r->xb->evtchn_fd < 0)
		err = -ENODEV;
	else if (domid == 0)
		err = xenbus_dom0_adopt(r->xb, r->x, port);
	else
		err = ring_adopt(r->x, d, port);
	if (err) {
		xsd_logf(r->x, LOG_ERR, "live-update: ring of domain %" PRIu32
			 " (port %" PRIu32 ") not restored: %s%s", domid, port,
			 strerror(-err), domid ? "; the domain stays "
			 "introduced, to be released when it dies" : "");
		return NULL;
	}
	return d->conn;
}

int luexec_restore(struct xsd *x, struct xenbus *xb, int *lfd,
		   struct xsd_conn *(*sock_new)(struct xsd *x, int fd))
{
	struct restore r = { x, xb, lfd, sock_new };
	struct lu_restore_ops ops = { on_global, on_socket, on_ring, &r };
	char path[600], why[256];
	struct stat st;
	void *buf;
	int fd, err;

	state_path(path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "xenstored: live update: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	buf = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ,
				MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "xenstored: live update: %s: empty or "
			"unreadable\n", path);
		return -1;
	}
	err = lustate_read(x, buf, (size_t)st.st_size, &ops, why,
			   sizeof(why));
	munmap(buf, (size_t)st.st_size);
	if (err) {
		fprintf(stderr, "xenstored: live update: %s: %s\n", path, why);
		return -1;
	}
	unlink(path);
	xsd_logf(x, LOG_NOTICE, "live-update: state restored from %s", path);
	return 0;
}
