/*
 * fuzz_hosts_access — the hosts_access(5) parser, evaluator and lint on hostile bytes.
 *
 * The input is hosts.allow, a line "----", then hosts.deny; without that line it is all
 * hosts.deny and hosts.allow is missing.  Both are parsed, decided for a few fixed clients by
 * both entry points (which must agree), linted and freed.  The pattern file "/self" is the
 * deny table itself, so nested file patterns are exercised too; "/x..." does not exist,
 * "/u..." cannot be read, any other holds a few fixed patterns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/hosts_access.h"
#include "tcpwrap/lint.h"
#include "fuzz.h"

static const char SEPARATOR[] = "\n----\n";

struct tables {
	struct ha_input allow, deny;
};

static int read_file(void *ctx, const char *path, const uint8_t **data, size_t *len)
{
	const struct tables *t = ctx;

	static const char fixed[] = "10.0.0.1 .example.com\n192.168. [2001:db8::]/32 /self\n";

	if (path[1] == 'x')
		return SD_ERR_NOT_FOUND;
	if (path[1] == 'u')
		return SD_ERR_IO; /* unknown contents */
	if (strcmp(path, "/self") == 0) {
		*data = t->deny.data ? t->deny.data : (const uint8_t *)"";
		*len = t->deny.len;
	} else {
		*data = (const uint8_t *)fixed;
		*len = sizeof(fixed) - 1;
	}
	return 0;
}

static void check_ref(const struct ha_ref *r)
{
	const char *p;

	ASSERT(strlen(r->text) <= HA_EVIDENCE_MAX);
	for (p = r->text; *p; p++)
		ASSERT((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
}

static void check_decision(const struct ha_decision *d)
{
	size_t i;

	ASSERT(d->result == HA_GRANT || d->result == HA_DENY);
	ASSERT(d->possible & d->result);
	ASSERT((d->possible & ~3u) == 0);
	ASSERT(d->certain == (d->possible == (unsigned)d->result));
	ASSERT((d->why == HA_WHY_DEFAULT) == (d->rule.table == HA_TABLE_NONE));
	check_ref(&d->rule);
	for (i = 0; i < d->n_uncertain && i < HA_UNCERTAIN_MAX; i++) {
		check_ref(&d->uncertain[i]);
		ASSERT(d->uncertain[i].possible != 0);
		ASSERT((d->possible & d->uncertain[i].possible) == d->uncertain[i].possible);
	}
	if (d->n_uncertain == 0)
		ASSERT(d->rule.need != 0 || d->certain);
}

static void same(const struct ha_decision *a, const struct ha_decision *b)
{
	ASSERT(a->result == b->result);
	ASSERT(a->certain == b->certain);
	ASSERT(a->possible == b->possible);
	ASSERT(a->why == b->why);
	ASSERT(a->rule.table == b->rule.table);
	ASSERT(a->rule.line == b->rule.line);
	ASSERT(strcmp(a->rule.text, b->rule.text) == 0);
	ASSERT(a->n_uncertain == b->n_uncertain);
	ASSERT(a->effects == b->effects);
	ASSERT(a->denyhosts.found == b->denyhosts.found);
	ASSERT(a->denyhosts.verified == b->denyhosts.verified);
	ASSERT(strcmp(a->denyhosts.date, b->denyhosts.date) == 0);
}

static void check_file(const struct ha_file *f, size_t len)
{
	size_t i;

	ASSERT(f->bytes <= 64 * len + 65536);
	for (i = 0; i < f->n_rules; i++) {
		const struct ha_rule *r = &f->rules[i];

		ASSERT(r->len <= 2047);
		ASSERT(strlen(r->text) == r->len);
		ASSERT(r->raw_len <= HA_RAW_MAX);
		ASSERT(r->line >= 1 && r->line <= r->line_last);
		if (r->kind == HA_RULE) {
			ASSERT(r->colon1 < r->len && r->text[r->colon1] == ':');
			ASSERT(r->colon2 == HA_NO_OPTIONS ||
			       (r->colon2 > r->colon1 && r->colon2 < r->len &&
			        r->text[r->colon2] == ':'));
		}
		if (r->kind == HA_RULE_UNTERMINATED)
			ASSERT(i + 1 == f->n_rules);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *addr, *name, *user, *saddr;
		int port;
	} clients[] = {
	    {"10.0.0.1", NULL, NULL, "192.0.2.1", 22},
	    {"2001:db8::1", "host.example.com", "unknown", NULL, HA_PORT_UNKNOWN},
	    {"::ffff:192.168.1.1", "unknown", "root", "unknown", HA_PORT_NONE},
	    {"fe80::1%eth0", "paranoid", NULL, NULL, 2222},
	};
	const uint8_t *sep = NULL;
	struct tables t;
	struct ha_file fa, fd;
	struct ha_client c;
	struct ha_decision d1, d2;
	struct ha_lint l;
	size_t i;

	if (size >= sizeof(SEPARATOR) - 1)
		sep = memmem(data, size, SEPARATOR, sizeof(SEPARATOR) - 1);
	if (sep) {
		t.allow = (struct ha_input){"hosts.allow", data, (size_t)(sep - data) + 1};
		t.deny = (struct ha_input){"hosts.deny", sep + sizeof(SEPARATOR) - 1,
		                           size - (size_t)(sep - data) - (sizeof(SEPARATOR) - 1)};
	} else {
		t.allow = (struct ha_input){"hosts.allow", NULL, 0};
		t.deny = (struct ha_input){"hosts.deny", data, size};
	}
	ASSERT(hosts_access_parse(t.allow.name, t.allow.data, t.allow.len, &fa) == 0);
	ASSERT(hosts_access_parse(t.deny.name, t.deny.data, t.deny.len, &fd) == 0);
	check_file(&fa, t.allow.len);
	check_file(&fd, t.deny.len);
	for (i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.daemon = "sshd";
		c.addr = clients[i].addr;
		c.name = clients[i].name;
		c.user = clients[i].user;
		c.server_addr = clients[i].saddr;
		c.server_port = clients[i].port;
		if (i & 1) {
			c.read_file = read_file;
			c.read_ctx = &t;
		}
		ASSERT(hosts_access_decide(&fa, &fd, &c, &d1) == 0);
		ASSERT(hosts_access_decide_stream(&t.allow, &t.deny, &c, &d2) == 0);
		check_decision(&d1);
		check_decision(&d2);
		same(&d1, &d2);
	}
	ASSERT(hosts_access_lint(&fa, &fd, &l) == 0);
	ASSERT(l.n <= HA_LINT_MAX);
	for (i = 0; i < l.n; i++)
		ASSERT(l.v[i].file != NULL && strlen(l.v[i].message) < sizeof(l.v[i].message));
	ha_lint_free(&l);
	hosts_access_free(&fa);
	hosts_access_free(&fd);
	return 0;
}
