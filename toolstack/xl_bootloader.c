/*
 * bootloader= (pygrub): before a PV/PVH domain is built, the bootloader
 * reads the guest's first disk and hands back the kernel, initrd and
 * command line to boot, as libxl runs it: the same arguments
 * (--kernel/--ramdisk/--args from the config, --output, simple0 format,
 * --output-directory, bootloader_args, then the disk), TERM=vt100, and a
 * terminal of its own whose menu `xl create -c` shows.  Nothing is built
 * until it succeeded, so a failing bootloader leaves no domain behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>

#include "xl.h"

#ifndef XL_BOOTLOADER_DIR
#define XL_BOOTLOADER_DIR "/usr/bin"
#endif
#define RUN_DIR "/var/run/xen"
#define LOG_DIR "/var/log/xen"
#define RESULT_MAX 65536
#define RESTRICT_TIMEOUT_S 120 /* libxl's default under LIBXL_BOOTLOADER_RESTRICT */

struct bl_run {
	const libxl_domain_config *dc;
	char out_path[128], out_dir[128], log_path[320];
	char **argv;
	size_t argc;
	int timeout_s; /* 0: none */
};

/* Appends one argument made from fmt; -1 when out of memory. */
static int __attribute__((format(printf, 2, 3))) bl_arg(struct bl_run *r, const char *fmt, ...)
{
	va_list ap;
	char *a;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&a, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	r->argv[r->argc++] = a;
	return 0;
}

