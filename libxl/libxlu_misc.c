/* Memory sizes and CPU lists as written in xl.cfg. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

long long xlu_parse_size_kb(const char *s, char def_unit)
{
	char *end;
	long long v;
	int shift;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || strlen(end) > 1)
		return -1;
	switch (tolower((unsigned char)(*end ? *end : def_unit))) {
	case 't': shift = 30; break;
	case 'g': shift = 20; break;
	case 'm': shift = 10; break;
	case 'k': shift = 0; break;
	case 'b': return v >> 10;
	default: return -1;
	}
	if (v > (LLONG_MAX >> shift))
		return -1;
	return v << shift;
}

/* "N" or "N-M" */
static int range(const char *s, unsigned long *a, unsigned long *b)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return EINVAL;
	*a = *b = strtoul(s, &end, 10);
	if (*end == '-') {
		const char *n = end + 1;
		if (!isdigit((unsigned char)*n))
			return EINVAL;
		*b = strtoul(n, &end, 10);
		if (*b < *a)
			return EINVAL;
	}
	if (*end || *b > 4095)
		return EINVAL;
	return 0;
}

int xlu_cpu_range_parse(XLU_Config *cfg, const char *s, libxl_bitmap *map)
{
	char *buf = strdup(s), *save = NULL, *tok;
	int e = 0;

	if (!buf)
		return ENOMEM;
	if (!strcmp(s, "all")) {
		if (libxl_bitmap_grow(map, 4096))
			e = ENOMEM;
		else
			libxl_bitmap_set_any(map);
		goto out;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int neg = *tok == '^';
		unsigned long a, b;
		char *t = tok + neg;

		if (!strncmp(t, "nodes:", 6) || !strncmp(t, "node:", 5)) {
			/* NUMA nodes need the host topology: not known here */
			if (cfg)
				fprintf(cfg->report, "%s: cpus: `%s': NUMA node ranges need a running hypervisor\n",
					cfg->config_source, tok);
			e = EINVAL;
			break;
		}
		if (!strcmp(t, "all")) {
			a = 0;
			b = 4095;
		} else if (range(t, &a, &b)) {
			if (cfg)
				fprintf(cfg->report, "%s: invalid cpu range `%s' in `%s' (expected N, N-M, ^N, all)\n",
					cfg->config_source, tok, s);
			e = EINVAL;
			break;
		}
		if (libxl_bitmap_grow(map, (int)b + 1)) {
			e = ENOMEM;
			break;
		}
		for (unsigned long i = a; i <= b; i++) {
			if (neg)
				libxl_bitmap_reset(map, (int)i);
			else
				libxl_bitmap_set(map, (int)i);
		}
	}
out:
	free(buf);
	return e;
}
