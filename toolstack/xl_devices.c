/* Device commands: block-attach/-detach/-list, network-attach/-detach/
 * -list on running domains through the device layer (libxl/core
 * lx_device.h), with Xen 4.17's columns and messages. With -N the
 * attach commands print the device as JSON and need no hypervisor.
 * Also the mapping of parsed disk=/vif= entries onto the device layer,
 * used by `xl create`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lx.h"
#include "lx_device.h"
#include "xl.h"
#include "xl_parse.h"

int xl_disk_to_lx(const libxl_device_disk *d, struct lx_disk_spec *s, char *err, size_t errlen)
{
	static const char *const formats[] = { "unknown", "qcow", "qcow2", "vhd", "raw", "empty",
					       "qed" };
	static const char *const backends[] = { "unknown", "phy", "tap", "qdisk", "standalone" };
	const char *vdev = d->vdev ? d->vdev : "";

	memset(s, 0, sizeof(*s));
	if (d->backend_domid != 0 || d->backend_domname) {
		snprintf(err, errlen, "disk %s: backends in driver domains are not supported yet",
			 vdev);
		return -1;
	}
	if (d->backend == LIBXL_DISK_BACKEND_TAP ||
	    (d->format != LIBXL_DISK_FORMAT_RAW && d->format != LIBXL_DISK_FORMAT_UNKNOWN &&
	     d->format != LIBXL_DISK_FORMAT_EMPTY && d->format != LIBXL_DISK_FORMAT_QCOW2)) {
		snprintf(err, errlen, "disk %s: format %s with backend %s is not supported (raw "
			 "through blkback or qdisk, qcow2 through qdisk)", vdev,
			 (unsigned int)d->format < 7 ? formats[d->format] : "?",
			 (unsigned int)d->backend < 5 ? backends[d->backend] : "?");
		return -1;
	}
	s->qdisk = d->backend == LIBXL_DISK_BACKEND_QDISK;
	s->format = d->format == LIBXL_DISK_FORMAT_QCOW2 ? "qcow2" : "raw";
	if (d->format == LIBXL_DISK_FORMAT_EMPTY || !d->pdev_path || !d->pdev_path[0]) {
		snprintf(err, errlen, "disk %s: an empty drive (no target) needs the qdisk backend, "
			 "which is not available yet", vdev);
		return -1;
	}
	s->devid = libxl_devid_from_vdev(vdev, NULL, NULL);
	if (s->devid < 0) {
		snprintf(err, errlen, "Invalid or unsupported virtual disk identifier %s", vdev);
		return -1;
	}
	s->target = d->pdev_path;
	s->vdev = vdev;
	s->script = d->script;
	s->readwrite = d->readwrite;
	s->cdrom = d->is_cdrom;
	s->removable = d->removable;
	s->discard = !libxl_defbool_is_default(d->discard_enable) &&
		     libxl_defbool_val(d->discard_enable);
	return 0;
}

int xl_nic_to_lx(const libxl_device_nic *n, struct lx_nic_spec *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (n->backend_domid != 0 || n->backend_domname) {
		snprintf(err, errlen, "vif %d: backends in driver domains are not supported yet",
			 n->devid);
		return -1;
	}
	if (n->nictype == LIBXL_NIC_TYPE_VIF_IOEMU) {
		snprintf(err, errlen, "vif %d: type=ioemu needs a device model (HVM), which is not "
			 "available", n->devid);
		return -1;
	}
	s->devid = n->devid;
	memcpy(s->mac, n->mac, 6);
	/* libxl's default bridge. */
	s->bridge = n->bridge ? n->bridge : "xenbr0";
	s->script = n->script;
	s->ip = n->ip;
	s->model = n->model;
	s->ifname = n->ifname;
	s->gatewaydev = n->gatewaydev;
	s->rate_bytes = n->rate_bytes_per_interval;
	s->rate_usecs = n->rate_interval_usecs;
	return 0;
}

/* What both attach commands do first: -h/--help, at least `min`
 * arguments, and with -N a numeric domain (nothing to resolve a name).
 * Returns -1 to go on, else the exit status. */
