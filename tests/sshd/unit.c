/*
 * unit.c — unit tests of the sshd layer's pure core (src/sshd/): one behaviour per test,
 * each checked against what OpenSSH does (the sources and, where it surprised us, the real
 * sshd -T).  Configurations come from an in-memory loader; nothing here touches the system.
 * Ends with "sshd-unit: N passed, N failed".
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/t.c"
#include "base/buf.h"
#include "base/err.h"
#include "core/diagnosis.h"
#include "sshd/accounts.h"
#include "sshd/cmdline.h"
#include "sshd/config.h"
#include "sshd/dump.h"
#include "sshd/keywords.h"
#include "sshd/layers.h"
#include "sshd/lex.h"
#include "sshd/match.h"
#include "sshd/proctcp.h"
#include "sshd/values.h"
#include "sshd/version.h"

/* ------------------------------------------------------------------ helpers */

#define V92  "OpenSSH_9.2p1 Debian-2+deb12u10"
#define V100 "OpenSSH_10.0p2 Debian-7~bpo12+1"

struct memfs {
	const char *path[16];
	const char *data[16];
	int n;
};

static int mem_read(void *ctx, const char *path, struct buf *out)
{
	const struct memfs *m = ctx;
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->path[i], path) == 0)
			return buf_adds(out, m->data[i]);
	return SD_ERR_NOT_FOUND;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int mem_glob(void *ctx, const char *pattern, char ***paths, size_t *n)
{
	const struct memfs *m = ctx;
	char **v = calloc(16, sizeof(*v));
	int i;

	*n = 0;
	for (i = 0; i < m->n; i++)
		if (fnmatch(pattern, m->path[i], FNM_PATHNAME | FNM_PERIOD) == 0)
			v[(*n)++] = strdup(m->path[i]);
	if (*n == 0) {
		free(v);
		return SD_ERR_NOT_FOUND;
	}
	qsort(v, *n, sizeof(*v), cmp);
	*paths = v;
	return SD_OK;
}

static struct memfs fs;

static void fs_reset(void)
{
	memset(&fs, 0, sizeof(fs));
}

static void fs_add(const char *path, const char *data)
{
	fs.path[fs.n] = path;
	fs.data[fs.n++] = data;
}

/* Loads /etc/ssh/sshd_config (text) as `version` with the given -o options. */
static struct sshd_config *load_opts(const char *version, const char *text,
                                     const struct sshd_cmd *cmds, size_t ncmds)
{
	struct sshd_loader ld = {mem_read, mem_glob, &fs};
	struct sshd_params p;
	struct sshd_config *c = NULL;

	memset(&p, 0, sizeof(p));
	sshd_version_parse(version, &p.version);
	p.cmds = cmds;
	p.ncmds = ncmds;
	if (text)
		fs_add("/etc/ssh/sshd_config", text);
	if (sshd_config_load(&p, &ld, &c) != 0)
		return NULL;
	return c;
}

static struct sshd_config *load(const char *version, const char *text)
{
	return load_opts(version, text, NULL, 0);
}

/* The first value `sshd -T` would print for kw. */
struct grab {
	enum sshd_kw kw;
	char value[512];
	int n;
};

static int grab_emit(void *ctx, enum sshd_kw kw, const char *value,
                     const struct sshd_origin *origin, int modelled)
{
	struct grab *g = ctx;

	(void)origin;
	(void)modelled;
	if (kw == g->kw && g->n++ == 0)
		snprintf(g->value, sizeof(g->value), "%s", value);
	return 0;
}

static const char *shown(const struct sshd_config *c, const struct sshd_options *o, enum sshd_kw kw)
{
	static struct grab g;

	memset(&g, 0, sizeof(g));
	g.kw = kw;
	sshd_dump(o, sshd_config_version(c), sshd_config_debian(c), grab_emit, &g);
	return g.n ? g.value : NULL;
}

static const char *global(const struct sshd_config *c, enum sshd_kw kw)
{
	return shown(c, sshd_config_global(c), kw);
}

/* Pass 2 for a -T -C style connection; the caller releases e. */
static int eval(const struct sshd_config *c, const char *user, const char *addr, int lport,
                struct sshd_effective *e)
{
	struct sshd_conn ci;

	memset(&ci, 0, sizeof(ci));
	ci.test = 1;
	ci.user = user;
	ci.addr = addr;
	ci.host = addr;
	ci.lport = lport;
	return sshd_config_evaluate(c, &ci, e);
}

static int fatal(const struct sshd_config *c)
{
	return sshd_config_diags(c)->fatal;
}

static int diag_has(const struct sshd_diags *d, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, text))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ lexical rules */

static void test_lex_load_strips_leading_blanks_keeps_lines(void)
{
	struct buf b;

	buf_init(&b, 4096);
	CHECK_EQ_INT(sshd_lex_load("  \tPort 22\n\r\tX y\nlast", 22, &b), SD_OK);
	CHECK_STREQ(b.data, "Port 22\nX y\nlast");
	buf_release(&b);
}

static void test_lex_load_nul_cuts_line_and_newline(void)
{
	struct buf b;

	buf_init(&b, 4096);
	CHECK_EQ_INT(sshd_lex_load("Port 2\0junk\nPort 3\n", 19, &b), SD_OK);
	/* getline()+strlen(): the line loses its newline and joins the next one */
	CHECK_STREQ(b.data, "Port 2Port 3\n");
	buf_release(&b);
}

static void test_strdelim_splits_on_one_equals(void)
{
	char line[] = "Port = 22", *s = line;

	CHECK_STREQ(sshd_strdelim(&s), "Port");
	CHECK_STREQ(s, "22");
}

static void test_strdelim_second_equals_stays(void)
{
	char line[] = "Port==22", *s = line;

	CHECK_STREQ(sshd_strdelim(&s), "Port");
	CHECK_STREQ(s, "=22");
}

static void test_argv_split_quotes_and_escapes(void)
{
	struct sshd_argv a;

	if (!CHECK_EQ_INT(sshd_argv_split("'a b' \"c\\\"d\" e\\ f", &a), SD_OK))
		return;
	CHECK_EQ_INT(a.n, 3);
	CHECK_STREQ(a.v[0], "a b");
	CHECK_STREQ(a.v[1], "c\"d");
	CHECK_STREQ(a.v[2], "e f");
	CHECK(a.v[3] == NULL);
	sshd_argv_free(&a);
}

