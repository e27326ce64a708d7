#include "bans/f2b_conf.h"

#include <ctype.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"

/* ----------------------------------------------------------------- sections */

static struct f2b_section *find_section(struct f2b_section *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static struct f2b_entry *find_entry(const struct f2b_section *s, const char *key)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0)
			return &s->e[i];
	return NULL;
}

static struct f2b_section *add_section(struct f2b_section **v, size_t *n, const char *name,
                                       size_t len)
{
	struct f2b_section *nv, *s;

	if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
		return NULL;
	*v = nv;
	s = &nv[*n];
	memset(s, 0, sizeof(*s));
	if ((s->name = strndup(name, len)) == NULL)
		return NULL;
	(*n)++;
	return s;
}

/* Sets key=value in s (replacing), takes ownership of value. */
static int set_entry(struct f2b_section *s, const char *key, size_t klen, char *value,
                     unsigned file, unsigned line)
{
	struct f2b_entry *e;
	char kbuf[256];
	size_t i;

	if (klen >= sizeof(kbuf)) {
		free(value);
		return SD_OK;
	}
	for (i = 0; i < klen; i++)
		kbuf[i] = (char)tolower((unsigned char)key[i]);
	kbuf[klen] = '\0';
	if ((e = find_entry(s, kbuf)) != NULL) {
		free(e->value);
		e->value = value;
		e->file = file;
		e->line = line;
		return SD_OK;
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 8;
		struct f2b_entry *ne = realloc(s->e, na * sizeof(*ne));

		if (!ne) {
			free(value);
			return SD_ERR_ALLOC;
		}
		s->e = ne;
		s->alloc = na;
	}
	e = &s->e[s->n];
	if ((e->key = strdup(kbuf)) == NULL) {
		free(value);
		return SD_ERR_ALLOC;
	}
	e->value = value;
	e->file = file;
	e->line = line;
	s->n++;
	return SD_OK;
}

static void section_free(struct f2b_section *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->e[i].key);
		free(s->e[i].value);
	}
	free(s->e);
	free(s->name);
}

/* ----------------------------------------------------------------- parsing one file */

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The value without its inline comment (" ;…") and trailing blanks. */
static size_t value_len(const char *p, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (p[i] == ';' && blank(p[i - 1])) {
			n = i;
			break;
		}
	if (n == 1 && p[0] == ';')
		n = 0;
	while (n && blank(p[n - 1]))
		n--;
	return n;
}

int f2b_ini_parse(const char *text, size_t len, struct f2b_ini *out)
{
	const char *p = text, *end = text + len;
	struct f2b_section *cur = NULL;
	struct buf val;
	const char *key = NULL;
	size_t klen = 0;
	unsigned lineno = 0, keyline = 0;
	int r = SD_OK;

	memset(out, 0, sizeof(*out));
	buf_init(&val, F2B_MAX_VALUE);
#define FLUSH()                                                                                    \
	do {                                                                                       \
		if (key && cur) {                                                                  \
			while (val.len && val.data[val.len - 1] == '\n')                           \
				val.data[--val.len] = '\0';                                        \
			char *v_ = buf_detach(&val);                                               \
			if (!v_ || (r = set_entry(cur, key, klen, v_, 0, keyline))) {              \
				r = r ? r : SD_ERR_ALLOC;                                          \
				goto out;                                                          \
			}                                                                          \
		}                                                                                  \
		buf_reset(&val);                                                                   \
		key = NULL;                                                                        \
	} while (0)
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *q;
		size_t n;

		lineno++;
		/* continuation: an indented line while a key is open (blank lines too) */
		if (key && p < e && blank(*p)) {
			for (q = p; q < e && blank(*q); q++)
				;
			if (q < e && *q != '#' && *q != ';') {
				n = value_len(q, (size_t)(e - q));
				if (buf_addch(&val, '\n') || buf_add(&val, q, n))
					r = SD_ERR_TOO_LONG;
				if (r)
					goto out;
			}
			p = nl ? nl + 1 : end;
			continue;
		}
		for (q = p; q < e && blank(*q); q++)
			;
		if (q == e) {
			/* an empty line inside a value is kept (empty_lines_in_values) */
			if (key && buf_addch(&val, '\n')) {
				r = SD_ERR_TOO_LONG;
				goto out;
			}
			p = nl ? nl + 1 : end;
			continue;
		}
		if (*q == '#' || *q == ';') {
			p = nl ? nl + 1 : end;
			continue;
		}
		FLUSH();
		if (*q == '[') {
			const char *c = memchr(q, ']', (size_t)(e - q));

			if (!c) {
				out->bad_lines++;
			} else {
				{
					char name[256];
					size_t nl2 = (size_t)(c - q - 1);

					if (nl2 >= sizeof(name))
						nl2 = sizeof(name) - 1;
					memcpy(name, q + 1, nl2);
					name[nl2] = '\0';
					cur = find_section(out->sec, out->nsec, name);
					if (!cur && !(cur = add_section(&out->sec, &out->nsec, name,
					                                nl2))) {
						r = SD_ERR_ALLOC;
						goto out;
					}
				}
			}
			p = nl ? nl + 1 : end;
			continue;
		}
		/* key = value / key: value (the first delimiter wins) */
		{
			const char *d = q;

			while (d < e && *d != '=' && *d != ':')
				d++;
			if (d == e || !cur) {
				out->bad_lines++;
				p = nl ? nl + 1 : end;
				continue;
			}
			key = q;
			klen = (size_t)(d - q);
			while (klen && blank(key[klen - 1]))
				klen--;
			if (!klen) {
				key = NULL;
				out->bad_lines++;
				p = nl ? nl + 1 : end;
				continue;
			}
			keyline = lineno;
			for (q = d + 1; q < e && blank(*q); q++)
				;
			n = value_len(q, (size_t)(e - q));
			if (buf_add(&val, q, n)) {
				r = SD_ERR_TOO_LONG;
				goto out;
			}
		}
		p = nl ? nl + 1 : end;
	}
	FLUSH();
