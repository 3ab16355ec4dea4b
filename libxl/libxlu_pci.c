/* pci= specs: "[DDDD:]BB:DD.F[@VSLOT][,key=value...]" or "name=...",
 * and the rdm= option ("strategy=host,policy=relaxed"). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

#define LIBXL_PCI_FUNC_ALL (~0U)

static void pci_err(XLU_Config *cfg, const char *spec, const char *what)
{
	if (cfg && cfg->report)
		fprintf(cfg->report, "%s: PCI spec `%s': %s\n", cfg->config_source, spec, what);
}

static int hexnum(const char **pp, unsigned int max, unsigned int *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (!isxdigit((unsigned char)*p))
		return -1;
	while (isxdigit((unsigned char)*p)) {
		v = v * 16 + (unsigned long)(isdigit((unsigned char)*p) ? *p - '0'
						 : (tolower((unsigned char)*p) - 'a' + 10));
		if (v > max)
			return -1;
		p++;
	}
	*out = (unsigned int)v;
	*pp = p;
	return 0;
}

static int parse_bdf(libxl_device_pci *pci, const char *str, const char **endp)
{
	const char *p = str;
	unsigned int colons = 0, domain = 0, bus, dev, func;

	for (const char *q = str; isxdigit((unsigned char)*q) || *q == ':'; q++)
		colons += *q == ':';
	if (colons != 1 && colons != 2)
		return EINVAL;
	if (colons == 2) {
		if (hexnum(&p, 0xffff, &domain) || *p++ != ':')
			return EINVAL;
	}
	if (hexnum(&p, 0xff, &bus) || *p++ != ':')
		return EINVAL;
	if (hexnum(&p, 0x1f, &dev) || *p++ != '.')
		return EINVAL;
	if (*p == '*') {
		pci->vfunc_mask = LIBXL_PCI_FUNC_ALL;
		func = 0;
		p++;
	} else {
		if (hexnum(&p, 7, &func))
			return EINVAL;
		pci->vfunc_mask = 1;
	}
	pci->domain = (int)domain;
	pci->bus = (uint8_t)bus;
	pci->dev = (uint8_t)dev;
	pci->func = (uint8_t)func;
	if (endp)
		*endp = p;
	return 0;
}

static int parse_vslot(uint32_t *vdevfn, const char *str, const char **endp)
{
	unsigned int v;
	const char *p = str;

	if (hexnum(&p, 0x1f, &v))
		return EINVAL;
	*vdevfn = v << 3;
	if (endp)
		*endp = p;
	return 0;
}

int xlu_pci_parse_bdf(XLU_Config *cfg, libxl_device_pci *pci, const char *str)
{
	(void)cfg;
	return parse_bdf(pci, str, NULL);
}

int xlu_pci_parse_spec_string(XLU_Config *cfg, libxl_device_pci *pci, const char *str)
{
	const char *p = str;
	bool bdf = false, name = false;
	int e;

	if (!parse_bdf(pci, p, &p)) {
		bdf = true;
		if (*p == '@') {
			p++;
			if (parse_vslot(&pci->vdevfn, p, &p)) {
				pci_err(cfg, str, "bad virtual slot after '@' (expected hex 0..1f)");
				return EINVAL;
			}
		}
		if (*p == ',')
			p++;
		else if (*p) {
			pci_err(cfg, str, "expected ',' after the BDF");
			return EINVAL;
		}
	}
	while (*p) {
		const char *eq = strchr(p, '='), *comma;
		char key[32], *val;

		if (!eq) {
			pci_err(cfg, str, "expected key=value or a BDF like 0000:03:00.0");
			return EINVAL;
		}
		comma = strchr(eq, ',');
		if (!comma)
			comma = eq + strlen(eq);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
		val = strndup(eq + 1, (size_t)(comma - eq - 1));
		if (!val)
			return ENOMEM;
		e = 0;
		if (!strcmp(key, "bdf")) {
			e = parse_bdf(pci, val, NULL);
			if (!e)
				bdf = true;
		} else if (!strcmp(key, "vslot")) {
			e = parse_vslot(&pci->vdevfn, val, NULL);
		} else if (!strcmp(key, "permissive")) {
			pci->permissive = atoi(val);
		} else if (!strcmp(key, "msitranslate")) {
			pci->msitranslate = atoi(val);
		} else if (!strcmp(key, "seize")) {
			pci->seize = atoi(val);
		} else if (!strcmp(key, "power_mgmt")) {
			pci->power_mgmt = atoi(val);
		} else if (!strcmp(key, "rdm_policy")) {
			if (libxl_rdm_reserve_policy_from_string(val, &pci->rdm_policy)) {
				pci_err(cfg, str, "unknown rdm_policy (strict or relaxed)");
				e = EINVAL;
			}
		} else if (!strcmp(key, "name")) {
			name = true;
			free(pci->name);
			pci->name = strdup(val);
			if (!pci->name)
				e = ENOMEM;
		} else {
			pci_err(cfg, str, "unknown option (bdf, vslot, permissive, msitranslate, seize, power_mgmt, rdm_policy, name)");
			e = EINVAL;
		}
		if (e == EINVAL && (!strcmp(key, "bdf") || !strcmp(key, "vslot")))
			pci_err(cfg, str, "bad value for bdf/vslot");
		free(val);
		if (e)
			return e;
		p = *comma ? comma + 1 : comma;
	}
	if (bdf == name) {
		pci_err(cfg, str, bdf ? "give either a BDF or name=, not both"
				      : "no BDF and no name= given");
		return EINVAL;
	}
	return 0;
}

int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str)
{
	char *buf = strdup(str), *save = NULL, *item;
	int e = 0, got_strategy = 0;

	if (!buf)
		return ENOMEM;
	for (item = strtok_r(buf, ",", &save); item && !e; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		if (!eq) {
			e = EINVAL;
			break;
		}
		*eq++ = 0;
		if (!strcmp(item, "strategy")) {
			if (strcmp(eq, "host"))
				e = EINVAL;
			else
				rdm->strategy = LIBXL_RDM_RESERVE_STRATEGY_HOST, got_strategy = 1;
		} else if (!strcmp(item, "policy")) {
			if (libxl_rdm_reserve_policy_from_string(eq, &rdm->policy))
				e = EINVAL;
		} else {
			e = EINVAL;
		}
	}
	(void)got_strategy;
	if (e && cfg && cfg->report)
		fprintf(cfg->report, "%s: bad rdm option `%s' (expected strategy=host,policy=strict|relaxed)\n",
			cfg->config_source, str);
	free(buf);
	return e;
}
