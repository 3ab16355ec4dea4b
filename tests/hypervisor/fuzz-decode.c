/* libFuzzer target for one of the hypervisor's payload decoders, chosen
 * when built: -DFUZZ_DECODE=gunzip (or unxz, unzstd, unlz4, unlzma, unbzip2,
 * unlzo), and
 * -DFUZZ_ALSO=f for another function of (data, size) to run on the input. */
#include <stdlib.h>
#include "common/crc.c"
#include "common/inflate.c"
#include "common/lzma.c"
#include "common/unxz.c"
#include "common/unlzma.c"
#include "common/unzstd.c"
#include "common/unlz4.c"
#include "common/unbzip2.c"
#include "common/unlzo.c"
#include "common/vsprintf.c"

#define GLUE(a, b) a##b
#define WORK_SIZE(d) GLUE(d, _work_size)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	static void *work;
	char err[128];

	if (!work)
		work = malloc(WORK_SIZE(FUZZ_DECODE)());
	FUZZ_DECODE(data, size, out, sizeof(out), work, err, sizeof(err));
#ifdef FUZZ_ALSO
	FUZZ_ALSO(data, size);
#endif
	return 0;
}
