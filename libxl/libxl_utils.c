/* Builtin types of the config model: defbool, uuid, bitmap, lists. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "libxl.h"
#include "random.h"

void libxl_defbool_set(libxl_defbool *db, bool b) { db->val = b ? 1 : -1; }
void libxl_defbool_unset(libxl_defbool *db) { db->val = 0; }
bool libxl_defbool_is_default(libxl_defbool db) { return db.val == 0; }
bool libxl_defbool_val(libxl_defbool db) { return db.val > 0; }

void libxl_defbool_setdefault(libxl_defbool *db, bool b)
{
	if (db->val == 0)
		libxl_defbool_set(db, b);
}

const char *libxl_defbool_to_string(libxl_defbool b)
{
	if (b.val > 0)
		return "True";
	if (b.val < 0)
		return "False";
	return "<default>";
}

int libxl_uuid_is_nil(const libxl_uuid *uuid)
{
	return uuid_is_null(uuid->uuid);
}

/* A random (version 4) UUID.  libuuid's uuid_generate() waits about a
 * second per call while the kernel's entropy pool is not ready yet, as
 * on a host that has just booted and starts its guests. */
void libxl_uuid_generate(libxl_uuid *uuid)
{
	if (random_bytes(uuid->uuid, sizeof(uuid->uuid)) < 0) {
		uuid_generate(uuid->uuid);
		return;
	}
	uuid->uuid[6] = (uuid->uuid[6] & 0x0f) | 0x40;
	uuid->uuid[8] = (uuid->uuid[8] & 0x3f) | 0x80;
}

int libxl_uuid_from_string(libxl_uuid *uuid, const char *in)
{
	return uuid_parse(in, uuid->uuid) ? ERROR_INVAL : 0;
}

void libxl_uuid_to_string(const libxl_uuid *uuid, char out[37])
{
	uuid_unparse_lower(uuid->uuid, out);
}

void libxl_bitmap_init(libxl_bitmap *map)
{
	map->size = 0;
	map->map = NULL;
}

void libxl_bitmap_dispose(libxl_bitmap *map)
{
	free(map->map);
	libxl_bitmap_init(map);
}

int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *map, int n_bits)
{
	uint32_t sz;

	(void)ctx;
	if (n_bits < 0)
		return ERROR_INVAL;
	sz = ((uint32_t)n_bits + 7) / 8;
	if (sz == 0)
		sz = 1;
	free(map->map);
	map->map = calloc(sz, 1);
	map->size = map->map ? sz : 0;
	return map->map ? 0 : ERROR_NOMEM;
}

int libxl_bitmap_grow(libxl_bitmap *map, int n_bits)
{
	uint32_t sz = ((uint32_t)n_bits + 7) / 8;
	uint8_t *m;

	if (sz <= map->size)
		return 0;
	m = realloc(map->map, sz);
	if (!m)
		return ERROR_NOMEM;
	memset(m + map->size, 0, sz - map->size);
	map->map = m;
	map->size = sz;
	return 0;
}

int libxl_bitmap_is_empty(const libxl_bitmap *map)
{
	for (uint32_t i = 0; i < map->size; i++)
		if (map->map[i])
			return 0;
	return 1;
}

int libxl_bitmap_test(const libxl_bitmap *map, int bit)
{
	if (bit < 0 || (uint32_t)bit >= map->size * 8)
		return 0;
	return (map->map[bit / 8] >> (bit & 7)) & 1;
}

void libxl_bitmap_set(libxl_bitmap *map, int bit)
{
	if (bit < 0 || (uint32_t)bit >= map->size * 8)
		return;
	map->map[bit / 8] |= (uint8_t)(1u << (bit & 7));
}

void libxl_bitmap_reset(libxl_bitmap *map, int bit)
{
	if (bit < 0 || (uint32_t)bit >= map->size * 8)
		return;
	map->map[bit / 8] &= (uint8_t)~(1u << (bit & 7));
}

void libxl_bitmap_set_any(libxl_bitmap *map)
{
	if (map->map)
		memset(map->map, 0xff, map->size);
}

void libxl_bitmap_set_none(libxl_bitmap *map)
{
	if (map->map)
		memset(map->map, 0, map->size);
}

int libxl_bitmap_count_set(const libxl_bitmap *map)
{
	int n = 0;

	for (uint32_t i = 0; i < map->size * 8; i++)
		n += libxl_bitmap_test(map, (int)i);
	return n;
}

void libxl_string_list_dispose(libxl_string_list *psl)
{
	char **sl = *psl;

	if (!sl)
		return;
	for (int i = 0; sl[i]; i++)
		free(sl[i]);
	free(sl);
	*psl = NULL;
}

int libxl_string_list_length(const libxl_string_list *psl)
{
	int n = 0;

	if (*psl)
		while ((*psl)[n])
			n++;
	return n;
}

void libxl_key_value_list_dispose(libxl_key_value_list *pkvl)
{
	char **kvl = *pkvl;

	if (!kvl)
		return;
	for (int i = 0; kvl[i]; i += 2) {
		free(kvl[i]);
		free(kvl[i + 1]);
	}
	free(kvl);
	*pkvl = NULL;
}

char *libxl_basename(const char *name)
{
	const char *slash;

	if (!name)
		return strdup("");
	slash = strrchr(name, '/');
	return strdup(slash ? slash + 1 : name);
}
