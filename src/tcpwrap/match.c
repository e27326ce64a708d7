/*
 * match.c — libwrap's hosts_access.c matching functions, three-valued (see match.h).
 *
 * Each function names the libwrap function it mirrors; comments note where libwrap's order
 * of tests or its use of a C library parser decides the outcome.
 */
#include "tcpwrap/match.h"

#include <string.h>

#include "base/err.h"
#include "tcpwrap/lines.h"

/* libwrap copies /file tokens into a BUFSIZ buffer; longer ones overflow it (we give up). */
#define TOKEN_MAX 8191

static const char unknown[] = "unknown";

static void str_init(struct ha_str *v, const char *s, int empty_is_unknown, unsigned need)
{
	size_t n;
	uint32_t q;

	memset(v, 0, sizeof(*v));
	v->need = need;
	v->v4 = v->mapped_v4 = TW_INADDR_NONE;
	if (!s)
		return;
	if (*s == 0 && empty_is_unknown)
		s = unknown;
	n = strnlen(s, HA_STRING_LENGTH - 1);
	memcpy(v->store, s, n);
	v->store[n] = 0;
	v->s = v->sm = v->store;
	v->len = v->sm_len = n;
	v->v4 = tw_dot_quad(v->store, n);
	if (n >= 7 && tw_strneq(v->store, "::ffff:", 7) &&
	    (q = tw_dot_quad(v->store + 7, n - 7)) != TW_INADDR_NONE) {
		v->mapped = 1;
		v->mapped_v4 = q;
		v->sm = v->store + 7;
		v->sm_len = n - 7;
	}
	/* A scope naming an interface came from this host's own getnameinfo(): it exists. */
	v->v6 = tw_parse_v6(v->store, n, v->v6a) != TW_V6_BAD ? TW_V6_OK : TW_V6_BAD;
	v->sm_v6 = tw_parse_v6(v->sm, v->sm_len, v->sm_v6a) != TW_V6_BAD ? TW_V6_OK : TW_V6_BAD;
}

void ha_eval_init(struct ha_eval *ev, const struct ha_client *c)
{
	memset(ev, 0, sizeof(*ev));
	ev->c = c;
	str_init(&ev->daemon, c->daemon ? c->daemon : "", 0, 0);
	str_init(&ev->user, c->user, 1, HA_NEED_USER);
	str_init(&ev->client.addr, c->addr ? c->addr : "", 1, 0);
	str_init(&ev->client.name, c->name, 1, HA_NEED_NAME);
	str_init(&ev->server.addr, c->server_addr, 1, HA_NEED_SERVER);
	str_init(&ev->server.name, c->server_name, 1, HA_NEED_SERVER);
	ev->port = c->server_port;
	if (ev->port < HA_PORT_UNKNOWN || ev->port > 65535)
		ev->port = HA_PORT_UNKNOWN;
}

int ha_next_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && ha_is_sep((unsigned char)*s))
		s++;
	if (s == end) {
		*p = s;
		return 0;
	}
	*tok = s;
	while (s < end && !ha_is_sep((unsigned char)*s))
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return 1;
}

int ha_not_inaddr(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((tok[i] >= '0' && tok[i] <= '9') || tok[i] == '.' || tok[i] == '/'))
			return 1;
	return 0;
}

/* A NUL-terminated copy of a token for the C-string parsers; 0 if it does not fit. */
static int tok_copy(char *dst, size_t size, const char *tok, size_t len)
{
	if (len >= size)
		return 0;
	memcpy(dst, tok, len);
	dst[len] = 0;
	return 1;
}

