/* libFuzzer target for xen-qdisk's qcow2 parser: the input is an image
 * file. Opened read-only it must be refused or read without a fault;
 * opened read-write (on its own copy) a few writes must either fail
 * cleanly or read back. */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "qd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfile(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-qcow2", MFD_CLOEXEC);

	if (fd >= 0 && (size_t)write(fd, data, size) != size) {
		close(fd);
		return -1;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16], back[1 << 16];
	struct qd_image img;
	char err[512];
	int fd;

	for (int rw = 0; rw < 2; rw++) {
		fd = memfile(data, size);
		if (fd < 0)
			return 0;
		if (qd_image_open_fd(&img, fd, "fuzz", QD_FMT_QCOW2, !rw, err, sizeof(err)) < 0) {
			close(fd);
			return 0;
		}
		/* The start, the end, and a cluster in between. */
		uint64_t offs[3] = { 0, img.size > sizeof(buf) ? img.size - sizeof(buf) : 0,
				     img.size / 3 & ~511ull };
		for (int i = 0; i < 3; i++) {
			size_t n = img.size - offs[i] < sizeof(buf) ? (size_t)(img.size - offs[i])
								    : sizeof(buf);

			if (!rw) {
				qd_image_read(&img, offs[i], buf, n);
				continue;
			}
			memset(buf, 0x5a + i, n);
			if (qd_image_write(&img, offs[i], buf, n) == 0 &&
			    qd_image_read(&img, offs[i], back, n) == 0 && memcmp(buf, back, n))
				__builtin_trap();	/* a write that did not stick */
		}
		qd_image_close(&img);
	}
	return 0;
}
