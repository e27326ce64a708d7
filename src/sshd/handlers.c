#include "sshd/handlers.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"
#include "sshd/match.h"
#include "sshd/values.h"

#define WHITESPACE " \t\r\n"
#define MAX_PORTS  256
#define MAX_SUBSYS 256

int sshd_diag_add(struct sshd_diags *d, enum sshd_diag_level level, const char *file, unsigned line,
                  const char *fmt, ...)
{
	struct sshd_diag *v;
	struct buf b;
	va_list ap;
	int r;

	if (level == SSHD_DIAG_FATAL)
		d->fatal = 1;
	buf_init(&b, 4096);
	va_start(ap, fmt);
	r = buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (r == SD_ERR_TOO_LONG)
		r = SD_OK; /* keep what fits */
	if (r != 0 || (v = realloc(d->v, (d->n + 1) * sizeof(*v))) == NULL) {
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	d->v = v;
	v[d->n].level = level;
	v[d->n].file = file;
	v[d->n].line = line;
	if ((v[d->n].msg = buf_detach(&b)) == NULL)
		return SD_ERR_ALLOC;
	d->n++;
	return SD_OK;
}

void sshd_diags_release(struct sshd_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ------------------------------------------------------------------ helpers */

static char *next(struct sshd_line *l)
{
	char *r = l->av ? l->av[0] : NULL;

	if (l->ac > 0 && r != NULL) {
		l->ac--;
		l->av++;
	}
	return r;
}

static void consume(struct sshd_line *l)
{
	l->ac = 0;
}

static int diag(struct sshd_hctx *ctx, const struct sshd_line *l, enum sshd_diag_level level,
                const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static int diag(struct sshd_hctx *ctx, const struct sshd_line *l, enum sshd_diag_level level,
                const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return sshd_diag_add(ctx->diags, level, l->origin.file, l->origin.line, "%s", msg);
}

/* sshd's fatal(): returns SSHD_H_FATAL (or SD_ERR_ALLOC). */
static int fatal(struct sshd_hctx *ctx, const struct sshd_line *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fatal(struct sshd_hctx *ctx, const struct sshd_line *l, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = diag(ctx, l, SSHD_DIAG_FATAL, fmt, ap);
	va_end(ap);
	ctx->fatal = 1;
	return r ? r : SSHD_H_FATAL;
}

/* sshd's error() + "goto out": a bad option, returns SSHD_H_BAD (or SD_ERR_ALLOC). */
static int bad(struct sshd_hctx *ctx, const struct sshd_line *l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct sshd_hctx *ctx, const struct sshd_line *l, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = diag(ctx, l, SSHD_DIAG_ERROR, fmt, ap);
	va_end(ap);
	return r ? r : SSHD_H_BAD;
}

static int missing(const char *a)
{
	return a == NULL || *a == '\0';
}

/* Marks a setting as set by this line (first setter keeps its origin unless `last`). */
static void mark(struct sshd_setting *s, const struct sshd_line *l, int last)
{
	if (!s->set || last)
		s->origin = l->origin;
	s->set = 1;
}

char *sshd_tilde_expand(const struct sshd_hctx *ctx, const char *path)
{
	const char *home = ctx->home ? ctx->home : "/root";
	size_t hl;
	char *r;

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
		return strdup(path);
	hl = strlen(home);
	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	if ((r = malloc(hl + strlen(path) + 2)) == NULL)
		return NULL;
	memcpy(r, home, hl);
	r[hl] = '\0';
	if (path[1] == '/')
		strcat(r, path + 1);
	else if (hl == 0)
		strcat(r, "/");
	return r;
}

char *sshd_derelativise(const struct sshd_hctx *ctx, const char *path)
{
	const char *cwd = ctx->cwd ? ctx->cwd : "/";
	char *exp, *r;
	size_t n;

	if (strcasecmp(path, "none") == 0)
		return strdup("none");
	if ((exp = sshd_tilde_expand(ctx, path)) == NULL)
		return NULL;
	if (exp[0] == '/')
		return exp;
	n = strlen(cwd) + strlen(exp) + 2;
	if ((r = malloc(n)) != NULL)
		snprintf(r, n, "%s/%s", cwd, exp);
	free(exp);
	return r;
}

/* sscanf(arg, "%d:%d:%d") for up to `max` numbers: how many were read. */
static int scan_ints(const char *s, int *out, int max)
{
	long v;
	char *end;
	int n = 0;

	while (n < max) {
		if (n > 0) {
			if (*s != ':')
				break;
			s++;
		}
		while (isspace((unsigned char)*s))
			s++;
		if (!(isdigit((unsigned char)*s) ||
		      ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))))
			break;
		v = strtol(s, &end, 10);
		out[n++] = (int)v;
		s = end;
	}
	return n;
}

/* ------------------------------------------------------------------ handlers */

static int h_multistate(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l,
                        enum sshd_multistate table)
{
	char *arg = next(l);
	int v;

	if (missing(arg))
		return fatal(ctx, l, "missing argument.");
	if ((v = sshd_multistate_parse(table, arg)) == -1)
		return fatal(ctx, l, "unsupported option \"%s\".", arg);
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_int(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	long long v;
	int r;

	if (arg == NULL || *arg == '\0')
		return fatal(ctx, l, "%s integer value missing.", l->keyword);
	if ((r = sshd_strtonum(arg, 0, INT_MAX, &v)) != 0)
		return fatal(ctx, l, "%s integer value %s.", l->keyword,
		             sshd_strtonum(arg, LLONG_MIN, LLONG_MAX, &v) != 0 ? "invalid"
		             : v < 0                                           ? "too small"
		                                                               : "too large");
	if (l->active && st->n[0] == -1) {
		st->n[0] = (int)v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_time(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v;

	if (missing(arg))
		return fatal(ctx, l, "missing time value.");
	if ((v = sshd_convtime(arg, ctx->version)) == -1)
		return fatal(ctx, l, "invalid time value.");
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_uctime(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	/* "none" is taken whenever the line is active: it overrides an earlier value */
	if (l->av && l->av[0] != NULL && l->ac > 0 && strcasecmp(l->av[0], "none") == 0) {
		next(l);
		if (l->active) {
			st->n[0] = 0;
			mark(st, l, 1);
		}
		return 0;
	}
	return h_time(ctx, st, l);
}

/* Sets a string setting if active and unset.  `v` is owned by the call. */
static int set_str_first(struct sshd_setting *st, struct sshd_line *l, char *v)
{
	if (v == NULL)
		return SD_ERR_ALLOC;
	if (l->active && st->s == NULL) {
		st->s = v;
		mark(st, l, 0);
		return 0;
	}
	free(v);
	return 0;
}

static int h_path(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "missing file name.");
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, sshd_derelativise(ctx, arg));
}

static int h_str(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, strdup(arg));
}

static int h_tilde(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, sshd_tilde_expand(ctx, arg));
}

static int h_keyscmd(struct sshd_hctx *ctx, struct sshd_options *o, struct sshd_setting *st,
                     struct sshd_line *l)
{
	size_t len = strspn(l->str, WHITESPACE);
	int unset;

	if (l->str[len] != '/' && strcasecmp(l->str + len, "none") != 0)
		return fatal(ctx, l, "%s must be an absolute path", l->keyword);
	/* before 9.4 both commands were guarded by AuthorizedKeysCommand being unset */
	unset = ctx->version < SSHD_V(9, 4) ? o->kw[SK_AUTHKEYSCOMMAND].s == NULL : st->s == NULL;
	consume(l);
	if (l->active && unset) {
		char *v = strdup(l->str + len);

		if (v == NULL)
			return SD_ERR_ALLOC;
		free(st->s);
		st->s = v;
		mark(st, l, 1);
	}
	return 0;
}

static int h_forcecmd(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	size_t len;

	if (l->str == NULL || *l->str == '\0')
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	len = strspn(l->str, WHITESPACE);
	consume(l);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, strdup(l->str + len));
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static int h_veradd(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	size_t len;
	char *hash;

	if (l->str == NULL || *l->str == '\0')
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	len = strspn(l->str, WHITESPACE);
	if (strchr(l->str + len, '\r') != NULL)
		return fatal(ctx, l, "Invalid %s argument", l->keyword);
	if ((hash = strchr(l->line, '#')) != NULL) {
		*hash = '\0';
		rtrim(l->line);
	}
	consume(l);
	if (!(l->active && st->s == NULL))
		return 0;
	/* the cut may have shortened str below len */
	if (strlen(l->str) < len)
		len = strlen(l->str);
	return set_str_first(st, l,
	                     strdup(strcasecmp(l->str + len, "none") == 0 ? "" : l->str + len));
}

static int h_algos(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, strdup(arg));
}

static int h_port(struct sshd_hctx *ctx, struct sshd_options *o, struct sshd_setting *st,
                  struct sshd_line *l)
{
	char *arg;
	int port;

	if (o->ports_from_cmdline) {
		consume(l);
		return 0;
	}
	if (st->nitems >= MAX_PORTS)
		return fatal(ctx, l, "too many ports.");
	arg = next(l);
	if (missing(arg))
		return fatal(ctx, l, "missing port number.");
	if ((port = sshd_a2port(arg)) <= 0)
		return fatal(ctx, l, "Badly formatted port number.");
	mark(st, l, 0);
	return sshd_setting_add_item(st, NULL, NULL, port, &l->origin);
}

static int h_listen(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l), *p, *c, *rd = NULL;
	int port = 0;

	if (missing(arg))
		return fatal(ctx, l, "missing address");
	/* a bare IPv6 address: no "[]" and two or more ':' */
	if (strchr(arg, '[') == NULL && (c = strchr(arg, ':')) != NULL &&
	    strchr(c + 1, ':') != NULL) {
		p = arg;
	} else {
		if ((p = sshd_hpdelim(&arg)) == NULL)
			return fatal(ctx, l, "bad address:port usage");
		p = sshd_cleanhostname(p);
		if (arg != NULL && (port = sshd_a2port(arg)) <= 0)
			return fatal(ctx, l, "bad port number");
	}
	if ((arg = next(l)) != NULL) {
		if (strcmp(arg, "rdomain") != 0 || (rd = next(l)) == NULL)
			return fatal(ctx, l, "bad ListenAddress syntax");
		/* Linux builds: sys_valid_rdomain() wants an existing VRF device */
		return fatal(ctx, l, "bad routing domain");
	}
	mark(st, l, 0);
	return sshd_setting_add_item(st, p, rd, port, &l->origin);
}

