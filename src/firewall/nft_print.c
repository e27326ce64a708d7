/*
 * nft_print.c — a rule or chain of `nft -j list ruleset` back in nft's own syntax, for
 * evidence ("ip saddr @blocked tcp dport 22 drop").  It covers what nft prints for the
 * statements rulesets use on the SSH path and names the rest (`xt match recent`, `<osf>`);
 * it never decides anything.
 */
#include <jansson.h>
#include <string.h>

#include "base/err.h"
#include "firewall/limits.h"
#include "firewall/nft.h"
#include "firewall/render.h"

#define TEXT_MAX 4096u

static int expr(struct buf *b, json_t *v, unsigned depth);

static int list(struct buf *b, json_t *a, const char *sep, unsigned depth)
{
	json_t *e;
	size_t i;
	int r = SD_OK;

	json_array_foreach(a, i, e)
	{
		if ((i && (r = buf_adds(b, sep)) != 0) || (r = expr(b, e, depth + 1)) != 0)
			return r;
	}
	return r;
}

static int payload(struct buf *b, json_t *o)
{
	const char *p = json_string_value(json_object_get(o, "protocol"));
	const char *f = json_string_value(json_object_get(o, "field"));

	if (p && f)
		return buf_addf(b, "%s %s", p, f);
	return buf_addf(b, "@%s,%lld,%lld",
	                json_string_value(json_object_get(o, "base"))
	                    ? json_string_value(json_object_get(o, "base"))
	                    : "?",
	                (long long)json_integer_value(json_object_get(o, "offset")),
	                (long long)json_integer_value(json_object_get(o, "len")));
}

static int meta(struct buf *b, json_t *o)
{
	const char *k = json_string_value(json_object_get(o, "key"));
	static const char *const bare[] = {"iifname", "oifname", "iif", "oif", "mark"};
	size_t i;

	if (!k)
		return buf_adds(b, "meta ?");
	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (strcmp(k, bare[i]) == 0 && strcmp(k, "mark") != 0)
			return buf_adds(b, k);
	return buf_addf(b, "meta %s", k);
}

