#include "core/causes.h"

#include <string.h>

#define NAME_AT(table, i) ((size_t)(i) < sizeof(table) / sizeof(table[0]) ? table[i] : "unknown")

const char *layer_name(enum layer_id id)
{
	static const char *const t[] = {
#define N(id, name, text) name,
	    SD_LAYERS(N)
#undef N
	};
	return NAME_AT(t, id);
}

const char *layer_text(enum layer_id id)
{
	static const char *const t[] = {
#define N(id, name, text) text,
	    SD_LAYERS(N)
#undef N
	};
	return NAME_AT(t, id);
}

const char *layer_status_name(enum layer_status st)
{
	static const char *const t[] = {
#define N(id, name) name,
	    SD_LAYER_STATUSES(N)
#undef N
	};
	return NAME_AT(t, st);
}

static const char *const cause_names[] = {
#define N(id, name, sees) name,
    SD_CAUSES(N)
#undef N
};

const char *cause_name(enum cause_id id)
{
	return NAME_AT(cause_names, id);
}

const char *cause_client_sees(enum cause_id id)
{
	static const char *const t[] = {
#define N(id, name, sees) sees,
	    SD_CAUSES(N)
#undef N
	};
	return (size_t)id < sizeof(t) / sizeof(t[0]) ? t[id] : "";
}

int cause_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cause_names) / sizeof(cause_names[0]); i++)
		if (strcmp(cause_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *severity_name(enum severity s)
{
	static const char *const t[] = {
#define N(id, name) name,
	    SD_SEVERITIES(N)
#undef N
	};
	return NAME_AT(t, s);
}

const char *verdict_name(enum verdict v)
{
	static const char *const t[] = {
#define N(id, name, code) name,
	    SD_VERDICTS(N)
#undef N
	};
	return NAME_AT(t, v);
}

enum sd_exit verdict_exit_code(enum verdict v)
{
	switch (v) {
#define N(id, name, code)                                                                          \
	case id:                                                                                   \
		return (enum sd_exit)code;
		SD_VERDICTS(N)
#undef N
	}
	return SD_EXIT_INTERNAL;
}
