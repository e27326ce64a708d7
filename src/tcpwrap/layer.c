#include "tcpwrap/layer.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/hosts_access.h"
#include "tcpwrap/lint.h"
#include "tcpwrap/match.h"

#define LINT_REPORTED_MAX      10 /* lint findings shown; the rest are counted */
#define TCPWRAP_LINT_MAX_BYTES (4u << 20)

/* What OpenSSH >= 8.3 prints first; 8.3+ adds "Connection reset by SERVER port PORT". */
static const char client_sees_reset[] =
    "kex_exchange_identification: read: Connection reset by peer";

static const struct tcpwrap_table *table_of(const struct tcpwrap_inputs *in, enum ha_table t)
{
	return t == HA_TABLE_ALLOW ? &in->allow : &in->deny;
}

static int add_deny_finding(const struct tcpwrap_inputs *in, const struct conn_spec *c,
                            const struct ha_decision *dec, enum severity sev, struct diagnosis *d)
{
	const struct tcpwrap_table *t = table_of(in, dec->rule.table);
	int denyhosts = dec->denyhosts.found && dec->rule.table == HA_TABLE_DENY;
	struct finding *f;
	int r = 0;

	f = diagnosis_add_finding(d, LAYER_TCP_WRAPPERS,
	                          denyhosts ? CAUSE_DENYHOSTS_ENTRY : CAUSE_TCP_WRAPPERS_DENY, sev);
	if (!f)
		return SD_ERR_ALLOC;
	switch (dec->why) {
	case HA_WHY_DENY_UNTERMINATED:
		r |= finding_set_summary(
		    f,
		    "%s stops with an error at line %u (a line over 2047 bytes or "
		    "without a final newline), and libwrap then refuses everyone "
		    "hosts.allow did not grant, %s included",
		    t->path, dec->rule.line, c->client_text);
		break;
	case HA_WHY_OPTION_DENY:
	case HA_WHY_OPTION_ERROR:
	case HA_WHY_TWIST:
	case HA_WHY_EXPANSION_EXIT:
		r |= finding_set_summary(f, "%s is refused by %s line %u (option \"%s\"%s%s)",
		                         c->client_text, t->path, dec->rule.line, dec->option,
		                         dec->message[0] ? ": " : "", dec->message);
		break;
	default:
		if (denyhosts)
			r |= finding_set_summary(
			    f, "%s is refused by a DenyHosts entry in %s line %u%s%s",
			    c->client_text, t->path, dec->rule.line,
			    dec->denyhosts.date[0] ? ", added " : "", dec->denyhosts.date);
		else
			r |= finding_set_summary(f, "%s is refused by TCP wrappers: %s line %u",
			                         c->client_text, t->path, dec->rule.line);
		break;
	}
	if (sev != SEVERITY_BLOCKER)
		r |= finding_set_summary(f,
		                         "%s could be refused by TCP wrappers (%s line %u): the "
		                         "rule depends on what we do not know (the client's host "
		                         "name or user); pass --client-name NAME or --resolve",
		                         c->client_text, t->path, dec->rule.line);
	r |= finding_set_client_sees(f, client_sees_reset);
	r |= finding_add_evidence(f, t->path, dec->rule.line, dec->rule.text);
	if (denyhosts)
		r |= finding_add_fix(
		    f,
		    "remove line %u of %s (and the \"# DenyHosts:\" line above it), "
		    "and remove %s from DenyHosts' work files under /var/lib/denyhosts "
		    "(hosts, hosts-restricted, hosts-root, hosts-valid, users-hosts) or "
		    "DenyHosts adds it again; to keep it out for good add it to "
		    "/var/lib/denyhosts/allowed-hosts",
		    dec->rule.line, t->path, c->client_text);
	else if (dec->rule.table == HA_TABLE_DENY && dec->why == HA_WHY_DENY_RULE &&
	         strstr(dec->rule.text, c->client_text))
		/* a line naming this client: remove it */
		r |= finding_add_fix(f, "remove line %u of %s: %s", dec->rule.line, t->path,
		                     dec->rule.text);
	else if (dec->why == HA_WHY_DENY_UNTERMINATED)
		r |= finding_add_fix(f,
		                     "fix line %u of %s (shorten it, or end the file with a "
		                     "newline)",
		                     dec->rule.line, t->path);
	else if (dec->why != HA_WHY_DENY_RULE)
		r |= finding_add_fix(f, "change line %u of %s: %s", dec->rule.line, t->path,
		                     dec->rule.text);
	/* a broad deny (ALL: ALL) stays; grant this client before it */
	if (dec->why == HA_WHY_DENY_RULE || dec->why == HA_WHY_DENY_UNTERMINATED)
		r |= finding_add_fix(f, "%sgrant it first: add to %s the line: sshd: %s%s%s",
		                     strstr(dec->rule.text, c->client_text) ? "or " : "",
		                     in->allow.path, c->client.family == 6 ? "[" : "",
		                     c->client_text, c->client.family == 6 ? "]" : "");
	return r ? SD_ERR_ALLOC : SD_OK;
}

