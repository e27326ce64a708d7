#include "report/report.h"

#include <jansson.h>

#include "probe/client.h"

/* jansson's *_new functions return NULL on OOM and json_object_set_new/json_array_append_new
 * accept a NULL value by failing; a failed set is caught by checking the final dump. */
static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jms(double ms)
{
	return ms < 0 ? json_null() : json_real((double)(long long)(ms * 10.0 + 0.5) / 10.0);
}

static json_t *evidence_json(const struct evidence *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", jstr(e->source));
	json_object_set_new(o, "line", e->line ? json_integer((json_int_t)e->line) : json_null());
	json_object_set_new(o, "text", jstr(e->text));
	return o;
}

static json_t *finding_json(const struct diagnosis *d, const struct finding *f)
{
	long k = diagnosis_index_of(d, f->enforces);
	json_t *o = json_object(), *ev = json_array(), *fix = json_array();
	size_t i;

	json_object_set_new(o, "layer", json_string(layer_name(f->layer)));
	json_object_set_new(o, "cause", json_string(cause_name(f->cause)));
	json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(o, "summary", jstr(f->summary ? f->summary : ""));
	json_object_set_new(o, "client_sees", jstr(f->client_sees));
	for (i = 0; i < f->nevidence; i++)
		json_array_append_new(ev, evidence_json(&f->evidence[i]));
	for (i = 0; i < f->nfix; i++)
		json_array_append_new(fix, json_string(f->fix[i]));
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "fix", fix);
	json_object_set_new(o, "enforces", k >= 0 ? json_integer(k) : json_null());
	return o;
}

static json_t *blocked_json(const struct blocked_row *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "who", jstr(b->who));
	json_object_set_new(o, "layer", json_string(layer_name(b->layer)));
	json_object_set_new(o, "cause", json_string(cause_name(b->cause)));
	json_object_set_new(o, "severity", json_string(severity_name(b->severity)));
	json_object_set_new(o, "by", jstr(b->by));
	json_object_set_new(o, "until", jstr(b->until));
	json_object_set_new(o, "source", jstr(b->where.source));
	json_object_set_new(o, "line",
	                    b->where.line ? json_integer((json_int_t)b->where.line) : json_null());
	json_object_set_new(o, "fix", jstr(b->fix));
	return o;
}

char *diagnosis_to_json(const struct diagnosis *d)
{
	json_t *o = json_object(), *fs = json_array(), *ls = json_array();
	char *s;
	size_t i;

	json_object_set_new(o, "client", jstr(d->client));
	json_object_set_new(o, "port", json_integer(d->port));
	json_object_set_new(o, "user", jstr(d->user));
	json_object_set_new(o, "verdict", json_string(verdict_name(d->verdict)));
	json_object_set_new(o, "deciding",
	                    d->deciding >= 0 ? json_integer(d->deciding) : json_null());
	for (i = 0; i < d->nfindings; i++)
		json_array_append_new(fs, finding_json(d, d->findings[i]));
	json_object_set_new(o, "findings", fs);
	if (!d->client) {
		json_t *bs = json_array();
		for (i = 0; i < d->nblocked; i++)
			json_array_append_new(bs, blocked_json(&d->blocked[i]));
		json_object_set_new(o, "blocked", bs);
		json_object_set_new(o, "blocked_omitted",
		                    json_integer((json_int_t)d->blocked_omitted));
	}
	for (i = 0; i < LAYER__COUNT; i++) {
		json_t *l = json_object();
		json_object_set_new(l, "layer", json_string(layer_name((enum layer_id)i)));
		json_object_set_new(l, "status",
		                    json_string(layer_status_name(d->layers[i].status)));
		json_object_set_new(l, "note", jstr(d->layers[i].note ? d->layers[i].note : ""));
		json_array_append_new(ls, l);
	}
	json_object_set_new(o, "layers", ls);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static json_t *namelist_json(const struct namelist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->names[i]));
	return a;
}

