/* Disk specs, per xl-disk-configuration(5): "key=value" parameters,
 * positional TARGET,FORMAT,VDEV,ACCESS, flags, and the deprecated
 * prefixes (phy:, file:, tap:aio:, raw:, iscsi: ...).  The scanner
 * follows the same longest-match rules as Xen's, so every spec is read
 * the way Xen 4.17's xl reads it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

struct dctx {
	XLU_Config *cfg;
	libxl_device_disk *disk;
	const char *spec;
	int err;
	int had_depr_prefix;
	int access_set;
};

static void disk_err(struct dctx *d, const char *near, const char *msg)
{
	fprintf(d->cfg->report,
		"%s: config parsing error in disk specification: %s%s%s%s in `%s'\n",
		d->cfg->config_source, msg, near ? ": near `" : "", near ? near : "",
		near ? "'" : "", d->spec ? d->spec : "");
	if (!d->err)
		d->err = EINVAL;
}

static void save_string(struct dctx *d, const char *what, char **dst, const char *val)
{
	char msg[64];
	char *s;

	if (*dst && **dst) {
		snprintf(msg, sizeof(msg), "%s respecified", what);
		disk_err(d, val, msg);
		return;
	}
	s = strdup(val);
	if (!s) {
		d->err = ENOMEM;
		return;
	}
	free(*dst);
	*dst = s;
}

static void set_enum(struct dctx *d, int *member, int val, const char *what, const char *str)
{
	char msg[64];

	if (*member != 0 && *member != val) {
		snprintf(msg, sizeof(msg), "%s respecified", what);
		disk_err(d, str, msg);
	} else {
		*member = val;
	}
}

static void set_access(struct dctx *d, const char *s)
{
	if (!strcmp(s, "r") || !strcmp(s, "ro"))
		d->disk->readwrite = 0;
	else if (!strcmp(s, "rw") || !strcmp(s, "w") || !strcmp(s, ""))
		d->disk->readwrite = 1;
	else
		disk_err(d, s, "unknown value for access");
}

static void set_format(struct dctx *d, const char *s)
{
	static const struct { const char *n; libxl_disk_format f; } fmts[] = {
		{ "", LIBXL_DISK_FORMAT_RAW }, { "raw", LIBXL_DISK_FORMAT_RAW },
		{ "qcow", LIBXL_DISK_FORMAT_QCOW }, { "qcow2", LIBXL_DISK_FORMAT_QCOW2 },
		{ "vhd", LIBXL_DISK_FORMAT_VHD }, { "empty", LIBXL_DISK_FORMAT_EMPTY },
		{ "qed", LIBXL_DISK_FORMAT_QED },
	};

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(s, fmts[i].n)) {
			set_enum(d, (int *)&d->disk->format, fmts[i].f, "format", s);
			return;
		}
	disk_err(d, s, "unknown value for format");
}

static void set_backendtype(struct dctx *d, const char *s)
{
	static const struct { const char *n; libxl_disk_backend b; } bes[] = {
		{ "phy", LIBXL_DISK_BACKEND_PHY }, { "tap", LIBXL_DISK_BACKEND_TAP },
		{ "qdisk", LIBXL_DISK_BACKEND_QDISK }, { "standalone", LIBXL_DISK_BACKEND_STANDALONE },
	};

	for (size_t i = 0; i < sizeof(bes) / sizeof(bes[0]); i++)
		if (!strcmp(s, bes[i].n)) {
			set_enum(d, (int *)&d->disk->backend, bes[i].b, "backend", s);
			return;
		}
	disk_err(d, s, "unknown value for backendtype");
}

static void set_specification(struct dctx *d, const char *s)
{
	if (!strcmp(s, "xen"))
		set_enum(d, (int *)&d->disk->specification, LIBXL_DISK_SPECIFICATION_XEN, "specification", s);
	else if (!strcmp(s, "virtio"))
		set_enum(d, (int *)&d->disk->specification, LIBXL_DISK_SPECIFICATION_VIRTIO, "specification", s);
	else
		disk_err(d, s, "unknown value for specification");
}

/* "hdc:cdrom" / "hda:disk": returns 1 when str had a device type. */
static int vdev_and_devtype(struct dctx *d, char *str)
{
	char *colon = strrchr(str, ':');

	if (!colon)
		return 0;
	*colon++ = 0;
	save_string(d, "vdev", &d->disk->vdev, str);
	if (!strcmp(colon, "cdrom"))
		d->disk->is_cdrom = 1;
	else if (!strcmp(colon, "disk"))
		d->disk->is_cdrom = 0;
	else
		disk_err(d, colon, "unknown deprecated type");
	return 1;
}

