/* libFuzzer: pci= specs, rdm=, cpu lists and sizes. */
#include <stdint.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	libxl_device_pci pci;
	libxl_rdm_reserve rdm = { 0, LIBXL_RDM_RESERVE_POLICY_INVALID };
	libxl_bitmap map;

	if (fuzz_input_open(&in, data, size))
		return 0;
	libxl_device_pci_init(&pci);
	xlu_pci_parse_spec_string(in.cfg, &pci, in.s);
	libxl_device_pci_dispose(&pci);
	xlu_rdm_parse(in.cfg, &rdm, in.s);
	libxl_bitmap_init(&map);
	xlu_cpu_range_parse(in.cfg, in.s, &map);
	libxl_bitmap_dispose(&map);
	xlu_parse_size_kb(in.s, 'm');
	fuzz_input_close(&in);
	return 0;
}