#undef FLUSH
out:
	buf_release(&val);
	if (r)
		f2b_ini_release(out);
	return r;
}

void f2b_ini_release(struct f2b_ini *ini)
{
	size_t i;

	for (i = 0; i < ini->nsec; i++)
		section_free(&ini->sec[i]);
	free(ini->sec);
	memset(ini, 0, sizeof(*ini));
}

const char *f2b_ini_get(const struct f2b_ini *ini, const char *section, const char *key)
{
	const struct f2b_entry *e = find_entry(find_section(ini->sec, ini->nsec, section), key);

	return e ? e->value : NULL;
}

/* ----------------------------------------------------------------- merging */

void f2b_conf_init(struct f2b_conf *c)
{
	memset(c, 0, sizeof(*c));
}

void f2b_conf_release(struct f2b_conf *c)
{
	size_t i;

	for (i = 0; i < c->nsec; i++)
		section_free(&c->sec[i]);
	free(c->sec);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	memset(c, 0, sizeof(*c));
}

int f2b_conf_has_section(const struct f2b_conf *c, const char *section)
{
	return find_section(c->sec, c->nsec, section) != NULL;
}

static int copy_entry(struct f2b_section *dst, const struct f2b_entry *e, unsigned file,
                      unsigned line)
{
	char *v = strdup(e->value);

	if (!v)
		return SD_ERR_ALLOC;
	return set_entry(dst, e->key, strlen(e->key), v, file, line);
}

