/* xl's management helpers (toolstack/xl_fmt.c; sizes: libxlu's parser as
 * xl mem-set calls it): size and CPU-list parsers, domain-argument
 * classification, and the list / vcpu-list / uptime line formats, checked
 * against lines Xen 4.17's xl printed in the VM (the xen-4.17 directory,
 * recorded by tests/vm/scenarios/xl-manage.sh). */
#define _GNU_SOURCE	/* open_memstream */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xen/domctl.h>
#include "check.h"
#include "xl.h"

static void test_mem_size(void)
{
	static const struct {
		const char *in;
		int64_t kb;
	} cases[] = {
		{ "256", 262144 }, { "256m", 262144 }, { "256M", 262144 }, { "1g", 1048576 },
		{ "1G", 1048576 }, { "2t", 2147483648LL }, { "512k", 512 }, { "512K", 512 },
		{ "4096b", 4 }, { "1023b", 0 }, { "0", 0 }, { "12x", -1 }, { "", -1 },
		{ "-5", -1 }, { "1mb", -1 }, { "m", -1 }, { " 5", -1 }, { "5 ", -1 },
		{ "99999999999999999999", -1 }, { "9223372036854775807t", -1 },
		{ "8589934591t", 9223372035781033984LL }, { "8589934592t", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = xlu_parse_size_kb(cases[i].in, 'm');

		CHECK(got == cases[i].kb, "size '%s' is %" PRId64 " KiB (got %" PRId64 ")",
		      cases[i].in, cases[i].kb, got);
	}
	CHECK(xlu_parse_size_kb(NULL, 'm') == -1, "no size is not a size");
}

static void test_cpulist(void)
{
	static const struct {
		const char *in;
		unsigned int bits;
		int rc;
		uint8_t map0, map1;
		const char *err;
	} cases[] = {
		{ "0-3,^2", 8, 0, 0x0b, 0, NULL },
		{ "all", 4, 0, 0x0f, 0, NULL },
		{ "all,^0", 12, 0, 0xfe, 0x0f, NULL },
		{ "1,5-6", 8, 0, 0x62, 0, NULL },
		{ "0-15,^8-14", 16, 0, 0xff, 0x80, NULL },
		{ "7", 8, 0, 0x80, 0, NULL },
		{ "^all", 8, -EINVAL, 0, 0, "Can't combine \"^\" and \"all\"." },
		{ "3-1", 8, -EINVAL, 0, 0, "Invalid pcpu range: 3-1." },
		{ "x", 8, -EINVAL, 0, 0, "Invalid pcpu range: x." },
		{ "1,,x", 8, -EINVAL, 0, 0, "Invalid pcpu range: x." },
		{ "0-", 8, -EINVAL, 0, 0, "Invalid pcpu range: 0-." },
		{ "-1", 8, -EINVAL, 0, 0, "Invalid pcpu range: -1." },
		{ "1 ", 8, -EINVAL, 0, 0, "Invalid pcpu range: 1 ." },
		{ "", 8, -EINVAL, 0, 0, "Invalid pcpu range: ." },
		{ "8", 8, -ERANGE, 0, 0, "CPU 8 is beyond the host's 8 CPUs." },
		{ "2-99", 4, -ERANGE, 0, 0, "CPU 99 is beyond the host's 4 CPUs." },
		{ "nodes:0", 8, -EOPNOTSUPP, 0, 0, "NUMA node ranges are not supported: nodes:0." },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t map[2] = { 0xaa, 0xaa };
		char err[128] = "";
		int rc = xl_cpulist_parse(cases[i].in, map, cases[i].bits, err, sizeof(err));

		CHECK(rc == cases[i].rc, "cpu list '%s' gives %d (got %d: %s)", cases[i].in,
		      cases[i].rc, rc, err);
		if (rc == 0)
			CHECK(map[0] == cases[i].map0 && (cases[i].bits <= 8 || map[1] == cases[i].map1),
			      "cpu list '%s' is %02x %02x (got %02x %02x)", cases[i].in, cases[i].map0,
			      cases[i].map1, map[0], map[1]);
		else
			CHECK(!strcmp(err, cases[i].err), "cpu list '%s' error '%s' (got '%s')",
			      cases[i].in, cases[i].err, err);
	}
}

static void test_bitmap_format(void)
{
	static const struct {
		uint8_t map[2];
		unsigned int bits;
		const char *out;
	} cases[] = {
		{ { 0x0f }, 4, "all" }, { { 0xff }, 4, "all" }, { { 0x00 }, 4, "none" },
		{ { 0x0b }, 4, "0-1,3" }, { { 0x02 }, 4, "1" }, { { 0x0e }, 4, "1-3" },
		{ { 0x0f }, 8, "0-3" }, { { 0x62 }, 8, "1,5-6" }, { { 0xff, 0x01 }, 9, "all" },
		{ { 0x01, 0x01 }, 9, "0,8" }, { { 0x03 }, 2, "all" }, { { 0x01 }, 2, "0" },
		{ { 0x80, 0xff }, 16, "7-15" }, { { 0x55 }, 8, "0,2,4,6" }, { { 0x01 }, 0, "none" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];

		xl_bitmap_format(cases[i].map, cases[i].bits, out, sizeof(out));
		CHECK(!strcmp(out, cases[i].out), "map %02x%02x/%u prints '%s' (got '%s')",
		      cases[i].map[1], cases[i].map[0], cases[i].bits, cases[i].out, out);
	}
	{
		uint8_t map[4] = { 0x55, 0x55, 0x55, 0x55 };
		char small[8];

		xl_bitmap_format(map, 32, small, sizeof(small));
		CHECK(strlen(small) == 7 && !strncmp(small, "0,2,4,6", 7),
		      "a long list is cut at the buffer (got '%s')", small);
	}
}

static void test_state_letters(void)
{
	static const struct {
		uint32_t flags;
		const char *out;
	} cases[] = {
		{ 0, "------" },
		{ XEN_DOMINF_paused, "--p---" },
		{ XEN_DOMINF_running, "r-----" },
		{ XEN_DOMINF_blocked, "-b----" },
		{ XEN_DOMINF_shutdown, "---s--" },
		{ XEN_DOMINF_shutdown | (1u << 16), "---sr-" },
		{ XEN_DOMINF_shutdown | (2u << 16), "---ss-" },
		{ XEN_DOMINF_shutdown | (3u << 16), "---sc-" },
		{ XEN_DOMINF_shutdown | (4u << 16), "---sw-" },
		{ XEN_DOMINF_shutdown | (5u << 16), "---sS-" },
		{ XEN_DOMINF_shutdown | (9u << 16), "---s?-" },
		{ 3u << 16, "------" },	/* a code without the shutdown flag */
		{ XEN_DOMINF_dying | XEN_DOMINF_paused, "--p--d" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[7];

		xl_state_letters(cases[i].flags, out);
		CHECK(!strcmp(out, cases[i].out), "flags %#x read '%s' (got '%s')", cases[i].flags,
		      cases[i].out, out);
	}
}

static void test_domarg(void)
{
	uint32_t d = 77;

	CHECK(xl_domarg_numeric("12", &d) == 1 && d == 12, "'12' is domain id 12");
	CHECK(xl_domarg_numeric("0", &d) == 1 && d == 0, "'0' is domain id 0");
	d = 77;
	CHECK(xl_domarg_numeric("mg1", &d) == 0 && d == 77, "'mg1' is a name");
	CHECK(xl_domarg_numeric("1a", &d) == 0, "'1a' is a name");
	CHECK(xl_domarg_numeric("", &d) == 0, "'' is not an id");
	CHECK(xl_domarg_numeric("-1", &d) == 0, "'-1' is a name, as in libxl");
	CHECK(xl_domarg_numeric("99999999999", &d) == 1 && d == UINT32_MAX,
	      "an id beyond 32 bits is kept as one that cannot exist");
}

static void test_uptime(void)
{
	static const struct {
		unsigned long secs;
		bool short_mode;
		const char *out;
	} cases[] = {
		{ 0, false, " 0:00:00" }, { 3661, false, " 1:01:01" }, { 45296, false, "12:34:56" },
		{ 86400 + 7384, false, "1 day,  2:03:04" }, { 2 * 86400 + 59, false, "2 days,  0:00:59" },
		{ 61, true, " 0:01" }, { 86400 + 3600, true, "1 day,  1:00" },
		{ 10 * 86400 + 36000, true, "10 days, 10:00" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];

		xl_uptime_format(cases[i].secs, cases[i].short_mode, out, sizeof(out));
		CHECK(!strcmp(out, cases[i].out), "%lu s%s is '%s' (got '%s')", cases[i].secs,
		      cases[i].short_mode ? " (short)" : "", cases[i].out, out);
	}
}

/* ---- recorded Xen 4.17 output ---- */

static FILE *open_data(const char *name)
{
	const char *dir = getenv("SRCDIR");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/xen-4.17/%s", dir ? dir : ".", name);
	f = fopen(path, "r");
	CHECK(f != NULL, "recorded %s is readable", path);
	return f;
}

static uint32_t letters_to_flags(const char *s)
{
	static const char reasons[] = "-rscwS";
	uint32_t f = 0;

	if (s[0] == 'r')
		f |= XEN_DOMINF_running;
	if (s[1] == 'b')
		f |= XEN_DOMINF_blocked;
	if (s[2] == 'p')
		f |= XEN_DOMINF_paused;
	if (s[3] == 's')
		f |= XEN_DOMINF_shutdown |
		     (uint32_t)(strchr(reasons, s[4]) - reasons) << XEN_DOMINF_shutdownshift;
	if (s[5] == 'd')
		f |= XEN_DOMINF_dying;
	return f;
}

static int parse_uuid(const char *s, uint8_t u[16])
{
	unsigned int b[16];

	if (sscanf(s, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-%2x%2x%2x%2x%2x%2x", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &b[6], &b[7], &b[8], &b[9], &b[10], &b[11], &b[12], &b[13],
		   &b[14], &b[15]) != 16)
		return -1;
	for (int i = 0; i < 16; i++)
		u[i] = (uint8_t)b[i];
	return 0;
}

static char *format_with(void (*fn)(FILE *, const void *, unsigned int), const void *arg,
			 unsigned int opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg, opts);
	fclose(f);
	return buf;
}

static void list_header_fn(FILE *f, const void *arg, unsigned int opts)
{
	(void)arg;
	xl_list_header(f, opts);
}

static void list_row_fn(FILE *f, const void *arg, unsigned int opts)
{
	xl_list_row(f, arg, opts);
}

static void vcpu_header_fn(FILE *f, const void *arg, unsigned int opts)
{
	(void)arg;
	(void)opts;
	xl_vcpu_header(f);
}

static void vcpu_row_fn(FILE *f, const void *arg, unsigned int opts)
{
	(void)opts;
	xl_vcpu_row(f, arg);
}

/* A recorded table: its header line, then rows that row() parses and
 * formats again (NULL: the line does not parse), each compared byte for
 * byte. The number of lines read, or -1 when the file is missing. */
static int check_recorded_table(const char *file, unsigned int opts,
				void (*header)(FILE *, const void *, unsigned int),
				char *(*row)(char *line, const char *file, int n, unsigned int opts))
{
	FILE *f = open_data(file);
	char line[512], *out;
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (n++ == 0) {
			out = format_with(header, NULL, opts);
			CHECK(!strcmp(out, line), "%s: header is Xen's", file);
			free(out);
			continue;
		}
		out = row(line, file, n, opts);
		if (!out) {
			CHECK(0, "%s: line %d parses: %s", file, n, line);
			continue;
		}
		CHECK(!strcmp(out, line), "%s: line %d is Xen's\n#  xen: %s#  ours: %s", file, n,
		      line, out);
		free(out);
	}
	fclose(f);
	return n;
}

