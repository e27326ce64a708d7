/*
 * logs/summary.h — every relevant line of every log read, folded into what a diagnosis
 * needs: per-client counts, episodes ("windows") per kind of event, and the full timeline of
 * one client.  Memory is bounded by the number of distinct client addresses (a small fixed
 * record each), never by the size of the logs.
 *
 * The edge opens the logs and hands over bytes; nothing here reads a file or a clock:
 *
 *	struct log_summary s;
 *	struct log_summary_opts o = {.clock = clk, .focus = &client};
 *	log_summary_init(&s, &o);
 *	log_summary_begin_source(&s, "/var/log/auth.log.1", 0);
 *	log_summary_feed(&s, bytes, n);          (any chunking; lines may span calls)
 *	log_summary_end_source(&s);
 *	log_summary_add_record(&s, &rec);        (the journal: one entry at a time)
 *	log_summary_finish(&s);
 *	... log_summary_window_text(), logs_layer_evaluate(), logs_render_text() ...
 *	log_summary_release(&s);
 *
 * Feeding: lines are cut at '\n' with memchr over the whole chunk; a line is first looked at
 * only far enough to see its program tag (logs/line.h), so the lines of other programs cost a
 * few comparisons.  A line longer than LOG_LINE_MAX is cut there (counted in `overlong`).
 * Sources should be fed oldest first (auth.log.2.gz, auth.log.1, auth.log) so episodes are
 * found in order; the timeline is sorted by time at the end anyway.
 *
 * Attribution: lines without an address that sshd writes before the one naming the client
 * (kex_exchange_identification: …, then Connection reset by ADDR port N) are kept per
 * process id and given to the client that a later line of the same process names.
 *
 * Windows: consecutive events of one kind no more than LOG_WINDOW_GAP seconds apart form an
 * episode; the last LOG_WINDOWS_KEEP episodes of each kind are kept with the text of their
 * first and last line.  For MaxStartups the count is the larger of the lines seen and what
 * sshd itself counted ("exited MaxStartups throttling after 00:03:10, 37 connections
 * dropped", "additional N connections dropped"): from 8.4 to 9.9 most drops are logged at
 * VERBOSE only.
 */
#ifndef SSHDIAG_LOGS_SUMMARY_H
#define SSHDIAG_LOGS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "core/conn.h"
#include "logs/line.h"
#include "logs/time.h"

#define LOG_MAX_SOURCES   256
#define LOG_LINE_MAX      16384      /* bytes of one line looked at; the rest is skipped */
#define LOG_KEEP_TEXT     512        /* bytes of a line kept as evidence */
#define LOG_WINDOW_GAP    300        /* seconds between two events of one episode, at most */
#define LOG_WINDOWS_KEEP  8          /* episodes kept per kind */
#define LOG_TIMELINE_MAX  4096       /* events kept for the focus client */
#define LOG_TIMELINE_HEAD 256        /* of which the first ones are always kept */
#define LOG_CLIENTS_MAX   (1u << 22) /* distinct clients counted one by one; the rest together */
#define LOG_PENDING       64         /* processes with an unattributed line */
#define LOG_LOCAL_ADDRS   16         /* addresses sshd was seen listening on */
#define LOG_COUNT_QUEUE   16         /* entries in flight in the counting pipeline (a power of 2) */
#define LOG_COUNT_RUN     8          /* events of one client in an entry */

/* What the episodes are about; several classes feed one kind. */
#define LOG_KINDS(X)                                                                               \
	X(LK_NONE, "none", "", "")                                                                 \
	X(LK_MAXSTARTUPS, "maxstartups", "MaxStartups drop", "MaxStartups drops")                  \
	X(LK_PENALTY, "penalty", "PerSourcePenalties drop", "PerSourcePenalties drops")            \
	X(LK_LIBWRAP, "libwrap", "TCP wrappers refusal", "TCP wrappers refusals")                  \
	X(LK_REFUSE_CONNECTION, "refuse_connection", "RefuseConnection refusal",                   \
	  "RefuseConnection refusals")                                                             \
	X(LK_SSHD_FAILURE, "sshd_failure", "sshd failure", "sshd failures")                        \
	X(LK_GRACE, "login_grace", "LoginGraceTime expiry", "LoginGraceTime expiries")             \
	X(LK_AUTH_FAILURE, "auth_failure", "failed login", "failed logins")                        \
	X(LK_PREAUTH_CLOSE, "preauth_close", "connection ended before authentication",             \
	  "connections ended before authentication")                                               \
	X(LK_NEGOTIATION, "negotiation", "algorithm negotiation failure",                          \
	  "algorithm negotiation failures")                                                        \
	X(LK_FAIL2BAN, "fail2ban", "fail2ban ban", "fail2ban bans")                                \
	X(LK_SSHGUARD, "sshguard", "sshguard block", "sshguard blocks")