static void test_argv_split_comment_word_ends_line(void)
{
	struct sshd_argv a;

	if (!CHECK_EQ_INT(sshd_argv_split("x #y z", &a), SD_OK))
		return;
	CHECK_EQ_INT(a.n, 1);
	sshd_argv_free(&a);
	/* a '#' inside a word is kept */
	if (!CHECK_EQ_INT(sshd_argv_split("a#b", &a), SD_OK))
		return;
	CHECK_STREQ(a.v[0], "a#b");
	sshd_argv_free(&a);
}

static void test_argv_split_unterminated_quote_is_invalid(void)
{
	struct sshd_argv a;

	CHECK_EQ_INT(sshd_argv_split("'abc", &a), SD_ERR_INVALID);
}

static void test_convtime_units_and_sums(void)
{
	CHECK_EQ_INT(sshd_convtime("90", 1000), 90);
	CHECK_EQ_INT(sshd_convtime("1h30m", 1000), 5400);
	CHECK_EQ_INT(sshd_convtime("2m", 902), 120);
	CHECK_EQ_INT(sshd_convtime("1w", 1000), 604800);
	CHECK_EQ_INT(sshd_convtime("5x", 1000), -1);
}

static void test_convtime_sign_accepted_before_9_8_only(void)
{
	CHECK_EQ_INT(sshd_convtime("+5", 902), 5);
	CHECK_EQ_INT(sshd_convtime("+5", 1000), -1);
}

static void test_a2port_numbers_and_ssh(void)
{
	CHECK_EQ_INT(sshd_a2port("2222"), 2222);
	CHECK_EQ_INT(sshd_a2port("+22"), 22); /* strtonum is strtoll */
	CHECK_EQ_INT(sshd_a2port("ssh"), 22);
	CHECK_EQ_INT(sshd_a2port("70000"), -1);
}

static void test_scan_scaled_units(void)
{
	long long v;

	CHECK(sshd_scan_scaled("1G", &v) == 0 && v == 1073741824LL);
	CHECK(sshd_scan_scaled("1.5K", &v) == 0 && v == 1536);
	CHECK(sshd_scan_scaled("5Q", &v) == -1);
}

/* ------------------------------------------------------------------ matchers */

static void test_pattern_list_negation_needs_a_positive(void)
{
	CHECK_EQ_INT(sshd_match_pattern_list("root", "!nobody", 0), 0);
	CHECK_EQ_INT(sshd_match_pattern_list("root", "*,!nobody", 0), 1);
	CHECK_EQ_INT(sshd_match_pattern_list("nobody", "*,!nobody", 0), -1);
}

static void test_pattern_wildcards(void)
{
	CHECK(sshd_match_pattern("host1.example.com", "*.example.com"));
	CHECK(sshd_match_pattern("abc", "a?c"));
	CHECK(!sshd_match_pattern("abcd", "a?c"));
	CHECK(sshd_match_pattern("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*b"));
}

static void test_hostname_match_is_case_insensitive(void)
{
	CHECK_EQ_INT(sshd_match_hostname("HOST1", "host1"), 1);
	CHECK_EQ_INT(sshd_match_hostname("host1", "HOST*"), 1);
}

static void test_addr_list_cidr_and_wildcard(void)
{
	CHECK_EQ_INT(sshd_addr_match_list("10.1.2.3", "10.0.0.0/8"), 1);
	CHECK_EQ_INT(sshd_addr_match_list("10.1.2.3", "10.*"), 1);
	CHECK_EQ_INT(sshd_addr_match_list("10.1.2.3", "!10.1.2.3,10.0.0.0/8"), -1);
	CHECK_EQ_INT(sshd_addr_match_list("2001:db8::5", "2001:db8::/32"), 1);
	CHECK_EQ_INT(sshd_addr_match_list("192.0.2.1", "10.0.0.0/8"), 0);
}

static void test_addr_list_host_bits_set_is_invalid(void)
{
	CHECK_EQ_INT(sshd_addr_match_list(NULL, "10.0.0.1/8"), -2);
	CHECK_EQ_INT(sshd_addr_match_list(NULL, "10.0.0.0/33"), -2);
	CHECK_EQ_INT(sshd_addr_match_list(NULL, ",10.0.0.0/8"), -2);
	CHECK_EQ_INT(sshd_addr_match_list(NULL, "10.0.0.0/8"), 0);
}

static void test_addr_pton_accepts_inet_aton_forms(void)
{
	struct sshd_xaddr x;

	CHECK(sshd_addr_pton("127.1", &x) == 0 && x.af == 4 && x.a[0] == 127 && x.a[3] == 1);
	CHECK(sshd_addr_pton("0x7f.1", &x) == 0 && x.a[0] == 127);
	CHECK(sshd_addr_pton("010.0.0.1", &x) == 0 && x.a[0] == 8);
	CHECK(sshd_addr_pton("1.2.3.4.5", &x) == -1);
	CHECK(sshd_addr_pton("09.1.1.1", &x) == -1);
}

static void test_groups_negation_wins(void)
{
	const char *groups[] = {"users", "wheel"};

	CHECK_EQ_INT(sshd_groups_match(groups, 2, "wheel"), 1);
	CHECK_EQ_INT(sshd_groups_match(groups, 2, "*,!wheel"), 0);
}

/* ------------------------------------------------------------------ keywords and versions */

static void test_keywords_are_case_insensitive(void)
{
	CHECK_EQ_INT(sshd_kw_lookup("MAXSTARTUPS", 902, 1), SK_MAXSTARTUPS);
	CHECK_EQ_INT(sshd_kw_lookup("nosuchkeyword", 902, 1), -1);
}

static void test_keywords_follow_versions_and_debian(void)
{
	CHECK_EQ_INT(sshd_kw_lookup("RefuseConnection", 902, 1), -1);
	CHECK_EQ_INT(sshd_kw_lookup("RefuseConnection", 1000, 1), SK_REFUSECONNECTION);
	CHECK_EQ_INT(sshd_kw_lookup("DebianBanner", 1000, 0), -1);
	CHECK_EQ_INT(sshd_kw_lookup("DebianBanner", 1000, 1), SK_DEBIANBANNER);
}

