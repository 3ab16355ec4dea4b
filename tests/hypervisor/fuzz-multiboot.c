/* libFuzzer target: Multiboot1/2 information parsing.  The input is the
 * loader's memory; "physical" addresses are offsets into it, the info
 * structure sits at offset 8 and byte 0 picks MB1 or MB2. */
#include "common/multiboot.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t n;
};

static const void *map(uint64_t pa, size_t len, void *ctx)
{
	struct mem *m = ctx;

	if (pa == 0 || pa >= m->n || len > m->n - pa)
		return NULL;
	return m->p + pa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	struct mem m = { data, size };
	char err[128];

	if (size < 1)
		return 0;
	boot_parse(&bi, (data[0] & 1) ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC, 8, map, &m,
		   err, sizeof(err));
	return 0;
}
