#include "firewall/layer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "firewall/answer.h"
#include "firewall/fix.h"
#include "firewall/ipset.h"
#include "firewall/iptables.h"
#include "firewall/list.h"
#include "firewall/nft.h"
#include "firewall/owner.h"
#include "firewall/render.h"

#define NOTE_MAX 4096u

int firewall_build(const struct firewall_inputs *in, struct fw_ruleset *rs, unsigned *ret_failed,
                   struct buf *why)
{
	const struct firewall_input *x;
	unsigned failed = 0;
	uint32_t src;
	size_t i;
	int r;

	for (i = 0; i < in->n && i < FW_MAX_SOURCES; i++) {
		x = &in->in[i];
		if (x->state != FW_INPUT_PRESENT)
			continue;
		r = fw_ruleset_add_source(rs, x->kind, x->origin, in->live, x->data, x->len, &src);
		if (r == SD_OK)
			r = x->kind == FW_IN_IPSET      ? fw_ipset_parse(rs, src)
			    : x->kind == FW_IN_NFT_JSON ? fw_nft_parse(rs, src)
			                                : fw_iptables_parse(rs, src);
		if (r == SD_ERR_ALLOC)
			return r;
		if (r != SD_OK) {
			failed++;
			if (why && buf_addf(why, "%s%s: %s", why->len ? "; " : "", x->origin,
			                    sd_strerror(r)) == SD_ERR_ALLOC)
				return SD_ERR_ALLOC;
		}
	}
	if (ret_failed)
		*ret_failed = failed;
	return fw_ruleset_link(rs);
}

static enum cause_id cause_of(const struct fw_answer *a)
{
	const struct fw_decision *d = &a->pkt[a->blocked];

	if (d->outcome != FW_OUT_REJECT || a->reply_lost || a->blocked == FW_PKT_SYNACK ||
	    a->blocked == FW_PKT_BANNER)
		return CAUSE_FIREWALL_DROP; /* the client hears nothing */
	if (a->blocked != FW_PKT_SYN && d->reject == FW_RJ_TCP_RESET)
		return CAUSE_FIREWALL_RESET;
	return CAUSE_FIREWALL_REJECT;
}

static int verb(struct buf *b, const struct fw_decision *d, enum fw_pkt pkt)
{
	static const char *const what[FW_PKT__COUNT] = {
	    "the connection attempt (SYN)",
	    "the server's reply (SYN-ACK)",
	    "the client's last handshake segment (ACK)",
	    "the client's first data (its version string)",
	    "the server's first data (its version string)",
	    "?",
	    "?"};

	if (d->outcome == FW_OUT_DROP)
		return buf_addf(b, "drops %s", what[pkt]);
	return buf_addf(b, "rejects %s with %s", what[pkt],
	                fw_reject_name((enum fw_reject)d->reject));
}

/* What the client prints (OpenSSH 9.x wording; the short strerror for connect errors). */
static int client_text(struct finding *f, const struct fw_question *q, enum fw_sees sees)
{
	char server[64], text[192];

	if (sees != FW_SEES_HANG)
		return finding_set_client_sees(f, fw_sees_text(sees));
	if (q->server.family)
		ip_addr_format(&q->server, server, sizeof(server));
	else
		strcpy(server, "HOST");
	snprintf(text, sizeof(text),
	         "Connection to %s port %u timed out (with ConnectTimeout; without it the login "
	         "hangs)",
	         server, q->port);
	return finding_set_client_sees(f, text);
}

