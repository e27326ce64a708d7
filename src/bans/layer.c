#include "bans/layer.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bans/denyhosts.h"
#include "bans/sshguard.h"
#include "base/buf.h"
#include "base/err.h"
#include "logs/layer.h"

#define LIST_MAX 20 /* addresses listed as evidence without a client */

struct ctx {
	const struct bans_inputs *in;
	const struct conn_spec *c;
	struct diagnosis *d;
	struct buf note;   /* the layer note */
	struct buf unread; /* what could not be read */
	int present;       /* some tool installed */
	int blocker;       /* a blocker was found */
};

static int64_t now_us(const struct ctx *x)
{
	return x->in->clock.now;
}

/*
 * Seconds (a database row's, a jail's setting) as microseconds, and the end of a ban; both
 * saturate: the numbers are not trusted to stay in range (a bantime of "999999999999y").
 */
static int64_t secs_us(long long secs)
{
	int64_t us;

	if (__builtin_mul_overflow(secs, LOG_US, &us))
		return secs < 0 ? LOG_TS_NONE + 1 : INT64_MAX;
	return us == LOG_TS_NONE ? LOG_TS_NONE + 1 : us;
}

static int64_t ban_end_us(long long timeofban, long long bantime)
{
	long long end;

	if (__builtin_add_overflow(timeofban, bantime, &end))
		end = bantime < 0 ? LLONG_MIN : LLONG_MAX;
	return secs_us(end);
}

/* t - secs (microseconds), saturating. */
static int64_t before_us(int64_t t, long long secs)
{
	int64_t r;

	if (__builtin_sub_overflow(t, secs_us(secs), &r))
		return secs < 0 ? INT64_MAX : LOG_TS_NONE + 1;
	return r == LOG_TS_NONE ? LOG_TS_NONE + 1 : r;
}

/* t + secs (microseconds), saturating. */
static int64_t after_us(int64_t t, long long secs)
{
	int64_t r;

	if (__builtin_add_overflow(t, secs_us(secs), &r))
		return secs < 0 ? LOG_TS_NONE + 1 : INT64_MAX;
	return r == LOG_TS_NONE ? LOG_TS_NONE + 1 : r;
}

static void fmt_time(const struct ctx *x, int64_t us, char *buf, size_t len)
{
	log_time_format(us, &x->in->clock, LOG_TIME_FULL, buf, len);
}

static int note(struct ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct ctx *x, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (x->note.len && (r = buf_adds(&x->note, "; ")))
		return r;
	va_start(ap, fmt);
	r = buf_vaddf(&x->note, fmt, ap);
	va_end(ap);
	return r;
}

static int unreadable(struct ctx *x, const char *what, const char *why)
{
	int r;

	if (x->unread.len && (r = buf_adds(&x->unread, "; ")))
		return r;
	return buf_addf(&x->unread, "%s%s%s", what, why ? ": " : "", why ? why : "");
}

static int evidence_clean(struct finding *f, const char *source, unsigned long line,
                          const char *text)
{
	struct buf b;
	int r;

	buf_init(&b, 8192);
	if ((r = buf_add_sanitized(&b, text, strlen(text))) == SD_OK)
		r = finding_add_evidence(f, source, line, b.data);
	buf_release(&b);
	return r;
}

/* The firewall finding whose owner is `tool` (and `detail`, e.g. the jail), or NULL. */
static struct finding *firewall_owned(const struct diagnosis *d, const char *tool,
                                      const char *detail)
{
	char want[160];
	size_t i, j, wl;

	if (detail && *detail)
		snprintf(want, sizeof(want), "owner: %s jail %s ", tool, detail);
	else
		snprintf(want, sizeof(want), "owner: %s", tool);
	wl = strlen(want);
	for (i = 0; i < d->nfindings; i++) {
		struct finding *f = d->findings[i];

		if (f->layer != LAYER_FIREWALL)
			continue;
		for (j = 0; j < f->nevidence; j++)
			if (f->evidence[j].text && strncmp(f->evidence[j].text, want, wl) == 0)
				return f;
	}
	return NULL;
}

/* Copies the firewall finding's evidence (the rule path, the set element). */
static int cite_firewall(struct finding *f, const struct finding *fw)
{
	size_t i;
	int r;

	for (i = 0; i < fw->nevidence; i++)
		if ((r = finding_add_evidence(f, fw->evidence[i].source, fw->evidence[i].line,
		                              fw->evidence[i].text)))
			return r;
	return SD_OK;
}

/* The focus client's log lines of the classes that feed a ban, in [from, to]. */
static int cite_failures(const struct ctx *x, struct finding *f, int64_t from, int64_t to,
                         unsigned max)
{
	static const enum log_class fails[] = {
	    LC_INVALID_USER,    LC_AUTH_FAILED, LC_MAX_AUTH_TRIES, LC_USER_NOT_ALLOWED,
	    LC_LIBWRAP_REFUSED, LC_NO_IDENT,    LC_BAD_IDENT,      LC_NEGOTIATION_FAILED};
	const struct log_summary *s = x->in->logs;
	size_t i, k, n = 0, skip;
	int r;

	if (!s || !s->has_focus)
		return SD_OK;
	for (i = 0; i < s->ntl; i++)
		for (k = 0; k < sizeof(fails) / sizeof(fails[0]); k++)
			if (s->tl[i].cls == fails[k] && s->tl[i].ts >= from && s->tl[i].ts <= to)
				n++;
	skip = n > max ? n - max : 0;
	for (i = 0; i < s->ntl; i++) {
		const struct log_text *t = &s->tl[i];

		for (k = 0; k < sizeof(fails) / sizeof(fails[0]); k++)
			if (t->cls == fails[k])
				break;
		if (k == sizeof(fails) / sizeof(fails[0]) || t->ts < from || t->ts > to)
			continue;
		if (skip) {
			skip--;
			continue;
		}
		if ((r = evidence_clean(f, log_summary_source_name(s, t->source), t->line,
		                        t->text)))
			return r;
	}
	return SD_OK;
}

