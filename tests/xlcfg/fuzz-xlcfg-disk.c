/* libFuzzer: disk specs; the input is up to 8 specs separated by NUL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	const char *specs[8];
	int n = 0;
	libxl_device_disk d;

	if (fuzz_input_open(&in, data, size))
		return 0;
	for (char *p = in.s; n < 8 && p <= in.s + size; p += strlen(p) + 1)
		specs[n++] = p;
	libxl_device_disk_init(&d);
	if (!xlu_disk_parse(in.cfg, n, specs, &d)) {
		char *j = libxl_device_disk_to_json(NULL, &d);
		free(j);
		libxl_devid_from_vdev(d.vdev, NULL, NULL);
	}
	libxl_device_disk_dispose(&d);
	fuzz_input_close(&in);
	return 0;
}
