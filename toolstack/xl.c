/* xl: global options, xl.conf, then dispatch through the command table. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#ifndef XL_CONF_PATH
#define XL_CONF_PATH "/etc/xen/xl.conf"
#endif

void xl_usage(const struct xl_cmd *c)
{
	if (c) {
		printf("Usage: xl [-vfN] %s %s\n\n%s.\n", c->name, c->usage, c->summary);
		return;
	}
	printf("Usage xl [-vfN] <subcommand> [args]\n\nxl full list of subcommands:\n\n");
	for (int i = 0; i < xl_cmdtable_len; i++)
		printf(" %-19s %s\n", xl_cmdtable[i].name, xl_cmdtable[i].summary);
}

int main_help(struct xl_globals *g, int argc, char **argv)
{
	(void)g;
	xl_usage(argc > 1 ? xl_cmd_find(argv[1]) : NULL);
	return 0;
}

int xl_domid_parse(const char *s, uint32_t *domid)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v >= 0x7FF0) {
		fprintf(stderr, "%s is an invalid domain identifier (a domain id is needed: "
			"names cannot be looked up without a running toolstack)\n", s);
		return -1;
	}
	*domid = (uint32_t)v;
	return 0;
}

static char *conf_str(XLU_Config *c, const char *key)
{
	const char *s;

	return xlu_cfg_get_string(c, key, &s, 0) ? NULL : strdup(s);
}

int xl_conf_load(struct xl_globals *g)
{
	XLU_Config *c;
	long l;
	int e;

	g->run_hotplug_scripts = true;
	g->claim_mode = true;
	g->max_grant_frames = -1;
	g->max_maptrack_frames = -1;
	g->max_grant_version = -1;
	c = xlu_cfg_init(stderr, g->config_file);
	if (!c)
		return -1;
	e = xlu_cfg_readfile(c, g->config_file);
	if (e == ENOENT) {
		xlu_cfg_destroy(c);
		return 0;  /* no xl.conf: built-in defaults, as Xen's xl */
	}
	if (e) {
		fprintf(stderr, "Failed to parse config file: %s\n", strerror(e));
		xlu_cfg_destroy(c);
		return -1;
	}
	if (!xlu_cfg_get_long(c, "run_hotplug_scripts", &l, 0))
		g->run_hotplug_scripts = l;
	if (!xlu_cfg_get_long(c, "claim_mode", &l, 0))
		g->claim_mode = l;
	g->default_vifscript = conf_str(c, "vif.default.script");
	if (!g->default_vifscript)
		g->default_vifscript = conf_str(c, "vifscript");
	g->default_bridge = conf_str(c, "vif.default.bridge");
	if (!g->default_bridge)
		g->default_bridge = conf_str(c, "defaultbridge");
	g->default_gatewaydev = conf_str(c, "vif.default.gatewaydev");
	g->default_vifbackend = conf_str(c, "vif.default.backend");
	g->blkdev_start = conf_str(c, "blkdev_start");
	if (!xlu_cfg_get_long(c, "max_grant_frames", &l, 0))
		g->max_grant_frames = l;
	if (!xlu_cfg_get_long(c, "max_maptrack_frames", &l, 0))
		g->max_maptrack_frames = l;
	if (!xlu_cfg_get_long(c, "max_grant_version", &l, 0))
		g->max_grant_version = l;
	xlu_cfg_destroy(c);
	return 0;
}

void xl_conf_free(struct xl_globals *g)
{
	free(g->default_vifscript);
	free(g->default_bridge);
	free(g->default_gatewaydev);
	free(g->default_vifbackend);
	free(g->blkdev_start);
}

int xl_dispatch(struct xl_globals *g, int argc, char **argv)
{
	const struct xl_cmd *cmd = xl_cmd_find(argv[0]);
	int rc;

	if (!cmd) {
		fprintf(stderr, "%s: command not implemented: %s\n", g->xm ? "xm" : "xl", argv[0]);
		return 1;
	}
	if (g->dryrun && !cmd->dryrun_ok) {
		fprintf(stderr, "command does not implement -N (dryrun) option\n");
		return 1;
	}
	if (xl_conf_load(g)) {
		xl_conf_free(g);
		return 1;
	}
	optind = 1;
	rc = cmd->fn(g, argc, argv);
	xl_conf_free(g);
	if (fflush(stdout) || ferror(stdout)) {
		perror("stdout");
		return 1;
	}
	return rc;
}

void xl_globals_init(struct xl_globals *g)
{
	memset(g, 0, sizeof(*g));
	g->config_file = getenv("XL_CONF") ? getenv("XL_CONF") : XL_CONF_PATH;
}

int main(int argc, char **argv)
{
	struct xl_globals g;
	const char *prog = strrchr(argv[0], '/');
	int opt;

	prog = prog ? prog + 1 : argv[0];
	if (!strcmp(prog, "xm"))
		return xm_main(argc, argv);
	xl_globals_init(&g);
	/* '+': global options stop at the subcommand */
	while ((opt = getopt(argc, argv, "+vfNtTh")) >= 0) {
		switch (opt) {
		case 'v': g.verbose++; break;
		case 'N': g.dryrun = true; break;
		case 'f': case 't': case 'T': break;  /* accepted for compatibility */
		case 'h': xl_usage(NULL); return 0;
		default:
			fprintf(stderr, "unknown global option\n");
			return 2;
		}
	}
	if (optind >= argc) {
		xl_usage(NULL);
		return 1;
	}
	return xl_dispatch(&g, argc - optind, argv + optind);
}
