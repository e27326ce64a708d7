#include "logs/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms). */
int64_t log_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void log_civil_from_days(int64_t z, int64_t *ry, unsigned *rm, unsigned *rd)
{
	int64_t era, doe, yoe, y, doy, mp;
	unsigned d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*ry = y + (m <= 2);
	*rm = m;
	*rd = d;
}

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at p into *v. */
static int digits(const char *p, size_t len, size_t n, unsigned *v)
{
	size_t i;
	unsigned x = 0;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdig(p[i]))
			return 0;
		x = x * 10 + (unsigned)(p[i] - '0');
	}
	*v = x;
	return 1;
}

/* ".123456" or ",123" after seconds: microseconds, bytes used. */
static size_t fraction(const char *p, size_t len, int64_t *us)
{
	size_t i = 1;
	int64_t v = 0, scale = 100000;

	*us = 0;
	if (len < 2 || (p[0] != '.' && p[0] != ',') || !isdig(p[1]))
		return 0;
	while (i < len && isdig(p[i])) {
		if (scale > 0) {
			v += (p[i] - '0') * scale;
			scale /= 10;
		}
		i++;
	}
	*us = v;
	return i;
}

static int valid_hms(unsigned h, unsigned mi, unsigned s)
{
	return h < 24 && mi < 60 && s <= 60;
}

static int64_t local_to_us(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                           long offset)
{
	int64_t secs = log_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;

	return (secs - offset) * LOG_US;
}

struct civil {
	int64_t y;
	unsigned mo, d, h, mi, s;
};

static struct civil to_civil(int64_t us, long offset)
{
	struct civil c;
	int64_t secs = us / LOG_US - (us % LOG_US < 0), day, rem;

	secs += offset;
	rem = ((secs % 86400) + 86400) % 86400;
	day = (secs - rem) / 86400;
	log_civil_from_days(day, &c.y, &c.mo, &c.d);
	c.h = (unsigned)(rem / 3600);
	c.mi = (unsigned)(rem / 60 % 60);
	c.s = (unsigned)(rem % 60);
	return c;
}

void log_clock_init(struct log_clock *clk, int64_t now_us, long utc_offset)
{
	clk->now = now_us;
	clk->utc_offset = utc_offset;
	clk->year = to_civil(now_us, utc_offset).y;
}

/* Local midnight (UTC microseconds) of month/day in the year that keeps it before now+1d. */
static int64_t syslog_day(const struct log_clock *clk, unsigned mo, unsigned d)
{
	int64_t base = local_to_us(clk->year, mo, d, 0, 0, 0, clk->utc_offset);

	if (base > clk->now + 86400 * LOG_US)
		base = local_to_us(clk->year - 1, mo, d, 0, 0, 0, clk->utc_offset);
	return base;
}

int log_time_parse_syslog(const char *p, size_t len, const struct log_clock *clk,
                          struct log_day_cache *cache, int64_t *ret_us, size_t *ret_used)
{
	unsigned mo, d, h, mi, s;
	int64_t base, frac = 0;
	size_t used;

	if (len < 15 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':')
		return SD_ERR_INVALID;
	if (cache && cache->valid && memcmp(cache->key, p, 12) == 0) {
		/* same day, hour and minute as the last line: only the seconds are new */
		if (!digits(p + 13, 2, 2, &s) || s > 60)
			return SD_ERR_INVALID;
		used = 15 + fraction(p + 15, len - 15, &frac);
		*ret_us = cache->minute_us + (int64_t)s * LOG_US + frac;
		*ret_used = used;
		return SD_OK;
	}
	if (!digits(p + 7, 2, 2, &h) || !digits(p + 10, 2, 2, &mi) || !digits(p + 13, 2, 2, &s) ||
	    !valid_hms(h, mi, s))
		return SD_ERR_INVALID;
	if (cache && cache->valid && memcmp(cache->key, p, 6) == 0) {
		base = cache->base_us;
	} else {
		for (mo = 0; mo < 12; mo++)
			if (memcmp(p, months[mo], 3) == 0)
				break;
		if (mo == 12)
			return SD_ERR_INVALID;
		mo++;
		if (p[4] == ' ' && isdig(p[5]))
			d = (unsigned)(p[5] - '0');
		else if (!digits(p + 4, 2, 2, &d))
			return SD_ERR_INVALID;
		if (d < 1 || d > 31)
			return SD_ERR_INVALID;
		base = syslog_day(clk, mo, d);
	}
	if (cache) {
		memcpy(cache->key, p, 12);
		cache->base_us = base;
		cache->minute_us = base + (int64_t)(h * 3600 + mi * 60) * LOG_US;
		cache->valid = 1;
	}
	used = 15 + fraction(p + 15, len - 15, &frac);
	*ret_us = base + (int64_t)(h * 3600 + mi * 60 + s) * LOG_US + frac;
	*ret_used = used;
	return SD_OK;
}

