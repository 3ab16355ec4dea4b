/* Credit-scheduler arithmetic: weights as virtual time, caps as budgets
 * (see sched_credit.h).  Pure: unit tested on the host. */
#include <xenolith/sched_credit.h>

uint64_t credit_charge(uint64_t ns, uint16_t weight)
{
	return ns * CREDIT_WEIGHT_DEFAULT / (weight ? weight : 1);
}

uint64_t credit_floor(uint64_t vtime, uint64_t vclock, uint64_t slice_ns)
{
	return vclock > slice_ns && vtime < vclock - slice_ns ? vclock - slice_ns : vtime;
}

bool credit_boosted(bool woken, uint64_t vtime, uint64_t vclock, uint64_t slice_ns)
{
	return woken && vtime <= vclock + slice_ns;
}

uint64_t credit_move(uint64_t vtime, uint64_t from, uint64_t to)
{
	return vtime >= from ? to + (vtime - from) : to - MIN(to, from - vtime);
}

static int64_t full_budget(uint16_t cap)
{
	return (int64_t)(CREDIT_CAP_PERIOD_NS * cap / 100);
}

void credit_cap_set(struct credit_cap *c, uint16_t cap, uint64_t now)
{
	c->cap = cap;
	c->budget_ns = full_budget(cap);
	c->period_end = now + CREDIT_CAP_PERIOD_NS;
}

void credit_cap_refill(struct credit_cap *c, uint64_t now)
{
	if (!c->cap || now < c->period_end)
		return;
	c->budget_ns = MIN(c->budget_ns + full_budget(c->cap), full_budget(c->cap));
	/* a long idle spell does not bank more than one period */
	c->period_end = now - c->period_end >= CREDIT_CAP_PERIOD_NS ? now + CREDIT_CAP_PERIOD_NS
								     : c->period_end + CREDIT_CAP_PERIOD_NS;
}

bool credit_cap_allows(const struct credit_cap *c)
{
	return !c->cap || c->budget_ns > 0;
}

uint64_t credit_cap_slice(const struct credit_cap *c, uint64_t slice_ns)
{
	if (!c->cap || c->budget_ns <= 0)
		return slice_ns;
	return MIN(slice_ns, (uint64_t)c->budget_ns);
}

void credit_cap_charge(struct credit_cap *c, uint64_t ns)
{
	/* debt stops at one period's budget: one long stall of the host
	 * (or an SMI) must not starve the domain for many periods */
	if (c->cap)
		c->budget_ns = MAX(c->budget_ns - (int64_t)MIN(ns, (uint64_t)INT64_MAX),
				   -full_budget(c->cap));
}
