/* Credit arithmetic: weights as virtual time, the sleeper floor, cap
 * budgets per period with debt carried over. */
#include "check.h"
#include "common/sched_credit.c"

#define MS 1000000ULL

int main(void)
{
	struct credit_cap c = { 0, 0, 0 };
	uint64_t t = 5 * MS;

	CHECK(credit_charge(10 * MS, 256) == 10 * MS, "weight 256: virtual time = run time");
	CHECK(credit_charge(10 * MS, 512) == 5 * MS, "weight 512: half");
	CHECK(credit_charge(10 * MS, 128) == 20 * MS, "weight 128: double");
	CHECK(credit_charge(MS, 0) == 256 * MS, "weight 0 is not a division by zero");
	CHECK(credit_floor(0, 100 * MS, 10 * MS) == 90 * MS, "a sleeper comes back one slice behind");
	CHECK(credit_floor(95 * MS, 100 * MS, 10 * MS) == 95 * MS, "a vCPU within a slice keeps its time");
	CHECK(credit_floor(3, 5, 10 * MS) == 3, "a young run queue clock lifts nobody");

	CHECK(credit_boosted(true, 105 * MS, 100 * MS, 10 * MS), "woken, within a slice ahead: boosted");
	CHECK(!credit_boosted(true, 111 * MS, 100 * MS, 10 * MS), "woken, over a slice ahead: not boosted");
	CHECK(!credit_boosted(false, 50 * MS, 100 * MS, 10 * MS), "not woken: never boosted");
	CHECK(credit_move(105 * MS, 100 * MS, 30 * MS) == 35 * MS, "a move keeps the lead on the clock");
	CHECK(credit_move(95 * MS, 100 * MS, 30 * MS) == 25 * MS, "a move keeps the lag behind the clock");
	CHECK(credit_move(10 * MS, 100 * MS, 30 * MS) == 0, "a lag longer than the new clock stops at 0");

	CHECK(credit_cap_allows(&c) && credit_cap_slice(&c, 10 * MS) == 10 * MS, "uncapped: always, full slices");
	credit_cap_charge(&c, 50 * MS);
	CHECK(credit_cap_allows(&c), "uncapped: running costs nothing");
	credit_cap_set(&c, 25, t);
	CHECK(c.budget_ns == (int64_t)(25 * MS) && c.period_end == t + 100 * MS, "cap 25: 25 ms per 100 ms");
	CHECK(credit_cap_slice(&c, 10 * MS) == 10 * MS, "a full slice while the budget allows");
	credit_cap_charge(&c, 20 * MS);
	CHECK(credit_cap_slice(&c, 10 * MS) == 5 * MS, "the last 5 ms as a short slice");
	credit_cap_charge(&c, 8 * MS);
	CHECK(!credit_cap_allows(&c) && c.budget_ns == -(int64_t)(3 * MS), "overrun: 3 ms of debt");
	credit_cap_refill(&c, t + 50 * MS);
	CHECK(!credit_cap_allows(&c), "no refill before the period ends");
	credit_cap_refill(&c, t + 100 * MS);
	CHECK(c.budget_ns == (int64_t)(22 * MS) && c.period_end == t + 200 * MS, "refill pays the debt: 22 ms");
	credit_cap_refill(&c, t + 200 * MS);
	CHECK(c.budget_ns == (int64_t)(25 * MS), "an unused budget is not banked beyond one period");
	credit_cap_refill(&c, t + 2000 * MS);
	CHECK(c.period_end == t + 2100 * MS, "after a long idle spell the period restarts from now");
	credit_cap_charge(&c, 900 * MS);
	CHECK(c.budget_ns == -(int64_t)(25 * MS), "a 900 ms stall leaves one period of debt, not 875 ms");
	credit_cap_set(&c, 0, t);
	CHECK(credit_cap_allows(&c), "cap 0: uncapped again");
	return check_done();
}