/* "YYYY-MM-DD" then 'T' or ' ', "HH:MM:SS", fraction, zone. */
static int parse_iso(const char *p, size_t len, const struct log_clock *clk, int64_t *ret_us,
                     size_t *ret_used)
{
	unsigned y, mo, d, h, mi, s, zh, zm;
	int64_t frac = 0, us;
	long off = clk->utc_offset;
	size_t i;

	if (len < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') ||
	    p[13] != ':' || p[16] != ':')
		return SD_ERR_INVALID;
	if (!digits(p, 4, 4, &y) || !digits(p + 5, 2, 2, &mo) || !digits(p + 8, 2, 2, &d) ||
	    !digits(p + 11, 2, 2, &h) || !digits(p + 14, 2, 2, &mi) || !digits(p + 17, 2, 2, &s) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || !valid_hms(h, mi, s))
		return SD_ERR_INVALID;
	i = 19 + fraction(p + 19, len - 19, &frac);
	if (i < len && p[i] == 'Z') {
		off = 0;
		i++;
	} else if (i + 3 <= len && (p[i] == '+' || p[i] == '-') && digits(p + i + 1, 2, 2, &zh)) {
		size_t j = i + 3;

		if (j < len && p[j] == ':')
			j++;
		if (digits(p + j, len - j, 2, &zm)) {
			off = (long)(zh * 3600 + zm * 60);
			if (p[i] == '-')
				off = -off;
			i = j + 2;
		}
	}
	us = local_to_us(y, mo, d, h, mi, s, off);
	*ret_us = us + frac;
	*ret_used = i;
	return SD_OK;
}

int log_time_parse(const char *p, size_t len, const struct log_clock *clk,
                   struct log_day_cache *cache, int64_t *ret_us, size_t *ret_used)
{
	if (len && isdig(p[0]))
		return parse_iso(p, len, clk, ret_us, ret_used);
	return log_time_parse_syslog(p, len, clk, cache, ret_us, ret_used);
}

void log_time_format(int64_t us, const struct log_clock *clk, enum log_time_style style, char *buf,
                     size_t len)
{
	struct civil c;
	long off = clk->utc_offset;

	if (us == LOG_TS_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	c = to_civil(us, off);
	switch (style) {
	case LOG_TIME_HM:
		snprintf(buf, len, "%02u:%02u", c.h, c.mi);
		break;
	case LOG_TIME_HMS:
		snprintf(buf, len, "%02u:%02u:%02u", c.h, c.mi, c.s);
		break;
	case LOG_TIME_ISO:
		snprintf(buf, len, "%04lld-%02u-%02uT%02u:%02u:%02u%c%02ld:%02ld", (long long)c.y,
		         c.mo, c.d, c.h, c.mi, c.s, off < 0 ? '-' : '+', labs(off) / 3600,
		         labs(off) / 60 % 60);
		break;
	case LOG_TIME_SYSLOG:
		snprintf(buf, len, "%s %2u %02u:%02u:%02u", months[(c.mo - 1) % 12], c.d, c.h, c.mi,
		         c.s);
		break;
	case LOG_TIME_FULL:
	default:
		snprintf(buf, len, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)c.y, c.mo, c.d,
		         c.h, c.mi, c.s);
		break;
	}
}

void log_time_span(int64_t first, int64_t last, const struct log_clock *clk, char *buf, size_t len)
{
	struct civil a, b, n;
	char x[40], y[40];
	int same_day, today;

	if (first == LOG_TS_NONE || last == LOG_TS_NONE) {
		snprintf(buf, len, "at an unknown time");
		return;
	}
	a = to_civil(first, clk->utc_offset);
	b = to_civil(last, clk->utc_offset);
	n = to_civil(clk->now, clk->utc_offset);
	same_day = a.y == b.y && a.mo == b.mo && a.d == b.d;
	today = same_day && a.y == n.y && a.mo == n.mo && a.d == n.d;
	if (today) {
		log_time_format(first, clk, LOG_TIME_HM, x, sizeof(x));
		log_time_format(last, clk, LOG_TIME_HM, y, sizeof(y));
	} else {
		snprintf(x, sizeof(x), "%04lld-%02u-%02u %02u:%02u", (long long)a.y, a.mo, a.d, a.h,
		         a.mi);
		if (same_day)
			snprintf(y, sizeof(y), "%02u:%02u", b.h, b.mi);
		else
			snprintf(y, sizeof(y), "%04lld-%02u-%02u %02u:%02u", (long long)b.y, b.mo,
			         b.d, b.h, b.mi);
	}
	if (strcmp(x, y) == 0 || (same_day && a.h == b.h && a.mi == b.mi))
		snprintf(buf, len, "at %s", x);
	else
		snprintf(buf, len, "between %s and %s", x, y);
}

