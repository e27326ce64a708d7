#include "firewall/fix.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "firewall/render.h"

/* The command that edits a table: iptables, ip6tables, iptables-legacy, … or nft. */
static const char *tool_of(const struct fw_ruleset *rs, uint32_t table)
{
	switch (rs->sources[rs->tables[table].source].kind) {
	case FW_IN_IP6TABLES:
		return "ip6tables";
	case FW_IN_IPTABLES_LEGACY:
		return "iptables-legacy";
	case FW_IN_IP6TABLES_LEGACY:
		return "ip6tables-legacy";
	case FW_IN_NFT_JSON:
		return "nft";
	default:
		return "iptables";
	}
}

/* " -t nat" unless the table is filter. */
static int add_table_opt(struct buf *b, const struct fw_table *t)
{
	return strcmp(t->name, "filter") == 0 ? SD_OK : buf_addf(b, " -t %s", t->name);
}

/*
 * Does a rule name the client's address — the source of its packets, the destination of
 * ours — so that deleting it is the fix?
 */
static int names_client(const struct fw_ruleset *rs, uint32_t rule, enum fw_pkt pkt)
{
	const struct fw_rule *r = &rs->rules[rule];
	uint8_t field = pkt == FW_PKT_SYNACK || pkt == FW_PKT_BANNER ? FWF_DADDR : FWF_SADDR;
	const struct fw_cond *c;
	uint32_t i;

	for (i = 0; i < r->ncond; i++) {
		c = &rs->conds[r->cond + i];
		if (c->field == field && !c->neg &&
		    (c->kind == FWC_RANGE || c->kind == FWC_MASKED || c->kind == FWC_SET))
			return 1;
	}
	return 0;
}

static int add(struct finding *f, struct buf *b)
{
	int r = finding_add_fix(f, "%s", b->data);

	buf_reset(b);
	return r;
}

/* An accept for this client in chain c, before rule `before` (FW_NONE: appended). */
static int accept_rule(struct buf *b, const struct fw_ruleset *rs, uint32_t chain, uint32_t before,
                       enum fw_pkt pkt, const struct fw_question *q, const char *client)
{
	const struct fw_chain *c = &rs->chains[chain];
	const struct fw_table *t = &rs->tables[c->table];
	const char *tool = tool_of(rs, c->table);
	int out = pkt == FW_PKT_SYNACK || pkt == FW_PKT_BANNER, v6 = q->client.family == 6, r;

	if (strcmp(tool, "nft") == 0) {
		if (before != FW_NONE)
			r = buf_addf(b, "nft insert rule %s %s %s position %u ",
			             fw_nfproto_name(t->family), t->name, c->name,
			             rs->rules[before].handle);
		else
			r = buf_addf(b, "nft add rule %s %s %s ", fw_nfproto_name(t->family),
			             t->name, c->name);
		if (r == 0)
			r = buf_addf(b, "%s %s %s tcp %s %u accept", v6 ? "ip6" : "ip",
			             out ? "daddr" : "saddr", client, out ? "sport" : "dport",
			             q->port);
		return r;
	}
	if ((r = buf_adds(b, tool)) != 0 || (r = add_table_opt(b, t)) != 0)
		return r;
	if (before != FW_NONE)
		r = buf_addf(b, " -I %s %u", c->name, rs->rules[before].number);
	else
		r = buf_addf(b, " -A %s", c->name);
	if (r == 0)
		r = buf_addf(b, " %s %s/%d -p tcp %s %u -j ACCEPT", out ? "-d" : "-s", client,
		             v6 ? 128 : 32, out ? "--sport" : "--dport", q->port);
	return r;
}

static int delete_rule(struct buf *b, const struct fw_ruleset *rs, uint32_t rule)
{
	const struct fw_rule *ru = &rs->rules[rule];
	const struct fw_chain *c = &rs->chains[ru->chain];
	const struct fw_table *t = &rs->tables[c->table];
	const char *tool = tool_of(rs, c->table), *text = fw_rule_text(rs, ru), *spec;
	int r;

	if (strcmp(tool, "nft") == 0)
		return buf_addf(b, "nft delete rule %s %s %s handle %u", fw_nfproto_name(t->family),
		                t->name, c->name, ru->handle);
	/* iptables-save prints "-A CHAIN SPEC"; -D takes CHAIN SPEC */
	spec = memmem(text, ru->text_len, "-A ", 3);
	if ((r = buf_adds(b, tool)) != 0 || (r = add_table_opt(b, t)) != 0)
		return r;
	if (!spec)
		return buf_addf(b, " -D %s %u", c->name, ru->number);
	spec += 3;
	if ((r = buf_adds(b, " -D ")) != 0)
		return r;
	return fw_add_text(b, spec, ru->text_len - (size_t)(spec - text));
}

