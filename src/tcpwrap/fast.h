/*
 * fast.h — skipping the lines of a table that cannot match one client, quickly.
 *
 * A DenyHosts or fail2ban hosts.deny is a long run of "sshd: 192.0.2.7" lines.  For a given
 * client such a line matches only if one of its addresses is the client's address, as text:
 * a client list made of digits and dots alone holds no wildcard, mask, prefix ("a.b."),
 * suffix (".c"), name or keyword.  The daemon list repeats from line to line, so its verdict
 * is remembered by its text.  Lines of that shape are passed over without tokenising them
 * twice or building anything; every other line — and every line that matches — is left to
 * the general reader and matcher, so the outcome is exactly theirs.
 */
#ifndef SSHDIAG_TCPWRAP_FAST_H
#define SSHDIAG_TCPWRAP_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "tcpwrap/lines.h"
#include "tcpwrap/match.h"

struct ha_fast {
	const char *daemons; /* the daemon list last evaluated (NULL: none yet) */
	size_t dlen;
	enum ha_tri dres;     /* its verdict */
	uint64_t prefix;      /* the list and its ':' as a word, if they fit in 8 bytes */
	uint64_t prefix_mask; /* 0: they do not fit */
};

/*
 * Consumes, at the reader's position, rule lines that surely do not match and comment lines
 * (remembering a "# DenyHosts:" one in *dh, *dh_len, as the general scan does).  Returns at
 * the first line the general reader must see, or at the end.
 */
void ha_fast_skip(struct ha_fast *f, struct ha_eval *ev, struct ha_reader *r, const char **dh,
                  size_t *dh_len);

/* For a parsed rule: 1 if it surely does not match, 0 if it must be evaluated. */
int ha_fast_rule_misses(struct ha_fast *f, struct ha_eval *ev, const char *text, size_t colon1,
                        size_t cend);

#endif