enum log_kind {
#define LOG_KIND_ENUM(id, name, one, plural) id,
	LOG_KINDS(LOG_KIND_ENUM)
#undef LOG_KIND_ENUM
	    LK__COUNT
};

const char *log_kind_name(enum log_kind k);
const char *log_kind_plural(enum log_kind k);
/* "MaxStartups drop" / "MaxStartups drops" for a count. */
const char *log_kind_noun(enum log_kind k, uint64_t n);
enum log_kind log_kind_of(enum log_class c);

enum log_source_state {
	LOG_SOURCE_READ,       /* read to the end */
	LOG_SOURCE_PARTIAL,    /* read, but cut short (see why) */
	LOG_SOURCE_UNREADABLE, /* exists, could not be read (see why) */
	LOG_SOURCE_MISSING,    /* looked for, not there (only recorded when asked for by name) */
};

struct log_source {
	char *name; /* path as seen on the diagnosed system, or "journal" */
	enum log_source_state state;
	char *why; /* NULL, or what went wrong / what would make it readable */
	int bare;  /* bare sshd messages (sshd -E FILE) */
	uint64_t lines, bytes, events;
	int64_t first_ts, last_ts; /* of the events found, LOG_TS_NONE if none */
};

/* One kept line. */
struct log_text {
	int64_t ts;
	uint64_t seq; /* order of arrival */
	uint16_t source;
	uint32_t line; /* 1-based line in the source; 0 for the journal */
	enum log_class cls;
	enum log_kind kind; /* the episodes it counts in (a close after login: LK_NONE) */
	char *text;         /* malloc'd, at most LOG_KEEP_TEXT bytes, not sanitised */
};

/* A line kept inside a fixed record (no allocation per event). */
struct log_slot {
	int64_t ts;
	uint16_t source;
	uint32_t line;
	enum log_class cls;
	enum log_kind kind;
	uint16_t len;
	char text[LOG_KEEP_TEXT];
};

struct log_window {
	enum log_kind kind;
	const char *pending; /* last_line's text, still in the caller's buffer (copied later) */
	size_t pending_len;
	int64_t first, last; /* times of its first and last event */
	uint64_t events;     /* lines of this kind, context lines included */
	uint64_t lines;      /* lines that count (drops, refusals, …) */
	uint64_t reported;   /* the count sshd itself reported (throttling, rate limit), 0 */
	struct log_slot first_line, last_line;
};

struct log_client {
	struct ip_addr addr;
	uint32_t events;
	int64_t first, last;
	uint32_t count[LC__COUNT];
};

struct log_pending {
	unsigned pid;
	uint16_t source;
	int used;
	struct log_slot slot;
};

struct log_summary_opts {
	struct log_clock clock;
	const struct ip_addr *focus; /* keep this client's full timeline; NULL or family 0: none */
	int64_t since;               /* drop events before this (LOG_TS_NONE: keep all) */
	unsigned window_gap;         /* 0: LOG_WINDOW_GAP */
};

struct log_summary {
	struct log_summary_opts o;
	struct ip_addr focus;
	int has_focus;

	struct log_source sources[LOG_MAX_SOURCES];
	unsigned nsources;
	int cur; /* source being fed, -1 */
	uint64_t lineno;
	struct buf carry; /* a line split across two feeds */
	int carry_overlong;
	struct log_line_cache day;
	int avx2; /* the CPU has AVX2 (the line loop's newline search) */

	uint64_t lines, bytes, overlong, events, seq;
	uint64_t total[LC__COUNT];
	uint64_t no_addr; /* events that name a host name instead of an address */

	/*
	 * clients: the records in order of arrival, found through a compact open-addressing
	 * index of 8-byte slots (address tag, record number) — the index of 60,000 clients
	 * fits in L2, and an IPv4 client is matched in the index without touching its record.
	 */
	struct log_client *clients; /* nclients records (clients_cap allocated); their events,
	                               first and last are set by log_summary_finish() */
	int64_t *when;              /* first and last time of each client while feeding */
	size_t nclients, clients_cap;
	uint64_t *index;          /* `cap` slots, 0 = empty (see summary.c) */
	size_t cap;               /* a power of two, at least twice nclients; 0 before any */
	size_t last_client;       /* record number of the last client seen, (size_t)-1 */
	struct ip_addr last_addr; /* its address */
	uint64_t clients_dropped; /* events of clients beyond LOG_CLIENTS_MAX */
	/*
	 * Counting is pipelined so that the memory of a client's slot and record is fetched
	 * while the next lines are parsed: an entry (a run of events of one client) is queued,
	 * its index slot prefetched; a few entries later its record is found (or created) and
	 * prefetched; a few more and its events are counted.  Clients are created in order;
	 * the queue is drained at the end of every source.
	 */
	struct log_count {
		struct ip_addr addr;
		uint64_t h, want;
		uint32_t rec; /* record number, UINT32_MAX: not counted (full, OOM) */
		int same;     /* the same client as the entry before */
		unsigned n;   /* events in the run */
		enum log_class cls[LOG_COUNT_RUN];
		int64_t ts[LOG_COUNT_RUN];
	} cq[LOG_COUNT_QUEUE];
	uint32_t cq_last_rec;              /* the record of the last entry whose record was found */
	uint64_t cq_in, cq_found, cq_done; /* entries queued, whose record is known, counted */

