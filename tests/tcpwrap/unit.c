/*
 * unit.c — tests of src/tcpwrap, one behaviour each.  Ends with `tcpwrap-unit: N passed, N
 * failed`.  Built with tests/unit/t.c.  Expected values were checked against Debian's libwrap
 * (tests/tcpwrap/diff.c runs that comparison at random).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../unit/t.h"
#include "base/buf.h"
#include "base/err.h"
#include "tcpwrap/compat.h"
#include "tcpwrap/denyhosts.h"
#include "tcpwrap/hosts_access.h"
#include "tcpwrap/lines.h"
#include "tcpwrap/lint.h"
#include "tcpwrap/match.h"
#include "tcpwrap/layer.h"
#include "core/diagnosis.h"

/* A client as hosts_ctl(3) describes it: everything known, no socket. */
static struct ha_client known(const char *addr, const char *name)
{
	struct ha_client c;

	memset(&c, 0, sizeof(c));
	c.daemon = "sshd";
	c.addr = addr;
	c.name = name;
	c.user = "unknown";
	c.server_addr = "unknown";
	c.server_name = "unknown";
	c.server_port = HA_PORT_NONE;
	return c;
}

/* A client as sshd sees one before any lookup: name and user unknown. */
static struct ha_client sshd(const char *addr)
{
	struct ha_client c = known(addr, NULL);

	c.user = NULL;
	c.server_addr = "192.0.2.1";
	c.server_name = NULL;
	c.server_port = 22;
	return c;
}

/* Decides with both tables given as strings (NULL: missing file). */
static struct ha_decision run(const char *allow, const char *deny, const struct ha_client *c)
{
	struct ha_file fa, fd;
	struct ha_decision d, s;
	struct ha_input ia = {"hosts.allow", (const uint8_t *)allow, allow ? strlen(allow) : 0};
	struct ha_input id = {"hosts.deny", (const uint8_t *)deny, deny ? strlen(deny) : 0};

	memset(&d, 0, sizeof(d));
	if (!CHECK(hosts_access_parse("hosts.allow", ia.data, ia.len, &fa) == 0))
		return d;
	if (!CHECK(hosts_access_parse("hosts.deny", id.data, id.len, &fd) == 0))
		return d;
	CHECK(hosts_access_decide(&fa, &fd, c, &d) == 0);
	CHECK(hosts_access_decide_stream(&ia, &id, c, &s) == 0);
	/* The two entry points must agree. */
	CHECK_EQ_INT(s.result, d.result);
	CHECK_EQ_INT(s.certain, d.certain);
	CHECK_EQ_INT(s.rule.line, d.rule.line);
	CHECK_EQ_INT(s.n_uncertain, d.n_uncertain);
	hosts_access_free(&fa);
	hosts_access_free(&fd);
	/* d borrowed from the files just freed; s borrows the static names above. */
	return s;
}

#ifdef TCPWRAP_ORACLE
#include "oracle.h"

/* Built with -DTCPWRAP_ORACLE oracle.c -lwrap: every verdict is also asked of libwrap. */
static int put(const char *path, const char *text)
{
	FILE *fp;

	unlink(path);
	if (!text)
		return 0;
	if (!(fp = fopen(path, "w")))
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

static void check_libwrap(const char *allow, const char *deny, const char *addr, const char *name,
                          char ours)
{
	static const char a[] = "/tmp/tcpwrap-unit.allow", d[] = "/tmp/tcpwrap-unit.deny";
	int lw;

	if (!CHECK(put(a, allow) == 0 && put(d, deny) == 0))
		return;
	lw = oracle_decide(a, d, name, addr, "unknown");
	if (lw != (ours == 'G'))
		FAIL("libwrap says %s for %s (%s)", lw ? "grant" : "deny", addr, name);
	unlink(a);
	unlink(d);
}
#else
static void check_libwrap(const char *allow, const char *deny, const char *addr, const char *name,
                          char ours)
{
	(void)allow, (void)deny, (void)addr, (void)name, (void)ours;
}
#endif

/* The result for a fully known client: 'G' or 'D'. */
static char verdict(const char *allow, const char *deny, const char *addr, const char *name)
{
	struct ha_client c = known(addr, name ? name : "unknown");
	struct ha_decision d = run(allow, deny, &c);
	char v = d.result == HA_GRANT ? 'G' : 'D';

	CHECK(d.certain);
	check_libwrap(allow, deny, addr, name ? name : "unknown", v);
	return v;
}

/* Whether a one-token client list matches (as hosts.deny "sshd: TOKEN"). */
static int denies(const char *token, const char *addr, const char *name)
{
	char deny[512];

	snprintf(deny, sizeof(deny), "sshd: %s\n", token);
	return verdict(NULL, deny, addr, name) == 'D';
}

/* ---- Lines -------------------------------------------------------------------------------- */

static void test_parse_fields_and_lines(void)
{
	static const char t[] = "# comment\n\nsshd , in.telnetd: 10.0.0.1 : deny\nALL:ALL\n";
	struct ha_file f;

	if (!CHECK(hosts_access_parse("x", (const uint8_t *)t, strlen(t), &f) == 0))
		return;
	if (CHECK_EQ_INT(f.n_rules, 2)) {
		CHECK_EQ_INT(f.rules[0].line, 3);
		CHECK_EQ_INT(f.rules[0].colon1, 17);
		CHECK(f.rules[0].colon2 != HA_NO_OPTIONS);
		CHECK_STREQ(f.rules[0].text + f.rules[0].colon2 + 1, " deny\n");
		CHECK_EQ_INT(f.rules[1].line, 4);
		CHECK_EQ_INT(f.rules[1].colon2, HA_NO_OPTIONS);
	}
	CHECK_EQ_INT(f.n_lines, 4);
	hosts_access_free(&f);
}

static void test_continuation_line_is_first_physical_line(void)
{
	static const char t[] = "# c\nsshd: \\\n 10.0.0.1 \\\n 10.0.0.2\nALL: 9.9.9.9\n";
	struct ha_file f;
	struct ha_client c = known("10.0.0.2", "unknown");
	struct ha_decision d;

	if (!CHECK(hosts_access_parse("x", (const uint8_t *)t, strlen(t), &f) == 0))
		return;
	if (CHECK_EQ_INT(f.n_rules, 2)) {
		CHECK_EQ_INT(f.rules[0].line, 2);
		CHECK_EQ_INT(f.rules[0].line_last, 4);
		CHECK_STREQ(f.rules[0].text, "sshd:  10.0.0.1  10.0.0.2\n");
		CHECK_EQ_INT(f.rules[0].raw_len, 7);
		CHECK(memcmp(f.rules[0].raw, "sshd: \\", 7) == 0);
		CHECK_EQ_INT(f.rules[1].line, 5);
	}
	CHECK(hosts_access_decide(NULL, &f, &c, &d) == 0);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.rule.line, 2);
	CHECK_STREQ(d.rule.text, "sshd: \\");
	hosts_access_free(&f);
}

