/*
 * denyhosts.c — DenyHosts' "# DenyHosts: <asctime> | <entry>" comments (see denyhosts.h).
 */
#include "tcpwrap/denyhosts.h"

#include <stdio.h>
#include <string.h>

#define ENTRY_DELIMITER " | "

int ha_is_denyhosts_comment(const char *line, size_t len)
{
	size_t n = sizeof(HA_DENYHOSTS_PREFIX) - 1;

	return len >= n && memcmp(line, HA_DENYHOSTS_PREFIX, n) == 0;
}

static const char *find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

/* time.asctime(): "Mon Jan  2 15:04:05 2006". */
static void parse_asctime(const char *d, struct ha_denyhosts *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wday[4], mon[4];
	int day, h, m, s, y, n = 0;
	const char *p;

	if (sscanf(d, "%3s %3s %d %d:%d:%d %d%n", wday, mon, &day, &h, &m, &s, &y, &n) != 7 ||
	    d[n] != 0)
		return;
	if (strlen(mon) != 3 || (p = strstr(months, mon)) == NULL || (p - months) % 3 != 0)
		return;
	if (day < 1 || day > 31 || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 61 ||
	    y < 1970 || y > 9999)
		return;
	out->year = y;
	out->month = (int)(p - months) / 3 + 1;
	out->day = day;
	out->hour = h;
	out->minute = m;
	out->second = s;
}

void ha_denyhosts_parse(const char *comment, size_t comment_len, const char *rule, size_t rule_len,
                        struct ha_denyhosts *out)
{
	const char *p, *end, *bar;
	size_t o = 0;

	memset(out, 0, sizeof(*out));
	if (!comment || !ha_is_denyhosts_comment(comment, comment_len))
		return;
	out->found = 1;
	p = comment + sizeof(HA_DENYHOSTS_PREFIX) - 1;
	end = comment + comment_len;
	bar = find(p, (size_t)(end - p), ENTRY_DELIMITER);
	if (bar) {
		const char *e = bar + sizeof(ENTRY_DELIMITER) - 1;

		out->verified =
		    rule && (size_t)(end - e) == rule_len && memcmp(e, rule, rule_len) == 0;
		end = bar;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	for (; p < end && o + 1 < sizeof(out->date); p++)
		out->date[o++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
	out->date[o] = 0;
	parse_asctime(out->date, out);
}
