/*
 * xenstored internals: the node tree, transactions, watches, domains and
 * quotas, connections and their transports.  The core (everything except
 * main.c and xenbus.c) never touches a file descriptor directly, so tests
 * can drive it in-process with in-memory transports.
 */
#ifndef XENOLITH_XSD_H
#define XENOLITH_XSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <xen/io/xs_wire.h>

/* Permission bits (same values as libxenstore's enum xs_perm_type). */
#define XSD_PERM_NONE 0
#define XSD_PERM_READ 1
#define XSD_PERM_WRITE 2
#define XSD_PERM_OWNER 8

#define XSD_DOMID_SELF 0
#define XSD_DOMID_MAX 0x7ff0 /* DOMID_FIRST_RESERVED */

struct xsd_perm {
	uint32_t id;
	uint32_t perms;
};

/* A node; also used as a transaction's private copy of one.  Kept small:
 * short values live in the same allocation, right after the name. */
struct xsd_node {
	struct xsd_node *hnext;    /* hash chain */
	uint64_t gen;              /* last change; in a transaction: the
				    * global generation at first access */
	char *value;
	char *children;            /* names, each NUL-terminated; capacity
				    * is node_child_cap(childlen) */
	struct xsd_perm *perms;
	struct xsd_perm perm0;     /* storage for the common single perm */
	uint32_t hash, vlen, childlen, namelen;
	uint16_t nperms;           /* a message holds at most 1365 */
	uint16_t vinline;          /* bytes reserved after the name */
	uint8_t tflags;            /* transactions: XSD_TN_* */
	char name[];
};

#define XSD_TN_ABSENT 1  /* the node does not exist in this view */
#define XSD_TN_DIRTY 4   /* changed by the transaction */

struct xsd_ntable {
	struct xsd_node **b;
	size_t nbuckets, count;
};

struct xsd_quota {
	long entry_nb;      /* -E nodes per domain */
	long entry_size;    /* -S bytes per node */
	long watch_nb;      /* -W watches per domain */
	long transaction;   /* -t open transactions per connection */
	long perm_nb;       /* -A permissions per node */
	long path_max;      /* -M relative path length */
	long trans_nodes;   /* -Q transaction-nodes */
	long memory;        /* -Q memory (hard) */
	long memory_soft;   /* -q memory */
	long outstanding;   /* -Q outstanding */
	long watch_timeout; /* -w watch-event (seconds) */
};

struct xsd_conn;
struct xsd;

struct xsd_domain {
	struct xsd_domain *next;
	uint32_t domid;
	bool introduced;
	bool shutdown;
	uint32_t target;          /* set_target, or UINT32_MAX */
	long nr_nodes, nr_watches, memory;
	bool warned_soft;
	struct xsd_conn *conn;    /* its ring connection once introduced */
	uint64_t mfn;
	uint32_t port;
};

struct xsd_watch {
	struct xsd_watch *cnext;   /* per-connection list */
	struct xsd_watch *hnext;   /* path index chain */
	struct xsd_conn *conn;
	uint32_t hash;
	bool relative;
	char *path;                /* absolute (or @special) */
	char *token;
};

struct xsd_txn {
	struct xsd_txn *next;
	uint32_t id;
	struct xsd_ntable nodes;
	struct xsd_node **order;         /* access order */
	size_t nr_order, order_cap;
	long nodes_delta;                /* owner accounting for conn's domain */
	struct xsd_event *events, *events_last;
	bool failed;                     /* a quota or ENOMEM hit: commit → EAGAIN */
	uint64_t started_ms;             /* live update waits for old ones */
};

struct xsd_event {
	struct xsd_event *next;
	bool exact;
	char path[];
};

/* How a connection moves bytes; the core only sees these. */
struct xsd_transport {
	/* Read up to len bytes; 0 = nothing now, -1 = connection gone. */
	ssize_t (*read)(struct xsd_conn *c, void *buf, size_t len);
	/* Write up to len bytes; returns how many were taken, -1 = gone. */
	ssize_t (*write)(struct xsd_conn *c, const void *buf, size_t len);
	/* Called after each batch of writes (ring: kick the event channel). */
	void (*kick)(struct xsd_conn *c);
	void (*destroy)(struct xsd_conn *c);
};

