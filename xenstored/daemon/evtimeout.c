/*
 * The watch-event timeout (-w watch-event=<seconds>, 20 by default, as
 * Xen 4.17's daemon has it): a watch event still waiting in a connection's
 * output after that long is deleted, so a client that stops reading does
 * not make the daemon keep its events.  The output queue is one byte
 * buffer; each event in it is recorded here by its absolute position in
 * the connection's output stream (bytes written so far + offset), which
 * compaction of the buffer does not change.  An event already partly
 * written is never cut.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "xsd.h"

uint64_t xsd_now_ms(const struct xsd *x)
{
	struct timespec ts;

	if (x->clock_ms)
		return x->clock_ms();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int evq_note(struct xsd_conn *c, uint64_t start, uint32_t len)
{
	if (!c->x->q.watch_timeout)
		return 0;
	if (c->evq_n == c->evq_cap) {
		if (c->evq_head) {
			/* Make room by dropping the records already sent. */
			c->evq_n -= c->evq_head;
			memmove(c->evq, c->evq + c->evq_head,
				c->evq_n * sizeof(*c->evq));
			c->evq_head = 0;
		} else {
			size_t cap = c->evq_cap ? c->evq_cap * 2 : 16;
			struct xsd_evq *n = realloc(c->evq, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			c->evq = n;
			c->evq_cap = cap;
		}
	}
	c->evq[c->evq_n++] = (struct xsd_evq){ start, xsd_now_ms(c->x), len };
	return 0;
}

/* Forget the records of events written out completely. */
void evq_sent(struct xsd_conn *c)
{
	while (c->evq_head < c->evq_n &&
	       c->evq[c->evq_head].start + c->evq[c->evq_head].len <=
	       c->out_sent)
		c->evq_head++;
	if (c->evq_head == c->evq_n)
		c->evq_head = c->evq_n = 0;
}

void evq_clear(struct xsd_conn *c)
{
	free(c->evq);
	c->evq = NULL;
	c->evq_head = c->evq_n = c->evq_cap = 0;
}

/* Delete the events queued before now - timeout; how many were. */
size_t evq_expire(struct xsd_conn *c, uint64_t now_ms)
{
	uint64_t limit = (uint64_t)c->x->q.watch_timeout * 1000u;
	size_t dropped = 0, i = c->evq_head;

	evq_sent(c);
	while (limit && i < c->evq_n) {
		struct xsd_evq *e = &c->evq[i];
		size_t at;

		/* Oldest first: nothing after a young one is older. */
		if (now_ms - e->queued_ms < limit)
			break;
		if (e->start < c->out_sent) {
			i++; /* being written: it stays */
			continue;
		}
		at = c->out_off + (size_t)(e->start - c->out_sent);
		memmove(c->out + at, c->out + at + e->len,
			c->out_len - at - e->len);
		c->out_len -= e->len;
		for (size_t k = i + 1; k < c->evq_n; k++)
			c->evq[k].start -= e->len;
		memmove(e, e + 1, (c->evq_n - i - 1) * sizeof(*e));
		c->evq_n--;
		dropped++;
	}
	if (c->evq_head == c->evq_n)
		c->evq_head = c->evq_n = 0;
	if (dropped) {
		c->dropped_events += dropped;
		xsd_logf(c->x, LOG_WARNING, "connection of domain %" PRIu32
			 ": %zu watch event(s) not read within %ld s "
			 "(-w watch-event): deleted", c->domid, dropped,
			 c->x->q.watch_timeout);
	}
	return dropped;
}

bool evq_waiting(const struct xsd *x)
{
	for (const struct xsd_conn *c = x->conns; c; c = c->next)
		if (c->evq_n > c->evq_head)
			return true;
	return false;
}
