/*
 * options.c — libwrap's options.c process_options(), as a dry run (see options.h).
 */
#include "tcpwrap/options.h"

#include <stdio.h>
#include <string.h>

#include "tcpwrap/compat.h"
#include "tcpwrap/lines.h"
#include "tcpwrap/match.h"

#define NEED_ARG   0x02
#define USE_LAST   0x04
#define OPT_ARG    0x08
#define EXPAND_ARG 0x10

enum opt {
	O_USER,
	O_GROUP,
	O_UMASK,
	O_LINGER,
	O_KEEPALIVE,
	O_ACLEXEC,
	O_SPAWN,
	O_TWIST,
	O_RFC931,
	O_SETENV,
	O_NICE,
	O_SEVERITY,
	O_ALLOW,
	O_DENY,
	O_BANNERS,
};

/* options.c option_table[], in its order (ACLEXEC is defined on Debian). */
static const struct {
	const char *name;
	enum opt opt;
	int flags;
} option_table[] = {
    {"user", O_USER, NEED_ARG},
    {"group", O_GROUP, NEED_ARG},
    {"umask", O_UMASK, NEED_ARG},
    {"linger", O_LINGER, NEED_ARG},
    {"keepalive", O_KEEPALIVE, 0},
    {"aclexec", O_ACLEXEC, NEED_ARG | EXPAND_ARG},
    {"spawn", O_SPAWN, NEED_ARG | EXPAND_ARG},
    {"twist", O_TWIST, NEED_ARG | EXPAND_ARG | USE_LAST},
    {"rfc931", O_RFC931, OPT_ARG},
    {"setenv", O_SETENV, NEED_ARG | EXPAND_ARG},
    {"nice", O_NICE, OPT_ARG},
    {"severity", O_SEVERITY, NEED_ARG},
    {"allow", O_ALLOW, USE_LAST},
    {"deny", O_DENY, USE_LAST},
    {"banners", O_BANNERS, NEED_ARG},
};

/* The syslog names options.c knows on Linux (log_fac[] and log_sev[]). */
static const char *const facilities[] = {
    "kern",   "user",   "mail",   "daemon", "auth",   "lpr",    "news",   "uucp",   "cron",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", NULL,
};
static const char *const severities[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", NULL,
};

/* percent_x()'s buffer is BUFSIZ; an expansion reaching its last byte makes it exit. */
#define EXPAND_LIMIT 8191

