/*
 * link.h — the indexes fw_ruleset_link() builds, and the lookups the evaluator makes in them.
 *
 * Sets: elements sorted by (lo ascending, hi descending), each pointing at the smallest
 * earlier element that contains it.  CIDR sets (ipset hash:net, nft interval sets) are
 * laminar — any two elements are nested or disjoint — so the most specific element that
 * contains a value is found by one binary search and a walk up at most 129 parents.
 *
 * Runs: a stretch of at least FW_RUN_MIN consecutive rules in one chain whose first source
 * condition is one exact address (fail2ban without ipset: `-s 192.0.2.7/32 -j REJECT`, one
 * rule per ban).  A rule in a run can only match a packet from that address, so the
 * evaluator jumps straight to the next rule of the run that names the packet's source.
 */
#ifndef SSHDIAG_FIREWALL_LINK_H
#define SSHDIAG_FIREWALL_LINK_H

#include <stdint.h>

#include "firewall/ruleset.h"

#define FW_RUN_MIN 16u

struct fw_run {
	uint32_t start, end; /* chain positions [start, end) */
	uint32_t cap;        /* buckets, a power of two */
	uint32_t *head;      /* bucket → first position (relative to start), FW_NONE if empty */
	uint32_t *next;      /* position → next position in the same bucket, ascending */
};

void fw_runs_free(struct fw_chain *c);
int fw_runs_build(struct fw_ruleset *rs, struct fw_chain *c);

/* The run that contains chain position pos, or NULL. */
const struct fw_run *fw_run_at(const struct fw_chain *c, uint32_t pos);
/*
 * The first position >= pos of the run whose rule names source `src` of `family`, or
 * run->end when there is none.
 */
uint32_t fw_run_next(const struct fw_ruleset *rs, const struct fw_chain *c,
                     const struct fw_run *run, uint32_t pos, struct fw_val src, int family);

/* The exact-source condition of a rule, or NULL (used to build and to probe runs). */
const struct fw_cond *fw_rule_exact_source(const struct fw_ruleset *rs, const struct fw_rule *r);

/* Sorts a set's elements and computes parents; clears `laminar` when they overlap. */
int fw_set_index(struct fw_ruleset *rs, uint32_t set);

enum fw_member { FW_MEMBER_NO, FW_MEMBER_YES, FW_MEMBER_UNKNOWN };

/*
 * Is v (of `family` for address sets, 0 otherwise) in linked set `set`?  On YES writes the
 * deciding element (and, for list:set, the member set that holds it) when the pointers are
 * not NULL.  UNKNOWN for unsupported key types.  `ifname` is used for ifname sets instead of v.
 */
enum fw_member fw_set_lookup(const struct fw_ruleset *rs, uint32_t set, struct fw_val v, int family,
                             const char *ifname, uint32_t *ret_set, uint32_t *ret_elem);

/* Interface name matching: `pattern` with a trailing wildcard when `wildcard`. */
int fw_ifname_match(const char *pattern, int wildcard, const char *name);

#endif
