/*
 * compat.c — glibc parsing behaviours libwrap relies on, in the C locale (see compat.h).
 */
#include "tcpwrap/compat.h"

#include <arpa/inet.h>
#include <limits.h>
#include <string.h>

int tw_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int tw_toupper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int isdig(int c)
{
	return c >= '0' && c <= '9';
}

int tw_streq(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (tw_toupper((unsigned char)*a) != tw_toupper((unsigned char)*b))
			return 0;
		if (*a == 0)
			return 1;
	}
}

int tw_strneq(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (tw_toupper((unsigned char)*a) != tw_toupper((unsigned char)*b))
			return 0;
		if (*a == 0)
			return 1;
	}
	return 1;
}

int tw_memeq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (tw_toupper((unsigned char)a[i]) != tw_toupper((unsigned char)b[i]))
			return 0;
	return 1;
}

static int digit_value(int c, int base)
{
	int v;

	if (isdig(c))
		v = c - '0';
	else if (c >= 'a' && c <= 'z')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'Z')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

/*
 * strtoul(s, &end, 0) for an `s` that starts with a digit, as inet_aton() calls it.  Values
 * above 32 bits fail there anyway, so overflow is reported instead of saturated.
 */
static int aton_part(const char **sp, uint32_t *val)
{
	const char *s = *sp;
	uint64_t v = 0;
	int base = 10, d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value((unsigned char)s[2], 16) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; (d = digit_value((unsigned char)*s, base)) >= 0; s++) {
		v = v * (unsigned)base + (unsigned)d;
		if (v > 0xffffffffu)
			return 0;
	}
	*sp = s;
	*val = (uint32_t)v;
	return 1;
}

int tw_inet_aton(const char *s, uint32_t *addr)
{
	static const uint32_t max[4] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
	uint32_t parts = 0, val;
	int n = 0;

	for (;;) {
		if (!isdig((unsigned char)*s) || !aton_part(&s, &val))
			return 0;
		if (*s != '.')
			break;
		if (n > 2 || val > 0xff)
			return 0;
		parts |= val << (24 - 8 * n);
		n++;
		s++;
	}
	/* glibc accepts anything after a whitespace character. */
	if (*s != 0 && !tw_isspace((unsigned char)*s))
		return 0;
	if (val > max[n])
		return 0;
	*addr = parts | val;
	return 1;
}

uint32_t tw_dot_quad(const char *s)
{
	int in_run = 0, runs = 0;
	const char *cp;
	uint32_t a;

	for (cp = s; *cp; cp++) {
		if (*cp == '.') {
			in_run = 0;
		} else if (!in_run) {
			in_run = 1;
			runs++;
		}
	}
	if (runs != 4 || !tw_inet_aton(s, &a))
		return TW_INADDR_NONE;
	return a;
}

/* strtol/strtoul's digits: returns the magnitude saturated at `limit`, *neg and *end. */
static unsigned long long strto_digits(const char *s, int base, const char **end, int *neg,
                                       int *overflow)
{
	unsigned long long v = 0;
	int d;

	while (tw_isspace((unsigned char)*s))
		s++;
	*neg = 0;
	if (*s == '+' || *s == '-')
		*neg = *s++ == '-';
	*overflow = 0;
	*end = s;
	for (; (d = digit_value((unsigned char)*s, base)) >= 0; s++) {
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			*overflow = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (s == *end)
		return 0; /* no digits: *end stays before the sign */
	*end = s;
	return v;
}

/* (int)strtol(s, end, 10) on an LP64 glibc. */
static int strtol_int(const char *s, const char **end)
{
	int neg, ovf;
	unsigned long long m = strto_digits(s, 10, end, &neg, &ovf);
	long long v;

	if (!neg && (ovf || m > (unsigned long long)LLONG_MAX))
		v = LLONG_MAX;
	else if (neg && (ovf || m > (unsigned long long)LLONG_MAX + 1))
		v = LLONG_MIN;
	else
		v = neg ? (long long)(0 - m) : (long long)m;
	return (int)(uint32_t)(uint64_t)v; /* truncation as the int conversion does it */
}

int tw_atoi(const char *s)
{
	const char *end;

	return strtol_int(s, &end);
}

/* The number must start after optional whitespace and a sign, and end the string. */
static int whole_number(const char *s, int base, const char **digits_end)
{
	const char *p = s;
	int d = 0;

	while (tw_isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		p++;
	while (digit_value((unsigned char)*p, base) >= 0) {
		p++;
		d++;
	}
	*digits_end = p;
	return d > 0 && *p == 0;
}

int tw_scan_uint(const char *s, int base, unsigned *v)
{
	const char *end;
	int neg, ovf;
	unsigned long long m;

	if (!whole_number(s, base, &end))
		return 0;
	m = strto_digits(s, base, &end, &neg, &ovf);
	if (ovf)
		m = ULLONG_MAX;
	else if (neg)
		m = 0 - m;
	*v = (unsigned)m;
	return 1;
}

int tw_scan_int(const char *s, int *v)
{
	const char *end;

	if (!whole_number(s, 10, &end))
		return 0;
	*v = strtol_int(s, &end);
	return 1;
}

static int v6_link_scoped(const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 1; /* fe80::/10 */
	return a[0] == 0xff && ((a[1] & 0x0f) == 1 || (a[1] & 0x0f) == 2);
}

enum tw_v6 tw_parse_v6(const char *s, uint8_t addr[16])
{
	char tmp[64];
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);
	const char *scope;
	unsigned long long v;

	if (n >= sizeof(tmp))
		return TW_V6_BAD;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET6, tmp, addr) != 1)
		return TW_V6_BAD;
	if (!pct)
		return TW_V6_OK;
	scope = pct + 1;
	if (isdig((unsigned char)*scope)) {
		for (v = 0; isdig((unsigned char)*scope); scope++) {
			v = v * 10 + (unsigned)(*scope - '0');
			if (v > 0xffffffffu)
				break;
		}
		if (*scope == 0)
			return TW_V6_OK;
	}
	/* glibc tries if_nametoindex() first, for link-scoped addresses only. */
	if (v6_link_scoped(addr) && pct[1] != 0)
		return TW_V6_IFACE;
	return TW_V6_BAD;
}