static void test_continuation_needs_backslash_right_before_newline(void)
{
	/* "\\ \n" and "\\\r\n" do not join. */
	CHECK_EQ_INT(verdict(NULL, "sshd: 1.1.1.1 \\ \n10.0.0.1: x\n", "10.0.0.1", NULL), 'G');
	CHECK_EQ_INT(verdict(NULL, "sshd: 1.1.1.1 \\\r\nALL: 10.0.0.1\n", "10.0.0.1", NULL), 'D');
}

static void test_missing_colon_line_is_skipped(void)
{
	CHECK_EQ_INT(verdict(NULL, "sshd 10.0.0.1\nsshd: 10.0.0.2\n", "10.0.0.1", NULL), 'G');
	CHECK_EQ_INT(verdict(NULL, "sshd 10.0.0.1\nsshd: 10.0.0.2\n", "10.0.0.2", NULL), 'D');
}

static void test_comment_only_in_first_column(void)
{
	/* An indented '#' line is a rule: daemons "#", "x", "sshd". */
	CHECK_EQ_INT(verdict(NULL, " # x, sshd: ALL\n", "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict(NULL, "# x, sshd: ALL\n", "10.0.0.1", NULL), 'G');
	/* A trailing "# ..." is more patterns, not a comment. */
	CHECK_EQ_INT(verdict(NULL, "sshd: 10.0.0.1 # ALL\n", "10.0.0.9", NULL), 'D');
}

static void test_unterminated_last_line_denies_in_deny(void)
{
	struct ha_client c = known("10.0.0.9", "unknown");
	struct ha_decision d = run(NULL, "sshd: 10.0.0.1\nsshd: 10.0.0.2", &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.why, HA_WHY_DENY_UNTERMINATED);
	CHECK_EQ_INT(d.rule.line, 2);
	/* An earlier match still wins. */
	CHECK_EQ_INT(verdict(NULL, "sshd: 10.0.0.1\nsshd: 10.0.0.2", "10.0.0.1", NULL), 'D');
}

static void test_unterminated_allow_falls_through(void)
{
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run("sshd: 10.0.0.1", NULL, &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK_EQ_INT(d.why, HA_WHY_DEFAULT);
	CHECK_EQ_INT(d.allow_stop.line, 1);
	CHECK_EQ_INT(d.allow_stop.table, HA_TABLE_ALLOW);
	CHECK_EQ_INT(verdict("sshd: 10.0.0.1", "ALL: ALL\n", "10.0.0.1", NULL), 'D');
}

static void test_line_of_2047_bytes_is_too_long(void)
{
	char t[2200];
	size_t n;

	/* 2046 bytes and a newline fit libwrap's 2048-byte buffer; one more does not. */
	for (n = 2046; n <= 2047; n++) {
		memset(t, ' ', sizeof(t));
		memcpy(t, "sshd: 10.0.0.1", 14);
		t[n] = '\n';
		t[n + 1] = 0;
		CHECK_EQ_INT(verdict(NULL, t, "10.0.0.9", NULL), n == 2046 ? 'G' : 'D');
	}
}

static void test_nul_byte_glues_next_line(void)
{
	static const char t[] = "sshd: 10.0.0.1\0junk\nsshd: 10.0.0.2\n";
	struct ha_file f;
	struct ha_client c1 = known("10.0.0.1", "unknown"), c2 = known("10.0.0.2", "unknown");
	struct ha_decision d;

	if (!CHECK(hosts_access_parse("x", (const uint8_t *)t, sizeof(t) - 1, &f) == 0))
		return;
	if (CHECK_EQ_INT(f.n_rules, 1))
		CHECK_STREQ(f.rules[0].text, "sshd: 10.0.0.1sshd: 10.0.0.2\n");
	hosts_access_decide(NULL, &f, &c1, &d);
	CHECK_EQ_INT(d.result, HA_GRANT);
	hosts_access_decide(NULL, &f, &c2, &d);
	CHECK_EQ_INT(d.result, HA_GRANT);
	hosts_access_free(&f);
}

static void test_missing_files_grant(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, NULL, &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(d.certain);
	CHECK_EQ_INT(d.why, HA_WHY_DEFAULT);
	CHECK_EQ_INT(d.rule.table, HA_TABLE_NONE);
}

static void test_allow_first_then_deny(void)
{
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run("sshd: 10.0.0.1\n", "ALL: ALL\n", &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK_EQ_INT(d.why, HA_WHY_ALLOW_RULE);
	CHECK_STREQ(d.rule.file, "hosts.allow");
	CHECK_EQ_INT(verdict("sshd: 10.0.0.1\n", "ALL: ALL\n", "10.0.0.2", NULL), 'D');
}

/* ---- Lists -------------------------------------------------------------------------------- */

static void test_list_separators(void)
{
	CHECK(denies("10.0.0.1,10.0.0.2", "10.0.0.2", NULL));
	CHECK(denies("10.0.0.1 ,\t10.0.0.2 ,", "10.0.0.2", NULL));
	CHECK(!denies("10.0.0.1;10.0.0.2", "10.0.0.2", NULL));
}

static void test_except_is_right_associative(void)
{
	static const char *t = "10.0.0.0/8 EXCEPT 10.1.0.0/16 EXCEPT 10.1.2.3";

	CHECK(denies(t, "10.0.0.1", NULL));
	CHECK(!denies(t, "10.1.0.1", NULL));
	CHECK(denies(t, "10.1.2.3", NULL)); /* 10/8 EXCEPT (10.1/16 EXCEPT 10.1.2.3) */
	CHECK(!denies(t, "11.0.0.1", NULL));
	CHECK(!denies("ALL except 10.0.0.1", "10.0.0.1", NULL)); /* case-insensitive */
}

static void test_except_in_daemon_list(void)
{
	CHECK_EQ_INT(verdict(NULL, "ALL EXCEPT sshd: ALL\n", "10.0.0.1", NULL), 'G');
	CHECK_EQ_INT(verdict(NULL, "ALL EXCEPT in.telnetd: ALL\n", "10.0.0.1", NULL), 'D');
}

/* ---- Patterns ----------------------------------------------------------------------------- */

static void test_pattern_all_and_case(void)
{
	CHECK(denies("ALL", "10.0.0.1", NULL));
	CHECK(denies("all", "2001:db8::1", NULL));
	CHECK_EQ_INT(verdict(NULL, "SSHD: ALL\n", "10.0.0.1", NULL), 'D');
}

static void test_pattern_net_prefix(void)
{
	CHECK(denies("192.168.", "192.168.7.1", NULL));
	CHECK(denies("1.2.3.", "1.2.3.4", NULL));
	CHECK(!denies("1.2.3.", "1.2.30.4", NULL));       /* the dot is part of the prefix */
	CHECK(!denies("192.168.1", "192.168.1.5", NULL)); /* no dot: an exact string */
}

static void test_pattern_domain_suffix(void)
{
	CHECK(denies(".example.com", "10.0.0.1", "host.example.com"));
	CHECK(denies(".example.com", "10.0.0.1", "HOST.EXAMPLE.COM"));
	CHECK(!denies(".example.com", "10.0.0.1", "example.com"));
	CHECK(!denies(".example.com", "10.0.0.1", "unknown"));
	CHECK(denies(".4", "1.2.3.4", NULL)); /* suffixes apply to addresses too */
}

static void test_pattern_net_mask(void)
{
	CHECK(denies("10.1.0.0/255.255.0.0", "10.1.2.3", NULL));
	CHECK(!denies("10.1.0.0/255.255.0.0", "10.2.2.3", NULL));
	CHECK(!denies("10.1.0.1/255.255.0.0", "10.1.0.1", NULL)); /* host bits set: never */
	CHECK(denies("0.0.0.0/0.0.0.0", "203.0.113.9", NULL));
	CHECK(denies("10.0.0.0/255.0.255.0", "10.7.0.9", NULL)); /* any mask, even odd ones */
}

static void test_pattern_cidr(void)
{
	CHECK(denies("10.1.0.0/16", "10.1.2.3", NULL));
	CHECK(denies("10.1.2.3/32", "10.1.2.3", NULL));
	CHECK(!denies("0.0.0.0/0", "10.1.2.3", NULL)); /* /0 is rejected */
	CHECK(!denies("10.0.0.0/33", "10.1.2.3", NULL));
	CHECK(denies("10.0.0.0/8x", "10.1.2.3", NULL));         /* atoi() */
	CHECK(denies("10.0.0.0/4294967304", "10.1.2.3", NULL)); /* atoi() wraps to 8 */
	CHECK(!denies("255.255.255.255/32", "255.255.255.255", NULL));
}

static void test_pattern_inet_aton_forms(void)
{
	CHECK(denies("012.0.0.0/8", "10.1.2.3", NULL));  /* octal 012 = 10 */
	CHECK(denies("0x0a.0.0.0/8", "10.1.2.3", NULL)); /* hex */
	CHECK(!denies("10.0.0/8", "10.1.2.3", NULL));    /* three parts: not a dotted quad */
	CHECK(!denies("010.1.2.3", "10.1.2.3", NULL));   /* exact forms compare as text */
}

static void test_pattern_ipv6(void)
{
	CHECK(denies("[2001:db8::1]", "2001:db8::1", NULL));
	CHECK(denies("[2001:DB8:0::1]", "2001:db8::1", NULL));
	CHECK(!denies("[2001:db8::1]", "2001:db8::2", NULL));
	CHECK(denies("[2001:db8::]/32", "2001:db8:1::5", NULL));
	CHECK(!denies("[2001:db8::]/32", "2001:db9::5", NULL));
	CHECK(denies("[2001:db8::1]/", "fe80::1", NULL)); /* atoi("") = 0 bits */
	CHECK(!denies("[2001:db8::]/129", "2001:db8::1", NULL));
	CHECK(!denies("[2001:db8::/32]", "2001:db8::1", NULL)); /* '/' inside brackets */
	/* Without brackets the colons split the rule: "2001" is compared, the rest is options. */
	CHECK(!denies("2001:db8::1", "2001:db8::1", NULL));
}

static void test_pattern_mapped_ipv4(void)
{
	CHECK(denies("10.0.0.1", "::ffff:10.0.0.1", NULL));
	CHECK(denies("10.0.0.0/8", "::ffff:10.0.0.1", NULL));
	CHECK(denies("10.0.", "::FFFF:10.0.0.1", NULL));
	/* string_match() strips "::ffff:", so the bracketed form never matches. */
	CHECK(!denies("[::ffff:10.0.0.1]", "::ffff:10.0.0.1", NULL));
}

static void test_pattern_wildcards(void)
{
	CHECK(denies("10.0.0.*", "10.0.0.77", NULL));
	CHECK(denies("10.0.?.1", "10.0.5.1", NULL));
	CHECK(!denies("10.0.?.1", "10.0.55.1", NULL));
	CHECK(denies("*.EXAMPLE.com", "10.0.0.1", "h.example.com"));
	/* A '*' makes the whole token a wildcard, anchored at both ends: no longer a suffix. */
	CHECK(!denies(".example.*", "10.0.0.1", "h.example.org"));
	CHECK(denies(".example.*", "10.0.0.1", ".example.org"));
	CHECK(denies("10.0.0.1*", "10.0.0.1", NULL));
	CHECK(!denies("10.0.0.1**", "10.0.0.1", NULL)); /* match_pattern_ylo() quirk */
	CHECK(denies("10.0.0.1**", "10.0.0.12", NULL));
}

static void test_pattern_wildcard_function(void)
{
	CHECK(ha_wildcard_match("a*", 2, "a", 1));
	CHECK(!ha_wildcard_match("a**", 3, "a", 1));
	CHECK(ha_wildcard_match("a**", 3, "ab", 2));
	CHECK(ha_wildcard_match("*a*b", 4, "xxAyyb", 6));
	CHECK(!ha_wildcard_match("*a*b", 4, "xxAyy", 5));
	CHECK(ha_wildcard_match("a**b", 4, "ab", 2));
}

static void test_pattern_known_unknown_paranoid(void)
{
	CHECK(denies("KNOWN", "10.0.0.1", "h.example.com"));
	CHECK(!denies("KNOWN", "10.0.0.1", "unknown"));
	CHECK(!denies("KNOWN", "10.0.0.1", "paranoid"));
	CHECK(denies("UNKNOWN", "10.0.0.1", "unknown"));
	CHECK(!denies("UNKNOWN", "10.0.0.1", "h.example.com"));
	CHECK(denies("PARANOID", "10.0.0.1", "paranoid"));
	CHECK(denies("LOCAL", "10.0.0.1", "h"));
	CHECK(!denies("LOCAL", "10.0.0.1", "h.example.com"));
	CHECK(!denies("LOCAL", "10.0.0.1", "unknown"));
}

static void test_pattern_user_at_host(void)
{
	CHECK(denies("unknown@10.0.0.1", "10.0.0.1", NULL));
	CHECK(!denies("root@10.0.0.1", "10.0.0.1", NULL));
	CHECK(denies("ALL@ALL", "10.0.0.1", NULL));
	CHECK(!denies("ALL@", "10.0.0.1", NULL)); /* empty host part */
}

static void test_pattern_daemon_at_host_and_port(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d;

	d = run(NULL, "sshd@192.0.2.1: ALL\n", &c);
	CHECK_EQ_INT(d.result, HA_DENY);
	d = run(NULL, "sshd@192.0.2.2: ALL\n", &c);
	CHECK_EQ_INT(d.result, HA_GRANT);
	d = run(NULL, "22: ALL\n", &c); /* Debian match_port: the server's port */
	CHECK_EQ_INT(d.result, HA_DENY);
	d = run(NULL, "2222: ALL\n", &c);
	CHECK_EQ_INT(d.result, HA_GRANT);
	/* hosts_ctl(3) has no socket: port patterns never match. */
	CHECK_EQ_INT(verdict(NULL, "22: ALL\n", "10.0.0.1", NULL), 'G');
}

static int files(void *ctx, const char *path, const uint8_t **data, size_t *len)
{
	static const char pats[] = "10.0.0.5 192.168.\n.example.com\n";

	(void)ctx;
	if (strcmp(path, "/etc/blocked") != 0)
		return SD_ERR_NOT_FOUND;
	*data = (const uint8_t *)pats;
	*len = sizeof(pats) - 1;
	return 0;
}

static void test_pattern_file(void)
{
	struct ha_client c = known("192.168.4.4", "unknown");
	struct ha_decision d;

	c.read_file = files;
	d = run(NULL, "sshd: /etc/blocked\n", &c);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.certain);
	c.addr = "10.0.0.6";
	d = run(NULL, "sshd: /etc/blocked /etc/missing\n", &c);
	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(d.certain);
	/* No reader: the file could hold anything. */
	c.read_file = NULL;
	d = run(NULL, "sshd: /etc/blocked\n", &c);
	CHECK(!d.certain);
	CHECK_EQ_INT(d.n_uncertain, 1);
	CHECK(d.uncertain[0].need & HA_NEED_FILE);
}

static void test_pattern_netgroup_could_match(void)
{
	struct ha_client c = known("10.0.0.1", "h.example.com");
	struct ha_decision d = run(NULL, "sshd: @admins\n", &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(!d.certain);
	CHECK(d.uncertain[0].need & HA_NEED_NETGROUP);
}

/* ---- Options ------------------------------------------------------------------------------ */

static void test_option_allow_overrides_deny_file(void)
{
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run(NULL, "sshd: 10.0.0.1 : allow\n", &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK_EQ_INT(d.why, HA_WHY_OPTION_ALLOW);
	CHECK_STREQ(d.option, "allow");
}

static void test_option_deny_overrides_allow_file(void)
{
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run("sshd: 10.0.0.1 : DENY\n", NULL, &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.why, HA_WHY_OPTION_DENY);
}

static void test_option_empty_field_denies(void)
{
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run("sshd: ALL :\n", NULL, &c);

	/* The field is the newline alone: "missing option name". */
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.why, HA_WHY_OPTION_ERROR);
	CHECK_STREQ(d.message, "missing option name");
}

static void test_option_errors_deny(void)
{
	CHECK_EQ_INT(verdict("sshd: ALL : bogus\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : allow : deny\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : allow:\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : allow x\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : severity bogus\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : severity auth.info\n", NULL, "10.0.0.1", NULL), 'G');
	CHECK_EQ_INT(verdict("sshd: ALL : umask 999\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : linger -1\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : setenv A=B c\n", NULL, "10.0.0.1", NULL), 'D');
	CHECK_EQ_INT(verdict("sshd: ALL : setenv A b : allow\n", NULL, "10.0.0.1", NULL), 'G');
	CHECK_EQ_INT(verdict("sshd: ALL : allow\\:x\n", NULL, "10.0.0.1", NULL), 'D');
}

static void test_option_spawn_and_twist_recorded(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: ALL : spawn echo %a >> /tmp/x\n", &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.effects & HA_FX_SPAWN);
	d = run("sshd: ALL : twist /bin/echo go away\n", NULL, &c);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.why, HA_WHY_TWIST);
	CHECK(d.effects & HA_FX_TWIST);
}

static void test_option_aclexec_and_user_are_uncertain(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: ALL : aclexec /usr/local/bin/check %a\n", &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(!d.certain);
	CHECK_EQ_INT(d.possible, HA_GRANT | HA_DENY);
	CHECK(d.rule.need & HA_NEED_ACLEXEC);
	d = run("sshd: ALL : user nobody : allow\n", NULL, &c);
	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(!d.certain);
	CHECK(d.rule.need & HA_NEED_ACCOUNT);
}

/* ---- Uncertainty -------------------------------------------------------------------------- */

static void test_name_pattern_without_name_is_uncertain(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: .example.com\n", &c);

	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(!d.certain);
	CHECK_EQ_INT(d.possible, HA_GRANT | HA_DENY);
	if (CHECK_EQ_INT(d.n_uncertain, 1)) {
		CHECK_EQ_INT(d.uncertain[0].line, 1);
		CHECK(d.uncertain[0].need & HA_NEED_NAME);
		CHECK_EQ_INT(d.uncertain[0].possible, HA_DENY);
	}
	CHECK(d.effects & HA_FX_DNS);
	c.name = "h.example.com";
	d = run(NULL, "sshd: .example.com\n", &c);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.certain);
}

static void test_address_patterns_need_no_name(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: 10.0.0.2 10.0.0.0/8 192.168. [::1]\n", &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.certain);
	CHECK(!(d.effects & HA_FX_DNS));
	/* A bracketed pattern is compared with the name too, but no verified name is numeric. */
	d = run(NULL, "sshd: [::1]\n", &c);
	CHECK(d.certain);
}

static void test_uncertain_rule_with_same_outcome_keeps_certainty(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: .example.com\nALL: ALL\n", &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.certain);
	CHECK_EQ_INT(d.rule.line, 2);
	CHECK_EQ_INT(d.n_uncertain, 1);
}

static void test_user_pattern_costs_ident(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: root@10.0.0.1\n", &c);

	CHECK(!d.certain);
	CHECK(d.effects & HA_FX_IDENT);
	CHECK(d.uncertain[0].need & HA_NEED_USER);
}

static void test_except_with_unknown_name(void)
{
	struct ha_client c = sshd("10.0.0.1");
	struct ha_decision d = run(NULL, "sshd: ALL EXCEPT .example.com\n", &c);

	/* Denied unless the name ends in .example.com: uncertain. */
	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(!d.certain);
}

/* ---- DenyHosts ---------------------------------------------------------------------------- */

static void test_denyhosts_date(void)
{
	static const char t[] = "# DenyHosts: Mon Jan  2 15:04:05 2006 | sshd: 10.0.0.1\n"
	                        "sshd: 10.0.0.1\n";
	struct ha_client c = known("10.0.0.1", "unknown");
	struct ha_decision d = run(NULL, t, &c);

	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK(d.denyhosts.found);
	CHECK(d.denyhosts.verified);
	CHECK_STREQ(d.denyhosts.date, "Mon Jan  2 15:04:05 2006");
	CHECK_EQ_INT(d.denyhosts.year, 2006);
	CHECK_EQ_INT(d.denyhosts.month, 1);
	CHECK_EQ_INT(d.denyhosts.day, 2);
	CHECK_EQ_INT(d.denyhosts.hour, 15);
}

static void test_denyhosts_mismatch_and_absence(void)
{
	struct ha_denyhosts h;

	ha_denyhosts_parse("# DenyHosts: Tue Feb 13 01:02:03 2024 | sshd: 10.0.0.2", 52,
	                   "sshd: 10.0.0.1", 14, &h);
	CHECK(h.found);
	CHECK(!h.verified);
	CHECK_EQ_INT(h.year, 2024);
	ha_denyhosts_parse("# some comment", 14, "sshd: 10.0.0.1", 14, &h);
	CHECK(!h.found);
	/* A blank line between comment and rule breaks the association. */
	{
		struct ha_client c = known("10.0.0.1", "unknown");
		struct ha_decision d = run(
		    NULL,
		    "# DenyHosts: Mon Jan  2 15:04:05 2006 | sshd: 10.0.0.1\n\nsshd: 10.0.0.1\n",
		    &c);

		CHECK(!d.denyhosts.found);
	}
}

/* ---- Lint --------------------------------------------------------------------------------- */

static int has_finding(const struct ha_lint *l, enum ha_lint_kind k, const char *file,
                       unsigned line)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == k && l->v[i].line == line && strcmp(l->v[i].file, file) == 0)
			return 1;
	return 0;
}

