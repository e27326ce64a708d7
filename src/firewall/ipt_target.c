/*
 * ipt_target.c — `-j TARGET` and `-g CHAIN`: what each target does to our packet.
 */
#include <string.h>

#include "base/err.h"
#include "firewall/ipt_ext.h"

/* --reject-with names, long and short (extensions/libipt_REJECT.c, libip6t_REJECT.c). */
static const struct {
	const char *name;
	enum fw_reject rj;
} reject_names[] = {
    {"icmp-net-unreachable", FW_RJ_NET_UNREACH},
    {"net-unreach", FW_RJ_NET_UNREACH},
    {"icmp-host-unreachable", FW_RJ_HOST_UNREACH},
    {"host-unreach", FW_RJ_HOST_UNREACH},
    {"icmp-proto-unreachable", FW_RJ_PROTO_UNREACH},
    {"proto-unreach", FW_RJ_PROTO_UNREACH},
    {"icmp-port-unreachable", FW_RJ_PORT_UNREACH},
    {"icmp-net-prohibited", FW_RJ_NET_PROHIB},
    {"net-prohib", FW_RJ_NET_PROHIB},
    {"icmp-host-prohibited", FW_RJ_HOST_PROHIB},
    {"host-prohib", FW_RJ_HOST_PROHIB},
    {"icmp-admin-prohibited", FW_RJ_ADMIN_PROHIB},
    {"admin-prohib", FW_RJ_ADMIN_PROHIB},
    {"tcp-reset", FW_RJ_TCP_RESET},
    {"tcp-rst", FW_RJ_TCP_RESET},
    {"icmp6-no-route", FW_RJ6_NO_ROUTE},
    {"no-route", FW_RJ6_NO_ROUTE},
    {"icmp6-adm-prohibited", FW_RJ6_ADM_PROHIB},
    {"adm-prohibited", FW_RJ6_ADM_PROHIB},
    {"icmp6-addr-unreachable", FW_RJ6_ADDR_UNREACH},
    {"addr-unreach", FW_RJ6_ADDR_UNREACH},
    {"icmp6-port-unreachable", FW_RJ6_PORT_UNREACH},
    {"icmp6-policy-fail", FW_RJ6_POLICY_FAIL},
    {"policy-fail", FW_RJ6_POLICY_FAIL},
    {"icmp6-reject-route", FW_RJ6_REJECT_ROUTE},
    {"reject-route", FW_RJ6_REJECT_ROUTE},
};

/* Targets that do something to the packet or log it and let it go on to the next rule. */
static const char *const continuing[] = {
    "LOG",      "NFLOG",     "ULOG",  "AUDIT",      "TRACE",  "CONNMARK", "CLASSIFY",
    "DSCP",     "TOS",       "TTL",   "HL",         "TCPMSS", "SECMARK",  "CONNSECMARK",
    "CHECKSUM", "IDLETIMER", "LED",   "SET",        "TEE",    "RATEEST",  "TCPOPTSTRIP",
    "ECN",      "HMARK",     "SYSRQ", "NETMAP_NONE"};

static int opt_value(const struct ipt_rule_ctx *x, uint32_t i, const char *opt,
                     const struct ipt_tok **ret)
{
	for (; i + 1 < x->ntok; i++) {
		if (ipt_tok_is(&x->tok[i], opt)) {
			*ret = &x->tok[i + 1];
			return 1;
		}
	}
	return 0;
}

static int has_opt(const struct ipt_rule_ctx *x, uint32_t i, const char *opt)
{
	for (; i < x->ntok; i++)
		if (ipt_tok_is(&x->tok[i], opt))
			return 1;
	return 0;
}

/* MARK: every spelling becomes mark = (mark & ~mask) ^ value (xt_MARK). */
static int mark_target(struct ipt_rule_ctx *x, struct fw_rule *r, uint32_t i)
{
	const struct ipt_tok *v;
	const char *slash;
	uint64_t val, mask = 0xffffffffu;

	if (opt_value(x, i, "--set-xmark", &v) || opt_value(x, i, "--set-mark", &v)) {
		slash = memchr(v->p, '/', v->len);
		if (fw_parse_uint(v->p, slash ? (size_t)(slash - v->p) : v->len, 0xffffffffu,
		                  &val) != 0 ||
		    (slash && fw_parse_uint(slash + 1, (size_t)(v->p + v->len - slash - 1),
		                            0xffffffffu, &mask) != 0))
			return SD_ERR_INVALID;
		if (!has_opt(x, i, "--set-xmark"))
			mask |= val; /* --set-mark v/m zeroes m, then ORs v */
	} else if (opt_value(x, i, "--and-mark", &v)) {
		if (fw_parse_uint(v->p, v->len, 0xffffffffu, &mask) != 0)
			return SD_ERR_INVALID;
		mask = ~mask & 0xffffffffu;
		val = 0;
	} else if (opt_value(x, i, "--or-mark", &v)) {
		if (fw_parse_uint(v->p, v->len, 0xffffffffu, &val) != 0)
			return SD_ERR_INVALID;
		mask = val;
	} else if (opt_value(x, i, "--xor-mark", &v)) {
		if (fw_parse_uint(v->p, v->len, 0xffffffffu, &val) != 0)
			return SD_ERR_INVALID;
		mask = 0;
	} else {
		return SD_ERR_INVALID;
	}
	r->verdict = FW_V_MARK;
	r->arg1 = (uint32_t)val;
	r->arg2 = (uint32_t)mask;
	return SD_OK;
}

