/*
 * decide.c — hosts_access() of libwrap: hosts.allow, then hosts.deny, then grant.
 *
 * A table is scanned until its first matching rule (or the error line that ends it).  Rules
 * that could match are set aside — the scan goes on as if they did not — and each adds the
 * results it would produce to ha_decision.possible, so `certain` is exact: it says whether
 * any resolution of the unknowns changes the result.
 */
#include "tcpwrap/hosts_access.h"

#include <arpa/inet.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/fast.h"
#include "tcpwrap/lines.h"
#include "tcpwrap/match.h"
#include "tcpwrap/options.h"

/* One line as the scan sees it, from a parsed ha_file or straight from the bytes. */
struct view {
	enum ha_line_kind kind;
	const char *text;
	size_t len, colon1, colon2; /* colon2: HA_NO_FIELD without options */
	unsigned line;
	const char *raw;
	size_t raw_len;
	const char *dh; /* DenyHosts comment above, or NULL */
	size_t dh_len;
	const struct ha_rule *rule;
};

enum state { SCANNING, MATCHED, STOPPED };

struct scan {
	struct ha_eval ev;
	struct ha_decision *d;
	enum ha_table table;
	const char *file;
	enum state state;
	struct ha_opts opts;    /* of the matching rule */
	enum ha_result primary; /* what the matching rule decides */
	unsigned alternatives;  /* what else it may decide (unknown option outcomes) */
	enum ha_why why;
	struct ha_ref ref; /* the matching rule, or the error line */
	const char *raw;   /* the matching rule's first line, for the DenyHosts check */
	size_t raw_len;
	const char *dh;
	size_t dh_len;
};

int ha_addr_text(int family, const uint8_t *bytes, char *out, size_t size)
{
	if ((family != AF_INET && family != AF_INET6) || !bytes || !out ||
	    !inet_ntop(family, bytes, out, (socklen_t)(size < 1024 ? size : 1024)))
		return SD_ERR_INVALID;
	return 0;
}

const char *ha_result_name(enum ha_result r)
{
	return r == HA_GRANT ? "grant" : r == HA_DENY ? "deny" : "?";
}

const char *ha_why_name(enum ha_why w)
{
	switch (w) {
	case HA_WHY_DEFAULT:
		return "no rule matched";
	case HA_WHY_ALLOW_RULE:
		return "hosts.allow rule";
	case HA_WHY_DENY_RULE:
		return "hosts.deny rule";
	case HA_WHY_OPTION_ALLOW:
		return "allow option";
	case HA_WHY_OPTION_DENY:
		return "deny option";
	case HA_WHY_OPTION_ERROR:
		return "invalid option";
	case HA_WHY_TWIST:
		return "twist option";
	case HA_WHY_EXPANSION_EXIT:
		return "expansion overflow";
	case HA_WHY_DENY_UNTERMINATED:
		return "hosts.deny unterminated";
	}
	return "?";
}

/* The evidence text: printable ASCII, tab as space, other bytes as \xNN, truncated. */
static void evidence(char *dst, size_t size, const char *raw, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < len && o + 1 < size; i++) {
		c = (unsigned char)raw[i];
		if (c == '\t')
			c = ' ';
		if (c >= 0x20 && c < 0x7f) {
			dst[o++] = (char)c;
		} else if (o + 4 < size) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			break;
		}
	}
	dst[o] = 0;
}

static void make_ref(const struct scan *sc, const struct view *v, struct ha_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	ref->table = sc->table;
	ref->file = sc->file;
	ref->line = v->line;
	ref->rule = v->rule;
	evidence(ref->text, sizeof(ref->text), v->raw, v->raw_len);
}

/* What a matching rule decides given its options, and what else it might. */
static void outcome(enum ha_table table, const struct ha_opts *o, enum ha_result *primary,
                    unsigned *alts, enum ha_why *why)
{
	*alts = 0;
	*primary = HA_DENY;
	*why = HA_WHY_OPTION_ERROR;
	switch (o->end) {
	case HA_END_TABLE:
		*primary = table == HA_TABLE_ALLOW ? HA_GRANT : HA_DENY;
		*why = table == HA_TABLE_ALLOW ? HA_WHY_ALLOW_RULE : HA_WHY_DENY_RULE;
		/* aclexec failing turns the table's answer into "no match". */
		if (o->may & HA_MAY_TABLE_NO)
			*alts |= table == HA_TABLE_ALLOW ? HA_GRANT | HA_DENY : HA_GRANT;
		break;
	case HA_END_ALLOW:
		*primary = HA_GRANT;
		*why = HA_WHY_OPTION_ALLOW;
		break;
	case HA_END_DENY:
		*primary = HA_DENY;
		*why = HA_WHY_OPTION_DENY;
		break;
	case HA_END_ERROR:
		*primary = HA_DENY;
		*why = HA_WHY_OPTION_ERROR;
		break;
	case HA_END_TWIST:
		*primary = HA_DENY;
		*why = HA_WHY_TWIST;
		break;
	case HA_END_EXIT:
		*primary = HA_DENY;
		*why = HA_WHY_EXPANSION_EXIT;
		break;
	}
	if (o->may & HA_MAY_DENY)
		*alts |= HA_DENY;
}

