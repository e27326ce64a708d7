/*
 * unit.c — tests of src/logs, one behaviour each.  Ends with `logs-unit: N passed, N failed`.
 * Built with tests/unit/t.c against the core library only (no I/O).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/t.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/diagnosis.h"
#include "logs/layer.h"
#include "logs/line.h"
#include "logs/render.h"
#include "logs/summary.h"
#include "logs/syslogconf.h"
#include "logs/time.h"

/* 2026-11-24T04:00:00Z, UTC */
#define NOW 1795492800LL

static struct log_clock clock_at(long long secs, long offset)
{
	struct log_clock c;

	log_clock_init(&c, secs * LOG_US, offset);
	return c;
}

static struct ip_addr addr(const char *s)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	ip_addr_parse(s, &a);
	return a;
}

static enum log_class parse(const char *line, struct log_event *ev)
{
	struct log_clock c = clock_at(NOW, 0);

	return log_parse_line(line, strlen(line), &c, NULL, 0, ev);
}

/* A summary over one text (a fresh heap object; free with done()). */
static struct log_summary *summarize(const char *text, const char *focus, long long now)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct ip_addr f;

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(now, 0);
	o.since = LOG_TS_NONE;
	if (focus) {
		f = addr(focus);
		o.focus = &f;
	}
	log_summary_init(s, &o);
	log_summary_begin_source(s, "/var/log/auth.log", 0);
	log_summary_feed(s, text, strlen(text));
	log_summary_end_source(s);
	log_summary_finish(s);
	return s;
}

static void done(struct log_summary *s)
{
	log_summary_release(s);
	free(s);
}

static struct conn_spec conn(const char *client)
{
	struct conn_spec c;

	memset(&c, 0, sizeof(c));
	c.port = 22;
	if (client) {
		c.client = addr(client);
		snprintf(c.client_text, sizeof(c.client_text), "%s", client);
	}
	return c;
}

static const struct finding *find_cause(const struct diagnosis *d, enum layer_id l,
                                        enum cause_id cause)
{
	size_t i;

	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->layer == l && d->findings[i]->cause == cause)
			return d->findings[i];
	return NULL;
}

static int evidence_has(const struct finding *f, const char *needle)
{
	size_t i;

	for (i = 0; f && i < f->nevidence; i++)
		if (strstr(f->evidence[i].text, needle))
			return 1;
	return 0;
}

/* ----------------------------------------------------------------- time */

static void test_time_syslog_takes_the_year_of_now(void)
{
	struct log_clock c = clock_at(NOW, 0);
	char buf[48];
	int64_t us;
	size_t used;

	CHECK_EQ_INT(log_time_parse_syslog("Nov 24 03:50:23 h", 17, &c, NULL, &us, &used), SD_OK);
	CHECK_EQ_INT(used, 15);
	log_time_format(us, &c, LOG_TIME_FULL, buf, sizeof(buf));
	CHECK_STREQ(buf, "2026-11-24 03:50:23");
}

static void test_time_syslog_december_seen_in_january_is_last_year(void)
{
	/* now: 2027-01-02 */
	struct log_clock c = clock_at(1798848000LL, 0);
	char buf[48];
	int64_t us;
	size_t used;

	CHECK_EQ_INT(log_time_parse_syslog("Dec 31 23:59:59", 15, &c, NULL, &us, &used), SD_OK);
	log_time_format(us, &c, LOG_TIME_FULL, buf, sizeof(buf));
	CHECK_STREQ(buf, "2026-12-31 23:59:59");
}

static void test_time_syslog_single_digit_day_and_fraction(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;
	size_t used;

	CHECK_EQ_INT(log_time_parse_syslog("Nov  4 01:02:03.250000 x", 24, &c, NULL, &us, &used),
	             SD_OK);
	CHECK_EQ_INT(used, 22);
	CHECK_EQ_INT(us % LOG_US, 250000);
}

static void test_time_syslog_uses_the_local_offset(void)
{
	struct log_clock c = clock_at(NOW, 3600); /* UTC+1 */
	int64_t us;
	size_t used;

	/* 04:00 local time at UTC+1 is 03:00Z */
	CHECK_EQ_INT(log_time_parse_syslog("Nov 24 04:00:00", 15, &c, NULL, &us, &used), SD_OK);
	CHECK_EQ_INT(us / LOG_US, NOW - 3600);
}

static void test_time_rfc3339_with_offset(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;
	size_t used;
	const char *t = "2026-11-24T05:00:00.5+01:00 host";

	CHECK_EQ_INT(log_time_parse(t, strlen(t), &c, NULL, &us, &used), SD_OK);
	CHECK_EQ_INT(used, 27);
	CHECK_EQ_INT(us, NOW * LOG_US + 500000);
}

static void test_time_short_iso_offset_without_colon(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;
	size_t used;
	const char *t = "2026-11-24T02:00:00-0200 host";

	CHECK_EQ_INT(log_time_parse(t, strlen(t), &c, NULL, &us, &used), SD_OK);
	CHECK_EQ_INT(us, NOW * LOG_US);
}

static void test_time_fail2ban_form_is_local(void)
{
	struct log_clock c = clock_at(NOW, 7200);
	int64_t us;
	size_t used;
	const char *t = "2026-11-24 06:00:00,123 fail2ban.actions";

	CHECK_EQ_INT(log_time_parse(t, strlen(t), &c, NULL, &us, &used), SD_OK);
	CHECK_EQ_INT(us, NOW * LOG_US + 123000);
}

static void test_time_rejects_what_is_not_a_time(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;
	size_t used;

	CHECK_EQ_INT(log_time_parse("Foo 24 03:50:23", 15, &c, NULL, &us, &used), SD_ERR_INVALID);
	CHECK_EQ_INT(log_time_parse("Nov 24 25:50:23", 15, &c, NULL, &us, &used), SD_ERR_INVALID);
	CHECK_EQ_INT(log_time_parse("2026-13-01T00:00:00", 19, &c, NULL, &us, &used),
	             SD_ERR_INVALID);
	CHECK_EQ_INT(log_time_parse("Nov 24", 6, &c, NULL, &us, &used), SD_ERR_INVALID);
}

static void test_since_relative_forms(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;

	CHECK_EQ_INT(log_since_parse("-2h", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 7200) * LOG_US);
	CHECK_EQ_INT(log_since_parse("30 min ago", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 1800) * LOG_US);
	CHECK_EQ_INT(log_since_parse("@1700000000", &c, &us), SD_OK);
	CHECK_EQ_INT(us, 1700000000LL * LOG_US);
}

static void test_since_calendar_forms(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;

	CHECK_EQ_INT(log_since_parse("2026-11-24", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 4 * 3600) * LOG_US);
	CHECK_EQ_INT(log_since_parse("2026-11-24 03:30", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 1800) * LOG_US);
	CHECK_EQ_INT(log_since_parse("03:00", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 3600) * LOG_US);
	CHECK_EQ_INT(log_since_parse("yesterday", &c, &us), SD_OK);
	CHECK_EQ_INT(us, (NOW - 4 * 3600 - 86400) * LOG_US);
}

