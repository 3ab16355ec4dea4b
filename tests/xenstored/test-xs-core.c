/* xenstored's request handling in-process: wire semantics, transactions,
 * watches, permissions, quotas, malformed input, domain release. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "xs_test_util.h"

static struct xsd x;

static bool is_ok(const struct tmsg *m)
{
	return m->h.type != XS_ERROR && m->h.type != XS_INVALID &&
	       !strcmp(m->body, "OK");
}

static void test_basics(struct xsd_conn *d0)
{
	struct tmsg *m;

	CHECK(!strcmp(t_write_s(d0, 0, "/a/b/c", "hello"), ""),
	      "write creates intermediate nodes");
	m = t_cmd(d0, XS_READ, 0, "/a/b/c");
	CHECK(m->h.type == XS_READ && m->h.len == 5 &&
	      !memcmp(m->body, "hello", 5), "read returns the raw value");
	CHECK(m->h.req_id == 77, "req_id is echoed");
	m = t_cmd(d0, XS_READ, 0, "/a/b");
	CHECK(m->h.type == XS_READ && m->h.len == 0,
	      "intermediate node has an empty value");
	t_write_s(d0, 0, "/a/d", "");
	m = t_cmd(d0, XS_DIRECTORY, 0, "/a");
	CHECK(m->h.len == 4 && !memcmp(m->body, "b\0d\0", 4),
	      "directory lists children NUL-terminated");
	m = t_cmd(d0, XS_READ, 0, "/nope");
	CHECK(!strcmp(t_err(m), "ENOENT") && m->h.len == 7,
	      "missing node: ENOENT with its NUL");
	CHECK(is_ok(t_cmd(d0, XS_MKDIR, 0, "/a/b")), "mkdir of existing: OK");
	CHECK(is_ok(t_cmd(d0, XS_RM, 0, "/a/zz")),
	      "rm of a missing child of an existing node: OK");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RM, 0, "/zz/y")), "ENOENT"),
	      "rm below a missing node: ENOENT");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RM, 0, "/")), "EINVAL"),
	      "rm of / is refused");
	CHECK(is_ok(t_cmd(d0, XS_RM, 0, "/a/b")), "rm of a subtree");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "/a/b/c")), "ENOENT"),
	      "subtree is gone");
	m = t_cmd(d0, XS_GET_PERMS, 0, "/a/d");
	CHECK(m->h.len == 3 && !strcmp(m->body, "n0"),
	      "new nodes inherit the parent's perms");
	m = t_cmd(d0, XS_GET_DOMAIN_PATH, 0, "5");
	CHECK(!strcmp(m->body, "/local/domain/5") && m->h.len == 16,
	      "get_domain_path");
	CHECK(!strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "0")->body, "T"),
	      "dom0 counts as introduced");
	CHECK(!strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "7")->body, "F"),
	      "unknown domain is not introduced");
	t_write_s(d0, 0, "rel", "1");
	CHECK(t_cmd(d0, XS_READ, 0, "/local/domain/0/rel")->h.type == XS_READ,
	      "relative paths live under the domain's home");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "check")), "control check");
}

static void test_malformed(struct xsd_conn *d0)
{
	char big[XENSTORE_ABS_PATH_MAX + 10];
	struct xsd_conn *c;
	struct tmsg *m;

	CHECK(!strcmp(t_err(t_req(d0, XS_READ, 0, "/a", 2)), "EINVAL"),
	      "path without NUL: EINVAL");
	CHECK(!strcmp(t_err(t_req(d0, XS_READ, 0, "/a\0/b", 6)), "EINVAL"),
	      "two strings where one is expected: EINVAL");
	CHECK(!strcmp(t_err(t_req(d0, XS_WRITE, 0, "/a", 2)), "EINVAL"),
	      "write without path terminator: EINVAL");
	CHECK(!strcmp(t_err(t_req(d0, 99, 0, "", 0)), "ENOSYS"),
	      "unknown type: ENOSYS");
	CHECK(!strcmp(t_err(t_req(d0, 20, 0, "1", 2)), "ENOSYS"),
	      "removed XS_RESTRICT: ENOSYS");
	CHECK(!strcmp(t_err(t_req(d0, XS_ERROR, 0, "", 0)), "ENOSYS"),
	      "XS_ERROR as a request: ENOSYS");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "/a b")), "EINVAL"),
	      "bad path character: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "/a//b")), "EINVAL"),
	      "empty path component: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "/a/")), "EINVAL"),
	      "trailing slash: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "@releaseDomain")),
		      "EINVAL"), "special path outside watch/perms: EINVAL");
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	big[XENSTORE_ABS_PATH_MAX + 2] = '\0';
	CHECK(!strcmp(t_err(t_req(d0, XS_READ, 0, big,
				  XENSTORE_ABS_PATH_MAX + 3)), "EINVAL"),
	      "path over 3072 bytes: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_TRANSACTION_END, 0, "T")), "ENOENT"),
	      "transaction end without a transaction: ENOENT");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 4242, "/a")), "ENOENT"),
	      "unknown transaction id: ENOENT");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_TRANSACTION_START, 3, "")), "EBUSY"),
	      "nested transaction start: EBUSY");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_WATCH, 0, "/a")), "EINVAL"),
	      "watch without token: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_INTRODUCE, 0, "x|1|2")), "EINVAL"),
	      "introduce with a non-number: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_SET_PERMS, 0, "/a|q0")), "EINVAL"),
	      "bad permission letter: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_SET_PERMS, 0, "/a|r")), "EINVAL"),
	      "permission without domid: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "nonsense")), "EINVAL"),
	      "unknown control command: EINVAL");

	/* Oversized payload: the connection is dropped, nothing answered. */
	c = t_conn(&x, 0);
	{
		struct xsd_sockmsg h = { XS_READ, 1, 0,
					 XENSTORE_PAYLOAD_MAX + 1 };

		CHECK(conn_feed(c, &h, sizeof(h)) < 0 && c->dead,
		      "payload over 4096 bytes kills the connection");
		m = t_cmd(c, XS_READ, 0, "/a");
		CHECK(m->h.type == XS_INVALID, "dead connection answers nothing");
	}
	conn_free(c);
	/* Partial messages wait for the rest. */
	c = t_conn(&x, 0);
	{
		struct xsd_sockmsg h = { XS_READ, 9, 0, 3 };
		struct tmsg r;

		conn_feed(c, &h, 10);
		CHECK(!t_next(c, &r), "half a header: no reply yet");
		conn_feed(c, (char *)&h + 10, sizeof(h) - 10);
		conn_feed(c, "/a", 2);
		CHECK(!t_next(c, &r), "partial payload: no reply yet");
		conn_feed(c, "", 1);
		CHECK(t_next(c, &r) && r.h.type == XS_READ && r.h.req_id == 9,
		      "completed message is answered");
	}
	conn_free(c);
}

