/* Console log files: /var/log/xen/console/guest-NAME.log and
 * hypervisor.log, optionally with a timestamp at the start of each line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "console.h"
#include "io.h"

static int mkdir_p(const char *dir)
{
	char path[512];
	size_t i;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -1;
	for (i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		path[i] = '/';
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int log_open(const struct console_opts *o, const char *file)
{
	char path[768];
	int fd;

	if (mkdir_p(o->log_dir) < 0) {
		console_log("cannot create log directory %s: %s", o->log_dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", o->log_dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		console_log("cannot open %s: %s", path, strerror(errno));
	return fd;
}

/* A full disk must not stop the consoles: a failed write is dropped. */
static void log_append(int fd, const char *data, size_t len)
{
	(void)io_write_all(fd, data, len);
}

void log_write(int fd, const char *data, size_t len, bool timestamps,
	       bool *at_line_start)
{
	size_t start = 0, i;

	if (fd < 0)
		return;
	if (!timestamps) {
		log_append(fd, data, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (*at_line_start) {
			char stamp[64];
			time_t now = time(NULL);
			struct tm tm;

			localtime_r(&now, &tm);
			strftime(stamp, sizeof(stamp), "[%Y-%m-%d %H:%M:%S] ", &tm);
			log_append(fd, stamp, strlen(stamp));
			*at_line_start = false;
		}
		if (data[i] == '\n') {
			log_append(fd, data + start, i + 1 - start);
			start = i + 1;
			*at_line_start = true;
		}
	}
	log_append(fd, data + start, len - start);
}
