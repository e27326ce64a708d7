/*
 * ruleset.h — one model for every ruleset the kernel may be running at once: iptables-legacy
 * tables, iptables-nft tables, native nftables tables and ipsets.
 *
 * Parsers (iptables.h, ipset.h, nft.h) append to a struct fw_ruleset; fw_ruleset_link() then
 * resolves names (jump targets, set references), sorts set elements and builds the lookup
 * indexes; only a linked ruleset may be evaluated (eval.h).  Pass order, as in nftables:
 *
 *	fw_ruleset_init(&rs);
 *	fw_ruleset_add_source(&rs, FW_IN_IPTABLES, "iptables-save", 1, bytes, len, &src);
 *	fw_iptables_parse(&rs, src);            (or fw_ipset_parse, fw_nft_parse)
 *	fw_ruleset_link(&rs);
 *	... evaluate ...
 *	fw_ruleset_release(&rs);
 *
 * Ownership: the ruleset owns every struct and name in it.  It does NOT copy the input bytes:
 * rule texts are (offset, length) slices of them, so the caller keeps each source's bytes
 * alive as long as the ruleset.  Everything is addressed by uint32_t index, FW_NONE for none.
 * Hostile input is bounded by limits.h; a rule we cannot read becomes a rule with an
 * "unmodelled" condition (and a note), never a silently skipped one.
 */
#ifndef SSHDIAG_FIREWALL_RULESET_H
#define SSHDIAG_FIREWALL_RULESET_H

#include <stddef.h>
#include <stdint.h>

#include "firewall/limits.h"
#include "firewall/val.h"

#define FW_NONE UINT32_MAX

/* What an input is; it decides the parser, the family and how fixes are spelled. */
enum fw_input_kind {
	FW_IN_IPTABLES,         /* iptables-save (whatever back-end the header names) */
	FW_IN_IP6TABLES,        /* ip6tables-save */
	FW_IN_IPTABLES_LEGACY,  /* iptables-legacy-save */
	FW_IN_IP6TABLES_LEGACY, /* ip6tables-legacy-save */
	FW_IN_IPSET,            /* ipset save */
	FW_IN_NFT_JSON,         /* nft -j list ruleset */
	FW_IN__COUNT
};

/* The kernel side a table lives in. */
enum fw_backend {
	FW_BE_UNKNOWN, /* an iptables-save file without a header */
	FW_BE_LEGACY,  /* x_tables (iptables-legacy) */
	FW_BE_XT_NFT,  /* nf_tables through iptables-nft */
	FW_BE_NFT,     /* native nftables */
};

/* nftables families; iptables tables are FW_NF_IPV4 / FW_NF_IPV6. */
enum fw_nfproto {
	FW_NF_IPV4,
	FW_NF_IPV6,
	FW_NF_INET,
	FW_NF_NETDEV,
	FW_NF_ARP,
	FW_NF_BRIDGE,
};

enum fw_hook {
	FW_HOOK_NONE, /* a regular (user) chain */
	FW_HOOK_INGRESS,
	FW_HOOK_PREROUTING,
	FW_HOOK_INPUT,
	FW_HOOK_FORWARD,
	FW_HOOK_OUTPUT,
	FW_HOOK_POSTROUTING,
	FW_HOOK__COUNT
};

enum fw_chain_type { FW_CT_FILTER, FW_CT_NAT, FW_CT_ROUTE };

/* What a rule does when all its conditions hold. */
enum fw_verdict_kind {
	FW_V_NONE,       /* no verdict (LOG, counter, comment-only): next rule */
	FW_V_ACCEPT,     /* ends this base chain; later base chains still run */
	FW_V_DROP,       /* final */
	FW_V_REJECT,     /* final; the reply is in `reject` */
	FW_V_RETURN,     /* back to the caller; in a base chain: the policy */
	FW_V_JUMP,       /* `target` chain, then back */
	FW_V_GOTO,       /* `target` chain, no way back */
	FW_V_VMAP,       /* verdict map `target` (a set) keyed by field `arg1` */
	FW_V_MARK,       /* meta mark = (mark & ~arg2) ^ arg1, next rule */
	FW_V_NOTRACK,    /* the packet becomes untracked, next rule */
	FW_V_NAT,        /* DNAT/REDIRECT that may move the packet away: uncertain */
	FW_V_UNMODELLED, /* a target we do not model (QUEUE, TARPIT, …): uncertain */
};

