/*
 * shadow.h — finding rules that are never reached.
 *
 * Rules are offered in the order libwrap reads them (hosts.allow, then hosts.deny).  A rule
 * is shadowed when, for every daemon pattern d and client pattern c before its first
 * EXCEPT, some earlier rule matches every request that (d, c) matches: then the earlier rules
 * always decide first.  Earlier rules count only if they have no EXCEPT, and a hosts.allow
 * rule with aclexec never shadows hosts.deny (a failing command sends libwrap on to
 * hosts.deny).  Exact client patterns are indexed, so a million-line DenyHosts file takes
 * one pass; other ("broad") rules are compared one by one.  Everything is bounded:
 * HA_LINT_BROAD_MAX broad rules, HA_LINT_CHAIN_MAX rules per exact pattern, and
 * HA_LINT_WORK_MAX comparisons in all.
 */
#ifndef SSHDIAG_TCPWRAP_SHADOW_H
#define SSHDIAG_TCPWRAP_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "tcpwrap/hosts_access.h"
#include "tcpwrap/lint.h"

struct ha_shadow_rule {
	const struct ha_file *f;
	const struct ha_rule *r; /* kind HA_RULE */
	int table;               /* 0 hosts.allow, 1 hosts.deny */
	int aclexec;             /* its options may make hosts.allow answer "no match" */
	int coverer;             /* set by ha_shadow_check(): it can shadow later rules */
};

struct ha_shadow_slot;
struct ha_shadow_entry;
struct ha_shadow_broad;

struct ha_shadow {
	struct ha_shadow_slot *slots; /* exact client pattern -> rules holding it */
	size_t nslots, used;
	struct ha_shadow_entry *e;
	size_t ne, ealloc;
	struct ha_shadow_broad *broad[HA_LINT_BROAD_MAX];
	size_t nbroad;
	size_t work; /* comparisons made */
};

void ha_shadow_init(struct ha_shadow *s);
void ha_shadow_free(struct ha_shadow *s);

/*
 * Is rules[self] shadowed by an earlier rule?  *by gets the earliest such rule's index or -1;
 * then rules[self] is recorded for later checks.  Returns 0 or SD_ERR_ALLOC.
 */
int ha_shadow_check(struct ha_shadow *s, struct ha_shadow_rule *rules, uint32_t self, long *by);

/* HA_LINT_WORK_MAX reached: further checks would be unreliable to finish. */
int ha_shadow_exhausted(const struct ha_shadow *s);

#endif