/* Evidence: every frame of the path, the set element, the owner, what is uncertain. */
static int add_evidence(struct finding *f, const struct fw_ruleset *rs, const struct fw_decision *d,
                        const struct fw_owner *o, struct buf *b)
{
	const struct fw_frame *fr;
	const struct fw_set *s;
	unsigned i;
	int r;

	for (i = 0; i < d->npath; i++) {
		fr = &d->path[i];
		buf_reset(b);
		if ((r = fw_render_place(rs, fr, b)) || (r = buf_adds(b, ": ")) ||
		    (r = fw_render_frame_text(rs, fr, b)) ||
		    (r = finding_add_evidence(f, fw_frame_origin(rs, fr), fw_frame_line(rs, fr),
		                              b->data)))
			return r;
	}
	if (d->set != FW_NONE) {
		s = &rs->sets[d->set];
		buf_reset(b);
		if ((r = fw_render_elem(rs, d->set, d->elem, b)) ||
		    (r = finding_add_evidence(
		         f, rs->sources[s->source].origin,
		         rs->sources[s->source].live ? 0 : s->elems[d->elem].line, b->data)))
			return r;
	}
	fr = fw_decisive(d);
	if (o->kind != FW_OWNER_NONE && fr) {
		buf_reset(b);
		if ((r = buf_addf(
		         b, "owner: %s%s%s (%s)", fw_owner_name(o->kind),
		         o->detail[0] ? (o->kind == FW_OWNER_FIREWALLD ? " zone " : " jail ") : "",
		         o->detail, o->via)) ||
		    (r = finding_add_evidence(f, fw_frame_origin(rs, fr), 0, b->data)))
			return r;
	}
	if (d->tie_chain != FW_NONE && fr) {
		const struct fw_chain *tc = &rs->chains[d->tie_chain];

		buf_reset(b);
		if ((r = buf_addf(
		         b,
		         "chain %s has the same priority (%d); the kernel may run it first "
		         "and answer differently",
		         tc->name, tc->prio)) ||
		    (r = finding_add_evidence(f, rs->sources[rs->tables[tc->table].source].origin,
		                              0, b->data)))
			return r;
	}
	for (i = 0; i < d->nunc; i++) {
		struct fw_frame uf = {rs->rules[d->unc[i].rule].chain, d->unc[i].rule};

		buf_reset(b);
		if ((r = buf_addf(b, "%s in ", fw_tern_text((enum fw_tern)d->unc[i].tern))) ||
		    (r = fw_render_place(rs, &uf, b)) || (r = buf_adds(b, ": ")) ||
		    (r = fw_render_rule(rs, uf.rule, b)) ||
		    (r = finding_add_evidence(f, fw_frame_origin(rs, &uf), fw_frame_line(rs, &uf),
		                              b->data)))
			return r;
	}
	return SD_OK;
}

/*
 * One blocked answer as a finding.  `lead` prefixes the summary (a condition such as
 * "once that is fixed: "), `tail` follows it.
 */
