/*
 * hosts_access.h — TCP wrappers access tables, hosts_access(5), as Debian's libwrap reads them.
 *
 * Debian and Ubuntu build sshd with libwrap (tcp_wrappers 7.6.q, compiled with
 * PROCESS_OPTIONS, NETGROUP, ACLEXEC and INET6).  For every connection sshd asks
 * hosts_access(): the first matching line of /etc/hosts.allow grants, else the first matching
 * line of /etc/hosts.deny denies, else access is granted.  This module answers the same
 * question from the two files' bytes, without reading files, resolving names or running
 * anything, and says how sure the answer is.
 *
 * Parsing follows libwrap to the byte (see lines.h): `#` starts a comment only in column one,
 * backslash-newline joins lines, fields are `daemons : clients [: options]` (':' inside
 * [brackets] does not split), list items are separated by commas and/or whitespace, and
 * `a EXCEPT b EXCEPT c` means `a EXCEPT (b EXCEPT c)`.  A line without ':' is skipped.  A line
 * longer than 2047 bytes, or a last line without a newline, makes libwrap give up on the
 * rest of the table with an error (Debian's fix_parsing_long_lines): an error in hosts.deny
 * denies everyone hosts.allow did not grant.
 *
 * Matching follows hosts_access.c: ALL, LOCAL, KNOWN, UNKNOWN, PARANOID, `.suffix`,
 * `prefix.`, `n.n.n.n/m.m.m.m`, `n.n.n.n/len`, `[v6]`, `[v6]/len`, `*`/`?` wildcards,
 * `@netgroup`, `/file`, `user@host`, `daemon@host` and a bare port number (Debian's
 * match_port) in the daemon list.  What libwrap would look up and we cannot know — the client's
 * host name (DNS), its user (ident, RFC 931), netgroups, pattern files the caller did not
 * supply, the outcome of aclexec commands or of user/group options — makes a pattern "could
 * match" (HA_MAYBE).  The decision is then computed as if every such pattern failed, marked
 * uncertain when some other outcome is possible, and lists the rules involved: we never
 * guess.
 *
 *	struct ha_file allow, deny;
 *	struct ha_client c = {.daemon = "sshd", .addr = "192.0.2.7"};
 *	struct ha_decision d;
 *	hosts_access_parse("/etc/hosts.allow", abytes, alen, &allow);   (NULL bytes: no file)
 *	hosts_access_parse("/etc/hosts.deny", dbytes, dlen, &deny);
 *	hosts_access_decide(&allow, &deny, &c, &d);
 *	... d.result, d.certain, d.rule.file, d.rule.line, d.rule.text ...
 *	hosts_access_free(&allow); hosts_access_free(&deny);
 *
 * For one client over a large table, hosts_access_decide_stream() does the same work in one
 * pass over the bytes, without allocating, and stops at the first match as libwrap does.
 */
#ifndef SSHDIAG_TCPWRAP_HOSTS_ACCESS_H
#define SSHDIAG_TCPWRAP_HOSTS_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "tcpwrap/denyhosts.h"

/* Bytes of one table we accept; beyond it parsing fails with SD_ERR_TOO_LONG. */
#define HA_MAX_INPUT ((size_t)1 << 30)
/* Rules (and skipped malformed lines) kept for one table; beyond it SD_ERR_TOO_LONG. */
#define HA_MAX_RULES ((size_t)16 << 20)
/* Bytes of a physical line kept as evidence (libwrap reads at most 2047 per logical line). */
#define HA_RAW_MAX 2047
/* Nesting of /file patterns we follow (libwrap has no limit but the open-file limit). */
#define HA_FILE_DEPTH_MAX 8
/*
 * Patterns read from /file pattern files per decision: files that name each other can
 * multiply the work exponentially (libwrap would grind through it); past this many the
 * remaining file patterns "could match".
 */
#define HA_FILE_PATTERNS_MAX 1000000

/* Three-valued match results: a pattern that depends on something unknown is HA_MAYBE. */
enum ha_tri { HA_NO = 0, HA_YES = 1, HA_MAYBE = 2 };

/* ---- Parsed tables ---------------------------------------------------------------------- */

enum ha_rule_kind {
	HA_RULE,              /* daemons ':' clients [':' options] */
	HA_RULE_NO_COLON,     /* no ':' — libwrap warns `missing ":" separator` and skips it */
	HA_RULE_UNTERMINATED, /* too long or no final newline — libwrap stops the table here with
	                       * an error; always the last entry */
};

/* "No options field" in ha_rule.colon2. */
#define HA_NO_OPTIONS UINT32_MAX

