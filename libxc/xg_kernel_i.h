/* Between the kernel loader and its on-disk cache. */
#ifndef XENOLITH_XG_KERNEL_I_H
#define XENOLITH_XG_KERNEL_I_H

#include <sys/stat.h>
#include "include/xenguest.h"

/* Checks an ELF image in k->elf and fills in its entry and extent. */
int xg_kernel_inspect(struct xg_kernel *k, char *err, size_t errlen);
/* 0 and k filled (the ELF mapped from the cache) on a hit, -1 on a miss. */
int xg_kcache_lookup(const char *dir, const struct stat *st, struct xg_kernel *k);
/* Unpacks a bzImage straight into a new cache entry and fills k from it;
 * -1 (nothing left behind) when it is not a bzImage that announces its
 * unpacked size, or the cache cannot be written: the caller unpacks the
 * usual way. */
int xg_kcache_fill(const char *dir, const struct stat *st, const uint8_t *data, size_t size,
		   struct xg_kernel *k);
/* The unpacked size a bzImage announces (Linux appends it), or 0. */
size_t xg_bzimage_unpacked_size(const uint8_t *data, size_t size);
/* Unpacks a bzImage into out[0, cap) without growing it. */
int xg_bzimage_unpack_into(const uint8_t *data, size_t size, uint8_t *out, size_t cap,
			   size_t *got, char *format, size_t flen, char *err, size_t errlen);

#endif
