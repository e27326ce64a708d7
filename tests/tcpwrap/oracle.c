/*
 * oracle.c — hosts_ctl(3) of the installed libwrap (see oracle.h).  Link with -lwrap.
 */
#include "oracle.h"

#include <stdio.h>
#include <sys/stat.h>
#include <syslog.h>
#include <tcpd.h>

/* libwrap logs with these; the program is expected to define them. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int oracle_decide(const char *allow_path, const char *deny_path, const char *name, const char *addr,
                  const char *user)
{
	mode_t old = umask(022);
	int r;

	hosts_allow_table = (char *)allow_path;
	hosts_deny_table = (char *)deny_path;
	r = hosts_ctl("sshd", (char *)name, (char *)addr, (char *)user);
	umask(old); /* the "umask" option really sets it */
	return r;
}