static int attach_args(const struct xl_globals *g, int argc, char **argv, const char *cmd,
		       int min, uint32_t *domid)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		xl_usage(xl_cmd_find(cmd));
		return 0;
	}
	if (argc < min) {
		xl_usage(xl_cmd_find(cmd));
		return 2;
	}
	if (g->dryrun && xl_domid_parse(argv[1], domid))
		return 1;
	return -1;
}

/* -N: the parsed device as JSON ("disk: {...}") instead of attaching it;
 * takes the JSON text (NULL: it could not be made). */
static int attach_print(const char *what, char *json)
{
	if (!json)
		return 1;
	printf("%s: %s\n", what, json);
	free(json);
	return 0;
}

int main_blockattach(struct xl_globals *g, int argc, char **argv)
{
	libxl_device_disk disk;
	struct lx_disk_spec spec;
	struct lx_ctx ctx;
	XLU_Config *cfg;
	uint32_t domid;
	char err[1024];
	int e, ec, rc = 1;

	ec = attach_args(g, argc, argv, "block-attach", 3, &domid);
	if (ec >= 0)
		return ec;
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
	if (g->dryrun) {
		rc = attach_print("disk", libxl_device_disk_to_json(NULL, &disk));
		goto out;
	}
	if (xl_dom_open_resolve(&ctx, "block-attach", argv[1], &domid) < 0)
		goto out;
	if (xl_disk_to_lx(&disk, &spec, err, sizeof(err)) < 0 ||
	    lx_disk_add(&ctx, domid, &spec, err, sizeof(err)) < 0) {
		fprintf(stderr, "libxl: error: %s\n", err);
		fprintf(stderr, "libxl_device_disk_add failed.\n");
	} else {
		rc = 0;
	}
	lx_close(&ctx);
out:
	libxl_device_disk_dispose(&disk);
	xlu_cfg_destroy(cfg);
	return rc;
}

int main_networkattach(struct xl_globals *g, int argc, char **argv)
{
	libxl_device_nic nic;
	struct lx_nic_spec spec;
	struct lx_ctx ctx;
	XLU_Config *cfg;
	uint32_t domid;
	char err[1024];
	int ec, rc = 1;

	ec = attach_args(g, argc, argv, "network-attach", 2, &domid);
	if (ec >= 0)
		return ec;
	cfg = xlu_cfg_init(stderr, "command line");
	if (!cfg)
		return 1;
	libxl_device_nic_init(&nic);
	xl_set_default_nic_values(g, &nic);
	for (int i = 2; i < argc; i++)
		if (xl_parse_nic_item(cfg, &nic, argv[i]))
			goto out;
	if (g->dryrun) {
		rc = attach_print("vif", libxl_device_nic_to_json(NULL, &nic));
		goto out;
	}
	if (xl_dom_open_resolve(&ctx, "network-attach", argv[1], &domid) < 0)
		goto out;
	if (xl_nic_to_lx(&nic, &spec, err, sizeof(err)) < 0 ||
	    lx_nic_add(&ctx, domid, &spec, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "libxl: error: %s\n", err);
		fprintf(stderr, "libxl_device_nic_add failed.\n");
	} else {
		rc = 0;
	}
	lx_close(&ctx);
out:
	libxl_device_nic_dispose(&nic);
	xlu_cfg_destroy(cfg);
	return rc;
}

/* A frontend node as a number; -1 when absent (libxl's getinfo). */
static long fe_num(struct lx_ctx *ctx, const char *fe, const char *key)
{
	char *v = lx_dev_read(ctx, fe, key);
	long n = v ? strtol(v, NULL, 10) : -1;

	free(v);
	return n;
}

static unsigned int backend_domid_of(const char *be)
{
	unsigned int b = 0;

	if (!be || sscanf(be, "/local/domain/%u/", &b) != 1)
		return 0;
	return b;
}

