/*
 * diff.c — differential test of src/tcpwrap against the real libwrap (oracle.c).
 *
 *	tcpwrap-diff [CASES [SEED]]
 *
 * Generates random hosts.allow/hosts.deny pairs (and /file pattern files) biased towards the
 * corners of libwrap's grammar, writes them to a temporary directory once per rule set, and
 * asks both libwrap's hosts_ctl() and our evaluator about many client addresses and names.
 * A case passes when
 *   - with the client's name given, libwrap's answer is one our decision allows (and equals
 *     it when ours is certain);
 *   - with the name withheld (NULL), libwrap's answer is still among our possible results;
 *   - hosts_access_decide() and hosts_access_decide_stream() agree.
 * The generator avoids what would make libwrap act on the world: spawn, twist, aclexec,
 * netgroups (NIS), valid nice values.  The last line is `tcpwrap-diff: N passed, N failed`.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "base/buf.h"
#include "base/err.h"
#include "oracle.h"
#include "tcpwrap/hosts_access.h"

#define ADDRS_PER_SET  40
#define MAX_FAIL_SHOWN 5

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static unsigned rn(struct rng *r, unsigned n)
{
	return (unsigned)(rnext(r) % n);
}

static int chance(struct rng *r, unsigned pct)
{
	return rn(r, 100) < pct;
}

static const char *pick(struct rng *r, const char *const *v, size_t n)
{
	return v[rn(r, (unsigned)n)];
}
#define PICK(r, v) pick((r), (v), sizeof(v) / sizeof((v)[0]))

/* Addresses a rule set is about, so that rules and clients meet. */
struct pool {
	uint32_t v4[4];
	uint8_t v6[3][16];
};

struct pfile {
	char path[256];
	struct buf content;
};

struct set {
	char dir[128];
	char allow_path[256], deny_path[256];
	struct buf allow, deny;
	int has_allow, has_deny;
	struct pfile files[2];
	struct pool pool;
};

static void v4_text(uint32_t a, char *out, size_t n)
{
	snprintf(out, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void v6_text(const uint8_t *a, char *out, size_t n)
{
	char t[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, t, sizeof(t));
	snprintf(out, n, "%s", t);
}

static void make_pool(struct rng *r, struct pool *p)
{
	static const uint32_t bases[] = {0x0a000000, 0xc0a80100, 0x01020300, 0xac100000,
	                                 0x7f000000};
	static const uint8_t v6bases[][16] = {
	    {0x20, 0x01, 0x0d, 0xb8},
	    {0xfe, 0x80},
	    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1},
	};
	int i;

	for (i = 0; i < 4; i++)
		p->v4[i] = chance(r, 80) ? bases[rn(r, 5)] | rn(r, 256) | (rn(r, 3) << 8)
		                         : (uint32_t)rnext(r);
	for (i = 0; i < 3; i++) {
		memcpy(p->v6[i], v6bases[rn(r, 4)], 16);
		if (chance(r, 70))
			p->v6[i][15] = (uint8_t)rn(r, 20);
		if (chance(r, 20))
			p->v6[i][7] = (uint8_t)rn(r, 4);
	}
}

static uint32_t near4(struct rng *r, const struct pool *p)
{
	uint32_t a = p->v4[rn(r, 4)];

	switch (rn(r, 4)) {
	case 0:
		return a;
	case 1:
		return (a & ~0xffu) | rn(r, 256);
	case 2:
		return a ^ (1u << rn(r, 32));
	default:
		return a + rn(r, 3) - 1;
	}
}

static void near6(struct rng *r, const struct pool *p, uint8_t out[16])
{
	memcpy(out, p->v6[rn(r, 3)], 16);
	if (chance(r, 40))
		out[15] ^= (uint8_t)(1u << rn(r, 8));
	if (chance(r, 10))
		out[rn(r, 16)] ^= (uint8_t)(1u << rn(r, 8));
}

static void addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (buf_vaddf(b, fmt, ap) != 0) {
		fprintf(stderr, "tcpwrap-diff: out of memory\n");
		exit(2);
	}
	va_end(ap);
}

