/* Live update in-process: the XS_CONTROL live-update session rules
 * (lu.c) with a fake clock, and the state stream (lustate.c) written and
 * read back with a reply half written, unread request bytes, watches,
 * node permissions.  (Rings and relative watches: the VM scenario
 * xsdref and fuzz-xs-lustate.) */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "xs_test_util.h"

static struct xsd x, y;
static uint64_t fake_now = 1000;

static uint64_t fake_clock(void)
{
	return fake_now;
}

static struct tmsg *lu(struct xsd_conn *c, const char *args)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "live-update|%s", args);
	return t_cmd(c, XS_CONTROL, 0, buf);
}

static bool says(const struct tmsg *m, const char *text)
{
	return m->h.type == XS_CONTROL && !strcmp(m->body, text);
}

static void test_session(struct xsd_conn *d0, struct xsd_conn *other,
			 struct xsd_conn *domu)
{
	char why[512];
	struct tmsg r;
	uint32_t tx;

	memset(&r, 0, sizeof(r));
	CHECK(!strcmp(t_err(lu(domu, "-f|/bin/sh")), "EACCES"),
	      "a domain may not live-update xenstored: EACCES");
	CHECK(says(lu(d0, "-a"), "No live-update session active."),
	      "-a without a session");
	CHECK(says(lu(d0, "-c|-N"), "Not in live-update session."),
	      "-c without a session");
	CHECK(says(lu(d0, "-s|-t|5"), "Not in live-update session."),
	      "-s without a session");
	CHECK(says(lu(d0, "-f|/nonexistent/xenstored"), "File not accessible."),
	      "-f of a missing file");
	CHECK(says(lu(d0, "-f|/etc/passwd"), "File not executable."),
	      "-f of a file without x bits");
	CHECK(!strcmp(t_err(lu(d0, "-b|4096")), "EINVAL"),
	      "-b (stub domain upload) refused: EINVAL");
	CHECK(says(lu(d0, "-f|/bin/sh"), "OK"), "-f names the binary");
	CHECK(says(lu(other, "-f|/bin/sh"),
		   "live-update session already active."),
	      "a second session is refused");
	CHECK(says(lu(other, "-s"), "Not in live-update session."),
	      "another connection may not start it");
	CHECK(says(lu(d0, "-c|-N -T /tmp/t"), "OK"), "-c sets a command line");
	CHECK(x.lu && !strcmp(x.lu->cmdline, "-N -T /tmp/t"),
	      "the command line is kept whole");

	/* A transaction open elsewhere holds the update back. */
	r = *t_cmd(other, XS_TRANSACTION_START, 0, "");
	tx = (uint32_t)strtoul(r.body, NULL, 10);
	CHECK(r.h.type == XS_TRANSACTION_START && tx,
	      "another client opens a transaction");
	CHECK(lu(d0, "-s|-t|5")->h.type == XS_INVALID,
	      "-s: no answer yet, the update is pending");
	CHECK(d0->held, "the asking connection takes no more requests");
	CHECK(lu_poll(&x, why, sizeof(why)) == LU_WAIT,
	      "a transaction is open: wait");
	fake_now += 6000;
	CHECK(lu_poll(&x, why, sizeof(why)) == LU_REFUSED &&
	      !strcmp(why, "Domains with long running transactions:\n"
		      "Domain 0: 6 s"),
	      "after the timeout: refused, naming the connection and age");
	lu_answer(&x, why);
	CHECK(!x.lu && !d0->held, "the session ended, the connection free");
	CHECK(t_next(d0, &r) && says(&r, why),
	      "the -s request got the refusal as its answer");

	/* -F: after the timeout, the transaction does not count. */
	CHECK(says(lu(d0, "-f|/bin/sh"), "OK"), "-f again");
	lu(d0, "-s|-F|-t|2");
	CHECK(lu_poll(&x, why, sizeof(why)) == LU_GO,
	      "-F and the transaction older than the timeout: go");
	lu_end(&x);
	d0->held = false;

	/* Without transactions it goes at once. */
	t_cmd(other, XS_TRANSACTION_END, tx, "F");
	CHECK(says(lu(d0, "-f|/bin/sh"), "OK"), "-f once more");
	lu(d0, "-s|-t|60");
	CHECK(lu_poll(&x, why, sizeof(why)) == LU_GO, "no transaction: go");
	CHECK(says(lu(other, "-a"), "OK"), "-a ends a session");
	CHECK(!x.lu && !d0->held, "no session after -a");
	CHECK(says(lu(d0, "-f|/bin/sh"), "OK"), "-f, then the asker leaves");
	conn_free(d0);
	CHECK(!x.lu, "the session goes with its connection");
}

/* The part-written reply and the rest: restored bytes equal the bytes
 * that had not gone out, followed by the "OK" of the update. */
static struct xsd_conn *restored[4];
static unsigned int nrestored;

static int g_hook(void *ctx, int sfd, int efd)
{
	(void)ctx;
	return sfd == 42 && efd == 7 ? 0 : -EBADF;
}

static struct xsd_conn *s_hook(void *ctx, int fd)
{
	struct xsd_conn *c = t_conn(ctx, 0);

	if (c && nrestored < 4) {
		c->fd = fd;
		restored[nrestored++] = c;
	}
	return c;
}

