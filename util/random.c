/* Random bytes that never wait for the entropy pool. */
#define _GNU_SOURCE
#include "random.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

/* /dev/urandom never blocks either: for kernels before 5.6, which
 * refuse GRND_INSECURE. */
static int urandom_read(unsigned char *p, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return 0;
}

int random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, GRND_INSECURE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EINVAL || errno == ENOSYS ? urandom_read(p, len) : -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
