/*
 * unit.c — tests of src/bans, one behaviour each.  Ends with `bans-unit: N passed, N failed`.
 * Built with tests/unit/t.c against the core library only (no I/O).  Configuration texts are
 * the shapes of Debian 12's fail2ban 1.0.2 files and of the lab's (tests/lab/scenarios/
 * 08-fail2ban.scn); database rows are the lab's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "../unit/t.h"
#include "bans/denyhosts.h"
#include "bans/f2b.h"
#include "bans/f2b_conf.h"
#include "bans/layer.h"
#include "bans/sshguard.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/diagnosis.h"
#include "logs/summary.h"

#define NOW 1795492284LL /* 2026-11-24 03:51:24Z */

static struct ip_addr addr(const char *s)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	ip_addr_parse(s, &a);
	return a;
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

/* Merges the given files (path, text pairs) in order. */
static void conf_of(struct f2b_conf *c, const char *const *files, size_t n)
{
	struct f2b_ini ini;
	size_t i;

	f2b_conf_init(c);
	for (i = 0; i < n; i += 2) {
		if (!CHECK(f2b_ini_parse(files[i + 1], strlen(files[i + 1]), &ini) == SD_OK))
			continue;
		CHECK_EQ_INT(f2b_conf_add(c, files[i], &ini), SD_OK);
		f2b_ini_release(&ini);
	}
}

/* The interpolated value, static buffer. */
static const char *get(const struct f2b_conf *c, const char *sec, const char *key)
{
	static char out[1024];
	struct buf b;
	int r;

	buf_init(&b, sizeof(out) - 1);
	r = f2b_conf_get(c, sec, key, &b, NULL);
	snprintf(out, sizeof(out), "%s",
	         r == SD_OK            ? b.data
	         : r == SD_ERR_INVALID ? "<invalid>"
	                               : "<none>");
	buf_release(&b);
	return out;
}

static const char jail_conf[] = "[INCLUDES]\nbefore = paths-debian.conf\n\n"
                                "[DEFAULT]\nbantime  = 10m\nfindtime  = 10m\nmaxretry = 5\n"
                                "enabled = false\nbanaction = iptables-multiport\n"
                                "action_ = %(banaction)s[port=\"%(port)s\"]\n"
                                "action = %(action_)s\n\n"
                                "[sshd]\nport    = ssh\nlogpath = %(sshd_log)s\n"
                                "backend = %(sshd_backend)s\n";
static const char paths_debian[] = "[DEFAULT]\nsshd_log = /var/log/auth.log\n"
                                   "sshd_backend = auto\n";
static const char defaults_debian[] = "[sshd]\nenabled = true\n";
static const char lab_local[] = "[DEFAULT]\nbackend = polling\n\n[sshd]\nenabled = true\n"
                                "port = ssh\nlogpath = /tmp/lab/auth.log\nmaxretry = 2\n"
                                "findtime = 10m\nbantime = 10m\n";

/* ----------------------------------------------------------------- the INI reader */

static void test_ini_keys_are_lower_cased_sections_kept(void)
{
	struct f2b_ini ini;

	CHECK_EQ_INT(
	    f2b_ini_parse("[Sshd]\nMaxRetry = 3\n", strlen("[Sshd]\nMaxRetry = 3\n"), &ini), SD_OK);
	CHECK_STREQ(f2b_ini_get(&ini, "Sshd", "maxretry"), "3");
	CHECK(f2b_ini_get(&ini, "sshd", "maxretry") == NULL);
	f2b_ini_release(&ini);
}

static void test_ini_continuation_lines_join(void)
{
	static const char t[] =
	    "[x]\nignoreip = 127.0.0.1/8\n   ::1\n\n   192.0.2.0/24\nnext = 1\n";
	struct f2b_ini ini;

	CHECK_EQ_INT(f2b_ini_parse(t, strlen(t), &ini), SD_OK);
	CHECK_STREQ(f2b_ini_get(&ini, "x", "ignoreip"), "127.0.0.1/8\n::1\n\n192.0.2.0/24");
	CHECK_STREQ(f2b_ini_get(&ini, "x", "next"), "1");
	f2b_ini_release(&ini);
}

static void test_ini_inline_comment_and_colon(void)
{
	static const char t[] = "[x]\n# comment\n; comment\nbantime = 1h ; one hour\nfindtime: 5m\n"
	                        "url = http://a;b\n";
	struct f2b_ini ini;

	CHECK_EQ_INT(f2b_ini_parse(t, strlen(t), &ini), SD_OK);
	CHECK_STREQ(f2b_ini_get(&ini, "x", "bantime"), "1h");
	CHECK_STREQ(f2b_ini_get(&ini, "x", "findtime"), "5m");
	CHECK_STREQ(f2b_ini_get(&ini, "x", "url"), "http://a;b");
	f2b_ini_release(&ini);
}

static void test_ini_counts_bad_lines(void)
{
	struct f2b_ini ini;

	static const char t[] = "key = outside\n[x\n[y]\nnot a key\n";

	CHECK_EQ_INT(f2b_ini_parse(t, strlen(t), &ini), SD_OK);
	CHECK_EQ_INT(ini.bad_lines, 3);
	f2b_ini_release(&ini);
}

