/* Device spec parsers: disk specs (xl-disk-configuration(5)), vif
 * rates, vdev numbers, PCI BDFs, sizes and CPU lists. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libxlutil.h"

static char *msgs;
static size_t msglen;

static XLU_Config *cfg_new(FILE **rep)
{
	free(msgs);
	msgs = NULL;
	*rep = open_memstream(&msgs, &msglen);
	return xlu_cfg_init(*rep, "command line");
}

/* Parse specs (separated by '|') into disk; returns errno. */
static int disk(const char *specs, libxl_device_disk *d)
{
	char *copy = strdup(specs), *save = NULL, *tok;
	const char *v[8];
	int n = 0, e;
	FILE *rep;
	XLU_Config *c = cfg_new(&rep);

	for (tok = strtok_r(copy, "|", &save); tok && n < 8; tok = strtok_r(NULL, "|", &save))
		v[n++] = tok;
	libxl_device_disk_init(d);
	e = xlu_disk_parse(c, n, v, d);
	xlu_cfg_destroy(c);
	fclose(rep);
	free(copy);
	return e;
}

static int seq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void disk_ok(const char *spec, const char *target, const char *vdev,
		    libxl_disk_format fmt, int rw, int cdrom)
{
	libxl_device_disk d;
	int e = disk(spec, &d);

	CHECK(e == 0 && seq(d.pdev_path, target) && seq(d.vdev, vdev) && d.format == fmt &&
	      d.readwrite == rw && d.is_cdrom == cdrom,
	      "disk `%s' -> target=%s vdev=%s format=%d rw=%d cdrom=%d (got e=%d %s %s %d %d %d)",
	      spec, target ? target : "(none)", vdev, fmt, rw, cdrom, e,
	      d.pdev_path ? d.pdev_path : "(none)", d.vdev ? d.vdev : "(none)", d.format,
	      d.readwrite, d.is_cdrom);
	libxl_device_disk_dispose(&d);
}

static void disk_bad(const char *spec, const char *want)
{
	libxl_device_disk d;
	int e = disk(spec, &d);

	CHECK(e == EINVAL && msgs && strstr(msgs, want), "disk `%s' rejected with `%s' (got: %s)",
	      spec, want, msgs ? msgs : "");
	libxl_device_disk_dispose(&d);
}

static int rate(const char *r, libxl_device_nic *n)
{
	FILE *rep;
	XLU_Config *c = cfg_new(&rep);
	int e;

	libxl_device_nic_init(n);
	e = xlu_vif_parse_rate(c, r, n);
	xlu_cfg_destroy(c);
	fclose(rep);
	return e;
}

static void rate_ok(const char *r, uint64_t bytes, uint32_t usecs)
{
	libxl_device_nic n;
	int e = rate(r, &n);

	CHECK(!e && n.rate_bytes_per_interval == bytes && n.rate_interval_usecs == usecs,
	      "rate %s = %llu bytes per %u us", r, (unsigned long long)bytes, usecs);
	libxl_device_nic_dispose(&n);
}

static void rate_bad(const char *r, int err, const char *want)
{
	libxl_device_nic n;
	int e = rate(r, &n);

	CHECK(e == err && msgs && strstr(msgs, want), "rate %s rejected: %s (got %d: %s)", r, want,
	      e, msgs ? msgs : "");
	libxl_device_nic_dispose(&n);
}

static void vdev(const char *name, int want)
{
	int got = libxl_devid_from_vdev(name, NULL, NULL);
	CHECK(got == want, "vdev %s = %d (got %d)", name, want, got);
}

