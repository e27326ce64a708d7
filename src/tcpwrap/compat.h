/*
 * compat.h — the C library behaviours libwrap's matching depends on, reimplemented exactly.
 *
 * libwrap (tcp_wrappers 7.6, Debian 7.6.q-32) feeds pattern text to inet_addr(3), atoi(3),
 * sscanf(3) and getaddrinfo(3), and its verdicts inherit every quirk of glibc's parsers:
 * octal and hex dotted quads, trailing whitespace after an address, `atoi` overflow that
 * wraps, `%u` accepting a minus sign.  To give the same answer without touching the world
 * (no locale, no resolver, no network interfaces) this module re-derives those functions in
 * the C locale.  Each function names the libwrap or glibc routine it stands for.
 *
 * Text comes as byte ranges (s, n), read as the C string libwrap would see: it ends at n or
 * at a NUL, whichever comes first.  None of these functions allocates.
 */
#ifndef SSHDIAG_TCPWRAP_COMPAT_H
#define SSHDIAG_TCPWRAP_COMPAT_H

#include <stddef.h>
#include <stdint.h>

/* INADDR_NONE: inet_addr()'s failure value, which is also the address 255.255.255.255. */
#define TW_INADDR_NONE 0xffffffffu

/* isspace(3) and toupper(3) in the C locale. */
int tw_isspace(int c);
int tw_toupper(int c);

/* strcasecmp(3)/strncasecmp(3) == 0 in the C locale. */
int tw_streq(const char *a, const char *b);
int tw_strneq(const char *a, const char *b, size_t n);
/* Case-insensitive equality of two byte ranges. */
int tw_memeq(const char *a, size_t alen, const char *b, size_t blen);

/*
 * glibc inet_aton(): a, a.b, a.b.c or a.b.c.d, each part decimal, 0-octal or 0x-hex, and
 * anything after a whitespace character ignored.  Returns 1 and the address in host byte
 * order, or 0.
 */
int tw_inet_aton(const char *s, size_t n, uint32_t *addr);

/*
 * libwrap misc.c dot_quad_addr(): exactly four runs of non-dot characters, then inet_addr().
 * Host byte order; TW_INADDR_NONE on failure (so "255.255.255.255" fails too).
 */
uint32_t tw_dot_quad(const char *s, size_t n);

/* libwrap misc.c cidr_mask_addr(): atoi(), 1..32 bits, host byte order; 0 when invalid. */
uint32_t tw_cidr_mask(const char *s, size_t n);

/* glibc atoi(): (int)strtol(s, NULL, 10), including its saturation and truncation. */
int tw_atoi(const char *s, size_t n);

/*
 * sscanf(s, "%u%c", &v, &junk) == 1 (base 10), sscanf(s, "%o%c", ...) == 1 (base 8) and
 * sscanf(s, "%d%c", ...) == 1: the whole string is one number.  Return 1 and the value with
 * glibc's conversion (strtoul/strtol, then truncation to int width), else 0.
 */
int tw_scan_uint(const char *s, size_t n, int base, unsigned *v);
int tw_scan_int(const char *s, size_t n, int *v);

/* The result of parsing text the way getaddrinfo(AF_INET6, AI_NUMERICHOST) does. */
enum tw_v6 {
	TW_V6_BAD = 0,   /* getaddrinfo fails */
	TW_V6_OK = 1,    /* an IPv6 address, scope (if any) numeric */
	TW_V6_IFACE = 2, /* link-local with an interface-name scope: valid only if that interface
	                  * exists on the host, which we cannot see */
};

/*
 * getaddrinfo(s, NULL, {AF_INET6, AI_NUMERICHOST}) of glibc: inet_pton(AF_INET6) of the text
 * before the first '%', then a numeric scope (any address) or an interface name (link-local
 * only).  The scope is returned in neither case: libwrap compares addresses only.
 */
enum tw_v6 tw_parse_v6(const char *s, size_t n, uint8_t addr[16]);

#endif
