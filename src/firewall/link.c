#include "firewall/link.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* ---- sets ---- */

static int elem_cmp(const void *pa, const void *pb)
{
	const struct fw_elem *a = pa, *b = pb;
	int c = fw_val_cmp(a->lo, b->lo);

	if (c)
		return c;
	return -fw_val_cmp(a->hi, b->hi); /* the wider element first: it is the parent */
}

int fw_set_index(struct fw_ruleset *rs, uint32_t set)
{
	struct fw_set *s = &rs->sets[set];
	uint32_t *stack, depth = 0, i, top;
	int sorted = 1;

	s->laminar = 1;
	if (s->nelems == 0 || s->key == FW_SK_IFNAME || s->key == FW_SK_LIST)
		return SD_OK;
	for (i = 1; i < s->nelems && sorted; i++)
		sorted = elem_cmp(&s->elems[i - 1], &s->elems[i]) <= 0;
	if (!sorted)
		qsort(s->elems, s->nelems, sizeof(*s->elems), elem_cmp);
	if ((stack = malloc(s->nelems * sizeof(*stack))) == NULL)
		return SD_ERR_ALLOC;
	for (i = 0; i < s->nelems; i++) {
		while (depth && fw_val_cmp(s->elems[stack[depth - 1]].hi, s->elems[i].lo) < 0)
			depth--;
		s->elems[i].parent = FW_NONE;
		if (depth) {
			top = stack[depth - 1];
			if (fw_val_cmp(s->elems[top].hi, s->elems[i].hi) >= 0)
				s->elems[i].parent = top;
			else
				s->laminar = 0; /* partial overlap: lookups scan */
		}
		stack[depth++] = i;
	}
	free(stack);
	return SD_OK;
}

static int contains(const struct fw_elem *e, struct fw_val v)
{
	return fw_val_cmp(e->lo, v) <= 0 && fw_val_cmp(v, e->hi) <= 0;
}

int fw_ifname_match(const char *pattern, int wildcard, const char *name)
{
	size_t n = strlen(pattern);

	if (wildcard)
		return strncmp(pattern, name, n) == 0;
	return strcmp(pattern, name) == 0;
}

/* The most specific element containing v, or FW_NONE. */
static uint32_t most_specific(const struct fw_set *s, struct fw_val v)
{
	uint32_t lo = 0, hi = s->nelems, mid, i, best = FW_NONE, steps;
	struct fw_val bw, w;

	/* last element with elem.lo <= v */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fw_val_cmp(s->elems[mid].lo, v) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return FW_NONE;
	i = lo - 1;
	if (s->laminar) {
		for (steps = 0; i != FW_NONE && steps <= 130; steps++, i = s->elems[i].parent)
			if (contains(&s->elems[i], v))
				return i;
		return FW_NONE;
	}
	/* overlapping elements: the narrowest of those that contain v */
	for (;; i--) {
		if (contains(&s->elems[i], v)) {
			w.hi = s->elems[i].hi.hi - s->elems[i].lo.hi;
			w.lo = s->elems[i].hi.lo - s->elems[i].lo.lo;
			if (best == FW_NONE || fw_val_cmp(w, bw) < 0) {
				best = i;
				bw = w;
			}
		}
		if (i == 0)
			break;
	}
	return best;
}