/* The reply a REJECT sends. */
enum fw_reject {
	FW_RJ_DEFAULT, /* nft `reject` without `with`: port unreachable of the packet's family */
	FW_RJ_TCP_RESET,
	/* ICMP (IPv4) destination unreachable, by code */
	FW_RJ_NET_UNREACH,   /* 0 */
	FW_RJ_HOST_UNREACH,  /* 1 */
	FW_RJ_PROTO_UNREACH, /* 2 */
	FW_RJ_PORT_UNREACH,  /* 3 */
	FW_RJ_NET_PROHIB,    /* 9 */
	FW_RJ_HOST_PROHIB,   /* 10 */
	FW_RJ_ADMIN_PROHIB,  /* 13 */
	/* ICMPv6 destination unreachable, by code */
	FW_RJ6_NO_ROUTE,     /* 0 */
	FW_RJ6_ADM_PROHIB,   /* 1 */
	FW_RJ6_ADDR_UNREACH, /* 3 */
	FW_RJ6_PORT_UNREACH, /* 4 */
	FW_RJ6_POLICY_FAIL,  /* 5 */
	FW_RJ6_REJECT_ROUTE, /* 6 */
	/* nft icmpx: the code depends on the packet's family */
	FW_RJX_PORT_UNREACH,
	FW_RJX_ADMIN_PROHIB,
	FW_RJX_NO_ROUTE,
	FW_RJX_HOST_UNREACH,
	FW_RJ__COUNT
};

/* Packet properties a condition can test. */
enum fw_field {
	FWF_SADDR,
	FWF_DADDR,
	FWF_SPORT,
	FWF_DPORT,
	FWF_PORT_ANY, /* multiport --ports: source or destination */
	FWF_L4PROTO,
	FWF_TCPFLAGS,
	FWF_CTSTATE,
	FWF_CTDIR,
	FWF_NFPROTO, /* 4 or 6 */
	FWF_IIF,
	FWF_OIF,
	FWF_MARK,
	FWF_SRCTYPE, /* addrtype / fib type of the source: FW_AT_* bits */
	FWF_DSTTYPE,
	FWF_PKTTYPE, /* FW_PT_* */
	FWF_LENGTH,  /* bytes of the IP packet */
	FWF__COUNT
};

/* Bits of FWF_CTSTATE (one per packet). */
#define FW_CT_NEW         0x01u
#define FW_CT_ESTABLISHED 0x02u
#define FW_CT_RELATED     0x04u
#define FW_CT_INVALID     0x08u
#define FW_CT_UNTRACKED   0x10u
#define FW_CT_SNAT        0x20u
#define FW_CT_DNAT        0x40u

/* TCP flag bits, as on the wire. */
#define FW_TCP_FIN 0x01u
#define FW_TCP_SYN 0x02u
#define FW_TCP_RST 0x04u
#define FW_TCP_PSH 0x08u
#define FW_TCP_ACK 0x10u
#define FW_TCP_URG 0x20u
#define FW_TCP_ECE 0x40u
#define FW_TCP_CWR 0x80u

/* Address types (addrtype match, nft fib type). */
#define FW_AT_UNSPEC      0x0001u
#define FW_AT_UNICAST     0x0002u
#define FW_AT_LOCAL       0x0004u
#define FW_AT_BROADCAST   0x0008u
#define FW_AT_ANYCAST     0x0010u
#define FW_AT_MULTICAST   0x0020u
#define FW_AT_BLACKHOLE   0x0040u
#define FW_AT_UNREACHABLE 0x0080u
#define FW_AT_PROHIBIT    0x0100u
#define FW_AT_THROW       0x0200u
#define FW_AT_NAT         0x0400u
#define FW_AT_XRESOLVE    0x0800u

/* Packet types. */
#define FW_PT_HOST      1u
#define FW_PT_BROADCAST 2u
#define FW_PT_MULTICAST 3u
#define FW_PT_OTHER     4u

