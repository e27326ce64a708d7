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

/* The C string in (s, n): its end is n or the first NUL. */
static size_t cstrlen(const char *s, size_t n)
{
	const char *z = memchr(s, 0, n);

	return z ? (size_t)(z - s) : n;
}

/* Byte i of a C string of length n, 0 past its end. */
static int at(const char *s, size_t n, size_t i)
{
	return i < n ? (unsigned char)s[i] : 0;
}

/*
 * strtoul(s, &end, 0) for an `s` that starts with a digit, as inet_aton() calls it.  Values
 * above 32 bits fail there anyway, so overflow is reported instead of saturated.
 */
static int aton_part(const char *s, size_t n, size_t *i, uint32_t *val)
{
	size_t p = *i;
	uint64_t v = 0;
	int base = 10, d;

	if (at(s, n, p) == '0' && (at(s, n, p + 1) == 'x' || at(s, n, p + 1) == 'X') &&
	    digit_value(at(s, n, p + 2), 16) >= 0) {
		base = 16;
		p += 2;
	} else if (at(s, n, p) == '0') {
		base = 8;
	}
	for (; (d = digit_value(at(s, n, p), base)) >= 0; p++) {
		v = v * (unsigned)base + (unsigned)d;
		if (v > 0xffffffffu)
			return 0;
	}
	*i = p;
	*val = (uint32_t)v;
	return 1;
}

int tw_inet_aton(const char *s, size_t n, uint32_t *addr)
{
	static const uint32_t max[4] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
	uint32_t parts = 0, val;
	size_t i = 0;
	int k = 0;

	n = cstrlen(s, n);
	for (;;) {
		if (!isdig(at(s, n, i)) || !aton_part(s, n, &i, &val))
			return 0;
		if (at(s, n, i) != '.')
			break;
		if (k > 2 || val > 0xff)
			return 0;
		parts |= val << (24 - 8 * k);
		k++;
		i++;
	}
	/* glibc accepts anything after a whitespace character. */
	if (at(s, n, i) != 0 && !tw_isspace(at(s, n, i)))
		return 0;
	if (val > max[k])
		return 0;
	*addr = parts | val;
	return 1;
}

uint32_t tw_dot_quad(const char *s, size_t n)
{
	int in_run = 0, runs = 0;
	uint32_t a;
	size_t i;

	n = cstrlen(s, n);
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			in_run = 0;
		} else if (!in_run) {
			in_run = 1;
			runs++;
		}
	}
	if (runs != 4 || !tw_inet_aton(s, n, &a))
		return TW_INADDR_NONE;
	return a;
}

uint32_t tw_cidr_mask(const char *s, size_t n)
{
	int bits = tw_atoi(s, n);

	if (bits < 1 || bits > 32)
		return 0;
	return 0xffffffffu << (32 - bits);
}

/*
 * The digits strtol/strtoul read after white space and a sign: the magnitude (saturated,
 * with *overflow set), *neg, and in *ndigits how many digits there were.
 */
static unsigned long long strto_digits(const char *s, size_t n, int base, int *neg, int *overflow,
                                       size_t *ndigits, size_t *end)
{
	unsigned long long v = 0;
	size_t i = 0, first;
	int d;

	while (tw_isspace(at(s, n, i)))
		i++;
	*neg = 0;
	if (at(s, n, i) == '+' || at(s, n, i) == '-')
		*neg = at(s, n, i++) == '-';
	*overflow = 0;
	for (first = i; (d = digit_value(at(s, n, i), base)) >= 0; i++) {
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			*overflow = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	*ndigits = i - first;
	*end = i;
	return v;
}

/* (int)strtol(s, NULL, 10) on an LP64 glibc. */
static int strtol_int(unsigned long long m, int neg, int ovf)
{
	long long v;

	if (!neg && (ovf || m > (unsigned long long)LLONG_MAX))
		v = LLONG_MAX;
	else if (neg && (ovf || m > (unsigned long long)LLONG_MAX + 1))
		v = LLONG_MIN;
	else
		v = neg ? (long long)(0 - m) : (long long)m;
	return (int)(uint32_t)(uint64_t)v; /* truncation as the int conversion does it */
}

int tw_atoi(const char *s, size_t n)
{
	size_t nd, end;
	int neg, ovf;
	unsigned long long m;

	n = cstrlen(s, n);
	m = strto_digits(s, n, 10, &neg, &ovf, &nd, &end);
	return nd ? strtol_int(m, neg, ovf) : 0;
}

int tw_scan_uint(const char *s, size_t n, int base, unsigned *v)
{
	size_t nd, end;
	int neg, ovf;
	unsigned long long m;

	n = cstrlen(s, n);
	m = strto_digits(s, n, base, &neg, &ovf, &nd, &end);
	/* "%u%c" == 1: a number and nothing after it. */
	if (nd == 0 || end != n)
		return 0;
	if (ovf)
		m = ULLONG_MAX;
	else if (neg)
		m = 0 - m;
	*v = (unsigned)m;
	return 1;
}

int tw_scan_int(const char *s, size_t n, int *v)
{
	size_t nd, end;
	int neg, ovf;
	unsigned long long m;

	n = cstrlen(s, n);
	m = strto_digits(s, n, 10, &neg, &ovf, &nd, &end);
	if (nd == 0 || end != n)
		return 0;
	*v = strtol_int(m, neg, ovf);
	return 1;
}

static int v6_link_scoped(const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 1; /* fe80::/10 */
	return a[0] == 0xff && ((a[1] & 0x0f) == 1 || (a[1] & 0x0f) == 2);
}

enum tw_v6 tw_parse_v6(const char *s, size_t n, uint8_t addr[16])
{
	char tmp[64];
	const char *pct;
	size_t k, i;
	unsigned long long v;

	n = cstrlen(s, n);
	pct = memchr(s, '%', n);
	k = pct ? (size_t)(pct - s) : n;
	if (k >= sizeof(tmp))
		return TW_V6_BAD;
	memcpy(tmp, s, k);
	tmp[k] = 0;
	if (inet_pton(AF_INET6, tmp, addr) != 1)
		return TW_V6_BAD;
	if (!pct)
		return TW_V6_OK;
	i = k + 1;
	if (isdig(at(s, n, i))) {
		for (v = 0; isdig(at(s, n, i)) && v <= 0xffffffffu; i++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (i == n && v <= 0xffffffffu)
			return TW_V6_OK;
	}
	/* glibc tries if_nametoindex() first, for link-scoped addresses only. */
	if (v6_link_scoped(addr) && k + 1 < n)
		return TW_V6_IFACE;
	return TW_V6_BAD;
}
