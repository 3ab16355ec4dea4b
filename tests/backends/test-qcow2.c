/* The qcow2 layer of xen-qdisk against QEMU's own tools: images made
 * and written by qemu-img/qemu-io must read back as `qemu-img convert`
 * shows them; after our writes (allocating data clusters, L2 tables and
 * refcount blocks) `qemu-img check` must find no error and `qemu-img
 * convert` must show exactly what we wrote. Features we do not support
 * must be refused with a message naming the file and the feature. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "qd.h"

static char dir[64];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	b = malloc((size_t)st.st_size + 1);
	if (b && read(fd, b, (size_t)st.st_size) != st.st_size) {
		free(b);
		b = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

/* What qemu-img says the guest sees. */
static uint8_t *qemu_view(const char *img, size_t *len)
{
	char raw[128];

	snprintf(raw, sizeof(raw), "%s/view.raw", dir);
	if (sh("qemu-img convert -f qcow2 -O raw %s %s", img, raw))
		return NULL;
	return slurp(raw, len);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Creates an image with opts, lets qemu-io write into it, then checks
 * our reads and our writes against qemu-img. */
static void round_trip(const char *label, const char *opts, const char *size, uint64_t cluster)
{
	char img[128], err[512];
	struct qd_image q;
	uint8_t *model, *buf, *view;
	size_t len, vlen;
	int rc;

	snprintf(img, sizeof(img), "%s/%s.qcow2", dir, label);
	if (!CHECK(sh("qemu-img create -q -f qcow2 %s %s %s", opts, img, size) == 0,
		   "%s: qemu-img create %s", label, opts))
		return;
	/* Data, a zeroed range and a write across clusters, by QEMU. */
	CHECK(sh("qemu-io -f qcow2 -c 'write -P 0xa5 0 5000' -c 'write -P 0x3c 1048000 70000' "
		 "-c 'write -z 1049000 4096' -c 'write -P 0x11 2097152 512' %s >/dev/null", img) == 0,
	      "%s: qemu-io writes", label);
	model = qemu_view(img, &len);
	if (!CHECK(model != NULL, "%s: qemu-img convert", label))
		return;
	rc = qd_image_open(&q, img, QD_FMT_QCOW2, true, err, sizeof(err));
	if (!CHECK(rc == 0, "%s: open read-only (%s)", label, rc ? err : "ok"))
		goto out_model;
	CHECK(q.size == len, "%s: size %llu is qemu's %zu", label, (unsigned long long)q.size, len);
	buf = malloc(len);
	CHECK(buf && qd_image_read(&q, 0, buf, len) == 0 && !memcmp(buf, model, len),
	      "%s: whole-disk read matches qemu-img convert", label);
	CHECK(qd_image_write(&q, 0, model, 512) == -EROFS, "%s: read-only open refuses writes",
	      label);
	CHECK(qd_image_read(&q, len - 512, buf, 1024) == -EINVAL, "%s: read past the end refused",
	      label);
	qd_image_close(&q);

	rc = qd_image_open(&q, img, QD_FMT_QCOW2, false, err, sizeof(err));
	if (!CHECK(rc == 0, "%s: open read-write (%s)", label, rc ? err : "ok"))
		goto out_buf;
	/* Partial clusters, whole clusters, spans over L2 tables, into
	 * unallocated, allocated and zero clusters. */
	rc = 0;
	for (int i = 0; i < 200 && !rc; i++) {
		size_t n = 1 + rnd() % (size_t)(3 * cluster);
		uint64_t off = rnd() % len;
		uint8_t *src;

		if (i % 50 == 0)
			off = 1049000;	/* the zeroed range */
		if (off + n > len)
			n = len - off;
		src = model + off;
		for (size_t k = 0; k < n; k++)
			src[k] = (uint8_t)(rnd() | 1);
		rc = qd_image_write(&q, off, src, n);
	}
	CHECK(rc == 0, "%s: 200 writes (%d)", label, rc);
	CHECK(qd_image_write(&q, len - 256, model, 512) == -EINVAL,
	      "%s: write past the end refused", label);
	CHECK(qd_image_flush(&q) == 0, "%s: flush", label);
	CHECK(qd_image_read(&q, 0, buf, len) == 0 && !memcmp(buf, model, len),
	      "%s: our reads see our writes", label);
	qd_image_close(&q);
	CHECK(sh("qemu-img check -q -f qcow2 %s", img) == 0, "%s: qemu-img check finds no error",
	      label);
	view = qemu_view(img, &vlen);
	CHECK(view && vlen == len && !memcmp(view, model, len),
	      "%s: qemu-img convert shows exactly our writes", label);
	free(view);
out_buf:
	free(buf);
out_model:
	free(model);
}

/* opts make an image we must refuse with a message containing want. */
static void refused(const char *label, const char *make, bool readonly, const char *want)
{
	char img[128], err[512] = "";
	struct qd_image q;
	int rc;

	snprintf(img, sizeof(img), "%s/%s.qcow2", dir, label);
	if (!CHECK(sh("I=%s; %s", img, make) == 0, "%s: made by qemu-img", label))
		return;
	rc = qd_image_open(&q, img, QD_FMT_QCOW2, readonly, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, want) && strstr(err, img), "%s: refused naming the file and "
	      "\"%s\": %s", label, want, err);
	if (rc == 0)
		qd_image_close(&q);
}

