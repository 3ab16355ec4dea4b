/* The event loop's adaptive busy-poll window (pollwin.c). */
#include "check.h"
#include "pollwin.h"

int main(void)
{
	struct pollwin w;
	uint32_t prev;
	int n;

	pollwin_init(&w, 0);
	pollwin_after_sleep(&w, 1);
	CHECK(pollwin_window(&w) == 0, "max 0: never polls");

	pollwin_init(&w, 50);
	CHECK(pollwin_window(&w) == 0, "starts by sleeping");
	pollwin_after_sleep(&w, 5000);
	CHECK(pollwin_window(&w) == 0, "long sleeps: still no polling");
	pollwin_after_sleep(&w, 20);
	CHECK(pollwin_window(&w) == POLLWIN_START_US,
	      "a sleep shorter than the max opens a window (%u)",
	      pollwin_window(&w));
	for (n = 0; n < 10; n++)
		pollwin_after_sleep(&w, 20);
	CHECK(pollwin_window(&w) == 50, "grows to the max, not beyond (%u)",
	      pollwin_window(&w));
	pollwin_after_spin(&w, true);
	CHECK(pollwin_window(&w) == 50, "a poll that finds work keeps it");
	prev = pollwin_window(&w);
	pollwin_after_spin(&w, false);
	CHECK(pollwin_window(&w) == prev / 2, "an idle poll halves it (%u)",
	      pollwin_window(&w));
	for (n = 0; n < 10 && pollwin_window(&w); n++)
		pollwin_after_spin(&w, false);
	CHECK(pollwin_window(&w) == 0 && n <= 4,
	      "idle polls close it in a few steps (%d)", n);

	pollwin_init(&w, POLLWIN_MAX_US * 10);
	for (n = 0; n < 40; n++)
		pollwin_after_sleep(&w, 1);
	CHECK(pollwin_window(&w) == POLLWIN_MAX_US, "max clamped to %u",
	      POLLWIN_MAX_US);
	return check_done();
}
