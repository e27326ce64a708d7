#include "report/report.h"

#include <string.h>

#include "base/err.h"

#define WIDTH 80

/* ANSI colours, only when the caller asked for them. */
static const char *c_on(int color, const char *code)
{
	return color ? code : "";
}
#define BOLD  "\033[1m"
#define RED   "\033[31m"
#define GREEN "\033[32m"
#define YEL   "\033[33m"
#define RESET "\033[0m"

static int finding_text(const struct finding *f, struct buf *out, int color)
{
	size_t i;
	int r = 0;

	r |= buf_addf(out, "%s[%s] %s%s (%s)\n",
	              c_on(color, f->severity == SEVERITY_BLOCKER ? RED : YEL),
	              severity_name(f->severity), cause_name(f->cause), c_on(color, RESET),
	              layer_name(f->layer));
	if (f->summary)
		r |= buf_add_wrapped(out, "  ", f->summary, 0, WIDTH);
	if (f->client_sees && f->client_sees[0]) {
		r |= buf_adds(out, "  The client sees:");
		r |= buf_add_wrapped(out, "    ", f->client_sees, 18, WIDTH);
	}
	if (f->nevidence)
		r |= buf_adds(out, "  Evidence:\n");
	for (i = 0; i < f->nevidence; i++) {
		const struct evidence *e = &f->evidence[i];
		struct buf l;
		buf_init(&l, 64 * 1024);
		if (e->line)
			r |= buf_addf(&l, "%s:%lu: %s", e->source, e->line, e->text);
		else
			r |= buf_addf(&l, "%s: %s", e->source, e->text);
		r |= buf_add_wrapped(out, "    ", l.data, 0, WIDTH);
		buf_release(&l);
	}
	if (f->nfix)
		r |= buf_adds(out, "  Fix:\n");
	for (i = 0; i < f->nfix; i++)
		r |= buf_add_wrapped(out, "    ", f->fix[i], 0, WIDTH);
	return r ? SD_ERR_ALLOC : SD_OK;
}

/* f applies g's decision, or g applies f's: one block, one fix. */
static int linked(const struct finding *f, const struct finding *g)
{
	return f && g && (f->enforces == g || g->enforces == f);
}

/* The fix commands of every blocker (and of a deciding risk) in order, each once. */
static int fixes_text(const struct diagnosis *d, struct buf *out)
{
	const struct finding *top = d->deciding >= 0 ? d->findings[d->deciding] : NULL;
	const char *seen[64];
	size_t i, k, j, nseen = 0, n = 0;
	int r = 0;

	for (k = 0; k <= d->nfindings; k++) {
		/* the deciding finding first, then the others in connection order */
		const struct finding *f = k == 0 ? top : d->findings[k - 1];
		if (!f || (k > 0 && f == top) || (f->severity != SEVERITY_BLOCKER && f != top))
			continue;
		/* a rule that applies a ban: the ban's own fixes are the ones to run */
		if (f->enforces && f->enforces->severity == SEVERITY_BLOCKER)
			continue;
		for (i = 0; i < f->nfix; i++) {
			for (j = 0; j < nseen && strcmp(seen[j], f->fix[i]) != 0; j++)
				;
			if (j < nseen)
				continue;
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = f->fix[i];
			if (n == 0)
				r |= buf_adds(out, "\nWhat to do, in order:\n");
			r |= buf_addf(out, "  %zu.", ++n);
			r |= buf_add_wrapped(out, "     ", f->fix[i], n < 10 ? 4 : 5, WIDTH);
		}
	}
	return r ? SD_ERR_ALLOC : SD_OK;
}

