/*
 * logs/line.h — one log line in, one classified event out: the sshd, fail2ban and sshguard
 * messages that explain a failure before authentication, as OpenSSH 7.x–10.x, fail2ban
 * 0.10–1.1 and sshguard 2.x word them.
 *
 * A line is "prefix message".  The prefix is recognised in these forms:
 *
 *	Nov 24 03:50:23 host sshd[25115]: Invalid user labuser from 192.0.2.10 port 38276
 *	2026-11-24T03:50:23.123456+00:00 host sshd-session[27588]: Connection closed by ...
 *	2026-11-24 03:50:24,459 fail2ban.actions        [24878]: NOTICE  [sshd] Ban 192.0.2.10
 *
 * (rsyslog's traditional and high-precision formats, journalctl -o short/short-iso, and
 * fail2ban's own log file).  Lines of other programs are rejected after a look at the program
 * tag, before any other work — most lines of a busy auth.log cost a handful of comparisons.
 * A line without a recognisable prefix is read as a bare message of an unknown program (sshd
 * -E FILE writes bare messages).
 *
 * sshd's message is then matched against the wordings of every version (see the table in
 * docs/logs.md and the corpus in tests/logs/corpus/): a level prefix ("error: ", "fatal: ",
 * "debug1: ") and the " [preauth]" suffix are noted and removed, the first character picks a
 * handful of candidate texts, and the client address, port, user and the number or reason the
 * line carries are taken from it.  Nothing is allocated; spans point into the line.
 *
 * Addresses: sshd prints numeric addresses unless UseDNS is on; a host name leaves the event
 * without an address (family 0).  IPv4-mapped IPv6 addresses become IPv4.
 */
#ifndef SSHDIAG_LOGS_LINE_H
#define SSHDIAG_LOGS_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/conn.h"
#include "logs/time.h"

/* Flags of a class. */
#define LCF_ADDR      0x01 /* the line names the client */
#define LCF_PID       0x02 /* no address: attributed to the client a later line of the process names */
#define LCF_GLOBAL    0x04 /* about the daemon, not one client */
#define LCF_F2B       0x08 /* counted as a failure by fail2ban's stock sshd filter (mode normal) */
#define LCF_ADMISSION 0x10 /* sshd refused the connection before its banner */
#define LCF_BAN       0x20 /* a ban tool's own line */

/*
 * The classes: id, JSON name, what a count of them is called, flags.  The JSON names are a
 * contract (`sshdiag logs --json`, the corpus files): add at the end of a group, never rename.
 */
