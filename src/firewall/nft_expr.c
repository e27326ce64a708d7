/*
 * nft_expr.c — nft JSON statements and expressions (nft src/json.c, src/parser_json.c) as
 * conditions and verdicts.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "firewall/nft_int.h"

/* What a left-hand expression reads from the packet. */
struct lhs {
	uint8_t field; /* enum fw_field, FWF__COUNT when not modelled */
	uint8_t fam, l4;
	uint8_t never;      /* a protocol our TCP packets never carry: always false */
	uint8_t fib_exists; /* fib … oif: "missing" is false (we assume valid routes) */
	int has_mask;
	struct fw_val mask;
};

static const struct {
	const char *name;
	unsigned bit;
} ct_state_names[] = {{"new", FW_CT_NEW},
                      {"established", FW_CT_ESTABLISHED},
                      {"related", FW_CT_RELATED},
                      {"invalid", FW_CT_INVALID},
                      {"untracked", FW_CT_UNTRACKED}};

static const struct {
	const char *name;
	unsigned bit;
} tcp_flag_names[] = {{"fin", FW_TCP_FIN}, {"syn", FW_TCP_SYN}, {"rst", FW_TCP_RST},
                      {"psh", FW_TCP_PSH}, {"ack", FW_TCP_ACK}, {"urg", FW_TCP_URG},
                      {"ecn", FW_TCP_ECE}, {"cwr", FW_TCP_CWR}};

static const struct {
	const char *name;
	unsigned bit;
} fib_type_names[] = {{"unspec", FW_AT_UNSPEC},       {"unicast", FW_AT_UNICAST},
                      {"local", FW_AT_LOCAL},         {"broadcast", FW_AT_BROADCAST},
                      {"anycast", FW_AT_ANYCAST},     {"multicast", FW_AT_MULTICAST},
                      {"blackhole", FW_AT_BLACKHOLE}, {"unreachable", FW_AT_UNREACHABLE},
                      {"prohibit", FW_AT_PROHIBIT}};

static const struct {
	const char *name;
	unsigned num;
} proto_names[] = {{"tcp", 6},    {"udp", 17},  {"icmp", 1},      {"icmpv6", 58}, {"ipv6-icmp", 58},
                   {"sctp", 132}, {"dccp", 33}, {"udplite", 136}, {"esp", 50},    {"ah", 51},
                   {"gre", 47},   {"igmp", 2},  {"comp", 108}};

static const struct {
	const char *name;
	unsigned port;
} service_names[] = {{"ssh", 22},        {"http", 80},  {"https", 443}, {"smtp", 25},
                     {"domain", 53},     {"ftp", 21},   {"telnet", 23}, {"ntp", 123},
                     {"imap", 143},      {"pop3", 110}, {"imaps", 993}, {"pop3s", 995},
                     {"submission", 587}};

uint8_t nft_key_of_type(const char *type, uint8_t *fam)
{
	*fam = 0;
	if (strcmp(type, "ipv4_addr") == 0) {
		*fam = 4;
		return FW_SK_ADDR4;
	}
	if (strcmp(type, "ipv6_addr") == 0) {
		*fam = 6;
		return FW_SK_ADDR6;
	}
	if (strcmp(type, "inet_service") == 0)
		return FW_SK_PORT;
	if (strcmp(type, "inet_proto") == 0)
		return FW_SK_PROTO;
	if (strcmp(type, "mark") == 0)
		return FW_SK_MARK;
	if (strcmp(type, "ct_state") == 0)
		return FW_SK_CTSTATE;
	if (strcmp(type, "ifname") == 0)
		return FW_SK_IFNAME;
	return FW_SK_UNSUPPORTED;
}