/* The number of failures of the focus client in [from, to] that fail2ban's filter counts. */
static size_t count_failures(const struct ctx *x, int64_t from, int64_t to)
{
	const struct log_summary *s = x->in->logs;
	size_t i, n = 0;

	if (!s || !s->has_focus)
		return 0;
	for (i = 0; i < s->ntl; i++)
		if ((log_class_flags(s->tl[i].cls) & LCF_F2B) && s->tl[i].ts >= from &&
		    s->tl[i].ts <= to)
			n++;
	return n;
}

/* The client's latest log line of a class in [from, to], NULL. */
static const struct log_text *last_line(const struct ctx *x, enum log_class cls, int64_t from,
                                        int64_t to)
{
	const struct log_summary *s = x->in->logs;
	size_t i;

	if (!s || !s->has_focus)
		return NULL;
	for (i = s->ntl; i-- > 0;)
		if (s->tl[i].cls == cls && s->tl[i].ts >= from && s->tl[i].ts <= to)
			return &s->tl[i];
	return NULL;
}

/* ----------------------------------------------------------------- fail2ban */

/* The client's last line for a ban whose action gives `what` (f2b_client_sees()). */
static int set_sees(struct finding *f, const struct conn_spec *c, const char *what)
{
	char host[64], text[256];

	if (c->server.family)
		ip_addr_format(&c->server, host, sizeof(host));
	else
		snprintf(host, sizeof(host), "HOST");
	if (strcmp(what, "reset") == 0)
		snprintf(text, sizeof(text), "Connection reset by %s port %u", host, c->port);
	else
		snprintf(text, sizeof(text), "ssh: connect to host %s port %u: %s", host, c->port,
		         what);
	return finding_set_client_sees(f, text);
}

static int setting_evidence(struct finding *f, const struct f2b_jail *j, const char *key,
                            const struct f2b_origin *o, const char *value)
{
	char text[512];

	snprintf(text, sizeof(text), "[%s] %s = %s%s", j->name, key, value,
	         o->file ? "" : " (fail2ban's default)");
	return evidence_clean(f, o->file ? o->file : "fail2ban", o->file ? o->line : 0, text);
}

static int jail_evidence(struct finding *f, const struct f2b_jail *j)
{
	char v[64];
	int r;

	log_duration_format(j->bantime, v, sizeof(v));
	if ((r = setting_evidence(f, j, "bantime", &j->o_bantime, v)))
		return r;
	log_duration_format(j->findtime, v, sizeof(v));
	if ((r = setting_evidence(f, j, "findtime", &j->o_findtime, v)))
		return r;
	snprintf(v, sizeof(v), "%ld", j->maxretry);
	if ((r = setting_evidence(f, j, "maxretry", &j->o_maxretry, v)))
		return r;
	if (j->banaction &&
	    (r = setting_evidence(f, j, "banaction", &j->o_banaction, j->banaction)))
		return r;
	if (j->increment &&
	    (r = setting_evidence(f, j, "bantime.increment", &j->o_increment, "true")))
		return r;
	return SD_OK;
}

/* "ignoreip = 127.0.0.1/8 ::1 ADDR" keeping what is configured. */
static int ignoreip_fix(struct finding *f, const struct f2b_jail *j, const struct conn_spec *c,
                        const char *confdir)
{
	const char *cur = j->ignoreip && *j->ignoreip ? j->ignoreip : "127.0.0.1/8 ::1";
	struct buf b;
	size_t i;
	int r;

	buf_init(&b, 4096);
	for (i = 0; cur[i] && !buf_addch(&b, cur[i] == '\n' ? ' ' : cur[i]); i++)
		;
	r = finding_add_fix(f,
	                    "keep %s from being banned again: in %s/jail.local, section "
	                    "[%s]: ignoreip = %s %s — then fail2ban-client reload",
	                    c->client_text, confdir, j->name, b.data, c->client_text);
	buf_release(&b);
	return r;
}

static const struct f2b_ban *latest_row(const struct f2b_ban *v, size_t n, const char *ip,
                                        const char *jail, int active_only, long long now)
{
	const struct f2b_ban *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].ip, ip) != 0 || (jail && strcmp(v[i].jail, jail) != 0))
			continue;
		if (active_only && !f2b_ban_active(&v[i], now))
			continue;
		if (!best || v[i].timeofban > best->timeofban)
			best = &v[i];
	}
	return best;
}

static int row_evidence(struct finding *f, const struct ctx *x, const char *table,
                        const struct f2b_ban *b)
{
	char text[512], start[48], end[48], dur[48];

	fmt_time(x, secs_us(b->timeofban), start, sizeof(start));
	if (b->bantime < 0)
		snprintf(end, sizeof(end), "never");
	else
		fmt_time(x, ban_end_us(b->timeofban, b->bantime), end, sizeof(end));
	log_duration_format(b->bantime, dur, sizeof(dur));
	snprintf(
	    text, sizeof(text),
	    "%s: jail %s, ip %s, timeofban %lld (%s), bantime %lld (%s, ends %s), bancount %lld",
	    table, b->jail, b->ip, b->timeofban, start, b->bantime, dur, end, b->bancount);
	return evidence_clean(f, x->in->f2b.db_path ? x->in->f2b.db_path : "fail2ban database", 0,
	                      text);
}

