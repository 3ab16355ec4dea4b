/* libFuzzer: vif rates and vdev names. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	libxl_device_nic nic;
	int disk, part;

	if (fuzz_input_open(&in, data, size))
		return 0;
	libxl_device_nic_init(&nic);
	if (!xlu_vif_parse_rate(in.cfg, in.s, &nic)) {
		char *j = libxl_device_nic_to_json(NULL, &nic);
		free(j);
	}
	libxl_devid_from_vdev(in.s, &disk, &part);
	libxl_device_nic_dispose(&nic);
	fuzz_input_close(&in);
	return 0;
}