/* A line of `xl list [-v|-Z|-c|-n]`: parsed into what xl knows of a
 * domain and formatted again. */
static char *list_line(char *line, const char *file, int n, unsigned int opts)
{
	struct xl_list_dom d = { 0 };
	char name[64], state[8], rest[256] = "", *save = NULL, *tok;
	unsigned int id, mem, vcpus;
	double t;

	if (sscanf(line, "%63s %u %u %u %7s %lf %255[^\n]", name, &id, &mem, &vcpus, state, &t,
		   rest) < 6)
		return NULL;
	d.name = name;
	d.domid = id;
	d.mem_kb = (uint64_t)mem * 1024;
	d.vcpus = vcpus;
	d.flags = letters_to_flags(state);
	d.cpu_time_ns = (uint64_t)(t * 1e9);
	/* The optional columns, in Xen's order. */
	tok = strtok_r(rest, " ", &save);
	if (opts & XL_LIST_VERBOSE) {
		CHECK(tok && parse_uuid(tok, d.uuid) == 0, "%s: line %d has a UUID", file, n);
		tok = strtok_r(NULL, " ", &save);	/* reason code */
		tok = strtok_r(NULL, " ", &save);
	}
	if (opts & (XL_LIST_VERBOSE | XL_LIST_CONTEXT)) {
		if (tok && strcmp(tok, "-"))
			d.ssid_label = tok;
		tok = strtok_r(NULL, " ", &save);
	}
	if (opts & XL_LIST_CPUPOOL) {
		d.pool_name = tok;
		tok = strtok_r(NULL, " ", &save);
	}
	if (opts & XL_LIST_NUMA)
		d.node_affinity = tok;
	return format_with(list_row_fn, &d, opts);
}