/* A symbolic or numeric scalar of a field: "tcp", "established", "ssh", 22, "0x10". */
static int scalar(uint8_t field, json_t *v, uint64_t *ret)
{
	const char *s;
	size_t k;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return SD_ERR_INVALID;
		*ret = (uint64_t)json_integer_value(v);
		return SD_OK;
	}
	if (json_is_boolean(v)) {
		*ret = json_is_true(v);
		return SD_OK;
	}
	if ((s = json_string_value(v)) == NULL)
		return SD_ERR_INVALID;
	if (fw_parse_uint(s, strlen(s), UINT64_MAX, ret) == 0)
		return SD_OK;
	switch (field) {
	case FWF_L4PROTO:
		for (k = 0; k < sizeof(proto_names) / sizeof(proto_names[0]); k++)
			if (strcmp(s, proto_names[k].name) == 0)
				return (*ret = proto_names[k].num), SD_OK;
		return SD_ERR_INVALID;
	case FWF_SPORT:
	case FWF_DPORT:
		for (k = 0; k < sizeof(service_names) / sizeof(service_names[0]); k++)
			if (strcmp(s, service_names[k].name) == 0)
				return (*ret = service_names[k].port), SD_OK;
		return SD_ERR_INVALID;
	case FWF_CTSTATE:
		for (k = 0; k < sizeof(ct_state_names) / sizeof(ct_state_names[0]); k++)
			if (strcmp(s, ct_state_names[k].name) == 0)
				return (*ret = ct_state_names[k].bit), SD_OK;
		return SD_ERR_INVALID;
	case FWF_TCPFLAGS:
		for (k = 0; k < sizeof(tcp_flag_names) / sizeof(tcp_flag_names[0]); k++)
			if (strcmp(s, tcp_flag_names[k].name) == 0)
				return (*ret = tcp_flag_names[k].bit), SD_OK;
		return SD_ERR_INVALID;
	case FWF_SRCTYPE:
	case FWF_DSTTYPE:
		for (k = 0; k < sizeof(fib_type_names) / sizeof(fib_type_names[0]); k++)
			if (strcmp(s, fib_type_names[k].name) == 0)
				return (*ret = fib_type_names[k].bit), SD_OK;
		return SD_ERR_INVALID;
	case FWF_NFPROTO:
		if (strcmp(s, "ipv4") == 0 || strcmp(s, "ip") == 0)
			return (*ret = 4), SD_OK;
		if (strcmp(s, "ipv6") == 0 || strcmp(s, "ip6") == 0)
			return (*ret = 6), SD_OK;
		return SD_ERR_INVALID;
	case FWF_CTDIR:
		if (strcmp(s, "original") == 0)
			return (*ret = 1), SD_OK;
		if (strcmp(s, "reply") == 0)
			return (*ret = 2), SD_OK;
		return SD_ERR_INVALID;
	case FWF_PKTTYPE:
		*ret = strcmp(s, "host") == 0 || strcmp(s, "unicast") == 0 ? FW_PT_HOST
		       : strcmp(s, "broadcast") == 0                       ? FW_PT_BROADCAST
		       : strcmp(s, "multicast") == 0                       ? FW_PT_MULTICAST
		                                                           : FW_PT_OTHER;
		return SD_OK;
	default:
		return SD_ERR_INVALID;
	}
}

/* Flag fields may come as a list: ["established", "related"] → OR of the bits. */
static int flags_value(uint8_t field, json_t *v, uint64_t *ret)
{
	json_t *e;
	uint64_t bits = 0, b;
	size_t i;

	if (!json_is_array(v))
		return scalar(field, v, ret);
	json_array_foreach(v, i, e)
	{
		if (scalar(field, e, &b) != 0)
			return SD_ERR_INVALID;
		bits |= b;
	}
	*ret = bits;
	return SD_OK;
}

static int is_addr_field(uint8_t f)
{
	return f == FWF_SADDR || f == FWF_DADDR;
}

/* An element or right-hand value; `field` says how to read symbolic integers. */
static int elem_value(struct nft_ctx *x, uint8_t key, uint8_t field, json_t *v, struct fw_val *lo,
                      struct fw_val *hi, uint32_t *str)
{
	json_t *o;
	const char *s;
	uint64_t n, m;
	int fam;

	if ((o = json_object_get(v, "elem")) != NULL)
		return elem_value(x, key, field, json_object_get(o, "val"), lo, hi, str);
	if (key == FW_SK_ADDR4 || key == FW_SK_ADDR6) {
		fam = key == FW_SK_ADDR4 ? 4 : 6;
		if ((o = json_object_get(v, "prefix")) != NULL) {
			s = json_string_value(json_object_get(o, "addr"));
			if (!s || fw_parse_addr(s, strlen(s), fam, lo, NULL) != 0 ||
			    !json_is_integer(json_object_get(o, "len")))
				return SD_ERR_INVALID;
			n = (uint64_t)json_integer_value(json_object_get(o, "len"));
			fw_prefix_interval(*lo, fam, (unsigned)(n > 128 ? 128 : n), lo, hi);
			return SD_OK;
		}
		if ((o = json_object_get(v, "range")) != NULL) {
			const char *a = json_string_value(json_array_get(o, 0));
			const char *b = json_string_value(json_array_get(o, 1));

			if (!a || !b || fw_parse_addr(a, strlen(a), fam, lo, NULL) != 0 ||
			    fw_parse_addr(b, strlen(b), fam, hi, NULL) != 0 ||
			    fw_val_cmp(*lo, *hi) > 0)
				return SD_ERR_INVALID;
			return SD_OK;
		}
		if ((s = json_string_value(v)) == NULL ||
		    fw_parse_addr(s, strlen(s), fam, lo, NULL))
			return SD_ERR_INVALID;
		*hi = *lo;
		return SD_OK;
	}
	if (key == FW_SK_IFNAME) {
		size_t len;

		if ((s = json_string_value(v)) == NULL)
			return SD_ERR_INVALID;
		len = strlen(s);
		*lo = *hi = fw_val_u64(len && s[len - 1] == '*');
		if ((*str = fw_str_add(x->rs, s, len - (size_t)(len && s[len - 1] == '*'))) ==
		    FW_NONE)
			return SD_ERR_ALLOC;
		return SD_OK;
	}
	if ((o = json_object_get(v, "range")) != NULL) {
		if (scalar(field, json_array_get(o, 0), &n) != 0 ||
		    scalar(field, json_array_get(o, 1), &m) != 0 || n > m)
			return SD_ERR_INVALID;
		*lo = fw_val_u64(n);
		*hi = fw_val_u64(m);
		return SD_OK;
	}
	if (key == FW_SK_UNSUPPORTED || scalar(field, v, &n) != 0)
		return SD_ERR_INVALID;
	*lo = *hi = fw_val_u64(n);
	return SD_OK;
}

