/* libFuzzer: pci= specs, rdm=, cpu lists and sizes. */
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
	libxl_device_pci pci;
	libxl_rdm_reserve rdm = { 0, LIBXL_RDM_RESERVE_POLICY_INVALID };
	libxl_bitmap map;

	if (!rep || !s) {
		free(s);
		if (rep)
			fclose(rep);
		return 0;
	}
	memcpy(s, data, size);
	s[size] = 0;
	c = xlu_cfg_init(rep, "fuzz");
	libxl_device_pci_init(&pci);
	xlu_pci_parse_spec_string(c, &pci, s);
	libxl_device_pci_dispose(&pci);
	xlu_rdm_parse(c, &rdm, s);
	libxl_bitmap_init(&map);
	xlu_cpu_range_parse(c, s, &map);
	libxl_bitmap_dispose(&map);
	xlu_parse_size_kb(s, 'm');
	xlu_cfg_destroy(c);
	fclose(rep);
	free(s);
	return 0;
}