/* Without a client: the table of who is blocked, one address (or pattern) per row. */
static int blocked_text(const struct diagnosis *d, struct buf *out)
{
	size_t i;
	int r = 0;

	if (!d->nblocked) {
		r |= buf_addf(
		    out, "\nNo address is singled out on port %u by any layer that was read.\n",
		    d->port);
		return r ? SD_ERR_ALLOC : SD_OK;
	}
	r |= buf_addf(out,
	              "\nBlocked on port %u (%zu%s), in the order a connection meets the layers:\n",
	              d->port, d->nblocked + d->blocked_omitted,
	              d->blocked_omitted ? ", the first rows shown" : "");
	for (i = 0; i < d->nblocked; i++) {
		const struct blocked_row *b = &d->blocked[i];
		struct buf l;
		size_t col;

		buf_init(&l, 64 * 1024);
		/* a long pattern gets a line of its own */
		if (strlen(b->who) > 22)
			r |= buf_add_wrapped(out, "  ", b->who, 0, WIDTH);
		r |= buf_addf(out, "  %-22s %-14s", strlen(b->who) > 22 ? "" : b->who,
		              layer_name(b->layer));
		col = 2 + 22 + 1 + 14;
		r |= buf_addf(&l, "%s%s", b->severity == SEVERITY_BLOCKER ? "" : "may be: ", b->by);
		if (b->where.source && b->where.line)
			r |= buf_addf(&l, " (%s:%lu)", b->where.source, b->where.line);
		else if (b->where.source)
			r |= buf_addf(&l, " (%s)", b->where.source);
		if (b->until)
			r |= buf_addf(&l, "; until %s", b->until);
		if (b->fix)
			r |= buf_addf(&l, "; fix: %s", b->fix);
		r |= buf_add_wrapped(out, "                                       ", l.data, col,
		                     WIDTH);
		buf_release(&l);
	}
	if (d->blocked_omitted)
		r |= buf_addf(out, "  … and %zu more (see --json)\n", d->blocked_omitted);
	return r ? SD_ERR_ALLOC : SD_OK;
}

static int unread(const struct diagnosis *d, size_t i)
{
	return d->layers[i].status == LAYER_UNREADABLE ||
	       d->layers[i].status == LAYER_NOT_IMPLEMENTED;
}

static int same_note(const struct diagnosis *d, size_t i, size_t j)
{
	const char *a = d->layers[i].note ? d->layers[i].note : "";
	const char *b = d->layers[j].note ? d->layers[j].note : "";

	return strcmp(a, b) == 0;
}