#define LOG_CLASSES(X)                                                                             \
	X(LC_NONE, "none", "other lines", 0)                                                       \
	/* the listener (sshd): admission control and its own state */                             \
	X(LC_MAXSTARTUPS_DROP, "maxstartups_drop", "MaxStartups drops", LCF_ADDR | LCF_ADMISSION)  \
	X(LC_PENALTY_DROP, "penalty_drop", "PerSourcePenalties drops", LCF_ADDR | LCF_ADMISSION)   \
	X(LC_THROTTLE_BEGIN, "maxstartups_throttling_begin", "MaxStartups throttling starts",      \
	  LCF_GLOBAL)                                                                              \
	X(LC_THROTTLE_STATUS, "maxstartups_throttling", "MaxStartups throttling reports",          \
	  LCF_GLOBAL)                                                                              \
	X(LC_DROPS_RATELIMITED, "drops_rate_limited", "rate-limited drop reports", LCF_GLOBAL)     \
	X(LC_PENALTY, "penalty", "penalties recorded", LCF_ADDR)                                   \
	X(LC_PENALTY_TABLE_FULL, "penalty_table_full", "penalty table overflows", LCF_ADDR)        \
	X(LC_GRACE_TIMEOUT, "login_grace_timeout", "LoginGraceTime expiries", LCF_ADDR)            \
	X(LC_SESSION_CRASH, "session_crash", "crashed session processes", LCF_ADDR)                \
	X(LC_LISTENER_ERROR, "listener_error", "listener errors", LCF_GLOBAL)                      \
	X(LC_SSHD_START, "sshd_start", "sshd starts", LCF_GLOBAL)                                  \
	X(LC_SSHD_STOP, "sshd_stop", "sshd stops and reloads", LCF_GLOBAL)                         \
	X(LC_SSHD_FATAL, "sshd_fatal", "fatal sshd errors", LCF_GLOBAL | LCF_PID)                  \
	/* one connection, before the banner exchange completes */                                 \
	X(LC_LIBWRAP_REFUSED, "libwrap_refused", "TCP wrappers refusals",                          \
	  LCF_ADDR | LCF_F2B | LCF_ADMISSION)                                                      \
	X(LC_CONNECTION, "connection", "connections", LCF_ADDR)                                    \
	X(LC_NO_IDENT, "no_identification", "connections without an identification string",        \
	  LCF_ADDR)                                                                                \
	X(LC_BAD_IDENT, "bad_identification", "invalid identification strings",                    \
	  LCF_ADDR | LCF_PID)                                                                      \
	X(LC_KEX_CLOSED, "banner_exchange_closed", "banner exchanges closed by the client",        \
	  LCF_PID)                                                                                 \
	X(LC_KEX_RESET, "banner_exchange_reset", "banner exchanges reset", LCF_PID)                \
	X(LC_CONN_CLOSED, "connection_closed", "connections closed", LCF_ADDR)                     \
	X(LC_CONN_RESET, "connection_reset", "connections reset", LCF_ADDR | LCF_PID)              \
	X(LC_DISCONNECTED, "disconnected", "disconnects", LCF_ADDR | LCF_PID)                      \
	X(LC_NEGOTIATION_FAILED, "algorithm_mismatch", "algorithm negotiation failures", LCF_ADDR) \
	X(LC_PROTOCOL_ERROR, "protocol_error", "protocol errors", LCF_ADDR | LCF_PID)              \
	/* authentication (what fail2ban counts) */                                                \
	X(LC_INVALID_USER, "invalid_user", "invalid users", LCF_ADDR | LCF_PID | LCF_F2B)          \
	X(LC_AUTH_FAILED, "auth_failed", "failed authentications", LCF_ADDR | LCF_F2B)             \
	X(LC_MAX_AUTH_TRIES, "max_auth_tries", "too many authentication failures",                 \
	  LCF_ADDR | LCF_PID | LCF_F2B)                                                            \
	X(LC_USER_NOT_ALLOWED, "user_not_allowed", "users not allowed", LCF_ADDR | LCF_F2B)        \
	X(LC_REFUSE_CONNECTION, "refuse_connection", "RefuseConnection refusals", LCF_ADDR)        \
	X(LC_ACCEPTED, "accepted", "successful logins", LCF_ADDR)                                  \
	/* ban tools */                                                                            \
	X(LC_F2B_FOUND, "fail2ban_found", "fail2ban failures found", LCF_ADDR | LCF_BAN)           \
	X(LC_F2B_BAN, "fail2ban_ban", "fail2ban bans", LCF_ADDR | LCF_BAN)                         \
	X(LC_F2B_UNBAN, "fail2ban_unban", "fail2ban unbans", LCF_ADDR | LCF_BAN)                   \
	X(LC_F2B_IGNORE, "fail2ban_ignore", "fail2ban ignores", LCF_ADDR | LCF_BAN)                \
	X(LC_SSHGUARD_ATTACK, "sshguard_attack", "sshguard attacks", LCF_ADDR | LCF_BAN)           \
	X(LC_SSHGUARD_BLOCK, "sshguard_block", "sshguard blocks", LCF_ADDR | LCF_BAN)              \
	X(LC_SSHGUARD_RELEASE, "sshguard_release", "sshguard releases", LCF_ADDR | LCF_BAN)

enum log_class {
#define LOG_CLASS_ENUM(id, name, plural, flags) id,
	LOG_CLASSES(LOG_CLASS_ENUM)
#undef LOG_CLASS_ENUM
	    LC__COUNT
};

