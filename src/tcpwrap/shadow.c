/*
 * shadow.c — rules that earlier rules always pre-empt (see shadow.h).
 */
#include "tcpwrap/shadow.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/compat.h"
#include "tcpwrap/patterns.h"

/* Daemon x client pairs of a rule we look for coverage of; rules with more are skipped. */
#define PAIRS_MAX 64

static size_t clients_end(const struct ha_rule *r)
{
	return r->colon2 == HA_NO_OPTIONS ? r->len : r->colon2;
}

struct ha_shadow_slot {
	const char *key; /* an exact client pattern */
	uint32_t len;
	uint32_t head; /* first entry index + 1; 0 = empty slot */
	uint32_t tail;
};

/* Rules holding an exact client pattern, in file order. */
struct ha_shadow_entry {
	uint32_t rule;
	uint32_t next; /* entry index + 1 */
};

/* A broad rule, its first groups prepared once. */
struct ha_shadow_broad {
	uint32_t rule;
	struct ha_group d;
	size_t nc;
	struct ha_pat c[HA_GROUP_MAX];
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint64_t)tw_toupper((unsigned char)s[i])) * 1099511628211ull;
	return h;
}

static struct ha_shadow_slot *find_slot(const struct ha_shadow *ix, const char *key, size_t len)
{
	size_t i = (size_t)hash(key, len) & (ix->nslots - 1);

	while (ix->slots[i].head && !tw_memeq(ix->slots[i].key, ix->slots[i].len, key, len))
		i = (i + 1) & (ix->nslots - 1);
	return &ix->slots[i];
}

static int grow_slots(struct ha_shadow *ix)
{
	struct ha_shadow old = *ix;
	struct ha_shadow_slot *s;
	size_t i;

	ix->nslots = old.nslots ? old.nslots * 2 : 1024;
	if (!(ix->slots = calloc(ix->nslots, sizeof(*ix->slots)))) {
		ix->slots = old.slots;
		ix->nslots = old.nslots;
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < old.nslots; i++) {
		if (!old.slots[i].head)
			continue;
		s = find_slot(ix, old.slots[i].key, old.slots[i].len);
		*s = old.slots[i];
	}
	free(old.slots);
	return 0;
}

static int index_exact(struct ha_shadow *ix, const char *key, size_t len, uint32_t rule)
{
	struct ha_shadow_slot *s;
	struct ha_shadow_entry *e;
	size_t n;

	if ((ix->used + 1) * 2 > ix->nslots && grow_slots(ix) != 0)
		return SD_ERR_ALLOC;
	if (ix->ne == ix->ealloc) {
		n = ix->ealloc ? ix->ealloc * 2 : 1024;
		if (!(e = realloc(ix->e, n * sizeof(*e))))
			return SD_ERR_ALLOC;
		ix->e = e;
		ix->ealloc = n;
	}
	s = find_slot(ix, key, len);
	ix->e[ix->ne].rule = rule;
	ix->e[ix->ne].next = 0;
	ix->ne++;
	if (!s->head) {
		s->key = key;
		s->len = (uint32_t)len;
		s->head = (uint32_t)ix->ne;
		ix->used++;
	} else {
		ix->e[s->tail - 1].next = (uint32_t)ix->ne;
	}
	s->tail = (uint32_t)ix->ne;
	return 0;
}

static int group_covers_daemon(struct ha_shadow *ix, const struct ha_group *g, const char *d,
                               size_t dlen)
{
	size_t i;

	for (i = 0; i < g->n; i++, ix->work++)
		if (ha_pat_covers_daemon(g->tok[i], g->len[i], d, dlen))
			return 1;
	return 0;
}

/* May rule `a` shadow rule `b` (earlier, and not a hosts.allow rule that may fall through)? */
static int eligible(const struct ha_shadow_rule *a, const struct ha_shadow_rule *b)
{
	return a->coverer && (a->table == b->table || !a->aclexec);
}