static void test_lint_findings(void)
{
	static const char a[] = "sshd: 10.0.0.0/8\n"
	                        "sshd: ALL : bogus\n";
	static const char d[] = "sshd: 10.1.2.3\n"         /* shadowed by allow 1 */
	                        "sshd 1.2.3.4\n"           /* no colon */
	                        "ALL: 192.168.1.5/24\n"    /* host bits: never */
	                        "ALL: 2001:db8::1\n"       /* unbracketed */
	                        "ALL: 5.6.7.8 # blocked\n" /* '#' */
	                        "ALL: 5.6.7.8\n"           /* shadowed by line 5 */
	                        "ALL: 9.9.9.9";            /* unterminated */
	struct ha_file fa, fd;
	struct ha_lint l;

	hosts_access_parse("hosts.allow", (const uint8_t *)a, strlen(a), &fa);
	hosts_access_parse("hosts.deny", (const uint8_t *)d, strlen(d), &fd);
	if (!CHECK(hosts_access_lint(&fa, &fd, &l) == 0))
		return;
	CHECK(has_finding(&l, HA_LINT_OPTION, "hosts.allow", 2));
	CHECK(has_finding(&l, HA_LINT_SHADOWED, "hosts.deny", 1));
	CHECK(has_finding(&l, HA_LINT_NO_COLON, "hosts.deny", 2));
	CHECK(has_finding(&l, HA_LINT_NEVER, "hosts.deny", 3));
	CHECK(has_finding(&l, HA_LINT_SUSPICIOUS, "hosts.deny", 4));
	CHECK(has_finding(&l, HA_LINT_SUSPICIOUS, "hosts.deny", 5));
	CHECK(has_finding(&l, HA_LINT_SHADOWED, "hosts.deny", 6));
	CHECK(has_finding(&l, HA_LINT_UNTERMINATED, "hosts.deny", 7));
	CHECK(!has_finding(&l, HA_LINT_SHADOWED, "hosts.deny", 5));
	/* File order. */
	CHECK_STREQ(l.v[0].file, "hosts.allow");
	ha_lint_free(&l);
	hosts_access_free(&fa);
	hosts_access_free(&fd);
}

