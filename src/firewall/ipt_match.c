/*
 * ipt_match.c — the `-m` extensions the evaluator models, with the option spellings of
 * iptables' extensions/libxt_*.c (save functions print the long forms).
 */
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "firewall/ipt_ext.h"

/* Port names iptables-save never prints but hand-written files use. */
static const struct {
	const char *name;
	unsigned port;
} services[] = {{"ssh", 22},   {"http", 80},        {"https", 443}, {"smtp", 25},  {"domain", 53},
                {"ftp", 21},   {"telnet", 23},      {"pop3", 110},  {"imap", 143}, {"ntp", 123},
                {"snmp", 161}, {"submission", 587}, {"imaps", 993}, {"pop3s", 995}};

static int port_value(const char *s, size_t len, uint64_t *ret)
{
	size_t i;

	if (fw_parse_uint(s, len, 65535, ret) == 0)
		return SD_OK;
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (strlen(services[i].name) == len && memcmp(services[i].name, s, len) == 0) {
			*ret = services[i].port;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID;
}

int ipt_parse_port_range(const char *s, size_t len, uint64_t *lo, uint64_t *hi)
{
	const char *colon = memchr(s, ':', len);

	if (!colon)
		colon = memchr(s, '-', len); /* nft-style ranges in hand-written files */
	if (!colon) {
		if (port_value(s, len, lo) != 0)
			return SD_ERR_INVALID;
		*hi = *lo;
		return SD_OK;
	}
	if (colon == s)
		*lo = 0;
	else if (port_value(s, (size_t)(colon - s), lo) != 0)
		return SD_ERR_INVALID;
	if (colon + 1 == s + len)
		*hi = 65535;
	else if (port_value(colon + 1, (size_t)(s + len - colon - 1), hi) != 0)
		return SD_ERR_INVALID;
	if (*lo > *hi)
		return SD_ERR_INVALID;
	return SD_OK;
}

/* One option word and its position: fills *neg and *opt, returns 0 at the end of the match. */
static int next_option(const struct ipt_rule_ctx *x, uint32_t i, int *neg, uint32_t *opt)
{
	*neg = 0;
	if (i < x->ntok && ipt_tok_is(&x->tok[i], "!")) {
		*neg = 1;
		i++;
	}
	if (i >= x->ntok || x->tok[i].len < 3 || x->tok[i].p[0] != '-' || x->tok[i].p[1] != '-')
		return 0;
	*opt = i;
	return 1;
}

static int tok_list_has(const struct ipt_tok *t, const char *word)
{
	size_t n = strlen(word);
	const char *p = t->p, *end = t->p + t->len, *comma;

	for (; p < end; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		if ((size_t)(comma - p) == n && strncasecmp(p, word, n) == 0)
			return 1;
		if (comma == end)
			break;
	}
	return 0;
}

/* A name and the bits it stands for, in a comma-separated list of names. */
struct named_bits {
	const char *name;
	uint64_t bits;
};

/* "A,B" → the OR of their bits (names case-insensitive); SD_ERR_INVALID on an unknown name. */
static int names_to_bits(const struct ipt_tok *t, const struct named_bits *tab, size_t ntab,
                         uint64_t *ret)
{
	const char *p = t->p, *end = t->p + t->len, *comma;
	uint64_t bits = 0;
	size_t i, n;

	for (; p < end; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		n = (size_t)(comma - p);
		for (i = 0; i < ntab; i++)
			if (strlen(tab[i].name) == n && strncasecmp(p, tab[i].name, n) == 0)
				break;
		if (i == ntab)
			return SD_ERR_INVALID;
		bits |= tab[i].bits;
		if (comma == end)
			break;
	}
	*ret = bits;
	return SD_OK;
}

/* "NEW,ESTABLISHED" → FW_CT_* bits; SD_ERR_INVALID on an unknown word. */
static int ct_states(const struct ipt_tok *t, uint64_t *ret)
{
	static const struct named_bits st[] = {{"NEW", FW_CT_NEW},
	                                       {"ESTABLISHED", FW_CT_ESTABLISHED},
	                                       {"RELATED", FW_CT_RELATED},
	                                       {"INVALID", FW_CT_INVALID},
	                                       {"UNTRACKED", FW_CT_UNTRACKED},
	                                       {"SNAT", FW_CT_SNAT},
	                                       {"DNAT", FW_CT_DNAT}};

	return names_to_bits(t, st, sizeof(st) / sizeof(st[0]), ret);
}

static int tcp_flag_bits(const struct ipt_tok *t, uint64_t *ret)
{
	static const struct named_bits fl[] = {
	    {"FIN", FW_TCP_FIN}, {"SYN", FW_TCP_SYN}, {"RST", FW_TCP_RST}, {"PSH", FW_TCP_PSH},
	    {"ACK", FW_TCP_ACK}, {"URG", FW_TCP_URG}, {"ALL", 0x3f},       {"NONE", 0}};

	return names_to_bits(t, fl, sizeof(fl) / sizeof(fl[0]), ret);
}

static int add_masked(struct ipt_rule_ctx *x, enum fw_field f, int neg, uint64_t val, uint64_t mask)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_MASKED;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->a = fw_val_u64(val & mask);
	c->b = fw_val_u64(mask);
	return SD_OK;
}

