/* Adaptive busy-poll window (see pollwin.h). */
#include "pollwin.h"

void pollwin_init(struct pollwin *w, uint32_t max_us)
{
	w->max_us = max_us > POLLWIN_MAX_US ? POLLWIN_MAX_US : max_us;
	w->cur_us = 0;
}

uint32_t pollwin_window(const struct pollwin *w)
{
	return w->cur_us;
}

static void pollwin_grow(struct pollwin *w)
{
	uint32_t n = w->cur_us ? w->cur_us * 2 : POLLWIN_START_US;

	w->cur_us = n > w->max_us ? w->max_us : n;
}

void pollwin_after_spin(struct pollwin *w, bool found)
{
	if (found)
		return;
	/* A whole window wasted: halve it, and stop below the start. */
	w->cur_us /= 2;
	if (w->cur_us < POLLWIN_START_US)
		w->cur_us = 0;
}

void pollwin_after_sleep(struct pollwin *w, uint64_t slept_us)
{
	if (w->max_us && slept_us < w->max_us)
		pollwin_grow(w);
}