static int delete_elem(struct buf *b, const struct fw_ruleset *rs, uint32_t set, uint32_t elem)
{
	const struct fw_set *s = &rs->sets[set];
	const struct fw_table *t;
	int r;

	if (s->origin == FW_SO_IPSET) {
		if ((r = buf_addf(b, "ipset del %s ", s->name)) != 0)
			return r;
		return fw_render_elem_value(rs, set, elem, b);
	}
	t = &rs->tables[s->table];
	if ((r = buf_addf(b, "nft delete element %s %s %s { ", fw_nfproto_name(t->family), t->name,
	                  s->name)) != 0 ||
	    (r = fw_render_elem_value(rs, set, elem, b)) != 0)
		return r;
	return buf_adds(b, " }");
}

int fw_fix_add(struct finding *f, const struct fw_ruleset *rs, const struct fw_decision *d,
               enum fw_pkt pkt, const struct fw_question *q, const struct fw_owner *o)
{
	const struct fw_frame *fr = fw_decisive(d);
	const struct fw_chain *c;
	char client[64];
	struct buf b;
	int r = SD_OK;

	if (!fr)
		return SD_OK;
	c = &rs->chains[fr->chain];
	ip_addr_format(&q->client, client, sizeof(client));
	buf_init(&b, 8192);
	switch (o->kind) {
	case FW_OWNER_FAIL2BAN:
		if (o->detail[0]) {
			if ((r = buf_addf(&b, "fail2ban-client set %s unbanip %s", o->detail,
			                  client)) ||
			    (r = add(f, &b)) ||
			    (r = buf_addf(
			         &b,
			         "to keep %s from being banned again: add it to ignoreip in "
			         "/etc/fail2ban/jail.local, then fail2ban-client reload",
			         client)) ||
			    (r = add(f, &b)))
				goto out;
			goto out;
		}
		break;
	case FW_OWNER_UFW:
		if ((r = buf_addf(&b, "ufw allow from %s to any port %u proto tcp", client,
		                  q->port)) ||
		    (r = add(f, &b)))
			goto out;
		if (fr->rule != FW_NONE && names_client(rs, fr->rule, pkt) &&
		    ((r = buf_adds(&b,
		                   "or remove the ufw rule itself: ufw status numbered, then ufw "
		                   "delete NUM")) ||
		     (r = add(f, &b))))
			goto out;
		goto out;
	case FW_OWNER_FIREWALLD:
		if (o->detail[0]) {
			const char *what = q->port == 22 ? "--add-service=ssh" : "";

			if (q->port == 22)
				r = buf_addf(&b,
				             "firewall-cmd --zone=%s %s && firewall-cmd "
				             "--permanent --zone=%s %s",
				             o->detail, what, o->detail, what);
			else
				r = buf_addf(
				    &b,
				    "firewall-cmd --zone=%s --add-port=%u/tcp && firewall-cmd "
				    "--permanent --zone=%s --add-port=%u/tcp",
				    o->detail, q->port, o->detail, q->port);
			if (r || (r = add(f, &b)))
				goto out;
			if (fr->rule != FW_NONE && names_client(rs, fr->rule, pkt) &&
			    ((r = buf_addf(&b,
			                   "if a rich rule blocks %s: firewall-cmd --zone=%s "
			                   "--list-rich-rules, then --remove-rich-rule='…'",
			                   client, o->detail)) ||
			     (r = add(f, &b))))
				goto out;
			goto out;
		}
		break;
	case FW_OWNER_CROWDSEC:
		if ((r = buf_addf(&b, "cscli decisions delete --ip %s", client)) ||
		    (r = add(f, &b)))
			goto out;
		goto out;
	case FW_OWNER_CSF:
		if ((r = buf_addf(&b, "csf -dr %s; csf -tr %s; csf -a %s", client, client,
		                  client)) ||
		    (r = add(f, &b)))
			goto out;
		goto out;
	default:
		break;
	}
	if (d->set != FW_NONE && rs->sets[d->set].origin != FW_SO_ANON) {
		r = delete_elem(&b, rs, d->set, d->elem);
	} else if (fr->rule != FW_NONE && names_client(rs, fr->rule, pkt)) {
		r = delete_rule(&b, rs, fr->rule);
	} else {
		r = accept_rule(&b, rs, fr->chain, fr->rule, pkt, q, client);
	}
	if (r || (r = add(f, &b)))
		goto out;
	if (o->kind == FW_OWNER_SSHGUARD) {
		r = buf_addf(&b,
		             "to keep sshguard from blocking %s again: add it to its whitelist "
		             "(WHITELIST_FILE in sshguard.conf) and restart sshguard",
		             client);
	} else if (strcmp(tool_of(rs, c->table), "nft") == 0) {
		r = buf_adds(
		    &b, "make it permanent in the file your system loads (/etc/nftables.conf)");
	} else {
		r = buf_addf(&b,
		             "make it permanent: %s-save > /etc/iptables/rules.v%c (Debian) or "
		             "/etc/sysconfig/%s (RHEL)",
		             strncmp(tool_of(rs, c->table), "ip6", 3) == 0 ? "ip6tables"
		                                                           : "iptables",
		             q->client.family == 6 ? '6' : '4',
		             q->client.family == 6 ? "ip6tables" : "iptables");
	}
	if (r == 0)
		r = add(f, &b);
out:
	buf_release(&b);
	return r;
}
