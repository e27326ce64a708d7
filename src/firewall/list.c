#include "firewall/list.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "firewall/link.h"

struct cand {
	struct fw_val v;
	uint8_t family;
};

struct cands {
	struct cand *v;
	size_t n, cap, dropped;
};

static int push(struct cands *c, struct fw_val v, int family)
{
	struct cand *nv;

	if (c->n == FW_MAX_LIST_CANDIDATES) {
		c->dropped++;
		return SD_OK;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL)
			return SD_ERR_ALLOC;
		c->v = nv;
	}
	c->v[c->n].v = v;
	c->v[c->n].family = (uint8_t)family;
	c->n++;
	return SD_OK;
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return fw_val_cmp(a->v, b->v);
}

/* Is v covered by any source condition or address set the ruleset has? */
static int mentioned(const struct fw_ruleset *rs, struct fw_val v, int family)
{
	const struct fw_cond *c;
	uint32_t i;

	for (i = 0; i < rs->nconds; i++) {
		c = &rs->conds[i];
		if (c->field != FWF_SADDR || (c->fam && c->fam != family))
			continue;
		if (c->kind == FWC_RANGE && fw_val_cmp(c->a, v) <= 0 && fw_val_cmp(v, c->b) <= 0)
			return 1;
		if (c->kind == FWC_MASKED && fw_val_eq(fw_val_and(v, c->b), c->a))
			return 1;
	}
	for (i = 0; i < rs->nsets; i++) {
		const struct fw_set *s = &rs->sets[i];

		if ((s->key == FW_SK_ADDR4 && family == 4) ||
		    (s->key == FW_SK_ADDR6 && family == 6))
			if (fw_set_lookup(rs, i, v, family, NULL, NULL, NULL) != FW_MEMBER_NO)
				return 1;
	}
	return 0;
}

/* An address nobody wrote a rule about, from the documentation ranges first. */
static struct fw_val outsider(const struct fw_ruleset *rs, int family)
{
	static const char *const v4[] = {"203.0.113.254",  "198.51.100.254", "192.0.2.254",
	                                 "100.64.255.254", "172.31.255.254", "8.8.4.4"};
	static const char *const v6[] = {"2001:db8:ffff::fe", "2001:db8:fffe::fe", "fd5e:ffff::fe"};
	const char *const *list = family == 4 ? v4 : v6;
	size_t n = family == 4 ? sizeof(v4) / sizeof(v4[0]) : sizeof(v6) / sizeof(v6[0]), i;
	struct fw_val v, first = {0, 0};

	for (i = 0; i < n; i++) {
		fw_parse_addr(list[i], strlen(list[i]), family, &v, NULL);
		if (i == 0)
			first = v;
		if (!mentioned(rs, v, family))
			return v;
	}
	return first;
}

static int families_in_use(const struct fw_ruleset *rs, int family)
{
	uint32_t i;

	for (i = 0; i < rs->ntables; i++) {
		const struct fw_table *t = &rs->tables[i];

		if (t->skip)
			continue;
		if (t->family == FW_NF_INET || t->family == FW_NF_NETDEV ||
		    (t->family == FW_NF_IPV4 && family == 4) ||
		    (t->family == FW_NF_IPV6 && family == 6))
			return 1;
	}
	return 0;
}

static int gather(const struct fw_ruleset *rs, struct cands *c)
{
	const struct fw_cond *k;
	uint32_t i, e;
	int r;

	for (i = 0; i < rs->nconds; i++) {
		k = &rs->conds[i];
		if (k->field != FWF_SADDR || !k->fam ||
		    (k->kind != FWC_RANGE && k->kind != FWC_MASKED))
			continue;
		if ((r = push(c, k->a, k->fam)) != 0)
			return r;
	}
	for (i = 0; i < rs->nsets; i++) {
		const struct fw_set *s = &rs->sets[i];

		if (s->key != FW_SK_ADDR4 && s->key != FW_SK_ADDR6)
			continue;
		for (e = 0; e < s->nelems; e++)
			if ((r = push(c, s->elems[e].lo, s->key == FW_SK_ADDR4 ? 4 : 6)) != 0)
				return r;
	}
	return SD_OK;
}

static int add_listed(struct fw_listing *l, size_t *cap, const struct fw_answer *a,
                      const struct ip_addr *addr, int other)
{
	const struct fw_frame *f = fw_answer_decisive(a);
	const struct fw_decision *d = &a->pkt[a->blocked];
	struct fw_listed *nv, *e;

	if (l->nblocked == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((nv = realloc(l->blocked, *cap * sizeof(*nv))) == NULL)
			return SD_ERR_ALLOC;
		l->blocked = nv;
	}
	e = &l->blocked[l->nblocked++];
	memset(e, 0, sizeof(*e));
	e->addr = *addr;
	e->sees = a->sees;
	e->pkt = a->blocked;
	e->other = (uint8_t)other;
	e->decisive = *f;
	e->set = d->set;
	e->elem = d->elem;
	return SD_OK;
}

int fw_list_blocked(const struct fw_ruleset *rs, const struct fw_question *tmpl,
                    struct fw_listing *out)
{
	struct cands c = {NULL, 0, 0, 0};
	struct fw_question q = *tmpl;
	struct fw_answer a;
	size_t i, cap = 0;
	int r, fam, k;

	memset(out, 0, sizeof(*out));
	if ((r = gather(rs, &c)) != 0)
		goto out;
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), cand_cmp);
	for (i = 0; i < c.n; i++) {
		if (i && c.v[i].family == c.v[i - 1].family && fw_val_eq(c.v[i].v, c.v[i - 1].v))
			continue;
		fw_val_to_addr(c.v[i].v, c.v[i].family, &q.client);
		fw_answer_assume(rs, &q, NULL, &a);
		out->ncandidates++;
		if (a.blocked == FW_PKT__COUNT) {
			out->naccepted++;
			continue;
		}
		if ((r = add_listed(out, &cap, &a, &q.client, 0)) != 0)
			goto out;
	}
	out->ntruncated = c.dropped;
	for (k = 0; k < 2; k++) {
		fam = k ? 6 : 4;
		if (!families_in_use(rs, fam))
			continue;
		fw_val_to_addr(outsider(rs, fam), fam, &q.client);
		out->other[k] = q.client;
		out->other_tried[k] = 1;
		if (tmpl->server.family && tmpl->server.family != fam)
			memset(&q.server, 0, sizeof(q.server));
		else
			q.server = tmpl->server;
		fw_answer_assume(rs, &q, NULL, &a);
		if (a.blocked != FW_PKT__COUNT) {
			out->other_blocked[k] = 1;
			if ((r = add_listed(out, &cap, &a, &q.client, 1)) != 0)
				goto out;
		}
	}
out:
	free(c.v);
	if (r != SD_OK)
		fw_listing_release(out);
	return r;
}

void fw_listing_release(struct fw_listing *l)
{
	free(l->blocked);
	memset(l, 0, sizeof(*l));
}
