/* The xl command line front end: global options and the command table.
 * Each command family lives in its own xl_<family>.c file and adds its
 * entries to xl_cmdtable.c. */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

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
	/* run as xm (xm.c): create announces the domain, and a config
	 * without name= takes the file's name, as xm did */
	bool xm;
	const char *default_name;
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
int main_shutdown(struct xl_globals *g, int argc, char **argv);
int main_reboot(struct xl_globals *g, int argc, char **argv);
int main_console(struct xl_globals *g, int argc, char **argv);
int main_sysrq(struct xl_globals *g, int argc, char **argv);

struct lx_ctx;

/* xl_domain.c: create a parsed config (PVH) paused through the lifecycle
 * core (prints why not, -1).  console: the bootloader's menu, if any,
 * is shown on our terminal. */
int xl_domain_create_paused(struct lx_ctx *ctx, const libxl_domain_config *dc,
			    bool console, uint32_t *domid);

/* xl_bootloader.c: bootloader= runs before the build and names what to
 * boot; nothing is set when the config has no bootloader. */
struct xl_boot {
	char *kernel, *ramdisk, *cmdline;
	char out_dir[128];
};
int xl_bootloader_run(const libxl_domain_config *dc, bool console, struct xl_boot *out);
/* Removes the copies and the bootloader's directory. */
void xl_bootloader_done(struct xl_boot *b);

/* xl_monitor.c: `xl create` after parsing: create, console (-c), the
 * per-domain monitor that carries out on_poweroff/on_reboot/on_crash
 * (daemonized unless -F; none with -e), unpause unless -p. */
struct xl_run_opts {
	bool paused, console, daemonize, monitor;
	int verbose;			/* xl -v count */
	bool announce;			/* print "Started domain NAME (id=N)" (xm) */
	struct timespec start;		/* when create began: -vvv times from it */
};
int xl_domain_run(libxl_domain_config *dc, const struct xl_run_opts *o);

/* xl_console.c: attach to a domain's PV console until Ctrl-] or the
 * domain goes away. With unpause set, the domain is unpaused once the
 * console is open, so no early output is lost. */
int xl_console_attach(uint32_t domid, bool unpause);

void xl_usage(const struct xl_cmd *c);
/* Run one command line (argv[0] is the command) with globals set. */
int xl_dispatch(struct xl_globals *g, int argc, char **argv);
void xl_globals_init(struct xl_globals *g);
/* xm.c: the xm command line, for a binary called as "xm". */
int xm_main(int argc, char **argv);
const struct xl_cmd *xl_cmd_find(const char *name);

/* xl.conf */
int xl_conf_load(struct xl_globals *g);
void xl_conf_free(struct xl_globals *g);

/* Domain argument of device commands: a domid (no name lookup without
 * a running toolstack). Returns 0 and *domid, or prints and -1. */
int xl_domid_parse(const char *s, uint32_t *domid);

/* ---- domain management: list, info, dmesg, uptime, domid, domname,
 * pause, unpause, rename, vcpu-*, mem-* (xl_list.c, xl_info.c,
 * xl_pause.c, xl_vcpu.c, xl_mem.c; helpers in xl_dom.c, xl_fmt.c) ---- */
#include <stdio.h>
#include <time.h>
int main_info(struct xl_globals *g, int argc, char **argv);
int main_dmesg(struct xl_globals *g, int argc, char **argv);
int main_uptime(struct xl_globals *g, int argc, char **argv);
int main_domid(struct xl_globals *g, int argc, char **argv);
int main_domname(struct xl_globals *g, int argc, char **argv);
int main_pause(struct xl_globals *g, int argc, char **argv);
int main_unpause(struct xl_globals *g, int argc, char **argv);
int main_rename(struct xl_globals *g, int argc, char **argv);
int main_vcpulist(struct xl_globals *g, int argc, char **argv);
int main_vcpuset(struct xl_globals *g, int argc, char **argv);
int main_vcpupin(struct xl_globals *g, int argc, char **argv);
int main_memset(struct xl_globals *g, int argc, char **argv);
int main_memmax(struct xl_globals *g, int argc, char **argv);

/* xl_fmt.c: parsers and Xen 4.17's line formats. */
/* Sizes ("256", "1g", "4096b") are xlu_parse_size_kb(s, 'm'): no suffix
 * means MiB, as in xl.cfg. */
/* "0-3,^2", "all", "1,5-6" into a map of nr_bits CPUs (cleared first);
 * 0, or -errno with the reason in err. */
int xl_cpulist_parse(const char *s, uint8_t *map, unsigned int nr_bits, char *err,
		     size_t errlen);
