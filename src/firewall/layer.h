/*
 * layer.h — the firewall layer of `sshdiag server`: captured rulesets in, findings out.
 *
 * The I/O edge (io/collect_firewall.h) fills a struct firewall_inputs — the output of
 * iptables-save, ip6tables-save, their -legacy twins, ipset save and nft -j list ruleset in
 * live mode, or files from --root / --iptables-save / --ipset / --nft-json — and this pure
 * function does the rest:
 *
 *	firewall_layer_evaluate(&inputs, &conn, &diagnosis);
 *
 * With a client it asks answer.h whether that client's SSH connection gets through and adds
 *   - `firewall_reject` / `firewall_drop` / `firewall_reset` as a blocker when the verdict is
 *     certain (a risk when it depends on rate or on something we cannot model), with
 *     evidence: every rule on the path (source, rule number or file line, text), the set
 *     element, the owner (fail2ban jail, sshguard, ufw, firewalld zone, Docker, …), and a fix;
 *   - the blockers behind the first one (what would still stop the client once it is fixed);
 *   - a risk for each rate-limited or unmodelled rule that would block if it went the other
 *     way ("unmodelled match in rule N — verdict uncertain").
 * Without a client it lists every address a rule blocks on the SSH port (info findings, one
 * per blocking chain and set, one evidence line per address), and says whether anyone else
 * is blocked (a blocker when nobody at all can connect).
 *
 * Layer status: evaluated when the rules were read; unreadable, with a note saying what
 * would make them readable, when an input that may hold rules could not be read and nothing
 * blocks the client anyway (a drop in the part we can read is still a drop).
 */
#ifndef SSHDIAG_FIREWALL_LAYER_H
#define SSHDIAG_FIREWALL_LAYER_H

#include <stddef.h>

#include "base/buf.h"
#include "core/conn.h"
#include "core/diagnosis.h"
#include "firewall/ruleset.h"

enum firewall_input_state {
	FW_INPUT_ABSENT,     /* the command is not installed / the file does not exist */
	FW_INPUT_PRESENT,    /* data holds the bytes */
	FW_INPUT_UNREADABLE, /* permission denied and the like: see why */
	FW_INPUT_FAILED,     /* ran but failed, timed out, or was cut off: see why */
};

struct firewall_input {
	enum fw_input_kind kind;
	enum firewall_input_state state;
	const char *origin; /* "iptables-save", or the path as seen on the diagnosed system */
	const char *data;   /* PRESENT: the bytes, borrowed for the call */
	size_t len;
	const char *why; /* UNREADABLE / FAILED: a one-line reason */
};

struct firewall_inputs {
	struct firewall_input in[FW_MAX_SOURCES];
	size_t n;
	int live;             /* commands on this host: evidence lines are rule numbers */
	const char *iif;      /* the interface the client's packets arrive on, NULL if unknown */
	const char *iif_addr; /* that interface's first address (for REDIRECT), NULL if unknown */
	const char *remedy;   /* what would make unreadable inputs readable ("run as root") */
	const char *note;     /* anything else the collector wants said in the layer note */
};

/* Evaluates the layer for connection c into d.  SD_OK or SD_ERR_ALLOC. */
int firewall_layer_evaluate(const struct firewall_inputs *in, const struct conn_spec *c,
                            struct diagnosis *d);

/*
 * Parses and links every present input into rs (initialised by the caller).  Writes how
 * many present inputs could not be parsed, and a note naming them into `why` (may be NULL).
 * SD_OK or SD_ERR_ALLOC; rs must be released by the caller either way.
 */
int firewall_build(const struct firewall_inputs *in, struct fw_ruleset *rs, unsigned *ret_failed,
                   struct buf *why);

#endif
