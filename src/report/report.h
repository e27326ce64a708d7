/*
 * report.h — renders results as JSON (through jansson) or as text for a person at 80 columns.
 *
 * Renderers never decide anything: they print what the engine concluded, and the JSON and
 * the text carry the same content.  JSON functions return a malloc'd string (the caller
 * frees it) or NULL on OOM; text functions append to a struct buf.
 */
#ifndef SSHDIAG_REPORT_REPORT_H
#define SSHDIAG_REPORT_REPORT_H

#include "base/buf.h"
#include "core/diagnosis.h"
#include "probe/client.h"
#include "probe/result.h"

/* The contract's `server --json` object, pretty-printed. */
char *diagnosis_to_json(const struct diagnosis *d);
/*
 * One `probe --json` line (JSON Lines), without the trailing newline; with `client` (may be
 * NULL) its "client" object: ssh -G, the source address, the local firewall, proxies.
 */
char *probe_result_to_json(const struct probe_result *r, const struct probe_client *client);

/* `color` adds ANSI colour (the caller decides: TTY and no NO_COLOR). */
int diagnosis_to_text(const struct diagnosis *d, struct buf *out, int color);
int probe_result_to_text(const struct probe_result *r, struct buf *out, int color);

#endif
