/*
 * patterns.h — what a pattern is, for reasoning about rules rather than matching them.
 *
 * Lint needs to know which form libwrap will give a pattern (host_match() decides by the
 * order of its tests) and whether one pattern matches every client another one matches.
 * Coverage is only claimed when it holds for every client, name and address alike; when in
 * doubt the answer is "no".
 */
#ifndef SSHDIAG_TCPWRAP_PATTERNS_H
#define SSHDIAG_TCPWRAP_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

/* Patterns of one list group we reason about; longer groups are left alone. */
#define HA_GROUP_MAX 64

/* The form host_match() gives a client pattern. */
enum ha_pat_kind {
	HA_PAT_ALL,    /* ALL */
	HA_PAT_EXACT,  /* compared as a whole string (with the address, and with the name if
	                * it is not address-like) */
	HA_PAT_PREFIX, /* "net." */
	HA_PAT_SUFFIX, /* ".domain" */
	HA_PAT_WILD,   /* contains '*' or '?' */
	HA_PAT_MASK4,  /* a valid n.n.n.n/m whose network has no bits outside the mask */
	HA_PAT_MASK6,  /* a valid [v6]/len */
	HA_PAT_V6,     /* a valid [v6] */
	HA_PAT_OTHER,  /* anything else: only equal text covers it */
};

struct ha_pat {
	const char *s;
	size_t len;
	enum ha_pat_kind kind;
	int names; /* NOT_INADDR: also compared with the host name */
	uint32_t net, mask;
	uint8_t v6[16];
	int bits;
};

/* The patterns of a list before its first EXCEPT. */
struct ha_group {
	const char *tok[HA_GROUP_MAX];
	size_t len[HA_GROUP_MAX];
	size_t n;
	int except;   /* an EXCEPT follows */
	int overflow; /* more than HA_GROUP_MAX patterns: n is not all */
};

void ha_first_group(const char *list, size_t len, struct ha_group *g);

void ha_pat_classify(const char *tok, size_t len, struct ha_pat *p);

/* Does client pattern a match every client that b matches? */
int ha_pat_covers(const struct ha_pat *a, const struct ha_pat *b);

/* A daemon pattern matched by equal text only (no wildcard, port, keyword or @host). */
int ha_pat_plain_daemon(const char *s, size_t len);

/* Does daemon pattern a match every request that daemon pattern b matches? */
int ha_pat_covers_daemon(const char *a, size_t alen, const char *b, size_t blen);

/* The pieces host_match() looks at. */
int ha_pat_bracketed(const char *s, size_t len);
int ha_pat_has_wild(const char *s, size_t len);
/* split_at(tok + 1, '@'): the index of the '@' of user@host / daemon@host, or len. */
size_t ha_pat_at(const char *tok, size_t len);
/* net/mask as masked_match4() reads it (host bits may be set): 1 valid, 0 not. */
int ha_pat_mask4(const char *tok, size_t len, size_t slash, uint32_t *net, uint32_t *mask);
/* [v6]/len as masked_match6() reads it: 1 valid, 0 not. */
int ha_pat_mask6(const char *tok, size_t len, size_t slash, uint8_t v6[16], int *bits);
/* [v6] as string_match() reads it (a numeric scope at most). */
int ha_pat_v6(const char *tok, size_t len, uint8_t v6[16]);

#endif
