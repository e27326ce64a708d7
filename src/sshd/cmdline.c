#include "sshd/cmdline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

/* sshd's getopt string (9.x and 10.x): options that take an argument. */
static const char with_arg[] = "CEbcfghkopu";
static const char without_arg[] = "46DGQRTdeiqrtV";

static int add_cmd(struct sshd_cmdline *c, enum sshd_cmd_kind kind, const char *arg)
{
	struct sshd_cmd *v;
	char *a = NULL;

	if (arg && (a = strdup(arg)) == NULL)
		return SD_ERR_ALLOC;
	if ((v = realloc(c->cmds, (c->ncmds + 1) * sizeof(*v))) == NULL) {
		free(a);
		return SD_ERR_ALLOC;
	}
	c->cmds = v;
	v[c->ncmds].kind = kind;
	v[c->ncmds].arg = a;
	c->ncmds++;
	return SD_OK;
}

void sshd_cmdline_release(struct sshd_cmdline *c)
{
	size_t i;

	for (i = 0; i < c->ncmds; i++)
		free((char *)c->cmds[i].arg);
	free(c->cmds);
	free(c->config_file);
	memset(c, 0, sizeof(*c));
}

static int option(struct sshd_cmdline *c, char opt, const char *arg)
{
	switch (opt) {
	case 'f':
		free(c->config_file);
		return (c->config_file = strdup(arg)) ? SD_OK : SD_ERR_ALLOC;
	case 'o':
		return add_cmd(c, SSHD_CMD_OPTION, arg);
	case 'p':
		return add_cmd(c, SSHD_CMD_PORT, arg);
	case 'h':
		return add_cmd(c, SSHD_CMD_HOSTKEY, arg);
	case 'c':
		return add_cmd(c, SSHD_CMD_HOSTCERT, arg);
	case 'g':
		return add_cmd(c, SSHD_CMD_GRACE, arg);
	case '4':
		return add_cmd(c, SSHD_CMD_INET, NULL);
	case '6':
		return add_cmd(c, SSHD_CMD_INET6, NULL);
	case 'q':
		return add_cmd(c, SSHD_CMD_QUIET, NULL);
	case 'd':
		return add_cmd(c, SSHD_CMD_DEBUG, NULL);
	case 'i':
		c->inetd = 1;
		return SD_OK;
	}
	return SD_OK;
}

int sshd_cmdline_parse(int argc, char *const *argv, struct sshd_cmdline *out)
{
	int i, r;
	const char *p;

	memset(out, 0, sizeof(*out));
	for (i = 1; i < argc; i++) {
		p = argv[i];
		if (p == NULL || p[0] != '-' || p[1] == '\0')
			break;
		if (strcmp(p, "--") == 0)
			break;
		for (p++; *p; p++) {
			if (strchr(with_arg, *p)) {
				const char *arg = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);

				if (arg && (r = option(out, *p, arg)) != 0) {
					sshd_cmdline_release(out);
					return r;
				}
				break;
			}
			if (strchr(without_arg, *p) && (r = option(out, *p, NULL)) != 0) {
				sshd_cmdline_release(out);
				return r;
			}
		}
	}
	return SD_OK;
}

void sshd_cmdline_split_free(char **argv, int argc)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int sshd_cmdline_split(const char *line, char ***argvp, int *argcp)
{
	char **v = NULL, **nv;
	int n = 0;
	const char *p = line, *s;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (s = p; *p && *p != ' ' && *p != '\t'; p++)
			;
		if ((nv = realloc(v, (size_t)(n + 2) * sizeof(*nv))) == NULL)
			goto oom;
		v = nv;
		if ((v[n] = strndup(s, (size_t)(p - s))) == NULL)
			goto oom;
		v[++n] = NULL;
	}
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return SD_ERR_ALLOC;
	*argvp = v;
	*argcp = n;
	return SD_OK;
oom:
	sshd_cmdline_split_free(v, n);
	return SD_ERR_ALLOC;
}

/* ------------------------------------------------------------------ systemd */

/* The value of "Key=" on a unit line (section-less, good enough for [Service] keys). */
static const char *unit_value(const char *line, size_t len, const char *key, size_t *vlen)
{
	size_t k = strlen(key);

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len <= k || strncmp(line, key, k) != 0)
		return NULL;
	line += k;
	len -= k;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len == 0 || *line != '=')
		return NULL;
	line++;
	len--;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	*vlen = len;
	return line;
}

