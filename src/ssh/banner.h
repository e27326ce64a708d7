/*
 * banner.h — the server identification exchange (RFC 4253 §4.2), read incrementally.
 *
 * A server may send lines before its version line; the version line starts with "SSH-".
 * The reader is fed bytes as they arrive and keeps only the current line (at most
 * BANNER_MAX_LINE bytes) plus a few sanitised pre-banner lines, so a server that trickles,
 * floods lines or sends a 10 MB "banner" costs a fixed amount of memory.
 *
 * All strings in struct banner are sanitised (printable ASCII, see buf_add_sanitized) and owned
 * by the struct; banner_release() frees them.
 */
#ifndef SSHDIAG_SSH_BANNER_H
#define SSHDIAG_SSH_BANNER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define BANNER_MAX_LINE         8192 /* OpenSSH's limit for one identification-phase line */
#define BANNER_MAX_VERSION_LINE 255  /* RFC 4253 §4.2, including CR LF */
#define BANNER_MAX_PRE_LINES    1024 /* OpenSSH's client gives up after this many lines */
#define BANNER_KEEP_PRE_LINES   8    /* pre-banner lines kept as evidence */
#define BANNER_KEEP_LINE_CHARS  200  /* sanitised characters kept of each such line */

enum banner_state {
	BANNER_NEED_MORE,      /* no version line yet; feed more bytes */
	BANNER_DONE,           /* version line read and parsed */
	BANNER_LINE_TOO_LONG,  /* a line exceeded BANNER_MAX_LINE */
	BANNER_TOO_MANY_LINES, /* more than BANNER_MAX_PRE_LINES lines before the version */
	BANNER_BAD_VERSION,    /* "SSH-" line that does not parse, or a protocol other than 2 */
};

/* What kind of non-SSH talker the bytes suggest (for the not_ssh outcome). */
enum banner_kind {
	BANNER_KIND_NONE, /* nothing received */
	BANNER_KIND_SSH,
	BANNER_KIND_HTTP,
	BANNER_KIND_SMTP,
	BANNER_KIND_FTP,
	BANNER_KIND_TLS,
	BANNER_KIND_POP3,
	BANNER_KIND_IMAP,
	BANNER_KIND_TEXT,
	BANNER_KIND_BINARY,
};

struct banner {
	enum banner_state state;
	/* the version line, without CR LF, and its parts ("2.0", "OpenSSH_9.2p1", "Debian-2") */
	char *version_line;
	char *proto_version;
	char *software;
	char *comments;            /* NULL when absent */
	int version_line_too_long; /* longer than RFC 4253 allows (OpenSSH accepts it) */
	int invalid_chars;         /* a line held NUL or a stray CR: OpenSSH's client refuses */
	char *pre_lines[BANNER_KEEP_PRE_LINES]; /* the first pre-banner lines */
	size_t npre_lines;                      /* all pre-banner lines seen */
	size_t bytes_seen;                      /* bytes fed in total */
	enum banner_kind kind;                  /* from the first bytes */
	uint8_t head[64];                       /* the first bytes, to classify a trickle */
	size_t headlen;
	struct buf line; /* the line being assembled */
};

void banner_init(struct banner *b);
void banner_release(struct banner *b);

/*
 * Feeds bytes.  Returns SD_OK or SD_ERR_ALLOC; the parse result is in b->state.  Once the
 * state is BANNER_DONE, *consumed says how many bytes of this chunk belong to the
 * identification (the rest is the start of the binary protocol); otherwise all were consumed.
 * Feeding after the state left BANNER_NEED_MORE consumes nothing.
 */
int banner_feed(struct banner *b, const uint8_t *data, size_t len, size_t *consumed);

/*
 * Guesses what kind of service sent `data` (the first bytes a server sent).
 */
enum banner_kind banner_classify(const uint8_t *data, size_t len);
const char *banner_kind_name(enum banner_kind kind);

/*
 * 1 if the sanitised pre-banner line is sshd's own admission-control refusal
 * ("Exceeded MaxStartups" in OpenSSH 8.2–9.7, "Not allowed at this time" from 9.8).
 */
int banner_is_sshd_refusal(const char *line);

/*
 * Parses "OpenSSH_9.2p1" style software versions: 1 and major/minor on success, 0 when the
 * software is not OpenSSH or the version does not parse.
 */
int banner_openssh_version(const char *software, int *major, int *minor);

#endif
