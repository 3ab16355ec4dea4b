/* Batched sends (sendbatch.c) on socket pairs: data and tags come back
 * right, a full socket gives -EAGAIN at once instead of blocking. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "sendbatch.h"

struct got {
	int res[8];
	int calls;
};

static void note(void *arg, uint64_t tag, int res)
{
	struct got *g = arg;

	g->calls++;
	if (tag < 8)
		g->res[tag] = res;
}

int main(void)
{
	struct sendbatch b;
	struct got g;
	int sp[3][2], err, n;
	char buf[4096], big[1 << 16];
	ssize_t r;

	err = sendbatch_init(&b, 8);
	if (err) {
		/* The daemon then uses send(): nothing to test here. */
		printf("1..0 # SKIP no io_uring here (%s)\n", strerror(-err));
		return 0;
	}
	CHECK(b.cap >= 8, "ring holds a batch of 8 (%u)", b.cap);
	for (int i = 0; i < 3; i++)
		CHECK(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
				  sp[i]), "socket pair %d", i);

	memset(&g, 0, sizeof(g));
	CHECK(sendbatch_add(&b, sp[0][0], "hello", 5, 0) &&
	      sendbatch_add(&b, sp[1][0], "xenstore", 8, 1) &&
	      sendbatch_add(&b, sp[2][0], "!", 1, 2), "three sends queued");
	n = sendbatch_run(&b, note, &g);
	CHECK(n == 3 && g.calls == 3 && g.res[0] == 5 && g.res[1] == 8 &&
	      g.res[2] == 1, "all sent in one run, each with its tag");
	r = read(sp[0][1], buf, sizeof(buf));
	CHECK(r == 5 && !memcmp(buf, "hello", 5), "first peer got its bytes");
	r = read(sp[1][1], buf, sizeof(buf));
	CHECK(r == 8 && !memcmp(buf, "xenstore", 8), "second peer too");
	r = read(sp[2][1], buf, sizeof(buf));
	CHECK(r == 1 && buf[0] == '!', "third peer too");

	/* Fill socket 0 until send() itself would block. */
	memset(big, 'z', sizeof(big));
	while (send(sp[0][0], big, sizeof(big), MSG_DONTWAIT) > 0)
		;
	memset(&g, 0, sizeof(g));
	sendbatch_add(&b, sp[0][0], big, sizeof(big), 0);
	sendbatch_add(&b, sp[1][0], "ok", 2, 1);
	n = sendbatch_run(&b, note, &g);
	CHECK(n == 2 && g.res[0] == -EAGAIN && g.res[1] == 2,
	      "full socket: -EAGAIN at once, the other still sent (%d, %d)",
	      g.res[0], g.res[1]);

	/* A closed peer: an error for that send only. */
	close(sp[2][1]);
	memset(&g, 0, sizeof(g));
	sendbatch_add(&b, sp[2][0], "x", 1, 0);
	n = sendbatch_run(&b, note, &g);
	CHECK(n == 1 && g.res[0] == -EPIPE, "closed peer: -EPIPE (%d)",
	      g.res[0]);
	CHECK(sendbatch_run(&b, note, &g) == 0, "empty batch: nothing");

	for (unsigned int i = 0; i <= b.cap; i++)
		if (!sendbatch_add(&b, sp[1][0], "y", 1, 0))
			break;
	CHECK(b.queued == b.cap, "no more than the ring holds is queued");
	memset(&g, 0, sizeof(g));
	CHECK(sendbatch_run(&b, note, &g) == (int)b.cap && g.res[0] == 1,
	      "a full batch runs");
	sendbatch_fini(&b);
	CHECK(b.fd == -1 && !sendbatch_add(&b, sp[1][0], "y", 1, 0),
	      "after fini nothing is queued");
	for (int i = 0; i < 3; i++) {
		close(sp[i][0]);
		if (i != 2)
			close(sp[i][1]);
	}
	return check_done();
}
