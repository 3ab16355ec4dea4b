/*
 * Adaptive busy-poll window for the event loop (--busy-poll, off by
 * default).  Xenstore clients (xl, libxl, hotplug scripts) mostly do
 * strictly sequential round trips, e.g. transaction start / read / write
 * / end.  Sleeping in epoll_wait between two of them costs a wakeup (an
 * IPI and a vCPU halt exit when virtualised) and a context switch, which
 * dominate the round trip on an otherwise idle host.  With a window the
 * loop polls without sleeping after serving requests; the window grows
 * while requests keep arriving within it and closes when they do not, so
 * an idle daemon never spins.  On a busy host polling takes CPU from the
 * clients, hence off by default and the loop stops polling when it finds
 * it was preempted.  Pure logic on caller-supplied times: unit tested.
 */
#ifndef XENOLITH_XSD_POLLWIN_H
#define XENOLITH_XSD_POLLWIN_H

#include <stdbool.h>
#include <stdint.h>

#define POLLWIN_DEFAULT_MAX_US 0
#define POLLWIN_MAX_US 10000   /* largest --busy-poll accepted */
#define POLLWIN_START_US 5     /* first window after a short sleep */
/* A longer gap between two polls means we were preempted. */
#define POLLWIN_GAP_MAX_US 10

struct pollwin {
	uint32_t max_us;  /* 0: never spin */
	uint32_t cur_us;  /* current window */
};

void pollwin_init(struct pollwin *w, uint32_t max_us);
/* How long to poll before sleeping (0: sleep at once). */
uint32_t pollwin_window(const struct pollwin *w);
/* A poll of the current window ended: found work or not. */
void pollwin_after_spin(struct pollwin *w, bool found);
/* A sleep ended after slept_us: a short one means polling would have
 * caught the event. */
void pollwin_after_sleep(struct pollwin *w, uint64_t slept_us);

#endif
