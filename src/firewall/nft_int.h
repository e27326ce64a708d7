/*
 * nft_int.h — internal to the nft JSON reader: the context of one rule or set being read,
 * and the helpers nft.c (objects) and nft_expr.c (statements and values) share.
 */
#ifndef SSHDIAG_FIREWALL_NFT_INT_H
#define SSHDIAG_FIREWALL_NFT_INT_H

#include <jansson.h>
#include <stdint.h>

#include "firewall/ruleset.h"

struct nft_ctx {
	struct fw_ruleset *rs;
	uint32_t src, table, rule, line;
	uint8_t family; /* enum fw_nfproto of the table */
};

/* Turns a rule's "expr" array into conditions and a verdict of rule x->rule. */
int nft_rule_exprs(struct nft_ctx *x, json_t *expr);

/*
 * Reads one set element value for a set keyed `key` (enum fw_set_key): a value, a prefix,
 * a range, or {"elem": {"val": …}}.  For ifname sets writes the interned name to *str and
 * the wildcard flag to lo.  SD_ERR_INVALID for what the key cannot hold (concatenations).
 */
int nft_elem_value(struct nft_ctx *x, uint8_t key, json_t *v, struct fw_val *lo, struct fw_val *hi,
                   uint32_t *str);
/* Reads a verdict object ({"accept": null}, {"jump": {"target": …}}) for a map element. */
int nft_map_verdict(struct nft_ctx *x, json_t *v, uint32_t *ret);
/* The set key a type name stands for ("ipv4_addr" → FW_SK_ADDR4 …), family in *fam. */
uint8_t nft_key_of_type(const char *type, uint8_t *fam);

#endif
