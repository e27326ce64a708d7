/*
 * diff.c — the differential test of the sshd_config model: generated configurations
 * (Includes with globs, nested and negated Match, every admission and listen keyword,
 * quoting, odd spacing, a few invalid lines) are given both to the real sshd
 * (`sshd -T -f FILE -C spec`) and to sshd/config.h, and every keyword the model promises must
 * print the same.  When sshd refuses a configuration the model must refuse it too.
 *
 *   sshd-diff [--sshd BIN]... [--cases N] [--specs K] [--seed S] [--keep DIR] [--verbose]
 *
 * Each --sshd runs in its own process (in parallel); its version comes from `BIN -V`.  A
 * case is one (configuration, -C spec) pair: sshd -T takes one -C per run, so the cost is one
 * sshd run per case, and K specs share one generated file set.  Files are read through the
 * real edge loader (io/collect_sshd.h) on the live root.  Prints one line per failure (and
 * the files with --keep) and ends with "sshd-diff: N passed, N failed".
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "io/collect_sshd.h"
#include "io/proc.h"
#include "io/rootfs.h"
#include "sshd/config.h"
#include "sshd/dump.h"
#include "sshd/version.h"

/* ------------------------------------------------------------------ random */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned rn(unsigned n)
{
	return n ? (unsigned)(rnd() % n) : 0;
}

/* 1 with probability pct/1000 */
static int chance(unsigned permille)
{
	return rn(1000) < permille;
}

#define PICK(arr) ((arr)[rn(sizeof(arr) / sizeof((arr)[0]))])

/* ------------------------------------------------------------------ vocabulary */

struct kwgen {
	const char *name;
	int match_ok; /* allowed inside Match in every modelled version (Subsystem: see below) */
	int min_ver;  /* SSHD_V() */
	const char *good[8];
	const char *bad[3];
};