/* ----------------------------------------------------------------- merging, interpolation */

static void test_conf_later_files_override(void)
{
	const char *f[] = {"/etc/fail2ban/paths-debian.conf",
	                   paths_debian,
	                   "/etc/fail2ban/jail.conf",
	                   jail_conf,
	                   "/etc/fail2ban/jail.d/defaults-debian.conf",
	                   defaults_debian};
	struct f2b_conf c;

	conf_of(&c, f, 6);
	CHECK_STREQ(get(&c, "sshd", "enabled"), "true");
	CHECK_STREQ(get(&c, "DEFAULT", "enabled"), "false");
	f2b_conf_release(&c);
}

static void test_conf_interpolates_from_section_then_default(void)
{
	const char *f[] = {"p", paths_debian, "j", jail_conf};
	struct f2b_conf c;

	conf_of(&c, f, 4);
	CHECK_STREQ(get(&c, "sshd", "logpath"), "/var/log/auth.log");
	CHECK_STREQ(get(&c, "sshd", "action"), "iptables-multiport[port=\"ssh\"]");
	f2b_conf_release(&c);
}

static void test_conf_name_and_default_references(void)
{
	static const char t[] = "[DEFAULT]\nfilter = %(__name__)s[mode=%(mode)s]\nmode = normal\n"
	                        "x = %(default/mode)s\n[sshd]\nmode = aggressive\n";
	const char *f[] = {"j", t};
	struct f2b_conf c;

	conf_of(&c, f, 2);
	CHECK_STREQ(get(&c, "sshd", "filter"), "sshd[mode=aggressive]");
	CHECK_STREQ(get(&c, "sshd", "x"), "normal");
	f2b_conf_release(&c);
}

static void test_conf_known_gives_the_overridden_value(void)
{
	static const char a[] = "[sshd]\nport = ssh\n";
	static const char b[] = "[sshd]\nport = %(known/port)s,2222\n";
	const char *f[] = {"a", a, "b", b};
	struct f2b_conf c;

	conf_of(&c, f, 4);
	CHECK_STREQ(get(&c, "sshd", "port"), "ssh,2222");
	f2b_conf_release(&c);
}

static void test_conf_section_reference(void)
{
	static const char t[] = "[other]\nx = 42\n[sshd]\ny = %(other/x)s!\n";
	const char *f[] = {"j", t};
	struct f2b_conf c;

	conf_of(&c, f, 2);
	CHECK_STREQ(get(&c, "sshd", "y"), "42!");
	f2b_conf_release(&c);
}

static void test_conf_unresolved_and_looping_references_are_invalid(void)
{
	static const char t[] = "[sshd]\na = %(nope)s\nb = %(c)s\nc = %(b)s\nd = 100%%\n";
	const char *f[] = {"j", t};
	struct f2b_conf c;

	conf_of(&c, f, 2);
	CHECK_STREQ(get(&c, "sshd", "a"), "<invalid>");
	CHECK_STREQ(get(&c, "sshd", "b"), "<invalid>");
	CHECK_STREQ(get(&c, "sshd", "d"), "100%");
	CHECK_STREQ(get(&c, "sshd", "zzz"), "<none>");
	f2b_conf_release(&c);
}

static void test_seconds_like_fail2ban(void)
{
	long long v;

	CHECK(f2b_seconds("600", &v) == SD_OK && v == 600);
	CHECK(f2b_seconds("10m", &v) == SD_OK && v == 600);
	CHECK(f2b_seconds("1h 30m", &v) == SD_OK && v == 5400);
	CHECK(f2b_seconds("1d12h", &v) == SD_OK && v == 129600);
	CHECK(f2b_seconds("1w", &v) == SD_OK && v == 604800);
	CHECK(f2b_seconds("1mo", &v) == SD_OK && v == 2629800);
	CHECK(f2b_seconds("1year-6mo", &v) == SD_OK && v == 15778800);
	CHECK(f2b_seconds("-1", &v) == SD_OK && v == -1);
	/* found by fuzz_f2bconf: a product beyond 64 bits saturates instead of overflowing */
	CHECK(f2b_seconds("999999999999y", &v) == SD_OK && v == LLONG_MAX);
	CHECK(f2b_seconds("-999999999999y", &v) == SD_OK && v == LLONG_MIN);
	CHECK(f2b_seconds("999999999999y 1y", &v) == SD_OK && v == LLONG_MAX);
	CHECK_EQ_INT(f2b_seconds("forever", &v), SD_ERR_INVALID);
	CHECK_EQ_INT(f2b_seconds("", &v), SD_ERR_INVALID);
}

static void test_bool_like_fail2ban(void)
{
	CHECK(f2b_bool("true") && f2b_bool("Yes") && f2b_bool("on") && f2b_bool("1"));
	CHECK(!f2b_bool("false") && !f2b_bool("0") && !f2b_bool("enabled"));
}

/* ----------------------------------------------------------------- jails, server */

