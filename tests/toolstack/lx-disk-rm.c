/* lx-disk-rm DOMID DEVID: lx_disk_remove(force) against the xenstored
 * that XENSTORED_PATH names, for hotplug-scripts.sh's checks of what
 * the device layer deletes. Needs no hypervisor: with the backend
 * already Closed and no hotplug-status, removal is xenstore work only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "lx.h"
#include "lx_device.h"

int main(int argc, char **argv)
{
	struct lx_ctx ctx = { 0 };
	char err[1024] = "";
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: lx-disk-rm DOMID DEVID\n");
		return 2;
	}
	ctx.xs = xs_open(0);
	if (!ctx.xs) {
		fprintf(stderr, "lx-disk-rm: cannot connect to xenstored: %s\n", strerror(errno));
		return 1;
	}
	rc = lx_disk_remove(&ctx, (uint32_t)strtoul(argv[1], NULL, 10), atoi(argv[2]), true, err,
			    sizeof(err));
	if (rc < 0)
		fprintf(stderr, "lx-disk-rm: %s\n", err);
	xs_close(ctx.xs);
	return rc < 0 ? 1 : 0;
}