/* ---- scanner ---- */

enum rule {
	R_FORMAT, R_CDROM, R_DEVTYPE_CDROM, R_DEVTYPE_DISK, R_DEVTYPE, R_ACCESS, R_BACKEND,
	R_BACKENDTYPE, R_SPECIFICATION, R_VDEV, R_SCRIPT, R_DIRECTIO, R_DISCARD,
	R_NODISCARD, R_COLO, R_NOCOLO, R_COLOHOST, R_COLOPORT, R_COLOEXPORT, R_ACTIVE,
	R_HIDDEN, R_TARGET, R_UNKNOWN, R_FMTPREFIX, R_SCRIPTPREFIX, R_TAPDISK, R_TAP,
	R_AIO, R_IOEMU, R_FILE, R_PHY, R_BADPREFIX, R_POSITIONAL, R_NONE,
};

/* keyword rules "KEY=[^,]*,?" in rule order */
static const struct { const char *key; enum rule r; } kv_rules[] = {
	{ "format=", R_FORMAT }, { "devtype=", R_DEVTYPE }, { "access=", R_ACCESS },
	{ "backend=", R_BACKEND }, { "backendtype=", R_BACKENDTYPE },
	{ "specification=", R_SPECIFICATION }, { "vdev=", R_VDEV }, { "script=", R_SCRIPT },
	{ "colo-host=", R_COLOHOST }, { "colo-port=", R_COLOPORT },
	{ "colo-export=", R_COLOEXPORT }, { "active-disk=", R_ACTIVE },
	{ "hidden-disk=", R_HIDDEN },
};
/* flag rules "WORD,?" */
static const struct { const char *word; enum rule r; } flag_rules[] = {
	{ "cdrom", R_CDROM }, { "devtype=cdrom", R_DEVTYPE_CDROM },
	{ "devtype=disk", R_DEVTYPE_DISK }, { "direct-io-safe", R_DIRECTIO },
	{ "discard", R_DISCARD }, { "no-discard", R_NODISCARD }, { "colo", R_COLO },
	{ "no-colo", R_NOCOLO },
};

static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_alnum_l(char c) { return is_lower(c) || (c >= '0' && c <= '9'); }

static size_t line_rest(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? (size_t)(nl - p) : strlen(p);
}

static void consider(enum rule r, size_t len, enum rule *best, size_t *blen)
{
	/* longest wins; on a tie the earlier rule (lower enum) wins */
	if (len > *blen || (len == *blen && len && r < *best)) {
		*best = r;
		*blen = len;
	}
}

/* Picks the rule for the text at p; *tok_len is what the rule consumes. */
static enum rule scan(const char *p, size_t *tok_len)
{
	enum rule best = R_NONE;
	size_t blen = 0, n;

