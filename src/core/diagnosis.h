/*
 * diagnosis.h — what the server side found, and the one verdict the engine draws from it.
 *
 * Layers add findings (a cause, a severity, what the client sees, evidence, a fix) and set
 * their own status; diagnosis_conclude() then orders the findings as a connection meets the
 * layers and decides the verdict:
 *   - the first blocker decides: `blocked` (later blockers are still reported);
 *   - else any risk makes it `intermittent`;
 *   - else any layer that was not evaluated (unreadable or not implemented) makes it
 *     `inconclusive` — never a false `clear`;
 *   - else `clear`.
 * A firewall rule that only applies a ban tool's decision names that finding (`enforces`): the
 * ban is the cause, so it decides, and the rule is not reported as a second, separate blocker.
 * Without a client, layers also fill the "who is blocked" table (diagnosis_add_blocked): one
 * row per address, range or pattern that some layer stops, with the rule and the fix.
 * A struct diagnosis owns every string and finding in it; diagnosis_release() frees all.
 */
#ifndef SSHDIAG_CORE_DIAGNOSIS_H
#define SSHDIAG_CORE_DIAGNOSIS_H

#include <stddef.h>

#include "core/causes.h"

struct evidence {
	char *source;       /* a path on the diagnosed system, or a command such as iptables-save */
	unsigned long line; /* 1-based line or rule number; 0 when none applies */
	char *text;
};

struct finding {
	enum layer_id layer;
	enum cause_id cause;
	enum severity severity;
	char *summary;
	char *client_sees; /* the client-side message this causes */
	struct evidence *evidence;
	size_t nevidence;
	char **fix; /* concrete commands or edits */
	size_t nfix;
	/* this finding's rule applies that finding's decision (fail2ban's REJECT rule → the ban) */
	const struct finding *enforces;
};

/* One row of the no-client table: who is stopped, by what, until when, and the fix. */
struct blocked_row {
	enum layer_id layer;
	enum cause_id cause;
	enum severity severity; /* blocker: always stopped; risk: may be stopped */
	char *who;              /* "192.0.2.10", "10.0.0.0/8", "ALL EXCEPT 192.0.2.0/24" */
	char *by;               /* the rule in words: "iptables filter f2b-sshd rule 1" */
	char *until;            /* when a ban ends; NULL when it does not end by itself */
	struct evidence where;  /* the file (or command) and line of the rule */
	char *fix;              /* one command or edit; NULL when none applies */
};

/* The `who` of the admission-limit rows, shared by the sshd layer and the logs that add pressure.
 */
#define BLOCKED_WHO_BUSY      "any client, when busy"
#define BLOCKED_WHO_PENALIZED "sources that fail"

/* The table keeps this many rows; the rest are only counted (a 100k-line hosts.deny). */
#define DIAGNOSIS_BLOCKED_MAX 500

struct layer_result {
	enum layer_status status;
	char *note; /* why, or what would make it readable */
};

struct diagnosis {
	char *client; /* the client address asked about; NULL for "anyone" */
	char *user;   /* NULL when not given */
	unsigned port;
	struct layer_result layers[LAYER__COUNT];
	struct finding **findings;
	size_t nfindings;
	enum verdict verdict;
	long deciding; /* index of the finding that decided the verdict, -1 when none */
	struct blocked_row *blocked; /* without a client: who is blocked, in layer order */
	size_t nblocked;
	size_t blocked_omitted; /* rows past DIAGNOSIS_BLOCKED_MAX */
};

/* Every layer starts as not_implemented, so a layer nobody evaluates forces inconclusive. */
int diagnosis_init(struct diagnosis *d, const char *client, unsigned port, const char *user);
void diagnosis_release(struct diagnosis *d);

int diagnosis_set_layer(struct diagnosis *d, enum layer_id layer, enum layer_status status,
                        const char *note_fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Adds a finding and returns it (owned by d), or NULL on OOM.  client_sees starts as the
 * cause's usual client text.
 */
struct finding *diagnosis_add_finding(struct diagnosis *d, enum layer_id layer, enum cause_id cause,
                                      enum severity severity);
int finding_set_summary(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int finding_set_client_sees(struct finding *f, const char *text);
int finding_add_evidence(struct finding *f, const char *source, unsigned long line,
                         const char *text);
int finding_add_fix(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Adds a row to the no-client table (strings are copied; until, source and fix may be NULL).
 * Past DIAGNOSIS_BLOCKED_MAX rows it only counts.
 */
int diagnosis_add_blocked(struct diagnosis *d, enum layer_id layer, enum cause_id cause,
                          enum severity severity, const char *who, const char *by,
                          const char *until, const char *source, unsigned long line,
                          const char *fix);

/* The row of `layer` for `who`, or NULL (a ban tool completes its firewall rule's row). */
struct blocked_row *diagnosis_find_blocked(struct diagnosis *d, enum layer_id layer,
                                           const char *who);
/* Appends text to row->by ("; " between): the logs add the recent pressure on a limit. */
int blocked_row_append(struct blocked_row *row, const char *text);
/* Sets row->until (copied) when it has none. */
int blocked_row_set_until(struct blocked_row *row, const char *until);

/* The index of f in d->findings, -1 when it is not there. */
long diagnosis_index_of(const struct diagnosis *d, const struct finding *f);

/*
 * Orders the findings and the table by layer (stable) and decides d->verdict and d->deciding:
 * when the first blocker enforces another blocker, that one decides.
 */
void diagnosis_conclude(struct diagnosis *d);

#endif