static int block_finding(struct diagnosis *dg, const struct fw_ruleset *rs,
                         const struct fw_question *q, const struct fw_answer *a, enum severity sev,
                         const char *lead, const char *tail)
{
	const struct fw_decision *d = &a->pkt[a->blocked];
	const struct fw_frame *fr = fw_decisive(d);
	struct fw_owner o;
	struct finding *f;
	char client[64];
	struct buf b;
	int r;

	if (!fr)
		return SD_OK;
	fw_owner_of(rs, d, &o);
	ip_addr_format(&q->client, client, sizeof(client));
	if ((f = diagnosis_add_finding(dg, LAYER_FIREWALL, cause_of(a), sev)) == NULL)
		return SD_ERR_ALLOC;
	buf_init(&b, NOTE_MAX);
	if ((r = buf_adds(&b, lead)) ||
	    (r = fw_render_table(rs, rs->chains[fr->chain].table, &b)) || (r = buf_adds(&b, " ")) ||
	    (r = fw_render_path(rs, d, &b)) || (r = buf_adds(&b, " ")) ||
	    (r = verb(&b, d, (enum fw_pkt)a->blocked)) ||
	    (r = a->blocked == FW_PKT_SYNACK || a->blocked == FW_PKT_BANNER
	             ? buf_addf(&b, " to %s (port %u)", client, q->port)
	             : buf_addf(&b, " from %s to port %u", client, q->port)))
		goto out;
	if (o.kind != FW_OWNER_NONE &&
	    (r = buf_addf(&b, " (%s%s%s)", fw_owner_name(o.kind),
	                  o.detail[0] ? (o.kind == FW_OWNER_FIREWALLD ? " zone " : " jail ") : "",
	                  o.detail)))
		goto out;
	if (a->reply_lost && (r = buf_adds(&b, "; its reply is dropped on the way out")))
		goto out;
	if ((r = buf_adds(&b, tail)) || (r = finding_set_summary(f, "%s", b.data)) ||
	    (r = client_text(f, q, (enum fw_sees)a->sees)) || (r = add_evidence(f, rs, d, &o, &b)))
		goto out;
	if (a->reply_lost) {
		const struct fw_frame *rf = fw_decisive(&a->pkt[FW_PKT_REPLY]);

		buf_reset(&b);
		if (rf && ((r = buf_adds(&b, "the REJECT's reply is dropped by ")) ||
		           (r = fw_render_place(rs, rf, &b)) || (r = buf_adds(&b, ": ")) ||
		           (r = fw_render_frame_text(rs, rf, &b)) ||
		           (r = finding_add_evidence(f, fw_frame_origin(rs, rf),
		                                     fw_frame_line(rs, rf), b.data))))
			goto out;
	}
	if (a->pkt[FW_PKT_SYN].redirected) {
		struct fw_frame nf = {rs->rules[a->pkt[FW_PKT_SYN].redirect_rule].chain,
		                      a->pkt[FW_PKT_SYN].redirect_rule};
		char to[64];

		buf_reset(&b);
		if (a->pkt[FW_PKT_SYN].nat_dst_known)
			fw_format_addr(a->pkt[FW_PKT_SYN].nat_dst, q->client.family, to,
			               sizeof(to));
		else
			strcpy(to, "the interface's first address");
		if ((r = buf_addf(&b, "the connection was redirected to %s by ", to)) ||
		    (r = fw_render_place(rs, &nf, &b)) || (r = buf_adds(&b, ": ")) ||
		    (r = fw_render_frame_text(rs, &nf, &b)) ||
		    (r = finding_add_evidence(f, fw_frame_origin(rs, &nf), fw_frame_line(rs, &nf),
		                              b.data)))
			goto out;
	}
	if (a->evaluated[FW_PKT_RESYN] && a->pkt[FW_PKT_RESYN].outcome == FW_OUT_REJECT) {
		const struct fw_frame *rf = fw_decisive(&a->pkt[FW_PKT_RESYN]);

		buf_reset(&b);
		if (rf &&
		    ((r = buf_adds(&b, "conntrack saw the SYN-ACK, so the client's retried SYN is "
		                       "established, and is rejected by ")) ||
		     (r = fw_render_place(rs, rf, &b)) || (r = buf_adds(&b, ": ")) ||
		     (r = fw_render_frame_text(rs, rf, &b)) ||
		     (r = finding_add_evidence(f, fw_frame_origin(rs, rf), fw_frame_line(rs, rf),
		                               b.data))))
			goto out;
	}
	r = fw_fix_add(f, rs, d, (enum fw_pkt)a->blocked, q, &o);
out:
	buf_release(&b);
	return r;
}

/* What the flipped rule means, for a summary: "depends on rate: if … goes the other way, ". */
static int alt_lead(const struct fw_ruleset *rs, const struct fw_alt *alt, struct buf *b)
{
	struct fw_frame uf = {rs->rules[alt->rule].chain, alt->rule};
	int r;

	if ((r = buf_addf(b, "%s in ", fw_tern_text((enum fw_tern)alt->tern))) ||
	    (r = fw_render_place(rs, &uf, b)))
		return r;
	return buf_adds(b, alt->tern == FW_TERN_RATE || alt->tern == FW_TERN_STATE
	                       ? "; when it goes the other way: "
	                       : " — verdict uncertain; if it goes the other way: ");
}