static int add_lint(const struct tcpwrap_inputs *in, const struct ha_file *allow,
                    const struct ha_file *deny, struct diagnosis *d)
{
	struct ha_lint lint;
	struct finding *f;
	size_t i;
	int r = 0;

	memset(&lint, 0, sizeof(lint));
	if ((r = hosts_access_lint(allow, deny, &lint)) != 0)
		return r;
	for (i = 0; i < lint.n && i < LINT_REPORTED_MAX && r == 0; i++) {
		const struct ha_finding *h = &lint.v[i];
		/* a table that stops with an error changes every verdict after it: a risk */
		enum severity sev = h->kind == HA_LINT_UNTERMINATED ? SEVERITY_RISK : SEVERITY_INFO;
		if (h->kind == HA_LINT_UNTERMINATED && h->file &&
		    strcmp(h->file, in->deny.path) == 0)
			sev = SEVERITY_RISK;
		if ((f = diagnosis_add_finding(d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_LINT,
		                               sev)) == NULL)
			return SD_ERR_ALLOC;
		f->client_sees[0] = '\0';
		r |= finding_set_summary(f, "%s line %u: %s (%s)", h->file, h->line, h->message,
		                         ha_lint_kind_name(h->kind));
		r |= finding_add_evidence(f, h->file, h->line, h->message);
		if (h->kind == HA_LINT_SHADOWED && h->other_file)
			r |= finding_add_evidence(f, h->other_file, h->other_line,
			                          "the earlier rule that matches first");
	}
	if (r == 0 && (lint.n > LINT_REPORTED_MAX || lint.dropped)) {
		if ((f = diagnosis_add_finding(d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_LINT,
		                               SEVERITY_INFO)) == NULL)
			r = SD_ERR_ALLOC;
		else {
			f->client_sees[0] = '\0';
			r |= finding_set_summary(f, "%zu more lint findings not shown",
			                         lint.n - LINT_REPORTED_MAX + lint.dropped);
		}
	}
	ha_lint_free(&lint);
	return r ? SD_ERR_ALLOC : SD_OK;
}

