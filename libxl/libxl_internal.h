/* Private to libxenlight: the field tables that drive init, dispose,
 * JSON generation and JSON parsing of every config type, so each type
 * is described once instead of in four hand-written functions. */
#ifndef LIBXL_INTERNAL_H
#define LIBXL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "libxl.h"

enum libxl__kind {
	LK_STRING, LK_INT, LK_U8, LK_U32, LK_U64, LK_MEMKB, LK_BOOL,
	LK_DEFBOOL, LK_ENUM, LK_DOMID, LK_DEVID, LK_UUID, LK_MAC, LK_BITMAP,
	LK_STRLIST, LK_KVLIST, LK_CPUID, LK_GENID,
	LK_STRUCT,  /* nested struct at base+off, fields relative to it */
	LK_ARRAY,   /* pointer at off, int count at count_off */
	LK_UNION,   /* keyed union: key enum at key_off, cases share base */
};

struct libxl__enum_val { const char *s; int v; };
struct libxl__enum {
	const struct libxl__enum_val *vals;
	int n;
};

struct libxl__type;
struct libxl__ucase {
	int key;
	const char *name;             /* JSON key is "<keyname>.<name>" */
	const struct libxl__type *t;  /* NULL: empty map; fields use parent base */
};

struct libxl__field {
	const char *name;
	enum libxl__kind kind;
	size_t off;
	int has_init;
	int64_t init;
	const struct libxl__enum *en;      /* LK_ENUM, LK_UNION key */
	const struct libxl__type *sub;     /* LK_STRUCT, LK_ARRAY of struct */
	enum libxl__kind elem;             /* LK_ARRAY element kind */
	size_t elem_size;
	size_t count_off;
	int is_const;                      /* never generated */
	const char *keyname;               /* LK_UNION */
	const struct libxl__ucase *cases;
	int ncases;
};

struct libxl__type {
	const char *name;
	size_t size;
	const struct libxl__field *f;
	int nf;
};

extern const struct libxl__type libxl__domain_config_type;
extern const struct libxl__type libxl__domain_create_info_type;
extern const struct libxl__type libxl__domain_build_info_type;
extern const struct libxl__type libxl__device_disk_type;
extern const struct libxl__type libxl__device_nic_type;
extern const struct libxl__type libxl__device_pci_type;
extern const struct libxl__type libxl__device_vfb_type;
extern const struct libxl__type libxl__device_vkb_type;
extern const struct libxl__type libxl__device_channel_type;
extern const struct libxl__type libxl__device_vtpm_type;
extern const struct libxl__type libxl__device_p9_type;
extern const struct libxl__type libxl__device_pvcallsif_type;
extern const struct libxl__type libxl__device_usbctrl_type;
extern const struct libxl__type libxl__device_usbdev_type;
extern const struct libxl__type libxl__device_dtdev_type;
extern const struct libxl__type libxl__device_rdm_type;
extern const struct libxl__type libxl__device_vdispl_type;
extern const struct libxl__type libxl__device_vsnd_type;

extern const struct libxl__enum libxl__domain_type_enum;

void libxl__type_init(const struct libxl__type *t, void *p);
void libxl__type_dispose(const struct libxl__type *t, void *p);
/* Initialise the case 'key' of every keyed union of t in p. */
void libxl__type_init_union(const struct libxl__type *t, void *p, int key);
yajl_gen_status libxl__type_gen_json(yajl_gen g, const struct libxl__type *t,
				     const void *p);
char *libxl__type_to_json(const struct libxl__type *t, const void *p);
/* Fills an initialised p from JSON text; on error returns -EINVAL and
 * writes a message naming the offending key to err (size errlen). */
int libxl__type_from_json(const struct libxl__type *t, void *p,
			  const char *s, char *err, size_t errlen);

yajl_gen_status libxl__cpuid_gen_json(yajl_gen g, const libxl_cpuid_policy *c);
/* 0, or -EINVAL with a message in err */
int libxl__cpuid_parse_json(yajl_val v, libxl_cpuid_policy_list *pl, char *err, size_t len);

const char *libxl__enum_to_string(const struct libxl__enum *e, int v);
int libxl__enum_from_string(const struct libxl__enum *e, const char *s, int *v);

#endif
