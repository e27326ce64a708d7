/*
 * layer.h — the TCP wrappers layer of `sshdiag server` (pure): does this sshd consult
 * hosts.allow/hosts.deny at all, would this client be refused, by which line, and what to
 * change.
 *
 * The edge (io/collect_tcpwrap.c) hands over the two tables' bytes and what the sshd binaries'
 * ELF dynamic sections say; this turns them into findings:
 *   tcp_wrappers_deny / denyhosts_entry (blocker) — the deciding line, file:line, the fix;
 *   a risk when the answer depends on something we do not know (the client's host name…);
 *   info when sshd does not link libwrap and the files would have refused (ignored lines);
 *   tcp_wrappers_lint (info/risk) — lines that never match, shadowed rules, syntax errors.
 */
#ifndef SSHDIAG_TCPWRAP_LAYER_H
#define SSHDIAG_TCPWRAP_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "core/conn.h"
#include "core/diagnosis.h"

enum tcpwrap_libwrap {
	TCPWRAP_LIBWRAP_UNKNOWN, /* no sshd binary found */
	TCPWRAP_LIBWRAP_YES,
	TCPWRAP_LIBWRAP_NO,
};

struct tcpwrap_table {
	const char *path;    /* as seen on the diagnosed system */
	const uint8_t *data; /* NULL: missing or unreadable */
	size_t len;
	int missing;     /* does not exist: libwrap treats it as empty */
	int unreadable;  /* exists but could not be read */
	const char *why; /* why unreadable */
};

struct tcpwrap_inputs {
	struct tcpwrap_table allow, deny;
	enum tcpwrap_libwrap libwrap;
	const char *libwrap_binary; /* the binary whose NEEDED names libwrap (or was checked) */
	const char *client_name;    /* --client-name / --resolve: "unknown", "paranoid", a name;
	                             * NULL when not known */
};

/* Adds the layer's status and findings for connection `c` (client family 0: anyone). */
int tcpwrap_layer_evaluate(const struct tcpwrap_inputs *in, const struct conn_spec *c,
                           struct diagnosis *d);

#endif
