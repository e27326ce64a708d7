#include "logs/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LOG_AVX2 1 /* a second line loop, taken when the CPU has AVX2 */
#endif

#include "base/err.h"

static const struct {
	const char *name, *one, *plural;
} kinds[] = {
#define LOG_KIND_ROW(id, name, one, plural) {name, one, plural},
    LOG_KINDS(LOG_KIND_ROW)
#undef LOG_KIND_ROW
};

const char *log_kind_name(enum log_kind k)
{
	return (unsigned)k < LK__COUNT ? kinds[k].name : "none";
}

const char *log_kind_plural(enum log_kind k)
{
	return (unsigned)k < LK__COUNT ? kinds[k].plural : "";
}

const char *log_kind_noun(enum log_kind k, uint64_t n)
{
	if ((unsigned)k >= LK__COUNT)
		return "";
	return n == 1 ? kinds[k].one : kinds[k].plural;
}

/* (inline: looked at for every event) */
static inline enum log_kind kind_of_class(enum log_class c)
{
	switch (c) {
	case LC_MAXSTARTUPS_DROP:
	case LC_THROTTLE_BEGIN:
	case LC_THROTTLE_STATUS:
		return LK_MAXSTARTUPS;
	case LC_PENALTY_DROP:
	case LC_PENALTY:
	case LC_PENALTY_TABLE_FULL:
		return LK_PENALTY;
	case LC_DROPS_RATELIMITED:
		return LK_MAXSTARTUPS; /* refined by the line's reason word, see kind_of_event() */
	case LC_LIBWRAP_REFUSED:
		return LK_LIBWRAP;
	case LC_REFUSE_CONNECTION:
		return LK_REFUSE_CONNECTION;
	case LC_SSHD_FATAL:
	case LC_LISTENER_ERROR:
	case LC_SESSION_CRASH:
		return LK_SSHD_FAILURE;
	case LC_GRACE_TIMEOUT:
		return LK_GRACE;
	case LC_INVALID_USER:
	case LC_AUTH_FAILED:
	case LC_MAX_AUTH_TRIES:
	case LC_USER_NOT_ALLOWED:
		return LK_AUTH_FAILURE;
	case LC_NO_IDENT:
	case LC_BAD_IDENT:
	case LC_KEX_CLOSED:
	case LC_KEX_RESET:
	case LC_CONN_CLOSED:
	case LC_CONN_RESET:
	case LC_PROTOCOL_ERROR:
		return LK_PREAUTH_CLOSE;
	case LC_NEGOTIATION_FAILED:
		return LK_NEGOTIATION;
	case LC_F2B_BAN:
		return LK_FAIL2BAN;
	case LC_SSHGUARD_BLOCK:
		return LK_SSHGUARD;
	default:
		return LK_NONE;
	}
}

enum log_kind log_kind_of(enum log_class c)
{
	return kind_of_class(c);
}

/* The flags of the classes (logs/line.h), here where every event looks at them. */
static const unsigned char class_flags[] = {
#define LOG_CLASS_FLAGS(id, name, plural, flags) flags,
    LOG_CLASSES(LOG_CLASS_FLAGS)
#undef LOG_CLASS_FLAGS
};

static inline enum log_kind kind_of_event(const struct log_event *ev)
{
	if (ev->cls == LC_DROPS_RATELIMITED && ev->detail.len && ev->detail.p[0] == 'P')
		return LK_PENALTY;
	/* connection closed/reset after authentication is not a pre-auth close */
	if ((ev->cls == LC_CONN_CLOSED || ev->cls == LC_CONN_RESET) && !ev->preauth &&
	    ev->user.len && !ev->invalid_user)
		return LK_NONE;
	return kind_of_class(ev->cls);
}

/* ----------------------------------------------------------------- lifecycle */

static void window_reset(struct log_window *w, enum log_kind k)
{
	memset(w, 0, sizeof(*w));
	w->kind = k;
	w->first = w->last = LOG_TS_NONE;
}

void log_summary_init(struct log_summary *s, const struct log_summary_opts *o)
{
	unsigned k;

	memset(s, 0, sizeof(*s));
	s->o = *o;
	if (!s->o.window_gap)
		s->o.window_gap = LOG_WINDOW_GAP;
	if (o->focus && o->focus->family) {
		s->focus = *o->focus;
		s->has_focus = 1;
	}
	s->cur = -1;
	buf_init(&s->carry, LOG_LINE_MAX + 1);
	for (k = 0; k < LK__COUNT; k++)
		window_reset(&s->cur_win[k], (enum log_kind)k);
	s->last_start = LOG_TS_NONE;
	s->last_client = (size_t)-1;
	s->cq_last_rec = UINT32_MAX;
	s->jsec = LOG_TS_NONE;
#ifdef LOG_AVX2
	s->avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
}

void log_summary_release(struct log_summary *s)
{
	unsigned i;
	size_t j;

	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].name);
		free(s->sources[i].why);
	}
	for (j = 0; j < s->ntl; j++)
		free(s->tl[j].text);
	free(s->tl);
	free(s->clients);
	free(s->when);
	free(s->index);
	buf_release(&s->carry);
	memset(s, 0, sizeof(*s));
	s->cur = -1;
}

