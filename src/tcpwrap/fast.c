/*
 * fast.c — passing over lines that cannot match (see fast.h).
 */
#include "tcpwrap/fast.h"

#include <stdint.h>
#include <string.h>

#include "tcpwrap/denyhosts.h"

/* ---- Eight bytes at a time ---------------------------------------------------------------- */

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Eight bytes, the first in the lowest bits whatever the byte order. */
static uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* 0x80 in each byte of w equal to c. */
static uint64_t bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t t = w ^ (ONES * c);

	return ~((((t & ~HIGHS) + ~HIGHS) | t)) & HIGHS;
}

/* 0x80 in each byte of w that is a digit or a dot. */
static uint64_t bytes_num(uint64_t w)
{
	uint64_t low = w & ~HIGHS;
	uint64_t ge0 = (low + ONES * 0x50) & HIGHS; /* >= '0' */
	uint64_t gt9 = (low + ONES * 0x46) & HIGHS; /* >= ':' */

	return (ge0 & ~gt9 & ~(w & HIGHS)) | bytes_eq(w, '.');
}

/* ---- Lines ------------------------------------------------------------------------------ */

/* Client-list bytes: what the shortcut understands (0: anything else). */
enum { C_OTHER, C_DIGIT, C_DOT, C_SEP, C_NL, C_COLON };

#define D10(v) v, v, v, v, v, v, v, v, v, v
static const unsigned char cclass[256] = {
    ['0'] = D10(C_DIGIT), ['.'] = C_DOT,  [' '] = C_SEP, [','] = C_SEP,
    ['\t'] = C_SEP,       ['\r'] = C_SEP, ['\n'] = C_NL, [':'] = C_COLON,
};

/* Daemon-list bytes that end the shortcut: ':' ends the list, the rest need the reader. */
static const unsigned char dstop[256] = {
    [':'] = 1, ['\n'] = 1, ['['] = 1, [']'] = 1, ['\\'] = 1, [0] = 1,
};
#undef D10

static enum ha_tri daemons(struct ha_fast *f, struct ha_eval *ev, const char *p, size_t n)
{
	char w[8] = {0};

	if (!f->daemons || f->dlen != n || f->daemons[0] != p[0] || memcmp(f->daemons, p, n) != 0) {
		f->dres = ha_list_match_daemons(ev, p, n);
		f->daemons = p;
		f->dlen = n;
		f->prefix_mask = 0;
		if (n + 1 <= 8) {
			memcpy(w, p, n);
			w[n] = ':';
			f->prefix = load8(w);
			f->prefix_mask = n + 1 == 8 ? ~0ull : (1ull << (8 * (n + 1))) - 1;
		}
	}
	return f->dres;
}

/*
 * Walks a client list of digits, dots and separators from q; returns where it stopped (the
 * newline or ':' after it) or NULL if a byte or token needs the general matcher.
 */
static const char *numeric_clients(const char *q, const char *lim, const char *addr, size_t alen)
{
	const char *tok;
	unsigned char c;

	for (;;) {
		while (q < lim && (c = cclass[(unsigned char)*q]) == C_SEP)
			q++;
		if (q >= lim)
			return NULL;
		if (c == C_NL || c == C_COLON)
			return q;
		if (c == C_OTHER)
			return NULL;
		for (tok = q++; q < lim && (unsigned)(cclass[(unsigned char)*q] - C_DIGIT) <= 1;
		     q++)
			;
		/* "a.b." and ".c" are prefix and suffix patterns; the address itself matches. */
		if (*tok == '.' || q[-1] == '.' ||
		    ((size_t)(q - tok) == alen && *tok == *addr && memcmp(tok, addr, alen) == 0))
			return NULL;
	}
}

/* The client's address as words, for comparing with a token of up to 16 bytes. */
struct addr16 {
	uint64_t w0, w1, m0, m1;
	size_t len;
	int usable; /* the address is digits and dots: otherwise no such token can equal it */
};

static void addr16_init(struct addr16 *a, const char *addr, size_t len)
{
	char b[16] = {0};
	size_t i;

	memset(a, 0, sizeof(*a));
	a->len = len;
	a->usable = len > 0 && len <= 16;
	for (i = 0; i < len && a->usable; i++)
		a->usable = (addr[i] >= '0' && addr[i] <= '9') || addr[i] == '.';
	if (!a->usable)
		return;
	memcpy(b, addr, len);
	a->w0 = load8(b);
	a->w1 = load8(b + 8);
	a->m0 = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
	a->m1 = len >= 16 ? ~0ull : len > 8 ? (1ull << (8 * (len - 8))) - 1 : 0;
}