static void test_jail_debian_layout(void)
{
	const char *f[] = {"/etc/fail2ban/paths-debian.conf",
	                   paths_debian,
	                   "/etc/fail2ban/jail.conf",
	                   jail_conf,
	                   "/etc/fail2ban/jail.d/defaults-debian.conf",
	                   defaults_debian};
	struct f2b_conf c;
	struct f2b_jail j;

	conf_of(&c, f, 6);
	CHECK_EQ_INT(f2b_jail_read(&c, "sshd", &j), SD_OK);
	CHECK(j.exists && j.enabled);
	CHECK_EQ_INT(j.bantime, 600);
	CHECK_EQ_INT(j.maxretry, 5);
	CHECK_STREQ(j.banaction, "iptables-multiport");
	CHECK_STREQ(j.o_enabled.file, "/etc/fail2ban/jail.d/defaults-debian.conf");
	CHECK_EQ_INT(j.o_enabled.line, 2);
	f2b_jail_release(&j);
	f2b_conf_release(&c);
}

static void test_jail_builtin_defaults_without_settings(void)
{
	struct f2b_conf c;
	struct f2b_jail j;

	f2b_conf_init(&c);
	CHECK_EQ_INT(f2b_jail_read(&c, "sshd", &j), SD_OK);
	CHECK(!j.exists && !j.enabled);
	CHECK_EQ_INT(j.bantime, 600);
	CHECK_EQ_INT(j.findtime, 600);
	CHECK_EQ_INT(j.maxretry, 5);
	CHECK(j.o_bantime.file == NULL);
	f2b_jail_release(&j);
	f2b_conf_release(&c);
}

static void test_server_dbfile_and_logtarget(void)
{
	static const char conf[] = "[Definition]\nlogtarget = /var/log/fail2ban.log\n"
	                           "dbfile = /var/lib/fail2ban/fail2ban.sqlite3\n";
	static const char local[] = "[Definition]\ndbfile = /tmp/lab/fail2ban.sqlite3\n";
	const char *f[] = {"fail2ban.conf", conf, "fail2ban.local", local};
	struct f2b_conf c;
	struct f2b_server s;

	conf_of(&c, f, 4);
	CHECK_EQ_INT(f2b_server_read(&c, &s), SD_OK);
	CHECK_STREQ(s.dbfile, "/tmp/lab/fail2ban.sqlite3");
	CHECK_STREQ(s.logtarget, "/var/log/fail2ban.log");
	CHECK_STREQ(s.socket, F2B_DEFAULT_SOCKET);
	CHECK_STREQ(s.o_dbfile.file, "fail2ban.local");
	f2b_server_release(&s);
	f2b_conf_release(&c);
}

/* ----------------------------------------------------------------- bans, matches */

static const char lab_data[] =
    "{\"matches\": [[\"\", \"Nov 24 03:50:23\", \" lab sshd[25115]: Invalid user labuser from "
    "192.0.2.10 port 38276\"], \"Nov 24 03:50:23 lab sshd[25176]: Invalid user labuser from "
    "192.0.2.10 port 38278\"], \"failures\": 2, \"mlfid\": \" lab sshd[25115]: \"}";

static void test_ban_active_and_permanent(void)
{
	struct f2b_ban b = {"sshd", "192.0.2.10", NOW - 60, 600, 1, NULL};

	CHECK(f2b_ban_active(&b, NOW));
	b.timeofban = NOW - 700;
	CHECK(!f2b_ban_active(&b, NOW));
	b.bantime = -1;
	CHECK(f2b_ban_active(&b, NOW));
	/* a database row whose end does not fit in 64 bits: running, not an overflow */
	b.bantime = LLONG_MAX;
	CHECK(f2b_ban_active(&b, NOW));
}

static void test_matches_join_fragments(void)
{
	char **lines;
	size_t n;
	long long failures;

	CHECK_EQ_INT(f2b_ban_matches(lab_data, &lines, &n, &failures), SD_OK);
	CHECK_EQ_INT(failures, 2);
	if (CHECK(n == 2)) {
		CHECK_STREQ(lines[0], "Nov 24 03:50:23 lab sshd[25115]: Invalid user labuser from "
		                      "192.0.2.10 port 38276");
		CHECK(strncmp(lines[1], "Nov 24 03:50:23 lab sshd[25176]", 31) == 0);
	}
	f2b_matches_free(lines, n);
}