int f2b_conf_add(struct f2b_conf *c, const char *path, const struct f2b_ini *ini)
{
	unsigned file;
	size_t i, j;
	int r;

	if (c->nfiles >= F2B_MAX_FILES)
		return SD_ERR_TOO_LONG;
	if ((c->files[c->nfiles] = strdup(path)) == NULL)
		return SD_ERR_ALLOC;
	file = (unsigned)c->nfiles++;
	c->bad_lines += ini->bad_lines;
	if (!find_section(c->sec, c->nsec, "DEFAULT") &&
	    !add_section(&c->sec, &c->nsec, "DEFAULT", 7))
		return SD_ERR_ALLOC;
	for (i = 0; i < ini->nsec; i++) {
		const struct f2b_section *s = &ini->sec[i];
		struct f2b_section *dst = find_section(c->sec, c->nsec, s->name);

		if (strcmp(s->name, "INCLUDES") == 0)
			continue;
		if (dst && strcmp(s->name, "DEFAULT") != 0) {
			/* keep the values about to be overridden as KNOWN/<section> */
			char kname[300];
			struct f2b_section *known;

			if (strlen(s->name) + 7 >= sizeof(kname))
				continue;
			memcpy(kname, "KNOWN/", 6);
			strcpy(kname + 6, s->name);
			dst = NULL;
			known = find_section(c->sec, c->nsec, kname);
			if (!known &&
			    !(known = add_section(&c->sec, &c->nsec, kname, strlen(kname))))
				return SD_ERR_ALLOC;
			dst =
			    find_section(c->sec, c->nsec, s->name); /* realloc may have moved it */
			for (j = 0; j < s->n; j++) {
				const struct f2b_entry *old = find_entry(dst, s->e[j].key);

				if (old && (r = copy_entry(known, old, old->file, old->line)))
					return r;
			}
		}
		if (!dst && !(dst = add_section(&c->sec, &c->nsec, s->name, strlen(s->name))))
			return SD_ERR_ALLOC;
		for (j = 0; j < s->n; j++)
			if ((r = copy_entry(dst, &s->e[j], file, s->e[j].line)))
				return r;
	}
	return SD_OK;
}

/* ----------------------------------------------------------------- interpolation */

static const struct f2b_entry *lookup(const struct f2b_conf *c, const char *section,
                                      const char *key)
{
	const struct f2b_entry *e = find_entry(find_section(c->sec, c->nsec, section), key);

	if (!e)
		e = find_entry(find_section(c->sec, c->nsec, "DEFAULT"), key);
	return e;
}

/* The raw value of a %(name)s reference made in `section`, or NULL. */
static const char *reference(const struct f2b_conf *c, const char *section, const char *name,
                             const char **ref_section)
{
	const struct f2b_entry *e;
	const char *slash = strchr(name, '/');

	*ref_section = section;
	if (strcmp(name, "__name__") == 0)
		return section;
	if (!slash) {
		e = lookup(c, section, name);
		return e ? e->value : NULL;
	}
	{
		char sec[256];
		size_t sl = (size_t)(slash - name);
		const char *opt = slash + 1;

		if (sl >= sizeof(sec) - 7)
			return NULL;
		memcpy(sec, name, sl);
		sec[sl] = '\0';
		if (strcasecmp(sec, "known") == 0) {
			char kname[300];

			memcpy(kname, "KNOWN/", 6);
			snprintf(kname + 6, sizeof(kname) - 6, "%s", section);
			e = find_entry(find_section(c->sec, c->nsec, kname), opt);
		} else if (strcasecmp(sec, "default") == 0) {
			e = NULL;
		} else {
			e = find_entry(find_section(c->sec, c->nsec, sec), opt);
			if (e)
				*ref_section = find_section(c->sec, c->nsec, sec)->name;
		}
		if (!e)
			e = find_entry(find_section(c->sec, c->nsec, "DEFAULT"), opt);
		return e ? e->value : NULL;
	}
}

static int interpolate(const struct f2b_conf *c, const char *section, const char *raw,
                       struct buf *out, int depth)
{
	const char *p = raw;
	int r, bad = 0;

	if (depth > F2B_MAX_DEPTH)
		return SD_ERR_INVALID;
	while (*p) {
		const char *pc = strchr(p, '%'), *close, *v, *refsec;
		char name[256];
		size_t n;

		if (!pc)
			return buf_adds(out, p) ? SD_ERR_ALLOC : (bad ? SD_ERR_INVALID : SD_OK);
		if (buf_add(out, p, (size_t)(pc - p)))
			return SD_ERR_ALLOC;
		if (pc[1] == '%') {
			if (buf_addch(out, '%'))
				return SD_ERR_ALLOC;
			p = pc + 2;
			continue;
		}
		if (pc[1] != '(' || !(close = strchr(pc + 2, ')')) || close[1] != 's' ||
		    (n = (size_t)(close - pc - 2)) >= sizeof(name)) {
			/* Python would refuse the value; keep the text */
			if (buf_addch(out, '%'))
				return SD_ERR_ALLOC;
			bad = 1;
			p = pc + 1;
			continue;
		}
		{
			size_t i;

			for (i = 0; i < n; i++)
				name[i] = (char)tolower((unsigned char)pc[2 + i]);
			name[n] = '\0';
		}
		v = reference(c, section, name, &refsec);
		if (!v) {
			if (buf_add(out, pc, (size_t)(close + 2 - pc)))
				return SD_ERR_ALLOC;
			bad = 1;
		} else {
			/* a %(known/x)s or %(sec/x)s value is interpolated in the asking section */
			r = interpolate(c, section, v, out, depth + 1);
			if (r == SD_ERR_ALLOC)
				return r;
			if (r)
				bad = 1;
			(void)refsec;
		}
		p = close + 2;
	}
	return bad ? SD_ERR_INVALID : SD_OK;
}