int main(void)
{
	libxl_device_disk d;

	/* positional forms */
	disk_ok("/dev/vg/guest-volume,raw,xvda,rw", "/dev/vg/guest-volume", "xvda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("/dev/vg/guest-volume,,hda", "/dev/vg/guest-volume", "hda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("/root/image.iso,,hdc,cdrom", "/root/image.iso", "hdc", LIBXL_DISK_FORMAT_RAW, 0, 1);
	disk_ok(",,hdc:cdrom,r", "", "hdc", LIBXL_DISK_FORMAT_EMPTY, 0, 1);
	disk_ok("/img.qcow2,qcow2,xvdb,ro", "/img.qcow2", "xvdb", LIBXL_DISK_FORMAT_QCOW2, 0, 0);
	/* key=value forms, split over several arguments */
	disk_ok("format=raw|vdev=hda|access=rw|target=/dev/vg/guest-volume", "/dev/vg/guest-volume", "hda",
		LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso", "/root/image.iso",
		"hdc", LIBXL_DISK_FORMAT_RAW, 0, 1);
	disk_ok("vdev=xvda,target=/a,b,c", "/a,b,c", "xvda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("vdev=hdc,access=r,devtype=cdrom,format=empty", NULL, "hdc", LIBXL_DISK_FORMAT_EMPTY, 0, 1);
	/* deprecated prefixes */
	disk_ok("phy:/dev/sdb1,xvdb,w", "/dev/sdb1", "xvdb", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("file:/var/img,hda,w", "/var/img", "hda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("tap:aio:/var/img,xvda,w", "/var/img", "xvda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("tap:qcow2:/var/img.q,xvda,r", "/var/img.q", "xvda", LIBXL_DISK_FORMAT_QCOW2, 0, 0);
	disk_ok("raw:/dev/vg/guest-volume,hda,w", "/dev/vg/guest-volume", "hda", LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("file:/root/boot.iso,hdc:cdrom,r", "/root/boot.iso", "hdc", LIBXL_DISK_FORMAT_RAW, 0, 1);
	disk_ok("phy:/dev/zvol/dsk/guests/escalus,0,w", "/dev/zvol/dsk/guests/escalus", "0",
		LIBXL_DISK_FORMAT_RAW, 1, 0);
	disk_ok("file:/home/x/root.fs,0xCA00,w", "/home/x/root.fs", "0xCA00", LIBXL_DISK_FORMAT_RAW, 1, 0);
	if (!disk("iscsi:iqn.2001-05.com.example:x,xvda,w", &d))
		CHECK(seq(d.script, "block-iscsi") && seq(d.pdev_path, "iqn.2001-05.com.example:x"),
		      "iscsi: prefix sets script=block-iscsi");
	else
		CHECK(0, "iscsi: prefix parses");
	libxl_device_disk_dispose(&d);
	if (!disk("drbd:app01,hda,w", &d))
		CHECK(seq(d.script, "block-drbd"), "drbd: prefix sets script");
	else
		CHECK(0, "drbd: prefix parses");
	libxl_device_disk_dispose(&d);
	if (!disk("discard|vdev=hda|target=/x", &d))
		CHECK(libxl_defbool_val(d.discard_enable), "discard flag");
	else
		CHECK(0, "discard parses");
	libxl_device_disk_dispose(&d);
	if (!disk("backendtype=qdisk,vdev=xvdb,script=block-x,backend=dd,direct-io-safe,target=/x", &d))
		CHECK(d.backend == LIBXL_DISK_BACKEND_QDISK && seq(d.script, "block-x") &&
		      seq(d.backend_domname, "dd") && d.direct_io_safe, "backendtype, script, backend, direct-io-safe");
	else
		CHECK(0, "backendtype spec parses");
	libxl_device_disk_dispose(&d);

	/* errors, with Xen's wording */
	disk_bad("foo", "no vdev specified in `foo'");
	disk_bad("trusted|vdev=hda|target=/x", "target respecified: near `/x'");
	disk_bad("/a,raw,hda,rw,extra", "too many positional parameters: near `extra'");
	disk_bad("/a,raw,hda,rwx", "unknown value for access: near `rwx'");
	disk_bad("/a,zip,hda", "unknown value for format: near `zip'");
	disk_bad("foo:/a,hda", "unknown deprecated disk prefix: near `foo:'");
	disk_bad("format=raw,format=qcow2,vdev=x,target=/a", "format respecified");
	disk_bad("vdev=x,colour=blue,target=/a", "unknown parameter");
	disk_bad("devtype=floppy,vdev=x,target=/a", "unknown value for type");
	disk_bad("backendtype=nbd,vdev=x,target=/a", "unknown value for backendtype");
	disk_bad("=x", "bad disk syntax");
	disk_bad("/a,raw,hda:floppy", "unknown deprecated type");

	/* vif rate, xl-network-configuration(5) */
	rate_ok("10Mb/s", 62500, 50000);
	rate_ok("16000000b/s", 100000, 50000);
	rate_ok("2KB/s", 100, 50000);
	rate_ok("1GB/s", 50000000, 50000);
	rate_ok("10MB/s@1s", 10000000, 1000000);
	rate_ok("10MB/s@20ms", 200000, 20000);
	rate_ok("1000B/s@500us", 0, 500);
	rate_bad("foo", EINVAL, "invalid rate in `foo'");
	rate_bad("10MB/m", EINVAL, "invalid rate");
	rate_bad("0B/s", EOVERFLOW, "rate overflow in `0B/s'");
	rate_bad("4294967296b/s", EOVERFLOW, "rate overflow");
	rate_bad("10Mb/s@10h", EINVAL, "invalid replenishment interval in `10h'");
	rate_bad("1B/s@0us", EOVERFLOW, "replenishment interval overflow");
	rate_bad("1B/s@4294968ms", EOVERFLOW, "replenishment interval overflow");
	rate_bad("4296MB/s@4294s", EOVERFLOW, "rate overflow in `4296MB/s@4294s'");
	rate_bad("@", EINVAL, "no rate specified");

	/* vdev names, xen-abi-facts 7.3 */
	vdev("xvda", 51712);
	vdev("xvdb", 51728);
	vdev("xvda1", 51713);
	vdev("xvdp15", (202 << 8) | (15 << 4) | 15);
	vdev("xvdq", (1 << 28) | (16 << 8));
	vdev("xvda16", (1 << 28) | 16);
	vdev("xvdaa", (1 << 28) | (26 << 8));
	vdev("xvda255", (1 << 28) | 255);
	vdev("xvda256", -1);
	vdev("d0p1", 51713);
	vdev("d16", (1 << 28) | (16 << 8));
	vdev("d0p256", -1);
	vdev("hda", 3 << 8);
	vdev("hdb1", (3 << 8) | 64 | 1);
	vdev("hdc", 22 << 8);
	vdev("hdd63", (22 << 8) | 64 | 63);
	vdev("hde", -1);
	vdev("hda64", -1);
	vdev("sda", 8 << 8);
	vdev("sda1", (8 << 8) | 1);
	vdev("sdp15", (8 << 8) | (15 << 4) | 15);
	vdev("sdq", -1);
	vdev("sda16", -1);
	vdev("51712", 51712);
	vdev("0xCA00", 51712);
	vdev("0xca10", 51728);
	vdev("xvda01", -1);
	vdev("xvd", -1);
	vdev("vda", -1);
	vdev("", -1);

	/* pci */
	{
		libxl_device_pci p;
		FILE *rep;
		XLU_Config *c = cfg_new(&rep);

		libxl_device_pci_init(&p);
		CHECK(!xlu_pci_parse_spec_string(c, &p, "0000:03:00.1@5,permissive=1,rdm_policy=relaxed") &&
		      p.bus == 3 && p.dev == 0 && p.func == 1 && p.vdevfn == (5 << 3) && p.permissive &&
		      p.rdm_policy == LIBXL_RDM_RESERVE_POLICY_RELAXED && p.vfunc_mask == 1,
		      "pci BDF with vslot and options");
		libxl_device_pci_dispose(&p);
		libxl_device_pci_init(&p);
		CHECK(!xlu_pci_parse_spec_string(c, &p, "01:1f.*") && p.bus == 1 && p.dev == 0x1f &&
		      p.vfunc_mask == ~0U, "pci short BDF, all functions");
		libxl_device_pci_dispose(&p);
		libxl_device_pci_init(&p);
		CHECK(xlu_pci_parse_spec_string(c, &p, "01:20.0") != 0, "pci device > 1f rejected");
		CHECK(xlu_pci_parse_spec_string(c, &p, "01:00.8") != 0, "pci function > 7 rejected");
		CHECK(xlu_pci_parse_spec_string(c, &p, "01:00.0,colour=1") != 0, "unknown pci option rejected");
		libxl_device_pci_dispose(&p);
		xlu_cfg_destroy(c);
		fclose(rep);
	}

	/* sizes and cpu lists */
	CHECK(xlu_parse_size_kb("512", 'm') == 512 * 1024, "size default unit MiB");
	CHECK(xlu_parse_size_kb("2G", 'm') == 2 * 1024 * 1024, "size G");
	CHECK(xlu_parse_size_kb("1t", 'm') == 1LL << 30, "size T");
	CHECK(xlu_parse_size_kb("64k", 'm') == 64, "size k");
	CHECK(xlu_parse_size_kb("12MB", 'm') == -1, "size with two-letter unit rejected");
	CHECK(xlu_parse_size_kb("-1", 'm') == -1, "negative size rejected");
	{
		libxl_bitmap m;
		libxl_bitmap_init(&m);
		CHECK(!xlu_cpu_range_parse(NULL, "0-3,^2,6", &m) && libxl_bitmap_test(&m, 0) &&
		      !libxl_bitmap_test(&m, 2) && libxl_bitmap_test(&m, 3) && libxl_bitmap_test(&m, 6) &&
		      libxl_bitmap_count_set(&m) == 4, "cpus 0-3,^2,6");
		CHECK(xlu_cpu_range_parse(NULL, "3-1", &m) == EINVAL, "reversed range rejected");
		CHECK(xlu_cpu_range_parse(NULL, "a", &m) == EINVAL, "junk rejected");
		libxl_bitmap_dispose(&m);
	}
	free(msgs);
	return check_done();
}