static void test_since_rejects_garbage(void)
{
	struct log_clock c = clock_at(NOW, 0);
	int64_t us;

	CHECK_EQ_INT(log_since_parse("soon", &c, &us), SD_ERR_INVALID);
	CHECK_EQ_INT(log_since_parse("-2 parsecs", &c, &us), SD_ERR_INVALID);
	CHECK_EQ_INT(log_since_parse("25:00", &c, &us), SD_ERR_INVALID);
}

static void test_time_span_texts(void)
{
	struct log_clock c = clock_at(NOW, 0);
	char buf[96];

	log_time_span(NOW * LOG_US, (NOW + 20) * LOG_US, &c, buf, sizeof(buf));
	CHECK_STREQ(buf, "at 04:00");
	log_time_span((NOW - 180) * LOG_US, NOW * LOG_US, &c, buf, sizeof(buf));
	CHECK_STREQ(buf, "between 03:57 and 04:00");
	log_time_span((NOW - 86400) * LOG_US, NOW * LOG_US, &c, buf, sizeof(buf));
	CHECK_STREQ(buf, "between 2026-11-23 04:00 and 2026-11-24 04:00");
}

static void test_duration_format(void)
{
	char buf[48];

	log_duration_format(600, buf, sizeof(buf));
	CHECK_STREQ(buf, "10m");
	log_duration_format(90061, buf, sizeof(buf));
	CHECK_STREQ(buf, "1d 1h 1m 1s");
	log_duration_format(-1, buf, sizeof(buf));
	CHECK_STREQ(buf, "permanent");
}

/* ----------------------------------------------------------------- lines */

static void test_line_other_programs_are_rejected(void)
{
	struct log_event ev;

	CHECK_EQ_INT(parse("Nov 24 03:50:23 h sshd-keygen[1]: Invalid user a from 192.0.2.1", &ev),
	             LC_NONE);
	CHECK_EQ_INT(parse("Nov 24 03:50:23 h CRON[1]: drop connection #1 from [192.0.2.1]:1 on "
	                   "[192.0.2.2]:22 past MaxStartups",
	                   &ev),
	             LC_NONE);
}

static void test_line_maxstartups_drop_in_every_wording(void)
{
	static const char *const w[] = {"past MaxStartups", "past Maxstartups", "Maxstartups"};
	struct log_event ev;
	char line[256];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(line, sizeof(line),
		         "Nov 24 03:50:23 h sshd[9]: drop connection #7 from [192.0.2.9]:5000 on "
		         "[198.51.100.1]:22 %s",
		         w[i]);
		CHECK_EQ_INT(parse(line, &ev), LC_MAXSTARTUPS_DROP);
		CHECK_EQ_INT(ev.n, 7);
		CHECK_EQ_INT(ev.port, 5000);
		CHECK_EQ_INT(ev.lport, 22);
	}
}

static void test_line_penalty_drop_keeps_the_reason(void)
{
	struct log_event ev;

	CHECK_EQ_INT(
	    parse("Nov 24 03:50:27 lab sshd[1]: drop connection #0 from [192.0.2.10]:38310 "
	          "on [192.0.2.1]:22 penalty: connections without attempting "
	          "authentication",
	          &ev),
	    LC_PENALTY_DROP);
	CHECK(ev.detail.len == 54 && memcmp(ev.detail.p, "penalty: connections", 20) == 0);
}

static void test_line_user_name_cannot_spoof_the_address(void)
{
	struct log_event ev;
	char a[64];

	CHECK_EQ_INT(parse("Nov 24 03:50:23 h sshd[1]: Invalid user x from 203.0.113.9 port 1 from "
	                   "192.0.2.11 port 2",
	                   &ev),
	             LC_INVALID_USER);
	ip_addr_format(&ev.addr, a, sizeof(a));
	CHECK_STREQ(a, "192.0.2.11");
	CHECK_EQ_INT(ev.port, 2);
}

/* The last " from " and " port " are found wherever they are in the line: user names of every
 * length (so that the literals fall at every place of the 16-byte steps of the search, and in
 * the short tail), themselves holding the literals. */
static void test_line_last_literal_at_every_offset(void)
{
	struct log_event ev;
	char line[256], user[64], a[64];
	size_t n;

	for (n = 0; n < 48; n++) {
		memset(user, 'u', n);
		user[n] = '\0';
		if (n >= 14)
			memcpy(user + n - 14, " from  port 1", 13);
		snprintf(
		    line, sizeof(line),
		    "Nov 24 03:50:23 h sshd[1]: Failed password for %s from 192.0.2.%zu port %zu "
		    "ssh2",
		    user, n + 1, 1000 + n);
		if (!CHECK_EQ_INT(parse(line, &ev), LC_AUTH_FAILED))
			continue;
		ip_addr_format(&ev.addr, a, sizeof(a));
		snprintf(line, sizeof(line), "192.0.2.%zu", n + 1);
		CHECK_STREQ(a, line);
		CHECK_EQ_INT(ev.port, 1000 + n);
		CHECK_EQ_INT(ev.user.len, n);
		/* the connection id's port: "Connection closed by [invalid user U ]A port N" */
		snprintf(
		    line, sizeof(line),
		    "Nov 24 03:50:23 h sshd[1]: Connection closed by %s%s%s198.51.100.%zu port %zu",
		    n ? "invalid user " : "", user, n ? " " : "", n + 1, 2000 + n);
		if (n)
			strcat(line, n % 2 ? " [preauth]" : "");
		if (!CHECK_EQ_INT(parse(line, &ev), LC_CONN_CLOSED))
			continue;
		ip_addr_format(&ev.addr, a, sizeof(a));
		snprintf(line, sizeof(line), "198.51.100.%zu", n + 1);
		CHECK_STREQ(a, line);
		CHECK_EQ_INT(ev.port, 2000 + n);
	}
}

static void test_line_mapped_ipv6_becomes_ipv4(void)
{
	struct log_event ev;

	CHECK_EQ_INT(parse("Nov 24 03:50:23 h sshd[1]: refused connect from ::ffff:192.0.2.5 "
	                   "(::ffff:192.0.2.5)",
	                   &ev),
	             LC_LIBWRAP_REFUSED);
	CHECK_EQ_INT(ev.addr.family, 4);
}

static void test_line_preauth_and_level_are_noted(void)
{
	struct log_event ev;

	CHECK_EQ_INT(parse("Nov 24 03:50:23 h sshd[1]: error: maximum authentication attempts "
	                   "exceeded for root from 192.0.2.1 port 9 ssh2 [preauth]",
	                   &ev),
	             LC_MAX_AUTH_TRIES);
	CHECK(ev.preauth);
	CHECK_EQ_INT(ev.level, LL_ERROR);
	CHECK(ev.user.len == 4 && memcmp(ev.user.p, "root", 4) == 0);
}

static void test_line_host_name_gives_no_address(void)
{
	struct log_event ev;

	CHECK_EQ_INT(
	    parse("Nov 24 03:50:23 h sshd[1]: Invalid user a from client.example.net port 4", &ev),
	    LC_INVALID_USER);
	CHECK_EQ_INT(ev.addr.family, 0);
}