static struct xsd_conn *r_hook(void *ctx, uint32_t domid, uint32_t t,
			       uint32_t port)
{
	(void)ctx; (void)domid; (void)t; (void)port;
	return NULL;
}

/* A client that takes nothing: replies stay queued. */
static ssize_t w_none(struct xsd_conn *c, const void *buf, size_t len)
{
	(void)c; (void)buf; (void)len;
	return 0;
}

static const struct xsd_transport stuck = {
	.read = t_read, .write = w_none, .destroy = t_destroy,
};

static void test_stream(void)
{
	struct lu_restore_ops ops = { g_hook, s_hook, r_hook, &y };
	struct xsd_conn *a, *b, *a2;
	char *buf, *buf2, why[256], expect[8192];
	size_t len, len2, elen;
	struct xsd_node *n;
	struct tbuf *tb;
	struct tmsg r;

	CHECK(xsd_init(&x) == 0, "init for the stream");
	x.clock_ms = fake_clock;
	a = t_conn(&x, 0);
	a->fd = 11; /* sockets, as far as the stream is concerned */
	b = t_conn(&x, 0);
	b->fd = 12;
	t_write_s(a, 0, "/s/v", "value");
	t_cmd(a, XS_SET_PERMS, 0, "/s/v|b3|r4");
	t_cmd(a, XS_WATCH, 0, "/s|tok1");
	t_cmd(a, XS_WATCH, 0, "@releaseDomain|tok2");
	t_drain(a);
	a->tp = &stuck;
	lu(a, "-f|/bin/sh");
	t_cmd(a, XS_READ, 0, "/s/v");
	lu(a, "-s");
	CHECK(a->held && a->out_len - a->out_off == 2 * 16 + 3 + 5,
	      "two replies wait in the output");
	elen = a->out_len - a->out_off - 5;
	memcpy(expect, a->out + a->out_off + 5, elen);
	conn_sent(a, 5);
	CHECK(a->out_msg_start == a->out_sent - 5 && a->out_msg_len == 19,
	      "the first reply is known to be partly written");
	memcpy(a->in, "\x02\0\0\0\x09\0", 6); /* half a header */
	a->in_len = 6;
	CHECK(lustate_dump(&x, 42, 7, &buf, &len) == 0, "stream written");

	CHECK(xsd_init(&y) == 0, "a fresh daemon");
	CHECK(lustate_read(&y, buf, len, &ops, why, sizeof(why)) == 0,
	      "stream read back");
	CHECK(nrestored == 2 && restored[0]->fd == 11 && restored[1]->fd == 12,
	      "both connections, oldest first, with their sockets");
	a2 = restored[0];
	memcpy(expect + elen, &x.lu->req, sizeof(x.lu->req));
	((struct xsd_sockmsg *)(void *)(expect + elen))->len = 3;
	memcpy(expect + elen + sizeof(struct xsd_sockmsg), "OK", 3);
	elen += sizeof(struct xsd_sockmsg) + 3;
	CHECK(a2->out_len - a2->out_off == elen &&
	      !memcmp(a2->out + a2->out_off, expect, elen),
	      "the unwritten bytes, then the update's OK");
	CHECK(a2->out_msg_len == 14, "the partial reply's rest is %u bytes",
	      a2->out_msg_len);
	CHECK(a2->in_len == 6 && !memcmp(a2->in, "\x02\0\0\0\x09\0", 6),
	      "the unread request bytes");
	CHECK(a2->nr_watches == 2 && !strcmp(a2->watches->token, "tok2"),
	      "watches back, in their order");
	conn_flush(a2);
	tb = a2->tp_data;
	CHECK(tb->len == elen && !memcmp(tb->data, expect, elen),
	      "the new daemon writes exactly those bytes");
	tb->len = 0;
	n = store_get(&y, NULL, "/s/v", &(int){0});
	CHECK(n && n->vlen == 5 && !memcmp(n->value, "value", 5) &&
	      n->nperms == 2 && n->perms[0].id == 3 && n->perms[1].id == 4,
	      "node value and permissions back");
	t_write_s(restored[1], 0, "/s/w", "1");
	memset(&r, 0, sizeof(r));
	CHECK(t_next(a2, &r) && r.h.type == XS_WATCH_EVENT &&
	      !strcmp(r.body, "/s/w"), "a restored watch fires");
	CHECK(lustate_dump(&y, 42, 7, &buf2, &len2) == 0,
	      "the restored daemon can be updated again");
	buf[len - 8] = 0x77; /* END's type: now an unknown record, no END */
	xsd_fini(&y);
	xsd_init(&y);
	nrestored = 0;
	CHECK(lustate_read(&y, buf, len, &ops, why, sizeof(why)) < 0 &&
	      strstr(why, "no END record"), "a stream without END: refused");
	free(buf);
	free(buf2);
	xsd_fini(&y);
	xsd_fini(&x);
}

int main(void)
{
	struct xsd_conn *d0, *other, *domu;

	CHECK(xsd_init(&x) == 0, "init");
	x.clock_ms = fake_clock;
	d0 = t_conn(&x, 0);
	other = t_conn(&x, 0);
	domu = t_conn(&x, 5);
	test_session(d0, other, domu);
	xsd_fini(&x);
	test_stream();
	return check_done();
}
