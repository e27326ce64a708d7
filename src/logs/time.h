/*
 * logs/time.h — the timestamps of log lines, without a clock: the edge hands in "now" and
 * the server's offset from UTC, and everything here is arithmetic on those.
 *
 * Times are microseconds since the Unix epoch (UTC) in an int64_t; LOG_TS_NONE means "the
 * line had no time we could read".  Three written forms are understood:
 *
 *	Nov 24 03:50:23          syslog (RFC 3164) as rsyslog writes it, also with .ffffff;
 *	                         the year is not written: it is the latest year that does not
 *	                         put the line more than a day after "now"
 *	2026-11-24T03:50:23.123456+01:00
 *	                         RFC 3339 (rsyslog's high-precision format, journalctl
 *	                         -o short-iso, which writes +0100); Z or an offset; none: local
 *	2026-11-24 03:50:24,459  fail2ban's own log (Python logging's asctime), local time
 *
 * Local times are turned into UTC with the one offset in struct log_clock (the offset at
 * "now"), so a line written before a daylight-saving change is off by the change; a syslog
 * line read and printed back with the same offset round-trips exactly.
 */
#ifndef SSHDIAG_LOGS_TIME_H
#define SSHDIAG_LOGS_TIME_H

#include <stddef.h>
#include <stdint.h>

#define LOG_TS_NONE INT64_MIN
#define LOG_US      1000000LL

struct log_clock {
	int64_t now;     /* microseconds since the epoch, UTC */
	long utc_offset; /* seconds east of UTC of the diagnosed system's local time */
	int64_t year;    /* the local year at `now` (log_clock_init fills it) */
};

/* Remembers the last syslog day and minute seen: a run of lines of one minute costs one
 * comparison and two digits. */
struct log_day_cache {
	char key[12];      /* "Nov 24 03:50" */
	int64_t base_us;   /* that day's local midnight, UTC microseconds */
	int64_t minute_us; /* that minute */
	int valid;
};

void log_clock_init(struct log_clock *clk, int64_t now_us, long utc_offset);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t log_days_from_civil(int64_t y, unsigned m, unsigned d);
void log_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/*
 * Parses a timestamp at the start of p[0..len): any of the three forms above.  Writes the
 * time and how many bytes it took; SD_OK or SD_ERR_INVALID.
 */
int log_time_parse(const char *p, size_t len, const struct log_clock *clk,
                   struct log_day_cache *cache, int64_t *ret_us, size_t *ret_used);

/*
 * The syslog form only ("Mmm dd HH:MM:SS[.f]"); the year is inferred from clk->now.  `cache`
 * may be NULL.
 */
int log_time_parse_syslog(const char *p, size_t len, const struct log_clock *clk,
                          struct log_day_cache *cache, int64_t *ret_us, size_t *ret_used);

enum log_time_style {
	LOG_TIME_FULL,   /* 2026-11-24 03:50:23 (local) */
	LOG_TIME_HM,     /* 03:50 */
	LOG_TIME_HMS,    /* 03:50:23 */
	LOG_TIME_ISO,    /* 2026-11-24T03:50:23+00:00 (with the offset) */
	LOG_TIME_SYSLOG, /* Nov 24 03:50:23 */
};

/* Formats a time in local time; "-" for LOG_TS_NONE.  buf must hold 40 bytes. */
void log_time_format(int64_t us, const struct log_clock *clk, enum log_time_style style, char *buf,
                     size_t len);

/*
 * "between 10:02 and 10:05", "at 10:02", or with dates when the span leaves the day of
 * `now`: "between 2026-11-23 23:58 and 2026-11-24 00:03".  buf must hold 64 bytes.
 */
void log_time_span(int64_t first, int64_t last, const struct log_clock *clk, char *buf, size_t len);

/*
 * A --since argument: "2026-11-24", "2026-11-24 10:00[:00]", "2026-11-24T10:00:00Z",
 * "10:00[:00]" (today), "today", "yesterday", "now", "-2h", "2h ago", "30 min ago",
 * "@1700000000".  Units s, m/min, h, d, w.  SD_OK or SD_ERR_INVALID.
 */
int log_since_parse(const char *text, const struct log_clock *clk, int64_t *ret_us);

/* A duration in seconds as fail2ban writes them: "10m", "1h 30m", "-1" (never); "%lds". */
void log_duration_format(long long secs, char *buf, size_t len);

#endif
