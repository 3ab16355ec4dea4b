/*
 * libxenstore: requests over the daemon's Unix socket or the kernel's
 * xenbus device.  One request at a time per handle; once a watch is set a
 * reader thread sorts incoming messages into replies and watch events, so
 * that xs_read_watch and requests can run in different threads.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "xenstore.h"

struct xs_msg {
	struct xs_msg *next;
	struct xsd_sockmsg hdr;
	char *body; /* hdr.len bytes + NUL */
};

struct xs_handle {
	int fd;
	unsigned long flags;
	pthread_mutex_t request_mutex; /* one request in flight */
	pthread_mutex_t mutex;         /* everything below */
	pthread_cond_t watch_cond, reply_cond;
	struct xs_msg *watch_head, *watch_tail;
	struct xs_msg *reply;
	bool reader_running, reader_dead;
	pthread_t reader;
	int watch_pipe[2];
};

static int connect_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, saved;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static struct xs_handle *handle_new(int fd, unsigned long flags)
{
	struct xs_handle *h = calloc(1, sizeof(*h));

	if (!h) {
		close(fd);
		return NULL;
	}
	h->fd = fd;
	h->flags = flags;
	h->watch_pipe[0] = h->watch_pipe[1] = -1;
	pthread_mutex_init(&h->request_mutex, NULL);
	pthread_mutex_init(&h->mutex, NULL);
	pthread_cond_init(&h->watch_cond, NULL);
	pthread_cond_init(&h->reply_cond, NULL);
	return h;
}

struct xs_handle *xs_open(unsigned long flags)
{
	int fd = connect_socket(xs_daemon_socket());

