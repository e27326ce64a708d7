/*
 * bans/f2b_conf.h — fail2ban's configuration as fail2ban itself reads it (client/
 * configreader.py, configparserinc.py): INI files merged in order, with includes and
 * interpolation.
 *
 * Files: for a name such as "jail" in the configuration directory, fail2ban reads
 *
 *	jail.conf, jail.d/NAME.conf (sorted), jail.local, jail.d/NAME.local (sorted)
 *
 * and for each of them first the files named by "[INCLUDES] before =" (with their .local),
 * then the file, then "after =" — recursively, skipping a file already on the path.  Later
 * files override earlier ones key by key; a section's previous values stay reachable as
 * %(known/KEY)s.  The edge (io/collect_bans.h) finds and reads the files; this module parses
 * them (f2b_ini_parse) and merges them (f2b_conf_add) in the order the edge hands them over.
 *
 * Syntax (Python configparser as fail2ban configures it): "[section]" (case kept); "key =
 * value" or "key: value" (keys lower-cased); lines starting with '#' or ';' are comments; " ;"
 * starts an inline comment; an indented line continues the previous value (joined with
 * "\n").  Interpolation: %(key)s from the section then [DEFAULT], %(__name__)s the section
 * name, %(known/key)s the value before the last override, %(default/key)s, %(sec/key)s,
 * "%%" a percent sign; at most F2B_MAX_DEPTH levels.
 *
 * Every value remembers the file and line it came from, for evidence.
 */
#ifndef SSHDIAG_BANS_F2B_CONF_H
#define SSHDIAG_BANS_F2B_CONF_H

#include <stddef.h>

#include "base/buf.h"

#define F2B_MAX_FILES    128
#define F2B_MAX_DEPTH    10 /* interpolation (Python's MAX_INTERPOLATION_DEPTH) */
#define F2B_MAX_INCLUDES 8  /* include nesting the edge follows */
#define F2B_MAX_VALUE    (64 * 1024)

struct f2b_entry {
	char *key;     /* lower-cased */
	char *value;   /* raw, continuation lines joined with '\n' */
	unsigned file; /* index into f2b_conf.files (for an f2b_ini: 0) */
	unsigned line; /* 1-based line of the key */
};

struct f2b_section {
	char *name;
	struct f2b_entry *e;
	size_t n, alloc;
};

/* One parsed file. */
struct f2b_ini {
	struct f2b_section *sec;
	size_t nsec;
	unsigned bad_lines; /* lines that are neither section, key, comment nor continuation */
};

int f2b_ini_parse(const char *text, size_t len, struct f2b_ini *out);
void f2b_ini_release(struct f2b_ini *ini);
/* The raw value of a key in a section of one file, NULL when absent. */
const char *f2b_ini_get(const struct f2b_ini *ini, const char *section, const char *key);

/* The merged configuration. */
struct f2b_conf {
	struct f2b_section *sec; /* "DEFAULT" first, then the sections in order of appearance */
	size_t nsec;
	char *files[F2B_MAX_FILES]; /* as seen on the diagnosed system, in read order */
	size_t nfiles;
	unsigned bad_lines;
};

void f2b_conf_init(struct f2b_conf *c);
void f2b_conf_release(struct f2b_conf *c);
/* Merges one file (read in this order).  SD_OK, SD_ERR_TOO_LONG (too many files), SD_ERR_ALLOC. */
int f2b_conf_add(struct f2b_conf *c, const char *path, const struct f2b_ini *ini);

/*
 * The interpolated value of `key` in `section` (falling back to [DEFAULT]) into `out`
 * (appended), and where the raw value was written (may be NULL).  SD_OK, SD_ERR_NOT_FOUND,
 * SD_ERR_INVALID (an interpolation that cannot be resolved: `out` then holds the text with
 * the unresolved part as written), SD_ERR_ALLOC.
 */
int f2b_conf_get(const struct f2b_conf *c, const char *section, const char *key, struct buf *out,
                 const struct f2b_entry **where);
/* 1 if the section exists. */
int f2b_conf_has_section(const struct f2b_conf *c, const char *section);

/* fail2ban's _as_bool(): true, yes, on, 1 (any case) — everything else is false. */
int f2b_bool(const char *s);

/*
 * fail2ban's MyTime.str2seconds() for the forms configurations use: "600", "10m", "1h 30m",
 * "1d12h", "1year-6mo", "-1" (units s/sec/second(s), m/min/minute(s), h/hour(s),
 * d/day(s)/da, w/week(s), mo/mon/month(s) = 30.4375 d, y/year(s) = 365.25 d).  SD_OK or
 * SD_ERR_INVALID (an expression beyond sums of terms).
 */
int f2b_seconds(const char *s, long long *ret);

#endif
