/* pvclock scaling and the RTC-to-epoch conversion. */
#include "check.h"
#include "common/time_calc.c"

int main(void)
{
	static const uint64_t freqs[] = { 1000000000ULL, 2449910000ULL, 3000000000ULL,
					  100000000ULL, 1193182ULL, 5000000000ULL };

	for (unsigned int i = 0; i < ARRAY_SIZE(freqs); i++) {
		struct tsc_scale s = tsc_scale_for(freqs[i]);
		uint64_t ns = tsc_scale_apply(freqs[i], s); /* one second of ticks */
		uint64_t ns10 = tsc_scale_apply(freqs[i] * 10, s);

		CHECK(s.mul >= 0x80000000U, "%llu Hz: multiplier %#x keeps precision",
		      (unsigned long long)freqs[i], s.mul);
		CHECK(ns > 999999000ULL && ns <= 1000000000ULL,
		      "%llu Hz: one second of ticks = %llu ns", (unsigned long long)freqs[i],
		      (unsigned long long)ns);
		CHECK(ns10 > 9999990000ULL && ns10 <= 10000000000ULL, "%llu Hz: ten seconds = %llu ns",
		      (unsigned long long)freqs[i], (unsigned long long)ns10);
	}
	CHECK(tsc_scale_for(0).mul == 0, "zero frequency gives a null scale");
	CHECK(rtc_to_epoch(1970, 1, 1, 0, 0, 0) == 0, "epoch");
	CHECK(rtc_to_epoch(2000, 3, 1, 0, 0, 0) == 951868800ULL, "2000-03-01 (leap year)");
	CHECK(rtc_to_epoch(2026, 11, 22, 15, 52, 53) == 1795362773ULL, "2026-11-22 15:52:53");
	CHECK(rtc_to_epoch(2024, 2, 29, 12, 0, 0) == 1709208000ULL, "2024-02-29 noon");
	return check_done();
}