static void test_lint_aclexec_allow_rule_does_not_shadow(void)
{
	static const char a[] = "sshd: ALL : aclexec /bin/check\n";
	static const char d[] = "sshd: 10.0.0.1\n";
	struct ha_file fa, fd;
	struct ha_lint l;

	hosts_access_parse("hosts.allow", (const uint8_t *)a, strlen(a), &fa);
	hosts_access_parse("hosts.deny", (const uint8_t *)d, strlen(d), &fd);
	CHECK(hosts_access_lint(&fa, &fd, &l) == 0);
	CHECK(!has_finding(&l, HA_LINT_SHADOWED, "hosts.deny", 1));
	ha_lint_free(&l);
	hosts_access_free(&fa);
	hosts_access_free(&fd);
}

/* ---- The C library as libwrap sees it ------------------------------------------------------ */

static void test_compat_parsers(void)
{
	uint32_t a;
	unsigned u;

#define S(x) x, sizeof(x) - 1
	CHECK(tw_inet_aton(S("1.2.3.4"), &a) && a == 0x01020304u);
	CHECK(tw_inet_aton(S("1.2.3.4\vjunk"), &a) && a == 0x01020304u);
	CHECK(tw_inet_aton(S("1.2.772"), &a) && a == 0x01020304u);
	CHECK(tw_inet_aton(S("0x1.02.3.4"), &a) && a == 0x01020304u);
	CHECK(!tw_inet_aton(S("1.2.3.256"), &a));
	CHECK(!tw_inet_aton(S("08.1.1.1"), &a));
	CHECK_EQ_INT(tw_dot_quad(S("1.2.772")), TW_INADDR_NONE);
	CHECK_EQ_INT(tw_dot_quad(S("1.2.3.4\0.5")), 0x01020304u); /* a C string ends at NUL */
	CHECK_EQ_INT(tw_atoi(S("4294967304")), 8);
	CHECK_EQ_INT(tw_atoi(S("99999999999999999999")), -1);
	CHECK_EQ_INT(tw_atoi(S(" +12abc")), 12);
	CHECK(tw_scan_uint(S("-4294967274"), 10, &u) && u == 22);
	CHECK(!tw_scan_uint(S("22x"), 10, &u));
	CHECK(!tw_scan_uint(S("-"), 10, &u));
	CHECK_EQ_INT(tw_cidr_mask(S("0")), 0);
	CHECK_EQ_INT(tw_cidr_mask(S("32")), 0xffffffffu);
#undef S
}

