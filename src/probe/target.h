/*
 * target.h — parses what the user typed as a probe target (pure).
 *
 * Accepted: host, host:port, [v6addr], [v6addr]:port, a bare IPv6 address (no port), and
 * ssh://[user@]host[:port] (host may be [v6addr]).  The port defaults to `default_port`.
 */
#ifndef SSHDIAG_PROBE_TARGET_H
#define SSHDIAG_PROBE_TARGET_H

struct target {
	char *host; /* without brackets */
	char *user; /* NULL unless given in an ssh:// URL */
	unsigned port;
};

/* SD_OK, SD_ERR_INVALID (malformed, bad port) or SD_ERR_ALLOC; *t owns its strings. */
int target_parse(const char *spec, unsigned default_port, struct target *t);
void target_release(struct target *t);

#endif