int main_blocklist(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	int opt, ec = 0;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "block-list", 1, &ec)) != -1)
		if (opt == 0)
			return ec;
	if (xl_dom_open(&ctx, "block-list") < 0)
		return 1;
	printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle", "state", "evt-ch",
	       "ring-ref", "BE-path");
	for (int a = optind; a < argc; a++) {
		uint32_t domid;
		unsigned int n;
		int *ids;

		/* Xen's block-list says so without an rc and goes on. */
		if (!xl_domarg_numeric(argv[a], &domid) &&
		    lx_domain_by_name(&ctx, argv[a], &domid) < 0) {
			fprintf(stderr, "%s is an invalid domain identifier\n", argv[a]);
			continue;
		}
		ids = lx_dev_list(&ctx, domid, "vbd", &n);
		for (unsigned int i = 0; i < n; i++) {
			struct lx_dev d;
			char *be;

			lx_dev_init(&d, "vbd", domid, 0, ids[i], "");
			be = lx_dev_read(&ctx, d.lx, "backend");
			if (!be)
				continue;
			printf("%-5d %-3u %-6u %-5ld %-6ld %-8ld %-30s\n", ids[i], backend_domid_of(be),
			       domid, fe_num(&ctx, d.fe, "state"), fe_num(&ctx, d.fe, "event-channel"),
			       fe_num(&ctx, d.fe, "ring-ref"), be);
			free(be);
		}
		free(ids);
	}
	lx_close(&ctx);
	return 0;
}

int main_blockdetach(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lx_ctx ctx;
	bool force = false;
	uint32_t domid;
	char err[1024], *be;
	int opt, ec = 0, devid, rc = 1;
	struct lx_dev d;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "fh", opts, "block-detach", 2, &ec)) != -1) {
		if (opt == 0)
			return ec;
		if (opt == 'f')
			force = true;
	}
	if (xl_dom_open_resolve(&ctx, "block-detach", argv[optind], &domid) < 0)
		return 1;
	devid = libxl_devid_from_vdev(argv[optind + 1], NULL, NULL);
	be = NULL;
	if (devid >= 0) {
		lx_dev_init(&d, "vbd", domid, 0, devid, argv[optind + 1]);
		be = lx_dev_read(&ctx, d.lx, "backend");
	}
	if (!be) {
		fprintf(stderr, "Error: Device %s not connected.\n", argv[optind + 1]);
		goto out;
	}
	free(be);
	if (lx_disk_remove(&ctx, domid, devid, force, err, sizeof(err)) < 0) {
		fprintf(stderr, "libxl: error: %s\n", err);
		fprintf(stderr, "libxl_device_disk_%s failed.\n", force ? "destroy" : "safe_remove");
		goto out;
	}
	rc = 0;
out:
	lx_close(&ctx);
	return rc;
}

int main_networklist(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	int opt, ec = 0, rc = 0;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "network-list", 1, &ec)) != -1)
		if (opt == 0)
			return ec;
	if (xl_dom_open(&ctx, "network-list") < 0)
		return 1;
	printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n", "Idx", "BE", "Mac Addr.",
	       "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path");
	for (int a = optind; a < argc; a++) {
		uint32_t domid;
		unsigned int n;
		int *ids;

		/* Xen's xl gives up at an unknown domain here. */
		if (xl_dom_resolve(&ctx, argv[a], &domid) < 0) {
			rc = 1;
			break;
		}
		ids = lx_dev_list(&ctx, domid, "vif", &n);
		for (unsigned int i = 0; i < n; i++) {
			struct lx_dev d;
			char *be, *mac;
			uint8_t m[6] = { 0 };

			lx_dev_init(&d, "vif", domid, 0, ids[i], "");
			be = lx_dev_read(&ctx, d.lx, "backend");
			if (!be)
				continue;
			mac = lx_dev_read(&ctx, d.lx, "mac");
			if (mac)
				lx_mac_parse(mac, m);
			printf("%-3d %-2u ", ids[i], backend_domid_of(be));
			printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
			printf("%6d %5ld %6ld %5ld/%-11ld %-30s\n", ids[i], fe_num(&ctx, d.fe, "state"),
			       fe_num(&ctx, d.fe, "event-channel"), fe_num(&ctx, d.fe, "tx-ring-ref"),
			       fe_num(&ctx, d.fe, "rx-ring-ref"), be);
			free(mac);
			free(be);
		}
		free(ids);
	}
	lx_close(&ctx);
	return rc;
}