enum fw_member fw_set_lookup(const struct fw_ruleset *rs, uint32_t set, struct fw_val v, int family,
                             const char *ifname, uint32_t *ret_set, uint32_t *ret_elem)
{
	const struct fw_set *s = &rs->sets[set];
	enum fw_member m;
	uint32_t i, e;

	switch (s->key) {
	case FW_SK_ADDR4:
	case FW_SK_ADDR6:
		if (family != (s->key == FW_SK_ADDR4 ? 4 : 6))
			return FW_MEMBER_NO;
		break;
	case FW_SK_PORT:
	case FW_SK_PROTO:
	case FW_SK_MARK:
	case FW_SK_CTSTATE:
		break;
	case FW_SK_IFNAME:
		if (!ifname)
			return FW_MEMBER_UNKNOWN;
		for (i = 0; i < s->nelems; i++) {
			if (s->elems[i].data == FW_NONE)
				continue;
			if (fw_ifname_match(rs->strs[s->elems[i].data], s->elems[i].lo.lo != 0,
			                    ifname)) {
				if (ret_set)
					*ret_set = set;
				if (ret_elem)
					*ret_elem = i;
				return FW_MEMBER_YES;
			}
		}
		return FW_MEMBER_NO;
	case FW_SK_LIST:
		/* ipset list:set: the first member set that matches decides */
		for (i = 0; i < s->nelems; i++) {
			if (s->elems[i].data == FW_NONE || s->elems[i].data == set ||
			    rs->sets[s->elems[i].data].key == FW_SK_LIST)
				continue;
			m = fw_set_lookup(rs, s->elems[i].data, v, family, ifname, ret_set,
			                  ret_elem);
			if (m != FW_MEMBER_NO)
				return m;
		}
		return FW_MEMBER_NO;
	default:
		return FW_MEMBER_UNKNOWN;
	}
	if ((e = most_specific(s, v)) == FW_NONE || s->elems[e].nomatch)
		return FW_MEMBER_NO;
	if (ret_set)
		*ret_set = set;
	if (ret_elem)
		*ret_elem = e;
	return FW_MEMBER_YES;
}

/* ---- runs of exact-source rules ---- */

const struct fw_cond *fw_rule_exact_source(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_cond *c;
	uint32_t i;

	for (i = 0; i < r->ncond; i++) {
		c = &rs->conds[r->cond + i];
		if (c->field != FWF_SADDR)
			continue;
		if (c->kind == FWC_RANGE && !c->neg && c->fam && fw_val_eq(c->a, c->b))
			return c;
		return NULL; /* the first source condition decides */
	}
	return NULL;
}

static uint32_t val_hash(struct fw_val v, int family)
{
	uint64_t h = v.lo * 0x9e3779b97f4a7c15ull ^ v.hi * 0xc2b2ae3d27d4eb4full ^ (uint64_t)family;

	return (uint32_t)(h ^ h >> 29 ^ h >> 47);
}

void fw_runs_free(struct fw_chain *c)
{
	uint32_t i;

	for (i = 0; i < c->nruns; i++) {
		free(c->runs[i].head);
		free(c->runs[i].next);
	}
	free(c->runs);
	c->runs = NULL;
	c->nruns = 0;
}

static int run_add(struct fw_ruleset *rs, struct fw_chain *c, uint32_t start, uint32_t end)
{
	struct fw_run *v, *run;
	const struct fw_cond *k;
	uint32_t n = end - start, cap = 16, i, b;

	while (cap < 2 * n)
		cap *= 2;
	if ((v = realloc(c->runs, (c->nruns + 1) * sizeof(*v))) == NULL)
		return SD_ERR_ALLOC;
	c->runs = v;
	run = &c->runs[c->nruns];
	memset(run, 0, sizeof(*run));
	run->start = start;
	run->end = end;
	run->cap = cap;
	run->head = malloc(cap * sizeof(*run->head));
	run->next = malloc(n * sizeof(*run->next));
	if (!run->head || !run->next) {
		free(run->head);
		free(run->next);
		return SD_ERR_ALLOC;
	}
	memset(run->head, 0xff, cap * sizeof(*run->head));
	/* push from the back so every bucket lists positions in ascending order */
	for (i = n; i-- > 0;) {
		k = fw_rule_exact_source(rs, &rs->rules[c->rules[start + i]]);
		b = val_hash(k->a, k->fam) & (cap - 1);
		run->next[i] = run->head[b];
		run->head[b] = i;
	}
	c->nruns++;
	return SD_OK;
}

