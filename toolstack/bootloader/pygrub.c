/*
 * pygrub: boots a PV or PVH guest from its own disk.  xl runs it with the
 * guest's first disk; it finds the boot menu on that disk (GRUB 2, GRUB
 * legacy or extlinux), lets the user choose on the guest's console or
 * takes the default, copies the kernel and initrd out, and tells xl where
 * they are.  Same options, search order, choices and output as Xen 4.17's
 * pygrub, so configs that name /usr/bin/pygrub or "pygrub" work as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "pygrub.h"

#define MENU_MAX BOOTCFG_READ_MAX
#define DEFAULT_OUTPUT_DIR "/var/run/xen/pygrub"

struct opts {
	bool interactive, list, not_really, isconfig, debug, have_offset, have_uid, qcow2;
	const char *output, *output_dir, *entry, *image;
	const char *kernel, *ramdisk, *args; /* --kernel/--ramdisk/--args */
	enum pygrub_format fmt;
	uint64_t offset;
	unsigned long uid;
};

/* What to boot, with strings owned here. */
struct choice {
	char *kernel, *ramdisk, *args;
};

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-q|--quiet] [-i|--interactive] [-l|--list-entries] "
		"[-n|--not-really] [--output=] [--kernel=] [--ramdisk=] [--args=] [--entry=] "
		"[--output-directory=] [--output-format=sxp|simple|simple0] [--runas=] "
		"[--offset=] [--isconfig] [--debug] [--disk-format=raw|qcow2] <image>\n", prog);
}

static int parse_number(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

/* 0 to go on, else the exit status. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_OUTPUT = 256, O_FORMAT, O_DIR, O_OFFSET, O_RUNAS, O_ENTRY, O_KERNEL,
	       O_RAMDISK, O_ARGS, O_ISCONFIG, O_DEBUG, O_FORMAT_DISK };
	static const struct option lo[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "list-entries", no_argument, NULL, 'l' },
		{ "not-really", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "output-format", required_argument, NULL, O_FORMAT },
		{ "output-directory", required_argument, NULL, O_DIR },
		{ "offset", required_argument, NULL, O_OFFSET },
		{ "runas", required_argument, NULL, O_RUNAS },
		{ "entry", required_argument, NULL, O_ENTRY },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "ramdisk", required_argument, NULL, O_RAMDISK },
		{ "args", required_argument, NULL, O_ARGS },
		{ "isconfig", no_argument, NULL, O_ISCONFIG },
		{ "debug", no_argument, NULL, O_DEBUG },
		{ "disk-format", required_argument, NULL, O_FORMAT_DISK },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	int c;

	*o = (struct opts){ .interactive = true, .fmt = PYGRUB_SXP,
			    .output_dir = DEFAULT_OUTPUT_DIR, .args = "" };
	while ((c = getopt_long(argc, argv, "qilnh::", lo, NULL)) != -1) {
		switch (c) {
		case 'q': o->interactive = false; break;
		case 'i': o->interactive = true; break;
		case 'l': o->list = true; break;
		case 'n': o->not_really = true; break;
		case 'h': usage(argv[0]); return -1; /* exit 0, as Xen's */
		case O_OUTPUT: o->output = strcmp(optarg, "-") ? optarg : NULL; break;
		case O_FORMAT:
			if (!strcmp(optarg, "sxp"))
				o->fmt = PYGRUB_SXP;
			else if (!strcmp(optarg, "simple"))
				o->fmt = PYGRUB_SIMPLE;
			else if (!strcmp(optarg, "simple0"))
				o->fmt = PYGRUB_SIMPLE0;
			else {
				fprintf(stderr, "pygrub: unknown output format %s "
					"(sxp, simple or simple0)\n", optarg);
				usage(argv[0]);
				return 1;
			}
			break;
		case O_DIR: {
			struct stat st;

			if (stat(optarg, &st) < 0 || !S_ISDIR(st.st_mode)) {
				fprintf(stderr, "pygrub: --output-directory=%s is not an "
					"existing directory\n", optarg);
				return 1;
			}
			o->output_dir = optarg;
			break;
		}
		case O_OFFSET:
			if (parse_number(optarg, &o->offset)) {
				fprintf(stderr, "pygrub: --offset=%s: not a byte offset\n", optarg);
				usage(argv[0]);
				return 1;
			}
			o->have_offset = true;
			break;
		case O_RUNAS:
			if (parse_number(optarg, &v) || v > UINT32_MAX) {
				fprintf(stderr, "pygrub: --runas=%s: not a user id\n", optarg);
				usage(argv[0]);
				return 1;
			}
			o->uid = (unsigned long)v;
			o->have_uid = true;
			break;
		case O_ENTRY: o->entry = optarg; o->interactive = false; break;
		case O_KERNEL: o->kernel = optarg; break;
		case O_RAMDISK: o->ramdisk = optarg; break;
		case O_ARGS: o->args = optarg; break;
		case O_ISCONFIG: o->isconfig = true; break;
		case O_DEBUG: o->debug = true; break;
		case O_FORMAT_DISK:
			/* ours only: xl passes it for a format=qcow2 disk */
			if (strcmp(optarg, "raw") && strcmp(optarg, "qcow2")) {
				fprintf(stderr, "pygrub: --disk-format=%s: raw or qcow2\n", optarg);
				return 1;
			}
			o->qcow2 = !strcmp(optarg, "qcow2");
			break;
		default: usage(argv[0]); return 1;
		}
	}
	if (optind >= argc) {
		usage(argv[0]);
		return 1;
	}
	o->image = argv[optind];
	if (o->interactive && o->have_uid) {
		fprintf(stderr, "pygrub: --runas needs --entry or -q (no menu without privileges)\n");
		return 1;
	}
	return 0;
}

