/*
 * libFuzzer target for the boot menu parsers: the first byte picks the
 * kind (GRUB 2, extlinux, GRUB legacy), the rest is the menu.  Each parse
 * is followed by the default and a few look-ups, then freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_lookups(const struct bootcfg *c)
{
	size_t d = bootcfg_default(c);

	if (c->n && d >= c->n)
		__builtin_trap();
	for (size_t i = 0; i < c->n && i < 4; i++) {
		long f = bootcfg_find(c, c->e[i].title);

		if (f < 0 && !c->e[i].title)
			__builtin_trap();
		if (c->e[i].kernel)
			(void)strlen(c->e[i].kernel);
	}
	(void)bootcfg_find(c, "1");
	(void)bootcfg_find(c, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum bootcfg_kind kinds[] = { BOOTCFG_GRUB2, BOOTCFG_EXTLINUX,
						    BOOTCFG_GRUB };
	struct bootcfg c;
	char err[128];

	if (!size)
		return 0;
	if (bootcfg_parse(&c, kinds[data[0] % 3], (const char *)data + 1, size - 1,
			  "fuzz", err, sizeof(err)) < 0) {
		if (!memchr(err, 0, sizeof(err)) || strncmp(err, "fuzz", 4) != 0)
			__builtin_trap();
		return 0;
	}
	fuzz_lookups(&c);
	bootcfg_free(&c);
	return 0;
}
