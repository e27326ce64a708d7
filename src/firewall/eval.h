/*
 * eval.h — walks one packet through a linked ruleset as the kernel would.
 *
 * A packet entering the host meets the base chains of the ingress, prerouting and input
 * hooks; a packet leaving it those of output and postrouting.  Every base chain of a hook
 * that applies to the packet's family runs — iptables-legacy tables, iptables-nft tables and
 * native nftables chains alike — in priority order.  `accept` ends only the current base
 * chain; `drop` and `reject` end everything (linux ipt_do_table(), nft_do_chain(); nft
 * doc/nft.txt "OVERALL EVALUATION OF THE RULESET").  nat chains see only the first packet of
 * a connection.  Inside a chain: jump pushes, goto does not, return pops (in a base chain:
 * the policy), the end of a regular chain returns.
 *
 * Conditions are three-valued.  What the ruleset cannot tell (rates, runtime state, an
 * unmodelled match, the in-interface when unknown) takes its "likely" value — the quiet,
 * usual case — and the rule is recorded as uncertain.  struct fw_assume lets a caller flip
 * chosen rules to their other value, or switch rules off, and evaluate again (answer.h
 * does, to say what happens under load or without a given rule).
 */
#ifndef SSHDIAG_FIREWALL_EVAL_H
#define SSHDIAG_FIREWALL_EVAL_H

#include <stdint.h>

#include "firewall/limits.h"
#include "firewall/ruleset.h"

enum fw_dir { FW_DIR_IN, FW_DIR_OUT };

struct fw_packet {
	uint8_t family;   /* 4 or 6 */
	uint8_t proto;    /* IP protocol (6) */
	uint8_t tcpflags; /* FW_TCP_* */
	uint8_t ctstate;  /* one FW_CT_* bit */
	uint8_t ctdir;    /* 1 original, 2 reply */
	uint8_t dst_known, src_known;
	struct fw_val src, dst;
	uint16_t sport, dport;
	char iif[16], oif[16]; /* "" when unknown (never loopback: the client is remote) */
	uint32_t mark;
	uint32_t srctype, dsttype; /* FW_AT_* of each address */
	uint16_t len;              /* bytes of the IP packet (typical Linux values) */
	uint8_t ct_attached;       /* born with a conntrack entry (a REJECT's reply) */
	uint8_t iif_primary_known;
	struct fw_val iif_primary; /* where REDIRECT sends it: the in-interface's first address */
};

/* A place in the ruleset: a rule, or (rule FW_NONE) the policy of a base chain. */
struct fw_frame {
	uint32_t chain;
	uint32_t rule;
};

struct fw_unc {
	uint32_t rule;
	uint8_t tern; /* enum fw_tern */
};

enum fw_outcome { FW_OUT_ACCEPT, FW_OUT_DROP, FW_OUT_REJECT };

struct fw_decision {
	uint8_t outcome; /* enum fw_outcome */
	uint8_t reject;  /* enum fw_reject, for FW_OUT_REJECT */
	uint8_t budget;  /* gave up at FW_MAX_STEPS / FW_MAX_DEPTH (outcome then ACCEPT) */
	uint8_t npath;
	/* for DROP/REJECT: the jumps that led there, then the deciding rule or policy */
	struct fw_frame path[FW_MAX_DEPTH + 1];
	uint32_t set, elem; /* the set element the deciding rule matched, FW_NONE if none */
	uint32_t tie_chain; /* an equal-priority base chain that would decide otherwise */
	uint32_t nat_rule;  /* a DNAT/REDIRECT we met and could not follow, FW_NONE if none */
	uint8_t redirected; /* REDIRECT rule redirect_rule rewrote the destination: nat_dst */
	uint32_t redirect_rule;
	uint8_t nat_dst_known;
	uint16_t nat_dport;
	struct fw_val nat_dst;
	struct fw_unc unc[FW_MAX_UNCERTAIN];
	uint32_t nunc, nunc_total;
};

#define FW_MAX_ASSUME 8u

struct fw_assume {
	uint32_t flip[FW_MAX_ASSUME]; /* rules whose uncertain conditions take the other value */
	uint32_t nflip;
	uint32_t off[FW_MAX_ASSUME]; /* rules assumed never to match */
	uint32_t noff;
};

/*
 * Evaluates packet `p` travelling `dir` through linked ruleset rs under assumptions `as`
 * (NULL: none).  Always fills *out.  The packet is not modified (marks and notrack are
 * applied to a copy).
 */
void fw_eval(const struct fw_ruleset *rs, const struct fw_packet *p, enum fw_dir dir,
             const struct fw_assume *as, struct fw_decision *out);

/* The deciding place of a DROP/REJECT decision (its last path frame). */
static inline const struct fw_frame *fw_decisive(const struct fw_decision *d)
{
	return d->npath ? &d->path[d->npath - 1] : 0;
}

#endif