int nft_elem_value(struct nft_ctx *x, uint8_t key, json_t *v, struct fw_val *lo, struct fw_val *hi,
                   uint32_t *str)
{
	uint8_t field = key == FW_SK_PORT      ? FWF_DPORT
	                : key == FW_SK_PROTO   ? FWF_L4PROTO
	                : key == FW_SK_CTSTATE ? FWF_CTSTATE
	                                       : FWF_MARK;

	return elem_value(x, key, field, v, lo, hi, str);
}

int nft_map_verdict(struct nft_ctx *x, json_t *v, uint32_t *ret)
{
	struct fw_mapverdict mv = {FW_V_NONE, x->table, FW_NONE};
	const char *t;

	if (json_object_get(v, "accept"))
		mv.verdict = FW_V_ACCEPT;
	else if (json_object_get(v, "drop"))
		mv.verdict = FW_V_DROP;
	else if (json_object_get(v, "return"))
		mv.verdict = FW_V_RETURN;
	else if (json_object_get(v, "continue"))
		mv.verdict = FW_V_NONE;
	else if (json_object_get(v, "jump") || json_object_get(v, "goto")) {
		mv.verdict = json_object_get(v, "jump") ? FW_V_JUMP : FW_V_GOTO;
		t = json_string_value(json_object_get(
		    json_object_get(v, mv.verdict == FW_V_JUMP ? "jump" : "goto"), "target"));
		if (!t)
			return SD_ERR_INVALID;
		if ((mv.name = fw_str_add(x->rs, t, strlen(t))) == FW_NONE)
			return SD_ERR_ALLOC;
	} else {
		return SD_ERR_INVALID;
	}
	return fw_verdict_add(x->rs, &mv, ret);
}

/* ---- left-hand sides ---- */

static int payload_lhs(json_t *o, struct lhs *l)
{
	const char *p = json_string_value(json_object_get(o, "protocol"));
	const char *f = json_string_value(json_object_get(o, "field"));

	if (!p || !f)
		return SD_ERR_INVALID; /* raw payload (base/offset/len) */
	if (strcmp(p, "ip") == 0 || strcmp(p, "ip6") == 0) {
		l->fam = p[2] == '6' ? 6 : 4;
		if (strcmp(f, "saddr") == 0)
			l->field = FWF_SADDR;
		else if (strcmp(f, "daddr") == 0)
			l->field = FWF_DADDR;
		else if (strcmp(f, "protocol") == 0 || strcmp(f, "nexthdr") == 0)
			l->field = FWF_L4PROTO;
		return SD_OK;
	}
	if (strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0 || strcmp(p, "sctp") == 0 ||
	    strcmp(p, "dccp") == 0 || strcmp(p, "udplite") == 0 || strcmp(p, "th") == 0) {
		l->l4 = p[0] == 't' && p[1] == 'c'    ? 6
		        : p[0] == 'u' && p[3] == '\0' ? 17
		        : p[0] == 's'                 ? 132
		        : p[0] == 'd'                 ? 33
		        : p[0] == 'u'                 ? 136
		                                      : 0;
		if (strcmp(f, "sport") == 0)
			l->field = FWF_SPORT;
		else if (strcmp(f, "dport") == 0)
			l->field = FWF_DPORT;
		else if (strcmp(f, "flags") == 0 && l->l4 == 6)
			l->field = FWF_TCPFLAGS;
		return SD_OK;
	}
	if (strcmp(p, "icmp") == 0 || strcmp(p, "icmpv6") == 0 || strcmp(p, "igmp") == 0 ||
	    strcmp(p, "esp") == 0 || strcmp(p, "ah") == 0 || strcmp(p, "comp") == 0 ||
	    strcmp(p, "gre") == 0) {
		l->never = 1; /* a header our TCP packets do not have */
		return SD_OK;
	}
	return SD_OK; /* ether, vlan, arp, …: unmodelled */
}

static int meta_lhs(json_t *o, struct lhs *l)
{
	const char *k = json_string_value(json_object_get(o, "key"));

	if (!k)
		return SD_ERR_INVALID;
	if (strcmp(k, "l4proto") == 0)
		l->field = FWF_L4PROTO;
	else if (strcmp(k, "nfproto") == 0 || strcmp(k, "protocol") == 0)
		l->field = FWF_NFPROTO;
	else if (strcmp(k, "iifname") == 0 || strcmp(k, "iif") == 0)
		l->field = FWF_IIF;
	else if (strcmp(k, "oifname") == 0 || strcmp(k, "oif") == 0)
		l->field = FWF_OIF;
	else if (strcmp(k, "mark") == 0)
		l->field = FWF_MARK;
	else if (strcmp(k, "pkttype") == 0)
		l->field = FWF_PKTTYPE;
	else if (strcmp(k, "length") == 0)
		l->field = FWF_LENGTH;
	return SD_OK;
}