static void test_matches_of_bad_data_are_none(void)
{
	char **lines;
	size_t n;
	long long failures;

	CHECK_EQ_INT(f2b_ban_matches("{not json", &lines, &n, &failures), SD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(f2b_ban_matches("[1,2]", &lines, &n, &failures), SD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(failures, -1);
}

static void test_ignoreip_forms(void)
{
	struct ip_addr a = addr("192.0.2.10");
	char entry[64];
	int names;

	CHECK(f2b_ignoreip_match("127.0.0.1/8 ::1 192.0.2.0/24", &a, entry, sizeof(entry), &names));
	CHECK_STREQ(entry, "192.0.2.0/24");
	CHECK(f2b_ignoreip_match("10.0.0.1,192.0.2.10", &a, entry, sizeof(entry), &names));
	CHECK(f2b_ignoreip_match("192.0.2.0/255.255.255.0", &a, entry, sizeof(entry), &names));
	CHECK(!f2b_ignoreip_match("127.0.0.1/8 ::1 gw.example.net", &a, entry, sizeof(entry),
	                          &names));
	CHECK(names);
	CHECK(!f2b_ignoreip_match("192.0.2.11", &a, entry, sizeof(entry), &names));
}

static void test_next_bantime_increment(void)
{
	struct f2b_jail j;

	memset(&j, 0, sizeof(j));
	j.bantime = 600;
	j.maxtime = -1;
	CHECK_EQ_INT(f2b_next_bantime(&j, 3), 600); /* increment off */
	j.increment = 1;
	CHECK_EQ_INT(f2b_next_bantime(&j, 1), 1200);
	CHECK_EQ_INT(f2b_next_bantime(&j, 3), 4800);
	j.maxtime = 3600;
	CHECK_EQ_INT(f2b_next_bantime(&j, 3), 3600);
	j.maxtime = -1;
	j.multipliers = "1 5 30 60";
	CHECK_EQ_INT(f2b_next_bantime(&j, 1), 3000);
	CHECK_EQ_INT(f2b_next_bantime(&j, 9), 36000);
	/* increments that do not fit in 64 bits saturate, then maxtime caps them */
	j.bantime = 1LL << 58;
	CHECK(f2b_next_bantime(&j, 9) == LLONG_MAX);
	j.multipliers = NULL;
	CHECK(f2b_next_bantime(&j, 20) == LLONG_MAX);
	j.maxtime = 86400 * 365;
	CHECK_EQ_INT(f2b_next_bantime(&j, 20), 86400 * 365);
	j.bantime = 600;
	j.maxtime = -1;
	j.formula = "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)";
	CHECK_EQ_INT(f2b_next_bantime(&j, 1), -2);
}

static void test_client_sees_from_the_action(void)
{
	struct f2b_jail j;

	memset(&j, 0, sizeof(j));
	j.banaction = "iptables-multiport";
	CHECK_STREQ(f2b_client_sees(&j), "Connection refused");
	j.action = "iptables-multiport[blocktype=DROP]";
	CHECK_STREQ(f2b_client_sees(&j), "Connection timed out");
	j.action = "hostsdeny[daemon_list=sshd]";
	CHECK_STREQ(f2b_client_sees(&j), "reset");
}

static const char lab_status[] =
    "Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t0\n"
    "|  |- Total failed:\t2\n|  `- File list:\t/tmp/lab/auth.log\n"
    "`- Actions\n   |- Currently banned:\t1\n   |- Total banned:\t1\n"
    "   `- Banned IP list:\t192.0.2.10\n";

static void test_status_of_the_lab(void)
{
	struct f2b_status st;

	CHECK_EQ_INT(f2b_status_parse(lab_status, strlen(lab_status), &st), SD_OK);
	CHECK(st.valid);
	CHECK_EQ_INT(st.total_failed, 2);
	CHECK_EQ_INT(st.currently_banned, 1);
	CHECK(f2b_status_lists(&st, "192.0.2.10"));
	CHECK(!f2b_status_lists(&st, "192.0.2.1"));
	f2b_status_release(&st);
}

static void test_banip_with_time(void)
{
	static const char t[] = "192.0.2.1 \t2026-11-24 03:00:00 + 60 = 2026-11-24 03:01:00\n"
	                        "192.0.2.10 \t2026-11-24 03:50:23 + 600 = 2026-11-24 04:00:23\n";
	struct log_clock clk;
	struct f2b_banip b;

	log_clock_init(&clk, NOW * LOG_US, 0);
	CHECK_EQ_INT(f2b_banip_find(t, strlen(t), "192.0.2.10", &clk, &b), SD_OK);
	CHECK_EQ_INT(b.bantime, 600);
	CHECK_EQ_INT(b.end - b.start, 600 * LOG_US);
	CHECK_EQ_INT(f2b_banip_find(t, strlen(t), "192.0.2.2", &clk, &b), SD_ERR_NOT_FOUND);
}

/* ----------------------------------------------------------------- sshguard, DenyHosts */

static void test_sshguard_conf(void)
{
	static const char t[] = "#!/bin/sh\nBACKEND=\"/usr/libexec/sshguard/sshg-fw-nft-sets\"\n"
	                        "THRESHOLD=30\nBLOCK_TIME=120\n"
	                        "BLACKLIST_FILE=90:/var/lib/sshguard/enemies\n"
	                        "WHITELIST_FILE=/etc/sshguard/whitelist # friends\n";
	struct sshguard_conf c;

	CHECK_EQ_INT(sshguard_conf_parse(t, strlen(t), &c), SD_OK);
	CHECK_STREQ(sshguard_backend_kind(c.backend), "nft-sets");
	CHECK_STREQ(c.blacklist_file, "/var/lib/sshguard/enemies");
	CHECK_EQ_INT(c.blacklist_threshold, 90);
	CHECK_STREQ(c.whitelist_file, "/etc/sshguard/whitelist");
	CHECK_EQ_INT(c.backend_line, 2);
	sshguard_conf_release(&c);
}

static void test_sshguard_blacklist_and_whitelist(void)
{
	static const char bl[] = "1700000000|100|4|192.0.2.7\n1700000100|100|4|192.0.2.70\n"
	                         "garbage\n1700000200|100|6|2001:db8::7\n";
	static const char wl[] = "# friends\n10.0.0.0/8\n192.0.2.64/26\n";
	static const char bad_wl[] = "203.0.113.0/\n198.51.100.0/x\n10.0.0.0/33\n";
	static const char all_wl[] = "203.0.113.0/\n0.0.0.0/0\n";
	struct sshguard_entry e;
	struct ip_addr a = addr("192.0.2.70");

	CHECK_EQ_INT(sshguard_blacklist_find(bl, strlen(bl), &a, &e), SD_OK);
	CHECK_EQ_INT(e.line, 2);
	CHECK_EQ_INT(e.time, 1700000100);
	CHECK_EQ_INT(sshguard_blacklist_count(bl, strlen(bl)), 3);
	CHECK_EQ_INT(sshguard_whitelist_find(wl, strlen(wl), &a), 3);
	a = addr("192.0.2.7");
	CHECK_EQ_INT(sshguard_whitelist_find(wl, strlen(wl), &a), 0);
	/* a prefix length that is not a number whitelists nothing (it read as /0: everything) */
	CHECK_EQ_INT(sshguard_whitelist_find(bad_wl, strlen(bad_wl), &a), 0);
	CHECK_EQ_INT(sshguard_whitelist_find(all_wl, strlen(all_wl), &a), 2);
}

static const char lab_deny[] = "# /etc/hosts.deny: list of hosts that are _not_ allowed\n"
                               "# DenyHosts: Tue Nov 24 03:50:34 2026 | sshd: 192.0.2.10\n"
                               "sshd: 192.0.2.10\nsshd: 192.0.2.1\n";

static void test_denyhosts_entry_with_its_comment(void)
{
	struct dh_hit h[4];
	struct ip_addr a = addr("192.0.2.10");

	CHECK_EQ_INT(dh_deny_find(lab_deny, strlen(lab_deny), &a, h, 4), 1);
	CHECK_EQ_INT(h[0].line, 3);
	CHECK_EQ_INT(h[0].comment_line, 2);
	CHECK_STREQ(h[0].date, "Tue Nov 24 03:50:34 2026");
	CHECK_STREQ(h[0].text, "sshd: 192.0.2.10");
	a = addr("192.0.2.1");
	CHECK_EQ_INT(dh_deny_find(lab_deny, strlen(lab_deny), &a, h, 4), 1);
	CHECK_EQ_INT(h[0].comment_line, 0);
}

/* fuzz found: a " | " right after the prefix ended the date before it began */
static void test_denyhosts_comment_with_empty_date(void)
{
	static const char t[] = "# DenyHosts: | sshd: 192.0.2.10\nsshd: 192.0.2.10\n";
	struct dh_hit h[2];
	struct ip_addr a = addr("192.0.2.10");

	CHECK_EQ_INT(dh_deny_find(t, strlen(t), &a, h, 2), 1);
	CHECK_EQ_INT(h[0].comment_line, 1);
	CHECK_STREQ(h[0].date, "");
}

static void test_denyhosts_work_file_counter(void)
{
	static const char t[] = "192.0.2.1:2:Mon Nov 23 10:00:00 2026\n"
	                        "192.0.2.10:5:Tue Nov 24 03:50:34 2026\n";
	struct dh_hit h[4];
	struct ip_addr a = addr("192.0.2.10");

	CHECK_EQ_INT(dh_work_find(t, strlen(t), &a, h, 4), 1);
	CHECK_EQ_INT(h[0].count, 5);
	CHECK_STREQ(h[0].date, "Tue Nov 24 03:50:34 2026");
}

static void test_denyhosts_conf_defaults(void)
{
	struct dh_conf c;

	static const char t[] = "WORK_DIR = /srv/dh\nIPTABLES = /sbin/iptables\n";

	CHECK_EQ_INT(dh_conf_parse(t, strlen(t), &c), SD_OK);
	CHECK_STREQ(c.work_dir, "/srv/dh");
	CHECK_STREQ(c.hosts_deny, "/etc/hosts.deny");
	CHECK_STREQ(c.iptables, "/sbin/iptables");
	dh_conf_release(&c);
}

/* ----------------------------------------------------------------- the layer */

struct fx {
	struct f2b_conf jc;
	struct bans_inputs in;
	struct f2b_ban row;
	struct diagnosis d;
	struct conn_spec c;
};

static void fx_init(struct fx *x, const char *client)
{
	const char *f[] = {"/etc/fail2ban/jail.conf", jail_conf, "/etc/fail2ban/jail.local",
	                   lab_local};

	memset(x, 0, sizeof(*x));
	conf_of(&x->jc, f, 4);
	x->in.f2b.state = BANS_PRESENT;
	x->in.f2b.confdir = "/etc/fail2ban";
	x->in.f2b.jail_conf = &x->jc;
	x->in.f2b.db_state = BANS_PRESENT;
	x->in.f2b.db_path = "/var/lib/fail2ban/fail2ban.sqlite3";
	x->in.f2b.running = -1;
	x->in.f2b.db_jail_enabled = -1;
	log_clock_init(&x->in.clock, NOW * LOG_US, 0);
	x->row = (struct f2b_ban){"sshd", "192.0.2.10", NOW - 61, 600, 1, (char *)lab_data};
	x->c = conn(client);
	diagnosis_init(&x->d, client, 22, NULL);
}

static void fx_release(struct fx *x)
{
	diagnosis_release(&x->d);
	f2b_conf_release(&x->jc);
}

static const struct finding *cause_in(const struct diagnosis *d, enum cause_id c)
{
	size_t i;

	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->cause == c && d->findings[i]->layer == LAYER_BANS)
			return d->findings[i];
	return NULL;
}

static int has_evidence(const struct finding *f, const char *needle)
{
	size_t i;

	for (i = 0; f && i < f->nevidence; i++)
		if (strstr(f->evidence[i].text, needle))
			return 1;
	return 0;
}

static int has_fix(const struct finding *f, const char *needle)
{
	size_t i;

	for (i = 0; f && i < f->nfix; i++)
		if (strstr(f->fix[i], needle))
			return 1;
	return 0;
}

static void test_layer_not_applicable_without_ban_tools(void)
{
	struct bans_inputs in;
	struct conn_spec c = conn("192.0.2.10");
	struct diagnosis d;

	memset(&in, 0, sizeof(in));
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(bans_layer_evaluate(&in, &c, &d), SD_OK);
	CHECK_EQ_INT(d.layers[LAYER_BANS].status, LAYER_NOT_APPLICABLE);
	CHECK_EQ_INT(d.nfindings, 0);
	diagnosis_release(&d);
}

static void test_layer_live_ban_is_a_blocker_with_dates_and_fixes(void)
{
	struct fx x;
	const struct finding *f;

	fx_init(&x, "192.0.2.10");
	x.in.f2b.bips = &x.row;
	x.in.f2b.nbips = 1;
	x.in.f2b.running = 1;
	x.in.f2b.status_text = lab_status;
	CHECK_EQ_INT(bans_layer_evaluate(&x.in, &x.c, &x.d), SD_OK);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_BLOCKER);
		CHECK(strstr(f->summary, "banned 192.0.2.10 at 2026-11-24 03:50:23 until "
		                         "2026-11-24 04:00:23 (10m)") != NULL);
		CHECK(strstr(f->summary, "after 2 failures (2x invalid user labuser; maxretry 2") !=
		      NULL);
		CHECK(has_evidence(f, "Banned IP list: 192.0.2.10"));
		CHECK(has_evidence(f, "stored match: Nov 24 03:50:23 lab sshd[25115]"));
		CHECK(has_evidence(f, "[sshd] maxretry = 2"));
		CHECK(has_fix(f, "fail2ban-client set sshd unbanip 192.0.2.10"));
		CHECK(has_fix(f, "ignoreip = 127.0.0.1/8 ::1 192.0.2.10"));
		CHECK_STREQ(f->client_sees,
		            "ssh: connect to host HOST port 22: Connection refused");
	}
	CHECK_EQ_INT(x.d.layers[LAYER_BANS].status, LAYER_EVALUATED);
	fx_release(&x);
}

