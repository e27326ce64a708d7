/*
 * limits.h — every bound the firewall parsers and the evaluator enforce, by name.
 *
 * Rulesets come from the diagnosed machine and may be huge (fail2ban without ipset keeps one
 * rule per banned address) or hostile (a crafted --root bundle).  Each parser fails with
 * SD_ERR_TOO_LONG instead of growing past these, and the evaluator gives up with an
 * "uncertain" verdict instead of looping.  The figures leave room for a 1,000,000-rule
 * iptables-save file and a 1,000,000-member ipset inside 256 MiB.
 */
#ifndef SSHDIAG_FIREWALL_LIMITS_H
#define SSHDIAG_FIREWALL_LIMITS_H

/* Bytes of one input (one iptables-save, ipset save or nft JSON document). */
#define FW_MAX_INPUT_BYTES (256u * 1024 * 1024)
/* Bytes of one iptables-save / ipset line. */
#define FW_MAX_LINE 65536u
/* Words of one iptables-save rule line. */
#define FW_MAX_TOKENS 512u
/* Rules, over all inputs. */
#define FW_MAX_RULES (4u * 1024 * 1024)
/* Conditions, over all rules. */
#define FW_MAX_CONDS (8u * 1024 * 1024)
/* Conditions of one rule. */
#define FW_MAX_RULE_CONDS 64u
/* Chains, tables and sets, over all inputs. */
#define FW_MAX_CHAINS 65536u
#define FW_MAX_TABLES 4096u
#define FW_MAX_SETS   65536u
/* Set elements, over all sets. */
#define FW_MAX_ELEMS (8u * 1024 * 1024)
/* Inputs in one ruleset. */
#define FW_MAX_SOURCES 16u
/* Nesting of one nft JSON expression that we walk ourselves. */
#define FW_MAX_JSON_DEPTH 32u
/* Bytes of one top-level nft JSON object (a rule with a huge anonymous set). */
#define FW_MAX_JSON_OBJECT (16u * 1024 * 1024)

/* Nested jumps; the kernel allows 16 in nftables, iptables-legacy about as many as chains. */
#define FW_MAX_DEPTH 64u
/* Rule visits for one packet before the verdict is declared uncertain. */
#define FW_MAX_STEPS (64u * 1024 * 1024)
/* Uncertain rules remembered per packet, and alternatives explored per question. */
#define FW_MAX_UNCERTAIN 16u
#define FW_MAX_ALTS      8u
/* Further blockers looked for behind the first one. */
#define FW_MAX_NEXT_BLOCKERS 3u

/* Parse problems kept per ruleset (more are counted, not kept). */
#define FW_MAX_NOTES 32u
/* Client addresses tried when no --client is given, and addresses kept per finding. */
#define FW_MAX_LIST_CANDIDATES 65536u
#define FW_MAX_LIST_EVIDENCE   200u
/* Findings (one per blocking chain and set) when no --client is given. */
#define FW_MAX_LIST_FINDINGS 64u

#endif
