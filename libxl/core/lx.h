/* The domain lifecycle core under libxl: create a PVH domain with its
 * xenstore layout, console and store rings, and destroy it leaving no
 * trace. Works on plain parameters; libxl maps libxl_domain_config onto
 * them. Every failure returns -1 with a message in err, and leaves no
 * domain, xenstore node or console behind. */
#ifndef XENOLITH_LX_H
#define XENOLITH_LX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenstore.h>

struct lx_ctx {
	xc_interface *xch;
	struct xs_handle *xs;
	bool watching;			/* @releaseDomain watch set (lx_event.c) */
	unsigned int verbose;		/* xl -v count; 3 and up: timed create steps */
};

/* A domain as the hypervisor reports it (lx_domain_state). */
struct lx_dom_state {
	bool gone;			/* no such domain (any more) */
	bool dying;
	bool shutdown;
	bool paused;
	unsigned int reason;		/* SHUTDOWN_* when shutdown */
	uint64_t tot_pages;
};

struct lx_disk_spec;
struct lx_nic_spec;

/* A set of pCPUs: pCPU n is bit n%8 of byte n/8 (libxl_bitmap's layout). */
struct lx_cpuset {
	uint32_t size;			/* bytes */
	const uint8_t *map;
};

/* A guest to create: PVH, or 64-bit PV when pv is set. */
struct lx_domain_spec {
	const char *name;
	uint8_t uuid[16];
	bool pv;
	uint64_t memory_kb;		/* initial target */
	uint64_t maxmem_kb;		/* 0: same as memory_kb */
	unsigned int vcpus;
	const char *kernel;
	const char *ramdisk;		/* may be NULL */
	const char *cmdline;		/* may be NULL */
	bool paused;			/* leave paused after create (xl create -p) */
	uint32_t tsc_mode;		/* XEN_CPUID_TSC_MODE_* */
	uint32_t timer_mode;		/* HVM_PARAM_TIMER_MODE value (HVMPTM_*); PVH only */
	/* cpus= and cpus_soft=: vCPU i gets set [i]; vCPUs past the end and
	 * empty sets keep Xen's default (every pCPU). */
	const struct lx_cpuset *hard_affinity, *soft_affinity;
	unsigned int n_hard_affinity, n_soft_affinity;
	/* Devices added before the guest runs (lx_device.h). */
	const struct lx_disk_spec *disks;
	unsigned int ndisks;
	const struct lx_nic_spec *nics;
	unsigned int nnics;
};

/* Writes the message into err and returns -1: the shape of every
 * failure in libxl/core. Inline, so the programs that compile single
 * files of libxl/core (tests, fuzzers) have it too. */
static inline int lx_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline int lx_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int lx_open(struct lx_ctx *ctx, char *err, size_t errlen);
void lx_close(struct lx_ctx *ctx);
/* "libxl: debug:" lines on stderr when ctx->verbose >= 3 (xl -vvv). */
void lx_debug(struct lx_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int lx_domain_create(struct lx_ctx *ctx, const struct lx_domain_spec *spec,
			 uint32_t *domid, char *err, size_t errlen);
int lx_domain_destroy(struct lx_ctx *ctx, uint32_t domid, char *err, size_t errlen);
/* The domain named `name`: 0 and *domid, or -1 (ENOENT) if none. */
int lx_domain_by_name(struct lx_ctx *ctx, const char *name, uint32_t *domid);

/* Where libxl keeps per-domain files (Debian's XEN_LIB_DIR). */
#define LX_LIB_DIR "/var/lib/xen"
/* Unpacked guest kernels (xg_kernel_open_cached): regenerable, so /var/cache. */
#define LX_KERNEL_CACHE_DIR "/var/cache/xenolith/kernels"
int lx_userdata_store(uint32_t domid, const uint8_t uuid[16], const char *key,
		      const void *data, size_t len);
void lx_userdata_remove_all(uint32_t domid);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
void lx_uuid_format(const uint8_t uuid[16], char out[37]);

/* lx_event.c: a domain's state, waiting for it to change, and requests
 * from outside. lx_wait_state_change returns once the domain is gone,
 * dying or shut down (0), or -1 with ETIMEDOUT after timeout_ms (-1:
 * no limit). lx_domain_pv_request writes control/shutdown ("poweroff",
 * "reboot"); EOPNOTSUPP when the guest has no PV control driver. */
int lx_domain_state(struct lx_ctx *ctx, uint32_t domid, struct lx_dom_state *st);
int lx_watch_domains(struct lx_ctx *ctx);
int lx_wait_domains(struct lx_ctx *ctx, int timeout_ms);
int lx_wait_state_change(struct lx_ctx *ctx, uint32_t domid, struct lx_dom_state *st,
			 int timeout_ms);
/* Until the hypervisor has no trace of domid (its memory is free). */
int lx_wait_gone(struct lx_ctx *ctx, uint32_t domid, int timeout_ms);
int lx_domain_pv_request(struct lx_ctx *ctx, uint32_t domid, const char *cmd,
			 char *err, size_t errlen);
int lx_domain_rename(struct lx_ctx *ctx, uint32_t domid, const char *old_name,
		     const char *new_name, char *err, size_t errlen);
int lx_domain_preserve(struct lx_ctx *ctx, uint32_t domid, const char *name,
		       const uint8_t new_uuid[16], char *newname_out, size_t newname_len,
		       char *err, size_t errlen);

/* lx_xs.c: the xenstore side. */
/* Runs body inside a xenstore transaction and commits it, starting over
 * (a bounded number of times) while xenstored reports a conflict. body
 * returns 0 to commit, or -1 with errno set to abort. Returns 0 once
 * committed, or -1 with errno. */
int lx_xs_transact(struct lx_ctx *ctx, int (*body)(struct lx_ctx *ctx, xs_transaction_t t,
						   void *arg), void *arg);
int lx_xs_write_domain(struct lx_ctx *ctx, uint32_t domid, const struct lx_domain_spec *spec,
		       const char *uuid_str, uint64_t store_pfn, uint32_t store_port,
		       uint64_t console_pfn, uint32_t console_port, char *err, size_t errlen);
void lx_xs_remove_domain(struct lx_ctx *ctx, uint32_t domid);

#endif
