/* The xl.cfg language: a hand-written lexer and recursive-descent
 * parser.  Settings are "KEY = VALUE" or "KEY += VALUE", ended by a
 * newline or ';'; values are strings (both quote styles, C escapes),
 * numbers, or [lists] that may span lines and end with a comma.
 * Errors name SOURCE:LINE:COLUMN and what was expected; the parser
 * carries on to the next line so one run reports every mistake. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

enum tok {
	T_EOF, T_NEWLINE, T_IDENT, T_NUMBER, T_STRING, T_EQ, T_ADD, T_SEMI,
	T_COMMA, T_LBRACK, T_RBRACK, T_ERROR,
};

struct lexer {
	const char *p, *end;
	int line, col;
	/* current token */
	enum tok t;
	int tline, tcol;
	char *text;          /* IDENT/NUMBER/STRING value, malloc'd */
	const char *tstart;  /* raw token start, for messages */
	size_t tlen;
};

struct parser {
	XLU_Config *cfg;
	struct lexer lx;
	int err;             /* first errno */
	int errline;         /* line of the last reported error */
	int depth;
};

static const char *tok_desc(enum tok t)
{
	switch (t) {
	case T_EOF: return "end of file";
	case T_NEWLINE: return "end of line";
	case T_IDENT: return "a name";
	case T_NUMBER: return "a number";
	case T_STRING: return "a string";
	case T_EQ: return "'='";
	case T_ADD: return "'+='";
	case T_SEMI: return "';'";
	case T_COMMA: return "','";
	case T_LBRACK: return "'['";
	case T_RBRACK: return "']'";
	default: return "an invalid character";
	}
}

static void perror_at(struct parser *ps, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void perror_at(struct parser *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (!ps->err)
		ps->err = EINVAL;
	if (line == ps->errline)
		return;  /* one message per line: later ones are consequences */
	ps->errline = line;
	fprintf(ps->cfg->report, "%s:%d:%d: ", ps->cfg->config_source, line, col);
	va_start(ap, fmt);
	vfprintf(ps->cfg->report, fmt, ap);
	va_end(ap);
	fputc('\n', ps->cfg->report);
}

static void found(char *buf, size_t len, const struct lexer *lx)
{
	if (lx->t == T_EOF || lx->t == T_NEWLINE)
		snprintf(buf, len, "%s", tok_desc(lx->t));
	else
		snprintf(buf, len, "`%.*s'", (int)(lx->tlen > 40 ? 40 : lx->tlen), lx->tstart);
}

static int is_ident_start(int c) { return c >= 'a' && c <= 'z'; }
static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '_';
}
static int is_number_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x';
}

static void advance(struct lexer *lx, size_t n)
{
	lx->p += n;
	lx->col += (int)n;
}

/* Decode a quoted string starting at lx->p (the quote).  Returns 0 and
 * sets lx->text, or reports and returns EINVAL. */
static int lex_string(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	char q = *lx->p;
	const char *s = lx->p + 1;
	char *out, *o;

	/* the decoded text is never longer than the quoted one */
	{
		const char *e = s;
		while (e < lx->end && *e != q && *e != '\n')
			e += (*e == '\\' && e + 1 < lx->end) ? 2 : 1;
		out = malloc((size_t)(e - s) + 1);
	}
	if (!out)
		return ENOMEM;
	o = out;
	while (s < lx->end && *s != q && *s != '\n') {
		char c = *s++;
		int ecol = lx->col + (int)(s - lx->p) - 1;

		if (c != '\\') {
			*o++ = c;
			continue;
		}
		if (s >= lx->end || *s == '\n')
			break;
		c = *s++;
		switch (c) {
		case '"': case '\'': case '\\': *o++ = c; break;
		case 'a': *o++ = '\a'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'v': *o++ = '\v'; break;
		case 'x': {
			int v = 0, nd = 0;
			while (nd < 2 && s < lx->end && strchr("0123456789abcdefABCDEF", *s) && *s) {
				v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
				s++, nd++;
			}
			if (nd != 2) {
				perror_at(ps, lx->line, ecol,
					  "expected two hex digits after \\x in quoted string");
				free(out);
				return EINVAL;
			}
			*o++ = (char)v;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				/* up to three octal digits, as in C */
				int v = c - '0', nd = 1;
				while (nd < 3 && s < lx->end && *s >= '0' && *s <= '7')
					v = v * 8 + (*s++ - '0'), nd++;
				if (v > 255) {
					perror_at(ps, lx->line, ecol,
						  "octal escape \\%o in quoted string is above \\377", v);
					free(out);
					return EINVAL;
				}
				*o++ = (char)v;
				break;
			}
			perror_at(ps, lx->line, ecol,
				  "unknown escape `\\%c' in quoted string (known: \\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v \\xHH \\OOO)",
				  c);
			free(out);
			return EINVAL;
		}
	}
	if (s >= lx->end || *s != q) {
		perror_at(ps, lx->line, lx->col,
			  "unterminated string: expected closing %c before end of %s",
			  q, s >= lx->end ? "file" : "line");
		free(out);
		return EINVAL;
	}
	*o = 0;
	lx->text = out;
	lx->tlen = (size_t)(s + 1 - lx->p);
	advance(lx, lx->tlen);
	return 0;
}

