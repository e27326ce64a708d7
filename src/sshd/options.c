#include "sshd/options.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

const char SSHD_ORIGIN_CMDLINE[] = "command-line";

static void setting_init(struct sshd_setting *s)
{
	memset(s, 0, sizeof(*s));
	s->n[0] = s->n[1] = s->n[2] = -1;
	s->ll = -1;
}

void sshd_options_init(struct sshd_options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < SK__COUNT; i++)
		setting_init(&o->kw[i]);
	o->pen.enabled = -1;
	for (i = 0; i < PEN__COUNT; i++)
		o->pen.v[i] = -1;
}

void sshd_setting_clear(struct sshd_setting *s)
{
	size_t i;

	free(s->s);
	for (i = 0; i < s->nitems; i++) {
		free(s->items[i].s);
		free(s->items[i].s2);
	}
	free(s->items);
	setting_init(s);
}

void sshd_options_release(struct sshd_options *o)
{
	int i;

	for (i = 0; i < SK__COUNT; i++)
		sshd_setting_clear(&o->kw[i]);
	sshd_options_init(o);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = 1;
	return d;
}

static int setting_copy(struct sshd_setting *d, const struct sshd_setting *s)
{
	size_t i;
	int oom = 0;

	*d = *s;
	d->s = dup_or_null(s->s, &oom);
	d->items = NULL;
	d->nitems = 0;
	if (s->nitems) {
		if ((d->items = calloc(s->nitems, sizeof(*d->items))) == NULL) {
			oom = 1;
		} else {
			d->nitems = s->nitems;
			for (i = 0; i < s->nitems; i++) {
				d->items[i] = s->items[i];
				d->items[i].s = dup_or_null(s->items[i].s, &oom);
				d->items[i].s2 = dup_or_null(s->items[i].s2, &oom);
			}
		}
	}
	return oom ? SD_ERR_ALLOC : SD_OK;
}

int sshd_options_copy(struct sshd_options *dst, const struct sshd_options *src)
{
	int i;

	sshd_options_init(dst);
	dst->pen = src->pen;
	dst->ports_from_cmdline = src->ports_from_cmdline;
	for (i = 0; i < SK__COUNT; i++) {
		if (setting_copy(&dst->kw[i], &src->kw[i]) != 0) {
			sshd_options_release(dst);
			return SD_ERR_ALLOC;
		}
	}
	return SD_OK;
}

int sshd_setting_set_str(struct sshd_setting *s, const char *v)
{
	char *d = NULL;

	if (v != NULL && (d = strdup(v)) == NULL)
		return SD_ERR_ALLOC;
	free(s->s);
	s->s = d;
	return SD_OK;
}

int sshd_setting_add_item(struct sshd_setting *s, const char *v, const char *v2, int n,
                          const struct sshd_origin *origin)
{
	struct sshd_item *items, it;
	int oom = 0;

	memset(&it, 0, sizeof(it));
	it.s = dup_or_null(v, &oom);
	it.s2 = dup_or_null(v2, &oom);
	it.n = n;
	if (origin)
		it.origin = *origin;
	if (oom || (items = realloc(s->items, (s->nitems + 1) * sizeof(*items))) == NULL) {
		free(it.s);
		free(it.s2);
		return SD_ERR_ALLOC;
	}
	s->items = items;
	s->items[s->nitems++] = it;
	return SD_OK;
}

void sshd_setting_move(struct sshd_setting *dst, struct sshd_setting *src)
{
	sshd_setting_clear(dst);
	*dst = *src;
	setting_init(src);
}

const char *sshd_penalty_name(enum sshd_penalty p)
{
	switch (p) {
#define SSHD_PEN_NAME(id, name, def)                                                               \
	case id:                                                                                   \
		return name;
		SSHD_PENALTIES(SSHD_PEN_NAME)
#undef SSHD_PEN_NAME
	case PEN__COUNT:
		break;
	}
	return "?";
}

int sshd_penalty_default(enum sshd_penalty p, int version)
{
	if (p == PEN_GRACE && version < SSHD_V(9, 9))
		return 20; /* 9.8 printed 20 but charged the crash penalty (90 s) */
	switch (p) {
#define SSHD_PEN_DEF(id, name, def)                                                                \
	case id:                                                                                   \
		return def;
		SSHD_PENALTIES(SSHD_PEN_DEF)
#undef SSHD_PEN_DEF
	case PEN__COUNT:
		break;
	}
	return -1;
}
