#include "sshd/render.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "sshd/dump.h"

static const char *level_name(enum sshd_diag_level l)
{
	switch (l) {
	case SSHD_DIAG_FATAL:
		return "fatal";
	case SSHD_DIAG_ERROR:
		return "error";
	case SSHD_DIAG_INFO:
		break;
	}
	return "info";
}

static int is_default(const struct sshd_origin *o)
{
	return o->file == NULL;
}

/* ------------------------------------------------------------------ text */

struct tctx {
	struct buf *out;
	int all;
	int r;
};

static int text_line(void *ctx, enum sshd_kw kw, const char *value, const struct sshd_origin *o,
                     int modelled)
{
	struct tctx *t = ctx;
	char left[600];
	int r;

	if (!t->all && is_default(o))
		return 0;
	snprintf(left, sizeof(left), "%s %s", sshd_kw_name(kw), value);
	if (is_default(o))
		r = buf_addf(t->out, "%-48s # default%s\n", left, modelled ? "" : " (compiled in)");
	else if (o->file == SSHD_ORIGIN_CMDLINE)
		r = buf_addf(t->out, "%-48s # sshd command line\n", left);
	else if (o->match_file)
		r = buf_addf(t->out, "%-48s # %s:%u (Match at %s:%u)\n", left, o->file, o->line,
		             o->match_file, o->match_line);
	else
		r = buf_addf(t->out, "%-48s # %s:%u\n", left, o->file, o->line);
	return r;
}

static int add_diags(struct buf *out, const struct sshd_diags *d)
{
	size_t i;
	int r = 0;

	for (i = 0; i < d->n && r == 0; i++) {
		if (d->v[i].file && d->v[i].line)
			r = buf_addf(out, "# %s: %s:%u: %s\n", level_name(d->v[i].level),
			             d->v[i].file, d->v[i].line, d->v[i].msg);
		else if (d->v[i].file)
			r = buf_addf(out, "# %s: %s: %s\n", level_name(d->v[i].level), d->v[i].file,
			             d->v[i].msg);
		else
			r = buf_addf(out, "# %s: %s\n", level_name(d->v[i].level), d->v[i].msg);
	}
	return r;
}

int sshd_render_text(const struct sshd_config *c, const struct sshd_effective *e,
                     const struct sshd_render_info *info, struct buf *out)
{
	struct tctx t = {out, info->all, 0};
	size_t i, len;
	const char *text;
	int r;

	if ((r = buf_addf(out, "# sshd: %s\n", info->source ? info->source : "?")) != 0)
		return r;
	if ((r = buf_addf(out, "# version: %s%s\n", info->version ? info->version : "unknown",
	                  info->version ? "" : " (rules of OpenSSH 10.0 assumed)")) != 0)
		return r;
	if ((r = buf_addf(out, "# connection: user=%s addr=%s laddr=%s lport=%d\n",
	                  info->user ? info->user : "(none)",
	                  info->client ? info->client : "(none)",
	                  info->laddr ? info->laddr : "(none)", info->lport)) != 0)
		return r;
	for (i = 0; i < e->nmatched; i++) {
		text = sshd_config_line(c, e->matched[i].file, e->matched[i].line, &len);
		if ((r = buf_addf(out, "# applies: %s:%u %.*s\n", e->matched[i].file,
		                  e->matched[i].line, text ? (int)(len > 200 ? 200 : len) : 0,
		                  text ? text : "")) != 0)
			return r;
	}
	if (!info->all && (r = buf_adds(out, "# (values left at their defaults are not shown; "
	                                     "--all shows them)\n")) != 0)
		return r;
	if ((r = sshd_dump(&e->opts, sshd_config_version(c), sshd_config_debian(c), text_line,
	                   &t)) != 0)
		return r;
	if ((r = add_diags(out, sshd_config_diags(c))) != 0)
		return r;
	return add_diags(out, &e->diags);
}

/* ------------------------------------------------------------------ JSON */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *origin_json(const struct sshd_origin *o)
{
	json_t *j = json_object();

	if (o->file == NULL) {
		json_object_set_new(j, "source", json_string("default"));
		json_object_set_new(j, "line", json_null());
	} else {
		json_object_set_new(j, "source", json_string(o->file));
		json_object_set_new(j, "line", o->line ? json_integer(o->line) : json_null());
	}
	if (o->match_file) {
		json_t *m = json_object();

		json_object_set_new(m, "source", json_string(o->match_file));
		json_object_set_new(m, "line", json_integer(o->match_line));
		json_object_set_new(j, "match", m);
	} else {
		json_object_set_new(j, "match", json_null());
	}
	return j;
}