static void next(struct parser *ps)
{
	struct lexer *lx = &ps->lx;

	free(lx->text);
	lx->text = NULL;
	for (;;) {
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
			advance(lx, 1);
		if (lx->p < lx->end && *lx->p == '#')
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx, 1);
		break;
	}
	lx->tline = lx->line;
	lx->tcol = lx->col;
	lx->tstart = lx->p;
	lx->tlen = 1;
	if (lx->p >= lx->end) {
		lx->t = T_EOF;
		lx->tlen = 0;
		return;
	}
	switch (*lx->p) {
	case '\n':
		lx->t = T_NEWLINE;
		lx->p++;
		lx->line++;
		lx->col = 1;
		return;
	case '=': lx->t = T_EQ; advance(lx, 1); return;
	case ';': lx->t = T_SEMI; advance(lx, 1); return;
	case ',': lx->t = T_COMMA; advance(lx, 1); return;
	case '[': lx->t = T_LBRACK; advance(lx, 1); return;
	case ']': lx->t = T_RBRACK; advance(lx, 1); return;
	case '+':
		if (lx->p + 1 < lx->end && lx->p[1] == '=') {
			lx->t = T_ADD;
			lx->tlen = 2;
			advance(lx, 2);
			return;
		}
		break;
	case '"': case '\'':
		if (lex_string(ps)) {
			lx->t = T_ERROR;
			/* skip the rest of the line */
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx, 1);
			return;
		}
		lx->t = T_STRING;
		return;
	default:
		break;
	}
	if (is_ident_start((unsigned char)*lx->p) || (*lx->p >= '0' && *lx->p <= '9')) {
		int num = !is_ident_start((unsigned char)*lx->p);
		const char *s = lx->p;

		while (s < lx->end && (num ? is_number_char((unsigned char)*s)
					   : is_ident_char((unsigned char)*s)))
			s++;
		lx->tlen = (size_t)(s - lx->p);
		lx->text = strndup(lx->p, lx->tlen);
		if (!lx->text) {
			ps->err = ENOMEM;
			lx->t = T_EOF;
			return;
		}
		lx->t = num ? T_NUMBER : T_IDENT;
		advance(lx, lx->tlen);
		return;
	}
	lx->t = T_ERROR;
	lx->tlen = 1;
	advance(lx, 1);
}

/* ---- values ---- */

void xlu__cfg_value_free(XLU_ConfigValue *v)
{
	if (!v)
		return;
	if (v->type == XLU_STRING) {
		free(v->u.string);
	} else {
		for (int i = 0; i < v->u.list.nvalues; i++)
			xlu__cfg_value_free(v->u.list.values[i]);
		free(v->u.list.values);
	}
	free(v);
}

static XLU_ConfigValue *value_new(enum XLU_ConfigValueType type, int line, int col)
{
	XLU_ConfigValue *v = calloc(1, sizeof(*v));

	if (v) {
		v->type = type;
		v->line = line;
		v->column = col;
	}
	return v;
}

static int list_append(XLU_ConfigList *l, XLU_ConfigValue *v)
{
	if (l->nvalues == l->avalues) {
		int na = l->avalues ? l->avalues * 2 : 4;
		XLU_ConfigValue **nv;

		if (l->avalues > INT_MAX / 4)
			return ERANGE;
		nv = realloc(l->values, (size_t)na * sizeof(*nv));
		if (!nv)
			return ENOMEM;
		l->values = nv;
		l->avalues = na;
	}
	l->values[l->nvalues++] = v;
	return 0;
}