struct xsd_conn {
	struct xsd_conn *next, *prev;
	struct xsd *x;
	const struct xsd_transport *tp;
	void *tp_data;            /* transport private (fd, ring, ...) */
	int fd;                   /* socket fd or -1 */
	uint32_t domid;
	struct xsd_domain *dom;
	bool dead;
	/* input: raw bytes accumulated until a whole message is present */
	char *in;
	size_t in_len, in_cap;
	/* output queue */
	char *out;
	size_t out_off, out_len, out_cap;
	unsigned int pending;     /* replies queued, not yet written */
	uint64_t out_sent;        /* bytes of output written, ever */
	/* Where in that stream the first message not wholly written starts,
	 * and its length if known (0: not yet read): live update hands on
	 * a partly written reply apart from the whole ones. */
	uint64_t out_msg_start;
	uint32_t out_msg_len;
	bool held;                /* live update: take no more requests */
	struct xsd_evq *evq;      /* watch events in the queue (evtimeout.c) */
	size_t evq_head, evq_n, evq_cap;
	struct xsd_watch *watches;
	unsigned int nr_watches;
	struct xsd_txn *txns;
	unsigned int nr_txns;
	uint32_t next_txid;
	unsigned long dropped_events;
};

/* A watch event in a connection's output: where its bytes are in the
 * output stream (absolute positions) and when it was queued. */
struct xsd_evq {
	uint64_t start;
	uint64_t queued_ms;
	uint32_t len;
};

struct xsd_log {
	FILE *trace;              /* -T: every message in/out */
	bool verbose;
	bool to_syslog;
	bool to_stderr;
};

struct xsd {
	struct xsd_ntable tree;
	uint64_t gen;
	struct xsd_quota q;
	struct xsd_log log;
	bool keep_orphans;
	bool control_no_files;  /* fuzzing: XS_CONTROL may not open files */
	struct xsd_lu *lu;      /* live-update session (lu.c), or NULL */
	struct xsd_domain *domains;
	struct xsd_domain *dom0;
	struct xsd_conn *conns;
	struct xsd_conn *zombies;       /* released rings, freed by xsd_reap */
	struct xsd_watch **whash;       /* watch index by path */
	size_t whash_n, nr_watches;
	/* Domain rings: mapped and signalled through ring_ops (xenbus.c on
	 * Xen, fakes in tests) by ring_attach; or, if ring_ops is NULL,
	 * attached wholesale by introduce_hook (tests). */
	const struct xsd_ring_ops *ring_ops;
	void *ring_ctx;
	int (*introduce_hook)(struct xsd *x, struct xsd_domain *d);
	void *hook_data;
	uint64_t (*clock_ms)(void);    /* tests: a fake clock; else monotonic */
	char scratch[XENSTORE_PAYLOAD_MAX + 64]; /* watch events */
	char inbuf[XENSTORE_PAYLOAD_MAX + 1];    /* request, NUL-terminated */
	char rbuf[XENSTORE_PAYLOAD_MAX + 64];    /* reply being built */
};