static void choice_free(struct choice *ch)
{
	free(ch->kernel);
	free(ch->ramdisk);
	free(ch->args);
	*ch = (struct choice){ 0 };
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Which entry to boot: the menu, the default, or --entry when it names
 * one; *edited: arguments typed in the menu, if any. */
static long pick_entry(const struct opts *o, const struct bootcfg *c, char **edited)
{
	long sel = (long)bootcfg_default(c);

	if (o->interactive && !o->list) {
		if (isatty(STDIN_FILENO))
			sel = pygrub_menu(c, (size_t)sel, STDIN_FILENO, STDOUT_FILENO, edited);
		else if (o->debug)
			fprintf(stderr, "pygrub: no terminal for the menu: booting the default\n");
	}
	if (o->entry) {
		long e = bootcfg_find(c, o->entry);

		if (e >= 0 && (size_t)e < c->n)
			sel = e;
	}
	return sel;
}

/* The menu's choice plus --args, joined as Xen's pygrub joins them. */
static int choose_from_menu(const struct opts *o, const struct bootcfg *c, struct choice *ch,
			    char *why, size_t whylen)
{
	const struct bootentry *e;
	char *edited = NULL;
	long sel;
	int n;

	if (o->list)
		pygrub_list(c);
	if (c->n == 0) {
		snprintf(why, whylen, "the boot menu has no entry");
		return -ENOENT;
	}
	sel = pick_entry(o, c, &edited);
	if (sel < 0) {
		fprintf(stderr, "No kernel image selected!\n");
		exit(1);
	}
	e = &c->e[(size_t)sel < c->n ? (size_t)sel : 0];
	n = asprintf(&ch->args, "%s%s%s", edited ? edited : e->args ? e->args : "",
		     *o->args ? " " : "", o->args);
	free(edited);
	if (n < 0) {
		ch->args = NULL;
		return -ENOMEM;
	}
	ch->kernel = dup_or_null(e->kernel);
	ch->ramdisk = dup_or_null(e->initrd);
	if ((e->kernel && !ch->kernel) || (e->initrd && !ch->ramdisk))
		return -ENOMEM;
	return 0;
}

static int read_menu(struct bootfs *fs, struct bootcfg *c, bool debug, char *why, size_t whylen)
{
	void *text;
	size_t len;
	int rc;

	for (size_t i = 0; i < bootcfg_npaths; i++) {
		const char *path = bootcfg_paths[i].path;

		if (!bootfs_exists(fs, path))
			continue;
		if (debug)
			fprintf(stderr, "pygrub: boot menu %s\n", path);
		/* as Xen's, only the first MiB of a longer menu */
		rc = bootfs_read_head(fs, path, MENU_MAX, &text, &len, why, whylen);
		if (rc)
			return rc;
		rc = bootcfg_parse(c, bootcfg_paths[i].kind, text, len, path, why, whylen);
		free(text);
		return rc;
	}
	snprintf(why, whylen, "no boot menu (grub.cfg, menu.lst, grub.conf, extlinux.conf)");
	return -ENOENT;
}

/* One filesystem: *fs stays open when it gave a kernel to boot. */
static int try_filesystem(const struct opts *o, const struct bootdisk *d, uint64_t off,
			  struct bootfs **fs, struct choice *ch, char *why, size_t whylen)
{
	struct bootcfg c = { 0 };
	int rc;

	rc = bootfs_open(fs, d, off, why, whylen);
	if (rc)
		return rc;
	if (o->kernel) {
		ch->kernel = strdup(o->kernel);
		ch->ramdisk = dup_or_null(o->ramdisk);
		ch->args = strdup(o->args);
		rc = ch->kernel && ch->args ? 0 : -ENOMEM;
	} else if (bootfs_exists(*fs, "/nwserver/xnloader.sys")) {
		/* NetWare's loader, which Xen's pygrub boots without a menu */
		ch->kernel = strdup("/nwserver/xnloader.sys");
		ch->ramdisk = dup_or_null(o->ramdisk);
		ch->args = strdup(o->args);
		rc = ch->kernel && ch->args ? 0 : -ENOMEM;
	} else {
		rc = read_menu(*fs, &c, o->debug, why, whylen);
		if (!rc)
			rc = choose_from_menu(o, &c, ch, why, whylen);
		bootcfg_free(&c);
	}
	if (!rc && !ch->kernel) {
		snprintf(why, whylen, "the chosen entry names no kernel");
		rc = -ENOENT;
	}
	if (rc) {
		choice_free(ch);
		bootfs_close(*fs);
		*fs = NULL;
	}
	return rc;
}

/* The first filesystem, in Xen's pygrub's order, that has a kernel. */
static int find_kernel(const struct opts *o, const struct bootdisk *d, struct bootfs **fs,
		       struct choice *ch)
{
	struct bootpart parts[BOOTDISK_MAX_PARTS];
	char err[512], why[BOOTDISK_MAX_PARTS][256];
	size_t n = 0;

	if (o->have_offset) {
		parts[0] = (struct bootpart){ o->offset, 0, 0, "raw" };
		n = 1;
	} else if (bootdisk_partitions(d, parts, BOOTDISK_MAX_PARTS, &n, err, sizeof(err))) {
		fprintf(stderr, "pygrub: %s: %s\n", o->image, err);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		why[i][0] = 0;
		if (!try_filesystem(o, d, parts[i].offset, fs, ch, why[i], sizeof(why[i])))
			return 0;
		if (o->debug)
			fprintf(stderr, "pygrub: offset %" PRIu64 ": %s\n", parts[i].offset, why[i]);
	}
	if (o->list)
		return 1;
	fprintf(stderr, "pygrub: %s: unable to find partition containing kernel\n", o->image);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s partition %u at byte %" PRIu64 ": %s\n", parts[i].scheme,
			parts[i].index, parts[i].offset, why[i]);
	return -1;
}