/* clang-format off */
static const struct kwgen vocab[] = {
	{"Port", 0, 0, {"22", "2222", "443", "8022", "+2200", "ssh"}, {"0", "70000", "abc"}},
	{"ListenAddress", 0, 0, {"127.0.0.1", "0.0.0.0", "::1", "[::1]:2200", "127.0.0.2:2201", "192.0.2.1", "127.1", "[127.0.0.3]:2202"}, {"1.2.3.4:0", "[::1", "::1 rdomain x"}},
	{"AddressFamily", 0, 0, {"any", "inet", "inet6", "INET"}, {"ipv4"}},
	{"LoginGraceTime", 0, 0, {"0", "30", "2m", "1h30m", "90s", "+5", "1w"}, {"5x", "-1"}},
	{"MaxStartups", 0, 0, {"10:30:100", "5", "3:50:10", "20:100:40", "5:x", "1:1:1", "7:30:7"}, {"10:30", "0", "50:30:10"}},
	{"PerSourceMaxStartups", 0, 0, {"none", "1", "3", "10", "+4"}, {"-1", "x"}},
	{"PerSourceNetBlockSize", 0, 0, {"32:128", "24", "16:64", "0:0", "8:48"}, {"33", "24:129"}},
	{"PerSourcePenalties", 0, SSHD_V(9, 8), {"no", "yes", "crash:2m authfail:10", "noauth:60s min:1s", "max-sources4:100 overflow:deny-all", "grace-exceeded:5 refuseconnection:3 overflow6:permissive", "max:1h min:1"}, {"foo:1", "yes crash:1", "max-sources6:x"}},
	{"PerSourcePenaltyExemptList", 0, SSHD_V(9, 8), {"10.0.0.0/8,192.0.2.1", "::1,127.0.0.1", "203.0.113.*"}, {"10.0.0.1/8"}},
	{"RefuseConnection", 1, SSHD_V(9, 9), {"yes", "no"}, {"maybe"}},
	{"UseDNS", 0, 0, {"yes", "no"}, {"sometimes"}},
	{"SshdSessionPath", 0, SSHD_V(9, 8), {"/nonexistent/sshd-session"}, {""}},
	{"UsePAM", 0, 0, {"yes", "no"}, {"x"}},
	{"PidFile", 0, 0, {"/run/sshd.pid", "run/x.pid", "none", "~/sshd.pid"}, {""}},
	{"ModuliFile", 0, 0, {"/etc/ssh/moduli", "moduli"}, {""}},
	{"XAuthLocation", 0, 0, {"/usr/bin/xauth", "none"}, {""}},
	{"PrintMotd", 0, 0, {"yes", "no"}, {"x"}},
	{"PrintLastLog", 0, 0, {"yes", "no"}, {"x"}},
	{"StrictModes", 0, 0, {"yes", "no"}, {"x"}},
	{"TCPKeepAlive", 0, 0, {"yes", "no"}, {"x"}},
	{"KeepAlive", 0, 0, {"yes", "no"}, {"x"}},
	{"Compression", 0, 0, {"yes", "no", "delayed"}, {"zlib"}},
	{"FingerprintHash", 0, 0, {"md5", "sha256", "SHA512"}, {"sha3"}},
	{"IgnoreUserKnownHosts", 0, 0, {"yes", "no"}, {"x"}},
	{"VersionAddendum", 0, 0, {"foo bar", "none", "x # comment", "tag"}, {""}},
	{"SyslogFacility", 0, 0, {"AUTH", "local3", "DAEMON", "authpriv"}, {"LOCAL9"}},
	{"HostKeyAgent", 0, 0, {"SSH_AUTH_SOCK", "/run/agent.sock", "agent.sock"}, {""}},
	{"SecurityKeyProvider", 0, 0, {"internal", "/usr/lib/sk.so", "INTERNAL"}, {""}},
	{"PermitUserEnvironment", 0, 0, {"yes", "no", "LANG,LC_*"}, {""}},
	{"KerberosOrLocalPasswd", 0, 0, {"yes", "no"}, {"x"}},
	{"GSSAPICleanupCredentials", 0, 0, {"yes", "no"}, {"x"}},
	{"GSSAPIStrictAcceptorCheck", 0, 0, {"yes", "no"}, {"x"}},
	{"DebianBanner", 0, 0, {"yes", "no"}, {"x"}},
	{"GSSAPIKeyExchange", 0, 0, {"yes", "no"}, {"x"}},
	{"GSSAPIStoreCredentialsOnRekey", 0, 0, {"yes", "no"}, {"x"}},
	{"HostKey", 0, 0, {"hk", "hk2", "@D/hk", "/nonexistent/key"}, {""}},
	{"Subsystem", 2, 0, {"sftp /usr/lib/openssh/sftp-server", "x /bin/true -a \"b c\"", "sftp internal-sftp -l INFO", "y /bin/y"}, {"onlyname"}},
	{"Protocol", 0, 0, {"2"}, {""}},
	{"UsePrivilegeSeparation", 0, 0, {"yes", "sandbox"}, {""}},
	{"Ciphers", 0, 0, {"aes128-ctr", "+aes128-cbc"}, {""}},
	{"PermitRootLogin", 1, 0, {"yes", "no", "prohibit-password", "without-password", "forced-commands-only"}, {"maybe"}},
	{"PasswordAuthentication", 1, 0, {"yes", "no", "YES"}, {"x"}},
	{"PubkeyAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"KbdInteractiveAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"ChallengeResponseAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"HostbasedAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"HostbasedUsesNameFromPacketOnly", 1, 0, {"yes", "no"}, {"x"}},
	{"KerberosAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"GSSAPIAuthentication", 1, 0, {"yes", "no"}, {"x"}},
	{"MaxAuthTries", 1, 0, {"3", "6", "10", "+2"}, {"-1", "x"}},
	{"MaxSessions", 1, 0, {"1", "10", "0"}, {"x"}},
	{"Banner", 1, 0, {"none", "/etc/issue.net", "banner.txt", "NONE"}, {""}},
	{"LogLevel", 1, 0, {"INFO", "VERBOSE", "debug", "DEBUG1", "quiet", "ERROR", "DEBUG3"}, {"LOUD"}},
	{"ClientAliveInterval", 1, 0, {"0", "15", "1m"}, {"x"}},
	{"ClientAliveCountMax", 1, 0, {"0", "3", "5"}, {"x"}},
	{"X11Forwarding", 1, 0, {"yes", "no"}, {"x"}},
	{"X11DisplayOffset", 1, 0, {"10", "20"}, {"x"}},
	{"X11UseLocalhost", 1, 0, {"yes", "no"}, {"x"}},
	{"AllowTcpForwarding", 1, 0, {"yes", "no", "local", "remote", "all"}, {"x"}},
	{"AllowAgentForwarding", 1, 0, {"yes", "no"}, {"x"}},
	{"AllowStreamLocalForwarding", 1, 0, {"yes", "no", "local"}, {"x"}},
	{"GatewayPorts", 1, 0, {"yes", "no", "clientspecified"}, {"x"}},
	{"PermitTunnel", 1, 0, {"yes", "no", "point-to-point", "ethernet"}, {"Yes"}},
	{"PermitTTY", 1, 0, {"yes", "no"}, {"x"}},
	{"PermitUserRC", 1, 0, {"yes", "no"}, {"x"}},
	{"PermitEmptyPasswords", 1, 0, {"yes", "no"}, {"x"}},
	{"IgnoreRhosts", 1, 0, {"yes", "no", "shosts-only"}, {"x"}},
	{"ChrootDirectory", 1, 0, {"none", "/srv/%u", "/var/empty"}, {""}},
	{"ForceCommand", 1, 0, {"internal-sftp", "/bin/echo hi # x", "none"}, {""}},
	{"AuthorizedKeysFile", 1, 0, {".ssh/authorized_keys", "none", "%h/.ssh/a /etc/ssh/keys/%u", "~/.ssh/k"}, {"\"\""}},
	{"AuthorizedPrincipalsFile", 1, 0, {"none", "/etc/ssh/p/%u", "~/.p"}, {""}},
	{"AllowUsers", 1, 0, {"root", "alice bob", "root@10.0.0.0/8", "*", "nobody root@127.0.0.1"}, {"x@10.0.0.1/8", "\"\""}},
	{"DenyUsers", 1, 0, {"bad", "alice", "*@192.0.2.7"}, {"y@1.2.3.4/8"}},
	{"AllowGroups", 1, 0, {"root", "sudo wheel", "*"}, {"\"\""}},
	{"DenyGroups", 1, 0, {"nogroup", "games"}, {"\"\""}},
	{"AcceptEnv", 1, 0, {"LANG LC_*", "FOO", "*"}, {"A=B"}},
	{"SetEnv", 1, 0, {"A=1 B=2 A=3", "FOO=bar", "X=\"y z\""}, {"NOEQ"}},
	{"AuthenticationMethods", 1, 0, {"any", "publickey", "publickey,password publickey", "password"}, {"bogus", "any publickey"}},
	{"StreamLocalBindMask", 1, 0, {"0177", "077", "0777", "022x"}, {"0800"}},
	{"StreamLocalBindUnlink", 1, 0, {"yes", "no"}, {"x"}},
	{"ExposeAuthInfo", 1, 0, {"yes", "no"}, {"x"}},
	{"DisableForwarding", 1, 0, {"yes", "no"}, {"x"}},
	{"PermitOpen", 1, 0, {"any", "none", "localhost:80 127.0.0.1:*", "[::1]:22"}, {"localhost", "host:0"}},
	{"PermitListen", 1, 0, {"8080", "localhost:9000", "any", "none"}, {"x:y"}},
	{"IPQoS", 1, 0, {"lowdelay", "af21 cs1", "0x10 throughput", "none", "ef", "le reliability"}, {"af99"}},
	{"RekeyLimit", 1, 0, {"default none", "1G", "512M 1h", "default 30m", "100K"}, {"5", "x"}},
	{"ChannelTimeout", 1, 0, {"session=5m", "none", "agent-connection=1h direct-tcpip=30s"}, {"session"}},
	{"UnusedConnectionTimeout", 1, 0, {"none", "1h", "30"}, {"x"}},
	{"RequiredRSASize", 1, 0, {"1024", "2048"}, {"x"}},
	{"LogVerbose", 1, 0, {"kex.c:*:1000", "none", "a.c:*:1 b.c:f:2"}, {"none x"}},
	{"PAMServiceName", 1, SSHD_V(9, 8), {"sshd", "other"}, {""}},
	{"PubkeyAuthOptions", 1, 0, {"none", "touch-required", "verify-required touch-required"}, {"x"}},
	{"AuthorizedKeysCommandUser", 1, 0, {"nobody", "root"}, {""}},
	{"AuthorizedKeysCommand", 1, 0, {"/usr/bin/true %u", "none"}, {"relative"}},
};
/* clang-format on */
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

/* ------------------------------------------------------------------ generation */

struct gen {
	int version;
	const char *dir; /* the file set's directory */
	const char *top; /* the worker's directory (host keys) */
	struct buf files[8];
	char names[8][512];
	int nfiles;
};

static void emit(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (buf_vaddf(b, fmt, ap) != 0) {
		fprintf(stderr, "sshd-diff: out of memory\n");
		exit(4);
	}
	va_end(ap);
}

static void keyword_case(char *dst, const char *kw)
{
	size_t i;
	unsigned mode = rn(10);

	for (i = 0; kw[i]; i++)
		dst[i] = mode == 0            ? (char)tolower((unsigned char)kw[i])
		         : mode == 1          ? (char)toupper((unsigned char)kw[i])
		         : mode == 2 && rn(2) ? (char)toupper((unsigned char)kw[i])
		                              : kw[i];
	dst[i] = '\0';
}

static const char *eol(void)
{
	return chance(30) ? "\r\n" : "\n";
}

static void directive(struct gen *g, struct buf *b, const struct kwgen *k)
{
	char kw[64];
	const char *val, *sep;
	size_t n;
	char valbuf[600];

	keyword_case(kw, k->name);
	if (chance(3) && k->bad[0] && *k->bad[0]) {
		for (n = 0; n < 3 && k->bad[n]; n++)
			;
		val = k->bad[rn((unsigned)n)];
	} else {
		for (n = 0; n < 8 && k->good[n]; n++)
			;
		val = k->good[rn((unsigned)n)];
	}
	if (val[0] == '@' && val[1] == 'D') { /* a path in the worker directory */
		snprintf(valbuf, sizeof(valbuf), "%s%s", g->top, val + 2);
		val = valbuf;
	}
	sep = PICK(((const char *[]){" ", "\t", "=", " = ", "  ", " \t"}));
	if (*val == '\0') {
		emit(b, "%s%s%s", chance(100) ? "  " : "", kw, eol());
		return;
	}
	if (!strchr(val, ' ') && !strchr(val, '"') && chance(80))
		emit(b, "%s%s%s\"%s\"", chance(100) ? "\t" : "", kw, sep, val);
	else
		emit(b, "%s%s%s%s", chance(100) ? " " : "", kw, sep, val);
	if (chance(60))
		emit(b, " # trailing comment");
	emit(b, "%s", eol());
	/* sshd refuses a command without its user: mostly give one */
	if (strcmp(k->name, "AuthorizedKeysCommand") == 0 && val[0] == '/' && !chance(100))
		emit(b, "AuthorizedKeysCommandUser nobody%s", eol());
}

static const struct kwgen *pick_kw(struct gen *g, int in_match)
{
	const struct kwgen *k;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		k = &vocab[rn(NVOCAB)];
		if (k->min_ver > g->version)
			continue;
		if (in_match) {
			int ok =
			    k->match_ok == 1 || (k->match_ok == 2 && g->version >= SSHD_V(9, 5));

			if (!ok && !chance(8))
				continue;
		}
		return k;
	}
	return &vocab[0];
}

