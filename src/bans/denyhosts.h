/*
 * bans/denyhosts.h — what DenyHosts leaves behind, as text in: its configuration, the lines
 * it appended to hosts.deny and its work files.
 *
 * denyhosts.conf is "KEY = value" (HOSTS_DENY /etc/hosts.deny, BLOCK_SERVICE sshd, WORK_DIR
 * /var/lib/denyhosts, PURGE_DENY, IPTABLES, BLOCKPORT, DENY_THRESHOLD_*).
 *
 * hosts.deny (deny_hosts.py update_hosts_deny()): "<BLOCK_SERVICE>: <host>" per blocked host,
 * preceded when PURGE_DENY is set by "# DenyHosts: <time.asctime()> | <entry>".
 *
 * Work files in WORK_DIR (loginattempt.py __save_stats(), counter.py): hosts, hosts-valid,
 * hosts-root, hosts-restricted ("<host>:<count>:<asctime>"), users-hosts, suspicious-logins,
 * and allowed-hosts (the administrator's list of hosts never to block).  DenyHosts puts an
 * address back into hosts.deny from these counters unless they are cleaned too.
 */
#ifndef SSHDIAG_BANS_DENYHOSTS_H
#define SSHDIAG_BANS_DENYHOSTS_H

#include <stddef.h>

#include "core/conn.h"

#define DH_MAX_HITS  16
#define DH_CONF_PATH "/etc/denyhosts.conf"

/* The work files a blocked address is counted in (cleaning them keeps it out). */
#define DH_WORK_FILES(X)                                                                           \
	X("hosts")                                                                                 \
	X("hosts-restricted")                                                                      \
	X("hosts-root")                                                                            \
	X("hosts-valid")                                                                           \
	X("users-hosts")                                                                           \
	X("suspicious-logins")

struct dh_conf {
	char *hosts_deny;    /* default /etc/hosts.deny */
	char *work_dir;      /* default /var/lib/denyhosts */
	char *block_service; /* default sshd ("" allowed) */
	char *purge_deny;    /* "" when never purged */
	char *iptables;      /* "" when not used */
	char *blockport;
};

int dh_conf_parse(const char *text, size_t len, struct dh_conf *out);
void dh_conf_release(struct dh_conf *c);

/* A line naming the address. */
struct dh_hit {
	unsigned line;         /* 1-based */
	char text[256];        /* the line (cut) */
	unsigned comment_line; /* the "# DenyHosts:" line before it, 0 */
	char comment[256];     /* that line (cut) */
	char date[48];         /* its date text, "" */
	long count;            /* work files: the count, -1 */
};

/*
 * hosts.deny lines whose client list names `a` (exactly, as an address token), with the
 * DenyHosts comment above each.  Returns the number found (at most max).
 */
size_t dh_deny_find(const char *text, size_t len, const struct ip_addr *a, struct dh_hit *hits,
                    size_t max);

/* Lines of a work file that start with the address ("ADDR:count:date"). */
size_t dh_work_find(const char *text, size_t len, const struct ip_addr *a, struct dh_hit *hits,
                    size_t max);

#endif