/* Trims separators off both ends of [p, p+n). */
static void trim(const char **p, size_t *n)
{
	while (*n && ha_is_sep((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && ha_is_sep((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/*
 * Without a client: every rule that refuses someone at sshd — each hosts.deny rule whose
 * daemon list can match sshd, and each hosts.allow rule that ends in a `deny` option.
 */
static int add_rows(const struct tcpwrap_inputs *in, const struct ha_file *allow,
                    const struct ha_file *deny, struct diagnosis *d)
{
	const struct ha_file *t[2] = {allow, deny};
	struct ha_client cl;
	struct ha_eval ev;
	char who[256], by[320], fix[320];
	size_t i, k;
	int r = SD_OK;

	memset(&cl, 0, sizeof(cl));
	cl.daemon = "sshd";
	cl.addr = "0.0.0.0";
	cl.server_port = HA_PORT_UNKNOWN;
	for (k = 0; k < 2 && r == SD_OK; k++) {
		const char *path = k ? in->deny.path : in->allow.path;

		for (i = 0; i < t[k]->n_rules && r == SD_OK; i++) {
			const struct ha_rule *ru = &t[k]->rules[i];
			const char *cp, *op = "";
			size_t cn, on = 0;
			enum ha_tri dm;

			if (ru->kind != HA_RULE)
				continue;
			cp = ru->text + ru->colon1 + 1;
			cn = (ru->colon2 == HA_NO_OPTIONS ? ru->len : ru->colon2) - ru->colon1 - 1;
			if (ru->colon2 != HA_NO_OPTIONS) {
				op = ru->text + ru->colon2 + 1;
				on = ru->len - ru->colon2 - 1;
			}
			trim(&cp, &cn);
			trim(&op, &on);
			/* hosts.allow only refuses with a deny option; a rule in either table
			 * with an allow option lets its clients in */
			if (k == 0 && !(on >= 4 && strncmp(op + on - 4, "deny", 4) == 0))
				continue;
			if (k == 1 && on >= 5 && strncmp(op + on - 5, "allow", 5) == 0)
				continue;
			ha_eval_init(&ev, &cl);
			dm = ha_list_match_daemons(&ev, ru->text, ru->colon1);
			if (dm == HA_NO)
				continue;
			snprintf(who, sizeof(who), "%.*s", (int)(cn < 200 ? cn : 200), cp);
			snprintf(by, sizeof(by), "%s: %.*s%s", k ? "hosts.deny" : "hosts.allow",
			         (int)(ru->len > 200 ? 200 : ru->len - 1), ru->text,
			         ru->denyhosts ? " (added by DenyHosts)" : "");
			snprintf(fix, sizeof(fix), "delete line %u of %s", ru->line, path);
			r = diagnosis_add_blocked(d, LAYER_TCP_WRAPPERS,
			                          ru->denyhosts ? CAUSE_DENYHOSTS_ENTRY
			                                        : CAUSE_TCP_WRAPPERS_DENY,
			                          dm == HA_YES ? SEVERITY_BLOCKER : SEVERITY_RISK,
			                          who, by, NULL, path, ru->line, fix);
		}
	}
	return r;
}

int tcpwrap_layer_evaluate(const struct tcpwrap_inputs *in, const struct conn_spec *c,
                           struct diagnosis *d)
{
	struct ha_file allow, deny;
	struct ha_client cl;
	struct ha_decision dec;
	int r = SD_OK;

	if (in->allow.unreadable || in->deny.unreadable) {
		const struct tcpwrap_table *t = in->allow.unreadable ? &in->allow : &in->deny;
		return diagnosis_set_layer(
		    d, LAYER_TCP_WRAPPERS, LAYER_UNREADABLE,
		    "cannot read %s (%s): run as root, or copy it into --root", t->path,
		    t->why ? t->why : "error");
	}
	memset(&allow, 0, sizeof(allow));
	memset(&deny, 0, sizeof(deny));
	switch (in->libwrap) {
	case TCPWRAP_LIBWRAP_YES:
		r = diagnosis_set_layer(d, LAYER_TCP_WRAPPERS, LAYER_EVALUATED,
		                        "%s links libwrap: %s and %s are consulted",
		                        in->libwrap_binary, in->allow.path, in->deny.path);
		break;
	case TCPWRAP_LIBWRAP_NO:
		r = diagnosis_set_layer(d, LAYER_TCP_WRAPPERS, LAYER_NOT_APPLICABLE,
		                        "%s does not link libwrap: %s and %s are ignored by sshd",
		                        in->libwrap_binary, in->allow.path, in->deny.path);
		break;
	case TCPWRAP_LIBWRAP_UNKNOWN:
		r = diagnosis_set_layer(d, LAYER_TCP_WRAPPERS, LAYER_EVALUATED,
		                        "sshd binary not found: assuming it links libwrap, as "
		                        "Debian's and Ubuntu's do");
		break;
	}
	if (r != 0)
		goto out;
	if (c->client.family) {
		memset(&cl, 0, sizeof(cl));
		cl.daemon = "sshd";
		cl.addr = c->client_text;
		cl.name = in->client_name;
		cl.user = NULL;
		cl.server_port = c->port ? (int)c->port : HA_PORT_UNKNOWN;
		/* one streaming pass that stops at the first match, as libwrap reads the files */
		struct ha_input ai = {in->allow.path, in->allow.data, in->allow.len};
		struct ha_input di = {in->deny.path, in->deny.data, in->deny.len};
		if ((r = hosts_access_decide_stream(in->allow.data ? &ai : NULL,
		                                    in->deny.data ? &di : NULL, &cl, &dec)) != 0)
			goto out;
		if (dec.result == HA_DENY || (dec.possible & HA_DENY)) {
			enum severity sev =
			    dec.result == HA_DENY && dec.certain ? SEVERITY_BLOCKER : SEVERITY_RISK;
			if (in->libwrap == TCPWRAP_LIBWRAP_NO) {
				struct finding *f = diagnosis_add_finding(
				    d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY, SEVERITY_INFO);
				if (!f) {
					r = SD_ERR_ALLOC;
					goto out;
				}
				f->client_sees[0] = '\0';
				r |=
				    finding_set_summary(f,
				                        "%s line %u would refuse %s, but this line "
				                        "is ignored by your sshd (no libwrap)",
				                        table_of(in, dec.rule.table)->path,
				                        dec.rule.line, c->client_text);
				if (dec.rule.table != HA_TABLE_NONE)
					r |= finding_add_evidence(
					    f, table_of(in, dec.rule.table)->path, dec.rule.line,
					    dec.rule.text);
			} else if (dec.result == HA_DENY && dec.rule.table != HA_TABLE_NONE) {
				r = add_deny_finding(in, c, &dec, sev, d);
			} else if (dec.n_uncertain) {
				/* granted unless an unknown makes an earlier rule match */
				struct ha_decision maybe = dec;
				maybe.rule = dec.uncertain[0];
				maybe.why = maybe.rule.table == HA_TABLE_DENY ? HA_WHY_DENY_RULE
				                                              : HA_WHY_OPTION_DENY;
				r = add_deny_finding(in, c, &maybe, SEVERITY_RISK, d);
			}
		}
	}
	/* lint needs every rule parsed: worth it for hand-written tables, not for a 1M-line
	 * denyhosts file (the decision above never needed that) */
	if (r == 0 && in->allow.len + in->deny.len <= TCPWRAP_LINT_MAX_BYTES) {
		if ((r = hosts_access_parse(in->allow.path, in->allow.data, in->allow.len,
		                            &allow)) == 0 &&
		    (r = hosts_access_parse(in->deny.path, in->deny.data, in->deny.len, &deny)) ==
		        0)
			r = add_lint(in, &allow, &deny, d);
		if (r == 0 && !c->client.family && in->libwrap != TCPWRAP_LIBWRAP_NO)
			r = add_rows(in, &allow, &deny, d);
	}
out:
	hosts_access_free(&allow);
	hosts_access_free(&deny);
	return r;
}
