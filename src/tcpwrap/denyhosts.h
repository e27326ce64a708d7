/*
 * denyhosts.h — recognises hosts.deny lines written by DenyHosts.
 *
 * DenyHosts (denyhosts/deny_hosts.py update_hosts_deny()) appends one line per blocked host,
 * "<BLOCK_SERVICE>: <host>" (just "<host>" when BLOCK_SERVICE is empty, which libwrap then
 * ignores for lack of a ':'; " : deny" is appended on FreeBSD).  When PURGE_DENY is set it
 * first writes a comment naming the time of the block:
 *
 *	# DenyHosts: Mon Jan  2 15:04:05 2006 | sshd: 192.0.2.7
 *	sshd: 192.0.2.7
 *
 * The date is Python's time.asctime() in the server's local time zone.  DenyHosts' purge
 * (denyfileutil.py Purge) trusts the comment only if the text after " | " equals the next
 * line; we report that check as `verified`.
 */
#ifndef SSHDIAG_TCPWRAP_DENYHOSTS_H
#define SSHDIAG_TCPWRAP_DENYHOSTS_H

#include <stddef.h>

#define HA_DENYHOSTS_PREFIX "# DenyHosts:"

struct ha_denyhosts {
	int found;     /* the rule follows a "# DenyHosts:" comment line */
	int verified;  /* the comment's entry equals the rule line, as DenyHosts checks it */
	char date[40]; /* the date text as written (trimmed, printable), "" if none */
	/* The date parsed from the asctime() form; year == 0 when it does not parse. */
	int year, month, day, hour, minute, second; /* month 1..12 */
};

/* Is this line (no newline needed) a DenyHosts timestamp comment? */
int ha_is_denyhosts_comment(const char *line, size_t len);

/*
 * Fills *out from a comment line and the rule line that follows it (both without their
 * newlines).  A comment that is not a DenyHosts one leaves out->found == 0.
 */
void ha_denyhosts_parse(const char *comment, size_t comment_len, const char *rule, size_t rule_len,
                        struct ha_denyhosts *out);

#endif
