#include "logs/line.h"

#include <stddef.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/err.h"

static const struct {
	const char *name, *plural;
	unsigned flags;
} classes[] = {
#define LOG_CLASS_ROW(id, name, plural, flags) {name, plural, flags},
    LOG_CLASSES(LOG_CLASS_ROW)
#undef LOG_CLASS_ROW
};

const char *log_class_name(enum log_class c)
{
	return (unsigned)c < LC__COUNT ? classes[c].name : "none";
}

const char *log_class_plural(enum log_class c)
{
	return (unsigned)c < LC__COUNT ? classes[c].plural : "";
}

unsigned log_class_flags(enum log_class c)
{
	return (unsigned)c < LC__COUNT ? classes[c].flags : 0;
}

int log_class_from_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < LC__COUNT; i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return i;
	return -1;
}

const char *log_prog_name(enum log_prog p)
{
	switch (p) {
	case LP_SSHD:
		return "sshd";
	case LP_SSHD_SESSION:
		return "sshd-session";
	case LP_SSHD_AUTH:
		return "sshd-auth";
	case LP_FAIL2BAN:
		return "fail2ban";
	case LP_SSHGUARD:
		return "sshguard";
	case LP_OTHER:
		return "other";
	case LP_UNKNOWN:
	default:
		return "unknown";
	}
}

/* ----------------------------------------------------------------- helpers */

#define LIT(s)              (s), (sizeof(s) - 1)
#define STARTS(p, end, lit) starts((p), (end), LIT(lit))

/* A reversed range (p past end) holds nothing: callers pass spans found by separate searches,
 * so the lengths compare signed. */
static inline int starts(const char *p, const char *end, const char *lit, size_t n)
{
	return end - p >= (ptrdiff_t)n && memcmp(p, lit, n) == 0;
}

/* p advanced past lit when p starts with it, else NULL. */
static inline const char *skip(const char *p, const char *end, const char *lit, size_t n)
{
	return starts(p, end, lit, n) ? p + n : NULL;
}

#define SKIP(p, end, lit) skip((p), (end), LIT(lit))

static inline int ends(const char *p, const char *end, const char *lit, size_t n)
{
	return end - p >= (ptrdiff_t)n && memcmp(end - n, lit, n) == 0;
}

static inline int isdig(char c)
{
	return c >= '0' && c <= '9';
}

static inline int ishex(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The first ' ' in [p, end), or NULL.  A host name is short: eight bytes at a time, inline,
 * rather than a call to memchr for every line.
 */
static inline const char *blank(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t x, z;

		memcpy(&x, p, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
		x = __builtin_bswap64(x);
#endif
		x ^= 0x2020202020202020ULL;
		/* exact: bit 7 of each byte of x that is zero */
		z = ~(((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x) &
		    0x8080808080808080ULL;
		if (z)
			return p + __builtin_ctzll(z) / 8;
		p += 8;
	}
	while (p < end && *p != ' ')
		p++;
	return p < end ? p : NULL;
}

/*
 * The last occurrence of lit in [p, end), or NULL.  Every literal searched starts with a blank
 * (spaces are everywhere in a log line): the candidates are the places of its next two
 * characters, sixteen candidates at a time from the end (what is searched for is near the
 * end of a line: one or two steps), instead of a call to memrchr per candidate character.
 */
#ifdef __SSE2__
/* The candidates base .. base+15 of rfind() whose bit is in keep: bytes [base+k, base+k+16]
 * are read. */
__attribute__((always_inline)) static inline const char *
rfind16(const char *base, unsigned keep, const char *lit, size_t n, size_t k)
{
	const char *b = base + k;
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
	                 _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)b),
	                                _mm_set1_epi8(lit[k])),
	                 _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(b + 1)),
	                                _mm_set1_epi8(lit[k + 1])))) &
	             keep;

	while (m) {
		unsigned bit = 31 - (unsigned)__builtin_clz(m);

		if (memcmp(base + bit, lit, n) == 0)
			return base + bit;
		m &= ~(1u << bit);
	}
	return NULL;
}
#endif

__attribute__((always_inline)) static inline const char *rfind(const char *p, const char *end,
                                                               const char *lit, size_t n)
{
	size_t k = 0, nc, i;
	const char *q;

	if (end - p < (ptrdiff_t)n)
		return NULL;
	if (n > 1 && lit[0] == ' ')
		k = 1;
	nc = (size_t)(end - p) - n + 1; /* the candidate starts p .. p+nc-1 */
#ifdef __SSE2__
	if (n >= k + 2) {
		/* sixteen candidates at a time from the last: bytes up to p+nc+k are read, before
		 * end */
		for (; nc >= 16; nc -= 16)
			if ((q = rfind16(p + nc - 16, 0xffffu, lit, n, k)))
				return q;
		/* the rest in one more step when the bytes up to p+k+16 are before end */
		if (nc && (size_t)(end - p) >= 17 + k)
			return rfind16(p, (1u << nc) - 1, lit, n, k);
	}
#endif
	for (i = nc; i-- > 0;)
		if (p[i + k] == lit[k] && memcmp(p + i, lit, n) == 0)
			return p + i;
	return NULL;
}

static const char *find(const char *p, const char *end, const char *lit, size_t n)
{
	return end - p >= (ptrdiff_t)n ? memmem(p, (size_t)(end - p), lit, n) : NULL;
}

/*
 * The number of leading decimal digits in the 8 bytes at p (all readable), without a branch
 * per digit: pids and ports have 1 to 7 digits and a byte loop mispredicts its exit.
 */