static int ct_lhs(json_t *o, struct lhs *l)
{
	const char *k = json_string_value(json_object_get(o, "key"));

	if (!k)
		return SD_ERR_INVALID;
	if (json_object_get(o, "dir"))
		return SD_OK; /* ct original saddr …: unmodelled */
	if (strcmp(k, "state") == 0)
		l->field = FWF_CTSTATE;
	else if (strcmp(k, "direction") == 0)
		l->field = FWF_CTDIR;
	else if (strcmp(k, "l3proto") == 0)
		l->field = FWF_NFPROTO;
	else if (strcmp(k, "protocol") == 0)
		l->field = FWF_L4PROTO;
	return SD_OK;
}

static int has_flag(json_t *flags, const char *f)
{
	json_t *e;
	size_t i;

	if (json_is_string(flags))
		return strcmp(json_string_value(flags), f) == 0;
	json_array_foreach(flags, i, e)
	{
		if (json_is_string(e) && strcmp(json_string_value(e), f) == 0)
			return 1;
	}
	return 0;
}

static int read_lhs(json_t *v, struct lhs *l, unsigned depth)
{
	json_t *o;
	uint64_t m;

	if (depth > FW_MAX_JSON_DEPTH)
		return SD_ERR_INVALID;
	if ((o = json_object_get(v, "payload")) != NULL)
		return payload_lhs(o, l);
	if ((o = json_object_get(v, "meta")) != NULL)
		return meta_lhs(o, l);
	if ((o = json_object_get(v, "ct")) != NULL)
		return ct_lhs(o, l);
	if ((o = json_object_get(v, "fib")) != NULL) {
		const char *res = json_string_value(json_object_get(o, "result"));
		json_t *flags = json_object_get(o, "flags");

		if (res && strcmp(res, "type") == 0 && has_flag(flags, "daddr") &&
		    !has_flag(flags, "iif") && !has_flag(flags, "oif"))
			l->field = FWF_DSTTYPE;
		else if (res && strcmp(res, "type") == 0 && has_flag(flags, "saddr") &&
		         !has_flag(flags, "iif") && !has_flag(flags, "oif"))
			l->field = FWF_SRCTYPE;
		else if (res && (strcmp(res, "oif") == 0 || strcmp(res, "oifname") == 0))
			l->fib_exists = 1;
		return SD_OK;
	}
	if ((o = json_object_get(v, "&")) != NULL && json_is_array(o) && json_array_size(o) == 2) {
		int r = read_lhs(json_array_get(o, 0), l, depth + 1);

		if (r != 0 || l->field == FWF__COUNT)
			return r;
		if (is_addr_field(l->field)) {
			const char *s = json_string_value(json_array_get(o, 1));

			if (!s || fw_parse_addr(s, strlen(s), l->fam, &l->mask, NULL) != 0)
				return SD_ERR_INVALID;
		} else {
			if (flags_value(l->field, json_array_get(o, 1), &m) != 0)
				return SD_ERR_INVALID;
			l->mask = fw_val_u64(m);
		}
		l->has_mask = 1;
		return SD_OK;
	}
	return SD_OK; /* concat, rt, socket, osf, exthdr, numgen, …: unmodelled */
}

/* ---- conditions ---- */

static struct fw_cond *new_cond(struct nft_ctx *x, const struct lhs *l, uint8_t kind, int neg)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return NULL;
	c->kind = kind;
	c->field = l->field;
	c->neg = neg ? 1 : 0;
	c->fam = l->fam;
	c->l4 = l->l4;
	return c;
}

static int add_tern(struct nft_ctx *x, const struct lhs *l, uint8_t tern, int likely,
                    const char *text)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_TERNARY;
	c->tern = tern;
	c->likely = likely ? 1 : 0;
	c->fam = l ? l->fam : 0;
	c->l4 = l ? l->l4 : 0;
	c->aux = fw_str_add(x->rs, text, strlen(text));
	return c->aux == FW_NONE ? SD_ERR_ALLOC : SD_OK;
}

static uint8_t key_of_field(const struct lhs *l)
{
	switch (l->field) {
	case FWF_SADDR:
	case FWF_DADDR:
		return l->fam == 6 ? FW_SK_ADDR6 : FW_SK_ADDR4;
	case FWF_SPORT:
	case FWF_DPORT:
		return FW_SK_PORT;
	case FWF_L4PROTO:
		return FW_SK_PROTO;
	case FWF_CTSTATE:
		return FW_SK_CTSTATE;
	case FWF_IIF:
	case FWF_OIF:
		return FW_SK_IFNAME;
	case FWF_MARK:
	case FWF_NFPROTO:
	case FWF_CTDIR:
	case FWF_PKTTYPE:
	case FWF_TCPFLAGS:
	case FWF_LENGTH:
		return FW_SK_MARK; /* plain integers */
	default:
		return FW_SK_UNSUPPORTED;
	}
}

