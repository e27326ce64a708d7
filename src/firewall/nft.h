/*
 * nft.h — reads `nft -j list ruleset` (libnftables JSON, nft doc/libnftables-json.adoc).
 *
 *	{"nftables": [ {"metainfo": …}, {"table": …}, {"chain": …}, {"set": …}, {"map": …},
 *	               {"rule": …}, … ]}
 *
 * The document is read one top-level object at a time (jansson with
 * JSON_DISABLE_EOF_CHECK), so memory stays proportional to the largest object, not to the
 * ruleset: a 100,000-rule ruleset is never one jansson tree.  Tables, base chains (hook,
 * priority, policy), regular chains, named sets and verdict maps with their elements
 * (values, prefixes, ranges, timeouts) and rules become the common model; statements we do
 * not model become "unmodelled" conditions or targets, never silently dropped ones.  `xt`
 * expressions (iptables-nft rules nft cannot translate) are unmodelled here — the same table
 * read from iptables-nft-save is exact, and fw_ruleset_link() prefers it.  Dormant tables
 * are kept but not evaluated.  Bounded by FW_MAX_JSON_OBJECT, FW_MAX_JSON_DEPTH and the
 * ruleset limits.
 */
#ifndef SSHDIAG_FIREWALL_NFT_H
#define SSHDIAG_FIREWALL_NFT_H

#include <stdint.h>

#include "base/buf.h"
#include "firewall/ruleset.h"

/* SD_OK, SD_ERR_INVALID (not nft JSON), SD_ERR_TOO_LONG, SD_ERR_ALLOC. */
int fw_nft_parse(struct fw_ruleset *rs, uint32_t src);

/*
 * Appends the rule (a {"rule": …} object as stored in its source) in nft's own syntax,
 * e.g. `ip saddr @blocked tcp dport 22 drop`.  SD_ERR_INVALID when the slice is not a rule.
 */
int fw_nft_rule_text(const char *json, size_t len, struct buf *out);
/* `chain input { type filter hook input priority 0; policy drop; }` for a {"chain": …}. */
int fw_nft_chain_text(const char *json, size_t len, struct buf *out);

#endif
