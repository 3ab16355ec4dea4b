/* Typed access to parsed settings, with Xen's return conventions and
 * warnings that name the source, line and setting. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

static int find_atom(const XLU_Config *cfg, const char *n, XLU_ConfigSetting **set_r,
		     int dont_warn)
{
	XLU_ConfigSetting *set = xlu__cfg_find(cfg, n);

	if (!set)
		return ESRCH;
	if (set->value->type != XLU_STRING) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: parameter `%s' is a list but should be a single value\n",
				cfg->config_source, set->lineno, n);
		return EINVAL;
	}
	*set_r = set;
	return 0;
}

enum XLU_ConfigValueType xlu_cfg_value_type(const XLU_ConfigValue *value)
{
	return value->type;
}

int xlu_cfg_value_get_string(const XLU_Config *cfg, XLU_ConfigValue *value,
			     char **value_r, int dont_warn)
{
	if (value->type != XLU_STRING) {
		if (!dont_warn)
			fprintf(cfg->report, "%s:%d:%d: warning: value is not a string\n",
				cfg->config_source, value->line, value->column);
		*value_r = NULL;
		return EINVAL;
	}
	*value_r = value->u.string;
	return 0;
}

int xlu_cfg_value_get_list(const XLU_Config *cfg, XLU_ConfigValue *value,
			   XLU_ConfigList **value_r, int dont_warn)
{
	if (value->type != XLU_LIST) {
		if (!dont_warn)
			fprintf(cfg->report, "%s:%d:%d: warning: value is not a list\n",
				cfg->config_source, value->line, value->column);
		*value_r = NULL;
		return EINVAL;
	}
	*value_r = &value->u.list;
	return 0;
}

XLU_ConfigValue *xlu_cfg_get_listitem2(const XLU_ConfigList *list, int entry)
{
	if (entry < 0 || entry >= list->nvalues)
		return NULL;
	return list->values[entry];
}

int xlu_cfg_get_string(const XLU_Config *cfg, const char *n, const char **value_r,
		       int dont_warn)
{
	XLU_ConfigSetting *set;
	int e = find_atom(cfg, n, &set, dont_warn);

	if (e)
		return e;
	*value_r = set->value->u.string;
	return 0;
}

int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n, char **value_r,
			   int dont_warn)
{
	XLU_ConfigSetting *set;
	int e = find_atom(cfg, n, &set, dont_warn);
	char *s;

	if (e)
		return e;
	s = strdup(set->value->u.string);
	if (!s)
		return ENOMEM;
	free(*value_r);
	*value_r = s;
	return 0;
}

int xlu_cfg_get_bounded_long(const XLU_Config *cfg, const char *n, long min, long max,
			     long *value_r, int dont_warn)
{
	XLU_ConfigSetting *set;
	const char *str;
	char *ep;
	long l;
	int e = find_atom(cfg, n, &set, dont_warn);

	if (e)
		return e;
	if (set->op == XLU_OP_ADDITION) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: can't use += with numbers for parameter `%s'\n",
				cfg->config_source, set->lineno, n);
		return EINVAL;
	}
	str = set->value->u.string;
	errno = 0;
	l = strtol(str, &ep, 0);
	if (errno) {
		e = errno;
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: parameter `%s' could not be parsed as a number: %s\n",
				cfg->config_source, set->lineno, n, strerror(e));
		return e;
	}
	if (*ep || ep == str) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: parameter `%s' is not a valid number: `%s'\n",
				cfg->config_source, set->lineno, n, str);
		return EINVAL;
	}
	if (l < min) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: value `%ld' of `%s' is smaller than minimum bound '%ld'\n",
				cfg->config_source, set->lineno, l, n, min);
		return EINVAL;
	}
	if (l > max) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: value `%ld' of `%s' is greater than maximum bound '%ld'\n",
				cfg->config_source, set->lineno, l, n, max);
		return EINVAL;
	}
	*value_r = l;
	return 0;
}

int xlu_cfg_get_long(const XLU_Config *cfg, const char *n, long *value_r, int dont_warn)
{
	return xlu_cfg_get_bounded_long(cfg, n, LONG_MIN, LONG_MAX, value_r, dont_warn);
}

int xlu_cfg_get_defbool(const XLU_Config *cfg, const char *n, libxl_defbool *b,
			int dont_warn)
{
	long l;
	int e = xlu_cfg_get_long(cfg, n, &l, dont_warn);

	if (e)
		return e;
	libxl_defbool_set(b, l != 0);
	return 0;
}

int xlu_cfg_get_list(const XLU_Config *cfg, const char *n, XLU_ConfigList **list_r,
		     int *entries_r, int dont_warn)
{
	XLU_ConfigSetting *set = xlu__cfg_find(cfg, n);

	if (!set)
		return ESRCH;
	if (set->value->type != XLU_LIST) {
		if (!dont_warn)
			fprintf(cfg->report,
				"%s:%d: warning: parameter `%s' is a single value but should be a list\n",
				cfg->config_source, set->lineno, n);
		return EINVAL;
	}
	if (list_r)
		*list_r = &set->value->u.list;
	if (entries_r)
		*entries_r = set->value->u.list.nvalues;
	return 0;
}

int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg, const char *n,
				    libxl_string_list *psl, int dont_warn)
{
	XLU_ConfigList *list;
	int nr, e = xlu_cfg_get_list(cfg, n, &list, &nr, dont_warn);
	char **sl;

	if (e)
		return e;
	sl = calloc((size_t)nr + 1, sizeof(*sl));
	if (!sl)
		return ENOMEM;
	for (int i = 0, j = 0; i < nr; i++) {
		const char *a = xlu_cfg_get_listitem(list, i);

		if (!a)
			continue;  /* nested lists have no string form */
		sl[j] = strdup(a);
		if (!sl[j]) {
			libxl_string_list_dispose(&sl);
			return ENOMEM;
		}
		j++;
	}
	*psl = sl;
	return 0;
}

const char *xlu_cfg_get_listitem(const XLU_ConfigList *list, int entry)
{
	if (entry < 0 || entry >= list->nvalues)
		return NULL;
	if (list->values[entry]->type != XLU_STRING)
		return NULL;
	return list->values[entry]->u.string;
}

int xlu_cfg_next_setting(const XLU_Config *cfg, const void **iter, const char **name_r,
			 int *line_r, int *column_r)
{
	const XLU_ConfigSetting *s = *iter ? ((const XLU_ConfigSetting *)*iter)->next
					   : cfg->settings;

	while (s && s->shadowed)
		s = s->next;
	if (!s)
		return 0;
	*iter = s;
	*name_r = s->name;
	if (line_r)
		*line_r = s->lineno;
	if (column_r)
		*column_r = s->column;
	return 1;
}

int xlu_cfg_lineno(const XLU_Config *cfg, const char *n)
{
	XLU_ConfigSetting *s = xlu__cfg_find(cfg, n);

	return s ? s->lineno : 0;
}

const char *xlu_cfg_source(const XLU_Config *cfg)
{
	return cfg->config_source;
}

FILE *xlu_cfg_report(const XLU_Config *cfg)
{
	return cfg->report;
}
