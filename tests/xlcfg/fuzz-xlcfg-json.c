/* libFuzzer: domain config JSON in, and whatever parsed out again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	libxl_domain_config dc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	libxl_domain_config_init(&dc);
	if (!libxl_domain_config_from_json(NULL, &dc, s)) {
		char *j = libxl_domain_config_to_json(NULL, &dc);
		free(j);
	}
	libxl_domain_config_dispose(&dc);
	free(s);
	return 0;
}
