/*
 * ipt_ext.h — internal to the iptables-save parser: one rule line cut into words, and the
 * parsers of the `-m` extensions and `-j` targets it models (ipt_match.c, ipt_target.c).
 */
#ifndef SSHDIAG_FIREWALL_IPT_EXT_H
#define SSHDIAG_FIREWALL_IPT_EXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "firewall/ruleset.h"

struct ipt_tok {
	const char *p; /* inside the line; for a quoted word, inside the quotes */
	uint32_t len;
};

struct ipt_rule_ctx {
	struct fw_ruleset *rs;
	uint32_t src, table, rule, line;
	int family;    /* 4 or 6 */
	uint8_t proto; /* the rule's -p, 0 for any */
	const struct ipt_tok *tok;
	uint32_t ntok;
	const char *line_end;
};

/* Inline, so that strlen() of the literal it is almost always given folds away. */
static inline int ipt_tok_is(const struct ipt_tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && memcmp(t->p, s, n) == 0;
}

/* The line text of words [from, to), closing quote included. */
void ipt_span(const struct ipt_rule_ctx *x, uint32_t from, uint32_t to, const char **ret_b,
              const char **ret_e);

/* Conditions on the rule being built; NULL-safe callers check the int result. */
int ipt_add_range(struct ipt_rule_ctx *x, enum fw_field f, int neg, struct fw_val lo,
                  struct fw_val hi);
int ipt_add_tern(struct ipt_rule_ctx *x, enum fw_tern tern, int likely, const char *text,
                 size_t len);

/* "22", "1000:2000", ":1023", "1024:", "ssh" → [lo, hi].  SD_OK or SD_ERR_INVALID. */
int ipt_parse_port_range(const char *s, size_t len, uint64_t *lo, uint64_t *hi);

/*
 * Parses the options of match `name` at x->tok[*i …], stopping at the first word that is not
 * one of its options.  Returns 1 when it modelled every option, 0 when it met one it does not
 * model (the caller turns the whole match into an unmodelled condition), <0 on OOM.
 */
int ipt_match(struct ipt_rule_ctx *x, const char *name, size_t name_len, uint32_t *i);

/*
 * Sets the verdict of rule x->rule from `-j NAME` and the words after it (target options).
 * A name that is a chain of the table is a jump.  <0 on OOM.
 */
int ipt_target(struct ipt_rule_ctx *x, const struct ipt_tok *name, uint32_t i, int is_goto);

#endif
