/*
 * edge.c — the I/O edges of the logs and bans layers (io/collect_logs.h, io/collect_bans.h)
 * against temporary trees: rotated and gzip'd logs, discovery through rsyslog.conf, the
 * journal (files written by systemd-journal-remote from export-format input), fail2ban's
 * configuration with includes and a real sqlite database, sshguard and DenyHosts files, and
 * a symlink that tries to leave the root.  Ends with `logs-edge: N passed, N failed`.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "../unit/t.h"
#include "base/err.h"
#include "io/collect_bans.h"
#include "io/collect_logs.h"
#include "io/rootfs.h"
#include "logs/summary.h"

#define NOW 1795492800LL

static char root[256];

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void put_gz(const char *rel, const char *a, const char *b)
{
	char path[512];
	gzFile g;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	/* two gzip members, as `cat x.gz y.gz` makes */
	g = gzopen(path, "wb");
	gzputs(g, a);
	gzclose(g);
	g = gzopen(path, "ab");
	gzputs(g, b);
	gzclose(g);
}

static void fresh_root(void)
{
	snprintf(root, sizeof(root), "/tmp/sshdiag-logs-edge.XXXXXX");
	if (!mkdtemp(root))
		root[0] = '\0';
}

static void rm_root(void)
{
	char cmd[400];

	if (strncmp(root, "/tmp/sshdiag-logs-edge.", 23) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

static struct log_summary *new_summary(const char *focus)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	static struct ip_addr f;

	memset(&o, 0, sizeof(o));
	log_clock_init(&o.clock, NOW * LOG_US, 0);
	o.since = LOG_TS_NONE;
	if (focus) {
		ip_addr_parse(focus, &f);
		o.focus = &f;
	}
	log_summary_init(s, &o);
	return s;
}

static void free_summary(struct log_summary *s)
{
	log_summary_release(s);
	free(s);
}

#define L(t, pid, msg) "Nov 24 0" t " host sshd[" pid "]: " msg "\n"

static void test_discovers_rotations_oldest_first_through_rsyslog(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	struct rootfs fs;

	fresh_root();
	put("/etc/rsyslog.conf", "$IncludeConfig /etc/rsyslog.d/*.conf\n"
	                         "*.*;auth,authpriv.none -/var/log/syslog\n");
	put("/etc/rsyslog.d/50-auth.conf", "auth,authpriv.*  /var/log/auth.log\n");
	put("/var/log/auth.log", L("3:00:03", "3", "Invalid user c from 192.0.2.10 port 3"));
	put("/var/log/auth.log.1", L("2:00:02", "2", "Invalid user b from 192.0.2.10 port 2"));
	put_gz(
	    "/var/log/auth.log.2.gz", L("1:00:01", "1", "Invalid user a from 192.0.2.10 port 1"),
	    L("1:00:02", "1", "Connection closed by invalid user a 192.0.2.10 port 1 [preauth]"));
	put("/var/log/syslog", L("1:00:00", "9", "Invalid user z from 192.0.2.99 port 9"));
	s = new_summary("192.0.2.10");
	memset(&o, 0, sizeof(o));
	o.discover = 1;
	if (CHECK(rootfs_open(&fs, root) == SD_OK)) {
		CHECK_EQ_INT(collect_logs(&fs, &o, s), SD_OK);
		rootfs_close(&fs);
	}
	log_summary_finish(s);
	if (CHECK(s->nsources == 3)) {
		CHECK_STREQ(s->sources[0].name, "/var/log/auth.log.2.gz");
		CHECK_STREQ(s->sources[1].name, "/var/log/auth.log.1");
		CHECK_STREQ(s->sources[2].name, "/var/log/auth.log");
		CHECK_EQ_INT(s->sources[0].lines, 2);
	}
	CHECK_EQ_INT(s->ntl, 4);
	CHECK_EQ_INT(s->nclients, 1);
	free_summary(s);
	rm_root();
}

static void test_fallback_paths_without_syslog_configuration(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	struct rootfs fs;

	fresh_root();
	put("/var/log/secure", L("3:00:03", "3", "refused connect from 192.0.2.10 (192.0.2.10)"));
	s = new_summary(NULL);
	memset(&o, 0, sizeof(o));
	o.discover = 1;
	if (CHECK(rootfs_open(&fs, root) == SD_OK)) {
		CHECK_EQ_INT(collect_logs(&fs, &o, s), SD_OK);
		rootfs_close(&fs);
	}
	log_summary_finish(s);
	CHECK_EQ_INT(s->nsources, 1);
	CHECK_EQ_INT(s->total[LC_LIBWRAP_REFUSED], 1);
	free_summary(s);
	rm_root();
}

static void test_symlink_out_of_the_root_is_not_followed(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	struct rootfs fs;
	char link[512];

	fresh_root();
	put("/var/log/placeholder", "");
	snprintf(link, sizeof(link), "%s/var/log/auth.log", root);
	CHECK(symlink("/etc/passwd", link) == 0);
	s = new_summary(NULL);
	memset(&o, 0, sizeof(o));
	o.discover = 1;
	if (CHECK(rootfs_open(&fs, root) == SD_OK)) {
		CHECK_EQ_INT(collect_logs(&fs, &o, s), SD_OK);
		rootfs_close(&fs);
	}
	log_summary_finish(s);
	/* RESOLVE_IN_ROOT makes it /etc/passwd inside the tree (absent): nothing read */
	CHECK(!log_summary_any_read(s));
	free_summary(s);
	rm_root();
}

static void test_explicit_file_missing_and_fifo(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	char fifo[512];
	const char *files[2];

	fresh_root();
	snprintf(fifo, sizeof(fifo), "%s/fifo", root);
	CHECK(mkfifo(fifo, 0600) == 0);
	files[0] = "/nonexistent/auth.log";
	files[1] = fifo;
	s = new_summary(NULL);
	memset(&o, 0, sizeof(o));
	o.files = files;
	o.nfiles = 2;
	CHECK_EQ_INT(collect_logs(NULL, &o, s), SD_OK);
	log_summary_finish(s);
	if (CHECK(s->nsources == 2)) {
		CHECK_EQ_INT(s->sources[0].state, LOG_SOURCE_MISSING);
		CHECK_EQ_INT(s->sources[1].state, LOG_SOURCE_UNREADABLE);
	}
	free_summary(s);
	rm_root();
}

/*
 * A plain file larger than the mmap window (2 MiB), its lines of varying lengths so that
 * lines straddle the windows' edges, and one longer than LOG_LINE_MAX on an edge: every line
 * and every event is counted once, the straddling lines whole, and the result is that of the
 * same bytes gzip'd (read through read(2) and zlib, not mmap).
 */
static void test_large_file_through_mmap_windows(void)
{
	char path[512], gzpath[512], line[256];
	const char *files[2];
	struct collect_logs_opts o;
	struct log_summary *s;
	struct ip_addr a;
	const struct log_client *cl;
	unsigned long i, n = 0, bytes = 0;
	char *big;
	FILE *f;
	gzFile g;

	fresh_root();
	snprintf(path, sizeof(path), "%s/auth.log", root);
	snprintf(gzpath, sizeof(gzpath), "%s/auth.log.gz", root);
	f = fopen(path, "w");
	g = gzopen(gzpath, "wb");
	big = malloc(LOG_LINE_MAX + 100);
	if (!CHECK(f && g && big))
		return;
	memset(big, 'x', LOG_LINE_MAX + 99);
	big[LOG_LINE_MAX + 99] = '\0';
	for (i = 0; bytes < (5u << 20); i++) {
		int k = snprintf(
		    line, sizeof(line),
		    "Nov 24 03:%02lu:%02lu h sshd[%lu]: Invalid user u%.*s from 192.0.2.%lu "
		    "port %lu\n",
		    i / 60 % 60, i % 60, 1000 + i, (int)(i % 97), big, i % 7 + 1,
		    40000 + i % 20000);

		fputs(line, f);
		gzputs(g, line);
		bytes += (unsigned long)k;
		n++;
		if (bytes > (2u << 20) + (128u << 10) - 4000 && bytes < (2u << 20) + (128u << 10)) {
			/* an overlong line across the first window's edge (a 128 KiB read, then
			 * windows of 2 MiB) */
			fputs(big, f);
			fputc('\n', f);
			gzputs(g, big);
			gzputs(g, "\n");
			bytes += LOG_LINE_MAX + 100;
		}
	}
	fclose(f);
	gzclose(g);
	free(big);
	files[0] = path;
	files[1] = gzpath;
	memset(&o, 0, sizeof(o));
	o.files = files;
	o.nfiles = 2;
	s = new_summary(NULL);
	CHECK_EQ_INT(collect_logs(NULL, &o, s), SD_OK);
	log_summary_finish(s);
	if (CHECK(s->nsources == 2)) {
		CHECK_EQ_INT(s->sources[0].state, LOG_SOURCE_READ);
		CHECK_EQ_INT(s->sources[1].state, LOG_SOURCE_READ);
		CHECK_EQ_INT(s->sources[0].events, n);
		CHECK_EQ_INT(s->sources[1].events, n);
		CHECK_EQ_INT(s->sources[0].lines, n + 1);
		CHECK_EQ_INT(s->sources[1].lines, n + 1);
		CHECK_EQ_INT(s->sources[0].bytes, bytes);
	}
	CHECK_EQ_INT(s->overlong, 2);
	CHECK_EQ_INT(s->total[LC_INVALID_USER], 2 * n);
	/* 192.0.2.1 has the lines i % 7 == 0, twice (both files) */
	a.family = 0;
	CHECK_EQ_INT(ip_addr_parse("192.0.2.1", &a), SD_OK);
	if (CHECK((cl = log_summary_client(s, &a)) != NULL))
		CHECK_EQ_INT(cl->count[LC_INVALID_USER], 2 * ((n + 6) / 7));
	free_summary(s);
	rm_root();
}

/* Writes a journal file with systemd-journal-remote; 0 when the tool is missing. */
static int make_journal(const char *dir_rel, const char *name)
{
	static const char *const msgs[][3] = {
	    {"sshd", "27404", "Server listening on 192.0.2.1 port 22."},
	    {"sshd", "27404",
	     "drop connection #0 from [192.0.2.10]:38310 on [192.0.2.1]:22 "
	     "penalty: connections without attempting authentication"},
	    {"CRON", "5", "pam_unix(cron:session): session opened"},
	    {"sshd-session", "27588", "Invalid user a from 192.0.2.10 port 38308"},
	};
	char dir[512], exp[600], out[700], cmd[1600];
	FILE *f;
	size_t i;

	if (access("/lib/systemd/systemd-journal-remote", X_OK) != 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s%s", root, dir_rel);
	snprintf(exp, sizeof(exp), "%s/export.txt", root);
	snprintf(out, sizeof(out), "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	if (system(cmd) != 0 || !(f = fopen(exp, "w")))
		return 0;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		fprintf(f,
		        "__REALTIME_TIMESTAMP=%lld\n__MONOTONIC_TIMESTAMP=%zu\n"
		        "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=lab\n"
		        "SYSLOG_IDENTIFIER=%s\n_PID=%s\nMESSAGE=%s\n\n",
		        (NOW - 100 + (long long)i) * 1000000LL, 1000 + i, msgs[i][0], msgs[i][1],
		        msgs[i][2]);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "/lib/systemd/systemd-journal-remote --output='%s' - <'%s' >/dev/null 2>&1", out,
	         exp);
	return system(cmd) == 0;
}

static void test_journal_directory(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	char dir[512];

	fresh_root();
	if (!make_journal("/j", "remote.journal")) {
		printf("skip journal_directory: systemd-journal-remote not available\n");
		rm_root();
		return;
	}
	snprintf(dir, sizeof(dir), "%s/j", root);
	s = new_summary("192.0.2.10");
	memset(&o, 0, sizeof(o));
	o.journal = 1;
	o.journal_dir = dir;
	CHECK_EQ_INT(collect_logs(NULL, &o, s), SD_OK);
	log_summary_finish(s);
	CHECK_EQ_INT(s->events, 3); /* CRON filtered out by the journal matches */
	CHECK_EQ_INT(s->total[LC_PENALTY_DROP], 1);
	CHECK_EQ_INT(s->ntl, 2);
	if (s->ntl == 2)
		CHECK(strstr(s->tl[1].text, "lab sshd-session[27588]: Invalid user a") != NULL);
	free_summary(s);
	rm_root();
}

static void test_journal_inside_a_root(void)
{
	struct collect_logs_opts o;
	struct log_summary *s;
	struct rootfs fs;

	fresh_root();
	if (!make_journal("/var/log/journal/0123456789abcdef0123456789abcdef", "system.journal")) {
		printf("skip journal_inside_a_root: systemd-journal-remote not available\n");
		rm_root();
		return;
	}
	s = new_summary(NULL);
	memset(&o, 0, sizeof(o));
	o.discover = 1;
	if (CHECK(rootfs_open(&fs, root) == SD_OK)) {
		CHECK_EQ_INT(collect_logs(&fs, &o, s), SD_OK);
		rootfs_close(&fs);
	}
	log_summary_finish(s);
	CHECK_EQ_INT(s->total[LC_INVALID_USER], 1);
	free_summary(s);
	rm_root();
}

/* ----------------------------------------------------------------- bans */

static void make_db(const char *rel)
{
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return;
	sqlite3_exec(
	    db,
	    "CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);"
	    "CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, "
	    "bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data JSON);"
	    "CREATE TABLE bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT "
	    "NULL, bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data "
	    "JSON, PRIMARY KEY(ip, jail));"
	    "INSERT INTO jails VALUES('sshd', 1);"
	    "INSERT INTO bans VALUES('sshd', '192.0.2.10', 1795492700, 600, 1, "
	    "'{\"matches\": [\"x\"], \"failures\": 2}');"
	    "INSERT INTO bips VALUES('192.0.2.10', 'sshd', 1795492700, 600, 1, "
	    "'{\"matches\": [\"x\"], \"failures\": 2}');"
	    "INSERT INTO bips VALUES('192.0.2.99', 'sshd', 1795400000, 600, 1, NULL);",
	    NULL, NULL, NULL);
	sqlite3_close(db);
}

static void test_fail2ban_tree_with_includes_and_database(void)
{
	struct collect_bans_opts o;
	struct collected_bans c;
	struct ip_addr a;
	struct rootfs fs;
	struct buf b;

	fresh_root();
	put("/etc/fail2ban/jail.conf", "[INCLUDES]\nbefore = paths-debian.conf\n[DEFAULT]\n"
	                               "enabled = false\nbantime = 10m\n[sshd]\n"
	                               "logpath = %(sshd_log)s\n");
	put("/etc/fail2ban/paths-debian.conf", "[DEFAULT]\nsshd_log = /var/log/auth.log\n");
	put("/etc/fail2ban/paths-debian.local", "[DEFAULT]\nsshd_log = /srv/auth.log\n");
	put("/etc/fail2ban/jail.d/defaults-debian.conf", "[sshd]\nenabled = true\n");
	put("/etc/fail2ban/jail.local", "[sshd]\nmaxretry = 2\n");
	put("/etc/fail2ban/fail2ban.conf", "[Definition]\nlogtarget = /var/log/fail2ban.log\n"
	                                   "dbfile = /var/lib/fail2ban/fail2ban.sqlite3\n");
	put("/var/lib/fail2ban/placeholder", "");
	make_db("/var/lib/fail2ban/fail2ban.sqlite3");
	ip_addr_parse("192.0.2.10", &a);
	memset(&o, 0, sizeof(o));
	o.client = &a;
	if (!CHECK(rootfs_open(&fs, root) == SD_OK)) {
		rm_root();
		return;
	}
	CHECK_EQ_INT(collect_bans(&fs, &o, &c), SD_OK);
	CHECK_EQ_INT(c.in.f2b.state, BANS_PRESENT);
	CHECK_EQ_INT(c.jail_conf.nfiles, 5);
	if (c.jail_conf.nfiles == 5) {
		CHECK_STREQ(c.jail_conf.files[0], "/etc/fail2ban/paths-debian.conf");
		CHECK_STREQ(c.jail_conf.files[1], "/etc/fail2ban/paths-debian.local");
		CHECK_STREQ(c.jail_conf.files[2], "/etc/fail2ban/jail.conf");
	}
	buf_init(&b, 1024);
	CHECK_EQ_INT(f2b_conf_get(&c.jail_conf, "sshd", "logpath", &b, NULL), SD_OK);
	CHECK_STREQ(b.data, "/srv/auth.log");
	buf_release(&b);
	CHECK_EQ_INT(c.in.f2b.db_state, BANS_PRESENT);
	CHECK_EQ_INT(c.in.f2b.nbans, 1);
	CHECK_EQ_INT(c.in.f2b.nbips, 1);
	CHECK_EQ_INT(c.in.f2b.db_jail_enabled, 1);
	if (c.in.f2b.nbips == 1)
		CHECK_EQ_INT(c.in.f2b.bips[0].bantime, 600);
	CHECK_STREQ(c.f2b_log, "/var/log/fail2ban.log");
	CHECK_EQ_INT(c.in.f2b.running, -1); /* a tree: nobody to ask */
	CHECK_EQ_INT(c.in.sg.state, BANS_ABSENT);
	CHECK_EQ_INT(c.in.dh.state, BANS_ABSENT);
	collected_bans_release(&c);
	rootfs_close(&fs);
	rm_root();
}

static void test_fail2ban_corrupt_database_is_unreadable(void)
{
	struct collect_bans_opts o;
	struct collected_bans c;
	struct rootfs fs;

	fresh_root();
	put("/etc/fail2ban/jail.conf", "[sshd]\nenabled = true\n");
	put("/etc/fail2ban/fail2ban.conf", "[Definition]\ndbfile = /db\n");
	put("/db", "this is not sqlite\n");
	memset(&o, 0, sizeof(o));
	if (!CHECK(rootfs_open(&fs, root) == SD_OK)) {
		rm_root();
		return;
	}
	CHECK_EQ_INT(collect_bans(&fs, &o, &c), SD_OK);
	CHECK(c.in.f2b.db_state == BANS_UNREADABLE || c.in.f2b.nbans == 0);
	collected_bans_release(&c);
	rootfs_close(&fs);
	rm_root();
}

static void test_sshguard_and_denyhosts_files(void)
{
	struct collect_bans_opts o;
	struct collected_bans c;
	struct rootfs fs;

	fresh_root();
	put("/etc/sshguard/sshguard.conf", "BACKEND=\"/usr/libexec/sshguard/sshg-fw-iptables\"\n"
	                                   "BLACKLIST_FILE=120:/var/lib/sshguard/enemies\n");
	put("/var/lib/sshguard/enemies", "1795490000|100|4|192.0.2.10\n");
	put("/etc/denyhosts.conf", "WORK_DIR = /var/lib/denyhosts\nHOSTS_DENY = /etc/hosts.deny\n");
	put("/etc/hosts.deny", "# DenyHosts: Tue Nov 24 03:50:34 2026 | sshd: 192.0.2.10\n"
	                       "sshd: 192.0.2.10\n");
	put("/var/lib/denyhosts/hosts", "192.0.2.10:5:Tue Nov 24 03:50:34 2026\n");
	memset(&o, 0, sizeof(o));
	if (!CHECK(rootfs_open(&fs, root) == SD_OK)) {
		rm_root();
		return;
	}
	CHECK_EQ_INT(collect_bans(&fs, &o, &c), SD_OK);
	CHECK_EQ_INT(c.in.f2b.state, BANS_ABSENT);
	CHECK_EQ_INT(c.in.sg.state, BANS_PRESENT);
	CHECK_EQ_INT(c.in.sg.blacklist.state, BANS_PRESENT);
	CHECK_EQ_INT(c.in.dh.state, BANS_PRESENT);
	CHECK_EQ_INT(c.in.dh.hosts_deny.state, BANS_PRESENT);
	if (CHECK(c.in.dh.nwork >= 1)) {
		CHECK_STREQ(c.in.dh.work[0].path, "/var/lib/denyhosts/hosts");
		CHECK_EQ_INT(c.in.dh.work[0].state, BANS_PRESENT);
		CHECK_EQ_INT(c.in.dh.work[1].state, BANS_ABSENT);
	}
	collected_bans_release(&c);
	rootfs_close(&fs);
	rm_root();
}

#define EDGE_TESTS(X)                                                                              \
	X(discovers_rotations_oldest_first_through_rsyslog)                                        \
	X(fallback_paths_without_syslog_configuration)                                             \
	X(symlink_out_of_the_root_is_not_followed)                                                 \
	X(explicit_file_missing_and_fifo)                                                          \
	X(large_file_through_mmap_windows)                                                         \
	X(journal_directory)                                                                       \
	X(journal_inside_a_root)                                                                   \
	X(fail2ban_tree_with_includes_and_database)                                                \
	X(fail2ban_corrupt_database_is_unreadable)                                                 \
	X(sshguard_and_denyhosts_files)

#define T_STATIC_ENTRY(name) {#name, test_##name},

int main(int argc, char **argv)
{
	static const struct t_test tests[] = {EDGE_TESTS(T_STATIC_ENTRY)};

	return t_run("logs-edge", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
