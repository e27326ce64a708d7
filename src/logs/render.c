#include "logs/render.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define TOP_DEFAULT 20

static const char *state_name(enum log_source_state st)
{
	switch (st) {
	case LOG_SOURCE_READ:
		return "read";
	case LOG_SOURCE_PARTIAL:
		return "partial";
	case LOG_SOURCE_UNREADABLE:
		return "unreadable";
	case LOG_SOURCE_MISSING:
	default:
		return "missing";
	}
}

static int add_clean(struct buf *b, const char *text, size_t len)
{
	return buf_add_sanitized(b, text, len);
}

static int counts_text(const struct log_client *cl, struct buf *b)
{
	unsigned i;
	int r = SD_OK, first = 1;

	for (i = 1; i < LC__COUNT && !r; i++) {
		if (!cl->count[i])
			continue;
		r = buf_addf(b, "%s%u %s", first ? "" : ", ", cl->count[i],
		             log_class_name((enum log_class)i));
		first = 0;
	}
	return r;
}

static int slot_text(const struct log_summary *s, const struct log_slot *sl, struct buf *b)
{
	int r;

	if (sl->line)
		r = buf_addf(b, "     %s:%u  ", log_summary_source_name(s, sl->source), sl->line);
	else
		r = buf_addf(b, "     %s  ", log_summary_source_name(s, sl->source));
	if (!r)
		r = add_clean(b, sl->text, sl->len);
	if (!r)
		r = buf_addch(b, '\n');
	return r;
}

static int text_sources(const struct log_summary *s, struct buf *b)
{
	char a[48], z[48];
	unsigned i;
	int r;

	if ((r = buf_addf(b,
	                  "sshd and ban-tool events in %u log%s (%llu lines, %llu events, %zu "
	                  "client%s):\n",
	                  s->nsources, s->nsources == 1 ? "" : "s", (unsigned long long)s->lines,
	                  (unsigned long long)s->events, s->nclients, s->nclients == 1 ? "" : "s")))
		return r;
	for (i = 0; i < s->nsources && !r; i++) {
		const struct log_source *src = &s->sources[i];

		if ((r = buf_adds(b, "  ")) || (r = add_clean(b, src->name, strlen(src->name))))
			break;
		if (src->state == LOG_SOURCE_READ || src->state == LOG_SOURCE_PARTIAL) {
			log_time_format(src->first_ts, &s->o.clock, LOG_TIME_FULL, a, sizeof(a));
			log_time_format(src->last_ts, &s->o.clock, LOG_TIME_FULL, z, sizeof(z));
			r = buf_addf(b, "  %llu lines, %llu events", (unsigned long long)src->lines,
			             (unsigned long long)src->events);
			if (!r && src->events)
				r = buf_addf(b, ", %s .. %s", a, z);
			if (!r && src->state == LOG_SOURCE_PARTIAL)
				r = buf_addf(b, " (partly: %s)", src->why ? src->why : "cut short");
		} else {
			r = buf_addf(b, "  %s%s%s", state_name(src->state), src->why ? ": " : "",
			             src->why ? src->why : "");
		}
		if (!r)
			r = buf_addch(b, '\n');
	}
	if (!r && s->overlong)
		r = buf_addf(b, "  (%llu lines longer than %d bytes were cut)\n",
		             (unsigned long long)s->overlong, LOG_LINE_MAX);
	if (!r && s->clients_dropped)
		r = buf_addf(b,
		             "  (more than %u clients: %llu events of the others are not counted "
		             "per client)\n",
		             LOG_CLIENTS_MAX, (unsigned long long)s->clients_dropped);
	return r;
}

static int text_windows(const struct log_summary *s, struct buf *b)
{
	unsigned k;
	int r = SD_OK, any = 0;

	for (k = 1; k < LK__COUNT && !r; k++) {
		const struct log_window *w = log_summary_window(s, (enum log_kind)k, 0);

		if (!w)
			continue;
		if (!any)
			r = buf_addf(b,
			             "\nEpisodes (the latest of each kind; one ends after %u s "
			             "without such an event):\n",
			             s->o.window_gap);
		any = 1;
		if (r || (r = buf_adds(b, "  ")) ||
		    (r = log_summary_window_text(s, (enum log_kind)k, NULL, b)))
			break;
		if (log_summary_nwindows(s, (enum log_kind)k) > 1)
			r = buf_addf(b, " (%u earlier episode%s kept)",
			             log_summary_nwindows(s, (enum log_kind)k) - 1,
			             log_summary_nwindows(s, (enum log_kind)k) == 2 ? "" : "s");
		if (!r)
			r = buf_addch(b, '\n');
		if (!r)
			r = slot_text(s, &w->first_line, b);
		if (!r && (w->last_line.line != w->first_line.line ||
		           w->last_line.source != w->first_line.source ||
		           w->last_line.len != w->first_line.len ||
		           memcmp(w->last_line.text, w->first_line.text, w->first_line.len)))
			r = slot_text(s, &w->last_line, b);
	}
	return r;
}

