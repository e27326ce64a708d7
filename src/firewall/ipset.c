#include "firewall/ipset.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

struct word {
	const char *p;
	size_t len;
};

/* The next blank-separated word of [*s, end), "…" quoted words included. */
static int next_word(const char **s, const char *end, struct word *w)
{
	const char *p = *s;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end)
		return 0;
	w->p = p;
	if (*p == '"') {
		for (p++; p < end && *p != '"'; p += *p == '\\' && p + 1 < end ? 2 : 1)
			;
		if (p < end)
			p++;
	} else {
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
	w->len = (size_t)(p - w->p);
	*s = p;
	return 1;
}

static int word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->p, s, w->len) == 0;
}

static int parse_create(struct fw_ruleset *rs, uint32_t src, const char *s, const char *end,
                        uint32_t line)
{
	struct word name, type, w;
	struct fw_set *set;
	uint32_t idx;
	int family = 4, r;

	if (!next_word(&s, end, &name) || !next_word(&s, end, &type))
		return SD_ERR_INVALID;
	while (next_word(&s, end, &w))
		if (word_is(&w, "family") && next_word(&s, end, &w) && word_is(&w, "inet6"))
			family = 6;
	if (fw_set_find(rs, FW_NONE, name.p, name.len) != FW_NONE) {
		fw_note(rs, src, line, "ipset %.*s created twice; the first is kept", (int)name.len,
		        name.p);
		return SD_OK;
	}
	if ((r = fw_set_add(rs, FW_NONE, src, name.p, name.len, FW_SO_IPSET, &idx)) != 0)
		return r;
	set = &rs->sets[idx];
	set->line = line;
	if ((set->type = fw_strdup(rs, type.p, type.len)) == NULL)
		return SD_ERR_ALLOC;
	if (word_is(&type, "hash:ip") || word_is(&type, "hash:net") ||
	    word_is(&type, "bitmap:ip")) {
		set->family = (uint8_t)family;
		set->key = family == 6 ? FW_SK_ADDR6 : FW_SK_ADDR4;
	} else if (word_is(&type, "bitmap:port")) {
		set->key = FW_SK_PORT;
	} else if (word_is(&type, "list:set")) {
		set->key = FW_SK_LIST;
	}
	return SD_OK;
}

static int parse_entry(struct fw_ruleset *rs, struct fw_set *set, struct fw_elem *e,
                       const struct word *w)
{
	const char *dash;
	struct fw_val addr, mask, hi;
	uint64_t lo64, hi64;
	int fam, plen;

	if (set->key == FW_SK_PORT) {
		dash = memchr(w->p, '-', w->len);
		if (fw_parse_uint(w->p, dash ? (size_t)(dash - w->p) : w->len, 65535, &lo64) != 0)
			return SD_ERR_INVALID;
		hi64 = lo64;
		if (dash &&
		    fw_parse_uint(dash + 1, (size_t)(w->p + w->len - dash - 1), 65535, &hi64))
			return SD_ERR_INVALID;
		e->lo = fw_val_u64(lo64);
		e->hi = fw_val_u64(hi64);
		return SD_OK;
	}
	/* a range "A-B" (IPv4 only: IPv6 text has no '-') */
	dash = set->family == 4 ? memchr(w->p, '-', w->len) : NULL;
	if (dash) {
		if (fw_parse_addr(w->p, (size_t)(dash - w->p), 4, &addr, NULL) != 0 ||
		    fw_parse_addr(dash + 1, (size_t)(w->p + w->len - dash - 1), 4, &hi, NULL) !=
		        0 ||
		    fw_val_cmp(addr, hi) > 0)
			return SD_ERR_INVALID;
		e->lo = addr;
		e->hi = hi;
		return SD_OK;
	}
	if (fw_parse_prefix(w->p, w->len, set->family, &addr, &mask, &fam, &plen) != 0 || plen < 0)
		return SD_ERR_INVALID;
	fw_prefix_interval(addr, fam, (unsigned)plen, &e->lo, &e->hi);
	(void)rs;
	return SD_OK;
}

static int parse_add(struct fw_ruleset *rs, uint32_t src, const char *s, const char *end,
                     uint32_t line, uint32_t *cache)
{
	struct word name, entry, w;
	struct fw_set *set;
	struct fw_elem *e;
	uint32_t idx = *cache;
	const char **names;

	if (!next_word(&s, end, &name) || !next_word(&s, end, &entry))
		return SD_ERR_INVALID;
	if (idx == FW_NONE || rs->sets[idx].origin != FW_SO_IPSET ||
	    strlen(rs->sets[idx].name) != name.len || memcmp(rs->sets[idx].name, name.p, name.len))
		idx = fw_set_find(rs, FW_NONE, name.p, name.len);
	if (idx == FW_NONE) {
		fw_note(rs, src, line, "add to ipset %.*s before its create line", (int)name.len,
		        name.p);
		return SD_OK;
	}
	*cache = idx;
	set = &rs->sets[idx];
	if (set->key == FW_SK_UNSUPPORTED)
		return SD_OK; /* membership is not modelled for this type */
	if ((e = fw_elem_add(rs, idx)) == NULL)
		return SD_ERR_TOO_LONG;
	e->line = line;
	if (set->key == FW_SK_LIST) {
		/* member names are resolved at link time */
		if ((set->nelems & (set->nelems - 1)) == 0) { /* capacity doubles at powers of 2 */
			if ((names = realloc(set->names, 2 * set->nelems * sizeof(*names))) == NULL)
				return SD_ERR_ALLOC;
			set->names = names;
		}
		names = set->names;
		if ((names[set->nelems - 1] = fw_strdup(rs, entry.p, entry.len)) == NULL)
			return SD_ERR_ALLOC;
		return SD_OK;
	}
	if (parse_entry(rs, set, e, &entry) != 0) {
		set->nelems--;
		fw_note(rs, src, line, "ipset %s: unreadable entry %.*s", set->name, (int)entry.len,
		        entry.p);
		return SD_OK;
	}
	while (next_word(&s, end, &w))
		if (word_is(&w, "nomatch"))
			e->nomatch = set->has_nomatch = 1;
	return SD_OK;
}

int fw_ipset_parse(struct fw_ruleset *rs, uint32_t src)
{
	const struct fw_source *so = &rs->sources[src];
	const char *s = so->data, *end = so->data + so->len, *nl, *le, *p;
	struct word cmd;
	uint32_t line = 0, cache = FW_NONE;
	int r = SD_OK;

	for (; s < end; s = nl ? nl + 1 : end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		le = nl ? nl : end;
		line++;
		if ((size_t)(le - s) > FW_MAX_LINE)
			return SD_ERR_TOO_LONG;
		p = s;
		if (!next_word(&p, le, &cmd) || cmd.p[0] == '#')
			continue;
		if (word_is(&cmd, "add") || word_is(&cmd, "-A"))
			r = parse_add(rs, src, p, le, line, &cache);
		else if (word_is(&cmd, "create") || word_is(&cmd, "-N"))
			r = parse_create(rs, src, p, le, line);
		else if (!word_is(&cmd, "COMMIT"))
			fw_note(rs, src, line, "not an ipset save line: %.*s", (int)cmd.len, cmd.p);
		if (r == SD_ERR_INVALID) {
			fw_note(rs, src, line, "unreadable ipset line");
			r = SD_OK;
		}
		if (r != SD_OK)
			return r;
	}
	return SD_OK;
}
