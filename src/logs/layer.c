#include "logs/layer.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

#define TEXT_MAX (4 * LOG_KEEP_TEXT + 256)

static int addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

static int has_focus(const struct log_summary *s, const struct ip_addr *client)
{
	return client && client->family && s->has_focus && addr_eq(&s->focus, client);
}

static int add_text(struct finding *f, const struct log_summary *s, unsigned source,
                    unsigned long line, const char *text, size_t len)
{
	const char *name = log_summary_source_name(s, source);
	struct buf b;
	size_t i;
	int r;

	/* the same line twice (an episode's first line that is also the client's) */
	for (i = 0; line && i < f->nevidence; i++)
		if (f->evidence[i].line == line && f->evidence[i].source &&
		    strcmp(f->evidence[i].source, name) == 0)
			return SD_OK;
	buf_init(&b, TEXT_MAX);
	if ((r = buf_add_sanitized(&b, text, len)) == SD_OK)
		r = finding_add_evidence(f, name, line, b.data);
	buf_release(&b);
	return r;
}

static int add_slot(struct finding *f, const struct log_summary *s, const struct log_slot *sl)
{
	return add_text(f, s, sl->source, sl->line, sl->text, sl->len);
}

int logs_finding_cites_logs(const struct log_summary *s, const struct finding *f)
{
	size_t i;
	unsigned j;

	for (i = 0; i < f->nevidence; i++)
		for (j = 0; j < s->nsources; j++)
			if (f->evidence[i].source &&
			    strcmp(f->evidence[i].source, s->sources[j].name) == 0)
				return 1;
	return 0;
}

/* Timeline indexes [lo, hi] of the focus client's latest episode of `kind`; 0 if none. */
static size_t episode(const struct log_summary *s, enum log_kind kind, size_t *lo, size_t *hi)
{
	int64_t gap = (int64_t)s->o.window_gap * LOG_US, first = LOG_TS_NONE;
	size_t i, n = 0;

	for (i = s->ntl; i-- > 0;) {
		const struct log_text *t = &s->tl[i];

		if (t->kind != kind)
			continue;
		if (n && t->ts != LOG_TS_NONE && first != LOG_TS_NONE && first - t->ts > gap)
			break;
		if (!n)
			*hi = i;
		*lo = i;
		if (t->ts != LOG_TS_NONE)
			first = t->ts;
		n++;
	}
	return n;
}

int logs_cite(const struct log_summary *s, enum log_kind kind, const struct ip_addr *client,
              unsigned max_lines, struct finding *f)
{
	struct buf b;
	int r;

	buf_init(&b, 512);
	if ((r = log_summary_window_text(s, kind, client, &b)) != SD_OK)
		goto out;
	if (has_focus(s, client)) {
		size_t lo = 0, hi = 0, i, shown = 0;

		episode(s, kind, &lo, &hi);
		if ((r = finding_add_evidence(f, log_summary_source_name(s, s->tl[hi].source), 0,
		                              b.data)))
			goto out;
		/* the first line of the episode, then its latest ones */
		for (i = lo; i <= hi && shown < max_lines; i++) {
			const struct log_text *t = &s->tl[i];

			if (t->kind != kind)
				continue;
			if (i != lo && hi - i + 1 > max_lines - shown)
				continue;
			if ((r = add_text(f, s, t->source, t->line, t->text, strlen(t->text))))
				goto out;
			shown++;
		}
	} else {
		const struct log_window *w = log_summary_window(s, kind, 0);

		if ((r = finding_add_evidence(f, log_summary_source_name(s, w->last_line.source), 0,
		                              b.data)))
			goto out;
		if (max_lines >= 1 && (r = add_slot(f, s, &w->first_line)))
			goto out;
		if (max_lines >= 2 &&
		    (w->last_line.source != w->first_line.source ||
		     w->last_line.line != w->first_line.line ||
		     w->last_line.len != w->first_line.len ||
		     memcmp(w->last_line.text, w->first_line.text, w->first_line.len) != 0) &&
		    (r = add_slot(f, s, &w->last_line)))
			goto out;
	}
out:
	buf_release(&b);
	return r;
}

