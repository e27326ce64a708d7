/*
 * corpus.c — every line of the corpus files (tests/logs/corpus) classified as it says.
 *
 * A corpus line is "CLASS ADDRESS PORT<TAB>LOG LINE" ("-" for no address or port); '#'
 * starts a comment line.  Each log line is parsed twice: whole (log_parse_line, as from a
 * file) and, when it has a syslog prefix, as the journal would hand it over (program and
 * message apart, log_parse_message); both must give the expected class, address and port.
 *
 *	logs-corpus FILE...        (the runner passes every .txt file of tests/logs/corpus)
 *
 * Ends with "logs-corpus: N passed, N failed" (N = lines); exit 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "logs/line.h"

static int check(const char *file, unsigned lineno, const char *what, enum log_class got,
                 const struct log_event *ev, const char *cls, const char *addr, const char *port)
{
	char a[64] = "-", p[16] = "-";

	if (got != LC_NONE && ev->addr.family)
		ip_addr_format(&ev->addr, a, sizeof(a));
	if (got != LC_NONE && ev->port)
		snprintf(p, sizeof(p), "%u", ev->port);
	if (strcmp(log_class_name(got), cls) == 0 && (got == LC_NONE || strcmp(a, addr) == 0) &&
	    (got == LC_NONE || strcmp(p, port) == 0))
		return 1;
	printf("FAIL %s:%u (%s): want %s %s %s, got %s %s %s\n", file, lineno, what, cls, addr,
	       port, log_class_name(got), a, p);
	return 0;
}

/* "… host TAG[PID]: MESSAGE" → the tag and the message, as a journal entry has them. */
static int split_syslog(const char *line, const char **tag, size_t *tlen, const char **msg)
{
	const char *p, *q;

	if (strlen(line) < 16 || line[3] != ' ' || line[15] != ' ')
		return 0;
	if (!(p = strchr(line + 16, ' ')))
		return 0;
	p++;
	q = p + strcspn(p, "[: ");
	if (*q != '[' && *q != ':')
		return 0;
	*tag = p;
	*tlen = (size_t)(q - p);
	if (!(q = strstr(q, ": ")))
		return 0;
	*msg = q + 2;
	return 1;
}

static void run_file(const char *path, unsigned *pass, unsigned *fail)
{
	struct log_clock clk;
	char buf[8192];
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");

	/* a fixed "now" (2026-11-24T04:00:00Z) so the syslog year is the same on every run */
	log_clock_init(&clk, 1795492800LL * LOG_US, 0);
	if (!f) {
		printf("FAIL %s: cannot open\n", path);
		(*fail)++;
		return;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char cls[64], addr[64], port[16], *tab, *line;
		struct log_event ev;
		enum log_class got;
		const char *tag, *msg;
		size_t tlen, n = strlen(buf);
		int ok;

		lineno++;
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		if (!(tab = strchr(buf, '\t')) ||
		    sscanf(buf, "%63s %63s %15s", cls, addr, port) != 3) {
			printf("FAIL %s:%u: not CLASS ADDRESS PORT<TAB>LINE\n", path, lineno);
			(*fail)++;
			continue;
		}
		line = tab + 1;
		got = log_parse_line(line, strlen(line), &clk, NULL, 0, &ev);
		ok = check(path, lineno, "line", got, &ev, cls, addr, port);
		if (ok && split_syslog(line, &tag, &tlen, &msg)) {
			enum log_prog prog = log_prog_of(tag, tlen);

			memset(&ev, 0, sizeof(ev));
			got = prog == LP_OTHER ? LC_NONE
			                       : log_parse_message(prog, msg, strlen(msg), &ev);
			ok = check(path, lineno, "journal", got, &ev, cls, addr, port);
		}
		if (ok)
			(*pass)++;
		else
			(*fail)++;
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned pass = 0, fail = 0;
	int i;

	for (i = 1; i < argc; i++)
		run_file(argv[i], &pass, &fail);
	printf("logs-corpus: %u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
