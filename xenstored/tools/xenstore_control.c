/* xenstore-control: send an XS_CONTROL command, print the answer. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore.h"

int main(int argc, char **argv)
{
	char args[XENSTORE_PAYLOAD_MAX];
	size_t len = 0;
	struct xs_handle *h;
	char *r;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "Usage:\n%s <command> [<arg>...]\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		if (len + l > sizeof(args) - 64)
			errx(2, "arguments too long");
		memcpy(args + len, argv[i], l);
		len += l;
	}
	h = xs_open(0);
	if (!h)
		err(1, "xs_open");
	r = xs_control_command(h, argv[1], args, (unsigned int)len);
	if (!r) {
		int e = errno;

		if (e == EINVAL) {
			fprintf(stderr, "Command not supported. Valid commands "
				"are:\n");
			r = xs_control_command(h, "help", NULL, 0);
			if (r)
				fputs(r, stderr);
			free(r);
		} else {
			fprintf(stderr, "%s: %s\n", argv[1], strerror(e));
		}
		xs_close(h);
		return 3;
	}
	if (strcmp(r, "OK") || !strcmp(argv[1], "check"))
		printf("%s%s", r, r[0] && r[strlen(r) - 1] == '\n' ? "" : "\n");
	free(r);
	xs_close(h);
	return 0;
}