static void test_line_bare_messages_of_sshd_e(void)
{
	struct log_clock c = clock_at(NOW, 0);
	struct log_event ev;
	const char *l = "Connection reset by 192.0.2.3 port 77 [preauth]\r";

	CHECK_EQ_INT(log_parse_line(l, strlen(l), &c, NULL, 1, &ev), LC_CONN_RESET);
	CHECK_EQ_INT(ev.ts, LOG_TS_NONE);
	CHECK_EQ_INT(ev.port, 77);
}

/*
 * fuzz found: in "Accepted from A" the blank after "from" lies past the " from " found
 * from the end, and the " for " test read from that reversed range past the line.
 * The line is copied to a buffer of its exact length so ASan sees any read beyond it.
 */
static void test_line_accepted_without_method_stays_inside(void)
{
	static const char l[] = "Accepted from 1 ";
	struct log_clock c = clock_at(NOW, 0);
	struct log_event ev;
	char *b = malloc(sizeof(l) - 1);

	memcpy(b, l, sizeof(l) - 1);
	CHECK_EQ_INT(log_parse_line(b, sizeof(l) - 1, &c, NULL, 1, &ev), LC_ACCEPTED);
	CHECK_EQ_INT(ev.user.len, 0);
	free(b);
}

/* fuzz found: a port no TCP port can be is unknown (0), not a number wrapped into 32 bits */
static void test_line_port_out_of_range_is_unknown(void)
{
	struct log_event ev;

	CHECK_EQ_INT(
	    parse("Jul  2 11:00:00 h sshd[6]: drop connection #1 from [192.0.2.40]:5333333330100 "
	          "on [198.51.100.1]:70000 past MaxStartups",
	          &ev),
	    LC_MAXSTARTUPS_DROP);
	CHECK_EQ_INT(ev.port, 0);
	CHECK_EQ_INT(ev.lport, 0);
	CHECK_EQ_INT(
	    parse("Jul  2 11:00:00 h sshd[6]: Connection closed by 192.0.2.4 port 65535 [preauth]",
	          &ev),
	    LC_CONN_CLOSED);
	CHECK_EQ_INT(ev.port, 65535);
}

static void test_line_fail2ban_jail_and_count(void)
{
	struct log_event ev;

	CHECK_EQ_INT(parse("2026-11-24 03:50:24,459 fail2ban.observer [9]: NOTICE  [sshd-ddos] "
	                   "Increase Ban 192.0.2.10 (3 # 4:00:00 -> 2026-11-24 07:50:24)",
	                   &ev),
	             LC_F2B_BAN);
	CHECK(ev.jail.len == 9 && memcmp(ev.jail.p, "sshd-ddos", 9) == 0);
	CHECK_EQ_INT(ev.n, 3);
}

static void test_line_timeout_9_8_is_marked_for_repair(void)
{
	struct log_event ev;

	CHECK_EQ_INT(
	    parse("Nov 24 03:50:23 h sshd[1]: Timeout before authentication for connection "
	          "from 198.51.100.1 to 192.0.2.48, pid = 3001",
	          &ev),
	    LC_GRACE_TIMEOUT);
	CHECK(ev.swapped);
	CHECK_EQ_INT(ev.n, 3001);
}

static void test_line_connection_id_with_spaces_in_user(void)
{
	struct log_event ev;

	CHECK_EQ_INT(parse("Nov 24 03:50:23 h sshd[1]: Connection closed by invalid user a b "
	                   "192.0.2.33 port 50040 [preauth]",
	                   &ev),
	             LC_CONN_CLOSED);
	CHECK(ev.user.len == 3 && memcmp(ev.user.p, "a b", 3) == 0);
	CHECK(ev.invalid_user);
}

/* ----------------------------------------------------------------- summary */

static const char lab08[] =
    "Nov 24 03:50:23 lab sshd[25042]: Server listening on 192.0.2.1 port 22.\n"
    "Nov 24 03:50:23 lab sshd[25115]: Invalid user labuser from 192.0.2.10 port 38276\n"
    "Nov 24 03:50:23 lab sshd[25115]: Connection closed by invalid user labuser 192.0.2.10 port "
    "38276 [preauth]\n"
    "Nov 24 03:50:23 lab sshd[25176]: Invalid user labuser from 192.0.2.10 port 38278\n"
    "Nov 24 03:50:23 lab sshd[25176]: Connection closed by invalid user labuser 192.0.2.10 port "
    "38278 [preauth]\n"
    "Nov 24 03:50:24 lab CRON[1]: pam_unix(cron:session): session opened\n"
    "Nov 24 03:50:25 lab sshd[25200]: Invalid user x from 192.0.2.20 port 1\n";

/* Lines parsed with the cache carried between them read like lines parsed alone. */
static void test_line_cache_changes_no_result(void)
{
	static const char *const lines[] = {
	    "Nov 24 03:50:23 host1 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 host12 sshd[1]: Invalid user a from 192.0.2.12 port 1",
	    "Nov 24 03:50:23 host1 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 host1x sshd[1]: Invalid user a from 192.0.2.1x port 1",
	    "Nov 24 03:50:23 www-frontend-01 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 www-frontend-01 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 www-frontend-012 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 www-frontend-0123 sshd[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 www-frontend-01 CRON[1]: Invalid user a from 192.0.2.1 port 1",
	    "Nov 24 03:50:23 www-frontend-01 sshd[1]: Invalid user a from 192.0.2.1",
	    "Nov 24 03:50:23 www-frontend-01 sshd[1]: Invalid user a from 192.0.2.10",
	    "Nov 24 03:50:23 www-frontend-0 sshd[1]: Invalid user a from 192.0.2.1:22",
	    "Nov 24 03:50:23 www-frontend-0 sshd[1]: Invalid user a from 192.0.2.1.5 port 1",
	    "Nov 24 03:50:23 h sshd[1]: Invalid user a from 192.0.2.1 port 1",
	};
	struct log_clock c = clock_at(NOW, 0);
	struct log_line_cache lc;
	struct log_event ev, one;
	size_t i;

	memset(&lc, 0, sizeof(lc));
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		enum log_class got = log_parse_line(lines[i], strlen(lines[i]), &c, &lc, 0, &ev);

		CHECK_EQ_INT(got, log_parse_line(lines[i], strlen(lines[i]), &c, NULL, 0, &one));
		if (got == LC_NONE)
			continue;
		CHECK_EQ_INT(ev.host.len, one.host.len);
		CHECK(ev.host.p == one.host.p);
		CHECK_EQ_INT(ev.addr.family, one.addr.family);
		CHECK(memcmp(ev.addr.bytes, one.addr.bytes, 16) == 0);
		CHECK_EQ_INT(ev.port, one.port);
		CHECK(ev.user.p == one.user.p && ev.user.len == one.user.len);
	}
}

