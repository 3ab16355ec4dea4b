/* xenconsoled: carries each guest's PV console ring to a pty and a log
 * file, and (optionally) the hypervisor's own log to a file. */
#ifndef XENOLITH_CONSOLE_H
#define XENOLITH_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/console.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xenstore.h>

/* Guest output held while neither pty nor log can take it; older bytes are
 * dropped past this so a stuck reader cannot grow us without bound. */
#define CONSOLE_BUFFER_MAX (64 * 1024)

struct console_opts {
	bool log_guest, log_hv;
	bool timestamp_guest, timestamp_hv;
	bool foreground;
	bool overflow_keep;	/* stall the guest rather than drop output */
	const char *log_dir;
	const char *pid_file;
};

struct buffer {
	char *data;
	size_t len, cap;
};

struct guest {
	struct guest *next;
	uint32_t domid;
	char name[128];
	struct xencons_interface *ring;
	bool ring_by_grant;
	int local_port;
	int remote_port;
	int master_fd;		/* pty master, -1 if none */
	int log_fd;		/* -1 if not logging */
	bool log_at_line_start;
	struct buffer out;	/* guest output not yet written to the pty */
	bool seen;		/* still present in the last domain scan */
};

struct daemon {
	struct console_opts opts;
	struct xs_handle *xs;
	xc_interface *xch;
	xenevtchn_handle *xce;
	xengnttab_handle *xgt;
	xenforeignmemory_handle *fmem;
	struct guest *guests;
	int hv_port;		/* VIRQ_CON_RING binding, -1 if not logging */
	int hv_log_fd;
	uint32_t hv_index;
	bool hv_at_line_start;
};

/* guest.c */
void guests_scan(struct daemon *d);
void guest_release(struct daemon *d, struct guest *g);
void guest_handle_event(struct daemon *d, struct guest *g);
void guest_handle_pty(struct daemon *d, struct guest *g);
void guest_flush_pty(struct guest *g);
struct guest *guest_by_port(struct daemon *d, int port);

/* log.c */
int log_open(const struct console_opts *o, const char *file);
void log_write(int fd, const char *data, size_t len, bool timestamps,
	       bool *at_line_start);

/* hvlog.c */
int hvlog_start(struct daemon *d);
void hvlog_drain(struct daemon *d);

/* buffer.c */
int buffer_append(struct buffer *b, const char *data, size_t len);
void buffer_consume(struct buffer *b, size_t len);
void buffer_free(struct buffer *b);

void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
