#include "firewall/render.h"

#include <string.h>

#include "base/err.h"
#include "firewall/nft.h"

/*
 * Rule text as its tool printed it, made safe for a terminal: printable ASCII is kept as is
 * (backslashes too — iptables-save quotes with them), anything else becomes \xNN.
 */
int fw_add_text(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, old = b->len;
	int r = SD_OK;

	for (i = 0; i < len && r == SD_OK; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			r = buf_addch(b, (char)c);
		} else {
			char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

			r = buf_add(b, esc, sizeof(esc));
		}
	}
	if (r != SD_OK) {
		b->len = old;
		b->data[old] = '\0';
	}
	return r;
}

static const struct fw_source *table_source(const struct fw_ruleset *rs, uint32_t table)
{
	return &rs->sources[rs->tables[table].source];
}

static int is_nft(const struct fw_ruleset *rs, uint32_t table)
{
	return table_source(rs, table)->kind == FW_IN_NFT_JSON;
}

int fw_render_table(const struct fw_ruleset *rs, uint32_t table, struct buf *out)
{
	const struct fw_table *t = &rs->tables[table];
	const struct fw_source *s = table_source(rs, table);

	if (s->kind == FW_IN_NFT_JSON)
		return buf_addf(out, "nft %s %s", fw_nfproto_name(t->family), t->name);
	return buf_addf(out, "%s %s",
	                s->kind == FW_IN_IPTABLES_LEGACY    ? "iptables-legacy"
	                : s->kind == FW_IN_IP6TABLES_LEGACY ? "ip6tables-legacy"
	                : s->kind == FW_IN_IP6TABLES        ? "ip6tables"
	                                                    : "iptables",
	                t->name);
}

int fw_render_place(const struct fw_ruleset *rs, const struct fw_frame *f, struct buf *out)
{
	const struct fw_chain *c = &rs->chains[f->chain];
	int r;

	if ((r = fw_render_table(rs, c->table, out)) != 0)
		return r;
	if (f->rule == FW_NONE)
		return buf_addf(out, " %s policy %s", c->name,
		                c->policy == FW_V_DROP ? "drop" : "accept");
	if (is_nft(rs, c->table))
		return buf_addf(out, " %s rule %u (handle %u)", c->name, rs->rules[f->rule].number,
		                rs->rules[f->rule].handle);
	return buf_addf(out, " %s rule %u", c->name, rs->rules[f->rule].number);
}

int fw_render_rule(const struct fw_ruleset *rs, uint32_t rule, struct buf *out)
{
	const struct fw_rule *r = &rs->rules[rule];
	const char *text = fw_rule_text(rs, r);
	size_t before = out->len;

	if (is_nft(rs, rs->chains[r->chain].table)) {
		if (fw_nft_rule_text(text, r->text_len, out) == 0)
			return SD_OK;
		out->len = before;
		out->data[before] = '\0';
	}
	return fw_add_text(out, text, r->text_len);
}

int fw_render_frame_text(const struct fw_ruleset *rs, const struct fw_frame *f, struct buf *out)
{
	const struct fw_chain *c = &rs->chains[f->chain];
	const char *text = rs->sources[rs->tables[c->table].source].data + c->text_off;

	if (f->rule != FW_NONE)
		return fw_render_rule(rs, f->rule, out);
	if (c->text_len == 0)
		return buf_addf(out, "chain %s policy %s", c->name,
		                c->policy == FW_V_DROP ? "drop" : "accept");
	if (is_nft(rs, c->table) && fw_nft_chain_text(text, c->text_len, out) == 0)
		return SD_OK;
	return fw_add_text(out, text, c->text_len);
}

int fw_render_path(const struct fw_ruleset *rs, const struct fw_decision *d, struct buf *out)
{
	const struct fw_frame *f;
	unsigned i;
	int r = SD_OK;

	for (i = 0; i < d->npath && r == SD_OK; i++) {
		f = &d->path[i];
		if (i && (r = buf_adds(out, " \xe2\x86\x92 ")) != 0) /* → */
			break;
		if (f->rule == FW_NONE)
			r = buf_addf(out, "%s policy %s", rs->chains[f->chain].name,
			             rs->chains[f->chain].policy == FW_V_DROP ? "drop" : "accept");
		else
			r = buf_addf(out, "%s rule %u", rs->chains[f->chain].name,
			             rs->rules[f->rule].number);
	}
	return r;
}