static int evaluate_client(const struct fw_ruleset *rs, const struct fw_question *q,
                           struct diagnosis *dg, struct buf *note)
{
	struct fw_answer a, nx;
	struct fw_assume as;
	const struct fw_frame *fr;
	struct buf lead;
	enum severity sev;
	uint32_t i;
	int r = SD_OK;

	fw_answer(rs, q, &a);
	buf_init(&lead, NOTE_MAX);
	if (a.blocked != FW_PKT__COUNT) {
		sev = a.certainty == FW_CERTAIN ? SEVERITY_BLOCKER : SEVERITY_RISK;
		buf_reset(&lead);
		if (a.certainty == FW_RATE_DEPENDENT)
			r = buf_adds(&lead, " unless a rate limit goes the other way");
		else if (a.certainty == FW_UNCERTAIN)
			r = buf_adds(&lead, " — verdict uncertain (see the uncertain rules)");
		for (i = 0; r == SD_OK && a.sees_varies && i < a.nalt; i++)
			if (a.alt[i].sees != a.sees && a.alt[i].pkt != FW_PKT__COUNT)
				r = buf_addf(&lead, "; the client may also see \"%s\"",
				             fw_sees_text((enum fw_sees)a.alt[i].sees));
		if (r || (r = block_finding(dg, rs, q, &a, sev, "", lead.data)))
			goto out;
		/* what would still stop the client once this is fixed */
		memset(&as, 0, sizeof(as));
		fr = fw_answer_decisive(&a);
		for (i = 0; i < FW_MAX_NEXT_BLOCKERS && fr && fr->rule != FW_NONE; i++) {
			as.off[as.noff++] = fr->rule;
			fw_answer_assume(rs, q, &as, &nx);
			if (nx.blocked == FW_PKT__COUNT)
				break;
			if ((r = block_finding(dg, rs, q, &nx,
			                       sev == SEVERITY_BLOCKER && !nx.pkt[nx.blocked].nunc
			                           ? SEVERITY_BLOCKER
			                           : SEVERITY_RISK,
			                       "once that is fixed: ", "")))
				goto out;
			fr = fw_answer_decisive(&nx);
		}
	}
	/* rules that would block if they went the other way */
	for (i = 0; i < a.nalt && a.blocked == FW_PKT__COUNT; i++) {
		if (a.alt[i].pkt == FW_PKT__COUNT)
			continue;
		memset(&as, 0, sizeof(as));
		as.flip[as.nflip++] = a.alt[i].rule;
		fw_answer_assume(rs, q, &as, &nx);
		if (nx.blocked == FW_PKT__COUNT)
			continue;
		buf_reset(&lead);
		if ((r = alt_lead(rs, &a.alt[i], &lead)) ||
		    (r = block_finding(dg, rs, q, &nx, SEVERITY_RISK, lead.data, "")))
			goto out;
	}
	r = buf_addf(note, "; port %u from %s: %s%s", q->port, dg->client ? dg->client : "?",
	             a.blocked == FW_PKT__COUNT ? "accepted" : fw_sees_name((enum fw_sees)a.sees),
	             a.certainty == FW_CERTAIN          ? ""
	             : a.certainty == FW_RATE_DEPENDENT ? " (depends on rate)"
	                                                : " (uncertain)");
out:
	buf_release(&lead);
	return r;
}

/* ---- no client: who is blocked ---- */

struct group {
	uint32_t chain, set;
	uint8_t sees;
	size_t count;
	struct finding *f;
	char jail[64]; /* the fail2ban jail that owns the chain or set, "" when none */
};

