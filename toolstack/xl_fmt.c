/* Pure helpers of xl's domain-management commands: argument parsers
 * (sizes, CPU lists, domain arguments) and the line formats of Xen 4.17's
 * xl (list, vcpu-list, uptime). No hypervisor access here, so host tests
 * can feed them anything. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <uuid/uuid.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xen/domctl.h>
#include "xl.h"

/* "N" or "N-M" with M >= N, nothing after. */
static int cpu_range(const char *s, unsigned long *a, unsigned long *b)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*a = *b = strtoul(s, &end, 10);
	if (errno)
		return -1;
	if (*end == '-') {
		const char *t = end + 1;

		if (!isdigit((unsigned char)*t))
			return -1;
		*b = strtoul(t, &end, 10);
		if (errno || *b < *a)
			return -1;
	}
	return *end ? -1 : 0;
}

int xl_cpulist_parse(const char *s, uint8_t *map, unsigned int nr_bits, char *err,
		     size_t errlen)
{
	char *buf = strdup(s), *save = NULL, *tok;
	int rc = 0;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memset(map, 0, (nr_bits + 7) / 8);
	if (!*s) {
		snprintf(err, errlen, "Invalid pcpu range: %s.", s);
		rc = -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		bool neg = *tok == '^';
		const char *t = tok + neg;
		unsigned long a, b;

		if (!strncmp(t, "node:", 5) || !strncmp(t, "nodes:", 6)) {
			/* Node ranges need the host's NUMA topology. */
			snprintf(err, errlen, "NUMA node ranges are not supported: %s.", tok);
			rc = -EOPNOTSUPP;
			break;
		}
		if (!strcmp(t, "all")) {
			if (neg) {
				snprintf(err, errlen, "Can't combine \"^\" and \"all\".");
				rc = -EINVAL;
				break;
			}
			a = 0;
			b = nr_bits ? nr_bits - 1 : 0;
		} else if (cpu_range(t, &a, &b)) {
			snprintf(err, errlen, "Invalid pcpu range: %s.", t);
			rc = -EINVAL;
			break;
		}
		if (b >= nr_bits) {
			snprintf(err, errlen, "CPU %lu is beyond the host's %u CPUs.", b, nr_bits);
			rc = -ERANGE;
			break;
		}
		for (unsigned long i = a; i <= b; i++) {
			if (neg)
				map[i / 8] &= (uint8_t)~(1u << (i % 8));
			else
				map[i / 8] |= (uint8_t)(1u << (i % 8));
		}
	}
	free(buf);
	return rc;
}

static bool bit_set(const uint8_t *map, unsigned int i)
{
	return map[i / 8] & (1u << (i % 8));
}

void xl_bitmap_format(const uint8_t *map, unsigned int nr_bits, char *out, size_t outlen)
{
	size_t used = 0;
	unsigned int i = 0, runs = 0;

	out[0] = '\0';
	/* All of the first nr_bits set reads "all", none "none"; otherwise
	 * runs as "a-b,c". */
	while (i < nr_bits) {
		unsigned int start;

		if (!bit_set(map, i)) {
			i++;
			continue;
		}
		start = i;
		while (i < nr_bits && bit_set(map, i))
			i++;
		if (start == 0 && i == nr_bits) {
			snprintf(out, outlen, "all");
			return;
		}
		if (used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, "%s%u", runs ? "," : "",
						 start);
		if (i - 1 > start && used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, "-%u", i - 1);
		runs++;
	}
	if (!runs)
		snprintf(out, outlen, "none");
}

