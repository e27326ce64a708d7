#include "bans/f2b.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"

/* fail2ban's built-in jail defaults (client/jailreader.py, server/jail.py) */
#define DEF_BANTIME  600
#define DEF_FINDTIME 600
#define DEF_MAXRETRY 5

/* The interpolated value into a malloc'd string; NULL when absent (or *err on OOM). */
static char *get(const struct f2b_conf *c, const char *sec, const char *key, struct f2b_origin *o,
                 int *err)
{
	const struct f2b_entry *where = NULL;
	struct buf b;
	char *s;
	int r;

	buf_init(&b, F2B_MAX_VALUE);
	r = f2b_conf_get(c, sec, key, &b, &where);
	if (r == SD_ERR_NOT_FOUND || r == SD_ERR_ALLOC) {
		if (r == SD_ERR_ALLOC)
			*err = r;
		buf_release(&b);
		return NULL;
	}
	if (o && where) {
		o->file = where->file < c->nfiles ? c->files[where->file] : NULL;
		o->line = where->line;
	}
	if ((s = buf_detach(&b)) == NULL)
		*err = SD_ERR_ALLOC;
	return s;
}

static long long seconds_or(const char *s, long long def)
{
	long long v;

	if (!s || f2b_seconds(s, &v) != SD_OK)
		return def;
	return v;
}

int f2b_jail_read(const struct f2b_conf *c, const char *name, struct f2b_jail *j)
{
	int err = SD_OK;
	char *s;

	memset(j, 0, sizeof(*j));
	if ((j->name = strdup(name)) == NULL)
		return SD_ERR_ALLOC;
	j->exists = f2b_conf_has_section(c, name);
	s = get(c, name, "enabled", &j->o_enabled, &err);
	j->enabled = s ? f2b_bool(s) : 0;
	free(s);
	s = get(c, name, "bantime", &j->o_bantime, &err);
	j->bantime = seconds_or(s, DEF_BANTIME);
	free(s);
	s = get(c, name, "findtime", &j->o_findtime, &err);
	j->findtime = seconds_or(s, DEF_FINDTIME);
	free(s);
	s = get(c, name, "maxretry", &j->o_maxretry, &err);
	j->maxretry = s ? strtol(s, NULL, 10) : DEF_MAXRETRY;
	if (j->maxretry <= 0)
		j->maxretry = DEF_MAXRETRY;
	free(s);
	j->ignoreip = get(c, name, "ignoreip", &j->o_ignoreip, &err);
	j->banaction = get(c, name, "banaction", &j->o_banaction, &err);
	j->action = get(c, name, "action", NULL, &err);
	j->logpath = get(c, name, "logpath", NULL, &err);
	j->backend = get(c, name, "backend", NULL, &err);
	j->mode = get(c, name, "mode", NULL, &err);
	s = get(c, name, "bantime.increment", &j->o_increment, &err);
	j->increment = s ? f2b_bool(s) : 0;
	free(s);
	j->factor = get(c, name, "bantime.factor", NULL, &err);
	j->formula = get(c, name, "bantime.formula", NULL, &err);
	j->multipliers = get(c, name, "bantime.multipliers", NULL, &err);
	s = get(c, name, "bantime.maxtime", NULL, &err);
	j->maxtime = s && *s ? seconds_or(s, -1) : -1;
	free(s);
	s = get(c, name, "bantime.rndtime", NULL, &err);
	j->rndtime = s && *s ? seconds_or(s, -1) : -1;
	free(s);
	s = get(c, name, "bantime.overalljails", NULL, &err);
	j->overalljails = s ? f2b_bool(s) : 0;
	free(s);
	if (!err && !j->ignoreip && (j->ignoreip = strdup("")) == NULL)
		err = SD_ERR_ALLOC;
	if (err)
		f2b_jail_release(j);
	return err;
}

void f2b_jail_release(struct f2b_jail *j)
{
	free(j->name);
	free(j->ignoreip);
	free(j->banaction);
	free(j->action);
	free(j->logpath);
	free(j->backend);
	free(j->mode);
	free(j->factor);
	free(j->formula);
	free(j->multipliers);
	memset(j, 0, sizeof(*j));
}

int f2b_server_read(const struct f2b_conf *c, struct f2b_server *out)
{
	int err = SD_OK;
	char *s;

	memset(out, 0, sizeof(*out));
	out->dbfile = get(c, "Definition", "dbfile", &out->o_dbfile, &err);
	out->socket = get(c, "Definition", "socket", NULL, &err);
	out->logtarget = get(c, "Definition", "logtarget", NULL, &err);
	s = get(c, "Definition", "dbpurgeage", NULL, &err);
	out->dbpurgeage = seconds_or(s, 86400);
	free(s);
	if (!err && !out->dbfile && (out->dbfile = strdup(F2B_DEFAULT_DBFILE)) == NULL)
		err = SD_ERR_ALLOC;
	if (!err && !out->socket && (out->socket = strdup(F2B_DEFAULT_SOCKET)) == NULL)
		err = SD_ERR_ALLOC;
	if (!err && !out->logtarget && (out->logtarget = strdup(F2B_DEFAULT_LOG)) == NULL)
		err = SD_ERR_ALLOC;
	if (err)
		f2b_server_release(out);
	return err;
}

