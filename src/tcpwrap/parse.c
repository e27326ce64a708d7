/*
 * parse.c — hosts_access_parse(): a table's logical lines, kept for decisions and lint.
 *
 * Strings live in chunks that never move, so rules can point into them; the chunks and the
 * rule array belong to the ha_file.  Lines that libwrap reads in place (the common case) are
 * stored once, serving as both the logical text and the raw first line.
 */
#include "tcpwrap/hosts_access.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "tcpwrap/lines.h"

#define CHUNK_MIN ((size_t)16 << 10)
#define CHUNK_MAX ((size_t)1 << 20)

struct ha_chunk {
	struct ha_chunk *next;
	size_t used;
	size_t size;
	char data[];
};

static char *chunk_alloc(struct ha_file *f, size_t n)
{
	struct ha_chunk *c = f->chunks;
	size_t size;

	if (!c || c->size - c->used < n) {
		size = c && c->size < CHUNK_MAX ? c->size * 2 : CHUNK_MIN;
		if (c && size > CHUNK_MAX)
			size = CHUNK_MAX;
		if (size < n)
			size = n;
		if (!(c = malloc(sizeof(*c) + size)))
			return NULL;
		c->next = f->chunks;
		c->used = 0;
		c->size = size;
		f->chunks = c;
		f->bytes += sizeof(*c) + size;
	}
	c->used += n;
	return c->data + c->used - n;
}

static const char *chunk_strndup(struct ha_file *f, const void *s, size_t n)
{
	char *p = chunk_alloc(f, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

void hosts_access_free(struct ha_file *f)
{
	struct ha_chunk *c, *next;

	if (!f)
		return;
	for (c = f->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(f->rules);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

static struct ha_rule *new_rule(struct ha_file *f, size_t *alloc)
{
	struct ha_rule *v;
	size_t n;

	if (f->n_rules == *alloc) {
		n = *alloc ? *alloc * 2 : 64;
		if (n > HA_MAX_RULES)
			n = HA_MAX_RULES;
		if (f->n_rules >= n)
			return NULL;
		if (!(v = realloc(f->rules, n * sizeof(*v))))
			return NULL;
		f->bytes += (n - *alloc) * sizeof(*v);
		f->rules = v;
		*alloc = n;
	}
	v = &f->rules[f->n_rules++];
	memset(v, 0, sizeof(*v));
	return v;
}

static int add_rule(struct ha_file *f, size_t *alloc, const struct ha_line *l, const uint8_t *dh,
                    size_t dh_len)
{
	struct ha_rule *r;
	size_t raw_len;

	if (f->n_rules >= HA_MAX_RULES)
		return SD_ERR_TOO_LONG;
	if (!(r = new_rule(f, alloc)))
		return SD_ERR_ALLOC;
	r->kind = l->kind == HA_LINE_RULE       ? HA_RULE
	          : l->kind == HA_LINE_NO_COLON ? HA_RULE_NO_COLON
	                                        : HA_RULE_UNTERMINATED;
	r->line = l->line;
	r->line_last = l->line_last;
	r->len = (uint32_t)l->len;
	r->colon1 = (uint32_t)l->colon1;
	r->colon2 = l->colon2 == HA_NO_FIELD ? HA_NO_OPTIONS : (uint32_t)l->colon2;
	if (!(r->text = chunk_strndup(f, l->text, l->len)))
		return SD_ERR_ALLOC;
	raw_len = l->raw_len < HA_RAW_MAX ? l->raw_len : HA_RAW_MAX;
	if (!l->joined && raw_len + 1 == l->len) {
		r->raw = r->text; /* the line as written is the line libwrap parses */
	} else if (!(r->raw = chunk_strndup(f, l->raw, raw_len))) {
		return SD_ERR_ALLOC;
	}
	r->raw_len = (uint32_t)raw_len;
	if (dh && !(r->denyhosts = chunk_strndup(f, dh, dh_len)))
		return SD_ERR_ALLOC;
	return 0;
}

int hosts_access_parse(const char *name, const uint8_t *data, size_t len, struct ha_file *out)
{
	struct ha_reader rd;
	struct ha_line l;
	struct ha_file f;
	const uint8_t *dh = NULL;
	size_t dh_len = 0, alloc = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	if (!(f.name = strdup(name ? name : "")))
		return SD_ERR_ALLOC;
	f.bytes = strlen(f.name) + 1;
	if (!data) {
		f.missing = 1;
		*out = f;
		return 0;
	}
	if (len > HA_MAX_INPUT) {
		hosts_access_free(&f);
		return SD_ERR_TOO_LONG;
	}
	ha_reader_init(&rd, data, len);
	while (r == 0 && ha_reader_next(&rd, &l)) {
		if (l.kind == HA_LINE_COMMENT) {
			/* Remember a DenyHosts comment for the rule right below it. */
			dh = ha_is_denyhosts_comment((const char *)l.raw, l.raw_len) ? l.raw : NULL;
			dh_len = strnlen((const char *)l.raw,
			                 l.raw_len < HA_RAW_MAX ? l.raw_len : HA_RAW_MAX);
			continue;
		}
		if (l.kind != HA_LINE_BLANK)
			r = add_rule(&f, &alloc, &l, l.kind == HA_LINE_RULE ? dh : NULL, dh_len);
		dh = NULL;
	}
	if (r != 0) {
		hosts_access_free(&f);
		return r;
	}
	if (alloc > f.n_rules && f.n_rules > 0) {
		/* Give back the growth slack: memory stays proportional to the rules. */
		struct ha_rule *v = realloc(f.rules, f.n_rules * sizeof(*v));

		if (v) {
			f.bytes -= (alloc - f.n_rules) * sizeof(*v);
			f.rules = v;
		}
	}
	f.n_lines = rd.line + (rd.pos > 0 && data[rd.pos - 1] != '\n');
	if (rd.done)
		f.lines_ignored = ha_reader_lines_left(&rd);
	*out = f;
	return 0;
}
