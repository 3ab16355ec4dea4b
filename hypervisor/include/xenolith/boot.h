/* What the boot loader told us, copied out of the Multiboot1/2 structures
 * into one loader-neutral description. */
#ifndef XENOLITH_BOOT_H
#define XENOLITH_BOOT_H

#include "lib.h"

#define MB1_BOOTLOADER_MAGIC 0x2BADB002U
#define MB2_BOOTLOADER_MAGIC 0x36d76289U

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

#define BOOT_MAX_E820 128
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct boot_module {
	uint64_t start;
	uint64_t end; /* exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	unsigned int loader; /* 1 or 2 */
	char loader_name[64];
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned int nr_e820;
	struct e820_entry e820[BOOT_MAX_E820];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	uint64_t rsdp; /* ACPI RSDP copied by an MB2 loader, 0 if none */
	uint64_t info_start, info_end; /* the loader's info structure */
};

/* Map [pa, pa+len) for reading; NULL if not addressable. */
typedef const void *(*boot_map_fn)(uint64_t pa, size_t len, void *ctx);

/* Parse the loader's structure at physical address info_pa.  Returns 0 or
 * a negative value with a reason in err. */
int boot_parse(struct boot_info *bi, uint32_t magic, uint64_t info_pa,
	       boot_map_fn map, void *ctx, char *err, size_t errlen);

/* Sort by address and merge the loader map; drops zero-size entries. */
void boot_e820_sanitize(struct boot_info *bi);

#endif