enum fw_cond_kind {
	FWC_RANGE,   /* field in [a, b] */
	FWC_MASKED,  /* (field & b) == a */
	FWC_ANYBIT,  /* (field & a) != 0 */
	FWC_SET,     /* field in set `aux` */
	FWC_IFNAME,  /* field (an interface) is string `aux`; a.lo = 1: prefix wildcard */
	FWC_TERNARY, /* cannot be decided from the ruleset: see `tern`, `likely`, string `aux` */
	FWC_CONST,   /* always a.lo (0 or 1); e.g. `-f` is false for our unfragmented packets */
};

/* Why a condition (or a target) cannot be decided. */
enum fw_tern {
	FW_TERN_NONE,
	FW_TERN_RATE,       /* limit, hashlimit, connlimit, ct count, quota: depends on rate */
	FW_TERN_STATE,      /* recent, dynamic sets: depends on earlier packets */
	FW_TERN_UNMODELLED, /* a match we do not model */
	FW_TERN_CONTEXT,    /* needs the in-interface or the server address we were not given */
	FW_TERN_SET,        /* set contents unknown (ipset not read, unsupported set type) */
	FW_TERN_TARGET,     /* an unmodelled target was hit */
	FW_TERN_ORDER,      /* equal-priority base chains disagree: order undefined */
	FW_TERN_BUDGET,     /* the evaluation hit FW_MAX_STEPS or FW_MAX_DEPTH */
};

struct fw_cond {
	uint8_t kind;   /* enum fw_cond_kind */
	uint8_t field;  /* enum fw_field */
	uint8_t neg;    /* the result is inverted (iptables `!`, nft `!=`) */
	uint8_t fam;    /* 0, or 4/6: the packet must be of this family, whatever `neg` says */
	uint8_t l4;     /* 0, or the IP protocol the packet must carry, whatever `neg` says */
	uint8_t tern;   /* FWC_TERNARY: enum fw_tern */
	uint8_t likely; /* FWC_TERNARY: the value assumed for the usual, quiet case */
	uint32_t aux;
	struct fw_val a, b;
};

struct fw_rule {
	uint32_t chain;
	uint32_t number; /* 1-based position in its chain, as `iptables -L --line-numbers` counts */
	uint32_t line;   /* 1-based line of the input, 0 when it has none */
	uint32_t cond;   /* conds[cond .. cond + ncond) */
	uint32_t ncond;
	uint32_t text_off, text_len; /* the rule as its source printed it (an nft JSON object) */
	uint32_t handle;             /* nft rule handle, 0 for iptables */
	uint32_t target;             /* JUMP/GOTO: chain; VMAP: set; UNMODELLED/NAT: string */
	uint32_t arg1, arg2;         /* MARK: value, mask; VMAP: key field, family */
	uint8_t verdict;             /* enum fw_verdict_kind */
	uint8_t reject;              /* enum fw_reject */
	uint8_t vmap_l4;             /* VMAP: protocol the key needs, 0 for none */
	uint8_t bad;                 /* the line could not be fully read (see the notes) */
	uint8_t unresolved;          /* `target` is still a string index (link resolves it) */
};

struct fw_run; /* link.c: an index over consecutive exact-source rules */

struct fw_chain {
	uint32_t table;
	const char *name;
	uint32_t line;               /* iptables: the ":NAME POLICY" line; nft: 0 */
	uint32_t text_off, text_len; /* the declaration as printed */
	uint32_t handle;
	uint8_t hook;   /* enum fw_hook; FW_HOOK_NONE for a regular chain */
	uint8_t type;   /* enum fw_chain_type */
	uint8_t policy; /* FW_V_ACCEPT or FW_V_DROP for base chains, FW_V_NONE otherwise */
	int32_t prio;
	uint32_t *rules; /* rule indexes in chain order */
	uint32_t nrules, arules;
	struct fw_run *runs;
	uint32_t nruns;
};

#define FW_SKIP_DORMANT 1 /* nft table flag "dormant" */
#define FW_SKIP_COPY    2 /* a copy of a table another input shows exactly */