static int h_hostkey(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l), *p;
	int r;

	if (missing(arg))
		return fatal(ctx, l, "missing file name.");
	if (!l->active)
		return 0;
	if ((p = sshd_derelativise(ctx, arg)) == NULL)
		return SD_ERR_ALLOC;
	mark(st, l, 0);
	r = sshd_setting_add_item(st, p, NULL, 0, &l->origin);
	free(p);
	return r;
}

static int h_hkagent(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "missing socket name.");
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(
	    st, l, strcmp(arg, "SSH_AUTH_SOCK") == 0 ? strdup(arg) : sshd_derelativise(ctx, arg));
}

static int h_skprov(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(
	    st, l, strcasecmp(arg, "internal") == 0 ? strdup(arg) : sshd_derelativise(ctx, arg));
}

/* match_user(NULL, NULL, NULL, pattern): -1 when the host part is not a valid list. */
static int user_pattern_invalid(const char *pattern, int version)
{
	const char *at = version >= SSHD_V(9, 7) ? strrchr(pattern, '@') : strchr(pattern, '@');

	return at != NULL && sshd_addr_match_list(NULL, at + 1) == -2;
}

/* How OpenSSH checks one item of a list that every line adds to. */
enum item_check { ITEM_USER, ITEM_GROUP, ITEM_ENV };

