/* libFuzzer target: ELF64 kernel and PVH note parsing. */
#include "common/elf.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info ei;
	char err[128];

	elf_parse(data, size, &ei, err, sizeof(err));
	return 0;
}
