/*
 * lines.h — cuts an access table into logical lines exactly as libwrap reads it.
 *
 * libwrap's table_match() reads with xgets() (misc.c): fgets() into a 2048-byte buffer,
 * joining a line that ends in backslash-newline with the next one.  Debian's
 * fix_parsing_long_lines patch then makes any logical line that does not end in a newline —
 * longer than 2047 bytes, or the last line of a file without a final newline — an error that
 * ends the table (table_match() returns ERR and ignores every later line).  A NUL byte hides
 * the rest of its fgets() chunk, newline included, so the next physical line is glued on.
 * The reader reproduces all of this, then classifies each logical line as table_match() does:
 * comment ('#' in the first column only), blank, missing ':' (skipped) or rule.
 *
 * The reader never allocates.  Ordinary lines are returned in place, pointing into the
 * input; joined lines are assembled in the reader's own buffer and stay valid until the next
 * call.
 */
#ifndef SSHDIAG_TCPWRAP_LINES_H
#define SSHDIAG_TCPWRAP_LINES_H

#include <stddef.h>
#include <stdint.h>

/* libwrap's BUFLEN: a logical line holds at most 2047 bytes including its newline. */
#define HA_LINE_MAX 2047

enum ha_line_kind {
	HA_LINE_RULE,         /* daemons ':' clients [':' options] */
	HA_LINE_COMMENT,      /* '#' in column one */
	HA_LINE_BLANK,        /* only spaces, tabs, CR and the newline */
	HA_LINE_NO_COLON,     /* libwrap warns `missing ":" separator` and skips the line */
	HA_LINE_UNTERMINATED, /* too long, or no final newline: the table stops with an error */
};

/* No second ':' (no options field). */
#define HA_NO_FIELD ((size_t)-1)

struct ha_line {
	enum ha_line_kind kind;
	const char *text;   /* logical line; ends in '\n' unless HA_LINE_UNTERMINATED; no NULs */
	size_t len;         /* bytes of text */
	const uint8_t *raw; /* first physical line in the input, without its newline */
	size_t raw_len;     /* may exceed HA_LINE_MAX for an over-long line */
	unsigned line;      /* number of the first physical line (1-based) */
	unsigned line_last; /* last physical line: the one libwrap's warnings cite */
	size_t colon1;      /* end of the daemon list (HA_LINE_RULE) */
	size_t colon2;      /* end of the client list, or HA_NO_FIELD */
	int joined;         /* continuation or NUL: text differs from raw */
};

struct ha_reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	unsigned line; /* physical lines consumed */
	int done;
	char buf[HA_LINE_MAX + 1];
};

void ha_reader_init(struct ha_reader *r, const uint8_t *data, size_t len);

/*
 * The next logical line: 1 and *out filled, or 0 at the end.  After an HA_LINE_UNTERMINATED
 * line the reader ends, as libwrap stops reading.
 */
int ha_reader_next(struct ha_reader *r, struct ha_line *out);

/* Physical lines left unread (after an HA_LINE_UNTERMINATED line). */
size_t ha_reader_lines_left(const struct ha_reader *r);

/*
 * libwrap misc.c split_at() of the INET6 build: the first `delim` outside [brackets], where a
 * ']' before any '[' also hides later delimiters.  Returns its index in s[0..n) or n.
 */
size_t ha_split_at(const char *s, size_t n, int delim);

#endif
