/*
 * result.h — the result of probing one address: attempts, pattern, what the server showed,
 * and the likely causes (pure).
 *
 * The prober fills attempts and hands over the banner/KEXINIT it read; probe_result_conclude()
 * then derives the overall outcome, the pattern (deterministic or intermittent) and an ordered
 * list of likely causes with one line of reasoning each.  The struct owns all its memory.
 */
#ifndef SSHDIAG_PROBE_RESULT_H
#define SSHDIAG_PROBE_RESULT_H

#include <stddef.h>

#include "core/causes.h"
#include "probe/algos.h"
#include "probe/outcome.h"
#include "probe/ramp.h"
#include "ssh/banner.h"
#include "ssh/kexinit.h"

/* libwrap's refuse() sleeps 5 s before the sshd child exits: a reset this late is a signature */
#define PROBE_LIBWRAP_DELAY_MIN_MS 4500.0
#define PROBE_LIBWRAP_DELAY_MAX_MS 6500.0

struct probe_attempt {
	enum probe_outcome outcome;
	double connect_ms; /* phase durations; < 0 when the phase was not reached */
	double banner_ms;
	double kexinit_ms;
	double end_ms; /* from the start of connect to the end of the attempt */
	int sys_errno; /* the socket error that ended it, 0 if none */
	char *detail;  /* owned: ICMP type, disconnect text, … ; may be NULL */
	/* the local end the kernel chose at connect() (getsockname); "" when none was bound */
	char local_address[46];
	unsigned local_port;
};

struct likely_cause {
	enum cause_id cause;
	char *why;
};

enum probe_pattern { PATTERN_DETERMINISTIC, PATTERN_INTERMITTENT };

/* The deep stage: a full key exchange and a `none` authentication request (libssh). */
struct probe_deep {
	int ran;
	enum probe_outcome outcome; /* auth_methods, closed_after_kex, closed_at_auth, kex_failed */
	char *user;                 /* the user name sent */
	char *kex;                  /* negotiated algorithms */
	char *hostkey_type;
	char *cipher_c2s, *cipher_s2c, *mac_c2s, *mac_s2c;
	char *fingerprint;  /* SHA256:… of the host key */
	char *auth_methods; /* "publickey,password", … */
	char *error;        /* what libssh said, sanitised */
	double kex_ms, auth_ms;
};

struct probe_result {
	char *target;      /* as the user wrote it */
	size_t spec_index; /* which of probe_targets()' specs it came from */
	char *address;     /* numeric address probed */
	unsigned port;
	double resolve_ms;
	struct probe_attempt *attempts;
	size_t nattempts;
	unsigned connections_made;

	/* what the server showed, from the first attempt that got that far */
	char *banner_line; /* sanitised version line, NULL if none */
	char *software;
	char *pre_lines[BANNER_KEEP_PRE_LINES];
	size_t npre_lines;
	char *not_ssh_kind; /* "http", "tls", … when something else answered */
	struct kexinit kexinit;
	int have_kexinit;
	char *disconnect; /* SSH_MSG_DISCONNECT text, if one came instead of KEXINIT */
	struct probe_deep deep;
	/* the local client's predicted negotiation against the server's KEXINIT */
	int have_algos;
	int algos_from_defaults;
	char *algo_chosen[ALGO__COUNT]; /* NULL where nothing matches */
	char *algo_mismatch;            /* ssh's "Unable to negotiate…" text, or NULL */
	/* --ramp: MaxStartups estimation */
	int ramp_ran;
	struct ramp_level *ramp_levels; /* owned */
	size_t nramp_levels;
	struct ramp_estimate ramp;
	double ramp_seconds;
	unsigned ramp_max_held;
	char *ramp_note; /* why it stopped early or did not run; NULL when it completed */

	/* derived by probe_result_conclude() */
	enum probe_outcome outcome;
	enum probe_pattern pattern;
	size_t counts[OUTCOME__COUNT];
	struct likely_cause *causes;
	size_t ncauses;
	char **server_checks; /* commands to run on the server to confirm */
	size_t nserver_checks;
	char *budget_warning; /* when these probes may themselves count against us */
};

int probe_result_init(struct probe_result *r, const char *target, const char *address,
                      unsigned port);
void probe_result_release(struct probe_result *r);

/* Appends an attempt; takes ownership of a->detail (also on failure). */
int probe_result_add_attempt(struct probe_result *r, struct probe_attempt *a);
/* Copies what the banner showed, if nothing was recorded yet. */
int probe_result_note_banner(struct probe_result *r, const struct banner *b);
/* Moves *k into the result if none was recorded yet (else releases it). */
void probe_result_take_kexinit(struct probe_result *r, struct kexinit *k);
int probe_result_note_disconnect(struct probe_result *r, const char *text);

/* Records the predicted negotiation (copies what it needs). */
int probe_result_note_algos(struct probe_result *r, const struct algo_prediction *p,
                            int from_defaults);

/* Releases the strings of a deep-stage record. */
void probe_deep_release(struct probe_deep *d);

/*
 * Derives outcome, pattern, likely causes and server-side checks.  When the deep stage ran
 * after successful banner attempts, its outcome becomes the overall outcome.
 */
int probe_result_conclude(struct probe_result *r);

/*
 * Puts `cause` first among the likely causes (after conclude): the client's own firewall stops
 * the connection before any server-side cause can matter.
 */
int probe_result_put_cause_first(struct probe_result *r, enum cause_id cause, const char *why);

const char *probe_pattern_name(enum probe_pattern p);

#endif
