/*
 * prober.h — the client-side network edge: connect to one address, exchange identifications,
 * read the first binary packet, and record what happened (facts and timings) for the pure
 * classifier in probe/.
 *
 * It sends our identification first, as OpenSSH's ssh does, so the server-side TCP stack is
 * in the same state and the probe sees what ssh sees (a close with unread client data turns
 * into a reset).  Memory is bounded: one identification line and one packet at most.
 */
#ifndef SSHDIAG_IO_PROBER_H
#define SSHDIAG_IO_PROBER_H

#include <sys/socket.h>

#include "probe/result.h"

#define PROBE_IDENT "SSH-2.0-sshdiag_" SSHDIAG_VERSION

struct probe_options {
	int family;                  /* AF_UNSPEC, AF_INET or AF_INET6 */
	const char *source;          /* local address to bind, or NULL */
	unsigned connect_timeout_ms; /* TCP handshake */
	unsigned banner_timeout_ms;  /* from connect to the version line */
	unsigned kexinit_timeout_ms; /* from the version line to the first packet */
	unsigned repeat;             /* attempts per address */
	unsigned gap_ms;             /* pause between attempts */
	unsigned default_port;
};

void probe_options_default(struct probe_options *o);

/*
 * Probes `spec` (see target.h): resolves it and probes every address it resolves to,
 * `repeat` times each.  On success *ret is an array of *nret concluded results (the caller
 * releases each and frees the array).  A name that does not resolve gives one result with
 * outcome resolve_failed.  SD_ERR_INVALID for a malformed spec.
 */
int probe_target(const char *spec, const struct probe_options *o, struct probe_result **ret,
                 size_t *nret);

#endif
