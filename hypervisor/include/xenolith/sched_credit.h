/* Credit-scheduler arithmetic (pure, unit tested on the host): vCPUs are
 * charged run time scaled by their domain's weight (virtual time; the
 * smallest runs next), a woken vCPU's virtual time is lifted to within
 * one slice of its run queue's, and a capped domain has a CPU budget
 * per period. */
#ifndef XENOLITH_SCHED_CREDIT_H
#define XENOLITH_SCHED_CREDIT_H

#include "lib.h"

#define CREDIT_WEIGHT_DEFAULT 256
#define CREDIT_CAP_PERIOD_NS 100000000ULL /* budgets are per 100 ms */

/* Virtual time for ns of run time at weight. */
uint64_t credit_charge(uint64_t ns, uint16_t weight);
/* The virtual time a vCPU is picked with: no more than slice_ns behind
 * the run queue's clock vclock (a sleeper gains one slice, not all the
 * time it slept). */
uint64_t credit_floor(uint64_t vtime, uint64_t vclock, uint64_t slice_ns);
/* Does a vCPU woken from a block go before those that did not (boost)?
 * Only if it is at most a slice ahead of its queue's clock. */
bool credit_boosted(bool woken, uint64_t vtime, uint64_t vclock, uint64_t slice_ns);
/* The virtual time of a vCPU moved from a queue whose clock reads `from`
 * to one whose clock reads `to`: the same lead or lag, never below 0. */
uint64_t credit_move(uint64_t vtime, uint64_t from, uint64_t to);

struct credit_cap {
	uint16_t cap; /* % of one pCPU, 0 = uncapped */
	int64_t budget_ns; /* left in this period; may go below 0 (debt) */
	uint64_t period_end;
};

/* Set a new cap: a full budget from now. */
void credit_cap_set(struct credit_cap *c, uint16_t cap, uint64_t now);
/* At a period boundary: the budget grows by one period's worth, up to
 * a full period's (debt carries over). */
void credit_cap_refill(struct credit_cap *c, uint64_t now);
/* May the domain run now? */
bool credit_cap_allows(const struct credit_cap *c);
/* Longest slice a capped domain may take now (slice_ns if uncapped). */
uint64_t credit_cap_slice(const struct credit_cap *c, uint64_t slice_ns);
/* Run time against the budget; the debt is kept to one period's worth. */
void credit_cap_charge(struct credit_cap *c, uint64_t ns);

#endif
