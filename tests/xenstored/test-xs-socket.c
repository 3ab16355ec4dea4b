/* Our xenstored as a process on a Unix socket: raw protocol abuse, the
 * libxenstore API (threads, watches, big directories), sd_notify,
 * pid file and clean shutdown. */
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "check.h"
#include "xenstore.h"
#include "xs_daemon.h"

static int raw_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 20000) != 1)
			return -1;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Send a raw message, return the reply type and body. */
static uint32_t raw_req(int fd, uint32_t type, const void *p, uint32_t len,
			char *body)
{
	struct xsd_sockmsg h = { type, 1, 0, len };
	char buf[16 + 8192];

	memcpy(buf, &h, 16);
	memcpy(buf + 16, p, len);
	if (write(fd, buf, 16 + len) != (ssize_t)(16 + len))
		return XS_INVALID;
	if (read_full(fd, &h, 16) || h.len > XENSTORE_PAYLOAD_MAX ||
	    read_full(fd, body, h.len))
		return XS_INVALID;
	body[h.len] = '\0';
	return h.type;
}

static void test_raw(const char *sock)
{
	char body[XENSTORE_PAYLOAD_MAX + 1];
	int fd = raw_connect(sock);
	struct xsd_sockmsg h = { XS_READ, 1, 0, 6000 };
	char c;

	CHECK(fd >= 0, "raw connect");
	CHECK(raw_req(fd, XS_READ, "/", 1, body) == XS_ERROR &&
	      !strcmp(body, "EINVAL"), "missing NUL: EINVAL");
	CHECK(raw_req(fd, 77, "", 0, body) == XS_ERROR &&
	      !strcmp(body, "ENOSYS"), "unknown type: ENOSYS");
	CHECK(raw_req(fd, XS_WRITE, "/raw\0v", 6, body) == XS_WRITE &&
	      !strcmp(body, "OK"), "write still works on that connection");
	/* One byte at a time. */
	{
		const char msg[] = "/raw";
		struct xsd_sockmsg r = { XS_READ, 3, 0, sizeof(msg) };
		char all[16 + sizeof(msg)];
		bool ok = true;

		memcpy(all, &r, 16);
		memcpy(all + 16, msg, sizeof(msg));
		for (size_t i = 0; i < sizeof(all); i++)
			ok &= write(fd, all + i, 1) == 1;
		ok &= !read_full(fd, &r, 16) && r.type == XS_READ &&
		      r.req_id == 3 && r.len == 1 && !read_full(fd, body, 1) &&
		      body[0] == 'v';
		CHECK(ok, "request written byte by byte is answered");
	}
	CHECK(write(fd, &h, 16) == 16, "send oversized header");
	{
		struct pollfd p = { fd, POLLIN, 0 };

		CHECK(poll(&p, 1, 20000) == 1 && read(fd, &c, 1) == 0,
		      "oversized payload: daemon closes the connection");
	}
	close(fd);

	/* A client that sends and never reads does not hurt others. */
	fd = raw_connect(sock);
	{
		struct xsd_sockmsg r = { XS_READ, 1, 0, 5 };
		char m[21];
		int sent = 0;

		memcpy(m, &r, 16);
		memcpy(m + 16, "/raw", 5);
		for (int i = 0; i < 200000; i++) {
			struct pollfd p = { fd, POLLOUT, 0 };

			if (poll(&p, 1, 0) != 1)
				break;
			if (write(fd, m, 21) != 21)
				break;
			sent++;
		}
		CHECK(sent < 200000, "daemon stops reading a client that "
		      "does not read (%d requests taken)", sent);
	}
	{
		int fd2 = raw_connect(sock);

		CHECK(fd2 >= 0 && raw_req(fd2, XS_READ, "/raw", 5, body) ==
		      XS_READ, "other clients are still served");
		close(fd2);
	}
	close(fd);
}

struct watcher {
	struct xs_handle *h;
	int events;
	char last[256];
};

static void *watch_thread(void *arg)
{
	struct watcher *w = arg;

	while (w->events < 3) {
		unsigned int n;
		char **v = xs_read_watch(w->h, &n);

		if (!v)
			break;
		snprintf(w->last, sizeof(w->last), "%s %s",
			 v[XS_WATCH_PATH], v[XS_WATCH_TOKEN]);
		free(v);
		w->events++;
	}
	return NULL;
}

