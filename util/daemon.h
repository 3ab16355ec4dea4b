/* What a dom0 daemon (xenstored, xenconsoled) does to start like Xen's:
 * detach into the background with a readiness handshake, so whoever
 * started it may use it as soon as the start command returns; a pid
 * file; systemd's readiness datagram. */
#ifndef XENOLITH_UTIL_DAEMON_H
#define XENOLITH_UTIL_DAEMON_H

/* Fork; the parent waits until the child calls daemon_ready() (exit
 * status 0) or dies first (exit status 1).  Returns the child's end of
 * the handshake, or -1 with a message naming prog. */
int daemon_detach(const char *prog);

/* Tell the waiting parent that start-up is done; closes fd. */
int daemon_ready(int fd);

/* Point stdin, stdout and stderr at /dev/null. */
void daemon_quiet_stdio(void);

/* Write our pid to path; -1 with a message naming prog and path. */
int daemon_write_pid_file(const char *prog, const char *path);

/* READY=1 to $NOTIFY_SOCKET when systemd started us; nothing otherwise. */
void daemon_notify_systemd(const char *prog);

#endif