static void bl_args_free(struct bl_run *r)
{
	for (size_t i = 0; r->argv && i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
	r->argv = NULL;
}

/* A bare name is looked for where we install bootloaders, then in $PATH. */
static char *bl_path(const char *bl)
{
	char *p;

	if (!strcmp(bl, "/usr/bin/pygrub"))
		fprintf(stderr, "xl: warning: bootloader='/usr/bin/pygrub' is deprecated; "
			"use bootloader='pygrub' instead\n");
	if (bl[0] == '/' || asprintf(&p, "%s/%s", XL_BOOTLOADER_DIR, bl) < 0)
		return strdup(bl);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return strdup(bl);
}

/* LIBXL_BOOTLOADER_USER / _RESTRICT: the bootloader drops to this uid. */
static int bl_restrict_uid(uid_t *uid)
{
	const char *user = getenv("LIBXL_BOOTLOADER_USER");
	struct passwd *pw;

	if (!user && !getenv("LIBXL_BOOTLOADER_RESTRICT"))
		return 0;
	/* libxl's per-domain uid (xen-qemuuser-range-base + domid) needs the
	 * domid, which ours assigns after the bootloader ran: the shared
	 * user stands in. */
	pw = getpwnam(user ? user : "xen-qemuuser-shared");
	if (!pw || pw->pw_uid == 0) {
		fprintf(stderr, "xl create: cannot restrict the bootloader: %s\n",
			!pw ? (user ? "LIBXL_BOOTLOADER_USER names no user"
				    : "no user xen-qemuuser-shared (set LIBXL_BOOTLOADER_USER)")
			    : "its user is root");
		return -1;
	}
	*uid = pw->pw_uid;
	return 1;
}

static int bl_make_args(struct bl_run *r, const char *path, const char *disk, bool qcow2)
{
	const libxl_domain_build_info *b = &r->dc->b_info;
	size_t nextra = 0;
	uid_t uid = 0;
	int restrict_uid = bl_restrict_uid(&uid), rc = 0;

	if (restrict_uid < 0)
		return -1;
	while (b->bootloader_args && b->bootloader_args[nextra])
		nextra++;
	r->argv = calloc(13 + nextra, sizeof(*r->argv));
	if (!r->argv)
		return -1;
	rc |= bl_arg(r, "%s", path);
	if (b->kernel)
		rc |= bl_arg(r, "--kernel=%s", b->kernel);
	if (b->ramdisk)
		rc |= bl_arg(r, "--ramdisk=%s", b->ramdisk);
	if (b->cmdline && *b->cmdline)
		rc |= bl_arg(r, "--args=%s", b->cmdline);
	if (restrict_uid > 0) {
		const char *t = getenv("LIBXL_BOOTLOADER_TIMEOUT");

		rc |= bl_arg(r, "--runas=%ld", (long)uid);
		rc |= bl_arg(r, "--quiet");
		r->timeout_s = t ? atoi(t) : RESTRICT_TIMEOUT_S;
	}
	rc |= bl_arg(r, "--output=%s", r->out_path);
	rc |= bl_arg(r, "--output-format=simple0");
	rc |= bl_arg(r, "--output-directory=%s", r->out_dir);
	for (size_t i = 0; i < nextra; i++)
		rc |= bl_arg(r, "%s", b->bootloader_args[i]);
	if (qcow2)
		rc |= bl_arg(r, "--disk-format=qcow2");
	rc |= bl_arg(r, "%s", disk);
	return rc ? -1 : 0;
}

/* Ours, which reads qcow2 images in place (--disk-format). */
static bool bl_is_ours(const char *path)
{
	return !strcmp(path, XL_BOOTLOADER_DIR "/pygrub");
}

/* libxl hands the bootloader the first disk, read in place when it is a
 * raw image or device.  Ours reads a qcow2 image in place too; anything
 * else would need a dom0 attach first (libxl's local attach). */
static const char *bl_disk(const libxl_domain_config *dc, const char *bl, bool *qcow2)
{
	const libxl_device_disk *d = dc->num_disks > 0 ? &dc->disks[0] : NULL;

	*qcow2 = false;
	if (!d || !d->pdev_path || !*d->pdev_path) {
		fprintf(stderr, "xl create: bootloader \"%s\" needs a disk to read: %s\n",
			dc->b_info.bootloader, d ? "the first disk is empty" : "disk= names none");
		return NULL;
	}
	if (d->format == LIBXL_DISK_FORMAT_QCOW2 && !d->script && bl_is_ours(bl)) {
		*qcow2 = true;
		return d->pdev_path;
	}
	if ((d->format != LIBXL_DISK_FORMAT_RAW && d->format != LIBXL_DISK_FORMAT_UNKNOWN) ||
	    d->script) {
		fprintf(stderr, "xl create: bootloader \"%s\" reads the first disk (%s) in place; "
			"a disk with %s is not supported for it%s\n", dc->b_info.bootloader,
			d->pdev_path, d->script ? "script=" : "this format",
			d->format == LIBXL_DISK_FORMAT_QCOW2 ? " (our pygrub reads qcow2)" : "");
		return NULL;
	}
	return d->pdev_path;
}

/* Everything the bootloader prints goes to its log, and to our terminal
 * under -c, where keys go back to it (Ctrl-] gives up). */
struct relay {
	int master, log, tty_in; /* tty_in -1: nobody interactive */
	bool gave_up;
};

static void relay_output(struct relay *rl, const char *buf, size_t n)
{
	if (rl->log >= 0 && write(rl->log, buf, n) < 0)
		rl->log = -1;
	if (rl->tty_in >= 0 && write(STDOUT_FILENO, buf, n) < 0)
		rl->tty_in = -1;
}

/* Until the bootloader closes its terminal; -1 on the timeout. */
static int relay_run(struct relay *rl, int timeout_s)
{
	struct pollfd p[2];
	char buf[4096];
	time_t end = timeout_s > 0 ? time(NULL) + timeout_s : 0;

	for (;;) {
		int np = 1, r;

		p[0] = (struct pollfd){ rl->master, POLLIN, 0 };
		if (rl->tty_in >= 0)
			p[np++] = (struct pollfd){ rl->tty_in, POLLIN, 0 };
		r = poll(p, (nfds_t)np, end ? 1000 : -1);
		if (r < 0 && errno != EINTR)
			return 0;
		if (end && time(NULL) >= end)
			return -1;
		if (r <= 0)
			continue;
		if (p[0].revents) {
			ssize_t n = read(rl->master, buf, sizeof(buf));

			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return 0; /* EIO: the bootloader's side is closed */
			if (n > 0)
				relay_output(rl, buf, (size_t)n);
		}
		if (np > 1 && p[1].revents) {
			ssize_t n = read(rl->tty_in, buf, sizeof(buf));

			if (n <= 0) {
				rl->tty_in = -1;
				continue;
			}
			if (memchr(buf, 0x1d, (size_t)n)) {
				rl->gave_up = true;
				return 0;
			}
			if (write(rl->master, buf, (size_t)n) < 0)
				return 0;
		}
	}
}

/* What the bootloader said last (its reasons), shown on failure so the
 * user need not open the log; menu drawing (escape sequences) skipped. */
static void bl_show_tail(const char *log_path, off_t start)
{
	char buf[2048], *line, *save;
	int fd = open(log_path, O_RDONLY | O_CLOEXEC);
	off_t end = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	ssize_t n;

	if (end < 0)
		goto out;
	if (end - start > (off_t)sizeof(buf) - 1)
		start = end - (off_t)sizeof(buf) + 1;
	n = pread(fd, buf, sizeof(buf) - 1, start);
	if (n <= 0)
		goto out;
	buf[n] = 0;
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		if (!strchr(line, 033))
			fprintf(stderr, "  %s\n", line);
out:
	if (fd >= 0)
		close(fd);
}

/* Runs the bootloader to its end: 0 when it exited with status 0. */
static int bl_spawn(struct bl_run *r, bool console)
{
	struct relay rl = { -1, -1, -1, false };
	struct termios saved, raw;
	bool restore = false;
	int master, slave, report[2], status, err = 0, rc = -1;
	off_t log_start = 0;
	pid_t pid;

	if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
		fprintf(stderr, "xl create: no terminal for the bootloader: %s\n", strerror(errno));
		return -1;
	}
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(master);
		close(slave);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(master);
		close(report[0]);
		if (login_tty(slave) == 0) {
			setenv("TERM", "vt100", 1);
			execvp(r->argv[0], r->argv);
		}
		err = errno;
		if (write(report[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(slave);
	close(report[1]);
	if (pid < 0) {
		fprintf(stderr, "xl create: fork: %s\n", strerror(errno));
		close(report[0]);
		close(master);
		return -1;
	}
	if (read(report[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		fprintf(stderr, "xl create: cannot run the bootloader %s: %s\n", r->argv[0],
			strerror(err));
		goto reap;
	}
	rl.master = master;
	rl.log = open(r->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	log_start = rl.log >= 0 ? lseek(rl.log, 0, SEEK_END) : 0;
	if (console && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
		rl.tty_in = STDIN_FILENO;
	}
	if (relay_run(&rl, r->timeout_s) < 0)
		fprintf(stderr, "xl create: the bootloader ran over %d s: stopped\n", r->timeout_s);
	else if (rl.gave_up)
		fprintf(stderr, "xl create: the bootloader's menu was left with Ctrl-]\n");
	else
		rc = 0;
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
reap:
	if (rc)
		kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 1 << 8;
			break;
		}
	}
	if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr, "xl create: the bootloader %s failed (%s %d); see %s\n",
			r->argv[0], WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), r->log_path);
		if (rl.tty_in < 0 && rl.log >= 0)
			bl_show_tail(r->log_path, log_start);
		rc = -1;
	}
	close(report[0]);
	close(master);
	if (rl.log >= 0)
		close(rl.log);
	return rc;
}

/* "kernel PATH\0ramdisk PATH\0args ARGS\0\0", as libxl reads it. */
static int bl_result(const struct bl_run *r, struct xl_boot *out)
{
	char *buf = malloc(RESULT_MAX + 1);
	int fd = open(r->out_path, O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 || !buf ? -1 : read(fd, buf, RESULT_MAX);
	int rc = -1;

	if (fd >= 0)
		close(fd);
	if (len < 0) {
		fprintf(stderr, "xl create: reading the bootloader's result %s: %s\n",
			r->out_path, strerror(errno));
		goto out;
	}
	buf[len] = 0;
	for (char *p = buf; p < buf + len && *p; p += strlen(p) + 1) {
		char **slot = !strncmp(p, "kernel ", 7) ? &out->kernel :
			      !strncmp(p, "ramdisk ", 8) ? &out->ramdisk :
			      !strncmp(p, "args ", 5) ? &out->cmdline : NULL;

		if (!slot) {
			fprintf(stderr, "xl: warning: unexpected output from the bootloader: `%s'\n", p);
			continue;
		}
		free(*slot);
		*slot = strdup(strchr(p, ' ') + 1);
		if (!*slot)
			goto out;
	}
	if (!out->kernel) {
		fprintf(stderr, "xl create: the bootloader named no kernel (see %s)\n", r->log_path);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

void xl_bootloader_done(struct xl_boot *b)
{
	if (b->kernel)
		unlink(b->kernel);
	if (b->ramdisk)
		unlink(b->ramdisk);
	if (b->out_dir[0])
		rmdir(b->out_dir);
	free(b->kernel);
	free(b->ramdisk);
	free(b->cmdline);
	*b = (struct xl_boot){ 0 };
}

int xl_bootloader_run(const libxl_domain_config *dc, bool console, struct xl_boot *out)
{
	struct bl_run r = { .dc = dc };
	const char *disk;
	char *path;
	bool qcow2;
	int fd, rc = -1;

	*out = (struct xl_boot){ 0 };
	if (!dc->b_info.bootloader)
		return 0;
	path = bl_path(dc->b_info.bootloader);
	if (!path) {
		fprintf(stderr, "xl create: out of memory\n");
		return -1;
	}
	disk = bl_disk(dc, path, &qcow2);
	if (!disk) {
		free(path);
		return -1;
	}
	snprintf(r.out_path, sizeof(r.out_path), RUN_DIR "/bootloader.%ld.out", (long)getpid());
	snprintf(r.out_dir, sizeof(r.out_dir), RUN_DIR "/bootloader.%ld.d", (long)getpid());
	snprintf(r.log_path, sizeof(r.log_path), LOG_DIR "/bootloader.%s.log", dc->c_info.name);
	mkdir(RUN_DIR, 0755);
	mkdir(LOG_DIR, 0755);
	if (mkdir(r.out_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "xl create: making %s: %s\n", r.out_dir, strerror(errno));
		goto out;
	}
	snprintf(out->out_dir, sizeof(out->out_dir), "%s", r.out_dir);
	fd = open(r.out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "xl create: making %s: %s\n", r.out_path, strerror(errno));
		goto out;
	}
	close(fd);
	if (bl_make_args(&r, path, disk, qcow2) < 0) {
		if (r.argv)
			fprintf(stderr, "xl create: out of memory\n");
		goto out;
	}
	if (bl_spawn(&r, console) == 0)
		rc = bl_result(&r, out);
out:
	unlink(r.out_path);
	bl_args_free(&r);
	free(path);
	if (rc)
		xl_bootloader_done(out);
	return rc;
}
