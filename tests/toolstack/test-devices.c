/* The pure parts of the device layer (libxl/core/lx_device.h): the
 * xenstore node sets written for the disk and vif specs of the seeds,
 * virtual-device numbers of their vdevs (Linux names, the raw 0xCA00
 * that FreeBSD calls xbd0, Solaris' plain 0), the hotplug scripts'
 * environment, and MAC parsing. */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "libxl.h"
#include "lx_device.h"

static int node_is(const struct lx_nodes *n, const char *key, const char *val)
{
	const char *v = lx_nodes_get(n, key);

	return v && !strcmp(v, val);
}

static void test_vdev_numbers(void)
{
	static const struct {
		const char *vdev;
		int devid;
	} cases[] = {
		{ "xvda", 51712 }, { "xvdb", 51728 }, { "xvda1", 51713 },
		/* FreeBSD guide (seed 004): 0xCA00 is xvda, FreeBSD's xbd0:
		 * major 202, unit = minor >> 4. */
		{ "0xCA00", 0xCA00 }, { "51712", 51712 },
		/* Solaris guide (seed 001): a plain disk number. */
		{ "0", 0 },
		/* hd*: major 3 for hda/hdb, 22 for hdc/hdd (FreeBSD seed 002's
		 * hda and hdc:cdrom), 64 minors per disk. */
		{ "hda", 768 }, { "hdc", 5632 }, { "hdb", 832 },
		/* sd*: major 8, 16 minors per disk (seed 003's sda1, sdb). */
		{ "sda1", 2049 }, { "sdb", 2064 },
		/* beyond xvdp: the extended form 1<<28 | disk<<8 | part */
		{ "xvdq", (1 << 28) | (16 << 8) }, { "d0p1", 51713 },
	};
	static const char *const bad[] = { "xvda01", "sdq", "hde", "", "xyz", "0x" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = libxl_devid_from_vdev(cases[i].vdev, NULL, NULL);

		CHECK(got == cases[i].devid, "vdev %s is device %d (got %d)", cases[i].vdev,
		      cases[i].devid, got);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(libxl_devid_from_vdev(bad[i], NULL, NULL) < 0, "vdev '%s' is refused", bad[i]);
}

static void test_disk_nodes(void)
{
	struct lx_disk_spec s = {
		.target = "/var/lib/xen/images/a.img", .vdev = "xvda", .devid = 51712,
		.readwrite = true,
	};
	struct lx_nodes back, front;
	char err[256] = "";

	CHECK(lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err)) == 0,
	      "file:IMG,xvda,w gives nodes (%s)", err);
	CHECK(node_is(&back, "params", s.target), "backend params is the file");
	CHECK(node_is(&back, "mode", "w"), "w access: mode w");
	CHECK(node_is(&back, "type", "phy"), "served by blkback: type phy");
	CHECK(node_is(&back, "dev", "xvda"), "backend dev is the vdev");
	CHECK(node_is(&back, "device-type", "disk"), "backend device-type disk");
	CHECK(node_is(&back, "script", LX_SCRIPT_DIR "/block"), "default script block");
	CHECK(node_is(&back, "frontend-id", "7"), "backend frontend-id");
	CHECK(node_is(&back, "online", "1") && node_is(&back, "state", "1"),
	      "backend online, Initialising");
	CHECK(node_is(&back, "removable", "0") && node_is(&back, "bootable", "1"),
	      "removable 0, bootable 1");
	CHECK(node_is(&back, "discard-enable", "0"), "discard off unless asked");
	CHECK(node_is(&front, "virtual-device", "51712"), "frontend virtual-device 51712");
	CHECK(node_is(&front, "backend-id", "0") && node_is(&front, "state", "1"),
	      "frontend backend-id 0, Initialising");
	CHECK(node_is(&front, "device-type", "disk"), "frontend device-type disk");
	CHECK(!lx_nodes_get(&back, "frontend") && !lx_nodes_get(&front, "backend"),
	      "the cross links are lx_dev_write's (paths known only there)");

	s.readwrite = false;
	s.vdev = "xvdb";
	s.devid = 51728;
	lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err));
	CHECK(node_is(&back, "mode", "r"), "r access: mode r");

	s.cdrom = true;
	s.readwrite = true;
	s.vdev = "hdc";
	s.devid = 5632;
	s.script = "/usr/local/bin/my-block";
	lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err));
	CHECK(node_is(&back, "mode", "r"), "a cdrom is read-only even with w");
	CHECK(node_is(&back, "device-type", "cdrom") && node_is(&front, "device-type", "cdrom"),
	      "cdrom: device-type cdrom on both sides");
	CHECK(node_is(&back, "script", "/usr/local/bin/my-block"), "absolute script kept");
	s.script = "block-iscsi";
	lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err));
	CHECK(node_is(&back, "script", LX_SCRIPT_DIR "/block-iscsi"),
	      "relative script in the scripts dir");

	s.target = "";
	err[0] = 0;
	CHECK(lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err)) < 0 &&
	      strstr(err, "hdc") && strstr(err, "no target"),
	      "no target: refused naming the vdev (%s)", err);
	s.target = "/dev/sdz";
	s.devid = -1;
	CHECK(lx_disk_nodes(7, 0, &s, &back, &front, err, sizeof(err)) < 0 &&
	      strstr(err, "hdc"), "bad vdev number: refused naming it (%s)", err);
}

