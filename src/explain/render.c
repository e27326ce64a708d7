/* explain/render.c — the explanation as 80-column text and as JSON (see docs/json.md). */
#include <string.h>

#include "base/err.h"
#include "explain/explain.h"

#define WIDTH 80

static int has_placeholder(const struct explain_result *r, const char *ph)
{
	size_t i;

	if (strstr(r->first.cmd, ph))
		return 1;
	for (i = 0; i < r->ncauses; i++)
		if (strstr(r->causes[i].next.cmd, ph))
			return 1;
	return 0;
}

int explain_render_text(const struct explain_result *r, struct buf *out)
{
	char head[160];
	size_t i;
	int rc = 0;

	if (!r->recognised) {
		rc |= buf_add_wrapped(out, "",
		                      "UNKNOWN: no line of the input is an SSH client or server "
		                      "message sshdiag knows.",
		                      0, WIDTH);
		rc |= buf_add_wrapped(out, "",
		                      "Paste the last lines ssh printed (better: the whole output "
		                      "of ssh -v), or sshd's log lines. To test the connection "
		                      "itself: sshdiag probe HOST",
		                      0, WIDTH);
		return rc ? SD_ERR_ALLOC : SD_OK;
	}
	snprintf(head, sizeof(head), "%s side, %s, %s",
	         r->side == EXPLAIN_SIDE_CLIENT ? "CLIENT" : "SERVER", explain_phase_text(r->phase),
	         r->pre_auth ? "before authentication" : "not a pre-authentication failure");
	rc |= buf_adds(out, head);
	rc |= buf_addch(out, '\n');
	rc |= buf_add_wrapped(out, "  ", r->summary, 0, WIDTH);
	for (i = 0; i < r->nshown; i++) {
		const char *t = r->shown[i].text;
		size_t n = strlen(t), col, k;

		/* the pasted line as it was, cut (not word-wrapped) at 80 columns */
		rc |= buf_addf(out, "  line %zu: ", r->shown[i].no);
		col = 10;
		for (k = r->shown[i].no; k >= 10; k /= 10)
			col++;
		while (n > 0) {
			size_t take = n < WIDTH - col ? n : WIDTH - col;

			rc |= buf_add(out, t, take);
			rc |= buf_addch(out, '\n');
			t += take;
			n -= take;
			if (n > 0) {
				rc |= buf_adds(out, "    ");
				col = 4;
			}
		}
	}
	if (r->host[0] || r->address[0] || r->port || r->client[0] || r->user[0] || r->detail[0]) {
		const char *sep = " ";

		rc |= buf_adds(out, "  seen:");
		if (r->host[0]) {
			rc |= buf_addf(out, "%shost %s", sep, r->host);
			sep = ", ";
		}
		if (r->address[0]) {
			rc |= buf_addf(out, "%saddress %s", sep, r->address);
			sep = ", ";
		}
		if (r->port) {
			rc |= buf_addf(out, "%sport %u", sep, r->port);
			sep = ", ";
		}
		if (r->client[0]) {
			rc |= buf_addf(out, "%sclient %s", sep, r->client);
			sep = ", ";
		}
		if (r->user[0])
			rc |= buf_addf(out, "%suser %s", sep, r->user);
		rc |= buf_addch(out, '\n');
		if (r->detail[0]) {
			rc |= buf_adds(out, "  detail:");
			rc |= buf_add_wrapped(out, "    ", r->detail, 9, WIDTH);
		}
	}
	if (r->note[0])
		rc |= buf_add_wrapped(out, "  ", r->note, 0, WIDTH);
	rc |= buf_addf(out, "\nFirst, on the %s:\n  %s$ %s\n", r->first.where, r->first.where,
	               r->first.cmd);
	if (r->ncauses)
		rc |= buf_adds(out, "\nLikely causes, most likely first:\n");
	for (i = 0; i < r->ncauses; i++) {
		const struct explain_cause *c = &r->causes[i];

		rc |= buf_addf(out, "%2zu. %s\n", i + 1, cause_name(c->cause));
		rc |= buf_add_wrapped(out, "    ", c->why, 0, WIDTH);
		rc |= buf_addf(out, "    %s$ %s\n", c->next.where, c->next.cmd);
	}
	if (has_placeholder(r, "CLIENT_ADDR")) {
		rc |= buf_addch(out, '\n');
		rc |= buf_add_wrapped(out, "",
		                      "CLIENT_ADDR: the client's address as the server sees it "
		                      "(after NAT).",
		                      0, WIDTH);
	}
	if (has_placeholder(r, "HOST")) {
		rc |= buf_adds(out, r->ncauses ? "" : "\n");
		rc |= buf_add_wrapped(out, "",
		                      "HOST: the server's name or address; the paste did not say.",
		                      0, WIDTH);
	}
	return rc ? SD_ERR_ALLOC : SD_OK;
}

static int set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *step_json(const struct explain_step *s)
{
	json_t *o = json_object();
	int rc = 0;

	if (!o)
		return NULL;
	rc |= set(o, "where", json_string(s->where ? s->where : ""));
	rc |= set(o, "command", json_string(s->cmd));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *explain_render_json(const struct explain_result *r)
{
	json_t *o = json_object(), *a, *x;
	size_t i;
	int rc = 0;

	if (!o)
		return NULL;
	rc |= set(o, "recognised", json_boolean(r->recognised));
	rc |= set(o, "side", json_string(explain_side_name(r->side)));
	rc |= set(o, "phase", json_string(explain_phase_name(r->phase)));
	rc |= set(o, "pre_auth", r->recognised ? json_boolean(r->pre_auth) : json_null());
	rc |= set(o, "symptom", jstr_or_null(r->symptom));
	rc |= set(o, "summary", json_string(r->summary));
	rc |= set(o, "note", jstr_or_null(r->note));
	rc |= set(o, "input_lines", json_integer((json_int_t)r->lines));
	a = json_array();
	rc |= set(o, "lines", a);
	for (i = 0; a && i < r->nshown; i++) {
		x = json_object();
		if (!x || json_array_append_new(a, x) != 0) {
			rc = -1;
			break;
		}
		rc |= set(x, "line", json_integer((json_int_t)r->shown[i].no));
		rc |= set(x, "text", json_string(r->shown[i].text));
	}
	x = json_object();
	rc |= set(o, "seen", x);
	if (x) {
		rc |= set(x, "host", jstr_or_null(r->host));
		rc |= set(x, "address", jstr_or_null(r->address));
		rc |= set(x, "port", r->port ? json_integer(r->port) : json_null());
		rc |= set(x, "client", jstr_or_null(r->client));
		rc |= set(x, "client_port",
		          r->client_port ? json_integer(r->client_port) : json_null());
		rc |= set(x, "user", jstr_or_null(r->user));
		rc |= set(x, "detail", jstr_or_null(r->detail));
	}
	rc |= set(o, "first", r->recognised ? step_json(&r->first) : json_null());
	a = json_array();
	rc |= set(o, "causes", a);
	for (i = 0; a && i < r->ncauses; i++) {
		x = json_object();
		if (!x || json_array_append_new(a, x) != 0) {
			rc = -1;
			break;
		}
		rc |= set(x, "cause", json_string(cause_name(r->causes[i].cause)));
		rc |= set(x, "why", json_string(r->causes[i].why));
		rc |= set(x, "next", step_json(&r->causes[i].next));
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}
