/*
 * lines.c — libwrap's xgets() and the line checks of table_match() (see lines.h).
 */
#include "tcpwrap/lines.h"

#include <string.h>

/* libwrap's BUFLEN, the size of the logical line buffer given to xgets(). */
#define XGETS_BUFLEN (HA_LINE_MAX + 1)

void ha_reader_init(struct ha_reader *r, const uint8_t *data, size_t len)
{
	memset(r, 0, sizeof(*r) - sizeof(r->buf));
	r->data = data;
	r->len = data ? len : 0;
	r->buf[0] = 0;
}

size_t ha_split_at(const char *s, size_t n, int delim)
{
	size_t i;
	int bracket = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '[')
			bracket++;
		else if (s[i] == ']')
			bracket--;
		else if (bracket == 0 && s[i] == delim)
			return i;
	}
	return n;
}

static void classify(struct ha_line *l)
{
	size_t i, c;

	l->colon1 = l->colon2 = HA_NO_FIELD;
	if (l->len == 0 || l->text[l->len - 1] != '\n') {
		l->kind = HA_LINE_UNTERMINATED;
		return;
	}
	if (l->text[0] == '#') {
		l->kind = HA_LINE_COMMENT;
		return;
	}
	for (i = 0; i < l->len; i++)
		if (l->text[i] != ' ' && l->text[i] != '\t' && l->text[i] != '\r' &&
		    l->text[i] != '\n')
			break;
	if (i == l->len) {
		l->kind = HA_LINE_BLANK;
		return;
	}
	c = ha_split_at(l->text, l->len, ':');
	if (c == l->len) {
		l->kind = HA_LINE_NO_COLON;
		return;
	}
	l->kind = HA_LINE_RULE;
	l->colon1 = c;
	c = ha_split_at(l->text + c + 1, l->len - c - 1, ':');
	if (c != l->len - l->colon1 - 1)
		l->colon2 = l->colon1 + 1 + c;
}

/*
 * xgets() with fgets() spelled out: each chunk is at most `room - 1` bytes and ends after a
 * newline; a NUL cuts the chunk short (strlen) and so hides the rest of it.
 */
static int xgets(struct ha_reader *r, size_t *out_len)
{
	size_t ptr = 0, room = XGETS_BUFLEN, n, got, avail;
	const uint8_t *nl;

	for (;;) {
		if (r->pos >= r->len) {
			*out_len = ptr;
			return ptr > 0;
		}
		avail = r->len - r->pos;
		n = room - 1 < avail ? room - 1 : avail;
		nl = memchr(r->data + r->pos, '\n', n);
		if (nl) {
			n = (size_t)(nl - (r->data + r->pos)) + 1;
			r->line++;
		}
		memcpy(r->buf + ptr, r->data + r->pos, n);
		r->buf[ptr + n] = 0;
		r->pos += n;
		got = strlen(r->buf + ptr);
		if (got >= 1 && r->buf[ptr + got - 1] == '\n') {
			if (got >= 2 && r->buf[ptr + got - 2] == '\\') {
				got -= 2;
			} else {
				*out_len = ptr + got;
				return 1;
			}
		}
		ptr += got;
		room -= got;
		if (room == 1) {
			*out_len = ptr;
			return 1;
		}
		r->buf[ptr] = 0;
	}
}

int ha_reader_next(struct ha_reader *r, struct ha_line *out)
{
	size_t start, avail, lim, k, len;
	const uint8_t *nl, *p;
	unsigned first;

	if (r->done || r->pos >= r->len)
		return 0;
	start = r->pos;
	first = r->line + 1;
	avail = r->len - start;
	lim = avail < HA_LINE_MAX ? avail : HA_LINE_MAX;
	nl = memchr(r->data + start, '\n', lim);
	k = nl ? (size_t)(nl - (r->data + start)) : 0;
	if (nl && !(k > 0 && nl[-1] == '\\') && !memchr(r->data + start, 0, k)) {
		/* The common case: one physical line, used in place. */
		out->text = (const char *)r->data + start;
		out->len = k + 1;
		out->raw = r->data + start;
		out->raw_len = k;
		out->joined = 0;
		r->pos = start + k + 1;
		r->line++;
		out->line = out->line_last = first;
		classify(out);
		return 1;
	}
	if (!xgets(r, &len)) {
		r->done = 1;
		return 0;
	}
	out->text = r->buf;
	out->len = len;
	out->raw = r->data + start;
	p = memchr(r->data + start, '\n', r->len - start);
	out->raw_len = p ? (size_t)(p - (r->data + start)) : r->len - start;
	out->joined = 1;
	out->line = first;
	out->line_last = r->pos > 0 && r->data[r->pos - 1] == '\n' ? r->line : r->line + 1;
	classify(out);
	if (out->kind == HA_LINE_UNTERMINATED)
		r->done = 1;
	return 1;
}

size_t ha_reader_lines_left(const struct ha_reader *r)
{
	size_t n = 0, pos = r->pos;
	const uint8_t *p;

	if (pos > 0 && pos < r->len && r->data[pos - 1] != '\n') {
		/* The rest of an over-long line is not a line of its own. */
		p = memchr(r->data + pos, '\n', r->len - pos);
		pos = p ? (size_t)(p - r->data) + 1 : r->len;
	}
	while (pos < r->len) {
		p = memchr(r->data + pos, '\n', r->len - pos);
		n++;
		if (!p)
			break;
		pos = (size_t)(p - r->data) + 1;
	}
	return n;
}
