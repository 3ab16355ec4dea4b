/* libFuzzer target: the hypervisor's xz (LZMA2 + x86 BCJ) decoder. */
#include <stdlib.h>
#include "common/crc.c"
#include "common/inflate.c"
#include "common/unxz.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	static void *work;
	char err[128];

	if (!work)
		work = malloc(unxz_work_size());
	unxz(data, size, out, sizeof(out), work, err, sizeof(err));
	unxz_size(data, size);
	return 0;
}