static int matches_evidence(struct finding *f, const struct ctx *x, char *const *lines, size_t n)
{
	size_t i;
	int r = SD_OK;

	for (i = 0; i < n && !r; i++) {
		struct buf t;

		buf_init(&t, 8192);
		if (!(r = buf_adds(&t, "stored match: ")) &&
		    !(r = buf_add_sanitized(&t, lines[i], strlen(lines[i]))))
			r = finding_add_evidence(
			    f, x->in->f2b.db_path ? x->in->f2b.db_path : "fail2ban database", 0,
			    t.data);
		buf_release(&t);
	}
	return r;
}

/*
 * What the failures fail2ban stored were, grouped: "2x invalid user labuser, 1x failed
 * password for root".  Lines that do not classify count as "other".
 */
static int describe_matches(const struct ctx *x, char *const *lines, size_t n, struct buf *out)
{
	struct group {
		char what[96];
		unsigned n;
	} g[4];
	size_t ng = 0, i, k, other = 0;
	int r = SD_OK;

	for (i = 0; i < n; i++) {
		struct log_event ev;
		char what[96];
		enum log_class cls =
		    log_parse_line(lines[i], strlen(lines[i]), &x->in->clock, NULL, 0, &ev);

		if (cls == LC_INVALID_USER)
			snprintf(what, sizeof(what), "invalid user %.*s", (int)ev.user.len,
			         ev.user.p ? ev.user.p : "");
		else if (cls == LC_AUTH_FAILED)
			snprintf(what, sizeof(what), "failed %.*s for %s%.*s", (int)ev.detail.len,
			         ev.detail.p ? ev.detail.p : "",
			         ev.invalid_user ? "invalid user " : "", (int)ev.user.len,
			         ev.user.p ? ev.user.p : "");
		else if (cls != LC_NONE)
			snprintf(what, sizeof(what), "%s", log_class_name(cls));
		else {
			other++;
			continue;
		}
		for (k = 0; k < ng && strcmp(g[k].what, what) != 0; k++)
			;
		if (k == ng && ng == sizeof(g) / sizeof(g[0])) {
			other++;
			continue;
		}
		if (k == ng) {
			snprintf(g[ng].what, sizeof(g[ng].what), "%s", what);
			g[ng++].n = 0;
		}
		g[k].n++;
	}
	for (k = 0; k < ng && !r; k++)
		r = buf_addf(out, "%s%ux %s", k ? ", " : "", g[k].n, g[k].what);
	if (!r && other)
		r = buf_addf(out, "%s%zu other", ng ? ", " : "", other);
	return r;
}