static struct log_source *new_source(struct log_summary *s, const char *name)
{
	struct log_source *src;

	if (s->nsources >= LOG_MAX_SOURCES)
		return NULL;
	src = &s->sources[s->nsources];
	memset(src, 0, sizeof(*src));
	if ((src->name = strdup(name)) == NULL)
		return NULL;
	src->first_ts = src->last_ts = LOG_TS_NONE;
	s->nsources++;
	return src;
}

int log_summary_begin_source(struct log_summary *s, const char *name, int bare)
{
	struct log_source *src;

	if (s->cur >= 0)
		log_summary_end_source(s);
	if (s->nsources >= LOG_MAX_SOURCES)
		return SD_ERR_TOO_LONG;
	if ((src = new_source(s, name)) == NULL)
		return SD_ERR_ALLOC;
	src->bare = bare;
	src->state = LOG_SOURCE_READ;
	s->cur = (int)(s->nsources - 1);
	s->lineno = 0;
	buf_reset(&s->carry);
	s->carry_overlong = 0;
	s->day.day.valid = 0;
	s->day.addr.len = 0;
	s->day.host.len = 0;
	memset(s->pending, 0, sizeof(s->pending));
	memset(s->pending_pid, 0, sizeof(s->pending_pid));
	return SD_OK;
}

int log_summary_note_source(struct log_summary *s, const char *name, enum log_source_state state,
                            const char *why)
{
	struct log_source *src;
	unsigned i;

	for (i = 0; i < s->nsources; i++) {
		if (strcmp(s->sources[i].name, name) == 0) {
			src = &s->sources[i];
			goto set;
		}
	}
	if (s->nsources >= LOG_MAX_SOURCES)
		return SD_ERR_TOO_LONG;
	if ((src = new_source(s, name)) == NULL)
		return SD_ERR_ALLOC;
set:
	src->state = state;
	free(src->why);
	src->why = NULL;
	if (why && (src->why = strdup(why)) == NULL)
		return SD_ERR_ALLOC;
	return SD_OK;
}

const char *log_summary_source_name(const struct log_summary *s, unsigned i)
{
	return i < s->nsources ? s->sources[i].name : "";
}

int log_summary_any_read(const struct log_summary *s)
{
	unsigned i;

	for (i = 0; i < s->nsources; i++)
		if (s->sources[i].state == LOG_SOURCE_READ ||
		    s->sources[i].state == LOG_SOURCE_PARTIAL)
			return 1;
	return 0;
}

/* ----------------------------------------------------------------- clients */

/*
 * The index: slot = (tag << 32) | V4 bit | (record number + 1); 0 is an empty slot.  An IPv4
 * address is its own tag (an exact match); an IPv6 address's tag is 32 bits of its hash, and
 * a tag match is confirmed against the record.
 */
#define SLOT_V4  0x80000000u
#define SLOT_REC 0x7fffffffu

/*
 * The earlier and the later of a time kept and an event's time, either LOG_TS_NONE (no time:
 * it never wins), without a branch: conditional moves instead of tests whose outcome the CPU
 * guesses wrong whenever a time is out of order.  LOG_TS_NONE is INT64_MIN, so it loses every
 * max; for the min, times are compared as unsigned with LOG_TS_NONE moved to the top.
 */
static inline int64_t ts_max(int64_t kept, int64_t t)
{
	return t > kept ? t : kept;
}

static inline int64_t ts_min(int64_t kept, int64_t t)
{
	return (uint64_t)t + (uint64_t)INT64_MAX < (uint64_t)kept + (uint64_t)INT64_MAX ? t : kept;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x;
}

/* The hash of a (where its probe starts) and the slot it would have. */
static uint64_t addr_key(const struct ip_addr *a, uint64_t *want)
{
	uint32_t v4;
	uint64_t x, y, h;

	if (a->family == 4) {
		memcpy(&v4, a->bytes, 4);
		*want = (uint64_t)v4 << 32 | SLOT_V4;
		return mix((uint64_t)v4 * 0x9e3779b97f4a7c15ULL + 4);
	}
	memcpy(&x, a->bytes, 8);
	memcpy(&y, a->bytes + 8, 8);
	h = mix(x ^ (y * 0x9e3779b97f4a7c15ULL + (uint64_t)a->family));
	*want = (h >> 32) << 32;
	return h;
}

static int addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

/*
 * The index position of a: its slot, or the empty slot where it goes.  Only the tag and
 * the V4 bit are compared in the index; an IPv6 tag match is confirmed in the record.
 */
