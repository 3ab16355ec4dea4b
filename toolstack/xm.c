/* xm: the command line of Xen's xend era, for admins whose scripts and
 * habits still say "xm create -c C4" or "xm list".  Xen 4.17 ships no xm;
 * ours is xl called by another name.  xl took most xm commands over with
 * the same arguments, so those run as they are; what differs is handled
 * here: xm create looks for its config file along a search path
 * (".:/etc/xen") and says which file it used, and what needed xend
 * itself (managed domains, SXP records) is refused by name. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xl.h"

#ifndef XEN_CONFIG_DIR
#define XEN_CONFIG_DIR "/etc/xen"
#endif

#define XM_ARGS_MAX 64

static void xm_usage(FILE *f)
{
	fprintf(f, "Usage: xm <subcommand> [args]\n\n"
		"xm is xl under its old name: every xl command is accepted, with xm's\n"
		"create and shutdown options:\n\n"
		" create [-c] [-p] [-q] [-n] [--path=DIRS] <ConfigFile> [VAR=VAL]...\n"
		"                    the config file is looked for as given, then in each\n"
		"                    directory of DIRS (default .:" XEN_CONFIG_DIR ")\n"
		" shutdown [-a] [-w] [-R|-H] <Domain>\n"
		" list, destroy, console, reboot, pause, unpause, ...  as in xl (xl help)\n\n"
		"Not available (they lived in xend): new, start, delete, suspend, resume,\n"
		"list -l (an SXP record).\n");
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* xm's search for a config file: the name as given (relative names from
 * the current directory), then DIR/name for each directory of path.
 * Writes the file found, spelt as xm printed it, to out. */
static int find_config(const char *name, const char *path, char *out, size_t len)
{
	char *dirs, *save = NULL;
	int found = -1;

	if (name[0] == '/')
		return snprintf(out, len, "%s", name) < (int)len && is_file(out) ? 0 : -1;
	if (snprintf(out, len, "./%s", name) < (int)len && is_file(out))
		return 0;
	dirs = strdup(path);
	if (!dirs)
		return -1;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (snprintf(out, len, "%s/%s", d, name) < (int)len && is_file(out)) {
			found = 0;
			break;
		}
	free(dirs);
	return found;
}

