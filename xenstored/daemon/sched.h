/*
 * The daemon's CPU scheduling request (--sched-slice).  Xenstore traffic is
 * strictly sequential round trips (a transaction is four of them), so
 * what clients feel is the daemon's wake-up latency, not its throughput.
 * On Linux 6.12+ (EEVDF) a SCHED_OTHER task may ask for a shorter time
 * slice: its deadlines come earlier, so it runs soon after a request
 * wakes it and the clients it wakes with replies do not preempt it in
 * the middle of a round.  Its share of the CPU does not change (that is
 * the nice value, kept as it is).  Older kernels ignore the request.
 */
#ifndef XENOLITH_XSD_SCHED_H
#define XENOLITH_XSD_SCHED_H

#include <stdint.h>

#define SCHED_SLICE_DEFAULT_US 100
#define SCHED_SLICE_MIN_US 100      /* the kernel's bounds for a slice */
#define SCHED_SLICE_MAX_US 100000

/* Ask for a slice of us microseconds (0: the kernel's default) for the
 * calling thread; its nice value is kept.  0, -EINVAL (out of bounds),
 * -EBUSY (not SCHED_OTHER: left as set) or the kernel's -errno. */
int sched_set_slice(uint32_t us);

#endif