/* An anonymous set {"set": [...]} keyed like the left-hand side. */
static int anon_set(struct nft_ctx *x, const struct lhs *l, json_t *elems, int is_map,
                    uint32_t *ret)
{
	struct fw_elem *el;
	json_t *e;
	uint32_t set, str;
	size_t i;
	int r;

	if ((r = fw_set_add(x->rs, x->table, x->src, "", 0, FW_SO_ANON, &set)) != 0)
		return r;
	x->rs->sets[set].key = key_of_field(l);
	x->rs->sets[set].family = l->fam;
	x->rs->sets[set].is_map = (uint8_t)is_map;
	x->rs->sets[set].type = is_map ? "anonymous map" : "anonymous set";
	if (x->rs->sets[set].key == FW_SK_UNSUPPORTED)
		return SD_ERR_INVALID;
	json_array_foreach(elems, i, e)
	{
		json_t *key = e, *val = NULL;

		if (is_map) {
			if (!json_is_array(e) || json_array_size(e) != 2)
				return SD_ERR_INVALID;
			key = json_array_get(e, 0);
			val = json_array_get(e, 1);
		}
		if ((el = fw_elem_add(x->rs, set)) == NULL)
			return SD_ERR_TOO_LONG;
		str = FW_NONE;
		if ((r = elem_value(x, x->rs->sets[set].key, l->field, key, &el->lo, &el->hi,
		                    &str)) != 0)
			return r;
		if (str != FW_NONE)
			el->data = str;
		if (val && (r = nft_map_verdict(x, val, &el->data)) != 0)
			return r;
	}
	*ret = set;
	return SD_OK;
}

static int named_set(struct nft_ctx *x, const struct lhs *l, const char *ref, int neg)
{
	struct fw_cond *c = new_cond(x, l, FWC_SET, neg);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->b.lo = 1; /* unresolved, in this table */
	c->b.hi = x->table;
	c->aux = fw_str_add(x->rs, ref + 1, strlen(ref + 1));
	return c->aux == FW_NONE ? SD_ERR_ALLOC : SD_OK;
}

/* field OP value, for the fields whose values are ranges of numbers or addresses. */
static int range_match(struct nft_ctx *x, const struct lhs *l, const char *op, json_t *right)
{
	struct fw_val lo, hi, max;
	struct fw_cond *c;
	uint32_t set, str = FW_NONE;
	int neg = strcmp(op, "!=") == 0, r;
	uint8_t key = key_of_field(l);

	if (json_is_string(right) && json_string_value(right)[0] == '@')
		return named_set(x, l, json_string_value(right), neg);
	if (json_object_get(right, "set")) {
		if ((r = anon_set(x, l, json_object_get(right, "set"), 0, &set)) != 0)
			return r;
		if ((c = new_cond(x, l, FWC_SET, neg)) == NULL)
			return SD_ERR_TOO_LONG;
		c->aux = set;
		return SD_OK;
	}
	if ((r = elem_value(x, key, l->field, right, &lo, &hi, &str)) != 0)
		return r;
	if (key == FW_SK_IFNAME) {
		if ((c = new_cond(x, l, FWC_IFNAME, neg)) == NULL)
			return SD_ERR_TOO_LONG;
		c->aux = str;
		c->a = lo;
		return SD_OK;
	}
	max = is_addr_field(l->field) ? fw_prefix_mask(l->fam, 128) : fw_val_u64(UINT64_MAX);
	if (strcmp(op, "<") == 0 || strcmp(op, "<=") == 0) {
		if (strcmp(op, "<") == 0) {
			if (lo.lo == 0 && lo.hi == 0) {
				if ((c = new_cond(x, l, FWC_CONST, 0)) == NULL) /* "< 0": never */
					return SD_ERR_TOO_LONG;
				return SD_OK;
			}
			if (lo.lo-- == 0)
				lo.hi--;
		}
		hi = lo;
		lo = fw_val_u64(0);
	} else if (strcmp(op, ">") == 0 || strcmp(op, ">=") == 0) {
		if (strcmp(op, ">") == 0 && ++hi.lo == 0)
			hi.hi++;
		lo = hi;
		hi = max;
	} else if (strcmp(op, "==") != 0 && strcmp(op, "!=") != 0 && strcmp(op, "in") != 0) {
		return SD_ERR_INVALID;
	}
	if ((c = new_cond(x, l, FWC_RANGE, neg)) == NULL)
		return SD_ERR_TOO_LONG;
	c->a = lo;
	c->b = hi;
	return SD_OK;
}

