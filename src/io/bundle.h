/*
 * io/bundle.h — `sshdiag bundle`: everything the server side reads, in one tar.gz, so that
 * `sshdiag server --root <unpacked bundle>` gives the diagnosis the live run gives.
 *
 * Files sit at their paths on the host ("etc/ssh/sshd_config" in the archive), so evidence
 * cites the same sources.  What a copied tree lacks goes under /sshdiag (read back by the
 * collectors under --root, see io/collect_*.h): ruleset captures (collect_firewall.h),
 * sshd -t and the stat table (collect_sshd.h), fail2ban-client answers (collect_bans.h),
 * the list of explicit logs and the journal window (collect_logs.h), and a /proc snapshot
 * (the sshd, fail2ban-server and sshguard processes, their parents, the owners of sockets on
 * listening ports, /proc/net/tcp{,6}).  /sshdiag/manifest.json lists every member (path,
 * origin, size, sha256, redactions), every command and its outcome, what was skipped and
 * why, and the host keys (existence, mode, owner; the public part is copied, the private
 * part never: bundle/redact.h).
 *
 * Read-only: the only thing written is the output.  Bounded: logs keep their last
 * `log_max` bytes (from a line start), the journal the last `journal_hours`, any other file
 * at most BUNDLE_FILE_MAX bytes.
 */
#ifndef SSHDIAG_IO_BUNDLE_H
#define SSHDIAG_IO_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BUNDLE_FILE_MAX  (64u << 20)
#define BUNDLE_LOG_MAX   (16u << 20)
#define BUNDLE_JOURNAL_H 48u
#define BUNDLE_MANIFEST  "/sshdiag/manifest.json"

struct bundle_opts {
	const char *root;        /* NULL: this host (live); else a copied tree */
	const char *const *logs; /* explicit logs (as `server --log`), NULL */
	size_t nlogs;
	unsigned port;          /* the SSH port (0: 22) */
	const char *client;     /* NULL, or a client address: its route's interface too */
	uint64_t log_max;       /* bytes kept per log (0: BUNDLE_LOG_MAX) */
	unsigned journal_hours; /* 0: BUNDLE_JOURNAL_H */
};

/*
 * Writes the tar.gz to `fd` (not closed).  Problems with single parts go to the manifest;
 * SD_OK, or SD_ERR_* when the root cannot be opened, memory runs out or writing fails
 * (`why` then says what, if not NULL).
 */
int bundle_write(const struct bundle_opts *o, int fd, char *why, size_t whylen);

/* As bundle_write(); also hands over a copy of the manifest (JSON, malloc'd) when not NULL. */
int bundle_write_manifest(const struct bundle_opts *o, int fd, char *why, size_t whylen,
                          char **manifest_out);

#endif