static size_t find_slot(const struct log_summary *s, const struct ip_addr *a, uint64_t h,
                        uint64_t want)
{
	size_t mask = s->cap - 1, i = (size_t)h & mask;
	uint64_t e;

	while ((e = s->index[i]) != 0) {
		if ((e & ~(uint64_t)SLOT_REC) == want &&
		    (want & SLOT_V4 || addr_eq(&s->clients[(e & SLOT_REC) - 1].addr, a)))
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int grow_index(struct log_summary *s)
{
	size_t n = s->cap ? s->cap * 2 : 1024, i, j, mask = n - 1;
	uint64_t *t = calloc(n, sizeof(*t)), want;

	if (!t)
		return SD_ERR_ALLOC;
	for (i = 0; i < s->nclients; i++) {
		j = (size_t)addr_key(&s->clients[i].addr, &want) & mask;
		while (t[j])
			j = (j + 1) & mask;
		t[j] = want | (uint64_t)(i + 1);
	}
	free(s->index);
	s->index = t;
	s->cap = n;
	return SD_OK;
}

/* The record number of a (created when new), or UINT32_MAX when the table is full or on OOM. */
static uint32_t client_find(struct log_summary *s, const struct ip_addr *a, uint64_t h,
                            uint64_t want)
{
	struct log_client *c;
	size_t i;

	/* runs of lines of one client (its attempts) skip the index; the copy of its
	 * address spares a look at a record that may not be in the cache yet */
	if (s->last_client < s->nclients && addr_eq(&s->last_addr, a))
		return (uint32_t)s->last_client;
	if (s->cap) {
		i = find_slot(s, a, h, want);
		if (s->index[i]) {
			s->last_client = (size_t)(s->index[i] & SLOT_REC) - 1;
			s->last_addr = *a;
			return (uint32_t)s->last_client;
		}
	}
	if (s->nclients >= LOG_CLIENTS_MAX)
		return UINT32_MAX;
	if (s->nclients == s->clients_cap) {
		size_t n = s->clients_cap ? s->clients_cap * 2 : 512;
		struct log_client *v = realloc(s->clients, n * sizeof(*v));
		int64_t *w;

		if (v)
			s->clients = v;
		w = v ? realloc(s->when, n * 2 * sizeof(*w)) : NULL;
		if (!w) {
			s->oom = 1;
			return UINT32_MAX;
		}
		s->when = w;
		s->clients_cap = n;
	}
	if ((s->nclients + 1) * 2 > s->cap && grow_index(s) != SD_OK) {
		s->oom = 1;
		return UINT32_MAX;
	}
	i = find_slot(s, a, h, want);
	s->index[i] = want | (uint64_t)(s->nclients + 1);
	c = &s->clients[s->nclients];
	memset(c, 0, sizeof(*c));
	c->addr = *a;
	c->first = c->last = LOG_TS_NONE;
	s->when[2 * s->nclients] = s->when[2 * s->nclients + 1] = LOG_TS_NONE;
	s->last_client = s->nclients++;
	s->last_addr = *a;
	return (uint32_t)s->last_client;
}

/* Pipeline stage 2: the record of the oldest event whose record is not known yet. */
static void count_find(struct log_summary *s)
{
	struct log_count *q = &s->cq[s->cq_found++ % LOG_COUNT_QUEUE];

	if (q->same && s->cq_last_rec != UINT32_MAX) {
		q->rec = s->cq_last_rec;
		return;
	}
	if (q->same)
		q->h = addr_key(&q->addr, &q->want);
	q->rec = s->cq_last_rec = client_find(s, &q->addr, q->h, q->want);
	if (q->rec != UINT32_MAX) {
		__builtin_prefetch(&s->clients[q->rec].count[q->cls[0]], 1);
		__builtin_prefetch(&s->when[2 * q->rec], 1);
	}
}

/* Pipeline stage 3: counts the oldest entry's events. */
static void count_apply(struct log_summary *s)
{
	const struct log_count *q = &s->cq[s->cq_done++ % LOG_COUNT_QUEUE];
	int64_t *w;
	unsigned i;

	if (q->rec == UINT32_MAX) {
		s->clients_dropped += q->n;
		return;
	}
	/* one line of the record is touched; events, first and last are set at the end */
	w = &s->when[2 * q->rec];
	for (i = 0; i < q->n; i++) {
		s->clients[q->rec].count[q->cls[i]]++;
		w[0] = ts_min(w[0], q->ts[i]);
		w[1] = ts_max(w[1], q->ts[i]);
	}
}

/* The records' events, first and last, from the counts and the times kept aside. */
static void clients_fold(struct log_summary *s)
{
	size_t i;
	unsigned c;

	for (i = 0; i < s->nclients; i++) {
		struct log_client *cl = &s->clients[i];
		uint32_t n = 0;

		for (c = 0; c < LC__COUNT; c++)
			n += cl->count[c];
		cl->events = n;
		cl->first = s->when[2 * i];
		cl->last = s->when[2 * i + 1];
	}
}

/* Counts every queued event. */
static void count_drain(struct log_summary *s)
{
	while (s->cq_found < s->cq_in)
		count_find(s);
	while (s->cq_done < s->cq_in)
		count_apply(s);
}

/* Stage 1: queues an event of client a, prefetching its index slot. */
static void count_client(struct log_summary *s, const struct ip_addr *a, enum log_class c,
                         int64_t ts)
{
	struct log_count *q;
	int same;

	/* a run of lines of one client (an attempt is several lines): one entry */
	if (s->cq_in > 0) {
		q = &s->cq[(s->cq_in - 1) % LOG_COUNT_QUEUE];
		same = addr_eq(&q->addr, a);
		if (same && s->cq_done < s->cq_in && q->n < LOG_COUNT_RUN) {
			q->cls[q->n] = c;
			q->ts[q->n++] = ts;
			return;
		}
	} else {
		same = 0;
	}
	if (s->cq_in - s->cq_done == LOG_COUNT_QUEUE) {
		if (s->cq_found == s->cq_done)
			count_find(s);
		count_apply(s);
	}
	q = &s->cq[s->cq_in % LOG_COUNT_QUEUE];
	q->same = same; /* no lookup, no prefetch */
	s->cq_in++;
	q->addr = *a;
	q->n = 1;
	q->cls[0] = c;
	q->ts[0] = ts;
	if (!q->same) {
		q->h = addr_key(a, &q->want);
		if (s->cap)
			__builtin_prefetch(&s->index[q->h & (s->cap - 1)]);
	}
	if (s->cq_in - s->cq_found > LOG_COUNT_QUEUE / 2)
		count_find(s);
}

const struct log_client *log_summary_client(const struct log_summary *s, const struct ip_addr *a)
{
	uint64_t h, want;
	size_t i;

	if (!s->cap || !a || !a->family)
		return NULL;
	h = addr_key(a, &want);
	i = find_slot(s, a, h, want);
	return s->index[i] ? &s->clients[(s->index[i] & SLOT_REC) - 1] : NULL;
}

/* Whether client a comes before b: more events first, then the address (a total order: two
 * records never have the same address). */
static inline int client_before(const struct log_client *a, const struct log_client *b)
{
	int c;

	if (a->events != b->events)
		return a->events > b->events;
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family;
	c = memcmp(a->addr.bytes, b->addr.bytes, 16);
	return c < 0;
}

static int client_cmp(const void *x, const void *y)
{
	const struct log_client *a = *(const struct log_client *const *)x;
	const struct log_client *b = *(const struct log_client *const *)y;

	return client_before(a, b) ? -1 : client_before(b, a) ? 1 : 0;
}

int log_summary_clients_sorted(const struct log_summary *s, size_t top,
                               const struct log_client ***ret, size_t *ret_n)
{
	const struct log_client **v, *c;
	size_t i, j, k = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!s->nclients)
		return SD_OK;
	if ((v = malloc(s->nclients * sizeof(*v))) == NULL)
		return SD_ERR_ALLOC;
	if (!top || top >= s->nclients / 4) {
		for (i = 0; i < s->nclients; i++)
			v[i] = &s->clients[i];
		qsort(v, s->nclients, sizeof(*v), client_cmp);
	} else {
		/* v[0..k) holds the best k seen, in order; the others go after them. */
		for (i = 0; i < s->nclients; i++) {
			c = &s->clients[i];
			if (k == top && !client_before(c, v[k - 1])) {
				v[i] = c;
				continue;
			}
			if (k == top)
				v[i] = v[--k]; /* the one it pushes out goes to the tail */
			for (j = k; j > 0 && client_before(c, v[j - 1]); j--)
				v[j] = v[j - 1];
			v[j] = c;
			k++;
		}
	}
	*ret = v;
	*ret_n = s->nclients;
	return SD_OK;
}

/* ----------------------------------------------------------------- events */

/* What the evidence shows for an event: the raw line, or the journal entry formatted. */
struct raw {
	const char *line; /* NULL for a record */
	size_t len;
	const struct log_record *rec;
};

static void slot_fill(const struct log_summary *s, struct log_slot *sl, const struct log_event *ev,
                      const struct raw *r)
{
	size_t n;

	sl->ts = ev->ts;
	sl->cls = ev->cls;
	sl->kind = kind_of_event(ev);
	sl->source = (uint16_t)(s->cur < 0 ? 0 : s->cur);
	sl->line = r->rec ? 0 : (uint32_t)s->lineno;
	n = r->len < LOG_KEEP_TEXT ? r->len : LOG_KEEP_TEXT;
	memcpy(sl->text, r->line, n);
	sl->len = (uint16_t)n;
}

static int timeline_add(struct log_summary *s, const struct log_slot *sl)
{
	struct log_text *t;
	char *text;

	if (!s->tl && (s->tl = calloc(LOG_TIMELINE_MAX, sizeof(*s->tl))) == NULL) {
		s->oom = 1;
		return SD_ERR_ALLOC;
	}
	if ((text = malloc((size_t)sl->len + 1)) == NULL) {
		s->oom = 1;
		return SD_ERR_ALLOC;
	}
	memcpy(text, sl->text, sl->len);
	text[sl->len] = '\0';
	if (s->ntl < LOG_TIMELINE_MAX) {
		t = &s->tl[s->ntl++];
	} else {
		/* keep the head, overwrite the oldest of the tail */
		size_t ring = LOG_TIMELINE_MAX - LOG_TIMELINE_HEAD;

		t = &s->tl[LOG_TIMELINE_HEAD + s->tl_ring];
		s->tl_ring = (s->tl_ring + 1) % ring;
		free(t->text);
		s->tl_dropped++;
	}
	t->ts = sl->ts;
	t->seq = s->seq++;
	t->source = sl->source;
	t->line = sl->line;
	t->cls = sl->cls;
	t->kind = sl->kind;
	t->text = text;
	return SD_OK;
}

/* Context lines (throttling started, a penalty recorded) explain an episode, not count in it. */
static int counts_in_window(enum log_class c)
{
	return c != LC_THROTTLE_BEGIN && c != LC_THROTTLE_STATUS && c != LC_DROPS_RATELIMITED &&
	       c != LC_PENALTY && c != LC_PENALTY_TABLE_FULL;
}

static void flush_pending(struct log_summary *s);

static void window_close(struct log_summary *s, enum log_kind k)
{
	struct log_window *w = &s->cur_win[k];

	if (w->pending) {
		memcpy(w->last_line.text, w->pending, w->pending_len);
		w->last_line.len = (uint16_t)w->pending_len;
		w->pending = NULL;
	}

	if (log_window_count(w)) {
		s->past[k][s->npast[k] % LOG_WINDOWS_KEEP] = *w;
		s->npast[k]++;
	}
	window_reset(w, k);
}

static void window_add(struct log_summary *s, enum log_kind k, const struct log_event *ev,
                       const struct raw *r)
{
	struct log_window *w = &s->cur_win[k];
	int64_t gap = (int64_t)s->o.window_gap * LOG_US;
	int counted = counts_in_window(ev->cls);

	if (w->events) {
		/* without a branch per test (most events are not fresh, but the tests' outcomes
		 * alternate); the bounds wrap harmlessly when a time is LOG_TS_NONE, masked then */
		int64_t hi = (int64_t)((uint64_t)w->last + (uint64_t)gap);
		int64_t lo = (int64_t)((uint64_t)w->first - (uint64_t)gap);
		int fresh = (ev->ts != LOG_TS_NONE) & (w->last != LOG_TS_NONE) &
		            ((ev->ts > hi) | (ev->ts < lo));

		/* a new throttling episode starts a new window */
		if (ev->cls == LC_THROTTLE_BEGIN && log_window_count(w))
			fresh = 1;
		if (fresh)
			window_close(s, k);
	}
	if (!w->events) {
		w->first = ev->ts;
		slot_fill(s, &w->first_line, ev, r);
	}
	w->events++;
	w->first = ts_min(w->first, ev->ts);
	w->last = ts_max(w->last, ev->ts);
	switch (ev->cls) {
	case LC_THROTTLE_STATUS:
		/* sshd's own count of the episode so far */
		if (ev->n > 0 && (uint64_t)ev->n > w->reported)
			w->reported = (uint64_t)ev->n;
		break;
	case LC_DROPS_RATELIMITED:
		if (ev->n > 0)
			w->reported += (uint64_t)ev->n;
		break;
	default:
		if (counted)
			w->lines++;
		break;
	}
	if (counted || ev->cls == LC_THROTTLE_STATUS || ev->cls == LC_DROPS_RATELIMITED) {
		/* copied once per chunk (flush_pending), not once per event */
		w->last_line.ts = ev->ts;
		w->last_line.cls = ev->cls;
		w->last_line.kind = k;
		w->last_line.source = (uint16_t)(s->cur < 0 ? 0 : s->cur);
		w->last_line.line = r->rec ? 0 : (uint32_t)s->lineno;
		w->pending = r->line;
		w->pending_len = r->len < LOG_KEEP_TEXT ? r->len : LOG_KEEP_TEXT;
	}
}

/* Copies the last lines that still point into the caller's buffer. */
static void flush_pending(struct log_summary *s)
{
	unsigned k;

	for (k = 0; k < LK__COUNT; k++) {
		struct log_window *w = &s->cur_win[k];

		if (w->pending) {
			memcpy(w->last_line.text, w->pending, w->pending_len);
			w->last_line.len = (uint16_t)w->pending_len;
			w->pending = NULL;
		}
	}
}

uint64_t log_window_count(const struct log_window *w)
{
	if (w->kind == LK_MAXSTARTUPS || w->kind == LK_PENALTY) {
		/* the rate-limit reports count drops not logged; throttling reports count all */
		uint64_t n = w->lines > w->reported ? w->lines : w->reported;

		return n;
	}
	return w->lines;
}

static int is_local(const struct log_summary *s, const struct ip_addr *a)
{
	unsigned i;

	for (i = 0; i < s->nlocal; i++)
		if (addr_eq(&s->local[i], a))
			return 1;
	return 0;
}

static void learn_local(struct log_summary *s, const struct ip_addr *a)
{
	if (!a->family || is_local(s, a) || s->nlocal >= LOG_LOCAL_ADDRS)
		return;
	s->local[s->nlocal++] = *a;
}

static int focus_match(const struct log_summary *s, const struct log_event *ev)
{
	if (addr_eq(&ev->addr, &s->focus))
		return 1;
	/* a penalty names the client's netblock (PerSourceNetBlockSize) */
	return ev->prefix_len && ev->prefix_len < (ev->addr.family == 4 ? 32u : 128u) &&
	       ip_addr_in_prefix(&s->focus, &ev->addr, ev->prefix_len);
}

/* (inline: looked at for every event, and most runs have no focus) */
static inline int is_focus(const struct log_summary *s, const struct log_event *ev)
{
	return s->has_focus && ev->addr.family && focus_match(s, ev);
}

static int from_sshd(const struct log_event *ev)
{
	return ev->prog == LP_SSHD || ev->prog == LP_SSHD_SESSION || ev->prog == LP_SSHD_AUTH ||
	       ev->prog == LP_UNKNOWN;
}

static void event(struct log_summary *s, struct log_event *ev, const struct raw *r)
{
	enum log_kind k;
	struct log_source *src = s->cur >= 0 ? &s->sources[s->cur] : NULL;
	unsigned fl = (unsigned)ev->cls < LC__COUNT ? class_flags[ev->cls] : 0;

	if (s->o.since != LOG_TS_NONE && s->o.since != 0 && ev->ts != LOG_TS_NONE &&
	    ev->ts < s->o.since)
		return;
	/* sshd 9.8 wrote "connection from LOCAL to REMOTE" */
	if (ev->swapped) {
		if (is_local(s, &ev->addr) && !is_local(s, &ev->laddr)) {
			struct ip_addr t = ev->addr;

			ev->addr = ev->laddr;
			ev->laddr = t;
		}
	}
	switch (ev->cls) {
	case LC_SSHD_START:
		s->last_start = ev->ts;
		slot_fill(s, &s->last_start_line, ev, r);
		/* fall through */
	case LC_MAXSTARTUPS_DROP:
	case LC_PENALTY_DROP:
	case LC_CONNECTION:
		learn_local(s, &ev->laddr);
		break;
	default:
		break;
	}
	s->events++;
	s->total[ev->cls]++;
	if (src) {
		src->events++;
		src->first_ts = ts_min(src->first_ts, ev->ts);
		src->last_ts = ts_max(src->last_ts, ev->ts);
	}
	k = kind_of_event(ev);
	if (k != LK_NONE)
		window_add(s, k, ev, r);

	if (ev->addr.family) {
		/* an earlier line of the same process without an address belongs to this client */
		if (ev->pid && from_sshd(ev)) {
			struct log_pending *pd = &s->pending[ev->pid % LOG_PENDING];

			if (s->pending_pid[ev->pid % LOG_PENDING] == ev->pid) {
				count_client(s, &ev->addr, pd->slot.cls, pd->slot.ts);
				if (is_focus(s, ev))
					timeline_add(s, &pd->slot);
				pd->used = 0;
				s->pending_pid[ev->pid % LOG_PENDING] = 0;
			}
		}
		count_client(s, &ev->addr, ev->cls, ev->ts);
		if (is_focus(s, ev)) {
			struct log_slot sl;

			slot_fill(s, &sl, ev, r);
			timeline_add(s, &sl);
		}
	} else if ((fl & LCF_PID) && ev->pid && from_sshd(ev)) {
		struct log_pending *pd = &s->pending[ev->pid % LOG_PENDING];

		pd->used = 1;
		pd->pid = ev->pid;
		s->pending_pid[ev->pid % LOG_PENDING] = ev->pid;
		pd->source = (uint16_t)(s->cur < 0 ? 0 : s->cur);
		slot_fill(s, &pd->slot, ev, r);
	} else if (fl & LCF_ADDR) {
		s->no_addr++;
	}
}

static inline void line(struct log_summary *s, const char *p, size_t len, int bare)
{
	struct log_event ev;
	struct raw r;

	s->lineno++;
	if (len > LOG_LINE_MAX) {
		len = LOG_LINE_MAX;
		s->overlong++;
	}
	if (log_parse_line(p, len, &s->o.clock, &s->day, bare, &ev) == LC_NONE)
		return;
	r.line = p;
	r.len = len;
	if (len && p[len - 1] == '\r') /* (one test for the lines without) */
		while (r.len && p[r.len - 1] == '\r')
			r.len--;
	r.rec = NULL;
	event(s, &ev, &r);
}

#ifdef __SSE2__
/* Bit i set when b[i] is a newline, for the 64 bytes at b. */
static inline uint64_t newlines64(const char *b)
{
	const __m128i nl = _mm_set1_epi8('\n');
	uint64_t m0 = (uint16_t)_mm_movemask_epi8(
	    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)b), nl));
	uint64_t m1 = (uint16_t)_mm_movemask_epi8(
	    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(b + 16)), nl));
	uint64_t m2 = (uint16_t)_mm_movemask_epi8(
	    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(b + 32)), nl));
	uint64_t m3 = (uint16_t)_mm_movemask_epi8(
	    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(b + 48)), nl));

	return m0 | m1 << 16 | m2 << 32 | m3 << 48;
}
#endif

