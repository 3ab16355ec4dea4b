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