static int stmt_match(struct nft_ctx *x, json_t *m)
{
	const char *op = json_string_value(json_object_get(m, "op"));
	json_t *right = json_object_get(m, "right");
	struct lhs l;
	struct fw_cond *c;
	uint64_t v;
	int r, neg;

	memset(&l, 0, sizeof(l));
	l.field = FWF__COUNT;
	if (!op || !right)
		return SD_ERR_INVALID;
	neg = strcmp(op, "!=") == 0;
	if ((r = read_lhs(json_object_get(m, "left"), &l, 0)) != 0)
		return r;
	if (l.never) {
		struct fw_cond *k = fw_cond_add(x->rs);

		if (!k)
			return SD_ERR_TOO_LONG;
		k->kind = FWC_CONST; /* e.g. icmp type …: never a TCP packet */
		return SD_OK;
	}
	if (l.fib_exists && json_is_false(right)) {
		if ((c = fw_cond_add(x->rs)) == NULL)
			return SD_ERR_TOO_LONG;
		c->kind = FWC_CONST;
		c->a.lo = (uint64_t)neg; /* "oif missing" is false when routes are sane */
		return SD_OK;
	}
	if (l.field == FWF__COUNT)
		return add_tern(x, &l, FW_TERN_UNMODELLED, 0, "unmodelled match");
	/* flag-like fields: "in" (and == on a list) means any of the bits */
	if (l.field == FWF_CTSTATE || l.field == FWF_TCPFLAGS || l.field == FWF_SRCTYPE ||
	    l.field == FWF_DSTTYPE) {
		if (l.has_mask && (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0)) {
			if (flags_value(l.field, right, &v) != 0)
				return SD_ERR_INVALID;
			if ((c = new_cond(x, &l, FWC_MASKED, neg)) == NULL)
				return SD_ERR_TOO_LONG;
			c->a = fw_val_u64(v & l.mask.lo);
			c->b = l.mask;
			return SD_OK;
		}
		if (json_object_get(right, "set")) {
			json_t *e;
			size_t i;
			uint64_t b;

			v = 0;
			json_array_foreach(json_object_get(right, "set"), i, e)
			{
				if (scalar(l.field, e, &b) != 0)
					return SD_ERR_INVALID;
				v |= b;
			}
		} else if (flags_value(l.field, right, &v) != 0) {
			return SD_ERR_INVALID;
		}
		if (l.field == FWF_TCPFLAGS && strcmp(op, "==") == 0 && !json_is_array(right) &&
		    !json_object_get(right, "set")) {
			if ((c = new_cond(x, &l, FWC_MASKED, 0)) == NULL) /* exact flags */
				return SD_ERR_TOO_LONG;
			c->a = fw_val_u64(v);
			c->b = fw_val_u64(0xff);
			return SD_OK;
		}
		if ((c = new_cond(x, &l, FWC_ANYBIT, neg)) == NULL)
			return SD_ERR_TOO_LONG;
		c->a = fw_val_u64(v);
		return SD_OK;
	}
	if (l.has_mask) {
		struct fw_val val;

		if (is_addr_field(l.field)) {
			const char *s = json_string_value(right);

			if (!s || fw_parse_addr(s, strlen(s), l.fam, &val, NULL) != 0)
				return SD_ERR_INVALID;
		} else {
			if (scalar(l.field, right, &v) != 0)
				return SD_ERR_INVALID;
			val = fw_val_u64(v);
		}
		if ((strcmp(op, "==") != 0 && !neg) ||
		    (c = new_cond(x, &l, FWC_MASKED, neg)) == NULL)
			return SD_ERR_INVALID;
		c->a = fw_val_and(val, l.mask);
		c->b = l.mask;
		return SD_OK;
	}
	return range_match(x, &l, op, right);
}

/* ---- statements ---- */

static int set_verdict(struct nft_ctx *x, uint8_t verdict)
{
	x->rs->rules[x->rule].verdict = verdict;
	return SD_OK;
}