int ha_wildcard_match(const char *pat, size_t plen, const char *s, size_t slen)
{
	size_t n = plen, t = 0, pi = 0, si = 0, star = (size_t)-1, mark = 0;
	char c;

	while (t < plen && pat[plen - 1 - t] == '*')
		t++;
	/*
	 * match_pattern_ylo() only tries a '*' followed by '*' at positions where the string has
	 * a character left, so a trailing "**" needs one: read it as "?*".
	 */
	if (t >= 2)
		n = plen - t + 2;
#define P(i) (t >= 2 && (i) >= plen - t ? ((i) == plen - t ? '?' : '*') : pat[i])
	while (si < slen) {
		c = pi < n ? P(pi) : 0;
		if (pi < n && c == '*') {
			star = pi++;
			mark = si;
		} else if (pi < n && (c == '?' || tw_toupper((unsigned char)c) ==
		                                      tw_toupper((unsigned char)s[si]))) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (pi < n && P(pi) == '*')
		pi++;
#undef P
	return pi == n;
}

static int all_stars(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (tok[i] != '*')
			return 0;
	return len > 0;
}

static int has_wildcard(const char *tok, size_t len)
{
	return memchr(tok, '*', len) || memchr(tok, '?', len);
}

static int bracketed(const char *tok, size_t len)
{
	return len >= 1 && tok[0] == '[' && tok[len - 1] == ']';
}

/* string_match() against a value we do not have. */
static enum ha_tri string_match_unknown(struct ha_eval *ev, const char *tok, size_t len,
                                        const struct ha_str *v)
{
	/* Every value libwrap can hold is non-empty ("unknown" at worst). */
	if (tw_memeq(tok, len, "ALL", 3) || all_stars(tok, len))
		return HA_YES;
	/*
	 * A host name that survived sock_hostname() is "unknown", "paranoid" or not numeric, so it
	 * never passes getaddrinfo(AI_NUMERICHOST) as an [IPv6] pattern needs.
	 */
	if (v->need == HA_NEED_NAME && bracketed(tok, len) && !has_wildcard(tok, len) &&
	    tok[0] != '.')
		return HA_NO;
	ev->need |= v->need;
	return HA_MAYBE;
}

/* An [IPv6] token against a prepared value: getaddrinfo() both and compare. */
static enum ha_tri v6_exact(struct ha_eval *ev, const char *tok, size_t len, const struct ha_str *v)
{
	uint8_t pat[16];
	enum tw_v6 p;

	p = tw_parse_v6(tok + 1, len - 2, pat);
	if (p == TW_V6_BAD || v->sm_v6 != TW_V6_OK)
		return HA_NO;
	if (memcmp(pat, v->sm_v6a, 16) != 0)
		return HA_NO;
	if (p == TW_V6_IFACE) {
		ev->need |= HA_NEED_IFACE;
		return HA_MAYBE;
	}
	return HA_YES;
}

enum ha_tri ha_string_match(struct ha_eval *ev, const char *tok, size_t len, const struct ha_str *v)
{
	const char *s;
	size_t n;

	if (len == 0)
		return HA_NO; /* only an empty host part ("user@") gets here: never matches */
	if (!v->s)
		return string_match_unknown(ev, tok, len, v);
	/* The "::ffff:" of a mapped IPv4 address is stripped first. */
	s = v->sm;
	n = v->sm_len;
	/* Debian's 05_wildcard_matching: a '*' or '?' anywhere wins over every other form. */
	if (has_wildcard(tok, len))
		return ha_wildcard_match(tok, len, s, n) ? HA_YES : HA_NO;
	if (tok[0] == '.') /* suffix */
		return n > len && tw_memeq(tok, len, s + n - len, len) ? HA_YES : HA_NO;
	if (tw_memeq(tok, len, "ALL", 3))
		return HA_YES;
	if (tw_memeq(tok, len, "KNOWN", 5))
		return tw_memeq(s, n, unknown, 7) ? HA_NO : HA_YES;
	if (tok[len - 1] == '.') /* prefix; the dot is part of it */
		return n >= len && tw_memeq(tok, len, s, len) ? HA_YES : HA_NO;
	if (bracketed(tok, len))
		return v6_exact(ev, tok, len, v);
	return tw_memeq(tok, len, s, n) ? HA_YES : HA_NO;
}

/* masked_match4(): dotted-quad net, dotted-quad or CIDR-length mask, host bits must be 0. */
static int masked4(const char *net, size_t nlen, const char *mask, size_t mlen, uint32_t addr)
{
	uint32_t n, m;

	if (addr == TW_INADDR_NONE || (n = tw_dot_quad(net, nlen)) == TW_INADDR_NONE)
		return 0;
	if ((m = tw_dot_quad(mask, mlen)) == TW_INADDR_NONE && (m = tw_cidr_mask(mask, mlen)) == 0)
		return 0;
	return (addr & m) == n;
}

int ha_prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
	int i;

	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != b[i])
			return 0;
	return bits == 0 || ((a[i] ^ b[i]) & (0xff00 >> bits) & 0xff) == 0;
}

/* masked_match(): masked_match4() || masked_match6(). */
static enum ha_tri masked_match(struct ha_eval *ev, const char *tok, size_t len, size_t slash,
                                const struct ha_str *v)
{
	const char *mask = tok + slash + 1;
	size_t mlen = len - slash - 1;
	uint8_t a[16];
	enum tw_v6 p;
	int bits;

	if (!v->s) {
		ev->need |= v->need;
		return HA_MAYBE;
	}
	if (masked4(tok, slash, mask, mlen, v->v4))
		return HA_YES;
	/* masked_match6(): a mapped IPv4 client goes back to the IPv4 test. */
	if (v->mapped)
		return masked4(tok, slash, mask, mlen, v->mapped_v4) ? HA_YES : HA_NO;
	if (v->v6 != TW_V6_OK || !bracketed(tok, slash))
		return HA_NO;
	p = tw_parse_v6(tok + 1, slash - 2, a);
	if (p == TW_V6_BAD)
		return HA_NO;
	bits = tw_atoi(mask, mlen);
	if (bits < 0 || bits > 128)
		return HA_NO;
	if (!ha_prefix_equal(a, v->v6a, bits))
		return HA_NO;
	if (p == TW_V6_IFACE) {
		ev->need |= HA_NEED_IFACE;
		return HA_MAYBE;
	}
	return HA_YES;
}

