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
};

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

/* Orders the findings by layer (stable) and decides d->verdict and d->deciding. */
void diagnosis_conclude(struct diagnosis *d);

#endif