static void test_transactions(struct xsd_conn *d0)
{
	struct xsd_conn *o = t_conn(&x, 0), *w = t_conn(&x, 0);
	struct tmsg *m, ev;
	uint32_t t1, t2;

	t_write_s(d0, 0, "/tx/v", "a");
	m = t_cmd(d0, XS_TRANSACTION_START, 0, "");
	t1 = (uint32_t)strtoul(m->body, NULL, 10);
	CHECK(m->h.type == XS_TRANSACTION_START && t1 != 0,
	      "transaction start returns an id");
	t_write_s(d0, t1, "/tx/v", "b");
	CHECK(!strcmp(t_cmd(d0, XS_READ, t1, "/tx/v")->body, "b"),
	      "transaction sees its own write");
	CHECK(!strcmp(t_cmd(o, XS_READ, 0, "/tx/v")->body, "a"),
	      "others do not see it before commit");
	CHECK(is_ok(t_cmd(d0, XS_TRANSACTION_END, t1, "T")), "commit OK");
	CHECK(!strcmp(t_cmd(o, XS_READ, 0, "/tx/v")->body, "b"),
	      "committed write is visible");

	/* Conflict: read in tx, someone else writes, commit fails. */
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t_cmd(d0, XS_READ, t1, "/tx/v");
	t_write_s(o, 0, "/tx/v", "c");
	CHECK(!strcmp(t_cmd(d0, XS_READ, t1, "/tx/v")->body, "b"),
	      "transaction keeps reading its snapshot");
	t_write_s(d0, t1, "/tx/v", "d");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_TRANSACTION_END, t1, "T")), "EAGAIN"),
	      "conflicting commit: EAGAIN");
	CHECK(!strcmp(t_cmd(o, XS_READ, 0, "/tx/v")->body, "c"),
	      "failed commit changed nothing");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, t1, "/tx/v")), "ENOENT"),
	      "failed transaction is gone");

	/* Abort. */
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t_write_s(d0, t1, "/tx/new", "z");
	CHECK(is_ok(t_cmd(d0, XS_TRANSACTION_END, t1, "F")), "abort OK");
	CHECK(!strcmp(t_err(t_cmd(o, XS_READ, 0, "/tx/new")), "ENOENT"),
	      "aborted write never happened");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_TRANSACTION_END, t1, "T")), "ENOENT"),
	      "ended transaction cannot be ended again");

	/* Bad end argument. */
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	CHECK(!strcmp(t_err(t_cmd(d0, XS_TRANSACTION_END, t1, "X")), "EINVAL"),
	      "transaction end argument other than T/F: EINVAL");
	t_cmd(d0, XS_TRANSACTION_END, t1, "F");

	/* Disjoint writes to existing nodes both commit. */
	t_write_s(d0, 0, "/tx/p", "1");
	t_write_s(d0, 0, "/tx/q", "1");
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t2 = (uint32_t)strtoul(t_cmd(o, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t_write_s(d0, t1, "/tx/p", "2");
	t_write_s(o, t2, "/tx/q", "2");
	CHECK(is_ok(t_cmd(d0, XS_TRANSACTION_END, t1, "T")) &&
	      is_ok(t_cmd(o, XS_TRANSACTION_END, t2, "T")),
	      "disjoint transactions both commit");

	/* Watches fire at commit, not before; rm inside a transaction. */
	t_cmd(w, XS_WATCH, 0, "/tx/p|tok");
	t_drain(w);
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t_cmd(d0, XS_RM, t1, "/tx/p");
	CHECK(!t_next(w, &ev), "no event before commit");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, t1, "/tx/p")), "ENOENT"),
	      "rm visible inside the transaction");
	CHECK(!strcmp(t_cmd(o, XS_READ, 0, "/tx/p")->body, "2"),
	      "rm not visible outside before commit");
	CHECK(is_ok(t_cmd(d0, XS_TRANSACTION_END, t1, "T")), "rm commit OK");
	CHECK(t_next(w, &ev) && ev.h.type == XS_WATCH_EVENT &&
	      !strcmp(ev.body, "/tx/p"), "event at commit");
	CHECK(!strcmp(t_err(t_cmd(o, XS_READ, 0, "/tx/p")), "ENOENT"),
	      "rm applied");

	/* Creating siblings in two transactions conflicts on the parent. */
	t1 = (uint32_t)strtoul(t_cmd(d0, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t2 = (uint32_t)strtoul(t_cmd(o, XS_TRANSACTION_START, 0, "")->body,
			       NULL, 10);
	t_write_s(d0, t1, "/tx/n1", "1");
	t_write_s(o, t2, "/tx/n2", "1");
	CHECK(is_ok(t_cmd(d0, XS_TRANSACTION_END, t1, "T")),
	      "first creator commits");
	CHECK(!strcmp(t_err(t_cmd(o, XS_TRANSACTION_END, t2, "T")), "EAGAIN"),
	      "second creator under the same parent: EAGAIN");
	m = t_cmd(o, XS_DIRECTORY, 0, "/tx");
	CHECK(memmem(m->body, m->h.len, "n1", 3) &&
	      !memmem(m->body, m->h.len, "n2", 3),
	      "only the committed child exists");
	conn_free(o);
	conn_free(w);
}

static void test_watches(struct xsd_conn *d0)
{
	struct xsd_conn *w = t_conn(&x, 0);
	struct tmsg *m, ev;

	m = t_cmd(w, XS_WATCH, 0, "/w|tok1");
	CHECK(is_ok(m), "watch OK");
	CHECK(t_next(w, &ev) && ev.h.type == XS_WATCH_EVENT &&
	      ev.h.req_id == 0 && ev.h.len == 8 &&
	      !memcmp(ev.body, "/w\0tok1\0", 8),
	      "watch fires once at once with path and token");
	CHECK(!strcmp(t_err(t_cmd(w, XS_WATCH, 0, "/w|tok1")), "EEXIST"),
	      "same watch twice: EEXIST");
	CHECK(!strcmp(t_err(t_cmd(w, XS_UNWATCH, 0, "/w|nope")), "ENOENT"),
	      "unwatch of an unknown watch: ENOENT");
	t_cmd(w, XS_WATCH, 0, "/w/a|tok2");
	t_drain(w);
	t_write_s(d0, 0, "/w/a/x", "1");
	CHECK(t_next(w, &ev) && !strcmp(ev.body, "/w/a/x"),
	      "event carries the changed path");
	{
		char tok1[8], tok2[8];

		strcpy(tok1, ev.body + strlen(ev.body) + 1);
		CHECK(t_next(w, &ev) && !strcmp(ev.body, "/w/a/x"),
		      "both watches (/w and /w/a) fire");
		strcpy(tok2, ev.body + strlen(ev.body) + 1);
		CHECK((!strcmp(tok1, "tok1") && !strcmp(tok2, "tok2")) ||
		      (!strcmp(tok1, "tok2") && !strcmp(tok2, "tok1")),
		      "each with its own token");
	}
	t_cmd(w, XS_UNWATCH, 0, "/w/a|tok2");
	t_write_s(d0, 0, "/w/1", "1");
	t_write_s(d0, 0, "/w/2", "1");
	t_write_s(d0, 0, "/w/3", "1");
	CHECK(t_next(w, &ev) && !strcmp(ev.body, "/w/1") &&
	      t_next(w, &ev) && !strcmp(ev.body, "/w/2") &&
	      t_next(w, &ev) && !strcmp(ev.body, "/w/3") && !t_next(w, &ev),
	      "events come in change order, once each");
	t_cmd(w, XS_WATCH, 0, "/w/a/x|deep");
	t_drain(w);
	t_cmd(d0, XS_RM, 0, "/w/a");
	{
		bool deep = false, top = false;

		while (t_next(w, &ev)) {
			const char *tok = ev.body + strlen(ev.body) + 1;

			if (!strcmp(ev.body, "/w/a/x") && !strcmp(tok, "deep"))
				deep = true;
			if (!strcmp(ev.body, "/w/a") && !strcmp(tok, "tok1"))
				top = true;
		}
		CHECK(deep && top, "rm fires watches below and above");
	}
	CHECK(is_ok(t_cmd(w, XS_RESET_WATCHES, 0, "")), "reset watches");
	t_write_s(d0, 0, "/w/4", "1");
	CHECK(!t_next(w, &ev), "no events after reset");
	CHECK(!strcmp(t_err(t_cmd(w, XS_UNWATCH, 0, "/w|tok1")), "ENOENT"),
	      "reset removed the watches");
	conn_free(w);
}

static void test_perms(struct xsd_conn *d0)
{
	struct xsd_conn *u = t_conn(&x, 5);
	struct xsd_conn *w;
	struct tmsg *m, ev;

	t_write_s(d0, 0, "/p/x", "v");
	CHECK(!strcmp(t_err(t_cmd(u, XS_READ, 0, "/p/x")), "EACCES"),
	      "domU cannot read a dom0-only node");
	CHECK(!strcmp(t_write_s(u, 0, "/p/x", "w"), "EACCES"),
	      "domU cannot write it");
	CHECK(!strcmp(t_err(t_cmd(u, XS_READ, 0, "/p/nope")), "EACCES"),
	      "absence under an unreadable node is not revealed");
	CHECK(is_ok(t_cmd(d0, XS_SET_PERMS, 0, "/p/x|n0|r5")), "set perms");
	CHECK(t_cmd(u, XS_READ, 0, "/p/x")->h.type == XS_READ,
	      "r5 lets domain 5 read");
	CHECK(!strcmp(t_write_s(u, 0, "/p/x", "w"), "EACCES"),
	      "r5 does not let it write");
	m = t_cmd(u, XS_GET_PERMS, 0, "/p/x");
	CHECK(m->h.len == 6 && !memcmp(m->body, "n0\0r5\0", 6),
	      "get perms lists every entry");
	CHECK(!strcmp(t_err(t_cmd(u, XS_SET_PERMS, 0, "/p/x|b5")), "EACCES"),
	      "only the owner changes permissions");
	t_cmd(d0, XS_SET_PERMS, 0, "/p|n0|b5");
	CHECK(!strcmp(t_write_s(u, 0, "/p/mine", "1"), ""),
	      "b5 on the parent lets domain 5 create");
	m = t_cmd(d0, XS_GET_PERMS, 0, "/p/mine");
	CHECK(!strncmp(m->body, "n5", 3), "creator owns the new node");
	CHECK(is_ok(t_cmd(u, XS_SET_PERMS, 0, "/p/mine|n5|r6")),
	      "owner may change its node's perms");
	CHECK(!strcmp(t_err(t_cmd(u, XS_READ, 0, "/p/nope")), "ENOENT"),
	      "absence under a readable node: ENOENT");
	CHECK(!strcmp(t_err(t_cmd(u, XS_INTRODUCE, 0, "6|1|1")), "EACCES"),
	      "domU cannot introduce");
	CHECK(!strcmp(t_err(t_cmd(u, XS_CONTROL, 0, "check")), "EACCES"),
	      "domU cannot use control");
	CHECK(!strcmp(t_err(t_cmd(u, XS_RELEASE, 0, "6")), "EACCES"),
	      "domU cannot release");

	/* Watch events only for what the watcher may read. */
	w = t_conn(&x, 6);
	t_cmd(w, XS_WATCH, 0, "/p|t6");
	t_drain(w);
	t_write_s(d0, 0, "/p/x", "secret");
	CHECK(!t_next(w, &ev), "no event for an unreadable node");
	t_write_s(d0, 0, "/p/mine", "2");
	CHECK(t_next(w, &ev) && !strcmp(ev.body, "/p/mine"),
	      "event for a readable node");
	conn_free(w);
	conn_free(u);
}

static void test_quotas(struct xsd_conn *d0)
{
	struct xsd_conn *u = t_conn(&x, 7);
	struct xsd_quota saved = x.q;
	char val[3000];
	struct tmsg *m;
	long have;
	int i;

	t_cmd(d0, XS_MKDIR, 0, "/local/domain/7");
	t_cmd(d0, XS_SET_PERMS, 0, "/local/domain/7|n7");

	have = u->dom->nr_nodes;
	x.q.entry_nb = have + 3;
	CHECK(!strcmp(t_write_s(u, 0, "data/a", ""), ""),
	      "write of two new nodes within the node quota");
	CHECK(!strcmp(t_write_s(u, 0, "data/b", ""), ""),
	      "third node within the node quota");
	CHECK(!strcmp(t_write_s(u, 0, "data/c", ""), "ENOSPC"),
	      "node quota (entry-nb) hit: ENOSPC");
	x.q = saved;
	CHECK(!strcmp(t_write_s(u, 0, "data/c", ""), ""),
	      "same write fits a bigger quota");

	memset(val, 'v', sizeof(val));
	val[2100] = '\0';
	CHECK(!strcmp(t_write_s(u, 0, "data/big", val), "ENOSPC"),
	      "entry-size quota hit: ENOSPC");
	val[100] = '\0';
	CHECK(!strcmp(t_write_s(u, 0, "data/big", val), ""),
	      "small entry fits");
	val[2100] = 'v';
	val[2100] = '\0';
	CHECK(!strcmp(t_write_s(d0, 0, "/local/domain/7/data/big", val), ""),
	      "dom0 is not bound by quotas");

	x.q.watch_nb = 2;
	CHECK(is_ok(t_cmd(u, XS_WATCH, 0, "data|1")) &&
	      is_ok(t_cmd(u, XS_WATCH, 0, "data|2")), "two watches fit");
	CHECK(!strcmp(t_err(t_cmd(u, XS_WATCH, 0, "data|3")), "E2BIG"),
	      "watch quota (watch-nb) hit: E2BIG");
	t_cmd(u, XS_RESET_WATCHES, 0, "");
	t_drain(u);
	x.q = saved;

	x.q.transaction = 3;
	for (i = 0; i < 3; i++)
		t_cmd(u, XS_TRANSACTION_START, 0, "");
	CHECK(!strcmp(t_err(t_cmd(u, XS_TRANSACTION_START, 0, "")), "ENOSPC"),
	      "transaction quota hit: ENOSPC");
	t_cmd(u, XS_RESET_WATCHES, 0, ""); /* ends them too */
	CHECK(u->nr_txns == 0, "reset watches ended the transactions");
	x.q = saved;

	x.q.perm_nb = 2;
	CHECK(!strcmp(t_err(t_cmd(u, XS_SET_PERMS, 0,
				  "data/a|n7|r1|r2")), "ENOSPC"),
	      "permission quota (perm-nb) hit: ENOSPC");
	CHECK(is_ok(t_cmd(u, XS_SET_PERMS, 0, "data/a|n7|r1")),
	      "within the permission quota");
	x.q = saved;

	x.q.path_max = 10;
	CHECK(!strcmp(t_write_s(u, 0, "data/0123456789", ""), "EINVAL"),
	      "path-max quota hit: EINVAL");
	CHECK(!strcmp(t_write_s(u, 0, "data/01", ""), ""),
	      "short relative path fits");
	x.q = saved;

	x.q.trans_nodes = 3;
	{
		uint32_t t = (uint32_t)strtoul(
			t_cmd(u, XS_TRANSACTION_START, 0, "")->body, NULL, 10);

		t_cmd(u, XS_READ, t, "data/a");
		t_cmd(u, XS_READ, t, "data/b");
		t_cmd(u, XS_READ, t, "data/c");
		m = t_cmd(u, XS_READ, t, "data/01");
		CHECK(!strcmp(t_err(m), "ENOSPC"),
		      "transaction-nodes quota hit: ENOSPC");
		CHECK(!strcmp(t_err(t_cmd(u, XS_TRANSACTION_END, t, "T")),
			      "EAGAIN"), "that transaction cannot commit");
	}
	x.q = saved;

	x.q.memory = u->dom->memory + 50;
	val[200] = '\0';
	CHECK(!strcmp(t_write_s(u, 0, "data/m", val), "ENOMEM"),
	      "memory quota hit: ENOMEM");
	x.q = saved;
	conn_free(u);
}

/* A transport that takes no output until told to: a client not reading. */
static bool blocked_out = true;

static ssize_t b_write(struct xsd_conn *c, const void *buf, size_t len)
{
	return blocked_out ? 0 : t_write(c, buf, len);
}

static const struct xsd_transport b_transport = {
	.read = t_read, .write = b_write, .destroy = t_destroy,
};

static void test_outstanding(void)
{
	struct tbuf *b = calloc(1, sizeof(*b));
	struct xsd_conn *u = conn_new(&x, &b_transport, b, -1, 8);
	struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
	char msg[sizeof(h) + 2];
	struct tmsg r;
	int n = 0;

	x.q.outstanding = 2;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "8", 2);
	for (int i = 0; i < 5; i++)
		conn_feed(u, msg, sizeof(msg));
	conn_flush(u);
	CHECK(u->pending == 2, "outstanding quota: only 2 handled");
	blocked_out = false;
	while (u->in_len || u->out_len) {
		conn_flush(u);
		conn_input(u);
		if (++n > 10)
			break;
	}
	n = 0;
	while (t_next(u, &r))
		n += r.h.type == XS_GET_DOMAIN_PATH;
	CHECK(n == 5, "the rest handled once replies drained (%d)", n);
	x.q.outstanding = 20;
	conn_free(u);
}

