#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

static char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->data[0] = '\0';
}

/* Makes room for `extra` more bytes plus the terminator. */
static int buf_grow(struct buf *b, size_t extra)
{
	size_t want, n;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return SD_ERR_TOO_LONG;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return SD_OK;
	n = b->alloc ? b->alloc : 64;
	while (n < want)
		n = n > (size_t)-1 / 2 ? want : n * 2;
	if ((p = realloc(b->alloc ? b->data : NULL, n)) == NULL)
		return SD_ERR_ALLOC;
	if (!b->alloc)
		p[0] = '\0';
	b->data = p;
	b->alloc = n;
	return SD_OK;
}

int buf_reserve(struct buf *b, size_t extra)
{
	return buf_grow(b, extra);
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int r;

	if ((r = buf_grow(b, len)) != 0)
		return r;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return SD_OK;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return SD_ERR_INVALID;
	if ((r = buf_grow(b, (size_t)n)) != 0)
		return r;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return SD_OK;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

int buf_add_wrapped(struct buf *out, const char *indent, const char *text, size_t col, size_t width)
{
	size_t ind = strlen(indent), room = ind + 20 < width ? width - ind : 20, wlen, cut;
	const char *p = text, *w;
	int r = 0;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ')
			p++;
		wlen = (size_t)(p - w);
		while (wlen > room) {
			/* a word too long for any line: cut it, preferably after a comma */
			if (col > ind) {
				r |= buf_addch(out, '\n');
				col = 0;
			}
			for (cut = room; cut > room / 2 && w[cut - 1] != ','; cut--)
				;
			if (w[cut - 1] != ',')
				cut = room;
			r |= buf_adds(out, indent);
			r |= buf_add(out, w, cut);
			r |= buf_addch(out, '\n');
			w += cut;
			wlen -= cut;
		}
		if (col == 0) {
			r |= buf_adds(out, indent);
			col = ind;
		} else if (col + 1 + wlen > width) {
			r |= buf_addch(out, '\n');
			r |= buf_adds(out, indent);
			col = ind;
		} else {
			r |= buf_addch(out, ' ');
			col++;
		}
		r |= buf_add(out, w, wlen);
		col += wlen;
	}
	r |= buf_addch(out, '\n');
	return r ? SD_ERR_ALLOC : SD_OK;
}

int buf_add_sanitized(struct buf *b, const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i, old = b->len;
	int r = SD_OK;

	for (i = 0; i < len && r == SD_OK; i++) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			r = buf_addch(b, (char)c);
		else if (c == '\t')
			r = buf_addch(b, ' ');
		else if (c == '\\')
			r = buf_adds(b, "\\\\");
		else {
			char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			r = buf_add(b, esc, sizeof(esc));
		}
	}
	if (r != SD_OK) {
		b->len = old;
		if (b->alloc)
			b->data[old] = '\0';
	}
	return r;
}

char *buf_detach(struct buf *b)
{
	char *s;

	if (b->alloc) {
		s = b->data;
	} else if ((s = malloc(1)) != NULL) {
		s[0] = '\0';
	}
	buf_init(b, b->max);
	return s;
}

char *sanitized_strndup(const void *data, size_t len, size_t max)
{
	struct buf b;

	buf_init(&b, max);
	if (buf_add_sanitized(&b, data, len) != 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
