/*
 * prober.h — the client-side network edge: connect to addresses, exchange identifications,
 * read the first binary packet, and record what happened (facts and timings) for the pure
 * classifier in probe/.
 *
 * Many targets are probed concurrently by one thread: non-blocking sockets driven by epoll,
 * at most `max_inflight` sockets open at once.  Attempts against the same address are
 * sequential with a gap, so "deterministic vs intermittent" compares like with like.
 * Our identification is sent first, as OpenSSH's ssh does, so the server-side TCP stack is in
 * the state ssh would put it in (a close with unread client data becomes a reset).
 * Memory per connection is bounded: one identification line (8 KiB) and one packet (grown on
 * demand, at most 256 KiB).
 */
#ifndef SSHDIAG_IO_PROBER_H
#define SSHDIAG_IO_PROBER_H

#include <stddef.h>
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
	unsigned gap_ms;             /* pause between attempts on one address */
	unsigned default_port;
	unsigned max_inflight; /* sockets open at once */
};

void probe_options_default(struct probe_options *o);

/*
 * Probes every spec (see target.h): resolves each, probes every address it resolves to
 * `repeat` times, concurrently across addresses.  On success *ret is an array of *nret
 * concluded results in input order (the caller releases each and frees the array); a name
 * that does not resolve gives one result with outcome resolve_failed.  A malformed spec
 * fails the whole call with SD_ERR_INVALID and *bad_spec set to its index.
 */
int probe_targets(char *const specs[], size_t nspecs, const struct probe_options *o,
                  struct probe_result **ret, size_t *nret, size_t *bad_spec);

#endif