static void test_domains(struct xsd_conn *d0)
{
	struct xsd_conn *w = t_conn(&x, 0);
	struct tmsg ev;
	struct xsd_domain *d;

	x.introduce_hook = t_mem_introduce;	/* domains get in-memory rings */
	t_cmd(w, XS_WATCH, 0, "@introduceDomain|in");
	t_cmd(w, XS_WATCH, 0, "@releaseDomain|out");
	t_drain(w);
	CHECK(is_ok(t_cmd(d0, XS_INTRODUCE, 0, "9|1234|5")), "introduce 9");
	CHECK(t_next(w, &ev) && !strcmp(ev.body, "@introduceDomain"),
	      "@introduceDomain fires");
	CHECK(!strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "9")->body, "T"),
	      "domain 9 introduced");
	CHECK(is_ok(t_cmd(d0, XS_INTRODUCE, 0, "9|1234|6")),
	      "re-introduce with the same page: OK");
	CHECK(!t_next(w, &ev), "re-introduce does not fire again");
	CHECK(is_ok(t_cmd(d0, XS_RESUME, 0, "9")), "resume");
	CHECK(is_ok(t_cmd(d0, XS_SET_TARGET, 0, "9|3")), "set target");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_SET_TARGET, 0, "12|3")), "ENOENT"),
	      "set target of an unknown domain: ENOENT");
	t_write_s(d0, 0, "/local/domain/9/name", "guest");
	t_cmd(d0, XS_SET_PERMS, 0, "/local/domain/9|n9");
	t_write_s(d0, 0, "/local/domain/9/data/x", "1");
	t_write_s(d0, 0, "/keep/me", "1");
	d = domain_find(&x, 9);
	CHECK(d && d->nr_nodes >= 2, "nodes accounted to domain 9");
	CHECK(is_ok(t_cmd(d0, XS_RELEASE, 0, "9")), "release 9");
	CHECK(t_next(w, &ev) && !strcmp(ev.body, "@releaseDomain"),
	      "@releaseDomain fires");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_READ, 0, "/local/domain/9")),
		      "ENOENT"), "released domain's nodes removed");
	CHECK(t_cmd(d0, XS_READ, 0, "/keep/me")->h.type == XS_READ,
	      "other nodes kept");
	CHECK(d->nr_nodes == 0, "domain 9 owns nothing any more");
	CHECK(!strcmp(t_cmd(d0, XS_IS_DOMAIN_INTRODUCED, 0, "9")->body, "F"),
	      "domain 9 no longer introduced");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RELEASE, 0, "9")), "ENOENT"),
	      "release twice: ENOENT");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_RESUME, 0, "9")), "ENOENT"),
	      "resume of unknown domain: ENOENT");
	x.introduce_hook = NULL;
	conn_free(w);
}

