/*
 * ssh_g.h — asks the local ssh client for its effective configuration: runs
 * `ssh -G [-F FILE] [-p PORT] [-l USER] -- HOST` through proc.h (fixed argv, no shell, a
 * timeout, output capped at SSHCFG_MAX_INPUT) and hands the bytes to the pure parser
 * (probe/sshcfg.h) and the algorithm predictor (probe/algos.h).
 *
 * ssh -G connects nowhere, but it evaluates the user's configuration, `Match exec` included:
 * it runs what the user's own `ssh HOST` would run.
 */
#ifndef SSHDIAG_IO_SSH_G_H
#define SSHDIAG_IO_SSH_G_H

#include "base/buf.h"

struct ssh_g_query {
	const char *file; /* -F FILE, NULL: ssh's own default files */
	const char *user; /* -l USER, NULL: none */
	const char *host;
	unsigned port; /* -p PORT, 0: none (the configuration's Port applies) */
	unsigned timeout_ms;
};

/*
 * SD_OK with ssh's output in *out (initialised here; release it); SD_ERR_NOT_FOUND when ssh
 * is not installed; SD_ERR_INVALID when ssh -G failed, with its first stderr line (sanitised)
 * in *why (malloc'd, may be NULL); SD_ERR_TIMEOUT, SD_ERR_TOO_LONG, SD_ERR_ALLOC.
 */
int ssh_g_run(const struct ssh_g_query *q, struct buf *out, char **why);

#endif