static void test_precedence_exceptions_by_version(void)
{
	CHECK_EQ_INT(sshd_kw_precedence(SK_MAXSTARTUPS, 1000), P_LAST);
	CHECK_EQ_INT(sshd_kw_precedence(SK_MAXSTARTUPS, 1001), P_FIRST);
	CHECK_EQ_INT(sshd_kw_precedence(SK_PERSOURCEMAXSTARTUPS, 902), P_LAST);
	CHECK_EQ_INT(sshd_kw_precedence(SK_PERSOURCEMAXSTARTUPS, 905), P_FIRST);
	CHECK_EQ_INT(sshd_kw_precedence(SK_PORT, 1000), P_ACC);
	CHECK_EQ_INT(sshd_kw_scope(SK_SUBSYSTEM, 902), SSHD_G);
	CHECK_EQ_INT(sshd_kw_scope(SK_SUBSYSTEM, 1000), SSHD_M);
}

static void test_version_parse_sshd_V_output(void)
{
	struct sshd_version v;

	CHECK_EQ_INT(sshd_version_parse("OpenSSH_10.0p2 Debian-7~bpo12+1, OpenSSL 3.0.19", &v), 0);
	CHECK_EQ_INT(v.major, 10);
	CHECK_EQ_INT(v.minor, 0);
	CHECK(v.debian);
	CHECK_STREQ(v.text, "OpenSSH_10.0p2 Debian-7~bpo12+1");
}

static void test_version_from_binary_skips_compat_patterns(void)
{
	static const char bytes[] = "junk\0OpenSSH_2.*,OpenSSH_3.0*\0OpenSSH_9.2\0"
	                            "OpenSSH_9.2p1 Debian-2+deb12u10\0more";
	struct sshd_version v;

	CHECK_EQ_INT(sshd_version_from_binary(bytes, sizeof(bytes), &v), 0);
	CHECK_STREQ(v.text, "OpenSSH_9.2p1 Debian-2+deb12u10");
}

/* ------------------------------------------------------------------ precedence */

static void test_first_value_wins(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "LoginGraceTime 30\nLoginGraceTime 60\n");
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_LOGINGRACETIME), "30");
	CHECK_EQ_INT(sshd_config_global(c)->kw[SK_LOGINGRACETIME].origin.line, 1);
	sshd_config_free(c);
}

static void test_maxstartups_last_wins_before_10_1(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "MaxStartups 10:50:20\nMaxStartups 30\n");
	if (!CHECK(c != NULL))
		return;
	/* sscanf writes straight into the options: the lone number keeps the old rate */
	CHECK_STREQ(global(c, SK_MAXSTARTUPS), "30:50:30");
	CHECK_EQ_INT(sshd_config_global(c)->kw[SK_MAXSTARTUPS].origin.line, 2);
	sshd_config_free(c);
}

static void test_maxstartups_single_number_is_hard_limit(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "MaxStartups 30\n");
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_MAXSTARTUPS), "30:30:30");
	sshd_config_free(c);
}

static void test_maxstartups_trailing_garbage_after_number_accepted(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "MaxStartups 5:x\n");
	if (!CHECK(c != NULL))
		return;
	CHECK(!fatal(c));
	CHECK_STREQ(global(c, SK_MAXSTARTUPS), "5:30:5");
	sshd_config_free(c);
}

static void test_persourcemaxstartups_last_in_9_2_first_in_10_0(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "PerSourceMaxStartups 3\nPerSourceMaxStartups 5\n");
	CHECK(c && strcmp(global(c, SK_PERSOURCEMAXSTARTUPS), "5") == 0);
	sshd_config_free(c);
	fs_reset();
	c = load(V100, "PerSourceMaxStartups 3\nPerSourceMaxStartups 5\n");
	CHECK(c && strcmp(global(c, SK_PERSOURCEMAXSTARTUPS), "3") == 0);
	sshd_config_free(c);
}

static void test_netblock_single_value_gives_v6_zero(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "PerSourceNetBlockSize 24\n");
	CHECK(c && strcmp(global(c, SK_PERSOURCENETBLOCK), "24:0") == 0);
	sshd_config_free(c);
}

static void test_unused_connection_timeout_none_overrides(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "UnusedConnectionTimeout 5m\nUnusedConnectionTimeout none\n");
	CHECK(c && strcmp(global(c, SK_UNUSEDCONNTIMEOUT), "none") == 0);
	sshd_config_free(c);
}

static void test_ports_accumulate_and_listenaddress_takes_all(void)
{
	struct sshd_listen *l;
	struct sshd_config *c;
	size_t n;
	char a[64];

	fs_reset();
	c = load(V92, "ListenAddress 127.0.0.1\nPort 22\nPort 2222\nListenAddress [::1]:2200\n");
	if (!CHECK(c != NULL))
		return;
	if (!CHECK_EQ_INT(sshd_listen_addrs(sshd_config_global(c), &l, &n), SD_OK))
		return;
	CHECK_EQ_INT(n, 3);
	sshd_listen_format(&l[0], a, sizeof(a));
	CHECK_STREQ(a, "127.0.0.1:22");
	sshd_listen_format(&l[1], a, sizeof(a));
	CHECK_STREQ(a, "127.0.0.1:2222");
	sshd_listen_format(&l[2], a, sizeof(a));
	CHECK_STREQ(a, "[::1]:2200");
	free(l);
	sshd_config_free(c);
}

/* fuzz found: 200 ports x 100 addresses ran to megabytes; sshd stops at 16 sockets anyway */
static void test_listen_expansion_is_bounded(void)
{
	struct sshd_listen *l;
	struct sshd_config *c;
	struct buf t;
	size_t n, i;

	fs_reset();
	buf_init(&t, BUF_MAX_DEFAULT);
	for (i = 0; i < 200; i++)
		buf_addf(&t, "Port %zu\n", 1000 + i);
	for (i = 0; i < 100; i++)
		buf_addf(&t, "ListenAddress 10.0.%zu.1\n", i);
	c = load(V92, t.data);
	buf_release(&t);
	if (!CHECK(c != NULL))
		return;
	if (!CHECK_EQ_INT(sshd_listen_addrs(sshd_config_global(c), &l, &n), SD_OK))
		return;
	CHECK_EQ_INT(n, SSHD_LISTEN_MAX);
	CHECK_EQ_INT(l[0].port, 1000);
	CHECK_EQ_INT(l[SSHD_LISTEN_MAX - 1].port, 1000 + (SSHD_LISTEN_MAX - 1) % 200);
	free(l);
	sshd_config_free(c);
}

