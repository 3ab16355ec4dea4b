/* Start our xenstored on a private socket for a test; stop it by PID. */
#ifndef XENOLITH_TESTS_XS_DAEMON_H
#define XENOLITH_TESTS_XS_DAEMON_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct xs_daemon {
	char dir[64], sock[128], pidfile[128];
	pid_t pid;
};

/* The daemon forks and its parent exits only once the socket is
 * listening, so when that parent is reaped the socket is ready. */
static inline int xsdaemon_start(struct xs_daemon *d, const char *const *extra)
{
	const char *bin = getenv("XSD_BIN");
	const char *argv[32] = { bin, "-F", d->pidfile };
	pid_t p;
	int st, n = 3;
	FILE *f;

	if (!bin)
		return -1;
	strcpy(d->dir, "/tmp/xs-test-XXXXXX");
	if (!mkdtemp(d->dir))
		return -1;
	snprintf(d->sock, sizeof(d->sock), "%s/socket", d->dir);
	snprintf(d->pidfile, sizeof(d->pidfile), "%s/pid", d->dir);
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	setenv("XENSTORED_PATH", d->sock, 1);
	p = fork();
	if (p == 0) {
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return -1;
	f = fopen(d->pidfile, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &d->pid) != 1)
		d->pid = 0;
	fclose(f);
	return d->pid > 0 ? 0 : -1;
}

/* SIGTERM, then wait (up to 20 s) for the process to be gone. */
static inline int xsdaemon_stop(struct xs_daemon *d)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (d->pid <= 0 || kill(d->pid, SIGTERM))
		return -1;
	for (int i = 0; i < 2000; i++) {
		if (kill(d->pid, 0) && errno == ESRCH)
			break;
		nanosleep(&ts, NULL);
	}
	unlink(d->sock);
	unlink(d->pidfile);
	rmdir(d->dir);
	return kill(d->pid, 0) && errno == ESRCH ? 0 : -1;
}

#endif