#ifdef LOG_AVX2
/* The newlines of the 64 bytes at b, as a bit mask (AVX2). */
__attribute__((target("avx2"))) static inline uint64_t newlines64_avx2(const char *b)
{
	const __m256i nl = _mm256_set1_epi8('\n');

	return (uint32_t)_mm256_movemask_epi8(
	           _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)b), nl)) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
	           _mm256_loadu_si256((const __m256i *)(const void *)(b + 32)), nl))
	           << 32;
}

/*
 * The lines of [p, end) that end in it, 64 bytes at a time with AVX2; returns the rest.  One
 * loop over lines with the next block's mask fetched when the mask is spent (not a loop of
 * blocks around a loop of lines: its registers were set up again for every block), and the
 * line counts added at the end.
 */
__attribute__((target("avx2"))) static const char *
lines_avx2(struct log_summary *s, struct log_source *src, const char *p, const char *end, int bare)
{
	const char *b = p, *e;
	uint64_t m, n = 0;

	if (end - b < 64)
		return p;
	m = newlines64_avx2(b);
	for (;;) {
		while (!m) {
			b += 64;
			if (end - b < 64)
				goto done;
			m = newlines64_avx2(b);
		}
		e = b + __builtin_ctzll(m);
		m &= m - 1;
		line(s, p, (size_t)(e - p), bare);
		p = e + 1;
		n++;
	}
done:
	src->lines += n;
	s->lines += n;
	return p;
}
#endif