/* core.c */
int xsd_init(struct xsd *x);
void xsd_fini(struct xsd *x);
void xsd_reap(struct xsd *x);
void xsd_quota_defaults(struct xsd_quota *q);
int xsd_quota_set(struct xsd_quota *q, const char *name, long value, bool soft);
void xsd_logf(struct xsd *x, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *xsd_errname(int err);
const char *xsd_type_name(uint32_t type);

/* tree.c */
uint32_t xsd_hash(const char *s, size_t len);
int ntable_init(struct xsd_ntable *t, size_t nb);
void ntable_free(struct xsd_ntable *t, bool free_nodes);
struct xsd_node *ntable_find(const struct xsd_ntable *t, const char *name,
			     size_t len, uint32_t h);
int ntable_insert(struct xsd_ntable *t, struct xsd_node *n);
void ntable_remove(struct xsd_ntable *t, struct xsd_node *n);
struct xsd_node *node_alloc(const char *name, size_t len, size_t vroom);
struct xsd_node *node_dup(const struct xsd_node *src);
void node_free(struct xsd_node *n);
int node_set_value(struct xsd_node *n, const void *v, size_t len);
int node_set_perms(struct xsd_node *n, const struct xsd_perm *p, uint32_t nr);
int node_add_child(struct xsd_node *n, const char *child, size_t len);
size_t node_child_cap(size_t len);
int node_set_children(struct xsd_node *n, const char *c, size_t len);
bool node_del_child(struct xsd_node *n, const char *child, size_t len);
size_t node_size(const struct xsd_node *n);
int perms_parse(const char *s, size_t len, struct xsd_perm *out, uint32_t max,
		uint32_t *nr);
int perm_format(const struct xsd_perm *p, char *buf, size_t len);
uint32_t perm_for_conn(struct xsd *x, const struct xsd_conn *c,
		       const struct xsd_node *n);
bool conn_is_priv(const struct xsd_conn *c);
int path_canonical(struct xsd *x, struct xsd_conn *c, const char *in,
		   char *out, size_t outlen, bool allow_special);
bool path_is_child(const char *child, const char *parent);

/* store.c: the tree as seen by a connection, with or without a transaction */
struct xsd_node *store_get(struct xsd *x, struct xsd_txn *t, const char *path,
			   int *err);
int store_write(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		const char *path, const void *val, size_t vlen, bool mkdir);
int store_rm(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
	     const char *path);
int store_set_perms(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		    const char *path, const struct xsd_perm *p, uint32_t nr);
int store_check_read(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t,
		     const char *path, struct xsd_node **out);
void store_put_global(struct xsd *x, struct xsd_node *n);
int store_restore_node(struct xsd *x, const char *path, size_t len,
		       const void *val, size_t vlen, const struct xsd_perm *p,
		       uint32_t nr);
void store_del_global(struct xsd *x, struct xsd_node *n);
struct xsd_domain *domain_find(struct xsd *x, uint32_t domid);
struct xsd_domain *domain_get(struct xsd *x, uint32_t domid);

/* txn.c */
struct xsd_txn *txn_find(struct xsd_conn *c, uint32_t id);
int txn_start(struct xsd *x, struct xsd_conn *c, uint32_t *id);
int txn_end(struct xsd *x, struct xsd_conn *c, struct xsd_txn *t, bool commit);
void txn_free(struct xsd_txn *t);
int txn_note_event(struct xsd_txn *t, const char *path, bool exact);

/* watch.c */
int watch_add(struct xsd *x, struct xsd_conn *c, const char *path,
	      const char *token, bool relative);
int watch_del(struct xsd *x, struct xsd_conn *c, const char *path,
	      const char *token);
void watch_del_all(struct xsd *x, struct xsd_conn *c);
void watch_fire(struct xsd *x, const char *path, bool exact,
		const struct xsd_node *perm_node);
void watch_fire_special(struct xsd *x, const char *name);
void watch_send(struct xsd_conn *c, const struct xsd_watch *w,
		const char *path);

/* domain.c */
int domain_introduce(struct xsd *x, struct xsd_conn *c, uint32_t domid,
		     uint64_t mfn, uint32_t port);
int domain_release(struct xsd *x, uint32_t domid, bool fire);
bool domain_quota_hit(struct xsd *x, struct xsd_conn *c, const char *what,
		      long have, long limit);
void domain_memory_add(struct xsd *x, uint32_t domid, long delta);

/* conn.c */
struct xsd_conn *conn_new(struct xsd *x, const struct xsd_transport *tp,
			  void *tp_data, int fd, uint32_t domid);
void conn_free(struct xsd_conn *c);
void conn_reset(struct xsd_conn *c);
int conn_input(struct xsd_conn *c);
int conn_flush(struct xsd_conn *c);
int conn_sent(struct xsd_conn *c, ssize_t n);
bool conn_wants_input(const struct xsd_conn *c);
int conn_queue(struct xsd_conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, size_t len, bool is_event);
int conn_feed(struct xsd_conn *c, const void *buf, size_t len);

/* evtimeout.c: -w watch-event=<seconds>, as Xen 4.17's daemon: a watch
 * event not taken by the client within that time is deleted from its
 * output (0: never). */
uint64_t xsd_now_ms(const struct xsd *x);
int evq_note(struct xsd_conn *c, uint64_t start, uint32_t len);
void evq_sent(struct xsd_conn *c);
void evq_clear(struct xsd_conn *c);
size_t evq_expire(struct xsd_conn *c, uint64_t now_ms);
bool evq_waiting(const struct xsd *x);

/* handle.c */
void handle_message(struct xsd_conn *c, const struct xsd_sockmsg *hdr,
		    const char *payload);

/* control.c */
/* 0: reply[0..*rlen) is the answer; 1: answered later; -errno. */
int control_handle(struct xsd *x, struct xsd_conn *c,
		   const struct xsd_sockmsg *h, const char *payload,
		   char *reply, size_t *rlen);

/* lu.c: XS_CONTROL live-update, as Xen 4.17's daemon has it: -f <binary>,
 * -c <cmdline>, -s [-F] [-t <timeout>] (its reply waits for the update;
 * the updated daemon sends it), -a.  main.c runs the update itself when
 * lu_poll says so. */
struct xsd_lu {
	struct xsd_conn *conn;    /* the connection that asked */
	char *binary, *cmdline;
	bool started, force;
	uint64_t started_ms, timeout_ms;
	struct xsd_sockmsg req;   /* the -s request, answered after exec */
};
enum lu_poll_result { LU_IDLE, LU_WAIT, LU_GO, LU_REFUSED };
int lu_control(struct xsd *x, struct xsd_conn *c, const char **v,
	       unsigned int n, const struct xsd_sockmsg *req, char *reply,
	       size_t *rlen);
enum lu_poll_result lu_poll(struct xsd *x, char *why, size_t len);
void lu_answer(struct xsd *x, const char *text);
void lu_end(struct xsd *x);

/* lustate.c: the state stream of live update (Xen's xenstore migration
 * format: docs/designs/xenstore-migration.md), native byte order. */
struct lu_restore_ops {
	/* The global record: the listening socket and the event channel
	 * device; called before any connection. */
	int (*global)(void *ctx, int socket_fd, int evtchn_fd);
	/* A connection: the new one, or NULL to skip it (the hook logs
	 * why).  Its pending bytes are then put back by lustate_read. */
	struct xsd_conn *(*socket)(void *ctx, int fd);
	struct xsd_conn *(*ring)(void *ctx, uint32_t domid, uint32_t tdomid,
				 uint32_t local_port);
	void *ctx;
};
int lustate_dump(struct xsd *x, int socket_fd, int evtchn_fd, char **buf,
		 size_t *len);
int lustate_read(struct xsd *x, const void *buf, size_t len,
		 const struct lu_restore_ops *ops, char *err, size_t errlen);

/* ringconn.c: a connection over a shared page and an event channel.
 * It advertises reconnection and the error field (docs/misc/
 * xenstore-ring.txt): a guest setting connection = XENSTORE_RECONNECT
 * gets an empty ring and a fresh connection; a ring the daemon stops
 * serving says why in the error field. */
#define XSD_RING_FEATURES \
	(XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR)
struct xsd_ring {
	struct xenstore_domain_interface *intf;
	void (*notify)(struct xsd_ring *r);
	void (*release)(struct xsd_ring *r);  /* unmap, unbind */
	/* Optional: bind a new remote port (XS_INTRODUCE again). */
	int (*rebind)(struct xsd_ring *r, uint32_t domid, uint32_t port);
	void *priv;
	uint32_t local_port;
};
struct xsd_conn *ring_conn_new(struct xsd *x, struct xsd_ring *r,
			       uint32_t domid);
int ring_conn_event(struct xsd_conn *c);
void ring_conn_restart(struct xsd_conn *c);
void ring_conns_poll(struct xsd *x);
bool ring_conn_is(const struct xsd_conn *c);

/* ringmap.c: attach a domU's ring given at XS_INTRODUCE.  Like Xen's
 * daemon, map the page by its reserved grant; if that fails, map the
 * frame named in XS_INTRODUCE through a foreign mapping (privcmd). */
enum xsd_map_how { XSD_MAP_GRANT = 1, XSD_MAP_FOREIGN };
struct xsd_ring_ops {
	/* Return the mapped page, or NULL with errno set; *cookie is
	 * handed back to unmap. */
	void *(*map_grant)(void *ctx, uint32_t domid, uint64_t *cookie);
	void *(*map_foreign)(void *ctx, uint32_t domid, uint64_t gfn,
			     uint64_t *cookie);
	void (*unmap)(void *ctx, void *page, enum xsd_map_how how,
		      uint64_t cookie);
	/* Bind the guest's port: the local port, or -errno. */
	int (*bind)(void *ctx, uint32_t domid, uint32_t remote_port);
	void (*unbind)(void *ctx, uint32_t local_port);
	void (*notify)(void *ctx, uint32_t local_port);
};
int ring_attach(struct xsd *x, struct xsd_domain *d);
/* Live update: the ring of a domain the old daemon served, its event
 * channel still bound at local_port. */
int ring_adopt(struct xsd *x, struct xsd_domain *d, uint32_t local_port);
enum xsd_map_how ring_map_how(const struct xsd_conn *c);

/* ring.c: the byte rings of a xenstore_domain_interface */
size_t ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len,
		 int *err);
size_t ring_write(struct xenstore_domain_interface *intf, const void *buf,
		  size_t len, int *err);
bool ring_has_input(const struct xenstore_domain_interface *intf);
void ring_reset(struct xenstore_domain_interface *intf);

#endif