static int list_group_finding(struct diagnosis *dg, const struct fw_ruleset *rs,
                              const struct fw_question *q, struct group *g,
                              const struct fw_listed *e, struct buf *b)
{
	const struct fw_chain *c = &rs->chains[g->chain];
	struct fw_owner o;
	int r;

	memset(&o, 0, sizeof(o));
	if (g->set != FW_NONE && rs->sets[g->set].origin != FW_SO_ANON)
		fw_owner_of_name(rs, rs->sets[g->set].table, rs->sets[g->set].name, 1, &o);
	if (o.kind == FW_OWNER_NONE)
		fw_owner_of_name(rs, c->table, c->name, 0, &o);
	if ((g->f = diagnosis_add_finding(dg, LAYER_FIREWALL,
	                                  e->sees == FW_SEES_TIMEOUT || e->sees == FW_SEES_HANG
	                                      ? CAUSE_FIREWALL_DROP
	                                  : e->sees == FW_SEES_RESET ? CAUSE_FIREWALL_RESET
	                                                             : CAUSE_FIREWALL_REJECT,
	                                  SEVERITY_INFO)) == NULL)
		return SD_ERR_ALLOC;
	if ((r = finding_set_client_sees(g->f, fw_sees_text((enum fw_sees)e->sees))))
		return r;
	if (o.kind == FW_OWNER_FAIL2BAN && o.detail[0])
		snprintf(g->jail, sizeof(g->jail), "%s", o.detail);
	if (o.kind == FW_OWNER_FAIL2BAN && o.detail[0])
		return finding_add_fix(g->f, "fail2ban-client set %s unbanip ADDR", o.detail);
	(void)q;
	(void)b;
	return SD_OK;
}

/* One row of the no-client table: the address, the chain (and set) and rule, the fix. */
static int add_list_row(struct diagnosis *dg, const struct fw_ruleset *rs, const struct group *g,
                        const struct fw_listed *e, const char *addr, struct buf *b)
{
	char fix[160];
	int r;

	buf_reset(b);
	if ((r = fw_render_table(rs, rs->chains[g->chain].table, b)) ||
	    (r = buf_addf(b, " chain %s", rs->chains[g->chain].name)) ||
	    (g->set != FW_NONE && rs->sets[g->set].origin != FW_SO_ANON &&
	     (r = buf_addf(b, " (set %s)", rs->sets[g->set].name))) ||
	    (r = buf_addf(b, ": %s", fw_sees_text((enum fw_sees)e->sees))) ||
	    (g->jail[0] && (r = buf_addf(b, " (fail2ban jail %s)", g->jail))))
		return r;
	snprintf(fix, sizeof(fix), "fail2ban-client set %s unbanip %s", g->jail, addr);
	return diagnosis_add_blocked(
	    dg, LAYER_FIREWALL,
	    e->sees == FW_SEES_TIMEOUT || e->sees == FW_SEES_HANG ? CAUSE_FIREWALL_DROP
	    : e->sees == FW_SEES_RESET                            ? CAUSE_FIREWALL_RESET
	                                                          : CAUSE_FIREWALL_REJECT,
	    SEVERITY_BLOCKER, addr, b->data, NULL, fw_frame_origin(rs, &e->decisive),
	    fw_frame_line(rs, &e->decisive), g->jail[0] ? fix : NULL);
}

static int evaluate_list(const struct fw_ruleset *rs, const struct fw_question *tmpl,
                         struct diagnosis *dg, struct buf *note)
{
	struct fw_listing l;
	struct group *groups = NULL, *g, *ng;
	size_t i, k, ngroups = 0, unlisted = 0;
	char addr[64];
	struct buf b;
	int r;