static void criterion(struct gen *g, struct buf *b, int *n)
{
	static const char *const users[] = {"root",    "nobody",  "alice",       "*",   "r*",
	                                    "!nobody", "*,!root", "root,nobody", "ROOT"};
	static const char *const groups[] = {"root", "nogroup", "sudo", "*", "!root,*", "daemon"};
	static const char *const hosts[] = {"*.example.com", "h*", "host1", "!bad*,*", "HOST1"};
	static const char *const addrs[] = {
	    "10.0.0.0/8", "192.0.2.0/24,!192.0.2.7", "2001:db8::/32", "127.0.0.1",
	    "10.*",       "!10.1.2.3,10.0.0.0/8",    "192.0.2.*",     "::1,127.0.0.0/8",
	    "0.0.0.0/0"};
	static const char *const bad_addrs[] = {"10.0.0.1/8", "10.0.0.0/33", ",10.0.0.0/8"};
	static const char *const ports[] = {"22", "2222", "443"};
	const char *crit, *val;
	unsigned which = rn(g->version >= SSHD_V(10, 0) ? 9 : 7);
	int eq;

	switch (which) {
	case 0:
	case 7:
		crit = "User";
		val = PICK(users);
		break;
	case 1:
		crit = "Group";
		val = PICK(groups);
		break;
	case 2:
		crit = "Host";
		val = PICK(hosts);
		break;
	case 3:
		crit = "Address";
		val = chance(15) ? PICK(bad_addrs) : PICK(addrs);
		break;
	case 4:
		crit = "LocalAddress";
		val = PICK(addrs);
		break;
	case 5:
		crit = "LocalPort";
		val = PICK(ports);
		break;
	case 6:
		crit = "RDomain";
		val = PICK(((const char *[]){"rd1", "*", "!rd1,*"}));
		break;
	default:
		if (rn(2)) {
			crit = "Version";
			val = PICK(((const char *[]){"*Debian*", "OpenSSH_9*", "OpenSSH_10.0*"}));
		} else {
			emit(b, " %s", PICK(((const char *[]){"Invalid-User", "invalid-user"})));
			(*n)++;
			return;
		}
	}
	eq = g->version >= SSHD_V(10, 0) && chance(200);
	if (chance(300))
		emit(b, " %c%s", tolower((unsigned char)crit[0]), crit + 1);
	else
		emit(b, " %s", crit);
	emit(b, "%s%s", eq ? "=" : " ", val);
	(*n)++;
}

