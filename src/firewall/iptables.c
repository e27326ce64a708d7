#include "firewall/iptables.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "firewall/ipt_ext.h"

struct ipt_parser {
	struct fw_ruleset *rs;
	uint32_t src;
	int family;
	enum fw_backend backend;
	uint32_t table;      /* FW_NONE outside *TABLE … COMMIT */
	const char *tname;   /* its name */
	uint32_t last_chain; /* cache: rules of a chain come together */
	struct ipt_tok tok[FW_MAX_TOKENS];
};

/*
 * Cuts a line into words: blanks separate, "…" quotes (with \" and \\ inside, as
 * iptables-save prints comments).  SD_ERR_TOO_LONG past FW_MAX_TOKENS, SD_ERR_INVALID for an
 * unterminated quote.
 */
static int tokenize(struct ipt_parser *p, const char *s, size_t len, uint32_t *ret_n)
{
	size_t i = 0, start;
	uint32_t n = 0;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == len)
			break;
		if (n == FW_MAX_TOKENS)
			return SD_ERR_TOO_LONG;
		if (s[i] == '"') {
			start = ++i;
			while (i < len && s[i] != '"')
				i += s[i] == '\\' && i + 1 < len ? 2 : 1;
			if (i >= len)
				return SD_ERR_INVALID;
			p->tok[n].p = s + start;
			p->tok[n].len = (uint32_t)(i - start);
			i++;
		} else {
			start = i;
			while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
				i++;
			p->tok[n].p = s + start;
			p->tok[n].len = (uint32_t)(i - start);
		}
		n++;
	}
	*ret_n = n;
	return SD_OK;
}

int ipt_add_range(struct ipt_rule_ctx *x, enum fw_field f, int neg, struct fw_val lo,
                  struct fw_val hi)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_RANGE;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->a = lo;
	c->b = hi;
	if (f == FWF_SADDR || f == FWF_DADDR)
		c->fam = (uint8_t)x->family;
	return SD_OK;
}

int ipt_add_tern(struct ipt_rule_ctx *x, enum fw_tern tern, int likely, const char *text,
                 size_t len)
{
	struct fw_cond *c = fw_cond_add(x->rs);

	if (!c)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_TERNARY;
	c->tern = (uint8_t)tern;
	c->likely = likely ? 1 : 0;
	if ((c->aux = fw_str_add(x->rs, text, len)) == FW_NONE)
		return SD_ERR_ALLOC;
	return SD_OK;
}

/* -s / -d: "a.b.c.d/len" or a dotted (possibly non-contiguous) mask. */
static int add_addr(struct ipt_rule_ctx *x, enum fw_field f, int neg, const struct ipt_tok *t)
{
	struct fw_val addr, mask, lo, hi;
	struct fw_cond *c;
	int fam, plen;

	if (fw_parse_prefix(t->p, t->len, x->family, &addr, &mask, &fam, &plen) != 0)
		return SD_ERR_INVALID;
	if (plen >= 0) {
		fw_prefix_interval(addr, fam, (unsigned)plen, &lo, &hi);
		if (plen == 0 && !neg)
			return SD_OK; /* 0.0.0.0/0 matches everything */
		return ipt_add_range(x, f, neg, lo, hi);
	}
	if ((c = fw_cond_add(x->rs)) == NULL)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_MASKED;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->fam = (uint8_t)x->family;
	c->a = addr;
	c->b = mask;
	return SD_OK;
}

/* -i / -o: a name, "+" at the end is a prefix wildcard. */
static int add_iface(struct ipt_rule_ctx *x, enum fw_field f, int neg, const struct ipt_tok *t)
{
	struct fw_cond *c;
	size_t len = t->len;
	int wild = 0;

	if (len && t->p[len - 1] == '+') {
		wild = 1;
		len--;
		if (len == 0 && !neg)
			return SD_OK; /* "+" matches every interface */
	}
	if ((c = fw_cond_add(x->rs)) == NULL)
		return SD_ERR_TOO_LONG;
	c->kind = FWC_IFNAME;
	c->field = (uint8_t)f;
	c->neg = neg ? 1 : 0;
	c->a.lo = (uint64_t)wild;
	if ((c->aux = fw_str_add(x->rs, t->p, len)) == FW_NONE)
		return SD_ERR_ALLOC;
	return SD_OK;
}

