/*
 * Drives libbootfs for test-bootfs.sh:
 *   bootfs-tool parts IMAGE            offset size index scheme, a line each
 *   bootfs-tool type IMAGE OFFSET      ext2, ext3 or ext4
 *   bootfs-tool cat IMAGE OFFSET PATH  the file (bootfs_copy) to stdout
 *   bootfs-tool read IMAGE OFFSET PATH MAX   the file (bootfs_read) to stdout
 *   bootfs-tool exists IMAGE OFFSET PATH     exit 0 if a regular file
 * Errors go to stderr as "bootfs-tool: MESSAGE (errno name)"; exit 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bootfs.h"

static int tool_fail(const char *err, int rc)
{
	fprintf(stderr, "bootfs-tool: %s (%s)\n", err, strerror(-rc));
	return 1;
}

static int tool_parts(struct bootdisk *d)
{
	struct bootpart parts[BOOTDISK_MAX_PARTS];
	char err[512];
	size_t n;
	int rc;

	rc = bootdisk_partitions(d, parts, BOOTDISK_MAX_PARTS, &n, err, sizeof(err));
	if (rc < 0)
		return tool_fail(err, rc);
	for (size_t i = 0; i < n; i++)
		printf("%" PRIu64 " %" PRIu64 " %u %s\n", parts[i].offset, parts[i].size,
		       parts[i].index, parts[i].scheme);
	return 0;
}

static int tool_fs(struct bootdisk *d, const char *cmd, uint64_t off, int argc, char **argv)
{
	struct bootfs *fs;
	char err[512];
	int rc, ret = 1;

	rc = bootfs_open(&fs, d, off, err, sizeof(err));
	if (rc < 0)
		return tool_fail(err, rc);
	if (!strcmp(cmd, "type")) {
		printf("%s\n", bootfs_type(fs));
		ret = 0;
	} else if (!strcmp(cmd, "exists") && argc == 1) {
		ret = bootfs_exists(fs, argv[0]) ? 0 : 1;
	} else if (!strcmp(cmd, "cat") && argc == 1) {
		uint64_t copied;

		rc = bootfs_copy(fs, argv[0], STDOUT_FILENO, &copied, err, sizeof(err));
		ret = rc < 0 ? tool_fail(err, rc) : 0;
	} else if (!strcmp(cmd, "read") && argc == 2) {
		void *data;
		size_t len;

		rc = bootfs_read(fs, argv[0], strtoull(argv[1], NULL, 0), &data, &len, err,
				 sizeof(err));
		if (rc < 0) {
			ret = tool_fail(err, rc);
		} else {
			ret = fwrite(data, 1, len, stdout) == len && ((char *)data)[len] == 0 ? 0 : 1;
			free(data);
		}
	} else {
		fprintf(stderr, "bootfs-tool: bad arguments for %s\n", cmd);
	}
	bootfs_close(fs);
	return ret;
}

int main(int argc, char **argv)
{
	struct bootdisk d;
	char err[512];
	int rc, ret;

	if (argc < 3 || (strcmp(argv[1], "parts") && argc < 4)) {
		fprintf(stderr, "usage: bootfs-tool parts|type|cat|read|exists IMAGE [OFFSET [PATH [MAX]]]\n");
		return 2;
	}
	rc = bootdisk_open(&d, argv[2], err, sizeof(err));
	if (rc < 0)
		return tool_fail(err, rc);
	if (!strcmp(argv[1], "parts"))
		ret = tool_parts(&d);
	else
		ret = tool_fs(&d, argv[1], strtoull(argv[3], NULL, 0), argc - 4, argv + 4);
	bootdisk_close(&d);
	return ret;
}