/*
 * AllowUsers, DenyGroups, AcceptEnv…: every item is checked as OpenSSH does, added when the
 * line is active, and since 9.7 a line with no item at all is fatal.
 */
static int add_every_item(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l,
                          enum item_check check)
{
	char *arg;
	int found = 0, r;

	while ((arg = next(l)) != NULL) {
		switch (check) {
		case ITEM_USER:
			if (*arg == '\0' || user_pattern_invalid(arg, ctx->version))
				return fatal(ctx, l, "invalid %s pattern: \"%s\"", l->keyword, arg);
			break;
		case ITEM_GROUP:
			if (*arg == '\0')
				return fatal(ctx, l, "empty %s pattern", l->keyword);
			break;
		case ITEM_ENV:
			if (*arg == '\0' || strchr(arg, '=') != NULL)
				return fatal(ctx, l, "Invalid environment name.");
			break;
		}
		found = 1;
		if (!l->active)
			continue;
		mark(st, l, 0);
		if ((r = sshd_setting_add_item(st, arg, NULL, 0, &l->origin)) != 0)
			return r;
	}
	if (!found && ctx->version >= SSHD_V(9, 7))
		return fatal(ctx, l, "no %s specified", l->keyword);
	return 0;
}

static int h_users(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	return add_every_item(ctx, st, l, ITEM_USER);
}

static int h_groups(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	return add_every_item(ctx, st, l, ITEM_GROUP);
}

static int h_acceptenv(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	return add_every_item(ctx, st, l, ITEM_ENV);
}

/*
 * The first-line list keywords: collects this line's values into `tmp`, then, if the line is
 * active and the setting still empty, the whole list becomes the value.
 */
static int adopt_list(struct sshd_setting *st, struct sshd_setting *tmp, struct sshd_line *l,
                      int was_empty)
{
	if (was_empty && l->active && tmp->nitems > 0) {
		sshd_setting_move(st, tmp);
		st->set = 1;
		st->origin = l->origin;
	}
	sshd_setting_clear(tmp);
	return 0;
}

/*
 * The end of every list handler: an empty list is fatal where `empty_fatal` says so (9.7+ for
 * most), an error drops what was read, else the list is adopted.
 */
static int finish_list(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_setting *tmp,
                       struct sshd_line *l, int was_empty, int r, int empty_fatal)
{
	if (r == 0 && tmp->nitems == 0 && empty_fatal)
		r = fatal(ctx, l, "no %s specified", l->keyword);
	if (r != 0) {
		sshd_setting_clear(tmp);
		return r;
	}
	return adopt_list(st, tmp, l, was_empty);
}

static int same_env_name(const char *a, const char *b)
{
	size_t na = strcspn(a, "="), nb = strcspn(b, "=");

	return na == nb && strncmp(a, b, na) == 0;
}

static int h_setenv(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, r = 0;
	size_t i;
	char *arg;

	memset(&tmp, 0, sizeof(tmp));
	while ((arg = next(l)) != NULL) {
		if (*arg == '\0' || strchr(arg, '=') == NULL) {
			sshd_setting_clear(&tmp);
			return fatal(ctx, l, "Invalid environment.");
		}
		for (i = 0; i < tmp.nitems; i++)
			if (same_env_name(tmp.items[i].s, arg))
				break;
		if (i < tmp.nitems)
			continue; /* first of a name wins */
		if ((r = sshd_setting_add_item(&tmp, arg, NULL, 0, &l->origin)) != 0)
			break;
	}
	return finish_list(ctx, st, &tmp, l, was_empty, r, ctx->version >= SSHD_V(9, 7));
}