static int f2b_client(struct ctx *x, const struct f2b_jail *j)
{
	const struct f2b_inputs *fi = &x->in->f2b;
	const struct conn_spec *c = x->c;
	const char *ip = c->client_text;
	long long now = now_us(x) / LOG_US, failures = -1;
	const struct f2b_ban *active, *last;
	struct finding *fw = firewall_owned(x->d, "fail2ban", j->name);
	char **mlines = NULL;
	size_t nm = 0;
	struct f2b_status st;
	struct f2b_banip bi;
	int listed = 0, have_bi = 0, ignored, names, r = SD_OK, confirmed;
	int64_t start, end;
	char entry[128], s1[48], s2[48], dur[48];
	struct finding *f;
	struct buf b;
	const struct log_text *banline;
	size_t nfail;

	memset(&st, 0, sizeof(st));
	if (fi->status_text) {
		if ((r = f2b_status_parse(fi->status_text, strlen(fi->status_text), &st)))
			return r;
		listed = st.valid && f2b_status_lists(&st, ip);
	}
	if (fi->banip_text &&
	    f2b_banip_find(fi->banip_text, strlen(fi->banip_text), ip, &x->in->clock, &bi) == SD_OK)
		have_bi = 1;
	active = latest_row(fi->bips, fi->nbips, ip, j->name, 1, now);
	if (!active)
		active = latest_row(fi->bans, fi->nbans, ip, j->name, 1, now);
	last = latest_row(fi->bans, fi->nbans, ip, NULL, 0, now);
	if (!last)
		last = latest_row(fi->bips, fi->nbips, ip, NULL, 0, now);
	ignored = f2b_ignoreip_match(j->ignoreip, &c->client, entry, sizeof(entry), &names);
	if (ignored && (r = note(x, "%s is in ignoreip (%s) of jail %s: fail2ban never bans it", ip,
	                         entry, j->name)))
		goto out;

	if (!(listed || have_bi || active || fw)) {
		/* not banned now: earlier bans, failures that may ban it */
		if (last) {
			if ((f = diagnosis_add_finding(x->d, LAYER_BANS, CAUSE_FAIL2BAN_BAN,
			                               SEVERITY_INFO)) == NULL) {
				r = SD_ERR_ALLOC;
				goto out;
			}
			fmt_time(x, secs_us(last->timeofban), s1, sizeof(s1));
			fmt_time(x, ban_end_us(last->timeofban, last->bantime), s2, sizeof(s2));
			if ((r = finding_set_summary(
			         f,
			         "fail2ban (jail %s) banned %s before: %lld ban%s, the "
			         "last from %s to %s — not banned now",
			         last->jail, ip, last->bancount, last->bancount == 1 ? "" : "s", s1,
			         s2)) ||
			    (r = set_sees(f, c, f2b_client_sees(j))) ||
			    (r = row_evidence(f, x, "bans", last)))
				goto out;
			if (j->increment && !ignored) {
				long long next = f2b_next_bantime(j, last->bancount);

				log_duration_format(next, dur, sizeof(dur));
				if ((r = finding_add_fix(
				         f,
				         "bantime.increment is on: a next ban would last "
				         "%s",
				         next == -2 ? "(custom formula)" : dur)))
					goto out;
			}
			if (!ignored && (r = ignoreip_fix(f, j, c,
			                                  x->in->f2b.confdir ? x->in->f2b.confdir
			                                                     : "/etc/fail2ban")))
				goto out;
		}
		nfail = count_failures(x, before_us(now_us(x), j->findtime), now_us(x));
		/* a warning only while a server counts them */
		if (nfail && j->enabled && !ignored && (long)nfail < j->maxretry &&
		    fi->running != 0) {
			if ((f = diagnosis_add_finding(x->d, LAYER_BANS, CAUSE_FAIL2BAN_BAN,
			                               SEVERITY_INFO)) == NULL) {
				r = SD_ERR_ALLOC;
				goto out;
			}
			log_duration_format(j->findtime, dur, sizeof(dur));
			if ((r = finding_set_summary(
			         f,
			         "%s has %zu failure%s fail2ban counts in the last %s; "
			         "%ld more within findtime bans it (jail %s, "
			         "maxretry %ld)",
			         ip, nfail, nfail == 1 ? "" : "s", dur, j->maxretry - (long)nfail,
			         j->name, j->maxretry)) ||
			    (r = set_sees(f, c, f2b_client_sees(j))) ||
			    (r = cite_failures(x, f, before_us(now_us(x), j->findtime), now_us(x),
			                       10)) ||
			    (r = jail_evidence(f, j)) ||
			    (r = ignoreip_fix(f, j, c,
			                      x->in->f2b.confdir ? x->in->f2b.confdir
			                                         : "/etc/fail2ban")))
				goto out;
		}
		goto out;
	}

	/* banned now (or the database says so) */
	start = LOG_TS_NONE;
	end = LOG_TS_NONE;
	if (have_bi) {
		start = bi.start;
		end = bi.bantime < 0 ? LOG_TS_NONE : bi.end;
	} else if (active) {
		start = secs_us(active->timeofban);
		end = active->bantime < 0 ? LOG_TS_NONE
		                          : ban_end_us(active->timeofban, active->bantime);
	}
	banline = last_line(x, LC_F2B_BAN, LOG_TS_NONE + 1, INT64_MAX);
	if (start == LOG_TS_NONE && banline)
		start = banline->ts;
	confirmed = listed || have_bi || fw;
	if (fi->running == 0 && !fw)
		confirmed = 0;
	if ((f = diagnosis_add_finding(x->d, LAYER_BANS, CAUSE_FAIL2BAN_BAN,
	                               confirmed ? SEVERITY_BLOCKER : SEVERITY_RISK)) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	if (confirmed)
		x->blocker = 1;
	if (fw)
		fw->enforces = f;
	buf_init(&b, 4096);
	fmt_time(x, start, s1, sizeof(s1));
	if ((r = buf_addf(&b, "fail2ban (jail %s) banned %s at %s", j->name, ip, s1)))
		goto outb;
	if (end != LOG_TS_NONE) {
		fmt_time(x, end, s2, sizeof(s2));
		log_duration_format(end / LOG_US - start / LOG_US, dur, sizeof(dur));
		r = buf_addf(&b, " until %s (%s)", s2, dur);
	} else if ((active && active->bantime < 0) || (have_bi && bi.bantime < 0)) {
		r = buf_adds(&b, " for good (bantime -1)");
	}
	if (!r && active && active->bancount > 1)
		r = buf_addf(&b, ", ban #%lld", active->bancount);
	/* the failures fail2ban stored with the ban: read once, for the summary and evidence */
	if (!r && active && active->data)
		r = f2b_ban_matches(active->data, &mlines, &nm, &failures);
	if (!r && failures > 0) {
		r = buf_addf(&b, ", after %lld failure%s (", failures, failures == 1 ? "" : "s");
		if (!r && (r = describe_matches(x, mlines, nm, &b)) == SD_OK &&
		    b.data[b.len - 1] != '(')
			r = buf_adds(&b, "; ");
		if (!r)
			r = buf_addf(&b, "maxretry %ld within %s)", j->maxretry,
			             (log_duration_format(j->findtime, dur, sizeof(dur)), dur));
	}
	if (!r && fw)
		r = buf_addf(&b, "; enforced by %s", fw->summary ? fw->summary : "a firewall rule");
	else if (!r && !listed && !have_bi)
		r = buf_adds(&b,
		             fi->running == 0
		                 ? "; fail2ban is not running: it re-applies the ban when it starts"
		                 : "; only the database says so (no fail2ban rule for it was found "
		                   "in the firewall)");
	if (r || (r = finding_set_summary(f, "%s", b.data)))
		goto outb;
	if ((r = fw && fw->client_sees ? finding_set_client_sees(f, fw->client_sees)
	                               : set_sees(f, c, f2b_client_sees(j))))
		goto outb;
	/* evidence: the server's answer, the database, the logs, the firewall, the settings */
	if (listed) {
		buf_reset(&b);
		if ((r = buf_addf(&b, "Banned IP list: %s", st.banned)) ||
		    (r = evidence_clean(f, "fail2ban-client status", 0, b.data)))
			goto outb;
	}
	if (have_bi) {
		const char *p = strstr(fi->banip_text, ip);
		size_t n = p ? strcspn(p, "\n") : 0;

		buf_reset(&b);
		if ((r = buf_add(&b, p ? p : "", n)) ||
		    (r = evidence_clean(f, "fail2ban-client get banip --with-time", 0, b.data)))
			goto outb;
	}
	if (active && (r = row_evidence(f, x, "bips", active)))
		goto outb;
	if ((r = matches_evidence(f, x, mlines, nm)))
		goto outb;
	if (x->in->logs && start != LOG_TS_NONE) {
		int64_t from = before_us(before_us(start, j->findtime), 5);

		if ((r = cite_failures(x, f, from, after_us(start, 5), (unsigned)j->maxretry + 5)))
			goto outb;
		if (banline &&
		    (r = evidence_clean(f, log_summary_source_name(x->in->logs, banline->source),
		                        banline->line, banline->text)))
			goto outb;
	}
	if (fw && (r = cite_firewall(f, fw)))
		goto outb;
	if ((r = jail_evidence(f, j)))
		goto outb;
	/* fixes */
	if ((r = finding_add_fix(f, "fail2ban-client set %s unbanip %s", j->name, ip)))
		goto outb;
	if (!ignored &&
	    (r = ignoreip_fix(f, j, c, x->in->f2b.confdir ? x->in->f2b.confdir : "/etc/fail2ban")))
		goto outb;
	if (j->increment && active) {
		long long next = f2b_next_bantime(j, active->bancount);

		log_duration_format(next, dur, sizeof(dur));
		if ((r = finding_add_fix(f, "bantime.increment is on: the next ban would last %s",
		                         next == -2 ? "(custom formula)" : dur)))
			goto outb;
	}
outb:
	buf_release(&b);
out:
	f2b_matches_free(mlines, nm);
	f2b_status_release(&st);
	return r;
}

/*
 * The table row of one active ban: the firewall's row for the address gets the end of the ban;
 * a ban with no firewall row (the rule is missing, or the firewall was not read) gets its own.
 */
static int f2b_row(struct ctx *x, const struct f2b_jail *j, const struct f2b_ban *b)
{
	struct blocked_row *row = diagnosis_find_blocked(x->d, LAYER_FIREWALL, b->ip);
	char until[48], by[160], fix[160];

	if (b->bantime < 0)
		snprintf(until, sizeof(until), "never (bantime -1)");
	else
		fmt_time(x, (b->timeofban + b->bantime) * LOG_US, until, sizeof(until));
	if (row)
		return blocked_row_set_until(row, until);
	snprintf(by, sizeof(by), "fail2ban jail %s, ban #%lld", j->name, b->bancount);
	snprintf(fix, sizeof(fix), "fail2ban-client set %s unbanip %s", j->name, b->ip);
	return diagnosis_add_blocked(
	    x->d, LAYER_BANS, CAUSE_FAIL2BAN_BAN, SEVERITY_BLOCKER, b->ip, by, until,
	    x->in->f2b.db_path ? x->in->f2b.db_path : "fail2ban database", 0, fix);
}

/* Without a client: what the jail bans now. */
static int f2b_anyone(struct ctx *x, const struct f2b_jail *j)
{
	const struct f2b_inputs *fi = &x->in->f2b;
	long long now = now_us(x) / LOG_US;
	const struct f2b_ban *v = fi->nbips ? fi->bips : fi->bans;
	size_t n = fi->nbips ? fi->nbips : fi->nbans, i, k = 0, shown = 0;
	struct finding *f;
	int r;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].jail, j->name) == 0 && f2b_ban_active(&v[i], now))
			k++;
	if (!k)
		return note(x, "fail2ban jail %s bans nobody now", j->name);
	if ((f = diagnosis_add_finding(x->d, LAYER_BANS, CAUSE_FAIL2BAN_BAN, SEVERITY_INFO)) ==
	    NULL)
		return SD_ERR_ALLOC;
	if ((r = finding_set_summary(f, "fail2ban (jail %s) bans %zu address%s now", j->name, k,
	                             k == 1 ? "" : "es")) ||
	    (r = set_sees(f, x->c, f2b_client_sees(j))))
		return r;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].jail, j->name) != 0 || !f2b_ban_active(&v[i], now))
			continue;
		if ((r = f2b_row(x, j, &v[i])))
			return r;
		if (shown >= LIST_MAX)
			continue;
		if ((r = row_evidence(f, x, fi->nbips ? "bips" : "bans", &v[i])))
			return r;
		shown++;
	}
	return finding_add_fix(f, "fail2ban-client set %s unbanip ADDR", j->name);
}