static int text_clients(const struct log_summary *s, const struct logs_render_opts *o,
                        struct buf *b)
{
	const struct log_client **v;
	size_t n, i, top = o->top ? o->top : s->nclients;
	char addr[64], when[48];
	int r;

	if (!s->nclients)
		return SD_OK;
	if ((r = log_summary_clients_sorted(s, top, &v, &n)))
		return r;
	if (top > n)
		top = n;
	r = buf_addf(b, "\nClients (%zu of %zu, most events first):\n  %-39s %7s  %-16s  %s\n", top,
	             n, "ADDRESS", "EVENTS", "LAST", "WHAT");
	for (i = 0; i < top && !r; i++) {
		ip_addr_format(&v[i]->addr, addr, sizeof(addr));
		log_time_format(v[i]->last, &s->o.clock, LOG_TIME_FULL, when, sizeof(when));
		when[16] = '\0';
		if ((r = buf_addf(b, "  %-39s %7u  %-16s  ", addr, v[i]->events, when)) ||
		    (r = counts_text(v[i], b)) || (r = buf_addch(b, '\n')))
			break;
	}
	free((void *)v);
	return r;
}

static int text_client(const struct log_summary *s, const struct logs_render_opts *o, struct buf *b)
{
	const struct log_client *cl = log_summary_client(s, o->client);
	char a[48], z[48];
	size_t i;
	unsigned k;
	int r, any = 0;

	if (!cl)
		return buf_addf(b, "\n%s: no sshd or ban-tool event names this address\n",
		                o->client_text);
	log_time_format(cl->first, &s->o.clock, LOG_TIME_FULL, a, sizeof(a));
	log_time_format(cl->last, &s->o.clock, LOG_TIME_FULL, z, sizeof(z));
	if ((r = buf_addf(b, "\n%s: %u events, %s .. %s\n  ", o->client_text, cl->events, a, z)) ||
	    (r = counts_text(cl, b)) || (r = buf_addch(b, '\n')))
		return r;
	for (k = 1; k < LK__COUNT && !r; k++) {
		size_t mark = b->len;

		if ((r = buf_adds(b, any ? "; " : "  episodes: ")))
			break;
		r = log_summary_window_text(s, (enum log_kind)k, o->client, b);
		if (r == SD_ERR_NOT_FOUND) {
			b->len = mark;
			b->data[mark] = '\0';
			r = SD_OK;
			continue;
		}
		any = 1;
	}
	if (!r && any)
		r = buf_addch(b, '\n');
	if (!r)
		r = buf_addf(b, "\nTimeline of %s%s:\n", o->client_text,
		             s->tl_dropped ? " (the middle part was dropped, see below)" : "");
	for (i = 0; i < s->ntl && !r; i++) {
		const struct log_text *t = &s->tl[i];

		log_time_format(t->ts, &s->o.clock, LOG_TIME_FULL, a, sizeof(a));
		r = buf_addf(b, "  %-19s  %-22s  %s", a, log_class_name(t->cls),
		             log_summary_source_name(s, t->source));
		if (!r && t->line)
			r = buf_addf(b, ":%u", t->line);
		if (!r)
			r = buf_adds(b, "\n      ");
		if (!r)
			r = add_clean(b, t->text, strlen(t->text));
		if (!r)
			r = buf_addch(b, '\n');
	}
	if (!r && s->tl_dropped)
		r = buf_addf(
		    b, "  (%zu events between the first %d and the last %d were dropped)\n",
		    s->tl_dropped, LOG_TIMELINE_HEAD, LOG_TIMELINE_MAX - LOG_TIMELINE_HEAD);
	return r;
}

