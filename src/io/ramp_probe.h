/*
 * ramp_probe.h — the network side of `probe --ramp`: an opt-in, bounded load test that
 * estimates MaxStartups by holding k unauthenticated connections open and counting how many
 * extra connections sshd drops at each k (see probe/ramp.h for the estimator).
 *
 * Bounds: never more than max_held connections held, never longer than deadline_ms in all
 * (kept well under sshd's default LoginGraceTime of 120 s, after which held connections would
 * be closed by the server), every socket released before returning.  Use it only against
 * servers you run: it makes hundreds of connections.
 */
#ifndef SSHDIAG_IO_RAMP_PROBE_H
#define SSHDIAG_IO_RAMP_PROBE_H

#include "probe/result.h"

struct ramp_options {
	const char *source;        /* local address to bind, or NULL */
	unsigned max_held;         /* MAX: held connections, at most */
	unsigned probes_per_level; /* extra connections measured at each level below start */
	unsigned full_tries;       /* drops in a row at one level that mean "full" */
	unsigned deadline_ms;      /* the whole run */
	unsigned gap_ms;           /* pause after closing an accepted probe, so sshd reaps it */
};

void ramp_options_default(struct ramp_options *o);

/*
 * Runs the ramp against r->address:r->port and fills r->ramp_* (levels, estimate, timing,
 * note); adds every connection made to r->connections_made.  SD_ERR_ALLOC only.
 */
int ramp_run(struct probe_result *r, const struct ramp_options *o);

#endif