static void test_addr_text(void)
{
	static const uint8_t v4[4] = {192, 0, 2, 7};
	static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7};
	char t[64];

	CHECK(ha_addr_text(AF_INET, v4, t, sizeof(t)) == 0);
	CHECK_STREQ(t, "192.0.2.7");
	CHECK(ha_addr_text(AF_INET6, mapped, t, sizeof(t)) == 0);
	CHECK_STREQ(t, "::ffff:192.0.2.7");
	CHECK(ha_addr_text(AF_UNIX, v4, t, sizeof(t)) == SD_ERR_INVALID);
	CHECK(ha_addr_text(AF_INET, v4, t, 4) == SD_ERR_INVALID);
}

/* The shortcut over DenyHosts-like lines hands every near miss to the general matcher. */
static void test_plain_lines_near_misses(void)
{
	static const char *const lines[] = {
	    "sshd: 10.0.0.10\n",        "sshd: 10.0.0.1.\n",      "sshd: .0.0.1\n",
	    "sshd: 10.0.0.\n",          "sshd:10.0.0.11\n",       "sshd: 0.0.0.1\n",
	    "sshd: 10.0.0.1\r\n",       "in.telnetd: 10.0.0.1\n", "sshd: 110.0.0.1\n",
	    "sshd: 10.0.0.1 : allow\n",
	};
	static const char want[] = "GGDDGGDGGG"; /* suffix, prefix, CR separator; allow option */
	char deny[4096];
	size_t i, j, o;

	/* Each line last, after a run long enough for the word-at-a-time path. */
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		o = 0;
		for (j = 0; j < 40; j++)
			o += (size_t)snprintf(deny + o, sizeof(deny) - o, "sshd: 192.0.2.%zu\n", j);
		snprintf(deny + o, sizeof(deny) - o, "%s%s", lines[i],
		         "sshd: 203.0.113.1\nsshd: 203.0.113.2\nsshd: 203.0.113.3\n");
		if (!CHECK_EQ_INT(verdict(NULL, deny, "10.0.0.1", NULL), want[i]))
			FAIL("line %zu: %s", i, lines[i]);
	}
}

