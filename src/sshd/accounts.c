#include "sshd/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* The n-th ':' field of a line (0-based); its length in *len, NULL if missing. */
static const char *field(const char *line, size_t linelen, int n, size_t *len)
{
	const char *p = line, *end = line + linelen, *c;

	while (n-- > 0) {
		if ((c = memchr(p, ':', (size_t)(end - p))) == NULL)
			return NULL;
		p = c + 1;
	}
	c = memchr(p, ':', (size_t)(end - p));
	*len = c ? (size_t)(c - p) : (size_t)(end - p);
	return p;
}

static int eq(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(s, z, n) == 0;
}

/* Calls fn for every line; stops when fn returns non-zero. */
static int lines(const char *data, size_t len, int (*fn)(void *, const char *, size_t), void *ctx)
{
	const char *p = data, *end = data + len, *nl;
	int r;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if ((r = fn(ctx, p, nl ? (size_t)(nl - p) : (size_t)(end - p))) != 0)
			return r;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

struct lookup {
	const char *user;
	int exists;
	char gid[16];
	char **v;
	size_t n;
	int oom;
};

static int passwd_line(void *ctx, const char *line, size_t len)
{
	struct lookup *l = ctx;
	const char *name, *gid;
	size_t nl, gl;

	if ((name = field(line, len, 0, &nl)) == NULL || !eq(name, nl, l->user))
		return 0;
	if ((gid = field(line, len, 3, &gl)) == NULL || gl == 0 || gl >= sizeof(l->gid))
		return 0;
	memcpy(l->gid, gid, gl);
	l->gid[gl] = '\0';
	l->exists = 1;
	return 1; /* first entry wins */
}

static int member(const char *list, size_t len, const char *user)
{
	const char *p = list, *end = list + len, *c;

	while (p < end) {
		c = memchr(p, ',', (size_t)(end - p));
		if (eq(p, c ? (size_t)(c - p) : (size_t)(end - p), user))
			return 1;
		p = c ? c + 1 : end;
	}
	return 0;
}

static int group_line(void *ctx, const char *line, size_t len)
{
	struct lookup *l = ctx;
	const char *name, *gid, *mem;
	size_t nl, gl, ml, i;
	char **nv;

	if ((name = field(line, len, 0, &nl)) == NULL || nl == 0 || line[0] == '#')
		return 0;
	if ((gid = field(line, len, 2, &gl)) == NULL)
		return 0;
	mem = field(line, len, 3, &ml);
	if (!eq(gid, gl, l->gid) && !(mem && member(mem, ml, l->user)))
		return 0;
	for (i = 0; i < l->n; i++)
		if (eq(name, nl, l->v[i]))
			return 0;
	if ((nv = realloc(l->v, (l->n + 1) * sizeof(*nv))) == NULL ||
	    (nv[l->n] = strndup(name, nl)) == NULL) {
		if (nv)
			l->v = nv;
		l->oom = 1;
		return 1;
	}
	l->v = nv;
	l->n++;
	return 0;
}

void sshd_groups_free(char **groups, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(groups[i]);
	free(groups);
}

int sshd_user_groups(const char *passwd, size_t plen, const char *group, size_t glen,
                     const char *user, int *exists, char ***groups, size_t *ngroups)
{
	struct lookup l;

	memset(&l, 0, sizeof(l));
	l.user = user;
	*exists = 0;
	*groups = NULL;
	*ngroups = 0;
	lines(passwd, plen, passwd_line, &l);
	if (!l.exists)
		return SD_OK;
	lines(group, glen, group_line, &l);
	if (l.oom) {
		sshd_groups_free(l.v, l.n);
		return SD_ERR_ALLOC;
	}
	*exists = 1;
	*groups = l.v;
	*ngroups = l.n;
	return SD_OK;
}