/* One entry of a table: a rule, or a line libwrap skips or stops at.  Lengths fit 32 bits. */
struct ha_rule {
	enum ha_rule_kind kind;
	unsigned line;      /* first physical line, 1-based */
	unsigned line_last; /* last physical line (continuations); libwrap's syslog cites this */
	uint32_t len;       /* bytes of text */
	uint32_t raw_len;   /* bytes of raw */
	uint32_t colon1;    /* text[0..colon1) is the daemon list (HA_RULE) */
	uint32_t colon2;    /* text(colon1..colon2) the client list, text(colon2..len) the options;
	                     * HA_NO_OPTIONS when there is no second ':' */
	const char *text;   /* the logical line libwrap parses, continuations joined, NUL-free,
	                     * NUL-terminated; ends in '\n' except for HA_RULE_UNTERMINATED */
	const char *raw;    /* the first physical line as written, without its newline; may hold
	                     * NUL bytes; at most HA_RAW_MAX bytes */
	const char *denyhosts; /* the "# DenyHosts: ..." line just above, NUL-terminated, or NULL */
};

struct ha_chunk;

struct ha_file {
	char *name;            /* the name given to hosts_access_parse(), owned */
	int missing;           /* parsed from NULL data: no such file, an empty table */
	struct ha_rule *rules; /* rules and malformed lines in file order (not comments/blanks) */
	size_t n_rules;
	unsigned n_lines;        /* physical lines read */
	size_t lines_ignored;    /* physical lines after an HA_RULE_UNTERMINATED, never read */
	size_t bytes;            /* heap bytes held by this structure (for the memory bound) */
	struct ha_chunk *chunks; /* private: storage for the strings above */
};

/*
 * Parses one table.  `name` is kept for evidence; `data` NULL means the file does not exist
 * (libwrap treats that as empty).  Pure: no file I/O.  Memory is proportional to `len`.
 * Returns 0, SD_ERR_TOO_LONG (over HA_MAX_INPUT or HA_MAX_RULES) or SD_ERR_ALLOC; on error
 * *out is left empty (safe to free).
 */
int hosts_access_parse(const char *name, const uint8_t *data, size_t len, struct ha_file *out);
void hosts_access_free(struct ha_file *f);

/* ---- The client ------------------------------------------------------------------------- */

/* ha_client.server_port: no socket, as with hosts_ctl(3) — port patterns never match. */
#define HA_PORT_NONE 0
/* ha_client.server_port: a real connection whose local port we do not know. */
#define HA_PORT_UNKNOWN (-1)

/*
 * Supplies the contents of a `/path` pattern file.  Return 0 with *data and *len (valid until the
 * decision returns), SD_ERR_NOT_FOUND if the file does not exist (libwrap: no match), or
 * any other error if its contents cannot be known (the pattern then could match).
 */
typedef int (*ha_read_fn)(void *ctx, const char *path, const uint8_t **data, size_t *len);

/*
 * What libwrap knows about a connection.  Strings are taken as libwrap would hold them
 * (truncated to 127 bytes); "" means what libwrap means by it ("unknown").  NULL means
 * "not known to us": patterns that need it could match.
 */
struct ha_client {
	const char *daemon;      /* process name: "sshd" (Debian's sshd passes that, also 9.8+) */
	const char *addr;        /* client address as getnameinfo(NI_NUMERICHOST) prints it:
	                          * "192.0.2.7", "2001:db8::7", or "::ffff:192.0.2.7" on a
	                          * dual-stack socket; required */
	const char *name;        /* verified host name, "unknown" (no PTR) or "paranoid"
	                          * (mismatch); NULL: not resolved */
	const char *user;        /* RFC 931 user, or "unknown"; NULL: not queried */
	const char *server_addr; /* local address of the connection; NULL: unknown */
	const char *server_name; /* local host name; NULL: not resolved */
	int server_port;         /* 1..65535, HA_PORT_UNKNOWN or HA_PORT_NONE */
	ha_read_fn read_file;    /* NULL: /path patterns could match */
	void *read_ctx;
};

/* What a "could match" depended on (ha_ref.need). */
#define HA_NEED_NAME      0x0001u /* the client's host name (DNS) */
#define HA_NEED_USER      0x0002u /* the client's user name (ident, RFC 931) */
#define HA_NEED_NETGROUP  0x0004u /* NIS netgroup membership */
#define HA_NEED_FILE      0x0008u /* a /path pattern file we were not given */
#define HA_NEED_SERVER    0x0010u /* the server's address or name */
#define HA_NEED_PORT      0x0020u /* the server's port */
#define HA_NEED_IFACE     0x0040u /* whether an interface named in a [fe80::…%if] scope exists */
#define HA_NEED_ACLEXEC   0x0080u /* an aclexec command's exit status */
#define HA_NEED_ACCOUNT   0x0100u /* whether a user/group named by an option exists */
#define HA_NEED_EXPANSION 0x0200u /* %-expansions of values we do not know */

