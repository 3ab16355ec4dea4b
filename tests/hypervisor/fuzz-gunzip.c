/* libFuzzer target: the hypervisor's gzip/DEFLATE decoder. */
#include "common/crc.c"
#include "common/inflate.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	char err[128];

	gunzip(data, size, out, sizeof(out), err, sizeof(err));
	return 0;
}
