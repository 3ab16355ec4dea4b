/*
 * XS_CONTROL live-update: the session a dom0 tool drives (xenstore-control
 * live-update), with the answers and rules of Xen 4.17's daemon.  Nothing
 * here touches the running daemon's descriptors: main.c writes the state
 * and executes the new binary once lu_poll says the moment has come.
 *
 * Rules: one session at a time, owned by the connection that named the
 * binary; the update waits until no transaction is open, at most the
 * timeout given with -s; after it, -F goes ahead anyway (those
 * transactions are lost), otherwise the request fails and says which
 * connections held transactions for that long.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "xsd.h"

/* The state stream keeps at most this much unread input per connection. */
#define LU_IN_MAX 65535u

static int answer(char *reply, size_t *rlen, const char *text)
{
	size_t n = strlen(text) + 1;

	memcpy(reply, text, n);
	*rlen = n;
	return 0;
}

void lu_end(struct xsd *x)
{
	struct xsd_lu *lu = x->lu;

	if (!lu)
		return;
	if (lu->conn)
		lu->conn->held = false;
	free(lu->binary);
	free(lu->cmdline);
	free(lu);
	x->lu = NULL;
}

static const char *lu_binary(struct xsd *x, struct xsd_conn *c,
			     const char *file)
{
	struct stat st;

	xsd_logf(x, LOG_INFO, "live-update: binary %s", file);
	if (stat(file, &st))
		return "File not accessible.";
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return "File not executable.";
	if (x->lu)
		return "live-update session already active.";
	x->lu = calloc(1, sizeof(*x->lu));
	if (!x->lu)
		return "Allocation failure.";
	x->lu->conn = c;
	x->lu->binary = strdup(file);
	if (!x->lu->binary) {
		lu_end(x);
		return "Allocation failure.";
	}
	return NULL;
}

static const char *lu_cmdline(struct xsd *x, struct xsd_conn *c,
			      const char *cmdline)
{
	char *dup;

	if (!x->lu || x->lu->conn != c)
		return "Not in live-update session.";
	dup = strdup(cmdline);
	if (!dup)
		return "Allocation failure.";
	free(x->lu->cmdline);
	x->lu->cmdline = dup;
	return NULL;
}

/* -s [-F] [-t <seconds>]: 1 = answered later, else as control_handle. */
static int lu_start(struct xsd *x, struct xsd_conn *c, const char **v,
		    unsigned int n, const struct xsd_sockmsg *req,
		    const char **text)
{
	bool force = false;
	long to = 0;

	for (unsigned int i = 0; i < n; i++) {
		char *end;

		if (!strcmp(v[i], "-F")) {
			force = true;
		} else if (!strcmp(v[i], "-t") && i + 1 < n) {
			to = strtol(v[++i], &end, 10);
			if (end == v[i] || *end || to < 0)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (!x->lu || x->lu->conn != c) {
		*text = "Not in live-update session.";
		return 0;
	}
	if (x->lu->started) {
		*text = "live-update session already active.";
		return 0;
	}
	xsd_logf(x, LOG_INFO, "live-update: start, force=%d, timeout=%ld s",
		 force, to);
	x->lu->started = true;
	x->lu->force = force;
	x->lu->timeout_ms = (uint64_t)to * 1000u;
	x->lu->started_ms = xsd_now_ms(x);
	x->lu->req = *req;
	c->held = true;
	return 1;
}

int lu_control(struct xsd *x, struct xsd_conn *c, const char **v,
	       unsigned int n, const struct xsd_sockmsg *req, char *reply,
	       size_t *rlen)
{
	const char *text = NULL;

	if (x->control_no_files)
		return -EACCES; /* fuzzing: no files, no exec */
	if (n < 1)
		return -EINVAL;
	if (!strcmp(v[0], "-a") && n == 1) {
		xsd_logf(x, LOG_INFO, "live-update: abort");
		if (!x->lu)
			text = "No live-update session active.";
		else
			lu_end(x);
	} else if (!strcmp(v[0], "-c") && n == 2) {
		text = lu_cmdline(x, c, v[1]);
	} else if (!strcmp(v[0], "-f") && n == 2) {
		text = lu_binary(x, c, v[1]);
	} else if (!strcmp(v[0], "-s")) {
		int r = lu_start(x, c, v + 1, n - 1, req, &text);

		if (r)
			return r;
	} else {
		/* -b/-d load a binary into a xenstore stub domain. */
		return -EINVAL;
	}
	return answer(reply, rlen, text ? text : "OK");
}

/* The oldest open transaction of a connection, or 0 if none. */
static uint64_t oldest_txn(const struct xsd_conn *c)
{
	uint64_t oldest = 0;

	for (const struct xsd_txn *t = c->txns; t; t = t->next)
		if (!oldest || t->started_ms < oldest)
			oldest = t->started_ms;
	return oldest;
}

static void refusal(struct xsd *x, uint64_t now, char *why, size_t len)
{
	size_t off = 0;

	why[0] = '\0';
	for (struct xsd_conn *c = x->conns; c; c = c->next) {
		uint64_t t0 = oldest_txn(c);

		if (!t0 || now - t0 < x->lu->timeout_ms || off >= len)
			continue;
		off += (size_t)snprintf(why + off, len - off, "%s\nDomain %"
					PRIu32 ": %" PRIu64 " s", off ? "" :
					"Domains with long running "
					"transactions:", c->domid,
					(now - t0) / 1000u);
	}
	if (!off)
		snprintf(why, len, "%s", "Overlapping transactions");
}

enum lu_poll_result lu_poll(struct xsd *x, char *why, size_t len)
{
	unsigned int open = 0, old = 0, backlog = 0;
	uint64_t now;

	if (!x->lu || !x->lu->started)
		return LU_IDLE;
	now = xsd_now_ms(x);
	for (struct xsd_conn *c = x->conns; c; c = c->next) {
		uint64_t t0 = oldest_txn(c);

		if (c->in_len > LU_IN_MAX)
			backlog++;
		if (!t0)
			continue;
		open++;
		if (now - t0 >= x->lu->timeout_ms)
			old++;
	}
	/* Xen's rule: no transaction open, or all of them older than the
	 * timeout and -F given. */
	if (!backlog && (!open || (x->lu->force && old == open)))
		return LU_GO;
	if (now < x->lu->started_ms + x->lu->timeout_ms)
		return LU_WAIT;
	if (backlog) {
		snprintf(why, len, "%u connection(s) with more than %u bytes "
			 "of unread requests", backlog, LU_IN_MAX);
		return LU_REFUSED;
	}
	if (x->lu->force)
		return LU_GO;
	refusal(x, now, why, len);
	return LU_REFUSED;
}

/* The -s request's answer from this daemon (the update did not happen);
 * ends the session. */
void lu_answer(struct xsd *x, const char *text)
{
	struct xsd_lu *lu = x->lu;

	if (!lu)
		return;
	xsd_logf(x, LOG_WARNING, "live-update: %s", text);
	conn_queue(lu->conn, XS_CONTROL, lu->req.req_id, lu->req.tx_id, text,
		   strlen(text) + 1, false);
	lu_end(x);
}