	if (fd < 0 && !(flags & XS_OPEN_SOCKETONLY)) {
		fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			fd = open("/proc/xen/xenbus", O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		return NULL;
	return handle_new(fd, flags);
}

struct xs_handle *xs_daemon_open(void)
{
	return xs_open(0);
}

struct xs_handle *xs_daemon_open_readonly(void)
{
	return xs_open(XS_OPEN_READONLY);
}

struct xs_handle *xs_domain_open(void)
{
	int fd = open(xs_domain_dev(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? NULL : handle_new(fd, 0);
}

static void free_msgs(struct xs_msg *m)
{
	while (m) {
		struct xs_msg *n = m->next;

		free(m->body);
		free(m);
		m = n;
	}
}

static void handle_free(struct xs_handle *h)
{
	free_msgs(h->watch_head);
	free_msgs(h->reply);
	if (h->watch_pipe[0] >= 0) {
		close(h->watch_pipe[0]);
		close(h->watch_pipe[1]);
	}
	if (h->fd >= 0)
		close(h->fd);
	pthread_mutex_destroy(&h->request_mutex);
	pthread_mutex_destroy(&h->mutex);
	pthread_cond_destroy(&h->watch_cond);
	pthread_cond_destroy(&h->reply_cond);
	free(h);
}

void xs_close(struct xs_handle *h)
{
	if (!h)
		return;
	if (h->reader_running) {
		/* A socket can be shut down under the reader, which then
		 * ends by itself; the xenbus device needs a cancel. */
		if (shutdown(h->fd, SHUT_RDWR))
			pthread_cancel(h->reader);
		pthread_join(h->reader, NULL);
	}
	handle_free(h);
}

void xs_daemon_close(struct xs_handle *h)
{
	xs_close(h);
}

void xs_daemon_destroy_postfork(struct xs_handle *h)
{
	/* The reader thread does not exist in the child. */
	h->reader_running = false;
	handle_free(h);
}

static bool read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n == 0) {
			errno = ECONNRESET;
			return false;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static struct xs_msg *read_msg(int fd)
{
	struct xs_msg *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (!read_all(fd, &m->hdr, sizeof(m->hdr)))
		goto fail;
	if (m->hdr.len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		goto fail;
	}
	m->body = malloc(m->hdr.len + 1);
	if (!m->body || !read_all(fd, m->body, m->hdr.len))
		goto fail;
	m->body[m->hdr.len] = '\0';
	return m;
fail:
	free(m->body);
	free(m);
	return NULL;
}

/* Caller holds h->mutex. */
static void queue_event(struct xs_handle *h, struct xs_msg *m)
{
	m->next = NULL;
	if (h->watch_tail)
		h->watch_tail->next = m;
	else
		h->watch_head = m;
	h->watch_tail = m;
	if (h->watch_pipe[1] >= 0) {
		char c = 0;

		/* A full pipe already has bytes to wake the reader. */
		(void)!write(h->watch_pipe[1], &c, 1);
	}
	pthread_cond_broadcast(&h->watch_cond);
}

static void *reader_main(void *arg)
{
	struct xs_handle *h = arg;

	for (;;) {
		struct xs_msg *m = read_msg(h->fd);
		int old;

		/* Never cancelled while holding the mutex. */
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		pthread_mutex_lock(&h->mutex);
		if (!m) {
			h->reader_dead = true;
			pthread_cond_broadcast(&h->reply_cond);
			pthread_cond_broadcast(&h->watch_cond);
			pthread_mutex_unlock(&h->mutex);
			pthread_setcancelstate(old, NULL);
			return NULL;
		}
		if (m->hdr.type == XS_WATCH_EVENT) {
			queue_event(h, m);
		} else {
			free_msgs(h->reply);
			h->reply = m;
			pthread_cond_broadcast(&h->reply_cond);
		}
		pthread_mutex_unlock(&h->mutex);
		pthread_setcancelstate(old, NULL);
	}
}

/* Caller holds h->request_mutex (so no reply is being awaited). */
static bool start_reader(struct xs_handle *h)
{
	bool ok = true;

	pthread_mutex_lock(&h->mutex);
	if (!h->reader_running) {
		if (pthread_create(&h->reader, NULL, reader_main, h))
			ok = false;
		else
			h->reader_running = true;
	}
	pthread_mutex_unlock(&h->mutex);
	return ok;
}

static int errno_of(const char *name)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return xsd_errors[i].errnum;
	return EINVAL;
}

static struct xs_msg *get_reply(struct xs_handle *h)
{
	struct xs_msg *m;

	if (h->reader_running) {
		pthread_mutex_lock(&h->mutex);
		while (!h->reply && !h->reader_dead)
			pthread_cond_wait(&h->reply_cond, &h->mutex);
		m = h->reply;
		h->reply = NULL;
		pthread_mutex_unlock(&h->mutex);
		if (!m)
			errno = ECONNRESET;
		return m;
	}
	for (;;) {
		m = read_msg(h->fd);
		if (!m || m->hdr.type != XS_WATCH_EVENT)
			return m;
		pthread_mutex_lock(&h->mutex);
		queue_event(h, m);
		pthread_mutex_unlock(&h->mutex);
	}
}

/* Send one request, return its reply body (malloc'd, NUL-terminated). */
static void *xs_talkv(struct xs_handle *h, xs_transaction_t t,
		      enum xsd_sockmsg_type type, const struct iovec *iov,
		      unsigned int num, unsigned int *len)
{
	struct xsd_sockmsg hdr = { (uint32_t)type, 0, t, 0 };
	struct iovec v[8];
	struct xs_msg *m;
	size_t total = sizeof(hdr);
	void *body;
	int saved;

	if (num > 7) {
		errno = E2BIG;
		return NULL;
	}
	v[0].iov_base = &hdr;
	v[0].iov_len = sizeof(hdr);
	for (unsigned int i = 0; i < num; i++) {
		v[i + 1] = iov[i];
		hdr.len += (uint32_t)iov[i].iov_len;
	}
	if (hdr.len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		return NULL;
	}
	total += hdr.len;

	pthread_mutex_lock(&h->request_mutex);
	{
		/* The xenbus device wants a message in one write. */
		char buf[sizeof(hdr) + XENSTORE_PAYLOAD_MAX];
		size_t off = 0;

		for (unsigned int i = 0; i <= num; i++) {
			if (!v[i].iov_len)
				continue; /* base may be NULL */
			memcpy(buf + off, v[i].iov_base, v[i].iov_len);
			off += v[i].iov_len;
		}
		if (!xs_write_all(h->fd, buf, (unsigned int)total)) {
			saved = errno;
			pthread_mutex_unlock(&h->request_mutex);
			errno = saved;
			return NULL;
		}
	}
	m = get_reply(h);
	saved = errno;
	pthread_mutex_unlock(&h->request_mutex);
	if (!m) {
		errno = saved;
		return NULL;
	}
	if (m->hdr.type == XS_ERROR) {
		saved = errno_of(m->body);
		free_msgs(m);
		errno = saved;
		return NULL;
	}
	if (m->hdr.type != (uint32_t)type) {
		free_msgs(m);
		errno = EBADF;
		return NULL;
	}
	if (len)
		*len = m->hdr.len;
	body = m->body;
	free(m);
	errno = 0; /* as Xen's library leaves it; some callers look */
	return body;
}

static void *xs_single(struct xs_handle *h, xs_transaction_t t,
		       enum xsd_sockmsg_type type, const char *s,
		       unsigned int *len)
{
	struct iovec iov = { (void *)s, strlen(s) + 1 };

	return xs_talkv(h, t, type, &iov, 1, len);
}

static bool xs_bool(char *reply)
{
	if (!reply)
		return false;
	free(reply);
	return true;
}

/* Names as a vector, pointers and strings in one allocation. */
static char **split_strings(const char *s, unsigned int len, unsigned int *num)
{
	unsigned int n = xs_count_strings(s, len);
	char **v = malloc((n + 1) * sizeof(char *) + len + 1);
	char *p;

	if (!v)
		return NULL;
	p = (char *)(v + n + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		v[i] = p;
		p += strlen(p) + 1;
	}
	v[n] = NULL;
	*num = n;
	return v;
}

static char **directory_part(struct xs_handle *h, xs_transaction_t t,
			     const char *path, unsigned int *num)
{
	char *acc = NULL, gen[32] = "";
	size_t acclen = 0;
	unsigned int off = 0;

	for (;;) {
		char offs[16];
		struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
					{ offs, 0 } };
		unsigned int len, glen;
		char *r, *nacc;
		bool end = false;
		size_t pos;

		iov[1].iov_len = (size_t)snprintf(offs, sizeof(offs), "%u",
						  off) + 1;
		r = xs_talkv(h, t, XS_DIRECTORY_PART, iov, 2, &len);
		if (!r)
			goto fail;
		glen = (unsigned int)strnlen(r, len);
		if (glen == len) {
			free(r);
			errno = EIO;
			goto fail;
		}
		if (off == 0) {
			snprintf(gen, sizeof(gen), "%s", r);
		} else if (strcmp(gen, r)) {
			/* Changed under us: start again. */
			free(r);
			free(acc);
			acc = NULL;
			acclen = off = 0;
			continue;
		}
		pos = glen + 1;
		while (pos < len) {
			size_t l = strnlen(r + pos, len - pos);

			if (l == 0) {
				end = true;
				break;
			}
			pos += l + 1;
		}
		nacc = realloc(acc, acclen + (pos - glen - 1) + 1);
		if (!nacc) {
			free(r);
			goto fail;
		}
		acc = nacc;
		memcpy(acc + acclen, r + glen + 1, pos - glen - 1);
		acclen += pos - glen - 1;
		off += (unsigned int)(pos - glen - 1);
		free(r);
		if (end || pos == glen + 1)
			break;
	}
	{
		char **v = split_strings(acc ? acc : "", (unsigned int)acclen,
					 num);

		free(acc);
		return v;
	}
fail:
	free(acc);
	return NULL;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t,
		    const char *path, unsigned int *num)
{
	unsigned int len;
	char *r = xs_single(h, t, XS_DIRECTORY, path, &len);
	char **v;

	if (!r) {
		if (errno == E2BIG)
			return directory_part(h, t, path, num);
		return NULL;
	}
	v = split_strings(r, len, num);
	free(r);
	return v;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	      unsigned int *len)
{
	return xs_single(h, t, XS_READ, path, len);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	      const void *data, unsigned int len)
{
	struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
				{ (void *)data, len } };

	return xs_bool(xs_talkv(h, t, XS_WRITE, iov, 2, NULL));
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xs_bool(xs_single(h, t, XS_MKDIR, path, NULL));
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return xs_bool(xs_single(h, t, XS_RM, path, NULL));
}

bool xs_restrict(struct xs_handle *h, unsigned domid)
{
	char s[MAX_STRLEN(domid)];

	snprintf(s, sizeof(s), "%u", domid);
	return xs_bool(xs_single(h, XBT_NULL, (enum xsd_sockmsg_type)20, s,
				 NULL));
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h,
					  xs_transaction_t t,
					  const char *path, unsigned int *num)
{
	unsigned int len, n;
	char *r = xs_single(h, t, XS_GET_PERMS, path, &len);
	struct xs_permissions *p;

	if (!r)
		return NULL;
	n = xs_count_strings(r, len);
	p = n ? malloc(n * sizeof(*p)) : NULL;
	if (!p || !xs_strings_to_perms(p, n, r)) {
		if (!n)
			errno = EINVAL;
		free(p);
		free(r);
		return NULL;
	}
	free(r);
	*num = n;
	return p;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
			const char *path, struct xs_permissions *perms,
			unsigned int num_perms)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t len = 0;
	struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
				{ buf, 0 } };

	for (unsigned int i = 0; i < num_perms; i++) {
		if (!xs_perm_to_string(&perms[i], buf + len,
				       sizeof(buf) - len)) {
			errno = E2BIG;
			return false;
		}
		len += strlen(buf + len) + 1;
	}
	iov[1].iov_len = len;
	return xs_bool(xs_talkv(h, t, XS_SET_PERMS, iov, 2, NULL));
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
				{ (void *)token, strlen(token) + 1 } };

	/* Events may now arrive at any time: a thread sorts them out. */
	pthread_mutex_lock(&h->request_mutex);
	if (!start_reader(h)) {
		pthread_mutex_unlock(&h->request_mutex);
		errno = ENOMEM;
		return false;
	}
	pthread_mutex_unlock(&h->request_mutex);
	return xs_bool(xs_talkv(h, XBT_NULL, XS_WATCH, iov, 2, NULL));
}