static int h_authkeys(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, r = 0;
	char *arg, *p;

	memset(&tmp, 0, sizeof(tmp));
	while ((arg = next(l)) != NULL) {
		if (*arg == '\0') {
			/* before 9.7 the values before the empty one were already taken */
			if (ctx->version < SSHD_V(9, 7))
				adopt_list(st, &tmp, l, was_empty);
			sshd_setting_clear(&tmp);
			return bad(ctx, l, "keyword %s empty argument", l->keyword);
		}
		if ((p = sshd_tilde_expand(ctx, arg)) == NULL) {
			r = SD_ERR_ALLOC;
			break;
		}
		r = sshd_setting_add_item(&tmp, p, NULL, 0, &l->origin);
		free(p);
		if (r != 0)
			break;
	}
	return finish_list(ctx, st, &tmp, l, was_empty, r, ctx->version >= SSHD_V(9, 7));
}

static int h_logverbose(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, r = 0;
	char *arg;

	memset(&tmp, 0, sizeof(tmp));
	while ((arg = next(l)) != NULL) {
		if (*arg == '\0') {
			if (ctx->version < SSHD_V(9, 7))
				adopt_list(st, &tmp, l, was_empty);
			sshd_setting_clear(&tmp);
			return bad(ctx, l, "keyword %s empty argument", l->keyword);
		}
		if (strcasecmp(arg, "none") == 0 && (tmp.nitems > 0 || l->ac > 0)) {
			if (ctx->version < SSHD_V(9, 7))
				adopt_list(st, &tmp, l, was_empty);
			sshd_setting_clear(&tmp);
			return bad(ctx, l, "keyword %s \"none\" argument must appear alone.",
			           l->keyword);
		}
		if ((r = sshd_setting_add_item(&tmp, arg, NULL, 0, &l->origin)) != 0)
			break;
	}
	return finish_list(ctx, st, &tmp, l, was_empty, r, ctx->version >= SSHD_V(9, 7));
}

static int h_authmethods(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, seen_any = 0, r = 0, taken;
	char *arg;

	memset(&tmp, 0, sizeof(tmp));
	while ((arg = next(l)) != NULL) {
		/*
		 * Before 9.7, "any" was checked against the option itself: values of an earlier
		 * line, or of this line when it is being taken.
		 */
		if (ctx->version < SSHD_V(9, 7))
			taken = st->nitems > 0 || (was_empty && l->active && tmp.nitems > 0);
		else
			taken = tmp.nitems > 0;
		if (strcmp(arg, "any") == 0) {
			if (taken) {
				r = fatal(ctx, l, "\"any\" must appear alone in %s", l->keyword);
				break;
			}
			seen_any = 1;
		} else if (seen_any) {
			r = fatal(ctx, l, "\"any\" must appear alone in %s", l->keyword);
			break;
		} else if (sshd_authmethods_valid(arg, ctx->debian) != 0) {
			r = fatal(ctx, l, "invalid %s method list.", l->keyword);
			break;
		}
		if ((r = sshd_setting_add_item(&tmp, arg, NULL, 0, &l->origin)) != 0)
			break;
	}
	return finish_list(ctx, st, &tmp, l, was_empty, r, 1);
}

/* parse_timeout() / parse_pattern_interval(): "type=interval". */
static int timeout_valid(const char *s, int version)
{
	const char *eq = strchr(s, '=');

	return eq != NULL && eq != s && sshd_convtime(eq + 1, version) >= 0;
}

static int h_chantimeout(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, r = 0;
	char *arg;

	memset(&tmp, 0, sizeof(tmp));
	while ((arg = next(l)) != NULL) {
		if (strcasecmp(arg, "none") == 0) {
			/* 9.2-9.6 only refused "none" before other values (a counter never moved)
			 */
			if ((ctx->version >= SSHD_V(9, 7) && tmp.nitems > 0) || l->ac > 0) {
				if (ctx->version < SSHD_V(9, 7))
					adopt_list(st, &tmp, l, was_empty);
				sshd_setting_clear(&tmp);
				return bad(ctx, l,
				           "keyword %s \"none\" argument must appear alone.",
				           l->keyword);
			}
		} else if (!timeout_valid(arg, ctx->version)) {
			sshd_setting_clear(&tmp);
			return fatal(ctx, l, "invalid channel timeout %s", arg);
		}
		if ((r = sshd_setting_add_item(&tmp, arg, NULL, 0, &l->origin)) != 0)
			break;
	}
	return finish_list(ctx, st, &tmp, l, was_empty, r, ctx->version >= SSHD_V(9, 7));
}

static int permitopen_port(const char *p)
{
	int port;

	if (strcmp(p, "*") == 0)
		return 0;
	if ((port = sshd_a2port(p)) > 0)
		return port;
	return -1;
}

/* One PermitOpen/PermitListen entry: 0 and its stored text, or a fatal diagnostic. */
static int permit_entry(struct sshd_hctx *ctx, struct sshd_line *l, const char *arg, int listen,
                        struct buf *text)
{
	char *copy, *rest;
	int r;