/*
 * Numbers out of range everywhere (found by fuzz_f2bconf): a findtime and a bantime of
 * 999999999999 years, a database row whose end does not fit in 64 bits.  The ban is still
 * reported, without arithmetic overflow (the ASan/UBSan build traps on one).
 */
static void test_layer_extreme_times_do_not_overflow(void)
{
	static const char local[] = "[sshd]\nenabled = true\nmaxretry = 2\n"
	                            "findtime = 999999999999y\nbantime = 999999999999y\n";
	const char *files[] = {"/etc/fail2ban/jail.conf", jail_conf, "/etc/fail2ban/jail.local",
	                       local};
	struct fx x;
	const struct finding *f;

	fx_init(&x, "192.0.2.10");
	f2b_conf_release(&x.jc);
	conf_of(&x.jc, files, 4);
	x.row.bantime = LLONG_MAX - 5;
	x.in.f2b.bips = &x.row;
	x.in.f2b.nbips = 1;
	x.in.f2b.running = 1;
	x.in.f2b.status_text = lab_status;
	CHECK_EQ_INT(bans_layer_evaluate(&x.in, &x.c, &x.d), SD_OK);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL))
		CHECK(strstr(f->summary, "banned 192.0.2.10 at 2026-11-24 03:50:23") != NULL);
	fx_release(&x);
}

