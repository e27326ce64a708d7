/*
 * algos.h — predicts the algorithm negotiation between the local ssh client and a server's
 * KEXINIT, so "no matching key exchange method found" is named before it happens (pure).
 *
 * The client's proposal comes from `ssh -G host` output (what ssh would really offer, with
 * the user's configuration applied), or OpenSSH 9.2's defaults when ssh is not installed.
 * Negotiation follows RFC 4253 §7.1: the first client algorithm the server also offers.
 */
#ifndef SSHDIAG_PROBE_ALGOS_H
#define SSHDIAG_PROBE_ALGOS_H

#include <stddef.h>

#include "ssh/kexinit.h"

enum algo_kind {
	ALGO_KEX,
	ALGO_HOSTKEY,
	ALGO_CIPHER_C2S,
	ALGO_CIPHER_S2C,
	ALGO_MAC_C2S,
	ALGO_MAC_S2C,
	ALGO__COUNT
};

struct client_algos {
	struct namelist lists[ALGO__COUNT];
	int from_defaults; /* 1 when built from OpenSSH's defaults rather than ssh -G */
};

struct algo_prediction {
	const char *chosen[ALGO__COUNT]; /* points into the client's lists; NULL = no match */
	int mismatch;                    /* at least one required kind has no match */
	char *message; /* ssh's "Unable to negotiate…" text, owned; NULL if none */
};

/* Parses `ssh -G` output (keys case-insensitive).  Missing keys fall back to the defaults. */
int client_algos_from_ssh_g(const char *text, size_t len, struct client_algos *out);
/* OpenSSH 9.2's default client proposal. */
int client_algos_default(struct client_algos *out);
void client_algos_release(struct client_algos *c);

/* Predicts the negotiation; `address`/`port` only shape the message. */
int algo_predict(const struct client_algos *c, const struct kexinit *server, const char *address,
                 unsigned port, struct algo_prediction *out);
void algo_prediction_release(struct algo_prediction *p);
const char *algo_kind_name(enum algo_kind k);

#endif
