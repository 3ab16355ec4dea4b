/* block-attach / network-attach.  With -N they print the device as
 * JSON (as Xen's xl does) and need no hypervisor; attaching for real
 * is for the lifecycle code to add. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_parse.h"

int main_blockattach(struct xl_globals *g, int argc, char **argv)
{
	libxl_device_disk disk;
	XLU_Config *cfg;
	uint32_t domid;
	char *json;
	int e, rc = 1;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		xl_usage(xl_cmd_find("block-attach"));
		return 0;
	}
	if (argc < 3) {
		xl_usage(xl_cmd_find("block-attach"));
		return 2;
	}
	if (xl_domid_parse(argv[1], &domid))
		return 1;
	cfg = xlu_cfg_init(stderr, "command line");
	if (!cfg)
		return 1;
	libxl_device_disk_init(&disk);
	e = xlu_disk_parse(cfg, argc - 2, (const char *const *)argv + 2, &disk);
	if (e) {
		if (e != EINVAL)
			fprintf(stderr, "xlu_disk_parse failed: %s\n", strerror(e));
		goto out;
	}
	if (!g->dryrun) {
		fprintf(stderr, "block-attach: attaching to domain %u needs the lifecycle toolstack, "
			"which is not available here (use xl -N to check the spec)\n", domid);
		goto out;
	}
	json = libxl_device_disk_to_json(NULL, &disk);
	if (!json)
		goto out;
	printf("disk: %s\n", json);
	free(json);
	rc = 0;
out:
	libxl_device_disk_dispose(&disk);
	xlu_cfg_destroy(cfg);
	return rc;
}

int main_networkattach(struct xl_globals *g, int argc, char **argv)
{
	libxl_device_nic nic;
	XLU_Config *cfg;
	uint32_t domid;
	char *json;
	int rc = 1;

	if (argc < 2) {
		xl_usage(xl_cmd_find("network-attach"));
		return 2;
	}
	if (xl_domid_parse(argv[1], &domid))
		return 1;
	cfg = xlu_cfg_init(stderr, "command line");
	if (!cfg)
		return 1;
	libxl_device_nic_init(&nic);
	xl_set_default_nic_values(g, &nic);
	for (int i = 2; i < argc; i++)
		if (xl_parse_nic_item(cfg, &nic, argv[i]))
			goto out;
	if (!g->dryrun) {
		fprintf(stderr, "network-attach: attaching to domain %u needs the lifecycle toolstack, "
			"which is not available here (use xl -N to check the spec)\n", domid);
		goto out;
	}
	json = libxl_device_nic_to_json(NULL, &nic);
	if (!json)
		goto out;
	printf("vif: %s\n", json);
	free(json);
	rc = 0;
out:
	libxl_device_nic_dispose(&nic);
	xlu_cfg_destroy(cfg);
	return rc;
}