/*
 * The DenyHosts line "<the cached daemon list>:<blanks><a.b.c.d>\n" that does not match,
 * read a word at a time: its newline, or NULL when the line has another shape (or matches,
 * or ends too near the end of the input for whole-word reads).
 */
static inline const char *plain_line(const struct ha_fast *f, const struct addr16 *a, const char *p,
                                     const char *end)
{
	const char *t = p + f->dlen + 1, *nl;
	uint64_t w0, w1, s0, s1, n0, n1, below;
	size_t len;
	int i, ok, same;

	if (end - t < 24)
		return NULL;
	if (f->prefix_mask ? (load8(p) & f->prefix_mask) != f->prefix
	                   : p[f->dlen] != ':' || memcmp(p, f->daemons, f->dlen) != 0)
		return NULL;
	for (i = 0; i < 8 && (*t == ' ' || *t == '\t'); i++)
		t++;
	w0 = load8(t);
	w1 = load8(t + 8);
	s0 = bytes_eq(w0, '\n');
	s1 = bytes_eq(w1, '\n');
	n0 = bytes_num(w0);
	n1 = bytes_num(w1);
	if (s0) {
		below = (s0 & -s0) - 1; /* the bytes before the newline */
		ok = (n0 & below) == (HIGHS & below);
		len = (size_t)__builtin_ctzll(s0) / 8;
	} else if (s1) {
		below = (s1 & -s1) - 1;
		ok = n0 == HIGHS && (n1 & below) == (HIGHS & below);
		len = 8 + (size_t)__builtin_ctzll(s1) / 8;
	} else {
		return NULL;
	}
	nl = t + len;
	if (!ok || len == 0 || t[0] == '.' || nl[-1] == '.' || nl - p >= HA_LINE_MAX)
		return NULL;
	same = a->usable & (len == a->len) & (((w0 ^ a->w0) & a->m0) == 0) &
	       (((w1 ^ a->w1) & a->m1) == 0);
	return same ? NULL : nl;
}

int ha_fast_rule_misses(struct ha_fast *f, struct ha_eval *ev, const char *text, size_t colon1,
                        size_t cend)
{
	const char *q;

	if (daemons(f, ev, text, colon1) == HA_NO)
		return 1;
	q = numeric_clients(text + colon1 + 1, text + cend + 1, ev->client.addr.sm,
	                    ev->client.addr.sm_len);
	return q != NULL;
}

/* A NUL in [p, nl) makes xgets() glue lines: the general reader must see it. */
static int has_nul(const char *p, const char *nl)
{
	return memchr(p, 0, (size_t)(nl - p)) != NULL;
}

void ha_fast_skip(struct ha_fast *f, struct ha_eval *ev, struct ha_reader *r, const char **dh,
                  size_t *dh_len)
{
	const char *base = (const char *)r->data, *end = base + r->len;
	const char *p, *q, *lim, *nl;
	const char *addr = ev->client.addr.sm;
	size_t alen = ev->client.addr.sm_len;
	struct addr16 a;

	addr16_init(&a, addr, alen);
	while (!r->done && r->pos < r->len) {
		p = base + r->pos;
		if (f->daemons && f->dres != HA_NO) {
			/* A run of plain lines, kept in registers. */
			const char *pp = p;
			unsigned n = 0;

			while ((nl = plain_line(f, &a, pp, end)) != NULL) {
				pp = nl + 1;
				n++;
			}
			if (n) {
				r->pos = (size_t)(pp - base);
				r->line += n;
				*dh = NULL;
				continue;
			}
		}
		/*
		 * Only a whole line as libwrap reads it — a newline within 2047 bytes, no NUL, no
		 * continuation — is evaluated here, so that evaluations (and their effects) are
		 * exactly those of the general path.
		 */
		lim = end - p < HA_LINE_MAX ? end : p + HA_LINE_MAX;
		nl = memchr(p, '\n', (size_t)(lim - p));
		if (!nl || (nl > p && nl[-1] == '\\') || has_nul(p, nl))
			return;
		if (*p == '#') {
			if (ha_is_denyhosts_comment(p, (size_t)(nl - p))) {
				*dh = p;
				*dh_len =
				    (size_t)(nl - p) < HA_RAW_MAX ? (size_t)(nl - p) : HA_RAW_MAX;
			} else {
				*dh = NULL;
			}
			goto next;
		}
		for (q = p; q < nl && !dstop[(unsigned char)*q]; q++)
			;
		if (*q != ':')
			return;
		/* A ':' after the client list starts options, irrelevant when it does not match. */
		if (daemons(f, ev, p, (size_t)(q - p)) != HA_NO &&
		    !numeric_clients(q + 1, nl + 1, addr, alen))
			return;
		*dh = NULL;
	next:
		r->pos = (size_t)(nl - base) + 1;
		r->line++;
	}
}
