/* libFuzzer target: xg_kernel_parse on arbitrary images (ELF notes,
 * program headers, bzImage headers and compressed payloads). */
#include <stddef.h>
#include <stdint.h>
#include <xenguest.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xg_kernel k;
	char err[256];

	if (xg_kernel_parse(data, size, &k, err, sizeof(err)) == 0)
		xg_kernel_close(&k);
	return 0;
}
