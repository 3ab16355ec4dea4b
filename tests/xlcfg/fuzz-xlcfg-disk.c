/* libFuzzer: disk specs; the input is up to 8 specs separated by NUL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *rep = fopen("/dev/null", "w");
	char *buf = malloc(size + 1);
	const char *specs[8];
	int n = 0;
	XLU_Config *c;
	libxl_device_disk d;

	if (!rep || !buf) {
		free(buf);
		if (rep)
			fclose(rep);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = 0;
	for (char *p = buf; n < 8 && p <= buf + size; p += strlen(p) + 1)
		specs[n++] = p;
	c = xlu_cfg_init(rep, "fuzz");
	libxl_device_disk_init(&d);
	if (!xlu_disk_parse(c, n, specs, &d)) {
		char *j = libxl_device_disk_to_json(NULL, &d);
		free(j);
		libxl_devid_from_vdev(d.vdev, NULL, NULL);
	}
	libxl_device_disk_dispose(&d);
	xlu_cfg_destroy(c);
	fclose(rep);
	free(buf);
	return 0;
}