	for (size_t i = 0; i < sizeof(flag_rules) / sizeof(flag_rules[0]); i++) {
		n = strlen(flag_rules[i].word);
		if (!strncmp(p, flag_rules[i].word, n)) {
			size_t l = n + (p[n] == ',');
			consider(flag_rules[i].r, l, &best, &blen);
		}
	}
	for (size_t i = 0; i < sizeof(kv_rules) / sizeof(kv_rules[0]); i++) {
		n = strlen(kv_rules[i].key);
		if (!strncmp(p, kv_rules[i].key, n)) {
			size_t v = strcspn(p + n, ",");
			consider(kv_rules[i].r, n + v + (p[n + v] == ','), &best, &blen);
		}
	}
	if (!strncmp(p, "target=", 7))
		consider(R_TARGET, line_rest(p), &best, &blen);
	if (is_lower(*p)) {
		size_t k = 1;
		while (is_alnum_l(p[k]) || p[k] == '-')
			k++;
		if (p[k] == '=' && p[k + 1] && p[k + 1] != ',')
			consider(R_UNKNOWN, k + 2 + (p[k + 2] == ','), &best, &blen);
		/* prefix rules "word:" with trailing context */
		k = 1;
		while (is_alnum_l(p[k]))
			k++;
		if (p[k] == ':') {
			static const struct { const char *w; enum rule r; } pre[] = {
				{ "raw", R_FMTPREFIX }, { "qcow", R_FMTPREFIX }, { "qcow2", R_FMTPREFIX },
				{ "vhd", R_FMTPREFIX }, { "iscsi", R_SCRIPTPREFIX }, { "nbd", R_SCRIPTPREFIX },
				{ "enbd", R_SCRIPTPREFIX }, { "drbd", R_SCRIPTPREFIX },
				{ "tapdisk", R_TAPDISK }, { "tap", R_TAP }, { "tap2", R_TAP },
				{ "aio", R_AIO }, { "ioemu", R_IOEMU }, { "file", R_FILE }, { "phy", R_PHY },
			};
			size_t rest = line_rest(p);
			for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
				if (strlen(pre[i].w) == k && !strncmp(p, pre[i].w, k))
					consider(pre[i].r, rest, &best, &blen);
			if (p[k + 1] && !is_alnum_l(p[k + 1]) && p[k + 1] != '\n')
				consider(R_BADPREFIX, rest, &best, &blen);
			else
				consider(R_BADPREFIX, k + 1, &best, &blen);
		}
	}
	n = strcspn(p, "=,");
	if (p[n] == ',')
		consider(R_POSITIONAL, n + 1, &best, &blen);
	else if (n)
		consider(R_POSITIONAL, n, &best, &blen);

	if (best == R_FMTPREFIX || best == R_SCRIPTPREFIX || best == R_TAPDISK ||
	    best == R_TAP || best == R_AIO || best == R_IOEMU || best == R_FILE ||
	    best == R_PHY || (best == R_BADPREFIX))
		blen = strcspn(p, ":") + 1;  /* only the prefix is consumed */
	*tok_len = blen;
	return best;
}

/* Returns 1 when scanning of this spec must stop. */
static int positional(struct dctx *d, char *t)
{
	libxl_device_disk *disk = d->disk;

	if (d->err)
		return 0;  /* earlier errors would only cause more */
	if (!disk->pdev_path) {
		save_string(d, "target", &disk->pdev_path, t);
	} else if (!d->had_depr_prefix && disk->format == LIBXL_DISK_FORMAT_UNKNOWN) {
		if (!*disk->pdev_path && vdev_and_devtype(d, t))
			disk->format = LIBXL_DISK_FORMAT_EMPTY;
		else
			set_format(d, t);
	} else if (!disk->vdev) {
		if (!vdev_and_devtype(d, t))
			save_string(d, "vdev", &disk->vdev, t);
	} else if (!d->access_set) {
		d->access_set = 1;
		set_access(d, t);
	} else {
		disk_err(d, t, "too many positional parameters");
		return 1;
	}
	return 0;
}

