/*
 * ramp.h — estimating a server's MaxStartups start:rate:full from outside (pure part).
 *
 * sshd drops a new connection with probability p(k) when k unauthenticated connections are
 * already tracked (sshd.c should_drop_connection):
 *	k < start: 0;  k >= full: 100;  else rate + (100 - rate) * (k - start) / (full - start)
 * in integer percent, truncating.  The prober holds k connections and counts, at each level k,
 * how many extra connections were dropped.  The estimator takes those counts:
 *   start — the lowest level with any drop (the level below had none);
 *   full  — the lowest level at which nothing more could be accepted (when reached);
 *   rate  — the maximum-likelihood value of the formula over every observed level.
 */
#ifndef SSHDIAG_PROBE_RAMP_H
#define SSHDIAG_PROBE_RAMP_H

#include <stddef.h>

struct ramp_level {
	unsigned held;    /* k: connections we held open */
	unsigned tries;   /* extra connections attempted at this level */
	unsigned dropped; /* of which sshd dropped */
};

struct ramp_estimate {
	int have_start; /* a drop was seen */
	unsigned start;
	int have_full;     /* a level with every extra connection dropped was reached */
	unsigned full;     /* exact when have_full, else the maximum-likelihood extrapolation */
	int full_is_bound; /* full was not reached: `full` is an extrapolation */
	unsigned rate;     /* percent */
	unsigned rate_err; /* about two standard errors, percent */
	unsigned levels;   /* levels used */
	unsigned samples;  /* connections attempted in all */
};

/* The drop probability sshd applies, in percent (the formula above). */
unsigned ramp_drop_percent(unsigned start, unsigned rate, unsigned full, unsigned k);

/*
 * Estimates from `n` levels (any order).  `full_tries_min` is how many consecutive drops at one
 * level count as "nothing more could be accepted".  SD_OK, or SD_ERR_INVALID when no level
 * was measured.
 */
int ramp_estimate(const struct ramp_level *levels, size_t n, unsigned full_tries_min,
                  struct ramp_estimate *out);

#endif
