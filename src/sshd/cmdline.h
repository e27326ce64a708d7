/*
 * sshd/cmdline.h — how a running or configured sshd was started: its command line
 * (-f FILE, -o KEYWORD=VALUE, -p PORT, -4/-6, -h, -c, -g, -q, -d), and where that command
 * line comes from when no daemon runs: systemd's ssh.service ExecStart with $SSHD_OPTS from
 * /etc/default/ssh (Debian), or sshd.service with $OPTIONS from /etc/sysconfig/sshd.
 *
 * sshd parses its options with getopt(3) ("-Dp2222", "-oPort=2222", "-o" "Port 2222").
 * A listener's title keeps the command line joined by spaces, so a word with a space in it
 * cannot be told apart there: sshd_cmdline_split() splits on blanks.
 */
#ifndef SSHDIAG_SSHD_CMDLINE_H
#define SSHDIAG_SSHD_CMDLINE_H

#include <stddef.h>

#include "sshd/config.h"

struct sshd_cmdline {
	char *config_file;     /* -f, NULL when not given */
	struct sshd_cmd *cmds; /* the configuration options, in order (arg strings owned) */
	size_t ncmds;
	int inetd;        /* -i: one connection on stdin (no listener, no MaxStartups) */
	int socket_inetd; /* started per connection by systemd (sshd@.service) */
};

/* Parses argv[1..argc-1] like sshd's getopt loop.  SD_OK, SD_ERR_ALLOC. */
int sshd_cmdline_parse(int argc, char *const *argv, struct sshd_cmdline *out);
void sshd_cmdline_release(struct sshd_cmdline *c);

/* Splits a command line on blanks into a NULL-terminated vector (free with the next call). */
int sshd_cmdline_split(const char *line, char ***argv, int *argc);
void sshd_cmdline_split_free(char **argv, int argc);

/*
 * The command line of a systemd service: the last ExecStart= of the unit texts (later texts
 * are drop-ins, an empty ExecStart= resets), prefixes "-@:+!" dropped, and $VAR / ${VAR}
 * expanded from the environment files' VAR=value lines (quotes removed) and Environment=.
 * *out is malloc'd; SD_ERR_NOT_FOUND when no ExecStart.
 */
int sshd_unit_execstart(const char *const *units, size_t nunits, const char *const *envs,
                        size_t nenvs, char **out);

/* The EnvironmentFile= paths of the unit texts ("-" prefix: optional), malloc'd vector. */
int sshd_unit_envfiles(const char *const *units, size_t nunits, char ***paths, size_t *npaths);

#endif
