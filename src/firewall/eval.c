#include "firewall/eval.h"

#include <string.h>

#include "firewall/link.h"

struct ev {
	const struct fw_ruleset *rs;
	const struct fw_assume *as;
	struct fw_packet pk; /* marks and notrack change it as rules run */
	struct fw_decision *d;
	uint64_t steps;
	uint32_t hit_set, hit_elem; /* the set element the current rule matched */
};

enum run_result { RUN_ACCEPT, RUN_BLOCK, RUN_BUDGET };

static int listed(const uint32_t *v, uint32_t n, uint32_t rule)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (v[i] == rule)
			return 1;
	return 0;
}

/* How strongly an uncertainty weighs: unmodelled beats missing context beats rate. */
static int tern_rank(uint8_t t)
{
	switch (t) {
	case FW_TERN_UNMODELLED:
	case FW_TERN_TARGET:
		return 3;
	case FW_TERN_CONTEXT:
	case FW_TERN_SET:
		return 2;
	default:
		return 1;
	}
}

static void record_unc(struct ev *e, uint32_t rule, uint8_t tern)
{
	struct fw_decision *d = e->d;
	uint32_t i;

	for (i = 0; i < d->nunc; i++) {
		if (d->unc[i].rule == rule) {
			if (tern_rank(tern) > tern_rank(d->unc[i].tern))
				d->unc[i].tern = tern;
			return;
		}
	}
	d->nunc_total++;
	if (d->nunc < FW_MAX_UNCERTAIN) {
		d->unc[d->nunc].rule = rule;
		d->unc[d->nunc].tern = tern;
		d->nunc++;
	}
}

static struct fw_val field_value(const struct fw_packet *p, uint8_t field)
{
	switch (field) {
	case FWF_SADDR:
		return p->src;
	case FWF_DADDR:
		return p->dst;
	case FWF_SPORT:
		return fw_val_u64(p->sport);
	case FWF_DPORT:
		return fw_val_u64(p->dport);
	case FWF_L4PROTO:
		return fw_val_u64(p->proto);
	case FWF_TCPFLAGS:
		return fw_val_u64(p->tcpflags);
	case FWF_CTSTATE:
		return fw_val_u64(p->ctstate);
	case FWF_CTDIR:
		return fw_val_u64(p->ctdir);
	case FWF_NFPROTO:
		return fw_val_u64(p->family);
	case FWF_MARK:
		return fw_val_u64(p->mark);
	case FWF_SRCTYPE:
		return fw_val_u64(p->srctype);
	case FWF_DSTTYPE:
		return fw_val_u64(p->dsttype);
	case FWF_PKTTYPE:
		return fw_val_u64(FW_PT_HOST);
	case FWF_LENGTH:
		return fw_val_u64(p->len);
	default:
		return fw_val_u64(0);
	}
}

static int in_range(struct fw_val v, const struct fw_cond *c)
{
	return fw_val_cmp(c->a, v) <= 0 && fw_val_cmp(v, c->b) <= 0;
}

/* 127.0.0.0/8 or ::1: a server address a remote client reaches is never one of these. */
static int within_loopback(const struct fw_cond *c)
{
	if (c->fam == 4)
		return (c->a.lo >> 24) == 127 && (c->b.lo >> 24) == 127;
	return c->fam == 6 && c->a.hi == 0 && c->a.lo == 1 && c->b.hi == 0 && c->b.lo == 1;
}

