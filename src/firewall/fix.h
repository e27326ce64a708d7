/*
 * fix.h — the commands that would let the client through a blocking decision, spelled for
 * whoever owns the rule:
 *
 *	fail2ban    fail2ban-client set JAIL unbanip ADDR        (never hand-delete its rules)
 *	sshguard    delete the element or rule, and whitelist the address
 *	ufw         ufw allow from ADDR to any port PORT proto tcp
 *	firewalld   firewall-cmd --zone=ZONE --add-service=ssh   (runtime, then --permanent)
 *	a set entry ipset del SET ENTRY / nft delete element FAMILY TABLE SET { ENTRY }
 *	a rule that names the client
 *	            iptables [-t T] -D CHAIN SPEC / nft delete rule FAMILY TABLE CHAIN handle H
 *	a rule or policy that blocks everyone
 *	            insert an accept for the client before it (iptables -I CHAIN N …,
 *	            nft insert rule … position H …) or append one (policy)
 */
#ifndef SSHDIAG_FIREWALL_FIX_H
#define SSHDIAG_FIREWALL_FIX_H

#include "core/diagnosis.h"
#include "firewall/answer.h"
#include "firewall/owner.h"
#include "firewall/ruleset.h"

/* Adds the fix lines for decision d (of packet `pkt`) to finding f.  SD_OK or SD_ERR_ALLOC. */
int fw_fix_add(struct finding *f, const struct fw_ruleset *rs, const struct fw_decision *d,
               enum fw_pkt pkt, const struct fw_question *q, const struct fw_owner *o);

#endif
