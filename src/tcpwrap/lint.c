/*
 * lint.c — findings about access tables (see lint.h).
 */
#include "tcpwrap/lint.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/compat.h"
#include "tcpwrap/lines.h"
#include "tcpwrap/match.h"
#include "tcpwrap/options.h"
#include "tcpwrap/patterns.h"
#include "tcpwrap/shadow.h"

const char *ha_lint_kind_name(enum ha_lint_kind k)
{
	switch (k) {
	case HA_LINT_NO_COLON:
		return "no-colon";
	case HA_LINT_UNTERMINATED:
		return "unterminated";
	case HA_LINT_OPTION:
		return "option";
	case HA_LINT_NEVER:
		return "never-matches";
	case HA_LINT_SHADOWED:
		return "shadowed";
	case HA_LINT_SUSPICIOUS:
		return "suspicious";
	}
	return "?";
}

void ha_lint_free(struct ha_lint *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int add(struct ha_lint *l, enum ha_lint_kind kind, const struct ha_file *f,
               const struct ha_rule *r, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int add(struct ha_lint *l, enum ha_lint_kind kind, const struct ha_file *f,
               const struct ha_rule *r, const char *fmt, ...)
{
	struct ha_finding *v;
	va_list ap;
	size_t n;

	if (l->n >= HA_LINT_MAX) {
		l->dropped++;
		return 0;
	}
	if (l->n == l->alloc) {
		n = l->alloc ? l->alloc * 2 : 16;
		if (!(v = realloc(l->v, n * sizeof(*v))))
			return SD_ERR_ALLOC;
		l->v = v;
		l->alloc = n;
	}
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->file = f->name;
	v->line = r->line;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
	return 0;
}

/* A pattern quoted for a message: printable, shortened. */
static const char *quote(char *dst, size_t size, const char *s, size_t len)
{
	size_t o = 0, i;

	for (i = 0; i < len && o + 4 < size; i++)
		dst[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (i < len) {
		dst[o++] = '.';
		dst[o++] = '.';
	}
	dst[o] = 0;
	return dst;
}

/* ---- Findings about one rule -------------------------------------------------------------- */

/* Why a client pattern can never match, or NULL. */
static const char *never_reason(const char *tok, size_t len, int *suspicious)
{
	uint32_t net, mask, v;
	uint8_t v6[16];
	size_t slash, at = ha_pat_at(tok, len), dots, i;
	int bits;

	*suspicious = 0;
	if (at < len) {
		if (at + 1 == len)
			return "nothing after '@': the host part is empty";
		return NULL;
	}
	if (tok[0] == '@' || tok[0] == '/' || tok[0] == '#')
		return NULL;
	slash = ha_split_at(tok, len, '/');
	if (slash < len) {
		if (ha_pat_mask6(tok, len, slash, v6, &bits))
			return NULL;
		if (ha_pat_bracketed(tok, slash))
			return "[IPv6]/len needs a valid address and a length 0..128";
		if (tw_dot_quad(tok, slash) == TW_INADDR_NONE)
			return "the network is not a dotted quad (nor an [IPv6] address)";
		if (!ha_pat_mask4(tok, len, slash, &net, &mask))
			return "the mask is neither a dotted quad nor a length 1..32 "
			       "(/0 and 255.255.255.255 are rejected)";
		if (net & ~mask)
			return "the network has bits set outside the mask, so it never equals "
			       "address & mask";
		if (tok[0] == '0' && slash > 1 && tok[1] >= '0' && tok[1] <= '9')
			*suspicious = 1; /* octal */
		return NULL;
	}
	if (ha_pat_has_wild(tok, len) || tok[0] == '.')
		return NULL;
	if (ha_pat_bracketed(tok, len))
		return ha_pat_v6(tok, len, v6) ? NULL : "[...] does not hold an IPv6 address";
	if (ha_not_inaddr(tok, len) || tok[len - 1] == '.')
		return NULL;
	/* Digits and dots: compared as text with the address libwrap prints. */
	for (i = 0, dots = 0; i < len; i++)
		dots += tok[i] == '.';
	if (dots < 3)
		return "compared with the whole address; a network prefix needs a trailing '.'";
	v = tw_dot_quad(tok, len);
	if (v != TW_INADDR_NONE) {
		char canon[16];

		snprintf(canon, sizeof(canon), "%u.%u.%u.%u", v >> 24, (v >> 16) & 255,
		         (v >> 8) & 255, v & 255);
		if (!tw_memeq(canon, strlen(canon), tok, len))
			return "not written as libwrap prints addresses (no leading zeros), so the "
			       "text never equals a client address";
	}
	return NULL;
}

/* An IPv6 address written without brackets: its colons split the rule. */
static int unbracketed_v6(const struct ha_rule *r)
{
	char t[64];
	size_t s, e, n;
	uint8_t a[16];
	const char *x = r->text;

	if (r->colon2 == HA_NO_OPTIONS)
		return 0;
	for (s = r->colon2; s > r->colon1 + 1 && !ha_is_sep((unsigned char)x[s - 1]); s--)
		;
	for (e = r->colon2 + 1; e < r->len && x[e] && strchr("0123456789abcdefABCDEF:.", x[e]); e++)
		;
	n = e - s;
	if (n < 2 || n >= sizeof(t))
		return 0;
	memcpy(t, x + s, n);
	t[n] = 0;
	return inet_pton(AF_INET6, t, a) == 1;
}

static int unbalanced_brackets(const struct ha_rule *r)
{
	int depth = 0;
	size_t i;

	for (i = 0; i < r->len; i++) {
		if (r->text[i] == '[')
			depth++;
		else if (r->text[i] == ']' && --depth < 0)
			return 1;
	}
	return depth != 0;
}

static int lint_rule(struct ha_lint *l, const struct ha_file *f, const struct ha_rule *r,
                     int is_allow)
{
	const char *p, *tok, *why;
	const char *end = r->text + (r->colon2 == HA_NO_OPTIONS ? r->len : r->colon2);
	char q[64];
	size_t n, nvalid = 0, nnever = 0;
	struct ha_opts o;
	struct ha_group dg;
	int res, susp, in_first = 1;

	if (r->text[strspn(r->text, " \t")] == '#' &&
	    (res = add(l, HA_LINT_SUSPICIOUS, f, r,
	               "'#' is a comment only in the first column: this line is a rule")) != 0)
		return res;
	if (unbalanced_brackets(r) &&
	    (res = add(l, HA_LINT_SUSPICIOUS, f, r,
	               "unbalanced '[' ']': ':' inside brackets does not separate fields")) != 0)
		return res;
	if (unbracketed_v6(r) &&
	    (res = add(l, HA_LINT_SUSPICIOUS, f, r,
	               "an IPv6 address without [brackets]: its ':' split the rule")) != 0)
		return res;
	if (r->colon2 != HA_NO_OPTIONS) {
		ha_options_eval(r->text + r->colon2 + 1, r->len - r->colon2 - 1, NULL, &o);
		if (o.end == HA_END_ERROR &&
		    (res = add(l, HA_LINT_OPTION, f, r,
		               "options always fail (%s): libwrap denies every client this rule "
		               "matches%s",
		               o.message, is_allow ? ", although it is in hosts.allow" : "")) != 0)
			return res;
	}
	ha_first_group(r->text, r->colon1, &dg);
	if (dg.n == 0 && !dg.overflow)
		return add(l, HA_LINT_NEVER, f, r, "empty daemon list: the rule never matches");
	for (p = r->text + r->colon1 + 1; ha_next_token(&p, end, &tok, &n);) {
		if (tw_memeq(tok, n, "EXCEPT", 6)) {
			in_first = 0;
			continue;
		}
		if (tok[0] == '#' &&
		    (res = add(l, HA_LINT_SUSPICIOUS, f, r,
		               "'%s' is not a comment here: it and the words after it are patterns",
		               quote(q, sizeof(q), tok, n))) != 0)
			return res;
		why = never_reason(tok, n, &susp);
		if (why && (res = add(l, HA_LINT_NEVER, f, r, "pattern '%s' never matches: %s",
		                      quote(q, sizeof(q), tok, n), why)) != 0)
			return res;
		if (susp && (res = add(l, HA_LINT_SUSPICIOUS, f, r,
		                       "pattern '%s': a leading 0 makes inet_aton() read octal",
		                       quote(q, sizeof(q), tok, n))) != 0)
			return res;
		if (in_first) {
			nvalid++;
			nnever += why != NULL;
		}
	}
	if (nvalid == 0)
		return add(l, HA_LINT_NEVER, f, r, "empty client list: the rule never matches");
	if (nnever == nvalid)
		return add(l, HA_LINT_NEVER, f, r,
		           "no client pattern can match: the rule never matches");
	return 0;
}

static int lint_file(struct ha_lint *l, const struct ha_file *f, int is_allow)
{
	const struct ha_rule *r;
	size_t i;
	int res = 0;

	for (i = 0; f && i < f->n_rules && res == 0; i++) {
		r = &f->rules[i];
		switch (r->kind) {
		case HA_RULE_NO_COLON:
			res = add(
			    l, HA_LINT_NO_COLON, f, r,
			    r->text[strspn(r->text, " \t")] == '#'
			        ? "'#' is a comment only in the first column; this line has no ':' "
			          "and is skipped"
			        : "no ':' separator: libwrap skips this line");
			break;
		case HA_RULE_UNTERMINATED:
			res = add(l, HA_LINT_UNTERMINATED, f, r,
			          "%s: libwrap stops reading here (%zu later line(s) ignored)%s",
			          r->len >= HA_LINE_MAX ? "logical line longer than 2047 bytes"
			                                : "last line has no newline",
			          f->lines_ignored,
			          is_allow ? " and goes on to hosts.deny"
			                   : " and denies every client that gets this far");
			break;
		case HA_RULE:
			res = lint_rule(l, f, r, is_allow);
			break;
		}
	}
	return res;
}

/* File order: hosts.allow first, then by line, then in the order found. */
struct order {
	int table;
	unsigned line;
	size_t seq;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->table != y->table)
		return x->table - y->table;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int sort_findings(struct ha_lint *l, const struct ha_file *allow)
{
	struct order *o;
	struct ha_finding *v;
	size_t i;

	if (l->n < 2)
		return 0;
	o = malloc(l->n * sizeof(*o));
	v = malloc(l->n * sizeof(*v));
	if (!o || !v) {
		free(o);
		free(v);
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < l->n; i++) {
		o[i].table = !(allow && l->v[i].file == allow->name);
		o[i].line = l->v[i].line;
		o[i].seq = i;
	}
	qsort(o, l->n, sizeof(*o), order_cmp);
	for (i = 0; i < l->n; i++)
		v[i] = l->v[o[i].seq];
	free(l->v);
	free(o);
	l->v = v;
	l->alloc = l->n;
	return 0;
}

/* Rules never reached, in the order libwrap reads them. */
static int lint_shadowing(struct ha_lint *out, const struct ha_file *allow,
                          const struct ha_file *deny)
{
	const struct ha_file *files[2] = {allow, deny};
	struct ha_shadow_rule *rules;
	struct ha_shadow sh;
	struct ha_opts o;
	size_t n = 0, i, k, before;
	long by;
	int t, res = 0;

	for (t = 0; t < 2; t++)
		n += files[t] ? files[t]->n_rules : 0;
	if (n == 0 || n > UINT32_MAX - 1)
		return 0;
	if (!(rules = calloc(n, sizeof(*rules))))
		return SD_ERR_ALLOC;
	ha_shadow_init(&sh);
	for (t = 0, k = 0; t < 2 && res == 0 && !out->shadow_incomplete; t++) {
		for (i = 0; files[t] && i < files[t]->n_rules && res == 0; i++, k++) {
			const struct ha_rule *r = &files[t]->rules[i];

			rules[k].f = files[t];
			rules[k].r = r;
			rules[k].table = t;
			if (r->kind != HA_RULE)
				continue;
			if (ha_shadow_exhausted(&sh)) {
				out->shadow_incomplete = 1;
				break;
			}
			if (r->colon2 != HA_NO_OPTIONS) {
				ha_options_eval(r->text + r->colon2 + 1, r->len - r->colon2 - 1,
				                NULL, &o);
				rules[k].aclexec =
				    o.end == HA_END_TABLE && (o.may & HA_MAY_TABLE_NO);
			}
			if ((res = ha_shadow_check(&sh, rules, (uint32_t)k, &by)) != 0 || by < 0)
				continue;
			before = out->n;
			res =
			    add(out, HA_LINT_SHADOWED, files[t], r,
			        "never reached: %s line %u matches every client this rule matches",
			        rules[by].table ? "hosts.deny" : "hosts.allow", rules[by].r->line);
			if (res == 0 && out->n > before) {
				out->v[before].other_file = rules[by].f->name;
				out->v[before].other_line = rules[by].r->line;
			}
		}
	}
	ha_shadow_free(&sh);
	free(rules);
	return res;
}

int hosts_access_lint(const struct ha_file *allow, const struct ha_file *deny, struct ha_lint *out)
{
	int res;

	memset(out, 0, sizeof(*out));
	if ((res = lint_file(out, allow, 1)) != 0 || (res = lint_file(out, deny, 0)) != 0 ||
	    (res = lint_shadowing(out, allow, deny)) != 0)
		return res;
	return sort_findings(out, allow);
}