/* Protocol names iptables accepts (it also reads /etc/protocols; numbers always work). */
static int proto_number(const struct ipt_tok *t, uint64_t *ret)
{
	static const struct {
		const char *name;
		unsigned num;
	} protos[] = {{"all", 0},     {"tcp", 6},        {"udp", 17},      {"icmp", 1},
	              {"icmpv6", 58}, {"ipv6-icmp", 58}, {"udplite", 136}, {"sctp", 132},
	              {"dccp", 33},   {"esp", 50},       {"ah", 51},       {"gre", 47},
	              {"mh", 135},    {"ipv6-mh", 135},  {"igmp", 2},      {"ipip", 4}};
	char low[16];
	size_t i;

	if (fw_parse_uint(t->p, t->len, 255, ret) == 0)
		return SD_OK;
	if (t->len >= sizeof(low))
		return SD_ERR_INVALID;
	for (i = 0; i < t->len; i++)
		low[i] = (char)(t->p[i] >= 'A' && t->p[i] <= 'Z' ? t->p[i] + 32 : t->p[i]);
	low[t->len] = '\0';
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (strcmp(low, protos[i].name) == 0) {
			*ret = protos[i].num;
			return SD_OK;
		}
	}
	return SD_ERR_INVALID;
}

static int is_generic_option(const struct ipt_tok *t)
{
	static const char *const opts[] = {"-s",
	                                   "--source",
	                                   "--src",
	                                   "-d",
	                                   "--destination",
	                                   "--dst",
	                                   "-i",
	                                   "--in-interface",
	                                   "-o",
	                                   "--out-interface",
	                                   "-p",
	                                   "--protocol",
	                                   "-f",
	                                   "--fragment",
	                                   "-m",
	                                   "--match",
	                                   "-j",
	                                   "--jump",
	                                   "-g",
	                                   "--goto",
	                                   "-c",
	                                   "--set-counters",
	                                   "!"};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (ipt_tok_is(t, opts[i]))
			return 1;
	return 0;
}

/* The words of an unmodelled match, from `-m` to the next generic option, as one string. */
static int add_unmodelled_match(struct ipt_rule_ctx *x, uint32_t start, uint32_t *i)
{
	const char *b, *e;

	for (;;) {
		while (*i < x->ntok && !is_generic_option(&x->tok[*i]))
			(*i)++;
		/* "! --opt" still belongs to the match */
		if (*i + 1 < x->ntok && ipt_tok_is(&x->tok[*i], "!") &&
		    !is_generic_option(&x->tok[*i + 1])) {
			(*i)++;
			continue;
		}
		break;
	}
	ipt_span(x, start, *i, &b, &e);
	return ipt_add_tern(x, FW_TERN_UNMODELLED, 0, b, (size_t)(e - b));
}

void ipt_span(const struct ipt_rule_ctx *x, uint32_t from, uint32_t to, const char **ret_b,
              const char **ret_e)
{
	const struct ipt_tok *last = &x->tok[to > from ? to - 1 : from];
	const char *e = last->p + last->len;

	if (e < x->line_end && *e == '"')
		e++; /* the closing quote of a quoted last word */
	*ret_b = x->tok[from].p;
	*ret_e = e;
}

