/*
 * buf.h — a growable byte string with a hard size cap (git's strbuf, with a limit).
 *
 * A struct buf owns its memory.  `data` is always NUL-terminated (so it can be used as a C
 * string when the content has no NUL) and `len` excludes the terminator.  Every append fails
 * with SD_ERR_TOO_LONG instead of growing past `max`, so a hostile input cannot make us
 * allocate without bound.  On any error the buffer is left as it was.
 *
 *	struct buf b;
 *	buf_init(&b, 4096);
 *	if ((r = buf_addf(&b, "%d", n)) != 0) goto out;
 *	...
 *	buf_release(&b);
 */
#ifndef SSHDIAG_BASE_BUF_H
#define SSHDIAG_BASE_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *data;   /* NUL-terminated; never NULL after buf_init */
	size_t len;   /* bytes used, excluding the terminator */
	size_t alloc; /* bytes allocated, 0 while data points at the shared empty string */
	size_t max;   /* content never exceeds this many bytes */
};

/* The default cap for buffers that hold one line or one value. */
#define BUF_MAX_DEFAULT (1024 * 1024)

void buf_init(struct buf *b, size_t max);
/* Frees the memory and leaves an empty, reusable buffer. */
void buf_release(struct buf *b);
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);

/* Makes room for `extra` more bytes now (one allocation instead of doublings). */
int buf_reserve(struct buf *b, size_t extra);

int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * Appends `text` word-wrapped at `width` columns and a newline (git's
 * strbuf_add_wrapped_text).  The output is taken to stand at column `col` already (0: a
 * fresh line, which then starts with `indent`); every line it breaks to starts with
 * `indent`.  Runs of blanks become one.  A word longer than any line (an algorithm list) is
 * cut, after a comma where possible.
 */
int buf_add_wrapped(struct buf *b, const char *indent, const char *text, size_t col, size_t width);

/*
 * Appends `len` bytes of untrusted text so that the result is printable ASCII on one line:
 * printable bytes are copied, tab becomes a space, everything else becomes \xNN.
 */
int buf_add_sanitized(struct buf *b, const void *data, size_t len);

/* Hands the string to the caller (who frees it) and leaves the buffer empty; NULL on OOM. */
char *buf_detach(struct buf *b);

/* A malloc'd sanitised copy of untrusted bytes (see buf_add_sanitized); NULL on OOM. */
char *sanitized_strndup(const void *data, size_t len, size_t max);

#endif