/* Expressions: left-hand sides, values, sets, prefixes, ranges, concatenations. */
static int expr(struct buf *b, json_t *v, unsigned depth)
{
	const char *key;
	json_t *o;
	int r;

	if (depth > FW_MAX_JSON_DEPTH)
		return buf_adds(b, "…");
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		return fw_add_text(b, s, strlen(s));
	}
	if (json_is_integer(v))
		return buf_addf(b, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return buf_adds(b, json_is_true(v) ? "exists" : "missing");
	if (json_is_array(v))
		return list(b, v, ",", depth);
	if (!json_is_object(v))
		return buf_adds(b, "?");
	if ((o = json_object_get(v, "payload")))
		return payload(b, o);
	if ((o = json_object_get(v, "meta")))
		return meta(b, o);
	if ((o = json_object_get(v, "ct"))) {
		const char *dir = json_string_value(json_object_get(o, "dir"));

		return buf_addf(b, "ct %s%s%s", dir ? dir : "", dir ? " " : "",
		                json_string_value(json_object_get(o, "key"))
		                    ? json_string_value(json_object_get(o, "key"))
		                    : "?");
	}
	if ((o = json_object_get(v, "fib"))) {
		if ((r = buf_adds(b, "fib ")) ||
		    (r = list(b, json_object_get(o, "flags"), " . ", depth)))
			return r;
		return buf_addf(b, " %s",
		                json_string_value(json_object_get(o, "result"))
		                    ? json_string_value(json_object_get(o, "result"))
		                    : "?");
	}
	if ((o = json_object_get(v, "prefix"))) {
		if ((r = expr(b, json_object_get(o, "addr"), depth + 1)))
			return r;
		return buf_addf(b, "/%lld",
		                (long long)json_integer_value(json_object_get(o, "len")));
	}
	if ((o = json_object_get(v, "range"))) {
		if ((r = expr(b, json_array_get(o, 0), depth + 1)) || (r = buf_addch(b, '-')))
			return r;
		return expr(b, json_array_get(o, 1), depth + 1);
	}
	if ((o = json_object_get(v, "set"))) {
		json_t *e;
		size_t i;

		if (!json_is_array(o))
			return expr(b, o, depth + 1);
		if ((r = buf_adds(b, "{ ")))
			return r;
		json_array_foreach(o, i, e)
		{
			if (i && (r = buf_adds(b, ", ")))
				return r;
			if (json_is_array(e) && json_array_size(e) == 2) { /* map element */
				if ((r = expr(b, json_array_get(e, 0), depth + 1)) ||
				    (r = buf_adds(b, " : ")) ||
				    (r = expr(b, json_array_get(e, 1), depth + 1)))
					return r;
			} else if ((r = expr(b, e, depth + 1))) {
				return r;
			}
			if (b->len > TEXT_MAX)
				return buf_adds(b, ", … }");
		}
		return buf_adds(b, " }");
	}
	if ((o = json_object_get(v, "elem")))
		return expr(b, json_object_get(o, "val"), depth + 1);
	if ((o = json_object_get(v, "concat")))
		return list(b, o, " . ", depth);
	if ((o = json_object_get(v, "&")) || (o = json_object_get(v, "|")) ||
	    (o = json_object_get(v, "^"))) {
		const char *op = json_object_get(v, "&")   ? " & "
		                 : json_object_get(v, "|") ? " | "
		                                           : " ^ ";

		if ((r = expr(b, json_array_get(o, 0), depth + 1)) || (r = buf_adds(b, op)))
			return r;
		return expr(b, json_array_get(o, 1), depth + 1);
	}
	/* verdicts inside maps */
	json_object_foreach(v, key, o)
	{
		if (strcmp(key, "jump") == 0 || strcmp(key, "goto") == 0)
			return buf_addf(b, "%s %s", key,
			                json_string_value(json_object_get(o, "target"))
			                    ? json_string_value(json_object_get(o, "target"))
			                    : "?");
		return buf_adds(b, key);
	}
	return buf_adds(b, "?");
}

static int stmt(struct buf *b, const char *key, json_t *v)
{
	const char *s, *op;
	int r;

	if (strcmp(key, "match") == 0) {
		op = json_string_value(json_object_get(v, "op"));
		if ((r = expr(b, json_object_get(v, "left"), 0)))
			return r;
		if (op && strcmp(op, "==") != 0 && strcmp(op, "in") != 0 &&
		    (r = buf_addf(b, " %s", op)))
			return r;
		if ((r = buf_addch(b, ' ')))
			return r;
		return expr(b, json_object_get(v, "right"), 0);
	}
	if (strcmp(key, "counter") == 0)
		return buf_adds(b, "counter");
	if (strcmp(key, "jump") == 0 || strcmp(key, "goto") == 0)
		return buf_addf(b, "%s %s", key,
		                (s = json_string_value(json_object_get(v, "target"))) ? s : "?");
	if (strcmp(key, "reject") == 0) {
		const char *type = json_string_value(json_object_get(v, "type"));
		const char *code = json_string_value(json_object_get(v, "expr"));

		if (!type)
			return buf_adds(b, "reject");
		if (strcmp(type, "tcp reset") == 0)
			return buf_adds(b, "reject with tcp reset");
		return buf_addf(b, "reject with %s type %s", type,
		                code ? code : "port-unreachable");
	}
	if (strcmp(key, "log") == 0) {
		if ((s = json_string_value(json_object_get(v, "prefix"))))
			return buf_addf(b, "log prefix \"%s\"", s);
		return buf_adds(b, "log");
	}
	if (strcmp(key, "limit") == 0)
		return buf_addf(b, "limit rate %s%lld/%s",
		                json_is_true(json_object_get(v, "inv")) ? "over " : "",
		                (long long)json_integer_value(json_object_get(v, "rate")),
		                (s = json_string_value(json_object_get(v, "per"))) ? s : "second");
	if (strcmp(key, "ct count") == 0)
		return buf_addf(b, "ct count %s%lld",
		                json_is_true(json_object_get(v, "inv")) ? "over " : "",
		                (long long)json_integer_value(json_object_get(v, "val")));
	if (strcmp(key, "vmap") == 0) {
		if ((r = expr(b, json_object_get(v, "key"), 0)) || (r = buf_adds(b, " vmap ")))
			return r;
		return expr(b, json_object_get(v, "data"), 0);
	}
	if (strcmp(key, "mangle") == 0) {
		if ((r = expr(b, json_object_get(v, "key"), 0)) || (r = buf_adds(b, " set ")))
			return r;
		return expr(b, json_object_get(v, "value"), 0);
	}
	if (strcmp(key, "set") == 0 || strcmp(key, "map") == 0) {
		op = json_string_value(json_object_get(v, "op"));
		if ((r = buf_addf(b, "%s %s { ", op ? op : "update",
		                  (s = json_string_value(json_object_get(v, "set"))) ? s : "@?")) ||
		    (r = expr(b, json_object_get(v, "elem"), 0)))
			return r;
		return buf_adds(b, " … }");
	}
	if (strcmp(key, "xt") == 0) {
		const char *type = json_string_value(json_object_get(v, "type"));

		s = json_string_value(json_object_get(v, "name"));
		return buf_addf(b, "xt %s %s", type ? type : "?", s ? s : "?");
	}
	if (strcmp(key, "redirect") == 0 && json_object_get(v, "port"))
		return buf_addf(b, "redirect to :%lld",
		                (long long)json_integer_value(json_object_get(v, "port")));
	if ((strcmp(key, "dnat") == 0 || strcmp(key, "snat") == 0) && json_object_get(v, "addr")) {
		if ((r = buf_addf(b, "%s to ", key)) ||
		    (r = expr(b, json_object_get(v, "addr"), 0)))
			return r;
		if (json_object_get(v, "port"))
			return buf_addf(b, ":%lld",
			                (long long)json_integer_value(json_object_get(v, "port")));
		return SD_OK;
	}
	return buf_adds(b, key); /* accept, drop, return, continue, notrack, masquerade, … */
}

