/*
 * --runas=UID: the guest's disk is hostile input, so everything that
 * reads it runs in a child that has no privileges left.  The parent only
 * waits and cleans up.  Before this is called the disk, the output file
 * and the two copies are already open: the child needs no path at all,
 * so it sits chrooted in an empty directory with no way to create files
 * beyond RLIMIT_FSIZE or to start processes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pygrub.h"

#define FSIZE_DEFAULT (128ull << 20) /* as Xen's pygrub; env overrides */

static int limit(int what, unsigned long long v, const char *name, char *err, size_t errlen)
{
	struct rlimit rl = { v, v };

	if (setrlimit(what, &rl) == 0)
		return 0;
	snprintf(err, errlen, "--runas: setting %s: %s", name, strerror(errno));
	return -errno;
}

static int child_confine(unsigned long uid, const char *jail, char *err, size_t errlen)
{
	unsigned long long fsize = FSIZE_DEFAULT;
	const char *env = getenv("PYGRUB_MAX_FILE_SIZE_MB");
	gid_t g = (gid_t)uid;
	int rc;

	if (env && *env) {
		char *end;
		unsigned long long mb = strtoull(env, &end, 10);

		if (*end || mb == 0 || mb > (1ull << 30)) {
			snprintf(err, errlen, "PYGRUB_MAX_FILE_SIZE_MB=%s: not a size in MiB", env);
			return -EINVAL;
		}
		fsize = mb << 20;
	}
	/* Not fatal where namespaces are unavailable: chroot and the uid
	 * are what confine the child. */
	(void)unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET);
	if ((rc = limit(RLIMIT_NPROC, 0, "RLIMIT_NPROC", err, errlen)) ||
	    (rc = limit(RLIMIT_CORE, 0, "RLIMIT_CORE", err, errlen)) ||
	    (rc = limit(RLIMIT_MEMLOCK, 0, "RLIMIT_MEMLOCK", err, errlen)) ||
	    (rc = limit(RLIMIT_MSGQUEUE, 0, "RLIMIT_MSGQUEUE", err, errlen)) ||
	    (rc = limit(RLIMIT_FSIZE, fsize, "RLIMIT_FSIZE", err, errlen)))
		return rc;
	if (chroot(jail) < 0 || chdir("/") < 0) {
		snprintf(err, errlen, "--runas: chroot to %s: %s", jail, strerror(errno));
		return -errno;
	}
	if (setgroups(1, &g) < 0 || setgid(g) < 0 || setuid((uid_t)uid) < 0) {
		snprintf(err, errlen, "--runas=%lu: %s", uid, strerror(errno));
		return -errno;
	}
	if (setuid(0) == 0) {
		snprintf(err, errlen, "--runas=%lu: root could be regained", uid);
		return -EPERM;
	}
	return 0;
}

static void drop_unused(const char *path, int failed)
{
	struct stat st;

	if (path && (failed || (stat(path, &st) == 0 && st.st_size == 0)))
		unlink(path);
}

int pygrub_depriv(unsigned long uid, const char *output_dir, const char *const copies[2],
		  char *err, size_t errlen)
{
	char jail[4096];
	int status, rc;
	pid_t pid;

	if (uid == 0) {
		snprintf(err, errlen, "--runas=0 would keep root");
		return -EINVAL;
	}
	if (snprintf(jail, sizeof(jail), "%s/%lu-XXXXXX", output_dir, uid) >= (int)sizeof(jail) ||
	    !mkdtemp(jail)) {
		snprintf(err, errlen, "--runas: making an empty directory in %s: %s", output_dir,
			 strerror(errno));
		return -EIO;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "--runas: fork: %s", strerror(errno));
		rmdir(jail);
		return -errno;
	}
	if (pid == 0) {
		rc = child_confine(uid, jail, err, errlen);
		if (rc) {
			fprintf(stderr, "pygrub: %s\n", err);
			_exit(1);
		}
		return 0;
	}
	for (;;) {
		if (waitpid(pid, &status, 0) == pid) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
			break;
		}
		if (errno != EINTR) {
			rc = 1;
			break;
		}
	}
	drop_unused(copies[0], rc);
	drop_unused(copies[1], rc);
	rmdir(jail);
	exit(rc);
}
