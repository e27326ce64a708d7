/*
 * io/collect_sshd.h — the I/O edge of the sshd layers: everything sshdiag needs to know
 * about the diagnosed sshd, read from the live system (/proc, the files the daemon uses,
 * `sshd -t`) or from a copied tree (--root), and handed to the pure layer as a
 * struct sshd_inputs (sshd/layers.h).
 *
 * Live mode:
 *   - the running listeners: /proc/PID/exe whose name is "sshd" and whose title says
 *     "[listener]" (or whose parent is not an sshd), in this network namespace only;
 *     their command line (the title "sshd: /usr/sbin/sshd -D -f FILE [listener] N of B-F
 *     startups" keeps it) gives -f, -o, -p; /proc/PID/cwd the directory for relative paths;
 *     the binary behind /proc/PID/exe (even deleted) its version;
 *   - the listening sockets: /proc/net/tcp and tcp6 (parsed by sshd/proctcp.h), their owners
 *     through /proc/PID/fd; the pre-auth children and their client addresses;
 *   - `sshd -t -f FILE` with the system's own binary only (the one the daemon runs, if it is
 *     still the file on disk), never in --root mode.
 * Root mode reads /etc/ssh/sshd_config, the systemd unit and /etc/default/ssh, and the
 * binaries' version strings, all inside the tree; sockets and processes are unknown there.
 *
 * Every file read goes through io/rootfs.h (or, for the tree's directories, the same
 * RESOLVE_IN_ROOT rule), so --root never reads outside the tree.
 */
#ifndef SSHDIAG_IO_COLLECT_SSHD_H
#define SSHDIAG_IO_COLLECT_SSHD_H

/*
 * A bundle (`sshdiag bundle`, io/bundle.h) unpacked as a tree carries what a copied tree
 * lacks, and --root reads it as the live run would have seen it:
 *   - /proc/net/tcp, /proc/net/tcp6, /proc/self/ns/net and, for the sshd processes, their
 *     parents and the owners of sockets on listening ports, /proc/PID/{comm,cmdline,stat}
 *     and the links exe, cwd, ns/net, fd/N: the listeners and sockets, as live;
 *   - BUNDLE_STAT_FILE: each file's type, mode and owner on the host (host keys included,
 *     whose private part is never copied);
 *   - BUNDLE_SSHD_T_FILE: the `sshd -t` run the live mode makes;
 *   - BUNDLE_HIDDEN_FILE: the processes the live scan could not look into.
 */
#define BUNDLE_STAT_FILE   "/sshdiag/stat.tsv"
#define BUNDLE_SSHD_T_FILE "/sshdiag/sshd-t.txt"
/* How many processes the live scan could not look into (their /proc/PID/exe was denied). */
#define BUNDLE_HIDDEN_FILE "/sshdiag/procs-hidden.txt"

#include <stddef.h>

#include "io/rootfs.h"
#include "sshd/config.h"
#include "sshd/layers.h"

/* A struct sshd_loader reading files and expanding globs inside fs (which must outlive it). */
void collect_sshd_loader(const struct rootfs *fs, struct sshd_loader *ld);

/*
 * glob(3) with no flags, inside the root: `pattern` absolute, '*', '?', '[...]' and '\'
 * escapes per component, a leading '.' only matched explicitly; results in byte order
 * (sshd never calls setlocale).  SD_OK, SD_ERR_NOT_FOUND (nothing matched), SD_ERR_ALLOC.
 * The caller frees each path and the array.
 */
int collect_sshd_glob(const struct rootfs *fs, const char *pattern, char ***paths, size_t *npaths);

struct collect_sshd_opts {
	unsigned port;           /* the port asked about */
	const char *config_file; /* use this configuration file instead of the daemon's */
	const char *user;        /* the login name (its groups are looked up for Match Group) */
	int run_sshd_t;          /* live mode: run `sshd -t` (1 by default in the CLI) */
};

/*
 * Fills `in` (initialised by the call).  Never fails for an unreadable part: that part is
 * marked unreadable with a note.  SD_OK or SD_ERR_ALLOC; release `in` with
 * collect_sshd_release() in both cases.
 */
int collect_sshd(const struct rootfs *fs, const struct collect_sshd_opts *opts,
                 struct sshd_inputs *in);
void collect_sshd_release(struct sshd_inputs *in);

#endif