int logs_cite_class(const struct log_summary *s, enum log_class cls, int64_t from, int64_t to,
                    unsigned max_lines, struct finding *f)
{
	size_t i, n = 0, skip, k = 0;
	int r;

	for (i = 0; i < s->ntl; i++) {
		const struct log_text *t = &s->tl[i];

		if (t->cls == cls && (from == LOG_TS_NONE || t->ts >= from) &&
		    (to == LOG_TS_NONE || t->ts <= to))
			n++;
	}
	skip = n > max_lines ? n - max_lines : 0;
	for (i = 0; i < s->ntl; i++) {
		const struct log_text *t = &s->tl[i];

		if (t->cls != cls || (from != LOG_TS_NONE && t->ts < from) ||
		    (to != LOG_TS_NONE && t->ts > to))
			continue;
		if (k++ < skip)
			continue;
		if ((r = add_text(f, s, t->source, t->line, t->text, strlen(t->text))))
			return r;
	}
	return (int)(n - skip);
}

/* ----------------------------------------------------------------- evidence for others */

static enum log_kind kind_for_cause(enum cause_id c)
{
	switch (c) {
	case CAUSE_MAX_STARTUPS:
	case CAUSE_PER_SOURCE_MAX_STARTUPS:
		return LK_MAXSTARTUPS;
	case CAUSE_PER_SOURCE_PENALTY:
		return LK_PENALTY;
	case CAUSE_TCP_WRAPPERS_DENY:
	case CAUSE_DENYHOSTS_ENTRY:
		return LK_LIBWRAP;
	case CAUSE_REFUSE_CONNECTION:
		return LK_REFUSE_CONNECTION;
	case CAUSE_SSHD_SESSION_MISSING:
	case CAUSE_HOST_KEYS_UNUSABLE:
	case CAUSE_SSHD_CONFIG_INVALID:
		return LK_SSHD_FAILURE;
	case CAUSE_FAIL2BAN_BAN:
		return LK_FAIL2BAN;
	case CAUSE_SSHGUARD_BAN:
		return LK_SSHGUARD;
	case CAUSE_ALGORITHM_MISMATCH:
		return LK_NEGOTIATION;
	default:
		return LK_NONE;
	}
}

/* Kinds whose events are about one client: cite the client's own lines when we have them. */
static int per_client_kind(enum log_kind k)
{
	return k == LK_PENALTY || k == LK_LIBWRAP || k == LK_REFUSE_CONNECTION ||
	       k == LK_FAIL2BAN || k == LK_SSHGUARD || k == LK_NEGOTIATION;
}

/* Which of the two scopes to cite: the client's lines if it has any of the kind. */
static const struct ip_addr *scope(const struct log_summary *s, enum log_kind k,
                                   const struct conn_spec *c)
{
	struct buf b;
	int r;

	if (!has_focus(s, &c->client))
		return NULL;
	buf_init(&b, 256);
	r = log_summary_window_text(s, k, &c->client, &b);
	buf_release(&b);
	if (r == SD_OK)
		return &c->client;
	return NULL;
}

static int cite_for_others(const struct log_summary *s, const struct conn_spec *c,
                           struct diagnosis *d, int covered[LK__COUNT])
{
	size_t i;
	int r;

	for (i = 0; i < d->nfindings; i++) {
		struct finding *f = d->findings[i];
		enum log_kind k = kind_for_cause(f->cause);
		const struct ip_addr *who;

		if (f->layer == LAYER_LOGS || k == LK_NONE)
			continue;
		covered[k] = 1;
		if (logs_finding_cites_logs(s, f))
			continue;
		who = scope(s, k, c);
		if (!who && per_client_kind(k) && c->client.family)
			continue; /* nothing about this client: another client's lines prove nothing
			           */
		r = logs_cite(s, k, who, 4, f);
		if (r != SD_OK && r != SD_ERR_NOT_FOUND)
			return r;
	}
	return SD_OK;
}

