/*
 * proc.h — runs a read-only helper command (iptables-save, nft -j list ruleset, sshd -T, …)
 * and captures its output, for the live mode of the server side.
 *
 * Fixed argv (no shell), a minimal environment (PATH and LC_ALL=C only), stdin from
 * /dev/null, a wall-clock timeout after which the child is killed, and a cap on captured
 * output.  The child is always reaped.
 */
#ifndef SSHDIAG_IO_PROC_H
#define SSHDIAG_IO_PROC_H

#include "base/buf.h"

struct proc_result {
	int exited;     /* 1 when the child exited normally */
	int status;     /* its exit status, or the signal that ended it */
	int timed_out;  /* killed because of the timeout */
	int truncated;  /* output exceeded the cap (the rest was discarded) */
	struct buf out; /* stdout */
	struct buf err; /* stderr (capped at 64 KiB) */
};

/*
 * Runs argv[0] (an absolute path, or a name looked up in a fixed PATH) with argv.  SD_OK when
 * the command ran (whatever its exit status: see r->exited/status), SD_ERR_NOT_FOUND when it
 * does not exist, SD_ERR_* for other failures to start.  r must be released with
 * proc_result_release() after SD_OK.
 */
int proc_run(char *const argv[], unsigned timeout_ms, size_t max_out, struct proc_result *r);
void proc_result_release(struct proc_result *r);

#endif
