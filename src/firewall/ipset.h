/*
 * ipset.h — reads the output of `ipset save` (ipset 6+, also what `ipset restore` reads):
 *
 *	create NAME TYPE [family inet|inet6] [timeout N] [netmask N] [range A-B] [comment] …
 *	add NAME ENTRY [timeout N] [nomatch] [comment "…"] [packets N bytes N] …
 *
 * Sets of type hash:ip, hash:net and bitmap:ip become address sets (elements are addresses,
 * CIDR blocks or ranges; `nomatch` marks exceptions), bitmap:port a port set, list:set a list
 * of member sets.  Other types (hash:ip,port, hash:net,iface, hash:mac, …) are kept with
 * their elements uncounted as "unsupported": a rule that tests them is uncertain, not
 * skipped.  Element lines remember their input line for evidence.  Bounded by FW_MAX_LINE,
 * FW_MAX_SETS and FW_MAX_ELEMS.
 */
#ifndef SSHDIAG_FIREWALL_IPSET_H
#define SSHDIAG_FIREWALL_IPSET_H

#include <stdint.h>

#include "firewall/ruleset.h"

int fw_ipset_parse(struct fw_ruleset *rs, uint32_t src);

#endif
