/* Drives the lifecycle core the way xl will, for VM scenarios:
 *   lx-run create NAME KERNEL [--ramdisk R] [--cmdline S] [--memory MiB]
 *                 [--maxmem MiB] [--vcpus N] [--paused]
 *   lx-run destroy NAME
 * Prints "created domain N" / "destroyed domain N"; errors go to stderr
 * as "lx-run: ..." with exit status 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lx.h"

static int usage(void)
{
	fprintf(stderr, "usage: lx-run create NAME KERNEL [--ramdisk R] [--cmdline S] "
			"[--memory MiB] [--maxmem MiB] [--vcpus N] [--paused]\n"
			"       lx-run destroy NAME\n");
	return 2;
}

static int random_uuid(uint8_t u[16])
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, u, 16) : -1;

	if (fd >= 0)
		close(fd);
	if (n != 16)
		return -1;
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);	/* version 4 */
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	return 0;
}

static int do_create(struct lx_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ramdisk", required_argument, NULL, 'r' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'm' },
		{ "maxmem", required_argument, NULL, 'M' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "paused", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct lx_domain_spec spec = { .memory_kb = 128 * 1024, .vcpus = 1 };
	char err[1024];
	uint32_t domid;
	int c;

	optind = 3;
	if (argc < 4)
		return usage();
	spec.name = argv[2];
	spec.kernel = argv[3];
	optind = 4;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': spec.ramdisk = optarg; break;
		case 'c': spec.cmdline = optarg; break;
		case 'm': spec.memory_kb = strtoull(optarg, NULL, 0) * 1024; break;
		case 'M': spec.maxmem_kb = strtoull(optarg, NULL, 0) * 1024; break;
		case 'v': spec.vcpus = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': spec.paused = true; break;
		default: return usage();
		}
	}
	if (random_uuid(spec.uuid) < 0) {
		fprintf(stderr, "lx-run: no random bytes for a UUID\n");
		return 1;
	}
	if (lx_domain_create(ctx, &spec, &domid, err, sizeof(err)) < 0) {
		fprintf(stderr, "lx-run: %s\n", err);
		return 1;
	}
	printf("created domain %u\n", domid);
	return 0;
}

static int do_destroy(struct lx_ctx *ctx, const char *name)
{
	char err[512];
	uint32_t domid;

	if (lx_domain_by_name(ctx, name, &domid) < 0) {
		fprintf(stderr, "lx-run: no domain named '%s'\n", name);
		return 1;
	}
	if (lx_domain_destroy(ctx, domid, err, sizeof(err)) < 0) {
		fprintf(stderr, "lx-run: %s\n", err);
		return 1;
	}
	printf("destroyed domain %u\n", domid);
	return 0;
}

int main(int argc, char **argv)
{
	struct lx_ctx ctx;
	char err[512];
	int rc;

	if (argc < 3)
		return usage();
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "lx-run: %s\n", err);
		return 1;
	}
	if (!strcmp(argv[1], "create"))
		rc = do_create(&ctx, argc, argv);
	else if (!strcmp(argv[1], "destroy") && argc == 3)
		rc = do_destroy(&ctx, argv[2]);
	else
		rc = usage();
	lx_close(&ctx);
	return rc;
}
