#include "firewall/nft.h"

#include <string.h>

#include "base/err.h"
#include "firewall/nft_int.h"

struct nft_reader {
	struct fw_ruleset *rs;
	uint32_t src;
	uint32_t last_table, last_chain; /* caches: objects of a table come together */
};

static int family_of(const char *s, uint8_t *ret)
{
	static const char *const names[] = {"ip", "ip6", "inet", "netdev", "arp", "bridge"};
	uint8_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*ret = i;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID;
}

static const char *str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : NULL;
}

/* The table an object names by "family" and "table" (or "name" for a table itself). */
static uint32_t find_table(struct nft_reader *r, json_t *o, const char *key)
{
	const char *name = str_of(o, key), *fam = str_of(o, "family");
	uint8_t f;
	uint32_t i;

	if (!name || !fam || family_of(fam, &f) != 0)
		return FW_NONE;
	i = r->last_table;
	if (i != FW_NONE && r->rs->tables[i].family == f &&
	    strcmp(r->rs->tables[i].name, name) == 0)
		return i;
	for (i = r->rs->ntables; i-- > 0;) {
		const struct fw_table *t = &r->rs->tables[i];

		if (t->source == r->src && t->family == f && strcmp(t->name, name) == 0)
			return r->last_table = i;
	}
	return FW_NONE;
}

static int obj_table(struct nft_reader *r, json_t *o)
{
	const char *name = str_of(o, "name"), *fam = str_of(o, "family");
	json_t *flags = json_object_get(o, "flags"), *f;
	uint32_t t;
	uint8_t family;
	size_t i;
	int rc;

	if (!name || !fam || family_of(fam, &family) != 0)
		return SD_ERR_INVALID;
	if (find_table(r, o, "name") != FW_NONE)
		return SD_OK;
	if ((rc = fw_table_add(r->rs, r->src, (enum fw_nfproto)family, FW_BE_NFT, name,
	                       strlen(name), &t)) != 0)
		return rc;
	r->rs->tables[t].handle = (uint32_t)json_integer_value(json_object_get(o, "handle"));
	/* "flags": "dormant" or ["dormant", …]: the table is switched off */
	if (json_is_string(flags) && strcmp(json_string_value(flags), "dormant") == 0)
		r->rs->tables[t].skip = FW_SKIP_DORMANT;
	json_array_foreach(flags, i, f)
	{
		if (json_is_string(f) && strcmp(json_string_value(f), "dormant") == 0)
			r->rs->tables[t].skip = FW_SKIP_DORMANT;
	}
	r->last_table = t;
	return SD_OK;
}

