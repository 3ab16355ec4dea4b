/* libFuzzer target: the Xen command-line parser. */
#include "common/cmdline.c"
#include "common/vsprintf.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[2048];
	struct hv_options o;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	cmdline_defaults(&o);
	cmdline_parse(&o, cmdline_skip_image(buf));
	return 0;
}