/* One line of a table; 1 when the scan of this table ends. */
static int scan_line(struct scan *sc, const struct view *v)
{
	struct ha_decision *d = sc->d;
	struct ha_opts o;
	enum ha_result primary;
	enum ha_why why;
	unsigned alts;
	enum ha_tri m;
	size_t cend;

	if (v->kind == HA_LINE_UNTERMINATED) {
		sc->state = STOPPED;
		make_ref(sc, v, &sc->ref);
		return 1;
	}
	if (v->kind != HA_LINE_RULE)
		return 0;
	sc->ev.need = 0;
	cend = v->colon2 == HA_NO_FIELD ? v->len : v->colon2;
	m = ha_rule_match(&sc->ev, v->text, v->colon1, v->text + v->colon1 + 1,
	                  cend - v->colon1 - 1);
	if (m == HA_NO)
		return 0;
	memset(&o, 0, sizeof(o));
	o.end = HA_END_TABLE;
	if (v->colon2 != HA_NO_FIELD)
		ha_options_eval(v->text + v->colon2 + 1, v->len - v->colon2 - 1, &sc->ev, &o);
	outcome(sc->table, &o, &primary, &alts, &why);
	if (m == HA_MAYBE) {
		struct ha_ref *u =
		    d->n_uncertain < HA_UNCERTAIN_MAX ? &d->uncertain[d->n_uncertain] : NULL;

		d->n_uncertain++;
		d->possible |= primary | alts;
		if (u) {
			make_ref(sc, v, u);
			u->need = sc->ev.need | o.need;
			u->possible = primary | alts;
		}
		return 0;
	}
	sc->state = MATCHED;
	sc->opts = o;
	sc->primary = primary;
	sc->alternatives = alts;
	sc->why = why;
	make_ref(sc, v, &sc->ref);
	sc->ref.need = o.need;
	sc->ref.possible = primary | alts;
	sc->raw = v->raw;
	sc->raw_len = v->raw_len;
	sc->dh = v->dh;
	sc->dh_len = v->dh_len;
	return 1;
}

static void scan_file(struct scan *sc, const struct ha_file *f)
{
	const struct ha_rule *r;
	struct view v;
	size_t i;
	struct ha_fast fast = {NULL, 0, HA_NO, 0, 0};

	sc->state = SCANNING;
	if (!f)
		return;
	sc->file = f->name;
	for (i = 0; i < f->n_rules; i++) {
		r = &f->rules[i];
		if (r->kind == HA_RULE &&
		    ha_fast_rule_misses(&fast, &sc->ev, r->text, r->colon1,
		                        r->colon2 == HA_NO_OPTIONS ? r->len - 1 : r->colon2))
			continue;
		v.kind = r->kind == HA_RULE            ? HA_LINE_RULE
		         : r->kind == HA_RULE_NO_COLON ? HA_LINE_NO_COLON
		                                       : HA_LINE_UNTERMINATED;
		v.text = r->text;
		v.len = r->len;
		v.colon1 = r->colon1;
		v.colon2 = r->colon2 == HA_NO_OPTIONS ? HA_NO_FIELD : r->colon2;
		v.line = r->line;
		v.raw = r->raw;
		v.raw_len = r->raw_len;
		v.dh = r->denyhosts;
		v.dh_len = r->denyhosts ? strlen(r->denyhosts) : 0;
		v.rule = r;
		if (scan_line(sc, &v))
			return;
	}
}