static void test_recorded_list(const char *file, unsigned int opts)
{
	int n = check_recorded_table(file, opts, list_header_fn, list_line);

	if (n >= 0)
		CHECK(n >= 3, "%s holds a header and at least two domains", file);
}

static char *vcpu_line(char *line, const char *file, int n, unsigned int opts)
{
	struct xl_vcpu_line v = { 0 };
	char name[64], cpu[16], state[8], hard[64], soft[64];
	unsigned int id, vcpu;
	double t;

	(void)file;
	(void)n;
	if (sscanf(line, "%63s %u %u %15s %7s %lf %63s / %63s", name, &id, &vcpu, cpu, state, &t,
		   hard, soft) != 8)
		return NULL;
	v.name = name;
	v.domid = id;
	v.vcpu = vcpu;
	v.online = strcmp(cpu, "-") != 0;
	v.cpu = v.online ? (uint32_t)atoi(cpu) : 0;
	v.running = state[0] == 'r';
	v.blocked = state[1] == 'b';
	v.cpu_time_ns = (uint64_t)(t * 1e9);
	v.hard = hard;
	v.soft = soft;
	return format_with(vcpu_row_fn, &v, opts);
}

static void test_recorded_vcpus(const char *file)
{
	int n = check_recorded_table(file, 0, vcpu_header_fn, vcpu_line);

	if (n >= 0)
		CHECK(n >= 3, "%s holds a header and at least two vCPUs", file);
}