void f2b_server_release(struct f2b_server *s)
{
	free(s->dbfile);
	free(s->socket);
	free(s->logtarget);
	memset(s, 0, sizeof(*s));
}

int f2b_ban_active(const struct f2b_ban *b, long long now)
{
	long long end;

	/* the database's numbers are not trusted to stay in range */
	if (b->bantime < 0 || __builtin_add_overflow(b->timeofban, b->bantime, &end))
		return 1;
	return end > now;
}

/* ----------------------------------------------------------------- data JSON */

int f2b_ban_matches(const char *data, char ***lines, size_t *n, long long *failures)
{
	json_t *root, *m, *f;
	json_error_t e;
	char **v = NULL;
	size_t i, k = 0;
	int r = SD_OK;

	*lines = NULL;
	*n = 0;
	*failures = -1;
	if (!data)
		return SD_OK;
	if ((root = json_loads(data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e)) == NULL)
		return SD_OK;
	if (!json_is_object(root))
		goto out;
	if ((f = json_object_get(root, "failures")) && json_is_integer(f))
		*failures = (long long)json_integer_value(f);
	m = json_object_get(root, "matches");
	if (!json_is_array(m) || json_array_size(m) == 0)
		goto out;
	if ((v = calloc(F2B_MAX_MATCHES, sizeof(*v))) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	for (i = 0; i < json_array_size(m) && k < F2B_MAX_MATCHES; i++) {
		json_t *x = json_array_get(m, i);
		struct buf b;

		buf_init(&b, 8192);
		if (json_is_string(x)) {
			if (buf_add(&b, json_string_value(x), json_string_length(x)) ==
			    SD_ERR_ALLOC)
				r = SD_ERR_ALLOC;
		} else if (json_is_array(x)) {
			size_t j;

			for (j = 0; j < json_array_size(x); j++) {
				json_t *y = json_array_get(x, j);

				if (json_is_string(y) &&
				    buf_add(&b, json_string_value(y), json_string_length(y)) ==
				        SD_ERR_ALLOC)
					r = SD_ERR_ALLOC;
			}
		} else {
			buf_release(&b);
			continue;
		}
		if (r || (v[k] = buf_detach(&b)) == NULL) {
			buf_release(&b);
			r = SD_ERR_ALLOC;
			break;
		}
		k++;
	}
	if (r) {
		f2b_matches_free(v, k);
		v = NULL;
		k = 0;
	}
out:
	json_decref(root);
	*lines = v;
	*n = k;
	return r;
}

void f2b_matches_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ----------------------------------------------------------------- ignoreip */

int f2b_ignoreip_match(const char *list, const struct ip_addr *a, char *entry, size_t len,
                       int *names)
{
	const char *p = list;

	*names = 0;
	if (!list || !a || !a->family)
		return 0;
	while (*p) {
		char tok[128];
		size_t n;
		struct ip_addr net;
		char *slash;
		unsigned bits;

		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n' || *p == '\r')
			p++;
		n = strcspn(p, " \t,\n\r");
		if (!n)
			break;
		if (n >= sizeof(tok)) {
			p += n;
			continue;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		slash = strchr(tok, '/');
		if (slash)
			*slash = '\0';
		if (ip_addr_parse(tok, &net) != SD_OK) {
			*names = 1; /* a host name (fail2ban resolves it; we do not) */
			continue;
		}
		bits = net.family == 4 ? 32 : 128;
		if (slash) {
			char *end;
			unsigned long v = strtoul(slash + 1, &end, 10);

			if (*end == '.' || strchr(slash + 1, '.')) {
				/* a dotted netmask: count its bits */
				struct ip_addr m;
				unsigned i, c = 0;

				if (ip_addr_parse(slash + 1, &m) != SD_OK)
					continue;
				for (i = 0; i < 4; i++)
					c += (unsigned)__builtin_popcount(m.bytes[i]);
				v = c;
			} else if (*end || v > bits) {
				continue;
			}
			bits = (unsigned)v;
		}
		if (ip_addr_in_prefix(a, &net, bits)) {
			if (entry && len)
				snprintf(entry, len, "%.*s", (int)n, p - n);
			return 1;
		}
	}
	return 0;
}

/* ----------------------------------------------------------------- bantime.increment */

long long f2b_next_bantime(const struct f2b_jail *j, long long count)
{
	long long t = j->bantime, factor = 1, v;

	if (!j->increment || t <= 0 || count <= 0)
		return t;
	if (j->factor && *j->factor) {
		char *end;

		factor = strtoll(j->factor, &end, 10);
		if (*end || factor <= 0)
			return -2;
	}
	if (j->multipliers && *j->multipliers) {
		long long m[64];
		size_t n = 0;
		const char *p = j->multipliers;

		while (*p && n < 64) {
			char *end;

			while (*p == ' ')
				p++;
			if (!*p)
				break;
			m[n++] = strtoll(p, &end, 10);
			if (end == p)
				return -2;
			p = end;
		}
		if (!n)
			return -2;
		if (__builtin_mul_overflow(t, factor, &v) ||
		    __builtin_mul_overflow(v, m[count < (long long)n ? count : (long long)n - 1],
		                           &v))
			v = LLONG_MAX; /* longer than anything: capped by maxtime below */
		else if (v < 0)
			return -2; /* a negative multiplier */
	} else {
		if (j->formula && *j->formula &&
		    strcmp(j->formula,
		           "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor") != 0)
			return -2;
		if (__builtin_mul_overflow(t, 1LL << (count < 20 ? count : 20), &v) ||
		    __builtin_mul_overflow(v, factor, &v))
			v = LLONG_MAX;
	}
	if (j->maxtime > 0 && v > j->maxtime)
		v = j->maxtime;
	return v;
}

const char *f2b_client_sees(const struct f2b_jail *j)
{
	const char *a = j->action && *j->action ? j->action : j->banaction ? j->banaction : "";

	if (strstr(a, "hostsdeny"))
		return "reset";
	if (strstr(a, "blocktype=DROP") || strstr(a, "blocktype=\"DROP\"") ||
	    strstr(a, "blocktype=drop") || strstr(a, "route") || strstr(a, "blackhole"))
		return "Connection timed out";
	return "Connection refused";
}

/* ----------------------------------------------------------------- client output */

static long field_num(const char *text, size_t len, const char *label)
{
	const char *p = memmem(text, len, label, strlen(label));

	if (!p)
		return -1;
	p += strlen(label);
	while (*p == ':' || *p == ' ' || *p == '\t')
		p++;
	return strtol(p, NULL, 10);
}

int f2b_status_parse(const char *text, size_t len, struct f2b_status *out)
{
	const char *p, *e;
	char *copy;

	memset(out, 0, sizeof(*out));
	if ((copy = strndup(text, len)) == NULL)
		return SD_ERR_ALLOC;
	len = strlen(copy);
	out->valid = strstr(copy, "Status for the jail: ") != NULL;
	out->currently_failed = field_num(copy, len, "Currently failed");
	out->total_failed = field_num(copy, len, "Total failed");
	out->currently_banned = field_num(copy, len, "Currently banned");
	out->total_banned = field_num(copy, len, "Total banned");
	if ((p = strstr(copy, "Banned IP list:")) != NULL) {
		p += 15;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strcspn(p, "\n");
		out->banned = strndup(p, (size_t)(e - p));
	} else {
		out->banned = strdup("");
	}
	free(copy);
	return out->banned ? SD_OK : SD_ERR_ALLOC;
}

void f2b_status_release(struct f2b_status *st)
{
	free(st->banned);
	memset(st, 0, sizeof(*st));
}

int f2b_status_lists(const struct f2b_status *st, const char *ip)
{
	const char *p = st->banned;
	size_t n = strlen(ip);

	while (p && (p = strstr(p, ip)) != NULL) {
		if ((p == st->banned || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' || p[n] == '\r'))
			return 1;
		p += n;
	}
	return 0;
}

int f2b_banip_find(const char *text, size_t len, const char *ip, const struct log_clock *clk,
                   struct f2b_banip *out)
{
	const char *p = text, *end = text + len;
	size_t n = strlen(ip);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *q;
		size_t used;

		if ((size_t)(e - p) > n && memcmp(p, ip, n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
			/* "IP \t2026-11-24 03:50:23 + 600 = 2026-11-24 04:00:23" */
			q = p + n;
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			if (log_time_parse(q, (size_t)(e - q), clk, NULL, &out->start, &used) ==
			    SD_OK) {
				const char *plus = memchr(q, '+', (size_t)(e - q));
				const char *eq = memchr(q, '=', (size_t)(e - q));

				out->bantime = 0;
				if (plus) {
					const char *d = plus + 1;
					int neg = 0;

					while (d < e && *d == ' ')
						d++;
					if (d < e && *d == '-') {
						neg = 1;
						d++;
					}
					while (d < e && *d >= '0' && *d <= '9' &&
					       out->bantime < 100000000000LL)
						out->bantime = out->bantime * 10 + (*d++ - '0');
					if (neg)
						out->bantime = -out->bantime;
				}
				out->end = LOG_TS_NONE;
				if (eq) {
					eq++;
					while (eq < e && *eq == ' ')
						eq++;
					if (log_time_parse(eq, (size_t)(e - eq), clk, NULL,
					                   &out->end, &used) != SD_OK)
						out->end = LOG_TS_NONE;
				}
				return SD_OK;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return SD_ERR_NOT_FOUND;
}
