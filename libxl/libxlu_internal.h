/* Private structures of libxlutil. */
#ifndef LIBXLU_INTERNAL_H
#define LIBXLU_INTERNAL_H

#include <stdio.h>

#include "libxlutil.h"

struct XLU_ConfigList {
	int avalues;
	int nvalues;
	XLU_ConfigValue **values;
};

struct XLU_ConfigValue {
	enum XLU_ConfigValueType type;
	union {
		char *string;
		XLU_ConfigList list;
	} u;
	int line, column;
};

typedef struct XLU_ConfigSetting {
	struct XLU_ConfigSetting *next;
	char *name;
	XLU_ConfigValue *value;
	enum XLU_Operation op;
	int lineno, column;
	int shadowed;           /* a later setting has the same name */
} XLU_ConfigSetting;

struct XLU_Config {
	XLU_ConfigSetting *settings;   /* newest first */
	FILE *report;
	char *config_source;
	/* name -> newest setting, open addressing; keeps lookups O(1) on
	 * configs with thousands of settings */
	XLU_ConfigSetting **tab;
	size_t tabsize, nnames;
};

void xlu__cfg_value_free(XLU_ConfigValue *value);
XLU_ConfigSetting *xlu__cfg_find(const XLU_Config *cfg, const char *n);
/* Makes set the newest setting of its name; 0 or ENOMEM. */
int xlu__cfg_index(XLU_Config *cfg, XLU_ConfigSetting *set);

#endif