/* The port that ends a connection id, of every length (read from the end when short). */
static void test_line_connection_id_port_lengths(void)
{
	static const struct {
		const char *line;
		enum log_class cls;
		unsigned port;
	} cases[] = {
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 7", LC_CONN_CLOSED,
	     7},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 22", LC_CONN_CLOSED,
	     22},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 65535 [preauth]",
	     LC_CONN_CLOSED, 65535},
	    /* the 7- and 8-digit paths still read the line; no port is that large */
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 1234567",
	     LC_CONN_CLOSED, 0},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 12345678",
	     LC_CONN_CLOSED, 0},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port 22x", LC_NONE, 0},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port x22", LC_NONE, 0},
	    {"Nov 24 03:50:23 h sshd[1]: Connection closed by 192.0.2.33 port ", LC_NONE, 0},
	    {"Nov 24 03:50:23 h sshd[1]: Connection reset by 192.0.2.33 port 2 [preauth]",
	     LC_CONN_RESET, 2},
	};
	struct log_event ev;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ_INT(parse(cases[i].line, &ev), cases[i].cls);
		if (cases[i].cls != LC_NONE)
			CHECK_EQ_INT(ev.port, cases[i].port);
	}
}

static void test_summary_counts_per_client(void)
{
	struct log_summary *s = summarize(lab08, NULL, NOW);
	struct ip_addr a = addr("192.0.2.10");
	const struct log_client *cl = log_summary_client(s, &a);

	CHECK_EQ_INT(s->lines, 7);
	CHECK_EQ_INT(s->nclients, 2);
	if (CHECK(cl != NULL)) {
		CHECK_EQ_INT(cl->count[LC_INVALID_USER], 2);
		CHECK_EQ_INT(cl->count[LC_CONN_CLOSED], 2);
		CHECK_EQ_INT(cl->events, 4);
	}
	done(s);
}

/*
 * Consecutive lines naming addresses that share a prefix with the one before (the parser
 * remembers the last address's text): each is read afresh, at the end of the line too.
 */
static void test_summary_similar_addresses_in_a_run_stay_apart(void)
{
	static const char t[] =
	    "Nov 24 03:50:20 lab sshd[1]: Failed password for root from 10.1.2.3 port 22 ssh2\n"
	    "Nov 24 03:50:20 lab sshd[1]: Failed password for root from 10.1.2.34 port 22 ssh2\n"
	    "Nov 24 03:50:20 lab sshd[1]: Failed password for root from 10.1.2.3 port 22 ssh2\n"
	    "Nov 24 03:50:20 lab sshd[1]: Failed password for root from 10.1.2.3x port 22 ssh2\n"
	    "Nov 24 03:50:21 lab sshd[2]: pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.3\n"
	    "Nov 24 03:50:21 lab sshd[2]: pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.33\n"
	    "Nov 24 03:50:21 lab sshd[2]: pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.3\n"
	    "Nov 24 03:50:21 lab sshd[2]: pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.3.4\n"
	    "Nov 24 03:50:22 lab sshd[3]: Received disconnect from 10.1.2.3 port 9:11: Bye\n"
	    "Nov 24 03:50:22 lab sshd[3]: Received disconnect from 10.1.2.3:11: Bye\n"
	    "Nov 24 03:50:22 lab sshd[3]: Received disconnect from 10.1.2.30 port 9:11: Bye\n"
	    /* remembered at the end of a line, compared in the middle of the next */
	    "Nov 24 03:50:23 lab sshd[4]: pam_unix(sshd:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.3\n"
	    "Nov 24 03:50:23 lab sshd[4]: Failed password for root from 10.9.9.9 port 22 ssh2\n";
	struct log_summary *s = summarize(t, NULL, NOW);
	struct ip_addr a = addr("10.1.2.3"), b = addr("10.1.2.34"), c = addr("10.1.2.33"),
	               d = addr("10.1.2.30"), e = addr("10.9.9.9");
	const struct log_client *cl;

	CHECK_EQ_INT(s->nclients, 5);
	if (CHECK((cl = log_summary_client(s, &e)) != NULL))
		CHECK_EQ_INT(cl->events, 1);
	if (CHECK((cl = log_summary_client(s, &a)) != NULL)) {
		CHECK_EQ_INT(cl->count[LC_AUTH_FAILED], 5);
		CHECK_EQ_INT(cl->count[LC_DISCONNECTED], 2);
	}
	if (CHECK((cl = log_summary_client(s, &b)) != NULL))
		CHECK_EQ_INT(cl->events, 1);
	if (CHECK((cl = log_summary_client(s, &c)) != NULL))
		CHECK_EQ_INT(cl->events, 1);
	if (CHECK((cl = log_summary_client(s, &d)) != NULL))
		CHECK_EQ_INT(cl->events, 1);
	/* "10.1.2.3x" and "10.1.2.3.4" are no addresses */
	CHECK_EQ_INT(s->no_addr, 2);
	done(s);
}

static void test_summary_chunking_does_not_change_the_result(void)
{
	struct log_summary *whole = summarize(lab08, "192.0.2.10", NOW), *s;
	struct log_summary_opts o;
	struct ip_addr f = addr("192.0.2.10");
	size_t n = strlen(lab08), cut, i;

	for (cut = 1; cut < n; cut += 7) {
		s = malloc(sizeof(*s));
		memset(&o, 0, sizeof(o));
		o.clock = clock_at(NOW, 0);
		o.since = LOG_TS_NONE;
		o.focus = &f;
		log_summary_init(s, &o);
		log_summary_begin_source(s, "x", 0);
		for (i = 0; i < n; i += cut)
			log_summary_feed(s, lab08 + i, i + cut > n ? n - i : cut);
		log_summary_end_source(s);
		log_summary_finish(s);
		CHECK_EQ_INT(s->lines, whole->lines);
		CHECK_EQ_INT(s->events, whole->events);
		CHECK_EQ_INT(s->ntl, whole->ntl);
		done(s);
	}
	done(whole);
}

static void test_summary_attributes_addressless_lines_by_pid(void)
{
	static const char t[] =
	    "Nov 24 03:50:44 lab sshd[4207]: error: kex_exchange_identification: read: Connection "
	    "reset by peer\n"
	    "Nov 24 03:50:44 lab sshd[4207]: Connection reset by 192.0.2.10 port 52396\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct ip_addr a = addr("192.0.2.10");
	const struct log_client *cl = log_summary_client(s, &a);

	if (CHECK(cl != NULL))
		CHECK_EQ_INT(cl->count[LC_KEX_RESET], 1);
	CHECK_EQ_INT(s->ntl, 2);
	if (s->ntl == 2)
		CHECK_EQ_INT(s->tl[0].cls, LC_KEX_RESET);
	done(s);
}

static void test_summary_timeline_is_ordered_across_sources(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct ip_addr f = addr("192.0.2.10");
	static const char b[] =
	    "2026-11-24 03:50:24,459 fail2ban.actions        [1]: NOTICE  [sshd] "
	    "Ban 192.0.2.10\n";

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	o.since = LOG_TS_NONE;
	o.focus = &f;
	log_summary_init(s, &o);
	log_summary_begin_source(s, "/var/log/fail2ban.log", 0);
	log_summary_feed(s, b, strlen(b));
	log_summary_begin_source(s, "/var/log/auth.log", 0);
	log_summary_feed(s, lab08, strlen(lab08));
	log_summary_finish(s);
	CHECK_EQ_INT(s->ntl, 5);
	if (s->ntl == 5) {
		CHECK_EQ_INT(s->tl[0].cls, LC_INVALID_USER);
		CHECK_EQ_INT(s->tl[4].cls, LC_F2B_BAN);
		CHECK_EQ_INT(s->tl[4].line, 1);
		CHECK_EQ_INT(s->tl[0].line, 2);
	}
	done(s);
}

