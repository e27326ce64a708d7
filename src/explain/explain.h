/*
 * explain/explain.h — `sshdiag explain`: a pasted error message in, the side and phase it
 * belongs to and the ordered likely causes (with the next command for each) out.
 *
 * The input is untrusted text: one message, or a whole paste (`ssh -v` output, a piece of
 * auth.log).  Every line is looked at; the most decisive one wins:
 *
 *	- client texts (every OpenSSH wording since 7.x, the old ssh_exchange_identification
 *	  prefix, PuTTY/Paramiko variants) are matched against a table of patterns, ordered from
 *	  the most specific ("banner line 0: Exceeded MaxStartups") to the least ("Connection
 *	  closed by A port N", which 9.5+ clients print for a close before the banner and every
 *	  client prints for RefuseConnection after key exchange — the rest of the paste decides);
 *	- server log lines (with or without a syslog/journal prefix, fail2ban and sshguard lines)
 *	  go through the log classifier of logs/line.h, and its class picks the symptom.
 *
 * The host, port and addresses the paste mentions are pulled out (only characters that are
 * safe in a shell word) and filled into the suggested commands; what the paste does not say
 * stays a visible placeholder (CLIENT_ADDR, HOST, USER).
 *
 * Pure: no I/O, no allocation in explain_message(); input is bounded (EXPLAIN_MAX_INPUT bytes,
 * EXPLAIN_MAX_LINES lines, longer lines are looked at up to EXPLAIN_MAX_LINE bytes).
 */
#ifndef SSHDIAG_EXPLAIN_EXPLAIN_H
#define SSHDIAG_EXPLAIN_EXPLAIN_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "core/causes.h"

#define EXPLAIN_MAX_INPUT       (1024 * 1024)
#define EXPLAIN_MAX_LINES       20000
#define EXPLAIN_MAX_LINE        4096
#define EXPLAIN_MAX_CAUSES      10
#define EXPLAIN_MAX_LINES_SHOWN 4

/* Which program wrote the message. */
#define EXPLAIN_SIDES(X)                                                                           \
	X(EXPLAIN_SIDE_UNKNOWN, "unknown")                                                         \
	X(EXPLAIN_SIDE_CLIENT, "client")                                                           \
	X(EXPLAIN_SIDE_SERVER, "server")

enum explain_side {
#define EXPLAIN_SIDE_ENUM(id, name) id,
	EXPLAIN_SIDES(EXPLAIN_SIDE_ENUM)
#undef EXPLAIN_SIDE_ENUM
};

/* Where the connection was when it failed: id, JSON name, text. */
#define EXPLAIN_PHASES(X)                                                                          \
	X(EXPLAIN_PHASE_UNKNOWN, "unknown", "unknown phase")                                       \
	X(EXPLAIN_PHASE_TCP, "tcp_connect", "TCP connect")                                         \
	X(EXPLAIN_PHASE_BANNER, "banner_exchange", "banner exchange")                              \
	X(EXPLAIN_PHASE_KEX, "key_exchange", "key exchange")                                       \
	X(EXPLAIN_PHASE_AUTH, "authentication", "authentication")                                  \
	X(EXPLAIN_PHASE_SESSION, "session", "session")

enum explain_phase {
#define EXPLAIN_PHASE_ENUM(id, name, text) id,
	EXPLAIN_PHASES(EXPLAIN_PHASE_ENUM)
#undef EXPLAIN_PHASE_ENUM
};

const char *explain_side_name(enum explain_side s);
const char *explain_phase_name(enum explain_phase p);
const char *explain_phase_text(enum explain_phase p);

/* A command to run next, and on which machine ("client" or "server"). */
struct explain_step {
	const char *where;
	char cmd[320];
};

struct explain_cause {
	enum cause_id cause;
	const char *why;
	struct explain_step next;
};

struct explain_line {
	size_t no;      /* 1-based line number in the paste */
	char text[512]; /* sanitised (printable ASCII), truncated */
};

struct explain_result {
	int recognised;
	enum explain_side side;
	enum explain_phase phase;
	int pre_auth;        /* 1: before authentication (sshdiag's scope); 0: auth or later */
	const char *symptom; /* stable id of the recognised message ("kex_reset"), "" */
	const char *summary; /* one sentence */
	const char *note;    /* extra advice, "" */
	size_t lines;        /* lines looked at */
	size_t nshown;
	struct explain_line shown[EXPLAIN_MAX_LINES_SHOWN]; /* the decisive line(s) */
	/* what the paste says, "" / 0 when it does not */
	char host[256];   /* the server as the user typed it */
	char address[64]; /* the server's address */
	unsigned port;    /* the server's port */
	char client[64];  /* the client's address (server-side lines) */
	unsigned client_port;
	char user[64];
	char detail[256]; /* "Their offer: …", the penalty reason, the fatal text */
	struct explain_step first;
	size_t ncauses;
	struct explain_cause causes[EXPLAIN_MAX_CAUSES];
};

/*
 * Explains `len` bytes of pasted text (bytes past EXPLAIN_MAX_INPUT are ignored).  Always
 * fills *r; r->recognised is 0 when no line was understood.
 */
void explain_message(const char *text, size_t len, struct explain_result *r);

/* 80-column text; SD_OK or SD_ERR_ALLOC / SD_ERR_TOO_LONG. */
int explain_render_text(const struct explain_result *r, struct buf *out);
/* A new JSON object (see docs/json.md), NULL on OOM. */
json_t *explain_render_json(const struct explain_result *r);

#endif