void xl_state_letters(uint32_t flags, char out[7])
{
	static const char reason_letters[] = "-rscwS";
	bool shutdown = flags & XEN_DOMINF_shutdown;
	unsigned int reason = shutdown ?
		(flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask : 0;

	out[0] = flags & XEN_DOMINF_running ? 'r' : '-';
	out[1] = flags & XEN_DOMINF_blocked ? 'b' : '-';
	out[2] = flags & XEN_DOMINF_paused ? 'p' : '-';
	out[3] = shutdown ? 's' : '-';
	out[4] = reason < sizeof(reason_letters) - 1 ? reason_letters[reason] : '?';
	out[5] = flags & XEN_DOMINF_dying ? 'd' : '-';
	out[6] = '\0';
}

int xl_domarg_numeric(const char *arg, uint32_t *domid)
{
	unsigned long v;

	if (!*arg)
		return 0;
	for (const char *p = arg; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	/* Like libxl: all digits is an id, whether or not such a domain
	 * exists; the caller reports a missing one. */
	errno = 0;
	v = strtoul(arg, NULL, 10);
	*domid = errno || v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	return 1;
}

void xl_uptime_format(unsigned long secs, bool short_mode, char *out, size_t len)
{
	unsigned long day = secs / 86400, hour = secs % 86400 / 3600, min = secs % 3600 / 60,
		      sec = secs % 60;
	const char *unit = day > 1 ? "days" : "day";

	if (short_mode) {
		if (day)
			snprintf(out, len, "%lu %s, %2lu:%02lu", day, unit, hour, min);
		else
			snprintf(out, len, "%2lu:%02lu", hour, min);
	} else {
		if (day)
			snprintf(out, len, "%lu %s, %2lu:%02lu:%02lu", day, unit, hour, min, sec);
		else
			snprintf(out, len, "%2lu:%02lu:%02lu", hour, min, sec);
	}
}

void xl_uptime_header(FILE *f)
{
	fprintf(f, "%-33s %4s %s\n", "Name", "ID", "Uptime");
}

void xl_uptime_row(FILE *f, const char *name, uint32_t domid, unsigned long secs,
		   bool short_mode, time_t now)
{
	char up[64];

	xl_uptime_format(secs, short_mode, up, sizeof(up));
	if (short_mode) {
		char clock[16] = "";
		struct tm tm;

		if (localtime_r(&now, &tm))
			strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
		fprintf(f, " %s up %s, %s (%u)\n", clock, up, name ? name : "(null)", domid);
	} else {
		fprintf(f, "%-33s %4u %s\n", name ? name : "(null)", domid, up);
	}
}

void xl_uuid_format(const uint8_t u[16], char out[37])
{
	uuid_unparse_lower(u, out);
}

void xl_list_header(FILE *f, unsigned int opts)
{
	/* Xen's header has tabs where its rows have spaces. */
	fputs("Name                                        ID   Mem VCPUs\tState\tTime(s)", f);
	if (opts & XL_LIST_VERBOSE)
		fputs("   UUID                            Reason-Code\tSecurity Label", f);
	if ((opts & XL_LIST_CONTEXT) && !(opts & XL_LIST_VERBOSE))
		fputs("   Security Label", f);
	if (opts & XL_LIST_CPUPOOL)
		fputs("         Cpupool", f);
	if (opts & XL_LIST_NUMA)
		fputs(" NODE Affinity", f);
	fputc('\n', f);
}

void xl_list_row(FILE *f, const struct xl_list_dom *d, unsigned int opts)
{
	char state[7];

	xl_state_letters(d->flags, state);
	fprintf(f, "%-40s %5u %5lu %5u     %s  %8.1f", d->name ? d->name : "(null)", d->domid,
		(unsigned long)(d->mem_kb / 1024), d->vcpus, state,
		(double)(float)d->cpu_time_ns / 1e9);
	if (opts & XL_LIST_VERBOSE) {
		char uuid[37];

		xl_uuid_format(d->uuid, uuid);
		fprintf(f, " %s", uuid);
		if (d->flags & XEN_DOMINF_shutdown)
			fprintf(f, " %8x", (d->flags >> XEN_DOMINF_shutdownshift) &
				XEN_DOMINF_shutdownmask);
		else
			fprintf(f, " %8s", "-");
	}
	if (opts & (XL_LIST_VERBOSE | XL_LIST_CONTEXT))
		fprintf(f, " %16s", d->ssid_label ? d->ssid_label : "-");
	if (opts & XL_LIST_CPUPOOL)
		fprintf(f, "%16s", d->pool_name ? d->pool_name : "(null)");
	if (opts & XL_LIST_NUMA)
		fprintf(f, " %s", d->node_affinity ? d->node_affinity : "");
	fputc('\n', f);
}

void xl_vcpu_header(FILE *f)
{
	fprintf(f, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
		"Time(s)", "Affinity (Hard / Soft)");
}

void xl_vcpu_row(FILE *f, const struct xl_vcpu_line *v)
{
	fprintf(f, "%-32s %5u %5u", v->name ? v->name : "(null)", v->domid, v->vcpu);
	if (!v->online)
		fprintf(f, "%5c %3c%cp ", '-', '-', '-');
	else
		fprintf(f, "%5u %3c%c- ", v->cpu, v->running ? 'r' : '-', v->blocked ? 'b' : '-');
	/* Xen divides a float, so large times round like its output. */
	fprintf(f, "%9.1f  %s / %s\n", (double)(float)v->cpu_time_ns / 1e9,
		v->hard, v->soft);
}

void xl_list_json_entry(FILE *f, uint32_t domid, const char *config, bool first)
{
	size_t len = strlen(config);

	while (len && config[len - 1] == '\n')
		len--;
	fprintf(f, "%s    {\n        \"domid\": %u,\n        \"config\": ", first ? "" : ",\n",
		domid);
	/* Nested two levels (8 spaces) deeper; yajl leaves blank lines
	 * blank. */
	for (size_t i = 0; i < len; i++) {
		fputc(config[i], f);
		if (config[i] == '\n' && config[i + 1] != '\n')
			fputs("        ", f);
	}
	fputs("\n    }", f);
}

void xl_list_json_close(FILE *f, bool any)
{
	/* xl puts() yajl's buffer, which already ends in a newline. */
	fputs(any ? "\n]\n\n" : "]\n\n", f);
}
