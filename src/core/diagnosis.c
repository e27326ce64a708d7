#include "core/diagnosis.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

#define TEXT_MAX (64 * 1024)

static char *vformat(const char *fmt, va_list ap)
{
	struct buf b;

	buf_init(&b, TEXT_MAX);
	if (buf_vaddf(&b, fmt, ap) != 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int diagnosis_init(struct diagnosis *d, const char *client, unsigned port, const char *user)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->port = port;
	d->deciding = -1;
	d->verdict = VERDICT_INCONCLUSIVE;
	for (i = 0; i < LAYER__COUNT; i++)
		d->layers[i].status = LAYER_NOT_IMPLEMENTED;
	if ((client && (d->client = strdup(client)) == NULL) ||
	    (user && (d->user = strdup(user)) == NULL)) {
		diagnosis_release(d);
		return SD_ERR_ALLOC;
	}
	return SD_OK;
}

static void finding_free(struct finding *f)
{
	size_t i;

	if (!f)
		return;
	free(f->summary);
	free(f->client_sees);
	for (i = 0; i < f->nevidence; i++) {
		free(f->evidence[i].source);
		free(f->evidence[i].text);
	}
	free(f->evidence);
	for (i = 0; i < f->nfix; i++)
		free(f->fix[i]);
	free(f->fix);
	free(f);
}

static void blocked_row_free(struct blocked_row *b)
{
	free(b->who);
	free(b->by);
	free(b->until);
	free(b->where.source);
	free(b->where.text);
	free(b->fix);
}

void diagnosis_release(struct diagnosis *d)
{
	size_t i;

	free(d->client);
	free(d->user);
	for (i = 0; i < LAYER__COUNT; i++)
		free(d->layers[i].note);
	for (i = 0; i < d->nfindings; i++)
		finding_free(d->findings[i]);
	free(d->findings);
	for (i = 0; i < d->nblocked; i++)
		blocked_row_free(&d->blocked[i]);
	free(d->blocked);
	memset(d, 0, sizeof(*d));
	d->deciding = -1;
}

int diagnosis_set_layer(struct diagnosis *d, enum layer_id layer, enum layer_status status,
                        const char *note_fmt, ...)
{
	char *note = NULL;
	va_list ap;

	if ((unsigned)layer >= LAYER__COUNT)
		return SD_ERR_INVALID;
	if (note_fmt) {
		va_start(ap, note_fmt);
		note = vformat(note_fmt, ap);
		va_end(ap);
		if (!note)
			return SD_ERR_ALLOC;
	}
	free(d->layers[layer].note);
	d->layers[layer].note = note;
	d->layers[layer].status = status;
	return SD_OK;
}

struct finding *diagnosis_add_finding(struct diagnosis *d, enum layer_id layer, enum cause_id cause,
                                      enum severity severity)
{
	struct finding *f, **v;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->layer = layer;
	f->cause = cause;
	f->severity = severity;
	if ((f->client_sees = strdup(cause_client_sees(cause))) == NULL ||
	    (v = realloc(d->findings, (d->nfindings + 1) * sizeof(*v))) == NULL) {
		finding_free(f);
		return NULL;
	}
	d->findings = v;
	d->findings[d->nfindings++] = f;
	return f;
}

int finding_set_summary(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return SD_ERR_ALLOC;
	free(f->summary);
	f->summary = s;
	return SD_OK;
}

int finding_set_client_sees(struct finding *f, const char *text)
{
	char *s = strdup(text);

	if (!s)
		return SD_ERR_ALLOC;
	free(f->client_sees);
	f->client_sees = s;
	return SD_OK;
}

int finding_add_evidence(struct finding *f, const char *source, unsigned long line,
                         const char *text)
{
	struct evidence *v, e = {NULL, line, NULL};

	if ((e.source = strdup(source)) == NULL || (e.text = strdup(text ? text : "")) == NULL ||
	    (v = realloc(f->evidence, (f->nevidence + 1) * sizeof(*v))) == NULL) {
		free(e.source);
		free(e.text);
		return SD_ERR_ALLOC;
	}
	f->evidence = v;
	f->evidence[f->nevidence++] = e;
	return SD_OK;
}

int finding_add_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *s, **v;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return SD_ERR_ALLOC;
	if ((v = realloc(f->fix, (f->nfix + 1) * sizeof(*v))) == NULL) {
		free(s);
		return SD_ERR_ALLOC;
	}
	f->fix = v;
	f->fix[f->nfix++] = s;
	return SD_OK;
}