int diagnosis_to_text(const struct diagnosis *d, struct buf *out, int color)
{
	const char *who = d->client ? d->client : "any client";
	const struct finding *top = d->deciding >= 0 ? d->findings[d->deciding] : NULL;
	size_t i, n = 0;
	int r = 0, after = 0;

	switch (d->verdict) {
	case VERDICT_BLOCKED:
	case VERDICT_INTERMITTENT: {
		const char *word = d->verdict == VERDICT_BLOCKED ? "BLOCKED" : "INTERMITTENT";
		struct buf l;
		buf_init(&l, 64 * 1024);
		r |= buf_addf(out, "%s%s%s:", c_on(color, BOLD RED), word, c_on(color, RESET));
		r |= buf_addf(&l, "%s port %u: %s", who, d->port,
		              top && top->summary ? top->summary : cause_name(top->cause));
		/* the colour codes take no columns: wrap as if only the word were there */
		r |= buf_add_wrapped(out, "  ", l.data, strlen(word) + 1, WIDTH);
		buf_release(&l);
		break;
	}
	case VERDICT_CLEAR:
		if (d->client)
			r |= buf_addf(out, "%sCLEAR%s: %s port %u: no layer stops this client\n",
			              c_on(color, BOLD GREEN), c_on(color, RESET), who, d->port);
		else {
			struct buf l;
			buf_init(&l, 4096);
			r |= buf_addf(out, "%sCLEAR%s:", c_on(color, BOLD GREEN),
			              c_on(color, RESET));
			r |= buf_addf(&l, "any client port %u: nothing stops every client%s",
			              d->port,
			              d->nblocked ? "; the addresses below are blocked" : "");
			r |= buf_add_wrapped(out, "  ", l.data, 6, WIDTH);
			buf_release(&l);
		}
		break;
	case VERDICT_INCONCLUSIVE: {
		struct buf l;
		buf_init(&l, 4096);
		r |= buf_addf(out,
		              "%sINCONCLUSIVE%s: %s port %u: some layers could not be checked\n",
		              c_on(color, BOLD YEL), c_on(color, RESET), who, d->port);
		r |= buf_adds(&l, "Not checked:");
		for (i = 0; i < LAYER__COUNT; i++) {
			size_t j, k;
			int dup = 0;

			if (!unread(d, i))
				continue;
			/* layers that share a reason are named together, the reason once */
			for (j = 0; j < i && !dup; j++)
				dup = unread(d, j) && same_note(d, i, j);
			if (dup)
				continue;
			r |= buf_addf(&l, "%s %s", n++ ? ";" : "", layer_name((enum layer_id)i));
			for (k = i + 1; k < LAYER__COUNT; k++)
				if (unread(d, k) && same_note(d, i, k))
					r |= buf_addf(&l, ", %s", layer_name((enum layer_id)k));
			if (d->layers[i].note && *d->layers[i].note)
				r |= buf_addf(&l, " (%s)", d->layers[i].note);
		}
		r |= buf_add_wrapped(out, "  ", l.data, 0, WIDTH);
		buf_release(&l);
		break;
	}
	}
	if (!d->client)
		r |= blocked_text(d, out);
	for (i = 0; i < d->nfindings; i++) {
		const struct finding *f = d->findings[i];

		r |= buf_addch(out, '\n');
		/* a second, independent blocker: fixing the first does not let the client in */
		if (top && f != top && !linked(f, top) && f->severity == SEVERITY_BLOCKER &&
		    top->severity == SEVERITY_BLOCKER && (long)i > d->deciding) {
			if (!after++)
				r |=
				    buf_adds(out, "After you fix the above, this stops you too:\n");
		}
		r |= finding_text(f, out, color);
		if (f->enforces) {
			struct buf l;
			buf_init(&l, 4096);
			r |= buf_addf(&l,
			              "(This rule is how the %s finding is enforced: its fix "
			              "removes this rule too.)",
			              cause_name(f->enforces->cause));
			r |= buf_add_wrapped(out, "  ", l.data, 0, WIDTH);
			buf_release(&l);
		}
	}
	r |= fixes_text(d, out);
	r |= buf_adds(out, "\nLayers, in the order a connection meets them:\n");
	for (i = 0; i < LAYER__COUNT; i++) {
		const struct layer_result *l = &d->layers[i];
		r |= buf_addf(out, "  %-15s %-15s", layer_name((enum layer_id)i),
		              layer_status_name(l->status));
		r |= buf_add_wrapped(out, "                                  ",
		                     l->note ? l->note : "", 33, WIDTH);
	}
	return r ? SD_ERR_ALLOC : SD_OK;
}