static void test_layer_database_only_ban_is_a_risk(void)
{
	struct fx x;
	const struct finding *f;

	fx_init(&x, "192.0.2.10");
	x.in.f2b.bips = &x.row;
	x.in.f2b.nbips = 1;
	x.in.f2b.running = 0;
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_RISK);
		CHECK(strstr(f->summary, "not running") != NULL);
	}
	fx_release(&x);
}

static void test_layer_links_the_firewall_rule(void)
{
	struct fx x;
	struct finding *fw;
	const struct finding *f;

	fx_init(&x, "192.0.2.10");
	fw = diagnosis_add_finding(&x.d, LAYER_FIREWALL, CAUSE_FIREWALL_REJECT, SEVERITY_BLOCKER);
	finding_set_summary(fw, "iptables filter INPUT rule 1 → f2b-sshd rule 1 rejects");
	finding_add_evidence(fw, "iptables-save", 1,
	                     "iptables filter f2b-sshd rule 1: -A f2b-sshd -s 192.0.2.10/32 -j "
	                     "REJECT --reject-with icmp-port-unreachable");
	finding_add_evidence(fw, "iptables-save", 0, "owner: fail2ban jail sshd (chain f2b-sshd)");
	x.in.f2b.bips = &x.row;
	x.in.f2b.nbips = 1;
	x.in.f2b.running = 0;
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_BLOCKER);
		CHECK(has_evidence(f, "-A f2b-sshd -s 192.0.2.10/32 -j REJECT"));
		CHECK(strstr(f->summary, "; enforced by iptables filter INPUT rule 1 → f2b-sshd "
		                         "rule 1 rejects") != NULL);
		/* the rule applies the ban: the ban decides, the rule is not a second blocker */
		CHECK(fw->enforces == f);
		diagnosis_conclude(&x.d);
		CHECK(x.d.findings[x.d.deciding] == f);
	}
	fx_release(&x);
}

