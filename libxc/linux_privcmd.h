/* Linux's privcmd device (/dev/xen/privcmd, uapi of Linux 6.1): how dom0
 * user space issues hypercalls and maps foreign memory. */
#ifndef XENOLITH_LINUX_PRIVCMD_H
#define XENOLITH_LINUX_PRIVCMD_H

#include <stdint.h>

struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};

struct privcmd_mmapbatch_v2 {
	uint32_t num;
	uint16_t dom;
	uint64_t addr;
	const uint64_t *arr;
	int *err;
};

struct privcmd_mmap_resource {
	uint16_t dom;
	uint32_t type;
	uint32_t id;
	uint32_t idx;
	uint64_t num;
	uint64_t addr;
};

/* All privcmd ioctls use direction NONE: type 'P', nr, size. */
#define PRIVCMD_IOC(nr, size) ((0x50U << 8) | (nr) | ((uint32_t)(size) << 16))
#define IOCTL_PRIVCMD_HYPERCALL PRIVCMD_IOC(0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 PRIVCMD_IOC(4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_MMAP_RESOURCE PRIVCMD_IOC(7, sizeof(struct privcmd_mmap_resource))

_Static_assert(IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "privcmd hypercall ioctl");
_Static_assert(IOCTL_PRIVCMD_MMAPBATCH_V2 == 0x00205004, "privcmd mmapbatch_v2 ioctl");
_Static_assert(IOCTL_PRIVCMD_MMAP_RESOURCE == 0x00205007, "privcmd mmap_resource ioctl");

#endif