static int do_f2b(struct ctx *x)
{
	const struct f2b_inputs *fi = &x->in->f2b;
	struct f2b_jail j;
	char bt[48], ft[48];
	int r;

	if (fi->state == BANS_ABSENT)
		return SD_OK;
	x->present = 1;
	if (fi->state == BANS_UNREADABLE || !fi->jail_conf)
		return unreadable(x, fi->confdir ? fi->confdir : "/etc/fail2ban", fi->why);
	if ((r = f2b_jail_read(fi->jail_conf, fi->jail ? fi->jail : F2B_DEFAULT_JAIL, &j)))
		return r;
	log_duration_format(j.bantime, bt, sizeof(bt));
	log_duration_format(j.findtime, ft, sizeof(ft));
	if ((r = note(x, "fail2ban: jail %s %s (bantime %s, findtime %s, maxretry %ld%s%s)", j.name,
	              j.enabled ? "enabled" : "not enabled", bt, ft, j.maxretry,
	              j.banaction ? ", banaction " : "", j.banaction ? j.banaction : "")))
		goto out;
	if (fi->db_state == BANS_UNREADABLE &&
	    (r = unreadable(x, fi->db_path ? fi->db_path : "fail2ban's database", fi->db_why)))
		goto out;
	if (fi->running == 0 && (r = note(x, "fail2ban-server is not running")))
		goto out;
	if (fi->running == -1 && fi->live_why && (r = note(x, "%s", fi->live_why)))
		goto out;
	if (x->c->client.family)
		r = f2b_client(x, &j);
	else
		r = f2b_anyone(x, &j);
out:
	f2b_jail_release(&j);
	return r;
}

