/*
 * sshd/values.h — the fixed word sets of sshd_config values and how `sshd -T` prints them
 * (OpenSSH's multistate tables, log levels and facilities, IPQoS names, PermitTunnel modes,
 * digest names).  Parsing is case-insensitive where sshd's is (strcasecmp) and exact where
 * sshd uses strcmp (PermitTunnel, PermitUserEnvironment yes/no).  Printing uses the first
 * name of a value, as sshd does: PermitRootLogin prohibit-password prints as
 * "without-password", LogLevel DEBUG1 as "DEBUG", IPQoS 0x04 as "le".
 */
#ifndef SSHDIAG_SSHD_VALUES_H
#define SSHDIAG_SSHD_VALUES_H

#include "sshd/keywords.h"

/* A multistate word's value, or -1. */
int sshd_multistate_parse(enum sshd_multistate table, const char *word);
/* The first word for a value ("UNKNOWN" if none). */
const char *sshd_multistate_name(enum sshd_multistate table, int value);

/* Log levels: QUIET 0 … DEBUG3 7 (sshd's order); -1 if unknown.  Debian adds SILENT. */
int sshd_loglevel_parse(const char *word, int debian);
const char *sshd_loglevel_name(int level, int debian);
#define SSHD_LOG_INFO    3
#define SSHD_LOG_VERBOSE 4

int sshd_facility_parse(const char *word);
const char *sshd_facility_name(int facility);

/* IPQoS: a name or a number 0..255 (strtol base 0; decimal only from 9.8); -1 if invalid. */
int sshd_ipqos_parse(const char *word, int version);
/* The name, or "0x%02x" written into buf (at least 5 bytes). */
const char *sshd_ipqos_name(int value, char *buf, unsigned len);

/* PermitTunnel: no 0, point-to-point 1, ethernet 2, yes 3; -1. */
int sshd_tunnel_parse(const char *word);
const char *sshd_tunnel_name(int value);

/* FingerprintHash: MD5 0, SHA1 1, SHA256 2, SHA384 3, SHA512 4; -1. */
int sshd_digest_parse(const char *word);
const char *sshd_digest_name(int value);

/*
 * AuthenticationMethods: 0 if every comma-separated method of `list` is one sshd knows
 * (a ":submethod" suffix allowed), -1 otherwise.
 */
int sshd_authmethods_valid(const char *list, int debian);

#endif