	if ((r = fw_list_blocked(rs, tmpl, &l)) != 0)
		return r;
	buf_init(&b, NOTE_MAX);
	for (i = 0; i < l.nblocked; i++) {
		const struct fw_listed *e = &l.blocked[i];

		if (e->other)
			continue;
		for (k = 0; k < ngroups; k++)
			if (groups[k].chain == e->decisive.chain && groups[k].set == e->set &&
			    groups[k].sees == e->sees)
				break;
		if (k == ngroups && ngroups == FW_MAX_LIST_FINDINGS) {
			unlisted++;
			continue;
		}
		if (k == ngroups) {
			if ((ng = realloc(groups, (ngroups + 1) * sizeof(*ng))) == NULL) {
				r = SD_ERR_ALLOC;
				goto out;
			}
			groups = ng;
			g = &groups[ngroups++];
			memset(g, 0, sizeof(*g));
			g->chain = e->decisive.chain;
			g->set = e->set;
			g->sees = e->sees;
			if ((r = list_group_finding(dg, rs, tmpl, g, e, &b)))
				goto out;
		}
		g = &groups[k];
		g->count++;
		ip_addr_format(&e->addr, addr, sizeof(addr));
		if ((r = add_list_row(dg, rs, g, e, addr, &b)))
			goto out;
		if (g->count > FW_MAX_LIST_EVIDENCE)
			continue;
		buf_reset(&b);
		if ((r = buf_addf(&b, "%s: ", addr)) ||
		    (r = e->set != FW_NONE ? fw_render_elem(rs, e->set, e->elem, &b)
		                           : fw_render_frame_text(rs, &e->decisive, &b)) ||
		    (r = finding_add_evidence(g->f, fw_frame_origin(rs, &e->decisive),
		                              fw_frame_line(rs, &e->decisive), b.data)))
			goto out;
	}
	for (k = 0; k < ngroups; k++) {
		g = &groups[k];
		buf_reset(&b);
		if ((r = buf_addf(&b, "%zu address%s blocked on port %u by ", g->count,
		                  g->count == 1 ? " is" : "es are", tmpl->port)) ||
		    (r = fw_render_table(rs, rs->chains[g->chain].table, &b)) ||
		    (r = buf_addf(&b, " chain %s", rs->chains[g->chain].name)) ||
		    (g->set != FW_NONE && rs->sets[g->set].origin != FW_SO_ANON &&
		     (r = buf_addf(&b, " (set %s)", rs->sets[g->set].name))) ||
		    (g->count > FW_MAX_LIST_EVIDENCE &&
		     (r = buf_addf(&b, "; the first %u are listed", FW_MAX_LIST_EVIDENCE))) ||
		    (r = finding_set_summary(g->f, "%s", b.data)))
			goto out;
	}
	for (k = 0; k < 2; k++) {
		struct fw_question q = *tmpl;
		struct fw_answer a;
		struct finding *f;

		if (!l.other_blocked[k])
			continue;
		q.client = l.other[k];
		if (q.server.family && q.server.family != q.client.family)
			memset(&q.server, 0, sizeof(q.server));
		fw_answer(rs, &q, &a);
		if (a.blocked == FW_PKT__COUNT)
			continue;
		ip_addr_format(&q.client, addr, sizeof(addr));
		f = diagnosis_add_finding(dg, LAYER_FIREWALL, cause_of(&a),
		                          l.naccepted == 0 && a.certainty == FW_CERTAIN
		                              ? SEVERITY_BLOCKER
		                              : SEVERITY_INFO);
		if (!f) {
			r = SD_ERR_ALLOC;
			goto out;
		}
		buf_reset(&b);
		if ((r = buf_addf(
		         &b,
		         "IPv%d clients the rules do not name (tried %s) are blocked on port "
		         "%u by ",
		         k ? 6 : 4, addr, tmpl->port)) ||
		    (r = fw_render_place(rs, fw_answer_decisive(&a), &b)) ||
		    (l.naccepted && (r = buf_addf(&b, "; %zu listed address%s allowed", l.naccepted,
		                                  l.naccepted == 1 ? " is" : "es are"))) ||
		    (r = finding_set_summary(f, "%s", b.data)) ||
		    (r = finding_set_client_sees(f, fw_sees_text((enum fw_sees)a.sees))) ||
		    (r = add_evidence(f, rs, &a.pkt[a.blocked],
		                      &(struct fw_owner){FW_OWNER_NONE, "", ""}, &b)) ||
		    (r = finding_add_fix(
		         f, "name the client (--client ADDR) for the exact command that "
		            "lets it in")))
			goto out;
		buf_reset(&b);
		if ((r = buf_addf(&b, "every other IPv%d client", k ? 6 : 4)) ||
		    (r = diagnosis_add_blocked(dg, LAYER_FIREWALL, f->cause, f->severity, b.data,
		                               f->summary, NULL,
		                               fw_frame_origin(rs, fw_answer_decisive(&a)),
		                               fw_frame_line(rs, fw_answer_decisive(&a)), NULL)))
			goto out;
	}
	r = buf_addf(note, "; no client given: %zu source addresses tried, %zu blocked%s%s",
	             l.ncandidates, l.nblocked,
	             l.ntruncated ? " (more were not tried: limit reached)" : "",
	             unlisted ? " (some blocking chains not listed: limit reached)" : "");
out:
	free(groups);
	buf_release(&b);
	fw_listing_release(&l);
	return r;
}

