/*
 * bundle/records.h — the records a bundle keeps under /sshdiag, parsed from their bytes
 * (pure; the collectors in io/ read the files and call these).  The bytes come from a tree
 * someone sent: every parser is bounded by the length given and never reads past it.
 *
 *   stat.tsv       "TYPE MODE UID GID PATH" per line (TYPE f, d or o; MODE octal)
 *   sshd-t.txt     "command: CMD", "exit: N", an empty line, then sshd -t's stderr
 *   *.tsv          tab-separated fields per line (firewall-failed.tsv, firewall-iif.tsv)
 *   journal.tsv    "USEC<TAB>IDENT<TAB>PID<TAB>HOST<TAB>MESSAGE" per line
 */
#ifndef SSHDIAG_BUNDLE_RECORDS_H
#define SSHDIAG_BUNDLE_RECORDS_H

#include <stddef.h>

#include "logs/summary.h"

struct bundle_stat {
	char type; /* 'f', 'd' or 'o' */
	unsigned mode, uid, gid;
};

/* The first stat.tsv line for exactly `path`: 1 (and *out), or 0. */
int bundle_stat_find(const char *data, size_t len, const char *path, struct bundle_stat *out);

struct bundle_sshd_t {
	const char *cmd; /* into the data */
	size_t cmd_len;
	int status;      /* exit status, -1: killed */
	const char *out; /* sshd -t's stderr */
	size_t out_len;
};

/* SD_OK, or SD_ERR_INVALID when the bytes are not such a record. */
int bundle_sshd_t_parse(const char *data, size_t len, struct bundle_sshd_t *t);

/*
 * The line at *pos (advanced past it) of data[0..len): its start and length without the
 * newline; 0 when no line is left.
 */
int bundle_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *llen);

/* Splits a line at tabs into at most `max` fields (the last keeps any further tabs). */
size_t bundle_tsv_split(const char *line, size_t len, const char **f, size_t *fl, size_t max);

/* A journal.tsv line as a record pointing into it: SD_OK or SD_ERR_INVALID. */
int bundle_journal_line(const char *line, size_t len, struct log_record *rec);

#endif