static json_t *kexinit_json(const struct probe_result *r)
{
	json_t *o;
	int i;

	if (!r->have_kexinit)
		return json_null();
	o = json_object();
	for (i = 0; i < KEX_LIST_COUNT; i++)
		json_object_set_new(o, kex_list_name((enum kex_list)i),
		                    namelist_json(&r->kexinit.lists[i]));
	json_object_set_new(o, "strict_kex", json_boolean(r->kexinit.strict_kex));
	json_object_set_new(o, "ext_info", json_boolean(r->kexinit.ext_info));
	json_object_set_new(o, "first_kex_follows", json_boolean(r->kexinit.first_kex_follows));
	return o;
}

static json_t *banner_json(const struct probe_result *r)
{
	json_t *o = json_object(), *pre = json_array();
	size_t i;

	json_object_set_new(o, "line", jstr(r->banner_line));
	json_object_set_new(o, "software", jstr(r->software));
	for (i = 0; i < r->npre_lines && i < BANNER_KEEP_PRE_LINES; i++)
		json_array_append_new(pre, json_string(r->pre_lines[i]));
	json_object_set_new(o, "pre_banner_lines", pre);
	json_object_set_new(o, "pre_banner_line_count", json_integer((json_int_t)r->npre_lines));
	json_object_set_new(o, "not_ssh_kind", jstr(r->not_ssh_kind));
	json_object_set_new(o, "disconnect", jstr(r->disconnect));
	return o;
}

static json_t *deep_json(const struct probe_deep *d)
{
	json_t *o;

	if (!d->ran)
		return json_null();
	o = json_object();
	json_object_set_new(o, "outcome", json_string(probe_outcome_name(d->outcome)));
	json_object_set_new(o, "user", jstr(d->user));
	json_object_set_new(o, "kex", jstr(d->kex));
	json_object_set_new(o, "host_key_type", jstr(d->hostkey_type));
	json_object_set_new(o, "host_key_fingerprint", jstr(d->fingerprint));
	json_object_set_new(o, "cipher_client_to_server", jstr(d->cipher_c2s));
	json_object_set_new(o, "cipher_server_to_client", jstr(d->cipher_s2c));
	json_object_set_new(o, "mac_client_to_server", jstr(d->mac_c2s));
	json_object_set_new(o, "mac_server_to_client", jstr(d->mac_s2c));
	json_object_set_new(o, "auth_methods", jstr(d->auth_methods));
	json_object_set_new(o, "error", jstr(d->error));
	json_object_set_new(o, "kex_ms", jms(d->kex_ms));
	json_object_set_new(o, "auth_ms", jms(d->auth_ms));
	return o;
}

static json_t *algos_json(const struct probe_result *r)
{
	json_t *o, *ch;
	int k;

	if (!r->have_algos)
		return json_null();
	o = json_object();
	ch = json_object();
	for (k = 0; k < ALGO__COUNT; k++)
		json_object_set_new(ch, algo_kind_name((enum algo_kind)k), jstr(r->algo_chosen[k]));
	json_object_set_new(o, "predicted", ch);
	json_object_set_new(o, "client_from",
	                    json_string(r->algos_from_defaults ? "openssh-defaults" : "ssh -G"));
	json_object_set_new(o, "mismatch", jstr(r->algo_mismatch));
	return o;
}

