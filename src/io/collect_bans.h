/*
 * io/collect_bans.h — gathers the bans layer's inputs (bans/layer.h), read-only.
 *
 * fail2ban: the configuration directory is the running server's -c (live mode: the
 * fail2ban-server process in /proc), else /etc/fail2ban; jail.* and fail2ban.* are read as
 * fail2ban reads them (name.conf, name.d/NAME.conf, name.local, name.d/NAME.local, each with
 * its [INCLUDES] before/after, recursively, at most F2B_MAX_INCLUDES deep) through
 * io/rootfs.h.  The database (fail2ban.conf's dbfile) is read whole (at most
 * COLLECT_BANS_DB_MAX bytes) and opened in memory with sqlite3_deserialize(…, READONLY): no
 * lock is taken on fail2ban's file and nothing can be written.  With a client, every row of
 * `bans` and `bips` for it; without, the active rows.  Live mode also asks the running
 * server, through `fail2ban-client -s SOCKET status JAIL` and `… get JAIL banip
 * --with-time` (read-only commands, io/proc.h, with a timeout).
 *
 * sshguard: /etc/sshguard/sshguard.conf or /etc/sshguard.conf, its BLACKLIST_FILE and
 * WHITELIST_FILE; running = a process named sshguard (live).  DenyHosts: /etc/denyhosts.conf,
 * its HOSTS_DENY (default /etc/hosts.deny) and the work files in WORK_DIR.
 *
 * Nothing here fails because something is missing or unreadable: each part records its state
 * and why.
 */
#ifndef SSHDIAG_IO_COLLECT_BANS_H
#define SSHDIAG_IO_COLLECT_BANS_H

/*
 * A bundle (io/bundle.h) records what the live mode asks fail2ban-server: the output of
 * `status JAIL` and `get JAIL banip --with-time`, or why they could not be asked; under
 * --root, with the bundle's /proc snapshot, they are read back as the live answers.
 */
#define BUNDLE_F2B_STATUS_FILE "/sshdiag/fail2ban-client-status.txt"
#define BUNDLE_F2B_BANIP_FILE  "/sshdiag/fail2ban-client-banip.txt"
#define BUNDLE_F2B_WHY_FILE    "/sshdiag/fail2ban-client-why.txt"

#include "bans/f2b.h"
#include "bans/f2b_conf.h"
#include "bans/layer.h"
#include "base/buf.h"
#include "core/conn.h"
#include "io/rootfs.h"

#define COLLECT_BANS_DB_MAX   (256u << 20)
#define COLLECT_BANS_ROWS_MAX 100000
#define COLLECT_BANS_FILE_MAX (4u << 20)

struct collect_bans_opts {
	const char *f2b_confdir;      /* NULL: the running server's -c, else /etc/fail2ban */
	const char *f2b_socket;       /* NULL: the running server's -s, else fail2ban.conf's */
	const char *jail;             /* NULL: "sshd" */
	const struct ip_addr *client; /* NULL or family 0: every active ban */
	int ask_server;               /* live mode: run fail2ban-client (read-only) */
	int ask_banip;                /* also `get JAIL banip --with-time` without a client */
	unsigned timeout_ms;          /* per command; 0: 10 s */
};

/* Owns everything `in` points at. */
struct collected_bans {
	struct bans_inputs in;
	struct f2b_conf jail_conf, server_conf;
	struct f2b_server server;
	struct f2b_ban *bans, *bips;
	size_t nbans, nbips;
	char *strs[24];
	unsigned nstrs;
	struct buf files[8 + BANS_DH_WORK_MAX];
	unsigned nfiles;
	char *f2b_log; /* fail2ban's log file as seen (logtarget), NULL when it logs elsewhere */
};

/* Fills *out (release it with collected_bans_release(), also after an error).  SD_OK or
 * SD_ERR_ALLOC. */
int collect_bans(const struct rootfs *fs, const struct collect_bans_opts *o,
                 struct collected_bans *out);
void collected_bans_release(struct collected_bans *c);

#endif
