/*
 * collect_tcpwrap.h — reads what the TCP wrappers layer needs, read-only, through rootfs:
 * /etc/hosts.allow and /etc/hosts.deny, and the ELF dynamic section of the sshd that accepts
 * connections (the running listener's /proc/PID/exe in live mode, else /usr/sbin/sshd) and,
 * for OpenSSH >= 9.8, of its sshd-session (which does the libwrap check since the split).
 */
#ifndef SSHDIAG_IO_COLLECT_TCPWRAP_H
#define SSHDIAG_IO_COLLECT_TCPWRAP_H

#include "base/buf.h"
#include "io/rootfs.h"
#include "tcpwrap/layer.h"

struct tcpwrap_collected {
	struct tcpwrap_inputs in; /* points into the buffers below */
	struct rootfs_blob allow, deny;
	char binary[600];
	char client_name[256];
};

/*
 * `sshd_hint`: the sshd binary to check (NULL: find it); `session_hint`: its sshd-session
 * (SshdSessionPath; NULL: next to sshd, else Debian's path).  Never fails for missing files.
 */
int collect_tcpwrap(const struct rootfs *fs, const char *sshd_hint, const char *session_hint,
                    struct tcpwrap_collected *out);
void collect_tcpwrap_release(struct tcpwrap_collected *c);

/*
 * Resolves the client's host name as libwrap would (reverse lookup, then a forward lookup
 * that must give the address back): "unknown" without a PTR record, "paranoid" when the
 * names disagree.  Only on request (--resolve): it sends DNS queries.
 */
void resolve_client_name(const char *addr, char *out, size_t outlen);

#endif
