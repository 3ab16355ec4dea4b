/* libFuzzer target: the hypervisor's zstd decoder. */
#include <stdlib.h>
#include "common/crc.c"
#include "common/inflate.c"
#include "common/unzstd.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	static void *work;
	char err[128];

	if (!work)
		work = malloc(unzstd_work_size());
	unzstd(data, size, out, sizeof(out), work, err, sizeof(err));
	return 0;
}