/* The options of one rule line (after "-A CHAIN"). */
static int parse_rule_options(struct ipt_rule_ctx *x, uint32_t i)
{
	const struct ipt_tok *t;
	uint32_t mstart;
	uint64_t proto;
	int neg = 0, r;

	while (i < x->ntok) {
		t = &x->tok[i];
		if (ipt_tok_is(t, "!")) {
			neg = 1;
			i++;
			continue;
		}
		if (ipt_tok_is(t, "-s") || ipt_tok_is(t, "--source") || ipt_tok_is(t, "--src") ||
		    ipt_tok_is(t, "-d") || ipt_tok_is(t, "--destination") ||
		    ipt_tok_is(t, "--dst") || ipt_tok_is(t, "-i") ||
		    ipt_tok_is(t, "--in-interface") || ipt_tok_is(t, "-o") ||
		    ipt_tok_is(t, "--out-interface") || ipt_tok_is(t, "-p") ||
		    ipt_tok_is(t, "--protocol")) {
			uint32_t v = i + 1;
			int f;

			if (v < x->ntok && ipt_tok_is(&x->tok[v], "!")) {
				neg = 1; /* the old syntax "-s ! ADDR" */
				v++;
			}
			if (v >= x->ntok)
				return SD_ERR_INVALID;
			f = t->p[1] == '-' ? t->p[2] : t->p[1];
			if (f == 's')
				r = add_addr(x, FWF_SADDR, neg, &x->tok[v]);
			else if (f == 'd')
				r = add_addr(x, FWF_DADDR, neg, &x->tok[v]);
			else if (f == 'i')
				r = add_iface(x, FWF_IIF, neg, &x->tok[v]);
			else if (f == 'o')
				r = add_iface(x, FWF_OIF, neg, &x->tok[v]);
			else if ((r = proto_number(&x->tok[v], &proto)) == 0) {
				x->proto = neg ? 0 : (uint8_t)proto;
				if (proto != 0)
					r = ipt_add_range(x, FWF_L4PROTO, neg, fw_val_u64(proto),
					                  fw_val_u64(proto));
				else if (neg)
					r = ipt_add_tern(x, FW_TERN_UNMODELLED, 0, "! -p all", 8);
			}
			if (r != 0)
				return r;
			i = v + 1;
			neg = 0;
			continue;
		}
		if (ipt_tok_is(t, "-f") || ipt_tok_is(t, "--fragment")) {
			struct fw_cond *c = fw_cond_add(x->rs);

			if (!c)
				return SD_ERR_TOO_LONG;
			c->kind = FWC_CONST;
			c->a.lo = neg ? 1 : 0; /* our packets are never non-first fragments */
			i++;
			neg = 0;
			continue;
		}
		if (ipt_tok_is(t, "-c") || ipt_tok_is(t, "--set-counters")) {
			i += 3;
			continue;
		}
		if (ipt_tok_is(t, "-m") || ipt_tok_is(t, "--match")) {
			if (i + 1 >= x->ntok)
				return SD_ERR_INVALID;
			mstart = i;
			i += 2;
			r = ipt_match(x, x->tok[mstart + 1].p, x->tok[mstart + 1].len, &i);
			if (r < 0)
				return r;
			if (r == 0) {
				i = mstart + 2;
				if ((r = add_unmodelled_match(x, mstart, &i)) != 0)
					return r;
			}
			neg = 0;
			continue;
		}
		if (ipt_tok_is(t, "-j") || ipt_tok_is(t, "--jump") || ipt_tok_is(t, "-g") ||
		    ipt_tok_is(t, "--goto")) {
			if (i + 1 >= x->ntok)
				return SD_ERR_INVALID;
			return ipt_target(x, &x->tok[i + 1], i + 2,
			                  t->p[1] == 'g' || t->p[2] == 'g');
		}
		/* "-p tcp --dport 22" without "-m tcp": iptables loads the protocol's match */
		if (t->len > 2 && t->p[0] == '-' && t->p[1] == '-' &&
		    (x->proto == 6 || x->proto == 17)) {
			uint32_t j = neg ? i - 1 : i;

			r = ipt_match(x, x->proto == 6 ? "tcp" : "udp", 3, &j);
			if (r < 0)
				return r;
			if (r > 0 && j > i) {
				i = j;
				neg = 0;
				continue;
			}
		}
		return SD_ERR_INVALID;
	}
	return SD_OK; /* no target: a counting rule */
}

/* "# Generated by iptables-nft-save v1.8.9 (nf_tables) on …" */
static void read_header(struct ipt_parser *p, const char *s, size_t len)
{
	static const char gen[] = "# Generated by ";

	if (len < sizeof(gen) - 1 || memcmp(s, gen, sizeof(gen) - 1) != 0)
		return;
	if (p->backend != FW_BE_UNKNOWN)
		return;
	if (memmem(s, len, "(nf_tables)", 11))
		p->backend = FW_BE_XT_NFT;
	else if (memmem(s, len, "(legacy)", 8) || memmem(s, len, "tables-save v1.8", 16) ||
	         memmem(s, len, "tables-save v1.", 15))
		p->backend = FW_BE_LEGACY;
}

