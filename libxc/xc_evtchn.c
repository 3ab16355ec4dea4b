/* libxenevtchn over /dev/xen/evtchn. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "include/xenevtchn.h"
#include "linux_xendev.h"
#include "xc_private.h"

struct xenevtchn_handle {
	int fd;		/* first: see xc_devhandle_open */
};

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
				 unsigned int open_flags)
{
	(void)logger;
	(void)open_flags;
	return xc_devhandle_open("/dev/xen/evtchn", sizeof(xenevtchn_handle));
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	return xc_devhandle_close(xce);
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return xce->fd;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return ioctl(xce->fd, IOCTL_EVTCHN_NOTIFY, &n);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
						      uint32_t domid)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = domid };

	return ioctl(xce->fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
						     uint32_t domid,
						     evtchn_port_t remote_port)
{
	struct ioctl_evtchn_bind_interdomain b = {
		.remote_domain = domid,
		.remote_port = remote_port,
	};

	return ioctl(xce->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
					      unsigned int virq)
{
	struct ioctl_evtchn_bind_virq b = { .virq = virq };

	return ioctl(xce->fd, IOCTL_EVTCHN_BIND_VIRQ, &b);
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return ioctl(xce->fd, IOCTL_EVTCHN_UNBIND, &u);
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	evtchn_port_t port;
	ssize_t n = read(xce->fd, &port, sizeof(port));

	if (n != (ssize_t)sizeof(port)) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	ssize_t n = write(xce->fd, &port, sizeof(port));

	if (n != (ssize_t)sizeof(port)) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int xenevtchn_reset(xenevtchn_handle *xce)
{
	return ioctl(xce->fd, IOCTL_EVTCHN_RESET, NULL);
}