static inline unsigned digits8(const char *p, uint64_t *ret_x)
{
	uint64_t x, nd;

	memcpy(&x, p, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	/* a byte is a digit when it is 0x3N and 0x3N + 6 is still 0x3N; a carry out of a
	 * byte only disturbs the bytes after it, after the first non-digit */
	nd = ((x & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL) |
	     (((x + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL);
	*ret_x = x;
	return nd ? (unsigned)__builtin_ctzll(nd) / 8 : 8;
}

/*
 * digits8() of the 1 to 7 bytes [p, end) at the end of what may be read: the eight bytes
 * before end are read instead (they must be readable), the missing bytes are no digits.
 */
static inline unsigned digits_tail(const char *p, const char *end, uint64_t *ret_x)
{
	uint64_t x, nd;

	memcpy(&x, end - 8, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	x >>= 8 * (8 - (unsigned)(end - p));
	nd = ((x & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL) |
	     (((x + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL);
	*ret_x = x;
	return nd ? (unsigned)__builtin_ctzll(nd) / 8 : 8;
}

/* The value of n (1..8) digits held in the low bytes of x (first digit lowest). */
static inline uint64_t digits_value(uint64_t x, unsigned n)
{
	/* the digits' values, moved up so that the bytes before them are leading zeros */
	x = ((x - 0x3030303030303030ULL) << (8 * (8 - n))) & 0x0f0f0f0f0f0f0f0fULL;
	x = (x * 2561) >> 8;
	x = ((x & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;
	return ((x & 0x0000ffff0000ffffULL) * 42949672960001ULL) >> 32;
}

/* A decimal number (at most 18 digits); returns the end or NULL. */
static inline const char *number(const char *p, const char *end, long long *v)
{
	const char *s = p, *lim = end - p > 18 ? p + 18 : end;
	unsigned long long x = 0;
	unsigned d;

	if (end - p >= 8) {
		uint64_t w;
		unsigned n = digits8(p, &w);

		if (n == 0)
			return NULL;
		if (n < 8) {
			*v = (long long)digits_value(w, n);
			return p + n;
		}
	}
	while (p < lim && (d = (unsigned)(*p - '0')) < 10) {
		x = x * 10 + d;
		p++;
	}
	if (p == s)
		return NULL;
	*v = (long long)x;
	return p;
}

/*
 * An IP address at p: IPv4 dotted quad or IPv6 (a "%zone" is skipped).  Returns the end, or
 * NULL when the token is not an address.
 */
static inline const char *ipv4(const char *p, const char *end, struct ip_addr *a)
{
	const char *q = p;
	unsigned oct, val, nd;

	/* four decimal octets */
	for (oct = 0; oct < 4; oct++) {
		unsigned d;

		if (end - q >= 4) {
			/* no end checks within an octet ("255." is four bytes) */
			if ((d = (unsigned)(q[0] - '0')) >= 10)
				return NULL;
			val = d;
			nd = 1;
			if ((d = (unsigned)(q[1] - '0')) < 10) {
				val = val * 10 + d;
				nd = 2;
				if ((d = (unsigned)(q[2] - '0')) < 10) {
					val = val * 10 + d;
					nd = 3;
				}
			}
			q += nd;
		} else {
			val = 0;
			for (nd = 0; nd < 3 && q < end && (d = (unsigned)(*q - '0')) < 10;
			     nd++, q++)
				val = val * 10 + d;
		}
		if (!nd || val > 255)
			return NULL;
		a->bytes[oct] = (uint8_t)val;
		if (oct < 3) {
			if (q >= end || *q != '.')
				return NULL;
			q++;
		}
	}
	if (q == end || !(ishex(*q) || *q == '.')) {
		memset(a->bytes + 4, 0, 12);
		a->family = 4;
		return q;
	}
	return NULL;
}

static const char *address(const char *p, const char *end, struct ip_addr *a)
{
	const char *q;
	int colon = 0;
	char tmp[64];
	size_t n;

	if ((q = ipv4(p, end, a)) != NULL)
		return q;
	/* IPv6 (or IPv4-mapped) */
	for (q = p; q < end && (ishex(*q) || *q == ':' || *q == '.'); q++)
		colon |= *q == ':';
	n = (size_t)(q - p);
	if (!colon || n < 2 || n >= sizeof(tmp))
		return NULL;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	if (ip_addr_parse(tmp, a) != SD_OK)
		return NULL;
	if (q < end && *q == '%')
		while (q < end && *q != ' ' && *q != ']' && *q != ')')
			q++;
	return q;
}

/* The address that is the whole token [p, end). */
static int address_token(const char *p, const char *end, struct ip_addr *a)
{
	const char *q = address(p, end, a);

	return q == end;
}

/* The 16 bytes at p (readable) start with the text of a memo (text and mask: memo_set). */
static inline int memo_same(const char *p, const uint64_t *text, const uint64_t *mask)
{
	uint64_t x, y;

	memcpy(&x, p, 8);
	memcpy(&y, p + 8, 8);
	return ((x ^ text[0]) & mask[0]) == 0 && ((y ^ text[1]) & mask[1]) == 0;
}

/* Remembers the n (1..16) bytes at p, of which `avail` are readable. */
static inline void memo_set(const char *p, unsigned n, size_t avail, uint64_t *text, uint64_t *mask,
                            unsigned *len)
{
	uint64_t x, y;

	*len = n;
	mask[0] = n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
	mask[1] = n >= 16 ? ~0ULL : n > 8 ? (1ULL << (8 * (n - 8))) - 1 : 0;
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	mask[0] = __builtin_bswap64(mask[0]);
	mask[1] = __builtin_bswap64(mask[1]);
#endif
	if (avail < 16) {
		text[0] = text[1] = 0;
		memcpy(text, p, n);
		return;
	}
	memcpy(&x, p, 8);
	memcpy(&y, p + 8, 8);
	text[0] = x & mask[0];
	text[1] = y & mask[1];
}

/*
 * address(), remembering the last dotted quad read: the lines of one attempt name one client,
 * and comparing the text again is cheaper than reading it.  A hit needs the same bytes and a
 * byte after them that also ends the fast path's address (or the end), so the result is what
 * address() gives.
 */
static inline const char *address_m(const char *p, const char *end, struct ip_addr *a,
                                    struct log_addr_memo *m)
{
	const char *q;

	if (!m)
		return address(p, end, a);
	if (m->len && end - p >= (ptrdiff_t)m->len) {
		int same;

		if (end - p >= 16) {
			same = memo_same(p, m->text, m->mask);
		} else if (m->len >= 8) {
			/* at the end of the line: the first and the last eight bytes */
			uint64_t x, y, t;

			memcpy(&x, p, 8);
			memcpy(&y, p + m->len - 8, 8);
			memcpy(&t, (const char *)m->text + m->len - 8, 8);
			same = x == m->text[0] && y == t;
		} else {
			same = memcmp(p, m->text, m->len) == 0;
		}
		q = p + m->len;
		if (same && (q == end || !(ishex(*q) || *q == '.'))) {
			*a = m->addr;
			return q;
		}
	}
	if ((q = ipv4(p, end, a)) != NULL) {
		size_t n = (size_t)(q - p);

		if (n <= 15) {
			memo_set(p, (unsigned)n, (size_t)(end - p), m->text, m->mask, &m->len);
			m->addr = *a;
		}
		return q;
	}
	return address(p, end, a);
}

static int address_token_m(const char *p, const char *end, struct ip_addr *a,
                           struct log_addr_memo *m)
{
	return address_m(p, end, a, m) == end;
}

static struct log_span span(const char *p, const char *end)
{
	struct log_span s = {p, end > p ? (size_t)(end - p) : 0};

	return s;
}

/* A TCP port, or 0 (unknown) for a number no port can be: a hostile line may say anything. */
static inline unsigned tcp_port(long long v)
{
	return v > 0 && v <= 65535 ? (unsigned)v : 0;
}

/*
 * "[authenticating |invalid ]user NAME ADDR port N" or "ADDR port N" (sshd's connection id,
 * packet.c sshpkt_fmt_connection_id()), ending at `end`.  Parsed from the right so that a user
 * name with spaces cannot shift the address.
 */
static int connection_id(const char *p, const char *end, struct log_event *ev,
                         struct log_addr_memo *m)
{
	const char *port = rfind(p, end, LIT(" port ")), *a;
	long long v = 0;

	if (!port)
		return 0;
	if (end - (port + 6) > 0 && end - (port + 6) < 8 && end - port >= 8) {
		/* the port ends the id: read from " port " on, no loop per digit */
		uint64_t w;
		unsigned n = digits_tail(port + 6, end, &w);

		if (n == 0 || port + 6 + n != end)
			return 0;
		v = (long long)digits_value(w, n);
	} else if (number(port + 6, end, &v) != end) {
		return 0;
	}
	a = memrchr(p, ' ', (size_t)(port - p));
	a = a ? a + 1 : p;
	if (!address_token_m(a, port, &ev->addr, m))
		return 0;
	ev->port = tcp_port(v);
	if (a > p) {
		const char *u = p;

		if (STARTS(u, a, "authenticating user "))
			u += 20;
		else if (STARTS(u, a, "invalid user ")) {
			u += 13;
			ev->invalid_user = 1;
		} else if (STARTS(u, a, "user "))
			u += 5;
		else
			return 1;
		ev->user = span(u, a - 1);
	}
	return 1;
}

/*
 * "... from ADDR[ port N]...": the last " from " (a user name, which the client chooses,
 * comes before it and may itself contain " from 1.2.3.4"; what sshd writes after the address
 * never does).
 */
static int from_addr_port(const char *p, const char *end, struct log_event *ev,
                          const char **ret_from, struct log_addr_memo *m)
{
	const char *f = rfind(p, end, LIT(" from ")), *q;

	if (ret_from)
		*ret_from = f;
	if (!f || !(q = address_m(f + 6, end, &ev->addr, m)) ||
	    (q != end && *q != ' ' && *q != ':')) {
		/* a host name (UseDNS yes): the line counts, without an address */
		ev->addr.family = 0;
		return 0;
	}
	if ((q = SKIP(q, end, " port "))) {
		long long v;

		if (number(q, end, &v))
			ev->port = tcp_port(v);
	}
	return 1;
}

/*
 * "[invalid user ]U from A[ port N]" after a fixed prefix: the user, the address and the
 * port into ev.  0 when there is no " from " at all (the line does not parse).
 */
static int user_from(const char *q, const char *end, struct log_event *ev, struct log_addr_memo *m)
{
	const char *f;

	if ((f = SKIP(q, end, "invalid user "))) {
		ev->invalid_user = 1;
		q = f;
	}
	if (!from_addr_port(q - 1, end, ev, &f, m) && !f)
		return 0;
	ev->user = span(q, f);
	return 1;
}

/* "[ADDR]:PORT" */
static const char *bracket_addr(const char *p, const char *end, struct ip_addr *a, unsigned *port)
{
	long long v;

	if (p >= end || *p != '[')
		return NULL;
	if (!(p = address(p + 1, end, a)) || !STARTS(p, end, "]:") || !(p = number(p + 2, end, &v)))
		return NULL;
	*port = tcp_port(v);
	return p;
}

/* ----------------------------------------------------------------- sshd */

/* "drop connection #N from [A]:P on [L]:LP REASON" (sshd.c drop_connection(), 7.4+) */
static enum log_class drop_line(const char *p, const char *end, struct log_event *ev)
{
	const char *q;

	if (!(q = number(p + sizeof("drop connection #") - 1, end, &ev->n)))
		return LC_NONE;
	if (!STARTS(q, end, " from ")) {
		/* 7.0–7.3: debug("drop connection #%d") */
		ev->detail = span(q, q);
		return LC_MAXSTARTUPS_DROP;
	}
	if (!(q = bracket_addr(q + 6, end, &ev->addr, &ev->port)) || !STARTS(q, end, " on ") ||
	    !(q = bracket_addr(q + 4, end, &ev->laddr, &ev->lport)))
		return LC_NONE;
	if (q < end && *q == ' ')
		q++;
	ev->detail = span(q, end);
	/* "past MaxStartups" (≤9.7), "past Maxstartups" (9.8–9.9), "Maxstartups" (10.0+) */
	if (STARTS(q, end, "past MaxStartups") || STARTS(q, end, "past Maxstartups") ||
	    STARTS(q, end, "Maxstartups") || q == end)
		return LC_MAXSTARTUPS_DROP;
	/* "penalty: …", "too many penalised addresses", "PerSourcePenalties" (9.8+) */
	return LC_PENALTY_DROP;
}

/* "in MaxStartups throttling for 00:05:00, 37 connections dropped" and "exited … after …" */
static enum log_class throttle_status(const char *p, const char *end, struct log_event *ev)
{
	const char *c = find(p, end, LIT(", "));
	long long v;

	ev->detail = span(p, c ? c : end);
	if (c && number(c + 2, end, &v))
		ev->n = v;
	return LC_THROTTLE_STATUS;
}

/* "srclimit_penalise: …" (srclimit.c, 9.8+) */
static enum log_class penalise(const char *p, const char *end, struct log_event *ev)
{
	const char *q = p + sizeof("srclimit_penalise: ") - 1, *a, *sl, *f;
	long long v;

	/* "ipv4: new A/32 active penalty of 60 seconds for REASON" */
	if (STARTS(q, end, "ipv4: new ") || STARTS(q, end, "ipv6: new "))
		a = q + sizeof("ipv4: new ") - 1;
	else if ((f = find(q, end, LIT(": activating "))) != NULL)
		a = q; /* "A/32: activating ipv4 penalty of N seconds for REASON" */
	else if ((f = find(q, end, LIT(" penalty table full, cannot penalise "))) != NULL) {
		a = f + sizeof(" penalty table full, cannot penalise ") - 1;
		if ((sl = address(a, end, &ev->addr)) && sl < end && *sl == '/' &&
		    number(sl + 1, end, &v))
			ev->prefix_len = (unsigned)v;
		if ((f = find(a, end, LIT(" for "))) != NULL)
			ev->detail = span(f + sizeof(" for ") - 1, end);
		return LC_PENALTY_TABLE_FULL;
	} else
		return LC_NONE;
	if (!(sl = address(a, end, &ev->addr)) || sl >= end || *sl != '/' ||
	    !(sl = number(sl + 1, end, &v)))
		return LC_NONE;
	ev->prefix_len = (unsigned)v;
	if ((f = find(sl, end, LIT(" penalty of "))) &&
	    number(f + sizeof(" penalty of ") - 1, end, &v))
		ev->n = v;
	if ((f = find(sl, end, LIT(" seconds for "))) != NULL)
		ev->detail = span(f + sizeof(" seconds for ") - 1, end);
	return LC_PENALTY;
}

/*
 * "connection from R to L" (9.8+ listener, child->id); 9.8 itself wrote the local address
 * first (fixed in 9.9 by commit 171427261), which the scanner repairs with the addresses sshd
 * listens on.
 */
static void child_id(const char *p, const char *end, struct log_event *ev)
{
	const char *q, *t;

	if (!(p = find(p, end, LIT("connection from "))))
		return;
	p += sizeof("connection from ") - 1;
	if (!(q = address(p, end, &ev->addr)))
		return;
	if (STARTS(q, end, " to ") && (t = address(q + 4, end, &ev->laddr)) != NULL)
		(void)t;
}

/* Everything after "fatal: " that no other rule took. */
static enum log_class fatal_line(const char *p, const char *end, struct log_event *ev)
{
	ev->detail = span(p, end);
	if (ev->preauth)
		return LC_PROTOCOL_ERROR;
	/* 7.x: "fatal: Read from socket failed: Connection reset by peer [preauth]" */
	return LC_SSHD_FATAL;
}

/* " port N" at q: the port into *port, the end; q itself when absent. */
static const char *opt_port(const char *q, const char *end, unsigned *port)
{
	const char *r;
	long long v;

	if (q && (r = SKIP(q, end, " port ")) && (r = number(r, end, &v))) {
		*port = tcp_port(v);
		return r;
	}
	return q;
}

static enum log_class sshd_message(const char *p, const char *end, struct log_event *ev,
                                   struct log_addr_memo *m)
{
	const char *q, *f;
	long long v;

	switch (*p) {
	case 'A':
		if ((q = SKIP(p, end, "Accepted "))) {
			/* "Accepted publickey for U from A port N ssh2[: …]" (auth.c auth_log()) */
			if (!from_addr_port(p, end, ev, &f, m) && !f)
				return LC_NONE;
			p = q;
			q = blank(p, end);
			ev->detail = span(p, q ? q : p);
			if (q && (q = SKIP(q, f, " for ")))
				ev->user = span(q, f);
			return LC_ACCEPTED;
		}
		break;
	case 'B':
		/* ≤7.9: "Bad protocol version identification '%.100s' from %s port %d" */
		if (STARTS(p, end, "Bad protocol version identification ")) {
			from_addr_port(p, end, ev, NULL, m);
			ev->detail = span(p, end);
			return LC_BAD_IDENT;
		}
		/* 8.0+ kex.c: "Bad remote protocol version identification: '%.100s'" */
		if (STARTS(p, end, "Bad remote protocol version identification")) {
			ev->detail = span(p, end);
			return LC_BAD_IDENT;
		}
		if (STARTS(p, end, "Bind to port ")) {
			ev->detail = span(p, end);
			return LC_SSHD_FATAL;
		}
		break;
	case 'C':
		if ((q = SKIP(p, end, "Connection closed by ")))
			return connection_id(q, end, ev, m) ? LC_CONN_CLOSED : LC_NONE;
		if ((q = SKIP(p, end, "Connection reset by ")))
			return connection_id(q, end, ev, m) ? LC_CONN_RESET : LC_NONE;
		if ((q = SKIP(p, end, "Connection from "))) {
			/* "Connection from A port N on L port M[ rdomain \"…\"]" (VERBOSE) */
			if (!(q = address(q, end, &ev->addr)) || !(f = SKIP(q, end, " port ")) ||
			    !(q = number(f, end, &v)))
				return LC_NONE;
			ev->port = tcp_port(v);
			/* packet.c sshpkt_vfatal(): "Connection from A port N: <error>", "… timed
			 * out" */
			if ((f = SKIP(q, end, ": ")) || STARTS(q, end, " timed out")) {
				ev->detail = span(f ? f : q + 1, end);
				return LC_PROTOCOL_ERROR;
			}
			if ((q = SKIP(q, end, " on ")) && (q = address(q, end, &ev->laddr)))
				opt_port(q, end, &ev->lport);
			return LC_CONNECTION;
		}
		if (STARTS(p, end, "Cannot bind any address") ||
		    STARTS(p, end, "Could not load host key")) {
			ev->detail = span(p, end);
			return LC_SSHD_FATAL;
		}
		break;
	case 'D':
		if ((q = SKIP(p, end, "Did not receive identification string from "))) {
			/* ≤7.9: "from %s" (≤7.3) or "from %s port %d" */
			if (!(f = address(q, end, &ev->addr)))
				return LC_NONE;
			opt_port(f, end, &ev->port);
			return LC_NO_IDENT;
		}
		if ((q = SKIP(p, end, "Disconnected from ")))
			return connection_id(q, end, ev, m) ? LC_DISCONNECTED : LC_NONE;
		if ((f = SKIP(p, end, "Disconnecting: "))) {
			/* ≤7.x packet_disconnect(): no address — attributed by PID */
			ev->detail = span(f, end);
			return find(f, end, LIT("Too many authentication failures"))
			           ? LC_MAX_AUTH_TRIES
			           : LC_DISCONNECTED;
		}
		if ((q = SKIP(p, end, "Disconnecting "))) {
			/* "Disconnecting invalid user U A port N: Too many authentication failures"
			 */
			int too_many =
			    find(p, end, LIT("Too many authentication failures")) != NULL;

			/* the connection id ends at the ": " that follows "port N" */
			f = find(q, end, LIT(" port "));
			f = f ? find(f, end, LIT(": ")) : NULL;
			if (!f || !connection_id(q, f, ev, m))
				return LC_NONE;
			ev->detail = span(f + 2, end);
			return too_many ? LC_MAX_AUTH_TRIES : LC_DISCONNECTED;
		}
		break;
	case 'F':
		if ((q = SKIP(p, end, "Failed "))) {
			/* "Failed M for [invalid user ]U from A port N ssh2[: …]" */
			if (!from_addr_port(p, end, ev, &f, m) && !f)
				return LC_NONE;
			p = q;
			q = blank(p, f);
			ev->detail = span(p, q ? q : p);
			if (q && (q = SKIP(q, f, " for "))) {
				if ((p = SKIP(q, f, "invalid user "))) {
					q = p;
					ev->invalid_user = 1;
				}
				ev->user = span(q, f);
			}
			return LC_AUTH_FAILED;
		}
		break;
	case 'I':
		if ((q = SKIP(p, end, "Invalid user ")) || (q = SKIP(p, end, "Illegal user "))) {
			/* "Invalid user U from A port N" (7.4+), "… from A" before */
			ev->invalid_user = 1;
			if (!from_addr_port(q - 1, end, ev, &f, m) && !f)
				return LC_NONE;
			ev->user = span(q, f);
			return LC_INVALID_USER;
		}
		break;
	case 'M':
		if ((q = SKIP(p, end, "Maxstartups logging rate-limited: additional "))) {
			if (number(q, end, &v))
				ev->n = v;
			ev->detail = span(p, p + 11);
			return LC_DROPS_RATELIMITED;
		}
		if (STARTS(p, end, "Missing privilege separation directory")) {
			ev->detail = span(p, end);
			return LC_SSHD_FATAL;
		}
		break;
	case 'P':
		if ((q = SKIP(p, end, "PerSourcePenalties logging rate-limited: additional "))) {
			if (number(q, end, &v))
				ev->n = v;
			ev->detail = span(p, p + 18);
			return LC_DROPS_RATELIMITED;
		}
		if ((q = SKIP(p, end, "PAM: Authentication failure for ")) ||
		    STARTS(p, end, "PAM: User not known to the underlying authentication module")) {
			/* auth-pam.c: "PAM: %s for %s%.100s from %.100s" */
			if (!from_addr_port(p, end, ev, &f, m) && !f)
				return LC_NONE;
			if (q) {
				if ((p = SKIP(q, f, "illegal user ")) ||
				    (p = SKIP(q, f, "invalid user "))) {
					ev->invalid_user = 1;
					q = p;
				}
				ev->user = span(q, f);
			}
			return LC_AUTH_FAILED;
		}
		if ((q = SKIP(p, end, "Protocol major versions differ"))) {
			/* ≤7.9 sshd.c: "… differ for %s port %d: %.200s vs. %.200s" */
			if ((q = SKIP(q, end, " for ")) && (f = address(q, end, &ev->addr)))
				opt_port(f, end, &ev->port);
			ev->detail = span(p, end);
			return LC_BAD_IDENT;
		}
		break;
	case 'R':
		if ((q = SKIP(p, end, "Received disconnect from "))) {
			/* "Received disconnect from A port N:11: Bye Bye" (packet.c) */
			if (!(f = address_m(q, end, &ev->addr, m)))
				return LC_NONE;
			f = opt_port(f, end, &ev->port);
			if (f < end && *f == ':')
				ev->detail = span(f + 1, end);
			return LC_DISCONNECTED;
		}
		if (STARTS(p, end, "Received signal ") || STARTS(p, end, "Received SIGHUP")) {
			ev->detail = span(p, end);
			return LC_SSHD_STOP;
		}
		if (STARTS(p, end, "Read from socket failed: Connection reset by peer")) {
			ev->detail = span(p, end);
			return LC_CONN_RESET;
		}
		break;
	case 'S':
		if ((q = SKIP(p, end, "Server listening on "))) {
			/* "Server listening on A port N[ rdomain R]." */
			if ((q = address(q, end, &ev->laddr)))
				opt_port(q, end, &ev->lport);
			return LC_SSHD_START;
		}
		if (STARTS(p, end, "Session process ")) {
			/* "Session process %ld unpriv child crash for connection from …" (9.8+) */
			child_id(p, end, ev);
			ev->detail = span(p, end);
			return LC_SESSION_CRASH;
		}
		break;
	case 'T':
		if ((q = SKIP(p, end, "Timeout before authentication for "))) {
			if (STARTS(q, end, "connection from ")) {
				/* 9.8+: "for connection from R to L, pid = N" (listener) */
				child_id(q, end, ev);
				if ((f = find(q, end, LIT("pid = "))) && number(f + 6, end, &v))
					ev->n = v;
				if (ev->laddr.family)
					ev->swapped =
					    1; /* the scanner decides which side is ours */
			} else if ((f = address(q, end, &ev->addr)) != NULL) {
				/* ≤9.7: "for A port N" (or "for A" before 7.2) */
				opt_port(f, end, &ev->port);
			}
			return LC_GRACE_TIMEOUT;
		}
		break;
	case 'U':
		if ((q = SKIP(p, end, "Unable to negotiate with "))) {
			/* "Unable to negotiate with A port N: no matching … found. Their offer: …"
			 */
			if (!(f = address(q, end, &ev->addr)))
				return LC_NONE;
			f = opt_port(f, end, &ev->port);
			if ((q = SKIP(f, end, ": ")))
				ev->detail = span(q, end);
			return LC_NEGOTIATION_FAILED;
		}
		if ((q = SKIP(p, end, "User ")) &&
		    (f = find(q, end, LIT(" not allowed because "))) != NULL) {
			/* "User U from H not allowed because …" (auth.c allowed_user()) */
			const char *fr = rfind(q, f, LIT(" from "));

			ev->detail = span(f + sizeof(" not allowed because ") - 1, end);
			if (fr) {
				ev->user = span(q, fr);
				if (!address_token(fr + 6, f, &ev->addr))
					ev->addr.family = 0;
			} else {
				ev->user =
				    span(q, f); /* "User U not allowed because account is locked" */
			}
			return LC_USER_NOT_ALLOWED;
		}
		break;
	case 'a':
		if ((q = SKIP(p, end, "administratively prohibited connection for "))) {
			/* 9.9+ monitor.c: "… for [invalid user ]U from A port N" */
			return user_from(q, end, ev, m) ? LC_REFUSE_CONNECTION : LC_NONE;
		}
		if (STARTS(p, end, "accept: ")) {
			ev->detail = span(p, end);
			return LC_LISTENER_ERROR;
		}
		break;
	case 'b':
		if (STARTS(p, end, "beginning MaxStartups throttling"))
			return LC_THROTTLE_BEGIN;
		if ((q = SKIP(p, end, "banner exchange: Connection from "))) {
			/* 8.3+: "banner exchange: Connection from A port N: invalid format" */
			if (!(f = address(q, end, &ev->addr)))
				return LC_NONE;
			f = opt_port(f, end, &ev->port);
			if ((q = SKIP(f, end, ": ")))
				ev->detail = span(q, end);
			return STARTS(f, end, ": invalid format") ? LC_BAD_IDENT
			                                          : LC_PROTOCOL_ERROR;
		}
		break;
	case 'd':
		if (STARTS(p, end, "drop connection #"))
			return drop_line(p, end, ev);
		break;
	case 'e':
		if (STARTS(p, end, "exited MaxStartups throttling after "))
			return throttle_status(p, end, ev);
		break;
	case 'f':
		if (STARTS(p, end, "fork: ")) {
			ev->detail = span(p, end);
			return LC_LISTENER_ERROR;
		}
		break;
	case 'i':
		if (STARTS(p, end, "in MaxStartups throttling for "))
			return throttle_status(p, end, ev);
		if ((q = SKIP(p, end, "input_userauth_request: invalid user "))) {
			/* ≤7.x, [preauth]: no address — attributed by PID */
			ev->invalid_user = 1;
			ev->user = span(q, end);
			return LC_INVALID_USER;
		}
		break;
	case 'k':
		if ((q = SKIP(p, end, "kex_exchange_identification: "))) {
			ev->detail = span(q, end);
			if (STARTS(q, end, "Connection closed by remote host"))
				return LC_KEX_CLOSED;
			if (STARTS(q, end, "read: "))
				return LC_KEX_RESET;
			if (STARTS(q, end, "client sent invalid protocol identifier") ||
			    STARTS(q, end, "banner line"))
				return LC_BAD_IDENT;
			return LC_PROTOCOL_ERROR;
		}
		break;
	case 'm':
		if ((q = SKIP(p, end, "maximum authentication attempts exceeded for ")))
			return user_from(q, end, ev, m) ? LC_MAX_AUTH_TRIES : LC_NONE;
		break;
	case 'n':
		if (STARTS(p, end, "no hostkeys available")) {
			ev->detail = span(p, end);
			return LC_SSHD_FATAL;
		}
		break;
	case 'p':
		if (STARTS(p, end, "ppoll: ") || STARTS(p, end, "poll: ")) {
			ev->detail = span(p, end);
			return LC_LISTENER_ERROR;
		}
		/* the first '(' (pam_unix's without a call to memchr) */
		if (STARTS(p, end, "pam_") &&
		    (q = STARTS(p, end, "pam_unix(")
		             ? p + 8
		             : memchr(p, '(', (size_t)(end - p) < 24 ? (size_t)(end - p) : 24)) &&
		    STARTS(q, end, "(sshd:auth): authentication failure;")) {
			/* "pam_unix(sshd:auth): authentication failure; … rhost=A  user=U" */
			const char *paren = q; /* the first '(' */

			if ((f = rfind(q, end, LIT(" rhost="))) == NULL)
				return LC_NONE;
			f += 7;
			q = blank(f, end);
			if (!address_token_m(f, q ? q : end, &ev->addr, m))
				ev->addr.family = 0;
			if (q && (f = rfind(q, end, LIT(" user="))) != NULL)
				ev->user = span(f + 6, end);
			ev->detail = span(p, paren);
			return LC_AUTH_FAILED;
		}
		break;
	case 'r':
		if ((q = SKIP(p, end, "refused connect from "))) {
			const char *c0 = q;

			/* libwrap refuse(): "refused connect from %s (%s)" — client, then address
			 */
			if (ends(q, end, LIT(")")) && (f = memrchr(q, '(', (size_t)(end - q))) &&
			    address_token(f + 1, end - 1, &ev->addr)) {
				ev->detail = span(q, f > q ? f - 1 : f);
				return LC_LIBWRAP_REFUSED;
			}
			f = memchr(q, ' ', (size_t)(end - q));
			if (!f)
				f = end;
			ev->detail = span(q, f);
			if ((q = memchr(c0, '@', (size_t)(f - c0))) != NULL) /* user@host */
				c0 = q + 1;
			if (!address_token(c0, f, &ev->addr))
				ev->addr.family = 0;
			return LC_LIBWRAP_REFUSED;
		}
		if (STARTS(p, end, "rexec of ")) {
			ev->detail = span(p, end);
			return LC_SSHD_FATAL;
		}
		break;
	case 's':
		if (STARTS(p, end, "srclimit_penalise: "))
			return penalise(p, end, ev);
		if (STARTS(p, end, "session process ")) {
			/* "session process %ld for connection from … killed by signal %d" (9.8+) */
			if (!find(p, end, LIT(" killed by signal ")) &&
			    !find(p, end, LIT(" terminated abnormally")))
				return LC_NONE;
			child_id(p, end, ev);
			ev->detail = span(p, end);
			return LC_SESSION_CRASH;
		}
		if (STARTS(p, end, "server_accept_loop: ")) {
			ev->detail = span(p, end);
			return LC_LISTENER_ERROR;
		}
		if ((q = SKIP(p, end, "ssh_dispatch_run_fatal: Connection from "))) {
			if ((f = address(q, end, &ev->addr)))
				opt_port(f, end, &ev->port);
			ev->detail = span(p, end);
			return LC_PROTOCOL_ERROR;
		}
		break;
	default:
		break;
	}
	if (ev->level != LL_FATAL)
		return LC_NONE;
	if (find(p, end, LIT(" does not exist or is not executable"))) {
		/* 9.8+: fatal("%s does not exist or is not executable") (sshd-session, sshd-auth)
		 */
		ev->detail = span(p, end);
		return LC_SSHD_FATAL;
	}
	return fatal_line(p, end, ev);
}

/* ----------------------------------------------------------------- ban tools */

/* fail2ban: "[LEVEL  ]" "[jail] Ban A" … (actions.py, filter.py) */
static enum log_class f2b_message(const char *p, const char *end, struct log_event *ev)
{
	const char *j, *q, *a;

	/* an unparsed "fail2ban.actions        [pid]: " (journal capture of stdout) */
	if (STARTS(p, end, "fail2ban.") && (q = find(p, end, LIT("]: "))) != NULL)
		p = q + 3;
	/* the level word */
	while (p < end && *p >= 'A' && *p <= 'Z')
		p++;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '[' || !(j = memchr(p, ']', (size_t)(end - p))) || j + 2 > end ||
	    j[1] != ' ')
		return LC_NONE;
	ev->jail = span(p + 1, j);
	q = j + 2;
	if (STARTS(q, end, "Ban ")) {
		a = q + 4;
		ev->detail = span(q, q + 3);
	} else if (STARTS(q, end, "Restore Ban ")) {
		a = q + 12;
		ev->restored = 1;
		ev->detail = span(q, q + 11);
	} else if (STARTS(q, end, "Reban ")) {
		a = q + 6;
		ev->restored = 1;
		ev->detail = span(q, q + 5);
	} else if (STARTS(q, end, "Increase Ban ")) {
		/* observer.py: "[%s] Increase Ban %s (%d # %s -> %s)" */
		a = q + 13;
		ev->detail = span(q, end);
	} else if (STARTS(q, end, "Unban ")) {
		a = q + 6;
		ev->detail = span(q, q + 5);
		if (!address(a, end, &ev->addr))
			return LC_NONE;
		return LC_F2B_UNBAN;
	} else if (STARTS(q, end, "Found ")) {
		a = q + 6;
		if (!address(a, end, &ev->addr))
			return LC_NONE;
		return LC_F2B_FOUND;
	} else if (STARTS(q, end, "Ignore ")) {
		a = q + 7;
		if (!(q = address(a, end, &ev->addr)))
			return LC_NONE;
		ev->detail = span(q + (q < end), end);
		return LC_F2B_IGNORE;
	} else {
		return LC_NONE;
	}
	if (!(q = address(a, end, &ev->addr)))
		return LC_NONE;
	if (STARTS(q, end, " (") && ev->detail.len > 3) {
		long long v;

		if (number(q + 2, end, &v))
			ev->n = v; /* the ban count */
	}
	return LC_F2B_BAN;
}

/* sshguard: blocker.c log_block(), attack.c, blocklist.c unblock_expired() */
static enum log_class sshguard_message(const char *p, const char *end, struct log_event *ev)
{
	const char *q;
	long long v;

	if (STARTS(p, end, "Blocking ")) {
		/* "Blocking \"A/32\" for 120 secs (…)"; 1.x: "Blocking A:4 for >630secs: …" */
		q = p + 9;
		if (q < end && *q == '"')
			q++;
		if (!(q = address(q, end, &ev->addr)))
			return LC_NONE;
		if (q < end && *q == '/' && (q = number(q + 1, end, &v)))
			ev->prefix_len = (unsigned)v;
		if (q && (q = find(q, end, LIT(" for "))) != NULL) {
			q += 5;
			while (q < end && (*q == '>' || *q == ' '))
				q++;
			if (number(q, end, &v))
				ev->n = v;
		} else {
			ev->n = -1; /* "forever": blacklisted */
		}
		ev->detail = span(p, end);
		return LC_SSHGUARD_BLOCK;
	}
	if (STARTS(p, end, "Attack from \"")) {
		if (!(q = address(p + 13, end, &ev->addr)))
			return LC_NONE;
		if ((q = find(q, end, LIT(" with danger "))) && number(q + 13, end, &v))
			ev->n = v;
		ev->detail = span(p, end);
		return LC_SSHGUARD_ATTACK;
	}
	if ((q = address(p, end, &ev->addr)) && STARTS(q, end, ": unblocking after ")) {
		if (number(q + 19, end, &v))
			ev->n = v;
		return LC_SSHGUARD_RELEASE;
	}
	if (STARTS(p, end, "Releasing ")) {
		if (!address(p + 10, end, &ev->addr))
			return LC_NONE;
		return LC_SSHGUARD_RELEASE;
	}
	return LC_NONE;
}

/* ----------------------------------------------------------------- dispatch */

static inline enum log_prog prog_of(const char *p, size_t len)
{
	const char *end = p + len;

	if (STARTS(p, end, "sshd")) {
		if (len == 4)
			return LP_SSHD;
		if (STARTS(p + 4, end, "-session"))
			return len == 12 ? LP_SSHD_SESSION : LP_OTHER;
		if (STARTS(p + 4, end, "-auth"))
			return len == 9 ? LP_SSHD_AUTH : LP_OTHER;
		return LP_OTHER;
	}
	if (STARTS(p, end, "fail2ban"))
		return LP_FAIL2BAN;
	if (STARTS(p, end, "sshguard"))
		return LP_SSHGUARD;
	return LP_OTHER;
}

enum log_prog log_prog_of(const char *p, size_t len)
{
	return prog_of(p, len);
}

static void event_reset(struct log_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = LOG_TS_NONE;
	ev->n = -1;
}

static enum log_class parse_message(enum log_prog prog, const char *msg, size_t len,
                                    struct log_event *ev, struct log_addr_memo *m)
{
	const char *p = msg, *end = msg + len;
	enum log_class c;

	ev->cls = LC_NONE;
	ev->prog = prog;
	ev->level = LL_INFO;
	ev->preauth = 0;
	ev->invalid_user = 0;
	ev->restored = 0;
	ev->swapped = 0;
	memset(&ev->addr, 0, sizeof(ev->addr));
	memset(&ev->laddr, 0, sizeof(ev->laddr));
	ev->port = ev->lport = ev->prefix_len = 0;
	ev->n = -1;
	ev->user.p = ev->detail.p = ev->jail.p = NULL;
	ev->user.len = ev->detail.len = ev->jail.len = 0;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	ev->msg = span(p, end);
	if (p == end)
		return LC_NONE;
	if (prog == LP_FAIL2BAN)
		return ev->cls = f2b_message(p, end, ev);
	if (prog == LP_SSHGUARD)
		return ev->cls = sshguard_message(p, end, ev);
	if (prog == LP_OTHER)
		return LC_NONE;
	/* sshd: "error: ", "fatal: ", "debug1: " (log.c do_log() at syslog) */
	/* one well-predicted test for most messages: the ": " of "error: "/"fatal: " */
	if (end - p >= 7 && p[5] == ':' && p[6] == ' ' &&
	    (memcmp(p, "error", 5) == 0 || memcmp(p, "fatal", 5) == 0)) {
		ev->level = *p == 'e' ? LL_ERROR : LL_FATAL;
		p += 7;
	} else if (*p == 'd' && STARTS(p, end, "debug") && end - p > 7 && p[6] == ':') {
		ev->level = LL_DEBUG;
		p += 8;
	}
	if (ends(p, end, LIT(" [preauth]"))) {
		ev->preauth = 1;
		end -= 10;
	}
	if (p >= end)
		return LC_NONE;
	c = sshd_message(p, end, ev, m);
	if (c != LC_NONE && prog == LP_UNKNOWN)
		ev->prog = LP_SSHD;
	return ev->cls = c;
}

enum log_class log_parse_message(enum log_prog prog, const char *msg, size_t len,
                                 struct log_event *ev)
{
	return parse_message(prog, msg, len, ev, NULL);
}

/*
 * The prefix: returns the message start and fills program, pid, host and the time's start.
 * NULL when the line has no prefix we know.
 */
static const char *prefix(const char *p, const char *end, const char **ts, int *f2bfile,
                          struct log_span *host, struct log_span *tag, unsigned *pid,
                          struct log_host_memo *hm)
{
	const char *q, *h, *t, *b;
	long long v;

	*ts = p;
	*f2bfile = 0;
	if (end - p < 20)
		return NULL;
	if (p[0] >= 'A' && p[0] <= 'S' && p[3] == ' ') {
		/* "Mmm dd HH:MM:SS[.ffffff] host tag[pid]: " */
		q = p + 15;
		if (*q == '.')
			while (++q < end && isdig(*q))
				;
	} else if (isdig(p[0]) && p[4] == '-' && p[10] == 'T') {
		q = memchr(p + 19, ' ', (size_t)(end - p - 19));
		if (!q)
			return NULL;
	} else if (isdig(p[0]) && p[4] == '-' && p[10] == ' ' && p[13] == ':') {
		/* fail2ban's file: "YYYY-MM-DD HH:MM:SS,mmm name [pid]: LEVEL message" */
		q = p + 19;
		if (q < end && *q == ',')
			while (++q < end && isdig(*q))
				;
		*f2bfile = 1;
	} else {
		return NULL;
	}
	if (q >= end || *q != ' ')
		return NULL;
	h = q + 1;
	if (*f2bfile) {
		host->p = h;
		host->len = 0;
		if (!(t = memchr(h, ' ', (size_t)(end - h))))
			return NULL;
		tag->p = h;
		tag->len = (size_t)(t - h);
		while (t < end && *t == ' ')
			t++;
		if (t < end && *t == '[' && (q = number(t + 1, end, &v)) && STARTS(q, end, "]: ")) {
			*pid = (unsigned)v;
			return q + 3;
		}
		return NULL;
	}
	if (hm && hm->len && end - h >= 16 && memo_same(h, hm->text, hm->mask)) {
		/* the host of the line before, and its blank */
		t = h + hm->len - 1;
	} else {
		if (!(t = blank(h, end)))
			return NULL;
		if (hm && t - h < 16 && end - h >= 16)
			memo_set(h, (unsigned)(t - h) + 1, 16, hm->text, hm->mask, &hm->len);
	}
	host->p = h;
	host->len = (size_t)(t - h);
	t++;
	/* most lines of an auth.log are other programs': "ss…" (sshd, sshguard), "fa…"
	 * (fail2ban) or a path ("/usr/sbin/sshd") can be ours, nothing else */
	if (end - t < 3 ||
	    !((t[0] == 's' && t[1] == 's') || (t[0] == 'f' && t[1] == 'a') || t[0] == '/')) {
		tag->p = t;
		tag->len = 0;
		return t;
	}
	/* the tag ends at '[' (pid), or at ':' */
	if (t[0] == 's' && end - t > 5 && memcmp(t, "sshd[", 5) == 0) {
		q = t + 4; /* most of what we read */
	} else {
		for (q = t; q < end && (unsigned char)*q > ':' && *q != '['; q++)
			;
		while (q < end && *q != '[' && *q != ':' && *q != ' ')
			q++; /* a tag with characters below ':' ("fail2ban.actions", digits) */
	}
	if (q >= end)
		return NULL;
	/* a path as the tag ("/usr/sbin/sshd[1]:") counts by its last component */
	b = t[0] == '/' ? memrchr(t, '/', (size_t)(q - t)) : NULL;
	tag->p = b ? b + 1 : t;
	tag->len = (size_t)(q - tag->p);
	if (*q == '[') {
		/* number(), inline: every line of ours has a pid; up to 7 digits at once */
		const char *d = q + 1, *lim = end - d > 18 ? d + 18 : end;
		unsigned long long x = 0;
		unsigned dv, nd;
		uint64_t w;

		if (end - d >= 8 && (nd = digits8(d, &w)) < 8) {
			if (nd)
				x = digits_value(w, nd);
			d += nd;
		} else {
			while (d < lim && (dv = (unsigned)(*d - '0')) < 10) {
				x = x * 10 + dv;
				d++;
			}
		}
		if (d == q + 1 || !STARTS(d, end, "]:"))
			return NULL;
		*pid = (unsigned)x;
		q = d + 2;
	} else if (*q == ':') {
		q++;
	} else {
		return NULL;
	}
	if (q < end && *q == ' ')
		q++;
	return q;
}

enum log_class log_parse_line(const char *line, size_t len, const struct log_clock *clk,
                              struct log_line_cache *lc, int bare, struct log_event *ev)
{
	struct log_day_cache *cache = lc ? &lc->day : NULL;
	struct log_addr_memo *m = lc ? &lc->addr : NULL;
	const char *end = line + len, *msg, *ts;
	struct log_span host = {NULL, 0}, tag = {NULL, 0};
	unsigned pid = 0;
	enum log_prog prog;
	enum log_class c;
	int f2bfile;
	size_t used;

	while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (bare) {
		event_reset(ev);
		return parse_message(LP_SSHD, line, (size_t)(end - line), ev, m);
	}
	msg = prefix(line, end, &ts, &f2bfile, &host, &tag, &pid, lc ? &lc->host : NULL);
	if (!msg) {
		/* no prefix: a bare message of an unknown program */
		event_reset(ev);
		return parse_message(LP_UNKNOWN, line, (size_t)(end - line), ev, m);
	}
	/* an empty tag: another program's line (prefix() looked no further) */
	prog = tag.len ? prog_of(tag.p, tag.len) : LP_OTHER;
	if (prog == LP_OTHER) {
		ev->cls = LC_NONE;
		return LC_NONE;
	}
	c = parse_message(prog, msg, (size_t)(end - msg), ev, m);
	if (c == LC_NONE)
		return c;
	ev->pid = pid;
	ev->host = host;
	/* the day cache's fast path (logs/time.c), inline: "Mmm dd HH:MM" as the line before,
	 * whole seconds */
	if (cache && cache->valid && end - ts > 15 && ts[15] == ' ' && ts[12] == ':' &&
	    isdig(ts[13]) && isdig(ts[14]) && memcmp(cache->key, ts, 12) == 0) {
		unsigned sec = (unsigned)(ts[13] - '0') * 10 + (unsigned)(ts[14] - '0');

		if (sec <= 60) {
			ev->ts = cache->minute_us + (int64_t)sec * LOG_US;
			return c;
		}
	}
	ev->ts = LOG_TS_NONE;
	if (log_time_parse(ts, (size_t)(end - ts), clk, cache, &ev->ts, &used) != SD_OK)
		ev->ts = LOG_TS_NONE;
	return c;
}
