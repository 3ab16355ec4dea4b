/* The xl.cfg grammar: values, quoting, lists, +=, comments, errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libxlutil.h"

/* Parse text; returns the config (or NULL on a parse error) and the
 * report text in *msgs (caller frees). */
static XLU_Config *parse(const char *text, char **msgs, int *err)
{
	size_t len = 0;
	FILE *rep = open_memstream(msgs, &len);
	XLU_Config *c = xlu_cfg_init(rep, "t.cfg");

	*err = xlu_cfg_readdata(c, text, (int)strlen(text));
	fclose(rep);
	if (*err) {
		xlu_cfg_destroy(c);
		return NULL;
	}
	/* getters report to a closed stream otherwise */
	xlu_cfg_destroy(c);
	rep = fopen("/dev/null", "w");
	c = xlu_cfg_init(rep, "t.cfg");
	xlu_cfg_readdata(c, text, (int)strlen(text));
	return c;
}

static void done(XLU_Config *c)
{
	FILE *f = xlu_cfg_report(c);
	xlu_cfg_destroy(c);
	fclose(f);
}

static int str_is(XLU_Config *c, const char *k, const char *want)
{
	const char *v;
	return !xlu_cfg_get_string(c, k, &v, 0) && !strcmp(v, want);
}

static void expect_error(const char *text, const char *want_msg)
{
	char *msgs = NULL;
	int err;
	XLU_Config *c = parse(text, &msgs, &err);

	CHECK(!c && err == EINVAL, "rejects %s", text);
	CHECK(msgs && strstr(msgs, want_msg), "error for `%s' mentions `%s' (got: %s)", text,
	      want_msg, msgs ? msgs : "");
	if (c)
		done(c);
	free(msgs);
}

