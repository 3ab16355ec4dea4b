/* vif "rate=" values, per xl-network-configuration(5):
 * RATE "<N>[GMK]{B,b}/s" and optional "@<N>[m|u]s" interval (default
 * 50ms), stored as bytes per interval. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

static void vif_err(XLU_Config *cfg, const char *msg, const char *what)
{
	fprintf(cfg->report, "%s: config parsing error in vif: %s in `%s'\n",
		cfg->config_source, msg, what);
}

static int all_digits(const char *s, const char **end)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	*end = p;
	return p > s;
}

/* "^[0-9]+[GMK]?[Bb]/s$" */
static int rate_syntax_ok(const char *s)
{
	const char *p;

	if (!all_digits(s, &p))
		return 0;
	if (*p == 'G' || *p == 'M' || *p == 'K')
		p++;
	if (*p != 'B' && *p != 'b')
		return 0;
	return !strcmp(p + 1, "/s");
}

/* "^[0-9]+[mu]?s?$" */
static int interval_syntax_ok(const char *s)
{
	const char *p;

	if (!all_digits(s, &p))
		return 0;
	if (*p == 'm' || *p == 'u')
		p++;
	if (*p == 's')
		p++;
	return *p == 0;
}

/* The number a rate or an interval starts with (syntax already checked):
 * base 0 as Xen, so a leading 0 is octal; 1 to UINT32_MAX, else `msg'. */
static int leading_number(XLU_Config *cfg, const char *s, const char *msg, char **end,
			  uint64_t *v)
{
	errno = 0;
	*v = strtoull(s, end, 0);
	if (*v == 0 || *v > UINT32_MAX || errno == ERANGE) {
		vif_err(cfg, msg, s);
		return EOVERFLOW;
	}
	return 0;
}

static int parse_bytes_per_sec(XLU_Config *cfg, const char *s, uint64_t *out)
{
	char *p;
	uint64_t v;
	int e;

	if (!rate_syntax_ok(s)) {
		vif_err(cfg, "invalid rate", s);
		return EINVAL;
	}
	e = leading_number(cfg, s, "rate overflow", &p, &v);
	if (e)
		return e;
	if (*p == 'G')
		v *= 1000ULL * 1000 * 1000;
	else if (*p == 'M')
		v *= 1000ULL * 1000;
	else if (*p == 'K')
		v *= 1000ULL;
	if (*p == 'b' || p[1] == 'b')
		v /= 8;
	*out = v;
	return 0;
}

static int parse_interval_usecs(XLU_Config *cfg, const char *s, uint32_t *out)
{
	char *p;
	uint64_t v;
	int e;

	if (!interval_syntax_ok(s)) {
		vif_err(cfg, "invalid replenishment interval", s);
		return EINVAL;
	}
	e = leading_number(cfg, s, "replenishment interval overflow", &p, &v);
	if (e)
		return e;
	if (*p == 's' || *p == 0)
		v *= 1000ULL * 1000;
	else if (*p == 'm')
		v *= 1000ULL;
	if (v > UINT32_MAX) {
		vif_err(cfg, "replenishment interval overflow", s);
		return EOVERFLOW;
	}
	*out = (uint32_t)v;
	return 0;
}

int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate, libxl_device_nic *nic)
{
	uint64_t bps = 0;
	uint32_t usecs = 50000;
	char *r = strdup(rate), *at;
	int e;

	if (!r)
		return ENOMEM;
	at = strchr(r, '@');
	if (at)
		*at++ = 0;
	if (!*r) {
		vif_err(cfg, "no rate specified", rate);
		e = EINVAL;
		goto out;
	}
	e = parse_bytes_per_sec(cfg, r, &bps);
	if (e)
		goto out;
	if (at) {
		e = parse_interval_usecs(cfg, at, &usecs);
		if (e)
			goto out;
	}
	if (bps > UINT64_MAX / usecs) {
		vif_err(cfg, "rate overflow", rate);
		e = EOVERFLOW;
		goto out;
	}
	nic->rate_interval_usecs = usecs;
	nic->rate_bytes_per_interval = bps * usecs / 1000000ULL;
out:
	free(r);
	return e;
}
