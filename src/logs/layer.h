/*
 * logs/layer.h — the `logs` layer of `sshdiag server`: what sshd's log and the ban tools'
 * logs say about the connection, as evidence for the other layers' findings and as findings
 * of its own where only the log can tell (penalties live in sshd's memory; a MaxStartups
 * episode is over by the time anyone looks).
 *
 *	logs_layer_evaluate(&summary, &conn, &diagnosis);
 *
 * Call it after the other layers: it appends log evidence to their findings first —
 *
 *	max_startups, per_source_max_startups   "37 MaxStartups drops between 10:02 and 10:05",
 *	                                        then the episode's first and last line
 *	per_source_penalty                      the client's penalty and drop lines
 *	tcp_wrappers_deny, denyhosts_entry      the client's "refused connect from" lines
 *	refuse_connection                       "administratively prohibited connection"
 *	sshd_session_missing, host_keys_unusable, sshd_config_invalid
 *	                                        the fatal lines sshd wrote per connection
 *	fail2ban_ban, sshguard_ban              the ban lines (unless the bans layer cited them)
 *	algorithm_mismatch                      "Unable to negotiate with …"
 *
 * (a finding that already cites a log source is left alone) — then adds LAYER_LOGS findings
 * for what no other layer reported: the client's penalty drops (a risk while a penalty may
 * still run: sshd caps them at 600 s and forgets them on restart), MaxStartups episodes (a
 * risk within LOGS_RECENT of now), the client's TCP wrappers refusals and RefuseConnection
 * refusals, sshd failing at session start, algorithm mismatches.  Older events are `info`.
 *
 * Evidence: {source: the path as seen on the diagnosed system or "journal", line: 1-based
 * line (0 for the journal and for counts), text}.
 *
 * Status: evaluated when at least one log was read (the note says which, and which could not
 * be); unreadable when none could be, with what would make one readable.
 */
#ifndef SSHDIAG_LOGS_LAYER_H
#define SSHDIAG_LOGS_LAYER_H

#include "core/conn.h"
#include "core/diagnosis.h"
#include "logs/summary.h"

#define LOGS_RECENT      3600 /* seconds: an episode this close to now is a live risk */
#define LOGS_PENALTY_MAX 600  /* seconds: sshd's default PerSourcePenalties max */

/* Evaluates the layer into d.  SD_OK or SD_ERR_ALLOC. */
int logs_layer_evaluate(const struct log_summary *s, const struct conn_spec *c,
                        struct diagnosis *d);

/*
 * Appends to f the latest episode of `kind` as evidence: one count line ("37 MaxStartups
 * drops between 10:02 and 10:05", line 0) and up to `max_lines` lines (first, last, and for
 * a focus client the lines in between).  `client` NULL or family 0: the whole log; else the
 * focus client's timeline.  SD_OK, SD_ERR_NOT_FOUND (nothing of that kind), SD_ERR_ALLOC.
 */
int logs_cite(const struct log_summary *s, enum log_kind kind, const struct ip_addr *client,
              unsigned max_lines, struct finding *f);

/*
 * Appends the focus client's lines of class `cls` with times in [from, to] (LOG_TS_NONE:
 * open), at most max_lines (the latest ones).  Returns how many were added (>= 0) or
 * SD_ERR_ALLOC.
 */
int logs_cite_class(const struct log_summary *s, enum log_class cls, int64_t from, int64_t to,
                    unsigned max_lines, struct finding *f);

/* 1 when f already carries evidence from one of the summary's sources. */
int logs_finding_cites_logs(const struct log_summary *s, const struct finding *f);

#endif