/* ----------------------------------------------------------------- own findings */

static int64_t now_of(const struct log_summary *s)
{
	return s->o.clock.now;
}

static int recent(const struct log_summary *s, int64_t ts, long secs)
{
	return ts != LOG_TS_NONE && ts >= now_of(s) - (int64_t)secs * LOG_US;
}

static const char *server_text(const struct conn_spec *c, char *buf, size_t len)
{
	if (c->server.family)
		ip_addr_format(&c->server, buf, (unsigned)len);
	else
		snprintf(buf, len, "HOST");
	return buf;
}

/* What a 9.x client prints when sshd closes right after accept (a race picks the line). */
static int set_drop_sees(struct finding *f, const struct conn_spec *c)
{
	char host[64], text[256];

	server_text(c, host, sizeof(host));
	snprintf(text, sizeof(text),
	         "Connection closed by %s port %u (or: Connection reset by %s port %u)", host,
	         c->port, host, c->port);
	return finding_set_client_sees(f, text);
}

/* The latest timeline entry of a class (NULL if none). */
static const struct log_text *last_of(const struct log_summary *s, enum log_class cls)
{
	size_t i;

	for (i = s->ntl; i-- > 0;)
		if (s->tl[i].cls == cls)
			return &s->tl[i];
	return NULL;
}

/* The penalty reason on a kept line ("penalty: failed authentication"), "" if none. */
static void penalty_reason(const char *text, char *out, size_t len)
{
	const char *p = strstr(text, "penalty: ");
	size_t n;

	out[0] = '\0';
	if (!p) {
		if (strstr(text, "too many penalised addresses"))
			snprintf(out, len, "too many penalised addresses");
		return;
	}
	n = strcspn(p, "\r\n");
	snprintf(out, len, "%.*s", (int)n, p);
}

static const char *penalty_knob(const char *reason)
{
	if (strstr(reason, "without attempting"))
		return "noauth:0";
	if (strstr(reason, "failed authentication"))
		return "authfail:0";
	if (strstr(reason, "invalid user"))
		return "invaliduser:0";
	if (strstr(reason, "LoginGraceTime"))
		return "grace-exceeded:0";
	if (strstr(reason, "RefuseConnection"))
		return "refuseconnection:0";
	if (strstr(reason, "crash"))
		return "crash:0";
	return NULL;
}

static int penalty_finding(const struct log_summary *s, const struct conn_spec *c,
                           struct diagnosis *d)
{
	const struct log_text *last;
	struct finding *f;
	char span[96], reason[160], when[48];
	int restarted, live, r;
	struct buf b;
	const char *knob;
	size_t lo = 0, hi = 0, n;

	if (!has_focus(s, &c->client) || !(n = episode(s, LK_PENALTY, &lo, &hi)))
		return SD_OK;
	if (!(last = last_of(s, LC_PENALTY_DROP)))
		return SD_OK; /* penalised, but never refused: nothing the client noticed */
	restarted =
	    s->last_start != LOG_TS_NONE && last->ts != LOG_TS_NONE && s->last_start > last->ts;
	live = !restarted && recent(s, last->ts, LOGS_PENALTY_MAX);
	penalty_reason(last->text, reason, sizeof(reason));
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, CAUSE_PER_SOURCE_PENALTY,
	                               live ? SEVERITY_RISK : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	log_time_span(s->tl[lo].ts, s->tl[hi].ts, &s->o.clock, span, sizeof(span));
	r = buf_addf(&b, "sshd (PerSourcePenalties) refused %s %s%s%s", c->client_text, span,
	             reason[0] ? ": " : "", reason);
	if (!r && live)
		r = buf_addf(&b, "; the penalty may still run (sshd caps it at %ds)",
		             LOGS_PENALTY_MAX);
	if (!r && restarted) {
		log_time_format(s->last_start, &s->o.clock, LOG_TIME_FULL, when, sizeof(when));
		r = buf_addf(&b, "; sshd restarted at %s, which cleared it", when);
	}
	if (r || (r = finding_set_summary(f, "%s", b.data)) || (r = set_drop_sees(f, c)) ||
	    (r = logs_cite(s, LK_PENALTY, &c->client, 6, f)))
		goto out;
	if ((r = finding_add_fix(f,
	                         "exempt the client: PerSourcePenaltyExemptList %s in "
	                         "/etc/ssh/sshd_config, then reload sshd",
	                         c->client_text)))
		goto out;
	if ((knob = penalty_knob(reason)) &&
	    (r = finding_add_fix(f, "or stop this kind of penalty: PerSourcePenalties %s", knob)))
		goto out;
	r = finding_add_fix(f, "penalties live in sshd's memory only: restarting sshd lifts them "
	                       "at once");
out:
	buf_release(&b);
	return r;
}