int main(void)
{
	char *msgs = NULL;
	int err, n;
	long l;
	XLU_Config *c;
	XLU_ConfigList *list;
	libxl_string_list sl = NULL;

	c = parse("name = \"vm1\"\nmemory = 512\nvcpus=2 ; maxmem = 0x400\n# comment\n"
		  "kernel = '/boot/vmlinuz' # trailing comment\n", &msgs, &err);
	CHECK(c != NULL, "simple config parses");
	CHECK(str_is(c, "name", "vm1"), "double-quoted string");
	CHECK(str_is(c, "kernel", "/boot/vmlinuz"), "single-quoted string, trailing comment");
	CHECK(!xlu_cfg_get_long(c, "memory", &l, 0) && l == 512, "decimal number");
	CHECK(!xlu_cfg_get_long(c, "maxmem", &l, 0) && l == 1024, "hex number after ';'");
	CHECK(!xlu_cfg_get_long(c, "vcpus", &l, 0) && l == 2, "no spaces around '='");
	CHECK(xlu_cfg_get_long(c, "nothere", &l, 0) == ESRCH, "unset key is ESRCH");
	CHECK(xlu_cfg_get_long(c, "name", &l, 1) == EINVAL, "string is not a number");
	CHECK(xlu_cfg_lineno(c, "kernel") == 5, "line numbers kept");
	done(c);
	free(msgs);

	c = parse("disk = [ 'a,raw,xvda,rw',\n   \"b\",\n\n 'c', ]\nvif=[]\n", &msgs, &err);
	CHECK(c != NULL, "multi-line list with trailing comma parses");
	CHECK(!xlu_cfg_get_list(c, "disk", &list, &n, 0) && n == 3, "list has 3 items");
	CHECK(!strcmp(xlu_cfg_get_listitem(list, 0), "a,raw,xvda,rw") &&
	      !strcmp(xlu_cfg_get_listitem(list, 2), "c"), "list items in order");
	CHECK(xlu_cfg_get_listitem(list, 3) == NULL, "out of range item is NULL");
	CHECK(!xlu_cfg_get_list(c, "vif", &list, &n, 0) && n == 0, "empty list");
	CHECK(xlu_cfg_get_string(c, "disk", &(const char *){0}, 1) == EINVAL, "list is not a string");
	CHECK(!xlu_cfg_get_list_as_string_list(c, "disk", &sl, 0) && sl && !strcmp(sl[1], "b") &&
	      sl[3] == NULL, "list as string list");
	libxl_string_list_dispose(&sl);
	done(c);
	free(msgs);

	c = parse("extra = \"a=1\"\nextra += \",b=2\"\ndisk = ['x']\ndisk += ['y', 'z']\n"
		  "memory = 1\nmemory = 2\nlone += 'q'\n", &msgs, &err);
	CHECK(c != NULL, "+= config parses");
	CHECK(str_is(c, "extra", "a=1,b=2"), "+= joins strings");
	CHECK(!xlu_cfg_get_list(c, "disk", &list, &n, 0) && n == 3 &&
	      !strcmp(xlu_cfg_get_listitem(list, 0), "x") &&
	      !strcmp(xlu_cfg_get_listitem(list, 2), "z"), "+= appends lists");
	CHECK(!xlu_cfg_get_long(c, "memory", &l, 0) && l == 2, "last assignment wins");
	CHECK(str_is(c, "lone", "q"), "+= without a previous value assigns");
	done(c);
	free(msgs);

	c = parse("e = []\ne += []\nf = [ 'x' ]\nf += []\ng = []\ng += ['y']\n", &msgs, &err);
	CHECK(c && !xlu_cfg_get_list(c, "e", &list, &n, 0) && n == 0, "[] += [] stays empty");
	CHECK(c && !xlu_cfg_get_list(c, "f", &list, &n, 0) && n == 1, "list += [] unchanged");
	CHECK(c && !xlu_cfg_get_list(c, "g", &list, &n, 0) && n == 1 &&
	      !strcmp(xlu_cfg_get_listitem(list, 0), "y"), "[] += list");
	done(c);
	free(msgs);

	c = parse("s = 'it\\'s \\\"q\\\" \\\\ \\t\\x41\\101\\n'\nt = \"#not a comment\"\n", &msgs, &err);
	CHECK(c != NULL, "escapes parse");
	CHECK(str_is(c, "s", "it's \"q\" \\ \tAA\n"), "escape sequences decoded");
	CHECK(str_is(c, "t", "#not a comment"), "# inside a string is text");
	done(c);
	free(msgs);

	c = parse("a = [ ['x', 'y'], 'z' ]\nb.c_d = 1\n", &msgs, &err);
	CHECK(c != NULL, "nested list and dotted name parse");
	CHECK(!xlu_cfg_get_list(c, "a", &list, &n, 0) && n == 2 &&
	      xlu_cfg_get_listitem(list, 0) == NULL, "nested list item is not a string");
	{
		XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, 0);
		XLU_ConfigList *inner;
		CHECK(v && xlu_cfg_value_type(v) == XLU_LIST &&
		      !xlu_cfg_value_get_list(c, v, &inner, 1) &&
		      !strcmp(xlu_cfg_get_listitem(inner, 1), "y"), "nested list reachable");
	}
	CHECK(!xlu_cfg_get_long(c, "b.c_d", &l, 0) && l == 1, "dotted names (xl.conf style)");
	done(c);
	free(msgs);

	c = parse("", &msgs, &err);
	CHECK(c != NULL, "empty file is valid");
	done(c);
	free(msgs);
	c = parse("name='x'", &msgs, &err);
	CHECK(c && str_is(c, "name", "x"), "last line without newline");
	done(c);
	free(msgs);

	expect_error("memory = 512M\n", "t.cfg:1:13:");
	expect_error("memory = 512M\n", "plain digits");
	expect_error("name = vm1\n", "put strings in quotes");
	expect_error("name = 'vm1\n", "unterminated string");
	expect_error("\n\nname 'x'\n", "t.cfg:3:6: expected '=' or '+=' after `name'");
	expect_error("disk = [ 'a' 'b' ]\n", "expected ',' or ']'");
	expect_error("disk = [ 'a',\n", "t.cfg:2:1:");
	expect_error("Name = 'x'\n", "lower case");
	expect_error("x = 'a\\qb'\n", "unknown escape");
	expect_error("x = '\\xZZ'\n", "hex digits");
	expect_error("x = \n", "expected a value for `x'");
	expect_error("x = 'a' 'b'\n", "expected end of line");
	expect_error("a = 'x'\na += ['y']\n", "cannot add a [list] to the string");
	{
		/* several errors are all reported, one per line */
		char *m = NULL;
		XLU_Config *c2 = parse("a = \nb = 'ok'\nc = ]\n", &m, &err);
		CHECK(!c2 && m && strstr(m, "t.cfg:1:") && strstr(m, "t.cfg:3:"), "every bad line reported");
		free(m);
	}
	{
		char big[64];
		snprintf(big, sizeof(big), "n = 99999999999999999999999\n");
		c = parse(big, &msgs, &err);
		CHECK(c && xlu_cfg_get_long(c, "n", &l, 1) == ERANGE, "overflowing number is ERANGE");
		CHECK(c && xlu_cfg_get_bounded_long(c, "n", 0, 10, &l, 1) != 0, "bounded long rejects");
		done(c);
		free(msgs);
	}
	c = parse("v = 5\nw += 3\n", &msgs, &err);
	CHECK(c && !xlu_cfg_get_bounded_long(c, "v", 0, 10, &l, 1) && l == 5, "bounded long in range");
	CHECK(c && xlu_cfg_get_bounded_long(c, "v", 6, 10, &l, 1) == EINVAL, "below minimum");
	CHECK(c && xlu_cfg_get_long(c, "w", &l, 1) == EINVAL, "+= cannot make a number");
	{
		libxl_defbool b = { 0 };
		CHECK(c && !xlu_cfg_get_defbool(c, "v", &b, 0) && libxl_defbool_val(b), "defbool from number");
	}
	done(c);
	free(msgs);
	{
		const char nul[] = "a = 'x'\n\0b = 1\n";
		FILE *rep = fopen("/dev/null", "w");
		XLU_Config *c3 = xlu_cfg_init(rep, "t.cfg");
		CHECK(xlu_cfg_readdata(c3, nul, sizeof(nul) - 1) == EINVAL, "NUL byte rejected");
		xlu_cfg_destroy(c3);
		fclose(rep);
	}
	{
		FILE *rep = fopen("/dev/null", "w");
		XLU_Config *c4 = xlu_cfg_init(rep, "t.cfg");
		CHECK(xlu_cfg_readfile(c4, "/nonexistent/xl.cfg") == ENOENT, "missing file is ENOENT");
		xlu_cfg_destroy(c4);
		fclose(rep);
	}
	return check_done();
}
