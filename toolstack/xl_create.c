/* xl create: reads the config (plus KEY=VALUE lines from the command
 * line), builds the libxl domain config; with -n prints it as JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_parse.h"

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "Failed to read config file: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t r;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);
			if (!nb)
				goto fail;
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (!r)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "Failed to read config file: %s: read error\n", path);
		goto fail;
	}
	fclose(f);
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

int main_create(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dryrun", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "defconfig", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	bool dryrun = g->dryrun, quiet = false, vnc = false;
	struct xl_run_opts run = { .daemonize = true, .monitor = true, .verbose = g->verbose };
	libxl_domain_config dc;
	char *data = NULL, *json;
	size_t len = 0;
	int opt, rc = 1;

	clock_gettime(CLOCK_MONOTONIC, &run.start);
	while ((opt = getopt_long(argc, argv, "+hnqf:FpcVed", opts, NULL)) >= 0) {
		switch (opt) {
		case 'n': dryrun = true; break;
		case 'q': quiet = true; break;
		case 'f': file = optarg; break;
		case 'h': xl_usage(xl_cmd_find("create")); return 0;
		case 'p': run.paused = true; break;
		case 'c': run.console = true; break;
		case 'V': vnc = true; break;
		case 'F': run.daemonize = false; break;
		case 'e': run.daemonize = run.monitor = false; break;
		case 'd': break;
		default: xl_usage(xl_cmd_find("create")); return 2;
		}
	}
	if (optind < argc && !strchr(argv[optind], '='))
		file = argv[optind++];
	if (!file) {
		fprintf(stderr, "xl create: no config file given\n");
		xl_usage(xl_cmd_find("create"));
		return 2;
	}
	if (read_file(file, &data, &len))
		return 1;
	if (g->xm) {
		/* xm named a domain after its config file when the file did not */
		const char *base = strrchr(file, '/');

		g->default_name = base ? base + 1 : file;
		run.announce = true;
	}
	/* KEY=VALUE arguments are extra lines after the file, as in Xen */
	for (int i = optind; i < argc; i++) {
		size_t al = strlen(argv[i]);
		char *nd = realloc(data, len + al + 3);

		if (!nd)
			goto out;
		data = nd;
		if (len && data[len - 1] != '\n')
			data[len++] = '\n';
		memcpy(data + len, argv[i], al);
		len += al;
		data[len++] = '\n';
		data[len] = 0;
	}
	if (len > 0x7fffffff) {
		fprintf(stderr, "%s: config file too large\n", file);
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "Parsing config from %s\n", file);
	libxl_domain_config_init(&dc);
	if (xl_parse_config_data(g, file, data, (int)len, &dc))
		goto out_dc;
	if (!dryrun) {
		if (vnc)
			fprintf(stderr, "xl create: -V (VNC viewer) is not supported: PVH guests "
				"have no graphical console yet\n");
		else
			rc = xl_domain_run(&dc, &run);
		goto out_dc;
	}
	json = libxl_domain_config_to_json(NULL, &dc);
	if (!json)
		goto out_dc;
	fputs(json, stdout);
	free(json);
	rc = 0;
out_dc:
	libxl_domain_config_dispose(&dc);
out:
	free(data);
	return rc;
}