/* Did an input that holds rules for this family get read?  (nft's inet tables hold both.) */
static int family_covered(const struct fw_ruleset *rs, int family)
{
	uint32_t i;
	uint8_t k;

	for (i = 0; i < rs->nsources; i++) {
		k = rs->sources[i].kind;
		if (k == FW_IN_NFT_JSON ||
		    (family == 4 && (k == FW_IN_IPTABLES || k == FW_IN_IPTABLES_LEGACY)) ||
		    (family == 6 && (k == FW_IN_IP6TABLES || k == FW_IN_IP6TABLES_LEGACY)))
			return 1;
	}
	return 0;
}

static int count_rules(const struct fw_ruleset *rs, struct buf *note)
{
	uint32_t i, tables = 0, rules = 0, elems = 0, copies = 0;
	int r;

	for (i = 0; i < rs->ntables; i++) {
		tables += !rs->tables[i].skip;
		copies += rs->tables[i].skip == FW_SKIP_COPY;
	}
	for (i = 0; i < rs->nchains; i++)
		if (!rs->tables[rs->chains[i].table].skip)
			rules += rs->chains[i].nrules;
	for (i = 0; i < rs->nsets; i++)
		elems += rs->sets[i].nelems;
	if ((r = buf_addf(note, "%u rule%s in %u table%s, %u set element%s", rules,
	                  rules == 1 ? "" : "s", tables, tables == 1 ? "" : "s", elems,
	                  elems == 1 ? "" : "s")))
		return r;
	if (copies)
		return buf_addf(note, " (%u table%s nft also shows read from iptables-nft-save)",
		                copies, copies == 1 ? "" : "s");
	return SD_OK;
}

/* Did every input that could not be read fail for want of privilege? */
static int all_denied(const struct firewall_inputs *in)
{
	static const char *const denied[] = {"ermission denied", "not permitted", "must be root"};
	size_t i, k;

	for (i = 0; i < in->n; i++) {
		const struct firewall_input *x = &in->in[i];

		if (x->state != FW_INPUT_UNREADABLE && x->state != FW_INPUT_FAILED)
			continue;
		for (k = 0; k < sizeof(denied) / sizeof(denied[0]); k++)
			if (x->why && strstr(x->why, denied[k]))
				break;
		if (k == sizeof(denied) / sizeof(denied[0]))
			return 0;
	}
	return 1;
}

int firewall_layer_evaluate(const struct firewall_inputs *in, const struct conn_spec *c,
                            struct diagnosis *d)
{
	struct fw_ruleset rs;
	struct fw_question q;
	struct buf note, failed_why, missing;
	unsigned failed = 0, present = 0, unreadable = 0;
	size_t i, before;
	int r, blocked = 0;