static void test_directory_part(struct xsd_conn *d0)
{
	char name[64];
	struct tmsg *m;
	size_t total = 0, got = 0;
	uint32_t off = 0;
	int guard = 0;

	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "/big/child-with-long-name-%04d",
			 i);
		t_write_s(d0, 0, name, "");
		total += strlen(name) - 5 + 1;
	}
	m = t_cmd(d0, XS_DIRECTORY, 0, "/big");
	CHECK(!strcmp(t_err(m), "E2BIG"), "directory over 4096 bytes: E2BIG");
	for (;;) {
		char arg[64];
		size_t glen, l;
		int n = snprintf(arg, sizeof(arg), "/big|%u", off);

		(void)n;
		m = t_cmd(d0, XS_DIRECTORY_PART, 0, arg);
		if (m->h.type != XS_DIRECTORY_PART || ++guard > 20)
			break;
		glen = strlen(m->body) + 1;
		l = m->h.len - glen;
		if (l && m->body[m->h.len - 1] == '\0' &&
		    m->body[m->h.len - 2] == '\0') {
			got += l - 1;
			break;
		}
		got += l;
		off += (uint32_t)l;
	}
	CHECK(got == total, "directory_part returns every child (%zu/%zu)",
	      got, total);
	CHECK(!strcmp(t_err(t_cmd(d0, XS_DIRECTORY_PART, 0, "/big|999999")),
		      "EINVAL"), "directory_part offset past the end: EINVAL");
}