/* REDIRECT --to-ports P / DNAT --to-destination [A][:P]: arg1 = port (0: unchanged). */
static void nat_port(const struct ipt_rule_ctx *x, struct fw_rule *r, uint32_t i)
{
	const struct ipt_tok *v;
	const char *colon;
	uint64_t port;

	if (opt_value(x, i, "--to-ports", &v) || opt_value(x, i, "--to-port", &v)) {
		if (fw_parse_uint(v->p, v->len, 65535, &port) == 0)
			r->arg1 = (uint32_t)port;
		r->arg2 = 1; /* REDIRECT keeps the packet on this host */
	} else if (opt_value(x, i, "--to-destination", &v)) {
		colon = memrchr(v->p, ':', v->len);
		if (colon && !memchr(colon + 1, ']', (size_t)(v->p + v->len - colon - 1)) &&
		    fw_parse_uint(colon + 1, (size_t)(v->p + v->len - colon - 1), 65535, &port) ==
		        0)
			r->arg1 = (uint32_t)port;
	}
}

int ipt_target(struct ipt_rule_ctx *x, const struct ipt_tok *name, uint32_t i, int is_goto)
{
	struct fw_rule *r = &x->rs->rules[x->rule];
	const struct ipt_tok *v;
	uint32_t c;
	size_t k;

	if ((c = fw_chain_find(x->rs, x->table, name->p, name->len)) != FW_NONE) {
		r->verdict = is_goto ? FW_V_GOTO : FW_V_JUMP;
		r->target = c;
		return SD_OK;
	}
	if (is_goto) {
		/* a chain declared later (hand-written files): link resolves it */
		r->verdict = FW_V_GOTO;
		r->unresolved = 1;
		r->target = fw_str_add(x->rs, name->p, name->len);
		return r->target == FW_NONE ? SD_ERR_ALLOC : SD_OK;
	}
	if (ipt_tok_is(name, "ACCEPT")) {
		r->verdict = FW_V_ACCEPT;
	} else if (ipt_tok_is(name, "DROP")) {
		r->verdict = FW_V_DROP;
	} else if (ipt_tok_is(name, "RETURN")) {
		r->verdict = FW_V_RETURN;
	} else if (ipt_tok_is(name, "REJECT")) {
		r->verdict = FW_V_REJECT;
		r->reject = x->family == 6 ? FW_RJ6_PORT_UNREACH : FW_RJ_PORT_UNREACH;
		if (opt_value(x, i, "--reject-with", &v)) {
			for (k = 0; k < sizeof(reject_names) / sizeof(reject_names[0]); k++)
				if (ipt_tok_is(v, reject_names[k].name))
					break;
			if (k == sizeof(reject_names) / sizeof(reject_names[0]))
				return SD_ERR_INVALID;
			r->reject = (uint8_t)reject_names[k].rj;
			if (x->family == 6 && ipt_tok_is(v, "port-unreach"))
				r->reject = FW_RJ6_PORT_UNREACH;
		}
	} else if (ipt_tok_is(name, "MARK")) {
		return mark_target(x, r, i);
	} else if (ipt_tok_is(name, "NOTRACK") ||
	           (ipt_tok_is(name, "CT") && has_opt(x, i, "--notrack"))) {
		r->verdict = FW_V_NOTRACK;
	} else if (ipt_tok_is(name, "CT")) {
		r->verdict = FW_V_NONE; /* zones, helpers, timeouts */
	} else if (ipt_tok_is(name, "SNAT") || ipt_tok_is(name, "MASQUERADE")) {
		r->verdict = FW_V_ACCEPT; /* source NAT ends the nat table and lets the packet in */
	} else if (ipt_tok_is(name, "DNAT") || ipt_tok_is(name, "REDIRECT") ||
	           ipt_tok_is(name, "NETMAP")) {
		r->verdict = FW_V_NAT;
		nat_port(x, r, i);
		r->target = fw_str_add(x->rs, name->p, name->len);
	} else {
		for (k = 0; k < sizeof(continuing) / sizeof(continuing[0]); k++)
			if (ipt_tok_is(name, continuing[k]))
				break;
		if (k < sizeof(continuing) / sizeof(continuing[0])) {
			r->verdict = FW_V_NONE;
		} else if (ipt_tok_is(name, "QUEUE") || ipt_tok_is(name, "NFQUEUE") ||
		           ipt_tok_is(name, "TARPIT") || ipt_tok_is(name, "SYNPROXY") ||
		           ipt_tok_is(name, "TPROXY") || ipt_tok_is(name, "DELUDE") ||
		           ipt_tok_is(name, "CHAOS")) {
			/* the packet's fate is decided elsewhere (userspace, a stalling reply) */
			r->verdict = FW_V_UNMODELLED;
			r->target = fw_str_add(x->rs, name->p, name->len);
		} else {
			/* a chain declared after its use, or a target we do not know: link decides
			 */
			r->verdict = FW_V_JUMP;
			r->unresolved = 1;
			r->target = fw_str_add(x->rs, name->p, name->len);
		}
		if ((r->verdict == FW_V_UNMODELLED || r->unresolved) && r->target == FW_NONE)
			return SD_ERR_ALLOC;
	}
	if (r->verdict == FW_V_NAT && r->target == FW_NONE)
		return SD_ERR_ALLOC;
	return SD_OK;
}
