/*
 * sshd/lex.h — the lexical layer of sshd_config, ported from OpenSSH's servconf.c and misc.c
 * so that we read a line exactly as sshd does, oddities included.
 *
 *   - a file becomes a buffer of lines the way load_server_config() builds it: leading
 *     spaces, tabs and CRs of every line are dropped, a line is cut at an embedded NUL (and
 *     then loses its newline, so it joins the next one), there is no line continuation;
 *   - a line's keyword is taken with strdelim(): whitespace, a double-quoted word, and one
 *     '=' separate it from the arguments ("Port=22", "Port = 22");
 *   - arguments are split with argv_split(): whitespace separated, '…' and "…" quoting,
 *     \\ \" \' and (outside quotes) "\ " escapes, a word starting with '#' ends the line.
 *
 * Numbers follow OpenSSH's strtonum() (strtoll, so "+22" is 22), times its convtime() (which
 * changed in 9.8: before, strtol accepted a sign; from 9.8, digits only).  Everything here
 * is pure and allocates only through struct buf or the returned vectors.
 */
#ifndef SSHDIAG_SSHD_LEX_H
#define SSHDIAG_SSHD_LEX_H

#include <stddef.h>

#include "base/buf.h"

/* A split argument list: v[n] is NULL (v itself is NULL when n is 0).  Owns its strings. */
struct sshd_argv {
	char **v;
	int n;
};

/*
 * Appends to `out` the configuration buffer sshd builds from the file bytes `data`
 * (load_server_config()): one '\n'-terminated line per input line, as described above.
 */
int sshd_lex_load(const void *data, size_t len, struct buf *out);

/*
 * strdelim(): returns the next token of *s and advances *s (NULL when the line is used up).
 * Modifies the string in place.  Returns NULL for an unterminated quote.
 */
char *sshd_strdelim(char **s);

/*
 * argv_split(s, terminate_on_comment = 1).  SD_OK, SD_ERR_INVALID for an unterminated quote,
 * SD_ERR_ALLOC.  On success `out` must be freed with sshd_argv_free().
 */
int sshd_argv_split(const char *s, struct sshd_argv *out);
void sshd_argv_free(struct sshd_argv *a);

/* OpenSSH's strtonum(): 0 and *out on success, -1 if invalid or out of [min, max]. */
int sshd_strtonum(const char *s, long long min, long long max, long long *out);

/* atoi_err(): a number in [0, INT_MAX]; 0 on success. */
int sshd_atoi(const char *s, int *out);

/*
 * convtime(): "90", "90s", "1h30m", … in seconds, or -1.  `version` is major*100+minor:
 * before 9.8 each number goes through strtol (leading space and a sign accepted).
 */
int sshd_convtime(const char *s, int version);

/*
 * a2port(): 0..65535 or -1.  sshd falls back to getservbyname(3); the pure layer knows only
 * "ssh" (22) and says -1 for other service names.
 */
int sshd_a2port(const char *s);

/* hpdelim(): splits "host:port" / "[v6]:port" in place; see OpenSSH misc.c. */
char *sshd_hpdelim(char **cp);
/* cleanhostname(): strips one pair of enclosing brackets, in place. */
char *sshd_cleanhostname(char *host);

/* OpenSSH's scan_scaled() for RekeyLimit ("1G", "512K", "1.5M"); 0 or -1. */
int sshd_scan_scaled(const char *s, long long *out);

#endif
