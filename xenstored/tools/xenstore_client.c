/*
 * xenstore-{read,write,rm,exists,list,ls,chmod,watch}: one program, the
 * mode taken from its name (xenstore-MODE) or its first argument, with
 * the options, output and exit codes of Xen 4.17's xenstore-utils.
 */
#define _GNU_SOURCE /* asprintf */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "xenstore.h"
#include "xs_escape.h"

enum mode { M_READ, M_WRITE, M_RM, M_EXISTS, M_LIST, M_LS, M_CHMOD, M_WATCH };

static const char *const mode_names[] = {
	"read", "write", "rm", "exists", "list", "ls", "chmod", "watch",
};

struct opts {
	enum mode mode;
	bool prefix, tidy, upto, recurse, raw, whole_path;
	int max_width, desired_width;
	long watch_nr;
};

/* Output is held until the transaction commits (it may be retried). */
struct outbuf {
	char *buf;
	size_t len, cap;
};

static void outf(struct outbuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void outf(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(1, "output");
	if (o->len + (size_t)n + 1 > o->cap) {
		o->cap = o->len + (size_t)n + 1024;
		o->buf = realloc(o->buf, o->cap);
		if (!o->buf)
			err(1, "malloc");
	}
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

static void outraw(struct outbuf *o, const char *p, size_t len)
{
	if (o->len + len + 1 > o->cap) {
		o->cap = o->len + len + 1024;
		o->buf = realloc(o->buf, o->cap);
		if (!o->buf)
			err(1, "malloc");
	}
	memcpy(o->buf + o->len, p, len);
	o->len += len;
}

static void __attribute__((noreturn)) usage(const struct opts *o,
					     const char *prog, bool with_mode)
{
	static const char *const args[] = {
		[M_READ] = "[-h] [-p] [-s] [-R] key [...]",
		[M_WRITE] = "[-h] [-s] [-R] key value [...]",
		[M_RM] = "[-h] [-s] [-t] key [...]",
		[M_EXISTS] = "[-h] [-p] [-s] key [...]",
		[M_LIST] = "[-h] [-p] [-s] key [...]",
		[M_LS] = "[-h] [-f] [-p] [-s] [path]",
		[M_CHMOD] = "[-h] [-u] [-r] [-s] key <mode [modes...]>",
		[M_WATCH] = "[-h] [-n NR] key",
	};

	errx(1, "Usage: %s %s%s%s", prog, with_mode ? mode_names[o->mode] : "",
	     with_mode ? " " : "", args[o->mode]);
}

static void ls_tree(struct xs_handle *h, const char *path, int depth,
		    const struct opts *o)
{
	const int tag_len = (int)strlen(" = \"...\"");
	unsigned int num, len;
	char **names = xs_directory(h, XBT_NULL, path, &num);

	if (!names) {
		/* A node removed while we walk is not an error. */
		if (depth && (errno == ENOENT || errno == EACCES))
			return;
		err(1, "xs_directory (%s)", path);
	}
	for (unsigned int i = 0; i < num; i++) {
		size_t pl = strlen(path);
		char *child, *val, *esc;
		int w = 0;

		if (asprintf(&child, "%s%s%s", path,
			     pl && path[pl - 1] == '/' ? "" : "/",
			     names[i]) < 0)
			err(1, "malloc");
		if (o->whole_path) {
			fputs(child, stdout);
		} else {
			for (; w < depth; w++)
				putchar(' ');
			w += printf("%.*s", o->max_width - tag_len - w,
				    names[i]);
		}
		val = xs_read(h, XBT_NULL, child, &len);
		if (!val) {
			printf(":\n");
		} else {
			esc = xs_escape(val, len);
			if (o->max_width < w + (int)strlen(esc) + tag_len) {
				printf(" = \"%.*s\\...\"",
				       o->max_width - tag_len - w, esc);
			} else {
				w += printf(" = \"%s\"", esc);
				if (o->prefix) {
					/* dotted leader up to the column */
					putchar(' ');
					for (w++; w < o->desired_width &&
						  w < o->max_width; w++)
						putchar((w & 1) ? '.' : ' ');
				}
			}
			free(esc);
			free(val);
		}
		if (o->prefix) {
			unsigned int np;
			struct xs_permissions *p =
				xs_get_permissions(h, XBT_NULL, child, &np);

			if (!p) {
				warn("\ncould not access permissions for %s",
				     names[i]);
			} else {
				fputs("  (", stdout);
				for (unsigned int k = 0; k < np; k++) {
					char b[MAX_STRLEN(unsigned int) + 1];

					xs_perm_to_string(&p[k], b, sizeof(b));
					printf("%s%s", k ? "," : "", b);
				}
				putchar(')');
				free(p);
			}
		}
		putchar('\n');
		ls_tree(h, child, depth + 1, o);
		free(child);
	}
	free(names);
}

static void chmod_path(struct xs_handle *h, xs_transaction_t t, char *path,
		       struct xs_permissions *p, unsigned int np, bool upto,
		       bool recurse)
{
	if (!path[0])
		return;
	if (!xs_set_permissions(h, t, path, p, np))
		err(1, "Error occurred setting permissions on '%s'", path);
	if (upto) {
		char *slash = strrchr(path, '/');

		if (!slash)
			errx(1, "Unable to locate path separator '/' in '%s'",
			     path);
		*slash = '\0';
		chmod_path(h, t, path, p, np, true, false);
		*slash = '/';
	}
	if (recurse) {
		unsigned int n;
		char **kids = xs_directory(h, t, path, &n);

		for (unsigned int i = 0; kids && i < n; i++) {
			char *c;

			if (asprintf(&c, "%s/%s", path, kids[i]) < 0)
				err(1, "malloc");
			chmod_path(h, t, c, p, np, false, true);
			free(c);
		}
		free(kids);
	}
}

static int parse_perm(const char *s, struct xs_permissions *p)
{
	switch (s[0]) {
	case 'n': p->perms = XS_PERM_NONE; break;
	case 'r': p->perms = XS_PERM_READ; break;
	case 'w': p->perms = XS_PERM_WRITE; break;
	case 'b': p->perms = XS_PERM_READ | XS_PERM_WRITE; break;
	default:
		errx(1, "Invalid permission specification: '%c'", s[0]);
	}
	p->id = (unsigned int)atoi(s + 1);
	return 0;
}

/* Is path an empty leaf (no value, no children)? */
static bool empty_node(struct xs_handle *h, xs_transaction_t t,
		       const char *path)
{
	unsigned int len, n;
	char *v = xs_read(h, t, path, &len);
	char **k;
	bool empty;

	if (!v)
		return false;
	free(v);
	if (len)
		return false;
	k = xs_directory(h, t, path, &n);
	empty = k && n == 0;
	free(k);
	return empty;
}

static int perform(struct xs_handle *h, xs_transaction_t t,
		   const struct opts *o, int argc, char **argv,
		   struct outbuf *out)
{
	for (int i = 0; i < argc; i++) {
		const char *key = argv[i];
		unsigned int len;
		char *v;

		switch (o->mode) {
		case M_READ:
			v = xs_read(h, t, key, &len);
			if (!v) {
				warnx("couldn't read path %s", key);
				return 1;
			}
			if (o->prefix)
				outf(out, "%s: ", key);
			if (o->raw) {
				outraw(out, v, len); /* -R: no newline */
			} else {
				char *e = xs_escape(v, len);

				outf(out, "%s\n", e);
				free(e);
			}
			free(v);
			break;
		case M_WRITE: {
			const char *spec = argv[++i];
			size_t vl = strlen(spec);
			char *val = o->raw ? strdup(spec) :
					     xs_unescape(spec, &vl);

			if (!val)
				err(1, "malloc");
			if (!xs_write(h, t, key, val, (unsigned int)vl)) {
				warnx("could not write path %s", key);
				free(val);
				return 1;
			}
			free(val);
			break;
		}
		case M_RM: {
			char *p = strdup(key), *slash;

			if (!p)
				err(1, "malloc");
			for (;;) {
				if (!xs_rm(h, t, p)) {
					warnx("could not remove path %s", p);
					free(p);
					return 1;
				}
				/* -t: also parents left empty */
				slash = strrchr(p, '/');
				if (!o->tidy || !slash || slash == p)
					break;
				*slash = '\0';
				if (!empty_node(h, t, p))
					break;
			}
			free(p);
			break;
		}
		case M_EXISTS:
			v = xs_read(h, t, key, NULL);
			if (!v)
				return 1;
			free(v);
			break;
		case M_LIST: {
			unsigned int n;
			char **kids = xs_directory(h, t, key, &n);

			if (!kids) {
				warnx("could not list path %s", key);
				return 1;
			}
			for (unsigned int k = 0; k < n; k++)
				outf(out, "%s%s%s\n", o->prefix ? key : "",
				     o->prefix ? "/" : "", kids[k]);
			free(kids);
			break;
		}
		case M_LS:
			ls_tree(h, key, 0, o);
			break;
		case M_CHMOD: {
			struct xs_permissions perms[16];
			unsigned int np = 0;
			char *path = strdup(key);

			if (!path)
				err(1, "malloc");
			for (i++; i < argc; i++, np++) {
				if (np >= 16)
					errx(1, "Too many permissions specified."
					     "  Maximum per invocation is 16.");
				parse_perm(argv[i], &perms[np]);
			}
			chmod_path(h, t, path, perms, np, o->upto, o->recurse);
			free(path);
			break;
		}
		case M_WATCH:
			break;
		}
	}
	return 0;
}

static int do_watch(struct xs_handle *h, const struct opts *o, int argc,
		    char **argv)
{
	long seen = 0;

	for (int i = 0; i < argc; i++)
		if (!xs_watch(h, argv[i], argv[i]))
			err(1, "xs_watch (%s)", argv[i]);
	while (o->watch_nr < 0 || seen < o->watch_nr) {
		unsigned int n;
		char **ev = xs_read_watch(h, &n);

		if (!ev)
			err(1, "xs_read_watch");
		printf("%s\n", ev[XS_WATCH_PATH]);
		fflush(stdout);
		free(ev);
		seen++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "socket", no_argument, NULL, 's' },
		{ "prefix", no_argument, NULL, 'p' },
		{ "tidy", no_argument, NULL, 't' },
		{ "upto", no_argument, NULL, 'u' },
		{ "recurse", no_argument, NULL, 'r' },
		{ "raw", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .max_width = 80, .desired_width = 60,
			  .watch_nr = -1 };
	const char *prog = strrchr(argv[0], '/'), *mode;
	int shift, ch, nargs, ret;
	bool txn;
	struct xs_handle *h;
	struct outbuf out = { 0 };
	xs_transaction_t t = XBT_NULL;
	unsigned int mi;

	prog = prog ? prog + 1 : argv[0];
	if (!strncmp(prog, "xenstore-", 9)) {
		mode = prog + 9;
		shift = 0;
	} else if (argc < 2) {
		errx(1, "Usage: %s <mode> [-h] [...]", argv[0]);
	} else {
		mode = argv[1];
		shift = 1;
	}
	for (mi = 0; mi < sizeof(mode_names) / sizeof(*mode_names); mi++)
		if (!strcmp(mode, mode_names[mi]))
			break;
	if (mi == sizeof(mode_names) / sizeof(*mode_names))
		errx(1, "unknown mode %s", mode);
	o.mode = (enum mode)mi;

	argc -= shift;
	argv += shift;
	while ((ch = getopt_long(argc, argv, o.mode == M_WATCH ? "hsn:" :
				 "fhsptuRr", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			break; /* the socket is always tried first */
		case 'f':
			if (o.mode != M_READ && o.mode != M_LIST &&
			    o.mode != M_LS)
				usage(&o, argv[-shift], shift);
			o.max_width = INT_MAX / 2;
			o.desired_width = 0;
			o.whole_path = true;
			break;
		case 'p':
			if (o.mode != M_READ && o.mode != M_LIST &&
			    o.mode != M_LS && o.mode != M_EXISTS)
				usage(&o, argv[-shift], shift);
			o.prefix = true;
			break;
		case 't':
			if (o.mode != M_RM)
				usage(&o, argv[-shift], shift);
			o.tidy = true;
			break;
		case 'u':
			if (o.mode != M_CHMOD)
				usage(&o, argv[-shift], shift);
			o.upto = true;
			break;
		case 'r':
			if (o.mode != M_CHMOD)
				usage(&o, argv[-shift], shift);
			o.recurse = true;
			break;
		case 'R':
			if (o.mode != M_READ && o.mode != M_WRITE)
				usage(&o, argv[-shift], shift);
			o.raw = true;
			break;
		case 'n': {
			char *end;

			o.watch_nr = strtol(optarg, &end, 10);
			if (*end || o.watch_nr < 0)
				usage(&o, argv[-shift], shift);
			break;
		}
		default:
			usage(&o, argv[-shift], shift);
		}
	}
	nargs = argc - optind;
	argv += optind;
	if ((o.mode == M_WRITE && nargs % 2) || (o.mode != M_LS && !nargs) ||
	    (o.mode == M_LS && nargs > 1))
		usage(&o, argv[-optind - shift], shift);

	if (o.mode == M_LS) {
		struct winsize ws;

		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && !o.whole_path)
			o.max_width = ws.ws_col - 2;
	}

	h = xs_open(0);
	if (!h)
		err(1, "xs_open");
	if (o.mode == M_WATCH)
		return do_watch(h, &o, nargs, argv);
	if (o.mode == M_LS && !nargs) {
		static char *root[] = { "/" };

		argv = root;
		nargs = 1;
	}

	txn = o.mode == M_READ ? nargs > 1 : o.mode == M_WRITE ? nargs > 2 :
	      o.mode != M_LS;
	for (;;) {
		if (txn) {
			t = xs_transaction_start(h);
			if (t == XBT_NULL)
				errx(1, "couldn't start transaction");
		}
		out.len = 0;
		ret = perform(h, t, &o, nargs, argv, &out);
		if (!txn || xs_transaction_end(h, t, ret != 0))
			break;
		if (ret || errno != EAGAIN)
			errx(1, "couldn't end transaction");
	}
	if (out.len)
		fwrite(out.buf, 1, out.len, stdout);
	free(out.buf);
	xs_close(h);
	return ret;
}