/* Images xen-qdisk create makes: qemu-img must accept them as they are
 * and after our writes, and show what we wrote. */
static void ours_created(const char *label, unsigned int cluster_bits, uint64_t size)
{
	char img[128], err[512];
	struct qd_image q;
	uint8_t *model = calloc(1, (size_t)size), *view = NULL;
	size_t vlen = 0;
	int fd, rc;

	snprintf(img, sizeof(img), "%s/%s.qcow2", dir, label);
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0644);
	rc = qd_qcow2_create(fd, img, size, cluster_bits, err, sizeof(err));
	close(fd);
	if (!CHECK(model && rc == 0, "%s: qd_qcow2_create (%s)", label, rc ? err : "ok"))
		goto out;
	CHECK(sh("qemu-img check -q -f qcow2 %s", img) == 0, "%s: qemu-img check accepts the new "
	      "image", label);
	CHECK(sh("qemu-img info -f qcow2 %s | grep -q 'virtual size: .*(%llu bytes)'", img,
		 (unsigned long long)size) == 0, "%s: qemu-img sees %llu bytes", label,
	      (unsigned long long)size);
	rc = qd_image_open(&q, img, QD_FMT_QCOW2, false, err, sizeof(err));
	if (!CHECK(rc == 0, "%s: open our image (%s)", label, rc ? err : "ok"))
		goto out;
	for (int i = 0; i < 100 && !rc; i++) {
		size_t n = 1 + rnd() % 20000;
		uint64_t off = rnd() % size;

		if (off + n > size)
			n = (size_t)(size - off);
		for (size_t k = 0; k < n; k++)
			model[off + k] = (uint8_t)(rnd() | 1);
		rc = qd_image_write(&q, off, model + off, n);
	}
	qd_image_close(&q);
	CHECK(rc == 0, "%s: 100 writes", label);
	CHECK(sh("qemu-img check -q -f qcow2 %s", img) == 0, "%s: qemu-img check after our writes",
	      label);
	view = qemu_view(img, &vlen);
	CHECK(view && vlen == size && !memcmp(view, model, (size_t)size),
	      "%s: qemu-img convert shows our writes", label);
out:
	free(view);
	free(model);
}

