/*
 * deep.h — the deep stage of a probe: a full key exchange and a `none` authentication
 * request through libssh, to reach the point where sshd evaluates Match blocks (and so
 * RefuseConnection, AllowUsers/DenyUsers) — failures there are invisible to a banner probe.
 *
 * Cost to the server: one connection, one key exchange (a few ms of sshd CPU), and one
 * `none` userauth request, which sshd does not count as a failed authentication.  sshd logs
 * "Connection closed by authenticating user U ADDR port P [preauth]" (or "Invalid user U"
 * when U does not exist there — choose the user you would log in as).
 */
#ifndef SSHDIAG_IO_DEEP_H
#define SSHDIAG_IO_DEEP_H

#include "probe/result.h"

struct deep_options {
	const char *user;   /* the login name to send */
	const char *source; /* local address to bind, or NULL */
	unsigned timeout_ms;
};

/* Runs the deep stage against address:port and fills *out (out->ran = 1).  SD_ERR_ALLOC only. */
int deep_probe(const char *address, unsigned port, const struct deep_options *o,
               struct probe_deep *out);

#endif
