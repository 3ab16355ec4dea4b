/*
 * Test helper for xs-live-update.sh: open a transaction and hold it while
 * the daemon is live-updated.  Prints "started <id>", waits for a line on
 * stdin, then writes in the transaction and commits, and prints what
 * happened: "write: <errno name or ok>", "end: <errno name or ok>".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xenstore.h"

static const char *res(bool ok)
{
	return ok ? "ok" : strerror(errno);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/lu/txn";
	struct xs_handle *h = xs_open(0);
	char line[64];
	xs_transaction_t t;
	bool ok;

	if (!h) {
		perror("xs_open");
		return 1;
	}
	t = xs_transaction_start(h);
	if (t == XBT_NULL) {
		perror("xs_transaction_start");
		return 1;
	}
	printf("started %u\n", (unsigned int)t);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	ok = xs_write(h, t, path, "x", 1);
	printf("write: %s\n", res(ok));
	ok = xs_transaction_end(h, t, false);
	printf("end: %s\n", res(ok));
	xs_close(h);
	return 0;
}
