/* libFuzzer: a whole config through xl's translation to a domain config
 * and its JSON (the code behind `xl create -n`). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xl_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xl_globals g;
	libxl_domain_config dc;

	if (size > (1 << 16))
		return 0;
	memset(&g, 0, sizeof(g));
	g.run_hotplug_scripts = true;
	g.claim_mode = true;
	g.max_grant_frames = g.max_maptrack_frames = g.max_grant_version = -1;
	libxl_domain_config_init(&dc);
	if (!xl_parse_config_data(&g, "fuzz", (const char *)data, (int)size, &dc)) {
		char *j = libxl_domain_config_to_json(NULL, &dc);
		free(j);
	}
	libxl_domain_config_dispose(&dc);
	return 0;
}
