/*
 * render.h — the words evidence is made of: where a rule is, what it says as its own tool
 * prints it, how the packet got there.  Appends to a struct buf; never decides anything.
 *
 *	fw_render_place   "iptables filter INPUT rule 3", "nft inet sdlab input rule 2 (handle 17)",
 *	                  "iptables filter INPUT policy"
 *	fw_render_rule    "-A f2b-sshd -s 192.0.2.10/32 -j REJECT --reject-with
 *icmp-port-unreachable", "ip saddr @blocked tcp dport 22 drop" fw_render_path    "INPUT rule 1 →
 *f2b-sshd rule 3" fw_render_elem    "add f2b-sshd 192.0.2.10", "element inet sdlab blocked {
 *192.0.2.10 }"
 */
#ifndef SSHDIAG_FIREWALL_RENDER_H
#define SSHDIAG_FIREWALL_RENDER_H

#include <stdint.h>

#include "base/buf.h"
#include "firewall/answer.h"
#include "firewall/eval.h"
#include "firewall/ruleset.h"

int fw_render_place(const struct fw_ruleset *rs, const struct fw_frame *f, struct buf *out);
/* Appends untrusted rule text: printable ASCII as is, anything else as \xNN. */
int fw_add_text(struct buf *b, const char *s, size_t len);
/* The rule's text; for a policy frame, the chain's declaration (":INPUT DROP [0:0]"). */
int fw_render_frame_text(const struct fw_ruleset *rs, const struct fw_frame *f, struct buf *out);
int fw_render_rule(const struct fw_ruleset *rs, uint32_t rule, struct buf *out);
int fw_render_path(const struct fw_ruleset *rs, const struct fw_decision *d, struct buf *out);
int fw_render_elem(const struct fw_ruleset *rs, uint32_t set, uint32_t elem, struct buf *out);
/* The element's value only: "192.0.2.10", "10.0.0.0/8", "172.16.0.1-172.16.0.9", "22". */
int fw_render_elem_value(const struct fw_ruleset *rs, uint32_t set, uint32_t elem, struct buf *out);
/* "table ip filter", "ipset" — the kind of object, for summaries. */
int fw_render_table(const struct fw_ruleset *rs, uint32_t table, struct buf *out);

/* The source a frame's evidence cites ("iptables-save", "/etc/iptables/rules.v4"). */
const char *fw_frame_origin(const struct fw_ruleset *rs, const struct fw_frame *f);
/*
 * The evidence line of a frame: the rule number for live captures (and one-line JSON), the
 * file line otherwise; for a policy, the chain's declaration line (0 for nft).
 */
unsigned long fw_frame_line(const struct fw_ruleset *rs, const struct fw_frame *f);

/* A multi-line explanation of an answer (packets, path, uncertain rules), for tools. */
int fw_render_answer(const struct fw_ruleset *rs, const struct fw_answer *a, struct buf *out);

#endif