static int parse_table(struct ipt_parser *p, const char *s, size_t len, uint32_t line)
{
	int r;

	if (p->table != FW_NONE)
		fw_note(p->rs, p->src, line, "table %s not COMMITted before the next one",
		        p->tname);
	if ((r = fw_table_add(p->rs, p->src, p->family == 6 ? FW_NF_IPV6 : FW_NF_IPV4, p->backend,
	                      s + 1, len - 1, &p->table)) != 0)
		return r;
	p->tname = p->rs->tables[p->table].name;
	p->last_chain = FW_NONE;
	return SD_OK;
}

/* ":CHAIN POLICY [p:b]" */
static int parse_chain(struct ipt_parser *p, const char *s, size_t len, uint32_t line)
{
	const char *sp = memchr(s, ' ', len);
	size_t nlen = sp ? (size_t)(sp - s) - 1 : len - 1, plen;
	const char *pol = sp ? sp + 1 : NULL;
	enum fw_chain_type type;
	enum fw_hook hook;
	struct fw_chain *c;
	uint32_t ci;
	int32_t prio;
	int r;

	if (nlen == 0)
		return SD_ERR_INVALID;
	if ((ci = fw_chain_find(p->rs, p->table, s + 1, nlen)) == FW_NONE &&
	    (r = fw_chain_add(p->rs, p->table, s + 1, nlen, &ci)) != 0)
		return r;
	c = &p->rs->chains[ci];
	c->line = line;
	c->text_off = (uint32_t)(s - p->rs->sources[p->src].data);
	c->text_len = (uint32_t)len;
	if (fw_iptables_builtin(p->tname, c->name, &hook, &prio, &type)) {
		c->hook = (uint8_t)hook;
		c->prio = prio;
		c->type = (uint8_t)type;
		c->policy = FW_V_ACCEPT;
		plen = pol ? (size_t)(s + len - pol) : 0;
		if (pol && plen >= 4 && memcmp(pol, "DROP", 4) == 0)
			c->policy = FW_V_DROP;
	}
	return SD_OK;
}

static int parse_rule(struct ipt_parser *p, const char *s, size_t len, uint32_t line)
{
	struct ipt_rule_ctx x;
	uint32_t n, i = 0, chain, rule, first_cond;
	const char *start = s;
	int r;

	if ((r = tokenize(p, s, len, &n)) != 0) {
		fw_note(p->rs, p->src, line, "%s; line skipped",
		        r == SD_ERR_TOO_LONG ? "too many words" : "unterminated quote");
		return SD_OK;
	}
	if (n && p->tok[0].len && p->tok[0].p[0] == '[')
		i++; /* [pkts:bytes] from iptables-save -c */
	if (i + 1 >= n || (!ipt_tok_is(&p->tok[i], "-A") && !ipt_tok_is(&p->tok[i], "--append"))) {
		fw_note(p->rs, p->src, line, "not a rule (only -A lines are read)");
		return SD_OK;
	}
	if (p->table == FW_NONE) {
		fw_note(p->rs, p->src, line, "rule outside a *table section");
		return SD_OK;
	}
	chain = p->last_chain;
	if (chain == FW_NONE || !ipt_tok_is(&p->tok[i + 1], p->rs->chains[chain].name))
		chain = fw_chain_find(p->rs, p->table, p->tok[i + 1].p, p->tok[i + 1].len);
	if (chain == FW_NONE) {
		fw_note(p->rs, p->src, line, "rule for undeclared chain %.*s",
		        (int)p->tok[i + 1].len, p->tok[i + 1].p);
		return SD_OK;
	}
	p->last_chain = chain;
	if ((r = fw_rule_new(p->rs, chain, &rule)) != 0)
		return r;
	if (i > 0)
		start = p->tok[i].p; /* the rule text starts at -A */
	p->rs->rules[rule].line = line;
	p->rs->rules[rule].text_off = (uint32_t)(start - p->rs->sources[p->src].data);
	p->rs->rules[rule].text_len = (uint32_t)(s + len - start);
	first_cond = p->rs->nconds;
	memset(&x, 0, sizeof(x));
	x.rs = p->rs;
	x.src = p->src;
	x.table = p->table;
	x.rule = rule;
	x.line = line;
	x.family = p->family;
	x.tok = p->tok;
	x.ntok = n;
	x.line_end = s + len;
	r = parse_rule_options(&x, i + 2);
	if (r == SD_ERR_ALLOC)
		return r;
	if (r != 0) {
		/* keep the rule, but as one that cannot be decided */
		p->rs->nconds = first_cond;
		p->rs->rules[rule].ncond = 0;
		p->rs->rules[rule].verdict = FW_V_UNMODELLED;
		p->rs->rules[rule].target = fw_str_add(p->rs, "unreadable rule", 15);
		p->rs->rules[rule].bad = 1;
		fw_note(p->rs, p->src, line, "%s rule %u: could not read every option",
		        p->rs->chains[chain].name, p->rs->chains[chain].nrules + 1);
		if (p->rs->rules[rule].target == FW_NONE)
			return SD_ERR_ALLOC;
	}
	if ((r = fw_chain_append(p->rs, chain, rule)) != 0)
		return r;
	p->rs->sources[p->src].nrules++;
	return SD_OK;
}