static void match_line(struct gen *g, struct buf *b)
{
	int n = 0, want = 1 + (int)rn(3);

	emit(b, "%s", PICK(((const char *[]){"Match", "match", "MATCH"})));
	if (chance(120)) {
		emit(b, " %s", PICK(((const char *[]){"all", "All", "ALL"})));
	} else {
		while (n < want)
			criterion(g, b, &n);
	}
	if (chance(40))
		emit(b, " # why");
	emit(b, "%s", eol());
}

/*
 * An Include line.  The main file may include anything; files in inc.d/ and single.conf
 * include sub/ (never themselves: that recursion is the rare 99-loop.conf's job), files in
 * sub/ only globs that match nothing.
 */
static void include_line(struct gen *g, struct buf *b, int depth)
{
	const char *what;
	char line[2400];
	unsigned choice = depth == 0 ? rn(6) : depth == 1 ? 2 + rn(3) : 2 + rn(2);

	switch (choice) {
	case 0:
		snprintf(line, sizeof(line), "%s/inc.d/*.conf", g->dir);
		break;
	case 1:
		snprintf(line, sizeof(line), "%s/single.conf", g->dir);
		break;
	case 2:
		snprintf(line, sizeof(line), "%s/nomatch-*.conf", g->dir);
		break;
	case 3:
		snprintf(line, sizeof(line), "sdsshd-none/*.conf");
		break;
	case 4:
		snprintf(line, sizeof(line), "%s/sub/[ab]*.conf", g->dir);
		break;
	default:
		snprintf(line, sizeof(line), "%s/inc.d/1?-*.conf %s/single.conf", g->dir, g->dir);
		break;
	}
	what = PICK(((const char *[]){"Include", "include", "INCLUDE"}));
	emit(b, "%s %s%s", what, line, eol());
}

/* One configuration file: global lines, Includes, then Match blocks. */
static void gen_file(struct gen *g, struct buf *b, int depth, int nglobal, int nmatch)
{
	int i, j, nlines;

	if (chance(300))
		emit(b, "# generated%s", eol());
	for (i = 0; i < nglobal; i++) {
		if (chance(60))
			emit(b, "%s", eol());
		if (chance(40))
			emit(b, "   # a comment%s", eol());
		if (depth < 2 && chance(100))
			include_line(g, b, depth);
		directive(g, b, pick_kw(g, 0));
	}
	for (i = 0; i < nmatch; i++) {
		match_line(g, b);
		nlines = 1 + (int)rn(4);
		for (j = 0; j < nlines; j++) {
			if (depth < 2 && chance(80))
				include_line(g, b, depth);
			else
				directive(g, b, pick_kw(g, 1));
		}
	}
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fwrite(b->data, 1, b->len, f);
	return fclose(f);
}

