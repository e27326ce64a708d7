/*
 * bans/sshguard.h — SSHGuard's configuration, blocklist and whitelist, as text in.
 *
 * sshguard.conf is a shell fragment of KEY=VALUE lines (examples/sshguard.conf.sample):
 * BACKEND (the firewall script: sshg-fw-nft-sets, -iptables, -ipset, -firewalld, -hosts…),
 * BLACKLIST_FILE=THRESHOLD:PATH, WHITELIST_FILE, THRESHOLD (30), BLOCK_TIME (120 s),
 * DETECTION_TIME (1800 s), FILES, LOGREADER.
 *
 * The blocklist (sshguard_blacklist.c) holds one line per permanently blocked address,
 * "UNIXTIME|SERVICE|ADDRKIND|ADDRESS" (service 100 = SSH, addrkind 4 or 6); sshguard loads
 * it at start and blocks every address in it for good.  The whitelist holds addresses,
 * CIDR blocks or host names, one per line, '#' comments.
 *
 * What sshguard blocks now lives only in the firewall (the firewall layer sees it: chain
 * sshguard, ipsets sshguard4/6, nft tables sshguard with set attackers) and in its log
 * ("Blocking \"ADDR/32\" for 120 secs …").
 */
#ifndef SSHDIAG_BANS_SSHGUARD_H
#define SSHDIAG_BANS_SSHGUARD_H

#include <stddef.h>

#include "core/conn.h"

struct sshguard_conf {
	char *backend;        /* "" when unset */
	char *blacklist_file; /* "" when unset */
	long blacklist_threshold;
	char *whitelist_file; /* "" when unset */
	long threshold, block_time, detection_time;
	unsigned backend_line, blacklist_line, whitelist_line;
};

int sshguard_conf_parse(const char *text, size_t len, struct sshguard_conf *out);
void sshguard_conf_release(struct sshguard_conf *c);

/* "nft-sets", "iptables", "ipset", "firewalld", "hosts", "pf", "ipfw", "null", "" … */
const char *sshguard_backend_kind(const char *backend);

struct sshguard_entry {
	long long time;
	int service;
	int kind;
	unsigned line; /* 1-based */
};

/* The blocklist line for a, SD_OK or SD_ERR_NOT_FOUND. */
int sshguard_blacklist_find(const char *text, size_t len, const struct ip_addr *a,
                            struct sshguard_entry *out);
/* The number of well-formed blocklist lines. */
size_t sshguard_blacklist_count(const char *text, size_t len);

/* The whitelist line (1-based) that covers a, 0 when none. */
unsigned sshguard_whitelist_find(const char *text, size_t len, const struct ip_addr *a);

#endif
