/* libFuzzer: xl's argument parsers (sizes, CPU lists, domain arguments)
 * and the formatters fed with what they produce. The first byte picks the
 * parser and, for CPU lists, the host size (1..128 CPUs). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[512], err[128];
	uint8_t map[16];
	uint32_t domid;
	int64_t kb;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] & 3) {
	case 0:
		kb = xlu_parse_size_kb(s, 'm');
		if (kb < -1)
			abort();	/* only -1 means "not a size" */
		break;
	case 1: {
		unsigned int bits = (unsigned int)(data[0] >> 2) * 2 + 1;

		if (xl_cpulist_parse(s, map, bits, err, sizeof(err)) == 0)
			xl_bitmap_format(map, bits, out, sizeof(out));
		break;
	}
	case 2:
		xl_domarg_numeric(s, &domid);
		break;
	default:
		xl_uptime_format(strtoul(s, NULL, 10), data[0] & 4, out, sizeof(out));
		break;
	}
	free(s);
	return 0;
}
