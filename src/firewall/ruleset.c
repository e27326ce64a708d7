#include "firewall/ruleset.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "firewall/link.h"

/* Names live in 64 KiB chunks so pointers to them stay valid while the ruleset grows. */
#define ARENA_CHUNK (64u * 1024)

struct fw_arena_chunk {
	struct fw_arena_chunk *next;
	size_t used, size;
	char data[];
};

struct fw_map_slot {
	const char *name; /* NULL: empty */
	uint32_t len, scope, value, hash;
};

void fw_ruleset_init(struct fw_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void fw_ruleset_release(struct fw_ruleset *rs)
{
	struct fw_arena_chunk *c, *next;
	uint32_t i;

	for (i = 0; i < rs->nchains; i++) {
		free(rs->chains[i].rules);
		fw_runs_free(&rs->chains[i]);
	}
	for (i = 0; i < rs->nsets; i++) {
		free(rs->sets[i].elems);
		free(rs->sets[i].names);
	}
	free(rs->tables);
	free(rs->chains);
	free(rs->rules);
	free(rs->conds);
	free(rs->sets);
	free(rs->verdicts);
	free(rs->strs);
	free(rs->base);
	free(rs->chain_map.slots);
	free(rs->set_map.slots);
	for (c = rs->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(rs, 0, sizeof(*rs));
}

/* Makes room for one more element in a vector of `*alloc` elements holding `n`. */
static int grow(void *vp, uint32_t *alloc, uint32_t n, size_t elsize, uint32_t max)
{
	void **p = vp;
	uint32_t na;
	void *np;

	if (n < *alloc)
		return SD_OK;
	if (n >= max)
		return SD_ERR_TOO_LONG;
	na = *alloc ? *alloc * 2 : 16;
	if (na > max)
		na = max;
	if ((np = realloc(*p, (size_t)na * elsize)) == NULL)
		return SD_ERR_ALLOC;
	*p = np;
	*alloc = na;
	return SD_OK;
}

static void *arena_alloc(struct fw_ruleset *rs, size_t n)
{
	struct fw_arena_chunk *c = rs->arena;
	size_t size;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = rs->arena;
		c->used = 0;
		c->size = size;
		rs->arena = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

const char *fw_strdup(struct fw_ruleset *rs, const char *s, size_t len)
{
	char *p = arena_alloc(rs, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

uint32_t fw_str_add(struct fw_ruleset *rs, const char *s, size_t len)
{
	const char *p;

	if (grow(&rs->strs, &rs->astrs, rs->nstrs, sizeof(*rs->strs), FW_MAX_RULES) != 0 ||
	    (p = fw_strdup(rs, s, len)) == NULL)
		return FW_NONE;
	rs->strs[rs->nstrs] = p;
	return rs->nstrs++;
}

void fw_note(struct fw_ruleset *rs, uint32_t source, uint32_t line, const char *fmt, ...)
{
	struct fw_note *n;
	va_list ap;

	if (rs->nnotes >= FW_MAX_NOTES) {
		rs->notes_dropped++;
		return;
	}
	n = &rs->notes[rs->nnotes++];
	n->source = source;
	n->line = line;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
}

/* ---- name maps ---- */

static uint32_t name_hash(uint32_t scope, const char *s, size_t len)
{
	uint32_t h = 2166136261u ^ scope;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static uint32_t map_find(const struct fw_map *m, uint32_t scope, const char *s, size_t len)
{
	uint32_t h = name_hash(scope, s, len), i;
	const struct fw_map_slot *sl;

	if (!m->cap)
		return FW_NONE;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		sl = &m->slots[i];
		if (!sl->name)
			return FW_NONE;
		if (sl->hash == h && sl->scope == scope && sl->len == len &&
		    memcmp(sl->name, s, len) == 0)
			return sl->value;
	}
}

static int map_put(struct fw_map *m, uint32_t scope, const char *name, uint32_t value)
{
	struct fw_map_slot *old = m->slots, *sl;
	uint32_t oldcap = m->cap, i, j, len = (uint32_t)strlen(name);
	uint32_t h = name_hash(scope, name, len);

	if ((m->count + 1) * 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		if ((m->slots = calloc(m->cap, sizeof(*m->slots))) == NULL) {
			m->slots = old;
			m->cap = oldcap;
			return SD_ERR_ALLOC;
		}
		for (i = 0; i < oldcap; i++) {
			if (!old[i].name)
				continue;
			for (j = old[i].hash & (m->cap - 1); m->slots[j].name;
			     j = (j + 1) & (m->cap - 1))
				;
			m->slots[j] = old[i];
		}
		free(old);
	}
	for (i = h & (m->cap - 1); m->slots[i].name; i = (i + 1) & (m->cap - 1))
		;
	sl = &m->slots[i];
	sl->name = name;
	sl->len = len;
	sl->scope = scope;
	sl->value = value;
	sl->hash = h;
	m->count++;
	return SD_OK;
}

/* ---- sources, tables, chains ---- */

int fw_ruleset_add_source(struct fw_ruleset *rs, enum fw_input_kind kind, const char *origin,
                          int live, const char *data, size_t len, uint32_t *ret_source)
{
	struct fw_source *s;

	if (rs->nsources >= FW_MAX_SOURCES || len > FW_MAX_INPUT_BYTES)
		return SD_ERR_TOO_LONG;
	s = &rs->sources[rs->nsources];
	memset(s, 0, sizeof(*s));
	if ((s->origin = fw_strdup(rs, origin, strlen(origin))) == NULL)
		return SD_ERR_ALLOC;
	s->kind = (uint8_t)kind;
	s->live = live ? 1 : 0;
	s->data = data;
	s->len = len;
	s->multiline = len > 1 && memchr(data, '\n', len - 1) != NULL;
	s->backend = kind == FW_IN_IPTABLES_LEGACY || kind == FW_IN_IP6TABLES_LEGACY ? FW_BE_LEGACY
	             : kind == FW_IN_NFT_JSON                                        ? FW_BE_NFT
	                                      : FW_BE_UNKNOWN;
	*ret_source = rs->nsources++;
	return SD_OK;
}

int fw_table_add(struct fw_ruleset *rs, uint32_t source, enum fw_nfproto family,
                 enum fw_backend backend, const char *name, size_t name_len, uint32_t *ret_table)
{
	struct fw_table *t;
	int r;

	if ((r = grow(&rs->tables, &rs->atables, rs->ntables, sizeof(*rs->tables),
	              FW_MAX_TABLES)) != 0)
		return r;
	t = &rs->tables[rs->ntables];
	memset(t, 0, sizeof(*t));
	t->source = source;
	t->family = (uint8_t)family;
	t->backend = (uint8_t)backend;
	t->first_chain = rs->nchains;
	if ((t->name = fw_strdup(rs, name, name_len)) == NULL)
		return SD_ERR_ALLOC;
	rs->sources[source].ntables++;
	*ret_table = rs->ntables++;
	return SD_OK;
}

uint32_t fw_chain_find(const struct fw_ruleset *rs, uint32_t table, const char *name, size_t len)
{
	return map_find(&rs->chain_map, table, name, len);
}

int fw_chain_add(struct fw_ruleset *rs, uint32_t table, const char *name, size_t len,
                 uint32_t *ret_chain)
{
	struct fw_chain *c;
	int r;

	if ((r = grow(&rs->chains, &rs->achains, rs->nchains, sizeof(*rs->chains),
	              FW_MAX_CHAINS)) != 0)
		return r;
	c = &rs->chains[rs->nchains];
	memset(c, 0, sizeof(*c));
	c->table = table;
	c->policy = FW_V_NONE;
	if ((c->name = fw_strdup(rs, name, len)) == NULL)
		return SD_ERR_ALLOC;
	if ((r = map_put(&rs->chain_map, table, c->name, rs->nchains)) != 0)
		return r;
	*ret_chain = rs->nchains++;
	return SD_OK;
}

int fw_chain_append(struct fw_ruleset *rs, uint32_t chain, uint32_t rule)
{
	struct fw_chain *c = &rs->chains[chain];
	int r;

	if ((r = grow(&c->rules, &c->arules, c->nrules, sizeof(*c->rules), FW_MAX_RULES)) != 0)
		return r;
	c->rules[c->nrules++] = rule;
	rs->rules[rule].number = c->nrules;
	return SD_OK;
}

int fw_rule_new(struct fw_ruleset *rs, uint32_t chain, uint32_t *ret_rule)
{
	struct fw_rule *ru;
	int r;

	if ((r = grow(&rs->rules, &rs->arules, rs->nrules, sizeof(*rs->rules), FW_MAX_RULES)) != 0)
		return r;
	ru = &rs->rules[rs->nrules];
	memset(ru, 0, sizeof(*ru));
	ru->chain = chain;
	ru->cond = rs->nconds;
	ru->target = FW_NONE;
	*ret_rule = rs->nrules++;
	return SD_OK;
}

struct fw_cond *fw_cond_add(struct fw_ruleset *rs)
{
	struct fw_rule *ru = &rs->rules[rs->nrules - 1];
	struct fw_cond *c;

	if (ru->ncond >= FW_MAX_RULE_CONDS ||
	    grow(&rs->conds, &rs->aconds, rs->nconds, sizeof(*rs->conds), FW_MAX_CONDS) != 0)
		return NULL;
	c = &rs->conds[rs->nconds++];
	memset(c, 0, sizeof(*c));
	c->aux = FW_NONE;
	ru->ncond++;
	return c;
}

/* ---- sets ---- */

uint32_t fw_set_find(const struct fw_ruleset *rs, uint32_t table, const char *name, size_t len)
{
	return map_find(&rs->set_map, table, name, len);
}

int fw_set_add(struct fw_ruleset *rs, uint32_t table, uint32_t source, const char *name, size_t len,
               enum fw_set_origin origin, uint32_t *ret_set)
{
	struct fw_set *s;
	int r;

	if ((r = grow(&rs->sets, &rs->asets, rs->nsets, sizeof(*rs->sets), FW_MAX_SETS)) != 0)
		return r;
	s = &rs->sets[rs->nsets];
	memset(s, 0, sizeof(*s));
	s->table = table;
	s->source = source;
	s->origin = (uint8_t)origin;
	s->key = FW_SK_UNSUPPORTED;
	s->type = "";
	if ((s->name = fw_strdup(rs, name, len)) == NULL)
		return SD_ERR_ALLOC;
	if (origin != FW_SO_ANON && (r = map_put(&rs->set_map, table, s->name, rs->nsets)) != 0)
		return r;
	rs->sources[source].nsets++;
	*ret_set = rs->nsets++;
	return SD_OK;
}

struct fw_elem *fw_elem_add(struct fw_ruleset *rs, uint32_t set)
{
	struct fw_set *s = &rs->sets[set];
	struct fw_elem *e;

	if (grow(&s->elems, &s->aelems, s->nelems, sizeof(*s->elems), FW_MAX_ELEMS) != 0)
		return NULL;
	e = &s->elems[s->nelems++];
	memset(e, 0, sizeof(*e));
	e->parent = FW_NONE;
	e->data = FW_NONE;
	return e;
}

int fw_verdict_add(struct fw_ruleset *rs, const struct fw_mapverdict *v, uint32_t *ret)
{
	int r;

	if ((r = grow(&rs->verdicts, &rs->averdicts, rs->nverdicts, sizeof(*rs->verdicts),
	              FW_MAX_ELEMS)) != 0)
		return r;
	rs->verdicts[rs->nverdicts] = *v;
	*ret = rs->nverdicts++;
	return SD_OK;
}

/* ---- names ---- */

const char *fw_nfproto_name(enum fw_nfproto f)
{
	static const char *const names[] = {"ip", "ip6", "inet", "netdev", "arp", "bridge"};

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

const char *fw_hook_name(enum fw_hook h)
{
	static const char *const names[] = {"",        "ingress", "prerouting", "input",
	                                    "forward", "output",  "postrouting"};

	return (unsigned)h < sizeof(names) / sizeof(names[0]) ? names[h] : "?";
}

int fw_iptables_builtin(const char *table, const char *chain, enum fw_hook *ret_hook,
                        int32_t *ret_prio, enum fw_chain_type *ret_type)
{
	/* linux include/uapi/linux/netfilter_ipv4.h enum nf_ip_hook_priorities */
	static const struct {
		const char *table;
		int32_t prio;
	} tables[] = {
	    {"raw", -300}, {"mangle", -150}, {"nat", -100}, {"filter", 0}, {"security", 50}};
	static const struct {
		const char *name;
		enum fw_hook hook;
	} hooks[] = {{"PREROUTING", FW_HOOK_PREROUTING},
	             {"INPUT", FW_HOOK_INPUT},
	             {"FORWARD", FW_HOOK_FORWARD},
	             {"OUTPUT", FW_HOOK_OUTPUT},
	             {"POSTROUTING", FW_HOOK_POSTROUTING}};
	size_t i, j;

	*ret_hook = FW_HOOK_NONE;
	*ret_prio = 0;
	*ret_type = FW_CT_FILTER;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(table, tables[i].table) == 0)
			break;
	if (i == sizeof(tables) / sizeof(tables[0]))
		return 0;
	for (j = 0; j < sizeof(hooks) / sizeof(hooks[0]); j++)
		if (strcmp(chain, hooks[j].name) == 0)
			break;
	if (j == sizeof(hooks) / sizeof(hooks[0]))
		return 0;
	*ret_hook = hooks[j].hook;
	*ret_prio = tables[i].prio;
	if (strcmp(table, "nat") == 0) {
		*ret_type = FW_CT_NAT;
		/* SNAT hooks (INPUT, POSTROUTING) run at NF_IP_PRI_NAT_SRC */
		if (hooks[j].hook == FW_HOOK_INPUT || hooks[j].hook == FW_HOOK_POSTROUTING)
			*ret_prio = 100;
	} else if (strcmp(table, "mangle") == 0 && hooks[j].hook == FW_HOOK_OUTPUT) {
		*ret_type = FW_CT_ROUTE;
	}
	return 1;
}