/* XS_CONTROL as Xen 4.17's daemon answers it (its names, syntax, text). */
static void test_control(struct xsd_conn *d0)
{
	struct tmsg *m;
	char path[64];
	FILE *f;

	m = t_cmd(d0, XS_CONTROL, 0, "quota");
	CHECK(m->h.type == XS_CONTROL &&
	      !strncmp(m->body, "Quota settings:\n", 16), "quota: header");
	CHECK(strstr(m->body, "\nnodes            :     1000 Nodes per "
		     "domain\n") != NULL, "quota: nodes line as Xen prints it");
	CHECK(strstr(m->body, "\npath-max         :     2048 ") &&
	      strstr(m->body, "\npermissions      :        5 ") &&
	      strstr(m->body, "\ntransaction-nodes:     1024 ") &&
	      strstr(m->body, "\nmemory           :  2621440 "),
	      "quota: Xen 4.17's names and defaults");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "quota|set|nodes|2000")),
	      "quota set nodes 2000");
	CHECK(x.q.entry_nb == 2000, "quota set changed the limit");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "quota|set|permissions|7")) &&
	      x.q.perm_nb == 7, "quota set permissions (Xen's name)");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "quota|set|bogus|1")),
		      "EINVAL"), "quota set of an unknown quota: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "quota|set|nodes|x")),
		      "EINVAL"), "quota set with a bad number: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "quota|set|nodes")),
		      "EINVAL"), "quota set without a value: EINVAL");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "quota|0|1")), "EINVAL"),
	      "quota with two words: EINVAL");
	x.q.entry_nb = 1000;
	x.q.perm_nb = 5;
	m = t_cmd(d0, XS_CONTROL, 0, "quota|0");
	CHECK(m->h.type == XS_CONTROL && !strncmp(m->body, "Domain 0:\nnodes"
						   "           : ", 28) &&
	      strstr(m->body, "\nmemory          : "),
	      "quota <domid>: the domain's usage");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "quota|42")), "ENOENT"),
	      "quota of an unknown domain: ENOENT");
	m = t_cmd(d0, XS_CONTROL, 0, "quota-soft");
	CHECK(!strcmp(m->body, "Quota settings:\nmemory           :  2097152 "
		      "Total Xenstore memory per domain (warning level)\n"),
	      "quota-soft lists memory");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "quota-soft|set|memory|100")) &&
	      x.q.memory_soft == 100, "quota-soft set memory");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0,
				  "quota-soft|set|nodes|5")), "EINVAL"),
	      "quota-soft has memory only");
	x.q.memory_soft = 2097152;
	m = t_cmd(d0, XS_CONTROL, 0, "help");
	CHECK(strstr(m->body, "quota\t[set <name> <val>|<domid>]\n") &&
	      strstr(m->body, "memreport\t[<file>]\n"), "help lists commands");
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "log|maybe")), "EINVAL"),
	      "log takes on|off");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "log|on")) && x.log.verbose &&
	      is_ok(t_cmd(d0, XS_CONTROL, 0, "log|off")) && !x.log.verbose,
	      "log on / off");
	CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, "print|hello")), "print");
	m = t_cmd(d0, XS_CONTROL, 0, "memreport");
	CHECK(m->h.type == XS_CONTROL && !strncmp(m->body, "nodes: ", 7),
	      "memreport as the reply");
	snprintf(path, sizeof(path), "/tmp/xs-memreport-%ld", (long)getpid());
	{
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "memreport|%s", path);
		CHECK(is_ok(t_cmd(d0, XS_CONTROL, 0, cmd)),
		      "memreport <file>: OK");
	}
	f = fopen(path, "r");
	CHECK(f != NULL, "memreport wrote the file");
	if (f) {
		char line[64] = "";

		CHECK(fgets(line, sizeof(line), f) &&
		      !strncmp(line, "nodes: ", 7), "memreport file content");
		fclose(f);
	}
	unlink(path);
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0,
				  "memreport|/nonexistent-dir/x")), "ENOENT"),
	      "memreport to an impossible file: its errno");
	x.control_no_files = true;
	CHECK(!strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "memreport|/tmp/xs-no")),
		      "EACCES") &&
	      !strcmp(t_err(t_cmd(d0, XS_CONTROL, 0, "logfile|/tmp/xs-no")),
		      "EACCES") && access("/tmp/xs-no", F_OK) != 0,
	      "control_no_files: no file opened (EACCES)");
	x.control_no_files = false;
}