static void skip_newlines(struct parser *ps)
{
	while (ps->lx.t == T_NEWLINE)
		next(ps);
}

static XLU_ConfigValue *parse_value(struct parser *ps, const char *key);

static XLU_ConfigValue *parse_list(struct parser *ps, const char *key)
{
	struct lexer *lx = &ps->lx;
	XLU_ConfigValue *l = value_new(XLU_LIST, lx->tline, lx->tcol);
	int oline = lx->tline, ocol = lx->tcol;
	char f[64];

	if (!l) {
		ps->err = ENOMEM;
		return NULL;
	}
	if (++ps->depth > 64) {
		perror_at(ps, lx->tline, lx->tcol, "lists nested too deeply in `%s'", key);
		goto fail;
	}
	next(ps);
	skip_newlines(ps);
	while (lx->t != T_RBRACK) {
		XLU_ConfigValue *v = parse_value(ps, key);

		if (!v)
			goto fail;
		if (list_append(&l->u.list, v)) {
			xlu__cfg_value_free(v);
			ps->err = ENOMEM;
			goto fail;
		}
		skip_newlines(ps);
		if (lx->t == T_COMMA) {
			next(ps);
			skip_newlines(ps);
			continue;
		}
		if (lx->t != T_RBRACK) {
			found(f, sizeof(f), lx);
			perror_at(ps, lx->tline, lx->tcol,
				  "expected ',' or ']' in the list of `%s' opened at line %d column %d, found %s%s",
				  key, oline, ocol, f,
				  lx->t == T_STRING ? " (strings are not joined: separate items with ','; "
						      "Python \"\"\"triple quotes\"\"\" are not xl.cfg syntax)" : "");
			goto fail;
		}
	}
	next(ps);
	ps->depth--;
	return l;
fail:
	ps->depth--;
	xlu__cfg_value_free(l);
	return NULL;
}

static XLU_ConfigValue *parse_value(struct parser *ps, const char *key)
{
	struct lexer *lx = &ps->lx;
	XLU_ConfigValue *v;
	char f[64];

	if (lx->t == T_LBRACK)
		return parse_list(ps, key);
	if (lx->t == T_STRING || lx->t == T_NUMBER) {
		v = value_new(XLU_STRING, lx->tline, lx->tcol);
		if (!v) {
			ps->err = ENOMEM;
			return NULL;
		}
		v->u.string = lx->text;
		lx->text = NULL;
		next(ps);
		return v;
	}
	if (lx->t == T_ERROR && ps->errline == lx->tline)
		return NULL;  /* already reported by the lexer */
	found(f, sizeof(f), lx);
	if (lx->t == T_IDENT)
		perror_at(ps, lx->tline, lx->tcol,
			  "expected a value for `%s' (a quoted string, a number or a [list]), found %s: put strings in quotes",
			  key, f);
	else
		perror_at(ps, lx->tline, lx->tcol,
			  "expected a value for `%s' (a quoted string, a number or a [list]), found %s",
			  key, f);
	return NULL;
}

/* ---- settings ---- */

static size_t name_hash(const char *n)
{
	size_t h = 14695981039346656037ULL;

	while (*n)
		h = (h ^ (unsigned char)*n++) * 1099511628211ULL;
	return h;
}

XLU_ConfigSetting *xlu__cfg_find(const XLU_Config *cfg, const char *n)
{
	if (!cfg->tabsize)
		return NULL;
	for (size_t i = name_hash(n) & (cfg->tabsize - 1);; i = (i + 1) & (cfg->tabsize - 1)) {
		XLU_ConfigSetting *s = cfg->tab[i];
		if (!s)
			return NULL;
		if (!strcmp(s->name, n))
			return s;
	}
}

static void tab_put(XLU_ConfigSetting **tab, size_t size, XLU_ConfigSetting *set)
{
	size_t i = name_hash(set->name) & (size - 1);

	while (tab[i] && strcmp(tab[i]->name, set->name))
		i = (i + 1) & (size - 1);
	tab[i] = set;
}