int f2b_conf_get(const struct f2b_conf *c, const char *section, const char *key, struct buf *out,
                 const struct f2b_entry **where)
{
	const struct f2b_entry *e = lookup(c, section, key);
	struct buf tmp;
	int r;

	if (where)
		*where = e;
	if (!e)
		return SD_ERR_NOT_FOUND;
	buf_init(&tmp, F2B_MAX_VALUE);
	r = interpolate(c, section, e->value, &tmp, 0);
	if (r == SD_OK || r == SD_ERR_INVALID) {
		if (buf_add(out, tmp.data, tmp.len))
			r = SD_ERR_ALLOC;
	} else if (r == SD_ERR_TOO_LONG) {
		r = SD_ERR_INVALID;
	}
	buf_release(&tmp);
	return r;
}

int f2b_bool(const char *s)
{
	while (*s == ' ')
		s++;
	return strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	       strcasecmp(s, "on") == 0 || strcmp(s, "1") == 0;
}

/* ----------------------------------------------------------------- durations */

static long long unit(const char *p, size_t n)
{
	static const struct {
		const char *name;
		long long secs;
	} units[] = {
	    {"s", 1},          {"ss", 1},          {"se", 1},
	    {"sec", 1},        {"second", 1},      {"seconds", 1},
	    {"m", 60},         {"mm", 60},         {"mi", 60},
	    {"min", 60},       {"minute", 60},     {"minutes", 60},
	    {"h", 3600},       {"hh", 3600},       {"ho", 3600},
	    {"hou", 3600},     {"hour", 3600},     {"hours", 3600},
	    {"d", 86400},      {"dd", 86400},      {"da", 86400},
	    {"day", 86400},    {"days", 86400},    {"w", 604800},
	    {"ww", 604800},    {"we", 604800},     {"wee", 604800},
	    {"week", 604800},  {"weeks", 604800},  {"mo", 2629800},
	    {"mon", 2629800},  {"month", 2629800}, {"months", 2629800},
	    {"y", 31557600},   {"yy", 31557600},   {"ye", 31557600},
	    {"yea", 31557600}, {"year", 31557600}, {"years", 31557600},
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n && strncasecmp(units[i].name, p, n) == 0)
			return units[i].secs;
	return -1;
}

int f2b_seconds(const char *s, long long *ret)
{
	long long total = 0;
	int sign = 1, any = 0;

	while (*s) {
		long long v = 0, mul = 1;
		const char *u;
		int nd = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '+' || *s == '-') {
			sign = *s == '-' ? -1 : 1;
			s++;
			while (*s == ' ')
				s++;
		}
		while (*s >= '0' && *s <= '9') {
			if (v > 1000000000000LL)
				return SD_ERR_INVALID;
			v = v * 10 + (*s++ - '0');
			nd++;
		}
		if (!nd)
			return SD_ERR_INVALID;
		if (*s == '.') /* fractions are truncated */
			while (*++s >= '0' && *s <= '9')
				;
		while (*s == ' ')
			s++;
		u = s;
		while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			s++;
		if (s > u && (mul = unit(u, (size_t)(s - u))) < 0)
			return SD_ERR_INVALID;
		/* "999999999999y" does not fit: longer than any ban, as fail2ban's own Python
		 * integers would make it */
		if (__builtin_mul_overflow(v, mul, &v) ||
		    __builtin_add_overflow(total, sign * v, &total))
			total = sign < 0 ? LLONG_MIN : LLONG_MAX;
		sign = 1;
		any = 1;
	}
	if (!any)
		return SD_ERR_INVALID;
	*ret = total;
	return SD_OK;
}
