/*
 * sshd/config.h — sshd_config as sshd itself reads it: the files, the -o options of its
 * command line, Include, and the two passes of Match.
 *
 * sshd reads its configuration twice (OpenSSH servconf.c):
 *   1. at start-up: `-o` options first (so they win over the file), then the file with its
 *      Includes expanded in place; Match blocks are only syntax-checked, except "Match all"
 *      (and from 10.0 "Match Version", which tests sshd's own version), whose lines apply;
 *      a global-only keyword inside a Match block stops sshd ("not allowed within a Match
 *      block");  then the defaults of the version fill what is unset;
 *   2. per connection, at the client's first userauth request (after key exchange): only
 *      the Match blocks whose criteria hold; their values override the start-up ones.
 *      So a Match block can never refuse a TCP connection or change what the listener
 *      does (MaxStartups, PerSource*, ListenAddress are global-only for that reason).
 *
 * sshd_config_load() is pass 1; sshd_config_evaluate() is pass 2 for one connection.  The
 * pure layer touches no file: the caller's struct sshd_loader reads files and expands
 * Include globs (on the diagnosed system, honouring --root).  A relative Include path is
 * taken from /etc/ssh; each glob is expanded once and its files cached, as sshd does, so
 * pass 2 reuses what pass 1 read.
 */
#ifndef SSHDIAG_SSHD_CONFIG_H
#define SSHDIAG_SSHD_CONFIG_H

#include <stddef.h>

#include "base/buf.h"
#include "sshd/options.h"
#include "sshd/version.h"

/* The default configuration file and the directory of relative Include paths. */
#define SSHD_CONFIG_FILE "/etc/ssh/sshd_config"
#define SSHD_CONFIG_DIR  "/etc/ssh"
/* Caps: bytes of one configuration file, files included in all, include depth (sshd: 16). */
#define SSHD_CONFIG_MAX_FILE  (1024 * 1024)
#define SSHD_CONFIG_MAX_FILES 1024
#define SSHD_CONFIG_MAX_DEPTH 16

/* File access, supplied by the caller (an I/O edge).  Both return SD_OK or SD_ERR_*. */
struct sshd_loader {
	/* Appends the bytes of the file at `path` (absolute, on the diagnosed system) to out. */
	int (*read)(void *ctx, const char *path, struct buf *out);
	/*
	 * Expands `pattern` like glob(3) with no flags: the matching paths in byte order, as a
	 * malloc'd array of malloc'd strings that the caller of glob (the pure layer) frees.
	 * SD_ERR_NOT_FOUND when nothing matches.
	 */
	int (*glob)(void *ctx, const char *pattern, char ***paths, size_t *npaths);
	void *ctx;
};

/* sshd's command-line options that change the configuration, in the order given. */
enum sshd_cmd_kind {
	SSHD_CMD_OPTION,   /* -o KEYWORD=VALUE */
	SSHD_CMD_PORT,     /* -p PORT: replaces every Port line */
	SSHD_CMD_INET,     /* -4 */
	SSHD_CMD_INET6,    /* -6 */
	SSHD_CMD_HOSTKEY,  /* -h FILE */
	SSHD_CMD_HOSTCERT, /* -c FILE */
	SSHD_CMD_GRACE,    /* -g TIME */
	SSHD_CMD_QUIET,    /* -q */
	SSHD_CMD_DEBUG,    /* -d (each one raises the level) */
};

struct sshd_cmd {
	enum sshd_cmd_kind kind;
	const char *arg;
};

struct sshd_params {
	struct sshd_version version;
	const char *config_file; /* -f; NULL for SSHD_CONFIG_FILE; "none" for no file */
	const struct sshd_cmd *cmds;
	size_t ncmds;
	const char *cwd;  /* sshd's working directory for relative paths; NULL: "/" */
	const char *home; /* the home of the user sshd runs as, for "~"; NULL: "/root" */
};

/* The connection a Match pass is for. */
struct sshd_conn {
	const char *user;    /* the login name; NULL if unknown */
	const char *host;    /* UseDNS yes: the client's name; else its address; NULL if unknown */
	const char *addr;    /* client address */
	const char *laddr;   /* the server address the client connected to */
	const char *rdomain; /* routing domain, NULL */
	int lport;           /* the server port; -1 if unknown */
	int invalid_user;    /* the user does not exist (Match Invalid-User, 9.9+) */
	/*
	 * 1: behave like `sshd -T -C`: a criterion whose attribute is unknown (NULL) does not
	 * match.  0: like a real connection (every attribute known).
	 */
	int test;
	/* Match Group: whether the user exists and the names of its groups */
	int user_exists;
	const char *const *groups;
	size_t ngroups;
};

enum sshd_diag_level {
	SSHD_DIAG_FATAL, /* sshd exits: it would not start (or the connection dies) */
	SSHD_DIAG_ERROR, /* a bad option: sshd exits after reading the file */
	SSHD_DIAG_INFO,  /* deprecated or unsupported keyword, ignored */
};

struct sshd_diag {
	enum sshd_diag_level level;
	const char *file; /* not owned (see struct sshd_origin) */
	unsigned line;
	char *msg;
};

struct sshd_diags {
	struct sshd_diag *v;
	size_t n;
	int fatal; /* some diagnostic is fatal: sshd -t would fail */
};

struct sshd_config;

/*
 * Pass 1.  Always returns a configuration (SD_OK) unless memory runs out; errors in the
 * configuration are in sshd_config_diags().  Reading the main file or an included one fails
 * ⇒ a fatal diagnostic, as sshd exits then.
 */
int sshd_config_load(const struct sshd_params *p, const struct sshd_loader *ld,
                     struct sshd_config **out);
void sshd_config_free(struct sshd_config *c);

/* The start-up option set (pass 1 and the defaults). */
const struct sshd_options *sshd_config_global(const struct sshd_config *c);
const struct sshd_diags *sshd_config_diags(const struct sshd_config *c);
int sshd_config_version(const struct sshd_config *c);
int sshd_config_debian(const struct sshd_config *c);
/* The main configuration file name as given. */
const char *sshd_config_main_file(const struct sshd_config *c);
/* Files read, in the order sshd read them (main file first). */
size_t sshd_config_nfiles(const struct sshd_config *c);
const char *sshd_config_file(const struct sshd_config *c, size_t i);
/*
 * The text of a line as sshd read it (leading blanks dropped), or NULL.  `file` is matched
 * by name.  The pointer is valid until the configuration is freed.
 */
const char *sshd_config_line(const struct sshd_config *c, const char *file, unsigned line,
                             size_t *len);

/* The option set for one connection (pass 2), with what led to it. */
struct sshd_effective {
	struct sshd_options opts;
	struct sshd_origin *matched; /* the Match lines that applied, in order */
	size_t nmatched;
	struct sshd_diags diags; /* of pass 2 (e.g. 'Match LocalPort' without lport) */
};

/* SD_OK (errors in diags), SD_ERR_ALLOC.  Release `out` with sshd_effective_release(). */
int sshd_config_evaluate(const struct sshd_config *c, const struct sshd_conn *ci,
                         struct sshd_effective *out);
void sshd_effective_release(struct sshd_effective *e);

void sshd_diags_release(struct sshd_diags *d);

#endif
