/* xc_devhandle: the one-fd handles of libxenevtchn, libxengnttab and
 * libxenforeignmemory, opened on /dev/null and on a node that is not
 * there. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenforeignmemory.h>
#include "check.h"
#include "xc_private.h"

struct two_fields {
	int fd;
	long other;
};

int main(void)
{
	struct two_fields *h = xc_devhandle_open("/dev/null", sizeof(*h));
	int fd;

	CHECK(h != NULL, "a handle on /dev/null");
	if (!h)
		return check_done();
	fd = h->fd;
	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "its fd is open, close-on-exec");
	h->other = 42;	/* ASan: the whole size was allocated */
	CHECK(xc_devhandle_close(h) == 0, "closed");
	CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF, "closing closed the fd");
	CHECK(xc_devhandle_close(NULL) == 0, "closing NULL is fine");

	errno = 0;
	CHECK(!xc_devhandle_open("/nonexistent/xen/evtchn", sizeof(int)) && errno == ENOENT,
	      "a missing node: NULL, and open's errno survives the free");

	/* The public entry points, where the host has no Xen nodes. */
	if (access("/dev/xen/evtchn", F_OK))
		CHECK(!xenevtchn_open(NULL, 0) && errno == ENOENT, "xenevtchn_open without Xen: ENOENT");
	if (access("/dev/xen/gntdev", F_OK))
		CHECK(!xengnttab_open(NULL, 0) && errno == ENOENT, "xengnttab_open without Xen: ENOENT");
	if (access("/dev/xen/privcmd", F_OK))
		CHECK(!xenforeignmemory_open(NULL, 0) && errno == ENOENT,
		      "xenforeignmemory_open without Xen: ENOENT");
	CHECK(xenevtchn_close(NULL) == 0 && xengnttab_close(NULL) == 0 &&
	      xengntshr_close(NULL) == 0 && xenforeignmemory_close(NULL) == 0,
	      "every close takes NULL");
	return check_done();
}