/* ---- Scale -------------------------------------------------------------------------------- */

static void test_million_line_deny_file(void)
{
	const size_t lines = 1000000;
	struct buf b;
	struct ha_file f;
	struct ha_input in = {"hosts.deny", NULL, 0};
	struct ha_client c = sshd("198.51.100.1");
	struct ha_decision d;
	char last[32];
	size_t i;

	buf_init(&b, 64u << 20);
	for (i = 0; i < lines; i++)
		if (!CHECK(buf_addf(&b, "sshd: %zu.%zu.%zu.%zu\n", 10 + (i >> 24), (i >> 16) & 255,
		                    (i >> 8) & 255, i & 255) == 0))
			return;
	snprintf(last, sizeof(last), "%zu.%zu.%zu.%zu", 10 + ((lines - 1) >> 24),
	         ((lines - 1) >> 16) & 255, ((lines - 1) >> 8) & 255, (lines - 1) & 255);
	if (!CHECK(hosts_access_parse("hosts.deny", (const uint8_t *)b.data, b.len, &f) == 0))
		return;
	CHECK_EQ_INT(f.n_rules, lines);
	/* Memory stays proportional to the input. */
	CHECK(f.bytes <= 5 * b.len);
	hosts_access_decide(NULL, &f, &c, &d);
	CHECK_EQ_INT(d.result, HA_GRANT);
	CHECK(d.certain);
	c.addr = last;
	hosts_access_decide(NULL, &f, &c, &d);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.rule.line, lines);
	hosts_access_free(&f);
	/* The streaming entry point allocates nothing at all. */
	in.data = (const uint8_t *)b.data;
	in.len = b.len;
	hosts_access_decide_stream(NULL, &in, &c, &d);
	CHECK_EQ_INT(d.result, HA_DENY);
	CHECK_EQ_INT(d.rule.line, lines);
	buf_release(&b);
}

