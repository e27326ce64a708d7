/*
 * logs/render.h — `sshdiag logs` output: the summary as 80-column text or as one JSON
 * object.  Renderers print, they never decide; untrusted log text is sanitised on the way out
 * (text) or left to the JSON encoder (JSON strings escape everything).
 *
 * JSON object:
 *
 *	{"sources": [{"name", "state", "why", "lines", "bytes", "events", "first", "last"}],
 *	 "lines", "bytes", "events", "overlong_lines", "clients_total",
 *	 "since", "now", "window_gap",
 *	 "totals": {CLASS: N, …},                     (classes with N > 0, logs/line.h names)
 *	 "windows": [{"kind", "count", "lines", "reported", "first", "last", "text",
 *	              "first_line": {"source", "line", "text"}, "last_line": {…}}],
 *	 "clients": [{"address", "events", "first", "last", "counts": {CLASS: N}}],
 *	 "clients_omitted": N,
 *	 "client": {"address", "events", "counts", "first", "last",
 *	            "timeline": [{"time", "class", "source", "line", "text"}],
 *	            "timeline_omitted": N, "windows": [{"kind", "text"}]}      (with --client)
 *	}
 *
 * Times are RFC 3339 strings in the diagnosed system's offset, null when unknown.
 */
#ifndef SSHDIAG_LOGS_RENDER_H
#define SSHDIAG_LOGS_RENDER_H

#include <jansson.h>

#include "base/buf.h"
#include "logs/summary.h"

struct logs_render_opts {
	const struct ip_addr *client; /* --client, NULL */
	const char *client_text;
	size_t top; /* clients listed (0: all) */
	int color;
};

int logs_render_text(const struct log_summary *s, const struct logs_render_opts *o,
                     struct buf *out);
/* A new JSON object (caller owns it), NULL on OOM. */
json_t *logs_render_json(const struct log_summary *s, const struct logs_render_opts *o);

#endif