static void test_wildcard_listen_prints_v6_first(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Port 22\n");
	CHECK(c && strcmp(global(c, SK_LISTENADDRESS), "[::]:22") == 0);
	sshd_config_free(c);
}

static void test_listenaddress_wrong_family_is_fatal(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "AddressFamily inet\nListenAddress ::1\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "bad addr or host"));
	sshd_config_free(c);
}

/* ------------------------------------------------------------------ command line */

static void test_cmdline_o_wins_over_file(void)
{
	struct sshd_cmd cmds[] = {{SSHD_CMD_OPTION, "LoginGraceTime=7"}};
	struct sshd_config *c;

	fs_reset();
	c = load_opts(V92, "LoginGraceTime 30\n", cmds, 1);
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_LOGINGRACETIME), "7");
	CHECK(sshd_config_global(c)->kw[SK_LOGINGRACETIME].origin.file == SSHD_ORIGIN_CMDLINE);
	sshd_config_free(c);
}

static void test_cmdline_o_maxstartups_loses_to_file_before_10_1(void)
{
	struct sshd_cmd cmds[] = {{SSHD_CMD_OPTION, "MaxStartups=3:50:6"}};
	struct sshd_config *c;

	fs_reset();
	c = load_opts(V92, "MaxStartups 20:30:60\n", cmds, 1);
	CHECK(c && strcmp(global(c, SK_MAXSTARTUPS), "20:30:60") == 0);
	sshd_config_free(c);
}

static void test_cmdline_p_replaces_port_lines(void)
{
	struct sshd_cmd cmds[] = {{SSHD_CMD_PORT, "2200"}};
	struct sshd_config *c;

	fs_reset();
	c = load_opts(V92, "Port 22\nPort 2222\n", cmds, 1);
	if (!CHECK(c != NULL))
		return;
	CHECK_EQ_INT(sshd_config_global(c)->kw[SK_PORT].nitems, 1);
	CHECK_STREQ(global(c, SK_PORT), "2200");
	sshd_config_free(c);
}

static void test_cmdline_match_is_fatal(void)
{
	struct sshd_cmd cmds[] = {{SSHD_CMD_OPTION, "Match all"}};
	struct sshd_config *c;

	fs_reset();
	c = load_opts(V92, "", cmds, 1);
	CHECK(c && fatal(c));
	sshd_config_free(c);
}

static void test_cmdline_parse_getopt_forms(void)
{
	char *argv[] = {"/usr/sbin/sshd", "-Dp2222", "-oPort=1", "-o", "MaxStartups 5", "-f",
	                "/x/cfg",         "-4",      NULL};
	struct sshd_cmdline c;

	if (!CHECK_EQ_INT(sshd_cmdline_parse(8, argv, &c), SD_OK))
		return;
	CHECK_STREQ(c.config_file, "/x/cfg");
	CHECK_EQ_INT(c.ncmds, 4);
	CHECK(c.cmds[0].kind == SSHD_CMD_PORT && strcmp(c.cmds[0].arg, "2222") == 0);
	CHECK(c.cmds[1].kind == SSHD_CMD_OPTION && strcmp(c.cmds[1].arg, "Port=1") == 0);
	CHECK(c.cmds[2].kind == SSHD_CMD_OPTION && strcmp(c.cmds[2].arg, "MaxStartups 5") == 0);
	CHECK(c.cmds[3].kind == SSHD_CMD_INET);
	sshd_cmdline_release(&c);
}

static void test_unit_execstart_expands_env_file(void)
{
	const char *units[] = {
	    "[Service]\nEnvironmentFile=-/etc/default/ssh\n"
	    "ExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n",
	    "[Service]\nExecStart=\nExecStart=-/usr/sbin/sshd -D $SSHD_OPTS -e\n"};
	const char *envs[] = {"# comment\nSSHD_OPTS=\"-p 2222 -o LogLevel=DEBUG\"\n"};
	char **paths, *line;
	size_t n;

	CHECK_EQ_INT(sshd_unit_execstart(units, 2, envs, 1, &line), SD_OK);
	CHECK_STREQ(line, "/usr/sbin/sshd -D -p 2222 -o LogLevel=DEBUG -e");
	free(line);
	CHECK_EQ_INT(sshd_unit_envfiles(units, 2, &paths, &n), SD_OK);
	CHECK(n == 1 && strcmp(paths[0], "/etc/default/ssh") == 0);
	free(paths[0]);
	free(paths);
}

/* ------------------------------------------------------------------ Match */

static void test_match_is_syntax_only_at_startup(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match User root\nMaxSessions 3\n");
	CHECK(c && strcmp(global(c, SK_MAXSESSIONS), "10") == 0);
	sshd_config_free(c);
}

static void test_match_all_applies_at_startup(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match all\nMaxStartups 5:30:20\n");
	CHECK(c && !fatal(c) && strcmp(global(c, SK_MAXSTARTUPS), "5:30:20") == 0);
	sshd_config_free(c);
}

static void test_global_keyword_in_match_is_fatal(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match User root\nMaxStartups 5\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "not allowed within a Match block"));
	sshd_config_free(c);
}