/* Without a client: one table row per rule that refuses someone at sshd, nothing else. */
static void test_no_client_rows(void)
{
	static const char allow[] = "sshd: 10.1.0.0/16 : deny\nsshd: 10.2.0.0/16 : allow\n";
	static const char deny[] = "# DenyHosts: Tue Nov 24 05:00:00 2026 | sshd: 198.51.100.7\n"
	                           "sshd: 198.51.100.7\n"
	                           "vsftpd: 10.0.0.1\n"
	                           "ALL: 10.9.0.0/16 EXCEPT 10.9.1.1\n";
	struct tcpwrap_inputs in;
	struct conn_spec c;
	struct diagnosis d;

	memset(&in, 0, sizeof(in));
	memset(&c, 0, sizeof(c));
	in.allow.path = "/etc/hosts.allow";
	in.allow.data = (const uint8_t *)allow;
	in.allow.len = sizeof(allow) - 1;
	in.deny.path = "/etc/hosts.deny";
	in.deny.data = (const uint8_t *)deny;
	in.deny.len = sizeof(deny) - 1;
	in.libwrap = TCPWRAP_LIBWRAP_YES;
	in.libwrap_binary = "/usr/sbin/sshd";
	c.port = 22;
	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	CHECK_EQ_INT(tcpwrap_layer_evaluate(&in, &c, &d), SD_OK);
	if (CHECK_EQ_INT(d.nblocked, 3)) {
		CHECK_STREQ(d.blocked[0].who, "10.1.0.0/16");
		CHECK_STREQ(d.blocked[0].where.source, "/etc/hosts.allow");
		CHECK_EQ_INT(d.blocked[0].where.line, 1);
		CHECK_STREQ(d.blocked[1].who, "198.51.100.7");
		CHECK_EQ_INT(d.blocked[1].cause, CAUSE_DENYHOSTS_ENTRY);
		CHECK_EQ_INT(d.blocked[1].where.line, 2);
		CHECK_STREQ(d.blocked[1].fix, "delete line 2 of /etc/hosts.deny");
		CHECK_STREQ(d.blocked[2].who, "10.9.0.0/16 EXCEPT 10.9.1.1");
		CHECK_EQ_INT(d.blocked[2].severity, SEVERITY_BLOCKER);
	}
	diagnosis_release(&d);
	/* an sshd without libwrap ignores both files: no rows */
	in.libwrap = TCPWRAP_LIBWRAP_NO;
	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	CHECK_EQ_INT(tcpwrap_layer_evaluate(&in, &c, &d), SD_OK);
	CHECK_EQ_INT(d.nblocked, 0);
	diagnosis_release(&d);
}