static int set_member(struct ev *e, const struct fw_cond *c, uint8_t field, int *unknown)
{
	const struct fw_set *s = &e->rs->sets[c->aux];
	const char *ifn = NULL;
	enum fw_member m;
	uint32_t hs = FW_NONE, he = FW_NONE;

	if (s->key == FW_SK_PORT && field == FWF_SADDR)
		field = FWF_SPORT; /* ipset bitmap:port with "src" */
	else if (s->key == FW_SK_PORT && field == FWF_DADDR)
		field = FWF_DPORT;
	if (field == FWF_IIF || field == FWF_OIF) {
		ifn = field == FWF_IIF ? e->pk.iif : e->pk.oif;
		if (!ifn[0]) {
			*unknown = FW_TERN_CONTEXT;
			return 0;
		}
	}
	if (field == FWF_PORT_ANY) {
		m = fw_set_lookup(e->rs, c->aux, fw_val_u64(e->pk.sport), 0, NULL, &hs, &he);
		if (m == FW_MEMBER_NO)
			m = fw_set_lookup(e->rs, c->aux, fw_val_u64(e->pk.dport), 0, NULL, &hs,
			                  &he);
	} else {
		m = fw_set_lookup(e->rs, c->aux, field_value(&e->pk, field),
		                  field == FWF_SADDR || field == FWF_DADDR ? e->pk.family : 0, ifn,
		                  &hs, &he);
	}
	if (m == FW_MEMBER_UNKNOWN) {
		*unknown = FW_TERN_SET;
		return 0;
	}
	if (m == FW_MEMBER_YES && !c->neg) {
		e->hit_set = hs;
		e->hit_elem = he;
	}
	return m == FW_MEMBER_YES;
}

/* An address the question did not give (the server's, when unknown). */
static int addr_unknown(const struct fw_packet *p, uint8_t field)
{
	return (field == FWF_DADDR && !p->dst_known) || (field == FWF_SADDR && !p->src_known);
}

/*
 * The value of one condition for the current packet, after negation.  *tern is set when it
 * cannot be decided; the value returned is then the likely one.
 */
static int cond_value(struct ev *e, const struct fw_cond *c, uint8_t *tern)
{
	const struct fw_packet *p = &e->pk;
	struct fw_val v;
	const char *ifn;
	int r, unknown = 0;

	if ((c->fam && c->fam != p->family) || (c->l4 && c->l4 != p->proto))
		return 0; /* nft's implicit dependency: `ip saddr` never matches IPv6 */
	switch (c->kind) {
	case FWC_CONST:
		return (int)c->a.lo;
	case FWC_TERNARY:
		*tern = c->tern;
		return c->likely;
	case FWC_IFNAME:
		ifn = c->field == FWF_IIF ? p->iif : p->oif;
		if (!ifn[0]) {
			/* unknown interface, but never loopback for a remote client */
			if (!c->a.lo && strcmp(e->rs->strs[c->aux], "lo") == 0) {
				r = 0;
				break;
			}
			*tern = FW_TERN_CONTEXT;
			return 0;
		}
		r = fw_ifname_match(e->rs->strs[c->aux], (int)c->a.lo, ifn);
		break;
	case FWC_RANGE:
		if (addr_unknown(p, c->field)) {
			if (within_loopback(c)) {
				r = 0;
				break;
			}
			*tern = FW_TERN_CONTEXT;
			return 0;
		}
		if (c->field == FWF_PORT_ANY)
			r = in_range(fw_val_u64(p->sport), c) || in_range(fw_val_u64(p->dport), c);
		else
			r = in_range(field_value(p, c->field), c);
		break;
	case FWC_MASKED:
		if (addr_unknown(p, c->field)) {
			*tern = FW_TERN_CONTEXT;
			return 0;
		}
		v = fw_val_and(field_value(p, c->field), c->b);
		r = fw_val_eq(v, c->a);
		break;
	case FWC_ANYBIT:
		v = fw_val_and(field_value(p, c->field), c->a);
		r = v.lo != 0 || v.hi != 0;
		break;
	case FWC_SET:
		if (addr_unknown(p, c->field)) {
			*tern = FW_TERN_CONTEXT;
			return 0;
		}
		r = set_member(e, c, c->field, &unknown);
		if (unknown) {
			*tern = (uint8_t)unknown;
			return 0;
		}
		break;
	default:
		*tern = FW_TERN_UNMODELLED;
		return 0;
	}
	return r ^ c->neg;
}

