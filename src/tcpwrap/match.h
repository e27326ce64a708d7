/*
 * match.h — libwrap's pattern matching (hosts_access.c), three-valued.
 *
 * Functions mirror libwrap's: list_match() with EXCEPT, server_match(), client_match(),
 * host_match(), string_match(), masked_match() and the wildcard matcher.  Where libwrap
 * would consult something we do not know (a NULL string of ha_client, a netgroup, a pattern
 * file not supplied) the answer is HA_MAYBE and the reason is added to ha_eval.need.  YES and
 * MAYBE combine with Kleene's logic, so a YES or NO is always certain.
 *
 * Patterns are byte ranges of a logical line (no NUL inside).  Nothing here allocates.
 */
#ifndef SSHDIAG_TCPWRAP_MATCH_H
#define SSHDIAG_TCPWRAP_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "tcpwrap/compat.h"
#include "tcpwrap/hosts_access.h"

/* libwrap's STRING_LENGTH: client and server strings are kept in 128-byte fields. */
#define HA_STRING_LENGTH 128

/* One value patterns are compared with, prepared once per decision. */
struct ha_str {
	const char *s; /* NULL: unknown to us */
	size_t len;
	const char *sm; /* s without string_match()'s "::ffff:" prefix of a mapped IPv4 */
	size_t sm_len;
	uint32_t v4;        /* dot_quad_addr(s) */
	uint32_t mapped_v4; /* dot_quad_addr(s + 7) when s starts with "::ffff:" */
	int mapped;
	enum tw_v6 v6; /* getaddrinfo(s) as masked_match6() does it */
	uint8_t v6a[16];
	enum tw_v6 sm_v6; /* getaddrinfo(sm) as string_match() does it for [addr] */
	uint8_t sm_v6a[16];
	unsigned need; /* HA_NEED_* to report when s is unknown */
	char store[HA_STRING_LENGTH];
};

struct ha_host {
	struct ha_str addr;
	struct ha_str name;
};

/* The state of one decision. */
struct ha_eval {
	const struct ha_client *c;
	struct ha_str daemon, user;
	struct ha_host client, server;
	int port;         /* HA_PORT_* or the server port */
	unsigned need;    /* HA_NEED_* behind the MAYBEs of the current rule; callers reset it */
	unsigned effects; /* HA_FX_DNS / HA_FX_IDENT: lookups libwrap would make */
	unsigned depth;   /* /file nesting */
	const char *files[HA_FILE_DEPTH_MAX]; /* the files being read, outermost first */
	size_t file_patterns;                 /* patterns read from /file files so far */
};

/* Prepares the strings of `c` (which must outlive `ev`). */
void ha_eval_init(struct ha_eval *ev, const struct ha_client *c);

/* list_match(daemons, server_match) && list_match(clients, client_match) of one rule. */
enum ha_tri ha_rule_match(struct ha_eval *ev, const char *daemons, size_t dlen, const char *clients,
                          size_t clen);

/* list_match() over a client list alone and a daemon list alone (for lint and tests). */
enum ha_tri ha_list_match_clients(struct ha_eval *ev, const char *list, size_t len);
enum ha_tri ha_list_match_daemons(struct ha_eval *ev, const char *list, size_t len);

/* string_match(tok, s) of one token against a known or unknown value. */
enum ha_tri ha_string_match(struct ha_eval *ev, const char *tok, size_t len,
                            const struct ha_str *s);

/*
 * libwrap's wildcard matcher (Tatu Ylönen's match_pattern, case-insensitive), including its
 * quirk: a trailing run of two or more '*' needs at least one character.
 */
int ha_wildcard_match(const char *pat, size_t plen, const char *s, size_t slen);

/* libwrap's list separators, sep[] = ", \t\r\n". */
static inline int ha_is_sep(int c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
}

/* strtok(list, sep): the next token of [*p, end), advancing *p; 0 at the end. */
int ha_next_token(const char **p, const char *end, const char **tok, size_t *len);

/* The first `bits` bits of two IPv6 addresses are equal (masked_match6()). */
int ha_prefix_equal(const uint8_t *a, const uint8_t *b, int bits);

/* NOT_INADDR(tok) of tcpd.h: the token has a character other than digits, '.' and '/'. */
int ha_not_inaddr(const char *tok, size_t len);

/* Kleene's connectives. */
static inline enum ha_tri ha_tri_or(enum ha_tri a, enum ha_tri b)
{
	if (a == HA_YES || b == HA_YES)
		return HA_YES;
	return a == HA_MAYBE || b == HA_MAYBE ? HA_MAYBE : HA_NO;
}

static inline enum ha_tri ha_tri_and(enum ha_tri a, enum ha_tri b)
{
	if (a == HA_NO || b == HA_NO)
		return HA_NO;
	return a == HA_YES && b == HA_YES ? HA_YES : HA_MAYBE;
}

static inline enum ha_tri ha_tri_not(enum ha_tri a)
{
	return a == HA_MAYBE ? HA_MAYBE : a == HA_YES ? HA_NO : HA_YES;
}

#endif
