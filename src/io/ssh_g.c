#include "io/ssh_g.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "io/proc.h"
#include "probe/sshcfg.h"

int ssh_g_run(const struct ssh_g_query *q, struct buf *out, char **why)
{
	char port[12], *argv[12];
	struct proc_result pr;
	size_t n = 0, l;
	int r;

	*why = NULL;
	buf_init(out, SSHCFG_MAX_INPUT);
	argv[n++] = "ssh";
	argv[n++] = "-G";
	if (q->file) {
		argv[n++] = "-F";
		argv[n++] = (char *)q->file;
	}
	if (q->port) {
		snprintf(port, sizeof(port), "%u", q->port);
		argv[n++] = "-p";
		argv[n++] = port;
	}
	if (q->user) {
		argv[n++] = "-l";
		argv[n++] = (char *)q->user;
	}
	argv[n++] = "--"; /* a host that starts with '-' is not an option */
	argv[n++] = (char *)q->host;
	argv[n] = NULL;
	if ((r = proc_run(argv, q->timeout_ms ? q->timeout_ms : 5000, SSHCFG_MAX_INPUT, &pr)) != 0)
		return r;
	if (pr.timed_out)
		r = SD_ERR_TIMEOUT;
	else if (pr.truncated)
		r = SD_ERR_TOO_LONG;
	else if (!pr.exited || pr.status != 0) {
		r = SD_ERR_INVALID;
		l = strcspn(pr.err.data ? pr.err.data : "", "\r\n");
		if (l && (*why = sanitized_strndup(pr.err.data, l, 1024)) == NULL)
			r = SD_ERR_ALLOC;
	} else if (buf_add(out, pr.out.data, pr.out.len) != 0)
		r = SD_ERR_ALLOC;
	proc_result_release(&pr);
	if (r != SD_OK)
		buf_release(out);
	return r;
}
