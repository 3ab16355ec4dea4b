/* libxenlight: the domain configuration model of Xen 4.17's libxl API
 * (types, init/dispose, defaults, JSON).  Lifecycle calls are added to
 * this header by the components that implement them. */
#ifndef LIBXL_H
#define LIBXL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libxl_types.h"

#define LIBXL_HAVE_DEVICE_DISK_SPECIFICATION 1

/* Xen's API passes a context everywhere; the config model needs none,
 * so callers may pass NULL. */
typedef struct libxl__ctx libxl_ctx;

/* error codes (libxl_error) */
#define ERROR_FAIL  -3
#define ERROR_NOMEM -5
#define ERROR_INVAL -6

/* defbool */
void libxl_defbool_set(libxl_defbool *db, bool b);
void libxl_defbool_unset(libxl_defbool *db);
void libxl_defbool_setdefault(libxl_defbool *db, bool b);
bool libxl_defbool_is_default(libxl_defbool db);
bool libxl_defbool_val(libxl_defbool db);
const char *libxl_defbool_to_string(libxl_defbool b);

/* uuid */
int libxl_uuid_is_nil(const libxl_uuid *uuid);
void libxl_uuid_generate(libxl_uuid *uuid);
int libxl_uuid_from_string(libxl_uuid *uuid, const char *in);
void libxl_uuid_to_string(const libxl_uuid *uuid, char out[37]);

/* bitmap */
void libxl_bitmap_init(libxl_bitmap *map);
void libxl_bitmap_dispose(libxl_bitmap *map);
int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *map, int n_bits);
int libxl_bitmap_is_empty(const libxl_bitmap *map);
int libxl_bitmap_test(const libxl_bitmap *map, int bit);
void libxl_bitmap_set(libxl_bitmap *map, int bit);
void libxl_bitmap_reset(libxl_bitmap *map, int bit);
void libxl_bitmap_set_any(libxl_bitmap *map);
void libxl_bitmap_set_none(libxl_bitmap *map);
int libxl_bitmap_count_set(const libxl_bitmap *map);
/* Grow to at least n_bits, keeping the bits already set. */
int libxl_bitmap_grow(libxl_bitmap *map, int n_bits);

/* lists */
void libxl_string_list_dispose(libxl_string_list *sl);
int libxl_string_list_length(const libxl_string_list *sl);
void libxl_key_value_list_dispose(libxl_key_value_list *kvl);
void libxl_cpuid_dispose(libxl_cpuid_policy_list *cpuid);
/* One "name=value" of the cpuid= string form ("host,sse3=0,..."):
 * 0, 1 no '=', 2 unknown flag name, 3 bad value, ERROR_NOMEM. */
int libxl_cpuid_parse_config(libxl_cpuid_policy_list *cpuid, const char *str);
/* One xend-style list item "leaf[,subleaf]:eax=<32 chars>,...":
 * 0, 1 bad leaf, 2 bad subleaf, 3 no ':', 4 bad register, 5 not 32 chars. */
int libxl_cpuid_parse_config_xend(libxl_cpuid_policy_list *cpuid, const char *str);

/* names of enum values, as libxl spells them */
const char *libxl_domain_type_to_string(libxl_domain_type t);
int libxl_domain_type_from_string(const char *s, libxl_domain_type *t);
const char *libxl_action_on_shutdown_to_string(libxl_action_on_shutdown a);
int libxl_action_on_shutdown_from_string(const char *s, libxl_action_on_shutdown *a);
int libxl_tsc_mode_from_string(const char *s, libxl_tsc_mode *m);
const char *libxl_tsc_mode_to_string(libxl_tsc_mode m);
int libxl_timer_mode_from_string(const char *s, libxl_timer_mode *m);
const char *libxl_timer_mode_to_string(libxl_timer_mode m);
int libxl_bios_type_from_string(const char *s, libxl_bios_type *b);
int libxl_passthrough_from_string(const char *s, libxl_passthrough *p);
int libxl_vuart_type_from_string(const char *s, libxl_vuart_type *v);
int libxl_gic_version_from_string(const char *s, libxl_gic_version *v);
int libxl_tee_type_from_string(const char *s, libxl_tee_type *t);
int libxl_altp2m_mode_from_string(const char *s, libxl_altp2m_mode *m);
int libxl_rdm_reserve_strategy_from_string(const char *s, libxl_rdm_reserve_strategy *v);
int libxl_rdm_reserve_policy_from_string(const char *s, libxl_rdm_reserve_policy *v);
int libxl_viridian_enlightenment_from_string(const char *s, libxl_viridian_enlightenment *v);
int libxl_usbctrl_type_from_string(const char *s, libxl_usbctrl_type *v);
int libxl_scheduler_from_string(const char *s, libxl_scheduler *v);
int libxl_vkb_backend_from_string(const char *s, libxl_vkb_backend *v);
int libxl_vsnd_pcm_format_from_string(const char *s, libxl_vsnd_pcm_format *v);
int libxl_vsnd_stream_type_from_string(const char *s, libxl_vsnd_stream_type *v);

#define LIBXL__DECL_TYPE(T)                                                  \
	void libxl_##T##_init(libxl_##T *p);                                 \
	void libxl_##T##_dispose(libxl_##T *p);                              \
	char *libxl_##T##_to_json(libxl_ctx *ctx, const libxl_##T *p);       \
	int libxl_##T##_from_json(libxl_ctx *ctx, libxl_##T *p, const char *s);

LIBXL__DECL_TYPE(domain_config)
LIBXL__DECL_TYPE(domain_create_info)
LIBXL__DECL_TYPE(domain_build_info)
LIBXL__DECL_TYPE(device_disk)
LIBXL__DECL_TYPE(device_nic)
LIBXL__DECL_TYPE(device_pci)
LIBXL__DECL_TYPE(device_vfb)
LIBXL__DECL_TYPE(device_vkb)
LIBXL__DECL_TYPE(device_channel)
LIBXL__DECL_TYPE(device_vtpm)
LIBXL__DECL_TYPE(device_p9)
LIBXL__DECL_TYPE(device_pvcallsif)
LIBXL__DECL_TYPE(device_usbctrl)
LIBXL__DECL_TYPE(device_usbdev)
LIBXL__DECL_TYPE(device_dtdev)
LIBXL__DECL_TYPE(device_rdm)
LIBXL__DECL_TYPE(device_vdispl)
LIBXL__DECL_TYPE(device_vsnd)
#undef LIBXL__DECL_TYPE

void libxl_domain_build_info_init_type(libxl_domain_build_info *b, libxl_domain_type type);
void libxl_device_channel_init_type(libxl_device_channel *c, libxl_channel_connection conn);
void libxl_device_usbdev_init_type(libxl_device_usbdev *u, libxl_usbdev_type type);

/* Text of the last libxl_*_from_json failure (per thread). */
const char *libxl_json_last_error(void);

/* Virtual device name ("xvda", "hdc", "sdb1", "d0p1", "51712", "0xca00")
 * to the Xen device number; -1 if the name is not valid. */
int libxl_devid_from_vdev(const char *vdev, int *disk, int *partition);

char *libxl_basename(const char *name);

#endif
