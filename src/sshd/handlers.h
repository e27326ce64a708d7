/*
 * sshd/handlers.h — applying one sshd_config line's arguments to an option set: the value
 * half of OpenSSH's process_server_config_line_depth(), one handler per value type
 * (enum sshd_type).  Include and Match are handled by sshd/config.c, which owns the file
 * walk; everything else comes here.
 *
 * Each handler validates its arguments as sshd does — also on lines that are not active
 * (inside a Match block that does not apply), because sshd does — and changes the option set
 * only when the line is active and the keyword's precedence lets it (enum sshd_prec).
 * Problems are reported through the context's diagnostics with sshd's own wording:
 * SSHD_DIAG_FATAL where sshd exits at once, SSHD_DIAG_ERROR where it counts a bad option
 * (and exits after the file).
 */
#ifndef SSHDIAG_SSHD_HANDLERS_H
#define SSHDIAG_SSHD_HANDLERS_H

#include "sshd/config.h"
#include "sshd/lex.h"
#include "sshd/options.h"

/* What the line processor hands a handler. */
struct sshd_line {
	enum sshd_kw kw;           /* the keyword as looked up (may be an alias) */
	const char *keyword;       /* as written (diagnostics quote it) */
	char **av;                 /* remaining arguments (argv_split), NULL-terminated */
	int ac;                    /* how many remain */
	char *str;                 /* the raw rest of the line after the keyword */
	char *line;                /* the whole line (VersionAddendum cuts it at '#') */
	int active;                /* the line applies (sshd's *activep) */
	int cmdline;               /* from -o */
	struct sshd_origin origin; /* file, line, enclosing Match */
};

/* What handlers need to know about the sshd being modelled. */
struct sshd_hctx {
	int version; /* SSHD_V() */
	int debian;
	const char *cwd;  /* relative paths are taken from here */
	const char *home; /* "~" */
	struct sshd_diags *diags;
	int fatal; /* set by a handler that met a fatal error */
};

/* What a handler returns besides 0 and SD_ERR_ALLOC (negative). */
#define SSHD_H_BAD   1 /* a bad option: sshd counts it and exits after the file */
#define SSHD_H_FATAL 2 /* a fatal error: sshd exits at once (ctx->fatal is set) */

/* Applies l to o: 0, SSHD_H_BAD, SSHD_H_FATAL or SD_ERR_ALLOC. */
int sshd_handle_line(struct sshd_hctx *ctx, struct sshd_options *o, struct sshd_line *l);

/*
 * Records a diagnostic (formatted).  Returns SD_OK or SD_ERR_ALLOC; a FATAL one also sets
 * diags->fatal.
 */
int sshd_diag_add(struct sshd_diags *d, enum sshd_diag_level level, const char *file, unsigned line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* derelativise_path(): "none" stays, "~/x" uses home, relative paths get cwd in front. */
char *sshd_derelativise(const struct sshd_hctx *ctx, const char *path);
/* tilde_expand_filename() for "~" and "~/…" (other users' homes are left as written). */
char *sshd_tilde_expand(const struct sshd_hctx *ctx, const char *path);

#endif