struct copies {
	char kernel[8400], ramdisk[8400];
	int kfd, rfd;
};

static int make_copies(const struct opts *o, struct copies *cp)
{
	char cwd[2048];

	cp->kfd = cp->rfd = -1;
	if (o->not_really)
		return 0;
	/* absolute, as Xen's (Python's mkstemp) prints them */
	if (o->output_dir[0] != '/' && !getcwd(cwd, sizeof(cwd))) {
		fprintf(stderr, "pygrub: the current directory: %s\n", strerror(errno));
		return -1;
	}
	snprintf(cp->kernel, sizeof(cp->kernel), "%s%s%s/boot_kernel.XXXXXX",
		 o->output_dir[0] == '/' ? "" : cwd, o->output_dir[0] == '/' ? "" : "/",
		 o->output_dir);
	snprintf(cp->ramdisk, sizeof(cp->ramdisk), "%s%s%s/boot_ramdisk.XXXXXX",
		 o->output_dir[0] == '/' ? "" : cwd, o->output_dir[0] == '/' ? "" : "/",
		 o->output_dir);
	cp->kfd = mkstemp(cp->kernel);
	if (cp->kfd < 0) {
		fprintf(stderr, "pygrub: creating %s: %s\n", cp->kernel, strerror(errno));
		return -1;
	}
	cp->rfd = mkstemp(cp->ramdisk);
	if (cp->rfd < 0) {
		fprintf(stderr, "pygrub: creating %s: %s\n", cp->ramdisk, strerror(errno));
		unlink(cp->kernel);
		close(cp->kfd);
		return -1;
	}
	return 0;
}

/* Copies `path` out of the guest's filesystem, or with -n checks it is there. */
static int copy_out(const struct opts *o, struct bootfs *fs, const char *what, const char *path,
		    int fd)
{
	char err[512];
	uint64_t n;

	if (o->not_really) {
		if (bootfs_exists(fs, path))
			return 0;
		fprintf(stderr, "pygrub: the requested %s file %s does not exist\n", what, path);
		return -1;
	}
	if (bootfs_copy(fs, path, fd, &n, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "pygrub: error copying the %s %s from the guest: %s\n", what, path, err);
	return -1;
}

static int write_result(const struct opts *o, int out_fd, const struct copies *cp,
			const struct choice *ch)
{
	struct pygrub_result r = {
		.kernel = o->not_really ? NULL : cp->kernel,
		.ramdisk = ch->ramdisk && !o->not_really ? cp->ramdisk : NULL,
		.args = ch->args && *ch->args ? ch->args : NULL,
	};
	char *text;
	size_t len;
	int rc = pygrub_format(o->fmt, &r, &text, &len);

	if (rc == -EINVAL) {
		fprintf(stderr, "pygrub: the simple format cannot hold a value containing its "
			"separator\n");
		return -1;
	}
	if (rc) {
		fprintf(stderr, "pygrub: out of memory\n");
		return -1;
	}
	fflush(stdout);
	for (size_t done = 0; done < len;) {
		ssize_t w = write(out_fd, text + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "pygrub: writing the result: %s\n", strerror(errno));
			free(text);
			return -1;
		}
		done += (size_t)w;
	}
	free(text);
	return 0;
}

