/* The domain lifecycle core under libxl: create a PVH domain with its
 * xenstore layout, console and store rings, and destroy it leaving no
 * trace. Works on plain parameters; libxl maps libxl_domain_config onto
 * them. Every failure returns -1 with a message in err, and leaves no
 * domain, xenstore node or console behind. */
#ifndef XENOLITH_LX_H
#define XENOLITH_LX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenstore.h>

struct lx_ctx {
	xc_interface *xch;
	struct xs_handle *xs;
};

struct lx_pvh_spec {
	const char *name;
	uint8_t uuid[16];
	uint64_t memory_kb;		/* initial target */
	uint64_t maxmem_kb;		/* 0: same as memory_kb */
	unsigned int vcpus;
	const char *kernel;
	const char *ramdisk;		/* may be NULL */
	const char *cmdline;		/* may be NULL */
	bool paused;			/* leave paused after create (xl create -p) */
};

int lx_open(struct lx_ctx *ctx, char *err, size_t errlen);
void lx_close(struct lx_ctx *ctx);

int lx_domain_create_pvh(struct lx_ctx *ctx, const struct lx_pvh_spec *spec,
			 uint32_t *domid, char *err, size_t errlen);
int lx_domain_destroy(struct lx_ctx *ctx, uint32_t domid, char *err, size_t errlen);
/* The domain named `name`: 0 and *domid, or -1 (ENOENT) if none. */
int lx_domain_by_name(struct lx_ctx *ctx, const char *name, uint32_t *domid);

/* lx_xs.c: the xenstore side. */
int lx_xs_write_domain(struct lx_ctx *ctx, uint32_t domid, const struct lx_pvh_spec *spec,
		       const char *uuid_str, uint64_t store_pfn, uint32_t store_port,
		       uint64_t console_pfn, uint32_t console_port, char *err, size_t errlen);
void lx_xs_remove_domain(struct lx_ctx *ctx, uint32_t domid);

#endif