int xlu__cfg_index(XLU_Config *cfg, XLU_ConfigSetting *set)
{
	XLU_ConfigSetting *prev = xlu__cfg_find(cfg, set->name);

	if (prev) {
		prev->shadowed = 1;
		tab_put(cfg->tab, cfg->tabsize, set);
		return 0;
	}
	if ((cfg->nnames + 1) * 2 > cfg->tabsize) {
		size_t ns = cfg->tabsize ? cfg->tabsize * 2 : 64;
		XLU_ConfigSetting **nt = calloc(ns, sizeof(*nt));

		if (!nt)
			return ENOMEM;
		for (size_t i = 0; i < cfg->tabsize; i++)
			if (cfg->tab[i])
				tab_put(nt, ns, cfg->tab[i]);
		free(cfg->tab);
		cfg->tab = nt;
		cfg->tabsize = ns;
	}
	tab_put(cfg->tab, cfg->tabsize, set);
	cfg->nnames++;
	return 0;
}

/* "KEY += VALUE" joins strings and concatenates lists. */
static int concat(struct parser *ps, XLU_ConfigSetting *prev, XLU_ConfigValue *v,
		  int line, int col)
{
	if (prev->value->type != v->type) {
		perror_at(ps, line, col,
			  "`%s += ...': cannot add a %s to the %s set at line %d",
			  prev->name, v->type == XLU_LIST ? "[list]" : "string",
			  prev->value->type == XLU_LIST ? "[list]" : "string", prev->lineno);
		return EINVAL;
	}
	/* The earlier setting is shadowed for good, so its storage is taken
	 * over and grown in place: long runs of += stay linear. */
	if (v->type == XLU_STRING) {
		size_t a = strlen(prev->value->u.string), b = strlen(v->u.string);
		char *s = realloc(prev->value->u.string, a + b + 1);

		if (!s)
			return ENOMEM;
		memcpy(s + a, v->u.string, b + 1);
		prev->value->u.string = NULL;
		free(v->u.string);
		v->u.string = s;
		return 0;
	}
	{
		XLU_ConfigList *pl = &prev->value->u.list, *nl = &v->u.list;
		int total;

		if (pl->nvalues > INT_MAX / 2 - nl->nvalues)
			return ERANGE;
		total = pl->nvalues + nl->nvalues;
		if (total > pl->avalues) {
			int na = pl->avalues ? pl->avalues : 4;
			XLU_ConfigValue **nv;

			while (na < total)
				na *= 2;
			nv = realloc(pl->values, (size_t)na * sizeof(*nv));
			if (!nv)
				return ENOMEM;
			pl->values = nv;
			pl->avalues = na;
		}
		if (nl->nvalues)
			memcpy(pl->values + pl->nvalues, nl->values,
			       (size_t)nl->nvalues * sizeof(*nl->values));
		free(nl->values);
		*nl = (XLU_ConfigList){ pl->avalues, total, pl->values };
		*pl = (XLU_ConfigList){ 0, 0, NULL };
		return 0;
	}
}