static void test_summary_gap_splits_episodes(void)
{
	static const char t[] =
	    "Nov 24 03:00:00 h sshd[1]: refused connect from 192.0.2.1 (192.0.2.1)\n"
	    "Nov 24 03:01:00 h sshd[2]: refused connect from 192.0.2.1 (192.0.2.1)\n"
	    "Nov 24 03:30:00 h sshd[3]: refused connect from 192.0.2.2 (192.0.2.2)\n";
	struct log_summary *s = summarize(t, NULL, NOW);

	CHECK_EQ_INT(log_summary_nwindows(s, LK_LIBWRAP), 2);
	CHECK_EQ_INT(log_summary_window(s, LK_LIBWRAP, 0)->lines, 1);
	CHECK_EQ_INT(log_summary_window(s, LK_LIBWRAP, 1)->lines, 2);
	done(s);
}

static void test_summary_maxstartups_count_trusts_sshd_report(void)
{
	static const char t[] =
	    "Nov 24 10:02:00 h sshd[7]: error: beginning MaxStartups throttling\n"
	    "Nov 24 10:02:00 h sshd[7]: drop connection #10 from [192.0.2.1]:1 on [192.0.2.9]:22 "
	    "past "
	    "MaxStartups\n"
	    "Nov 24 10:05:10 h sshd[7]: exited MaxStartups throttling after 00:03:10, 37 "
	    "connections "
	    "dropped\n";
	struct log_summary *s = summarize(t, NULL, NOW + 7 * 3600);
	struct buf b;

	buf_init(&b, 256);
	CHECK_EQ_INT(log_summary_window_text(s, LK_MAXSTARTUPS, NULL, &b), SD_OK);
	CHECK_STREQ(b.data, "37 MaxStartups drops between 10:02 and 10:05");
	buf_release(&b);
	done(s);
}

static void test_summary_rate_limit_reports_add_up(void)
{
	static const char t[] =
	    "Nov 24 03:00:00 h sshd[7]: drop connection #10 from [192.0.2.1]:1 on [192.0.2.9]:22 "
	    "Maxstartups\n"
	    "Nov 24 03:00:30 h sshd[7]: Maxstartups logging rate-limited: additional 20 "
	    "connections "
	    "dropped\n"
	    "Nov 24 03:01:30 h sshd[7]: Maxstartups logging rate-limited: additional 5 connections "
	    "dropped\n";
	struct log_summary *s = summarize(t, NULL, NOW);

	CHECK_EQ_INT(log_window_count(log_summary_window(s, LK_MAXSTARTUPS, 0)), 25);
	done(s);
}

static void test_summary_since_drops_older_events(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	o.since = (NOW - 4 * 3600 + 3 * 3600 + 50 * 60 + 24) * LOG_US; /* 03:50:24 */
	log_summary_init(s, &o);
	log_summary_begin_source(s, "x", 0);
	log_summary_feed(s, lab08, strlen(lab08));
	log_summary_finish(s);
	CHECK_EQ_INT(s->events, 1);
	CHECK_EQ_INT(s->nclients, 1);
	done(s);
}

static void test_summary_overlong_line_is_cut_and_counted(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	size_t n = LOG_LINE_MAX * 3;
	char *big = malloc(n + 1);

	memset(big, 'x', n);
	big[n] = '\n';
	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	log_summary_init(s, &o);
	log_summary_begin_source(s, "x", 0);
	log_summary_feed(s, big, 100);
	log_summary_feed(s, big + 100, n + 1 - 100);
	log_summary_feed(s, lab08, strlen(lab08));
	log_summary_finish(s);
	CHECK_EQ_INT(s->overlong, 1);
	CHECK_EQ_INT(s->lines, 8);
	CHECK(s->carry.alloc <= 4 * LOG_LINE_MAX); /* bounded whatever the line length */
	free(big);
	done(s);
}

static void test_summary_repairs_9_8_swapped_addresses(void)
{
	static const char t[] =
	    "Nov 24 03:00:00 h sshd[6]: Server listening on 198.51.100.1 port 22.\n"
	    "Nov 24 03:00:01 h sshd[6]: Timeout before authentication for connection from "
	    "198.51.100.1 to 192.0.2.48, pid = 3001\n";
	struct log_summary *s = summarize(t, NULL, NOW);
	struct ip_addr a = addr("192.0.2.48");

	CHECK(log_summary_client(s, &a) != NULL);
	done(s);
}

static void test_summary_client_window_text(void)
{
	struct log_summary *s = summarize(lab08, "192.0.2.10", NOW);
	struct ip_addr a = addr("192.0.2.10");
	struct buf b;

	buf_init(&b, 256);
	CHECK_EQ_INT(log_summary_window_text(s, LK_AUTH_FAILURE, &a, &b), SD_OK);
	CHECK_STREQ(b.data, "2 failed logins at 03:50");
	buf_reset(&b);
	CHECK_EQ_INT(log_summary_window_text(s, LK_MAXSTARTUPS, &a, &b), SD_ERR_NOT_FOUND);
	buf_release(&b);
	done(s);
}

/*
 * A session that ends without a disconnect message ("Connection closed by user U A port N",
 * no [preauth]) is not a connection ended before authentication: not in the whole log's
 * episodes, and not in the client's own either.
 */
static void test_summary_client_post_auth_close_is_no_preauth_close(void)
{
	static const char t[] =
	    "Nov 24 03:50:20 lab sshd[700]: Accepted publickey for root from 192.0.2.10 port 40000 "
	    "ssh2: ED25519 SHA256:x\n"
	    "Nov 24 03:55:20 lab sshd[700]: Connection closed by user root 192.0.2.10 port 40000\n"
	    "Nov 24 03:55:21 lab sshd[701]: Connection closed by authenticating user root "
	    "192.0.2.10 port 40002 [preauth]\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct ip_addr a = addr("192.0.2.10");
	struct buf b;

	buf_init(&b, 256);
	CHECK_EQ_INT(log_summary_window_text(s, LK_PREAUTH_CLOSE, NULL, &b), SD_OK);
	CHECK_STREQ(b.data, "1 connection ended before authentication at 03:55");
	buf_reset(&b);
	CHECK_EQ_INT(log_summary_window_text(s, LK_PREAUTH_CLOSE, &a, &b), SD_OK);
	CHECK_STREQ(b.data, "1 connection ended before authentication at 03:55");
	buf_release(&b);
	done(s);
}