int xs_fileno(struct xs_handle *h)
{
	pthread_mutex_lock(&h->mutex);
	if (h->watch_pipe[0] < 0 && !pipe2(h->watch_pipe, O_CLOEXEC)) {
		char c = 0;

		for (struct xs_msg *m = h->watch_head; m; m = m->next)
			if (write(h->watch_pipe[1], &c, 1) != 1)
				break;
	}
	pthread_mutex_unlock(&h->mutex);
	return h->watch_pipe[0];
}

/* Caller holds h->mutex and the queue is not empty. */
static char **take_event(struct xs_handle *h, unsigned int *num)
{
	struct xs_msg *m = h->watch_head;
	char **v;
	unsigned int n;

	h->watch_head = m->next;
	m->next = NULL;
	if (!h->watch_head)
		h->watch_tail = NULL;
	if (h->watch_pipe[0] >= 0) {
		char c;

		/* The byte count may lag the queue; harmless. */
		(void)!read(h->watch_pipe[0], &c, 1);
	}
	v = split_strings(m->body, m->hdr.len, &n);
	free_msgs(m);
	if (v && n < 2) {
		free(v);
		errno = EINVAL;
		return NULL;
	}
	if (num)
		*num = n;
	return v;
}

char **xs_check_watch(struct xs_handle *h)
{
	char **v;

	pthread_mutex_lock(&h->mutex);
	if (!h->watch_head) {
		pthread_mutex_unlock(&h->mutex);
		errno = EAGAIN;
		return NULL;
	}
	v = take_event(h, NULL);
	pthread_mutex_unlock(&h->mutex);
	return v;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
	char **v;

	pthread_mutex_lock(&h->request_mutex);
	if (!start_reader(h)) {
		pthread_mutex_unlock(&h->request_mutex);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_unlock(&h->request_mutex);
	pthread_mutex_lock(&h->mutex);
	while (!h->watch_head && !h->reader_dead)
		pthread_cond_wait(&h->watch_cond, &h->mutex);
	if (!h->watch_head) {
		pthread_mutex_unlock(&h->mutex);
		errno = EINVAL;
		return NULL;
	}
	v = take_event(h, num);
	pthread_mutex_unlock(&h->mutex);
	return v;
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	struct iovec iov[2] = { { (void *)path, strlen(path) + 1 },
				{ (void *)token, strlen(token) + 1 } };
	bool ok = xs_bool(xs_talkv(h, XBT_NULL, XS_UNWATCH, iov, 2, NULL));

	if (ok && (h->flags & XS_UNWATCH_FILTER)) {
		struct xs_msg **pp, *keep_tail = NULL;

		pthread_mutex_lock(&h->mutex);
		for (pp = &h->watch_head; *pp;) {
			struct xs_msg *m = *pp;
			const char *tok = m->body + strlen(m->body) + 1;

			if ((size_t)(tok - m->body) < m->hdr.len &&
			    !strcmp(tok, token) &&
			    xs_path_is_subpath(path, m->body)) {
				*pp = m->next;
				m->next = NULL;
				free_msgs(m);
				continue;
			}
			keep_tail = m;
			pp = &m->next;
		}
		h->watch_tail = keep_tail;
		pthread_mutex_unlock(&h->mutex);
	}
	return ok;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	char *r = xs_single(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
	unsigned long id;
	char *end;

	if (!r)
		return XBT_NULL;
	id = strtoul(r, &end, 10);
	if (*end || id == 0 || id > UINT32_MAX) {
		free(r);
		errno = EINVAL;
		return XBT_NULL;
	}
	free(r);
	return (xs_transaction_t)id;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	return xs_bool(xs_single(h, t, XS_TRANSACTION_END, abort ? "F" : "T",
				 NULL));
}

static char *talk_numbers(struct xs_handle *h, enum xsd_sockmsg_type type,
			  unsigned int n, const unsigned long *vals)
{
	char s[3][MAX_STRLEN(unsigned long)];
	struct iovec iov[3];

	for (unsigned int i = 0; i < n; i++) {
		iov[i].iov_base = s[i];
		iov[i].iov_len = (size_t)snprintf(s[i], sizeof(s[i]), "%lu",
						  vals[i]) + 1;
	}
	return xs_talkv(h, XBT_NULL, type, iov, n, NULL);
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
			 unsigned long mfn, unsigned int eventchn)
{
	unsigned long v[3] = { domid, mfn, eventchn };

	return xs_bool(talk_numbers(h, XS_INTRODUCE, 3, v));
}

bool xs_set_target(struct xs_handle *h, unsigned int domid,
		   unsigned int target)
{
	unsigned long v[2] = { domid, target };

	return xs_bool(talk_numbers(h, XS_SET_TARGET, 2, v));
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
	unsigned long v = domid;

	return xs_bool(talk_numbers(h, XS_RESUME, 1, &v));
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
	unsigned long v = domid;

	return xs_bool(talk_numbers(h, XS_RELEASE, 1, &v));
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
	unsigned long v = domid;

	return talk_numbers(h, XS_GET_DOMAIN_PATH, 1, &v);
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
	unsigned long v = domid;
	char *r = talk_numbers(h, XS_IS_DOMAIN_INTRODUCED, 1, &v);
	bool yes = r && !strcmp(r, "T");

	free(r);
	return yes;
}

bool xs_path_is_subpath(const char *parent, const char *child)
{
	size_t l = strlen(parent);

	if (l && parent[l - 1] == '/')
		l--;
	if (strncmp(child, parent, l))
		return false;
	return child[l] == '\0' || child[l] == '/';
}

char *xs_control_command(struct xs_handle *h, const char *cmd, void *data,
			 unsigned int len)
{
	struct iovec iov[2] = { { (void *)cmd, strlen(cmd) + 1 },
				{ data, len } };

	return xs_talkv(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}

char *xs_debug_command(struct xs_handle *h, const char *cmd, void *data,
		       unsigned int len)
{
	return xs_control_command(h, cmd, data, len);
}

int xs_suspend_evtchn_port(int domid)
{
	char path[64];
	struct xs_handle *h;
	char *r;
	int port = -1;

	if (domid < 0)
		return -1;
	h = xs_open(0);
	if (!h)
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%d/device/suspend/"
		 "event-channel", domid);
	r = xs_read(h, XBT_NULL, path, NULL);
	if (r && *r)
		port = atoi(r);
	free(r);
	xs_close(h);
	return port;
}
