/*
 * fuzz_f2bconf — fail2ban's configuration reader and the other ban-tool parsers on hostile
 * bytes.
 *
 * The input is cut at the first NUL into two files, parsed and merged in that order (like
 * jail.conf then jail.local); every key of the [sshd] and [DEFAULT] sections is read back
 * interpolated (depth-limited: nested references must terminate) and the jail settings are
 * derived.  The same bytes then go through the duration parser, the database's match JSON,
 * `fail2ban-client status` output, sshguard's configuration and blocklist and DenyHosts'
 * files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bans/denyhosts.h"
#include "bans/f2b.h"
#include "bans/f2b_conf.h"
#include "bans/sshguard.h"
#include "base/buf.h"
#include "fuzz.h"

static void read_back(const struct f2b_conf *c, const char *sec)
{
	size_t i, k;

	for (i = 0; i < c->nsec; i++) {
		if (strcmp(c->sec[i].name, sec) != 0)
			continue;
		for (k = 0; k < c->sec[i].n; k++) {
			struct buf b;
			const struct f2b_entry *where;
			long long v;
			int r;

			buf_init(&b, F2B_MAX_VALUE);
			r = f2b_conf_get(c, sec, c->sec[i].e[k].key, &b, &where);
			ASSERT(r == 0 || r == -2 || r == -1 || r == -4);
			if (r == 0) {
				ASSERT(where != NULL && where->file < c->nfiles);
				(void)f2b_seconds(b.data, &v);
				(void)f2b_bool(b.data);
			}
			buf_release(&b);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nul = memchr(p, '\0', size);
	size_t n1 = nul ? (size_t)(nul - p) : size, n2 = nul ? size - n1 - 1 : 0;
	struct f2b_ini a, b;
	struct f2b_conf c;
	struct f2b_jail j;
	struct f2b_server sv;
	struct f2b_status st;
	struct sshguard_conf sc;
	struct sshguard_entry se;
	struct dh_conf dc;
	struct dh_hit hits[DH_MAX_HITS];
	struct ip_addr addr;
	char *s, **lines, entry[64];
	size_t nl;
	long long failures, v;
	int names;

	f2b_conf_init(&c);
	if (f2b_ini_parse(p, n1, &a) == 0) {
		ASSERT(f2b_conf_add(&c, "/etc/fail2ban/jail.conf", &a) == 0);
		(void)f2b_ini_get(&a, "INCLUDES", "before");
		f2b_ini_release(&a);
	}
	if (nul && f2b_ini_parse(nul + 1, n2, &b) == 0) {
		ASSERT(f2b_conf_add(&c, "/etc/fail2ban/jail.local", &b) == 0);
		f2b_ini_release(&b);
	}
	read_back(&c, "sshd");
	read_back(&c, "DEFAULT");
	read_back(&c, "Definition");
	if (f2b_jail_read(&c, "sshd", &j) == 0) {
		ASSERT(j.maxretry > 0);
		(void)f2b_next_bantime(&j, (long long)size % 30);
		(void)f2b_client_sees(&j);
		memset(&addr, 0, sizeof(addr));
		ip_addr_parse("192.0.2.10", &addr);
		(void)f2b_ignoreip_match(j.ignoreip, &addr, entry, sizeof(entry), &names);
		f2b_jail_release(&j);
	}
	if (f2b_server_read(&c, &sv) == 0)
		f2b_server_release(&sv);
	f2b_conf_release(&c);

	/* the same bytes as other inputs */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)f2b_seconds(s, &v);
	if (f2b_ban_matches(s, &lines, &nl, &failures) == 0)
		f2b_matches_free(lines, nl);
	if (f2b_status_parse(p, size, &st) == 0) {
		(void)f2b_status_lists(&st, "192.0.2.10");
		f2b_status_release(&st);
	}
	ip_addr_parse("192.0.2.10", &addr);
	(void)f2b_ignoreip_match(s, &addr, entry, sizeof(entry), &names);
	if (sshguard_conf_parse(p, size, &sc) == 0) {
		(void)sshguard_backend_kind(sc.backend);
		sshguard_conf_release(&sc);
	}
	(void)sshguard_blacklist_find(p, size, &addr, &se);
	(void)sshguard_blacklist_count(p, size);
	(void)sshguard_whitelist_find(p, size, &addr);
	if (dh_conf_parse(p, size, &dc) == 0)
		dh_conf_release(&dc);
	ASSERT(dh_deny_find(p, size, &addr, hits, DH_MAX_HITS) <= DH_MAX_HITS);
	ASSERT(dh_work_find(p, size, &addr, hits, DH_MAX_HITS) <= DH_MAX_HITS);
	free(s);
	return 0;
}