static int load(const char *json, size_t len, const char *what, json_t **root, json_t **obj)
{
	json_error_t err;

	if (len > FW_MAX_JSON_OBJECT ||
	    (*root = json_loadb(json, len, JSON_DISABLE_EOF_CHECK, &err)) == NULL)
		return SD_ERR_INVALID;
	if (!json_is_object(*obj = json_object_get(*root, what))) {
		json_decref(*root);
		return SD_ERR_INVALID;
	}
	return SD_OK;
}

int fw_nft_rule_text(const char *json, size_t len, struct buf *out)
{
	json_t *root, *rule, *s, *v;
	const char *key, *comment;
	size_t i, n = 0;
	int r;

	if ((r = load(json, len, "rule", &root, &rule)) != 0)
		return r;
	json_array_foreach(json_object_get(rule, "expr"), i, s)
	{
		json_object_foreach(s, key, v)
		{
			if ((n++ && (r = buf_addch(out, ' '))) || (r = stmt(out, key, v)))
				goto out;
		}
	}
	if ((comment = json_string_value(json_object_get(rule, "comment"))))
		r = buf_addf(out, " comment \"%s\"", comment);
out:
	json_decref(root);
	return r;
}

int fw_nft_chain_text(const char *json, size_t len, struct buf *out)
{
	json_t *root, *c;
	const char *name, *type, *hook, *policy;
	int r;

	if ((r = load(json, len, "chain", &root, &c)) != 0)
		return r;
	name = json_string_value(json_object_get(c, "name"));
	type = json_string_value(json_object_get(c, "type"));
	hook = json_string_value(json_object_get(c, "hook"));
	policy = json_string_value(json_object_get(c, "policy"));
	if (hook)
		r = buf_addf(out, "chain %s { type %s hook %s priority %lld; policy %s; }",
		             name ? name : "?", type ? type : "filter", hook,
		             (long long)json_integer_value(json_object_get(c, "prio")),
		             policy ? policy : "accept");
	else
		r = buf_addf(out, "chain %s", name ? name : "?");
	json_decref(root);
	return r;
}