static void test_nic_nodes(void)
{
	struct lx_nic_spec s = { .devid = 0, .bridge = "xenbr0" };
	struct lx_nodes back, front;
	char err[256] = "";

	CHECK(lx_mac_parse("00:16:3e:00:00:01", s.mac) == 0 && s.mac[2] == 0x3e && s.mac[5] == 1,
	      "mac 00:16:3e:00:00:01 parses");
	CHECK(lx_nic_nodes(3, 0, &s, 0, &back, &front, err, sizeof(err)) == 0,
	      "mac=...,bridge=xenbr0 gives nodes (%s)", err);
	CHECK(node_is(&back, "mac", "00:16:3e:00:00:01") && node_is(&front, "mac",
								       "00:16:3e:00:00:01"),
	      "mac on both sides");
	CHECK(node_is(&back, "bridge", "xenbr0"), "backend bridge");
	CHECK(node_is(&back, "script", LX_SCRIPT_DIR "/vif-bridge"), "default script vif-bridge");
	CHECK(node_is(&back, "handle", "0") && node_is(&front, "handle", "0"), "handle 0");
	CHECK(node_is(&back, "type", "vif"), "type vif");
	CHECK(node_is(&back, "frontend-id", "3") && node_is(&back, "online", "1") &&
	      node_is(&back, "state", "1"), "backend frontend-id, online, Initialising");
	CHECK(!lx_nodes_get(&back, "ip") && !lx_nodes_get(&back, "vifname") &&
	      !lx_nodes_get(&back, "rate"), "no ip, vifname or rate unless given");

	/* seed 001: vifname=rosaline,ip=,bridge=xenbr0,mac=00:16:3e:59:A7:88 */
	CHECK(lx_mac_parse("00:16:3e:59:A7:88", s.mac) == 0, "upper-case hex MAC parses");
	s.ifname = "rosaline";
	s.ip = "10.0.0.5";
	s.script = "vif-route";
	s.rate_bytes = 12500;
	s.rate_usecs = 50000;
	lx_nic_nodes(3, 0, &s, 2, &back, &front, err, sizeof(err));
	CHECK(node_is(&back, "mac", "00:16:3e:59:a7:88"), "MAC written in lower case");
	CHECK(node_is(&back, "vifname", "rosaline"), "vifname");
	CHECK(node_is(&back, "ip", "10.0.0.5"), "ip");
	CHECK(node_is(&back, "script", LX_SCRIPT_DIR "/vif-route"), "script vif-route");
	CHECK(node_is(&back, "rate", "12500,50000"), "rate bytes,usecs");
	CHECK(node_is(&back, "handle", "2"), "handle is the devid");
	CHECK(lx_nic_nodes(3, 0, &s, -1, &back, &front, err, sizeof(err)) < 0,
	      "an unresolved devid is refused");

	CHECK(lx_mac_parse("00:16:3e:00:00", s.mac) < 0, "short MAC refused");
	CHECK(lx_mac_parse("00:16:3e:00:00:01:02", s.mac) < 0, "long MAC refused");
	CHECK(lx_mac_parse("00-16-3e-00-00-01", s.mac) < 0, "wrong separator refused");
	CHECK(lx_mac_parse("00:16:3g:00:00:01", s.mac) < 0, "non-hex refused");
}