	if (listen && strchr(arg, ':') == NULL) {
		if ((r = buf_addf(text, "*:%s", arg)) != 0)
			return r;
		return permitopen_port(arg) < 0 ? fatal(ctx, l, "%s bad port number", l->keyword)
		                                : 0;
	}
	if ((r = buf_adds(text, arg)) != 0)
		return r;
	if ((copy = strdup(arg)) == NULL)
		return SD_ERR_ALLOC;
	rest = copy;
	if (sshd_hpdelim(&rest) == NULL)
		r = fatal(ctx, l, "%s missing host", l->keyword);
	else if (rest == NULL || permitopen_port(rest) < 0)
		r = fatal(ctx, l, "%s bad port number", l->keyword);
	free(copy);
	return r;
}

static int h_permitopen(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l,
                        int listen)
{
	struct sshd_setting tmp;
	int was_empty = st->nitems == 0, old = ctx->version < SSHD_V(9, 7), r = 0;
	struct buf b;
	char *arg;

	memset(&tmp, 0, sizeof(tmp));
	arg = next(l);
	if (old) {
		if (missing(arg))
			return fatal(ctx, l, "%s missing argument.", l->keyword);
		if (strcmp(arg, "any") == 0 || strcmp(arg, "none") == 0) {
			if (l->active && was_empty) {
				mark(st, l, 0);
				return sshd_setting_add_item(st, arg, NULL, 0, &l->origin);
			}
			return 0;
		}
	}
	/* 9.6 and older stop at an empty word (the rest is "extra arguments") */
	for (; arg != NULL && (!old || *arg != '\0'); arg = next(l)) {
		if (!old && (strcmp(arg, "any") == 0 || strcmp(arg, "none") == 0)) {
			if (tmp.nitems != 0) {
				r = fatal(ctx, l, "%s must appear alone on a %s line.", arg,
				          l->keyword);
				break;
			}
			if ((r = sshd_setting_add_item(&tmp, arg, NULL, 0, &l->origin)) != 0)
				break;
			continue;
		}
		buf_init(&b, 4096);
		r = permit_entry(ctx, l, arg, listen, &b);
		if (r == 0)
			r = sshd_setting_add_item(&tmp, b.data, NULL, 0, &l->origin);
		buf_release(&b);
		if (r != 0)
			break;
	}
	if (r == 0 && tmp.nitems == 0 && !old)
		r = fatal(ctx, l, "%s missing argument.", l->keyword);
	if (r != 0) {
		sshd_setting_clear(&tmp);
		return r;
	}
	return adopt_list(st, &tmp, l, was_empty);
}

/* argv_assemble(): quote and escape words back into one command line. */
static int assemble(struct buf *b, char **v, int n)
{
	int i, ws, r = 0;
	const char *c;
	struct buf a;

	for (i = 0; i < n && r == 0; i++) {
		buf_init(&a, BUF_MAX_DEFAULT);
		ws = 0;
		for (c = v[i]; *c && r == 0; c++) {
			if (*c == ' ' || *c == '\t')
				ws = 1;
			if (*c == '\\' || *c == '\'' || *c == '"')
				r = buf_addch(&a, '\\');
			if (r == 0)
				r = buf_addch(&a, *c);
		}
		if (r == 0)
			r = buf_addf(b, "%s%s%s%s", i ? " " : "", ws ? "\"" : "", a.data,
			             ws ? "\"" : "");
		buf_release(&a);
	}
	return r;
}

static int h_subsystem(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	int new_style = ctx->version >= SSHD_V(9, 5);
	char *arg, *name, *cmd;
	struct buf b;
	size_t i;
	int r;

	if (!new_style && st->nitems >= MAX_SUBSYS)
		return fatal(ctx, l, "too many subsystems defined.");
	arg = next(l);
	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (!l->active) {
		if (new_style)
			consume(l);
		else
			next(l); /* 9.4 and older skip only the command */
		return 0;
	}
	name = arg;
	for (i = 0; i < st->nitems; i++) {
		if (strcmp(name, st->items[i].s) != 0)
			continue;
		if (!new_style)
			return fatal(ctx, l, "Subsystem '%s' already defined.", name);
		consume(l);
		return 0;
	}
	cmd = next(l);
	if (missing(cmd))
		return fatal(ctx, l, "Missing subsystem command.");
	buf_init(&b, BUF_MAX_DEFAULT);
	if (new_style) {
		r = assemble(&b, &cmd, 1);
		if (r == 0 && l->ac > 0) {
			r = buf_addch(&b, ' ');
			if (r == 0)
				r = assemble(&b, l->av, l->ac);
		}
		consume(l);
	} else {
		r = buf_adds(&b, cmd);
		while (r == 0 && (arg = next(l)) != NULL)
			r = buf_addf(&b, " %s", arg);
	}
	if (r == 0) {
		mark(st, l, 0);
		r = sshd_setting_add_item(st, name, b.data, 0, &l->origin);
	}
	buf_release(&b);
	return r;
}

