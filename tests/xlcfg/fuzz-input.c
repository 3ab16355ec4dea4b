/* The fuzz targets' common input handling (fuzz-input.h). */
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

int fuzz_input_open(struct fuzz_input *in, const uint8_t *data, size_t size)
{
	in->rep = fopen("/dev/null", "w");
	in->s = malloc(size + 1);
	in->cfg = NULL;
	if (in->rep && in->s)
		in->cfg = xlu_cfg_init(in->rep, "fuzz");
	if (!in->cfg) {
		fuzz_input_close(in);
		return -1;
	}
	memcpy(in->s, data, size);
	in->s[size] = 0;
	return 0;
}

void fuzz_input_close(struct fuzz_input *in)
{
	xlu_cfg_destroy(in->cfg);
	if (in->rep)
		fclose(in->rep);
	free(in->s);
	in->cfg = NULL;
	in->rep = NULL;
	in->s = NULL;
}
