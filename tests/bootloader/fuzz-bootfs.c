/*
 * libFuzzer target for libbootfs: the input is a disk image.  Lists its
 * partitions, opens a filesystem at each, and reads the files pygrub
 * looks for (whole, capped, and streamed to /dev/null), some of them
 * through symlinks.  Any crash, hang or sanitizer report is a finding.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bootfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_paths[] = {
	"/boot/grub/grub.cfg", "/boot/grub/menu.lst", "/grub/grub.cfg", "/boot/vmlinuz",
	"/vmlinuz", "/boot/initrd.img", "/etc/../boot/./grub//grub.cfg", "/boot/extlinux.conf",
	"/a/b/c/d",
};

static void fuzz_fs(struct bootfs *fs, int null_fd)
{
	char err[256];

	(void)bootfs_type(fs);
	for (size_t i = 0; i < sizeof(fuzz_paths) / sizeof(fuzz_paths[0]); i++) {
		uint64_t copied;
		void *buf;
		size_t len;

		if (bootfs_read(fs, fuzz_paths[i], 1 << 20, &buf, &len, err, sizeof(err)) == 0) {
			if (((char *)buf)[len] != 0)
				abort();
			free(buf);
		}
		(void)bootfs_exists(fs, fuzz_paths[i]);
		if (null_fd >= 0)
			(void)bootfs_copy(fs, fuzz_paths[i], null_fd, &copied, err, sizeof(err));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootpart parts[BOOTDISK_MAX_PARTS];
	int fd = memfd_create("fuzz-bootfs", MFD_CLOEXEC), null_fd;
	struct bootdisk d;
	char err[256];
	size_t n;

	if (fd < 0)
		return 0;
	/*
	 * Zeros up to the next 64 KiB, as mke2fs leaves an image's unwritten
	 * tail: mutations that insert or erase bytes still give a disk the
	 * superblock fits, instead of stopping at "truncated image".
	 */
	if (write(fd, data, size) != (ssize_t)size ||
	    ftruncate(fd, (off_t)((size + 65535) & ~(size_t)65535)) < 0 ||
	    bootdisk_open_fd(&d, fd, "fuzz", err, sizeof(err)) < 0) {
		close(fd);
		return 0;
	}
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (bootdisk_partitions(&d, parts, BOOTDISK_MAX_PARTS, &n, err, sizeof(err)) == 0) {
		if (n == 0 || n > BOOTDISK_MAX_PARTS)
			abort();
		for (size_t i = 0; i < n; i++) {
			struct bootfs *fs;

			if (parts[i].offset > d.size || parts[i].size > d.size - parts[i].offset)
				abort();
			if (bootfs_open(&fs, &d, parts[i].offset, err, sizeof(err)) == 0) {
				fuzz_fs(fs, null_fd);
				bootfs_close(fs);
			}
		}
	}
	if (null_fd >= 0)
		close(null_fd);
	bootdisk_close(&d);
	return 0;
}