static int hook_of(const char *s, uint8_t *ret)
{
	static const struct {
		const char *name;
		enum fw_hook hook;
	} hooks[] = {{"ingress", FW_HOOK_INGRESS}, {"prerouting", FW_HOOK_PREROUTING},
	             {"input", FW_HOOK_INPUT},     {"forward", FW_HOOK_FORWARD},
	             {"output", FW_HOOK_OUTPUT},   {"postrouting", FW_HOOK_POSTROUTING}};
	size_t i;

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (strcmp(s, hooks[i].name) == 0) {
			*ret = (uint8_t)hooks[i].hook;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID; /* egress and others: not on our packets' path */
}

/* A numeric priority, or one of nft's names (nft doc/nft.txt "Standard priority names"). */
static int prio_of(json_t *v, int32_t *ret)
{
	static const struct {
		const char *name;
		int32_t prio;
	} names[] = {{"raw", -300}, {"mangle", -150}, {"dstnat", -100},
	             {"filter", 0}, {"security", 50}, {"srcnat", 100}};
	size_t i;

	if (json_is_integer(v)) {
		*ret = (int32_t)json_integer_value(v);
		return SD_OK;
	}
	if (!json_is_string(v))
		return SD_ERR_INVALID;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(json_string_value(v), names[i].name) == 0) {
			*ret = names[i].prio;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID;
}

static int obj_chain(struct nft_reader *r, json_t *o, size_t off, size_t len, uint32_t line)
{
	const char *name = str_of(o, "name"), *hook = str_of(o, "hook"), *type = str_of(o, "type");
	const char *policy = str_of(o, "policy");
	uint32_t t = find_table(r, o, "table"), ci;
	struct fw_chain *c;
	uint8_t h;
	int rc;

	if (!name || t == FW_NONE)
		return SD_ERR_INVALID;
	if ((ci = fw_chain_find(r->rs, t, name, strlen(name))) == FW_NONE &&
	    (rc = fw_chain_add(r->rs, t, name, strlen(name), &ci)) != 0)
		return rc;
	c = &r->rs->chains[ci];
	c->text_off = (uint32_t)off;
	c->text_len = (uint32_t)len;
	c->handle = (uint32_t)json_integer_value(json_object_get(o, "handle"));
	(void)line;
	if (!hook)
		return SD_OK;
	if (hook_of(hook, &h) != 0 || prio_of(json_object_get(o, "prio"), &c->prio) != 0) {
		fw_note(r->rs, r->src, line, "chain %s: hook %s not evaluated", name, hook);
		return SD_OK;
	}
	c->hook = h;
	c->type = type && strcmp(type, "nat") == 0     ? FW_CT_NAT
	          : type && strcmp(type, "route") == 0 ? FW_CT_ROUTE
	                                               : FW_CT_FILTER;
	c->policy = policy && strcmp(policy, "drop") == 0 ? FW_V_DROP : FW_V_ACCEPT;
	return SD_OK;
}

static int obj_set(struct nft_reader *r, json_t *o, int is_map, uint32_t line)
{
	struct nft_ctx x = {r->rs, r->src, FW_NONE, FW_NONE, line, 0};
	const char *name = str_of(o, "name"), *type, *data;
	json_t *elems = json_object_get(o, "elem"), *flags = json_object_get(o, "flags"), *e, *f;
	struct fw_set *s;
	struct fw_elem *el;
	uint32_t si, str;
	uint8_t fam = 0;
	size_t i;
	int rc;

	if (!name || (x.table = find_table(r, o, "table")) == FW_NONE)
		return SD_ERR_INVALID;
	x.family = r->rs->tables[x.table].family;
	if ((si = fw_set_find(r->rs, x.table, name, strlen(name))) != FW_NONE)
		return SD_OK;
	if ((rc = fw_set_add(r->rs, x.table, r->src, name, strlen(name), FW_SO_NFT, &si)) != 0)
		return rc;
	s = &r->rs->sets[si];
	type = str_of(o, "type");
	s->key =
	    type ? nft_key_of_type(type, &fam) : FW_SK_UNSUPPORTED; /* arrays: concatenations */
	s->family = fam;
	if (type && (s->type = fw_strdup(r->rs, type, strlen(type))) == NULL)
		return SD_ERR_ALLOC;
	data = str_of(o, "map");
	s->is_map = is_map ? (data && strcmp(data, "verdict") == 0 ? 1 : 2) : 0;
	json_array_foreach(flags, i, f)
	{
		if (json_is_string(f) && strcmp(json_string_value(f), "dynamic") == 0)
			s->dynamic = 1;
	}
	if (s->key == FW_SK_UNSUPPORTED || s->is_map == 2)
		return SD_OK;
	json_array_foreach(elems, i, e)
	{
		json_t *key = e, *val = NULL;

		if (s->is_map) {
			if (!json_is_array(e) || json_array_size(e) != 2)
				continue;
			key = json_array_get(e, 0);
			val = json_array_get(e, 1);
		}
		if ((el = fw_elem_add(r->rs, si)) == NULL)
			return SD_ERR_TOO_LONG;
		s = &r->rs->sets[si];
		str = FW_NONE;
		if (nft_elem_value(&x, s->key, key, &el->lo, &el->hi, &str) != 0 ||
		    (val && nft_map_verdict(&x, val, &el->data) != 0)) {
			s->nelems--;
			fw_note(r->rs, r->src, line, "set %s: an element we cannot read", name);
			continue;
		}
		if (str != FW_NONE)
			el->data = str;
	}
	return SD_OK;
}

static int obj_rule(struct nft_reader *r, json_t *o, size_t off, size_t len, uint32_t line)
{
	struct nft_ctx x = {r->rs, r->src, FW_NONE, FW_NONE, line, 0};
	const char *chain = str_of(o, "chain");
	uint32_t ci, first_cond;
	struct fw_rule *ru;
	int rc;

	if (!chain || (x.table = find_table(r, o, "table")) == FW_NONE)
		return SD_ERR_INVALID;
	x.family = r->rs->tables[x.table].family;
	ci = r->last_chain;
	if (ci == FW_NONE || r->rs->chains[ci].table != x.table ||
	    strcmp(r->rs->chains[ci].name, chain) != 0)
		ci = fw_chain_find(r->rs, x.table, chain, strlen(chain));
	if (ci == FW_NONE) {
		fw_note(r->rs, r->src, line, "rule for unknown chain %s", chain);
		return SD_OK;
	}
	r->last_chain = ci;
	if ((rc = fw_rule_new(r->rs, ci, &x.rule)) != 0)
		return rc;
	ru = &r->rs->rules[x.rule];
	ru->line = line;
	ru->text_off = (uint32_t)off;
	ru->text_len = (uint32_t)len;
	ru->handle = (uint32_t)json_integer_value(json_object_get(o, "handle"));
	first_cond = r->rs->nconds;
	rc = nft_rule_exprs(&x, json_object_get(o, "expr"));
	if (rc == SD_ERR_ALLOC)
		return rc;
	if (rc != 0) {
		ru = &r->rs->rules[x.rule];
		r->rs->nconds = first_cond;
		ru->ncond = 0;
		ru->verdict = FW_V_UNMODELLED;
		ru->bad = 1;
		if ((ru->target = fw_str_add(r->rs, "unreadable rule", 15)) == FW_NONE)
			return SD_ERR_ALLOC;
		fw_note(r->rs, r->src, line, "chain %s: rule handle %u could not be read", chain,
		        ru->handle);
	}
	if ((rc = fw_chain_append(r->rs, ci, x.rule)) != 0)
		return rc;
	r->rs->sources[r->src].nrules++;
	return SD_OK;
}

static const char *skip_ws(const char *p, const char *end, uint32_t *line)
{
	for (; p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'); p++)
		if (*p == '\n')
			(*line)++;
	return p;
}

static int one_object(struct nft_reader *r, json_t *obj, size_t off, size_t len, uint32_t line)
{
	const char *key;
	json_t *v;
	int rc = SD_OK;

	if (!json_is_object(obj) || json_object_size(obj) != 1)
		return SD_ERR_INVALID;
	json_object_foreach(obj, key, v)
	{
		if (!json_is_object(v))
			return SD_ERR_INVALID;
		if (strcmp(key, "table") == 0)
			rc = obj_table(r, v);
		else if (strcmp(key, "chain") == 0)
			rc = obj_chain(r, v, off, len, line);
		else if (strcmp(key, "set") == 0 || strcmp(key, "map") == 0)
			rc = obj_set(r, v, key[0] == 'm', line);
		else if (strcmp(key, "rule") == 0)
			rc = obj_rule(r, v, off, len, line);
		/* metainfo, flowtable, counter, quota, ct helper, …: nothing for us */
	}
	return rc;
}

int fw_nft_parse(struct fw_ruleset *rs, uint32_t src)
{
	static const char head[] = "\"nftables\"";
	const struct fw_source *so = &rs->sources[src];
	const char *p = so->data, *end = so->data + so->len, *obj;
	struct nft_reader r = {rs, src, FW_NONE, FW_NONE};
	json_error_t err;
	uint32_t line = 1, objline;
	size_t avail;
	json_t *j;
	int rc;

	p = skip_ws(p, end, &line);
	if (p == end || *p++ != '{')
		return SD_ERR_INVALID;
	p = skip_ws(p, end, &line);
	if ((size_t)(end - p) < sizeof(head) - 1 || memcmp(p, head, sizeof(head) - 1) != 0)
		return SD_ERR_INVALID;
	p = skip_ws(p + sizeof(head) - 1, end, &line);
	if (p == end || *p++ != ':')
		return SD_ERR_INVALID;
	p = skip_ws(p, end, &line);
	if (p == end || *p++ != '[')
		return SD_ERR_INVALID;
	for (;;) {
		p = skip_ws(p, end, &line);
		if (p == end)
			return SD_ERR_TRUNCATED;
		if (*p == ']')
			break;
		obj = p;
		objline = line;
		avail =
		    (size_t)(end - p) < FW_MAX_JSON_OBJECT ? (size_t)(end - p) : FW_MAX_JSON_OBJECT;
		if ((j = json_loadb(p, avail, JSON_DISABLE_EOF_CHECK, &err)) == NULL)
			return (size_t)(end - p) > FW_MAX_JSON_OBJECT ? SD_ERR_TOO_LONG
			                                              : SD_ERR_INVALID;
		if (err.position <= 0 || (size_t)err.position > avail) {
			json_decref(j);
			return SD_ERR_INVALID;
		}
		p += err.position;
		for (const char *q = obj; q < p; q++)
			line += *q == '\n';
		rc = one_object(&r, j, (size_t)(obj - so->data), (size_t)(p - obj), objline);
		json_decref(j);
		if (rc == SD_ERR_ALLOC || rc == SD_ERR_TOO_LONG)
			return rc;
		if (rc != 0)
			fw_note(rs, src, objline, "an nft JSON object we could not read");
		p = skip_ws(p, end, &line);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == ']')
			break;
		return p == end ? SD_ERR_TRUNCATED : SD_ERR_INVALID;
	}
	p = skip_ws(p + 1, end, &line);
	if (p == end || *p++ != '}')
		return SD_ERR_INVALID;
	p = skip_ws(p, end, &line);
	return p == end ? SD_OK : SD_ERR_INVALID;
}