static void uptime_header_fn(FILE *f, const void *arg, unsigned int opts)
{
	(void)arg;
	(void)opts;
	xl_uptime_header(f);
}

struct uptime_arg {
	const char *name;
	uint32_t domid;
	unsigned long secs;
	bool short_mode;
	time_t now;
};

static void uptime_row_fn(FILE *f, const void *arg, unsigned int opts)
{
	const struct uptime_arg *u = arg;

	(void)opts;
	xl_uptime_row(f, u->name, u->domid, u->secs, u->short_mode, u->now);
}

static char *uptime_line(char *line, const char *file, int n, unsigned int opts)
{
	char name[64];
	unsigned int id, h, m, sec;
	struct uptime_arg u = { .name = name };

	(void)file;
	(void)n;
	if (sscanf(line, "%63s %u %u:%u:%u", name, &id, &h, &m, &sec) != 5)
		return NULL;
	u.domid = id;
	u.secs = h * 3600ul + m * 60ul + sec;
	return format_with(uptime_row_fn, &u, opts);
}

/* Recorded `xl uptime` rows ("NAME ID H:MM:SS") and `xl uptime -s mg1`
 * (" HH:MM:SS up H:MM, NAME (ID)", taken in UTC). */
static void test_recorded_uptime(void)
{
	char line[256], name[64], *out;
	unsigned int id, h, m, sec, uh, um;
	int n = check_recorded_table("uptime.txt", 0, uptime_header_fn, uptime_line);
	FILE *f;

	if (n >= 0)
		CHECK(n == 3, "uptime.txt holds a header and two domains");
	f = open_data("uptime-s.txt");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) &&
	    sscanf(line, " %u:%u:%u up %u:%u, %63[^ ] (%u)", &h, &m, &sec, &uh, &um, name,
		   &id) == 7) {
		struct uptime_arg u = { .name = name, .domid = id, .short_mode = true,
					.secs = uh * 3600ul + um * 60ul + 30,
					.now = (time_t)(h * 3600 + m * 60 + sec) };

		setenv("TZ", "UTC", 1);
		tzset();
		out = format_with(uptime_row_fn, &u, 0);
		CHECK(!strcmp(out, line), "uptime-s.txt is Xen's\n#  xen: %s#  ours: %s", line, out);
		free(out);
	} else {
		CHECK(0, "uptime-s.txt parses");
	}
	fclose(f);
}

