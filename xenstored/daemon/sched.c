/* The daemon's scheduling request (see sched.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sched.h"

/* struct sched_attr of sched_setattr(2); glibc has no wrapper for it
 * before 2.41, so it is spelled out (the first, version-0 layout). */
struct slice_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

int sched_set_slice(uint32_t us)
{
	struct slice_attr a;
	int nice;

	if (us && (us < SCHED_SLICE_MIN_US || us > SCHED_SLICE_MAX_US))
		return -EINVAL;
	/* A policy chosen by the administrator (chrt, systemd's
	 * CPUSchedulingPolicy=) is left alone. */
	if (sched_getscheduler(0) != SCHED_OTHER)
		return -EBUSY;
	/* sched_setattr sets the nice value too: pass on the current one. */
	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	if (nice == -1 && errno)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.policy = 0; /* SCHED_OTHER */
	a.nice = nice;
	a.runtime = (uint64_t)us * 1000u; /* the slice, in ns */
#ifdef SYS_sched_setattr
	if (syscall(SYS_sched_setattr, 0, &a, 0))
		return -errno;
	return 0;
#else
	return -ENOSYS;
#endif
}