int log_summary_feed(struct log_summary *s, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	struct log_source *src;
	int bare;

	if (s->cur < 0)
		return SD_ERR_INVALID;
	src = &s->sources[s->cur];
	bare = src->bare;
	src->bytes += len;
	s->bytes += len;
	/* finish a line started in the previous chunk */
	if (s->carry.len || s->carry_overlong) {
		nl = memchr(p, '\n', len);
		if (!nl) {
			size_t room = LOG_LINE_MAX - s->carry.len;

			if (len > room) {
				buf_add(&s->carry, p, room);
				s->carry_overlong = 1;
			} else {
				buf_add(&s->carry, p, len);
			}
			return SD_OK;
		}
		{
			size_t part = (size_t)(nl - p), room = LOG_LINE_MAX - s->carry.len;

			if (part > room) {
				buf_add(&s->carry, p, room);
				s->carry_overlong = 1;
			} else {
				buf_add(&s->carry, p, part);
			}
		}
		src->lines++;
		s->lines++;
		if (s->carry_overlong)
			s->overlong++;
		line(s, s->carry.data, s->carry.len, src->bare);
		flush_pending(s);
		buf_reset(&s->carry);
		s->carry_overlong = 0;
		p = nl + 1;
	}
#ifdef LOG_AVX2
	if (s->avx2)
		p = lines_avx2(s, src, p, end, bare);
#endif
#ifdef __SSE2__
	{
		/* the newlines of 64 bytes at a time as a bit mask: a line is found with a few
		 * instructions instead of a call to memchr */
		const char *b = p;
		uint64_t m;

		while (end - b >= 64) {
			m = newlines64(b);
			while (m) {
				nl = b + __builtin_ctzll(m);
				m &= m - 1;
				line(s, p, (size_t)(nl - p), bare);
				p = nl + 1;
				src->lines++;
				s->lines++;
			}
			b += 64;
		}
	}
#endif
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line(s, p, (size_t)(nl - p), bare);
		p = nl + 1;
		src->lines++;
		s->lines++;
	}
	flush_pending(s);
	if (p < end) {
		size_t rest = (size_t)(end - p);

		if (rest > LOG_LINE_MAX) {
			rest = LOG_LINE_MAX;
			s->carry_overlong = 1;
		}
		if (buf_add(&s->carry, p, rest) != SD_OK) {
			s->oom = 1;
			return SD_ERR_ALLOC;
		}
	}
	return SD_OK;
}