/* The vif of domid with this MAC: its devid, or -1. */
static int nic_by_mac(struct lx_ctx *ctx, uint32_t domid, const char *arg)
{
	uint8_t want[6], have[6];
	unsigned int n;
	int *ids, found = -1;

	if (lx_mac_parse(arg, want) < 0)
		return -1;
	ids = lx_dev_list(ctx, domid, "vif", &n);
	for (unsigned int i = 0; i < n && found < 0; i++) {
		struct lx_dev d;
		char *mac;

		lx_dev_init(&d, "vif", domid, 0, ids[i], "");
		mac = lx_dev_read(ctx, d.lx, "mac");
		if (mac && lx_mac_parse(mac, have) == 0 && !memcmp(want, have, 6))
			found = ids[i];
		free(mac);
	}
	free(ids);
	return found;
}

int main_networkdetach(struct xl_globals *g, int argc, char **argv)
{
	struct lx_ctx ctx;
	uint32_t domid;
	char err[1024], *be = NULL;
	const char *which;
	int opt, ec = 0, devid, rc = 1;
	struct lx_dev d;

	(void)g;
	while ((opt = xl_getopt(argc, argv, "h", NULL, "network-detach", 2, &ec)) != -1)
		if (opt == 0)
			return ec;
	which = argv[optind + 1];
	if (xl_dom_open_resolve(&ctx, "network-detach", argv[optind], &domid) < 0)
		return 1;
	devid = strchr(which, ':') ? nic_by_mac(&ctx, domid, which) : atoi(which);
	if (devid >= 0) {
		lx_dev_init(&d, "vif", domid, 0, devid, "");
		be = lx_dev_read(&ctx, d.lx, "backend");
	}
	if (!be) {
		fprintf(stderr, "Unknown device %s.\n", which);
		goto out;
	}
	free(be);
	if (lx_nic_remove(&ctx, domid, devid, false, err, sizeof(err)) < 0) {
		fprintf(stderr, "libxl: error: %s\n", err);
		fprintf(stderr, "libxl_device_nic_del failed.\n");
		goto out;
	}
	rc = 0;
out:
	lx_close(&ctx);
	return rc;
}

int xl_devices_spec(const libxl_domain_config *dc, struct lx_domain_spec *spec, char *err,
		    size_t errlen)
{
	struct lx_disk_spec *disks = NULL;
	struct lx_nic_spec *nics = NULL;

	spec->disks = NULL;
	spec->nics = NULL;
	spec->ndisks = spec->nnics = 0;
	if (dc->num_disks > 0 && !(disks = calloc((size_t)dc->num_disks, sizeof(*disks))))
		goto nomem;
	if (dc->num_nics > 0 && !(nics = calloc((size_t)dc->num_nics, sizeof(*nics))))
		goto nomem;
	for (int i = 0; i < dc->num_disks; i++)
		if (xl_disk_to_lx(&dc->disks[i], &disks[i], err, errlen) < 0)
			goto fail;
	for (int i = 0; i < dc->num_nics; i++)
		if (xl_nic_to_lx(&dc->nics[i], &nics[i], err, errlen) < 0)
			goto fail;
	spec->disks = disks;
	spec->ndisks = (unsigned int)(dc->num_disks > 0 ? dc->num_disks : 0);
	spec->nics = nics;
	spec->nnics = (unsigned int)(dc->num_nics > 0 ? dc->num_nics : 0);
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	free(disks);
	free(nics);
	return -1;
}

void xl_devices_spec_free(struct lx_domain_spec *spec)
{
	free((void *)spec->disks);
	free((void *)spec->nics);
	spec->disks = NULL;
	spec->nics = NULL;
	spec->ndisks = spec->nnics = 0;
}
