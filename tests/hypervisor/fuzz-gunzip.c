/* libFuzzer target: the hypervisor's gzip/DEFLATE decoder. */
#include "common/crc.c"
#include "common/inflate.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	static uint32_t work[8][256];
	char err[128];

	gunzip(data, size, out, sizeof(out), work, err, sizeof(err));
	return 0;
}
