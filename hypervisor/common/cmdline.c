/* Xen-compatible command-line parsing.  Options are space separated
 * "name", "no-name" or "name=value"; unknown names are kept so the boot
 * log can list them, and malformed values never stop the boot. */
#include <xenolith/cmdline.h>

void cmdline_defaults(struct hv_options *o)
{
	memset(o, 0, sizeof(*o));
	o->com1_data_bits = 8;
	o->com1_parity = 'n';
	o->com1_stop_bits = 1;
	o->dom0_pvh = true; /* the only dom0 mode Xenolith builds */
	o->loglvl = LOG_WARNING;
	o->guest_loglvl = LOG_NONE;
}

const char *cmdline_skip_image(const char *s)
{
	while (*s == ' ')
		s++;
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

int cmdline_parse_size(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	unsigned int shift = 10;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	switch (*p) {
	case 'T': case 't': shift = 40; p++; break;
	case 'G': case 'g': shift = 30; p++; break;
	case 'M': case 'm': shift = 20; p++; break;
	case 'K': case 'k': shift = 10; p++; break;
	case 'B': case 'b': shift = 0; p++; break;
	default: break;
	}
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	if (end)
		*end = p;
	return 0;
}

static const char *const loglvl_names[] = {
	[LOG_NONE] = "none", [LOG_ERR] = "error", [LOG_WARNING] = "warning",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug", [LOG_ALL] = "all",
};

const char *cmdline_loglvl_name(enum log_level lvl)
{
	return (unsigned int)lvl < ARRAY_SIZE(loglvl_names) ? loglvl_names[lvl] : "?";
}

/* "<lvl>[/<rate-limited lvl>]": the rate-limit half is accepted and ignored. */
int cmdline_parse_loglvl(const char *s, enum log_level *out)
{
	size_t n = 0;

	while (s[n] && s[n] != '/')
		n++;
	for (unsigned int i = 0; i < ARRAY_SIZE(loglvl_names); i++) {
		if (strlen(loglvl_names[i]) == n && !strncmp(s, loglvl_names[i], n)) {
			if (s[n] == '/') {
				enum log_level dummy;
				int rc;
				char rest[16];

				lib_strlcpy(rest, s + n + 1, sizeof(rest));
				if (strchr(rest, '/'))
					return -1;
				rc = cmdline_parse_loglvl(rest, &dummy);
				if (rc)
					return rc;
			}
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static int parse_uint(const char *s, const char **end, unsigned int *out)
{
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > 0xFFFFFFFFUL)
			return -1;
	}
	*out = (unsigned int)v;
	*end = s;
	return 0;
}

/* Xen booleans: bare name, no-name, or =1/0/yes/no/true/false/on/off/enable/disable. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "enable" };
	static const char *const no[] = { "0", "no", "false", "off", "disable" };

	if (!v) {
		*out = true;
		return 0;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int parse_console(struct hv_options *o, const char *v)
{
	bool com1 = false, vga = false;

	while (*v) {
		size_t n = 0;

		while (v[n] && v[n] != ',')
			n++;
		if (n == 4 && !strncmp(v, "com1", 4))
			com1 = true;
		else if (n == 3 && !strncmp(v, "vga", 3))
			vga = true;
		else if (!(n == 4 && !strncmp(v, "none", 4)))
			return -1;
		v += n;
		if (*v == ',')
			v++;
	}
	o->console_com1 = com1;
	o->console_vga = vga;
	return 0;
}

/* com1=<baud|auto>[/<clock>][,DPS[,...]]: we use baud and the DPS triple. */
static int parse_com1(struct hv_options *o, const char *v)
{
	unsigned int baud = 0;
	const char *p = v;

	if (!strncmp(p, "auto", 4)) {
		p += 4;
	} else if (parse_uint(p, &p, &baud) || baud == 0 || baud > 115200 * 8) {
		return -1;
	}
	if (*p == '/') { /* clock frequency: accept digits */
		unsigned int clk;

		p++;
		if (parse_uint(p, &p, &clk))
			return -1;
	}
	if (*p == ',') {
		p++;
		if (p[0] < '5' || p[0] > '8' || !p[1] || !strchr("noems", p[1]) ||
		    (p[2] != '1' && p[2] != '2'))
			return -1;
		o->com1_data_bits = (unsigned int)(p[0] - '0');
		o->com1_parity = p[1];
		o->com1_stop_bits = (unsigned int)(p[2] - '0');
		p += 3;
		if (*p && *p != ',')
			return -1;
	} else if (*p) {
		return -1;
	}
	o->com1_baud = baud;
	return 0;
}

/* dom0_mem=[min:<size>,][max:<size>,][<size>] */
static int parse_dom0_mem(struct hv_options *o, const char *v)
{
	uint64_t amount = o->dom0_mem, min = o->dom0_mem_min, max = o->dom0_mem_max;

	while (*v) {
		uint64_t *dst = &amount;
		uint64_t sz;

		if (!strncmp(v, "min:", 4)) {
			dst = &min;
			v += 4;
		} else if (!strncmp(v, "max:", 4)) {
			dst = &max;
			v += 4;
		}
		if (cmdline_parse_size(v, &v, &sz))
			return -1;
		*dst = sz;
		if (*v == ',')
			v++;
		else if (*v)
			return -1;
	}
	o->dom0_mem = amount;
	o->dom0_mem_min = min;
	o->dom0_mem_max = max;
	return 0;
}

/* dom0_max_vcpus=<n> or <min>-<max> (max may be empty). */
static int parse_dom0_vcpus(struct hv_options *o, const char *v)
{
	unsigned int lo, hi;
	const char *p;

	if (parse_uint(v, &p, &lo))
		return -1;
	if (*p == '-') {
		p++;
		if (!*p) {
			hi = 0;
		} else if (parse_uint(p, &p, &hi) || hi < lo) {
			return -1;
		}
	} else {
		hi = lo;
		lo = 0;
	}
	if (*p || (hi == 0 && lo == 0))
		return -1;
	o->dom0_vcpus_min = lo;
	o->dom0_vcpus_max = hi;
	return 0;
}

/* dom0=<list>: "pvh" selects PVH; "pv" is refused (no PV support); the
 * sub-options Xen knows are accepted. */
static int parse_dom0(struct hv_options *o, const char *v)
{
	bool pvh = o->dom0_pvh;

	while (*v) {
		size_t n = 0;
		bool neg = false;

		while (v[n] && v[n] != ',')
			n++;
		if (n > 3 && !strncmp(v, "no-", 3)) {
			neg = true;
			v += 3;
			n -= 3;
		}
		if (n == 3 && !strncmp(v, "pvh", 3))
			pvh = !neg;
		else if (n == 2 && !strncmp(v, "pv", 2))
			pvh = neg;
		else if (!((n == 6 && !strncmp(v, "shadow", 6)) ||
			   (n == 11 && !strncmp(v, "verbose", 7)) ||
			   (n == 7 && !strncmp(v, "verbose", 7)) ||
			   (n == 13 && !strncmp(v, "cpuid-faulting", 13))))
			return -1;
		v += n;
		if (*v == ',')
			v++;
	}
	o->dom0_pvh = pvh;
	return 0;
}

static void note_token(char list[][CMDLINE_TOKEN_MAX], unsigned int *nr,
		       const char *tok)
{
	if (*nr < CMDLINE_MAX_UNKNOWN)
		lib_strlcpy(list[(*nr)++], tok, CMDLINE_TOKEN_MAX);
}

static void parse_one(struct hv_options *o, char *tok)
{
	char *eq = strchr(tok, '=');
	const char *name = tok, *val = NULL;
	bool neg = false, b;
	int rc = 0;
	char whole[CMDLINE_TOKEN_MAX];

	lib_strlcpy(whole, tok, sizeof(whole));
	if (eq) {
		*eq = '\0';
		val = eq + 1;
	}
	if (!strcmp(name, "console")) {
		rc = val ? parse_console(o, val) : -1;
	} else if (!strcmp(name, "com1")) {
		rc = val ? parse_com1(o, val) : -1;
	} else if (!strcmp(name, "dom0_mem")) {
		rc = val ? parse_dom0_mem(o, val) : -1;
	} else if (!strcmp(name, "dom0_max_vcpus")) {
		rc = val ? parse_dom0_vcpus(o, val) : -1;
	} else if (!strcmp(name, "dom0")) {
		rc = val ? parse_dom0(o, val) : -1;
	} else if (!strcmp(name, "maxcpus")) {
		const char *end;
		unsigned int n;

		rc = val && !parse_uint(val, &end, &n) && !*end && n ? 0 : -1;
		if (!rc)
			o->maxcpus = n;
	} else if (!strcmp(name, "loglvl")) {
		rc = val ? cmdline_parse_loglvl(val, &o->loglvl) : -1;
	} else if (!strcmp(name, "guest_loglvl")) {
		rc = val ? cmdline_parse_loglvl(val, &o->guest_loglvl) : -1;
	} else {
		if (!strncmp(name, "no-", 3)) {
			neg = true;
			name += 3;
		}
		if (!strcmp(name, "noreboot") || !strcmp(name, "reboot")) {
			/* Xen spells the boolean "noreboot"; "reboot=no" style is a
			 * different option, which we do not handle. */
			if (strcmp(name, "noreboot")) {
				note_token(o->unknown, &o->nr_unknown, whole);
				return;
			}
			rc = parse_bool(val, &b);
			if (!rc)
				o->noreboot = neg ? !b : b;
		} else if (!strcmp(name, "hypercall_debug")) {
			rc = parse_bool(val, &b);
			if (!rc)
				o->hypercall_debug = neg ? !b : b;
		} else {
			note_token(o->unknown, &o->nr_unknown, whole);
			return;
		}
	}
	if (rc)
		note_token(o->bad, &o->nr_bad, whole);
}

void cmdline_parse(struct hv_options *o, const char *cmdline)
{
	const char *p = cmdline;

	while (*p) {
		char tok[CMDLINE_TOKEN_MAX * 4];
		size_t n = 0;
		bool quoted = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		/* A token ends at unquoted whitespace; quotes are dropped. */
		while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"')
				quoted = !quoted;
			else if (n + 1 < sizeof(tok))
				tok[n++] = *p;
			p++;
		}
		tok[n] = '\0';
		if (!strcmp(tok, "--"))
			break; /* the rest belongs to dom0 (Xen convention) */
		parse_one(o, tok);
	}
}