int probe_result_to_text(const struct probe_result *r, struct buf *out, int color)
{
	size_t i;
	int rc = 0;
	int good = probe_outcome_is_success(r->outcome);

	{
		struct buf l;
		const char *sep = " (";
		buf_init(&l, 64 * 1024);
		rc |= buf_addf(out, "%s%s%s", c_on(color, BOLD), r->target, c_on(color, RESET));
		rc |= buf_addf(&l, "%s (%s port %u): %s, %s", good ? "OK" : "FAILS",
		               r->address ? r->address : "?", r->port,
		               probe_outcome_name(r->outcome), probe_pattern_name(r->pattern));
		for (i = 0; r->pattern == PATTERN_INTERMITTENT && i < OUTCOME__COUNT; i++)
			if (r->counts[i]) {
				rc |= buf_addf(&l, "%s%zu %s", sep, r->counts[i],
				               probe_outcome_name((enum probe_outcome)i));
				sep = ", ";
			}
		if (r->pattern == PATTERN_INTERMITTENT)
			rc |= buf_addch(&l, ')');
		rc |= buf_add_wrapped(out, "  ", l.data, strlen(r->target), WIDTH);
		buf_release(&l);
	}
	rc |= buf_add_wrapped(out, "  ", probe_outcome_text(r->outcome), 0, WIDTH);
	for (i = 0; i < r->nattempts; i++) {
		const struct probe_attempt *a = &r->attempts[i];
		rc |= buf_addf(out, "  attempt %zu: %-20s after %.0f ms%s%s\n", i + 1,
		               probe_outcome_name(a->outcome), a->end_ms, a->detail ? ": " : "",
		               a->detail ? a->detail : "");
	}
	if (r->banner_line)
		rc |= buf_addf(out, "  banner: %s\n", r->banner_line);
	for (i = 0; i < r->npre_lines && i < BANNER_KEEP_PRE_LINES; i++)
		rc |= buf_addf(out, "  pre-banner line %zu: %s\n", i, r->pre_lines[i]);
	if (r->disconnect)
		rc |= buf_addf(out, "  server disconnected: %s\n", r->disconnect);
	if (r->have_kexinit) {
		const struct namelist *k = &r->kexinit.lists[KEX_ALGS];
		rc |=
		    buf_addf(out,
		             "  kexinit: %zu kex, %zu host key, %zu cipher algorithms; "
		             "strict-kex %s\n",
		             k->n, r->kexinit.lists[KEX_HOSTKEY].n, r->kexinit.lists[KEX_ENC_S2C].n,
		             r->kexinit.strict_kex ? "yes" : "no");
	}
	if (r->algo_mismatch) {
		rc |= buf_adds(out, "  the local ssh client will fail:\n");
		rc |= buf_add_wrapped(out, "    ", r->algo_mismatch, 0, WIDTH);
	} else if (r->have_algos && r->algo_chosen[ALGO_KEX])
		rc |= buf_addf(out, "  ssh would negotiate: %s, %s, %s\n", r->algo_chosen[ALGO_KEX],
		               r->algo_chosen[ALGO_HOSTKEY] ? r->algo_chosen[ALGO_HOSTKEY] : "?",
		               r->algo_chosen[ALGO_CIPHER_C2S] ? r->algo_chosen[ALGO_CIPHER_C2S]
		                                               : "?");
	if (r->deep.ran) {
		const struct probe_deep *d = &r->deep;
		rc |= buf_addf(out, "  deep stage as '%s': %s after %.0f ms\n", d->user,
		               probe_outcome_name(d->outcome), d->kex_ms + d->auth_ms);
		if (d->kex)
			rc |= buf_addf(out, "    kex %s, host key %s %s\n", d->kex,
			               d->hostkey_type ? d->hostkey_type : "?",
			               d->fingerprint ? d->fingerprint : "");
		if (d->cipher_s2c)
			rc |= buf_addf(out, "    cipher %s, mac %s\n", d->cipher_s2c,
			               d->mac_s2c ? d->mac_s2c : "?");
		if (d->auth_methods)
			rc |= buf_addf(out, "    authentication offered: %s\n", d->auth_methods);
		if (d->error) {
			rc |= buf_adds(out, "    error:\n");
			rc |= buf_add_wrapped(out, "      ", d->error, 0, WIDTH);
		}
	}
	if (r->ramp_ran) {
		const struct ramp_estimate *e = &r->ramp;
		if (e->have_start)
			rc |=
			    buf_addf(out,
			             "  MaxStartups estimate: %u:%u:%u (start exact, full %s, rate "
			             "%u +/- %u)\n",
			             e->start, e->rate, e->full,
			             e->have_full ? "exact" : "extrapolated", e->rate, e->rate_err);
		else
			rc |= buf_addf(out,
			               "  MaxStartups estimate: no drop while holding up to %u\n",
			               r->ramp_max_held);
		rc |= buf_addf(out, "    from %u extra connections over %u levels in %.1f s\n",
		               e->samples, e->levels, r->ramp_seconds);
		if (r->ramp_note)
			rc |= buf_add_wrapped(out, "    note: ", r->ramp_note, 0, WIDTH);
	}
	if (r->ncauses)
		rc |= buf_adds(out, "  Likely causes, most likely first:\n");
	for (i = 0; i < r->ncauses; i++) {
		rc |= buf_addf(out, "  %zu. %s\n", i + 1, cause_name(r->causes[i].cause));
		rc |= buf_add_wrapped(out, "     ", r->causes[i].why, 0, WIDTH);
	}
	if (r->nserver_checks)
		rc |= buf_adds(out, "  On the server, run:\n");
	for (i = 0; i < r->nserver_checks; i++)
		rc |= buf_addf(out, "    %s\n", r->server_checks[i]);
	rc |= buf_addf(out, "  connections made: %u\n", r->connections_made);
	if (r->budget_warning)
		rc |= buf_add_wrapped(out, "  ! ", r->budget_warning, 0, WIDTH);
	return rc ? SD_ERR_ALLOC : SD_OK;
}