/* The earliest rule matching every (d, c) request, or -1. */
static long find_cover(struct ha_shadow *ix, const struct ha_shadow_rule *rules, uint32_t self,
                       const char *d, size_t dlen, const struct ha_pat *c)
{
	const struct ha_shadow_slot *s;
	const struct ha_shadow_broad *b;
	struct ha_group g;
	uint32_t e;
	long best = -1;
	size_t i, walked = 0;

	if (c->kind == HA_PAT_EXACT && ix->nslots) {
		/* Rules with this exact client pattern; their daemon list decides. */
		s = find_slot(ix, c->s, c->len);
		for (e = s->head; e && walked < HA_LINT_CHAIN_MAX;
		     e = ix->e[e - 1].next, walked++) {
			const struct ha_shadow_rule *a = &rules[ix->e[e - 1].rule];

			if (!eligible(a, &rules[self]))
				continue;
			ha_first_group(a->r->text, a->r->colon1, &g);
			if (group_covers_daemon(ix, &g, d, dlen)) {
				best = ix->e[e - 1].rule;
				break;
			}
		}
	}
	for (i = 0; i < ix->nbroad; i++) {
		b = ix->broad[i];
		if ((best >= 0 && b->rule > (uint32_t)best) ||
		    !eligible(&rules[b->rule], &rules[self]))
			continue;
		if (!group_covers_daemon(ix, &b->d, d, dlen))
			continue;
		for (size_t j = 0; j < b->nc; j++, ix->work++) {
			if (ha_pat_covers(&b->c[j], c)) {
				best = b->rule;
				break;
			}
		}
	}
	return best;
}

int ha_shadow_check(struct ha_shadow *ix, struct ha_shadow_rule *rules, uint32_t self, long *by)
{
	struct ha_shadow_rule *b = &rules[self];
	const struct ha_rule *r = b->r;
	struct ha_group dg, cg;
	struct ha_pat c[HA_GROUP_MAX];
	struct ha_shadow_broad *br;
	long cover, first = -1;
	size_t i, j;
	int broad = 0, res;

	*by = -1;
	ha_first_group(r->text, r->colon1, &dg);
	ha_first_group(r->text + r->colon1 + 1, clients_end(r) - r->colon1 - 1, &cg);
	if (dg.overflow || cg.overflow || dg.n == 0 || cg.n == 0)
		return 0;
	for (j = 0; j < cg.n; j++)
		ha_pat_classify(cg.tok[j], cg.len[j], &c[j]);
	if (dg.n * cg.n <= PAIRS_MAX) {
		for (i = 0; i < dg.n && first != -2; i++) {
			for (j = 0; j < cg.n; j++) {
				cover = find_cover(ix, rules, self, dg.tok[i], dg.len[i], &c[j]);
				if (cover < 0) {
					first = -2;
					break;
				}
				if (first < 0 || cover < first)
					first = cover;
			}
		}
		if (first >= 0)
			*by = first;
	}
	b->coverer = !dg.except && !cg.except;
	if (!b->coverer)
		return 0;
	for (i = 0; i < dg.n; i++)
		broad |= !ha_pat_plain_daemon(dg.tok[i], dg.len[i]);
	for (j = 0; j < cg.n; j++)
		broad |= c[j].kind != HA_PAT_EXACT;
	if (broad) {
		if (ix->nbroad == HA_LINT_BROAD_MAX)
			return 0;
		if (!(br = malloc(sizeof(*br))))
			return SD_ERR_ALLOC;
		br->rule = self;
		br->d = dg;
		br->nc = cg.n;
		memcpy(br->c, c, cg.n * sizeof(c[0]));
		ix->broad[ix->nbroad++] = br;
		return 0;
	}
	for (j = 0; j < cg.n; j++)
		if ((res = index_exact(ix, cg.tok[j], cg.len[j], self)) != 0)
			return res;
	return 0;
}

void ha_shadow_init(struct ha_shadow *s)
{
	memset(s, 0, sizeof(*s));
}

void ha_shadow_free(struct ha_shadow *s)
{
	size_t i;

	for (i = 0; i < s->nbroad; i++)
		free(s->broad[i]);
	free(s->slots);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

int ha_shadow_exhausted(const struct ha_shadow *s)
{
	return s->work > HA_LINT_WORK_MAX;
}