int logs_render_text(const struct log_summary *s, const struct logs_render_opts *o, struct buf *out)
{
	struct logs_render_opts oo = *o;
	int r;

	if (!o->top && !o->client)
		oo.top = TOP_DEFAULT;
	if ((r = text_sources(s, out)) || (r = text_windows(s, out)))
		return r;
	if (o->client && o->client->family)
		return text_client(s, &oo, out);
	return text_clients(s, &oo, out);
}

/* ----------------------------------------------------------------- JSON */

static json_t *jtime(const struct log_summary *s, int64_t ts)
{
	char buf[48];

	if (ts == LOG_TS_NONE)
		return json_null();
	log_time_format(ts, &s->o.clock, LOG_TIME_ISO, buf, sizeof(buf));
	return json_string(buf);
}

/* A log line as a JSON string: as written when it is valid UTF-8 without NUL, else sanitised. */
static json_t *jtext(const char *p, size_t len)
{
	json_t *j;
	char *clean;

	if (!memchr(p, '\0', len) && (j = json_stringn(p, len)) != NULL)
		return j;
	if ((clean = sanitized_strndup(p, len, 4 * len + 1)) == NULL)
		return NULL;
	j = json_string(clean);
	free(clean);
	return j;
}

static json_t *jslot(const struct log_summary *s, const struct log_slot *sl)
{
	return json_pack("{s:s, s:I, s:o}", "source", log_summary_source_name(s, sl->source),
	                 "line", (json_int_t)sl->line, "text", jtext(sl->text, sl->len));
}

static json_t *jcounts(const struct log_client *cl)
{
	json_t *o = json_object();
	unsigned i;

	for (i = 1; o && i < LC__COUNT; i++)
		if (cl->count[i] && json_object_set_new(o, log_class_name((enum log_class)i),
		                                        json_integer(cl->count[i])))
			return json_decref(o), NULL;
	return o;
}

static json_t *jclient(const struct log_summary *s, const struct log_client *cl)
{
	char addr[64];

	ip_addr_format(&cl->addr, addr, sizeof(addr));
	return json_pack("{s:s, s:I, s:o, s:o, s:o}", "address", addr, "events",
	                 (json_int_t)cl->events, "first", jtime(s, cl->first), "last",
	                 jtime(s, cl->last), "counts", jcounts(cl));
}

static int add_sources(const struct log_summary *s, json_t *root)
{
	json_t *a = json_array();
	unsigned i;

	if (!a || json_object_set_new(root, "sources", a))
		return SD_ERR_ALLOC;
	for (i = 0; i < s->nsources; i++) {
		const struct log_source *src = &s->sources[i];
		json_t *o = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:o, s:o}", "name", src->name,
		                      "state", state_name(src->state), "why",
		                      src->why ? json_string(src->why) : json_null(), "lines",
		                      (json_int_t)src->lines, "bytes", (json_int_t)src->bytes,
		                      "events", (json_int_t)src->events, "first",
		                      jtime(s, src->first_ts), "last", jtime(s, src->last_ts));

		if (!o || json_array_append_new(a, o))
			return SD_ERR_ALLOC;
	}
	return SD_OK;
}

static int add_windows(const struct log_summary *s, json_t *root)
{
	json_t *a = json_array();
	unsigned k, i;
	struct buf b;

	if (!a || json_object_set_new(root, "windows", a))
		return SD_ERR_ALLOC;
	buf_init(&b, 256);
	for (k = 1; k < LK__COUNT; k++) {
		for (i = 0; i < log_summary_nwindows(s, (enum log_kind)k); i++) {
			const struct log_window *w = log_summary_window(s, (enum log_kind)k, i);
			char span[96];
			json_t *o;

			log_time_span(w->first, w->last, &s->o.clock, span, sizeof(span));
			buf_reset(&b);
			buf_addf(&b, "%llu %s %s", (unsigned long long)log_window_count(w),
			         log_kind_noun((enum log_kind)k, log_window_count(w)), span);
			o = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:s, s:o, s:o}", "kind",
			              log_kind_name((enum log_kind)k), "count",
			              (json_int_t)log_window_count(w), "lines",
			              (json_int_t)w->lines, "reported", (json_int_t)w->reported,
			              "first", jtime(s, w->first), "last", jtime(s, w->last),
			              "text", b.data, "first_line", jslot(s, &w->first_line),
			              "last_line", jslot(s, &w->last_line));
			if (!o || json_array_append_new(a, o)) {
				buf_release(&b);
				return SD_ERR_ALLOC;
			}
		}
	}
	buf_release(&b);
	return SD_OK;
}

