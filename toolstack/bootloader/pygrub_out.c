/* How our pygrub reports: the three output formats xl and xend read,
 * and the `-l` listing, byte for byte as Xen 4.17's pygrub prints them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pygrub.h"

/* Python's repr() of a str: the quote it picks and the escapes it uses. */
static void put_repr(FILE *f, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';

	fputc(q, f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == (unsigned char)q)
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc(q, f);
}

static void put_sxp(FILE *f, const struct pygrub_result *r)
{
	fputs("linux (kernel ", f);
	if (r->kernel)
		put_repr(f, r->kernel);
	else
		fputs("None", f);
	fputc(')', f);
	if (r->ramdisk) {
		fputs("(ramdisk ", f);
		put_repr(f, r->ramdisk);
		fputc(')', f);
	}
	if (r->args && *r->args) {
		fputs("(args ", f);
		put_repr(f, r->args);
		fputc(')', f);
	}
}

/* Xen's pygrub refuses a value holding the separator; a C string never
 * holds simple0's NUL. */
static int put_simple(FILE *f, const struct pygrub_result *r, char sep)
{
	const char *vals[] = { r->kernel, r->ramdisk, r->args };

	for (size_t i = 0; sep && i < 3; i++)
		if (vals[i] && strchr(vals[i], sep))
			return -EINVAL;
	fprintf(f, "kernel %s%c", r->kernel ? r->kernel : "None", sep);
	if (r->ramdisk)
		fprintf(f, "ramdisk %s%c", r->ramdisk, sep);
	if (r->args && *r->args)
		fprintf(f, "args %s%c", r->args, sep);
	fputc(sep, f);
	return 0;
}

int pygrub_format(enum pygrub_format fmt, const struct pygrub_result *r,
		  char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	int rc = 0;

	if (!f)
		return -ENOMEM;
	if (fmt == PYGRUB_SXP)
		put_sxp(f, r);
	else
		rc = put_simple(f, r, fmt == PYGRUB_SIMPLE ? '\n' : '\0');
	if (fclose(f) != 0 && !rc)
		rc = -ENOMEM;
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static const char *or_none(const char *s)
{
	return s ? s : "None";
}

void pygrub_list(const struct bootcfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct bootentry *e = &c->e[i];

		printf("title: %s\n", or_none(e->title));
		printf("  root: %s\n", or_none(e->root));
		printf("  kernel: %s\n", or_none(e->kernel));
		printf("  args: %s\n", or_none(e->args));
		printf("  initrd: %s\n", or_none(e->initrd));
	}
}