/* ----------------------------------------------------------------- sshguard */

static int sshguard_fix(struct finding *f, const struct sshguard_conf *sc,
                        const struct conn_spec *c, const struct bans_inputs *in,
                        const struct sshguard_entry *bl)
{
	const char *kind = sshguard_backend_kind(sc->backend);
	int v6 = c->client.family == 6, r = SD_OK;
	const char *len = v6 ? "128" : "32";

	if (strcmp(kind, "nft-sets") == 0)
		r = finding_add_fix(f, "nft delete element %s sshguard attackers { %s/%s }",
		                    v6 ? "ip6" : "ip", c->client_text, len);
	else if (strcmp(kind, "iptables") == 0)
		r = finding_add_fix(f, "%s -D sshguard -s %s/%s -j DROP",
		                    v6 ? "ip6tables" : "iptables", c->client_text, len);
	else if (strcmp(kind, "ipset") == 0)
		r = finding_add_fix(f, "ipset del %s %s/%s", v6 ? "sshguard6" : "sshguard4",
		                    c->client_text, len);
	else if (strcmp(kind, "firewalld") == 0)
		r = finding_add_fix(f,
		                    "firewall-cmd --permanent --ipset=%s --remove-entry=%s/%s && "
		                    "firewall-cmd --reload",
		                    v6 ? "sshguard6" : "sshguard4", c->client_text, len);
	else if (strcmp(kind, "hosts") == 0)
		r = finding_add_fix(f,
		                    "delete the line naming %s from the ###sshguard### block of "
		                    "/etc/hosts.allow",
		                    c->client_text);
	if (!r && bl)
		r = finding_add_fix(f,
		                    "delete line %u of %s (the blocklist entry), then restart "
		                    "sshguard, or it blocks %s again at start",
		                    bl->line, in->sg.blacklist.path, c->client_text);
	if (!r)
		r = finding_add_fix(
		    f,
		    "keep it from being blocked again: add %s to %s (WHITELIST_FILE "
		    "in sshguard.conf), then restart sshguard",
		    c->client_text,
		    sc->whitelist_file[0] ? sc->whitelist_file : "a whitelist file");
	return r;
}

