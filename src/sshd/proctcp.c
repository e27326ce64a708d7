#include "sshd/proctcp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads exactly `n` hex digits; 0 on success. */
static int read_hex(const char **p, const char *end, unsigned n, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned i;
	int h;

	if ((size_t)(end - *p) < n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((h = hexval((unsigned char)(*p)[i])) < 0)
			return -1;
		v = v << 4 | (unsigned)h;
	}
	*p += n;
	*out = v;
	return 0;
}

/* Hex digits up to a non-hex character (at most 16). */
static int read_hexvar(const char **p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned n = 0;
	int h;

	while (*p < end && (h = hexval((unsigned char)**p)) >= 0 && n < 16) {
		v = v << 4 | (unsigned)h;
		(*p)++;
		n++;
	}
	*out = v;
	return n ? 0 : -1;
}

static int read_dec(const char **p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned n = 0;

	while (*p < end && isdigit((unsigned char)**p) && n < 20) {
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n ? 0 : -1;
}

static void skip_space(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

/* "0100007F:0016" — 8 or 32 hex digits of address, ':', 4 hex digits of port. */
static int read_endpoint(const char **p, const char *end, int family, int le, uint8_t addr[16],
                         unsigned *port)
{
	unsigned long long w, v;
	unsigned words = family == 4 ? 1 : 4, i;

	memset(addr, 0, 16);
	for (i = 0; i < words; i++) {
		if (read_hex(p, end, 8, &w) != 0)
			return -1;
		/* the kernel prints each 32-bit word in host order */
		if (le) {
			addr[i * 4 + 0] = (uint8_t)(w & 0xff);
			addr[i * 4 + 1] = (uint8_t)(w >> 8 & 0xff);
			addr[i * 4 + 2] = (uint8_t)(w >> 16 & 0xff);
			addr[i * 4 + 3] = (uint8_t)(w >> 24 & 0xff);
		} else {
			addr[i * 4 + 0] = (uint8_t)(w >> 24 & 0xff);
			addr[i * 4 + 1] = (uint8_t)(w >> 16 & 0xff);
			addr[i * 4 + 2] = (uint8_t)(w >> 8 & 0xff);
			addr[i * 4 + 3] = (uint8_t)(w & 0xff);
		}
	}
	if (expect(p, end, ':') != 0 || read_hex(p, end, 4, &v) != 0)
		return -1;
	*port = (unsigned)v;
	return 0;
}

static int parse_line(const char *p, const char *end, int family, int le, struct tcp_sock *s)
{
	unsigned long long v, junk;

	memset(s, 0, sizeof(*s));
	s->family = family;
	skip_space(&p, end);
	if (read_dec(&p, end, &junk) != 0 || expect(&p, end, ':') != 0)
		return -1; /* the header line, or garbage */
	skip_space(&p, end);
	if (read_endpoint(&p, end, family, le, s->laddr, &s->lport) != 0)
		return -1;
	skip_space(&p, end);
	if (read_endpoint(&p, end, family, le, s->raddr, &s->rport) != 0)
		return -1;
	skip_space(&p, end);
	if (read_hex(&p, end, 2, &v) != 0)
		return -1;
	s->state = (unsigned)v;
	skip_space(&p, end);
	if (read_hexvar(&p, end, &v) != 0 || expect(&p, end, ':') != 0)
		return -1;
	s->tx_queue = (unsigned long)v;
	if (read_hexvar(&p, end, &v) != 0)
		return -1;
	s->rx_queue = (unsigned long)v;
	skip_space(&p, end);
	/* tr:tm->when */
	if (read_hexvar(&p, end, &junk) != 0 || expect(&p, end, ':') != 0 ||
	    read_hexvar(&p, end, &junk) != 0)
		return -1;
	skip_space(&p, end);
	if (read_hexvar(&p, end, &junk) != 0) /* retrnsmt */
		return -1;
	skip_space(&p, end);
	if (read_dec(&p, end, &v) != 0)
		return -1;
	s->uid = (unsigned)v;
	skip_space(&p, end);
	if (read_dec(&p, end, &junk) != 0) /* timeout */
		return -1;
	skip_space(&p, end);
	if (read_dec(&p, end, &v) != 0)
		return -1;
	s->inode = (unsigned long)v;
	return 0;
}

int proctcp_parse(const char *data, size_t len, int family, int little_endian, struct tcp_sock **v,
                  size_t *n)
{
	const char *p = data, *end = data + len, *nl;
	struct tcp_sock s, *nv;

	if (family != 4 && family != 6)
		return SD_ERR_INVALID;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (parse_line(p, nl, family, little_endian, &s) == 0) {
			if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
				return SD_ERR_ALLOC;
			*v = nv;
			nv[(*n)++] = s;
		}
		p = nl < end ? nl + 1 : end;
	}
	return SD_OK;
}

static int all_zero(const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i])
			return 0;
	return 1;
}

int proctcp_listen_covers(const struct tcp_sock *s, unsigned port, int family, const uint8_t *addr)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (s->state != TCP_ST_LISTEN || s->lport != port)
		return 0;
	if (s->family == family) {
		if (addr == NULL || all_zero(s->laddr, family == 4 ? 4 : 16))
			return 1;
		return memcmp(s->laddr, addr, family == 4 ? 4 : 16) == 0;
	}
	/* a "::" socket without IPV6_V6ONLY also takes IPv4 (we cannot see the flag: say yes) */
	if (s->family == 6 && family == 4) {
		if (all_zero(s->laddr, 16))
			return 1;
		return addr && memcmp(s->laddr, mapped, 12) == 0 &&
		       memcmp(s->laddr + 12, addr, 4) == 0;
	}
	return 0;
}

/* Copies as much of src as fits, always terminated. */
static void copy_trunc(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void sshd_title_parse(const char *data, size_t len, struct sshd_title *t)
{
	char buf[2048], *p, *l;
	size_t i, n;

	memset(t, 0, sizeof(*t));
	n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	while (n > 0 && data[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		buf[i] = data[i] == '\0' ? ' ' : data[i];
	buf[n] = '\0';
	if ((l = strstr(buf, "[listener]")) != NULL) {
		t->role = SSHD_PROC_LISTENER;
		if (sscanf(l, "[listener] %d of %d-%d startups", &t->startups, &t->begin,
		           &t->full) == 3)
			t->have_startups = 1;
		/* the command line sits between "sshd: " and " [listener]" */
		*l = '\0';
		p = buf;
		if ((l = strstr(buf, ": ")) != NULL && l < buf + 32)
			p = l + 2;
		n = strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			p[--n] = '\0';
		copy_trunc(t->cmdline, sizeof(t->cmdline), p);
		return;
	}
	if (strchr(buf, '@') != NULL) {
		t->role = SSHD_PROC_SESSION;
		return;
	}
	if (strstr(buf, "[accepted]") || strstr(buf, "[net]") || strstr(buf, "[preauth]") ||
	    strstr(buf, "[session-auth") || strstr(buf, "[priv]") || strstr(buf, "[rexeced]")) {
		t->role = SSHD_PROC_PREAUTH;
		return;
	}
	/* no title: the plain command line (sshd before its first setproctitle, or -d) */
	copy_trunc(t->cmdline, sizeof(t->cmdline), buf);
}