static void test_match_block_overrides_earlier_global(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "PasswordAuthentication yes\nMatch User root\nPasswordAuthentication no\n");
	if (!CHECK(c && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_PASSWORDAUTH), "no");
	CHECK_EQ_INT(e.nmatched, 1);
	CHECK_EQ_INT(e.opts.kw[SK_PASSWORDAUTH].origin.match_line, 2);
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_first_matching_block_wins(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match Address 10.0.0.0/8\nMaxAuthTries 2\nMatch all\nMaxAuthTries 9\n");
	if (!CHECK(c && eval(c, NULL, "10.1.2.3", 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_MAXAUTHTRIES), "2");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_all_after_global_repeat_wins(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	/* ignored at start-up (first wins), but applied in the Match pass for everyone */
	c = load(V92, "PasswordAuthentication no\nMatch all\nPasswordAuthentication yes\n");
	if (!CHECK(c && eval(c, NULL, NULL, 22, &e) == 0))
		return;
	CHECK_STREQ(global(c, SK_PASSWORDAUTH), "no");
	CHECK_STREQ(shown(c, &e.opts, SK_PASSWORDAUTH), "yes");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_absent_attribute_does_not_match(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match User *\nMaxSessions 3\n");
	if (!CHECK(c && eval(c, NULL, "10.0.0.1", 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_MAXSESSIONS), "10");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_localport_without_lport_is_fatal_in_test_mode(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match LocalPort 22\nMaxSessions 3\n");
	if (!CHECK(c && eval(c, "root", NULL, -1, &e) == 0))
		return;
	CHECK(e.diags.fatal);
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_bad_address_is_fatal_at_startup(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match Address 10.0.0.1/8\nMaxSessions 3\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "Invalid Match address argument"));
	sshd_config_free(c);
}

static void test_match_criterion_equals_form_in_10_0(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "Match User=root\nMaxSessions 3\n");
	if (!CHECK(c && !fatal(c) && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_MAXSESSIONS), "3");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_version_applies_at_startup_in_10_0(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "Match Version *Debian*\nMaxStartups 3\n");
	CHECK(c && !fatal(c) && strcmp(global(c, SK_MAXSTARTUPS), "3:30:3") == 0);
	sshd_config_free(c);
	fs_reset();
	c = load(V92, "Match Version *Debian*\nMaxStartups 3\n");
	CHECK(c && fatal(c));
	sshd_config_free(c);
}

static void test_refuseconnection_in_match_for_one_address(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "Match Address 192.0.2.10\n    RefuseConnection yes\n");
	if (!CHECK(c && eval(c, "labuser", "192.0.2.10", 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_REFUSECONNECTION), "yes");
	sshd_effective_release(&e);
	if (!CHECK(eval(c, "labuser", "192.0.2.20", 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_REFUSECONNECTION), "no");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_allowusers_replaces_global_list(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "AllowUsers alice bob\nMatch User root\nAllowUsers root\n");
	if (!CHECK(c && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK_EQ_INT(e.opts.kw[SK_ALLOWUSERS].nitems, 1);
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_subsystem_without_global_one_crashes_10_0(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "Match User root\nSubsystem y /bin/y\n");
	if (!CHECK(c && !fatal(c) && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK(e.diags.fatal && diag_has(&e.diags, "crashes"));
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_subsystem_replaces_list_10_0(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	c = load(V100, "Subsystem sftp /x\nMatch User root\nSubsystem foo /y\n");
	if (!CHECK(c && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK_EQ_INT(e.opts.kw[SK_SUBSYSTEM].nitems, 1);
	CHECK_STREQ(shown(c, &e.opts, SK_SUBSYSTEM), "foo /y");
	sshd_effective_release(&e);
	sshd_config_free(c);
}

/* ------------------------------------------------------------------ Include */

static void test_include_relative_path_is_under_etc_ssh_sorted(void)
{
	struct sshd_config *c;

	fs_reset();
	fs_add("/etc/ssh/sshd_config.d/b.conf", "LoginGraceTime 20\n");
	fs_add("/etc/ssh/sshd_config.d/a.conf", "LoginGraceTime 10\n");
	c = load(V92, "Include sshd_config.d/*.conf\nLoginGraceTime 30\n");
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_LOGINGRACETIME), "10");
	CHECK_STREQ(sshd_config_global(c)->kw[SK_LOGINGRACETIME].origin.file,
	            "/etc/ssh/sshd_config.d/a.conf");
	sshd_config_free(c);
}

static void test_include_without_match_is_silent(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Include /nonexistent/*.conf\n");
	CHECK(c && !fatal(c));
	sshd_config_free(c);
}

static void test_include_inside_match_takes_the_block(void)
{
	struct sshd_effective e;
	struct sshd_config *c;

	fs_reset();
	fs_add("/etc/ssh/m.conf", "MaxSessions 4\n");
	c = load(V92, "Match User root\nInclude /etc/ssh/m.conf\n");
	if (!CHECK(c && !fatal(c) && eval(c, "root", NULL, 22, &e) == 0))
		return;
	CHECK_STREQ(shown(c, &e.opts, SK_MAXSESSIONS), "4");
	CHECK_EQ_INT(e.opts.kw[SK_MAXSESSIONS].origin.match_line, 1);
	sshd_effective_release(&e);
	sshd_config_free(c);
}

static void test_match_in_included_file_ends_with_the_file(void)
{
	struct sshd_config *c;

	fs_reset();
	fs_add("/etc/ssh/m.conf", "Match User nobody\nMaxSessions 4\n");
	/* back in the main file the global context is restored */
	c = load(V92, "Include /etc/ssh/m.conf\nLoginGraceTime 9\n");
	CHECK(c && !fatal(c) && strcmp(global(c, SK_LOGINGRACETIME), "9") == 0);
	sshd_config_free(c);
}

static void test_include_recursion_is_fatal(void)
{
	struct sshd_config *c;

	fs_reset();
	fs_add("/etc/ssh/loop.conf", "Include /etc/ssh/loop.conf\n");
	c = load(V92, "Include /etc/ssh/loop.conf\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "Too many recursive"));
	sshd_config_free(c);
}

static void test_missing_main_file_is_fatal(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, NULL);
	CHECK(c && fatal(c));
	sshd_config_free(c);
}

/* ------------------------------------------------------------------ errors and output */

static void test_bad_option_counted_then_fatal(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "NoSuchThing yes\nPort 22\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "Bad configuration option") &&
	      diag_has(sshd_config_diags(c), "terminating, 1 bad configuration options"));
	sshd_config_free(c);
}

static void test_deprecated_option_is_only_info(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "UsePrivilegeSeparation sandbox\n");
	CHECK(c && !fatal(c) && diag_has(sshd_config_diags(c), "Deprecated option"));
	sshd_config_free(c);
}

static void test_rdomain_unsupported_on_linux_builds(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "Match User nobody\nRDomain rd1\n");
	CHECK(c && fatal(c) && diag_has(sshd_config_diags(c), "not supported on this platform"));
	sshd_config_free(c);
}

static void test_dump_first_name_of_a_value(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "PermitRootLogin prohibit-password\nLogLevel QUIET\n");
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_PERMITROOTLOGIN), "without-password");
	CHECK_STREQ(global(c, SK_LOGLEVEL), "SILENT"); /* Debian's extra level comes first */
	sshd_config_free(c);
}

static void test_defaults_follow_the_version(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "");
	CHECK(c && global(c, SK_PERSOURCEPENALTIES) == NULL &&
	      global(c, SK_REFUSECONNECTION) == NULL);
	sshd_config_free(c);
	fs_reset();
	c = load(V100, "");
	if (!CHECK(c != NULL))
		return;
	CHECK_STREQ(global(c, SK_PERSOURCEPENALTIES),
	            "crash:90 authfail:5 noauth:1 grace-exceeded:10 refuseconnection:10 max:600 "
	            "min:15 max-sources4:65536 max-sources6:65536 overflow:permissive "
	            "overflow6:permissive");
	CHECK_STREQ(global(c, SK_SSHDSESSIONPATH), "/usr/lib/openssh/sshd-session");
	sshd_config_free(c);
}

static void test_ipqos_hex_only_before_9_8(void)
{
	struct sshd_config *c;

	fs_reset();
	c = load(V92, "IPQoS 0x10\n");
	CHECK(c && !fatal(c) && strcmp(global(c, SK_IPQOS), "lowdelay lowdelay") == 0);
	sshd_config_free(c);
	fs_reset();
	c = load(V100, "IPQoS 0x10\n");
	CHECK(c && fatal(c));
	sshd_config_free(c);
}

static void test_config_line_text_for_evidence(void)
{
	struct sshd_config *c;
	const char *t;
	size_t len;

	fs_reset();
	c = load(V92, "# x\n   MaxStartups 3:30:9\n");
	if (!CHECK(c != NULL))
		return;
	t = sshd_config_line(c, "/etc/ssh/sshd_config", 2, &len);
	CHECK(t && len == 18 && strncmp(t, "MaxStartups 3:30:9", 18) == 0);
	sshd_config_free(c);
}

/* ------------------------------------------------------------------ /proc parsing */

static void test_proctcp_parses_listen_v4(void)
{
	static const char text[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode\n"
	    "   0: 0100007F:0016 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0     "
	    "   0 12345 1 0000000000000000 100 0 0 10 0\n";
	struct tcp_sock *v = NULL;
	size_t n = 0;

	if (!CHECK_EQ_INT(proctcp_parse(text, sizeof(text) - 1, 4, 1, &v, &n), SD_OK))
		return;
	if (CHECK_EQ_INT(n, 1)) {
		CHECK_EQ_INT(v[0].lport, 22);
		CHECK(v[0].laddr[0] == 127 && v[0].laddr[3] == 1);
		CHECK_EQ_INT(v[0].state, TCP_ST_LISTEN);
		CHECK_EQ_INT(v[0].rx_queue, 2);
		CHECK_EQ_INT(v[0].inode, 12345);
		CHECK(proctcp_listen_covers(&v[0], 22, 4, NULL));
	}
	free(v);
}

static void test_proctcp_v6_wildcard_covers_v4(void)
{
	static const char text[] = "   1: 00000000000000000000000000000000:0016 "
	                           "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	                           "00:00000000 00000000     0        0 777 1\n";
	struct tcp_sock *v = NULL;
	size_t n = 0;
	uint8_t a[4] = {192, 0, 2, 1};

	if (!CHECK_EQ_INT(proctcp_parse(text, sizeof(text) - 1, 6, 1, &v, &n), SD_OK) ||
	    !CHECK_EQ_INT(n, 1))
		return;
	CHECK(proctcp_listen_covers(&v[0], 22, 4, a));
	free(v);
}

static void test_proctcp_skips_garbage(void)
{
	struct tcp_sock *v = NULL;
	size_t n = 0;

	CHECK_EQ_INT(proctcp_parse("garbage\n0: zz\n", 14, 4, 1, &v, &n), SD_OK);
	CHECK_EQ_INT(n, 0);
	free(v);
}

static void test_title_listener_gives_count_and_cmdline(void)
{
	static const char t[] =
	    "sshd: /usr/sbin/sshd -D -f /x/cfg [listener] 2 of 10-100 startups\0\0";
	struct sshd_title tt;

	sshd_title_parse(t, sizeof(t), &tt);
	CHECK_EQ_INT(tt.role, SSHD_PROC_LISTENER);
	CHECK(tt.have_startups && tt.startups == 2 && tt.begin == 10 && tt.full == 100);
	CHECK_STREQ(tt.cmdline, "/usr/sbin/sshd -D -f /x/cfg");
}

static void test_title_roles_of_children(void)
{
	struct sshd_title tt;

	sshd_title_parse("sshd: [accepted]", 16, &tt);
	CHECK_EQ_INT(tt.role, SSHD_PROC_PREAUTH);
	sshd_title_parse("sshd-session: alice@pts/0", 25, &tt);
	CHECK_EQ_INT(tt.role, SSHD_PROC_SESSION);
}

static void test_user_groups_from_files(void)
{
	static const char pw[] =
	    "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/a:/bin/sh\n";
	static const char gr[] = "root:x:0:\nalice:x:1000:\nsudo:x:27:bob,alice\nwheel:x:10:bob\n";
	char **g;
	size_t n;
	int exists;

	CHECK_EQ_INT(
	    sshd_user_groups(pw, sizeof(pw) - 1, gr, sizeof(gr) - 1, "alice", &exists, &g, &n),
	    SD_OK);
	CHECK(exists && n == 2 && strcmp(g[0], "alice") == 0 && strcmp(g[1], "sudo") == 0);
	sshd_groups_free(g, n);
	CHECK_EQ_INT(
	    sshd_user_groups(pw, sizeof(pw) - 1, gr, sizeof(gr) - 1, "mallory", &exists, &g, &n),
	    SD_OK);
	CHECK(!exists && n == 0);
}

/* ------------------------------------------------------------------ layers */

static void conn(struct conn_spec *c, const char *client, unsigned port, const char *user)
{
	memset(c, 0, sizeof(*c));
	if (client) {
		ip_addr_parse(client, &c->client);
		ip_addr_format(&c->client, c->client_text, sizeof(c->client_text));
	}
	c->port = port;
	c->user = user;
}

static const struct finding *find(const struct diagnosis *d, enum cause_id cause)
{
	size_t i;

	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->cause == cause)
			return d->findings[i];
	return NULL;
}

/* A live host with one listening sshd (pid 100) on 0.0.0.0:22 and n pre-auth peers. */
static void live_inputs(struct sshd_inputs *in, struct sshd_config *c, int startups, int begin,
                        int full)
{
	static struct sshd_daemon dmn;
	static struct sshd_socket sock;
	static struct sshd_owner owner;

	sshd_inputs_init(in);
	in->live = 1;
	in->port = 22;
	in->sockets_read = in->procs_read = 1;
	memset(&sock, 0, sizeof(sock));
	sock.s.family = 4;
	sock.s.lport = 22;
	sock.s.state = TCP_ST_LISTEN;
	memset(&owner, 0, sizeof(owner));
	owner.pid = 100;
	owner.is_sshd = 1;
	strcpy(owner.comm, "sshd");
	sock.owners = &owner;
	sock.nowners = 1;
	in->sockets = &sock;
	in->nsockets = 1;
	memset(&dmn, 0, sizeof(dmn));
	dmn.pid = 100;
	strcpy(dmn.exe, "/usr/sbin/sshd");
	sshd_version_parse(V92, &dmn.version);
	dmn.title.role = SSHD_PROC_LISTENER;
	dmn.title.have_startups = 1;
	dmn.title.startups = startups;
	dmn.title.begin = begin;
	dmn.title.full = full;
	dmn.owns_port = 1;
	in->daemons = &dmn;
	in->ndaemons = 1;
	in->chosen = 0;
	in->config = c;
	in->version = dmn.version;
}

static void test_layer_maxstartups_full_is_risk_with_count(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V92, "MaxStartups 2:100:2\n");
	live_inputs(&in, c, 2, 2, 2);
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_MAX_STARTUPS);
	if (CHECK(f != NULL)) {
		CHECK_EQ_INT(f->severity, SEVERITY_RISK);
		CHECK(f->nevidence >= 1 &&
		      strcmp(f->evidence[0].source, "/etc/ssh/sshd_config") == 0 &&
		      f->evidence[0].line == 1);
		CHECK(f->nfix >= 1);
	}
	CHECK_EQ_INT(d.layers[LAYER_SSHD_ADMISSION].status, LAYER_EVALUATED);
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_maxstartups_below_begin_is_quiet(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;

	fs_reset();
	c = load(V92, "");
	live_inputs(&in, c, 3, 10, 100);
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	CHECK(find(&d, CAUSE_MAX_STARTUPS) == NULL);
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_per_source_counts_the_netblock(void)
{
	struct sshd_peer peers[2] = {{4, {192, 0, 2, 10}}, {4, {192, 0, 2, 99}}};
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V92, "PerSourceMaxStartups 2\nPerSourceNetBlockSize 24\n");
	live_inputs(&in, c, 2, 10, 100);
	in.preauth_peers = peers;
	in.npreauth_peers = 2;
	in.preauth_counted = 1;
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_PER_SOURCE_MAX_STARTUPS);
	CHECK(f && f->severity == SEVERITY_BLOCKER && strstr(f->summary, "192.0.2.0/24"));
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_refuse_connection_blocker_names_match_line(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V100, "Match Address 192.0.2.10\n    RefuseConnection yes\n");
	live_inputs(&in, c, 0, 10, 100);
	sshd_version_parse(V100, &in.version);
	conn(&cs, "192.0.2.10", 22, "labuser");
	diagnosis_init(&d, "192.0.2.10", 22, "labuser");
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_REFUSE_CONNECTION);
	if (CHECK(f && f->severity == SEVERITY_BLOCKER && f->nevidence >= 2)) {
		CHECK_EQ_INT(f->evidence[0].line, 2);
		CHECK_EQ_INT(f->evidence[1].line, 1);
	}
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_penalty_aggressive_config_is_risk(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V100, "PerSourcePenalties noauth:60s min:1s\n");
	live_inputs(&in, c, 0, 10, 100);
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_PER_SOURCE_PENALTY);
	CHECK(f && f->severity == SEVERITY_RISK && strstr(f->summary, "cannot be read"));
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_penalty_exempt_client_is_info(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V100, "PerSourcePenalties noauth:60s min:1s\nPerSourcePenaltyExemptList "
	               "192.0.2.0/24\n");
	live_inputs(&in, c, 0, 10, 100);
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_PER_SOURCE_PENALTY);
	CHECK(f && f->severity == SEVERITY_INFO && strstr(f->summary, "ExemptList"));
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_nothing_listening_no_sshd(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;

	fs_reset();
	c = load(V92, "");
	live_inputs(&in, c, 0, 10, 100);
	in.nsockets = 0;
	in.ndaemons = 0;
	in.chosen = -1;
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	CHECK(find(&d, CAUSE_NOT_LISTENING) != NULL);
	CHECK(find(&d, CAUSE_SSHD_NOT_RUNNING) != NULL);
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_wrong_service_owner(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V92, "");
	live_inputs(&in, c, 0, 10, 100);
	in.sockets[0].owners[0].is_sshd = 0;
	strcpy(in.sockets[0].owners[0].comm, "nginx");
	in.ndaemons = 0;
	in.chosen = -1;
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_WRONG_SERVICE);
	CHECK(f && f->severity == SEVERITY_BLOCKER && strstr(f->summary, "nginx"));
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_session_missing_for_running_10_0(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;
	const struct finding *f;

	fs_reset();
	c = load(V100, "SshdSessionPath /opt/gone/sshd-session\n");
	live_inputs(&in, c, 0, 10, 100);
	sshd_version_parse(V100, &in.daemons[0].version);
	in.session.checked = 1;
	strcpy(in.session.path, "/opt/gone/sshd-session");
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	f = find(&d, CAUSE_SSHD_SESSION_MISSING);
	CHECK(f && f->severity == SEVERITY_BLOCKER && f->nevidence >= 1 &&
	      f->evidence[0].line == 1);
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_root_mode_listen_unreadable_but_port_checked(void)
{
	struct sshd_inputs in;
	struct sshd_config *c;
	struct conn_spec cs;
	struct diagnosis d;

	fs_reset();
	c = load(V92, "Port 2222\n");
	sshd_inputs_init(&in);
	in.port = 22;
	in.config = c;
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	CHECK_EQ_INT(d.layers[LAYER_LISTEN].status, LAYER_UNREADABLE);
	CHECK(find(&d, CAUSE_NOT_LISTENING) != NULL);
	diagnosis_release(&d);
	sshd_config_free(c);
}

static void test_layer_unreadable_config_says_so(void)
{
	struct sshd_inputs in;
	struct conn_spec cs;
	struct diagnosis d;

	sshd_inputs_init(&in);
	in.port = 22;
	strcpy(in.config_note, "/etc/ssh/sshd_config could not be read (run as root)");
	conn(&cs, "192.0.2.10", 22, NULL);
	diagnosis_init(&d, "192.0.2.10", 22, NULL);
	CHECK_EQ_INT(sshd_layers_evaluate(&in, &cs, &d), SD_OK);
	CHECK_EQ_INT(d.layers[LAYER_SSHD_ADMISSION].status, LAYER_UNREADABLE);
	CHECK(strstr(d.layers[LAYER_SSHD_ADMISSION].note, "run as root") != NULL);
	diagnosis_release(&d);
}

/* ------------------------------------------------------------------ runner */

#define SSHD_TESTS(X)                                                                              \
	X(lex_load_strips_leading_blanks_keeps_lines)                                              \
	X(lex_load_nul_cuts_line_and_newline)                                                      \
	X(strdelim_splits_on_one_equals)                                                           \
	X(strdelim_second_equals_stays)                                                            \
	X(argv_split_quotes_and_escapes)                                                           \
	X(argv_split_comment_word_ends_line)                                                       \
	X(argv_split_unterminated_quote_is_invalid)                                                \
	X(convtime_units_and_sums)                                                                 \
	X(convtime_sign_accepted_before_9_8_only)                                                  \
	X(a2port_numbers_and_ssh)                                                                  \
	X(scan_scaled_units)                                                                       \
	X(pattern_list_negation_needs_a_positive)                                                  \
	X(pattern_wildcards)                                                                       \
	X(hostname_match_is_case_insensitive)                                                      \
	X(addr_list_cidr_and_wildcard)                                                             \
	X(addr_list_host_bits_set_is_invalid)                                                      \
	X(addr_pton_accepts_inet_aton_forms)                                                       \
	X(groups_negation_wins)                                                                    \
	X(keywords_are_case_insensitive)                                                           \
	X(keywords_follow_versions_and_debian)                                                     \
	X(precedence_exceptions_by_version)                                                        \
	X(version_parse_sshd_V_output)                                                             \
	X(version_from_binary_skips_compat_patterns)                                               \
	X(first_value_wins)                                                                        \
	X(maxstartups_last_wins_before_10_1)                                                       \
	X(maxstartups_single_number_is_hard_limit)                                                 \
	X(maxstartups_trailing_garbage_after_number_accepted)                                      \
	X(persourcemaxstartups_last_in_9_2_first_in_10_0)                                          \
	X(netblock_single_value_gives_v6_zero)                                                     \
	X(unused_connection_timeout_none_overrides)                                                \
	X(ports_accumulate_and_listenaddress_takes_all)                                            \
	X(listen_expansion_is_bounded)                                                             \
	X(wildcard_listen_prints_v6_first)                                                         \
	X(listenaddress_wrong_family_is_fatal)                                                     \
	X(cmdline_o_wins_over_file)                                                                \
	X(cmdline_o_maxstartups_loses_to_file_before_10_1)                                         \
	X(cmdline_p_replaces_port_lines)                                                           \
	X(cmdline_match_is_fatal)                                                                  \
	X(cmdline_parse_getopt_forms)                                                              \
	X(unit_execstart_expands_env_file)                                                         \
	X(match_is_syntax_only_at_startup)                                                         \
	X(match_all_applies_at_startup)                                                            \
	X(global_keyword_in_match_is_fatal)                                                        \
	X(match_block_overrides_earlier_global)                                                    \
	X(first_matching_block_wins)                                                               \
	X(match_all_after_global_repeat_wins)                                                      \
	X(match_absent_attribute_does_not_match)                                                   \
	X(match_localport_without_lport_is_fatal_in_test_mode)                                     \
	X(match_bad_address_is_fatal_at_startup)                                                   \
	X(match_criterion_equals_form_in_10_0)                                                     \
	X(match_version_applies_at_startup_in_10_0)                                                \
	X(refuseconnection_in_match_for_one_address)                                               \
	X(match_allowusers_replaces_global_list)                                                   \
	X(match_subsystem_without_global_one_crashes_10_0)                                         \
	X(match_subsystem_replaces_list_10_0)                                                      \
	X(include_relative_path_is_under_etc_ssh_sorted)                                           \
	X(include_without_match_is_silent)                                                         \
	X(include_inside_match_takes_the_block)                                                    \
	X(match_in_included_file_ends_with_the_file)                                               \
	X(include_recursion_is_fatal)                                                              \
	X(missing_main_file_is_fatal)                                                              \
	X(bad_option_counted_then_fatal)                                                           \
	X(deprecated_option_is_only_info)                                                          \
	X(rdomain_unsupported_on_linux_builds)                                                     \
	X(dump_first_name_of_a_value)                                                              \
	X(defaults_follow_the_version)                                                             \
	X(ipqos_hex_only_before_9_8)                                                               \
	X(config_line_text_for_evidence)                                                           \
	X(proctcp_parses_listen_v4)                                                                \
	X(proctcp_v6_wildcard_covers_v4)                                                           \
	X(proctcp_skips_garbage)                                                                   \
	X(title_listener_gives_count_and_cmdline)                                                  \
	X(title_roles_of_children)                                                                 \
	X(user_groups_from_files)                                                                  \
	X(layer_maxstartups_full_is_risk_with_count)                                               \
	X(layer_maxstartups_below_begin_is_quiet)                                                  \
	X(layer_per_source_counts_the_netblock)                                                    \
	X(layer_refuse_connection_blocker_names_match_line)                                        \
	X(layer_penalty_aggressive_config_is_risk)                                                 \
	X(layer_penalty_exempt_client_is_info)                                                     \
	X(layer_nothing_listening_no_sshd)                                                         \
	X(layer_wrong_service_owner)                                                               \
	X(layer_session_missing_for_running_10_0)                                                  \
	X(layer_root_mode_listen_unreadable_but_port_checked)                                      \
	X(layer_unreadable_config_says_so)

static const struct t_test tests[] = {SSHD_TESTS(T_ENTRY)};

int main(int argc, char **argv)
{
	return t_run("sshd-unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