static int json_line(void *ctx, enum sshd_kw kw, const char *value, const struct sshd_origin *o,
                     int modelled)
{
	json_t *arr = ctx, *j = json_object();

	if (j == NULL)
		return SD_ERR_ALLOC;
	json_object_set_new(j, "keyword", json_string(sshd_kw_name(kw)));
	json_object_set_new(j, "value", json_string(value));
	json_object_set_new(j, "default", json_boolean(is_default(o)));
	json_object_set_new(j, "modelled", json_boolean(modelled));
	json_object_set_new(j, "origin", origin_json(o));
	return json_array_append_new(arr, j) == 0 ? 0 : SD_ERR_ALLOC;
}

static json_t *diags_json(const struct sshd_config *c, const struct sshd_effective *e)
{
	const struct sshd_diags *sets[2] = {sshd_config_diags(c), &e->diags};
	json_t *a = json_array();
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < sets[k]->n; i++) {
			json_t *j = json_object();

			json_object_set_new(j, "level",
			                    json_string(level_name(sets[k]->v[i].level)));
			json_object_set_new(j, "source", jstr(sets[k]->v[i].file));
			json_object_set_new(j, "line",
			                    sets[k]->v[i].line ? json_integer(sets[k]->v[i].line)
			                                       : json_null());
			json_object_set_new(j, "message", json_string(sets[k]->v[i].msg));
			json_object_set_new(j, "pass", json_string(k ? "connection" : "startup"));
			json_array_append_new(a, j);
		}
	return a;
}

char *sshd_render_json(const struct sshd_config *c, const struct sshd_effective *e,
                       const struct sshd_render_info *info)
{
	json_t *root = json_object(), *opts = json_array(), *conn = json_object(),
	       *matched = json_array(), *files = json_array();
	size_t i, len;
	const char *text;
	char *s = NULL, tmp[256];

	if (!root || !opts || !conn || !matched || !files)
		goto out;
	json_object_set_new(root, "source", jstr(info->source));
	json_object_set_new(root, "binary", jstr(info->binary));
	json_object_set_new(root, "version", jstr(info->version));
	snprintf(tmp, sizeof(tmp), "%d.%d", sshd_config_version(c) / 100,
	         sshd_config_version(c) % 100);
	json_object_set_new(root, "rules", json_string(tmp));
	json_object_set_new(conn, "user", jstr(info->user));
	json_object_set_new(conn, "addr", jstr(info->client));
	json_object_set_new(conn, "laddr", jstr(info->laddr));
	json_object_set_new(conn, "lport", json_integer(info->lport));
	json_object_set_new(root, "connection", conn);
	conn = NULL;
	for (i = 0; i < sshd_config_nfiles(c); i++)
		json_array_append_new(files, json_string(sshd_config_file(c, i)));
	json_object_set_new(root, "files", files);
	files = NULL;
	for (i = 0; i < e->nmatched; i++) {
		json_t *m = json_object();

		text = sshd_config_line(c, e->matched[i].file, e->matched[i].line, &len);
		json_object_set_new(m, "source", json_string(e->matched[i].file));
		json_object_set_new(m, "line", json_integer(e->matched[i].line));
		json_object_set_new(m, "text", text ? json_stringn(text, len) : json_null());
		json_array_append_new(matched, m);
	}
	json_object_set_new(root, "matched", matched);
	matched = NULL;
	if (sshd_dump(&e->opts, sshd_config_version(c), sshd_config_debian(c), json_line, opts) !=
	    0)
		goto out;
	json_object_set_new(root, "options", opts);
	opts = NULL;
	json_object_set_new(root, "problems", diags_json(c, e));
	json_object_set_new(root, "valid",
	                    json_boolean(!sshd_config_diags(c)->fatal && !e->diags.fatal));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(opts);
	json_decref(conn);
	json_decref(matched);
	json_decref(files);
	json_decref(root);
	return s;
}
