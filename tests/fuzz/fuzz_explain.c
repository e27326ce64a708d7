/*
 * fuzz_explain — `sshdiag explain` on hostile pastes: the classification, then both
 * renderers.  Every suggested command must consist of the template's characters and the
 * shell-safe words taken from the paste (no quote, no $, no backquote, no ; from the input),
 * and every shown line must be printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "fuzz.h"

static void check_word(const char *s)
{
	for (; *s; s++)
		ASSERT(*s != '\'' && *s != '"' && *s != '$' && *s != '`' && *s != ';' &&
		       *s != ' ' && *s != '|' && *s != '&' && *s != '\n');
}

static void check_printable(const char *s)
{
	for (; *s; s++)
		ASSERT((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct explain_result *r = malloc(sizeof(*r));
	struct buf out;
	json_t *j;
	size_t i;

	ASSERT(r != NULL);
	explain_message((const char *)data, size, r);
	ASSERT(r->ncauses <= EXPLAIN_MAX_CAUSES);
	ASSERT(r->nshown <= EXPLAIN_MAX_LINES_SHOWN);
	ASSERT(r->recognised || r->ncauses == 0);
	check_word(r->host);
	check_word(r->address);
	check_word(r->client);
	check_word(r->user);
	check_printable(r->detail);
	for (i = 0; i < r->nshown; i++) {
		check_printable(r->shown[i].text);
		ASSERT(r->shown[i].no >= 1 && r->shown[i].no <= r->lines);
	}
	for (i = 0; i < r->ncauses; i++) {
		ASSERT(r->causes[i].cause < CAUSE__COUNT);
		ASSERT(r->causes[i].why && r->causes[i].why[0]);
		ASSERT(r->causes[i].next.cmd[0]);
		check_printable(r->causes[i].next.cmd);
	}
	buf_init(&out, 1 << 20);
	ASSERT(explain_render_text(r, &out) == 0);
	for (i = 0; i < out.len; i++)
		ASSERT(out.data[i] == '\n' ||
		       ((unsigned char)out.data[i] >= 0x20 && (unsigned char)out.data[i] < 0x7f));
	buf_release(&out);
	j = explain_render_json(r);
	ASSERT(j != NULL);
	json_decref(j);
	free(r);
	return 0;
}
