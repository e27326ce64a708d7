/*
 * answer.h — "can this client open an SSH connection?", asked of a linked ruleset.
 *
 * One question is up to six packets, each walked through the ruleset (eval.h):
 *   SYN      client → server, ct new          blocked: connect() fails or times out
 *   SYN-ACK  server → client, ct established  blocked: connect() times out
 *   ACK      client → server, ct established  the handshake's last segment; blocked: the
 *                                             server never accepts (refused/reset/hang)
 *   DATA     client → server, ct established  the client's version string, sent at once
 *   BANNER   server → client, ct established  the server's version string *   REPLY    what a
 * REJECT sends back (ICMP error, or RST), server → client, ct related: when output drops it, the
 * client sees the silence of a DROP instead RESYN    the client's SYN again, when the SYN-ACK died
 * after conntrack saw it: the connection then counts as answered, the retry is "established", and a
 * rule for established packets may reject it (measured) A REDIRECT on the SYN (to the same port)
 * moves the connection to the in-interface's first address; conntrack applies that to every later
 * packet, and so does the model. Lengths are Linux's defaults (SYN and SYN-ACK 60 bytes with MSS,
 * SACK, timestamps and window scale; a pure ACK 52; a version string 92; IPv6 20 more), so `-m
 * length` rules that tell the handshake from data decide as they do on a stock system.
 *
 * What the client sees was measured against Linux 6.x and OpenSSH 9.2 by the differential
 * test (tests/firewall/diff): a REJECT of the SYN gives its errno at once (tcp-reset and
 * port-unreachable: ECONNREFUSED; host-/admin-prohibited: EHOSTUNREACH; net-*: ENETUNREACH;
 * proto-unreachable: ENOPROTOOPT; ICMPv6 adm-prohibited, policy-fail, reject-route: EACCES);
 * a REJECT of a later client packet gives the same errno (tcp-reset: ECONNRESET) rather than
 * a hang; a DROP anywhere, a blocked server packet or a dropped reply gives silence.  Every
 * uncertain rule met is flipped once and the question asked again, so the answer knows
 * whether getting through is certain, depends on rate, or is uncertain.
 *
 * The same question asked of the client's own host (`local`, for `sshdiag probe`): the same
 * packets, seen from the other end — SYN, ACK and DATA leave through output, SYN-ACK and
 * BANNER come in through input, the client's address is local.  A local reject reaches the
 * socket at once (port-unreachable and tcp-reset: ECONNREFUSED); a dropped SYN or SYN-ACK
 * makes connect() time out, a later drop leaves ssh waiting for the banner (measured by
 * tests/probe/client_side.sh).  REPLY and RESYN are not asked.
 */
#ifndef SSHDIAG_FIREWALL_ANSWER_H
#define SSHDIAG_FIREWALL_ANSWER_H

#include <stdint.h>

#include "core/conn.h"
#include "firewall/eval.h"

enum fw_pkt {
	FW_PKT_SYN,
	FW_PKT_SYNACK,
	FW_PKT_ACK,
	FW_PKT_DATA,
	FW_PKT_BANNER,
	FW_PKT_REPLY,
	FW_PKT_RESYN,
	FW_PKT__COUNT
};

enum fw_sees {
	FW_SEES_CONNECTS,    /* the handshake completes and data flows */
	FW_SEES_REFUSED,     /* ECONNREFUSED: "Connection refused" */
	FW_SEES_TIMEOUT,     /* ETIMEDOUT: "Connection timed out" */
	FW_SEES_NO_ROUTE,    /* EHOSTUNREACH: "No route to host" */
	FW_SEES_NET_UNREACH, /* ENETUNREACH: "Network is unreachable" */
	FW_SEES_PROTO,       /* ENOPROTOOPT: "Protocol not available" */
	FW_SEES_PERM,        /* EACCES: "Permission denied" (ICMPv6 administratively prohibited) */
	FW_SEES_RESET,       /* ECONNRESET: "Connection reset by peer" (connect or first read) */
	FW_SEES_HANG,        /* connected, then silence until ConnectTimeout or TCP gives up */
	FW_SEES__COUNT
};

/* Whether the client gets through (not which message it prints: see sees_varies). */
enum fw_certainty {
	FW_CERTAIN,        /* no uncertain rule could turn a block into a pass or back */
	FW_RATE_DEPENDENT, /* rate or runtime state (limit, recent, ct count) could */
	FW_UNCERTAIN, /* an unmodelled match or target, missing context or set contents could */
};

struct fw_question {
	struct ip_addr client; /* family 4 or 6 */
	struct ip_addr server; /* family 0 when unknown */
	struct ip_addr
	    iif_addr;         /* the in-interface's first address (REDIRECT), family 0: unknown */
	unsigned port;        /* the SSH port */
	unsigned client_port; /* 0: FW_CLIENT_PORT, a typical Linux ephemeral port */
	const char *iif;      /* interface toward the client, NULL or "" when unknown */
	int local;            /* 1: asked of the client's own host (see below); iif then names
	                         the interface toward the server */
};

#define FW_CLIENT_PORT 50000u

struct fw_alt {
	uint32_t rule; /* the uncertain rule that was flipped */
	uint8_t tern;  /* why it is uncertain (enum fw_tern) */
	uint8_t sees;  /* what the client sees then */
	uint8_t pkt;   /* the packet then blocked, FW_PKT__COUNT if none */
	struct fw_frame decisive;
};

struct fw_answer {
	struct fw_decision pkt[FW_PKT__COUNT];
	uint8_t evaluated[FW_PKT__COUNT];
	uint8_t blocked;     /* enum fw_pkt that was stopped, FW_PKT__COUNT when none */
	uint8_t reply_lost;  /* the REJECT's reply was dropped on the way out (see pkt[REPLY]) */
	uint8_t sees;        /* enum fw_sees */
	uint8_t certainty;   /* enum fw_certainty */
	uint8_t sees_varies; /* blocked either way, but the client's message may differ */
	struct fw_alt alt[FW_MAX_ALTS];
	uint32_t nalt;
};

/* Builds the packets of a question (REPLY as for an ICMP error; see fw_reply_packet). */
void fw_question_packets(const struct fw_question *q, struct fw_packet out[FW_PKT__COUNT]);
/* The packet a REJECT of `to` sends back (ICMP error or RST). */
void fw_reply_packet(const struct fw_packet *to, enum fw_reject rj, struct fw_packet *out);

/* Evaluates under assumptions (NULL: none), without exploring alternatives. */
void fw_answer_assume(const struct fw_ruleset *rs, const struct fw_question *q,
                      const struct fw_assume *as, struct fw_answer *out);
/* Evaluates, then flips each uncertain rule met to fill alt[] and certainty. */
void fw_answer(const struct fw_ruleset *rs, const struct fw_question *q, struct fw_answer *out);

/* The deciding frame of a blocked answer (NULL when none). */
const struct fw_frame *fw_answer_decisive(const struct fw_answer *a);

/* What a SYN rejected this way makes connect() fail with. */
enum fw_sees fw_reject_sees(enum fw_reject rj, int family);
/* "Connection refused", … (the strerror text, or OpenSSH's message after connect). */
const char *fw_sees_text(enum fw_sees s);
/* A stable short id: "connects", "refused", "timeout", … */
const char *fw_sees_name(enum fw_sees s);
/* "icmp-port-unreachable", "tcp-reset", "icmpx admin-prohibited", … */
const char *fw_reject_name(enum fw_reject rj);
const char *fw_tern_text(enum fw_tern t);

#endif