static void v4_odd_text(struct rng *r, uint32_t a, char *out, size_t n)
{
	switch (rn(r, 5)) {
	case 0:
		snprintf(out, n, "0%o.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
		break;
	case 1:
		snprintf(out, n, "0x%x.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		         a & 255);
		break;
	case 2:
		snprintf(out, n, "%u.%u.%u", a >> 24, (a >> 16) & 255, a & 0xffff);
		break;
	case 3:
		snprintf(out, n, "%u.%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		         a & 255, rn(r, 9));
		break;
	default:
		snprintf(out, n, "%u.%u.%u.%u\v%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		         a & 255, rn(r, 9));
		break;
	}
}

static const char *const names[] = {
    "host.example.com", "HOST.Example.COM", "host", "localhost",      "a.b.example.org",
    "example.com",      "1.2.3.4.example",  "x",    "h.example.comx", ".example.com",
};

/* One client-list pattern. */
static void client_token(struct rng *r, struct set *s, struct buf *b, int depth)
{
	const struct pool *p = &s->pool;
	static const char *const words[] = {
	    "ALL",
	    "KNOWN",
	    "UNKNOWN",
	    "PARANOID",
	    "LOCAL",
	    "unknown",
	    "paranoid",
	    "all",
	    "EXCEPT",
	    ".example.com",
	    "host.example.com",
	    "*.example.com",
	    "example.",
	    "host",
	    "*",
	    "**",
	    "?",
	    "*.*",
	    "ALL@ALL",
	    "KNOWN@ALL",
	    "unknown@ALL",
	    "root@ALL",
	    "r*@ALL",
	    "user@",
	    "@@x",
	    "[",
	    "]",
	    "[::1",
	    "::1]",
	    "#",
	    "HOST.*",
	    "h?st",
	    ".com",
	    "localhost",
	    "x",
	};
	char a[80], m[80];
	uint8_t v6[16];
	uint32_t v4, mask;
	unsigned k;

	switch (rn(r, 22)) {
	case 0:
	case 1:
	case 2: /* exact address */
		v4_text(near4(r, p), a, sizeof(a));
		addf(b, "%s", a);
		return;
	case 3: /* net. prefix */
		v4 = near4(r, p);
		k = 1 + rn(r, 3);
		if (k == 1)
			addf(b, "%u.", v4 >> 24);
		else if (k == 2)
			addf(b, "%u.%u.", v4 >> 24, (v4 >> 16) & 255);
		else
			addf(b, "%u.%u.%u.", v4 >> 24, (v4 >> 16) & 255, (v4 >> 8) & 255);
		return;
	case 4: /* .suffix of an address */
		v4 = near4(r, p);
		if (chance(r, 50))
			addf(b, ".%u", v4 & 255);
		else
			addf(b, ".%u.%u", (v4 >> 8) & 255, v4 & 255);
		return;
	case 5:
	case 6: { /* net/mask */
		static const unsigned lens[] = {0, 1, 8, 16, 23, 24, 25, 31, 32, 33};

		v4 = near4(r, p);
		k = lens[rn(r, 10)];
		mask = k == 0 ? 0 : k >= 32 ? ~0u : ~0u << (32 - k);
		if (chance(r, 85))
			v4 &= mask;
		v4_text(v4, a, sizeof(a));
		if (chance(r, 10))
			v4_odd_text(r, v4, a, sizeof(a));
		switch (rn(r, 6)) {
		case 0:
		case 1:
			v4_text(mask, m, sizeof(m));
			break;
		case 2:
			snprintf(m, sizeof(m), "%u", k);
			break;
		case 3:
			snprintf(m, sizeof(m), "%s",
			         (const char *[]){"08", "+24", "-1", "24x", "", "4294967320",
			                          "255.255.255.255", "0.0.0.0", "255.0.255.0",
			                          "\v16"}[rn(r, 10)]);
			break;
		default:
			snprintf(m, sizeof(m), "%u", k);
			break;
		}
		addf(b, "%s/%s", a, m);
		return;
	}
	case 7: /* [v6] */
		near6(r, p, v6);
		v6_text(v6, a, sizeof(a));
		if (chance(r, 15))
			for (k = 0; a[k]; k++)
				a[k] = (char)(a[k] >= 'a' && a[k] <= 'f' ? a[k] - 32 : a[k]);
		if (chance(r, 10))
			addf(b, "[%s%%%s]", a, chance(r, 50) ? "1" : chance(r, 50) ? "lo" : "zz9");
		else
			addf(b, "[%s]", a);
		return;
	case 8: /* [v6]/len */
		near6(r, p, v6);
		k = (unsigned[]){0, 8, 32, 48, 64, 100, 120, 127, 128, 129}[rn(r, 10)];
		v6_text(v6, a, sizeof(a));
		if (chance(r, 10))
			addf(b, "[%s/%u]", a, k); /* the slash inside the brackets */
		else if (chance(r, 10))
			addf(b, "[%s]/%s", a,
			     (const char *[]){"", "-1", "64abc", "+64", "0x40"}[rn(r, 5)]);
		else
			addf(b, "[%s]/%u", a, k);
		return;
	case 9: /* mapped forms */
		v4_text(near4(r, p), a, sizeof(a));
		switch (rn(r, 4)) {
		case 0:
			addf(b, "[::ffff:%s]", a);
			break;
		case 1:
			addf(b, "[::ffff:%s]/%u", a, 96 + rn(r, 33));
			break;
		case 2:
			addf(b, "::ffff:%s", a);
			break;
		default:
			addf(b, "[::FFFF:%s]/128", a);
			break;
		}
		return;
	case 10:
	case 11: { /* wildcards on addresses */
		char t[80];
		unsigned i, n;

		if (chance(r, 70))
			v4_text(near4(r, p), t, sizeof(t));
		else {
			near6(r, p, v6);
			v6_text(v6, t, sizeof(t));
		}
		n = (unsigned)strlen(t);
		k = rn(r, 4);
		for (i = 0; i < n; i++) {
			if (chance(r, 12))
				t[i] = chance(r, 50) ? '*' : '?';
		}
		if (k == 0)
			addf(b, "%s*", t);
		else if (k == 1)
			addf(b, "%s**", t);
		else if (k == 2)
			addf(b, "*%s", t + n / 2);
		else
			addf(b, "%s", t);
		return;
	}
	case 12: /* user@host */
		v4_text(near4(r, p), a, sizeof(a));
		addf(b, "%s@%s",
		     (const char *[]){"ALL", "unknown", "KNOWN", "root", "u*", "UNKNOWN"}[rn(r, 6)],
		     chance(r, 50) ? a : "ALL");
		return;
	case 13: /* unbracketed IPv6: the colons split the line */
		near6(r, p, v6);
		v6_text(v6, a, sizeof(a));
		addf(b, "%s", a);
		return;
	case 14: /* /file */
		if (depth > 0 || chance(r, 20))
			addf(b, "/nonexistent/%u", rn(r, 3));
		else
			addf(b, "%s", s->files[rn(r, 2)].path);
		return;
	case 15: /* odd v4 */
		v4_odd_text(r, near4(r, p), a, sizeof(a));
		addf(b, "%s", a);
		return;
	case 16: /* names */
		addf(b, "%s", PICK(r, names));
		return;
	default:
		addf(b, "%s", PICK(r, words));
		return;
	}
}

static void daemon_token(struct rng *r, struct buf *b)
{
	static const char *const d[] = {
	    "sshd",         "ALL",     "SSHD",       "in.telnetd",
	    "ss*",          "s?hd",    "sshd@ALL",   "sshd@unknown",
	    "ALL@1.2.3.4",  "22",      "+22",        "-4294967274",
	    "KNOWN",        ".d",      "sshd@KNOWN", "ssh.",
	    "sshd-session", "*",       "sshd@LOCAL", "sshd@[::1]",
	    "portmap",      "ALL@ALL", "sshd@",      "@sshd",
	};

	addf(b, "%s", PICK(r, d));
}

static void sep(struct rng *r, struct buf *b)
{
	static const char *const s[] = {" ", ", ", ",", "\t", " , ", "  ", ",,"};

	addf(b, "%s", PICK(r, s));
}

static void list(struct rng *r, struct set *s, struct buf *b, int clients, int depth)
{
	unsigned n = 1 + rn(r, 3), i;

	if (chance(r, 10))
		sep(r, b);
	for (i = 0; i < n; i++) {
		if (i)
			sep(r, b);
		if (clients)
			client_token(r, s, b, depth);
		else
			daemon_token(r, b);
	}
	if (depth < 3 && chance(r, 22)) {
		addf(b, " %s ", chance(r, 85) ? "EXCEPT" : "except");
		list(r, s, b, clients, depth + 1);
	}
}

static void options(struct rng *r, struct buf *b)
{
	static const char *const o[] = {
	    "allow",
	    "deny",
	    "ALLOW",
	    " deny ",
	    "allow:deny",
	    "deny : allow",
	    "severity auth.info",
	    "severity bogus",
	    "severity=info",
	    "severity local7.debug",
	    "severity info.auth",
	    "keepalive",
	    "keepalive x",
	    "linger 5",
	    "linger -1",
	    "linger x",
	    "rfc931",
	    "rfc931 0",
	    "rfc931 5",
	    "banners /nonexistent",
	    "user root",
	    "user nosuchuser",
	    "group root",
	    "nice x",
	    "umask 022",
	    "umask 999",
	    "umask=0777",
	    "setenv TWX_A b",
	    "setenv A=B c",
	    "setenv TWX_%a x",
	    "setenv %u=x y",
	    "",
	    " ",
	    "allow\\:x",
	    "bogus",
	    "allow x",
	    "deny:",
	    "setenv TWX_B b : allow",
	    "severity info : deny",
	    "keepalive: allow",
	    "::allow",
	    "allow :",
	    "user root.nosuchgroup : allow",
	    "setenv TWX_%h z : deny",
	    "setenv % x",
	    "setenv\v x",
	};

	addf(b, "%s", PICK(r, o));
}

static void rule_line(struct rng *r, struct set *s, struct buf *b)
{
	size_t start = b->len, i;
	int cont = chance(r, 6);

	if (chance(r, 3))
		addf(b, " ");
	list(r, s, b, 0, 0);
	addf(b, "%s:%s", chance(r, 50) ? "" : " ", chance(r, 50) ? " " : "");
	list(r, s, b, 1, 0);
	if (chance(r, 30)) {
		addf(b, "%s:%s", chance(r, 50) ? "" : " ", chance(r, 50) ? " " : "");
		options(r, b);
	}
	if (chance(r, 3))
		addf(b, " # trailing comment");
	if (cont && b->len > start + 2) {
		/* Break the line anywhere: libwrap joins before parsing. */
		size_t at = start + 1 + rn(r, (unsigned)(b->len - start - 1));
		struct buf t;

		buf_init(&t, BUF_MAX_DEFAULT);
		for (i = start; i < b->len; i++) {
			if (i == at && buf_add(&t, "\\\n", 2) != 0)
				exit(2);
			if (buf_addch(&t, b->data[i]) != 0)
				exit(2);
		}
		b->len = start;
		b->data[start] = 0;
		if (buf_add(b, t.data, t.len) != 0)
			exit(2);
		buf_release(&t);
	}
	addf(b, "%s", chance(r, 5) ? "\r\n" : "\n");
}

/* A DenyHosts-like run, with the near misses the fast path must hand over. */
static void plain_run(struct rng *r, struct set *s, struct buf *b)
{
	static const char *const forms[] = {
	    "sshd: %s\n",       "sshd: %s\n",       "sshd: %s\n",          "sshd:%s\n",
	    "sshd:\t%s\n",      "sshd: %s\r\n",     "sshd: %s \n",         "ALL: %s\n",
	    "sshd: .%s\n",      "sshd: %s.\n",      "sshd: %s, 9.9.9.9\n", "sshd: %s : deny\n",
	    "sshd: %s:allow\n", "in.telnetd: %s\n", "sshd: %s\\\n",        "sshd: %s0\n",
	    "sshd: 0%s\n",      "sshd: %s\v\n",
	};
	unsigned n = 10 + rn(r, 40), i;
	char a[64];

	for (i = 0; i < n; i++) {
		v4_text(near4(r, &s->pool), a, sizeof(a));
		addf(b, chance(r, 80) ? forms[0] : PICK(r, forms), a);
	}
}

static void table(struct rng *r, struct set *s, struct buf *b)
{
	unsigned n = rn(r, 6), i, k;
	char a[64];

	for (i = 0; i < n; i++) {
		k = rn(r, 100);
		if (k < 8) {
			addf(b, "# a comment\n");
		} else if (k < 11) {
			v4_text(near4(r, &s->pool), a, sizeof(a));
			addf(b, "# DenyHosts: Mon Jan  2 15:04:05 2006 | sshd: %s\nsshd: %s\n", a,
			     a);
		} else if (k < 14) {
			addf(b, "%s\n", chance(r, 50) ? "" : " \t ");
		} else if (k < 17) {
			addf(b, " # indented comment: ALL\n");
		} else if (k < 20) {
			v4_text(near4(r, &s->pool), a, sizeof(a));
			addf(b, "sshd %s\n", a); /* missing colon */
		} else if (k < 21) {
			unsigned j, len = 2000 + rn(r, 100);

			addf(b, "sshd: ");
			for (j = 0; j < len; j++)
				addf(b, "%c", chance(r, 90) ? ' ' : ',');
			addf(b, "ALL\n");
		} else if (k < 22) {
			addf(b, "sshd: 1.2.3.4\\\n\\\n\n");
		} else if (k < 27) {
			plain_run(r, s, b);
		} else {
			rule_line(r, s, b);
		}
	}
	if (b->len > 0 && chance(r, 4))
		b->len--, b->data[b->len] = 0; /* no final newline */
	if (b->len > 0 && chance(r, 2))
		b->data[rn(r, (unsigned)b->len)] = 0; /* a NUL byte */
}

static void pattern_file(struct rng *r, struct set *s, struct buf *b)
{
	unsigned n = rn(r, 5), i;

	for (i = 0; i < n; i++) {
		client_token(r, s, b, 1);
		addf(b, "%s", chance(r, 50) ? "\n" : chance(r, 50) ? " " : "\t");
	}
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		return -1;
	if (b->len && fwrite(b->data, 1, b->len, fp) != b->len) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

static void make_set(struct rng *r, struct set *s)
{
	int i;

	make_pool(r, &s->pool);
	for (i = 0; i < 2; i++) {
		buf_reset(&s->files[i].content);
		pattern_file(r, s, &s->files[i].content);
	}
	buf_reset(&s->allow);
	buf_reset(&s->deny);
	table(r, s, &s->allow);
	table(r, s, &s->deny);
	s->has_allow = !chance(r, 8);
	s->has_deny = !chance(r, 8);
	unlink(s->allow_path);
	unlink(s->deny_path);
	for (i = 0; i < 2; i++)
		if (write_file(s->files[i].path, &s->files[i].content) != 0)
			exit(2);
	if ((s->has_allow && write_file(s->allow_path, &s->allow) != 0) ||
	    (s->has_deny && write_file(s->deny_path, &s->deny) != 0)) {
		fprintf(stderr, "tcpwrap-diff: cannot write %s: %s\n", s->dir, strerror(errno));
		exit(2);
	}
}

static int read_pattern_file(void *ctx, const char *path, const uint8_t **data, size_t *len)
{
	const struct set *s = ctx;
	int i;

	for (i = 0; i < 2; i++) {
		if (strcmp(path, s->files[i].path) == 0) {
			*data = (const uint8_t *)s->files[i].content.data;
			*len = s->files[i].content.len;
			return 0;
		}
	}
	return SD_ERR_NOT_FOUND;
}

static void client_addr(struct rng *r, const struct pool *p, char *out, size_t n)
{
	uint8_t v6[16];
	char a[64];
	unsigned k = rn(r, 100), i;

	if (k < 50) {
		v4_text(near4(r, p), out, n);
	} else if (k < 60) {
		v4_text(near4(r, p), a, sizeof(a));
		snprintf(out, n, "%s%s", chance(r, 80) ? "::ffff:" : "::FFFF:", a);
	} else if (k < 85) {
		near6(r, p, v6);
		v6_text(v6, out, n);
		if (chance(r, 10))
			for (i = 0; out[i]; i++)
				out[i] =
				    (char)(out[i] >= 'a' && out[i] <= 'f' ? out[i] - 32 : out[i]);
	} else if (k < 90) {
		snprintf(out, n, "%s",
		         (const char *[]){"unknown", "1.2.3", "01.2.3.4", "0x7f.0.0.1",
		                          "::ffff:255.255.255.255", "host.example.com",
		                          "255.255.255.255"}[rn(r, 7)]);
	} else {
		v4_text((uint32_t)rnext(r), out, n);
	}
}

static void show(const char *title, const struct buf *b, int present)
{
	size_t i;

	printf("  --- %s%s ---\n  ", title, present ? "" : " (missing)");
	for (i = 0; present && i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		if (c == '\n')
			printf("\\n\n  ");
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('\n');
}

static void report(const struct set *s, const char *addr, const char *name, int lw,
                   const struct ha_decision *d, const char *what)
{
	printf("MISMATCH (%s): addr=%s name=%s libwrap=%s ours=%s certain=%d possible=%u why=%s "
	       "line=%u\n",
	       what, addr, name ? name : "(null)", lw ? "grant" : "deny", ha_result_name(d->result),
	       d->certain, d->possible, ha_why_name(d->why), d->rule.line);
	show("hosts.allow", &s->allow, s->has_allow);
	show("hosts.deny", &s->deny, s->has_deny);
	show("pattern file 0", &s->files[0].content, 1);
	show("pattern file 1", &s->files[1].content, 1);
}

int main(int argc, char **argv)
{
	unsigned long long cases = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed7c9a11ull;
	unsigned long long done = 0, failed = 0, certain = 0, grants = 0, why[16] = {0};
	struct rng r = {seed ? seed : 1};
	struct set s;
	struct ha_file fa, fd;
	struct ha_input ia, id;
	struct ha_client c;
	struct ha_decision d, d2, d3;
	char addr[80];
	const char *name;
	int i, lw, bad, shown = 0;

	memset(&s, 0, sizeof(s));
	snprintf(s.dir, sizeof(s.dir), "/tmp/tcpwrap-diff.XXXXXX");
	if (!mkdtemp(s.dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(s.allow_path, sizeof(s.allow_path), "%s/hosts.allow", s.dir);
	snprintf(s.deny_path, sizeof(s.deny_path), "%s/hosts.deny", s.dir);
	buf_init(&s.allow, BUF_MAX_DEFAULT);
	buf_init(&s.deny, BUF_MAX_DEFAULT);
	for (i = 0; i < 2; i++) {
		snprintf(s.files[i].path, sizeof(s.files[i].path), "%s/pf%d", s.dir, i);
		buf_init(&s.files[i].content, BUF_MAX_DEFAULT);
	}
	while (done < cases) {
		make_set(&r, &s);
		if (hosts_access_parse(s.allow_path,
		                       s.has_allow ? (const uint8_t *)s.allow.data : NULL,
		                       s.allow.len, &fa) != 0 ||
		    hosts_access_parse(s.deny_path,
		                       s.has_deny ? (const uint8_t *)s.deny.data : NULL, s.deny.len,
		                       &fd) != 0) {
			fprintf(stderr, "tcpwrap-diff: parse failed\n");
			return 2;
		}
		ia = (struct ha_input){
		    s.allow_path, s.has_allow ? (const uint8_t *)s.allow.data : NULL, s.allow.len};
		id = (struct ha_input){
		    s.deny_path, s.has_deny ? (const uint8_t *)s.deny.data : NULL, s.deny.len};
		for (i = 0; i < ADDRS_PER_SET && done < cases; i++, done++) {
			client_addr(&r, &s.pool, addr, sizeof(addr));
			name = chance(&r, 45)   ? "unknown"
			       : chance(&r, 10) ? "paranoid"
			                        : PICK(&r, names);
			lw = oracle_decide(s.allow_path, s.deny_path, name, addr, "unknown");
			memset(&c, 0, sizeof(c));
			c.daemon = "sshd";
			c.addr = addr;
			c.name = name;
			c.user = "unknown";
			c.server_addr = "unknown";
			c.server_name = "unknown";
			c.server_port = HA_PORT_NONE;
			c.read_file = read_pattern_file;
			c.read_ctx = &s;
			hosts_access_decide(&fa, &fd, &c, &d);
			hosts_access_decide_stream(&ia, &id, &c, &d3);
			c.name = NULL;
			hosts_access_decide(&fa, &fd, &c, &d2);
			bad = 0;
			if (!(d.possible & (lw ? HA_GRANT : HA_DENY)) ||
			    (d.certain && d.result != (lw ? HA_GRANT : HA_DENY))) {
				bad = 1;
				if (shown++ < MAX_FAIL_SHOWN)
					report(&s, addr, name, lw, &d, "name given");
			} else if (!(d2.possible & (lw ? HA_GRANT : HA_DENY))) {
				bad = 1;
				if (shown++ < MAX_FAIL_SHOWN)
					report(&s, addr, NULL, lw, &d2, "name withheld");
			} else if (d3.result != d.result || d3.certain != d.certain ||
			           d3.possible != d.possible || d3.why != d.why ||
			           d3.rule.line != d.rule.line ||
			           strcmp(d3.rule.text, d.rule.text) != 0 ||
			           d3.n_uncertain != d.n_uncertain) {
				bad = 1;
				if (shown++ < MAX_FAIL_SHOWN)
					report(&s, addr, name, lw, &d3,
					       "stream differs from parsed");
			}
			certain += d.certain;
			grants += lw;
			why[d.why & 15]++;
			failed += bad;
		}
		hosts_access_free(&fa);
		hosts_access_free(&fd);
	}
	unlink(s.allow_path);
	unlink(s.deny_path);
	for (i = 0; i < 2; i++) {
		unlink(s.files[i].path);
		buf_release(&s.files[i].content);
	}
	rmdir(s.dir);
	buf_release(&s.allow);
	buf_release(&s.deny);
	printf("tcpwrap-diff: seed %#llx, %llu of %llu decisions certain, libwrap granted %llu\n",
	       (unsigned long long)seed, certain, done, grants);
	printf("tcpwrap-diff: decided by:");
	for (i = 0; i <= HA_WHY_DENY_UNTERMINATED; i++)
		printf(" %s=%llu", ha_why_name((enum ha_why)i), why[i]);
	printf("\n");
	printf("tcpwrap-diff: %llu passed, %llu failed\n", done - failed, failed);
	return failed != 0;
}
