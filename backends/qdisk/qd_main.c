/* xen-qdisk: the daemon libxl starts for each qdisk vbd, and two tools
 * on its image layer for dom0 scripts and tests.
 *
 *   xen-qdisk serve BACKEND_PATH     serve one device (foreground)
 *   xen-qdisk info FORMAT IMAGE      print the guest-visible size
 *   xen-qdisk convert FORMAT IMAGE OUT   the guest's view as a raw file
 *   xen-qdisk write FORMAT IMAGE OFFSET FILE   write FILE at OFFSET
 *   xen-qdisk create IMAGE SIZE      a new empty qcow2 image (64 KiB
 *                                    clusters); SIZE in bytes, or with
 *                                    a K, M or G suffix
 * FORMAT is raw or qcow2. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "qd.h"

static int usage(void)
{
	fprintf(stderr, "usage: xen-qdisk serve BACKEND_PATH\n"
			"       xen-qdisk info raw|qcow2 IMAGE\n"
			"       xen-qdisk convert raw|qcow2 IMAGE OUT\n"
			"       xen-qdisk write raw|qcow2 IMAGE OFFSET FILE\n"
			"       xen-qdisk create IMAGE SIZE[K|M|G]\n");
	return 2;
}

static int open_img(struct qd_image *img, const char *fmt_s, const char *path, bool ro)
{
	enum qd_format fmt;
	char err[512];

	if (qd_format_parse(fmt_s, &fmt, err, sizeof(err)) < 0 ||
	    qd_image_open(img, path, fmt, ro, err, sizeof(err)) < 0) {
		fprintf(stderr, "xen-qdisk: %s\n", err);
		return -1;
	}
	return 0;
}

static int convert(const char *fmt, const char *in, const char *out)
{
	struct qd_image img;
	size_t chunk = 1 << 20;
	uint8_t *buf;
	int fd, rc = 1;

	if (open_img(&img, fmt, in, true) < 0)
		return 1;
	buf = malloc(chunk);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (!buf || fd < 0) {
		fprintf(stderr, "xen-qdisk: %s: %s\n", out, strerror(errno));
		goto out;
	}
	for (uint64_t off = 0; off < img.size;) {
		size_t n = img.size - off < chunk ? (size_t)(img.size - off) : chunk;
		int e = qd_image_read(&img, off, buf, n);

		if (e < 0) {
			fprintf(stderr, "xen-qdisk: %s: reading guest offset %llu: %s\n", in,
				(unsigned long long)off, strerror(-e));
			goto out;
		}
		if (write(fd, buf, n) != (ssize_t)n) {
			fprintf(stderr, "xen-qdisk: %s: %s\n", out, strerror(errno));
			goto out;
		}
		off += n;
	}
	rc = 0;
out:
	if (fd >= 0 && close(fd) < 0 && !rc) {
		fprintf(stderr, "xen-qdisk: %s: %s\n", out, strerror(errno));
		rc = 1;
	}
	free(buf);
	qd_image_close(&img);
	return rc;
}

static int write_file(const char *fmt, const char *img_path, const char *off_s, const char *file)
{
	struct qd_image img;
	char *end;
	unsigned long long off = strtoull(off_s, &end, 0);
	uint8_t buf[65536];
	int fd, rc = 1;
	ssize_t n;

	if (end == off_s || *end) {
		fprintf(stderr, "xen-qdisk: offset \"%s\" is not a number\n", off_s);
		return 2;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "xen-qdisk: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (open_img(&img, fmt, img_path, false) < 0) {
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		int e = qd_image_write(&img, off, buf, (size_t)n);

		if (e < 0) {
			fprintf(stderr, "xen-qdisk: %s: writing guest offset %llu: %s\n", img_path, off,
				strerror(-e));
			goto out;
		}
		off += (unsigned long long)n;
	}
	rc = n < 0 ? 1 : 0;
	if (!rc && qd_image_flush(&img) < 0)
		rc = 1;
out:
	close(fd);
	qd_image_close(&img);
	return rc;
}

static int create(const char *path, const char *size_s)
{
	char *end, err[512];
	unsigned long long size = strtoull(size_s, &end, 10);
	int fd, rc;

	if (end == size_s || (*end && end[1]) || (*end && !strchr("KMG", *end))) {
		fprintf(stderr, "xen-qdisk: size \"%s\" is not a number with an optional K, M or "
			"G\n", size_s);
		return 2;
	}
	size <<= *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "xen-qdisk: %s: %s\n", path, strerror(errno));
		return 1;
	}
	rc = qd_qcow2_create(fd, path, size, 16, err, sizeof(err));
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "xen-qdisk: %s\n", err);
		unlink(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "create"))
		return create(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return qd_xen_serve(argv[2]) == 0 ? 0 : 1;
	if (argc == 4 && !strcmp(argv[1], "info")) {
		struct qd_image img;

		if (open_img(&img, argv[2], argv[3], true) < 0)
			return 1;
		printf("%s: %s, %llu bytes\n", argv[3], img.fmt == QD_FMT_QCOW2 ? "qcow2" : "raw",
		       (unsigned long long)img.size);
		qd_image_close(&img);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "convert"))
		return convert(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "write"))
		return write_file(argv[2], argv[3], argv[4], argv[5]);
	return usage();
}