static int add_anybit(struct ipt_rule_ctx *x, enum fw_field f, int neg, uint64_t bits)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_ANYBIT;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->a = fw_val_u64(bits);
	return SD_OK;
}

static int add_port(struct ipt_rule_ctx *x, enum fw_field f, int neg, const struct ipt_tok *t)
{
	uint64_t lo, hi;

	if (ipt_parse_port_range(t->p, t->len, &lo, &hi) != 0)
		return SD_ERR_INVALID;
	return ipt_add_range(x, f, neg, fw_val_u64(lo), fw_val_u64(hi));
}

/* multiport: "22,80,1000:2000" (≤ 15 ports, a range counts two). */
static int add_port_list(struct ipt_rule_ctx *x, enum fw_field f, int neg, const struct ipt_tok *t)
{
	const char *p = t->p, *end = t->p + t->len, *comma;
	struct fw_elem *e;
	struct fw_cond *c;
	uint64_t lo, hi;
	uint32_t set;
	int r;

	if (!memchr(t->p, ',', t->len))
		return add_port(x, f, neg, t);
	if ((r = fw_set_add(x->rs, FW_NONE, x->src, "", 0, FW_SO_ANON, &set)) != 0)
		return r;
	x->rs->sets[set].key = FW_SK_PORT;
	x->rs->sets[set].type = "multiport";
	for (; p < end; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		if (ipt_parse_port_range(p, (size_t)(comma - p), &lo, &hi) != 0)
			return SD_ERR_INVALID;
		if ((e = fw_elem_add(x->rs, set)) == NULL)
			return SD_ERR_TOO_LONG;
		e->lo = fw_val_u64(lo);
		e->hi = fw_val_u64(hi);
		if (comma == end)
			break;
	}
	if ((c = fw_cond_add(x->rs)) == NULL)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_SET;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->aux = set;
	return SD_OK;
}

static int add_addr_range(struct ipt_rule_ctx *x, enum fw_field f, int neg, const struct ipt_tok *t)
{
	const char *dash = memchr(t->p, '-', t->len);
	struct fw_val lo, hi;

	if (!dash || fw_parse_addr(t->p, (size_t)(dash - t->p), x->family, &lo, NULL) != 0 ||
	    fw_parse_addr(dash + 1, (size_t)(t->p + t->len - dash - 1), x->family, &hi, NULL) !=
	        0 ||
	    fw_val_cmp(lo, hi) > 0)
		return SD_ERR_INVALID;
	return ipt_add_range(x, f, neg, lo, hi);
}

