/*
 * sshd/options.h — one sshd option set: a value per keyword, each with its provenance.
 *
 * A struct sshd_options is what sshd's ServerOptions is, with every value remembering the
 * line that set it (file:line, the enclosing Match line if any, or "default").  It is
 * filled by sshd/config.h (the two parse passes) and read by the renderer and the layers.
 *
 * Numbers are -1 while unset, as in OpenSSH.  Strings and list items are owned by the set;
 * origin file names are not: they point into the struct sshd_config that produced the set
 * and live as long as it does.
 */
#ifndef SSHDIAG_SSHD_OPTIONS_H
#define SSHDIAG_SSHD_OPTIONS_H

#include <stddef.h>

#include "sshd/keywords.h"

/* Where a value came from.  file == NULL: a built-in default. */
struct sshd_origin {
	const char *file;       /* as seen on the diagnosed system, or SSHD_ORIGIN_CMDLINE */
	unsigned line;          /* 1-based; 0 for the command line and defaults */
	const char *match_file; /* the Match line whose block holds the value, NULL if global */
	unsigned match_line;
};

/* The origin file name of values given with -o / -p / -4 / -6 on sshd's command line. */
extern const char SSHD_ORIGIN_CMDLINE[];

/* One value of a multi-valued keyword (Port, ListenAddress, HostKey, AllowUsers, …). */
struct sshd_item {
	char *s;  /* the value: a path, a pattern, a listen address, a subsystem name */
	char *s2; /* ListenAddress: the rdomain; Subsystem: the command line as -T prints it */
	int n;    /* Port and ListenAddress: the port (0: none given) */
	struct sshd_origin origin;
};

struct sshd_setting {
	int set;                   /* 1 once a line (or -o) set it; 0 while unset or default */
	struct sshd_origin origin; /* of the value; of the first line for lists */
	int n[3];     /* MaxStartups start:rate:full, netblock v4:v6, IPQoS a:b, or n[0] */
	long long ll; /* RekeyLimit bytes */
	char *s;      /* string value (T_PATH, T_STR, …); NULL: none */
	struct sshd_item *items;
	size_t nitems;
};

/* PerSourcePenalties (9.8+): each key is first-wins on its own. */
#define SSHD_PENALTIES(X)                                                                          \
	X(PEN_CRASH, "crash", 90)                                                                  \
	X(PEN_AUTHFAIL, "authfail", 5)                                                             \
	X(PEN_NOAUTH, "noauth", 1)                                                                 \
	X(PEN_GRACE, "grace-exceeded", 10)                                                         \
	X(PEN_REFUSE, "refuseconnection", 10)                                                      \
	X(PEN_MAX, "max", 600)                                                                     \
	X(PEN_MIN, "min", 15)                                                                      \
	X(PEN_MAXSRC4, "max-sources4", 65536)                                                      \
	X(PEN_MAXSRC6, "max-sources6", 65536)                                                      \
	X(PEN_OVERFLOW, "overflow", 1)                                                             \
	X(PEN_OVERFLOW6, "overflow6", 1)

enum sshd_penalty {
#define SSHD_PEN_ENUM(id, name, def) id,
	SSHD_PENALTIES(SSHD_PEN_ENUM)
#undef SSHD_PEN_ENUM
	    PEN__COUNT
};
/* overflow values */
#define SSHD_OVERFLOW_DENY_ALL   0
#define SSHD_OVERFLOW_PERMISSIVE 1

struct sshd_penalties {
	int enabled; /* -1 unset, 0 "no", 1 */
	struct sshd_origin enabled_origin;
	int v[PEN__COUNT]; /* seconds, counts or SSHD_OVERFLOW_*; -1 unset */
	struct sshd_origin origin[PEN__COUNT];
};

struct sshd_options {
	struct sshd_setting kw[SK__COUNT];
	struct sshd_penalties pen;
	int ports_from_cmdline; /* -p given: Port lines are ignored */
};

void sshd_options_init(struct sshd_options *o);
void sshd_options_release(struct sshd_options *o);
/* A deep copy of src into dst (initialised by the call).  SD_OK or SD_ERR_ALLOC. */
int sshd_options_copy(struct sshd_options *dst, const struct sshd_options *src);

/* Clears a setting's value (strings, items) and marks it unset. */
void sshd_setting_clear(struct sshd_setting *s);
/* Replaces a setting's string (copied; NULL allowed).  SD_OK or SD_ERR_ALLOC. */
int sshd_setting_set_str(struct sshd_setting *s, const char *v);
/* Appends an item (strings copied; s2 may be NULL).  SD_OK or SD_ERR_ALLOC. */
int sshd_setting_add_item(struct sshd_setting *s, const char *v, const char *v2, int n,
                          const struct sshd_origin *origin);
/* Moves src's value into dst (dst's old value freed); src is left unset. */
void sshd_setting_move(struct sshd_setting *dst, struct sshd_setting *src);

const char *sshd_penalty_name(enum sshd_penalty p);
int sshd_penalty_default(enum sshd_penalty p, int version);

#endif