static int maxstartups_finding(const struct log_summary *s, const struct conn_spec *c,
                               struct diagnosis *d)
{
	const struct log_window *w = log_summary_window(s, LK_MAXSTARTUPS, 0);
	const struct log_client *cl;
	struct finding *f;
	struct buf b;
	int r, live;

	if (!w || !log_window_count(w))
		return SD_OK;
	live = recent(s, w->last, LOGS_RECENT);
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, CAUSE_MAX_STARTUPS,
	                               live ? SEVERITY_RISK : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	if ((r = log_summary_window_text(s, LK_MAXSTARTUPS, NULL, &b)) ||
	    (r = buf_adds(&b, ": sshd refused new connections while too many were "
	                      "unauthenticated (MaxStartups, or PerSourceMaxStartups: the log line "
	                      "is the same)")))
		goto out;
	if (c->client.family && (cl = log_summary_client(s, &c->client)) &&
	    cl->count[LC_MAXSTARTUPS_DROP] &&
	    (r = buf_addf(&b, "; the log shows %u drop%s of %s", cl->count[LC_MAXSTARTUPS_DROP],
	                  cl->count[LC_MAXSTARTUPS_DROP] == 1 ? "" : "s", c->client_text)))
		goto out;
	if ((r = finding_set_summary(f, "%s", b.data)) || (r = set_drop_sees(f, c)) ||
	    (r = logs_cite(s, LK_MAXSTARTUPS, NULL, 2, f)))
		goto out;
	if (has_focus(s, &c->client) && last_of(s, LC_MAXSTARTUPS_DROP) &&
	    (r = logs_cite_class(s, LC_MAXSTARTUPS_DROP, LOG_TS_NONE, LOG_TS_NONE, 3, f)) < 0)
		goto out;
	if ((r = finding_add_fix(f, "raise the limit in /etc/ssh/sshd_config, e.g. MaxStartups "
	                            "100:30:200, then reload sshd")) ||
	    (r = finding_add_fix(f, "free the slots sooner: LoginGraceTime 30 (never 0)")) ||
	    (r = finding_add_fix(f,
	                         "find what holds unauthenticated connections: the sshd "
	                         "listener's title shows 'N of B-F startups' (ps -eo args | grep "
	                         "'sshd.*listener')")))
		goto out;
out:
	buf_release(&b);
	return r < 0 ? r : SD_OK;
}

/* libwrap refusals of the client, when no tcp_wrappers finding explained them. */
static int libwrap_finding(const struct log_summary *s, const struct conn_spec *c,
                           struct diagnosis *d)
{
	const struct log_text *last;
	struct finding *f;
	struct buf b;
	int r, live;
	enum layer_status tw = d->layers[LAYER_TCP_WRAPPERS].status;

