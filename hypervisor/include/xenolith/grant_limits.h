/* Grant table sizes a domain may ask for at createdomain: Xen's
 * defaults for gnttab_max_frames and gnttab_max_maptrack_frames. */
#ifndef XENOLITH_GRANT_LIMITS_H
#define XENOLITH_GRANT_LIMITS_H

#define GNTTAB_MAX_FRAMES 64
#define MAPTRACK_MAX_FRAMES 1024

#endif