static void name_used(struct ha_eval *ev)
{
	/* eval_hostname(): for a real connection this is a reverse and a forward DNS lookup. */
	ev->effects |= HA_FX_DNS;
}

static enum ha_tri host_match(struct ha_eval *ev, const char *tok, size_t len, struct ha_host *h);

/* hostfile_match(): whitespace-separated patterns of a file, each through host_match(). */
static enum ha_tri hostfile_match(struct ha_eval *ev, const char *tok, size_t len,
                                  struct ha_host *h)
{
	char path[TOKEN_MAX + 1];
	const uint8_t *data = NULL;
	size_t dlen = 0, pos = 0, start, tlen;
	enum ha_tri res = HA_NO;
	const void *nul;
	unsigned i;
	int r;

	if (!ev->c->read_file || ev->depth >= HA_FILE_DEPTH_MAX ||
	    !tok_copy(path, sizeof(path), tok, len)) {
		ev->need |= HA_NEED_FILE;
		return HA_MAYBE;
	}
	/*
	 * A file that names itself, directly or not: libwrap recurses until it runs out of file
	 * descriptors (no match) or of stack (a crash).  We cannot say which.
	 */
	for (i = 0; i < ev->depth; i++) {
		if (strcmp(ev->files[i], path) == 0) {
			ev->need |= HA_NEED_FILE;
			return HA_MAYBE;
		}
	}
	r = ev->c->read_file(ev->c->read_ctx, path, &data, &dlen);
	if (r == SD_ERR_NOT_FOUND)
		return HA_NO;
	if (r != 0 || (!data && dlen > 0)) {
		ev->need |= HA_NEED_FILE;
		return HA_MAYBE;
	}
	ev->files[ev->depth++] = path;
	while (res != HA_YES && pos < dlen) {
		/* fscanf("%s"): skip white space, take the rest up to the next. */
		while (pos < dlen && tw_isspace(data[pos]))
			pos++;
		start = pos;
		while (pos < dlen && !tw_isspace(data[pos]))
			pos++;
		if (pos == start)
			break;
		tlen = pos - start;
		/* host_match() sees a C string: a NUL ends the token. */
		if ((nul = memchr(data + start, 0, tlen)) != NULL)
			tlen = (size_t)((const uint8_t *)nul - (data + start));
		if (++ev->file_patterns > HA_FILE_PATTERNS_MAX) {
			ev->need |= HA_NEED_FILE; /* see HA_FILE_PATTERNS_MAX */
			res = ha_tri_or(res, HA_MAYBE);
			break;
		}
		if (tlen > TOKEN_MAX) {
			ev->need |= HA_NEED_FILE; /* libwrap's buffer overflows: undefined */
			res = ha_tri_or(res, HA_MAYBE);
			continue;
		}
		res = ha_tri_or(res, host_match(ev, (const char *)data + start, tlen, h));
	}
	ev->depth--;
	return res;
}

/* HOSTNAME_KNOWN() of the host's name, evaluated for KNOWN and LOCAL. */
static enum ha_tri name_known(struct ha_eval *ev, const struct ha_str *name, int local)
{
	if (!name->s) {
		ev->need |= name->need;
		return HA_MAYBE;
	}
	if (tw_memeq(name->s, name->len, "unknown", 7) ||
	    tw_memeq(name->s, name->len, "paranoid", 8))
		return HA_NO;
	if (local && memchr(name->s, '.', name->len))
		return HA_NO;
	return HA_YES;
}

/* host_match(): the order of its tests decides which form a token takes. */
static enum ha_tri host_match(struct ha_eval *ev, const char *tok, size_t len, struct ha_host *h)
{
	enum ha_tri a, n;
	size_t slash;

	if (len == 0)
		return HA_NO;
	if (tok[0] == '@') { /* innetgr(group, eval_hostname(), ...) */
		name_used(ev);
		ev->need |= HA_NEED_NETGROUP;
		return HA_MAYBE;
	}
	if (tok[0] == '/')
		return hostfile_match(ev, tok, len, h);
	if (tw_memeq(tok, len, "KNOWN", 5)) {
		name_used(ev);
		n = name_known(ev, &h->name, 0);
		if (!h->addr.s) {
			ev->need |= h->addr.need;
			a = HA_MAYBE;
		} else {
			a = tw_memeq(h->addr.s, h->addr.len, unknown, 7) ? HA_NO : HA_YES;
		}
		return ha_tri_and(a, n);
	}
	if (tw_memeq(tok, len, "LOCAL", 5)) {
		name_used(ev);
		return name_known(ev, &h->name, 1);
	}
	slash = ha_split_at(tok, len, '/');
	if (slash < len)
		return masked_match(ev, tok, len, slash, &h->addr);
	a = ha_string_match(ev, tok, len, &h->addr);
	if (a == HA_YES || !ha_not_inaddr(tok, len))
		return a;
	name_used(ev);
	n = ha_string_match(ev, tok, len, &h->name);
	return ha_tri_or(a, n);
}

