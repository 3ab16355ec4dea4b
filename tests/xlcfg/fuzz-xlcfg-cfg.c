/* libFuzzer: the xl.cfg parser and every getter on what it accepted. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	XLU_Config *c;
	const void *it = NULL;
	const char *name;

	if (size > (1 << 20) || fuzz_input_open(&in, data, size))
		return 0;
	c = in.cfg;
	if (!xlu_cfg_readdata(c, in.s, (int)size)) {
		while (xlu_cfg_next_setting(c, &it, &name, NULL, NULL)) {
			const char *s;
			long l;
			int n;
			XLU_ConfigList *list;
			libxl_string_list sl = NULL;
			char *dup = NULL;

			xlu_cfg_get_string(c, name, &s, 0);
			xlu_cfg_get_long(c, name, &l, 0);
			xlu_cfg_replace_string(c, name, &dup, 0);
			free(dup);
			if (!xlu_cfg_get_list(c, name, &list, &n, 0))
				for (int i = 0; i <= n; i++)
					xlu_cfg_get_listitem(list, i);
			if (!xlu_cfg_get_list_as_string_list(c, name, &sl, 0))
				libxl_string_list_dispose(&sl);
		}
	}
	fuzz_input_close(&in);
	return 0;
}
