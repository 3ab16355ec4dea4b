/* xl.cfg settings to libxl_domain_config, following the order and the
 * rules of Xen 4.17's xl so `xl create -n` prints the same JSON.
 * Every key of xl.cfg(5) is known; an unknown key is a warning naming
 * it; a bad value is an error naming source, line and key. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xl_parse_i.h"


/* keys of xl.cfg(5) for PV, PVH and HVM guests (and xl's aliases) */
static const char *const known_keys[] = {
	"acpi", "acpi_firmware", "acpi_laptop_slate", "acpi_s3", "acpi_s4", "altp2m",
	"altp2mhvm", "apic", "bios", "bios_path_override", "boot", "bootloader",
	"bootloader_args", "builder", "cap", "channel", "cmdline", "cpu_weight", "cpuid",
	"cpus", "cpus_soft", "device_model", "device_model_args", "device_model_args_hvm",
	"device_model_args_pv", "device_model_override", "device_model_stubdomain_override",
	"device_model_stubdomain_seclabel", "device_model_user", "device_model_version",
	"device_tree", "disk", "display", "dm_restrict", "driver_domain", "dtdev",
	"e820_host", "extra", "extratime", "firmware", "firmware_override", "gfx_passthru",
	"gic_version", "hap", "hdtype", "hpet", "init_seclabel", "iomem", "ioports", "irqs",
	"kernel", "keymap", "latency", "localtime", "max_event_channels", "max_grant_frames",
	"max_grant_version", "max_maptrack_frames", "maxmem", "maxvcpus", "mca_caps",
	"memory", "mmio_hole", "ms_vm_genid", "msr_relaxed", "name", "nestedhvm",
	"nographic", "nomigrate", "nx", "on_crash", "on_poweroff", "on_reboot",
	"on_soft_reset", "on_watchdog", "oos", "opengl", "p9", "pae", "passthrough", "pci",
	"pci_msitranslate", "pci_permissive", "pci_power_mgmt", "pci_seize", "period",
	"pool", "pvcalls", "pvshim", "pvshim_cmdline", "pvshim_extra", "pvshim_path",
	"ramdisk", "rdm", "rdm_mem_boundary", "root", "rtc_timeoffset", "sdl", "seclabel",
	"serial", "shadow_memory", "slice", "smbios_firmware", "soundhw", "spice",
	"spice_clipboard_sharing", "spice_image_compression", "spice_streaming_video",
	"spiceagent_mouse", "spicedisable_ticketing", "spicehost", "spicepasswd",
	"spiceport", "spicetls_port", "spiceusbredirection", "spicevdagent", "stdvga",
	"stubdomain_cmdline", "stubdomain_kernel", "stubdomain_memory", "stubdomain_ramdisk",
	"tee", "timer_mode", "tsc_mode", "type", "usb", "usbctrl", "usbdev", "usbdevice",
	"usbversion", "uuid", "vcpus", "vdispl", "vendor_device", "vfb", "vga", "videoram",
	"vif", "vif2", "viridian", "vkb", "vkb_device", "vmtrace_buf_kb", "vnc",
	"vncdisplay", "vnclisten", "vncpasswd", "vncunused", "vncviewer", "vnuma", "vpmu",
	"vpt_align", "vsnd", "vtpm", "vuart", "xauthority", "xen_platform_pci",
	"xend_suspend_evtchn_compat",
};

/* xm-era keys: understood, have no xl meaning, ignored with a note */
static const char *const xm_keys[] = {
	"bootargs", "cpu", "cpu_cap", "monitor", "on_shutdown", "on_xend_start",
	"on_xend_stop", "parallel", "ssidref", "vncconsole", "vscsi", "cdrom", "blkif",
	"netif", "tpmif", "uuid_override",
};

static int in_list(const char *const *l, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], k))
			return 1;
	return 0;
}

/* Edit distance, to suggest the key a typo was meant to be. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void warn_unknown_keys(struct pctx *p)
{
	const void *it = NULL;
	const char *name;
	int line, col, n = 0;
	struct unk { const char *name; int line; } *u = NULL, *nu;

	while (xlu_cfg_next_setting(p->cfg, &it, &name, &line, &col)) {
		if (in_list(known_keys, sizeof(known_keys) / sizeof(known_keys[0]), name))
			continue;
		nu = realloc(u, (size_t)(n + 1) * sizeof(*u));
		if (!nu)
			break;
		u = nu;
		u[n++] = (struct unk){ name, line };
	}
	/* settings come newest first: report them in file order */
	for (int i = n - 1; i >= 0; i--) {
		const char *best = NULL;
		size_t bd = 3;

		if (in_list(xm_keys, sizeof(xm_keys) / sizeof(xm_keys[0]), u[i].name)) {
			fprintf(stderr, "%s:%d: warning: `%s' is an xm option with no meaning for xl; ignored\n",
				p->src, u[i].line, u[i].name);
			continue;
		}
		for (size_t k = 0; k < sizeof(known_keys) / sizeof(known_keys[0]); k++) {
			size_t d = distance(u[i].name, known_keys[k]);
			if (d < bd) {
				bd = d;
				best = known_keys[k];
			}
		}
		if (best)
			fprintf(stderr, "%s:%d: warning: unknown option `%s' ignored (did you mean `%s'?)\n",
				p->src, u[i].line, u[i].name, best);
		else
			fprintf(stderr, "%s:%d: warning: unknown option `%s' ignored\n", p->src, u[i].line,
				u[i].name);
	}
	free(u);
}

