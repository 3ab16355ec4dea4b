/* xl console: the terminal side of a guest's PV console. xenconsoled
 * gives each guest a pty and publishes it in /local/domain/N/console/tty;
 * we copy between it and our terminal until Ctrl-] or the domain's end. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "io.h"
#include "lx.h"
#include "xl.h"

#define ESCAPE_CHAR 0x1d		/* Ctrl-] */
#define TTY_WAIT_MS 30000

struct console {
	struct lx_ctx ctx;
	uint32_t domid;
	char tty_path[64];
	int pty;
	bool stdin_open;
	bool term_saved;
	struct termios term;
};

static bool domain_ended(struct console *c)
{
	struct lx_dom_state st;

	return lx_domain_state(&c->ctx, c->domid, &st) < 0 || st.gone || st.dying;
}

/* Opens the pty xenconsoled publishes, waiting for it to appear. */
static int open_pty(struct console *c)
{
	int waited = 0;

	for (;;) {
		unsigned int len;
		char *tty = xs_read(c->ctx.xs, XBT_NULL, c->tty_path, &len);

		if (tty && *tty) {
			struct termios t;

			c->pty = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
			if (c->pty < 0) {
				fprintf(stderr, "xl console: opening %s: %s\n", tty, strerror(errno));
				free(tty);
				return -1;
			}
			free(tty);
			/* Bytes pass through untouched: the guest does its own echo. */
			if (tcgetattr(c->pty, &t) == 0) {
				cfmakeraw(&t);
				tcsetattr(c->pty, TCSANOW, &t);
			}
			return 0;
		}
		free(tty);
		if (domain_ended(c)) {
			fprintf(stderr, "xl console: domain %u is gone\n", c->domid);
			return -1;
		}
		if (waited >= TTY_WAIT_MS) {
			fprintf(stderr, "xl console: domain %u has no console (%s): is xenconsoled "
				"running?\n", c->domid, c->tty_path);
			return -1;
		}
		if (lx_wait_domains(&c->ctx, 1000) < 0 && errno != ETIMEDOUT)
			return -1;
		waited += 1000;
	}
}

/* The guest output still in the pty when the domain goes. */
static void drain_pty(struct console *c)
{
	char buf[4096];
	ssize_t n;

	fcntl(c->pty, F_SETFL, fcntl(c->pty, F_GETFL) | O_NONBLOCK);
	while ((n = read(c->pty, buf, sizeof(buf))) > 0)
		if (io_write_all(1, buf, (size_t)n) < 0)
			break;
}

/* Copies until Ctrl-] (0), the domain's end (0) or an error (1). */
static int pump(struct console *c)
{
	char buf[4096];

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = c->pty, .events = POLLIN },
			{ .fd = xs_fileno(c->ctx.xs), .events = POLLIN },
			{ .fd = c->stdin_open ? 0 : -1, .events = POLLIN },
		};
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[0].revents) {
			n = read(c->pty, buf, sizeof(buf));
			if (n > 0) {
				if (io_write_all(1, buf, (size_t)n) < 0)
					return 1;
			} else if (n < 0 && errno == EINTR) {
				continue;
			} else {
				/* xenconsoled closed the pty: the domain ended, or the
				 * daemon restarted and publishes a new one. */
				close(c->pty);
				c->pty = -1;
				if (domain_ended(c))
					return 0;
				if (open_pty(c) < 0)
					return 1;
				continue;
			}
		}
		if (p[1].revents) {
			lx_wait_domains(&c->ctx, 0);
			if (domain_ended(c)) {
				drain_pty(c);
				return 0;
			}
		}
		if (p[2].revents) {
			char *esc;

			n = read(0, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				c->stdin_open = false;
				continue;
			}
			esc = memchr(buf, ESCAPE_CHAR, (size_t)n);
			if (io_write_all(c->pty, buf, esc ? (size_t)(esc - buf) : (size_t)n) < 0)
				return 1;
			if (esc)
				return 0;
		}
	}
}

int xl_console_attach(uint32_t domid, bool unpause)
{
	struct console c = { .domid = domid, .pty = -1, .stdin_open = true };
	char err[512];
	int rc = 1;

	if (lx_open(&c.ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl console: %s\n", err);
		return 1;
	}
	snprintf(c.tty_path, sizeof(c.tty_path), "/local/domain/%u/console/tty", domid);
	if (lx_watch_domains(&c.ctx) < 0 || !xs_watch(c.ctx.xs, c.tty_path, "xl-console-tty")) {
		fprintf(stderr, "xl console: watching domain %u: %s\n", domid, strerror(errno));
		goto out;
	}
	if (open_pty(&c) < 0)
		goto out;
	if (isatty(0) && tcgetattr(0, &c.term) == 0) {
		struct termios raw = c.term;

		cfmakeraw(&raw);
		if (tcsetattr(0, TCSANOW, &raw) == 0)
			c.term_saved = true;
	}
	if (unpause && xc_domain_unpause(c.ctx.xch, domid) < 0) {
		fprintf(stderr, "xl console: starting domain %u: %s\n", domid, strerror(errno));
		goto out;
	}
	rc = pump(&c);
out:
	if (c.term_saved)
		tcsetattr(0, TCSANOW, &c.term);
	if (c.pty >= 0)
		close(c.pty);
	lx_close(&c.ctx);
	return rc;
}

int main_console(struct xl_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lx_ctx ctx;
	char err[512];
	uint32_t domid;
	int opt, rc;

	(void)g;
	while ((opt = getopt_long(argc, argv, "+ht:n:", opts, NULL)) >= 0) {
		switch (opt) {
		case 't':
			if (!strcmp(optarg, "serial")) {
				fprintf(stderr, "xl console: PVH guests have no emulated serial "
					"console; use -t pv\n");
				return 1;
			}
			if (strcmp(optarg, "pv")) {
				fprintf(stderr, "console type must be \"pv\" or \"serial\"\n");
				return 2;
			}
			break;
		case 'n':
			if (strcmp(optarg, "0")) {
				fprintf(stderr, "xl console: only console 0 exists for now\n");
				return 1;
			}
			break;
		case 'h':
			xl_usage(xl_cmd_find("console"));
			return 0;
		default:
			xl_usage(xl_cmd_find("console"));
			return 2;
		}
	}
	if (argc - optind != 1) {
		xl_usage(xl_cmd_find("console"));
		return 2;
	}
	if (lx_open(&ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "xl console: %s\n", err);
		return 1;
	}
	rc = xl_dom_resolve(&ctx, argv[optind], &domid);
	lx_close(&ctx);
	if (rc < 0)
		return 1;
	return xl_console_attach(domid, false);
}