static void test_layer_expired_ban_is_history(void)
{
	struct fx x;
	const struct finding *f;

	fx_init(&x, "192.0.2.10");
	x.row.timeofban = NOW - 7200;
	x.row.bancount = 3;
	x.in.f2b.bans = &x.row;
	x.in.f2b.nbans = 1;
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
		CHECK(strstr(f->summary, "3 bans") != NULL);
	}
	fx_release(&x);
}

static void test_layer_notes_ignoreip(void)
{
	static const char local[] = "[sshd]\nenabled = true\nignoreip = 127.0.0.1/8 192.0.2.0/24\n";
	const char *f[] = {"/etc/fail2ban/jail.local", local};
	struct fx x;

	fx_init(&x, "192.0.2.10");
	f2b_conf_release(&x.jc);
	conf_of(&x.jc, f, 2);
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	CHECK(strstr(x.d.layers[LAYER_BANS].note, "is in ignoreip (192.0.2.0/24)") != NULL);
	CHECK(cause_in(&x.d, CAUSE_FAIL2BAN_BAN) == NULL);
	fx_release(&x);
}

static void test_layer_warns_before_maxretry(void)
{
	static const char t[] =
	    "Nov 24 03:50:23 lab sshd[1]: Invalid user a from 192.0.2.10 port 1\n";
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	struct ip_addr a = addr("192.0.2.10");
	const struct finding *f;
	struct fx x;

	fx_init(&x, "192.0.2.10");
	memset(&o, 0, sizeof(o));
	log_clock_init(&o.clock, NOW * LOG_US, 0);
	o.since = LOG_TS_NONE;
	o.focus = &a;
	log_summary_init(s, &o);
	log_summary_begin_source(s, "/var/log/auth.log", 0);
	log_summary_feed(s, t, strlen(t));
	log_summary_finish(s);
	x.in.logs = s;
	x.in.f2b.running = 1;
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
		CHECK(strstr(f->summary, "1 more within findtime bans it") != NULL);
		CHECK(has_evidence(f, "Invalid user a from 192.0.2.10"));
	}
	fx_release(&x);
	log_summary_release(s);
	free(s);
}

static void test_layer_unreadable_database_says_so(void)
{
	struct fx x;

	fx_init(&x, "192.0.2.10");
	x.in.f2b.db_state = BANS_UNREADABLE;
	x.in.f2b.db_why = "permission denied";
	x.in.remedy = "run as root";
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	CHECK_EQ_INT(x.d.layers[LAYER_BANS].status, LAYER_UNREADABLE);
	CHECK(strstr(x.d.layers[LAYER_BANS].note, "permission denied (run as root)") != NULL);
	fx_release(&x);
}

static void test_layer_lists_bans_without_a_client(void)
{
	struct fx x;
	const struct finding *f;

	fx_init(&x, NULL);
	x.in.f2b.bips = &x.row;
	x.in.f2b.nbips = 1;
	bans_layer_evaluate(&x.in, &x.c, &x.d);
	f = cause_in(&x.d, CAUSE_FAIL2BAN_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
		CHECK(strstr(f->summary, "bans 1 address now") != NULL);
		CHECK(has_evidence(f, "ip 192.0.2.10"));
	}
	fx_release(&x);
}

static void test_layer_sshguard_blocklist(void)
{
	static const char conf[] = "BACKEND=\"/usr/libexec/sshguard/sshg-fw-nft-sets\"\n"
	                           "BLACKLIST_FILE=90:/var/lib/sshguard/enemies\n";
	static const char bl[] = "1795490000|100|4|192.0.2.10\n";
	struct bans_inputs in;
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	memset(&in, 0, sizeof(in));
	log_clock_init(&in.clock, NOW * LOG_US, 0);
	in.sg.state = BANS_PRESENT;
	in.sg.running = 1;
	in.sg.conf = (struct bans_text){BANS_PRESENT, "/etc/sshguard/sshguard.conf", conf,
	                                strlen(conf), NULL};
	in.sg.blacklist =
	    (struct bans_text){BANS_PRESENT, "/var/lib/sshguard/enemies", bl, strlen(bl), NULL};
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(bans_layer_evaluate(&in, &c, &d), SD_OK);
	f = cause_in(&d, CAUSE_SSHGUARD_BAN);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_BLOCKER);
		CHECK(has_evidence(f, "1795490000|100|4|192.0.2.10"));
		CHECK(has_fix(f, "nft delete element ip sshguard attackers { 192.0.2.10/32 }"));
		CHECK(has_fix(f, "delete line 1 of /var/lib/sshguard/enemies"));
	}
	diagnosis_release(&d);
}