/* Long runs of one client's lines (longer than a counting entry holds), then others. */
static void test_summary_counts_long_runs(void)
{
	char *t = malloc(64 * 120), *p = t;
	struct log_summary *s;
	struct ip_addr a = addr("192.0.2.10"), b = addr("192.0.2.11");
	const struct log_client *cl;
	int i;

	for (i = 0; i < 50; i++)
		p += sprintf(p, "Nov 24 03:%02d:%02d h sshd[%d]: %s from %s port 4%04d\n", i / 60,
		             i % 60, 100 + i, i % 3 ? "Invalid user u" : "Failed password for root",
		             i < 19 || i >= 30 ? "192.0.2.10" : "192.0.2.11", i);
	s = summarize(t, NULL, NOW);
	if (CHECK((cl = log_summary_client(s, &a)) != NULL)) {
		CHECK_EQ_INT(cl->events, 39);
		CHECK_EQ_INT(cl->count[LC_AUTH_FAILED] + cl->count[LC_INVALID_USER], 39);
		CHECK_EQ_INT(cl->first, (NOW - 3600) * LOG_US); /* Nov 24 03:00:00, NOW is 04:00 */
		CHECK_EQ_INT(cl->last, cl->first + 49 * LOG_US);
	}
	if (CHECK((cl = log_summary_client(s, &b)) != NULL)) {
		CHECK_EQ_INT(cl->events, 11);
		CHECK_EQ_INT(cl->last - cl->first, 10 * LOG_US);
	}
	CHECK_EQ_INT(s->nclients, 2);
	done(s);
	free(t);
}

static void test_summary_journal_records(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct ip_addr f = addr("192.0.2.10");
	struct log_record r;
	static const char msg[] = "drop connection #0 from [192.0.2.10]:38310 on [192.0.2.1]:22 "
	                          "penalty: connections without attempting authentication";

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	o.since = LOG_TS_NONE;
	o.focus = &f;
	log_summary_init(s, &o);
	log_summary_begin_source(s, "journal", 0);
	memset(&r, 0, sizeof(r));
	r.ident = "sshd";
	r.ident_len = 4;
	r.pid = 27404;
	r.ts = NOW * LOG_US;
	r.host = "lab";
	r.host_len = 3;
	r.msg = msg;
	r.msg_len = strlen(msg);
	CHECK_EQ_INT(log_summary_add_record(s, &r), SD_OK);
	log_summary_finish(s);
	if (CHECK(s->ntl == 1)) {
		CHECK_EQ_INT(s->tl[0].line, 0);
		CHECK(strncmp(s->tl[0].text, "2026-11-24T04:00:00+00:00 lab sshd[27404]: drop",
		              47) == 0);
	}
	done(s);
}

static void test_summary_timeline_keeps_head_and_tail(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct ip_addr f = addr("192.0.2.10");
	char line[160];
	int i;

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	o.since = LOG_TS_NONE;
	o.focus = &f;
	log_summary_init(s, &o);
	log_summary_begin_source(s, "x", 0);
	for (i = 0; i < LOG_TIMELINE_MAX + 100; i++) {
		snprintf(
		    line, sizeof(line),
		    "Nov 24 03:%02d:%02d h sshd[1]: Invalid user u%d from 192.0.2.10 port %d\n",
		    i / 60 % 60, i % 60, i, i + 1);
		log_summary_feed(s, line, strlen(line));
	}
	log_summary_finish(s);
	CHECK_EQ_INT(s->ntl, LOG_TIMELINE_MAX);
	CHECK_EQ_INT(s->tl_dropped, 100);
	done(s);
}

static void test_summary_memory_follows_clients_not_lines(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	char line[160];
	int i;

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	log_summary_init(s, &o);
	log_summary_begin_source(s, "x", 0);
	for (i = 0; i < 100000; i++) {
		snprintf(line, sizeof(line),
		         "Nov 24 03:00:00 h sshd[%d]: Invalid user a from 192.0.2.%d port %d\n", i,
		         i % 10, i);
		log_summary_feed(s, line, strlen(line));
	}
	log_summary_finish(s);
	CHECK_EQ_INT(s->nclients, 10);
	CHECK(s->cap <= 1024);
	done(s);
}

static void test_summary_clients_sorted_by_events(void)
{
	struct log_summary *s = summarize(lab08, NULL, NOW);
	const struct log_client **v;
	size_t n;
	char a[64];

	CHECK_EQ_INT(log_summary_clients_sorted(s, 0, &v, &n), SD_OK);
	if (CHECK(n == 2)) {
		ip_addr_format(&v[0]->addr, a, sizeof(a));
		CHECK_STREQ(a, "192.0.2.10");
	}
	free((void *)v);
	done(s);
}

/* The top N picked without the full sort are the full sort's first N, in its order, and the
 * array still holds every client once. */
static void test_summary_clients_top_is_the_sorts_head(void)
{
	struct log_summary *s;
	const struct log_client **all, **top;
	size_t n, m, i, j, seen, len = 0;
	char *text = malloc(200 * 13 * 96);
	unsigned k;

	/* 200 clients, events by a hash of the index so that the order is mixed, with ties. */
	for (i = 0; i < 200; i++)
		for (k = 1 + (unsigned)((i * 7919u) % 13u); k--;)
			len += (size_t)sprintf(text + len,
			                       "Nov 20 10:00:00 h sshd[10]: Invalid user u from "
			                       "10.0.%zu.%zu port 22\n",
			                       i / 100, (i * 37u) % 251u);
	s = summarize(text, NULL, NOW);
	free(text);
	CHECK_EQ_INT(s->nclients, 200);
	CHECK_EQ_INT(log_summary_clients_sorted(s, 0, &all, &n), SD_OK);
	CHECK_EQ_INT(log_summary_clients_sorted(s, 20, &top, &m), SD_OK);
	if (CHECK(n == 200 && m == 200)) {
		for (i = 1; i < n; i++)
			CHECK(all[i - 1]->events >= all[i]->events);
		for (i = 0; i < 20; i++)
			CHECK(top[i] == all[i]);
		for (i = seen = 0; i < n; i++)
			for (j = 0; j < m; j++)
				seen += top[j] == all[i];
		CHECK_EQ_INT(seen, 200);
	}
	free((void *)all);
	free((void *)top);
	done(s);
}

/* ----------------------------------------------------------------- layer */

static void test_layer_unreadable_when_nothing_was_read(void)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct conn_spec c = conn("192.0.2.10");
	struct diagnosis d;

	memset(&o, 0, sizeof(o));
	o.clock = clock_at(NOW, 0);
	log_summary_init(s, &o);
	log_summary_note_source(s, "/var/log/auth.log", LOG_SOURCE_UNREADABLE, "permission denied");
	log_summary_finish(s);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(logs_layer_evaluate(s, &c, &d), SD_OK);
	CHECK_EQ_INT(d.layers[LAYER_LOGS].status, LAYER_UNREADABLE);
	CHECK(d.layers[LAYER_LOGS].note && strstr(d.layers[LAYER_LOGS].note, "permission denied"));
	diagnosis_release(&d);
	done(s);
}

static void test_layer_note_names_sources_and_client_counts(void)
{
	struct log_summary *s = summarize(lab08, "192.0.2.10", NOW);
	struct conn_spec c = conn("192.0.2.10");
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(logs_layer_evaluate(s, &c, &d), SD_OK);
	CHECK_EQ_INT(d.layers[LAYER_LOGS].status, LAYER_EVALUATED);
	CHECK(strstr(d.layers[LAYER_LOGS].note, "/var/log/auth.log") != NULL);
	CHECK(strstr(d.layers[LAYER_LOGS].note, "2 invalid_user") != NULL);
	CHECK_EQ_INT(d.nfindings, 0);
	diagnosis_release(&d);
	done(s);
}

