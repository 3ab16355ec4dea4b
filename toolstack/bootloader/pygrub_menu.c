/* The boot menu on the bootloader's terminal (xl shows it with
 * `xl create -c`): plain VT100, as libxl sets TERM=vt100 for us. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pygrub.h"

#define MENU_ROWS 16
#define ARGS_MAX 4096

struct menu {
	const struct bootcfg *c;
	size_t sel, top;
	long left; /* seconds before the default boots; -1: no countdown */
	int out;
};

static void menu_put(struct menu *m, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(m->out, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nobody is watching: the choice goes on */
		s += w;
		n -= (size_t)w;
	}
}

static void menu_draw(struct menu *m)
{
	char line[160];

	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + MENU_ROWS)
		m->top = m->sel - MENU_ROWS + 1;
	menu_put(m, "\033[H\033[2J\r\n  Xenolith pygrub: the guest's boot menu\r\n\r\n");
	for (size_t i = m->top; i < m->c->n && i < m->top + MENU_ROWS; i++) {
		const char *t = m->c->e[i].title ? m->c->e[i].title : "(untitled)";

		snprintf(line, sizeof(line), "  %s %.70s \033[0m\r\n",
			 i == m->sel ? "\033[7m>" : " ", t);
		menu_put(m, line);
	}
	menu_put(m, "\r\n  Up/Down choose an entry, Enter boots it, 'a' edits its "
		 "kernel arguments.\r\n");
	if (m->left >= 0) {
		snprintf(line, sizeof(line), "  The highlighted entry boots in %ld s.\r\n",
			 m->left);
		menu_put(m, line);
	}
}

/* One key: 1 = Enter, 2 = 'a', 0 = handled, -1 = the terminal went away. */
static int menu_key(struct menu *m, int in)
{
	unsigned char k[8];
	ssize_t n = read(in, k, sizeof(k));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	m->left = -1;
	for (ssize_t i = 0; i < n; i++) {
		if (k[i] == '\r' || k[i] == '\n')
			return 1;
		if (k[i] == 'a')
			return 2;
		/* ESC [ A / ESC O A: up; B: down (cursor keys, both modes) */
		if (k[i] == 033 && i + 2 < n && (k[i + 1] == '[' || k[i + 1] == 'O')) {
			if (k[i + 2] == 'A' && m->sel > 0)
				m->sel--;
			else if (k[i + 2] == 'B' && m->sel + 1 < m->c->n)
				m->sel++;
			i += 2;
		}
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void edit_draw(struct menu *m, const char *text)
{
	menu_put(m, "\r\033[2K  > ");
	menu_put(m, text);
}

/*
 * The highlighted entry's arguments on one line: typing appends,
 * Backspace deletes, Ctrl-U clears, Enter boots with them, Esc goes back.
 * 1 with *out set, 0 back to the menu, -1 when the terminal went away.
 */
static int menu_edit(struct menu *m, int in, char **out)
{
	const char *orig = m->c->e[m->sel].args;
	char *text = calloc(1, ARGS_MAX + 1);
	size_t len;

	if (!text)
		return -1;
	snprintf(text, ARGS_MAX + 1, "%s", orig ? orig : "");
	len = strlen(text);
	menu_put(m, "\r\n  Kernel arguments (Enter boots, Esc goes back):\r\n");
	edit_draw(m, text);
	for (;;) {
		unsigned char k[16];
		ssize_t n = read(in, k, sizeof(k));

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			free(text);
			return -1;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (k[i] == '\r' || k[i] == '\n') {
				*out = text;
				return 1;
			}
			if (k[i] == 033 && (i + 1 == n || (k[i + 1] != '[' && k[i + 1] != 'O'))) {
				free(text);
				return 0;
			}
			if (k[i] == 033) {
				i += 2; /* a cursor key: not for this line */
			} else if ((k[i] == 0x7f || k[i] == 0x08) && len > 0) {
				text[--len] = 0;
			} else if (k[i] == 0x15) {
				len = 0;
				text[0] = 0;
			} else if (k[i] >= 0x20 && k[i] < 0x7f && len < ARGS_MAX) {
				text[len++] = (char)k[i];
				text[len] = 0;
			}
		}
		edit_draw(m, text);
	}
}

long pygrub_menu(const struct bootcfg *c, size_t start, int in_fd, int out_fd, char **args)
{
	struct menu m = { c, start < c->n ? start : 0, 0, c->timeout, out_fd };
	struct termios saved, raw;
	bool restore = tcgetattr(in_fd, &saved) == 0;
	double deadline = now_s() + (double)(m.left > 0 ? m.left : 0);
	long chosen = -1;

	if (restore) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(in_fd, TCSANOW, &raw);
	}
	for (;;) {
		struct pollfd p = { in_fd, POLLIN, 0 };
		int r;

		if (m.left == 0) {
			chosen = (long)m.sel;
			break;
		}
		menu_draw(&m);
		r = poll(&p, 1, m.left > 0 ? 1000 : -1);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			r = menu_key(&m, in_fd);
			if (r < 0)
				break;
			if (r == 2)
				r = menu_edit(&m, in_fd, args);
			if (r < 0)
				break;
			if (r == 1) {
				chosen = (long)m.sel;
				break;
			}
		} else if (m.left > 0) {
			double rest = deadline - now_s();

			m.left = rest > 0 ? (long)(rest + 0.999) : 0;
		}
	}
	if (restore)
		tcsetattr(in_fd, TCSANOW, &saved);
	menu_put(&m, "\r\n");
	return chosen;
}