/* --isconfig: a menu file on the host, always read as GRUB 2 (as Xen's). */
static int run_isconfig(const struct opts *o)
{
	struct bootcfg c = { 0 };
	struct choice ch = { 0 };
	char err[512], why[256];
	char *text = malloc(MENU_MAX + 1);
	size_t len = 0;
	FILE *f = fopen(o->image, "r");
	int rc = 1;

	if (!f || !text) {
		fprintf(stderr, "pygrub: unable to access %s: %s\n", o->image, strerror(errno));
		goto out;
	}
	len = fread(text, 1, MENU_MAX, f);
	text[len] = 0;
	if (bootcfg_parse(&c, BOOTCFG_GRUB2, text, len, o->image, err, sizeof(err))) {
		fprintf(stderr, "pygrub: %s\n", err);
		goto out;
	}
	if (choose_from_menu(o, &c, &ch, why, sizeof(why))) {
		fprintf(stderr, "pygrub: %s: %s\n", o->image, why);
		goto out;
	}
	printf("  kernel: %s\n", ch.kernel ? ch.kernel : "None");
	if (ch.ramdisk)
		printf("  initrd: %s\n", ch.ramdisk);
	printf("  args: %s\n", ch.args ? ch.args : "");
	rc = 0;
out:
	choice_free(&ch);
	bootcfg_free(&c);
	free(text);
	if (f)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct bootdisk d = { .fd = -1 };
	struct bootfs *fs = NULL;
	struct choice ch = { 0 };
	struct copies cp = { .kfd = -1, .rfd = -1 };
	char err[512];
	int out_fd = STDOUT_FILENO, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (mkdir(o.output_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "pygrub: creating %s: %s\n", o.output_dir, strerror(errno));
		return 1;
	}
	if (o.isconfig)
		return run_isconfig(&o);
	if ((o.qcow2 ? bootdisk_open_qcow2 : bootdisk_open)(&d, o.image, err, sizeof(err))) {
		fprintf(stderr, "pygrub: %s\n", err);
		return 1;
	}
	if (make_copies(&o, &cp))
		goto fail_disk;
	if (o.output) {
		out_fd = open(o.output, O_WRONLY | O_CLOEXEC);
		if (out_fd < 0) {
			fprintf(stderr, "pygrub: opening %s: %s\n", o.output, strerror(errno));
			goto fail_copies;
		}
	}
	if (o.have_uid) {
		const char *const copies[2] = { o.not_really ? NULL : cp.kernel,
						o.not_really ? NULL : cp.ramdisk };

		if (pygrub_depriv(o.uid, o.output_dir, copies, err, sizeof(err))) {
			fprintf(stderr, "pygrub: %s\n", err);
			goto fail_copies;
		}
	}
	rc = find_kernel(&o, &d, &fs, &ch);
	if (rc > 0 || (rc == 0 && o.list)) {
		/* -l: the listing was all that was asked */
		choice_free(&ch);
		if (fs)
			bootfs_close(fs);
		if (!o.not_really && !o.have_uid) {
			unlink(cp.kernel);
			unlink(cp.ramdisk);
		}
		bootdisk_close(&d);
		return 0;
	}
	if (rc < 0)
		goto fail_copies;
	if (copy_out(&o, fs, "kernel", ch.kernel, cp.kfd))
		goto fail_copies;
	if (ch.ramdisk && copy_out(&o, fs, "ramdisk", ch.ramdisk, cp.rfd))
		goto fail_copies;
	if (!ch.ramdisk && !o.not_really && !o.have_uid)
		unlink(cp.ramdisk);
	if (write_result(&o, out_fd, &cp, &ch))
		goto fail_copies;
	choice_free(&ch);
	bootfs_close(fs);
	bootdisk_close(&d);
	return 0;

fail_copies:
	if (!o.not_really && !o.have_uid) {
		unlink(cp.kernel);
		unlink(cp.ramdisk);
	}
	choice_free(&ch);
	if (fs)
		bootfs_close(fs);
fail_disk:
	bootdisk_close(&d);
	return 1;
}
