/* Bounded byte buffers for console output awaiting a reader. */
#include <stdlib.h>
#include <string.h>
#include "console.h"

int buffer_append(struct buffer *b, const char *data, size_t len)
{
	if (len > CONSOLE_BUFFER_MAX) {
		data += len - CONSOLE_BUFFER_MAX;
		len = CONSOLE_BUFFER_MAX;
	}
	/* Keep the newest output: drop the oldest past the limit. */
	if (b->len + len > CONSOLE_BUFFER_MAX)
		buffer_consume(b, b->len + len - CONSOLE_BUFFER_MAX);
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + len)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

void buffer_consume(struct buffer *b, size_t len)
{
	if (len >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + len, b->len - len);
	b->len -= len;
}

void buffer_free(struct buffer *b)
{
	free(b->data);
	*b = (struct buffer){ 0 };
}