static const char lab12[] =
    "Nov 24 03:50:27 lab sshd[27404]: Server listening on 192.0.2.1 port 22.\n"
    "Nov 24 03:50:27 lab sshd[27404]: srclimit_penalise: ipv4: new 192.0.2.10/32 active penalty "
    "of 60 seconds for penalty: connections without attempting authentication\n"
    "Nov 24 03:50:27 lab sshd[27404]: drop connection #0 from [192.0.2.10]:38310 on "
    "[192.0.2.1]:22 penalty: connections without attempting authentication\n";

static void test_layer_recent_penalty_is_a_risk_with_fixes(void)
{
	struct log_summary *s = summarize(lab12, "192.0.2.10", NOW - 4 * 3600 + 3 * 3600 + 51 * 60);
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(logs_layer_evaluate(s, &c, &d), SD_OK);
	f = find_cause(&d, LAYER_LOGS, CAUSE_PER_SOURCE_PENALTY);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_RISK);
		CHECK(evidence_has(f, "drop connection #0 from [192.0.2.10]"));
		CHECK(evidence_has(f, "srclimit_penalise"));
		CHECK(f->nfix >= 2 && strstr(f->fix[1], "noauth:0"));
	}
	diagnosis_release(&d);
	done(s);
}

static void test_layer_penalty_before_restart_is_info(void)
{
	static const char t[] =
	    "Nov 24 03:50:27 lab sshd[1]: drop connection #0 from [192.0.2.10]:1 on [192.0.2.1]:22 "
	    "penalty: failed authentication\n"
	    "Nov 24 03:51:00 lab sshd[2]: Server listening on 192.0.2.1 port 22.\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW - 4 * 3600 + 3 * 3600 + 52 * 60);
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	logs_layer_evaluate(s, &c, &d);
	f = find_cause(&d, LAYER_LOGS, CAUSE_PER_SOURCE_PENALTY);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
		CHECK(strstr(f->summary, "restarted") != NULL);
	}
	diagnosis_release(&d);
	done(s);
}

static void test_layer_cites_into_another_layers_finding(void)
{
	static const char t[] =
	    "Nov 24 03:50:26 lab sshd[26467]: error: beginning MaxStartups throttling\n"
	    "Nov 24 03:50:26 lab sshd[26467]: drop connection #2 from [192.0.2.10]:38296 on "
	    "[192.0.2.1]:22 past MaxStartups\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct conn_spec c = conn("192.0.2.10");
	struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	f = diagnosis_add_finding(&d, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_RISK);
	finding_add_evidence(f, "sshd -T", 0, "maxstartups 1:30:2");
	CHECK_EQ_INT(logs_layer_evaluate(s, &c, &d), SD_OK);
	CHECK(find_cause(&d, LAYER_LOGS, CAUSE_MAX_STARTUPS) == NULL);
	CHECK(evidence_has(f, "1 MaxStartups drop at 03:50"));
	CHECK(evidence_has(f, "drop connection #2 from [192.0.2.10]"));
	diagnosis_release(&d);
	done(s);
}

static void test_layer_maxstartups_without_other_layer_is_own_finding(void)
{
	static const char t[] =
	    "Nov 24 03:50:00 h sshd[7]: error: beginning MaxStartups throttling\n"
	    "Nov 24 03:50:00 h sshd[7]: drop connection #10 from [192.0.2.1]:1 on [192.0.2.9]:22 "
	    "past "
	    "MaxStartups\n"
	    "Nov 24 03:53:10 h sshd[7]: exited MaxStartups throttling after 00:03:10, 37 "
	    "connections "
	    "dropped\n";
	struct log_summary *s = summarize(t, NULL, NOW);
	struct conn_spec c = conn(NULL);
	const struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, NULL, 22, NULL);
	logs_layer_evaluate(s, &c, &d);
	f = find_cause(&d, LAYER_LOGS, CAUSE_MAX_STARTUPS);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_RISK);
		CHECK(strncmp(f->summary, "37 MaxStartups drops between 03:50 and 03:53", 44) == 0);
		CHECK(evidence_has(f, "beginning MaxStartups throttling"));
		CHECK(evidence_has(f, "exited MaxStartups throttling"));
	}
	diagnosis_release(&d);
	done(s);
}

static void test_layer_old_episode_is_info(void)
{
	static const char t[] =
	    "Nov 20 03:50:00 h sshd[7]: drop connection #10 from [192.0.2.1]:1 on "
	    "[192.0.2.9]:22 past MaxStartups\n";
	struct log_summary *s = summarize(t, NULL, NOW);
	struct conn_spec c = conn(NULL);
	const struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, NULL, 22, NULL);
	logs_layer_evaluate(s, &c, &d);
	f = find_cause(&d, LAYER_LOGS, CAUSE_MAX_STARTUPS);
	if (CHECK(f != NULL))
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
	diagnosis_release(&d);
	done(s);
}

static void test_layer_does_not_cite_other_clients_refusals(void)
{
	static const char t[] =
	    "Nov 24 03:50:28 lab sshd[1]: refused connect from 192.0.2.99 (192.0.2.99)\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct conn_spec c = conn("192.0.2.10");
	struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	f = diagnosis_add_finding(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY,
	                          SEVERITY_BLOCKER);
	logs_layer_evaluate(s, &c, &d);
	CHECK_EQ_INT(f->nevidence, 0);
	diagnosis_release(&d);
	done(s);
}

static void test_layer_libwrap_lines_join_the_tcp_wrappers_finding(void)
{
	static const char t[] =
	    "Nov 24 03:50:28 lab sshd[28330]: refused connect from 192.0.2.10 (192.0.2.10)\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct conn_spec c = conn("192.0.2.10");
	struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	f = diagnosis_add_finding(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY,
	                          SEVERITY_BLOCKER);
	logs_layer_evaluate(s, &c, &d);
	CHECK(evidence_has(f, "refused connect from 192.0.2.10"));
	CHECK_EQ_INT(f->evidence[1].line, 1);
	CHECK(find_cause(&d, LAYER_LOGS, CAUSE_TCP_WRAPPERS_DENY) == NULL);
	diagnosis_release(&d);
	done(s);
}

static void test_layer_rexec_failure_names_sshd_session(void)
{
	static const char t[] = "Nov 24 03:50:43 lab sshd[3523]: fatal: rexec of "
	                        "/usr/lib/openssh/sshd-session failed: No "
	                        "such file or directory\n";
	struct log_summary *s = summarize(t, NULL, NOW);
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	logs_layer_evaluate(s, &c, &d);
	f = find_cause(&d, LAYER_LOGS, CAUSE_SSHD_SESSION_MISSING);
	if (CHECK(f != NULL))
		CHECK(evidence_has(f, "rexec of /usr/lib/openssh/sshd-session failed"));
	diagnosis_release(&d);
	done(s);
}

/* ----------------------------------------------------------------- syslog.conf, render */

