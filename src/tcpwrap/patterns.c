/*
 * patterns.c — the form and the reach of patterns (see patterns.h).
 */
#include "tcpwrap/patterns.h"

#include <string.h>

#include "tcpwrap/compat.h"
#include "tcpwrap/lines.h"
#include "tcpwrap/match.h"

void ha_first_group(const char *list, size_t len, struct ha_group *g)
{
	const char *p = list, *tok;
	size_t n;

	memset(g, 0, sizeof(*g));
	while (ha_next_token(&p, list + len, &tok, &n)) {
		if (tw_memeq(tok, n, "EXCEPT", 6)) {
			g->except = 1;
			return;
		}
		if (g->n == HA_GROUP_MAX) {
			g->overflow = 1;
			return;
		}
		g->tok[g->n] = tok;
		g->len[g->n++] = n;
	}
}

int ha_pat_bracketed(const char *s, size_t len)
{
	return len >= 2 && s[0] == '[' && s[len - 1] == ']';
}

int ha_pat_has_wild(const char *s, size_t len)
{
	return memchr(s, '*', len) || memchr(s, '?', len);
}

size_t ha_pat_at(const char *tok, size_t len)
{
	return len > 1 ? 1 + ha_split_at(tok + 1, len - 1, '@') : len;
}

/* v4 net/mask as masked_match4() reads it: 1 valid (host bits may be set), 0 invalid. */
int ha_pat_mask4(const char *tok, size_t len, size_t slash, uint32_t *net, uint32_t *mask)
{
	const char *m = tok + slash + 1;
	size_t mlen = len - slash - 1;

	if ((*net = tw_dot_quad(tok, slash)) == TW_INADDR_NONE)
		return 0;
	if ((*mask = tw_dot_quad(m, mlen)) == TW_INADDR_NONE &&
	    (*mask = tw_cidr_mask(m, mlen)) == 0)
		return 0;
	return 1;
}

/* [v6]/len as masked_match6() reads it. */
int ha_pat_mask6(const char *tok, size_t len, size_t slash, uint8_t v6[16], int *bits)
{
	if (!ha_pat_bracketed(tok, slash) || tw_parse_v6(tok + 1, slash - 2, v6) != TW_V6_OK)
		return 0;
	*bits = tw_atoi(tok + slash + 1, len - slash - 1);
	return *bits >= 0 && *bits <= 128;
}

int ha_pat_v6(const char *tok, size_t len, uint8_t v6[16])
{
	return tw_parse_v6(tok + 1, len - 2, v6) == TW_V6_OK;
}

void ha_pat_classify(const char *tok, size_t len, struct ha_pat *t)
{
	size_t slash;

	memset(t, 0, sizeof(*t));
	t->s = tok;
	t->len = len;
	t->kind = HA_PAT_OTHER;
	t->names = ha_not_inaddr(tok, len);
	if (ha_pat_at(tok, len) < len || tok[0] == '@' || tok[0] == '/' ||
	    tw_memeq(tok, len, "KNOWN", 5) || tw_memeq(tok, len, "LOCAL", 5))
		return;
	slash = ha_split_at(tok, len, '/');
	if (slash < len) {
		if (ha_pat_mask4(tok, len, slash, &t->net, &t->mask) && (t->net & ~t->mask) == 0)
			t->kind = HA_PAT_MASK4;
		else if (ha_pat_mask6(tok, len, slash, t->v6, &t->bits))
			t->kind = HA_PAT_MASK6;
		return;
	}
	if (ha_pat_has_wild(tok, len))
		t->kind = HA_PAT_WILD;
	else if (tok[0] == '.')
		t->kind = HA_PAT_SUFFIX;
	else if (tw_memeq(tok, len, "ALL", 3))
		t->kind = HA_PAT_ALL;
	else if (tok[len - 1] == '.')
		t->kind = HA_PAT_PREFIX;
	else if (ha_pat_bracketed(tok, len))
		t->kind = ha_pat_v6(tok, len, t->v6) ? HA_PAT_V6 : HA_PAT_OTHER;
	else
		t->kind = HA_PAT_EXACT;
}

/* Does client pattern a match every client that b matches? */
int ha_pat_covers(const struct ha_pat *a, const struct ha_pat *b)
{
	/* A name comparison in b needs one in a. */
	int names_ok = !b->names || a->names;
	uint32_t v;

	if (tw_memeq(a->s, a->len, b->s, b->len))
		return 1;
	if (a->kind == HA_PAT_ALL)
		return 1;
	switch (b->kind) {
	case HA_PAT_EXACT:
		if (a->kind == HA_PAT_PREFIX)
			return names_ok && b->len >= a->len && tw_memeq(a->s, a->len, b->s, a->len);
		if (a->kind == HA_PAT_SUFFIX)
			return names_ok && b->len > a->len &&
			       tw_memeq(a->s, a->len, b->s + b->len - a->len, a->len);
		if (a->kind == HA_PAT_WILD)
			return names_ok && ha_wildcard_match(a->s, a->len, b->s, b->len);
		if (a->kind == HA_PAT_MASK4 && !b->names) {
			v = tw_dot_quad(b->s, b->len);
			return v != TW_INADDR_NONE && (v & a->mask) == a->net;
		}
		return 0;
	case HA_PAT_PREFIX:
		return a->kind == HA_PAT_PREFIX && names_ok && b->len >= a->len &&
		       tw_memeq(a->s, a->len, b->s, a->len);
	case HA_PAT_MASK4:
		return a->kind == HA_PAT_MASK4 && (a->mask & b->mask) == a->mask &&
		       (b->net & a->mask) == a->net;
	case HA_PAT_MASK6:
		return a->kind == HA_PAT_MASK6 && a->bits <= b->bits &&
		       ha_prefix_equal(a->v6, b->v6, a->bits);
	case HA_PAT_V6:
		return a->kind == HA_PAT_MASK6 && ha_prefix_equal(a->v6, b->v6, a->bits);
	default:
		return 0;
	}
}

/* A daemon pattern that is just a name: matched by equal text only. */
int ha_pat_plain_daemon(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];

	return ha_pat_at(s, len) >= len && !ha_pat_has_wild(s, len) && s[0] != '.' &&
	       s[len - 1] != '.' && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '[' &&
	       !tw_memeq(s, len, "KNOWN", 5) && !tw_memeq(s, len, "ALL", 3);
}

int ha_pat_covers_daemon(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t bat = ha_pat_at(b, blen);

	if (tw_memeq(a, alen, b, blen) || tw_memeq(a, alen, "ALL", 3))
		return 1;
	if (ha_pat_at(a, alen) < alen)
		return 0;
	if (bat < blen) /* b = daemon@host: a plain daemon pattern covers it if it covers daemon */
		return ha_pat_covers_daemon(a, alen, b, bat);
	return ha_pat_has_wild(a, alen) && ha_pat_plain_daemon(b, blen) &&
	       ha_wildcard_match(a, alen, b, blen);
}