static void test_layer_denyhosts_blocker_when_tcp_wrappers_deny(void)
{
	static const char work[] = "192.0.2.10:5:Tue Nov 24 03:50:34 2026\n";
	struct bans_inputs in;
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	memset(&in, 0, sizeof(in));
	log_clock_init(&in.clock, NOW * LOG_US, 0);
	in.dh.state = BANS_PRESENT;
	in.dh.libwrap = -1;
	in.dh.hosts_deny =
	    (struct bans_text){BANS_PRESENT, "/etc/hosts.deny", lab_deny, strlen(lab_deny), NULL};
	in.dh.work[0] =
	    (struct bans_text){BANS_PRESENT, "/var/lib/denyhosts/hosts", work, strlen(work), NULL};
	in.dh.nwork = 1;
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	diagnosis_add_finding(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY, SEVERITY_BLOCKER);
	CHECK_EQ_INT(bans_layer_evaluate(&in, &c, &d), SD_OK);
	f = cause_in(&d, CAUSE_DENYHOSTS_ENTRY);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_BLOCKER);
		CHECK(strstr(f->summary, "on Tue Nov 24 03:50:34 2026") != NULL);
		CHECK(has_evidence(f, "# DenyHosts: Tue Nov 24 03:50:34 2026 | sshd: 192.0.2.10"));
		CHECK(has_evidence(f, "192.0.2.10:5:Tue Nov 24"));
		CHECK(has_fix(f, "delete lines 2-3 of /etc/hosts.deny"));
		CHECK(has_fix(f, "allowed-hosts"));
	}
	diagnosis_release(&d);
}

static void test_layer_denyhosts_without_libwrap_is_info(void)
{
	struct bans_inputs in;
	struct conn_spec c = conn("192.0.2.10");
	const struct finding *f;
	struct diagnosis d;

	memset(&in, 0, sizeof(in));
	log_clock_init(&in.clock, NOW * LOG_US, 0);
	in.dh.state = BANS_PRESENT;
	in.dh.libwrap = 0;
	in.dh.hosts_deny =
	    (struct bans_text){BANS_PRESENT, "/etc/hosts.deny", lab_deny, strlen(lab_deny), NULL};
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	bans_layer_evaluate(&in, &c, &d);
	f = cause_in(&d, CAUSE_DENYHOSTS_ENTRY);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_INFO);
		CHECK(strstr(f->summary, "does not use libwrap") != NULL);
	}
	diagnosis_release(&d);
}

#define BANS_TESTS(X)                                                                              \
	X(ini_keys_are_lower_cased_sections_kept)                                                  \
	X(ini_continuation_lines_join)                                                             \
	X(ini_inline_comment_and_colon)                                                            \
	X(ini_counts_bad_lines)                                                                    \
	X(conf_later_files_override)                                                               \
	X(conf_interpolates_from_section_then_default)                                             \
	X(conf_name_and_default_references)                                                        \
	X(conf_known_gives_the_overridden_value)                                                   \
	X(conf_section_reference)                                                                  \
	X(conf_unresolved_and_looping_references_are_invalid)                                      \
	X(seconds_like_fail2ban)                                                                   \
	X(bool_like_fail2ban)                                                                      \
	X(jail_debian_layout)                                                                      \
	X(jail_builtin_defaults_without_settings)                                                  \
	X(server_dbfile_and_logtarget)                                                             \
	X(ban_active_and_permanent)                                                                \
	X(matches_join_fragments)                                                                  \
	X(matches_of_bad_data_are_none)                                                            \
	X(ignoreip_forms)                                                                          \
	X(next_bantime_increment)                                                                  \
	X(client_sees_from_the_action)                                                             \
	X(status_of_the_lab)                                                                       \
	X(banip_with_time)                                                                         \
	X(sshguard_conf)                                                                           \
	X(sshguard_blacklist_and_whitelist)                                                        \
	X(denyhosts_entry_with_its_comment)                                                        \
	X(denyhosts_comment_with_empty_date)                                                       \
	X(denyhosts_work_file_counter)                                                             \
	X(denyhosts_conf_defaults)                                                                 \
	X(layer_not_applicable_without_ban_tools)                                                  \
	X(layer_live_ban_is_a_blocker_with_dates_and_fixes)                                        \
	X(layer_extreme_times_do_not_overflow)                                                     \
	X(layer_database_only_ban_is_a_risk)                                                       \
	X(layer_links_the_firewall_rule)                                                           \
	X(layer_expired_ban_is_history)                                                            \
	X(layer_notes_ignoreip)                                                                    \
	X(layer_warns_before_maxretry)                                                             \
	X(layer_unreadable_database_says_so)                                                       \
	X(layer_lists_bans_without_a_client)                                                       \
	X(layer_sshguard_blocklist)                                                                \
	X(layer_denyhosts_blocker_when_tcp_wrappers_deny)                                          \
	X(layer_denyhosts_without_libwrap_is_info)

#define T_STATIC_ENTRY(name) {#name, test_##name},

int main(int argc, char **argv)
{
	static const struct t_test tests[] = {BANS_TESTS(T_STATIC_ENTRY)};

	return t_run("bans-unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