static void scan_stream(struct scan *sc, const struct ha_input *in)
{
	struct ha_reader rd;
	struct ha_line l;
	struct view v;
	const char *dh = NULL;
	size_t dh_len = 0;
	struct ha_fast fast = {NULL, 0, HA_NO, 0, 0};

	sc->state = SCANNING;
	if (!in)
		return;
	sc->file = in->name;
	if (!in->data)
		return;
	ha_reader_init(&rd, in->data, in->len);
	for (;;) {
		ha_fast_skip(&fast, &sc->ev, &rd, &dh, &dh_len);
		if (!ha_reader_next(&rd, &l))
			break;
		if (l.kind == HA_LINE_COMMENT) {
			dh = ha_is_denyhosts_comment((const char *)l.raw, l.raw_len)
			         ? (const char *)l.raw
			         : NULL;
			/* As hosts_access_parse() stores it: a C string of at most HA_RAW_MAX
			 * bytes. */
			dh_len =
			    dh ? strnlen(dh, l.raw_len < HA_RAW_MAX ? l.raw_len : HA_RAW_MAX) : 0;
			continue;
		}
		if (l.kind == HA_LINE_BLANK || l.kind == HA_LINE_NO_COLON) {
			dh = NULL;
			continue;
		}
		v.kind = l.kind;
		v.text = l.text;
		v.len = l.len;
		v.colon1 = l.colon1;
		v.colon2 = l.colon2;
		v.line = l.line;
		v.raw = (const char *)l.raw;
		v.raw_len = l.raw_len < HA_RAW_MAX ? l.raw_len : HA_RAW_MAX;
		v.dh = dh;
		v.dh_len = dh_len;
		v.rule = NULL;
		dh = NULL;
		if (scan_line(sc, &v))
			return;
	}
}

/* The matching rule of the table just scanned decides. */
static void decided(struct scan *sc)
{
	struct ha_decision *d = sc->d;

	d->result = sc->primary;
	d->possible |= sc->primary | sc->alternatives;
	d->why = sc->why;
	d->rule = sc->ref;
	d->effects |= sc->opts.effects;
	if (sc->opts.end != HA_END_TABLE || sc->opts.may) {
		memcpy(d->option, sc->opts.option, sizeof(d->option));
		memcpy(d->message, sc->opts.message, sizeof(d->message));
	}
	if (sc->dh)
		ha_denyhosts_parse(sc->dh, sc->dh_len, sc->raw, sc->raw_len, &d->denyhosts);
}

static void begin(struct scan *sc, const struct ha_client *c, struct ha_decision *d)
{
	memset(d, 0, sizeof(*d));
	memset(sc, 0, sizeof(*sc));
	sc->d = d;
	ha_eval_init(&sc->ev, c);
	sc->table = HA_TABLE_ALLOW;
}

/* After hosts.allow: 1 if it decided. */
static int after_allow(struct scan *sc)
{
	if (sc->state == MATCHED) {
		decided(sc);
		return 1;
	}
	if (sc->state == STOPPED)
		sc->d->allow_stop = sc->ref; /* libwrap: ERR from hosts.allow falls through */
	sc->table = HA_TABLE_DENY;
	return 0;
}

static void after_deny(struct scan *sc)
{
	struct ha_decision *d = sc->d;

	if (sc->state == MATCHED) {
		decided(sc);
	} else if (sc->state == STOPPED) {
		d->result = HA_DENY;
		d->why = HA_WHY_DENY_UNTERMINATED;
		d->rule = sc->ref;
	} else {
		d->result = HA_GRANT;
		d->why = HA_WHY_DEFAULT;
	}
}

static void finish(struct scan *sc)
{
	struct ha_decision *d = sc->d;

	d->possible |= d->result;
	d->certain = d->possible == (unsigned)d->result;
	d->effects |= sc->ev.effects;
}

int hosts_access_decide(const struct ha_file *allow, const struct ha_file *deny,
                        const struct ha_client *client, struct ha_decision *out)
{
	struct scan sc;

	if (!client || !client->addr || !out)
		return SD_ERR_INVALID;
	begin(&sc, client, out);
	scan_file(&sc, allow);
	if (!after_allow(&sc)) {
		scan_file(&sc, deny);
		after_deny(&sc);
	}
	finish(&sc);
	return 0;
}

int hosts_access_decide_stream(const struct ha_input *allow, const struct ha_input *deny,
                               const struct ha_client *client, struct ha_decision *out)
{
	struct scan sc;

	if (!client || !client->addr || !out)
		return SD_ERR_INVALID;
	begin(&sc, client, out);
	scan_stream(&sc, allow);
	if (!after_allow(&sc)) {
		scan_stream(&sc, deny);
		after_deny(&sc);
	}
	finish(&sc);
	return 0;
}