static char *read_all(FILE *f)
{
	char *buf = NULL;
	size_t len = 0;

	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The text of the n-th (0-based) "config" object in a recorded list -l. */
static char *nth_config(const char *all, int n)
{
	const char *p = all, *start;
	int depth = 0;

	for (int i = 0; i <= n; i++) {
		p = strstr(p, "\"config\": ");
		if (!p)
			return NULL;
		p += strlen("\"config\": ");
	}
	start = p;
	do {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		p++;
	} while (*p && depth > 0);
	return depth ? NULL : strndup(start, (size_t)(p - start));
}

/* xl list -l as Xen printed it: dom0's nearly empty config (built here
 * from what xl learns of dom0) and the guest's stored one, read back
 * through our libxl JSON and nested by xl_list_json_entry. */
static void test_recorded_json(void)
{
	FILE *f = open_data("list-l.json");
	char *want, *guest_text = NULL, *dom0_json = NULL, *guest_json = NULL, *buf = NULL;
	libxl_domain_config dom0, guest;
	size_t len = 0;
	FILE *out;

	if (!f)
		return;
	want = read_all(f);
	fclose(f);
	libxl_domain_config_init(&dom0);
	libxl_domain_config_init(&guest);
	dom0.c_info.type = LIBXL_DOMAIN_TYPE_PV;
	libxl_domain_build_info_init_type(&dom0.b_info, LIBXL_DOMAIN_TYPE_PV);
	dom0.c_info.name = strdup("Domain-0");
	dom0.b_info.max_memkb = 1048576;
	/* xenstore's 1048576 plus libxl's unset video size, wrapping */
	dom0.b_info.target_memkb = 1048576 + dom0.b_info.video_memkb;
	dom0.b_info.sched_params.sched = LIBXL_SCHEDULER_CREDIT2;
	dom0.b_info.sched_params.weight = 256;
	dom0.b_info.sched_params.cap = 0;
	dom0_json = libxl_domain_config_to_json(NULL, &dom0);
	guest_text = want ? nth_config(want, 1) : NULL;
	CHECK(guest_text && libxl_domain_config_from_json(NULL, &guest, guest_text) == 0,
	      "the recorded guest config parses (%s)", libxl_json_last_error());
	guest_json = libxl_domain_config_to_json(NULL, &guest);
	out = open_memstream(&buf, &len);
	fputs("[\n", out);
	if (dom0_json)
		xl_list_json_entry(out, 0, dom0_json, true);
	if (guest_json)
		xl_list_json_entry(out, 1, guest_json, false);
	xl_list_json_close(out, true);
	fclose(out);
	CHECK(want && !strcmp(buf, want), "xl list -l output is Xen's byte for byte\n%s", buf);
	libxl_domain_config_dispose(&dom0);
	libxl_domain_config_dispose(&guest);
	free(dom0_json);
	free(guest_json);
	free(guest_text);
	free(want);
	free(buf);
}

int main(void)
{
	test_mem_size();
	test_cpulist();
	test_bitmap_format();
	test_state_letters();
	test_domarg();
	test_uptime();
	test_recorded_list("list.txt", 0);
	test_recorded_list("list-v.txt", XL_LIST_VERBOSE);
	test_recorded_list("list-Z.txt", XL_LIST_CONTEXT);
	test_recorded_list("list-c.txt", XL_LIST_CPUPOOL);
	test_recorded_list("list-n.txt", XL_LIST_NUMA);
	test_recorded_vcpus("vcpu-list.txt");
	test_recorded_json();
	test_recorded_uptime();
	return check_done();
}