/* -w watch-event: events a client leaves unread are deleted in time. */
static uint64_t fake_now;
static size_t p_allow = (size_t)-1; /* bytes the client takes */

static uint64_t fake_clock(void)
{
	return fake_now;
}

static ssize_t p_write(struct xsd_conn *c, const void *buf, size_t len)
{
	if (len > p_allow)
		len = p_allow;
	p_allow -= len;
	return len ? t_write(c, buf, len) : 0;
}

static const struct xsd_transport p_transport = {
	.read = t_read, .write = p_write, .destroy = t_destroy,
};

static void test_watch_timeout(struct xsd_conn *d0)
{
	struct tbuf *b = calloc(1, sizeof(*b));
	struct xsd_conn *w = conn_new(&x, &p_transport, b, -1, 0);
	struct xsd_sockmsg h = { XS_WATCH, 1, 0, 6 };
	char msg[sizeof(h) + 6];
	size_t one = sizeof(struct xsd_sockmsg) + sizeof("/wt/y") +
		     sizeof("a");
	struct tmsg r;
	int events = 0, ok_y = 0;

	x.clock_ms = fake_clock;
	fake_now = 1000;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "/wt\0a\0", 6);
	conn_feed(w, msg, sizeof(msg));
	conn_flush(w);
	while (t_next(w, &r))
		;
	p_allow = 0; /* the client stops reading */
	t_write_s(d0, 0, "/wt/x", "1");
	fake_now += 10000;
	t_write_s(d0, 0, "/wt/y", "2");
	conn_flush(w);
	CHECK(w->out_len - w->out_off == 2 * one, "two events queued");
	fake_now += 9999;
	CHECK(evq_expire(w, fake_now) == 0, "none older than 20 s yet");
	fake_now += 1;
	CHECK(evq_expire(w, fake_now) == 1 &&
	      w->out_len - w->out_off == one,
	      "the 20 s old event is deleted, the newer one kept");
	p_allow = 5;
	conn_flush(w);
	fake_now += 60000;
	CHECK(evq_expire(w, fake_now) == 0 &&
	      w->out_len - w->out_off == one - 5,
	      "an event partly written is never cut");
	p_allow = (size_t)-1;
	conn_flush(w);
	while (t_next(w, &r)) {
		events += r.h.type == XS_WATCH_EVENT;
		ok_y += r.h.type == XS_WATCH_EVENT &&
			!strcmp(r.body, "/wt/y");
	}
	CHECK(events == 1 && ok_y == 1, "the kept event arrives whole");
	CHECK(w->evq_n == 0, "no records left once all is written");
	x.q.watch_timeout = 0;
	p_allow = 0;
	t_write_s(d0, 0, "/wt/z", "3");
	fake_now += 3600 * 1000;
	CHECK(evq_expire(w, fake_now) == 0 && w->out_len > w->out_off,
	      "-w watch-event=0: events never time out");
	x.q.watch_timeout = 20;
	p_allow = (size_t)-1;
	x.clock_ms = NULL;
	conn_free(w);
}

int main(void)
{
	struct xsd_conn *d0;

	CHECK(xsd_init(&x) == 0, "init");
	d0 = t_conn(&x, 0);
	test_basics(d0);
	test_malformed(d0);
	test_transactions(d0);
	test_watches(d0);
	test_perms(d0);
	test_quotas(d0);
	test_outstanding();
	test_domains(d0);
	test_directory_part(d0);
	test_control(d0);
	test_watch_timeout(d0);
	xsd_fini(&x);
	return check_done();
}