int log_summary_end_source(struct log_summary *s)
{
	if (s->cur < 0) {
		count_drain(s);
		return SD_OK;
	}
	if (s->carry.len || s->carry_overlong) {
		s->sources[s->cur].lines++;
		s->lines++;
		if (s->carry_overlong)
			s->overlong++;
		line(s, s->carry.data, s->carry.len, s->sources[s->cur].bare);
		flush_pending(s);
		buf_reset(&s->carry);
		s->carry_overlong = 0;
	}
	count_drain(s);
	s->cur = -1;
	return SD_OK;
}

static size_t put(char *dst, size_t at, const char *src, size_t n)
{
	if (at >= LOG_KEEP_TEXT)
		return at;
	if (n > LOG_KEEP_TEXT - at)
		n = LOG_KEEP_TEXT - at;
	memcpy(dst + at, src, n);
	return at + n;
}

/* The entry as journalctl -o short-iso shows it: "TIME host ident[pid]: message". */
static size_t journal_line(struct log_summary *s, const struct log_record *r)
{
	char pid[16];
	size_t n = 0, k = sizeof(pid);
	unsigned v = r->pid;
	int64_t sec = r->ts == LOG_TS_NONE ? LOG_TS_NONE : r->ts / LOG_US;

	if (sec != s->jsec) {
		log_time_format(r->ts, &s->o.clock, LOG_TIME_ISO, s->jtime, sizeof(s->jtime));
		s->jsec = sec;
	}
	do
		pid[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k);
	n = put(s->jline, n, s->jtime, strlen(s->jtime));
	n = put(s->jline, n, " ", 1);
	n = put(s->jline, n, r->host ? r->host : "",
	        r->host ? (r->host_len > 64 ? 64 : r->host_len) : 0);
	n = put(s->jline, n, " ", 1);
	n = put(s->jline, n, r->ident, r->ident_len > 64 ? 64 : r->ident_len);
	n = put(s->jline, n, "[", 1);
	n = put(s->jline, n, pid + k, sizeof(pid) - k);
	n = put(s->jline, n, "]: ", 3);
	return put(s->jline, n, r->msg, r->msg_len);
}