/* Calls fn for every "key=value" of all unit texts, in order. */
static int each_value(const char *const *units, size_t n, const char *key,
                      int (*fn)(void *ctx, const char *v, size_t len), void *ctx)
{
	const char *p, *nl, *v;
	size_t i, vl;
	int r;

	for (i = 0; i < n; i++) {
		for (p = units[i]; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			if ((v = unit_value(p, nl ? (size_t)(nl - p) : strlen(p), key, &vl)) !=
			        NULL &&
			    (r = fn(ctx, v, vl)) != 0)
				return r;
			if (!nl)
				break;
		}
	}
	return SD_OK;
}

static int keep_last(void *ctx, const char *v, size_t len)
{
	char **last = ctx, *d;

	if ((d = strndup(v, len)) == NULL)
		return SD_ERR_ALLOC;
	free(*last);
	*last = d;
	return SD_OK;
}

/* Looks VAR up in "VAR=value" lines (later ones win); quotes stripped. */
static int env_lookup(const char *const *envs, size_t nenvs, const char *name, size_t nlen,
                      struct buf *out)
{
	const char *p, *nl, *v, *best = NULL;
	size_t i, best_len = 0, vl;

	for (i = 0; i < nenvs; i++) {
		for (p = envs[i]; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			vl = nl ? (size_t)(nl - p) : strlen(p);
			while (vl > 0 && (*p == ' ' || *p == '\t')) {
				p++;
				vl--;
			}
			if (vl > 7 && strncmp(p, "export ", 7) == 0) {
				p += 7;
				vl -= 7;
			}
			if (vl > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
				v = p + nlen + 1;
				best = v;
				best_len = vl - nlen - 1;
			}
			if (!nl)
				break;
		}
	}
	if (best == NULL)
		return SD_OK;
	while (best_len > 0 && (best[best_len - 1] == '\r' || best[best_len - 1] == ' '))
		best_len--;
	if (best_len >= 2 && (best[0] == '"' || best[0] == '\'') && best[best_len - 1] == best[0]) {
		best++;
		best_len -= 2;
	}
	return buf_add(out, best, best_len);
}

int sshd_unit_execstart(const char *const *units, size_t nunits, const char *const *envs,
                        size_t nenvs, char **out)
{
	char *last = NULL, *p;
	struct buf b;
	size_t nlen;
	int r;

	*out = NULL;
	if ((r = each_value(units, nunits, "ExecStart", keep_last, &last)) != 0) {
		free(last);
		return r;
	}
	if (last == NULL || *last == '\0') {
		free(last);
		return SD_ERR_NOT_FOUND;
	}
	buf_init(&b, 65536);
	p = last;
	while (*p && strchr("-@:+!", *p))
		p++;
	for (r = 0; *p && r == 0; p++) {
		if (*p != '$') {
			r = buf_addch(&b, *p);
			continue;
		}
		if (p[1] == '{' && strchr(p, '}')) {
			nlen = (size_t)(strchr(p, '}') - (p + 2));
			r = env_lookup(envs, nenvs, p + 2, nlen, &b);
			p += nlen + 2;
			continue;
		}
		for (nlen = 0; isalnum((unsigned char)p[1 + nlen]) || p[1 + nlen] == '_'; nlen++)
			;
		if (nlen == 0) {
			r = buf_addch(&b, '$');
			continue;
		}
		r = env_lookup(envs, nenvs, p + 1, nlen, &b);
		p += nlen;
	}
	free(last);
	if (r != 0) {
		buf_release(&b);
		return r;
	}
	*out = buf_detach(&b);
	return *out ? SD_OK : SD_ERR_ALLOC;
}

struct pathlist {
	char **v;
	size_t n;
};

static int add_path(void *ctx, const char *v, size_t len)
{
	struct pathlist *pl = ctx;
	char **nv;

	if (len > 0 && *v == '-') {
		v++;
		len--;
	}
	if (len == 0)
		return SD_OK;
	if ((nv = realloc(pl->v, (pl->n + 1) * sizeof(*nv))) == NULL)
		return SD_ERR_ALLOC;
	pl->v = nv;
	if ((nv[pl->n] = strndup(v, len)) == NULL)
		return SD_ERR_ALLOC;
	pl->n++;
	return SD_OK;
}

int sshd_unit_envfiles(const char *const *units, size_t nunits, char ***paths, size_t *npaths)
{
	struct pathlist pl = {NULL, 0};
	size_t i;
	int r;

	if ((r = each_value(units, nunits, "EnvironmentFile", add_path, &pl)) != 0) {
		for (i = 0; i < pl.n; i++)
			free(pl.v[i]);
		free(pl.v);
		return r;
	}
	*paths = pl.v;
	*npaths = pl.n;
	return SD_OK;
}