static int rule_matches(struct ev *e, uint32_t ri)
{
	const struct fw_rule *r = &e->rs->rules[ri];
	const struct fw_cond *c;
	uint8_t tern, kind = 0;
	int v, likely = 1, other = 1, seen = 0;
	uint32_t i;

	if (e->as && listed(e->as->off, e->as->noff, ri))
		return 0;
	e->hit_set = e->hit_elem = FW_NONE;
	for (i = 0; i < r->ncond; i++) {
		c = &e->rs->conds[r->cond + i];
		tern = 0;
		v = cond_value(e, c, &tern);
		if (!tern) {
			if (!v)
				return 0;
			continue;
		}
		seen = 1;
		likely &= v;
		other &= !v;
		if (!kind || tern_rank(tern) > tern_rank(kind))
			kind = tern;
	}
	if (!seen)
		return 1;
	record_unc(e, ri, kind);
	return e->as && listed(e->as->flip, e->as->nflip, ri) ? other : likely;
}

static void block(struct ev *e, const struct fw_frame *path, uint32_t npath, uint32_t chain,
                  uint32_t rule, uint8_t outcome, uint8_t reject)
{
	struct fw_decision *d = e->d;

	if (npath)
		memcpy(d->path, path, npath * sizeof(*path));
	d->path[npath].chain = chain;
	d->path[npath].rule = rule;
	d->npath = (uint8_t)(npath + 1);
	d->outcome = outcome;
	d->reject = reject;
	d->set = rule == FW_NONE ? FW_NONE : e->hit_set;
	d->elem = rule == FW_NONE ? FW_NONE : e->hit_elem;
}

/* Looks the packet up in a verdict map; NULL when no element matches. */
static const struct fw_mapverdict *vmap_lookup(struct ev *e, const struct fw_rule *r)
{
	struct fw_cond c;
	int unknown = 0;

	memset(&c, 0, sizeof(c));
	c.kind = FWC_SET;
	c.field = (uint8_t)r->arg1;
	c.fam = (uint8_t)r->arg2;
	c.l4 = r->vmap_l4;
	c.aux = r->target;
	e->hit_set = e->hit_elem = FW_NONE;
	if ((c.fam && c.fam != e->pk.family) || (c.l4 && c.l4 != e->pk.proto))
		return NULL;
	if (!set_member(e, &c, c.field, &unknown) || unknown || e->hit_elem == FW_NONE) {
		if (unknown)
			record_unc(e, (uint32_t)(r - e->rs->rules), (uint8_t)unknown);
		return NULL;
	}
	return &e->rs->verdicts[e->rs->sets[e->hit_set].elems[e->hit_elem].data];
}

struct frame {
	uint32_t chain, pos, npath;
};

/* Runs one base chain; RUN_BLOCK fills the decision. */
static enum run_result run_base(struct ev *e, uint32_t base)
{
	const struct fw_ruleset *rs = e->rs;
	struct frame frames[FW_MAX_DEPTH];
	struct fw_frame path[FW_MAX_DEPTH];
	const struct fw_mapverdict *mv;
	const struct fw_chain *c;
	const struct fw_rule *r;
	const struct fw_run *run;
	uint32_t depth = 0, npath = 0, chain = base, pos = 0, ri, next;
	uint8_t verdict;