const char *log_class_name(enum log_class c);
/* "MaxStartups drops": what a count of this class is called. */
const char *log_class_plural(enum log_class c);
unsigned log_class_flags(enum log_class c);
/* By JSON name; -1 when unknown. */
int log_class_from_name(const char *name, size_t len);

/* The program that wrote the line. */
enum log_prog {
	LP_UNKNOWN,
	LP_SSHD,         /* sshd (listener, or per-connection before 9.8) */
	LP_SSHD_SESSION, /* sshd-session (9.8+) */
	LP_SSHD_AUTH,    /* sshd-auth (10.0+; normally relayed by sshd-session) */
	LP_FAIL2BAN,
	LP_SSHGUARD,
	LP_OTHER, /* a program we do not read */
};

/* Severity prefix sshd put on the message. */
enum log_level { LL_INFO, LL_ERROR, LL_FATAL, LL_DEBUG };

struct log_span {
	const char *p;
	size_t len;
};

struct log_event {
	enum log_class cls;
	enum log_prog prog;
	enum log_level level;
	unsigned preauth : 1;      /* the message ended in " [preauth]" */
	unsigned invalid_user : 1; /* "invalid user X" */
	unsigned restored : 1;     /* fail2ban: Restore Ban / Reban */
	unsigned swapped : 1;      /* sshd 9.8 "connection from LOCAL to REMOTE": see log_fix_9_8 */
	int64_t ts;                /* LOG_TS_NONE when the line has no readable time */
	unsigned pid;              /* 0 when not written */
	struct ip_addr addr;       /* the client; family 0 when the line names none */
	unsigned port;             /* the client's port, 0 */
	struct ip_addr laddr;      /* the server side, when the line names it */
	unsigned lport;
	unsigned prefix_len;    /* penalties: the netblock length ("/32") */
	long long n;            /* the number the line carries (see docs/logs.md), -1 */
	struct log_span user;   /* login name */
	struct log_span detail; /* reason, method, fatal text, fail2ban action word, ... */
	struct log_span jail;   /* fail2ban jail */
	struct log_span host;   /* the host field of the prefix */
	struct log_span msg;    /* the message, level prefix and [preauth] included */
};

/* The last dotted quad read (its text, length ≤ 15, and value); len 0: none. */
struct log_addr_memo {
	uint64_t text[2]; /* the text's bytes, zero after len */
	uint64_t mask[2]; /* of the bytes of text that count */
	unsigned len;
	struct ip_addr addr;
};

/* The host field of the last line and its blank (len ≤ 16 bytes); len 0: none. */
struct log_host_memo {
	uint64_t text[2];
	uint64_t mask[2];
	unsigned len;
};

/*
 * What log_parse_line carries from one line to the next of a source: the day of the last
 * time read, the last address read (the lines of one attempt name one client) and the host
 * field (the same on every line of a file).  Zeroed (or reset) at the start of a source; it
 * only saves work, never changes a result.
 */
struct log_line_cache {
	struct log_day_cache day;
	struct log_addr_memo addr;
	struct log_host_memo host;
};

/*
 * Parses one line (no newline; a trailing CR is ignored).  Returns the class (LC_NONE for a
 * line that does not matter, with *ev then only partly written) and fills *ev.  `cache` may
 * be NULL; `bare` says the source holds bare sshd messages (sshd -E).
 */
enum log_class log_parse_line(const char *line, size_t len, const struct log_clock *clk,
                              struct log_line_cache *cache, int bare, struct log_event *ev);

/* The program named by a syslog identifier ("sshd", "sshd-session", "fail2ban.actions"). */
enum log_prog log_prog_of(const char *ident, size_t len);
const char *log_prog_name(enum log_prog p);

/*
 * Classifies a message without prefix (a journal entry's MESSAGE) written by `prog`.  ev->ts,
 * ev->pid and ev->host are left as the caller set them.
 */
enum log_class log_parse_message(enum log_prog prog, const char *msg, size_t len,
                                 struct log_event *ev);

#endif