/* The first '@' after the first character, outside brackets (split_at(tok + 1, '@')). */
static size_t at_split(const char *tok, size_t len)
{
	return len > 1 ? 1 + ha_split_at(tok + 1, len - 1, '@') : len;
}

/* daemon_or_port_match() (Debian match_port): a number 0..65535 is the server's port. */
static enum ha_tri daemon_or_port(struct ha_eval *ev, const char *tok, size_t len)
{
	unsigned port;
	unsigned char c0 = (unsigned char)tok[0];

	/* sscanf("%u%c") skips white space and takes a sign; only such tokens can be ports. */
	if (((c0 >= '0' && c0 <= '9') || c0 == '+' || c0 == '-' || tw_isspace(c0)) &&
	    tw_scan_uint(tok, len, 10, &port) && port <= 65535) {
		if (ev->port == HA_PORT_NONE)
			return HA_NO;
		if (ev->port == HA_PORT_UNKNOWN) {
			ev->need |= HA_NEED_PORT;
			return HA_MAYBE;
		}
		return port == (unsigned)ev->port ? HA_YES : HA_NO;
	}
	return ha_string_match(ev, tok, len, &ev->daemon);
}

/* server_match(): daemon, or daemon@host with host matched against the server endpoint. */
static enum ha_tri server_match(struct ha_eval *ev, const char *tok, size_t len)
{
	size_t at = at_split(tok, len);
	enum ha_tri d;

	if (at >= len)
		return daemon_or_port(ev, tok, len);
	d = daemon_or_port(ev, tok, at);
	if (d == HA_NO)
		return HA_NO;
	return ha_tri_and(d, host_match(ev, tok + at + 1, len - at - 1, &ev->server));
}

/* client_match(): host, or user@host (host first; the user costs an ident lookup). */
static enum ha_tri client_match(struct ha_eval *ev, const char *tok, size_t len)
{
	size_t at = at_split(tok, len);
	enum ha_tri h;

	if (at >= len)
		return host_match(ev, tok, len, &ev->client);
	h = host_match(ev, tok + at + 1, len - at - 1, &ev->client);
	if (h == HA_NO)
		return HA_NO;
	ev->effects |= HA_FX_IDENT; /* eval_user() */
	return ha_tri_and(h, ha_string_match(ev, tok, at, &ev->user));
}

typedef enum ha_tri (*match_fn)(struct ha_eval *, const char *, size_t);

/*
 * list_match(): the tokens up to EXCEPT are alternatives; after a match the rest of the list
 * is an exception list, recursively, so a EXCEPT b EXCEPT c = a EXCEPT (b EXCEPT c).
 */
static enum ha_tri list_match(struct ha_eval *ev, const char **p, const char *end, match_fn fn)
{
	enum ha_tri r = HA_NO, v;
	const char *tok;
	size_t len;
	int except = 0;

	while (ha_next_token(p, end, &tok, &len)) {
		if (tw_memeq(tok, len, "EXCEPT", 6)) {
			except = 1;
			break;
		}
		if (r == HA_YES)
			continue; /* libwrap skips to the EXCEPT without looking */
		v = fn(ev, tok, len);
		if (v == HA_YES)
			r = HA_YES;
		else if (v == HA_MAYBE)
			r = HA_MAYBE;
	}
	if (r == HA_NO || !except)
		return r;
	return ha_tri_and(r, ha_tri_not(list_match(ev, p, end, fn)));
}

enum ha_tri ha_list_match_clients(struct ha_eval *ev, const char *list, size_t len)
{
	const char *p = list;

	return list_match(ev, &p, list + len, client_match);
}

enum ha_tri ha_list_match_daemons(struct ha_eval *ev, const char *list, size_t len)
{
	const char *p = list;

	return list_match(ev, &p, list + len, server_match);
}

enum ha_tri ha_rule_match(struct ha_eval *ev, const char *daemons, size_t dlen, const char *clients,
                          size_t clen)
{
	enum ha_tri d = ha_list_match_daemons(ev, daemons, dlen);

	if (d == HA_NO)
		return HA_NO;
	return ha_tri_and(d, ha_list_match_clients(ev, clients, clen));
}
