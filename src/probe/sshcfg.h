/*
 * sshcfg.h — the local ssh client's effective configuration for one host, from the output of
 * `ssh -G [-F FILE] [-p PORT] [user@]host` (pure: bytes in, a struct out).
 *
 * `ssh -G` prints one "keyword value" line per option after every Host/Match block and
 * default is applied: exactly what `ssh` would use.  The probe takes what decides where and
 * how the TCP connection goes: HostName and Port (the alias is not what is connected to),
 * User, AddressFamily, BindAddress / BindInterface (the local source), ConnectTimeout, and
 * ProxyJump / ProxyCommand (ssh does not connect there directly at all).  The algorithm
 * lists are read by probe/algos.h from the same bytes.
 *
 * Keywords are matched case-insensitively (9.2 prints "User" capitalised); a value of
 * "none" is no value.  Input is capped at SSHCFG_MAX_INPUT bytes and each kept value at
 * SSHCFG_MAX_VALUE; control bytes in values are escaped (they end up on a terminal).
 */
#ifndef SSHDIAG_PROBE_SSHCFG_H
#define SSHDIAG_PROBE_SSHCFG_H

#include <stddef.h>

#define SSHCFG_MAX_INPUT (1024 * 1024)
#define SSHCFG_MAX_VALUE 4096

struct ssh_client_config {
	char *hostname; /* NULL when ssh -G printed none */
	unsigned port;  /* 0 when none */
	char *user;
	int family;                 /* 0 any, 4 inet, 6 inet6 */
	char *bind_address;         /* NULL: none */
	char *bind_interface;       /* NULL: none */
	unsigned connect_timeout_s; /* 0: none (the kernel's SYN retries decide) */
	char *proxy_jump;           /* as written: "[user@]host[:port][,next…]", NULL: none */
	char *proxy_command;        /* unexpanded (%h %p), NULL: none */
};

/*
 * Parses ssh -G output.  SD_OK, SD_ERR_TOO_LONG (input over SSHCFG_MAX_INPUT),
 * SD_ERR_INVALID (no hostname line: not ssh -G output) or SD_ERR_ALLOC.  *out is released
 * and zeroed on failure.
 */
int ssh_config_parse(const char *text, size_t len, struct ssh_client_config *out);
void ssh_config_release(struct ssh_client_config *c);

/* The first hop of a ProxyJump list: the host ssh connects to itself. */
struct ssh_jump {
	char *user;    /* NULL when not given */
	char *host;    /* brackets removed */
	unsigned port; /* 0 when not given (the jump host's own Port applies) */
};

/*
 * Splits the first hop of `proxy_jump` ("[ssh://][user@]host[:port]", host may be
 * "[v6]"); SD_OK, SD_ERR_INVALID or SD_ERR_ALLOC.
 */
int ssh_jump_first(const char *proxy_jump, struct ssh_jump *out);
void ssh_jump_release(struct ssh_jump *j);

/* "any", "inet", "inet6" */
const char *ssh_family_name(int family);

#endif
