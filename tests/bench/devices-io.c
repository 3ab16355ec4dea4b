/* Disk throughput for tests/bench/devices, the same program in dom0 and
 * in the guest: sequential and random reads and writes with O_DIRECT
 * (so the page cache measures nothing), timed with CLOCK_MONOTONIC.
 *
 *   devices-io DEVICE SEQ_MiB SEQ_KiB RAND_MiB RAND_KiB PREFIX
 * prints "PREFIX_seq_write_MiBps=X" and the same for seq_read,
 * rand_write, rand_read: SEQ_MiB in SEQ_KiB blocks from the start;
 * RAND_MiB worth of RAND_KiB blocks at offsets from a fixed-seed
 * generator within the first SEQ_MiB.
 * Built static by tests/vm/run into both images. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Moves mib MiB in bs-byte blocks; random picks block numbers within
 * span MiB. */
static int run(int fd, int wr, int rnd, uint64_t mib, uint64_t span, size_t bs, void *buf,
	       double *rate)
{
	uint64_t blocks = (mib << 20) / bs, range = (span << 20) / bs;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	double t0 = now(), dt;

	for (uint64_t i = 0; i < blocks; i++) {
		uint64_t b = i;
		ssize_t n;

		if (rnd) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			b = (seed >> 17) % range;
		}
		n = wr ? pwrite(fd, buf, bs, (off_t)(b * bs)) : pread(fd, buf, bs, (off_t)(b * bs));
		if (n != (ssize_t)bs) {
			fprintf(stderr, "devices-io: %s at block %llu: %s\n", wr ? "write" : "read",
				(unsigned long long)b, n < 0 ? strerror(errno) : "short");
			return -1;
		}
	}
	if (wr && fdatasync(fd) < 0)
		return -1;
	dt = now() - t0;
	*rate = (double)mib / (dt > 1e-6 ? dt : 1e-6);
	return 0;
}

static int parse(const char *mib_s, const char *kib_s, uint64_t *mib, size_t *bs)
{
	*mib = strtoull(mib_s, NULL, 10);
	*bs = (size_t)strtoull(kib_s, NULL, 10) << 10;
	if (!*mib || !*bs || *bs > (64u << 20) || (*mib << 20) % *bs) {
		fprintf(stderr, "devices-io: bad size %s MiB or block %s KiB\n", mib_s, kib_s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const names[4] = { "seq_write", "seq_read", "rand_write", "rand_read" };
	uint64_t smib, rmib;
	size_t sbs, rbs;
	void *buf;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: devices-io DEVICE SEQ_MiB SEQ_KiB RAND_MiB RAND_KiB PREFIX\n");
		return 2;
	}
	if (parse(argv[2], argv[3], &smib, &sbs) < 0 || parse(argv[4], argv[5], &rmib, &rbs) < 0)
		return 2;
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, sbs > rbs ? sbs : rbs)) {
		fprintf(stderr, "devices-io: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(buf, 0x5a, sbs > rbs ? sbs : rbs);
	for (int k = 0; k < 4; k++) {
		int rnd = k >= 2;
		double rate;

		if (run(fd, !(k & 1), rnd, rnd ? rmib : smib, smib, rnd ? rbs : sbs, buf, &rate) < 0)
			return 1;
		printf("%s_%s_MiBps=%.3f\n", argv[6], names[k], rate);
		fflush(stdout);
	}
	close(fd);
	return 0;
}