int fw_iptables_parse(struct fw_ruleset *rs, uint32_t src)
{
	struct fw_source *so = &rs->sources[src];
	struct ipt_parser *p;
	const char *s = so->data, *end = so->data + so->len, *nl;
	size_t len;
	uint32_t line = 0;
	int r = SD_OK;

	/* the parser's word table is large: keep it off the stack */
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return SD_ERR_ALLOC;
	p->rs = rs;
	p->src = src;
	p->family = so->kind == FW_IN_IP6TABLES || so->kind == FW_IN_IP6TABLES_LEGACY ? 6 : 4;
	p->backend = (enum fw_backend)so->backend;
	p->table = FW_NONE;
	p->last_chain = FW_NONE;
	for (; s < end && r == SD_OK; s = nl ? nl + 1 : end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl ? nl : end) - s);
		line++;
		if (len > FW_MAX_LINE) {
			r = SD_ERR_TOO_LONG;
			break;
		}
		while (len && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (s[0] == '#') {
			read_header(p, s, len);
			if (memmem(s, len, "iptables-legacy tables present", 30))
				fw_note(rs, src, line,
				        "legacy tables are also loaded (read them with "
				        "iptables-legacy-save)");
			continue;
		}
		if (s[0] == '*') {
			r = parse_table(p, s, len, line);
		} else if (s[0] == ':') {
			if (p->table == FW_NONE)
				fw_note(rs, src, line, "chain outside a *table section");
			else
				r = parse_chain(p, s, len, line);
		} else if (len == 6 && memcmp(s, "COMMIT", 6) == 0) {
			p->table = FW_NONE;
		} else {
			r = parse_rule(p, s, len, line);
		}
	}
	if (r == SD_OK && p->table != FW_NONE)
		fw_note(rs, src, line, "table %s has no COMMIT (input cut short?)", p->tname);
	so->backend = (uint8_t)p->backend;
	/* tables parsed before the header was seen get its back-end too */
	for (line = 0; line < rs->ntables; line++)
		if (rs->tables[line].source == src)
			rs->tables[line].backend = (uint8_t)p->backend;
	free(p);
	return r;
}

enum fw_input_kind fw_iptables_sniff(const char *data, size_t len, enum fw_input_kind dflt)
{
	const char *head = memmem(data, len < 4096 ? len : 4096, "# Generated by ", 15);
	const char *p, *end = data + len;
	int six = -1, legacy = 0;

	if (head) {
		size_t n = (size_t)(end - head) < 160 ? (size_t)(end - head) : 160;
		const char *nl = memchr(head, '\n', n);

		n = nl ? (size_t)(nl - head) : n;
		six = memmem(head, n, "ip6tables", 9) != NULL;
		legacy = memmem(head, n, "legacy", 6) != NULL;
	}
	/* no header: an IPv6 address in the first rules gives the family away */
	for (p = data; six < 0 && p < end && p < data + 65536; p++) {
		if ((*p == 's' || *p == 'd') && p > data && p[-1] == '-' && p + 2 < end &&
		    p[1] == ' ') {
			const char *w = p + 2;

			while (w < end && *w != ' ' && *w != '\n' && *w != ':' && *w != '.')
				w++;
			if (w < end && *w == ':')
				six = 1;
			else if (w < end && *w == '.')
				six = 0;
		}
	}
	if (six < 0)
		return dflt;
	if (six)
		return legacy ? FW_IN_IP6TABLES_LEGACY : FW_IN_IP6TABLES;
	return legacy ? FW_IN_IPTABLES_LEGACY : FW_IN_IPTABLES;
}