static json_t *ramp_json(const struct probe_result *r)
{
	json_t *o, *lv;
	size_t i;

	if (!r->ramp_ran)
		return json_null();
	o = json_object();
	lv = json_array();
	if (r->ramp.have_start) {
		json_object_set_new(o, "start", json_integer(r->ramp.start));
		json_object_set_new(o, "rate", json_integer(r->ramp.rate));
		json_object_set_new(o, "rate_error", json_integer(r->ramp.rate_err));
		json_object_set_new(o, "full", json_integer(r->ramp.full));
		json_object_set_new(o, "full_exact", json_boolean(r->ramp.have_full));
	} else {
		json_object_set_new(o, "start", json_null());
		json_object_set_new(o, "rate", json_null());
		json_object_set_new(o, "rate_error", json_null());
		json_object_set_new(o, "full", json_null());
		json_object_set_new(o, "full_exact", json_false());
	}
	json_object_set_new(o, "max_held", json_integer(r->ramp_max_held));
	json_object_set_new(o, "samples", json_integer(r->ramp.samples));
	json_object_set_new(o, "seconds",
	                    json_real((double)(long long)(r->ramp_seconds * 10.0 + 0.5) / 10.0));
	json_object_set_new(o, "note", jstr(r->ramp_note));
	for (i = 0; i < r->nramp_levels; i++) {
		json_t *l = json_object();
		json_object_set_new(l, "held", json_integer(r->ramp_levels[i].held));
		json_object_set_new(l, "tries", json_integer(r->ramp_levels[i].tries));
		json_object_set_new(l, "dropped", json_integer(r->ramp_levels[i].dropped));
		json_array_append_new(lv, l);
	}
	json_object_set_new(o, "levels", lv);
	return o;
}

char *probe_result_to_json(const struct probe_result *r, const struct probe_client *client)
{
	json_t *o = json_object(), *at = json_array(), *lc = json_array(), *chk = json_array();
	json_t *counts = json_object();
	char *s;
	size_t i;

	json_object_set_new(o, "target", jstr(r->target));
	json_object_set_new(o, "address", jstr(r->address));
	json_object_set_new(o, "port", json_integer(r->port));
	json_object_set_new(o, "outcome", json_string(probe_outcome_name(r->outcome)));
	json_object_set_new(o, "pattern", json_string(probe_pattern_name(r->pattern)));
	for (i = 0; i < OUTCOME__COUNT; i++)
		if (r->counts[i])
			json_object_set_new(counts, probe_outcome_name((enum probe_outcome)i),
			                    json_integer((json_int_t)r->counts[i]));
	json_object_set_new(o, "outcome_counts", counts);
	for (i = 0; i < r->nattempts; i++) {
		const struct probe_attempt *a = &r->attempts[i];
		json_t *x = json_object(), *t = json_object();
		json_object_set_new(x, "outcome", json_string(probe_outcome_name(a->outcome)));
		json_object_set_new(t, "resolve_ms", jms(r->resolve_ms));
		json_object_set_new(t, "connect_ms", jms(a->connect_ms));
		json_object_set_new(t, "banner_ms", jms(a->banner_ms));
		json_object_set_new(t, "kexinit_ms", jms(a->kexinit_ms));
		json_object_set_new(t, "total_ms", jms(a->end_ms));
		json_object_set_new(x, "timings", t);
		json_object_set_new(x, "errno",
		                    a->sys_errno ? json_integer(a->sys_errno) : json_null());
		json_object_set_new(x, "detail", jstr(a->detail));
		json_object_set_new(x, "local_address",
		                    a->local_address[0] ? json_string(a->local_address)
		                                        : json_null());
		json_object_set_new(x, "local_port",
		                    a->local_address[0] ? json_integer(a->local_port)
		                                        : json_null());
		json_array_append_new(at, x);
	}
	json_object_set_new(o, "attempts", at);
	json_object_set_new(o, "banner", banner_json(r));
	json_object_set_new(o, "kexinit", kexinit_json(r));
	json_object_set_new(o, "deep", deep_json(&r->deep));
	json_object_set_new(o, "algorithms", algos_json(r));
	json_object_set_new(o, "ramp", ramp_json(r));
	for (i = 0; i < r->ncauses; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "cause", json_string(cause_name(r->causes[i].cause)));
		json_object_set_new(c, "why", jstr(r->causes[i].why));
		json_array_append_new(lc, c);
	}
	json_object_set_new(o, "likely_causes", lc);
	for (i = 0; i < r->nserver_checks; i++)
		json_array_append_new(chk, json_string(r->server_checks[i]));
	json_object_set_new(o, "server_checks", chk);
	json_object_set_new(o, "connections_made", json_integer(r->connections_made));
	json_object_set_new(o, "budget_warning", jstr(r->budget_warning));
	if (client)
		json_object_set_new(o, "client", probe_client_to_json(client));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
