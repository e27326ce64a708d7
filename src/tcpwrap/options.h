/*
 * options.h — what the options field of a matching rule does (hosts_options(5)).
 *
 * Debian's libwrap is built with PROCESS_OPTIONS, so the third field of a rule is a list of
 * ':'-separated options ("\:" escapes a colon), processed in order by options.c
 * process_options() only for the rule that matched.  Any error — unknown option, missing or
 * unwanted value, "allow"/"deny"/"twist" not last, bad severity, umask, linger, nice or
 * rfc931 value, an empty field — makes libwrap log `error: ...` and deny access, even from
 * hosts.allow.  Beware that the field includes the line's newline: "sshd: ALL :" has one
 * empty option and denies.
 *
 * Nothing is run: spawn, twist and aclexec are recorded as effects.  Outcomes that depend on
 * the host (does user "x" exist? what does the aclexec command return?) are reported as
 * possibilities, never guessed.
 */
#ifndef SSHDIAG_TCPWRAP_OPTIONS_H
#define SSHDIAG_TCPWRAP_OPTIONS_H

#include <stddef.h>

struct ha_eval;

enum ha_opt_end {
	HA_END_TABLE, /* every option ran: the table's own verdict stands */
	HA_END_ALLOW, /* "allow": granted, even in hosts.deny */
	HA_END_DENY,  /* "deny": denied, even in hosts.allow */
	HA_END_ERROR, /* an invalid option: libwrap denies */
	HA_END_TWIST, /* "twist": the server process becomes a shell command */
	HA_END_EXIT,  /* a %-expansion longer than libwrap's 8 KiB buffer: the process exits */
};

/* ha_opts.may: outcomes that depend on the host. */
#define HA_MAY_DENY     0x1u /* an option may fail (unknown user/group, setenv, expansion) */
#define HA_MAY_TABLE_NO 0x2u /* aclexec may fail: the table then answers "no match" */

struct ha_opts {
	enum ha_opt_end end;
	unsigned effects; /* HA_FX_* of the options that ran */
	unsigned need;    /* HA_NEED_* behind `may` */
	unsigned may;     /* HA_MAY_* */
	char option[48];  /* the option that ended processing, or the first uncertain one */
	char message[96]; /* HA_END_ERROR: libwrap's message, e.g. bad option name: "foo" */
};

/*
 * Runs process_options() on the field text(colon2..len) of a rule, without side effects.
 * `ev` supplies the values for %-expansions; NULL treats them all as unknown.
 */
void ha_options_eval(const char *field, size_t len, const struct ha_eval *ev, struct ha_opts *out);

#endif
