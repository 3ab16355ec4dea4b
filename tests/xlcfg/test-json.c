/* The config model: init defaults, JSON in libxl's shape (defaults
 * omitted, aggregates always present, keyed unions as "type.pv"), and
 * JSON read back to the same config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libxl.h"

static int has(const char *json, const char *s)
{
	return json && strstr(json, s) != NULL;
}

int main(void)
{
	libxl_domain_config dc, back;
	libxl_device_disk disk;
	libxl_device_nic nic;
	char *j1, *j2;

	libxl_device_disk_init(&disk);
	disk.pdev_path = strdup("/dev/vg/guest-volume");
	disk.vdev = strdup("hda");
	disk.format = LIBXL_DISK_FORMAT_RAW;
	disk.readwrite = 1;
	j1 = libxl_device_disk_to_json(NULL, &disk);
	CHECK(j1 && !strcmp(j1, "{\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n"
			    "    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n"),
	      "disk JSON is byte-identical to Xen 4.17's");
	free(j1);
	libxl_device_disk_dispose(&disk);

	libxl_device_nic_init(&nic);
	CHECK(nic.devid == -1, "devid defaults to -1");
	j1 = libxl_device_nic_to_json(NULL, &nic);
	CHECK(j1 && !strcmp(j1, "{\n\n}\n"), "default nic has no fields (got %s)", j1 ? j1 : "");
	free(j1);
	libxl_defbool_set(&nic.trusted, true);
	nic.mac[0] = 0x00; nic.mac[1] = 0x16; nic.mac[2] = 0x3e; nic.mac[5] = 0x0a;
	j1 = libxl_device_nic_to_json(NULL, &nic);
	CHECK(has(j1, "\"trusted\": \"True\"") && has(j1, "\"mac\": \"00:16:3e:00:00:0a\""),
	      "defbool and mac rendering");
	free(j1);
	libxl_device_nic_dispose(&nic);

	libxl_domain_config_init(&dc);
	CHECK(dc.c_info.type == LIBXL_DOMAIN_TYPE_INVALID && dc.b_info.max_memkb == LIBXL_MEMKB_DEFAULT &&
	      dc.b_info.sched_params.weight == -1 && dc.on_poweroff == LIBXL_ACTION_ON_SHUTDOWN_DESTROY &&
	      dc.b_info.max_grant_frames == LIBXL_MAX_GRANT_DEFAULT, "init applies IDL defaults");
	dc.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
	dc.c_info.name = strdup("vm \"q\"");
	libxl_uuid_from_string(&dc.c_info.uuid, "c7a5fdb2-cdaf-9455-926a-d65c16db1809");
	libxl_domain_build_info_init_type(&dc.b_info, LIBXL_DOMAIN_TYPE_HVM);
	CHECK(dc.b_info.u.hvm.hdtype == LIBXL_HDTYPE_IDE && dc.b_info.u.hvm.timer_mode == -1 &&
	      dc.b_info.u.hvm.mmio_hole_memkb == LIBXL_MEMKB_DEFAULT, "init_type applies hvm defaults");
	dc.b_info.max_memkb = dc.b_info.target_memkb = 1ULL << 40;
	libxl_bitmap_alloc(NULL, &dc.b_info.avail_vcpus, 3);
	libxl_bitmap_set(&dc.b_info.avail_vcpus, 0);
	libxl_bitmap_set(&dc.b_info.avail_vcpus, 2);
	dc.b_info.u.hvm.boot = strdup("dc");
	libxl_defbool_set(&dc.b_info.u.hvm.vnc.enable, false);
	dc.b_info.u.hvm.serial_list = calloc(3, sizeof(char *));
	dc.b_info.u.hvm.serial_list[0] = strdup("pty");
	dc.b_info.u.hvm.serial_list[1] = strdup("file:/tmp/x");
	dc.on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
	dc.num_disks = 1;
	dc.disks = calloc(1, sizeof(*dc.disks));
	libxl_device_disk_init(&dc.disks[0]);
	dc.disks[0].vdev = strdup("hdc");
	dc.disks[0].pdev_path = strdup("");
	dc.disks[0].is_cdrom = 1;
	dc.num_channels = 1;
	dc.channels = calloc(1, sizeof(*dc.channels));
	libxl_device_channel_init(&dc.channels[0]);
	libxl_device_channel_init_type(&dc.channels[0], LIBXL_CHANNEL_CONNECTION_SOCKET);
	dc.channels[0].u.socket.path = strdup("/run/s");
	dc.channels[0].devid = 0;
	j1 = libxl_domain_config_to_json(NULL, &dc);
	CHECK(has(j1, "\"type.hvm\": {") && has(j1, "\"boot\": \"dc\"") && has(j1, "\"type\": \"hvm\""),
	      "keyed union named type.hvm");
	CHECK(has(j1, "\"max_memkb\": 1099511627776"), "64-bit memory sizes");
	CHECK(has(j1, "\"avail_vcpus\": [\n            0,\n            2\n        ]"), "bitmap as bit numbers");
	CHECK(has(j1, "\"sched_params\": {") && has(j1, "\"arch_x86\": {"), "aggregates always present");
	CHECK(!has(j1, "on_poweroff") && has(j1, "\"on_reboot\": \"restart\""), "defaults omitted, enums lower case");
	CHECK(!has(j1, "hdtype") && !has(j1, "timer_mode"), "fields at their init value omitted");
	CHECK(has(j1, "\"connection.socket\": {") && has(j1, "\"path\": \"/run/s\""), "channel union");
	CHECK(has(j1, "\"name\": \"vm \\\"q\\\"\""), "strings escaped");
	CHECK(has(j1, "\"pdev_path\": \"\""), "empty string is not a default");

	libxl_domain_config_init(&back);
	CHECK(libxl_domain_config_from_json(NULL, &back, j1) == 0, "JSON parses back (%s)",
	      libxl_json_last_error());
	j2 = libxl_domain_config_to_json(NULL, &back);
	CHECK(j1 && j2 && !strcmp(j1, j2), "round trip is exact");
	CHECK(back.b_info.type == LIBXL_DOMAIN_TYPE_HVM && back.b_info.u.hvm.hdtype == LIBXL_HDTYPE_IDE &&
	      libxl_bitmap_test(&back.b_info.avail_vcpus, 2), "parsed values and union defaults");
	free(j2);
	libxl_domain_config_dispose(&back);

	libxl_domain_config_init(&back);
	CHECK(libxl_domain_config_from_json(NULL, &back, "{\"b_info\": {\"max_vcpus\": \"x\"}}") != 0 &&
	      strstr(libxl_json_last_error(), "b_info.max_vcpus"), "type error names the key path (%s)",
	      libxl_json_last_error());
	libxl_domain_config_dispose(&back);
	libxl_domain_config_init(&back);
	CHECK(libxl_domain_config_from_json(NULL, &back, "{\"c_info\": {\"colour\": 1}}") != 0 &&
	      strstr(libxl_json_last_error(), "c_info.colour: unknown key"), "unknown key named");
	libxl_domain_config_dispose(&back);
	libxl_domain_config_init(&back);
	CHECK(libxl_domain_config_from_json(NULL, &back, "{\"disks\": [{\"vdev\": \"a\"}, {\"format\": \"zip\"}]}") != 0 &&
	      strstr(libxl_json_last_error(), "disks.format"), "bad enum in array element rejected, no leak");
	libxl_domain_config_dispose(&back);
	libxl_domain_config_init(&back);
	CHECK(libxl_domain_config_from_json(NULL, &back, "{\"c_info\": ") != 0 &&
	      strstr(libxl_json_last_error(), "invalid JSON"), "truncated JSON rejected");
	libxl_domain_config_dispose(&back);

	free(j1);
	libxl_domain_config_dispose(&dc);

	{
		libxl_uuid u[2];

		libxl_uuid_generate(&u[0]);
		libxl_uuid_generate(&u[1]);
		CHECK((u[0].uuid[6] >> 4) == 4 && (u[0].uuid[8] >> 6) == 2,
		      "a generated UUID is random (version 4, RFC 4122 variant)");
		CHECK(!libxl_uuid_is_nil(&u[0]) && memcmp(u[0].uuid, u[1].uuid, 16),
		      "two generated UUIDs differ");
	}
	return check_done();
}