static int add_focus(const struct log_summary *s, const struct logs_render_opts *o, json_t *root)
{
	const struct log_client *cl = log_summary_client(s, o->client);
	json_t *c, *tl, *wins;
	struct buf b;
	size_t i;
	unsigned k;

	c = cl ? jclient(s, cl)
	       : json_pack("{s:s, s:i, s:{}, s:n, s:n}", "address", o->client_text, "events", 0,
	                   "counts", "first", "last");
	if (!c || json_object_set_new(root, "client", c))
		return SD_ERR_ALLOC;
	if (!(tl = json_array()) || json_object_set_new(c, "timeline", tl) ||
	    json_object_set_new(c, "timeline_omitted", json_integer((json_int_t)s->tl_dropped)))
		return SD_ERR_ALLOC;
	for (i = 0; i < s->ntl; i++) {
		const struct log_text *t = &s->tl[i];
		json_t *e = json_pack("{s:o, s:s, s:s, s:I, s:o}", "time", jtime(s, t->ts), "class",
		                      log_class_name(t->cls), "source",
		                      log_summary_source_name(s, t->source), "line",
		                      (json_int_t)t->line, "text", jtext(t->text, strlen(t->text)));

		if (!e || json_array_append_new(tl, e))
			return SD_ERR_ALLOC;
	}
	if (!(wins = json_array()) || json_object_set_new(c, "windows", wins))
		return SD_ERR_ALLOC;
	buf_init(&b, 256);
	for (k = 1; k < LK__COUNT; k++) {
		buf_reset(&b);
		if (log_summary_window_text(s, (enum log_kind)k, o->client, &b) != SD_OK)
			continue;
		if (json_array_append_new(wins, json_pack("{s:s, s:s}", "kind",
		                                          log_kind_name((enum log_kind)k), "text",
		                                          b.data))) {
			buf_release(&b);
			return SD_ERR_ALLOC;
		}
	}
	buf_release(&b);
	return SD_OK;
}

json_t *logs_render_json(const struct log_summary *s, const struct logs_render_opts *o)
{
	json_t *root = json_object(), *totals, *clients;
	const struct log_client **v = NULL;
	size_t n = 0, i, top;
	unsigned c;

	if (!root)
		return NULL;
	if (add_sources(s, root) ||
	    json_object_set_new(root, "lines", json_integer((json_int_t)s->lines)) ||
	    json_object_set_new(root, "bytes", json_integer((json_int_t)s->bytes)) ||
	    json_object_set_new(root, "events", json_integer((json_int_t)s->events)) ||
	    json_object_set_new(root, "overlong_lines", json_integer((json_int_t)s->overlong)) ||
	    json_object_set_new(root, "clients_total", json_integer((json_int_t)s->nclients)) ||
	    json_object_set_new(root, "since",
	                        s->o.since && s->o.since != LOG_TS_NONE ? jtime(s, s->o.since)
	                                                                : json_null()) ||
	    json_object_set_new(root, "now", jtime(s, s->o.clock.now)) ||
	    json_object_set_new(root, "window_gap", json_integer(s->o.window_gap)))
		goto oom;
	if (!(totals = json_object()) || json_object_set_new(root, "totals", totals))
		goto oom;
	for (c = 1; c < LC__COUNT; c++)
		if (s->total[c] && json_object_set_new(totals, log_class_name((enum log_class)c),
		                                       json_integer((json_int_t)s->total[c])))
			goto oom;
	if (add_windows(s, root))
		goto oom;
	if (!(clients = json_array()) || json_object_set_new(root, "clients", clients))
		goto oom;
	if (o->client && o->client->family) {
		const struct log_client *cl = log_summary_client(s, o->client);

		if (cl && json_array_append_new(clients, jclient(s, cl)))
			goto oom;
		if (add_focus(s, o, root) ||
		    json_object_set_new(root, "clients_omitted",
		                        json_integer((json_int_t)(s->nclients - (cl != NULL)))))
			goto oom;
		return root;
	}
	if (log_summary_clients_sorted(s, o->top, &v, &n))
		goto oom;
	top = o->top && o->top < n ? o->top : n;
	for (i = 0; i < top; i++)
		if (json_array_append_new(clients, jclient(s, v[i])))
			goto oom;
	free((void *)v);
	v = NULL;
	if (json_object_set_new(root, "clients_omitted", json_integer((json_int_t)(n - top))))
		goto oom;
	return root;
oom:
	free((void *)v);
	json_decref(root);
	return NULL;
}
