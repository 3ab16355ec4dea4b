/* Live update: exec the new binary, and read the state back in it. */
#ifndef XENOLITH_XSD_LUEXEC_H
#define XENOLITH_XSD_LUEXEC_H

#include "xenbus.h"
#include "xsd.h"

/* Write the state and exec x->lu's binary; returns only on failure, with
 * the answer for the tool (the daemon carries on as it was). */
const char *luexec_run(struct xsd *x, struct xenbus *xb, int lfd, int argc,
		       char **argv);
/* -U: rebuild connections, watches and nodes from the state the old
 * daemon left; *lfd gets its listening socket.  sock_new makes a socket
 * connection of an fd.  -1 (said on stderr) if there is no usable state. */
int luexec_restore(struct xsd *x, struct xenbus *xb, int *lfd,
		   struct xsd_conn *(*sock_new)(struct xsd *x, int fd));

#endif
