/* libxlutil: the xl.cfg language and the device spec parsers, with the
 * C API of Xen 4.17's libxlutil.  Unless stated otherwise functions
 * return 0 or an errno value, and report problems to the FILE given to
 * xlu_cfg_init as "SOURCE:LINE:COLUMN: message". */
#ifndef LIBXLUTIL_H
#define LIBXLUTIL_H

#include <stdio.h>

#include "libxl.h"

enum XLU_ConfigValueType {
	XLU_STRING,
	XLU_LIST,
};

enum XLU_Operation {
	XLU_OP_ASSIGNMENT = 0,
	XLU_OP_ADDITION,
};

typedef struct XLU_Config XLU_Config;
typedef struct XLU_ConfigList XLU_ConfigList;
typedef struct XLU_ConfigValue XLU_ConfigValue;

XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename);
int xlu_cfg_readfile(XLU_Config *cfg, const char *real_filename);
int xlu_cfg_readdata(XLU_Config *cfg, const char *data, int length);
void xlu_cfg_destroy(XLU_Config *cfg);

/* 0 OK, ESRCH not set, EINVAL wrong type/format (warns unless dont_warn),
 * ERANGE out of range. */
int xlu_cfg_get_string(const XLU_Config *cfg, const char *n, const char **value_r,
		       int dont_warn);
int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n, char **value_r,
			   int dont_warn);
int xlu_cfg_get_long(const XLU_Config *cfg, const char *n, long *value_r, int dont_warn);
int xlu_cfg_get_bounded_long(const XLU_Config *cfg, const char *n, long min, long max,
			     long *value_r, int dont_warn);
int xlu_cfg_get_defbool(const XLU_Config *cfg, const char *n, libxl_defbool *b,
			int dont_warn);
int xlu_cfg_get_list(const XLU_Config *cfg, const char *n, XLU_ConfigList **list_r,
		     int *entries_r, int dont_warn);
int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg, const char *n,
				    libxl_string_list *sl, int dont_warn);
const char *xlu_cfg_get_listitem(const XLU_ConfigList *list, int entry);

enum XLU_ConfigValueType xlu_cfg_value_type(const XLU_ConfigValue *value);
int xlu_cfg_value_get_string(const XLU_Config *cfg, XLU_ConfigValue *value,
			     char **value_r, int dont_warn);
int xlu_cfg_value_get_list(const XLU_Config *cfg, XLU_ConfigValue *value,
			   XLU_ConfigList **value_r, int dont_warn);
XLU_ConfigValue *xlu_cfg_get_listitem2(const XLU_ConfigList *list, int entry);

/* Extensions (not in Xen's API). */
/* Iterate over the distinct setting names, last assignment first:
 * *iter starts NULL; returns 0 at the end. */
int xlu_cfg_next_setting(const XLU_Config *cfg, const void **iter,
			 const char **name_r, int *line_r, int *column_r);
/* Line of the (last) setting n, or 0 when unset. */
int xlu_cfg_lineno(const XLU_Config *cfg, const char *n);
const char *xlu_cfg_source(const XLU_Config *cfg);
FILE *xlu_cfg_report(const XLU_Config *cfg);

/* Disk spec, per xl-disk-configuration(5).  disk must be initialised. */
int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
		   libxl_device_disk *disk);

/* PCI BDF "[DDDD:]BB:DD.F[@VSLOT]" and full specs with ",key=value". */
int xlu_pci_parse_bdf(XLU_Config *cfg, libxl_device_pci *pci, const char *str);
int xlu_pci_parse_spec_string(XLU_Config *cfg, libxl_device_pci *pci, const char *str);
int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str);

/* "RATE[@INTERVAL]", e.g. "10Mb/s@20ms". */
int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate, libxl_device_nic *nic);

/* Extensions: sizes and CPU lists. */
/* "128", "512M", "2G", "1024k" (default unit: 'M' unless def_unit says
 * otherwise) to KiB; -1 on a malformed size. */
long long xlu_parse_size_kb(const char *s, char def_unit);
/* "0-3,^2,nodes:1" style CPU lists into map; EINVAL on bad syntax. */
int xlu_cpu_range_parse(XLU_Config *cfg, const char *s, libxl_bitmap *map);

#endif