/* Writes a fresh file set under g->dir; returns the main file's path in `main`. */
static void gen_set(struct gen *g, char *main_path, size_t len)
{
	static const char *const incnames[] = {"10-a.conf", "2-b.conf",     "a.conf",
	                                       "Z.conf",    ".hidden.conf", "b.conf.bak",
	                                       "11-c.conf", "1x-d.conf"};
	char path[4096];
	struct buf b;
	unsigned i, n;
	int r;

	snprintf(path, sizeof(path), "rm -rf '%s' && mkdir -p '%s/inc.d' '%s/sub'", g->dir, g->dir,
	         g->dir);
	if ((r = system(path)) != 0) {
		fprintf(stderr, "sshd-diff: cannot prepare %s\n", g->dir);
		exit(4);
	}
	n = 1 + rn(4);
	for (i = 0; i < n; i++) {
		buf_init(&b, BUF_MAX_DEFAULT);
		gen_file(g, &b, 1, (int)rn(5), (int)rn(2));
		snprintf(path, sizeof(path), "%s/inc.d/%s", g->dir, PICK(incnames));
		write_file(path, &b);
		buf_release(&b);
	}
	if (chance(700)) {
		buf_init(&b, BUF_MAX_DEFAULT);
		gen_file(g, &b, 1, (int)rn(4), (int)rn(2));
		snprintf(path, sizeof(path), "%s/single.conf", g->dir);
		write_file(path, &b);
		buf_release(&b);
	}
	for (i = 0; i < 2; i++) {
		if (!chance(500))
			continue;
		buf_init(&b, BUF_MAX_DEFAULT);
		gen_file(g, &b, 2, (int)rn(3), (int)rn(2));
		snprintf(path, sizeof(path), "%s/sub/%s.conf", g->dir, i ? "b1" : "a0");
		write_file(path, &b);
		buf_release(&b);
	}
	if (chance(10)) { /* a file that includes its own glob: too many recursive includes */
		buf_init(&b, BUF_MAX_DEFAULT);
		emit(&b, "Include %s/inc.d/*.conf\n", g->dir);
		snprintf(path, sizeof(path), "%s/inc.d/99-loop.conf", g->dir);
		write_file(path, &b);
		buf_release(&b);
	}
	buf_init(&b, BUF_MAX_DEFAULT);
	if (chance(500))
		emit(&b, "Include %s/inc.d/*.conf\n", g->dir);
	gen_file(g, &b, 0, 4 + (int)rn(20), (int)rn(5));
	snprintf(main_path, len, "%s/main.conf", g->dir);
	write_file(main_path, &b);
	buf_release(&b);
}

/* ------------------------------------------------------------------ connection specs */

struct spec {
	char text[512];
	const char *user, *host, *addr, *laddr, *rdomain;
	int lport;
	int invalid_user;
	int user_exists;
	char *groups[64];
	size_t ngroups;
};

static void spec_release(struct spec *s)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		free(s->groups[i]);
	s->ngroups = 0;
}

/* The groups of a user the way sshd's ga_init() finds them. */
static void user_groups(struct spec *s)
{
	struct passwd *pw;
	gid_t gids[64];
	int n = 64, i;
	struct group *gr;

	s->user_exists = 0;
	if (s->user == NULL || (pw = getpwnam(s->user)) == NULL)
		return;
	s->user_exists = 1;
	if (getgrouplist(s->user, pw->pw_gid, gids, &n) < 0)
		n = 64;
	for (i = 0; i < n && s->ngroups < 64; i++)
		if ((gr = getgrgid(gids[i])) != NULL)
			s->groups[s->ngroups++] = strdup(gr->gr_name);
}

static void gen_spec(int version, struct spec *s)
{
	static const char *const users[] = {"root", "nobody", "alice", "www-data", "daemon"};
	static const char *const hosts[] = {"host1", "h2.example.com", "bad.example.com", "HOST1",
	                                    "x.org"};
	static const char *const addrs[] = {"10.1.2.3",    "10.9.9.9",  "192.0.2.7",   "192.0.2.8",
	                                    "2001:db8::5", "127.0.0.1", "203.0.113.9", "::1"};
	static const char *const laddrs[] = {"127.0.0.1", "192.0.2.1", "10.0.0.1", "::1"};
	static const int ports[] = {22, 2222, 443};
	struct buf b;

	memset(s, 0, sizeof(*s));
	s->user = chance(900) ? PICK(users) : NULL;
	s->host = chance(800) ? PICK(hosts) : NULL;
	s->addr = chance(900) ? PICK(addrs) : NULL;
	s->laddr = chance(800) ? PICK(laddrs) : NULL;
	s->rdomain = chance(100) ? "rd1" : NULL;
	s->lport = PICK(ports);
	s->invalid_user = version >= SSHD_V(9, 9) && chance(100);
	buf_init(&b, sizeof(s->text) - 1);
	if (s->user)
		buf_addf(&b, "user=%s,", s->user);
	if (s->host)
		buf_addf(&b, "host=%s,", s->host);
	if (s->addr)
		buf_addf(&b, "addr=%s,", s->addr);
	if (s->laddr)
		buf_addf(&b, "laddr=%s,", s->laddr);
	if (s->rdomain)
		buf_addf(&b, "rdomain=%s,", s->rdomain);
	if (s->invalid_user)
		buf_addf(&b, "invalid-user,");
	buf_addf(&b, "lport=%d", s->lport);
	snprintf(s->text, sizeof(s->text), "%s", b.data);
	buf_release(&b);
	user_groups(s);
}

/* ------------------------------------------------------------------ comparison */

struct kv {
	char *k;
	char *v;
	int modelled;
};

struct kvs {
	struct kv *v;
	size_t n;
};

static void kvs_add(struct kvs *s, const char *k, size_t kl, const char *v, int modelled)
{
	size_t i;

	s->v = realloc(s->v, (s->n + 1) * sizeof(*s->v));
	if (!s->v)
		exit(4);
	s->v[s->n].k = strndup(k, kl);
	for (i = 0; i < kl; i++)
		s->v[s->n].k[i] = (char)tolower((unsigned char)s->v[s->n].k[i]);
	s->v[s->n].v = strdup(v);
	s->v[s->n].modelled = modelled;
	s->n++;
}

static void kvs_free(struct kvs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].k);
		free(s->v[i].v);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static void parse_dump(const char *text, struct kvs *out)
{
	const char *p = text, *nl, *sp;
	char val[8192];
	size_t vl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (sp) {
			vl = (size_t)(nl - sp - 1);
			if (vl >= sizeof(val))
				vl = sizeof(val) - 1;
			memcpy(val, sp + 1, vl);
			val[vl] = '\0';
			kvs_add(out, p, (size_t)(sp - p), val, 1);
		}
		p = *nl ? nl + 1 : nl;
	}
}