struct fw_table {
	uint32_t source;
	uint8_t family;  /* enum fw_nfproto */
	uint8_t backend; /* enum fw_backend */
	uint8_t skip;    /* FW_SKIP_*: not evaluated */
	const char *name;
	uint32_t handle;
	uint32_t first_chain; /* chains of a table are contiguous when parsed from one source */
};

enum fw_set_key {
	FW_SK_ADDR4,
	FW_SK_ADDR6,
	FW_SK_PORT,
	FW_SK_PROTO,
	FW_SK_MARK,
	FW_SK_CTSTATE,
	FW_SK_IFNAME,
	FW_SK_LIST,        /* ipset list:set: elements name member sets */
	FW_SK_UNSUPPORTED, /* concatenations, hash:ip,port, MAC addresses, …: membership unknown */
};

enum fw_set_origin { FW_SO_IPSET, FW_SO_NFT, FW_SO_ANON };

struct fw_elem {
	struct fw_val lo, hi;
	uint32_t parent; /* the smallest earlier element that contains this one (link.c) */
	uint32_t line;   /* input line of an ipset `add`, 0 for nft */
	uint32_t data;   /* maps: verdict index; list:set: member set; ifname: string */
	uint8_t nomatch; /* ipset hash:net `nomatch`: an exception, not a member */
};

struct fw_set {
	const char *name; /* "" for anonymous sets */
	const char *type; /* "hash:ip", "ipv4_addr", … as printed */
	uint32_t table;   /* nft table, FW_NONE for ipsets and anonymous sets of iptables */
	uint32_t source;
	uint32_t line;  /* ipset `create` line */
	uint8_t origin; /* enum fw_set_origin */
	uint8_t key;    /* enum fw_set_key */
	uint8_t family; /* 4 or 6 for address sets, 0 otherwise */
	uint8_t is_map; /* elements carry verdicts */
	uint8_t dynamic;
	uint8_t laminar; /* every two elements are nested or disjoint (link.c) */
	uint8_t has_nomatch;
	uint8_t linked;
	struct fw_elem *elems;
	uint32_t nelems, aelems;
	const char **names; /* list:set member names until link */
};

/* A verdict stored in a verdict map element. */
struct fw_mapverdict {
	uint8_t verdict; /* FW_V_ACCEPT, DROP, RETURN, JUMP, GOTO, NONE (continue) */
	uint32_t target; /* chain for JUMP/GOTO */
	uint32_t name;   /* string: the target's name until link */
};

struct fw_source {
	uint8_t kind;    /* enum fw_input_kind */
	uint8_t backend; /* enum fw_backend (iptables inputs: from the header) */
	uint8_t live;    /* 1: a command's output (evidence lines are rule numbers) */
	uint8_t multiline;
	const char *origin; /* "iptables-save", or the path as seen on the diagnosed system */
	const char *data;   /* borrowed */
	size_t len;
	uint32_t nrules, ntables, nsets;
};

struct fw_note {
	uint32_t source;
	uint32_t line;
	char text[160];
};

struct fw_arena_chunk;
struct fw_map_slot;

/* A name → index hash map (open addressing), scoped by a 32-bit namespace. */
struct fw_map {
	struct fw_map_slot *slots;
	uint32_t cap, count;
};

struct fw_ruleset {
	struct fw_source sources[FW_MAX_SOURCES];
	uint32_t nsources;
	struct fw_table *tables;
	uint32_t ntables, atables;
	struct fw_chain *chains;
	uint32_t nchains, achains;
	struct fw_rule *rules;
	uint32_t nrules, arules;
	struct fw_cond *conds;
	uint32_t nconds, aconds;
	struct fw_set *sets;
	uint32_t nsets, asets;
	struct fw_mapverdict *verdicts;
	uint32_t nverdicts, averdicts;
	const char **strs; /* strings referenced by index (conds, targets) */
	uint32_t nstrs, astrs;
	struct fw_map chain_map; /* (table, name) → chain */
	struct fw_map set_map;   /* (table or FW_NONE for ipsets, name) → set */
	struct fw_note notes[FW_MAX_NOTES];
	uint32_t nnotes, notes_dropped;
	struct fw_arena_chunk *arena;
	uint32_t *base; /* base chains by (hook, priority, input order), built by link */
	uint32_t nbase;
	int linked;
};

