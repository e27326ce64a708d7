#include "firewall/owner.h"

#include <stdio.h>
#include <string.h>

const char *fw_owner_name(enum fw_owner_kind k)
{
	static const char *const names[FW_OWNER__COUNT] = {
	    "", "fail2ban", "sshguard", "ufw", "firewalld", "docker", "csf", "crowdsec"};

	return (unsigned)k < FW_OWNER__COUNT ? names[k] : "";
}

static int prefixed(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void set_owner(struct fw_owner *o, enum fw_owner_kind k, const char *detail, size_t dlen,
                      const char *what, const char *name)
{
	o->kind = k;
	if (dlen >= sizeof(o->detail))
		dlen = sizeof(o->detail) - 1;
	memcpy(o->detail, detail, dlen);
	o->detail[dlen] = '\0';
	snprintf(o->via, sizeof(o->via), "%s %s", what, name);
}

/* firewalld zone chains: filter_IN_public_allow, IN_public_deny, … → "public". */
static size_t zone_len(const char *z)
{
	static const char *const suffixes[] = {"_pre", "_log", "_deny", "_allow", "_post"};
	size_t n = strlen(z), k, sl;

	for (k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
		sl = strlen(suffixes[k]);
		if (n > sl && strcmp(z + n - sl, suffixes[k]) == 0)
			return n - sl;
	}
	return n;
}

int fw_owner_of_name(const struct fw_ruleset *rs, uint32_t table, const char *name, int is_set,
                     struct fw_owner *out)
{
	static const char *const csf_chains[] = {"LOCALINPUT", "DENYIN",     "ALLOWIN", "GDENYIN",
	                                         "LOGDROPIN",  "CC_DENY",    "DENYOUT", "SYNFLOOD",
	                                         "PORTFLOOD",  "LOCALOUTPUT"};
	const char *tname = table != FW_NONE ? rs->tables[table].name : "";
	const char *what = is_set ? (table == FW_NONE ? "ipset" : "set") : "chain";
	size_t n = strlen(name), k;

	memset(out, 0, sizeof(*out));
	if (prefixed(name, "f2b-") && strcmp(name, "f2b-chain") != 0) {
		/* fail2ban's IPv6 ipset is f2b-JAIL6 */
		if (is_set && table == FW_NONE && n > 5 && name[n - 1] == '6')
			n--;
		set_owner(out, FW_OWNER_FAIL2BAN, name + 4, n - 4, what, name);
	} else if (!is_set && prefixed(name, "fail2ban-")) {
		set_owner(out, FW_OWNER_FAIL2BAN, name + 9, n - 9, what, name);
	} else if (is_set && strcmp(tname, "f2b-table") == 0 && prefixed(name, "addr-set-")) {
		set_owner(out, FW_OWNER_FAIL2BAN, name + 9, n - 9, what, name);
	} else if (is_set && strcmp(tname, "f2b-table") == 0 && prefixed(name, "addr6-set-")) {
		set_owner(out, FW_OWNER_FAIL2BAN, name + 10, n - 10, what, name);
	} else if (strcmp(tname, "f2b-table") == 0) {
		set_owner(out, FW_OWNER_FAIL2BAN, "", 0, "table", tname);
	} else if (strcmp(name, "sshguard") == 0 || strcmp(name, "sshguard4") == 0 ||
	           strcmp(name, "sshguard6") == 0 || strcmp(tname, "sshguard") == 0) {
		set_owner(out, FW_OWNER_SSHGUARD, "", 0, what, name);
	} else if (!is_set && (prefixed(name, "ufw-") || prefixed(name, "ufw6-"))) {
		set_owner(out, FW_OWNER_UFW, "", 0, what, name);
	} else if (!is_set && strcmp(tname, "firewalld") == 0 && prefixed(name, "filter_IN_")) {
		set_owner(out, FW_OWNER_FIREWALLD, name + 10, zone_len(name + 10), what, name);
	} else if (!is_set && prefixed(name, "IN_") && table != FW_NONE &&
	           rs->sources[rs->tables[table].source].kind != FW_IN_NFT_JSON) {
		set_owner(out, FW_OWNER_FIREWALLD, name + 3, zone_len(name + 3), what, name);
	} else if (strcmp(tname, "firewalld") == 0 || strcmp(name, "INPUT_direct") == 0 ||
	           strcmp(name, "INPUT_ZONES") == 0) {
		set_owner(out, FW_OWNER_FIREWALLD, "", 0, what, name);
	} else if (!is_set && (strcmp(name, "DOCKER") == 0 || prefixed(name, "DOCKER-"))) {
		set_owner(out, FW_OWNER_DOCKER, "", 0, what, name);
	} else if (prefixed(name, "crowdsec") || strcmp(name, "CROWDSEC_CHAIN") == 0 ||
	           prefixed(tname, "crowdsec")) {
		set_owner(out, FW_OWNER_CROWDSEC, "", 0, what, name);
	} else if (!is_set) {
		for (k = 0; k < sizeof(csf_chains) / sizeof(csf_chains[0]); k++)
			if (strcmp(name, csf_chains[k]) == 0)
				set_owner(out, FW_OWNER_CSF, "", 0, what, name);
	}
	return out->kind != FW_OWNER_NONE;
}

void fw_owner_of(const struct fw_ruleset *rs, const struct fw_decision *d, struct fw_owner *out)
{
	const struct fw_chain *c;
	unsigned i;

	memset(out, 0, sizeof(*out));
	if (d->set != FW_NONE && rs->sets[d->set].origin != FW_SO_ANON &&
	    fw_owner_of_name(rs, rs->sets[d->set].table, rs->sets[d->set].name, 1, out))
		return;
	for (i = d->npath; i-- > 0;) {
		c = &rs->chains[d->path[i].chain];
		if (fw_owner_of_name(rs, c->table, c->name, 0, out))
			return;
	}
}
