/* Pure time arithmetic shared with the guest ABI (pvclock scaling). */
#include <xenolith/time.h>

struct tsc_scale tsc_scale_for(uint64_t hz)
{
	struct tsc_scale s = { 0, 0 };
	uint64_t f = hz;

	if (!hz)
		return s;
	/* pick shift so that 1e9 < f <= 2e9; then mul = 1e9 * 2^32 / f fits */
	while (f > 2000000000ULL) {
		f >>= 1;
		s.shift--;
	}
	while (f <= 1000000000ULL) {
		f <<= 1;
		s.shift++;
	}
	s.mul = (uint32_t)((1000000000ULL << 32) / f);
	return s;
}

uint64_t tsc_scale_apply(uint64_t delta, struct tsc_scale s)
{
	if (s.shift >= 0)
		delta <<= s.shift;
	else
		delta >>= -s.shift;
	return (uint64_t)(((unsigned __int128)delta * s.mul) >> 32);
}

uint64_t rtc_to_epoch(unsigned int year, unsigned int mon, unsigned int day,
		      unsigned int hour, unsigned int min, unsigned int sec)
{
	/* civil-from-days inverse over a March-based year */
	int64_t y = (int64_t)year - (mon <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	uint64_t yoe = (uint64_t)(y - era * 400);
	uint64_t mp = (mon + 9) % 12;
	uint64_t doy = (153 * mp + 2) / 5 + day - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + (int64_t)doe - 719468;

	return (uint64_t)days * 86400 + hour * 3600ULL + min * 60ULL + sec;
}