	fw_ruleset_init(&rs);
	buf_init(&note, NOTE_MAX);
	buf_init(&failed_why, NOTE_MAX);
	buf_init(&missing, NOTE_MAX);
	for (i = 0; i < in->n; i++) {
		const struct firewall_input *x = &in->in[i];

		if (x->state == FW_INPUT_PRESENT) {
			present++;
		} else if (x->state == FW_INPUT_UNREADABLE || x->state == FW_INPUT_FAILED) {
			unreadable++;
			if ((r = buf_addf(&missing, "%s%s (%s)", missing.len ? "; " : "", x->origin,
			                  x->why ? x->why : "unreadable")))
				goto out;
		}
	}
	if (unreadable && all_denied(in)) {
		/* not root: one reason for all, not six copies of the tools' complaints */
		buf_reset(&missing);
		for (i = 0; i < in->n && !r; i++)
			if (in->in[i].state == FW_INPUT_UNREADABLE ||
			    in->in[i].state == FW_INPUT_FAILED)
				r = buf_addf(&missing, "%s%s", missing.len ? ", " : "",
				             in->in[i].origin);
		if (r || (r = buf_adds(&missing, ": permission denied")))
			goto out;
	}
	if ((r = firewall_build(in, &rs, &failed, &failed_why)) != 0)
		goto out;
	if (present == failed) {
		/* nothing could be read */
		r = diagnosis_set_layer(
		    d, LAYER_FIREWALL, LAYER_UNREADABLE, "%s%s%s%s%s",
		    missing.len ? missing.data : (failed ? "" : "no ruleset found"),
		    failed_why.len ? (missing.len ? "; " : "") : "", failed_why.data,
		    in->remedy ? "; " : "", in->remedy ? in->remedy : "");
		goto out;
	}
	if ((r = count_rules(&rs, &note)))
		goto out;
	memset(&q, 0, sizeof(q));
	q.server = c->server;
	q.port = c->port ? c->port : 22;
	q.iif = in->iif;
	if (in->iif_addr)
		(void)ip_addr_parse(in->iif_addr, &q.iif_addr);
	before = d->nfindings;
	if (c->client.family) {
		q.client = c->client;
		if (q.server.family != q.client.family)
			memset(&q.server, 0, sizeof(q.server));
		r = evaluate_client(&rs, &q, d, &note);
	} else {
		r = evaluate_list(&rs, &q, d, &note);
	}
	if (r)
		goto out;
	for (i = before; i < d->nfindings; i++)
		if (d->findings[i]->severity == SEVERITY_BLOCKER)
			blocked = 1;
	if (rs.nnotes + rs.notes_dropped &&
	    (r = buf_addf(
	         &note, "; %u line%s not fully read (first: %s:%u: %s)",
	         rs.nnotes + rs.notes_dropped, rs.nnotes + rs.notes_dropped == 1 ? "" : "s",
	         rs.sources[rs.notes[0].source].origin, rs.notes[0].line, rs.notes[0].text)))
		goto out;
	if (in->note && (r = buf_addf(&note, "; %s", in->note)))
		goto out;
	if (c->client.family && !family_covered(&rs, c->client.family) && !blocked) {
		/* an IPv6 client and only iptables-save (or the reverse): we saw none of its rules
		 */
		if ((r = buf_addf(&missing, "%sno %s ruleset (%s, nft -j list ruleset)",
		                  missing.len ? "; " : "", c->client.family == 6 ? "IPv6" : "IPv4",
		                  c->client.family == 6 ? "ip6tables-save" : "iptables-save")))
			goto out;
		unreadable++;
	}
	if ((unreadable || failed) && !blocked) {
		r = diagnosis_set_layer(d, LAYER_FIREWALL, LAYER_UNREADABLE, "%s%s%s; read: %s%s%s",
		                        missing.data, missing.len && failed_why.len ? "; " : "",
		                        failed_why.data, note.data, in->remedy ? "; " : "",
		                        in->remedy ? in->remedy : "");
		goto out;
	}
	r = diagnosis_set_layer(d, LAYER_FIREWALL, LAYER_EVALUATED, "%s%s%s", note.data,
	                        unreadable || failed ? "; not read: " : "",
	                        unreadable || failed ? missing.data : "");
out:
	buf_release(&note);
	buf_release(&failed_why);
	buf_release(&missing);
	fw_ruleset_release(&rs);
	return r;
}