static int stmt_reject(struct nft_ctx *x, json_t *o)
{
	static const struct {
		const char *type, *code;
		enum fw_reject rj;
	} map[] = {
	    {"icmp", "net-unreachable", FW_RJ_NET_UNREACH},
	    {"icmp", "host-unreachable", FW_RJ_HOST_UNREACH},
	    {"icmp", "prot-unreachable", FW_RJ_PROTO_UNREACH},
	    {"icmp", "port-unreachable", FW_RJ_PORT_UNREACH},
	    {"icmp", "net-prohibited", FW_RJ_NET_PROHIB},
	    {"icmp", "host-prohibited", FW_RJ_HOST_PROHIB},
	    {"icmp", "admin-prohibited", FW_RJ_ADMIN_PROHIB},
	    {"icmpv6", "no-route", FW_RJ6_NO_ROUTE},
	    {"icmpv6", "admin-prohibited", FW_RJ6_ADM_PROHIB},
	    {"icmpv6", "addr-unreachable", FW_RJ6_ADDR_UNREACH},
	    {"icmpv6", "port-unreachable", FW_RJ6_PORT_UNREACH},
	    {"icmpv6", "policy-fail", FW_RJ6_POLICY_FAIL},
	    {"icmpv6", "reject-route", FW_RJ6_REJECT_ROUTE},
	    {"icmpx", "port-unreachable", FW_RJX_PORT_UNREACH},
	    {"icmpx", "admin-prohibited", FW_RJX_ADMIN_PROHIB},
	    {"icmpx", "no-route", FW_RJX_NO_ROUTE},
	    {"icmpx", "host-unreachable", FW_RJX_HOST_UNREACH},
	};
	struct fw_rule *r = &x->rs->rules[x->rule];
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *code = json_string_value(json_object_get(o, "expr"));
	struct fw_cond *c;
	size_t i;

	r->verdict = FW_V_REJECT;
	r->reject = FW_RJ_DEFAULT;
	if (!type)
		return SD_OK;
	/*
	 * nft lists these rules without the dependency it added (and the kernel applies):
	 * `meta l4proto tcp` for a reset, the family for an ICMP type.  Put it back.
	 */
	if (strcmp(type, "icmpx") != 0) {
		if ((c = fw_cond_add(x->rs)) == NULL)
			return SD_ERR_TOO_LONG;
		c->kind = FWC_RANGE;
		c->field = strcmp(type, "tcp reset") == 0 ? FWF_L4PROTO : FWF_NFPROTO;
		c->a = c->b = fw_val_u64(strcmp(type, "tcp reset") == 0 ? 6
		                         : strcmp(type, "icmpv6") == 0  ? 6
		                                                        : 4);
		r = &x->rs->rules[x->rule];
	}
	if (strcmp(type, "tcp reset") == 0) {
		r->reject = FW_RJ_TCP_RESET;
		return SD_OK;
	}
	if (!code) /* the type's default code: port unreachable */
		code = "port-unreachable";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(type, map[i].type) == 0 && strcmp(code, map[i].code) == 0) {
			r->reject = (uint8_t)map[i].rj;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID;
}

static int stmt_jump(struct nft_ctx *x, json_t *o, uint8_t verdict)
{
	struct fw_rule *r = &x->rs->rules[x->rule];
	const char *t = json_string_value(json_object_get(o, "target"));

	if (!t)
		return SD_ERR_INVALID;
	r->verdict = verdict;
	r->unresolved = 1;
	r->target = fw_str_add(x->rs, t, strlen(t));
	return r->target == FW_NONE ? SD_ERR_ALLOC : SD_OK;
}

static int stmt_vmap(struct nft_ctx *x, json_t *o)
{
	json_t *data = json_object_get(o, "data");
	struct fw_rule *r;
	struct lhs l;
	uint32_t set;
	int rc;

	memset(&l, 0, sizeof(l));
	l.field = FWF__COUNT;
	if ((rc = read_lhs(json_object_get(o, "key"), &l, 0)) != 0)
		return rc;
	if (l.field == FWF__COUNT || l.has_mask || l.never)
		goto unmodelled;
	if (json_is_string(data) && json_string_value(data)[0] == '@') {
		r = &x->rs->rules[x->rule];
		r->unresolved = 1;
		r->target = fw_str_add(x->rs, json_string_value(data) + 1,
		                       strlen(json_string_value(data) + 1));
		if (r->target == FW_NONE)
			return SD_ERR_ALLOC;
	} else {
		if ((rc = anon_set(x, &l, json_object_get(data, "set"), 1, &set)) == SD_ERR_ALLOC)
			return rc;
		if (rc != 0)
			goto unmodelled;
		r = &x->rs->rules[x->rule];
		r->target = set;
	}
	r->verdict = FW_V_VMAP;
	r->arg1 = l.field;
	r->arg2 = l.fam;
	r->vmap_l4 = l.l4;
	return SD_OK;
unmodelled:
	r = &x->rs->rules[x->rule];
	r->verdict = FW_V_UNMODELLED;
	r->target = fw_str_add(x->rs, "vmap", 4);
	return r->target == FW_NONE ? SD_ERR_ALLOC : SD_OK;
}

/* limit / ct count / quota, alone or inside a dynamic set update: a rate-dependent match. */
static int stateful(struct nft_ctx *x, const char *name, json_t *o)
{
	int inv = json_is_true(json_object_get(o, "inv"));
	char text[96];

	if (strcmp(name, "limit") == 0)
		snprintf(text, sizeof(text), "limit rate %s%lld/%s", inv ? "over " : "",
		         (long long)json_integer_value(json_object_get(o, "rate")),
		         json_string_value(json_object_get(o, "per"))
		             ? json_string_value(json_object_get(o, "per"))
		             : "second");
	else if (strcmp(name, "ct count") == 0)
		snprintf(text, sizeof(text), "ct count %s%lld", inv ? "over " : "",
		         (long long)json_integer_value(json_object_get(o, "val")));
	else
		snprintf(text, sizeof(text), "%s", name);
	/* under the limit is the usual case: "limit rate N" matches, "limit rate over N" not */
	return add_tern(x, NULL, FW_TERN_RATE, !inv, text);
}

