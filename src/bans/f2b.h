/*
 * bans/f2b.h — fail2ban's state as far as one jail and one client go: the jail's settings
 * (from the merged configuration, bans/f2b_conf.h), the rows of its database, and what the
 * running server says over its socket (the text of `fail2ban-client status JAIL` and
 * `fail2ban-client get JAIL banip --with-time`).
 *
 * Database (server/database.py, schema version 4): `bans` holds one row per ban (history),
 * `bips` the latest ban per (ip, jail), which fail2ban restores when it starts.  A ban ends at
 * timeofban + bantime; bantime -1 (any negative) is permanent.  With bantime.increment the
 * stored bantime is the increased one and bancount counts the bans.  `data` is JSON:
 *
 *	{"matches": [["", "Nov 24 03:50:23", " lab sshd[25115]: Invalid user …"],
 *	             "Nov 24 03:50:23 lab sshd[25176]: Invalid user …"],
 *	 "failures": 2, …}
 *
 * (a match is a line, or a list of fragments to join), at most the last 10 (maxmatches).
 */
#ifndef SSHDIAG_BANS_F2B_H
#define SSHDIAG_BANS_F2B_H

#include <stddef.h>
#include <stdint.h>

#include "bans/f2b_conf.h"
#include "core/conn.h"
#include "logs/time.h"

#define F2B_DEFAULT_JAIL   "sshd"
#define F2B_DEFAULT_DBFILE "/var/lib/fail2ban/fail2ban.sqlite3"
#define F2B_DEFAULT_SOCKET "/var/run/fail2ban/fail2ban.sock"
#define F2B_DEFAULT_LOG    "/var/log/fail2ban.log"
#define F2B_MAX_MATCHES    64

/* Where a setting was written: file (as seen) and line; file NULL for fail2ban's default. */
struct f2b_origin {
	const char *file;
	unsigned line;
};

struct f2b_jail {
	char *name;
	int exists;                  /* a [name] section exists */
	int enabled;                 /* enabled = true (jail.conf's [DEFAULT] has false) */
	long long bantime, findtime; /* seconds; bantime < 0: permanent */
	long maxretry;
	char *ignoreip;  /* as configured, "" when none */
	char *banaction; /* e.g. "iptables-multiport", "nftables[type=multiport]" */
	char *action;    /* the expanded action line(s) */
	char *logpath;
	char *backend;
	char *mode;
	int increment; /* bantime.increment */
	char *factor, *formula, *multipliers;
	long long maxtime, rndtime; /* -1: not set */
	int overalljails;
	struct f2b_origin o_enabled, o_bantime, o_findtime, o_maxretry, o_ignoreip, o_banaction,
	    o_increment;
};

/* Reads [name] (with [DEFAULT] and fail2ban's built-in defaults).  SD_OK or SD_ERR_ALLOC. */
int f2b_jail_read(const struct f2b_conf *jail_conf, const char *name, struct f2b_jail *out);
void f2b_jail_release(struct f2b_jail *j);

/* fail2ban.conf's [Definition]: where the database, the socket and the log are. */
struct f2b_server {
	char *dbfile; /* ":memory:" or "None" mean no database */
	char *socket;
	char *logtarget; /* a path, or SYSLOG / SYSTEMD-JOURNAL / STDOUT / STDERR */
	long long dbpurgeage;
	struct f2b_origin o_dbfile;
};

int f2b_server_read(const struct f2b_conf *conf, struct f2b_server *out);
void f2b_server_release(struct f2b_server *s);

/* One row of `bans` or `bips`. */
struct f2b_ban {
	char jail[64];
	char ip[64];
	long long timeofban; /* seconds since the epoch */
	long long bantime;   /* seconds; negative: permanent */
	long long bancount;
	char *data; /* JSON text or NULL (owned by whoever filled the row) */
};

/* 1 while the ban runs at `now` (seconds since the epoch). */
int f2b_ban_active(const struct f2b_ban *b, long long now);

/*
 * The stored matches of a ban (joined), at most F2B_MAX_MATCHES; *lines is an array of
 * malloc'd strings (free with f2b_matches_free).  `failures` gets data.failures or -1.
 * SD_OK (also for NULL or unparsable data: no lines), SD_ERR_ALLOC.
 */
int f2b_ban_matches(const char *data, char ***lines, size_t *n, long long *failures);
void f2b_matches_free(char **lines, size_t n);

/*
 * Does `ignoreip` (addresses, CIDR, host names, separated by blanks or commas) cover a?
 * 1 yes (the entry into `entry`), 0 no.  *names is set when the list holds host names (not
 * resolved here).
 */
int f2b_ignoreip_match(const char *ignoreip, const struct ip_addr *a, char *entry, size_t len,
                       int *names);

/*
 * The duration fail2ban gives the next ban of an address that was banned `count` times
 * (bantime.increment; default formula bantime * 2^min(count,20) * factor, or multipliers),
 * capped by maxtime, without rndtime.  -2 when a custom formula makes it unknowable; the
 * plain bantime when increment is off.
 */
long long f2b_next_bantime(const struct f2b_jail *j, long long count);

/*
 * What the client's connect() gets while banned, from the ban action: "Connection refused"
 * (iptables/nftables REJECT, the defaults), "Connection timed out" (DROP, route
 * blackhole), or "reset" for the hostsdeny action (libwrap: a reset after the banner wait).
 */
const char *f2b_client_sees(const struct f2b_jail *j);

/* `fail2ban-client status JAIL` */
struct f2b_status {
	int valid; /* "Status for the jail: JAIL" seen */
	long currently_failed, total_failed, currently_banned, total_banned;
	char *banned; /* the "Banned IP list" value, "" when empty */
};

int f2b_status_parse(const char *text, size_t len, struct f2b_status *out);
void f2b_status_release(struct f2b_status *st);
/* 1 if ip is in the banned list. */
int f2b_status_lists(const struct f2b_status *st, const char *ip);

/* A line of `fail2ban-client get JAIL banip --with-time` for one address. */
struct f2b_banip {
	int64_t start, end; /* microseconds since the epoch (local times read with clk's offset) */
	long long bantime;
};

/* SD_OK when the text has a line for ip, SD_ERR_NOT_FOUND otherwise. */
int f2b_banip_find(const char *text, size_t len, const char *ip, const struct log_clock *clk,
                   struct f2b_banip *out);

#endif
