/*
 * owner.h — which tool put a blocking rule there, recognised by the names it gives its
 * objects (semantics.md §4.7), so the bans layer can explain the ban and the fix can go
 * through the tool instead of around it:
 *
 *	fail2ban   chains f2b-JAIL (fail2ban-JAIL before 0.10), ipsets f2b-JAIL[6],
 *	           nft table f2b-table with sets addr-set-JAIL / addr6-set-JAIL
 *	sshguard   chain sshguard, ipsets sshguard4/6, nft tables sshguard (set attackers)
 *	ufw        chains ufw-* and ufw6-*
 *	firewalld  nft table inet firewalld (zone from filter_IN_ZONE…), iptables IN_ZONE…,
 *	           INPUT_direct
 *	Docker     chains DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-N, DOCKER-INGRESS
 *	CSF        chains LOCALINPUT, DENYIN, ALLOWIN, GDENYIN, LOGDROPIN, CC_DENY, …
 *	CrowdSec   ipsets/sets crowdsec-blacklists*, crowdsec6-blacklists*, chain CROWDSEC_CHAIN
 *
 * The matched set speaks first, then the chains of the path from the innermost out, then
 * the table.
 */
#ifndef SSHDIAG_FIREWALL_OWNER_H
#define SSHDIAG_FIREWALL_OWNER_H

#include "firewall/eval.h"
#include "firewall/ruleset.h"

enum fw_owner_kind {
	FW_OWNER_NONE,
	FW_OWNER_FAIL2BAN,
	FW_OWNER_SSHGUARD,
	FW_OWNER_UFW,
	FW_OWNER_FIREWALLD,
	FW_OWNER_DOCKER,
	FW_OWNER_CSF,
	FW_OWNER_CROWDSEC,
	FW_OWNER__COUNT
};

struct fw_owner {
	enum fw_owner_kind kind;
	char detail[64]; /* fail2ban jail, firewalld zone; "" when unknown */
	char via[96];    /* what gave it away: "chain f2b-sshd", "ipset sshguard4" */
};

/* Recognises the owner of a blocking decision (kind FW_OWNER_NONE when none). */
void fw_owner_of(const struct fw_ruleset *rs, const struct fw_decision *d, struct fw_owner *out);
/* Recognises the owner of one name: a chain (in table `table`), or a set when is_set. */
int fw_owner_of_name(const struct fw_ruleset *rs, uint32_t table, const char *name, int is_set,
                     struct fw_owner *out);
/* "fail2ban", "sshguard", "ufw", "firewalld", "docker", "csf", "crowdsec", "". */
const char *fw_owner_name(enum fw_owner_kind k);

#endif
