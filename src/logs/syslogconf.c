#include "logs/syslogconf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"

#define LEVEL_INFO 6

static const struct {
	const char *name;
	int value;
} levels[] = {
    {"emerg", 0},   {"panic", 0}, {"alert", 1},  {"crit", 2}, {"err", 3},   {"error", 3},
    {"warning", 4}, {"warn", 4},  {"notice", 5}, {"info", 6}, {"debug", 7},
};

static int level_of(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strlen(levels[i].name) == n && strncasecmp(levels[i].name, p, n) == 0)
			return levels[i].value;
	return -1;
}

/* Does the facility list [p, end) name `fac` ("*" names all)? */
static int names_facility(const char *p, const char *end, const char *fac)
{
	size_t fl = strlen(fac);

	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n;

		if (!c)
			c = end;
		n = (size_t)(c - p);
		if ((n == 1 && *p == '*') || (n == fl && strncasecmp(p, fac, n) == 0) ||
		    (n == 8 && strncasecmp(p, "security", 8) == 0 && strcasecmp(fac, "auth") == 0))
			return 1;
		p = c + 1;
	}
	return 0;
}

/* Applies one selector "fac[,fac].[!][=]level" to `in` (does INFO go there?). */
static int apply(const char *p, const char *end, const char *fac, int in)
{
	const char *dot = NULL, *q;
	int neg = 0, eq = 0, lv;

	for (q = p; q < end; q++)
		if (*q == '.')
			dot = q;
	if (!dot || !names_facility(p, dot, fac))
		return in;
	q = dot + 1;
	if (q < end && *q == '!') {
		neg = 1;
		q++;
	}
	if (q < end && *q == '=') {
		eq = 1;
		q++;
	}
	if ((size_t)(end - q) == 4 && strncasecmp(q, "none", 4) == 0)
		return 0;
	if ((size_t)(end - q) == 1 && *q == '*')
		return !neg;
	if ((lv = level_of(q, (size_t)(end - q))) < 0)
		return in;
	if (eq) {
		if (lv == LEVEL_INFO)
			return !neg;
		return in;
	}
	/* "level": that level and more severe; "!level": removes them */
	if (LEVEL_INFO <= lv)
		return !neg;
	return in;
}

static int add_file(struct syslog_files *out, const char *p, size_t n)
{
	size_t i;
	char *s;

	for (i = 0; i < out->n; i++)
		if (strlen(out->path[i]) == n && memcmp(out->path[i], p, n) == 0)
			return SD_OK;
	if (out->n >= SYSLOG_CONF_MAX_FILES)
		return SD_OK;
	if ((s = strndup(p, n)) == NULL)
		return SD_ERR_ALLOC;
	out->path[out->n++] = s;
	return SD_OK;
}

static int one_line(const char *p, const char *end, const char *fac, struct syslog_files *out)
{
	const char *sel_end, *act, *a_end, *s;
	int in = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p == '#' || *p == '$' || *p == ':' || *p == '&' || *p == '~')
		return SD_OK;
	/* the selector field ends at the first blank */
	for (sel_end = p; sel_end < end && *sel_end != ' ' && *sel_end != '\t'; sel_end++)
		if (*sel_end == '(' || *sel_end == '{')
			return SD_OK; /* RainerScript */
	for (act = sel_end; act < end && (*act == ' ' || *act == '\t'); act++)
		;
	for (a_end = end;
	     a_end > act && (a_end[-1] == ' ' || a_end[-1] == '\t' || a_end[-1] == '\r'); a_end--)
		;
	if (act >= a_end)
		return SD_OK;
	if (*act == '-')
		act++;
	if (act >= a_end || *act != '/')
		return SD_OK;
	/* "/path;Template" */
	if ((s = memchr(act, ';', (size_t)(a_end - act))) != NULL)
		a_end = s;
	while (p < sel_end) {
		const char *c = memchr(p, ';', (size_t)(sel_end - p));

		if (!c)
			c = sel_end;
		in = apply(p, c, fac, in);
		p = c + 1;
	}
	if (!in)
		return SD_OK;
	return add_file(out, act, (size_t)(a_end - act));
}

int syslog_conf_files(const char *text, size_t len, const char *facility, struct syslog_files *out)
{
	const char *p = text, *end = text + len;
	char line[4096];
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		size_t n = 0;

		/* join "\"-continued lines */
		while (1) {
			size_t k = (size_t)(e - p);

			if (n + k >= sizeof(line))
				k = sizeof(line) - 1 - n;
			memcpy(line + n, p, k);
			n += k;
			if (n && line[n - 1] == '\\' && nl) {
				n--;
				p = nl + 1;
				nl = memchr(p, '\n', (size_t)(end - p));
				e = nl ? nl : end;
				continue;
			}
			break;
		}
		if ((r = one_line(line, line + n, facility, out)))
			return r;
		p = nl ? nl + 1 : end;
	}
	return SD_OK;
}

void syslog_files_release(struct syslog_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->path[i]);
	memset(f, 0, sizeof(*f));
}