int xlp_bad(struct pctx *p, const char *key, const char *fmt, ...)
{
	va_list ap;
	int line = key ? xlu_cfg_lineno(p->cfg, key) : 0;

	if (line)
		fprintf(stderr, "%s:%d: %s: ", p->src, line, key);
	else if (key)
		fprintf(stderr, "%s: %s: ", p->src, key);
	else
		fprintf(stderr, "%s: ", p->src);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* A number setting that must parse if present: 0 set, 1 absent, -1 bad. */
int xlp_get_long(struct pctx *p, const char *key, long *l)
{
	const char *raw;
	int e = xlu_cfg_get_long(p->cfg, key, l, 1);

	if (e == ESRCH)
		return 1;
	if (!e)
		return 0;
	if (xlu_cfg_get_string(p->cfg, key, &raw, 1))
		return xlp_bad(p, key, "expected a number, found a [list]");
	if (e == ERANGE)
		return xlp_bad(p, key, "number `%s' is out of range", raw);
	if (!*raw)
		return xlp_bad(p, key, "expected a number, found an empty string");
	return xlp_bad(p, key, "expected a number, found `%s'%s", raw,
		       isdigit((unsigned char)raw[0]) ? " (no units: plain digits or 0x...)" : "");
}

int xlp_get_defbool(struct pctx *p, const char *key, libxl_defbool *b)
{
	long l;
	int r = xlp_get_long(p, key, &l);

	if (r == 0)
		libxl_defbool_set(b, l != 0);
	return r < 0 ? -1 : 0;
}

/* string setting: 0 set (or absent), -1 wrong type */
int xlp_get_str(struct pctx *p, const char *key, char **dst)
{
	int e = xlu_cfg_replace_string(p->cfg, key, dst, 0);

	if (e && e != ESRCH)
		return xlp_bad(p, key, "expected a single string value");
	return 0;
}

static const char *const action_names[] = {
	[LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
	[LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
	[LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
	[LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
	[LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
	[LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
	[LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

static int parse_action(struct pctx *p, const char *key, const char *def,
			libxl_action_on_shutdown *a)
{
	const char *s;

	if (xlu_cfg_get_string(p->cfg, key, &s, 0))
		s = def;
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (action_names[i] && !strcmp(s, action_names[i])) {
			*a = (libxl_action_on_shutdown)i;
			return 0;
		}
	return xlp_bad(p, key, "unknown action \"%s\" (destroy, restart, rename-restart, preserve, "
		   "coredump-destroy, coredump-restart, soft-reset)", s);
}

/* "hvm"/"pv"/"pvh" prefixes match as in Xen (strncmp on the value). */
static int prefix_of(const char *v, const char *word)
{
	return !strncmp(v, word, strlen(v));
}

void xl_set_default_nic_values(struct xl_globals *g, libxl_device_nic *nic)
{
	if (g->default_vifscript)
		nic->script = strdup(g->default_vifscript);
	if (g->default_bridge)
		nic->bridge = strdup(g->default_bridge);
	if (g->default_gatewaydev)
		nic->gatewaydev = strdup(g->default_gatewaydev);
	if (g->default_vifbackend)
		nic->backend_domname = strdup(g->default_vifbackend);
}

int xlp_set_str(char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static int parse_ulong_arg(const char *what, const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (end == s || *end || errno || *out > INT_MAX) {
		fprintf(stderr, "xl: failed to convert \"%s\" to number for %s\n", s, what);
		return -1;
	}
	return 0;
}

int xl_parse_nic_item(XLU_Config *cfg, libxl_device_nic *nic, const char *tok)
{
	static const struct { const char *key; size_t off; } strs[] = {
#define S(k, f) { k, offsetof(libxl_device_nic, f) }
		S("bridge", bridge), S("gatewaydev", gatewaydev), S("ip", ip), S("script", script),
		S("backend", backend_domname), S("vifname", ifname), S("model", model),
		S("forwarddev", coloft_forwarddev),
		S("colo_sock_mirror_id", colo_sock_mirror_id), S("colo_sock_mirror_ip", colo_sock_mirror_ip),
		S("colo_sock_mirror_port", colo_sock_mirror_port),
		S("colo_sock_compare_sec_in_id", colo_sock_compare_sec_in_id),
		S("colo_sock_compare_sec_in_ip", colo_sock_compare_sec_in_ip),
		S("colo_sock_compare_sec_in_port", colo_sock_compare_sec_in_port),
		S("colo_sock_redirector0_id", colo_sock_redirector0_id),
		S("colo_sock_redirector0_ip", colo_sock_redirector0_ip),
		S("colo_sock_redirector0_port", colo_sock_redirector0_port),
		S("colo_sock_redirector1_id", colo_sock_redirector1_id),
		S("colo_sock_redirector1_ip", colo_sock_redirector1_ip),
		S("colo_sock_redirector1_port", colo_sock_redirector1_port),
		S("colo_sock_redirector2_id", colo_sock_redirector2_id),
		S("colo_sock_redirector2_ip", colo_sock_redirector2_ip),
		S("colo_sock_redirector2_port", colo_sock_redirector2_port),
		S("colo_sock_compare_pri_in_id", colo_sock_compare_pri_in_id),
		S("colo_sock_compare_pri_in_ip", colo_sock_compare_pri_in_ip),
		S("colo_sock_compare_pri_in_port", colo_sock_compare_pri_in_port),
		S("colo_sock_compare_notify_id", colo_sock_compare_notify_id),
		S("colo_sock_compare_notify_ip", colo_sock_compare_notify_ip),
		S("colo_sock_compare_notify_port", colo_sock_compare_notify_port),
		S("colo_filter_mirror_queue", colo_filter_mirror_queue),
		S("colo_filter_mirror_outdev", colo_filter_mirror_outdev),
		S("colo_filter_redirector0_queue", colo_filter_redirector0_queue),
		S("colo_filter_redirector0_indev", colo_filter_redirector0_indev),
		S("colo_filter_redirector0_outdev", colo_filter_redirector0_outdev),
		S("colo_filter_redirector1_queue", colo_filter_redirector1_queue),
		S("colo_filter_redirector1_indev", colo_filter_redirector1_indev),
		S("colo_filter_redirector1_outdev", colo_filter_redirector1_outdev),
		S("colo_compare_pri_in", colo_compare_pri_in), S("colo_compare_sec_in", colo_compare_sec_in),
		S("colo_compare_out", colo_compare_out), S("colo_compare_notify_dev", colo_compare_notify_dev),
		S("colo_sock_sec_redirector0_id", colo_sock_sec_redirector0_id),
		S("colo_sock_sec_redirector0_ip", colo_sock_sec_redirector0_ip),
		S("colo_sock_sec_redirector0_port", colo_sock_sec_redirector0_port),
		S("colo_sock_sec_redirector1_id", colo_sock_sec_redirector1_id),
		S("colo_sock_sec_redirector1_ip", colo_sock_sec_redirector1_ip),
		S("colo_sock_sec_redirector1_port", colo_sock_sec_redirector1_port),
		S("colo_filter_sec_redirector0_queue", colo_filter_sec_redirector0_queue),
		S("colo_filter_sec_redirector0_indev", colo_filter_sec_redirector0_indev),
		S("colo_filter_sec_redirector0_outdev", colo_filter_sec_redirector0_outdev),
		S("colo_filter_sec_redirector1_queue", colo_filter_sec_redirector1_queue),
		S("colo_filter_sec_redirector1_indev", colo_filter_sec_redirector1_indev),
		S("colo_filter_sec_redirector1_outdev", colo_filter_sec_redirector1_outdev),
		S("colo_filter_sec_rewriter0_queue", colo_filter_sec_rewriter0_queue),
		S("colo_checkpoint_host", colo_checkpoint_host),
		S("colo_checkpoint_port", colo_checkpoint_port),
#undef S
	};
	const char *eq = strchr(tok, '=');
	const char *val = eq ? eq + 1 : NULL;
	size_t klen = eq ? (size_t)(eq - tok) : strlen(tok);
	unsigned long ul;

#define KEY(k) (eq && klen == strlen(k) && !strncmp(tok, k, klen))
	if (KEY("type")) {
		if (!strcmp(val, "vif"))
			nic->nictype = LIBXL_NIC_TYPE_VIF;
		else if (!strcmp(val, "ioemu"))
			nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
		else if (!strcmp(val, "netfront"))
			/* xm spelling; Xen's xl leaves the type unset for it too */
			fprintf(stderr, "warning: vif `type=netfront' is xm syntax, ignored (xl: type=vif)\n");
		else {
			fprintf(stderr, "Invalid parameter `type': `%s' (vif or ioemu).\n", val);
			return -1;
		}
		return 0;
	}
	if (KEY("mac")) {
		const char *s = val;
		for (int i = 0; i < 6; i++) {
			char *end;
			unsigned long v = strtoul(s, &end, 16);
			if (end == s || v > 255 || end - s > 2 || (i < 5 && *end != ':') || (i == 5 && *end)) {
				fprintf(stderr, "Invalid parameter `mac': `%s' (expected six hex bytes like 00:16:3e:01:02:03).\n",
					val);
				return -1;
			}
			nic->mac[i] = (uint8_t)v;
			s = end + 1;
		}
		return 0;
	}
	if (KEY("netdev")) {
		fprintf(stderr, "the netdev parameter is deprecated, please use gatewaydev instead\n");
		return xlp_set_str(&nic->gatewaydev, val);
	}
	if (KEY("rate")) {
		int e = xlu_vif_parse_rate(cfg, val, nic);
		if (e && e != EINVAL && e != EOVERFLOW)
			fprintf(stderr, "xlu_vif_parse_rate failed: %s\n", strerror(e));
		return e ? -1 : 0;
	}
	if (KEY("accel")) {
		fprintf(stderr, "the accel parameter for vifs is currently not supported\n");
		return 0;
	}
	if (KEY("devid")) {
		if (parse_ulong_arg("devid", val, &ul))
			return -1;
		nic->devid = (int)ul;
		return 0;
	}
	if (KEY("mtu")) {
		if (parse_ulong_arg("mtu", val, &ul))
			return -1;
		nic->mtu = (int)ul;
		return 0;
	}
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (KEY(strs[i].key))
			return xlp_set_str((char **)((char *)nic + strs[i].off), val);
#undef KEY
	if (!strcmp(tok, "trusted")) {
		libxl_defbool_set(&nic->trusted, true);
		return 0;
	}
	if (!strcmp(tok, "untrusted")) {
		libxl_defbool_set(&nic->trusted, false);
		return 0;
	}
	fprintf(stderr, "unrecognized argument `%s'\n", tok);
	return -1;
}

void *xlp_grow(void **arr, int *n, size_t size, void (*init)(void *))
{
	char *na = realloc(*arr, (size_t)(*n + 1) * size);

	if (!na)
		return NULL;
	*arr = na;
	init(na + (size_t)*n * size);
	return na + (size_t)(*n)++ * size;
}

static int parse_affinity(struct pctx *p, const char *key, int is_hard)
{
	libxl_domain_build_info *b = &p->dc->b_info;
	XLU_ConfigList *list = NULL;
	const char *buf = NULL;
	int n = 0;
	libxl_bitmap *arr;

	if (xlu_cfg_get_list(p->cfg, key, &list, &n, 1) &&
	    xlu_cfg_get_string(p->cfg, key, &buf, 0))
		return 0;
	if (buf || n > b->max_vcpus)
		n = b->max_vcpus;
	arr = calloc(n ? (size_t)n : 1, sizeof(*arr));
	if (!arr)
		return -1;
	if (is_hard) {
		b->vcpu_hard_affinity = arr;
		b->num_vcpu_hard_affinity = n;
	} else {
		b->vcpu_soft_affinity = arr;
		b->num_vcpu_soft_affinity = n;
	}
	for (int i = 0; i < n; i++) {
		const char *s = buf ? buf : xlu_cfg_get_listitem(list, i);
		if (!s)
			break;
		if (xlu_cpu_range_parse(p->cfg, s, &arr[i]))
			return xlp_bad(p, key, "invalid cpu list `%s'", s);
	}
	if (!buf || !is_hard)
		libxl_defbool_set(&b->numa_placement, false);
	return 0;
}

static int parse_disks(struct pctx *p)
{
	XLU_ConfigList *l;
	const char *buf;

	if (xlu_cfg_get_list(p->cfg, "disk", &l, 0, 0))
		return 0;
	for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_disk *d = GROW(p->dc->disks, p->dc->num_disks, libxl_device_disk,
					    libxl_device_disk_init);
		if (!d)
			return -1;
		if (xlu_disk_parse(p->cfg, 1, &buf, d))
			return xlp_bad(p, "disk", "entry %d `%s' is not a valid disk spec (see xl-disk-configuration(5))",
				   i + 1, buf);
		/* Xen's xl accepts any name here and libxl refuses it only when
		 * the domain is built: say so now */
		if (libxl_devid_from_vdev(d->vdev, NULL, NULL) < 0)
			fprintf(stderr, "%s:%d: warning: disk: entry %d: `%s' is not a Xen virtual disk name "
				"(xvdX, hdX, sdX, dNpM or a number); creating the domain will fail\n",
				p->src, xlu_cfg_lineno(p->cfg, "disk"), i + 1, d->vdev);
	}
	return 0;
}

struct nic_entry {
	libxl_device_nic *nic;
	int n;			/* 1-based, for messages */
	const char *spec;
};

static int nic_item(struct pctx *p, void *obj, char *item)
{
	struct nic_entry *e = obj;

	/* Xen's xl reports a bad item and goes on; a config checker must
	 * not: the message says which entry */
	if (xl_parse_nic_item(p->cfg, e->nic, item))
		return xlp_bad(p, "vif", "entry %d `%s': bad item `%s' (see xl-network-configuration(5))",
			       e->n, e->spec, item);
	return 0;
}

static int parse_nics(struct pctx *p)
{
	XLU_ConfigList *l;
	const char *buf;

	if (xlu_cfg_get_list(p->cfg, "vif", &l, 0, 0))
		return 0;
	for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_nic *nic = GROW(p->dc->nics, p->dc->num_nics, libxl_device_nic,
					     libxl_device_nic_init);
		struct nic_entry e = { nic, i + 1, buf };

		if (!nic)
			return -1;
		nic->devid = i;
		xl_set_default_nic_values(p->g, nic);
		if (xlp_each_item(p, buf, nic_item, &e))
			return -1;
	}
	return 0;
}

static int parse_pcis(struct pctx *p, int msitranslate, int power_mgmt, int permissive, int seize)
{
	XLU_ConfigList *l;
	const char *buf;
	libxl_domain_build_info *b = &p->dc->b_info;

	if (xlu_cfg_get_list(p->cfg, "pci", &l, 0, 0))
		return 0;
	for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_pci *pci = GROW(p->dc->pcidevs, p->dc->num_pcidevs, libxl_device_pci,
					     libxl_device_pci_init);
		if (!pci)
			return -1;
		pci->msitranslate = msitranslate;
		pci->power_mgmt = power_mgmt;
		pci->permissive = permissive;
		pci->seize = seize;
		/* Xen's xl copies u.hvm.rdm.policy whatever the guest type;
		 * for PV/PVH that union memory is zero, i.e. "strict" */
		pci->rdm_policy = b->type == LIBXL_DOMAIN_TYPE_HVM ? b->u.hvm.rdm.policy
								   : LIBXL_RDM_RESERVE_POLICY_STRICT;
		if (xlu_pci_parse_spec_string(p->cfg, pci, buf))
			return xlp_bad(p, "pci", "unable to parse PCI_SPEC_STRING `%s' for passthrough", buf);
	}
	if (p->dc->num_pcidevs && p->dc->c_info.type == LIBXL_DOMAIN_TYPE_PV)
		libxl_defbool_set(&b->u.pv.e820_host, true);
	return 0;
}

struct channel_entry {
	libxl_device_channel *c;
	char *path;		/* path=, kept for connection=socket */
};

static int channel_item(struct pctx *p, void *obj, char *tok)
{
	struct channel_entry *ch = obj;
	libxl_device_channel *c = ch->c;
	char *eq = strchr(tok, '='), *k, *v;

	if (!eq)
		return xlp_bad(p, "channel", "failed to parse channel configuration: %s", tok);
	*eq = 0;
	k = xlp_trim(tok);
	v = xlp_trim(eq + 1);
	if (!strcmp(k, "backend"))
		return xlp_set_str(&c->backend_domname, v);
	if (!strcmp(k, "name"))
		return xlp_set_str(&c->name, v);
	if (!strcmp(k, "path"))
		return xlp_set_str(&ch->path, v);
	if (!strcmp(k, "connection")) {
		if (!strcmp(v, "pty"))
			c->connection = LIBXL_CHANNEL_CONNECTION_PTY;
		else if (!strcmp(v, "socket"))
			c->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
		else
			return xlp_bad(p, "channel", "unknown channel connection '%s' (pty or socket)", v);
		return 0;
	}
	fprintf(stderr, "unknown channel parameter '%s', ignoring\n", k);
	return 0;
}

static int parse_channels(struct pctx *p)
{
	XLU_ConfigList *l;
	const char *buf;

	if (xlu_cfg_get_list(p->cfg, "channel", &l, 0, 0))
		return 0;
	for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_channel *c = GROW(p->dc->channels, p->dc->num_channels,
					       libxl_device_channel, libxl_device_channel_init);
		struct channel_entry ch = { c, NULL };
		int rc;

		if (!c)
			return -1;
		c->devid = i;
		rc = xlp_each_item(p, buf, channel_item, &ch);
		if (!rc && c->connection == LIBXL_CHANNEL_CONNECTION_UNKNOWN)
			rc = xlp_bad(p, "channel", "channel %d has unknown 'connection'", i + 1);
		if (!rc && c->connection == LIBXL_CHANNEL_CONNECTION_SOCKET) {
			if (!ch.path)
				rc = xlp_bad(p, "channel", "channel connection 'socket' requires path=..");
			else {
				c->u.socket.path = ch.path;
				ch.path = NULL;
			}
		}
		free(ch.path);
		if (rc)
			return rc;
	}
	return 0;
}

static int vfb_kv(struct pctx *p, void *obj, const char *k, char *v)
{
	libxl_device_vfb *vfb = obj;
	int rc = 0;

	if (!strcmp(k, "vnc")) libxl_defbool_set(&vfb->vnc.enable, atoi(v));
	else if (!strcmp(k, "vnclisten")) rc = xlp_set_str(&vfb->vnc.listen, v);
	else if (!strcmp(k, "vncpasswd")) rc = xlp_set_str(&vfb->vnc.passwd, v);
	else if (!strcmp(k, "vncdisplay")) vfb->vnc.display = atoi(v);
	else if (!strcmp(k, "vncunused")) libxl_defbool_set(&vfb->vnc.findunused, atoi(v));
	else if (!strcmp(k, "keymap")) rc = xlp_set_str(&vfb->keymap, v);
	else if (!strcmp(k, "sdl")) libxl_defbool_set(&vfb->sdl.enable, atoi(v));
	else if (!strcmp(k, "opengl")) libxl_defbool_set(&vfb->sdl.opengl, atoi(v));
	else if (!strcmp(k, "display")) rc = xlp_set_str(&vfb->sdl.display, v);
	else if (!strcmp(k, "xauthority")) rc = xlp_set_str(&vfb->sdl.xauthority, v);
	else
		fprintf(stderr, "%s: vfb: unknown option `%s' ignored\n", p->src, k);
	return rc;
}

static int parse_vfbs(struct pctx *p)
{
	XLU_ConfigList *l;
	const char *buf;

	if (xlu_cfg_get_list(p->cfg, "vfb", &l, 0, 0))
		return 0;
	for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
		libxl_device_vfb *vfb = GROW(p->dc->vfbs, p->dc->num_vfbs, libxl_device_vfb,
					     libxl_device_vfb_init);
		libxl_device_vkb *vkb;

		if (!vfb)
			return -1;
		vfb->devid = i;
		vkb = GROW(p->dc->vkbs, p->dc->num_vkbs, libxl_device_vkb, libxl_device_vkb_init);
		if (!vkb)
			return -1;
		vkb->devid = i;
		if (xlp_each_kv(p, buf, vfb_kv, vfb))
			return -1;
	}
	return 0;
}

static void top_vnc_sdl(struct pctx *p, libxl_vnc_info *vnc, libxl_sdl_info *sdl)
{
	long l;

	xlp_get_defbool(p, "vnc", &vnc->enable);
	xlp_get_str(p, "vnclisten", &vnc->listen);
	xlp_get_str(p, "vncpasswd", &vnc->passwd);
	if (!xlp_get_long(p, "vncdisplay", &l))
		vnc->display = (int)l;
	xlp_get_defbool(p, "vncunused", &vnc->findunused);
	xlp_get_defbool(p, "sdl", &sdl->enable);
	xlp_get_defbool(p, "opengl", &sdl->opengl);
	xlp_get_str(p, "display", &sdl->display);
	xlp_get_str(p, "xauthority", &sdl->xauthority);
}

static int parse_cpuid(struct pctx *p)
{
	static const char *const xend_err[] = { "", "illegal leaf number", "illegal subleaf number",
		"missing colon", "invalid register name (must be e[abcd]x)",
		"policy string must be exactly 32 characters long" };
	static const char *const flag_err[] = { "", "missing \"=\" in key=value",
		"unknown CPUID flag name", "illegal CPUID value (must be: [0|1|x|k|s])" };
	libxl_domain_build_info *b = &p->dc->b_info;
	XLU_ConfigList *l;
	const char *buf;
	int e;

	switch (xlu_cfg_get_list(p->cfg, "cpuid", &l, 0, 1)) {
	case 0:
		for (int i = 0; (buf = xlu_cfg_get_listitem(l, i)); i++) {
			e = libxl_cpuid_parse_config_xend(&b->cpuid, buf);
			if (e)
				return xlp_bad(p, "cpuid", "item \"%s\": %s", buf,
					       e > 0 && e <= 5 ? xend_err[e] : "out of memory");
		}
		return 0;
	case EINVAL: {
		char *copy, *save = NULL, *t;

		if (xlu_cfg_get_string(p->cfg, "cpuid", &buf, 0))
			return 0;
		copy = strdup(buf);
		if (!copy)
			return -1;
		t = strtok_r(copy, ",", &save);
		if (t && strcmp(t, "host")) {
			free(copy);
			return xlp_bad(p, "cpuid", "\"%s\": the first word must be \"host\"", buf);
		}
		for (t = strtok_r(NULL, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			e = libxl_cpuid_parse_config(&b->cpuid, t);
			if (e) {
				xlp_bad(p, "cpuid", "flag \"%s\": %s", t,
					e > 0 && e <= 3 ? flag_err[e] : "out of memory");
				free(copy);
				return -1;
			}
		}
		free(copy);
		return 0;
	}
	default:
		return 0;
	}
}

static int parse_hvm(struct pctx *p)
{
	libxl_domain_build_info *b = &p->dc->b_info;
	XLU_ConfigList *list;
	const char *buf;
	long l;
	int n, e;

	if (b->kernel) {
		const char *base = strrchr(b->kernel, '/');
		if (!strcmp(base ? base + 1 : b->kernel, "hvmloader")) {
			fprintf(stderr, "WARNING: you seem to be using \"kernel\" directive to override HVM guest "
				"firmware. Ignore that. Use \"firmware_override\" instead if you really want a "
				"non-default firmware\n");
			free(b->kernel);
			b->kernel = NULL;
		}
	}
	if (xlp_get_str(p, "firmware_override", &b->u.hvm.firmware) ||
	    xlp_get_str(p, "bios_path_override", &b->u.hvm.system_firmware))
		return -1;
	if (!xlu_cfg_get_string(p->cfg, "bios", &buf, 0)) {
		if (libxl_bios_type_from_string(buf, &b->u.hvm.bios))
			return xlp_bad(p, "bios", "invalid value \"%s\" (rombios, seabios, ovmf)", buf);
	} else if (b->u.hvm.system_firmware) {
		fprintf(stderr, "WARNING: bios_path_override given without specific bios name\n");
	}
	xlp_get_defbool(p, "pae", &b->u.hvm.pae);
	xlp_get_defbool(p, "acpi_s3", &b->u.hvm.acpi_s3);
	xlp_get_defbool(p, "acpi_s4", &b->u.hvm.acpi_s4);
	xlp_get_defbool(p, "acpi_laptop_slate", &b->u.hvm.acpi_laptop_slate);
	xlp_get_defbool(p, "nx", &b->u.hvm.nx);
	xlp_get_defbool(p, "hpet", &b->u.hvm.hpet);
	xlp_get_defbool(p, "vpt_align", &b->u.hvm.vpt_align);
	xlp_get_defbool(p, "apic", &b->apic);
	switch (xlu_cfg_get_list(p->cfg, "viridian", &list, &n, 1)) {
	case 0:
		if (n) {
			libxl_bitmap_alloc(NULL, &b->u.hvm.viridian_enable, 64);
			libxl_bitmap_alloc(NULL, &b->u.hvm.viridian_disable, 64);
		}
		for (int i = 0; i < n; i++) {
			libxl_viridian_enlightenment v;
			libxl_bitmap *s = &b->u.hvm.viridian_enable, *r = &b->u.hvm.viridian_disable;

			buf = xlu_cfg_get_listitem(list, i);
			if (!buf)
				return xlp_bad(p, "viridian", "entries must be strings");
			if (!strcmp(buf, "all")) {
				libxl_bitmap_set_any(s);
				continue;
			}
			if (!strcmp(buf, "defaults")) {
				libxl_defbool_set(&b->u.hvm.viridian, true);
				continue;
			}
			if (*buf == '!') {
				s = &b->u.hvm.viridian_disable;
				r = &b->u.hvm.viridian_enable;
				buf++;
			}
			if (libxl_viridian_enlightenment_from_string(buf, &v))
				return xlp_bad(p, "viridian", "unknown viridian enlightenment '%s'", buf);
			libxl_bitmap_set(s, v);
			libxl_bitmap_reset(r, v);
		}
		break;
	case ESRCH:
		break;
	default:
		if (xlp_get_defbool(p, "viridian", &b->u.hvm.viridian))
			return -1;
	}
	if (!xlp_get_long(p, "mmio_hole", &l)) {
		uint64_t bytes = (uint64_t)l * 1024 * 1024;
		b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
		if (l <= 0 || bytes < (256ULL << 20) || bytes > 0xF0000000ULL)
			return xlp_bad(p, "mmio_hole", "invalid value %ld (MiB, 256 to 3840)", l);
	}
	if (!xlp_get_defbool(p, "altp2mhvm", &b->u.hvm.altp2m) && xlu_cfg_lineno(p->cfg, "altp2mhvm"))
		fprintf(stderr, "WARNING: Specifying \"altp2mhvm\" is deprecated. Please use \"altp2m\" instead.\n");
	if (xlp_get_str(p, "smbios_firmware", &b->u.hvm.smbios_firmware) ||
	    xlp_get_str(p, "acpi_firmware", &b->u.hvm.acpi_firmware))
		return -1;
	if (!xlu_cfg_get_string(p->cfg, "ms_vm_genid", &buf, 0)) {
		if (!strcmp(buf, "generate")) {
			libxl_uuid u;
			libxl_uuid_generate(&u);
			memcpy(b->u.hvm.ms_vm_genid.bytes, u.uuid, 16);
		} else if (strcmp(buf, "none")) {
			return xlp_bad(p, "ms_vm_genid", "must be \"generate\" or \"none\"");
		}
	}
	if (!xlp_get_long(p, "rdm_mem_boundary", &l))
		b->u.hvm.rdm_mem_boundary_memkb = (uint64_t)l * 1024;
	e = xlu_cfg_get_list(p->cfg, "mca_caps", &list, &n, 1);
	if (e == 0) {
		for (int i = 0; i < n; i++) {
			buf = xlu_cfg_get_listitem(list, i);
			if (!buf || strcmp(buf, "lmce"))
				return xlp_bad(p, "mca_caps", "unrecognized MCA capability '%s'", buf ? buf : "[list]");
			b->u.hvm.mca_caps |= 1;
		}
	} else if (e != ESRCH) {
		return xlp_bad(p, "mca_caps", "expected a list");
	}
	if (!xlu_cfg_get_string(p->cfg, "firmware", &buf, 0) &&
	    libxl_bios_type_from_string(buf, &b->u.hvm.bios)) {
		if (prefix_of(buf, "uefi"))
			b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
		else if (!prefix_of(buf, "bios"))
			xlp_get_str(p, "firmware", &b->u.hvm.firmware);
	}
	return 0;
}

static int parse_hvm_late(struct pctx *p)
{
	libxl_domain_build_info *b = &p->dc->b_info;
	const char *buf;
	long l;
	int e;

	if (!xlu_cfg_get_string(p->cfg, "vga", &buf, 0)) {
		if (!strcmp(buf, "stdvga")) b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
		else if (!strcmp(buf, "cirrus")) b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
		else if (!strcmp(buf, "none")) b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
		else if (!strcmp(buf, "qxl")) b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_QXL;
		else
			return xlp_bad(p, "vga", "unknown vga \"%s\" (stdvga, cirrus, none, qxl)", buf);
	} else if (!xlp_get_long(p, "stdvga", &l)) {
		b->u.hvm.vga.kind = l ? LIBXL_VGA_INTERFACE_TYPE_STD : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
	}
	if (!xlu_cfg_get_string(p->cfg, "hdtype", &buf, 0)) {
		if (!strcasecmp(buf, "ide")) b->u.hvm.hdtype = LIBXL_HDTYPE_IDE;
		else if (!strcasecmp(buf, "ahci")) b->u.hvm.hdtype = LIBXL_HDTYPE_AHCI;
		else return xlp_bad(p, "hdtype", "invalid value \"%s\" (ide or ahci)", buf);
	}
	xlp_get_str(p, "keymap", &b->u.hvm.keymap);
	xlp_get_defbool(p, "spice", &b->u.hvm.spice.enable);
	if (!xlp_get_long(p, "spiceport", &l)) b->u.hvm.spice.port = (int)l;
	if (!xlp_get_long(p, "spicetls_port", &l)) b->u.hvm.spice.tls_port = (int)l;
	xlp_get_str(p, "spicehost", &b->u.hvm.spice.host);
	xlp_get_defbool(p, "spicedisable_ticketing", &b->u.hvm.spice.disable_ticketing);
	xlp_get_str(p, "spicepasswd", &b->u.hvm.spice.passwd);
	xlp_get_defbool(p, "spiceagent_mouse", &b->u.hvm.spice.agent_mouse);
	xlp_get_defbool(p, "spicevdagent", &b->u.hvm.spice.vdagent);
	xlp_get_defbool(p, "spice_clipboard_sharing", &b->u.hvm.spice.clipboard_sharing);
	if (!xlp_get_long(p, "spiceusbredirection", &l)) b->u.hvm.spice.usbredirection = (int)l;
	xlp_get_str(p, "spice_image_compression", &b->u.hvm.spice.image_compression);
	xlp_get_str(p, "spice_streaming_video", &b->u.hvm.spice.streaming_video);
	xlp_get_defbool(p, "nographic", &b->u.hvm.nographic);
	if (!xlu_cfg_get_long(p->cfg, "gfx_passthru", &l, 1)) {
		libxl_defbool_set(&b->u.hvm.gfx_passthru, l);
	} else if (!xlu_cfg_get_string(p->cfg, "gfx_passthru", &buf, 0)) {
		if (!strcasecmp(buf, "igd")) b->u.hvm.gfx_passthru_kind = LIBXL_GFX_PASSTHRU_KIND_IGD;
		else if (strcasecmp(buf, "default"))
			return xlp_bad(p, "gfx_passthru", "invalid value \"%s\"", buf);
		libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
	}
	e = xlu_cfg_get_list_as_string_list(p->cfg, "serial", &b->u.hvm.serial_list, 1);
	if (e == EINVAL && xlu_cfg_replace_string(p->cfg, "serial", &b->u.hvm.serial, 0))
		return xlp_bad(p, "serial", "expected a string or a list of strings");
	xlp_get_str(p, "boot", &b->u.hvm.boot);
	xlp_get_defbool(p, "usb", &b->u.hvm.usb);
	if (!xlp_get_long(p, "usbversion", &l)) b->u.hvm.usbversion = (int)l;
	e = xlu_cfg_get_list_as_string_list(p->cfg, "usbdevice", &b->u.hvm.usbdevice_list, 1);
	if (e == EINVAL && xlu_cfg_replace_string(p->cfg, "usbdevice", &b->u.hvm.usbdevice, 0))
		return xlp_bad(p, "usbdevice", "expected a string or a list of strings");
	xlp_get_defbool(p, "vkb_device", &b->u.hvm.vkb_device);
	xlp_get_str(p, "soundhw", &b->u.hvm.soundhw);
	xlp_get_defbool(p, "xen_platform_pci", &b->u.hvm.xen_platform_pci);
	if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display && strchr(b->u.hvm.vnc.listen, ':'))
		return xlp_bad(p, "vnclisten", "display specified both in vnclisten and vncdisplay");
	if (!xlu_cfg_get_string(p->cfg, "vendor_device", &buf, 0)) {
		if (!strcasecmp(buf, "xenserver")) b->u.hvm.vendor_device = LIBXL_VENDOR_DEVICE_XENSERVER;
		else if (!strcasecmp(buf, "none")) b->u.hvm.vendor_device = LIBXL_VENDOR_DEVICE_NONE;
		else return xlp_bad(p, "vendor_device", "unknown vendor_device '%s'", buf);
	}
	return 0;
}

static char *make_cmdline(struct pctx *p)
{
	const char *cmd = NULL, *root = NULL, *extra = NULL;
	char *out = NULL;

	xlu_cfg_get_string(p->cfg, "cmdline", &cmd, 0);
	xlu_cfg_get_string(p->cfg, "root", &root, 0);
	xlu_cfg_get_string(p->cfg, "extra", &extra, 0);
	if (cmd) {
		if (root || extra)
			fprintf(stderr, "Warning: ignoring root= and extra= in favour of cmdline=\n");
		return strdup(cmd);
	}
	if (root && extra) {
		if (asprintf(&out, "root=%s %s", root, extra) < 0)
			out = NULL;
	} else if (root) {
		if (asprintf(&out, "root=%s", root) < 0)
			out = NULL;
	} else if (extra) {
		out = strdup(extra);
	}
	return out;
}

static int parse_all(struct pctx *p)
{
	libxl_domain_config *dc = p->dc;
	libxl_domain_create_info *c = &dc->c_info;
	libxl_domain_build_info *b = &dc->b_info;
	const char *buf;
	long l, vcpus = 0;
	int e, pci_msi = 0, pci_pm = 0, pci_perm = 0, pci_seize = 0;

	if (!xlu_cfg_get_string(p->cfg, "init_seclabel", &buf, 0))
		xlp_get_str(p, "init_seclabel", &c->ssid_label);
	if (!xlu_cfg_get_string(p->cfg, "seclabel", &buf, 0))
		xlp_get_str(p, "seclabel", c->ssid_label ? &b->exec_ssid_label : &c->ssid_label);
	libxl_defbool_set(&c->run_hotplug_scripts, p->g->run_hotplug_scripts);

	if (!xlu_cfg_get_string(p->cfg, "type", &buf, 0)) {
		if (prefix_of(buf, "hvm")) c->type = LIBXL_DOMAIN_TYPE_HVM;
		else if (prefix_of(buf, "pv")) c->type = LIBXL_DOMAIN_TYPE_PV;
		else if (prefix_of(buf, "pvh")) c->type = LIBXL_DOMAIN_TYPE_PVH;
		else return xlp_bad(p, "type", "invalid domain type \"%s\" (pv, pvh or hvm)", buf);
	}
	/* deprecated since Xen 4.10, still understood */
	if (!xlu_cfg_get_string(p->cfg, "builder", &buf, 0)) {
		libxl_domain_type bt;

		if (prefix_of(buf, "hvm")) bt = LIBXL_DOMAIN_TYPE_HVM;
		else if (prefix_of(buf, "generic")) bt = LIBXL_DOMAIN_TYPE_PV;
		else return xlp_bad(p, "builder", "invalid domain builder \"%s\" (hvm or generic)", buf);
		if (c->type != LIBXL_DOMAIN_TYPE_INVALID && c->type != bt)
			return xlp_bad(p, "builder", "contradicts \"type\"");
		c->type = bt;
	}
	if (c->type == LIBXL_DOMAIN_TYPE_INVALID)
		c->type = LIBXL_DOMAIN_TYPE_PV;
	if (xlp_get_defbool(p, "hap", &c->hap))
		return -1;
	if (xlu_cfg_replace_string(p->cfg, "name", &c->name, 0)) {
		if (!p->g || !p->g->default_name)
			return xlp_bad(p, "name", "Domain name must be specified.");
		c->name = strdup(p->g->default_name);
		if (!c->name)
			return xlp_bad(p, "name", "out of memory");
	}
	if (!xlu_cfg_get_string(p->cfg, "uuid", &buf, 0)) {
		if (libxl_uuid_from_string(&c->uuid, buf))
			return xlp_bad(p, "uuid", "Failed to parse UUID: %s", buf);
	} else {
		libxl_uuid_generate(&c->uuid);
	}
	if (xlp_get_defbool(p, "oos", &c->oos))
		return -1;
	if (!xlu_cfg_get_string(p->cfg, "pool", &buf, 0))
		xlp_get_str(p, "pool", &c->pool_name);

	libxl_domain_build_info_init_type(b, c->type);
	if (b->type == LIBXL_DOMAIN_TYPE_PVH) {
		if (xlp_get_defbool(p, "pvshim", &b->u.pvh.pvshim) ||
		    xlp_get_str(p, "pvshim_path", &b->u.pvh.pvshim_path) ||
		    xlp_get_str(p, "pvshim_cmdline", &b->u.pvh.pvshim_cmdline) ||
		    xlp_get_str(p, "pvshim_extra", &b->u.pvh.pvshim_extra))
			return -1;
	}
	if (p->g->blkdev_start)
		b->blkdev_start = strdup(p->g->blkdev_start);

	if ((e = xlp_get_long(p, "cpu_weight", &l)) < 0) return -1; else if (!e) b->sched_params.weight = (int)l;
	if ((e = xlp_get_long(p, "cap", &l)) < 0) return -1; else if (!e) b->sched_params.cap = (int)l;
	if ((e = xlp_get_long(p, "period", &l)) < 0) return -1; else if (!e) b->sched_params.period = (int)l;
	if ((e = xlp_get_long(p, "slice", &l)) < 0) return -1; else if (!e) b->sched_params.slice = (int)l;
	if ((e = xlp_get_long(p, "latency", &l)) < 0) return -1; else if (!e) b->sched_params.latency = (int)l;
	if ((e = xlp_get_long(p, "extratime", &l)) < 0) return -1; else if (!e) b->sched_params.extratime = (int)l;

	if ((e = xlp_get_long(p, "memory", &l)) < 0)
		return -1;
	if (!e)
		b->target_memkb = (uint64_t)l * 1024;
	if ((e = xlp_get_long(p, "maxmem", &l)) < 0)
		return -1;
	if (!e)
		b->max_memkb = (uint64_t)l * 1024;
	if ((e = xlp_get_long(p, "vcpus", &l)) < 0)
		return -1;
	if (!e) {
		if (l < 0 || l > 4096)
			return xlp_bad(p, "vcpus", "%ld is out of range (0 to 4096)", l);
		vcpus = l;
		if (libxl_bitmap_alloc(NULL, &b->avail_vcpus, (int)l))
			return -1;
		while (l-- > 0)
			libxl_bitmap_set(&b->avail_vcpus, (int)l);
	}
	if ((e = xlp_get_long(p, "maxvcpus", &l)) < 0)
		return -1;
	if (!e)
		b->max_vcpus = (int)l;
	if (!xlu_cfg_get_string(p->cfg, "vuart", &buf, 0) &&
	    libxl_vuart_type_from_string(buf, &b->arch_arm.vuart))
		return xlp_bad(p, "vuart", "invalid value \"%s\"", buf);
	if (xlp_parse_vnuma(p))
		return -1;
	if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
		b->max_memkb = b->target_memkb;
	if (b->max_vcpus == 0)
		b->max_vcpus = (int)vcpus;
	if (b->max_vcpus < vcpus)
		return xlp_bad(p, "maxvcpus", "maxvcpus (%d) < vcpus (%ld)", b->max_vcpus, vcpus);
	if (parse_affinity(p, "cpus", 1) || parse_affinity(p, "cpus_soft", 0))
		return -1;

	e = xlu_cfg_get_bounded_long(p->cfg, "max_grant_frames", 0, INT_MAX, &l, 1);
	if (e == ESRCH) b->max_grant_frames = (uint32_t)p->g->max_grant_frames;
	else if (!e) b->max_grant_frames = (uint32_t)l;
	else return xlp_bad(p, "max_grant_frames", "expected a number from 0 to %d", INT_MAX);
	e = xlu_cfg_get_bounded_long(p->cfg, "max_maptrack_frames", 0, INT_MAX, &l, 1);
	if (e == ESRCH) b->max_maptrack_frames = (uint32_t)p->g->max_maptrack_frames;
	else if (!e) b->max_maptrack_frames = (uint32_t)l;
	else return xlp_bad(p, "max_maptrack_frames", "expected a number from 0 to %d", INT_MAX);
	e = xlu_cfg_get_bounded_long(p->cfg, "max_grant_version", 0, INT_MAX, &l, 1);
	if (e == ESRCH) b->max_grant_version = (int)p->g->max_grant_version;
	else if (!e) b->max_grant_version = (int)l;
	else return xlp_bad(p, "max_grant_version", "expected a number from 0 to %d", INT_MAX);
	libxl_defbool_set(&b->claim_mode, p->g->claim_mode);

	if (parse_action(p, "on_poweroff", "destroy", &dc->on_poweroff) ||
	    parse_action(p, "on_reboot", "restart", &dc->on_reboot) ||
	    parse_action(p, "on_watchdog", "destroy", &dc->on_watchdog) ||
	    parse_action(p, "on_crash", "destroy", &dc->on_crash) ||
	    parse_action(p, "on_soft_reset", "soft-reset", &dc->on_soft_reset))
		return -1;
	if (c->type == LIBXL_DOMAIN_TYPE_PV && xlp_get_defbool(p, "e820_host", &b->u.pv.e820_host))
		return -1;
	if (!xlp_get_long(p, "pci_msitranslate", &l)) pci_msi = (int)l;
	if (!xlp_get_long(p, "pci_power_mgmt", &l)) pci_pm = (int)l;
	if (!xlp_get_long(p, "pci_permissive", &l)) pci_perm = (int)l;
	if (!xlp_get_long(p, "pci_seize", &l)) pci_seize = (int)l;
	if (!xlu_cfg_get_string(p->cfg, "rdm", &buf, 0) && b->type == LIBXL_DOMAIN_TYPE_HVM) {
		libxl_rdm_reserve rdm = { 0, LIBXL_RDM_RESERVE_POLICY_INVALID };
		if (strstr(buf, "policy="))
			/* Xen 4.17's rdm parser fails on any policy= and xl then
			 * drops the whole setting; do the same, but say so */
			fprintf(stderr, "%s:%d: warning: rdm: `%s' is ignored, as Xen 4.17's xl ignores any "
				"rdm= with policy= (set the policy per device with pci=[...,rdm_policy=])\n",
				p->src, xlu_cfg_lineno(p->cfg, "rdm"), buf);
		else if (!xlu_rdm_parse(p->cfg, &rdm, buf))
			b->u.hvm.rdm = rdm;
	}
	if (parse_pcis(p, pci_msi, pci_pm, pci_perm, pci_seize))
		return -1;
	{
		XLU_ConfigList *l2;
		const char *s;
		if (!xlu_cfg_get_list(p->cfg, "dtdev", &l2, 0, 0))
			for (int i = 0; (s = xlu_cfg_get_listitem(l2, i)); i++) {
				libxl_device_dtdev *d = GROW(dc->dtdevs, dc->num_dtdevs, libxl_device_dtdev,
							     libxl_device_dtdev_init);
				if (!d || !(d->path = strdup(s)))
					return -1;
			}
	}
	if (!xlu_cfg_get_string(p->cfg, "passthrough", &buf, 0) &&
	    libxl_passthrough_from_string(buf, &c->passthrough))
		return xlp_bad(p, "passthrough", "unknown passthrough option '%s'", buf);
	if (!xlp_get_long(p, "shadow_memory", &l))
		b->shadow_memkb = (uint64_t)l * 1024;
	xlp_get_defbool(p, "nomigrate", &b->disable_migrate);
	if (!xlu_cfg_get_long(p->cfg, "tsc_mode", &l, 1)) {
		const char *s = libxl_tsc_mode_to_string(l);
		fprintf(stderr, "WARNING: specifying \"tsc_mode\" as an integer is deprecated. "
			"Please use the named parameter variant. %s%s%s\n",
			s ? "e.g. tsc_mode=\"" : "", s ? s : "", s ? "\"" : "");
		if (l < 0 || l > LIBXL_TSC_MODE_NATIVE_PARAVIRT)
			return xlp_bad(p, "tsc_mode", "invalid value %ld", l);
		b->tsc_mode = (libxl_tsc_mode)l;
	} else if (!xlu_cfg_get_string(p->cfg, "tsc_mode", &buf, 0)) {
		fprintf(stderr, "got a tsc mode string: \"%s\"\n", buf);
		if (libxl_tsc_mode_from_string(buf, &b->tsc_mode))
			return xlp_bad(p, "tsc_mode", "invalid value \"%s\"", buf);
	}
	if (!xlp_get_long(p, "rtc_timeoffset", &l))
		b->rtc_timeoffset = (uint32_t)l;
	if (!xlu_cfg_get_long(p->cfg, "vncviewer", &l, 0))
		fprintf(stderr, "WARNING: ignoring \"vncviewer\" option. Use \"-V\" option of \"xl create\" "
			"to automatically spawn vncviewer.\n");
	xlp_get_defbool(p, "localtime", &b->localtime);
	if (!xlp_get_long(p, "videoram", &l))
		b->video_memkb = (uint64_t)l * 1024;
	if (!xlp_get_long(p, "max_event_channels", &l))
		b->event_channels = (uint32_t)l;
	if (xlp_get_str(p, "kernel", &b->kernel) || xlp_get_str(p, "ramdisk", &b->ramdisk) ||
	    xlp_get_str(p, "device_tree", &b->device_tree))
		return -1;
	b->cmdline = make_cmdline(p);
	xlp_get_defbool(p, "driver_domain", &c->driver_domain);
	xlp_get_defbool(p, "acpi", &b->acpi);
	xlp_get_str(p, "bootloader", &b->bootloader);
	e = xlu_cfg_get_list_as_string_list(p->cfg, "bootloader_args", &b->bootloader_args, 1);
	if (e == EINVAL && !xlu_cfg_get_string(p->cfg, "bootloader_args", &buf, 0)) {
		char *copy = strdup(buf), *save = NULL, *t;
		int n = 0;
		fprintf(stderr, "WARNING: Specifying \"bootloader_args\" as a string is deprecated. "
			"Please use a list of arguments.\n");
		b->bootloader_args = calloc(strlen(buf) / 2 + 2, sizeof(char *));
		if (!copy || !b->bootloader_args) {
			free(copy);
			return -1;
		}
		for (t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
			b->bootloader_args[n++] = strdup(t);
		free(copy);
	}
	if (!xlu_cfg_get_long(p->cfg, "timer_mode", &l, 1)) {
		if (b->type == LIBXL_DOMAIN_TYPE_PV)
			return xlp_bad(p, "timer_mode", "option is not supported for PV guests");
		fprintf(stderr, "WARNING: specifying \"timer_mode\" as an integer is deprecated. "
			"Please use the named parameter variant.\n");
		if (l < 0 || l > 3)
			return xlp_bad(p, "timer_mode", "invalid value %ld", l);
		b->timer_mode = (libxl_timer_mode)l;
	} else if (!xlu_cfg_get_string(p->cfg, "timer_mode", &buf, 0)) {
		if (b->type == LIBXL_DOMAIN_TYPE_PV)
			return xlp_bad(p, "timer_mode", "option is not supported for PV guests");
		if (libxl_timer_mode_from_string(buf, &b->timer_mode))
			return xlp_bad(p, "timer_mode", "invalid value \"%s\"", buf);
	}
	xlp_get_defbool(p, "nestedhvm", &b->nested_hvm);

	if (b->type == LIBXL_DOMAIN_TYPE_HVM) {
		if (parse_hvm(p))
			return -1;
	} else {
		if (!xlu_cfg_get_string(p->cfg, "firmware", &buf, 0)) {
			if (b->kernel)
				return xlp_bad(p, "firmware", "both kernel and firmware specified");
			if (!prefix_of(buf, "pvgrub32") && !prefix_of(buf, "pvgrub64"))
				return xlp_bad(p, "firmware", "only pvgrub32 or pvgrub64 are supported as firmware");
			if (asprintf(&b->kernel, "/usr/lib/xen-4.17/boot/%s.bin", buf) < 0)
				return -1;
		}
		if (!b->bootloader && !b->kernel)
			return xlp_bad(p, NULL, "Neither kernel nor bootloader specified");
	}
	if (!xlu_cfg_get_long(p->cfg, "altp2m", &l, 1)) {
		if (l < 0 || l > LIBXL_ALTP2M_MODE_LIMITED)
			return xlp_bad(p, "altp2m", "invalid value %ld", l);
		b->altp2m = (libxl_altp2m_mode)l;
	} else if (!xlu_cfg_get_string(p->cfg, "altp2m", &buf, 0) &&
		   libxl_altp2m_mode_from_string(buf, &b->altp2m)) {
		return xlp_bad(p, "altp2m", "invalid value \"%s\"", buf);
	}
	if (!xlu_cfg_get_long(p->cfg, "vmtrace_buf_kb", &l, 1) && l)
		b->vmtrace_buf_kb = (int)l;
	if (xlp_parse_io(p))
		return -1;
	if (parse_disks(p))
		return -1;
	if (xlp_parse_p9_vtpm_pvcalls(p) || xlp_parse_vdispls(p) || xlp_parse_vsnds(p))
		return -1;
	if (parse_channels(p) || parse_nics(p))
		return -1;
	if (!xlu_cfg_get_list(p->cfg, "vif2", NULL, 0, 0))
		fprintf(stderr, "WARNING: vif2: netchannel2 is deprecated and not supported by xl\n");
	if (parse_vfbs(p))
		return -1;
	if (xlp_parse_usb(p) || parse_cpuid(p))
		return -1;
	if (!xlu_cfg_get_string(p->cfg, "device_model", &buf, 0))
		fprintf(stderr, "WARNING: ignoring device_model directive.\n"
			"WARNING: Use \"device_model_override\" instead if you really want a non-default device_model\n");
	xlp_get_str(p, "device_model_override", &b->device_model);
	if (!xlu_cfg_get_string(p->cfg, "device_model_version", &buf, 0)) {
		if (!strcmp(buf, "qemu-xen-traditional"))
			b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
		else if (!strcmp(buf, "qemu-xen"))
			b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
		else
			return xlp_bad(p, "device_model_version", "unknown device_model_version \"%s\"", buf);
	} else if (b->device_model) {
		fprintf(stderr, "WARNING: device model override given without specific DM version\n");
	}
	xlp_get_defbool(p, "device_model_stubdomain_override", &b->device_model_stubdomain);
	if (!xlu_cfg_get_string(p->cfg, "device_model_stubdomain_seclabel", &buf, 0))
		xlp_get_str(p, "device_model_stubdomain_seclabel", &b->device_model_ssid_label);
	xlp_get_str(p, "device_model_user", &b->device_model_user);
	xlp_get_str(p, "stubdomain_kernel", &b->stubdomain_kernel);
	xlp_get_str(p, "stubdomain_cmdline", &b->stubdomain_cmdline);
	xlp_get_str(p, "stubdomain_ramdisk", &b->stubdomain_ramdisk);
	if (!xlp_get_long(p, "stubdomain_memory", &l))
		b->stubdomain_memkb = (uint64_t)l * 1024;
	{
		static const char *const dmargs[3] = { "device_model_args", "device_model_args_pv",
						       "device_model_args_hvm" };
		libxl_string_list *dst[3] = { &b->extra, &b->extra_pv, &b->extra_hvm };
		for (int i = 0; i < 3; i++) {
			e = xlu_cfg_get_list_as_string_list(p->cfg, dmargs[i], dst[i], 0);
			if (e && e != ESRCH)
				return xlp_bad(p, dmargs[i], "expected a list of strings");
		}
	}
	if (c->type == LIBXL_DOMAIN_TYPE_PV && !dc->num_vfbs) {
		if (!xlp_get_long(p, "vnc", &l) && l) {
			libxl_device_vfb *vfb = GROW(dc->vfbs, dc->num_vfbs, libxl_device_vfb,
						     libxl_device_vfb_init);
			libxl_device_vkb *vkb;
			if (!vfb)
				return -1;
			vfb->devid = 0;
			vkb = GROW(dc->vkbs, dc->num_vkbs, libxl_device_vkb, libxl_device_vkb_init);
			if (!vkb)
				return -1;
			vkb->devid = 0;
			top_vnc_sdl(p, &vfb->vnc, &vfb->sdl);
			xlp_get_str(p, "keymap", &vfb->keymap);
		}
	} else if (b->type == LIBXL_DOMAIN_TYPE_HVM) {
		top_vnc_sdl(p, &b->u.hvm.vnc, &b->u.hvm.sdl);
	}
	xlp_get_defbool(p, "dm_restrict", &b->dm_restrict);
	if (b->type == LIBXL_DOMAIN_TYPE_HVM && parse_hvm_late(p))
		return -1;
	if (!xlu_cfg_get_string(p->cfg, "gic_version", &buf, 1) &&
	    libxl_gic_version_from_string(buf, &b->arch_arm.gic_version))
		return xlp_bad(p, "gic_version", "unknown gic_version \"%s\"", buf);
	if (!xlu_cfg_get_string(p->cfg, "tee", &buf, 1) &&
	    libxl_tee_type_from_string(buf, &b->tee))
		return xlp_bad(p, "tee", "unknown tee \"%s\"", buf);
	if (xlp_parse_vkbs(p))
		return -1;
	xlp_get_defbool(p, "xend_suspend_evtchn_compat", &c->xend_suspend_evtchn_compat);
	if (!xlp_get_defbool(p, "msr_relaxed", &b->arch_x86.msr_relaxed) && xlu_cfg_lineno(p->cfg, "msr_relaxed"))
		fprintf(stderr, "WARNING: msr_relaxed will be removed in future versions.\n");
	xlp_get_defbool(p, "vpmu", &b->vpmu);
	return 0;
}

int xl_parse_config_data(struct xl_globals *g, const char *source, const char *data,
			 int len, libxl_domain_config *dc)
{
	struct pctx p = { g, NULL, source, dc };
	int e, rc;

	p.cfg = xlu_cfg_init(stderr, source);
	if (!p.cfg)
		return -1;
	e = xlu_cfg_readdata(p.cfg, data, len);
	if (e) {
		fprintf(stderr, "Failed to parse config: %s\n", strerror(e));
		xlu_cfg_destroy(p.cfg);
		return -1;
	}
	warn_unknown_keys(&p);
	rc = parse_all(&p);
	xlu_cfg_destroy(p.cfg);
	return rc;
}
