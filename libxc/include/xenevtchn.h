/* Event channels from dom0 user space (/dev/xen/evtchn), with the API of
 * Xen 4.17's libxenevtchn. Errors: -1 with errno. */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>

typedef struct xenevtchn_handle xenevtchn_handle;
typedef uint32_t evtchn_port_t;
typedef int xenevtchn_port_or_error_t;
struct xentoollog_logger;

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
				 unsigned int open_flags);
int xenevtchn_close(xenevtchn_handle *xce);
/* Readable when an event is pending. */
int xenevtchn_fd(xenevtchn_handle *xce);
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
						      uint32_t domid);
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
						     uint32_t domid,
						     evtchn_port_t remote_port);
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
					      unsigned int virq);
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
/* Next fired port (masked until xenevtchn_unmask); blocks unless the fd
 * is readable. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);
int xenevtchn_reset(xenevtchn_handle *xce);

#endif
