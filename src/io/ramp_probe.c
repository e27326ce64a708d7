#include "io/ramp_probe.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"

#define TRY_TIMEOUT_MS 3000

enum try_result { TRY_ACCEPTED, TRY_DROPPED, TRY_UNKNOWN };

void ramp_options_default(struct ramp_options *o)
{
	o->source = NULL;
	o->max_held = 64;
	o->probes_per_level = 40;
	o->full_tries = 600;
	o->deadline_ms = 60000;
	o->gap_ms = 20;
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

struct ramp_run_state {
	struct sockaddr_storage sa;
	socklen_t salen;
	struct sockaddr_storage src;
	socklen_t srclen;
	int *held;
	size_t nheld;
	struct ramp_level *levels;
	size_t nlevels;
	unsigned connections;
};

/* Connects and waits for either the banner (accepted) or a close/drop line (dropped). */
static enum try_result try_once(struct ramp_run_state *st, int *ret_fd)
{
	struct pollfd p;
	char buf[256];
	size_t got = 0;
	double deadline = mono_ms() + TRY_TIMEOUT_MS;
	ssize_t n;
	int fd, r;

	*ret_fd = -1;
	fd = socket(st->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return TRY_UNKNOWN;
	if (st->srclen && bind(fd, (struct sockaddr *)&st->src, st->srclen) != 0) {
		close(fd);
		return TRY_UNKNOWN;
	}
	st->connections++;
	if (connect(fd, (struct sockaddr *)&st->sa, st->salen) != 0) {
		close(fd);
		return TRY_UNKNOWN;
	}
	for (;;) {
		p.fd = fd;
		p.events = POLLIN;
		r = poll(&p, 1, (int)(deadline - mono_ms()) > 0 ? (int)(deadline - mono_ms()) : 0);
		if (r <= 0)
			break;
		n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (n <= 0) {
			close(fd);
			return TRY_DROPPED; /* closed or reset before a banner: sshd's drop */
		}
		got += (size_t)n;
		if (got >= 4 && memcmp(buf, "SSH-", 4) == 0) {
			*ret_fd = fd;
			return TRY_ACCEPTED;
		}
		if (memchr(buf, '\n', got) || got >= sizeof(buf) - 1) {
			/* "Exceeded MaxStartups" / "Not allowed at this time": a drop */
			close(fd);
			return TRY_DROPPED;
		}
	}
	close(fd);
	return TRY_UNKNOWN;
}

static struct ramp_level *level_at(struct ramp_run_state *st, unsigned held)
{
	struct ramp_level *v;

	if (st->nlevels && st->levels[st->nlevels - 1].held == held)
		return &st->levels[st->nlevels - 1];
	if ((v = realloc(st->levels, (st->nlevels + 1) * sizeof(*v))) == NULL)
		return NULL;
	st->levels = v;
	memset(&v[st->nlevels], 0, sizeof(*v));
	v[st->nlevels].held = held;
	return &v[st->nlevels++];
}

/* One measured extra connection at the current level; accepted ones are closed again. */
static int sample(struct ramp_run_state *st, const struct ramp_options *o, int *dropped)
{
	struct ramp_level *lv = level_at(st, (unsigned)st->nheld);
	enum try_result t;
	int fd;

	if (!lv)
		return SD_ERR_ALLOC;
	t = try_once(st, &fd);
	*dropped = t == TRY_DROPPED;
	if (t == TRY_UNKNOWN)
		return SD_OK;
	lv->tries++;
	lv->dropped += t == TRY_DROPPED;
	if (fd >= 0) {
		close(fd);
		pause_ms(o->gap_ms);
	}
	return SD_OK;
}

/* Tries to hold one more connection; every try is a sample at the current level. */
static int acquire(struct ramp_run_state *st, unsigned max_tries, double deadline, int *ok)
{
	struct ramp_level *lv;
	enum try_result t;
	unsigned i;
	int fd;

	*ok = 0;
	for (i = 0; i < max_tries && mono_ms() < deadline; i++) {
		if ((lv = level_at(st, (unsigned)st->nheld)) == NULL)
			return SD_ERR_ALLOC;
		t = try_once(st, &fd);
		if (t == TRY_UNKNOWN)
			continue;
		lv->tries++;
		if (t == TRY_DROPPED) {
			lv->dropped++;
			continue;
		}
		st->held[st->nheld++] = fd;
		*ok = 1;
		return SD_OK;
	}
	return SD_OK;
}

static int set_note(struct probe_result *r, const char *text)
{
	free(r->ramp_note);
	return (r->ramp_note = strdup(text)) ? SD_OK : SD_ERR_ALLOC;
}

int ramp_run(struct probe_result *r, const struct ramp_options *o)
{
	struct ramp_run_state st;
	struct addrinfo hints, *ai = NULL;
	char port[8];
	double t0 = mono_ms(), deadline = t0 + o->deadline_ms;
	unsigned i;
	int rc = SD_OK, ok, dropped = 0, found_start = 0;
	const char *note = NULL;

	memset(&st, 0, sizeof(st));
	r->ramp_ran = 1;
	r->ramp_max_held = o->max_held;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", r->port);
	if (!r->address || getaddrinfo(r->address, port, &hints, &ai) != 0)
		return set_note(r, "no address to ramp against");
	memcpy(&st.sa, ai->ai_addr, ai->ai_addrlen);
	st.salen = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (o->source) {
		hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
		hints.ai_family = st.sa.ss_family;
		if (getaddrinfo(o->source, NULL, &hints, &ai) != 0)
			return set_note(r, "cannot use the --source address");
		memcpy(&st.src, ai->ai_addr, ai->ai_addrlen);
		st.srclen = ai->ai_addrlen;
		freeaddrinfo(ai);
	}
	if ((st.held = calloc(o->max_held + 1, sizeof(int))) == NULL)
		return SD_ERR_ALLOC;

	/* below start: measure each level, then hold one more, until a drop shows up */
	while (!found_start && rc == SD_OK) {
		/* a drop marks start; the level is still measured in full, it pins the rate */
		for (i = 0; i < o->probes_per_level && rc == SD_OK; i++) {
			rc = sample(&st, o, &dropped);
			found_start |= dropped;
		}
		/* at start the drop probability is the rate itself: measure it three times over */
		for (i = 0; found_start && i < 2 * o->probes_per_level && rc == SD_OK; i++)
			rc = sample(&st, o, &dropped);
		if (found_start || rc != SD_OK)
			break;
		if (st.nheld >= o->max_held) {
			note = "no drop up to the maximum held connections: start is above MAX";
			break;
		}
		if (mono_ms() > deadline) {
			note = "deadline reached before a drop was seen";
			break;
		}
		if ((rc = acquire(&st, o->full_tries, deadline, &ok)) == SD_OK && !ok) {
			note =
			    "could not hold another connection below start (server not answering?)";
			break;
		}
	}
	/* from start to full: each hold samples the level; full is where nothing gets through */
	while (found_start && rc == SD_OK) {
		if (st.nheld >= o->max_held) {
			note = "reached the maximum held connections before full: full is "
			       "extrapolated";
			break;
		}
		if (mono_ms() > deadline) {
			note = "deadline reached before full: full is extrapolated";
			break;
		}
		if ((rc = acquire(&st, o->full_tries, deadline, &ok)) != SD_OK)
			break;
		/* sample the new level a little beyond what holding it cost */
		for (i = 0; ok && i < o->probes_per_level / 2 && rc == SD_OK; i++)
			rc = sample(&st, o, &dropped);
		if (!ok) {
			if (mono_ms() > deadline)
				note = "deadline reached before full: full is extrapolated";
			break;
		}
	}
	for (i = 0; i < st.nheld; i++)
		close(st.held[i]);
	free(st.held);
	r->connections_made += st.connections;
	r->ramp_levels = st.levels;
	r->nramp_levels = st.nlevels;
	r->ramp_seconds = (mono_ms() - t0) / 1000.0;
	if (rc != SD_OK)
		return rc;
	if (st.nlevels)
		ramp_estimate(st.levels, st.nlevels, o->full_tries, &r->ramp);
	return note ? set_note(r, note) : SD_OK;
}
