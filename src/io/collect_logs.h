/*
 * io/collect_logs.h — the I/O edge of the log layer: finds sshd's and the ban tools' logs,
 * reads them (plain, gzip-rotated, the systemd journal) and feeds a struct log_summary
 * (logs/summary.h).  Read-only; memory stays bounded whatever the size of the logs (a 2 MiB
 * mapped window or a 128 KiB buffer per file, the summary's own bounds).
 *
 * What is read:
 *   - explicit files (`sshdiag logs FILE…`, `sshdiag server --log FILE`): those files, from
 *     this host, in the order given; gzip is recognised by its magic bytes;
 *   - explicit journal (`--journal`: the system's journal, or the tree's with --root, opened
 *     with SD_JOURNAL_OS_ROOT; `--journal=DIR`: that directory on this host);
 *   - otherwise, when `discover` is set, inside the root: the running sshd's -E FILE (live
 *     mode: the listeners' command lines in /proc), the files syslog sends sshd's facility to
 *     (rsyslog.conf and the .conf files in rsyslog.d, then syslog.conf; /var/log/auth.log and
 *     /var/log/secure when there is no such configuration), `more_files` (fail2ban's log),
 *     each with its rotations oldest first (FILE.N.gz … FILE.1, FILE-YYYYMMDD[.gz], FILE),
 *     and the journal when /var/log/journal or /run/log/journal exists.
 * The journal is filtered on SYSLOG_IDENTIFIER (sshd, sshd-session, sshd-auth, fail2ban,
 * fail2ban-server, sshguard) or _COMM (sshd, sshd-session), and sought to --since.
 *
 * Files are opened inside the root like io/rootfs.h does (openat2 RESOLVE_IN_ROOT, no FIFOs,
 * regular files only); plain files of 1 MiB or more are read through 2 MiB mmap windows (no
 * copy; a file that shrinks meanwhile is reported partial, not a SIGBUS), the rest with
 * read(2); a file that cannot be read is recorded in the summary as unreadable with the
 * reason (and "run as root" for EACCES).
 */
#ifndef SSHDIAG_IO_COLLECT_LOGS_H
#define SSHDIAG_IO_COLLECT_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "io/rootfs.h"
#include "logs/summary.h"

/*
 * A bundle (io/bundle.h) unpacked as a tree: BUNDLE_LOGS_FILE lists the logs the bundle was
 * told to take (`bundle --log FILE`, as given): discovery then reads exactly those, inside
 * the tree, like `server --log FILE` live.  BUNDLE_JOURNAL_FILE is the journal window, one
 * entry per line: "USEC<TAB>IDENT<TAB>PID<TAB>HOST<TAB>MESSAGE" (tabs and line breaks in the
 * fields become spaces), read as the source "journal" in place of the journal files.
 */
#define BUNDLE_LOGS_FILE    "/sshdiag/logs.txt"
#define BUNDLE_JOURNAL_FILE "/sshdiag/journal.tsv"
#define BUNDLE_JOURNAL_MAX  (64u << 20)
/*
 * An sosreport's whole journal (its logs plugin runs `journalctl --no-pager`, short output:
 * syslog lines), read in place of the journal files when the tree has neither.
 */
#define SOS_JOURNAL_FILE "/sos_commands/logs/journalctl_--no-pager"

struct collect_logs_opts {
	const char *const *files; /* explicit files on this host */
	size_t nfiles;
	int journal;               /* read the journal */
	const char *journal_dir;   /* a journal directory on this host, NULL: the system's/tree's */
	int discover;              /* find the logs (used when no file and no journal is named) */
	const char *sshd_log_file; /* the daemon's -E FILE as seen on the diagnosed system, NULL:
	                              look in /proc (live mode) */
	const char *facility;      /* sshd's SyslogFacility, NULL: AUTH */
	const char *const *more_files; /* e.g. fail2ban's log, as seen (with rotations) */
	size_t nmore;
	uint64_t max_bytes; /* per source, 0: no limit */
};

/* The time now and this host's offset from UTC (for --root: the host's, not the tree's). */
void collect_logs_clock(struct log_clock *clk);

/*
 * Feeds every log found into s (initialised by the caller; finished by the caller).  SD_OK
 * or SD_ERR_ALLOC: sources that cannot be read are recorded in s, not returned.
 */
int collect_logs(const struct rootfs *fs, const struct collect_logs_opts *o, struct log_summary *s);

/*
 * The names in directory `dir` (inside fs) that start with `prefix` and end with `suffix`
 * (either may be ""), sorted bytewise; at most `max`.  The caller frees each name and the
 * array.  SD_OK (also when the directory does not exist: no names) or SD_ERR_ALLOC.
 */
int collect_list_dir(const struct rootfs *fs, const char *dir, const char *prefix,
                     const char *suffix, size_t max, char ***names, size_t *n);

/*
 * The journal entries the server side reads (the identifiers above) from `since_usec` on (0:
 * all), as BUNDLE_JOURNAL_FILE lines appended to `out`, stopping after `max_bytes`.  *why says
 * what was missed (NULL: nothing).  SD_OK or SD_ERR_ALLOC.
 */
int collect_logs_journal_export(int64_t since_usec, size_t max_bytes, struct buf *out,
                                unsigned long *nrec, const char **why);

/* Streams one file (inside fs, or on this host when fs is NULL) into s as a new source. */
int collect_logs_file(const struct rootfs *fs, const char *path, const char *name,
                      uint64_t max_bytes, int bare, struct log_summary *s);

#endif
