/* Shared by the xl_parse*.c files. */
#ifndef XL_PARSE_I_H
#define XL_PARSE_I_H

#include "xl_parse.h"

struct pctx {
	struct xl_globals *g;
	XLU_Config *cfg;
	const char *src;
	libxl_domain_config *dc;
};

/* Prints "SOURCE:LINE: KEY: message" and returns -1. */
int xlp_bad(struct pctx *p, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 0 set, 1 absent, -1 bad (reported) */
int xlp_get_long(struct pctx *p, const char *key, long *l);
int xlp_get_defbool(struct pctx *p, const char *key, libxl_defbool *b);
int xlp_get_str(struct pctx *p, const char *key, char **dst);
/* Calls fn for each ","-separated item of spec (leading blanks skipped),
 * on a private copy, until fn returns nonzero: > 0 ends the walk quietly,
 * < 0 is an error (reported by fn, or out of memory); 0 or -1. */
int xlp_each_item(struct pctx *p, const char *spec,
		  int (*fn)(struct pctx *p, void *obj, char *item), void *obj);
/* The same for "key=value" items: fn(key, value), its nonzero return an
 * error; the walk ends quietly at an item without '='. */
int xlp_each_kv(struct pctx *p, const char *spec,
		int (*fn)(struct pctx *p, void *obj, const char *key, char *value), void *obj);
/* s without leading and trailing white space (cut in place). */
char *xlp_trim(char *s);
/* *dst = a copy of v (the old string freed); -1 on ENOMEM. */
int xlp_set_str(char **dst, const char *v);
/* Appends an initialised element; NULL on ENOMEM. */
void *xlp_grow(void **arr, int *n, size_t size, void (*init)(void *));
#define GROW(arr, n, T, initfn) \
	((T *)xlp_grow((void **)&(arr), &(n), sizeof(T), (void (*)(void *))(initfn)))

/* xl_parse_devs.c */
int xlp_parse_vnuma(struct pctx *p);
int xlp_parse_io(struct pctx *p);
int xlp_parse_p9_vtpm_pvcalls(struct pctx *p);
int xlp_parse_usb(struct pctx *p);
int xlp_parse_vkbs(struct pctx *p);
int xlp_parse_vdispls(struct pctx *p);
int xlp_parse_vsnds(struct pctx *p);

#endif