	for (;;) {
		if (++e->steps > FW_MAX_STEPS)
			return RUN_BUDGET;
		c = &rs->chains[chain];
		if (pos >= c->nrules) {
		ret:
			if (depth == 0) {
				if (rs->chains[base].policy == FW_V_DROP) {
					block(e, NULL, 0, base, FW_NONE, FW_OUT_DROP, 0);
					return RUN_BLOCK;
				}
				return RUN_ACCEPT;
			}
			depth--;
			chain = frames[depth].chain;
			pos = frames[depth].pos;
			npath = frames[depth].npath;
			continue;
		}
		if (c->nruns && e->pk.src_known && (run = fw_run_at(c, pos)) != NULL) {
			next = fw_run_next(rs, c, run, pos, e->pk.src, e->pk.family);
			if (next != pos) {
				pos = next;
				continue;
			}
		}
		ri = c->rules[pos];
		if (!rule_matches(e, ri)) {
			pos++;
			continue;
		}
		r = &rs->rules[ri];
		verdict = r->verdict;
		next = r->target;
		if (verdict == FW_V_VMAP) {
			if ((mv = vmap_lookup(e, r)) == NULL) {
				pos++;
				continue;
			}
			verdict = mv->verdict;
			next = mv->target;
		}
		switch (verdict) {
		case FW_V_NONE:
			pos++;
			break;
		case FW_V_MARK:
			e->pk.mark = (e->pk.mark & ~r->arg2) ^ r->arg1;
			pos++;
			break;
		case FW_V_NOTRACK:
			e->pk.ctstate = FW_CT_UNTRACKED;
			pos++;
			break;
		case FW_V_ACCEPT:
			return RUN_ACCEPT;
		case FW_V_DROP:
		case FW_V_REJECT:
			block(e, path, npath, chain, ri,
			      verdict == FW_V_DROP ? FW_OUT_DROP : FW_OUT_REJECT, r->reject);
			return RUN_BLOCK;
		case FW_V_RETURN:
			goto ret;
		case FW_V_JUMP:
		case FW_V_GOTO:
			if (next == FW_NONE || next >= rs->nchains) {
				pos++;
				break;
			}
			if (npath >= FW_MAX_DEPTH ||
			    (verdict == FW_V_JUMP && depth >= FW_MAX_DEPTH))
				return RUN_BUDGET;
			if (verdict == FW_V_JUMP) {
				frames[depth].chain = chain;
				frames[depth].pos = pos + 1;
				frames[depth].npath = npath;
				depth++;
			}
			path[npath].chain = chain;
			path[npath].rule = ri;
			npath++;
			chain = next;
			pos = 0;
			break;
		case FW_V_NAT:
			/*
			 * REDIRECT sends the packet to the in-interface's first address (not
			 * necessarily the one the client used), and conntrack does the same to
			 * every later packet of the connection (answer.h).  To another port, it is
			 * another service: uncertain.
			 */
			if (r->arg2 && (r->arg1 == 0 || r->arg1 == e->pk.dport)) {
				e->pk.dst = e->pk.iif_primary;
				e->pk.dst_known = e->pk.iif_primary_known;
				e->d->redirected = 1;
				e->d->redirect_rule = ri;
				return RUN_ACCEPT;
			}
			record_unc(e, ri, FW_TERN_TARGET);
			if (e->d->nat_rule == FW_NONE)
				e->d->nat_rule = ri;
			return RUN_ACCEPT;
		default:
			/* QUEUE, TARPIT, an unknown target: assume it lets the packet through */
			record_unc(e, ri, FW_TERN_TARGET);
			return RUN_ACCEPT;
		}
	}
}

/*
 * Conntrack looks a packet up at priority -200 of prerouting and output
 * (NF_IP_PRI_CONNTRACK); chains before it (raw, ingress) see no entry: state "invalid", no
 * direction (xt_conntrack, nft_ct with no ct).  Replies a REJECT sends carry the rejected
 * packet's entry from birth (nf_ct_attach()).
 */
static void pre_conntrack(const struct fw_ruleset *rs, uint32_t ci, struct fw_packet *p)
{
	const struct fw_chain *c = &rs->chains[ci];

	if (p->ct_attached || p->ctstate == FW_CT_UNTRACKED)
		return;
	if (c->hook == FW_HOOK_INGRESS ||
	    ((c->hook == FW_HOOK_PREROUTING || c->hook == FW_HOOK_OUTPUT) && c->prio < -200)) {
		p->ctstate = FW_CT_INVALID;
		p->ctdir = 0;
	}
}