int fw_render_elem_value(const struct fw_ruleset *rs, uint32_t set, uint32_t elem, struct buf *out)
{
	const struct fw_set *s = &rs->sets[set];
	const struct fw_elem *e = &s->elems[elem];
	char text[96];

	if (s->key == FW_SK_ADDR4 || s->key == FW_SK_ADDR6) {
		fw_format_interval(e->lo, e->hi, s->key == FW_SK_ADDR4 ? 4 : 6, text, sizeof(text));
		return buf_adds(out, text);
	}
	if (s->key == FW_SK_IFNAME && e->data != FW_NONE)
		return buf_addf(out, "\"%s%s\"", rs->strs[e->data], e->lo.lo ? "*" : "");
	if (fw_val_eq(e->lo, e->hi))
		return buf_addf(out, "%llu", (unsigned long long)e->lo.lo);
	return buf_addf(out, "%llu-%llu", (unsigned long long)e->lo.lo,
	                (unsigned long long)e->hi.lo);
}

int fw_render_elem(const struct fw_ruleset *rs, uint32_t set, uint32_t elem, struct buf *out)
{
	const struct fw_set *s = &rs->sets[set];
	int r;

	if (s->origin == FW_SO_IPSET) {
		if ((r = buf_addf(out, "add %s ", s->name)) == 0)
			r = fw_render_elem_value(rs, set, elem, out);
		if (r == 0 && s->elems[elem].nomatch)
			r = buf_adds(out, " nomatch");
		return r;
	}
	if (s->origin == FW_SO_ANON)
		return fw_render_elem_value(rs, set, elem, out);
	if ((r = buf_addf(out, "element %s %s %s { ", fw_nfproto_name(rs->tables[s->table].family),
	                  rs->tables[s->table].name, s->name)) != 0 ||
	    (r = fw_render_elem_value(rs, set, elem, out)) != 0)
		return r;
	return buf_adds(out, " }");
}

const char *fw_frame_origin(const struct fw_ruleset *rs, const struct fw_frame *f)
{
	return table_source(rs, rs->chains[f->chain].table)->origin;
}

unsigned long fw_frame_line(const struct fw_ruleset *rs, const struct fw_frame *f)
{
	const struct fw_chain *c = &rs->chains[f->chain];
	const struct fw_source *s = table_source(rs, c->table);

	if (f->rule == FW_NONE)
		return s->live || !s->multiline ? 0 : c->line;
	if (s->live || !s->multiline)
		return rs->rules[f->rule].number;
	return rs->rules[f->rule].line;
}

static const char *const pkt_names[FW_PKT__COUNT] = {"SYN",    "SYN-ACK",      "ACK",        "data",
                                                     "banner", "reject reply", "retried SYN"};

int fw_render_answer(const struct fw_ruleset *rs, const struct fw_answer *a, struct buf *out)
{
	const struct fw_decision *d;
	const struct fw_frame *f;
	unsigned i, k;
	int r = SD_OK;

	for (i = 0; i < FW_PKT__COUNT && r == SD_OK; i++) {
		if (!a->evaluated[i])
			continue;
		d = &a->pkt[i];
		r = buf_addf(out, "  %s: %s", pkt_names[i],
		             d->outcome == FW_OUT_ACCEPT ? "accepted"
		             : d->outcome == FW_OUT_DROP ? "dropped"
		                                         : "rejected");
		if (r == 0 && d->outcome == FW_OUT_REJECT)
			r = buf_addf(out, " (%s)", fw_reject_name((enum fw_reject)d->reject));
		if (r == 0 && d->npath) {
			f = fw_decisive(d);
			if ((r = buf_adds(out, " by ")) == 0 &&
			    (r = fw_render_place(rs, f, out)) == 0 &&
			    (r = buf_adds(out, "\n    path: ")) == 0 &&
			    (r = fw_render_path(rs, d, out)) == 0 &&
			    (r = buf_adds(out, "\n    text: ")) == 0)
				r = fw_render_frame_text(rs, f, out);
			if (r == 0 && d->set != FW_NONE &&
			    (r = buf_adds(out, "\n    element: ")) == 0)
				r = fw_render_elem(rs, d->set, d->elem, out);
		}
		if (r == 0 && d->tie_chain != FW_NONE)
			r = buf_addf(out, "\n    equal-priority chain %s may decide first",
			             rs->chains[d->tie_chain].name);
		for (k = 0; k < d->nunc && r == 0; k++) {
			struct fw_frame uf = {rs->rules[d->unc[k].rule].chain, d->unc[k].rule};

			if ((r = buf_addf(out, "\n    uncertain (%s): ",
			                  fw_tern_text((enum fw_tern)d->unc[k].tern))) == 0 &&
			    (r = fw_render_place(rs, &uf, out)) == 0)
				r = buf_adds(out, "");
		}
		if (r == 0)
			r = buf_addch(out, '\n');
	}
	for (i = 0; i < a->nalt && r == SD_OK; i++) {
		struct fw_frame uf = {rs->rules[a->alt[i].rule].chain, a->alt[i].rule};

		if ((r = buf_adds(out, "  if ")) == 0 && (r = fw_render_place(rs, &uf, out)) == 0)
			r = buf_addf(out, " went the other way: %s\n",
			             fw_sees_name((enum fw_sees)a->alt[i].sees));
	}
	return r;
}
