/* libxenstore: the xs_* client API of Xen 4.17. */
#ifndef XENOLITH_XENSTORE_H
#define XENOLITH_XENSTORE_H

#include <xenstore_lib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XBT_NULL 0

#define XS_OPEN_READONLY (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)
/* xs_unwatch also drops that watch's events not yet read. */
#define XS_UNWATCH_FILTER (1UL << 2)

struct xs_handle;
typedef uint32_t xs_transaction_t;

/* Socket first, then /dev/xen/xenbus (unless XS_OPEN_SOCKETONLY). */
struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh);

/* Older names of the same. */
struct xs_handle *xs_daemon_open(void);
struct xs_handle *xs_domain_open(void);
struct xs_handle *xs_daemon_open_readonly(void);
void xs_daemon_close(struct xs_handle *);
/* In a forked child: drop the parent's handle without touching threads. */
void xs_daemon_destroy_postfork(struct xs_handle *);

/* NULL + errno on failure; results are malloc'd, free() them. */
char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num);
void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	      unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	      const void *data, unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_restrict(struct xs_handle *h, unsigned domid);
struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms);

/* Watches: events are read as vec[XS_WATCH_PATH], vec[XS_WATCH_TOKEN]. */
bool xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_fileno(struct xs_handle *h);
char **xs_check_watch(struct xs_handle *h);
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);

xs_transaction_t xs_transaction_start(struct xs_handle *h);
/* false + errno EAGAIN: conflict, start again. */
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn);
bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
bool xs_path_is_subpath(const char *parent, const char *child);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);

char *xs_control_command(struct xs_handle *h, const char *cmd, void *data,
			 unsigned int len);
char *xs_debug_command(struct xs_handle *h, const char *cmd, void *data,
		       unsigned int len);

int xs_suspend_evtchn_port(int domid);

#ifdef __cplusplus
}
#endif

#endif