static void raw_image(void)
{
	char img[128], err[512];
	struct qd_image q;
	uint8_t a[4096], b[4096];

	snprintf(img, sizeof(img), "%s/disk.raw", dir);
	sh("truncate -s 1M %s", img);
	memset(a, 0x5a, sizeof(a));
	CHECK(qd_image_open(&q, img, QD_FMT_RAW, false, err, sizeof(err)) == 0 &&
	      q.size == 1 << 20, "raw: open, size 1 MiB");
	CHECK(qd_image_write(&q, 8192, a, sizeof(a)) == 0 && qd_image_read(&q, 8192, b, sizeof(b)) == 0
	      && !memcmp(a, b, sizeof(a)), "raw: write then read");
	CHECK(qd_image_discard(&q, 8192, 4096) == 0 && qd_image_read(&q, 8192, b, 4096) == 0 &&
	      b[0] == 0 && b[4095] == 0, "raw: discard punches a hole");
	qd_image_close(&q);
	CHECK(qd_image_open(&q, "/nonexistent/x.img", QD_FMT_RAW, true, err, sizeof(err)) < 0 &&
	      strstr(err, "/nonexistent/x.img"), "missing file refused: %s", err);
	CHECK(qd_image_open(&q, img, QD_FMT_QCOW2, true, err, sizeof(err)) < 0 &&
	      strstr(err, "not a qcow2 image"), "raw file as qcow2 refused: %s", err);
	{
		enum qd_format f;

		CHECK(qd_format_parse("aio", &f, err, sizeof(err)) == 0 && f == QD_FMT_RAW,
		      "params format aio is raw");
		CHECK(qd_format_parse("vhd", &f, err, sizeof(err)) < 0 && strstr(err, "vhd"),
		      "format vhd refused: %s", err);
	}
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test-qcow2-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (sh("qemu-img --version >/dev/null 2>&1 && qemu-io --version >/dev/null 2>&1")) {
		/* The comparison needs QEMU's tools: a missing tool fails. */
		CHECK(0, "qemu-img and qemu-io are installed (apt: qemu-utils)");
		return check_done();
	}
	raw_image();
	ours_created("ours-64k", 16, 3u << 20);
	ours_created("ours-512", 9, (1u << 20) + 512);
	round_trip("v3-64k", "-o compat=1.1", "3M", 65536);
	round_trip("v2-512", "-o compat=0.10,cluster_size=512", "3M", 512);
	round_trip("v3-4k-rc8", "-o cluster_size=4096,refcount_bits=8", "3M", 4096);
	round_trip("v3-2m-rc64", "-o cluster_size=2M,refcount_bits=64", "5M", 2u << 20);
	refused("compressed", "qemu-img create -q -f qcow2 $I.src 1M && qemu-io -f qcow2 -c "
		"'write -P 1 0 64k' $I.src >/dev/null && qemu-img convert -c -O qcow2 $I.src $I",
		true, "compressed");
	refused("backing", "qemu-img create -q -f qcow2 $I.base 1M && qemu-img create -q -f qcow2 "
		"-b $I.base -F qcow2 $I", true, "backing file");
	/* the header's crypt_method (offset 32) set to 2, LUKS: qemu-img's own
	 * LUKS create times its key derivation and fails on a busy host
	 * ("Unable to get accurate CPU usage") */
	refused("luks", "qemu-img create -q -f qcow2 $I 1M && printf '\\000\\000\\000\\002' | "
		"dd of=$I bs=1 seek=32 conv=notrunc 2>/dev/null", true, "encrypted");
	refused("extl2", "qemu-img create -q -f qcow2 -o extended_l2=on $I 1M", true,
		"extended L2");
	refused("rc1", "qemu-img create -q -f qcow2 -o refcount_bits=1 $I 1M", false,
		"refcount_order");
	refused("snap", "qemu-img create -q -f qcow2 $I 1M && qemu-img snapshot -c s1 $I", false,
		"snapshots");
	refused("dirty", "qemu-img create -q -f qcow2 $I 1M && printf '\\001' | dd of=$I bs=1 "
		"seek=79 conv=notrunc 2>/dev/null", false, "dirty");
	sh("rm -rf %s", dir);
	return check_done();
}
