/* libFuzzer target: HVM context blobs as sethvmcontext receives them, and
 * the PVH entry check on any CPU record they carry. */
#include "common/hvmctx.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hvmctx_set set;
	unsigned int nr_vcpus = size ? data[0] % (HVMCTX_MAX_VCPUS + 2) : 1;

	if (size && hvmctx_parse(data + 1, size - 1, nr_vcpus, &set) == 0)
		for (unsigned int i = 0; i < nr_vcpus && i < HVMCTX_MAX_VCPUS; i++)
			if (set.has_cpu[i])
				hvmctx_cpu_is_pvh_entry(&set.cpu[i]);
	return 0;
}