static int model_emit(void *ctx, enum sshd_kw kw, const char *value,
                      const struct sshd_origin *origin, int modelled)
{
	const char *name = sshd_kw_name(kw);

	(void)origin;
	kvs_add(ctx, name, strlen(name), value, modelled);
	return 0;
}

/* Keywords sshd prints that the model does not promise. */
static int unmodelled(const char *k)
{
	static const char *const names[] = {"ciphers",
	                                    "macs",
	                                    "kexalgorithms",
	                                    "casignaturealgorithms",
	                                    "hostbasedacceptedalgorithms",
	                                    "hostkeyalgorithms",
	                                    "pubkeyacceptedalgorithms",
	                                    "gssapikexalgorithms",
	                                    NULL};
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

/* Appends to `why` the keywords whose values differ; 0 if none. */
static int compare(const struct kvs *real, const struct kvs *model, struct buf *why)
{
	size_t i, j, a, b;
	int bad = 0, seen;

	for (i = 0; i < real->n; i++) {
		const char *k = real->v[i].k;

		if (unmodelled(k))
			continue;
		for (seen = 0, j = 0; j < i; j++)
			if (strcmp(real->v[j].k, k) == 0)
				seen = 1;
		if (seen)
			continue;
		/* walk the values of k on both sides in order */
		a = i;
		b = 0;
		for (;;) {
			while (a < real->n && strcmp(real->v[a].k, k) != 0)
				a++;
			while (b < model->n && strcmp(model->v[b].k, k) != 0)
				b++;
			if (a >= real->n && b >= model->n)
				break;
			if (b < model->n && !model->v[b].modelled) {
				/* an unresolvable ListenAddress: skip the keyword */
				break;
			}
			if (a >= real->n || b >= model->n ||
			    strcmp(real->v[a].v, model->v[b].v) != 0) {
				buf_addf(why, "  %s: sshd \"%s\" model \"%s\"\n", k,
				         a < real->n ? real->v[a].v : "(none)",
				         b < model->n ? model->v[b].v : "(none)");
				bad = 1;
				break;
			}
			a++;
			b++;
		}
	}
	for (j = 0; j < model->n; j++) {
		if (!model->v[j].modelled || unmodelled(model->v[j].k))
			continue;
		for (i = 0; i < real->n; i++)
			if (strcmp(real->v[i].k, model->v[j].k) == 0)
				break;
		if (i == real->n) {
			buf_addf(why, "  %s: sshd (not printed) model \"%s\"\n", model->v[j].k,
			         model->v[j].v);
			bad = 1;
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ one sshd */

struct target {
	const char *bin;
	struct sshd_version version;
	char session[1100];
	char auth[1100];
	char opt_session[1200];
	char opt_auth[1200];
};

struct stats {
	long passed;
	long failed;
	long sshd_refused;
	long matched; /* cases where at least one Match block applied */
};

static int run_case(const struct target *t, const struct sshd_config *cfg, const char *main_path,
                    const struct spec *sp, struct buf *why, const char *top, long *matched)
{
	char *argv[16];
	struct proc_result pr;
	struct sshd_conn ci;
	struct sshd_effective eff;
	struct kvs real = {NULL, 0}, model = {NULL, 0};
	char hk[1024];
	int argc = 0, model_fatal, real_ok, bad = 0;
	size_t i;

	snprintf(hk, sizeof(hk), "HostKey=%s/hk", top);
	argv[argc++] = (char *)t->bin;
	argv[argc++] = "-T";
	argv[argc++] = "-f";
	argv[argc++] = (char *)main_path;
	argv[argc++] = "-o";
	argv[argc++] = hk;
	if (t->opt_session[0]) {
		argv[argc++] = "-o";
		argv[argc++] = (char *)t->opt_session;
	}
	if (t->opt_auth[0]) {
		argv[argc++] = "-o";
		argv[argc++] = (char *)t->opt_auth;
	}
	argv[argc++] = "-C";
	argv[argc++] = (char *)sp->text;
	argv[argc] = NULL;
	if (proc_run(argv, 10000, 1 << 20, &pr) != 0) {
		buf_addf(why, "  cannot run %s\n", t->bin);
		return 1;
	}
	real_ok = pr.exited && pr.status == 0;

	memset(&ci, 0, sizeof(ci));
	ci.user = sp->user;
	ci.host = sp->host;
	ci.addr = sp->addr;
	ci.laddr = sp->laddr;
	ci.rdomain = sp->rdomain;
	ci.lport = sp->lport;
	ci.invalid_user = sp->invalid_user;
	ci.test = 1;
	ci.user_exists = sp->user_exists;
	ci.groups = (const char *const *)sp->groups;
	ci.ngroups = sp->ngroups;
	if (sshd_config_evaluate(cfg, &ci, &eff) != 0) {
		proc_result_release(&pr);
		buf_addf(why, "  model: out of memory\n");
		return 1;
	}
	model_fatal = sshd_config_diags(cfg)->fatal || eff.diags.fatal;
	if (eff.nmatched > 0 && !model_fatal)
		(*matched)++;
	if (real_ok && model_fatal) {
		const struct sshd_diags *dg =
		    sshd_config_diags(cfg)->fatal ? sshd_config_diags(cfg) : &eff.diags;
		buf_addf(why, "  sshd accepts, model refuses:");
		for (i = 0; i < dg->n; i++)
			if (dg->v[i].level == SSHD_DIAG_FATAL)
				buf_addf(why, " [%s:%u %s]", dg->v[i].file ? dg->v[i].file : "",
				         dg->v[i].line, dg->v[i].msg);
		buf_addf(why, "\n");
		bad = 1;
	} else if (!real_ok && !model_fatal) {
		buf_addf(why, "  sshd refuses (%s), model accepts\n", pr.err.data);
		bad = 1;
	} else if (real_ok) {
		parse_dump(pr.out.data, &real);
		sshd_dump(&eff.opts, sshd_config_version(cfg), sshd_config_debian(cfg), model_emit,
		          &model);
		bad = compare(&real, &model, why);
	}
	kvs_free(&real);
	kvs_free(&model);
	sshd_effective_release(&eff);
	proc_result_release(&pr);
	return bad ? 1 : 0;
}

static void keep_case(const char *keep, long n, const char *dir, const char *spec,
                      const struct buf *why)
{
	char cmd[8192];
	FILE *f;

	/* a copy that runs on its own: the set's absolute paths point at the copy */
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s/%ld' && cp -r '%s/.' '%s/%ld/' && cd '%s/%ld' && "
	         "grep -rl '%s' . | xargs -r sed -i 's|%s|'\"$(pwd)\"'|g'",
	         keep, n, dir, keep, n, keep, n, dir, dir);
	if (system(cmd) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "%s/%ld/SPEC", keep, n);
	if ((f = fopen(cmd, "w")) != NULL) {
		fprintf(f, "%s\n%s", spec, why->data);
		fclose(f);
	}
}

static int detect(struct target *t)
{
	char *argv[] = {(char *)t->bin, "-V", NULL};
	struct proc_result pr;
	char dir[1024], *slash;
	struct stat st;

	if (proc_run(argv, 5000, 65536, &pr) != 0)
		return -1;
	if (sshd_version_parse(pr.err.data, &t->version) != 0 &&
	    sshd_version_parse(pr.out.data, &t->version) != 0) {
		proc_result_release(&pr);
		return -1;
	}
	proc_result_release(&pr);
	/* `sshd -V` may omit the distribution ("OpenSSH_9.2"): the binary has SSH_RELEASE */
	{
		struct rootfs fs;
		struct buf b;
		struct sshd_version bv;

		if (rootfs_open(&fs, "/") == 0) {
			buf_init(&b, 16 << 20);
			if (rootfs_read(&fs, t->bin, 16 << 20, &b) == 0 &&
			    sshd_version_from_binary(b.data, b.len, &bv) == 0 &&
			    bv.major == t->version.major && bv.minor == t->version.minor)
				t->version = bv;
			buf_release(&b);
			rootfs_close(&fs);
		}
	}
	/* a binary outside the system: point it at its own sshd-session / sshd-auth */
	snprintf(dir, sizeof(dir), "%s", t->bin);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (strcmp(t->bin, "/usr/sbin/sshd") != 0 &&
	    SSHD_V(t->version.major, t->version.minor) >= SSHD_V(9, 8)) {
		snprintf(t->session, sizeof(t->session), "%s/../lib/openssh/sshd-session", dir);
		snprintf(t->auth, sizeof(t->auth), "%s/../lib/openssh/sshd-auth", dir);
		if (stat(t->session, &st) == 0)
			snprintf(t->opt_session, sizeof(t->opt_session), "SshdSessionPath=%s",
			         t->session);
		if (SSHD_V(t->version.major, t->version.minor) >= SSHD_V(10, 0) &&
		    stat(t->auth, &st) == 0)
			snprintf(t->opt_auth, sizeof(t->opt_auth), "SshdAuthPath=%s", t->auth);
	}
	return 0;
}

static int worker(struct target *t, long cases, int specs, uint64_t seed, const char *top,
                  const char *keep, int verbose, struct stats *st)
{
	struct sshd_params p;
	struct sshd_cmd cmds[3];
	struct sshd_loader ld;
	struct sshd_config *cfg;
	struct rootfs fs;
	struct gen g;
	struct spec sp;
	struct buf why;
	char dir[512], hk[1100], main_path[1100], cwd[1024];
	struct passwd *pw = getpwuid(getuid());
	long done = 0;
	int s, ncmds = 0, bad;

	rng_state = seed ? seed : 88172645463325252ULL;
	memset(&g, 0, sizeof(g));
	g.version = SSHD_V(t->version.major, t->version.minor);
	snprintf(dir, sizeof(dir), "%s/set-%d.%d", top, t->version.major, t->version.minor);
	g.dir = dir;
	g.top = top;
	if (rootfs_open(&fs, "/") != 0)
		return -1;
	collect_sshd_loader(&fs, &ld);
	snprintf(hk, sizeof(hk), "HostKey=%s/hk", top);
	cmds[ncmds].kind = SSHD_CMD_OPTION;
	cmds[ncmds++].arg = hk;
	if (t->opt_session[0]) {
		cmds[ncmds].kind = SSHD_CMD_OPTION;
		cmds[ncmds++].arg = t->opt_session;
	}
	if (t->opt_auth[0]) {
		cmds[ncmds].kind = SSHD_CMD_OPTION;
		cmds[ncmds++].arg = t->opt_auth;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "/");
	while (done < cases) {
		gen_set(&g, main_path, sizeof(main_path));
		memset(&p, 0, sizeof(p));
		p.version = t->version;
		p.config_file = main_path;
		p.cmds = cmds;
		p.ncmds = (size_t)ncmds;
		p.cwd = cwd;
		p.home = pw ? pw->pw_dir : "/root";
		if (sshd_config_load(&p, &ld, &cfg) != 0) {
			fprintf(stderr, "sshd-diff: model failed to load %s\n", main_path);
			return -1;
		}
		for (s = 0; s < specs && done < cases; s++, done++) {
			gen_spec(g.version, &sp);
			buf_init(&why, 1 << 20);
			bad = run_case(t, cfg, main_path, &sp, &why, top, &st->matched);
			if (bad) {
				st->failed++;
				if (st->failed <= 20) {
					printf("FAIL %s #%ld -C %s\n%s", t->version.text, done,
					       sp.text, why.data);
					if (keep)
						keep_case(keep, done, dir, sp.text, &why);
				}
			} else {
				st->passed++;
				if (verbose == 1)
					printf("ok   %s #%ld\n", t->version.text, done);
			}
			if (sshd_config_diags(cfg)->fatal) {
				st->sshd_refused++;
				if (verbose > 1 && s == 0) {
					const struct sshd_diags *dg = sshd_config_diags(cfg);
					size_t k;

					for (k = 0; k < dg->n; k++)
						if (dg->v[k].level == SSHD_DIAG_FATAL) {
							printf("refused: %s\n", dg->v[k].msg);
							break;
						}
				}
			}
			buf_release(&why);
			spec_release(&sp);
		}
		sshd_config_free(cfg);
	}
	rootfs_close(&fs);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: sshd-diff [--sshd BIN]... [--cases N] [--specs K] [--seed S] "
	                "[--keep DIR] [--verbose]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *bins[8], *keep = NULL;
	struct target targets[8];
	struct stats total = {0, 0, 0, 0};
	char top[] = "/tmp/sdsshd-diff.XXXXXX", cmd[1200];
	long cases = 6000;
	int nbins = 0, specs = 8, verbose = 0, i, pipes[8][2], status;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	pid_t pids[8];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sshd") == 0 && i + 1 < argc && nbins < 8)
			bins[nbins++] = argv[++i];
		else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
			cases = atol(argv[++i]);
		else if (strcmp(argv[i], "--specs") == 0 && i + 1 < argc)
			specs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
			keep = argv[++i];
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--why") == 0)
			verbose = 2;
		else
			usage();
	}
	if (nbins == 0)
		bins[nbins++] = "/usr/sbin/sshd";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (specs < 1 || cases < 1)
		usage();
	if (mkdtemp(top) == NULL || chdir(top) != 0) {
		perror("sshd-diff: temp dir");
		return 4;
	}
	snprintf(cmd, sizeof(cmd),
	         "ssh-keygen -q -t ed25519 -N '' -f '%s/hk' && ssh-keygen -q -t ed25519 -N '' -f "
	         "'%s/hk2'",
	         top, top);
	if (system(cmd) != 0) {
		fprintf(stderr, "sshd-diff: ssh-keygen failed\n");
		return 4;
	}
	printf("sshd-diff: seed %llu, %ld cases per sshd, %d specs per file set\n",
	       (unsigned long long)seed, cases, specs);
	fflush(stdout);
	for (i = 0; i < nbins; i++) {
		memset(&targets[i], 0, sizeof(targets[i]));
		targets[i].bin = bins[i];
		if (detect(&targets[i]) != 0) {
			fprintf(stderr, "sshd-diff: cannot run %s -V\n", bins[i]);
			return 4;
		}
		if (nbins == 1) {
			/* one sshd: no worker process (easier to debug) */
			struct stats st = {0, 0, 0, 0};

			if (worker(&targets[i], cases, specs, seed, top, keep, verbose, &st) != 0)
				return 4;
			printf("sshd-diff: %s: %ld cases, %ld mismatches (%ld refused by sshd, %ld "
			       "with a "
			       "matching Match block)\n",
			       targets[i].version.text, st.passed + st.failed, st.failed,
			       st.sshd_refused, st.matched);
			total = st;
			break;
		}
		if (pipe(pipes[i]) != 0)
			return 4;
		if ((pids[i] = fork()) == 0) {
			struct stats st = {0, 0, 0, 0};

			close(pipes[i][0]);
			if (worker(&targets[i], cases, specs, seed + (uint64_t)i, top, keep,
			           verbose, &st) != 0) {
				fflush(stdout);
				_exit(4);
			}
			printf("sshd-diff: %s: %ld cases, %ld mismatches (%ld refused by sshd, %ld "
			       "with a "
			       "matching Match block)\n",
			       targets[i].version.text, st.passed + st.failed, st.failed,
			       st.sshd_refused, st.matched);
			fflush(stdout);
			if (write(pipes[i][1], &st, sizeof(st)) != (ssize_t)sizeof(st))
				_exit(4);
			_exit(0);
		}
		close(pipes[i][1]);
	}
	for (i = 0; i < nbins && nbins > 1; i++) {
		struct stats st;

		if (read(pipes[i][0], &st, sizeof(st)) == (ssize_t)sizeof(st)) {
			total.passed += st.passed;
			total.failed += st.failed;
		} else {
			total.failed++;
		}
		close(pipes[i][0]);
		waitpid(pids[i], &status, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (chdir("/") != 0 || system(cmd) != 0)
		fprintf(stderr, "sshd-diff: could not remove %s\n", top);
	printf("sshd-diff: %ld passed, %ld failed\n", total.passed, total.failed);
	return total.failed ? 1 : 0;
}
