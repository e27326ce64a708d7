/*
 * lint.h — findings about hosts.allow/hosts.deny that change what an administrator expects.
 *
 * Pure: works on tables parsed by hosts_access_parse().  Findings come in file order (allow
 * first) and say what libwrap will actually do:
 *
 *	HA_LINT_NO_COLON      a line without ':' — skipped
 *	HA_LINT_UNTERMINATED  a line over 2047 bytes or a last line without newline — libwrap
 *	                      ignores it and every later line (hosts.deny: denies all the rest)
 *	HA_LINT_OPTION        options that always fail — libwrap denies every client the rule
 *	                      matches, even in hosts.allow
 *	HA_LINT_NEVER         a pattern, or a whole rule, that can never match
 *	HA_LINT_SHADOWED      a rule never reached: an earlier rule (or, for hosts.deny, a
 *	                      hosts.allow rule) matches every client it matches
 *	HA_LINT_SUSPICIOUS    text that libwrap parses otherwise than it reads: '#' after the
 *	                      first column, IPv6 without brackets, octal-looking addresses
 *
 * Shadowing is detected for rules whose lists are plain alternatives (the part before an
 * EXCEPT of the shadowed rule; no EXCEPT in the shadowing one).  Exact addresses are indexed,
 * so a million-line DenyHosts file is linted in one pass; broader rules (ALL, masks,
 * prefixes, wildcards) are compared one by one, the first HA_LINT_BROAD_MAX of them, and the
 * whole search is bounded by HA_LINT_WORK_MAX comparisons.
 */
#ifndef SSHDIAG_TCPWRAP_LINT_H
#define SSHDIAG_TCPWRAP_LINT_H

#include <stddef.h>

#include "tcpwrap/hosts_access.h"

/* Findings kept; more are counted in ha_lint.dropped. */
#define HA_LINT_MAX 10000
/* Broad rules each rule is compared with when looking for shadowing. */
#define HA_LINT_BROAD_MAX 64
/* Earlier rules with the same exact address looked at per pattern. */
#define HA_LINT_CHAIN_MAX 32
/* Pattern comparisons for shadowing in one run; past it, shadowing is not looked for. */
#define HA_LINT_WORK_MAX ((size_t)200 << 20)

enum ha_lint_kind {
	HA_LINT_NO_COLON,
	HA_LINT_UNTERMINATED,
	HA_LINT_OPTION,
	HA_LINT_NEVER,
	HA_LINT_SHADOWED,
	HA_LINT_SUSPICIOUS,
};

struct ha_finding {
	enum ha_lint_kind kind;
	const char *file;       /* the table's name, borrowed from its ha_file */
	unsigned line;          /* first physical line of the rule */
	const char *other_file; /* HA_LINT_SHADOWED: the rule that shadows it */
	unsigned other_line;
	char message[200];
};

struct ha_lint {
	struct ha_finding *v;
	size_t n;
	size_t alloc;
	size_t dropped;        /* findings beyond HA_LINT_MAX */
	int shadow_incomplete; /* HA_LINT_WORK_MAX reached: later rules were not checked */
};

/*
 * Lints both tables (either may be NULL or missing).  The findings borrow the tables' names.
 * Returns 0 or SD_ERR_ALLOC (then *out holds what was found so far; free it either way).
 */
int hosts_access_lint(const struct ha_file *allow, const struct ha_file *deny, struct ha_lint *out);
void ha_lint_free(struct ha_lint *l);

const char *ha_lint_kind_name(enum ha_lint_kind k);

#endif
