#include "sshd/match.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sshd/lex.h"

/*
 * Wildcard match with one level of backtracking (to the last '*'): linear in practice and
 * equivalent to OpenSSH's recursive match_pattern() for patterns made of '*', '?' and literals.
 */
int sshd_match_pattern(const char *s, const char *p)
{
	const char *star = NULL, *retry = NULL;

	while (*s) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return 1;
			star = p;
			retry = s;
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++retry;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

int sshd_match_pattern_list(const char *string, const char *pattern, int dolower)
{
	char sub[1024];
	int negated, got_positive = 0;
	size_t i, subi, len = strlen(pattern);

	for (i = 0; i < len;) {
		negated = 0;
		if (pattern[i] == '!') {
			negated = 1;
			i++;
		}
		for (subi = 0; i < len && subi < sizeof(sub) - 1 && pattern[i] != ','; subi++, i++)
			sub[subi] = dolower && isupper((unsigned char)pattern[i])
			                ? (char)tolower((unsigned char)pattern[i])
			                : pattern[i];
		if (subi >= sizeof(sub) - 1)
			return 0;
		if (i < len && pattern[i] == ',')
			i++;
		sub[subi] = '\0';
		if (sshd_match_pattern(string, sub)) {
			if (negated)
				return -1;
			got_positive = 1;
		}
	}
	return got_positive;
}

int sshd_match_hostname(const char *host, const char *pattern)
{
	char *h = strdup(host), *p;
	int r;

	if (h == NULL)
		return 0;
	for (p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r = sshd_match_pattern_list(h, pattern, 1);
	free(h);
	return r;
}

/*
 * glibc's inet_aton_exact(), which getaddrinfo(AI_NUMERICHOST) uses for IPv4: a, a.b, a.b.c,
 * a.b.c.d; each part decimal, 0octal or 0xhex; nothing after the last part.
 */
static int inet_aton_exact(const char *cp, uint8_t out[4])
{
	static const uint32_t max[4] = {0xffffffff, 0xffffff, 0xffff, 0xff};
	uint8_t bytes[4];
	uint32_t val;
	int base, digit, nparts = 0, k;
	unsigned char c = (unsigned char)*cp;

	for (;;) {
		if (!isdigit(c))
			return -1;
		val = 0;
		base = 10;
		digit = 0;
		if (c == '0') {
			c = (unsigned char)*++cp;
			if (c == 'x' || c == 'X') {
				base = 16;
				c = (unsigned char)*++cp;
			} else {
				base = 8;
				digit = 1;
			}
		}
		for (;;) {
			if (isascii(c) && isdigit(c)) {
				if (base == 8 && (c == '8' || c == '9'))
					return -1;
				val = val * (uint32_t)base + (uint32_t)(c - '0');
				c = (unsigned char)*++cp;
				digit = 1;
			} else if (base == 16 && isascii(c) && isxdigit(c)) {
				val = (val << 4) | (uint32_t)(c + 10 - (islower(c) ? 'a' : 'A'));
				c = (unsigned char)*++cp;
				digit = 1;
			} else {
				break;
			}
		}
		if (c != '.')
			break;
		if (nparts > 2 || val > 0xff)
			return -1;
		bytes[nparts++] = (uint8_t)val;
		c = (unsigned char)*++cp;
	}
	if (c != '\0' || !digit || val > max[nparts])
		return -1;
	for (k = nparts; k < 4; k++)
		bytes[k] = 0;
	/* the last part fills the remaining bytes */
	for (k = 3; k >= nparts; k--) {
		bytes[k] = (uint8_t)(val & 0xff);
		val >>= 8;
	}
	memcpy(out, bytes, 4);
	return 0;
}

int sshd_addr_pton(const char *p, struct sshd_xaddr *n)
{
	struct sshd_xaddr x;
	char buf[INET6_ADDRSTRLEN + 16], *pct;
	long long scope;

	if (p == NULL)
		return -1;
	memset(&x, 0, sizeof(x));
	if (inet_aton_exact(p, x.a) == 0) {
		x.af = 4;
		goto ok;
	}
	if (strlen(p) >= sizeof(buf))
		return -1;
	strcpy(buf, p);
	if ((pct = strchr(buf, '%')) != NULL) {
		*pct++ = '\0';
		/* getaddrinfo resolves interface names; the pure layer accepts numbers only */
		if (sshd_strtonum(pct, 0, UINT32_MAX, &scope) != 0 || !isdigit((unsigned char)*pct))
			return -1;
		x.scope = (uint32_t)scope;
	}
	if (inet_pton(AF_INET6, buf, x.a) != 1)
		return -1;
	x.af = 6;
ok:
	if (n)
		*n = x;
	return 0;
}

static void netmask(int af, unsigned masklen, uint8_t out[16])
{
	unsigned i, bytes = af == 4 ? 4 : 16;

	memset(out, 0, 16);
	for (i = 0; i < bytes; i++) {
		if (masklen >= 8) {
			out[i] = 0xff;
			masklen -= 8;
		} else {
			out[i] = (uint8_t)(0xff << (8 - masklen));
			masklen = 0;
		}
	}
}

int sshd_addr_pton_cidr(const char *p, struct sshd_xaddr *n, unsigned *l)
{
	struct sshd_xaddr tmp;
	unsigned masklen = 999, i, bytes;
	char addrbuf[64], *mp;
	uint8_t mask[16];
	long long v;

	if (p == NULL || strlen(p) >= sizeof(addrbuf))
		return -1;
	strcpy(addrbuf, p);
	if ((mp = strchr(addrbuf, '/')) != NULL) {
		*mp++ = '\0';
		if (sshd_strtonum(mp, 0, INT_MAX, &v) != 0)
			return -1;
		masklen = (unsigned)v;
	}
	if (sshd_addr_pton(addrbuf, &tmp) == -1)
		return -1;
	if (mp == NULL)
		masklen = tmp.af == 4 ? 32 : 128;
	if (masklen > (tmp.af == 4 ? 32u : 128u))
		return -2;
	/* host bits must be zero */
	netmask(tmp.af, masklen, mask);
	bytes = tmp.af == 4 ? 4 : 16;
	for (i = 0; i < bytes; i++)
		if (tmp.a[i] & (uint8_t)~mask[i])
			return -2;
	if (n)
		*n = tmp;
	if (l)
		*l = masklen;
	return 0;
}

int sshd_addr_netmatch(const struct sshd_xaddr *host, const struct sshd_xaddr *net,
                       unsigned masklen)
{
	uint8_t mask[16];
	unsigned i, bytes;

	if (host->af != net->af || masklen > (host->af == 4 ? 32u : 128u))
		return 0;
	netmask(host->af, masklen, mask);
	bytes = host->af == 4 ? 4 : 16;
	for (i = 0; i < bytes; i++)
		if ((host->a[i] & mask[i]) != net->a[i])
			return 0;
	return host->af == 4 || host->scope == net->scope;
}

int sshd_addr_match_list(const char *addr, const char *list)
{
	struct sshd_xaddr try_addr, match_addr;
	char *copy, *rest, *cp;
	unsigned masklen;
	int ret = 0, r, neg;

	if (addr != NULL && sshd_addr_pton(addr, &try_addr) != 0)
		return 0;
	if ((copy = rest = strdup(list)) == NULL)
		return -1;
	while ((cp = strsep(&rest, ",")) != NULL) {
		neg = *cp == '!';
		if (neg)
			cp++;
		if (*cp == '\0') {
			ret = -2;
			break;
		}
		r = sshd_addr_pton_cidr(cp, &match_addr, &masklen);
		if (r == -2) {
			ret = -2;
			break;
		}
		if ((r == 0 && addr != NULL &&
		     sshd_addr_netmatch(&try_addr, &match_addr, masklen)) ||
		    (r != 0 && addr != NULL && sshd_match_pattern(addr, cp))) {
			if (neg) {
				ret = -1;
				break;
			}
			ret = 1;
		}
	}
	free(copy);
	return ret;
}

int sshd_groups_match(const char *const *groups, size_t ngroups, const char *pattern)
{
	size_t i;
	int found = 0;

	for (i = 0; i < ngroups; i++) {
		switch (sshd_match_pattern_list(groups[i], pattern, 0)) {
		case -1:
			return 0;
		case 1:
			found = 1;
			break;
		}
	}
	return found;
}