static int addr_types(const struct ipt_tok *t, uint64_t *ret)
{
	static const struct {
		const char *name;
		unsigned bit;
	} ty[] = {{"UNSPEC", FW_AT_UNSPEC},
	          {"UNICAST", FW_AT_UNICAST},
	          {"LOCAL", FW_AT_LOCAL},
	          {"BROADCAST", FW_AT_BROADCAST},
	          {"ANYCAST", FW_AT_ANYCAST},
	          {"MULTICAST", FW_AT_MULTICAST},
	          {"BLACKHOLE", FW_AT_BLACKHOLE},
	          {"UNREACHABLE", FW_AT_UNREACHABLE},
	          {"PROHIBIT", FW_AT_PROHIBIT},
	          {"THROW", FW_AT_THROW},
	          {"NAT", FW_AT_NAT},
	          {"XRESOLVE", FW_AT_XRESOLVE}};
	uint64_t bits = 0;
	size_t i;

	for (i = 0; i < sizeof(ty) / sizeof(ty[0]); i++)
		if (tok_list_has(t, ty[i].name))
			bits |= ty[i].bit;
	if (!bits)
		return SD_ERR_INVALID;
	*ret = bits;
	return SD_OK;
}

/* -m set --match-set NAME src[,dst…]: resolved against the ipsets at link time. */
static int add_set(struct ipt_rule_ctx *x, int neg, const struct ipt_tok *name,
                   const struct ipt_tok *flags)
{
	struct fw_cond *c;

	if ((c = fw_cond_add(x->rs)) == NULL)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_SET;
	c->field = flags->len >= 3 && memcmp(flags->p, "dst", 3) == 0 ? FWF_DADDR : FWF_SADDR;
	c->neg = neg ? 1 : 0;
	c->fam = (uint8_t)x->family;
	c->b.lo = 1;       /* unresolved: aux names the set */
	c->b.hi = FW_NONE; /* in the ipset namespace */
	if ((c->aux = fw_str_add(x->rs, name->p, name->len)) == FW_NONE)
		return SD_ERR_ALLOC;
	return SD_OK;
}

/* Matches whose result depends on rate or state: consumed whole, one ternary condition. */
static int stateful(struct ipt_rule_ctx *x, const char *name, uint32_t start, uint32_t *i)
{
	const char *b, *e;
	uint32_t opt;
	int neg, likely = 1, any_neg = 0;
	enum fw_tern tern = FW_TERN_RATE;

	if (strcmp(name, "recent") == 0) {
		tern = FW_TERN_STATE;
		likely = 0; /* --rcheck/--update: the address is usually not in the list */
	}
	while (next_option(x, *i, &neg, &opt)) {
		const struct ipt_tok *t = &x->tok[opt];

		any_neg |= neg;
		if (ipt_tok_is(t, "--set"))
			likely = 1; /* recent --set always matches */
		else if (ipt_tok_is(t, "--hashlimit-above") || ipt_tok_is(t, "--connlimit-above"))
			likely = 0; /* over the limit is the unusual case */
		*i = opt + 1;
		/* option values never start with "--" */
		while (*i < x->ntok && !(x->tok[*i].len >= 2 && x->tok[*i].p[0] == '-') &&
		       !ipt_tok_is(&x->tok[*i], "!"))
			(*i)++;
	}
	if (any_neg)
		likely = !likely;
	ipt_span(x, start, *i, &b, &e);
	return ipt_add_tern(x, tern, likely, b, (size_t)(e - b));
}

