/*
 * bans/layer.h — the `bans` layer of `sshdiag server`: is the client banned by fail2ban,
 * sshguard or DenyHosts, since when, until when, why, and how to get out.
 *
 * The edge (io/collect_bans.h) fills struct bans_inputs — fail2ban's merged configuration,
 * the rows of its database for the client, what the running server says, sshguard's
 * configuration and blocklist, DenyHosts' configuration, hosts.deny and work files — and this
 * pure function does the rest:
 *
 *	bans_layer_evaluate(&inputs, &conn, &diagnosis);
 *
 * Call it after the firewall layer (and the TCP wrappers layer): a ban is only enforced by
 * the rule a tool put into the firewall or hosts.deny, so the finding cites the firewall
 * finding whose owner is the tool ("owner: fail2ban jail sshd (chain f2b-sshd)", firewall/
 * owner.h) and says so when none exists.
 *
 * Findings (with a client):
 *   fail2ban_ban     blocker while the ban runs and the running server or the firewall
 *                    confirms it (a risk when only the database says so: fail2ban restores it
 *                    when it starts); summary: jail, start, end (bantime.increment aware),
 *                    ban count, failures; evidence: the jail settings with file:line, the
 *                    database row, the matches fail2ban stored, the log lines of the failures
 *                    and of the ban, the firewall rule, the server's answer; fixes:
 *                    `fail2ban-client set JAIL unbanip ADDR`, `ignoreip = …` in jail.local.
 *                    Info: earlier bans; failures that will ban the client if more follow.
 *   sshguard_ban     the client in sshguard's blocklist, in the firewall objects sshguard
 *                    owns, or in a recent "Blocking" line; fixes by backend.
 *   denyhosts_entry  a hosts.deny line naming the client (with DenyHosts' comment, or
 *                    DenyHosts configured); blocker when the TCP wrappers layer found the line
 *                    denying, info when it found nothing (no libwrap, or an allow wins);
 *                    evidence: the lines, the work-file counters, the failures before it;
 *                    fixes: the line to delete, the work files to clean, allowed-hosts.
 * Without a client: one info finding per tool listing what it bans now.
 *
 * Status: not_applicable when no ban tool is installed; unreadable when a tool's state could
 * not be read and nothing blocks the client (note: what would make it readable); evaluated.
 */
#ifndef SSHDIAG_BANS_LAYER_H
#define SSHDIAG_BANS_LAYER_H

#include <stddef.h>

#include "bans/f2b.h"
#include "bans/f2b_conf.h"
#include "core/conn.h"
#include "core/diagnosis.h"
#include "logs/summary.h"

enum bans_state {
	BANS_ABSENT,     /* not installed / no such file */
	BANS_PRESENT,    /* read */
	BANS_UNREADABLE, /* there, but could not be read: see why */
};

/* A file the layer reads, as seen on the diagnosed system. */
struct bans_text {
	enum bans_state state;
	const char *path;
	const char *data; /* PRESENT: the bytes (borrowed) */
	size_t len;
	const char *why; /* UNREADABLE */
};

struct f2b_inputs {
	enum bans_state state; /* ABSENT: no fail2ban configuration directory */
	const char *confdir;   /* "/etc/fail2ban" as seen */
	const char *why;
	const struct f2b_conf *jail_conf;   /* jail.conf, jail.d, jail.local … merged */
	const struct f2b_conf *server_conf; /* fail2ban.conf … merged */
	const char *jail;                   /* NULL: "sshd" */

	enum bans_state db_state; /* ABSENT: no database file (or dbfile = :memory:/None) */
	const char *db_path;
	const char *db_why;
	const struct f2b_ban *bans; /* `bans` rows: every row of the client, or with no client the
	                               active rows of every address */
	size_t nbans;
	const struct f2b_ban *bips; /* `bips` rows, same selection */
	size_t nbips;
	int db_jail_enabled; /* jails.enabled for the jail, -1 unknown */

	int running;             /* 1 the server answered, 0 no server, -1 not asked (--root) */
	const char *status_text; /* `fail2ban-client status JAIL`, NULL */
	const char *banip_text;  /* `fail2ban-client get JAIL banip --with-time`, NULL */
	const char *live_why;    /* why the server was not asked or did not answer */
};

struct sshguard_inputs {
	enum bans_state state; /* ABSENT: no sshguard.conf and no sshguard binary */
	struct bans_text conf;
	struct bans_text blacklist; /* BLACKLIST_FILE */
	struct bans_text whitelist; /* WHITELIST_FILE */
	int running;                /* 1, 0, -1 unknown */
};

#define BANS_DH_WORK_MAX 8

struct denyhosts_inputs {
	enum bans_state state; /* ABSENT: no denyhosts.conf and no "# DenyHosts:" in hosts.deny */
	struct bans_text conf;
	struct bans_text hosts_deny;
	struct bans_text work[BANS_DH_WORK_MAX]; /* path = WORK_DIR/hosts, … */
	size_t nwork;
	int libwrap; /* the sshd in use links libwrap: 1, 0, -1 unknown */
};

struct bans_inputs {
	struct f2b_inputs f2b;
	struct sshguard_inputs sg;
	struct denyhosts_inputs dh;
	const struct log_summary *logs; /* finished summary with the client as focus, NULL */
	struct log_clock clock;
	const char *remedy; /* what makes unreadable parts readable ("run as root"), NULL */
};

/* Evaluates the layer for c into d.  SD_OK or SD_ERR_ALLOC. */
int bans_layer_evaluate(const struct bans_inputs *in, const struct conn_spec *c,
                        struct diagnosis *d);

#endif
