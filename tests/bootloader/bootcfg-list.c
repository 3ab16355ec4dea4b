/*
 * bootcfg-list MODE KIND FILE: parses a boot menu with libbootcfg and
 * prints what Xen 4.17's pygrub prints for it, for test-bootcfg.sh.
 * MODE -l: pygrub -l's listing, cut where pygrub's listing stops (it
 * fails on an entry without kernel or initrd).  MODE -d: the entry
 * pygrub boots, in its --output-format=simple with the paths inside the
 * guest.  MODE -p: every kernel and initrd path, one a line.  MODE -t:
 * the timeout, then the default entry's index.
 * KIND: grub2, extlinux or grub.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

static const char *or_none(const char *s)
{
	return s ? s : "None";
}

static void list_print(const struct bootcfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct bootentry *e = &c->e[i];

		printf("title: %s\n  root: %s\n", e->title, or_none(e->root));
		if (!e->kernel)
			return;
		printf("  kernel: %s\n  args: %s\n", e->kernel, or_none(e->args));
		if (!e->initrd)
			return;
		printf("  initrd: %s\n", e->initrd);
	}
}

/* pygrub gives up without a kernel path, and drops empty values. */
static int default_print(const struct bootcfg *c)
{
	const struct bootentry *e;

	if (!c->n)
		return 1;
	e = &c->e[bootcfg_default(c)];
	if (!e->kernel || !e->kernel[0])
		return 1;
	printf("kernel %s\n", e->kernel);
	if (e->initrd && e->initrd[0])
		printf("ramdisk %s\n", e->initrd);
	if (e->args && e->args[0])
		printf("args %s\n", e->args);
	printf("\n");
	return 0;
}

static void paths_print(const struct bootcfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->e[i].kernel)
			printf("%s\n", c->e[i].kernel);
		if (c->e[i].initrd)
			printf("%s\n", c->e[i].initrd);
	}
}

static int kind_parse(const char *s, enum bootcfg_kind *k)
{
	if (strcmp(s, "grub2") == 0)
		*k = BOOTCFG_GRUB2;
	else if (strcmp(s, "extlinux") == 0)
		*k = BOOTCFG_EXTLINUX;
	else if (strcmp(s, "grub") == 0)
		*k = BOOTCFG_GRUB;
	else
		return -EINVAL;
	return 0;
}

/* Reads at most BOOTCFG_READ_MAX bytes, as pygrub does. */
static char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(BOOTCFG_READ_MAX);
	if (buf)
		*len = fread(buf, 1, BOOTCFG_READ_MAX, f);
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct bootcfg c;
	enum bootcfg_kind kind;
	char err[256];
	size_t len = 0;
	char *text;
	int r;

	if (argc != 4 || kind_parse(argv[2], &kind) < 0) {
		fprintf(stderr, "usage: bootcfg-list -l|-d|-p|-t grub2|extlinux|grub FILE\n");
		return 2;
	}
	text = file_read(argv[3], &len);
	if (!text) {
		perror(argv[3]);
		return 2;
	}
	r = bootcfg_parse(&c, kind, text, len, argv[3], err, sizeof(err));
	free(text);
	if (r < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "-l") == 0)
		list_print(&c);
	else if (strcmp(argv[1], "-p") == 0)
		paths_print(&c);
	else if (strcmp(argv[1], "-t") == 0)
		printf("%d %zu\n", c.timeout, bootcfg_default(&c));
	else
		r = default_print(&c);
	bootcfg_free(&c);
	return r;
}