int fw_runs_build(struct fw_ruleset *rs, struct fw_chain *c)
{
	uint32_t pos, start;
	int r;

	fw_runs_free(c);
	for (pos = 0; pos < c->nrules;) {
		if (!fw_rule_exact_source(rs, &rs->rules[c->rules[pos]])) {
			pos++;
			continue;
		}
		for (start = pos;
		     pos < c->nrules && fw_rule_exact_source(rs, &rs->rules[c->rules[pos]]); pos++)
			;
		if (pos - start >= FW_RUN_MIN && (r = run_add(rs, c, start, pos)) != 0)
			return r;
	}
	return SD_OK;
}

const struct fw_run *fw_run_at(const struct fw_chain *c, uint32_t pos)
{
	uint32_t lo = 0, hi = c->nruns, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->runs[mid].end <= pos)
			lo = mid + 1;
		else if (c->runs[mid].start > pos)
			hi = mid;
		else
			return &c->runs[mid];
	}
	return NULL;
}

uint32_t fw_run_next(const struct fw_ruleset *rs, const struct fw_chain *c,
                     const struct fw_run *run, uint32_t pos, struct fw_val src, int family)
{
	uint32_t i = run->head[val_hash(src, family) & (run->cap - 1)];
	const struct fw_cond *k;

	for (; i != FW_NONE; i = run->next[i]) {
		if (run->start + i < pos)
			continue;
		k = fw_rule_exact_source(rs, &rs->rules[c->rules[run->start + i]]);
		if (k->fam == family && fw_val_eq(k->a, src))
			return run->start + i;
	}
	return run->end;
}

/* ---- link ---- */

static int is_iptables_kind(uint8_t kind)
{
	return kind == FW_IN_IPTABLES || kind == FW_IN_IP6TABLES || kind == FW_IN_IPTABLES_LEGACY ||
	       kind == FW_IN_IP6TABLES_LEGACY;
}

static int is_xt_table_name(const char *n)
{
	return strcmp(n, "filter") == 0 || strcmp(n, "nat") == 0 || strcmp(n, "mangle") == 0 ||
	       strcmp(n, "raw") == 0 || strcmp(n, "security") == 0;
}

/*
 * The same kernel table may reach us twice: iptables-nft tables are also in `nft -j list
 * ruleset` (as xt expressions nft cannot translate), and `iptables-save` is the legacy tool on
 * some systems.  Keep the iptables-save copy, which is exact; skip the other.
 */
static void skip_duplicates(struct fw_ruleset *rs)
{
	uint32_t i, j;
	struct fw_table *t, *u;
	const struct fw_source *ts, *us;

	for (i = 0; i < rs->ntables; i++) {
		t = &rs->tables[i];
		ts = &rs->sources[t->source];
		for (j = 0; j < rs->ntables && !t->skip; j++) {
			u = &rs->tables[j];
			us = &rs->sources[u->source];
			if (i == j || u->skip || u->family != t->family ||
			    strcmp(u->name, t->name) != 0 || !is_iptables_kind(us->kind))
				continue;
			if (ts->kind == FW_IN_NFT_JSON && u->backend != FW_BE_LEGACY &&
			    is_xt_table_name(t->name))
				t->skip = FW_SKIP_COPY;
			else if (is_iptables_kind(ts->kind) && j < i && u->source != t->source &&
			         u->backend == t->backend && t->backend != FW_BE_UNKNOWN)
				t->skip = FW_SKIP_COPY;
		}
	}
}