	if (!has_focus(s, &c->client) || !(last = last_of(s, LC_LIBWRAP_REFUSED)))
		return SD_OK;
	live = recent(s, last->ts, LOGS_RECENT) && tw != LAYER_EVALUATED;
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, CAUSE_TCP_WRAPPERS_DENY,
	                               live ? SEVERITY_RISK : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	if ((r = buf_addf(&b, "TCP wrappers (libwrap) refused %s: ", c->client_text)) ||
	    (r = log_summary_window_text(s, LK_LIBWRAP, &c->client, &b)) ||
	    (r = buf_adds(&b,
	                  tw == LAYER_EVALUATED
	                      ? " (hosts.allow/hosts.deny have changed since: they allow it now)"
	                      : " (hosts.allow/hosts.deny were not evaluated)")) ||
	    (r = finding_set_summary(f, "%s", b.data)) ||
	    (r = logs_cite(s, LK_LIBWRAP, &c->client, 4, f)) ||
	    (r = finding_add_fix(f,
	                         "find the rule: the first line of /etc/hosts.allow, then of "
	                         "/etc/hosts.deny, that matches daemon sshd and %s",
	                         c->client_text)))
		goto out;
out:
	buf_release(&b);
	return r;
}

static int refuse_finding(const struct log_summary *s, const struct conn_spec *c,
                          struct diagnosis *d)
{
	const struct log_text *last;
	struct finding *f;
	struct buf b;
	int r, live;

	if (!has_focus(s, &c->client) || !(last = last_of(s, LC_REFUSE_CONNECTION)))
		return SD_OK;
	live = recent(s, last->ts, LOGS_RECENT) &&
	       d->layers[LAYER_SSHD_ADMISSION].status != LAYER_EVALUATED;
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, CAUSE_REFUSE_CONNECTION,
	                               live ? SEVERITY_RISK : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	if ((r = buf_addf(&b, "sshd's RefuseConnection refused %s: ", c->client_text)) ||
	    (r = log_summary_window_text(s, LK_REFUSE_CONNECTION, &c->client, &b)) ||
	    (r = finding_set_summary(f, "%s", b.data)) ||
	    (r = logs_cite(s, LK_REFUSE_CONNECTION, &c->client, 4, f)) ||
	    (r = finding_add_fix(f,
	                         "find the Match block that sets RefuseConnection yes for this "
	                         "client: sshd -T -C user=USER,addr=%s | grep -i refuseconnection",
	                         c->client_text)))
		goto out;
out:
	buf_release(&b);
	return r;
}

static enum cause_id failure_cause(const char *text)
{
	if (strstr(text, "rexec of ") || strstr(text, "does not exist or is not executable"))
		return CAUSE_SSHD_SESSION_MISSING;
	if (strstr(text, "hostkeys") || strstr(text, "host key"))
		return CAUSE_HOST_KEYS_UNUSABLE;
	if (strstr(text, "Bad configuration") || strstr(text, "bad configuration") ||
	    strstr(text, "Unsupported option") || strstr(text, "terminating, "))
		return CAUSE_SSHD_CONFIG_INVALID;
	return CAUSE__COUNT;
}

static int failure_finding(const struct log_summary *s, const struct conn_spec *c,
                           struct diagnosis *d)
{
	const struct log_window *w = log_summary_window(s, LK_SSHD_FAILURE, 0);
	enum cause_id cause;
	struct finding *f;
	struct buf b;
	int r, live;

	if (!w)
		return SD_OK;
	cause = failure_cause(w->last_line.text);
	if (cause == CAUSE__COUNT)
		cause = failure_cause(w->first_line.text);
	if (cause == CAUSE__COUNT)
		return SD_OK; /* a failure the other layers have no name for: timeline only */
	live = recent(s, w->last, LOGS_RECENT) &&
	       (s->last_start == LOG_TS_NONE || s->last_start <= w->last);
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, cause,
	                               live ? SEVERITY_RISK : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	if ((r = buf_adds(&b, "sshd logged ")) ||
	    (r = log_summary_window_text(s, LK_SSHD_FAILURE, NULL, &b)) ||
	    (r = buf_adds(&b, live ? " (new connections die before the banner)"
	                           : " (not since the last restart, or not recently)")) ||
	    (r = finding_set_summary(f, "%s", b.data)) || (r = set_drop_sees(f, c)) ||
	    (r = logs_cite(s, LK_SSHD_FAILURE, NULL, 2, f)))
		goto out;
	if (cause == CAUSE_SSHD_SESSION_MISSING)
		r = finding_add_fix(f, "reinstall or restore the binary the line names, or restart "
		                       "sshd so the listener matches the installed package");
	else if (cause == CAUSE_HOST_KEYS_UNUSABLE)
		r = finding_add_fix(f, "restore the host keys (ssh-keygen -A) with mode 0600, then "
		                       "restart sshd");
	else
		r = finding_add_fix(f,
		                    "check the configuration with sshd -t, fix what it names, then "
		                    "restart sshd");
out:
	buf_release(&b);
	return r;
}