static void printable(char *dst, size_t size, const char *src)
{
	size_t o = 0;
	unsigned char c;
	static const char hex[] = "0123456789abcdef";

	for (; *src && o + 5 < size; src++) {
		c = (unsigned char)*src;
		if (c >= 0x20 && c < 0x7f) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = 0;
}

/* tcpd_jump(): an error message (with one "%s" for `arg`, if given) and a denial. */
static int fail(struct ha_opts *out, const char *key, const char *fmt, const char *arg)
{
	char a[48];

	printable(out->option, sizeof(out->option), key);
	if (arg) {
		printable(a, sizeof(a), arg);
		snprintf(out->message, sizeof(out->message), fmt, a);
	} else {
		snprintf(out->message, sizeof(out->message), "%s", fmt);
	}
	out->end = HA_END_ERROR;
	return 1;
}

/* The first option whose outcome we cannot know is the one to name. */
static void uncertain(struct ha_opts *out, const char *key, unsigned may, unsigned need)
{
	if (!out->may)
		printable(out->option, sizeof(out->option), key);
	out->may |= may;
	out->need |= need;
}

static int ends(struct ha_opts *out, const char *key, enum ha_opt_end end)
{
	printable(out->option, sizeof(out->option), key);
	out->end = end;
	return 1;
}

/* get_field(): the next ':'-separated field; "\:" stands for ':'. */
static char *get_field(char **last)
{
	char *src = *last, *dst = *last, *ret = *last;

	if (src[0] == 0)
		return NULL;
	while (*src) {
		if (*src == ':') {
			src++;
			break;
		}
		if (*src == '\\' && src[1] == ':')
			src++;
		*dst++ = *src++;
	}
	*last = src;
	*dst = 0;
	return ret;
}

/* chop_string(): strip leading and trailing isspace(). */
static char *chop(char *s)
{
	char *start = NULL, *end = NULL, *cp;

	for (cp = s; *cp; cp++) {
		if (!tw_isspace((unsigned char)*cp)) {
			if (!start)
				start = cp;
			end = cp;
		}
	}
	if (!start)
		return cp;
	end[1] = 0;
	return start;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (tw_streq(*list, s))
			return 1;
	return 0;
}

/* What %<ch> expands to, if known; NULL with a length range otherwise. */
static const char *expansion(int ch, const struct ha_eval *ev, size_t *lo, size_t *hi)
{
	const struct ha_str *v = NULL;

	*lo = 0;
	*hi = 2 * HA_STRING_LENGTH;
	switch (ch) {
	case 'a':
		v = ev ? &ev->client.addr : NULL;
		break;
	case 'A':
		v = ev ? &ev->server.addr : NULL;
		break;
	case 'd':
		v = ev ? &ev->daemon : NULL;
		break;
	case 'n':
		v = ev ? &ev->client.name : NULL;
		break;
	case 'N':
		v = ev ? &ev->server.name : NULL;
		break;
	case 'u':
		v = ev ? &ev->user : NULL;
		break;
	case 'p':
		*lo = 1;
		*hi = 10;
		return NULL;
	case 'r':
	case 'R':
		*lo = 1;
		*hi = 5;
		return NULL;
	case 'c':
	case 's':
	case 'h':
	case 'H':
		return NULL;
	case '%':
		*lo = *hi = 1;
		return "%";
	default: /* libwrap warns "unrecognized %<ch>" and expands to nothing */
		*lo = *hi = 0;
		return "";
	}
	if (v && v->s) {
		*lo = *hi = v->len;
		return v->s;
	}
	return NULL;
}

/* May the unknown expansion %<ch> contain '='?  Addresses, ports and pids cannot. */
static int may_have_equals(int ch)
{
	return strchr("cshHnNud", ch) != NULL;
}

/* The length range of percent_x(value). */
static void expansion_bounds(const char *v, const struct ha_eval *ev, size_t *lo, size_t *hi)
{
	size_t l, h;

	*lo = *hi = 0;
	for (; *v; v++) {
		if (*v == '%' && v[1] != 0) {
			expansion((unsigned char)v[1], ev, &l, &h);
			v++;
		} else {
			l = h = 1;
		}
		*lo += l;
		*hi += h;
	}
}

/*
 * setenv_option(): the name is the first word of the expanded value; setenv() refuses an empty
 * name or one with '=' and libwrap then denies.  Returns 1 bad, 0 good, -1 unknown.
 */
static int setenv_name_bad(const char *v, const struct ha_eval *ev)
{
	int eq = 0, solid = 0, unknown = 0;
	const char *x;
	size_t l, h;

	while (tw_isspace((unsigned char)*v))
		v++;
	for (; *v && !strchr(" \t\r\n", *v); v++) {
		if (*v == '%' && v[1] != 0) {
			x = expansion((unsigned char)v[1], ev, &l, &h);
			if (x) {
				eq |= strchr(x, '=') != NULL;
				solid |= *x != 0;
			} else {
				unknown |= may_have_equals((unsigned char)v[1]);
				solid |= l > 0;
			}
			v++;
			continue;
		}
		eq |= *v == '=';
		solid |= !tw_isspace((unsigned char)*v);
	}
	if (eq)
		return 1;
	if (unknown)
		return -1;
	return !solid;
}

static int lookup(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
		if (tw_streq(option_table[i].name, key))
			return (int)i;
	return -1;
}

/* One option; 1 when processing stops here. */
static int run_option(char *opt, int has_next, const struct ha_eval *ev, struct ha_opts *out)
{
	char *key, *value;
	size_t lo, hi;
	unsigned u;
	int i, n, flags;

	/* One '=' (and white space) between name and value is ignored. */
	opt = chop(opt);
	value = opt + strcspn(opt, "= \t\r\n");
	if (*value) {
		if (*value != '=') {
			*value++ = 0;
			value += strspn(value, " \t\r\n");
		}
		if (*value == '=') {
			*value++ = 0;
			value += strspn(value, " \t\r\n");
		}
	}
	if (*value == 0)
		value = NULL;
	key = opt;
	if (*key == 0)
		return fail(out, key, "missing option name", NULL);
	if ((i = lookup(key)) < 0)
		return fail(out, key, "bad option name: \"%s\"", key);
	flags = option_table[i].flags;
	if (!value && (flags & NEED_ARG))
		return fail(out, key, "option \"%s\" requires value", key);
	if (value && !(flags & (NEED_ARG | OPT_ARG)))
		return fail(out, key, "option \"%s\" requires no value", key);
	if (has_next && (flags & USE_LAST))
		return fail(out, key, "option \"%s\" must be at end", key);
	if (value && (flags & EXPAND_ARG)) {
		expansion_bounds(value, ev, &lo, &hi);
		if (lo >= EXPAND_LIMIT)
			return ends(out, key, HA_END_EXIT);
		if (hi >= EXPAND_LIMIT)
			uncertain(out, key, HA_MAY_DENY, HA_NEED_EXPANSION);
	}
	switch (option_table[i].opt) {
	case O_USER:  /* getpwnam(), and getgrnam() of a ".group" part */
	case O_GROUP: /* getgrnam() */
		uncertain(out, key, HA_MAY_DENY, HA_NEED_ACCOUNT);
		break;
	case O_UMASK:
		if (!tw_scan_uint(value, strlen(value), 8, &u) || (u & 0777) != u)
			return fail(out, key, "bad umask value: \"%s\"", value);
		out->effects |= HA_FX_OTHER;
		break;
	case O_LINGER:
		if (!tw_scan_int(value, strlen(value), &n) || n < 0)
			return fail(out, key, "bad linger value: \"%s\"", value);
		out->effects |= HA_FX_OTHER;
		break;
	case O_NICE:
		if (value && !tw_scan_int(value, strlen(value), &n))
			return fail(out, key, "bad nice value: \"%s\"", value);
		out->effects |= HA_FX_OTHER;
		break;
	case O_RFC931:
		if (value && (!tw_scan_int(value, strlen(value), &n) || n <= 0))
			return fail(out, key, "bad rfc931 timeout: \"%s\"", value);
		out->effects |= HA_FX_IDENT;
		break;
	case O_SEVERITY: {
		size_t dot = ha_split_at(value, strlen(value), '.');

		if (value[dot] == '.') {
			value[dot] = 0;
			if (!in_list(facilities, value))
				return fail(out, key, "bad syslog facility or severity: \"%s\"",
				            value);
			value += dot + 1;
		}
		if (!in_list(severities, value))
			return fail(out, key, "bad syslog facility or severity: \"%s\"", value);
		out->effects |= HA_FX_OTHER;
		break;
	}
	case O_SETENV:
		n = setenv_name_bad(value, ev);
		if (n > 0)
			return fail(out, key, "memory allocation failure", NULL);
		if (n < 0)
			uncertain(out, key, HA_MAY_DENY, HA_NEED_EXPANSION);
		out->effects |= HA_FX_OTHER;
		break;
	case O_KEEPALIVE:
		out->effects |= HA_FX_OTHER;
		break;
	case O_BANNERS:
		out->effects |= HA_FX_BANNERS;
		break;
	case O_SPAWN:
		out->effects |= HA_FX_SPAWN;
		break;
	case O_ACLEXEC:
		out->effects |= HA_FX_ACLEXEC;
		uncertain(out, key, HA_MAY_TABLE_NO, HA_NEED_ACLEXEC);
		break;
	case O_TWIST:
		out->effects |= HA_FX_TWIST;
		return ends(out, key, HA_END_TWIST);
	case O_ALLOW:
		return ends(out, key, HA_END_ALLOW);
	case O_DENY:
		return ends(out, key, HA_END_DENY);
	}
	return 0;
}

void ha_options_eval(const char *field, size_t len, const struct ha_eval *ev, struct ha_opts *out)
{
	char buf[HA_LINE_MAX + 1];
	char *last = buf, *curr, *next;

	memset(out, 0, sizeof(*out));
	out->end = HA_END_TABLE;
	if (len > HA_LINE_MAX)
		len = HA_LINE_MAX;
	memcpy(buf, field, len);
	buf[len] = 0;
	for (curr = get_field(&last); curr; curr = next) {
		next = get_field(&last);
		if (run_option(curr, next != NULL, ev, out))
			break;
	}
}
