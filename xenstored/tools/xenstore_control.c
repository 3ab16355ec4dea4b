/* xenstore-control: send an XS_CONTROL command, print the answer. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xenstore.h"

/* One live-update step: the daemon's answer, "OK" on success. */
static char *lu_step(struct xs_handle *h, const char *const *args, int n)
{
	char buf[PATH_MAX + 64];
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		size_t l = strlen(args[i]) + 1;

		if (len + l > sizeof(buf))
			return NULL;
		memcpy(buf + len, args[i], l);
		len += l;
	}
	return xs_control_command(h, "live-update", buf, (unsigned int)len);
}

static bool lu_ok(char *r, const char *what)
{
	bool ok = r && !strcmp(r, "OK");

	if (!ok)
		fprintf(stderr, "%s failed:\n%s\n", what,
			r ? r : strerror(errno));
	free(r);
	return ok;
}

/* live-update [-c <cmdline>] [-F] [-t <timeout>] <file>, as Xen's tool:
 * name the binary, maybe its command line, then start; a daemon that
 * answers BUSY is asked again each second until the timeout. */
static int live_update(struct xs_handle *h, int argc, char **argv)
{
	const char *binary = NULL, *cmdline = NULL;
	char timeout[16], *stub, *r = NULL, path[PATH_MAX];
	bool force = false;
	unsigned int len;
	long to = 60;
	time_t t0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			to = atol(argv[++i]);
		else if (!strcmp(argv[i], "-F"))
			force = true;
		else if (argv[i][0] == '-')
			errx(2, "live-update: unknown or incomplete option %s",
			     argv[i]);
		else
			binary = argv[i];
	}
	if (!binary)
		errx(2, "live-update: missing binary specification");
	stub = xs_read(h, XBT_NULL, "/tool/xenstored/domid", &len);
	if (stub) {
		free(stub);
		errx(2, "live-update: xenstore runs in a stub domain; loading "
		     "its new kernel is not supported by this tool");
	}
	/* The daemon resolves a relative name from its own directory. */
	if (binary[0] != '/' && realpath(binary, path))
		binary = path;
	if (!lu_ok(lu_step(h, (const char *[]){ "-f", binary }, 2),
		   "Setting update binary"))
		return 3;
	if (cmdline && !lu_ok(lu_step(h, (const char *[]){ "-c", cmdline },
				      2), "Setting command line"))
		goto abort;
	snprintf(timeout, sizeof(timeout), "%ld", to);
	for (t0 = time(NULL);;) {
		free(r);
		r = lu_step(h, (const char *[]){ "-s", "-t", timeout, "-F" },
			    force ? 4 : 3);
		if (!r || strcmp(r, "BUSY") || time(NULL) - t0 >= to)
			break;
		sleep(1);
	}
	if (lu_ok(r, "Starting live update"))
		return 0;
abort:
	free(lu_step(h, (const char *[]){ "-a" }, 1));
	return 3;
}

int main(int argc, char **argv)
{
	char args[XENSTORE_PAYLOAD_MAX];
	size_t len = 0;
	struct xs_handle *h;
	char *r;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "Usage:\n%s <command> [<arg>...]\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		if (len + l > sizeof(args) - 64)
			errx(2, "arguments too long");
		memcpy(args + len, argv[i], l);
		len += l;
	}
	h = xs_open(0);
	if (!h)
		err(1, "xs_open");
	if (!strcmp(argv[1], "live-update")) {
		int rc = live_update(h, argc - 2, argv + 2);

		xs_close(h);
		return rc;
	}
	r = xs_control_command(h, argv[1], args, (unsigned int)len);
	if (!r) {
		int e = errno;

		if (e == EINVAL) {
			fprintf(stderr, "Command not supported. Valid commands "
				"are:\n");
			r = xs_control_command(h, "help", NULL, 0);
			if (r)
				fputs(r, stderr);
			free(r);
		} else {
			fprintf(stderr, "%s: %s\n", argv[1], strerror(e));
		}
		xs_close(h);
		return 3;
	}
	if (strcmp(r, "OK") || !strcmp(argv[1], "check"))
		printf("%s%s", r, r[0] && r[strlen(r) - 1] == '\n' ? "" : "\n");
	free(r);
	xs_close(h);
	return 0;
}