static int negotiation_finding(const struct log_summary *s, const struct conn_spec *c,
                               struct diagnosis *d)
{
	const struct log_text *last;
	struct finding *f;
	struct buf b;
	int r;

	if (!has_focus(s, &c->client) || !(last = last_of(s, LC_NEGOTIATION_FAILED)))
		return SD_OK;
	if ((f = diagnosis_add_finding(d, LAYER_LOGS, CAUSE_ALGORITHM_MISMATCH,
	                               recent(s, last->ts, LOGS_RECENT) ? SEVERITY_RISK
	                                                                : SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, 1024);
	if ((r = buf_addf(&b, "sshd and %s share no algorithm: ", c->client_text)) ||
	    (r = log_summary_window_text(s, LK_NEGOTIATION, &c->client, &b)) ||
	    (r = finding_set_summary(f, "%s", b.data)) ||
	    (r = finding_set_client_sees(f, "Unable to negotiate with HOST port N: no matching "
	                                    "... found. Their offer: ...")) ||
	    (r = logs_cite(s, LK_NEGOTIATION, &c->client, 3, f)) ||
	    (r = finding_add_fix(f, "compare the offer in the line with sshd -T's kexalgorithms, "
	                            "ciphers, macs and hostkeyalgorithms; enable a common one on "
	                            "one side")))
		goto out;
out:
	buf_release(&b);
	return r;
}

/* "read /var/log/auth.log, journal (12345 lines); 192.0.2.10: 2 invalid_user, …" */
static int layer_note(const struct log_summary *s, const struct conn_spec *c, struct buf *b)
{
	const struct log_client *cl;
	unsigned i, nread = 0, shown = 0;
	int r = SD_OK, first = 1;

	for (i = 0; i < s->nsources; i++)
		if (s->sources[i].state == LOG_SOURCE_READ ||
		    s->sources[i].state == LOG_SOURCE_PARTIAL)
			nread++;
	if ((r = buf_adds(b, "read ")))
		return r;
	for (i = 0; i < s->nsources && !r; i++) {
		const struct log_source *src = &s->sources[i];

		if (src->state != LOG_SOURCE_READ && src->state != LOG_SOURCE_PARTIAL)
			continue;
		if (shown++ == 4) {
			r = buf_addf(b, ", and %u more", nread - 4);
			break;
		}
		r = buf_addf(b, "%s%s%s", shown > 1 ? ", " : "", src->name,
		             src->state == LOG_SOURCE_PARTIAL ? " (partly)" : "");
	}
	if (!r)
		r = buf_addf(b, " (%llu lines, %llu sshd/ban events)", (unsigned long long)s->lines,
		             (unsigned long long)s->events);
	for (i = 0; i < s->nsources && !r; i++) {
		const struct log_source *src = &s->sources[i];

		if (src->state == LOG_SOURCE_UNREADABLE)
			r = buf_addf(b, "; could not read %s%s%s", src->name, src->why ? ": " : "",
			             src->why ? src->why : "");
	}
	if (r || !c->client.family)
		return r;
	if (!(cl = log_summary_client(s, &c->client)))
		return buf_addf(b, "; nothing about %s", c->client_text);
	if ((r = buf_addf(b, "; %s: %u events", c->client_text, cl->events)))
		return r;
	for (i = 1; i < LC__COUNT && !r; i++) {
		if (!cl->count[i])
			continue;
		r = buf_addf(b, "%s%u %s", first ? " (" : ", ", cl->count[i],
		             log_class_name((enum log_class)i));
		first = 0;
	}
	if (!r && !first)
		r = buf_adds(b, ")");
	if (!r && cl->last != LOG_TS_NONE) {
		char when[48];

		log_time_format(cl->last, &s->o.clock, LOG_TIME_FULL, when, sizeof(when));
		r = buf_addf(b, ", last at %s", when);
	}
	return r;
}

/* Without a client: the recent pressure on sshd's admission limits, on their table rows. */
static int pressure_rows(const struct log_summary *s, struct diagnosis *d)
{
	static const struct {
		enum log_kind kind;
		const char *who;
	} k[] = {{LK_MAXSTARTUPS, BLOCKED_WHO_BUSY}, {LK_PENALTY, BLOCKED_WHO_PENALIZED}};
	struct blocked_row *row;
	struct buf b;
	size_t i;
	int r = SD_OK;

	buf_init(&b, 4096);
	for (i = 0; i < sizeof(k) / sizeof(k[0]) && r == SD_OK; i++) {
		const struct log_window *w = log_summary_window(s, k[i].kind, 0);

		if (!w || !log_window_count(w) ||
		    !(row = diagnosis_find_blocked(d, LAYER_SSHD_ADMISSION, k[i].who)))
			continue;
		buf_reset(&b);
		if ((r = buf_adds(&b, "logs: ")) == SD_OK &&
		    (r = log_summary_window_text(s, k[i].kind, NULL, &b)) == SD_OK)
			r = blocked_row_append(row, b.data);
	}
	buf_release(&b);
	return r;
}

int logs_layer_evaluate(const struct log_summary *s, const struct conn_spec *c, struct diagnosis *d)
{
	int covered[LK__COUNT] = {0}, r;
	struct buf b;
	unsigned i;

	buf_init(&b, 8192);
	if (!log_summary_any_read(s)) {
		int any = 0;

		r = buf_adds(&b, "no log could be read");
		for (i = 0; i < s->nsources && !r; i++) {
			if (s->sources[i].state == LOG_SOURCE_MISSING)
				continue;
			r = buf_addf(&b, "%s%s%s%s", any ? "; " : ": ", s->sources[i].name,
			             s->sources[i].why ? ": " : "",
			             s->sources[i].why ? s->sources[i].why : "");
			any = 1;
		}
		if (!r)
			r = buf_adds(&b,
			             any ? "" : " (none found: pass --log FILE or --journal DIR)");
		if (!r)
			r = diagnosis_set_layer(d, LAYER_LOGS, LAYER_UNREADABLE, "%s", b.data);
		buf_release(&b);
		return r;
	}
	if ((r = cite_for_others(s, c, d, covered)))
		goto out;
	if (!covered[LK_PENALTY] && (r = penalty_finding(s, c, d)))
		goto out;
	if (!covered[LK_MAXSTARTUPS] && (r = maxstartups_finding(s, c, d)))
		goto out;
	if (!covered[LK_LIBWRAP] && (r = libwrap_finding(s, c, d)))
		goto out;
	if (!covered[LK_REFUSE_CONNECTION] && (r = refuse_finding(s, c, d)))
		goto out;
	if (!covered[LK_SSHD_FAILURE] && (r = failure_finding(s, c, d)))
		goto out;
	if (!covered[LK_NEGOTIATION] && (r = negotiation_finding(s, c, d)))
		goto out;
	if (!c->client.family && (r = pressure_rows(s, d)))
		goto out;
	if ((r = layer_note(s, c, &b)))
		goto out;
	r = diagnosis_set_layer(d, LAYER_LOGS, LAYER_EVALUATED, "%s", b.data);
out:
	buf_release(&b);
	return r;
}
