/* xl sched-credit / sched-credit2 without the hypervisor: options, the
 * refusals of Xen's xl, libxl's range checks and the output lines. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <xen/sysctl.h>
#include "xl_sched.h"

/* xl reads numbers with strtol(optarg, NULL, 10) into an int: scripts
 * that pass "-w 512" or "-w 0x10" (0) see the same as with Xen's xl. */
static int xl_int(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

int xl_sched_parse(int argc, char **argv, bool credit2, struct xl_sched_opts *o, char *err,
		   size_t errlen)
{
	static const struct option credit_opts[] = {
		{ "domain", 1, 0, 'd' }, { "weight", 1, 0, 'w' }, { "cap", 1, 0, 'c' },
		{ "schedparam", 0, 0, 's' }, { "tslice_ms", 1, 0, 't' },
		{ "ratelimit_us", 1, 0, 'r' }, { "migration_delay_us", 1, 0, 'm' },
		{ "cpupool", 1, 0, 'p' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	static const struct option credit2_opts[] = {
		{ "domain", 1, 0, 'd' }, { "weight", 1, 0, 'w' }, { "cap", 1, 0, 'c' },
		{ "schedparam", 0, 0, 's' }, { "ratelimit_us", 1, 0, 'r' },
		{ "cpupool", 1, 0, 'p' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->credit2 = credit2;
	o->weight = 256;
	err[0] = '\0';
	optind = 0;	/* glibc: full reset, the tests parse many times */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, credit2 ? "d:w:c:p:r:sh" : "d:w:c:p:t:r:m:sh",
				  credit2 ? credit2_opts : credit_opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			o->dom = optarg;
			break;
		case 'w':
			o->weight = xl_int(optarg);
			o->opt_w = true;
			break;
		case 'c':
			o->cap = xl_int(optarg);
			o->opt_c = true;
			break;
		case 't':
			o->tslice_ms = xl_int(optarg);
			o->opt_t = true;
			break;
		case 'r':
			o->ratelimit_us = xl_int(optarg);
			o->opt_r = true;
			break;
		case 'm':
			o->migr_delay_us = xl_int(optarg);
			o->opt_m = true;
			break;
		case 's':
			o->opt_s = true;
			break;
		case 'p':
			o->pool = optarg;
			break;
		case 'h':
			return 1;
		default:
			if (optopt == 'h')
				return 1;
			if (optopt)
				snprintf(err, errlen, "option `%c' not supported.", optopt);
			else
				snprintf(err, errlen, "option `%s' not supported.",
					 argv[optind - 1]);
			return 2;
		}
	}
	if (credit2) {
		if (o->pool && (o->dom || o->opt_w || o->opt_c)) {
			snprintf(err, errlen, "Specifying a cpupool is not allowed with other options.");
			return 3;
		}
	} else if ((o->pool || o->opt_s) && (o->dom || o->opt_w || o->opt_c)) {
		snprintf(err, errlen,
			 "Specifying a cpupool or schedparam is not allowed with domain options.");
		return 3;
	}
	if (!o->dom && (o->opt_w || o->opt_c)) {
		snprintf(err, errlen, "Must specify a domain.");
		return 3;
	}
	if (!credit2 && !o->opt_s && (o->opt_t || o->opt_r || o->opt_m)) {
		snprintf(err, errlen, "Must specify schedparam to set schedule parameter values.");
		return 3;
	}
	return 0;
}

int xl_sched_check_domain(int weight, int cap, uint32_t max_vcpu_id, char *err, size_t errlen)
{
	long max_cap = ((long)max_vcpu_id + 1) * 100;

	if (weight != XL_SCHED_KEEP && (weight < 1 || weight > 65535)) {
		snprintf(err, errlen,
			 "Cpu weight out of range, valid values are within range from 1 to 65535");
		return -1;
	}
	if (cap != XL_SCHED_KEEP && (cap < 0 || cap > max_cap)) {
		snprintf(err, errlen,
			 "Cpu cap out of range, valid range is from 0 to %ld for specified number of vcpus",
			 max_cap);
		return -1;
	}
	return 0;
}

int xl_sched_check_ratelimit(int ratelimit_us, char *err, size_t errlen)
{
	/* 0 turns rate limiting off */
	if (ratelimit_us != 0 && (ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN ||
				  ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX)) {
		snprintf(err, errlen, "Ratelimit out of range, valid range is from %d to %d",
			 XEN_SYSCTL_SCHED_RATELIMIT_MIN, XEN_SYSCTL_SCHED_RATELIMIT_MAX);
		return -1;
	}
	return 0;
}

int xl_sched_check_credit_params(int tslice_ms, int ratelimit_us, int migr_delay_us, char *err,
				 size_t errlen)
{
	if (tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN || tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX) {
		snprintf(err, errlen, "Time slice out of range, valid range is from %d to %d",
			 XEN_SYSCTL_CSCHED_TSLICE_MIN, XEN_SYSCTL_CSCHED_TSLICE_MAX);
		return -1;
	}
	if (xl_sched_check_ratelimit(ratelimit_us, err, errlen) < 0)
		return -1;
	if ((long)ratelimit_us > (long)tslice_ms * 1000) {
		snprintf(err, errlen, "Ratelimit cannot be greater than timeslice");
		return -1;
	}
	/* libxl compares as unsigned: a negative delay is too big */
	if ((unsigned int)migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US) {
		snprintf(err, errlen, "vcpu migration delay should be >= 0 and <= %dus",
			 XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US);
		return -1;
	}
	return 0;
}

const char *xl_sched_name(uint32_t sched_id)
{
	switch (sched_id) {
	case 4:
		return "sedf";
	case 5:
		return "credit";
	case 6:
		return "credit2";
	case 7:
		return "arinc653";
	case 8:
		return "rtds";
	case 9:
		return "null";
	default:
		return "unknown";
	}
}

void xl_sched_header(FILE *f)
{
	fprintf(f, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

void xl_sched_row(FILE *f, const char *name, uint32_t domid, int weight, int cap)
{
	/* glibc prints a NULL name as "(null)", which Xen's xl shows */
	fprintf(f, "%-33s %4d %6d %4d\n", name ? name : "(null)", (int)domid, weight, cap);
}

void xl_sched_pool_credit(FILE *f, const char *pool, int tslice_ms, int ratelimit_us,
			  int migr_delay_us)
{
	fprintf(f, "Cpupool %s: tslice=%dms ratelimit=%dus migration-delay=%dus\n",
		pool ? pool : "(null)", tslice_ms, ratelimit_us, migr_delay_us);
}

void xl_sched_pool_credit2(FILE *f, const char *pool, int ratelimit_us)
{
	fprintf(f, "Cpupool %s: ratelimit=%dus\n", pool ? pool : "(null)", ratelimit_us);
}
