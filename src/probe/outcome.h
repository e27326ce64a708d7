/*
 * outcome.h — what one probe attempt observed, and how it is classified (pure).
 *
 * The prober (src/io/prober.c) records raw facts about an attempt — how connect() ended, how
 * far the identification exchange got, how the connection ended and when — into struct
 * attempt_facts.  probe_classify() turns those facts into one stable outcome id.
 */
#ifndef SSHDIAG_PROBE_OUTCOME_H
#define SSHDIAG_PROBE_OUTCOME_H

#include <stddef.h>

#include "ssh/banner.h"

/* id, JSON name, one-line meaning */
#define PROBE_OUTCOMES(X)                                                                          \
	X(OUTCOME_OK, "ok", "banner and KEXINIT received: sshd admits this client")                \
	X(OUTCOME_REFUSED, "refused", "TCP connect refused (RST or ICMP port unreachable)")        \
	X(OUTCOME_TIMEOUT_CONNECT, "timeout_connect", "no answer to the TCP SYN")                  \
	X(OUTCOME_UNREACHABLE, "unreachable", "ICMP unreachable or prohibited")                    \
	X(OUTCOME_RESET_BEFORE_BANNER, "reset_before_banner",                                      \
	  "connection reset after accept, before any server byte")                                 \
	X(OUTCOME_CLOSED_BEFORE_BANNER, "closed_before_banner",                                    \
	  "connection closed after accept, before any server byte")                                \
	X(OUTCOME_REFUSED_BY_SSHD, "refused_by_sshd",                                              \
	  "sshd's admission control refused the connection with a pre-banner line")                \
	X(OUTCOME_TIMEOUT_BANNER, "timeout_banner", "accepted, but no banner within the timeout")  \
	X(OUTCOME_NOT_SSH, "not_ssh", "something other than an SSH server answered")               \
	X(OUTCOME_RESET_AFTER_BANNER, "reset_after_banner",                                        \
	  "connection reset after the banner, before KEXINIT")                                     \
	X(OUTCOME_CLOSED_AFTER_BANNER, "closed_after_banner",                                      \
	  "connection closed after the banner, before KEXINIT")                                    \
	X(OUTCOME_TIMEOUT_KEXINIT, "timeout_kexinit",                                              \
	  "banner received, no KEXINIT within the timeout")                                        \
	X(OUTCOME_PROTOCOL_ERROR, "protocol_error", "the server broke the SSH protocol")           \
	X(OUTCOME_RESOLVE_FAILED, "resolve_failed", "the name did not resolve")                    \
	X(OUTCOME_LOCAL_ERROR, "local_error", "a local error stopped the attempt")                 \
	X(OUTCOME_AUTH_METHODS, "auth_methods",                                                    \
	  "key exchange done and authentication offered: sshd admits this client")                 \
	X(OUTCOME_CLOSED_AFTER_KEX, "closed_after_kex",                                            \
	  "key exchange done, then the server closed before authentication started")               \
	X(OUTCOME_CLOSED_AT_AUTH, "closed_at_auth",                                                \
	  "the server closed at the first authentication request (Match, RefuseConnection)")       \
	X(OUTCOME_KEX_FAILED, "kex_failed",                                                        \
	  "the key exchange failed (algorithms, or a close during it)")

enum probe_outcome {
#define PO_ENUM(id, name, text) id,
	PROBE_OUTCOMES(PO_ENUM)
#undef PO_ENUM
	    OUTCOME__COUNT
};

const char *probe_outcome_name(enum probe_outcome o);
const char *probe_outcome_text(enum probe_outcome o);
/* 1 for the outcomes that mean "sshd admits this client" (ok, auth_methods). */
int probe_outcome_is_success(enum probe_outcome o);

/* How the TCP connect ended. */
enum connect_result {
	CONNECT_OK,
	CONNECT_REFUSED,     /* ECONNREFUSED */
	CONNECT_TIMEOUT,     /* our deadline, or ETIMEDOUT */
	CONNECT_UNREACHABLE, /* EHOSTUNREACH, ENETUNREACH, or an ICMP error */
	CONNECT_LOCAL_ERROR, /* EPERM from a local OUTPUT rule, EADDRNOTAVAIL, … */
};

/* How the connection ended after connect succeeded. */
enum end_event {
	END_COMPLETE, /* we stopped after KEXINIT */
	END_EOF,      /* orderly close (FIN) */
	END_RESET,    /* ECONNRESET */
	END_TIMEOUT,  /* our phase deadline */
	END_PROTOCOL, /* bytes that do not parse */
	END_ERROR,    /* another socket error */
};

struct attempt_facts {
	enum connect_result connect;
	enum end_event end;
	const struct banner *banner; /* state of the identification exchange (never NULL) */
	int kexinit_ok;              /* the first packet was a well-formed KEXINIT */
	int got_disconnect;          /* the first packet was SSH_MSG_DISCONNECT */
	int packet_error;            /* the first packet did not frame or parse */
};

enum probe_outcome probe_classify(const struct attempt_facts *f);

#endif
