/*
 * logs/syslogconf.h — where syslog puts sshd's messages: the files a syslog.conf/rsyslog.conf
 * selector sends a facility's INFO messages to.
 *
 * Only the traditional selector lines are read (what Debian's and RHEL's rsyslog.conf use):
 *
 *	auth,authpriv.*                 /var/log/auth.log
 *	*.*;auth,authpriv.none          -/var/log/syslog
 *	authpriv.*                      /var/log/secure
 *	local0.info                     /var/log/sshd.log
 *
 * A line's selectors are applied left to right ("none" and "!" remove, "=" matches one
 * level); a line sends INFO of the facility to its action when the result includes it.
 * Actions other than files (@host, |pipe, :omusrmsg:, ~, templates) are ignored, as are
 * RainerScript statements, $-directives and property filters.
 */
#ifndef SSHDIAG_LOGS_SYSLOGCONF_H
#define SSHDIAG_LOGS_SYSLOGCONF_H

#include <stddef.h>

#define SYSLOG_CONF_MAX_FILES 16

struct syslog_files {
	char *path[SYSLOG_CONF_MAX_FILES]; /* malloc'd, in the order found, no duplicates */
	size_t n;
};

/*
 * Adds to `out` the files that get `facility` ("AUTH", "authpriv", "LOCAL0"; case does not
 * matter) at level INFO according to `text`.  SD_OK or SD_ERR_ALLOC.
 */
int syslog_conf_files(const char *text, size_t len, const char *facility, struct syslog_files *out);
void syslog_files_release(struct syslog_files *f);

#endif
