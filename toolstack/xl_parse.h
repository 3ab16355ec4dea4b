/* xl.cfg settings to a libxl_domain_config, as Xen 4.17's xl does it. */
#ifndef XL_PARSE_H
#define XL_PARSE_H

#include "xl.h"

/* d_config must be initialised.  Returns 0, or prints an error naming
 * source, line and key and returns -1. */
int xl_parse_config_data(struct xl_globals *g, const char *source, const char *data,
			 int len, libxl_domain_config *d_config);

/* One vif spec item ("mac=...", "bridge=...", "trusted"); 0 or -1. */
int xl_parse_nic_item(XLU_Config *cfg, libxl_device_nic *nic, const char *token);
void xl_set_default_nic_values(struct xl_globals *g, libxl_device_nic *nic);

#endif
