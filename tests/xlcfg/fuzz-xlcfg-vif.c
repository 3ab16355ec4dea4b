/* libFuzzer: vif rates and vdev names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *rep = fopen("/dev/null", "w");
	char *s = malloc(size + 1);
	XLU_Config *c;
	libxl_device_nic nic;
	int disk, part;

	if (!rep || !s) {
		free(s);
		if (rep)
			fclose(rep);
		return 0;
	}
	memcpy(s, data, size);
	s[size] = 0;
	c = xlu_cfg_init(rep, "fuzz");
	libxl_device_nic_init(&nic);
	if (!xlu_vif_parse_rate(c, s, &nic)) {
		char *j = libxl_device_nic_to_json(NULL, &nic);
		free(j);
	}
	libxl_devid_from_vdev(s, &disk, &part);
	libxl_device_nic_dispose(&nic);
	xlu_cfg_destroy(c);
	fclose(rep);
	free(s);
	return 0;
}