/* Returns 0 to go on, 1 to stop scanning this spec. */
static int apply(struct dctx *d, enum rule r, char *t)
{
	size_t len = strlen(t);
	char *val;

	if (r != R_TARGET && r != R_POSITIONAL && r != R_DEVTYPE && r != R_UNKNOWN &&
	    len && t[len - 1] == ',')
		t[--len] = 0;
	val = strchr(t, '=');
	val = val ? val + 1 : t;
	switch (r) {
	case R_FORMAT: set_format(d, val); break;
	case R_CDROM: case R_DEVTYPE_CDROM: d->disk->is_cdrom = 1; break;
	case R_DEVTYPE_DISK: d->disk->is_cdrom = 0; break;
	case R_DEVTYPE: {
		/* Xen reports the whole token, comma included */
		disk_err(d, t, "unknown value for type");
		break;
	}
	case R_ACCESS: set_access(d, val); break;
	case R_BACKEND: save_string(d, "backend", &d->disk->backend_domname, val); break;
	case R_BACKENDTYPE: set_backendtype(d, val); break;
	case R_SPECIFICATION: set_specification(d, val); break;
	case R_VDEV: save_string(d, "vdev", &d->disk->vdev, val); break;
	case R_SCRIPT: save_string(d, "script", &d->disk->script, val); break;
	case R_DIRECTIO: d->disk->direct_io_safe = 1; break;
	case R_DISCARD: libxl_defbool_set(&d->disk->discard_enable, true); break;
	case R_NODISCARD: libxl_defbool_set(&d->disk->discard_enable, false); break;
	case R_COLO: libxl_defbool_set(&d->disk->colo_enable, true); break;
	case R_NOCOLO: libxl_defbool_set(&d->disk->colo_enable, false); break;
	case R_COLOHOST: save_string(d, "colo-host", &d->disk->colo_host, val); break;
	case R_COLOPORT: {
		int port = atoi(val);
		if (port)
			d->disk->colo_port = port;
		else
			disk_err(d, val, "unknown value for colo_port");
		break;
	}
	case R_COLOEXPORT: save_string(d, "colo-export", &d->disk->colo_export, val); break;
	case R_ACTIVE: save_string(d, "active-disk", &d->disk->active_disk, val); break;
	case R_HIDDEN: save_string(d, "hidden-disk", &d->disk->hidden_disk, val); break;
	case R_TARGET:
		if (len && t[len - 1] == ',')
			t[--len] = 0;
		save_string(d, "target", &d->disk->pdev_path, t + 7);
		break;
	case R_UNKNOWN: disk_err(d, t, "unknown parameter"); break;
	case R_FMTPREFIX:
		t[len - 1] = 0;
		d->had_depr_prefix = 1;
		set_format(d, t);
		break;
	case R_SCRIPTPREFIX: {
		char script[64];
		t[len - 1] = 0;
		d->had_depr_prefix = 1;
		snprintf(script, sizeof(script), "block-%s", t);
		if (d->disk->script && *d->disk->script)
			disk_err(d, script, "script respecified");
		else
			save_string(d, "script", &d->disk->script, script);
		break;
	}
	case R_TAPDISK: case R_TAP: case R_AIO: case R_IOEMU: case R_FILE: case R_PHY:
		d->had_depr_prefix = 1;
		break;
	case R_BADPREFIX:
		disk_err(d, t, "unknown deprecated disk prefix");
		return 1;
	case R_POSITIONAL:
		if (len && t[len - 1] == ',')
			t[--len] = 0;
		return positional(d, t);
	default:
		break;
	}
	return 0;
}

static int scan_spec(struct dctx *d, const char *spec)
{
	const char *p = spec;

	d->spec = spec;
	while (*p) {
		enum rule r;
		size_t len;
		char *tok;
		int stop;

		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p++;
			continue;
		}
		r = scan(p, &len);
		if (r == R_NONE || len == 0) {
			disk_err(d, p, "bad disk syntax");
			return d->err;
		}
		tok = strndup(p, len);
		if (!tok)
			return ENOMEM;
		stop = apply(d, r, tok);
		free(tok);
		if (stop)
			break;
		p += len;
	}
	return d->err;
}

int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
		   libxl_device_disk *disk)
{
	struct dctx d;

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.disk = disk;
	disk->readwrite = 1;

	for (int i = 0; i < nspecs; i++) {
		scan_spec(&d, specs[i]);
		if (d.err)
			return d.err;
	}
	if (disk->format == LIBXL_DISK_FORMAT_UNKNOWN)
		disk->format = LIBXL_DISK_FORMAT_RAW;
	if (disk->is_cdrom) {
		disk->removable = 1;
		disk->readwrite = 0;
		if (!disk->pdev_path || !*disk->pdev_path)
			disk->format = LIBXL_DISK_FORMAT_EMPTY;
	}
	if (!disk->vdev) {
		disk_err(&d, NULL, "no vdev specified");
		return d.err;
	}
	if (!disk->pdev_path && !disk->removable) {
		disk_err(&d, NULL, "no target specified (and device not removable)");
		return d.err;
	}
	return 0;
}