static int do_sshguard(struct ctx *x)
{
	const struct sshguard_inputs *sg = &x->in->sg;
	const struct conn_spec *c = x->c;
	struct sshguard_conf sc;
	struct sshguard_entry bl;
	struct finding *fw;
	const struct log_text *block = NULL;
	struct finding *f;
	int have_bl = 0, live_block = 0, r;
	unsigned wl = 0;
	char when[48];

	if (sg->state == BANS_ABSENT)
		return SD_OK;
	x->present = 1;
	if (sg->state == BANS_UNREADABLE || sg->conf.state == BANS_UNREADABLE)
		return unreadable(x, sg->conf.path ? sg->conf.path : "sshguard.conf", sg->conf.why);
	if ((r = sshguard_conf_parse(sg->conf.state == BANS_PRESENT ? sg->conf.data : "",
	                             sg->conf.state == BANS_PRESENT ? sg->conf.len : 0, &sc)))
		return r;
	if ((r = note(x, "sshguard: backend %s, threshold %ld, block time %ld s%s",
	              sc.backend[0] ? sc.backend : "(not set)", sc.threshold, sc.block_time,
	              sg->running == 0 ? " (not running)" : "")))
		goto out;
	if (sg->blacklist.state == BANS_UNREADABLE &&
	    (r = unreadable(x, sg->blacklist.path, sg->blacklist.why)))
		goto out;
	if (!c->client.family) {
		if (sg->blacklist.state == BANS_PRESENT)
			r = note(x, "sshguard's blocklist holds %zu addresses",
			         sshguard_blacklist_count(sg->blacklist.data, sg->blacklist.len));
		goto out;
	}
	if (sg->whitelist.state == BANS_PRESENT &&
	    (wl = sshguard_whitelist_find(sg->whitelist.data, sg->whitelist.len, &c->client)) &&
	    (r = note(x, "%s is whitelisted (%s line %u)", c->client_text, sg->whitelist.path, wl)))
		goto out;
	if (sg->blacklist.state == BANS_PRESENT &&
	    sshguard_blacklist_find(sg->blacklist.data, sg->blacklist.len, &c->client, &bl) ==
	        SD_OK)
		have_bl = 1;
	fw = firewall_owned(x->d, "sshguard", NULL);
	if (x->in->logs) {
		block = last_line(x, LC_SSHGUARD_BLOCK, LOG_TS_NONE + 1, INT64_MAX);
		if (block) {
			const struct log_text *rel =
			    last_line(x, LC_SSHGUARD_RELEASE, block->ts, INT64_MAX);
			struct log_event ev;

			/* "for N secs": still running at now? */
			if (!rel && log_parse_line(block->text, strlen(block->text), &x->in->clock,
			                           NULL, 0, &ev) == LC_SSHGUARD_BLOCK)
				live_block = ev.n < 0 || after_us(block->ts, ev.n) > now_us(x);
		}
	}
	if (!have_bl && !fw && !live_block)
		goto out;
	if ((f = diagnosis_add_finding(
	         x->d, LAYER_BANS, CAUSE_SSHGUARD_BAN,
	         fw || (have_bl && sg->running == 1) ? SEVERITY_BLOCKER : SEVERITY_RISK)) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	if (fw || (have_bl && sg->running == 1))
		x->blocker = 1;
	if (fw)
		fw->enforces = f;
	if (have_bl) {
		fmt_time(x, secs_us(bl.time), when, sizeof(when));
		r = finding_set_summary(f,
		                        "sshguard blocks %s for good: it is in the blocklist %s "
		                        "since %s%s",
		                        c->client_text, sg->blacklist.path, when,
		                        fw ? " and the firewall rule is in place" : "");
	} else if (block) {
		fmt_time(x, block->ts, when, sizeof(when));
		r = finding_set_summary(f, "sshguard blocked %s at %s%s", c->client_text, when,
		                        fw ? "; the firewall rule is in place"
		                           : "; no sshguard rule for it was found in the firewall");
	} else {
		r = finding_set_summary(f, "sshguard's firewall objects block %s", c->client_text);
	}
	if (r)
		goto out;
	if (fw && fw->client_sees && (r = finding_set_client_sees(f, fw->client_sees)))
		goto out;
	if (have_bl) {
		const char *p = sg->blacklist.data;
		unsigned i;
		char text[256];
		size_t n;

		for (i = 1; i < bl.line && p; i++) {
			p = memchr(p, '\n', sg->blacklist.len - (size_t)(p - sg->blacklist.data));
			if (p)
				p++;
		}
		n = p ? strcspn(p, "\n") : 0;
		snprintf(text, sizeof(text), "%.*s", (int)(n < 200 ? n : 200), p ? p : "");
		if ((r = evidence_clean(f, sg->blacklist.path, bl.line, text)))
			goto out;
	}
	if (block && (r = evidence_clean(f, log_summary_source_name(x->in->logs, block->source),
	                                 block->line, block->text)))
		goto out;
	if (x->in->logs && block &&
	    (r = cite_failures(x, f, before_us(block->ts, 1800), block->ts, 8)))
		goto out;
	if (fw && (r = cite_firewall(f, fw)))
		goto out;
	if (sc.backend[0]) {
		char text[600];

		snprintf(text, sizeof(text), "BACKEND=\"%s\"", sc.backend);
		if ((r = evidence_clean(f, sg->conf.path, sc.backend_line, text)))
			goto out;
	}
	r = sshguard_fix(f, &sc, c, x->in, have_bl ? &bl : NULL);
out:
	sshguard_conf_release(&sc);
	return r;
}

/* ----------------------------------------------------------------- DenyHosts */

static int do_denyhosts(struct ctx *x)
{
	const struct denyhosts_inputs *dh = &x->in->dh;
	const struct conn_spec *c = x->c;
	struct dh_conf dc;
	struct dh_hit hits[DH_MAX_HITS], wh[DH_MAX_HITS];
	size_t nh = 0, i, k, nw;
	struct finding *tw = NULL, *fw;
	enum severity sev;
	struct finding *f;
	struct buf b;
	int r;

	if (dh->state == BANS_ABSENT)
		return SD_OK;
	x->present = 1;
	if ((r = dh_conf_parse(dh->conf.state == BANS_PRESENT ? dh->conf.data : "",
	                       dh->conf.state == BANS_PRESENT ? dh->conf.len : 0, &dc)))
		return r;
	if (dh->conf.state == BANS_UNREADABLE && (r = unreadable(x, dh->conf.path, dh->conf.why)))
		goto out;
	if (dh->hosts_deny.state == BANS_UNREADABLE) {
		r = unreadable(x, dh->hosts_deny.path, dh->hosts_deny.why);
		goto out;
	}
	if (!c->client.family || dh->hosts_deny.state != BANS_PRESENT) {
		r = note(x, "DenyHosts: %s",
		         dh->conf.state == BANS_PRESENT ? "configured" : "lines in hosts.deny");
		goto out;
	}
	nh = dh_deny_find(dh->hosts_deny.data, dh->hosts_deny.len, &c->client, hits, DH_MAX_HITS);
	/* without DenyHosts' comment and without its configuration, the line is the admin's */
	for (i = k = 0; i < nh; i++)
		if (hits[i].comment_line || dh->conf.state == BANS_PRESENT)
			hits[k++] = hits[i];
	nh = k;
	if (!nh) {
		r = note(x, "DenyHosts: no entry for %s", c->client_text);
		goto out;
	}
	for (i = 0; i < x->d->nfindings; i++)
		if (x->d->findings[i]->layer == LAYER_TCP_WRAPPERS &&
		    x->d->findings[i]->severity == SEVERITY_BLOCKER &&
		    (x->d->findings[i]->cause == CAUSE_TCP_WRAPPERS_DENY ||
		     x->d->findings[i]->cause == CAUSE_DENYHOSTS_ENTRY))
			tw = x->d->findings[i];
	fw = firewall_owned(x->d, "denyhosts", NULL);
	if (tw || dh->libwrap == 1)
		sev = SEVERITY_BLOCKER;
	else if (x->d->layers[LAYER_TCP_WRAPPERS].status == LAYER_EVALUATED || dh->libwrap == 0)
		sev = SEVERITY_INFO;
	else
		sev = SEVERITY_RISK;
	if ((f = diagnosis_add_finding(x->d, LAYER_BANS, CAUSE_DENYHOSTS_ENTRY, sev)) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	if (sev == SEVERITY_BLOCKER)
		x->blocker = 1;
	/* the hosts.deny line (and a DenyHosts firewall rule) apply DenyHosts' decision */
	if (tw)
		tw->enforces = f;
	if (fw)
		fw->enforces = f;
	buf_init(&b, 4096);
	if ((r = buf_addf(&b, "DenyHosts blocked %s", c->client_text)) ||
	    (hits[0].date[0] && (r = buf_addf(&b, " on %s", hits[0].date))) ||
	    (r = buf_addf(&b, ": %s line %u '%s'", dh->hosts_deny.path, hits[0].line,
	                  hits[0].text)))
		goto outb;
	if (sev == SEVERITY_INFO &&
	    (r = buf_adds(&b, dh->libwrap == 0
	                          ? " — no effect: this sshd does not use libwrap"
	                          : " — no effect now: TCP wrappers let the client in")))
		goto outb;
	if ((r = finding_set_summary(f, "%s", b.data)))
		goto outb;
	if (tw && tw->client_sees && (r = finding_set_client_sees(f, tw->client_sees)))
		goto outb;
	for (i = 0; i < nh; i++) {
		if (hits[i].comment_line &&
		    (r = evidence_clean(f, dh->hosts_deny.path, hits[i].comment_line,
		                        hits[i].comment)))
			goto outb;
		if ((r = evidence_clean(f, dh->hosts_deny.path, hits[i].line, hits[i].text)))
			goto outb;
	}
	for (k = 0; k < dh->nwork; k++) {
		if (dh->work[k].state != BANS_PRESENT)
			continue;
		nw = dh_work_find(dh->work[k].data, dh->work[k].len, &c->client, wh, DH_MAX_HITS);
		for (i = 0; i < nw; i++)
			if ((r = evidence_clean(f, dh->work[k].path, wh[i].line, wh[i].text)))
				goto outb;
	}
	if (x->in->logs && (r = cite_failures(x, f, LOG_TS_NONE + 1, INT64_MAX, 6)))
		goto outb;
	if (fw && (r = cite_firewall(f, fw)))
		goto outb;
	/* fixes */
	if ((r = finding_add_fix(f,
	                         "stop DenyHosts first (systemctl stop denyhosts), or it puts the "
	                         "entry back")))
		goto outb;
	for (i = 0; i < nh && !r; i++) {
		if (hits[i].comment_line)
			r = finding_add_fix(f, "delete lines %u-%u of %s ('%s' and '%s')",
			                    hits[i].comment_line, hits[i].line, dh->hosts_deny.path,
			                    hits[i].comment, hits[i].text);
		else
			r = finding_add_fix(f, "delete line %u of %s ('%s')", hits[i].line,
			                    dh->hosts_deny.path, hits[i].text);
	}
	if (r)
		goto outb;
	buf_reset(&b);
	r = buf_addf(&b, "remove %s from DenyHosts' work files in %s:", c->client_text,
	             dc.work_dir);
#define DH_LIST(name)                                                                              \
	if (!r)                                                                                    \
		r = buf_adds(&b, " " name);
	DH_WORK_FILES(DH_LIST)
#undef DH_LIST
	if (r || (r = buf_adds(&b, " (the lines that start with it)")) ||
	    (r = finding_add_fix(f, "%s", b.data)) ||
	    (r = finding_add_fix(f, "keep it from being blocked again: add %s to %s/allowed-hosts",
	                         c->client_text, dc.work_dir)))
		goto outb;
	if (dc.iptables[0] &&
	    (r = finding_add_fix(f,
	                         "DenyHosts also adds a firewall rule (IPTABLES = %s): %s -D INPUT "
	                         "-s %s -j DROP (the firewall layer shows the exact rule)",
	                         dc.iptables, dc.iptables, c->client_text)))
		goto outb;
	r = finding_add_fix(f, "start DenyHosts again (systemctl start denyhosts)");
outb:
	buf_release(&b);
out:
	dh_conf_release(&dc);
	return r;
}

/* ----------------------------------------------------------------- the layer */

int bans_layer_evaluate(const struct bans_inputs *in, const struct conn_spec *c,
                        struct diagnosis *d)
{
	struct ctx x;
	int r;

	memset(&x, 0, sizeof(x));
	x.in = in;
	x.c = c;
	x.d = d;
	buf_init(&x.note, 8192);
	buf_init(&x.unread, 4096);
	if ((r = do_f2b(&x)) || (r = do_sshguard(&x)) || (r = do_denyhosts(&x)))
		goto out;
	if (!x.present) {
		r = diagnosis_set_layer(d, LAYER_BANS, LAYER_NOT_APPLICABLE,
		                        "no ban tool installed (no fail2ban, sshguard or DenyHosts "
		                        "configuration)");
	} else if (x.unread.len && !x.blocker) {
		r = diagnosis_set_layer(d, LAYER_BANS, LAYER_UNREADABLE,
		                        "could not read %s%s%s%s%s%s", x.unread.data,
		                        in->remedy ? " (" : "", in->remedy ? in->remedy : "",
		                        in->remedy ? ")" : "", x.note.len ? "; " : "", x.note.data);
	} else {
		r = diagnosis_set_layer(d, LAYER_BANS, LAYER_EVALUATED, "%s", x.note.data);
	}
out:
	buf_release(&x.note);
	buf_release(&x.unread);
	return r;
}