static int env_has(const struct lx_hotplug_env *e, const char *kv)
{
	for (int i = 0; e->env[i]; i++)
		if (!strcmp(e->env[i], kv))
			return 1;
	return 0;
}

static void test_hotplug_env(void)
{
	struct lx_hotplug_env e;
	struct lx_dev d;
	int n = 0;

	lx_dev_init(&d, "vbd", 5, 0, 51712, "xvda");
	CHECK(!strcmp(d.fe, "/local/domain/5/device/vbd/51712"), "frontend path %s", d.fe);
	CHECK(!strcmp(d.be, "/local/domain/0/backend/vbd/5/51712"), "backend path %s", d.be);
	CHECK(!strcmp(d.lx, "/libxl/5/device/vbd/51712"), "libxl path %s", d.lx);
	CHECK(lx_hotplug_env_build(&d, "/etc/xen/scripts/block", NULL, &e) == 0, "vbd env");
	CHECK(env_has(&e, "script=/etc/xen/scripts/block"), "script=");
	CHECK(env_has(&e, "XENBUS_TYPE=vbd"), "XENBUS_TYPE=vbd");
	CHECK(env_has(&e, "XENBUS_PATH=backend/vbd/5/51712"),
	      "XENBUS_PATH relative to dom0's home, as libxl");
	CHECK(env_has(&e, "XENBUS_BASE_PATH=backend"), "XENBUS_BASE_PATH=backend");
	for (n = 0; e.env[n]; n++)
		;
	CHECK(n == 4, "a vbd gets exactly 4 variables (%d)", n);

	lx_dev_init(&d, "vif", 12, 0, 1, "vif12.1");
	CHECK(lx_hotplug_env_build(&d, "/etc/xen/scripts/vif-bridge", "eth1", &e) == 0, "vif env");
	CHECK(env_has(&e, "vif=vif12.1"), "vif= is netback's interface name");
	CHECK(env_has(&e, "netdev=eth1"), "netdev= from gatewaydev");
	CHECK(env_has(&e, "XENBUS_PATH=backend/vif/12/1"), "vif XENBUS_PATH");
	CHECK(lx_hotplug_env_build(&d, "/etc/xen/scripts/vif-bridge", NULL, &e) == 0 &&
	      env_has(&e, "netdev="), "netdev= empty without gatewaydev");
}

static void test_nodes_limits(void)
{
	struct lx_nodes n = { 0 };
	char big[LX_NODE_VAL + 8];
	int fails = 0;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK(lx_nodes_add(&n, "params", "%s", big) < 0 && n.n == 0,
	      "an over-long value is refused, not cut");
	for (int i = 0; i < LX_MAX_NODES + 2; i++)
		fails += lx_nodes_add(&n, "k", "%d", i) < 0;
	CHECK(n.n == LX_MAX_NODES && fails == 2, "the set stops at %d nodes", LX_MAX_NODES);
}

int main(void)
{
	test_vdev_numbers();
	test_disk_nodes();
	test_nic_nodes();
	test_hotplug_env();
	test_nodes_limits();
	return check_done();
}
