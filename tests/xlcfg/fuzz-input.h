/* What the libxlutil fuzz targets share: the input as a NUL-terminated
 * string and a config handle whose reports are thrown away. */
#ifndef XENOLITH_TESTS_FUZZ_INPUT_H
#define XENOLITH_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libxlutil.h"

struct fuzz_input {
	FILE *rep;		/* /dev/null */
	XLU_Config *cfg;
	char *s;		/* a copy of the input, NUL-terminated */
};

/* 0, or -1 (nothing left open) when out of resources. */
int fuzz_input_open(struct fuzz_input *in, const uint8_t *data, size_t size);
void fuzz_input_close(struct fuzz_input *in);

#endif