/* "2h", "30 min", "1d": seconds; unit required when `need_unit`. */
static int parse_amount(const char *s, long long *ret)
{
	char *end;
	long long v, mul;

	if (!isdig(*s))
		return SD_ERR_INVALID;
	v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcmp(end, "s") == 0 || strcmp(end, "sec") == 0 ||
	    strcmp(end, "secs") == 0 || strcmp(end, "second") == 0 || strcmp(end, "seconds") == 0)
		mul = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0 || strcmp(end, "mins") == 0 ||
	         strcmp(end, "minute") == 0 || strcmp(end, "minutes") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0 || strcmp(end, "hour") == 0 || strcmp(end, "hours") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0 || strcmp(end, "day") == 0 || strcmp(end, "days") == 0)
		mul = 86400;
	else if (strcmp(end, "w") == 0 || strcmp(end, "week") == 0 || strcmp(end, "weeks") == 0)
		mul = 7 * 86400;
	else
		return SD_ERR_INVALID;
	if (v < 0 || v > 100LL * 365 * 86400 / mul)
		return SD_ERR_INVALID;
	*ret = v * mul;
	return SD_OK;
}

int log_since_parse(const char *text, const struct log_clock *clk, int64_t *ret_us)
{
	struct civil n = to_civil(clk->now, clk->utc_offset);
	int64_t midnight = local_to_us(n.y, n.mo, n.d, 0, 0, 0, clk->utc_offset), us;
	unsigned h, mi, s = 0;
	size_t tl = strlen(text), used;
	long long secs;
	char tmp[64];

	if (strcmp(text, "now") == 0) {
		*ret_us = clk->now;
		return SD_OK;
	}
	if (strcmp(text, "today") == 0) {
		*ret_us = midnight;
		return SD_OK;
	}
	if (strcmp(text, "yesterday") == 0) {
		*ret_us = midnight - 86400 * LOG_US;
		return SD_OK;
	}
	if (text[0] == '@') {
		char *end;
		long long e = strtoll(text + 1, &end, 10);

		if (end == text + 1 || *end)
			return SD_ERR_INVALID;
		*ret_us = e * LOG_US;
		return SD_OK;
	}
	if (text[0] == '-') {
		if (parse_amount(text + 1, &secs) != SD_OK)
			return SD_ERR_INVALID;
		*ret_us = clk->now - secs * LOG_US;
		return SD_OK;
	}
	if (tl > 4 && tl < sizeof(tmp) && strcmp(text + tl - 4, " ago") == 0) {
		memcpy(tmp, text, tl - 4);
		tmp[tl - 4] = '\0';
		if (parse_amount(tmp, &secs) != SD_OK)
			return SD_ERR_INVALID;
		*ret_us = clk->now - secs * LOG_US;
		return SD_OK;
	}
	/* HH:MM[:SS] today */
	if ((tl == 5 || tl == 8) && digits(text, 2, 2, &h) && text[2] == ':' &&
	    digits(text + 3, 2, 2, &mi) &&
	    (tl == 5 || (text[5] == ':' && digits(text + 6, 2, 2, &s)))) {
		if (!valid_hms(h, mi, s))
			return SD_ERR_INVALID;
		*ret_us = midnight + (int64_t)(h * 3600 + mi * 60 + s) * LOG_US;
		return SD_OK;
	}
	/* YYYY-MM-DD[ HH:MM[:SS]] and RFC 3339 */
	if (tl == 10) {
		memcpy(tmp, text, 10);
		memcpy(tmp + 10, " 00:00:00", 10);
	} else if (tl == 16) {
		memcpy(tmp, text, 16);
		memcpy(tmp + 16, ":00", 4);
	} else if (tl < sizeof(tmp)) {
		memcpy(tmp, text, tl + 1);
	} else {
		return SD_ERR_INVALID;
	}
	if (parse_iso(tmp, strlen(tmp), clk, &us, &used) != SD_OK || used != strlen(tmp))
		return SD_ERR_INVALID;
	*ret_us = us;
	return SD_OK;
}

void log_duration_format(long long secs, char *buf, size_t len)
{
	long long d, h, m, s;
	int n = 0;

	if (secs < 0) {
		snprintf(buf, len, "permanent");
		return;
	}
	d = secs / 86400;
	h = secs / 3600 % 24;
	m = secs / 60 % 60;
	s = secs % 60;
	buf[0] = '\0';
	if (d && n < (int)len)
		n += snprintf(buf + n, len - (size_t)n, "%lldd", d);
	if (h && n < (int)len)
		n += snprintf(buf + n, len - (size_t)n, "%s%lldh", n ? " " : "", h);
	if (m && n < (int)len)
		n += snprintf(buf + n, len - (size_t)n, "%s%lldm", n ? " " : "", m);
	if ((s || secs == 0) && n < (int)len)
		snprintf(buf + n, len - (size_t)n, "%s%llds", n ? " " : "", s);
}