static void test_syslogconf_debian_auth_file(void)
{
	static const char t[] = "auth,authpriv.*\t\t\t/var/log/auth.log\n"
	                        "*.*;auth,authpriv.none\t\t-/var/log/syslog\n"
	                        "mail.*\t\t\t-/var/log/mail.log\n";
	struct syslog_files f = {{0}, 0};

	CHECK_EQ_INT(syslog_conf_files(t, strlen(t), "AUTH", &f), SD_OK);
	if (CHECK(f.n == 1))
		CHECK_STREQ(f.path[0], "/var/log/auth.log");
	syslog_files_release(&f);
}

static void test_syslogconf_levels_and_local_facilities(void)
{
	static const char t[] = "local0.notice /var/log/a\nlocal0.info -/var/log/b\n"
	                        "local0.=info /var/log/c\n*.* @@remote:514\n"
	                        "if $programname == 'sshd' then /var/log/d\n";
	struct syslog_files f = {{0}, 0};

	CHECK_EQ_INT(syslog_conf_files(t, strlen(t), "local0", &f), SD_OK);
	if (CHECK(f.n == 2)) {
		CHECK_STREQ(f.path[0], "/var/log/b");
		CHECK_STREQ(f.path[1], "/var/log/c");
	}
	syslog_files_release(&f);
}

static void test_render_json_has_the_contract_keys(void)
{
	struct log_summary *s = summarize(lab08, "192.0.2.10", NOW);
	struct logs_render_opts o;
	struct ip_addr a = addr("192.0.2.10");
	json_t *j;

	memset(&o, 0, sizeof(o));
	o.client = &a;
	o.client_text = "192.0.2.10";
	j = logs_render_json(s, &o);
	if (CHECK(j != NULL)) {
		json_t *c = json_object_get(j, "client");

		CHECK(json_is_array(json_object_get(j, "sources")));
		CHECK(json_is_object(json_object_get(j, "totals")));
		CHECK(json_is_array(json_object_get(j, "windows")));
		CHECK(json_is_array(json_object_get(c, "timeline")));
		CHECK_EQ_INT(json_array_size(json_object_get(c, "timeline")), 4);
		CHECK_STREQ(json_string_value(json_object_get(
		                json_array_get(json_object_get(c, "timeline"), 0), "class")),
		            "invalid_user");
	}
	json_decref(j);
	done(s);
}

static void test_render_text_sanitises_log_bytes(void)
{
	static const char t[] =
	    "Nov 24 03:50:23 h sshd[1]: Invalid user \x1b[31mx from 192.0.2.10 port 1\n";
	struct log_summary *s = summarize(t, "192.0.2.10", NOW);
	struct logs_render_opts o;
	struct ip_addr a = addr("192.0.2.10");
	struct buf b;

	memset(&o, 0, sizeof(o));
	o.client = &a;
	o.client_text = "192.0.2.10";
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(logs_render_text(s, &o, &b), SD_OK);
	CHECK(strchr(b.data, '\x1b') == NULL);
	CHECK(strstr(b.data, "\\x1b[31mx") != NULL);
	buf_release(&b);
	done(s);
}

#define LOGS_TESTS(X)                                                                              \
	X(time_syslog_takes_the_year_of_now)                                                       \
	X(time_syslog_december_seen_in_january_is_last_year)                                       \
	X(time_syslog_single_digit_day_and_fraction)                                               \
	X(time_syslog_uses_the_local_offset)                                                       \
	X(time_rfc3339_with_offset)                                                                \
	X(time_short_iso_offset_without_colon)                                                     \
	X(time_fail2ban_form_is_local)                                                             \
	X(time_rejects_what_is_not_a_time)                                                         \
	X(since_relative_forms)                                                                    \
	X(since_calendar_forms)                                                                    \
	X(since_rejects_garbage)                                                                   \
	X(time_span_texts)                                                                         \
	X(duration_format)                                                                         \
	X(line_other_programs_are_rejected)                                                        \
	X(line_maxstartups_drop_in_every_wording)                                                  \
	X(line_penalty_drop_keeps_the_reason)                                                      \
	X(line_user_name_cannot_spoof_the_address)                                                 \
	X(line_last_literal_at_every_offset)                                                       \
	X(line_mapped_ipv6_becomes_ipv4)                                                           \
	X(line_preauth_and_level_are_noted)                                                        \
	X(line_host_name_gives_no_address)                                                         \
	X(line_bare_messages_of_sshd_e)                                                            \
	X(line_accepted_without_method_stays_inside)                                               \
	X(line_port_out_of_range_is_unknown)                                                       \
	X(line_fail2ban_jail_and_count)                                                            \
	X(line_timeout_9_8_is_marked_for_repair)                                                   \
	X(line_connection_id_with_spaces_in_user)                                                  \
	X(line_connection_id_port_lengths)                                                         \
	X(line_cache_changes_no_result)                                                            \
	X(summary_counts_per_client)                                                               \
	X(summary_similar_addresses_in_a_run_stay_apart)                                           \
	X(summary_chunking_does_not_change_the_result)                                             \
	X(summary_attributes_addressless_lines_by_pid)                                             \
	X(summary_timeline_is_ordered_across_sources)                                              \
	X(summary_gap_splits_episodes)                                                             \
	X(summary_maxstartups_count_trusts_sshd_report)                                            \
	X(summary_rate_limit_reports_add_up)                                                       \
	X(summary_since_drops_older_events)                                                        \
	X(summary_overlong_line_is_cut_and_counted)                                                \
	X(summary_repairs_9_8_swapped_addresses)                                                   \
	X(summary_client_window_text)                                                              \
	X(summary_client_post_auth_close_is_no_preauth_close)                                      \
	X(summary_counts_long_runs)                                                                \
	X(summary_journal_records)                                                                 \
	X(summary_timeline_keeps_head_and_tail)                                                    \
	X(summary_memory_follows_clients_not_lines)                                                \
	X(summary_clients_sorted_by_events)                                                        \
	X(summary_clients_top_is_the_sorts_head)                                                   \
	X(layer_unreadable_when_nothing_was_read)                                                  \
	X(layer_note_names_sources_and_client_counts)                                              \
	X(layer_recent_penalty_is_a_risk_with_fixes)                                               \
	X(layer_penalty_before_restart_is_info)                                                    \
	X(layer_cites_into_another_layers_finding)                                                 \
	X(layer_maxstartups_without_other_layer_is_own_finding)                                    \
	X(layer_old_episode_is_info)                                                               \
	X(layer_does_not_cite_other_clients_refusals)                                              \
	X(layer_libwrap_lines_join_the_tcp_wrappers_finding)                                       \
	X(layer_rexec_failure_names_sshd_session)                                                  \
	X(syslogconf_debian_auth_file)                                                             \
	X(syslogconf_levels_and_local_facilities)                                                  \
	X(render_json_has_the_contract_keys)                                                       \
	X(render_text_sanitises_log_bytes)

#define T_STATIC_ENTRY(name) {#name, test_##name},

int main(int argc, char **argv)
{
	static const struct t_test tests[] = {LOGS_TESTS(T_STATIC_ENTRY)};

	return t_run("logs-unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
