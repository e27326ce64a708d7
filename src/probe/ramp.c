#include "probe/ramp.h"

#include <math.h>
#include <string.h>

#include "base/err.h"

unsigned ramp_drop_percent(unsigned start, unsigned rate, unsigned full, unsigned k)
{
	if (k < start)
		return 0;
	if (k >= full || rate >= 100)
		return 100;
	return rate + (100 - rate) * (k - start) / (full - start);
}

/* Binomial log-likelihood of the observations under (start, rate, full). */
static double loglik(const struct ramp_level *lv, size_t n, unsigned start, unsigned rate,
                     unsigned full)
{
	double ll = 0, p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = ramp_drop_percent(start, rate, full, lv[i].held) / 100.0;
		/* keep impossible observations finite so one noisy level cannot veto a model */
		if (p < 1e-4)
			p = 1e-4;
		if (p > 1 - 1e-4)
			p = 1 - 1e-4;
		ll += lv[i].dropped * log(p) + (lv[i].tries - lv[i].dropped) * log(1 - p);
	}
	return ll;
}

int ramp_estimate(const struct ramp_level *lv, size_t n, unsigned full_tries_min,
                  struct ramp_estimate *out)
{
	unsigned start = 0, full = 0, maxk = 0, r, f, best_r = 0, best_f = 0, fmax;
	double best = -INFINITY, ll, trials_at_start = 0;
	int have_start = 0, have_full = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return SD_ERR_INVALID;
	for (i = 0; i < n; i++) {
		out->samples += lv[i].tries;
		if (lv[i].held > maxk)
			maxk = lv[i].held;
		if (lv[i].dropped > 0 && (!have_start || lv[i].held < start)) {
			start = lv[i].held;
			have_start = 1;
		}
		if (lv[i].tries >= full_tries_min && lv[i].dropped == lv[i].tries &&
		    (!have_full || lv[i].held < full)) {
			full = lv[i].held;
			have_full = 1;
		}
	}
	out->levels = (unsigned)n;
	if (!have_start)
		return SD_OK;
	out->have_start = 1;
	out->start = start;
	/* full ranges over what the data allows: exactly the observed one, or beyond what we held
	 */
	fmax = have_full ? full : (maxk + 1) * 4 + 16;
	for (f = have_full ? full : maxk + 1; f <= fmax; f++) {
		if (f <= start)
			continue;
		for (r = 1; r <= 100; r++) {
			ll = loglik(lv, n, start, r, f);
			if (ll > best) {
				best = ll;
				best_r = r;
				best_f = f;
			}
		}
	}
	out->rate = best_r;
	out->have_full = have_full;
	out->full = best_f;
	out->full_is_bound = !have_full;
	for (i = 0; i < n; i++)
		if (lv[i].held == start)
			trials_at_start += lv[i].tries;
	/* the start level alone pins the rate: two binomial standard errors of it */
	if (trials_at_start > 0) {
		double p = best_r / 100.0;
		out->rate_err = (unsigned)(200.0 * sqrt(p * (1 - p) / trials_at_start) + 0.5);
	} else {
		out->rate_err = 100;
	}
	return SD_OK;
}
