/* The xl command line front end: global options and the command table.
 * Each command family lives in its own xl_<family>.c file and adds its
 * entries to xl_cmdtable.c. */
#ifndef XL_H
#define XL_H

#include <stdbool.h>

#include "libxl.h"
#include "libxlutil.h"

struct xl_globals {
	int verbose;
	bool dryrun;                /* -N: print what would be done */
	const char *config_file;    /* xl.conf */
	/* xl.conf settings that shape a domain config */
	bool run_hotplug_scripts;
	bool claim_mode;
	char *default_vifscript, *default_bridge, *default_gatewaydev, *default_vifbackend;
	char *blkdev_start;
	long max_grant_frames, max_maptrack_frames, max_grant_version;
};

struct xl_cmd {
	const char *name;
	int (*fn)(struct xl_globals *g, int argc, char **argv);
	bool dryrun_ok;     /* honours -N */
	const char *summary;
	const char *usage;
};

extern const struct xl_cmd xl_cmdtable[];
extern const int xl_cmdtable_len;

int main_create(struct xl_globals *g, int argc, char **argv);
int main_blockattach(struct xl_globals *g, int argc, char **argv);
int main_networkattach(struct xl_globals *g, int argc, char **argv);
int main_help(struct xl_globals *g, int argc, char **argv);
int main_destroy(struct xl_globals *g, int argc, char **argv);
int main_list(struct xl_globals *g, int argc, char **argv);

/* xl_domain.c: start a parsed config (PVH) through the lifecycle core. */
int xl_domain_start(const libxl_domain_config *dc, bool paused);

void xl_usage(const struct xl_cmd *c);
const struct xl_cmd *xl_cmd_find(const char *name);

/* xl.conf */
int xl_conf_load(struct xl_globals *g);
void xl_conf_free(struct xl_globals *g);

/* Domain argument of device commands: a domid (no name lookup without
 * a running toolstack). Returns 0 and *domid, or prints and -1. */
int xl_domid_parse(const char *s, uint32_t *domid);

#endif