/* Side effects libwrap would cause, up to the decision (ha_decision.effects). */
#define HA_FX_DNS     0x0001u /* reverse + forward DNS lookup of a host name (delay) */
#define HA_FX_IDENT   0x0002u /* RFC 931 query to the client's port 113 (up to 10 s) */
#define HA_FX_SPAWN   0x0004u /* "spawn": a shell command runs */
#define HA_FX_TWIST   0x0008u /* "twist": sshd is replaced by a shell command */
#define HA_FX_ACLEXEC 0x0010u /* "aclexec": a shell command decides */
#define HA_FX_BANNERS 0x0020u /* "banners": a file is sent to the client first */
#define HA_FX_OTHER   0x0040u /* setenv, umask, nice, linger, keepalive, severity, rfc931 */

/* ---- The decision ----------------------------------------------------------------------- */

enum ha_result { HA_GRANT = 1, HA_DENY = 2 }; /* also bits of ha_decision.possible */

enum ha_why {
	HA_WHY_DEFAULT,           /* no rule matched: granted */
	HA_WHY_ALLOW_RULE,        /* a hosts.allow rule matched: granted */
	HA_WHY_DENY_RULE,         /* a hosts.deny rule matched: denied */
	HA_WHY_OPTION_ALLOW,      /* the matching rule's "allow" option: granted */
	HA_WHY_OPTION_DENY,       /* the matching rule's "deny" option: denied */
	HA_WHY_OPTION_ERROR,      /* the matching rule's options are invalid: libwrap denies */
	HA_WHY_TWIST,             /* "twist": no SSH service, the client talks to a command */
	HA_WHY_EXPANSION_EXIT,    /* a %-expansion overflows libwrap's buffer: it exits */
	HA_WHY_DENY_UNTERMINATED, /* hosts.deny stops with an error before any match: denied */
};

enum ha_table { HA_TABLE_NONE, HA_TABLE_ALLOW, HA_TABLE_DENY };

/* Bytes of a rule's first line copied into decisions. */
#define HA_EVIDENCE_MAX 200
/* Uncertain rules kept in a decision (all are counted). */
#define HA_UNCERTAIN_MAX 16

/* A rule, as evidence. */
struct ha_ref {
	enum ha_table table;            /* HA_TABLE_NONE: no rule */
	const char *file;               /* the table's name (borrowed from ha_file or ha_input) */
	unsigned line;                  /* first physical line */
	const struct ha_rule *rule;     /* hosts_access_decide(): the parsed rule; stream: NULL */
	unsigned need;                  /* HA_NEED_*: what its match or effect depended on */
	unsigned possible;              /* HA_GRANT|HA_DENY: the decision if this rule matched */
	char text[HA_EVIDENCE_MAX + 1]; /* its first line, printable (tab -> space, else \xNN) */
};

struct ha_decision {
	enum ha_result result; /* computed as if every "could match" failed */
	int certain;           /* 1: no unknown can change `result` */
	unsigned possible;     /* HA_GRANT|HA_DENY: every result some resolution gives */
	enum ha_why why;
	struct ha_ref rule; /* the deciding rule (or unterminated line); table NONE by default */
	char option[48];    /* for option outcomes: the option ("deny", "twist", "foo"...) */
	char message[96];   /* for HA_WHY_OPTION_ERROR: libwrap's error text */
	unsigned effects;   /* HA_FX_*: what libwrap would do for this connection */
	struct ha_denyhosts denyhosts; /* the deciding line as written by DenyHosts, if it was */
	struct ha_ref allow_stop;      /* hosts.allow stopped with an error at this line */
	size_t n_uncertain;            /* rules that could match, met before the decision */
	struct ha_ref uncertain[HA_UNCERTAIN_MAX]; /* the first of them */
};

/*
 * Decides for one client.  A NULL table is a missing file.  The decision refers to the
 * tables' rules and names: keep them until you are done with it.  Returns 0 or
 * SD_ERR_INVALID (no client address).
 */
int hosts_access_decide(const struct ha_file *allow, const struct ha_file *deny,
                        const struct ha_client *client, struct ha_decision *out);

/* A table as bytes, for the streaming entry point.  data NULL: no such file. */
struct ha_input {
	const char *name;
	const uint8_t *data;
	size_t len;
};

/*
 * The same decision, reading the bytes directly: no allocation, one pass, stops at the first
 * match.  ha_ref.rule is NULL; names are borrowed from the inputs.
 */
int hosts_access_decide_stream(const struct ha_input *allow, const struct ha_input *deny,
                               const struct ha_client *client, struct ha_decision *out);

/*
 * The text libwrap sees for an address (getnameinfo(NI_NUMERICHOST) without a scope):
 * family AF_INET (4 bytes) or AF_INET6 (16 bytes; an IPv4-mapped address, as a dual-stack
 * socket reports an IPv4 client, prints as "::ffff:a.b.c.d").  Returns 0 or SD_ERR_INVALID.
 */
int ha_addr_text(int family, const uint8_t *bytes, char *out, size_t size);

/* Printable names for logs and reports. */
const char *ha_result_name(enum ha_result r);
const char *ha_why_name(enum ha_why w);

#endif