#define TCPWRAP_TESTS(X)                                                                           \
	X(parse_fields_and_lines)                                                                  \
	X(continuation_line_is_first_physical_line)                                                \
	X(continuation_needs_backslash_right_before_newline)                                       \
	X(missing_colon_line_is_skipped)                                                           \
	X(comment_only_in_first_column)                                                            \
	X(unterminated_last_line_denies_in_deny)                                                   \
	X(unterminated_allow_falls_through)                                                        \
	X(line_of_2047_bytes_is_too_long)                                                          \
	X(nul_byte_glues_next_line)                                                                \
	X(missing_files_grant)                                                                     \
	X(allow_first_then_deny)                                                                   \
	X(list_separators)                                                                         \
	X(except_is_right_associative)                                                             \
	X(except_in_daemon_list)                                                                   \
	X(pattern_all_and_case)                                                                    \
	X(pattern_net_prefix)                                                                      \
	X(pattern_domain_suffix)                                                                   \
	X(pattern_net_mask)                                                                        \
	X(pattern_cidr)                                                                            \
	X(pattern_inet_aton_forms)                                                                 \
	X(pattern_ipv6)                                                                            \
	X(pattern_mapped_ipv4)                                                                     \
	X(pattern_wildcards)                                                                       \
	X(pattern_wildcard_function)                                                               \
	X(pattern_known_unknown_paranoid)                                                          \
	X(pattern_user_at_host)                                                                    \
	X(pattern_daemon_at_host_and_port)                                                         \
	X(pattern_file)                                                                            \
	X(pattern_netgroup_could_match)                                                            \
	X(option_allow_overrides_deny_file)                                                        \
	X(option_deny_overrides_allow_file)                                                        \
	X(option_empty_field_denies)                                                               \
	X(option_errors_deny)                                                                      \
	X(option_spawn_and_twist_recorded)                                                         \
	X(option_aclexec_and_user_are_uncertain)                                                   \
	X(name_pattern_without_name_is_uncertain)                                                  \
	X(address_patterns_need_no_name)                                                           \
	X(uncertain_rule_with_same_outcome_keeps_certainty)                                        \
	X(user_pattern_costs_ident)                                                                \
	X(except_with_unknown_name)                                                                \
	X(denyhosts_date)                                                                          \
	X(denyhosts_mismatch_and_absence)                                                          \
	X(lint_findings)                                                                           \
	X(lint_aclexec_allow_rule_does_not_shadow)                                                 \
	X(compat_parsers)                                                                          \
	X(addr_text)                                                                               \
	X(plain_lines_near_misses)                                                                 \
	X(million_line_deny_file)                                                                  \
	X(no_client_rows)

int main(int argc, char **argv)
{
	static const struct t_test tests[] = {TCPWRAP_TESTS(T_ENTRY)};

	return t_run("tcpwrap-unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