static void test_lib(void)
{
	struct xs_handle *h = xs_open(0), *h2 = xs_open(0);
	struct xs_permissions perms[3] = {
		{ 0, XS_PERM_NONE }, { 4, XS_PERM_READ },
		{ 5, XS_PERM_READ | XS_PERM_WRITE } }, *got;
	unsigned int n, len;
	char **dir, *v;
	xs_transaction_t t;
	struct watcher w = { 0 };
	pthread_t th;
	int count = 0;

	CHECK(h && h2, "xs_open twice");
	CHECK(xs_write(h, XBT_NULL, "/lib/a", "1", 1), "xs_write");
	v = xs_read(h, XBT_NULL, "/lib/a", &len);
	CHECK(v && len == 1 && v[0] == '1' && v[1] == '\0',
	      "xs_read NUL-terminates");
	free(v);
	CHECK(!xs_read(h, XBT_NULL, "/lib/none", &len) && errno == ENOENT,
	      "xs_read of missing node sets ENOENT");
	CHECK(xs_set_permissions(h, XBT_NULL, "/lib/a", perms, 3),
	      "xs_set_permissions");
	got = xs_get_permissions(h, XBT_NULL, "/lib/a", &n);
	CHECK(got && n == 3 && got[1].id == 4 && got[1].perms == XS_PERM_READ &&
	      got[2].perms == (XS_PERM_READ | XS_PERM_WRITE),
	      "xs_get_permissions round trip");
	free(got);

	for (int i = 0; i < 300; i++) {
		char p[80];

		snprintf(p, sizeof(p), "/lib/many/a-rather-long-child-name-%d",
			 i);
		xs_write(h, XBT_NULL, p, "", 0);
	}
	dir = xs_directory(h, XBT_NULL, "/lib/many", &n);
	CHECK(dir && n == 300, "xs_directory over 4 KiB (directory_part)");
	for (unsigned int i = 0; dir && i < n; i++)
		count += !strncmp(dir[i], "a-rather-long-child-name-", 25);
	CHECK(count == 300, "every name intact");
	free(dir);

	t = xs_transaction_start(h);
	v = xs_read(h, t, "/lib/a", &len);
	free(v);
	xs_write(h2, XBT_NULL, "/lib/a", "2", 1);
	xs_write(h, t, "/lib/a", "3", 1);
	CHECK(!xs_transaction_end(h, t, false) && errno == EAGAIN,
	      "xs_transaction_end reports EAGAIN");
	t = xs_transaction_start(h);
	xs_write(h, t, "/lib/b", "x", 1);
	CHECK(xs_transaction_end(h, t, false), "transaction commit");

	w.h = h2;
	CHECK(xs_watch(h2, "/lib/w", "tok"), "xs_watch");
	pthread_create(&th, NULL, watch_thread, &w);
	xs_write(h, XBT_NULL, "/lib/w/x", "1", 1);
	/* requests on the watching handle work while a thread waits */
	v = xs_read(h2, XBT_NULL, "/lib/a", &len);
	CHECK(v && v[0] == '2', "request on a handle with a watch thread");
	free(v);
	xs_write(h, XBT_NULL, "/lib/w/y", "1", 1);
	pthread_join(th, NULL);
	CHECK(w.events == 3 && !strcmp(w.last, "/lib/w/y tok"),
	      "xs_read_watch: initial event plus two changes");

	{
		int fd = xs_fileno(h2);
		struct pollfd p = { fd, POLLIN, 0 };
		char **ev;

		xs_write(h, XBT_NULL, "/lib/w/z", "1", 1);
		CHECK(fd >= 0 && poll(&p, 1, 20000) == 1,
		      "xs_fileno becomes readable on an event");
		ev = xs_check_watch(h2);
		CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/lib/w/z"),
		      "xs_check_watch returns it");
		free(ev);
		CHECK(!xs_check_watch(h2) && errno == EAGAIN,
		      "xs_check_watch: EAGAIN when nothing is queued");
	}
	CHECK(xs_unwatch(h2, "/lib/w", "tok"), "xs_unwatch");

	v = xs_get_domain_path(h, 12);
	CHECK(v && !strcmp(v, "/local/domain/12"), "xs_get_domain_path");
	free(v);
	CHECK(xs_is_domain_introduced(h, 0) &&
	      !xs_is_domain_introduced(h, 12), "xs_is_domain_introduced");
	CHECK(!xs_introduce_domain(h, 12, 1, 1) && errno == EINVAL,
	      "introduce without Xen fails cleanly");
	CHECK(!xs_release_domain(h, 12) && errno == ENOENT,
	      "release of unknown domain: ENOENT");
	v = xs_control_command(h, "check", NULL, 0);
	CHECK(v && !strcmp(v, "OK"), "xs_control_command check");
	free(v);
	CHECK(xs_rm(h, XBT_NULL, "/lib"), "xs_rm subtree");
	CHECK(xs_path_is_subpath("/a", "/a/b") &&
	      !xs_path_is_subpath("/a", "/ab"), "xs_path_is_subpath");
	xs_close(h);
	xs_close(h2);
}