static int h_maxstartups(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v[3] = {-1, -1, -1}, n;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (ctx->version < SSHD_V(10, 1)) {
		/* sscanf() writes straight into the options: a lone number keeps the old rate */
		v[0] = st->n[0];
		v[1] = st->n[1];
		v[2] = st->n[2];
		n = scan_ints(arg, v, 3);
		if (n == 3) {
			if (v[0] > v[2] || v[1] > 100 || v[1] < 1)
				return fatal(ctx, l, "Invalid %s spec.", l->keyword);
		} else if (n != 1) {
			return fatal(ctx, l, "Invalid %s spec.", l->keyword);
		} else {
			v[2] = v[0];
		}
		if (v[2] <= 0 || v[0] <= 0)
			return fatal(ctx, l, "Invalid %s spec.", l->keyword);
		/* no activep test: only reachable on active lines (global-only keyword) */
		st->n[0] = v[0];
		st->n[1] = v[1];
		st->n[2] = v[2];
		mark(st, l, 1);
		return 0;
	}
	n = scan_ints(arg, v, 3);
	if (n == 3) {
		if (v[0] > v[2] || v[1] > 100 || v[1] < 1)
			return fatal(ctx, l, "Invalid %s spec.", l->keyword);
	} else if (n == 1) {
		v[2] = v[0];
		if (ctx->version < SSHD_V(10, 3))
			v[0] = -1; /* 10.1-10.2: "N" means 10:30:N */
		v[1] = -1;
	} else {
		return fatal(ctx, l, "Invalid %s spec.", l->keyword);
	}
	if (v[2] <= 0 || (ctx->version < SSHD_V(10, 3) ? (v[1] != -1 && v[0] <= 0) : v[0] <= 0))
		return fatal(ctx, l, "Invalid %s spec.", l->keyword);
	if (l->active && st->n[2] == -1) {
		st->n[0] = v[0];
		st->n[1] = v[1];
		st->n[2] = v[2];
		mark(st, l, 0);
	}
	return 0;
}

static int h_netblock(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v[2] = {-1, 0}, n;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	n = scan_ints(arg, v, 2);
	if (n == 2 && (v[1] < 0 || v[1] > 128))
		n = -1;
	if ((n == 1 || n == 2) && (v[0] < 0 || v[0] > 32))
		n = -1;
	if (n != 1 && n != 2)
		return fatal(ctx, l, "Invalid %s spec.", l->keyword);
	if (!l->active)
		return 0;
	if (ctx->version >= SSHD_V(10, 1)) {
		if (st->n[0] != -1)
			return 0;
		st->n[0] = v[0];
		if (n == 2 || ctx->version < SSHD_V(10, 3))
			st->n[1] = v[1]; /* before 10.3 an uninitialised value (0 in practice) */
		mark(st, l, 0);
		return 0;
	}
	st->n[0] = v[0];
	st->n[1] = v[1];
	mark(st, l, 1);
	return 0;
}

static int h_psmax(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	long long v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (strcmp(arg, "none") == 0) {
		v = INT_MAX;
	} else if (sshd_strtonum(arg, 0, INT_MAX, &v) != 0) {
		return fatal(ctx, l, "%s integer value %s.", l->keyword,
		             sshd_strtonum(arg, LLONG_MIN, LLONG_MAX, &v) != 0 ? "invalid"
		             : v < 0                                           ? "too small"
		                                                               : "too large");
	}
	if (!l->active)
		return 0;
	if (ctx->version >= SSHD_V(9, 5)) {
		if (st->n[0] == -1) {
			st->n[0] = (int)v;
			mark(st, l, 0);
		}
		return 0;
	}
	st->n[0] = (int)v;
	mark(st, l, 1);
	return 0;
}

