/*
 * fuzz_logline — the log line classifier and the summary on hostile bytes.
 *
 * The input is one log: its first line goes through log_parse_line() (every span it returns
 * must lie inside the line) and log_parse_message(); the whole input is then fed to two
 * summaries, in one piece and in chunks whose sizes come from the first byte, which must
 * agree; the summary is finally rendered (text and JSON) and evaluated as the logs layer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diagnosis.h"
#include "logs/layer.h"
#include "logs/line.h"
#include "logs/render.h"
#include "logs/summary.h"
#include "fuzz.h"

static void span_inside(struct log_span s, const char *p, size_t len)
{
	if (!s.p)
		return;
	ASSERT(s.p >= p && s.p + s.len <= p + len);
}

static void check_event(const struct log_event *ev, enum log_class c, const char *p, size_t len)
{
	ASSERT((unsigned)c < LC__COUNT);
	if (c == LC_NONE)
		return;
	ASSERT(ev->cls == c);
	span_inside(ev->user, p, len);
	span_inside(ev->detail, p, len);
	span_inside(ev->jail, p, len);
	span_inside(ev->msg, p, len);
	ASSERT(ev->addr.family == 0 || ev->addr.family == 4 || ev->addr.family == 6);
	ASSERT(ev->port <= 65535 && ev->lport <= 65535);
	ASSERT(log_class_name(c)[0] != '\0');
}

static struct log_summary *feed(const uint8_t *data, size_t size, size_t chunk,
                                const struct ip_addr *focus)
{
	struct log_summary *s = malloc(sizeof(*s));
	struct log_summary_opts o;
	size_t i;

	ASSERT(s != NULL);
	memset(&o, 0, sizeof(o));
	log_clock_init(&o.clock, 1795492800LL * LOG_US, 3600);
	o.since = LOG_TS_NONE;
	o.focus = focus;
	log_summary_init(s, &o);
	ASSERT(log_summary_begin_source(s, "/var/log/auth.log", size > 0 && data[0] == 'B') == 0);
	for (i = 0; i < size; i += chunk)
		log_summary_feed(s, (const char *)data + i, i + chunk > size ? size - i : chunk);
	log_summary_end_source(s);
	log_summary_finish(s);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nl = memchr(p, '\n', size);
	size_t first = nl ? (size_t)(nl - p) : size, chunk;
	struct log_clock clk;
	struct log_event ev;
	struct log_summary *a, *b;
	struct ip_addr focus;
	struct conn_spec c;
	struct diagnosis d;
	struct logs_render_opts ro;
	struct buf out;
	enum log_class cls;
	json_t *j;

	log_clock_init(&clk, 1795492800LL * LOG_US, 0);
	cls = log_parse_line(p, first, &clk, NULL, 0, &ev);
	check_event(&ev, cls, p, first);
	cls = log_parse_line(p, first, &clk, NULL, 1, &ev);
	check_event(&ev, cls, p, first);
	memset(&ev, 0, sizeof(ev));
	cls = log_parse_message(LP_SSHD, p, first, &ev);
	check_event(&ev, cls, p, first);
	memset(&ev, 0, sizeof(ev));
	cls = log_parse_message(LP_FAIL2BAN, p, first, &ev);
	check_event(&ev, cls, p, first);
	memset(&ev, 0, sizeof(ev));
	cls = log_parse_message(LP_SSHGUARD, p, first, &ev);
	check_event(&ev, cls, p, first);

	/* the client of the first event (or a fixed one) is the focus */
	memset(&focus, 0, sizeof(focus));
	ip_addr_parse("192.0.2.10", &focus);
	chunk = size ? (size_t)data[0] % 61 + 1 : 1;
	a = feed(data, size, size ? size : 1, &focus);
	b = feed(data, size, chunk, &focus);
	ASSERT(a->lines == b->lines);
	ASSERT(a->events == b->events);
	ASSERT(a->nclients == b->nclients);
	ASSERT(a->ntl == b->ntl);
	ASSERT(a->overlong == b->overlong);

	memset(&ro, 0, sizeof(ro));
	ro.client = &focus;
	ro.client_text = "192.0.2.10";
	buf_init(&out, 1 << 24);
	ASSERT(logs_render_text(a, &ro, &out) == 0);
	buf_release(&out);
	ro.client = NULL;
	buf_init(&out, 1 << 24);
	ASSERT(logs_render_text(a, &ro, &out) == 0);
	buf_release(&out);
	j = logs_render_json(a, &ro);
	ASSERT(j != NULL);
	json_decref(j);

	memset(&c, 0, sizeof(c));
	c.client = focus;
	strcpy(c.client_text, "192.0.2.10");
	c.port = 22;
	ASSERT(diagnosis_init(&d, "192.0.2.10", 22, NULL) == 0);
	ASSERT(logs_layer_evaluate(a, &c, &d) == 0);
	diagnosis_release(&d);

	log_summary_release(a);
	log_summary_release(b);
	free(a);
	free(b);
	return 0;
}