int ipt_match(struct ipt_rule_ctx *x, const char *name, size_t name_len, uint32_t *i)
{
	char n[32];
	uint32_t opt, start = *i - 2;
	uint64_t v, m;
	int neg, r = SD_OK;

	if (name_len == 0 || name_len >= sizeof(n))
		return 0;
	memcpy(n, name, name_len);
	n[name_len] = '\0';
	if (strcmp(n, "recent") == 0 || strcmp(n, "limit") == 0 || strcmp(n, "hashlimit") == 0 ||
	    strcmp(n, "connlimit") == 0 || strcmp(n, "quota") == 0 || strcmp(n, "statistic") == 0)
		return stateful(x, n, start, i) == 0 ? 1 : -1;
	while (next_option(x, *i, &neg, &opt)) {
		const struct ipt_tok *t = &x->tok[opt],
		                     *v1 = opt + 1 < x->ntok ? &x->tok[opt + 1] : NULL;
		const struct ipt_tok *v2 = opt + 2 < x->ntok ? &x->tok[opt + 2] : NULL;
		uint32_t used = 1; /* words after the option name */

		if ((strcmp(n, "tcp") == 0 || strcmp(n, "udp") == 0 || strcmp(n, "sctp") == 0 ||
		     strcmp(n, "dccp") == 0 || strcmp(n, "udplite") == 0) &&
		    (ipt_tok_is(t, "--sport") || ipt_tok_is(t, "--source-port") ||
		     ipt_tok_is(t, "--dport") || ipt_tok_is(t, "--destination-port"))) {
			if (!v1)
				return 0;
			r = add_port(x, t->p[2] == 's' ? FWF_SPORT : FWF_DPORT, neg, v1);
		} else if (strcmp(n, "tcp") == 0 && ipt_tok_is(t, "--tcp-flags")) {
			if (!v2 || tcp_flag_bits(v1, &m) != 0 || tcp_flag_bits(v2, &v) != 0)
				return 0;
			r = add_masked(x, FWF_TCPFLAGS, neg, v, m);
			used = 2;
		} else if (strcmp(n, "tcp") == 0 && ipt_tok_is(t, "--syn")) {
			r = add_masked(x, FWF_TCPFLAGS, neg, FW_TCP_SYN,
			               FW_TCP_FIN | FW_TCP_SYN | FW_TCP_RST | FW_TCP_ACK);
			used = 0;
		} else if (strcmp(n, "multiport") == 0 &&
		           (ipt_tok_is(t, "--dports") || ipt_tok_is(t, "--destination-ports") ||
		            ipt_tok_is(t, "--sports") || ipt_tok_is(t, "--source-ports") ||
		            ipt_tok_is(t, "--ports"))) {
			if (!v1)
				return 0;
			r = add_port_list(x,
			                  ipt_tok_is(t, "--ports") ? FWF_PORT_ANY
			                  : t->p[2] == 's'         ? FWF_SPORT
			                                           : FWF_DPORT,
			                  neg, v1);
		} else if ((strcmp(n, "conntrack") == 0 && ipt_tok_is(t, "--ctstate")) ||
		           (strcmp(n, "state") == 0 && ipt_tok_is(t, "--state"))) {
			if (!v1 || ct_states(v1, &v) != 0)
				return 0;
			r = add_anybit(x, FWF_CTSTATE, neg, v);
		} else if (strcmp(n, "conntrack") == 0 && ipt_tok_is(t, "--ctdir")) {
			if (!v1)
				return 0;
			v = ipt_tok_is(v1, "REPLY") ? 2 : 1;
			r = ipt_add_range(x, FWF_CTDIR, neg, fw_val_u64(v), fw_val_u64(v));
		} else if (strcmp(n, "conntrack") == 0 && ipt_tok_is(t, "--ctproto")) {
			if (!v1 || (fw_parse_uint(v1->p, v1->len, 255, &v) != 0 &&
			            !(ipt_tok_is(v1, "tcp") && (v = 6)) &&
			            !(ipt_tok_is(v1, "udp") && (v = 17))))
				return 0;
			r = ipt_add_range(x, FWF_L4PROTO, neg, fw_val_u64(v), fw_val_u64(v));
		} else if (strcmp(n, "set") == 0 && ipt_tok_is(t, "--match-set")) {
			if (!v2)
				return 0;
			r = add_set(x, neg, v1, v2);
			used = 2;
		} else if (strcmp(n, "set") == 0 && neg &&
		           (ipt_tok_is(t, "--update-counters") ||
		            ipt_tok_is(t, "--update-subcounters"))) {
			used = 0; /* counters only */
		} else if (strcmp(n, "comment") == 0 && ipt_tok_is(t, "--comment")) {
			if (!v1)
				return 0;
		} else if (strcmp(n, "iprange") == 0 &&
		           (ipt_tok_is(t, "--src-range") || ipt_tok_is(t, "--dst-range"))) {
			if (!v1)
				return 0;
			r = add_addr_range(x, t->p[2] == 's' ? FWF_SADDR : FWF_DADDR, neg, v1);
		} else if (strcmp(n, "addrtype") == 0 &&
		           (ipt_tok_is(t, "--src-type") || ipt_tok_is(t, "--dst-type"))) {
			if (!v1 || addr_types(v1, &v) != 0)
				return 0;
			r = add_anybit(x, t->p[2] == 's' ? FWF_SRCTYPE : FWF_DSTTYPE, neg, v);
		} else if (strcmp(n, "addrtype") == 0 && (ipt_tok_is(t, "--limit-iface-in") ||
		                                          ipt_tok_is(t, "--limit-iface-out"))) {
			used = 0; /* the server's address is on the interface the client uses */
		} else if (strcmp(n, "mark") == 0 && ipt_tok_is(t, "--mark")) {
			const char *slash;

			if (!v1)
				return 0;
			slash = memchr(v1->p, '/', v1->len);
			m = 0xffffffffu;
			if (fw_parse_uint(v1->p, slash ? (size_t)(slash - v1->p) : v1->len,
			                  0xffffffffu, &v) != 0 ||
			    (slash &&
			     fw_parse_uint(slash + 1, (size_t)(v1->p + v1->len - slash - 1),
			                   0xffffffffu, &m) != 0))
				return 0;
			r = add_masked(x, FWF_MARK, neg, v, m);
		} else if (strcmp(n, "pkttype") == 0 && ipt_tok_is(t, "--pkt-type")) {
			if (!v1)
				return 0;
			v = ipt_tok_is(v1, "unicast") || ipt_tok_is(v1, "host") ? FW_PT_HOST
			    : ipt_tok_is(v1, "broadcast")                       ? FW_PT_BROADCAST
			    : ipt_tok_is(v1, "multicast")                       ? FW_PT_MULTICAST
			                                                        : FW_PT_OTHER;
			r = ipt_add_range(x, FWF_PKTTYPE, neg, fw_val_u64(v), fw_val_u64(v));
		} else if (strcmp(n, "rpfilter") == 0 &&
		           (ipt_tok_is(t, "--loose") || ipt_tok_is(t, "--validmark") ||
		            ipt_tok_is(t, "--accept-local") || ipt_tok_is(t, "--invert"))) {
			used = 0; /* handled below */
		} else if (strcmp(n, "length") == 0 && ipt_tok_is(t, "--length")) {
			if (!v1 || ipt_parse_port_range(v1->p, v1->len, &v, &m) != 0)
				return 0;
			r = ipt_add_range(x, FWF_LENGTH, neg, fw_val_u64(v), fw_val_u64(m));
		} else if ((strcmp(n, "icmp") == 0 && ipt_tok_is(t, "--icmp-type")) ||
		           (strcmp(n, "icmp6") == 0 && ipt_tok_is(t, "--icmpv6-type"))) {
			/* -p icmp already rules our TCP packets out */
			if (!v1)
				return 0;
		} else {
			return 0;
		}
		if (r == SD_ERR_INVALID)
			return 0;
		if (r != 0)
			return r == SD_ERR_ALLOC ? -1 : 0;
		*i = opt + 1 + used;
	}
	if (strcmp(n, "rpfilter") == 0) {
		/* we assume symmetric routing: the reverse path is valid */
		struct fw_cond *c = fw_cond_add(x->rs);
		const char *b, *e;

		if (!c)
			return -1;
		ipt_span(x, start, *i, &b, &e);
		c->kind = FWC_CONST;
		c->a.lo = memmem(b, (size_t)(e - b), "--invert", 8) ? 0 : 1;
		return 1;
	}
	if (strcmp(n, "tcp") && strcmp(n, "udp") && strcmp(n, "sctp") && strcmp(n, "dccp") &&
	    strcmp(n, "udplite") && strcmp(n, "multiport") && strcmp(n, "conntrack") &&
	    strcmp(n, "state") && strcmp(n, "set") && strcmp(n, "comment") &&
	    strcmp(n, "iprange") && strcmp(n, "addrtype") && strcmp(n, "mark") &&
	    strcmp(n, "pkttype") && strcmp(n, "icmp") && strcmp(n, "icmp6") && strcmp(n, "length"))
		return 0;
	return 1;
}