static void test_notify(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[64], buf[64] = "";
	struct xs_daemon d = { 0 };
	const char *extra[] = { NULL };
	int fd;
	struct pollfd p;
	ssize_t n;

	snprintf(path, sizeof(path), "/tmp/xs-notify-%d", (int)getpid());
	unlink(path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(fd >= 0 && !bind(fd, (struct sockaddr *)&sa, sizeof(sa)),
	      "notify socket");
	setenv("NOTIFY_SOCKET", path, 1);
	CHECK(xsdaemon_start(&d, extra) == 0, "second daemon starts");
	unsetenv("NOTIFY_SOCKET");
	p.fd = fd;
	p.events = POLLIN;
	n = poll(&p, 1, 20000) == 1 ? recv(fd, buf, sizeof(buf) - 1, 0) : -1;
	CHECK(n == 7 && !memcmp(buf, "READY=1", 7), "sd_notify READY=1");
	CHECK(xsdaemon_stop(&d) == 0, "stops on SIGTERM");
	CHECK(access(d.sock, F_OK) != 0, "socket removed on exit");
	close(fd);
	unlink(path);
}

/* -w watch-event=1 in the real event loop: a watcher that reads
 * nothing has its queued events deleted after a second (the daemon says
 * so in its trace file), and the rest still arrive whole. */
static void test_watch_timeout(void)
{
	struct xs_daemon d = { 0 };
	char trace[160], body[XENSTORE_PAYLOAD_MAX + 1], msg[64 * 40];
	const char *extra[] = { "-w", "watch-event=1", "-T", trace, NULL };
	struct xsd_sockmsg h;
	int w, wr, events = 0, bad = 0, logged = 0;
	const int rounds = 300, per = 64;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	snprintf(trace, sizeof(trace), "/tmp/xs-trace-%d", (int)getpid());
	unlink(trace);
	if (xsdaemon_start(&d, extra)) {
		CHECK(0, "daemon with -w watch-event=1 starts");
		return;
	}
	w = raw_connect(d.sock);
	wr = raw_connect(d.sock);
	CHECK(w >= 0 && wr >= 0, "watcher and writer connect");
	if (w < 0 || wr < 0)
		goto out;
	CHECK(raw_req(w, XS_WATCH, "/wt\0tok\0", 8, body) == XS_WATCH,
	      "watch set");
	/* 19,200 events, far more than the socket buffer holds. */
	for (int r = 0; r < rounds && !bad; r++) {
		size_t len = 0;

		for (int i = 0; i < per; i++) {
			struct xsd_sockmsg m = { XS_WRITE, 1, 0, 8 };

			memcpy(msg + len, &m, 16);
			memcpy(msg + len + 16, "/wt/x\0ab", 8);
			len += 24;
		}
		if (write(wr, msg, len) != (ssize_t)len)
			bad = 1;
		for (int i = 0; i < per && !bad; i++)
			if (read_full(wr, &h, 16) || h.len > sizeof(body) ||
			    read_full(wr, body, h.len) || h.type != XS_WRITE)
				bad = 1;
	}
	CHECK(!bad, "all writes acknowledged while the watcher reads nothing");
	/* Wait (up to 20 s) for the daemon to report the deletion. */
	for (int i = 0; i < 2000 && !logged; i++) {
		FILE *f = fopen(trace, "r");
		char line[512];

		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "not read within 1 s"))
				logged = 1;
		if (f)
			fclose(f);
		if (!logged)
			nanosleep(&ts, NULL);
	}
	CHECK(logged, "unread events deleted after 1 s, and logged");
	/* What is left arrives whole: the first event, then /wt/x ones. */
	for (;;) {
		struct pollfd p = { w, POLLIN, 0 };

		if (poll(&p, 1, 1000) != 1)
			break;
		if (read_full(w, &h, 16) || h.len > XENSTORE_PAYLOAD_MAX ||
		    read_full(w, body, h.len) || h.type != XS_WATCH_EVENT) {
			bad = 1;
			break;
		}
		events++;
	}
	CHECK(!bad && events > 1 && events < rounds * per + 1,
	      "%d of %d events delivered, each one whole", events,
	      rounds * per + 1);
	CHECK(raw_req(wr, XS_READ, "/wt/x", 6, body) == XS_READ,
	      "daemon still serving");
out:
	if (w >= 0)
		close(w);
	if (wr >= 0)
		close(wr);
	CHECK(xsdaemon_stop(&d) == 0, "daemon stops");
	unlink(trace);
}

int main(void)
{
	struct xs_daemon d = { 0 };
	const char *extra[] = { NULL };

	if (xsdaemon_start(&d, extra)) {
		CHECK(0, "daemon starts (XSD_BIN=%s)", getenv("XSD_BIN"));
		return check_done();
	}
	CHECK(access(d.pidfile, F_OK) == 0, "pid file written");
	test_raw(d.sock);
	test_lib();
	CHECK(kill(d.pid, 0) == 0, "daemon alive after all that");
	CHECK(xsdaemon_stop(&d) == 0, "daemon stops by PID");
	test_notify();
	test_watch_timeout();
	return check_done();
}