static void parse_statement(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	char *name;
	int line = lx->tline, col = lx->tcol;
	enum XLU_Operation op;
	XLU_ConfigValue *v;
	XLU_ConfigSetting *set;
	char f[64];

	if (lx->t != T_IDENT) {
		found(f, sizeof(f), lx);
		if (lx->t == T_ERROR && ps->errline == lx->tline)
			;
		else if (lx->t == T_ERROR && *lx->tstart >= 'A' && *lx->tstart <= 'Z')
			perror_at(ps, line, col,
				  "expected a setting name, found %s: names are lower case",
				  f);
		else
			perror_at(ps, line, col, "expected a setting name (KEY = VALUE), found %s", f);
		goto recover;
	}
	name = lx->text;
	lx->text = NULL;
	next(ps);
	if (lx->t != T_EQ && lx->t != T_ADD) {
		found(f, sizeof(f), lx);
		perror_at(ps, lx->tline, lx->tcol, "expected '=' or '+=' after `%s', found %s",
			  name, f);
		free(name);
		goto recover;
	}
	op = lx->t == T_ADD ? XLU_OP_ADDITION : XLU_OP_ASSIGNMENT;
	next(ps);
	v = parse_value(ps, name);
	if (!v) {
		free(name);
		goto recover;
	}
	if (lx->t != T_NEWLINE && lx->t != T_SEMI && lx->t != T_EOF) {
		found(f, sizeof(f), lx);
		if (lx->t == T_ERROR && v->type == XLU_STRING &&
		    lx->tstart[-1] != ' ' && lx->tstart[-1] != '\t')
			perror_at(ps, lx->tline, lx->tcol,
				  "unexpected %s right after the value of `%s': a number is plain digits (or 0x...), anything else must be quoted",
				  f, name);
		else
			perror_at(ps, lx->tline, lx->tcol,
				  "expected end of line or ';' after the value of `%s', found %s",
				  name, f);
		xlu__cfg_value_free(v);
		free(name);
		goto recover;
	}
	if (op == XLU_OP_ADDITION) {
		XLU_ConfigSetting *prev = xlu__cfg_find(ps->cfg, name);
		int e = prev ? concat(ps, prev, v, line, col) : 0;

		if (e) {
			if (!ps->err || ps->err == EINVAL)
				ps->err = e;
			xlu__cfg_value_free(v);
			free(name);
			goto recover;
		}
	}
	set = calloc(1, sizeof(*set));
	if (!set) {
		ps->err = ENOMEM;
		xlu__cfg_value_free(v);
		free(name);
		return;
	}
	set->name = name;
	set->value = v;
	set->op = op;
	set->lineno = line;
	set->column = col;
	if (xlu__cfg_index(ps->cfg, set)) {
		ps->err = ENOMEM;
		free(name);
		xlu__cfg_value_free(v);
		free(set);
		return;
	}
	set->next = ps->cfg->settings;
	ps->cfg->settings = set;
	return;
recover:
	while (lx->t != T_NEWLINE && lx->t != T_EOF)
		next(ps);
}

static int parse_data(XLU_Config *cfg, const char *data, size_t len)
{
	struct parser ps;

	memset(&ps, 0, sizeof(ps));
	ps.cfg = cfg;
	ps.lx.p = data;
	ps.lx.end = data + len;
	ps.lx.line = 1;
	ps.lx.col = 1;
	next(&ps);
	while (ps.lx.t != T_EOF && ps.err != ENOMEM) {
		if (ps.lx.t == T_NEWLINE || ps.lx.t == T_SEMI) {
			next(&ps);
			continue;
		}
		parse_statement(&ps);
	}
	free(ps.lx.text);
	return ps.err;
}

XLU_Config *xlu_cfg_init(FILE *report, const char *report_source)
{
	XLU_Config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->report = report;
	cfg->config_source = strdup(report_source ? report_source : "<config>");
	if (!cfg->config_source) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

int xlu_cfg_readdata(XLU_Config *cfg, const char *data, int length)
{
	if (length < 0)
		return EINVAL;
	if (memchr(data, 0, (size_t)length)) {
		const char *z = memchr(data, 0, (size_t)length);
		int line = 1;

		for (const char *p = data; p < z; p++)
			line += *p == '\n';
		fprintf(cfg->report, "%s:%d: file contains a NUL byte (not a text file?)\n",
			cfg->config_source, line);
		return EINVAL;
	}
	return parse_data(cfg, data, (size_t)length);
}

int xlu_cfg_readfile(XLU_Config *cfg, const char *real_filename)
{
	FILE *f = fopen(real_filename, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int e;

	if (!f) {
		e = errno;
		fprintf(cfg->report, "%s: unable to open configuration file: %s\n",
			real_filename, strerror(e));
		return e;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nb;

			if (cap > (size_t)INT_MAX) {
				fprintf(cfg->report, "%s: configuration file too large\n", real_filename);
				e = EFBIG;
				goto out;
			}
			nb = realloc(buf, cap ? cap * 2 : 8192);
			if (!nb) {
				e = ENOMEM;
				goto out;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		e = errno ? errno : EIO;
		fprintf(cfg->report, "%s: read error: %s\n", real_filename, strerror(e));
		goto out;
	}
	e = xlu_cfg_readdata(cfg, buf ? buf : "", (int)len);
out:
	free(buf);
	fclose(f);
	return e;
}

void xlu_cfg_destroy(XLU_Config *cfg)
{
	XLU_ConfigSetting *s, *n;

	if (!cfg)
		return;
	for (s = cfg->settings; s; s = n) {
		n = s->next;
		free(s->name);
		xlu__cfg_value_free(s->value);
		free(s);
	}
	free(cfg->tab);
	free(cfg->config_source);
	free(cfg);
}