static int h_penalties(struct sshd_hctx *ctx, struct sshd_options *o, struct sshd_line *l)
{
	static const struct {
		const char *prefix;
		enum sshd_penalty key;
		int time;
		int since;
	} keys[] = {
	    {"crash:", PEN_CRASH, 1, 0},
	    {"authfail:", PEN_AUTHFAIL, 1, 0},
	    {"noauth:", PEN_NOAUTH, 1, 0},
	    {"grace-exceeded:", PEN_GRACE, 1, 0},
	    {"refuseconnection:", PEN_REFUSE, 1, SSHD_V(9, 9)},
	    {"max:", PEN_MAX, 1, 0},
	    {"min:", PEN_MIN, 1, 0},
	    {"max-sources4:", PEN_MAXSRC4, 0, 0},
	    {"max-sources6:", PEN_MAXSRC6, 0, 0},
	};
	struct sshd_penalties *pen = &o->pen;
	int found = 0, value, is_yes, i, key;
	char *arg;

	while ((arg = next(l)) != NULL) {
		found = 1;
		value = -1;
		key = -1;
		is_yes = strcasecmp(arg, "yes") == 0;
		if (strcasecmp(arg, "no") == 0 || is_yes) {
			if (l->ac > 0)
				return fatal(ctx, l,
				             "keyword %s \"%s\" argument must appear alone.",
				             l->keyword, arg);
			if (l->active && pen->enabled == -1) {
				pen->enabled = is_yes;
				pen->enabled_origin = l->origin;
			}
			continue;
		}
		for (i = 0; i < (int)(sizeof(keys) / sizeof(keys[0])); i++) {
			size_t n = strlen(keys[i].prefix);

			if (keys[i].since > ctx->version || strncmp(arg, keys[i].prefix, n) != 0)
				continue;
			key = (int)keys[i].key;
			if (keys[i].time) {
				value = sshd_convtime(arg + n, ctx->version);
				if (value == -1)
					return fatal(ctx, l, "invalid %s time value.", l->keyword);
			} else if (sshd_atoi(arg + n, &value) != 0) {
				return fatal(ctx, l, "%s value %s.", l->keyword,
				             arg[n] == '\0' ? "missing" : "invalid");
			}
			break;
		}
		if (key == -1) {
			if (strcmp(arg, "overflow:deny-all") == 0) {
				key = PEN_OVERFLOW;
				value = SSHD_OVERFLOW_DENY_ALL;
			} else if (strcmp(arg, "overflow:permissive") == 0) {
				key = PEN_OVERFLOW;
				value = SSHD_OVERFLOW_PERMISSIVE;
			} else if (strcmp(arg, "overflow6:deny-all") == 0) {
				key = PEN_OVERFLOW6;
				value = SSHD_OVERFLOW_DENY_ALL;
			} else if (strcmp(arg, "overflow6:permissive") == 0) {
				key = PEN_OVERFLOW6;
				value = SSHD_OVERFLOW_PERMISSIVE;
			} else {
				return fatal(ctx, l, "unsupported %s keyword %s", l->keyword, arg);
			}
		}
		if (l->active && pen->v[key] == -1) {
			pen->v[key] = value;
			pen->origin[key] = l->origin;
			/* any key implicitly enables penalties */
			pen->enabled = 1;
			if (pen->enabled_origin.file == NULL && pen->enabled_origin.line == 0)
				pen->enabled_origin = l->origin;
		}
	}
	if (!found)
		return fatal(ctx, l, "no %s specified", l->keyword);
	o->kw[SK_PERSOURCEPENALTIES].set = 1;
	if (o->kw[SK_PERSOURCEPENALTIES].origin.file == NULL && l->active)
		o->kw[SK_PERSOURCEPENALTIES].origin = l->origin;
	return 0;
}

static int h_exempt(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);

	if (missing(arg))
		return fatal(ctx, l, "missing argument.");
	if (sshd_addr_match_list(NULL, arg) != 0)
		return fatal(ctx, l, "keyword %s invalid address argument.", l->keyword);
	if (!(l->active && st->s == NULL))
		return 0;
	return set_str_first(st, l, strdup(arg));
}

