/* PV console ring shared between a guest and its console backend. */
#ifndef XEN_PUBLIC_IO_CONSOLE_H
#define XEN_PUBLIC_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE 1024
#define XENCONS_OUT_SIZE 2048
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[XENCONS_IN_SIZE];	/* backend -> guest */
	char out[XENCONS_OUT_SIZE];	/* guest -> backend */
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "console in_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "console out_prod");

#endif
