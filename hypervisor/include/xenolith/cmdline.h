/* Xen command-line options understood by the hypervisor. */
#ifndef XENOLITH_CMDLINE_H
#define XENOLITH_CMDLINE_H

#include "lib.h"
#include "printk.h"

#define CMDLINE_MAX_UNKNOWN 16
#define CMDLINE_TOKEN_MAX 64

struct hv_options {
	bool console_com1;
	bool console_vga;
	unsigned int com1_baud; /* 0 = keep what firmware set (Xen: "auto") */
	unsigned int com1_data_bits;
	char com1_parity; /* 'n', 'o', 'e', 'm', 's' */
	unsigned int com1_stop_bits;
	uint64_t dom0_mem; /* bytes; 0 = default */
	uint64_t dom0_mem_min;
	uint64_t dom0_mem_max;
	unsigned int dom0_vcpus_min;
	unsigned int dom0_vcpus_max; /* 0 = default */
	bool dom0_pvh;
	enum log_level loglvl;
	enum log_level guest_loglvl;
	bool noreboot;
	bool hypercall_debug; /* log every failed hypercall (diagnosis) */
	unsigned int maxcpus; /* 0 = every CPU the firmware lists */
	unsigned int nr_unknown;
	char unknown[CMDLINE_MAX_UNKNOWN][CMDLINE_TOKEN_MAX];
	unsigned int nr_bad;
	char bad[CMDLINE_MAX_UNKNOWN][CMDLINE_TOKEN_MAX];
};

void cmdline_defaults(struct hv_options *o);
/* Parse options (the image name, if any, must already be skipped). */
void cmdline_parse(struct hv_options *o, const char *cmdline);
/* Pointer past the first word (the image path multiboot loaders prepend). */
const char *cmdline_skip_image(const char *cmdline);
/* Sizes: digits with optional K/M/G/T/B suffix; no suffix = KiB (as Xen). */
int cmdline_parse_size(const char *s, const char **end, uint64_t *out);
int cmdline_parse_loglvl(const char *s, enum log_level *out);
const char *cmdline_loglvl_name(enum log_level lvl);

#endif