static int h_loglevel(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v = sshd_loglevel_parse(arg, ctx->debian);

	if (v == -1)
		return fatal(ctx, l, "unsupported log level '%s'", arg ? arg : "<NONE>");
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_facility(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v = sshd_facility_parse(arg);

	if (v == -1)
		return fatal(ctx, l, "unsupported log facility '%s'", arg ? arg : "<NONE>");
	if (st->n[0] == -1) { /* sshd does not look at activep here */
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_tunnel(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if ((v = sshd_tunnel_parse(arg)) == -1)
		return fatal(ctx, l, "bad %s argument %s", l->keyword, arg);
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

static int h_puenv(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	v = strcmp(arg, "no") == 0 ? 0 : 1;
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		if (strcmp(arg, "yes") != 0 && strcmp(arg, "no") != 0 &&
		    (st->s = strdup(arg)) == NULL)
			return SD_ERR_ALLOC;
		mark(st, l, 0);
	}
	return 0;
}

static int h_rekey(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	long long v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if (strcmp(arg, "default") == 0) {
		v = 0;
	} else {
		if (sshd_scan_scaled(arg, &v) == -1)
			return fatal(ctx, l, "Bad %s number '%s'", l->keyword, arg);
		if (v != 0 && v < 16)
			return fatal(ctx, l, "%s too small", l->keyword);
	}
	if (l->active && st->ll == -1) {
		st->ll = v;
		mark(st, l, 0);
	}
	if (l->ac == 0)
		return 0;
	if (strcmp(l->av[0], "none") == 0) {
		next(l);
		return 0;
	}
	return h_time(ctx, st, l);
}

static int h_ipqos(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int a, b;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if ((a = sshd_ipqos_parse(arg, ctx->version)) == -1)
		return fatal(ctx, l, "Bad %s value: %s", l->keyword, arg);
	arg = next(l);
	if (arg == NULL)
		b = a;
	else if ((b = sshd_ipqos_parse(arg, ctx->version)) == -1)
		return fatal(ctx, l, "Bad %s value: %s", l->keyword, arg);
	if (l->active) {
		st->n[0] = a;
		st->n[1] = b;
		mark(st, l, 1);
	}
	return 0;
}

static int h_bindmask(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l), *p;
	long v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	v = strtol(arg, &p, 8);
	if (arg == p || v < 0 || v > 0777)
		return fatal(ctx, l, "Invalid %s.", l->keyword);
	if (l->active) {
		st->n[0] = (int)v;
		mark(st, l, 1);
	}
	return 0;
}

static int h_fphash(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	char *arg = next(l);
	int v;

	if (missing(arg))
		return fatal(ctx, l, "%s missing argument.", l->keyword);
	if ((v = sshd_digest_parse(arg)) == -1)
		return fatal(ctx, l, "Invalid %s algorithm \"%s\".", l->keyword, arg);
	if (l->active) {
		st->n[0] = v;
		mark(st, l, 1);
	}
	return 0;
}

static int h_pkopts(struct sshd_hctx *ctx, struct sshd_setting *st, struct sshd_line *l)
{
	int v = 0;
	char *arg;

	while ((arg = next(l)) != NULL) {
		if (strcasecmp(arg, "none") == 0)
			continue;
		if (strcasecmp(arg, "touch-required") == 0)
			v |= 1;
		else if (strcasecmp(arg, "verify-required") == 0)
			v |= 2;
		else
			return bad(ctx, l, "unsupported %s option %s", l->keyword, arg);
	}
	if (l->active && st->n[0] == -1) {
		st->n[0] = v;
		mark(st, l, 0);
	}
	return 0;
}

int sshd_handle_line(struct sshd_hctx *ctx, struct sshd_options *o, struct sshd_line *l)
{
	enum sshd_kw kw = sshd_kw_canonical(l->kw);
	const struct sshd_keyword *k = sshd_kw(kw);
	struct sshd_setting *st = &o->kw[kw];

	switch (k->type) {
	case T_FLAG:
		return h_multistate(ctx, st, l, MS_NONE);
	case T_MULTI:
		return h_multistate(ctx, st, l, (enum sshd_multistate)k->param);
	case T_INT:
		return h_int(ctx, st, l);
	case T_TIME:
		return h_time(ctx, st, l);
	case T_UCTIME:
		return h_uctime(ctx, st, l);
	case T_PATH:
		return h_path(ctx, st, l);
	case T_STR:
		return h_str(ctx, st, l);
	case T_TILDE:
		return h_tilde(ctx, st, l);
	case T_KEYSCMD:
		return h_keyscmd(ctx, o, st, l);
	case T_FORCECMD:
		return h_forcecmd(ctx, st, l);
	case T_VERADD:
		return h_veradd(ctx, st, l);
	case T_ALGOS:
		return h_algos(ctx, st, l);
	case T_PORT:
		return h_port(ctx, o, st, l);
	case T_LISTEN:
		return h_listen(ctx, st, l);
	case T_HOSTKEY:
		return h_hostkey(ctx, st, l);
	case T_HKAGENT:
		return h_hkagent(ctx, st, l);
	case T_SKPROV:
		return h_skprov(ctx, st, l);
	case T_USERS:
		return h_users(ctx, st, l);
	case T_GROUPS:
		return h_groups(ctx, st, l);
	case T_ACCEPTENV:
		return h_acceptenv(ctx, st, l);
	case T_SETENV:
		return h_setenv(ctx, st, l);
	case T_AUTHKEYS:
		return h_authkeys(ctx, st, l);
	case T_LOGVERBOSE:
		return h_logverbose(ctx, st, l);
	case T_AUTHMETHODS:
		return h_authmethods(ctx, st, l);
	case T_CHANTIMEOUT:
		return h_chantimeout(ctx, st, l);
	case T_PERMITOPEN:
		return h_permitopen(ctx, st, l, k->param);
	case T_SUBSYSTEM:
		return h_subsystem(ctx, st, l);
	case T_MAXSTARTUPS:
		return h_maxstartups(ctx, st, l);
	case T_NETBLOCK:
		return h_netblock(ctx, st, l);
	case T_PSMAX:
		return h_psmax(ctx, st, l);
	case T_PENALTIES:
		return h_penalties(ctx, o, l);
	case T_EXEMPT:
		return h_exempt(ctx, st, l);
	case T_LOGLEVEL:
		return h_loglevel(ctx, st, l);
	case T_FACILITY:
		return h_facility(ctx, st, l);
	case T_TUNNEL:
		return h_tunnel(ctx, st, l);
	case T_PUENV:
		return h_puenv(ctx, st, l);
	case T_REKEY:
		return h_rekey(ctx, st, l);
	case T_IPQOS:
		return h_ipqos(ctx, st, l);
	case T_BINDMASK:
		return h_bindmask(ctx, st, l);
	case T_FPHASH:
		return h_fphash(ctx, st, l);
	case T_PKOPTS:
		return h_pkopts(ctx, st, l);
	case T_RDOMAIN:
		return fatal(ctx, l, "setting RDomain not supported on this platform.");
	case T_DEPRECATED:
	case T_UNSUPPORTED:
		consume(l);
		return sshd_diag_add(
		    ctx->diags, SSHD_DIAG_INFO, l->origin.file, l->origin.line, "%s option %s",
		    k->type == T_UNSUPPORTED ? "Unsupported" : "Deprecated", l->keyword);
	case T_IGNORE:
		consume(l);
		return 0;
	case T_INCLUDE:
	case T_MATCH:
	case T_ALIAS:
		break;
	}
	return fatal(ctx, l, "Missing handler for opcode %s", l->keyword);
}
