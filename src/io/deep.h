/*
 * deep.h — the deep stage of a probe: a full key exchange and a `none` authentication
 * request through libssh, to reach the point where sshd evaluates Match blocks (and so
 * RefuseConnection, AllowUsers/DenyUsers) — failures there are invisible to a banner probe.
 *
 * Sessions run concurrently in libssh's non-blocking mode, driven by poll() from one thread,
 * at most `parallel` at once, each with its own deadline.
 *
 * Cost to the server: one connection, one key exchange (a few ms of sshd CPU), and one
 * `none` userauth request, which sshd does not count as a failed authentication.  sshd logs
 * "Connection closed by authenticating user U ADDR port P [preauth]" (or "Invalid user U"
 * when U does not exist there — so the user sent is the one you would log in as).
 */
#ifndef SSHDIAG_IO_DEEP_H
#define SSHDIAG_IO_DEEP_H

#include <stddef.h>

#include "probe/result.h"

struct deep_options {
	const char *source; /* local address to bind, or NULL */
	unsigned timeout_ms;
	unsigned parallel;
};

struct deep_request {
	const char *address;
	unsigned port;
	const char *user;
	struct probe_deep *out; /* filled, out->ran = 1 */
};

/* Runs every request.  SD_OK, or SD_ERR_ALLOC. */
int deep_probe_many(struct deep_request *reqs, size_t n, const struct deep_options *o);

#endif
