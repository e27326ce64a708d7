/*
 * list.h — "who is blocked?", when no client is named: every source address the ruleset
 * mentions (rule prefixes and ranges, set elements) is tried as a client, plus one address
 * the ruleset does not mention at all ("anyone else").  Each blocked one is listed with the
 * rule (and set element) that blocks it and what it would see.  Bounded by
 * FW_MAX_LIST_CANDIDATES; a prefix is tried through its first address.
 */
#ifndef SSHDIAG_FIREWALL_LIST_H
#define SSHDIAG_FIREWALL_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "firewall/answer.h"

struct fw_listed {
	struct ip_addr addr;
	uint8_t sees;  /* enum fw_sees */
	uint8_t pkt;   /* enum fw_pkt that was stopped */
	uint8_t other; /* 1 for the "anyone else" address */
	struct fw_frame decisive;
	uint32_t set, elem;
};

struct fw_listing {
	struct fw_listed *blocked; /* in candidate order (sorted by address) */
	size_t nblocked;
	size_t ncandidates;   /* addresses tried */
	size_t ntruncated;    /* addresses not tried (over FW_MAX_LIST_CANDIDATES) */
	size_t naccepted;     /* tried and let through */
	int other_blocked[2]; /* [0] IPv4, [1] IPv6: "anyone else" is blocked */
	int other_tried[2];
	struct ip_addr other[2];
};

/*
 * Tries every candidate with template `q` (its client is ignored; port, server, iif used).
 * SD_OK or SD_ERR_ALLOC.  Release with fw_listing_release().
 */
int fw_list_blocked(const struct fw_ruleset *rs, const struct fw_question *q,
                    struct fw_listing *out);
void fw_listing_release(struct fw_listing *l);

#endif