	struct log_window cur_win[LK__COUNT];
	struct log_window past[LK__COUNT][LOG_WINDOWS_KEEP];
	unsigned npast[LK__COUNT]; /* windows closed so far (the ring keeps the last ones) */

	struct log_pending pending[LOG_PENDING];
	unsigned pending_pid[LOG_PENDING]; /* the pid of each pending slot in use, 0: none (apart
	                                      from the slots: looked at for every event) */

	struct ip_addr local[LOG_LOCAL_ADDRS];
	unsigned nlocal;
	int64_t last_start; /* the last "Server listening on" (sshd (re)started), LOG_TS_NONE */
	struct log_slot last_start_line;

	struct log_text *tl; /* the focus client's timeline */
	size_t ntl, tl_dropped;
	size_t tl_ring; /* next slot to overwrite once full */

	char jline[LOG_KEEP_TEXT]; /* a journal entry written as a line (scratch) */
	int64_t jsec;              /* the second jtime holds, LOG_TS_NONE */
	char jtime[40];            /* "2026-11-24T03:50:23+00:00" of jsec */

	int finished;
	int oom; /* an allocation failed: counts may be incomplete */
};

void log_summary_init(struct log_summary *s, const struct log_summary_opts *o);
void log_summary_release(struct log_summary *s);

/*
 * Starts a source; `name` is how evidence names it.  SD_OK, SD_ERR_TOO_LONG (too many
 * sources), SD_ERR_ALLOC.
 */
int log_summary_begin_source(struct log_summary *s, const char *name, int bare);
/* Feeds bytes of the current source.  SD_OK or SD_ERR_ALLOC (the summary stays usable). */
int log_summary_feed(struct log_summary *s, const char *data, size_t len);
/* Ends the current source (a last line without newline counts). */
int log_summary_end_source(struct log_summary *s);
/* Records a source that could not be read (state UNREADABLE/MISSING/PARTIAL, why). */
int log_summary_note_source(struct log_summary *s, const char *name, enum log_source_state state,
                            const char *why);

/* A journal entry. */
struct log_record {
	const char *ident; /* SYSLOG_IDENTIFIER (or _COMM) */
	size_t ident_len;
	unsigned pid;
	int64_t ts; /* __REALTIME_TIMESTAMP */
	const char *host;
	size_t host_len;
	const char *msg;
	size_t msg_len;
};

/* Adds one journal entry to the current source. */
int log_summary_add_record(struct log_summary *s, const struct log_record *r);

/* Closes the episodes and orders the timeline.  Call once, after the last source. */
void log_summary_finish(struct log_summary *s);

/* The record of a client, or NULL (complete after log_summary_finish()). */
const struct log_client *log_summary_client(const struct log_summary *s, const struct ip_addr *a);

/* Clients in the order: most events first (ties: address).  Caller frees the array, which
 * holds all *ret_n clients; with top > 0 only its first top entries are in order (the rest
 * follow in no order): the report lists 20 of 60,000 clients, and picking them costs one
 * comparison per client where the full sort costs about sixteen. */
int log_summary_clients_sorted(const struct log_summary *s, size_t top,
                               const struct log_client ***ret, size_t *ret_n);

/* The latest episode of a kind (NULL if none); i = 0 latest, 1 the one before, … */
const struct log_window *log_summary_window(const struct log_summary *s, enum log_kind kind,
                                            unsigned i);
/* How many episodes of a kind are kept. */
unsigned log_summary_nwindows(const struct log_summary *s, enum log_kind kind);

/* The number of events a window stands for (max of lines and what sshd reported). */
uint64_t log_window_count(const struct log_window *w);

/*
 * "37 MaxStartups drops between 10:02 and 10:05" — the latest episode of `kind`; for a
 * `client` (the focus client only) counted from its timeline.  SD_OK, SD_ERR_NOT_FOUND
 * (no such events), SD_ERR_ALLOC.
 */
int log_summary_window_text(const struct log_summary *s, enum log_kind kind,
                            const struct ip_addr *client, struct buf *out);

/* The name of a source, "" when out of range. */
const char *log_summary_source_name(const struct log_summary *s, unsigned i);

/* 1 when at least one source was read (even partly). */
int log_summary_any_read(const struct log_summary *s);

#endif