static void resolve_targets(struct fw_ruleset *rs)
{
	struct fw_rule *r;
	const char *name;
	uint32_t i, t, c;

	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		if (!r->unresolved)
			continue;
		r->unresolved = 0;
		name = rs->strs[r->target];
		t = rs->chains[r->chain].table;
		if (r->verdict == FW_V_VMAP) {
			c = fw_set_find(rs, t, name, strlen(name));
			if (c != FW_NONE && rs->sets[c].is_map) {
				r->target = c;
				continue;
			}
		} else if ((c = fw_chain_find(rs, t, name, strlen(name))) != FW_NONE) {
			r->target = c;
			continue;
		}
		fw_note(rs, rs->tables[t].source, r->line, "chain %s rule %u: unknown target %s",
		        rs->chains[r->chain].name, r->number, name);
		r->verdict = FW_V_UNMODELLED;
		r->bad = 1;
	}
	for (i = 0; i < rs->nverdicts; i++) {
		if (rs->verdicts[i].name == FW_NONE)
			continue;
		name = rs->strs[rs->verdicts[i].name];
		/* the map's table is stored in target until now */
		c = fw_chain_find(rs, rs->verdicts[i].target, name, strlen(name));
		rs->verdicts[i].target = c;
		rs->verdicts[i].name = FW_NONE;
		if (c == FW_NONE)
			rs->verdicts[i].verdict = FW_V_NONE;
	}
}

static void resolve_sets(struct fw_ruleset *rs)
{
	struct fw_cond *c;
	const char *name;
	uint32_t i, s, scope;

	for (i = 0; i < rs->nconds; i++) {
		c = &rs->conds[i];
		if (c->kind != FWC_SET || c->b.lo != 1)
			continue;
		name = rs->strs[c->aux];
		scope = (uint32_t)c->b.hi;
		c->b.lo = c->b.hi = 0;
		if ((s = fw_set_find(rs, scope, name, strlen(name))) != FW_NONE) {
			c->aux = s;
			continue;
		}
		/* a set we were not shown: membership unknown */
		c->kind = FWC_TERNARY;
		c->tern = FW_TERN_SET;
		c->likely = 0;
	}
	for (i = 0; i < rs->nsets; i++) {
		struct fw_set *st = &rs->sets[i];
		uint32_t e;

		if (st->key != FW_SK_LIST || !st->names)
			continue;
		for (e = 0; e < st->nelems; e++)
			st->elems[e].data = st->names[e] ? fw_set_find(rs, FW_NONE, st->names[e],
			                                               strlen(st->names[e]))
			                                 : FW_NONE;
		free(st->names);
		st->names = NULL;
	}
}

static int base_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct fw_ruleset *rs = ctx;
	uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
	const struct fw_chain *a = &rs->chains[x], *b = &rs->chains[y];

	if (a->hook != b->hook)
		return a->hook < b->hook ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Base chains in the order the kernel calls them: by hook, then priority. */
static int order_base_chains(struct fw_ruleset *rs)
{
	uint32_t i, n = 0;

	free(rs->base);
	rs->nbase = 0;
	if ((rs->base = malloc((rs->nchains + 1) * sizeof(*rs->base))) == NULL)
		return SD_ERR_ALLOC;
	for (i = 0; i < rs->nchains; i++)
		if (rs->chains[i].hook != FW_HOOK_NONE && !rs->tables[rs->chains[i].table].skip)
			rs->base[n++] = i;
	qsort_r(rs->base, n, sizeof(*rs->base), base_cmp, rs);
	rs->nbase = n;
	return SD_OK;
}

int fw_ruleset_link(struct fw_ruleset *rs)
{
	uint32_t i;
	int r;

	if (rs->linked)
		return SD_OK;
	skip_duplicates(rs);
	resolve_targets(rs);
	resolve_sets(rs);
	for (i = 0; i < rs->nsets; i++)
		if ((r = fw_set_index(rs, i)) != 0)
			return r;
	for (i = 0; i < rs->nchains; i++)
		if ((r = fw_runs_build(rs, &rs->chains[i])) != 0)
			return r;
	if ((r = order_base_chains(rs)) != 0)
		return r;
	rs->linked = 1;
	return SD_OK;
}