/* The first nr_bits of map as xl prints them: "all", "none", "0-2,5". */
void xl_bitmap_format(const uint8_t *map, unsigned int nr_bits, char *out, size_t outlen);
/* Xen's six state letters "rbpscd" for getdomaininfo flags. */
void xl_state_letters(uint32_t flags, char out[7]);
/* 1 and *domid when arg is all digits (a domain id), else 0 (a name). */
int xl_domarg_numeric(const char *arg, uint32_t *domid);
void xl_uptime_format(unsigned long secs, bool short_mode, char *out, size_t len);
/* xl uptime's header and rows; short rows carry the local time `now`. */
void xl_uptime_header(FILE *f);
void xl_uptime_row(FILE *f, const char *name, uint32_t domid, unsigned long secs,
		   bool short_mode, time_t now);
void xl_uuid_format(const uint8_t u[16], char out[37]);

#define XL_LIST_VERBOSE 1u
#define XL_LIST_CONTEXT 2u
#define XL_LIST_CPUPOOL 4u
#define XL_LIST_NUMA 8u
struct xl_list_dom {
	const char *name;		/* NULL prints "(null)", as Xen */
	uint32_t domid;
	uint64_t mem_kb;		/* current + outstanding */
	unsigned int vcpus;		/* online */
	uint32_t flags;			/* XEN_DOMINF_* and shutdown code */
	uint64_t cpu_time_ns;
	uint8_t uuid[16];
	const char *ssid_label;		/* NULL prints "-" */
	const char *pool_name;
	const char *node_affinity;
};
void xl_list_header(FILE *f, unsigned int opts);
void xl_list_row(FILE *f, const struct xl_list_dom *d, unsigned int opts);
/* xl list -l: "[\n" first, then one entry per domain with its config as
 * libxl JSON (4-space beautified), then the close. */
void xl_list_json_entry(FILE *f, uint32_t domid, const char *config, bool first);
void xl_list_json_close(FILE *f, bool any);

struct xl_vcpu_line {
	const char *name;
	uint32_t domid, vcpu, cpu;
	bool online, running, blocked;
	uint64_t cpu_time_ns;
	const char *hard, *soft;	/* formatted affinities */
};
void xl_vcpu_header(FILE *f);
void xl_vcpu_row(FILE *f, const struct xl_vcpu_line *v);

/* xl_dom.c: resolving domain arguments against the running system.
 * Prints Xen's "X is an invalid domain identifier (rc=-6)" and returns -1
 * for an unknown name; an id is taken as given (like xl). */
struct lx_ctx;
int xl_dom_resolve(struct lx_ctx *ctx, const char *arg, uint32_t *domid);
/* The xenstore name of domid (free()), or NULL. */
char *xl_dom_name(struct lx_ctx *ctx, uint32_t domid);
/* Opens the control handles or prints why not: 0 or -1. */
int xl_dom_open(struct lx_ctx *ctx, const char *cmd);
/* xl_dom_open, then xl_dom_resolve of arg; on failure (said) nothing is
 * left open: 0 or -1. */
int xl_dom_open_resolve(struct lx_ctx *ctx, const char *cmd, const char *arg, uint32_t *domid);
/* getopt_long with xl's conventions: -h prints the usage, an unknown
 * option or fewer than reqargs operands is an error. Returns the option,
 * -1 when done, or 0: return *exit_code. longopts NULL: only --help. */
struct option;
int xl_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	      const char *cmd, int reqargs, int *exit_code);

/* ---- devices (xl_devices.c) ---- */
int main_blocklist(struct xl_globals *g, int argc, char **argv);
int main_blockdetach(struct xl_globals *g, int argc, char **argv);
int main_networklist(struct xl_globals *g, int argc, char **argv);
int main_networkdetach(struct xl_globals *g, int argc, char **argv);
/* Parsed disk=/vif= entries as the device layer takes them (the spec
 * points into the libxl struct): 0, or -1 with why in err. */
struct lx_disk_spec;
struct lx_nic_spec;
int xl_disk_to_lx(const libxl_device_disk *d, struct lx_disk_spec *s, char *err, size_t errlen);
int xl_nic_to_lx(const libxl_device_nic *n, struct lx_nic_spec *s, char *err, size_t errlen);
/* All of dc's disks and nics into spec (allocated; xl_devices_spec_free). */
struct lx_domain_spec;
int xl_devices_spec(const libxl_domain_config *dc, struct lx_domain_spec *spec, char *err,
		    size_t errlen);
void xl_devices_spec_free(struct lx_domain_spec *spec);

#endif