int log_summary_add_record(struct log_summary *s, const struct log_record *r)
{
	struct log_event ev;
	struct raw raw = {NULL, 0, r};
	enum log_prog prog;
	struct log_source *src;

	if (s->cur < 0)
		return SD_ERR_INVALID;
	src = &s->sources[s->cur];
	src->lines++;
	s->lines++;
	s->lineno++;
	src->bytes += r->msg_len;
	s->bytes += r->msg_len;
	prog = log_prog_of(r->ident, r->ident_len);
	if (prog == LP_OTHER)
		return SD_OK;
	memset(&ev, 0, sizeof(ev));
	if (log_parse_message(prog, r->msg, r->msg_len > LOG_LINE_MAX ? LOG_LINE_MAX : r->msg_len,
	                      &ev) == LC_NONE)
		return SD_OK;
	ev.ts = r->ts;
	ev.pid = r->pid;
	ev.host.p = r->host;
	ev.host.len = r->host_len;
	raw.line = s->jline;
	raw.len = journal_line(s, r);
	event(s, &ev, &raw);
	flush_pending(s); /* jline is rewritten by the next entry */
	return SD_OK;
}

/* ----------------------------------------------------------------- finish, queries */

static int tl_cmp(const void *x, const void *y)
{
	const struct log_text *a = x, *b = y;

	if (a->ts != b->ts) {
		if (a->ts == LOG_TS_NONE)
			return -1;
		if (b->ts == LOG_TS_NONE)
			return 1;
		return a->ts < b->ts ? -1 : 1;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void log_summary_finish(struct log_summary *s)
{
	unsigned k;

	if (s->finished)
		return;
	if (s->cur >= 0)
		log_summary_end_source(s);
	count_drain(s);
	clients_fold(s);
	for (k = 1; k < LK__COUNT; k++)
		if (s->cur_win[k].events)
			window_close(s, (enum log_kind)k);
	if (s->ntl)
		qsort(s->tl, s->ntl, sizeof(*s->tl), tl_cmp);
	s->finished = 1;
}

unsigned log_summary_nwindows(const struct log_summary *s, enum log_kind kind)
{
	if ((unsigned)kind >= LK__COUNT)
		return 0;
	return s->npast[kind] < LOG_WINDOWS_KEEP ? s->npast[kind] : LOG_WINDOWS_KEEP;
}

const struct log_window *log_summary_window(const struct log_summary *s, enum log_kind kind,
                                            unsigned i)
{
	unsigned n = log_summary_nwindows(s, kind);

	if (i >= n)
		return NULL;
	return &s->past[kind][(s->npast[kind] - 1 - i) % LOG_WINDOWS_KEEP];
}

int log_summary_window_text(const struct log_summary *s, enum log_kind kind,
                            const struct ip_addr *client, struct buf *out)
{
	char span[96];
	uint64_t n = 0;
	int64_t first = LOG_TS_NONE, last = LOG_TS_NONE;

	if (client && client->family) {
		size_t i;
		int64_t gap = (int64_t)s->o.window_gap * LOG_US;

		if (!s->has_focus || !addr_eq(client, &s->focus))
			return SD_ERR_NOT_FOUND;
		/* the latest episode of this kind in the client's timeline */
		for (i = s->ntl; i-- > 0;) {
			const struct log_text *t = &s->tl[i];

			if (t->kind != kind || t->cls == LC_PENALTY || t->cls == LC_THROTTLE_BEGIN)
				continue;
			if (n && t->ts != LOG_TS_NONE && first != LOG_TS_NONE &&
			    first - t->ts > gap)
				break;
			if (!n)
				last = t->ts;
			first = t->ts;
			n++;
		}
	} else {
		const struct log_window *w = log_summary_window(s, kind, 0);

		if (w) {
			n = log_window_count(w);
			first = w->first;
			last = w->last;
		}
	}
	if (!n)
		return SD_ERR_NOT_FOUND;
	log_time_span(first, last, &s->o.clock, span, sizeof(span));
	return buf_addf(out, "%llu %s %s", (unsigned long long)n, log_kind_noun(kind, n), span);
}
