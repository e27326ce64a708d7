/*
 * sshd/match.h — OpenSSH's pattern and address matchers (match.c, addrmatch.c, addr.c,
 * groupaccess.c), as sshd uses them for Match criteria and address lists.
 *
 * Patterns: '*' any run, '?' one character, nothing else is special.  A pattern list is
 * comma-separated; "!pat" negates.  The list result is three-valued, like OpenSSH's:
 *    1  some positive pattern matched and no negated one did
 *    0  nothing matched (so "!root" alone matches nobody: there is no positive pattern)
 *   -1  a negated pattern matched (it wins over any positive one)
 * A sub-pattern of 1023 characters or more makes the whole list "no match", as in OpenSSH.
 *
 * Address lists (Match Address / LocalAddress, PerSourcePenaltyExemptList) add CIDR entries:
 * "a.b.c.d/n", "v6/n" (a network with host bits set is an error, -2), and fall back to the
 * wildcard match of the address text.  Addresses parse like getaddrinfo(AI_NUMERICHOST):
 * inet_aton(3) forms for IPv4 ("127.1", "0x7f.1"), inet_pton(3) for IPv6, a numeric
 * "%scope" suffix for IPv6.  The matcher here is iterative: no exponential backtracking.
 */
#ifndef SSHDIAG_SSHD_MATCH_H
#define SSHDIAG_SSHD_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* 1 if `s` matches the single pattern `pattern`. */
int sshd_match_pattern(const char *s, const char *pattern);
/* match_pattern_list(): 1, 0 or -1 (see above).  `dolower` lower-cases the patterns. */
int sshd_match_pattern_list(const char *string, const char *pattern, int dolower);
/* match_hostname(): the host lower-cased against a lower-cased pattern list. */
int sshd_match_hostname(const char *host, const char *pattern);

struct sshd_xaddr {
	int af; /* 4 or 6 */
	uint8_t a[16];
	uint32_t scope;
};

/* 0 and *n on success, -1 if `p` is not a numeric address. */
int sshd_addr_pton(const char *p, struct sshd_xaddr *n);
/* addr_pton_cidr(): 0, -1 (not an address), -2 (bad mask length or host bits set). */
int sshd_addr_pton_cidr(const char *p, struct sshd_xaddr *n, unsigned *masklen);
/* 1 if `host` lies in net/masklen (same family and scope). */
int sshd_addr_netmatch(const struct sshd_xaddr *host, const struct sshd_xaddr *net,
                       unsigned masklen);
/*
 * addr_match_list(): 1 match, 0 none, -1 negated match, -2 invalid list entry.  With a NULL
 * `addr` it only checks the list (0 or -2).  An `addr` that does not parse gives 0.
 */
int sshd_addr_match_list(const char *addr, const char *list);

/*
 * ga_match_pattern_list(): 1 if one of the user's groups matches the list and none matches a
 * negated pattern.
 */
int sshd_groups_match(const char *const *groups, size_t ngroups, const char *pattern);

#endif
