/* Linux's evtchn, gntdev and gntalloc devices (uapi of Linux 6.1). All
 * ioctls use direction NONE: (type << 8) | nr | (size << 16). */
#ifndef XENOLITH_LINUX_XENDEV_H
#define XENOLITH_LINUX_XENDEV_H

#include <stdint.h>

#define XENDEV_IOC(type, nr, size) (((uint32_t)(type) << 8) | (nr) | ((uint32_t)(size) << 16))

struct ioctl_evtchn_bind_virq { uint32_t virq; };
struct ioctl_evtchn_bind_interdomain { uint32_t remote_domain, remote_port; };
struct ioctl_evtchn_bind_unbound_port { uint32_t remote_domain; };
struct ioctl_evtchn_unbind { uint32_t port; };
struct ioctl_evtchn_notify { uint32_t port; };

#define IOCTL_EVTCHN_BIND_VIRQ XENDEV_IOC('E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN XENDEV_IOC('E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT XENDEV_IOC('E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND XENDEV_IOC('E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY XENDEV_IOC('E', 4, sizeof(struct ioctl_evtchn_notify))
#define IOCTL_EVTCHN_RESET XENDEV_IOC('E', 5, 0)

struct ioctl_gntdev_grant_ref { uint32_t domid, ref; };
struct ioctl_gntdev_map_grant_ref {
	uint32_t count;
	uint32_t pad;
	uint64_t index;
	struct ioctl_gntdev_grant_ref refs[1];
};
struct ioctl_gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};
struct ioctl_gntdev_get_offset_for_vaddr {
	uint64_t vaddr;
	uint64_t offset;
	uint32_t count;
	uint32_t pad;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF XENDEV_IOC('G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF XENDEV_IOC('G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR XENDEV_IOC('G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))

struct ioctl_gntalloc_alloc_gref {
	uint16_t domid;
	uint16_t flags;
	uint32_t count;
	uint64_t index;
	uint32_t gref_ids[1];
};
struct ioctl_gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
};
#define GNTALLOC_FLAG_WRITABLE 1

#define IOCTL_GNTALLOC_ALLOC_GREF XENDEV_IOC('G', 5, sizeof(struct ioctl_gntalloc_alloc_gref))
#define IOCTL_GNTALLOC_DEALLOC_GREF XENDEV_IOC('G', 6, sizeof(struct ioctl_gntalloc_dealloc_gref))

_Static_assert(IOCTL_EVTCHN_BIND_VIRQ == 0x00044500, "evtchn bind_virq");
_Static_assert(IOCTL_EVTCHN_BIND_INTERDOMAIN == 0x00084501, "evtchn bind_interdomain");
_Static_assert(IOCTL_EVTCHN_RESET == 0x00004505, "evtchn reset");
_Static_assert(IOCTL_GNTDEV_MAP_GRANT_REF == 0x00184700, "gntdev map");
_Static_assert(IOCTL_GNTDEV_UNMAP_GRANT_REF == 0x00104701, "gntdev unmap");
_Static_assert(IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR == 0x00184702, "gntdev offset");
_Static_assert(IOCTL_GNTALLOC_ALLOC_GREF == 0x00184705, "gntalloc alloc");
_Static_assert(IOCTL_GNTALLOC_DEALLOC_GREF == 0x00104706, "gntalloc dealloc");

#endif
