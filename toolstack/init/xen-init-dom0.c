/* xen-init-dom0: dom0's own xenstore entries, written once at boot after
 * xenstored starts (what Xen 4.17's helper of the same name writes):
 * /local/domain/0/{domid,name} and a name for every CPU pool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenstore.h>

static int write_node(struct xs_handle *xs, const char *path, const char *value)
{
	if (xs_write(xs, XBT_NULL, path, value, (unsigned int)strlen(value)))
		return 0;
	fprintf(stderr, "xen-init-dom0: writing %s: %s\n", path, strerror(errno));
	return -1;
}

/* Pools are found by asking for the first pool at or above an id. */
static int name_pools(struct xs_handle *xs, xc_interface *xch)
{
	struct xen_sysctl s;
	uint32_t next = 0;
	char path[64], name[32];

	for (;;) {
		memset(&s, 0, sizeof(s));
		s.cmd = XEN_SYSCTL_cpupool_op;
		s.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
		s.u.cpupool_op.cpupool_id = next;
		if (xc_sysctl(xch, &s) < 0)
			return errno == ENOENT ? 0 : -1;
		snprintf(path, sizeof(path), "/local/pool/%u/name", s.u.cpupool_op.cpupool_id);
		snprintf(name, sizeof(name), "Pool-%u", s.u.cpupool_op.cpupool_id);
		if (write_node(xs, path, name) < 0)
			return -1;
		next = s.u.cpupool_op.cpupool_id + 1;
	}
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	xc_interface *xch;
	int rc = 1;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: xen-init-dom0\n");
		return 2;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xen-init-dom0: cannot connect to xenstored: %s\n", strerror(errno));
		return 1;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		goto out;
	if (write_node(xs, "/local/domain/0/domid", "0") < 0 ||
	    write_node(xs, "/local/domain/0/name", "Domain-0") < 0)
		goto out;
	if (name_pools(xs, xch) < 0) {
		fprintf(stderr, "xen-init-dom0: listing CPU pools: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	xc_interface_close(xch);
	xs_close(xs);
	return rc;
}