static int stmt_dynset(struct nft_ctx *x, json_t *o)
{
	json_t *stmts = json_object_get(o, "stmt"), *s;
	const char *key;
	json_t *v;
	size_t i;
	int r;

	json_array_foreach(stmts, i, s)
	{
		json_object_foreach(s, key, v)
		{
			if (strcmp(key, "limit") == 0 || strcmp(key, "ct count") == 0 ||
			    strcmp(key, "quota") == 0)
				if ((r = stateful(x, key, v)) != 0)
					return r;
		}
	}
	return SD_OK;
}

static int unmodelled_target(struct nft_ctx *x, const char *what)
{
	struct fw_rule *r = &x->rs->rules[x->rule];

	r->verdict = FW_V_UNMODELLED;
	r->target = fw_str_add(x->rs, what, strlen(what));
	return r->target == FW_NONE ? SD_ERR_ALLOC : SD_OK;
}

static int one_stmt(struct nft_ctx *x, const char *key, json_t *v)
{
	char text[96];

	if (strcmp(key, "match") == 0)
		return stmt_match(x, v);
	if (strcmp(key, "counter") == 0 || strcmp(key, "log") == 0 || strcmp(key, "flow") == 0 ||
	    strcmp(key, "ct helper") == 0 || strcmp(key, "ct timeout") == 0 ||
	    strcmp(key, "ct expectation") == 0 || strcmp(key, "secmark") == 0 ||
	    strcmp(key, "synproxy") == 0 || strcmp(key, "dup") == 0)
		return SD_OK;
	if (strcmp(key, "accept") == 0)
		return set_verdict(x, FW_V_ACCEPT);
	if (strcmp(key, "drop") == 0)
		return set_verdict(x, FW_V_DROP);
	if (strcmp(key, "return") == 0)
		return set_verdict(x, FW_V_RETURN);
	if (strcmp(key, "continue") == 0)
		return set_verdict(x, FW_V_NONE);
	if (strcmp(key, "jump") == 0)
		return stmt_jump(x, v, FW_V_JUMP);
	if (strcmp(key, "goto") == 0)
		return stmt_jump(x, v, FW_V_GOTO);
	if (strcmp(key, "reject") == 0)
		return stmt_reject(x, v);
	if (strcmp(key, "vmap") == 0)
		return stmt_vmap(x, v);
	if (strcmp(key, "notrack") == 0)
		return set_verdict(x, FW_V_NOTRACK);
	if (strcmp(key, "limit") == 0 || strcmp(key, "ct count") == 0 || strcmp(key, "quota") == 0)
		return stateful(x, key, v);
	if (strcmp(key, "set") == 0 || strcmp(key, "map") == 0 || strcmp(key, "meter") == 0)
		return stmt_dynset(x, v);
	if (strcmp(key, "mangle") == 0) {
		json_t *k = json_object_get(json_object_get(v, "key"), "meta");
		json_t *val = json_object_get(v, "value");
		const char *mk = json_string_value(json_object_get(k, "key"));
		struct fw_rule *r = &x->rs->rules[x->rule];

		if (mk && strcmp(mk, "mark") == 0 && json_is_integer(val)) {
			r->verdict = FW_V_MARK;
			r->arg1 = (uint32_t)json_integer_value(val);
			r->arg2 = 0xffffffffu;
		}
		return SD_OK;
	}
	if (strcmp(key, "snat") == 0 || strcmp(key, "masquerade") == 0)
		return set_verdict(x, FW_V_ACCEPT);
	if (strcmp(key, "dnat") == 0 || strcmp(key, "redirect") == 0) {
		struct fw_rule *r;
		int rc = unmodelled_target(x, key);

		r = &x->rs->rules[x->rule];
		r->verdict = FW_V_NAT;
		if (json_is_integer(json_object_get(v, "port")))
			r->arg1 = (uint32_t)json_integer_value(json_object_get(v, "port"));
		r->arg2 = key[0] == 'r';
		return rc;
	}
	if (strcmp(key, "xt") == 0) {
		const char *type = json_string_value(json_object_get(v, "type"));
		const char *name = json_string_value(json_object_get(v, "name"));

		snprintf(text, sizeof(text), "xt %s %s", type ? type : "?", name ? name : "?");
		if (type && strcmp(type, "target") == 0)
			return unmodelled_target(x, text);
		return add_tern(x, NULL, FW_TERN_UNMODELLED, 0, text);
	}
	if (strcmp(key, "queue") == 0 || strcmp(key, "tproxy") == 0 || strcmp(key, "fwd") == 0)
		return unmodelled_target(x, key);
	snprintf(text, sizeof(text), "statement %s", key);
	return add_tern(x, NULL, FW_TERN_UNMODELLED, 0, text);
}

int nft_rule_exprs(struct nft_ctx *x, json_t *expr)
{
	const char *key;
	json_t *s, *v;
	size_t i;
	int r;

	if (!json_is_array(expr))
		return SD_ERR_INVALID;
	json_array_foreach(expr, i, s)
	{
		if (!json_is_object(s) || json_object_size(s) != 1)
			return SD_ERR_INVALID;
		json_object_foreach(s, key, v)
		{
			if ((r = one_stmt(x, key, v)) != 0)
				return r;
		}
	}
	return SD_OK;
}