static char *dup_or_null(const char *s, int *fail)
{
	char *c;

	if (!s)
		return NULL;
	if ((c = strdup(s)) == NULL)
		*fail = 1;
	return c;
}

int diagnosis_add_blocked(struct diagnosis *d, enum layer_id layer, enum cause_id cause,
                          enum severity severity, const char *who, const char *by,
                          const char *until, const char *source, unsigned long line,
                          const char *fix)
{
	struct blocked_row row, *v;
	int fail = 0;

	if (d->nblocked >= DIAGNOSIS_BLOCKED_MAX) {
		d->blocked_omitted++;
		return SD_OK;
	}
	memset(&row, 0, sizeof(row));
	row.layer = layer;
	row.cause = cause;
	row.severity = severity;
	row.who = dup_or_null(who ? who : "", &fail);
	row.by = dup_or_null(by ? by : "", &fail);
	row.until = dup_or_null(until, &fail);
	row.where.source = dup_or_null(source, &fail);
	row.where.line = line;
	row.fix = dup_or_null(fix, &fail);
	if (fail || (v = realloc(d->blocked, (d->nblocked + 1) * sizeof(*v))) == NULL) {
		blocked_row_free(&row);
		return SD_ERR_ALLOC;
	}
	d->blocked = v;
	d->blocked[d->nblocked++] = row;
	return SD_OK;
}

struct blocked_row *diagnosis_find_blocked(struct diagnosis *d, enum layer_id layer,
                                           const char *who)
{
	size_t i;

	for (i = 0; i < d->nblocked; i++)
		if (d->blocked[i].layer == layer && strcmp(d->blocked[i].who, who) == 0)
			return &d->blocked[i];
	return NULL;
}

int blocked_row_append(struct blocked_row *row, const char *text)
{
	size_t a = strlen(row->by), b = strlen(text);
	char *n = realloc(row->by, a + 2 + b + 1);

	if (!n)
		return SD_ERR_ALLOC;
	memcpy(n + a, "; ", 2);
	memcpy(n + a + 2, text, b + 1);
	row->by = n;
	return SD_OK;
}

int blocked_row_set_until(struct blocked_row *row, const char *until)
{
	if (row->until || !until)
		return SD_OK;
	return (row->until = strdup(until)) ? SD_OK : SD_ERR_ALLOC;
}

long diagnosis_index_of(const struct diagnosis *d, const struct finding *f)
{
	size_t i;

	for (i = 0; f && i < d->nfindings; i++)
		if (d->findings[i] == f)
			return (long)i;
	return -1;
}

void diagnosis_conclude(struct diagnosis *d)
{
	size_t i, j;
	int unread = 0;
	long k;

	/* stable insertion sort by layer: findings are few */
	for (i = 1; i < d->nfindings; i++) {
		struct finding *f = d->findings[i];
		for (j = i; j > 0 && d->findings[j - 1]->layer > f->layer; j--)
			d->findings[j] = d->findings[j - 1];
		d->findings[j] = f;
	}
	for (i = 1; i < d->nblocked; i++) {
		struct blocked_row b = d->blocked[i];
		for (j = i; j > 0 && d->blocked[j - 1].layer > b.layer; j--)
			d->blocked[j] = d->blocked[j - 1];
		d->blocked[j] = b;
	}
	d->deciding = -1;
	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->severity == SEVERITY_BLOCKER) {
			d->deciding = (long)i;
			/* the rule only applies a ban: the ban is what to fix */
			k = diagnosis_index_of(d, d->findings[i]->enforces);
			if (k >= 0 && d->findings[k]->severity == SEVERITY_BLOCKER)
				d->deciding = k;
			d->verdict = VERDICT_BLOCKED;
			return;
		}
	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->severity == SEVERITY_RISK) {
			d->deciding = (long)i;
			d->verdict = VERDICT_INTERMITTENT;
			return;
		}
	for (i = 0; i < LAYER__COUNT; i++)
		if (d->layers[i].status == LAYER_UNREADABLE ||
		    d->layers[i].status == LAYER_NOT_IMPLEMENTED)
			unread = 1;
	d->verdict = unread ? VERDICT_INCONCLUSIVE : VERDICT_CLEAR;
}