static int table_applies(const struct fw_table *t, int family, uint8_t hook)
{
	switch (t->family) {
	case FW_NF_IPV4:
		return family == 4;
	case FW_NF_IPV6:
		return family == 6;
	case FW_NF_INET:
		return 1;
	case FW_NF_NETDEV:
		return hook == FW_HOOK_INGRESS;
	default:
		return 0;
	}
}

static int hook_in_dir(uint8_t hook, enum fw_dir dir)
{
	if (dir == FW_DIR_IN)
		return hook == FW_HOOK_INGRESS || hook == FW_HOOK_PREROUTING ||
		       hook == FW_HOOK_INPUT;
	return hook == FW_HOOK_OUTPUT || hook == FW_HOOK_POSTROUTING;
}

static int chain_runs(const struct fw_ruleset *rs, uint32_t ci, const struct fw_packet *p,
                      enum fw_dir dir)
{
	const struct fw_chain *c = &rs->chains[ci];

	if (!hook_in_dir(c->hook, dir) || !table_applies(&rs->tables[c->table], p->family, c->hook))
		return 0;
	/* nat chains see the first packet of a connection only (not untracked ones) */
	return c->type != FW_CT_NAT || (p->ctstate & FW_CT_NEW);
}

/*
 * Chains of equal priority run in an order the rulesets do not show.  If another one at the
 * blocking chain's priority would block with a different reply, say so.
 */
static void check_tie(struct ev *e, uint32_t k, const struct fw_packet *before, enum fw_dir dir)
{
	const struct fw_ruleset *rs = e->rs;
	const struct fw_chain *bc = &rs->chains[rs->base[k]];
	struct fw_decision *orig = e->d, alt;
	uint32_t j;

	for (j = 0; j < rs->nbase; j++) {
		const struct fw_chain *oc = &rs->chains[rs->base[j]];

		if (j == k || oc->hook != bc->hook || oc->prio != bc->prio ||
		    oc->table == bc->table || !chain_runs(rs, rs->base[j], before, dir))
			continue;
		memset(&alt, 0, sizeof(alt));
		alt.set = alt.elem = alt.tie_chain = alt.nat_rule = FW_NONE;
		e->d = &alt;
		e->pk = *before;
		if (run_base(e, rs->base[j]) == RUN_BLOCK &&
		    (alt.outcome != orig->outcome || alt.reject != orig->reject)) {
			orig->tie_chain = rs->base[j];
			break;
		}
	}
	e->d = orig;
}

void fw_eval(const struct fw_ruleset *rs, const struct fw_packet *p, enum fw_dir dir,
             const struct fw_assume *as, struct fw_decision *out)
{
	struct fw_packet before;
	struct fw_decision *d = out;
	enum run_result r;
	struct ev e;
	uint32_t k;

	memset(out, 0, sizeof(*out));
	out->outcome = FW_OUT_ACCEPT;
	out->set = out->elem = out->tie_chain = out->nat_rule = FW_NONE;
	memset(&e, 0, sizeof(e));
	e.rs = rs;
	e.as = as;
	e.pk = *p;
	e.d = out;
	for (k = 0; k < rs->nbase; k++) {
		out->nat_dst = e.pk.dst;
		out->nat_dst_known = e.pk.dst_known;
		out->nat_dport = e.pk.dport;
		if (!chain_runs(rs, rs->base[k], &e.pk, dir))
			continue;
		before = e.pk;
		pre_conntrack(rs, rs->base[k], &e.pk);
		r = run_base(&e, rs->base[k]);
		if (e.pk.ctstate != FW_CT_UNTRACKED) {
			/* conntrack has run by the next chain (unless the packet was notracked) */
			e.pk.ctstate = before.ctstate;
			e.pk.ctdir = before.ctdir;
		}
		switch (r) {
		case RUN_BLOCK:
			check_tie(&e, k, &before, dir);
			return;
		case RUN_BUDGET:
			d->budget = 1;
			break;
		default:
			break;
		}
	}
	out->nat_dst = e.pk.dst;
	out->nat_dst_known = e.pk.dst_known;
	out->nat_dport = e.pk.dport;
}