static int xm_create(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dryrun", no_argument, NULL, 'n' },
		{ "paused", no_argument, NULL, 'p' },
		{ "console_autoconnect", no_argument, NULL, 'c' },
		{ "defconfig", required_argument, NULL, 'f' },
		{ "path", required_argument, NULL, 'P' },
		{ "skipdtd", no_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'F' },
		{ "xmldryrun", no_argument, NULL, 'x' },
		{ "help_config", no_argument, NULL, 'H' },
		{ "vncviewer", no_argument, NULL, 'V' },
		{ "vncviewer-autopass", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *path = "." ":" XEN_CONFIG_DIR;
	char *xl_argv[XM_ARGS_MAX + 8], file[4096];
	bool quiet = false, paused = false, console = false, dryrun = false;
	int opt, n = 0;

	/* xm took options anywhere among the arguments: getopt permutes */
	optind = 1;
	while ((opt = getopt_long(argc, argv, "hqnpcf:sF:x", opts, NULL)) >= 0) {
		switch (opt) {
		case 'h': xm_usage(stdout); return 0;
		case 'q': quiet = true; break;
		case 'n': dryrun = true; break;
		case 'p': paused = true; break;
		case 'c': console = true; break;
		case 'f': name = optarg; break;
		case 'P': path = optarg; break;
		case 's': break; /* skips checks of XML configs: there are none */
		case 'F':
			fprintf(stderr, "Error: xm create -F: SXP domain configs were read by xend, "
				"which does not exist here; give an xl.cfg-style file\n");
			return 1;
		case 'x':
			fprintf(stderr, "Error: xm create -x: XML configs were read by xend, "
				"which does not exist here\n");
			return 1;
		case 'H':
			fprintf(stderr, "Error: xm create --help_config: the variables are those of "
				"xl.cfg(5)\n");
			return 1;
		case 'V':
			fprintf(stderr, "Error: xm create --vncviewer: no guest here has a "
				"graphical console\n");
			return 1;
		default:
			xm_usage(stderr);
			return 2;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (strchr(argv[i], '='))
			continue;
		if (name) {
			fprintf(stderr, "Error: xm create: more than one config file given "
				"(`%s' and `%s')\n", name, argv[i]);
			return 2;
		}
		name = argv[i];
	}
	if (!name) {
		fprintf(stderr, "Error: xm create: no config file given\n");
		xm_usage(stderr);
		return 2;
	}
	if (find_config(name, path, file, sizeof(file))) {
		fprintf(stderr, "Error: Unable to open config file: %s (looked for it as "
			"given and in %s)\n", name, path);
		return 1;
	}
	if (!quiet)
		printf("Using config file \"%s\".\n", file);
	fflush(stdout);

	xl_argv[n++] = "create";
	xl_argv[n++] = "-q"; /* "Using config file" replaces xl's "Parsing config" */
	if (paused)
		xl_argv[n++] = "-p";
	if (console)
		xl_argv[n++] = "-c";
	if (dryrun)
		xl_argv[n++] = "-n";
	xl_argv[n++] = file;
	for (int i = optind; i < argc; i++) {
		if (!strchr(argv[i], '='))
			continue;
		if (n >= XM_ARGS_MAX) {
			fprintf(stderr, "Error: xm create: too many VAR=VAL arguments\n");
			return 2;
		}
		xl_argv[n++] = argv[i];
	}
	xl_argv[n] = NULL;
	return xl_dispatch(g, n, xl_argv);
}

/* xm shutdown: -R asked for a reboot, -H for the default halt. */
static int xm_shutdown(struct xl_globals *g, int argc, char **argv)
{
	char *xl_argv[XM_ARGS_MAX + 1];
	bool reboot = false;
	int n = 1;

	if (argc > XM_ARGS_MAX) {
		fprintf(stderr, "Error: xm shutdown: too many arguments\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-R") || !strcmp(argv[i], "--reboot"))
			reboot = true;
		else if (strcmp(argv[i], "-H") && strcmp(argv[i], "--halt"))
			xl_argv[n++] = argv[i];
	}
	xl_argv[0] = reboot ? "reboot" : "shutdown";
	xl_argv[n] = NULL;
	return xl_dispatch(g, n, xl_argv);
}

static bool is_managed_cmd(const char *c)
{
	static const char *const managed[] = { "new", "start", "delete", "suspend", "resume" };

	for (size_t i = 0; i < sizeof(managed) / sizeof(managed[0]); i++)
		if (!strcmp(c, managed[i]))
			return true;
	return false;
}

int xm_main(int argc, char **argv)
{
	struct xl_globals g;
	const char *cmd;

	xl_globals_init(&g);
	g.xm = true;
	if (argc < 2) {
		xm_usage(stderr);
		return 1;
	}
	cmd = argv[1];
	argc--;
	argv++;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		xm_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "create"))
		return xm_create(&g, argc, argv);
	if (!strcmp(cmd, "shutdown"))
		return xm_shutdown(&g, argc, argv);
	if (is_managed_cmd(cmd)) {
		fprintf(stderr, "Error: xm %s: domains managed by xend are not supported: there "
			"is no xend (as in Xen 4.17); start a domain with xm create <ConfigFile>\n",
			cmd);
		return 1;
	}
	if (!strcmp(cmd, "list"))
		for (int i = 1; i < argc; i++)
			if (!strcmp(argv[i], "-l") || !strcmp(argv[i], "--long")) {
				fprintf(stderr, "Error: xm list -l printed xend's SXP record, which "
					"does not exist here; xl list -l prints the domain's "
					"configuration as JSON\n");
				return 1;
			}
	if (!strcmp(cmd, "console") && argc > 1 &&
	    (!strcmp(argv[1], "-q") || !strcmp(argv[1], "--quiet"))) {
		/* xm console -q only silenced its own messages */
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	return xl_dispatch(&g, argc, argv);
}