void fw_ruleset_init(struct fw_ruleset *rs);
void fw_ruleset_release(struct fw_ruleset *rs);

/*
 * Registers an input.  `origin` is copied; `data` is borrowed and must outlive the ruleset.
 * Writes the source index.  SD_ERR_TOO_LONG past FW_MAX_SOURCES or FW_MAX_INPUT_BYTES.
 */
int fw_ruleset_add_source(struct fw_ruleset *rs, enum fw_input_kind kind, const char *origin,
                          int live, const char *data, size_t len, uint32_t *ret_source);

/*
 * Resolves jump targets and set references, marks iptables-nft tables that an nft JSON
 * input repeats, sorts set elements and indexes long runs of exact-source rules.  A rule
 * that jumps to a missing chain or names a missing set keeps an uncertain condition and a
 * note.  SD_OK or SD_ERR_ALLOC.
 */
int fw_ruleset_link(struct fw_ruleset *rs);

/* Records a parse problem (kept up to FW_MAX_NOTES, then only counted). */
void fw_note(struct fw_ruleset *rs, uint32_t source, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- construction helpers for the parsers ---- */

/* A NUL-terminated copy of len bytes in the ruleset's arena; NULL on OOM. */
const char *fw_strdup(struct fw_ruleset *rs, const char *s, size_t len);
/* Interns a string for reference by index; FW_NONE on OOM. */
uint32_t fw_str_add(struct fw_ruleset *rs, const char *s, size_t len);

int fw_table_add(struct fw_ruleset *rs, uint32_t source, enum fw_nfproto family,
                 enum fw_backend backend, const char *name, size_t name_len, uint32_t *ret_table);
/* FW_NONE when the table has no such chain. */
uint32_t fw_chain_find(const struct fw_ruleset *rs, uint32_t table, const char *name, size_t len);
int fw_chain_add(struct fw_ruleset *rs, uint32_t table, const char *name, size_t len,
                 uint32_t *ret_chain);
/* Appends rule `rule` (already in rs->rules) to its chain and numbers it. */
int fw_chain_append(struct fw_ruleset *rs, uint32_t chain, uint32_t rule);

/* Starts a rule in `chain`; its conditions are the next ones added. */
int fw_rule_new(struct fw_ruleset *rs, uint32_t chain, uint32_t *ret_rule);
/* Adds a zeroed condition to the last rule and returns it (valid until the next add). */
struct fw_cond *fw_cond_add(struct fw_ruleset *rs);

/* table FW_NONE: an ipset.  FW_NONE when absent. */
uint32_t fw_set_find(const struct fw_ruleset *rs, uint32_t table, const char *name, size_t len);
int fw_set_add(struct fw_ruleset *rs, uint32_t table, uint32_t source, const char *name, size_t len,
               enum fw_set_origin origin, uint32_t *ret_set);
/* Appends an element to a set (sorted at link time). */
struct fw_elem *fw_elem_add(struct fw_ruleset *rs, uint32_t set);
int fw_verdict_add(struct fw_ruleset *rs, const struct fw_mapverdict *v, uint32_t *ret);

/* A rule's text, a chain's declaration: slices of their source (not NUL-terminated). */
static inline const char *fw_rule_text(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_table *t = &rs->tables[rs->chains[r->chain].table];
	return rs->sources[t->source].data + r->text_off;
}

static inline const struct fw_source *fw_rule_source(const struct fw_ruleset *rs,
                                                     const struct fw_rule *r)
{
	return &rs->sources[rs->tables[rs->chains[r->chain].table].source];
}

const char *fw_nfproto_name(enum fw_nfproto f);
const char *fw_hook_name(enum fw_hook h);
/* Kernel hook priority of an iptables built-in chain, or 0 with *ret_hook FW_HOOK_NONE. */
int fw_iptables_builtin(const char *table, const char *chain, enum fw_hook *ret_hook,
                        int32_t *ret_prio, enum fw_chain_type *ret_type);

#endif
