/*
 * config.c — the file walk of sshd_config: lines, Include, Match, the two passes, the
 * defaults.  Ported from OpenSSH servconf.c (parse_server_config_depth(),
 * process_server_config_line_depth(), match_cfg_line(), copy_set_server_options(),
 * fill_default_server_options()); the value handlers are in handlers.c.
 */
#include "sshd/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "sshd/handlers.h"
#include "sshd/lex.h"
#include "sshd/match.h"

#define WHITESPACE " \t\r\n"

/* sshd's internal include flags */
#define INC_NEVERMATCH 0x04 /* Match never matches (Include from an inactive block) */
#define INC_MATCH_ONLY 0x08 /* pass 2, until the first Match line */

/* One cached Include: a glob and one file it matched (filename NULL: matched nothing). */
struct inc_item {
	char *selector;
	const char *filename; /* interned */
	char *contents;       /* the configuration buffer (sshd_lex_load) */
};

struct sshd_config {
	int version;
	int debian;
	char *release; /* SSH_RELEASE for Match Version, "" if unknown */
	char *cwd;
	char *home;
	const char *main_file; /* interned; NULL when "none" */
	char *main_contents;
	struct inc_item *inc;
	size_t ninc;
	char **files; /* interned file names, in read order */
	size_t nfiles;
	struct sshd_options opts;
	struct sshd_diags diags;
};

/* One pass over the configuration. */
struct pass {
	struct sshd_config *c;
	const struct sshd_loader *ld; /* NULL in pass 2: the include cache is complete */
	const struct sshd_conn *ci;   /* NULL in pass 1 */
	struct sshd_options *o;
	struct sshd_hctx h;
	struct sshd_origin cur_match; /* the Match line of the block being read */
	struct sshd_effective *eff;   /* pass 2 */
	int oom;
};

static int stop(const struct pass *ps)
{
	return ps->h.fatal || ps->oom;
}

static const char *intern(struct sshd_config *c, const char *name)
{
	char **v, *d;
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	if ((d = strdup(name)) == NULL ||
	    (v = realloc(c->files, (c->nfiles + 1) * sizeof(*v))) == NULL) {
		free(d);
		return NULL;
	}
	c->files = v;
	c->files[c->nfiles++] = d;
	return d;
}

static int pdiag(struct pass *ps, enum sshd_diag_level level, const char *file, unsigned line,
                 const char *msg, const char *arg)
{
	if (sshd_diag_add(ps->h.diags, level, file, line, msg, arg) != 0)
		ps->oom = 1;
	if (level == SSHD_DIAG_FATAL)
		ps->h.fatal = 1;
	return level == SSHD_DIAG_FATAL ? -2 : -1;
}

static int parse_buffer(struct pass *ps, const char *filename, const char *contents, int flags,
                        int *activep, int depth);

/* ------------------------------------------------------------------ Match */

/* The next Match token: argv words (9.9+) or strdelim() on the raw line (9.8 and older). */
struct mtok {
	int argv_mode;
	char *cp;
	struct sshd_line *l;
};

static char *mtok_next(struct mtok *t)
{
	char *r;

	if (!t->argv_mode)
		return sshd_strdelim(&t->cp);
	r = t->l->av ? t->l->av[0] : NULL;
	if (t->l->ac > 0 && r != NULL) {
		t->l->ac--;
		t->l->av++;
	}
	return r;
}

static void mtok_consume(struct mtok *t)
{
	if (t->argv_mode)
		t->l->ac = 0;
	else
		t->cp = NULL;
}

/* strprefix(s, prefix, ignorecase=1) */
static char *eq_form(char *attrib)
{
	static const char *const crit[] = {
	    "user=",      "group=",   "host=",    "address=", "localaddress=",
	    "localport=", "rdomain=", "version=", NULL};
	char *eq;
	int i;

	for (i = 0; crit[i]; i++) {
		if (strncasecmp(attrib, crit[i], strlen(crit[i])) == 0) {
			eq = strchr(attrib, '=');
			*eq = '\0';
			return eq + 1;
		}
	}
	return NULL;
}

/*
 * match_cfg_line(): 1 match, 0 no match, -1 error (the caller makes it fatal), -2 fatal
 * already reported.
 */
static int match_line(struct pass *ps, struct mtok *t, const struct sshd_conn *ci,
                      const struct sshd_origin *org)
{
	int result = 1, attributes = 0, port, version = ps->c->version, r;
	char *attrib, *arg, buf[4096];
	const char *file = org->file;
	unsigned line = org->line;

	for (;;) {
		attrib = mtok_next(t);
		if (attrib == NULL || (!t->argv_mode && *attrib == '\0'))
			break;
		if (*attrib == '#') {
			mtok_consume(t);
			break;
		}
		arg = NULL;
		attributes++;
		if (strcasecmp(attrib, "all") == 0) {
			if (attributes > 1 ||
			    ((arg = mtok_next(t)) != NULL && *arg != '\0' && *arg != '#')) {
				pdiag(ps, SSHD_DIAG_ERROR, file, line,
				      "'all' cannot be combined with other Match attributes%s", "");
				return -1;
			}
			if (arg != NULL && *arg == '#')
				mtok_consume(t);
			return 1;
		}
		if (version >= SSHD_V(9, 9) && strcasecmp(attrib, "invalid-user") == 0) {
			if (ci == NULL || !ci->invalid_user)
				result = 0;
			continue;
		}
		/* keep a private copy: the "criterion=value" split writes into it */
		snprintf(buf, sizeof(buf), "%s", attrib);
		attrib = buf;
		if (version < SSHD_V(10, 0) || (arg = eq_form(attrib)) == NULL)
			arg = mtok_next(t);
		if (arg == NULL || *arg == '\0' || *arg == '#') {
			pdiag(ps, SSHD_DIAG_ERROR, file, line, "Missing Match criteria for %s",
			      attrib);
			return -1;
		}
		if (strcasecmp(attrib, "user") == 0 || strcasecmp(attrib, "group") == 0) {
			int is_user = strcasecmp(attrib, "user") == 0;

			if (ci == NULL || (ci->test && ci->user == NULL)) {
				result = 0;
				continue;
			}
			if (ci->user == NULL) {
				result = 0; /* a real connection always has a user */
				continue;
			}
			if (is_user) {
				if (sshd_match_pattern_list(ci->user, arg, 0) != 1)
					result = 0;
			} else if (!ci->user_exists ||
			           sshd_groups_match(ci->groups, ci->ngroups, arg) != 1) {
				result = 0;
			}
		} else if (strcasecmp(attrib, "host") == 0) {
			if (ci == NULL || ci->host == NULL) {
				result = 0;
				continue;
			}
			if (sshd_match_hostname(ci->host, arg) != 1)
				result = 0;
		} else if (strcasecmp(attrib, "address") == 0 ||
		           strcasecmp(attrib, "localaddress") == 0) {
			int local = strcasecmp(attrib, "localaddress") == 0;
			const char *a = ci ? (local ? ci->laddr : ci->addr) : NULL;

			if (a == NULL) {
				if (sshd_addr_match_list(NULL, arg) != 0) {
					pdiag(ps, SSHD_DIAG_FATAL, file, line,
					      local ? "Invalid Match localaddress argument '%s'"
					            : "Invalid Match address argument '%s'",
					      arg);
					return -2;
				}
				result = 0;
				continue;
			}
			switch (sshd_addr_match_list(a, arg)) {
			case 1:
				break;
			case -2:
				return -1;
			default:
				result = 0;
			}
		} else if (strcasecmp(attrib, "localport") == 0) {
			if ((port = sshd_a2port(arg)) == -1) {
				pdiag(ps, SSHD_DIAG_ERROR, file, line,
				      "Invalid LocalPort '%s' on Match line", arg);
				return -1;
			}
			if (ci == NULL) {
				result = 0;
				continue;
			}
			if (ci->lport <= 0) {
				if (ci->test) {
					/* sshd -T: lport unset is 0, and the -1 test never fires */
					pdiag(
					    ps, SSHD_DIAG_FATAL, file, line,
					    "'Match LocalPort' in configuration but 'lport' not in "
					    "connection test specification.%s",
					    "");
					return -2;
				}
				result = 0;
				continue;
			}
			if (port != ci->lport)
				result = 0;
		} else if (strcasecmp(attrib, "rdomain") == 0) {
			if (ci == NULL || ci->rdomain == NULL) {
				result = 0;
				continue;
			}
			if (sshd_match_pattern_list(ci->rdomain, arg, 0) != 1)
				result = 0;
		} else if (version >= SSHD_V(10, 0) && strcasecmp(attrib, "version") == 0) {
			/* evaluated in pass 1 too: it does not depend on the connection */
			if (ps->c->release[0] == '\0' ||
			    sshd_match_pattern_list(ps->c->release, arg, 0) != 1)
				result = 0;
		} else {
			pdiag(ps, SSHD_DIAG_ERROR, file, line, "Unsupported Match attribute %s",
			      attrib);
			return -1;
		}
	}
	if (attributes == 0) {
		r = pdiag(ps, SSHD_DIAG_ERROR, file, line,
		          "One or more attributes required for Match%s", "");
		(void)r;
		return -1;
	}
	return result;
}

/* ------------------------------------------------------------------ Include */

static int load_file(struct pass *ps, const char *path, char **contents, const char *from,
                     unsigned fromline)
{
	struct buf raw, cfg;
	int r;

	buf_init(&raw, SSHD_CONFIG_MAX_FILE);
	buf_init(&cfg, SSHD_CONFIG_MAX_FILE + 1);
	r = ps->ld->read(ps->ld->ctx, path, &raw);
	if (r == SD_ERR_NOT_REGULAR) {
		/* sshd fopen()s a directory fine and reads nothing from it */
		pdiag(ps, SSHD_DIAG_INFO, from, fromline, "%s is not a regular file: read as empty",
		      path);
		r = SD_OK;
	}
	if (r != SD_OK) {
		buf_release(&raw);
		if (r == SD_ERR_ALLOC) {
			ps->oom = 1;
			return r;
		}
		/* sshd: perror(filename); exit(1) */
		if (sshd_diag_add(ps->h.diags, SSHD_DIAG_FATAL, from, fromline, "%s: %s", path,
		                  sd_strerror(r)) != 0)
			ps->oom = 1;
		ps->h.fatal = 1;
		return r;
	}
	if ((r = sshd_lex_load(raw.data, raw.len, &cfg)) != 0) {
		buf_release(&raw);
		buf_release(&cfg);
		if (r == SD_ERR_ALLOC)
			ps->oom = 1;
		else
			pdiag(ps, SSHD_DIAG_FATAL, from, fromline, "%s: too large", path);
		return r;
	}
	buf_release(&raw);
	if ((*contents = buf_detach(&cfg)) == NULL) {
		ps->oom = 1;
		return SD_ERR_ALLOC;
	}
	return SD_OK;
}

static int add_inc(struct sshd_config *c, const char *selector, const char *filename,
                   char *contents)
{
	struct inc_item *v;
	char *sel;

	if ((sel = strdup(selector)) == NULL ||
	    (v = realloc(c->inc, (c->ninc + 1) * sizeof(*v))) == NULL) {
		free(sel);
		free(contents);
		return SD_ERR_ALLOC;
	}
	c->inc = v;
	v[c->ninc].selector = sel;
	v[c->ninc].filename = filename;
	v[c->ninc].contents = contents;
	c->ninc++;
	return SD_OK;
}

static void free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int do_include(struct pass *ps, struct sshd_line *l, int *activep, int *inc_flags, int depth)
{
	struct sshd_config *c = ps->c;
	char *arg2, path[4096], **paths = NULL, *contents;
	const char *fname;
	size_t i, npaths = 0;
	int value = 0, oactive, found, sub, r;

	while ((arg2 = l->ac > 0 ? l->av[0] : NULL) != NULL) {
		l->ac--;
		l->av++;
		if (*arg2 == '\0')
			return pdiag(ps, SSHD_DIAG_ERROR, l->origin.file, l->origin.line,
			             "keyword %s empty argument", l->keyword);
		value++;
		if (*arg2 != '/' && *arg2 != '~')
			snprintf(path, sizeof(path), "%s/%s", SSHD_CONFIG_DIR, arg2);
		else
			snprintf(path, sizeof(path), "%s", arg2);
		oactive = *activep;
		sub =
		    (*inc_flags & INC_MATCH_ONLY) ? INC_MATCH_ONLY : (oactive ? 0 : INC_NEVERMATCH);
		/* the cache of included files; it may grow while we walk it */
		found = 0;
		for (i = 0; i < c->ninc; i++) {
			if (strcmp(c->inc[i].selector, path) != 0)
				continue;
			if (c->inc[i].filename != NULL) {
				parse_buffer(ps, c->inc[i].filename, c->inc[i].contents, sub,
				             activep, depth + 1);
				if (stop(ps))
					return -2;
			}
			found = 1;
			*activep = oactive;
		}
		if (found)
			continue;
		if (ps->ld == NULL) {
			/* pass 2 never meets a new glob unless pass 1 stopped early */
			pdiag(ps, SSHD_DIAG_INFO, l->origin.file, l->origin.line,
			      "include \"%s\" was not read at start-up", path);
			continue;
		}
		r = ps->ld->glob(ps->ld->ctx, path, &paths, &npaths);
		if (r == SD_ERR_ALLOC) {
			ps->oom = 1;
			return -2;
		}
		if (r != SD_OK && r != SD_ERR_NOT_FOUND)
			return pdiag(ps, SSHD_DIAG_FATAL, l->origin.file, l->origin.line,
			             "include \"%s\" glob failed", path);
		if (r == SD_ERR_NOT_FOUND || npaths == 0) {
			free_paths(paths, npaths);
			paths = NULL;
			npaths = 0;
			if (add_inc(c, path, NULL, NULL) != 0) {
				ps->oom = 1;
				return -2;
			}
			continue;
		}
		for (i = 0; i < npaths; i++) {
			if (c->nfiles >= SSHD_CONFIG_MAX_FILES) {
				free_paths(paths, npaths);
				return pdiag(ps, SSHD_DIAG_FATAL, l->origin.file, l->origin.line,
				             "too many included files (%s)", path);
			}
			if ((fname = intern(c, paths[i])) == NULL) {
				ps->oom = 1;
				free_paths(paths, npaths);
				return -2;
			}
			contents = NULL;
			if (load_file(ps, fname, &contents, l->origin.file, l->origin.line) != 0) {
				free_paths(paths, npaths);
				return -2;
			}
			parse_buffer(ps, fname, contents, sub, activep, depth + 1);
			*activep = oactive;
			/* cached only now: a file that includes its own glob sees its predecessors
			 */
			if (add_inc(c, path, fname, contents) != 0)
				ps->oom = 1;
			if (stop(ps)) {
				free_paths(paths, npaths);
				return -2;
			}
		}
		free_paths(paths, npaths);
		paths = NULL;
		npaths = 0;
	}
	if (value == 0)
		return pdiag(ps, SSHD_DIAG_FATAL, l->origin.file, l->origin.line,
		             "%s missing filename argument", l->keyword);
	return 0;
}

/* ------------------------------------------------------------------ lines */

/*
 * process_server_config_line_depth(): 0, -1 (bad option), -2 (fatal).  `activep` NULL for a
 * command-line (-o) option.
 */
static int process_line(struct pass *ps, char *line, const char *filename, unsigned linenum,
                        int *activep, int *inc_flags, int depth)
{
	struct sshd_argv argv = {NULL, 0};
	struct sshd_line l;
	char *str, *keyword;
	size_t len;
	int cmdline = 0, kw, r, flags, value;
	int version = ps->c->version;

	if ((len = strlen(line)) == 0)
		return 0;
	for (len--; len > 0; len--) {
		if (strchr(WHITESPACE "\f", line[len]) == NULL)
			break;
		line[len] = '\0';
	}
	str = line;
	if ((keyword = sshd_strdelim(&str)) == NULL)
		return 0;
	if (*keyword == '\0')
		keyword = sshd_strdelim(&str);
	if (keyword == NULL || *keyword == '\0' || *keyword == '#')
		return 0;
	if (str == NULL || *str == '\0')
		return pdiag(ps, SSHD_DIAG_ERROR, filename, linenum,
		             "no argument after keyword \"%s\"", keyword);
	kw = sshd_kw_lookup(keyword, version, ps->c->debian);
	flags = kw >= 0 ? (int)sshd_kw_scope((enum sshd_kw)kw, version) : 0;
	if (kw < 0)
		pdiag(ps, SSHD_DIAG_ERROR, filename, linenum, "Bad configuration option: %s",
		      keyword);
	r = sshd_argv_split(str, &argv);
	if (r == SD_ERR_ALLOC) {
		ps->oom = 1;
		return -2;
	}
	if (r != 0)
		return pdiag(ps, SSHD_DIAG_ERROR, filename, linenum, "invalid quotes%s", "");
	if (activep == NULL) {
		cmdline = 1;
		activep = &cmdline;
	}
	r = 0;
	if (*activep == 0 && flags != SSHD_M) {
		if (ps->ci == NULL)
			r = pdiag(ps, SSHD_DIAG_FATAL, filename, linenum,
			          "Directive '%s' is not allowed within a Match block", keyword);
		goto out; /* pass 2: a directive already processed at start-up */
	}
	if (kw < 0) {
		r = -1;
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.kw = (enum sshd_kw)kw;
	l.keyword = keyword;
	l.av = argv.v;
	l.ac = argv.n;
	l.str = str;
	l.line = line;
	l.active = *activep;
	l.cmdline = cmdline;
	l.origin.file = filename;
	l.origin.line = linenum;
	if (ps->cur_match.file != NULL && !cmdline) {
		l.origin.match_file = ps->cur_match.file;
		l.origin.match_line = ps->cur_match.line;
	}
	switch (sshd_kw(sshd_kw_canonical(l.kw))->type) {
	case T_INCLUDE:
		if (cmdline) {
			r = pdiag(ps, SSHD_DIAG_FATAL, filename, linenum,
			          "Include directive not supported as a command-line option%s", "");
			goto out;
		}
		{
			struct sshd_origin saved = ps->cur_match;

			r = do_include(ps, &l, activep, inc_flags, depth);
			ps->cur_match = saved;
		}
		if (r != 0)
			goto out;
		break;
	case T_MATCH: {
		struct mtok t;
		struct sshd_origin mo = l.origin;

		if (cmdline) {
			r = pdiag(ps, SSHD_DIAG_FATAL, filename, linenum,
			          "Match directive not supported as a command-line option%s", "");
			goto out;
		}
		t.argv_mode = version >= SSHD_V(9, 9);
		t.cp = str;
		t.l = &l;
		value = match_line(ps, &t, (*inc_flags & INC_NEVERMATCH) ? NULL : ps->ci, &mo);
		if (value == -2 || stop(ps)) {
			r = -2;
			goto out;
		}
		if (value < 0) {
			r = pdiag(ps, SSHD_DIAG_FATAL, filename, linenum, "Bad Match condition%s",
			          "");
			goto out;
		}
		*activep = (*inc_flags & INC_NEVERMATCH) ? 0 : value;
		*inc_flags &= ~INC_MATCH_ONLY;
		mo.match_file = NULL;
		mo.match_line = 0;
		ps->cur_match = mo;
		if (*activep && ps->eff) {
			struct sshd_origin *m =
			    realloc(ps->eff->matched, (ps->eff->nmatched + 1) * sizeof(*m));
			if (m == NULL) {
				ps->oom = 1;
				r = -2;
				goto out;
			}
			ps->eff->matched = m;
			m[ps->eff->nmatched++] = mo;
		}
		if (!t.argv_mode && (t.cp == NULL || *t.cp == '\0'))
			l.ac = 0;
		break;
	}
	default:
		r = sshd_handle_line(&ps->h, ps->o, &l);
		if (r < 0) {
			ps->oom = 1;
			r = -2;
		} else if (r == SSHD_H_BAD) {
			r = -1;
		} else if (r == SSHD_H_FATAL) {
			r = -2;
		}
		if (r != 0)
			goto out;
		break;
	}
	if (l.ac > 0)
		r = pdiag(ps, SSHD_DIAG_ERROR, filename, linenum,
		          "keyword %s extra arguments at end of line", keyword);
out:
	sshd_argv_free(&argv);
	if (ps->h.fatal)
		return -2;
	return r;
}

static int parse_buffer(struct pass *ps, const char *filename, const char *contents, int flags,
                        int *activep, int depth)
{
	char *copy, *rest, *cp;
	unsigned linenum = 1;
	int bad = 0, r;
	char msg[64];

	if (depth < 0 || depth > SSHD_CONFIG_MAX_DEPTH)
		return pdiag(ps, SSHD_DIAG_FATAL, filename, 0,
		             "Too many recursive configuration includes%s", "");
	if ((copy = strdup(contents ? contents : "")) == NULL) {
		ps->oom = 1;
		return -2;
	}
	rest = copy;
	while ((cp = strsep(&rest, "\n")) != NULL) {
		r = process_line(ps, cp, filename, linenum++, activep, &flags, depth);
		if (stop(ps))
			break;
		if (r != 0)
			bad++;
	}
	free(copy);
	if (stop(ps))
		return -2;
	if (bad > 0) {
		snprintf(msg, sizeof(msg), "%d", bad);
		return pdiag(ps, SSHD_DIAG_FATAL, filename, 0,
		             "terminating, %s bad configuration options", msg);
	}
	return 0;
}

/* ------------------------------------------------------------------ defaults */

/* Runs a keyword's handler on a default argument string (the setting keeps set == 0). */
static int apply_default(struct pass *ps, enum sshd_kw kw, const char *args)
{
	struct sshd_argv argv = {NULL, 0};
	struct sshd_line l;
	char *str;
	int r;

	if ((str = strdup(args)) == NULL)
		return SD_ERR_ALLOC;
	if ((r = sshd_argv_split(str, &argv)) != 0) {
		free(str);
		return r;
	}
	memset(&l, 0, sizeof(l));
	l.kw = kw;
	l.keyword = sshd_kw_name(kw);
	l.av = argv.v;
	l.ac = argv.n;
	l.str = str;
	l.line = str;
	l.active = 1;
	r = sshd_handle_line(&ps->h, ps->o, &l);
	ps->o->kw[kw].set = 0;
	memset(&ps->o->kw[kw].origin, 0, sizeof(ps->o->kw[kw].origin));
	sshd_argv_free(&argv);
	free(str);
	return r;
}

static int clear_none(struct sshd_setting *st)
{
	if (st->s != NULL && strcasecmp(st->s, "none") == 0) {
		free(st->s);
		st->s = NULL;
	}
	return 0;
}

/* fill_default_server_options() */
static int fill_defaults(struct pass *ps)
{
	static const enum sshd_kw none_cleared[] = {SK_PIDFILE,
	                                            SK_XAUTHLOCATION,
	                                            SK_BANNER,
	                                            SK_TRUSTEDUSERCAKEYS,
	                                            SK_REVOKEDKEYS,
	                                            SK_SECURITYKEYPROVIDER,
	                                            SK_AUTHPRINCIPALSFILE,
	                                            SK_FORCECOMMAND,
	                                            SK_CHROOTDIRECTORY,
	                                            SK_HOSTKEYAGENT,
	                                            SK_PENALTYEXEMPTLIST};
	static const char *const hostkeys[] = {"/etc/ssh/ssh_host_rsa_key",
	                                       "/etc/ssh/ssh_host_ecdsa_key",
	                                       "/etc/ssh/ssh_host_ed25519_key"};
	struct sshd_options *o = ps->o;
	struct sshd_setting *st;
	const char *def;
	size_t i;
	int k, r, version = ps->c->version;

	for (k = 0; k < SK__COUNT; k++) {
		const struct sshd_keyword *kd = sshd_kw((enum sshd_kw)k);

		st = &o->kw[k];
		if (kd->type == T_ALIAS || kd->since > version ||
		    (kd->debian_only && !ps->c->debian))
			continue;
		switch (kd->type) {
		case T_MAXSTARTUPS:
			if (st->n[2] == -1)
				st->n[2] = 100;
			if (st->n[1] == -1)
				st->n[1] = 30;
			if (st->n[0] == -1)
				st->n[0] = 10;
			continue;
		case T_NETBLOCK:
			if (st->n[0] == -1)
				st->n[0] = 32;
			if (st->n[1] == -1)
				st->n[1] = 128;
			continue;
		case T_REKEY:
			if (st->ll == -1)
				st->ll = 0;
			if (st->n[0] == -1)
				st->n[0] = 0;
			continue;
		case T_PORT:
			if (st->nitems == 0 &&
			    sshd_setting_add_item(st, NULL, NULL, 22, &st->origin) != 0)
				return SD_ERR_ALLOC;
			continue;
		case T_HOSTKEY:
			if (k == SK_HOSTKEY && st->nitems == 0)
				for (i = 0; i < 3; i++)
					if (sshd_setting_add_item(st, hostkeys[i], NULL, 0, NULL) !=
					    0)
						return SD_ERR_ALLOC;
			continue;
		case T_PENALTIES:
			if (o->pen.enabled == -1)
				o->pen.enabled = 1;
			for (i = 0; i < PEN__COUNT; i++)
				if (o->pen.v[i] == -1)
					o->pen.v[i] = i == PEN_OVERFLOW6
					                  ? o->pen.v[PEN_OVERFLOW]
					                  : sshd_penalty_default(
					                        (enum sshd_penalty)i, version);
			continue;
		default:
			break;
		}
		if (st->set)
			continue;
		if ((def = sshd_kw_default((enum sshd_kw)k, version, ps->c->debian)) == NULL)
			continue;
		if ((r = apply_default(ps, (enum sshd_kw)k, def)) < 0)
			return r;
	}
	for (i = 0; i < sizeof(none_cleared) / sizeof(none_cleared[0]); i++)
		clear_none(&o->kw[none_cleared[i]]);
	st = &o->kw[SK_HOSTKEY];
	for (i = 0; i < st->nitems; i++)
		if (st->items[i].s && strcasecmp(st->items[i].s, "none") == 0) {
			free(st->items[i].s);
			st->items[i].s = NULL;
		}
	/* CLEAR_ON_NONE_ARRAY: a lone "none" ChannelTimeout / "any" AuthenticationMethods */
	st = &o->kw[SK_CHANNELTIMEOUT];
	if (st->nitems == 1 && strcasecmp(st->items[0].s, "none") == 0) {
		struct sshd_origin keep = st->origin;
		int set = st->set;

		sshd_setting_clear(st);
		st->origin = keep;
		st->set = set;
	}
	st = &o->kw[SK_AUTHMETHODS];
	if (st->nitems == 1 && strcasecmp(st->items[0].s, "any") == 0) {
		struct sshd_origin keep = st->origin;
		int set = st->set;

		sshd_setting_clear(st);
		st->origin = keep;
		st->set = set;
	}
	return SD_OK;
}

/* The checks sshd makes between parsing and loading host keys. */
static void startup_checks(struct pass *ps)
{
	const struct sshd_options *o = ps->o;
	const struct sshd_setting *am = &o->kw[SK_AUTHMETHODS];
	size_t i;

	if (o->kw[SK_AUTHKEYSCOMMANDUSER].s == NULL && o->kw[SK_AUTHKEYSCOMMAND].s != NULL &&
	    strcasecmp(o->kw[SK_AUTHKEYSCOMMAND].s, "none") != 0)
		pdiag(ps, SSHD_DIAG_FATAL, o->kw[SK_AUTHKEYSCOMMAND].origin.file,
		      o->kw[SK_AUTHKEYSCOMMAND].origin.line,
		      "AuthorizedKeysCommand set without AuthorizedKeysCommandUser%s", "");
	if (o->kw[SK_AUTHPRINCCOMMANDUSER].s == NULL && o->kw[SK_AUTHPRINCCOMMAND].s != NULL &&
	    strcasecmp(o->kw[SK_AUTHPRINCCOMMAND].s, "none") != 0)
		pdiag(ps, SSHD_DIAG_FATAL, o->kw[SK_AUTHPRINCCOMMAND].origin.file,
		      o->kw[SK_AUTHPRINCCOMMAND].origin.line,
		      "AuthorizedPrincipalsCommand set without AuthorizedPrincipalsCommandUser%s",
		      "");
	if (am->nitems > 0) {
		for (i = 0; i < am->nitems; i++) {
			const char *p = am->items[i].s, *e;
			int ok = 1;

			while (ok) {
				size_t n;
				enum sshd_kw flag = SK__COUNT;

				e = strchr(p, ',');
				n = strcspn(p, ",:");
				if (n == 9 && strncmp(p, "publickey", n) == 0)
					flag = SK_PUBKEYAUTH;
				else if (n == 8 && strncmp(p, "password", n) == 0)
					flag = SK_PASSWORDAUTH;
				else if (n == 20 && strncmp(p, "keyboard-interactive", n) == 0)
					flag = SK_KBDINTERACTIVEAUTH;
				else if (n == 9 && strncmp(p, "hostbased", n) == 0)
					flag = SK_HOSTBASEDAUTH;
				else if (n == 15 && strncmp(p, "gssapi-with-mic", n) == 0)
					flag = SK_GSSAPIAUTH;
				else if (n == 12 && strncmp(p, "gssapi-keyex", n) == 0)
					flag = SK_GSSAPIKEYEXCHANGE;
				if (flag != SK__COUNT && o->kw[flag].n[0] == 0)
					ok = 0;
				if (!e)
					break;
				p = e + 1;
			}
			if (ok)
				break;
		}
		if (i >= am->nitems)
			pdiag(ps, SSHD_DIAG_FATAL, am->origin.file, am->origin.line,
			      "AuthenticationMethods cannot be satisfied by enabled authentication "
			      "methods%s",
			      "");
	}
}

/*
 * process_queued_listen_addrs(): getaddrinfo() with the final AddressFamily.  A numeric
 * address of the other family stops sshd; names cannot be checked here.
 */
static void check_listen(struct pass *ps)
{
	const struct sshd_setting *la = &ps->o->kw[SK_LISTENADDRESS];
	int family = ps->o->kw[SK_ADDRESSFAMILY].n[0];
	struct sshd_xaddr x;
	size_t i;

	for (i = 0; i < la->nitems && !stop(ps); i++) {
		if (sshd_addr_pton(la->items[i].s, &x) != 0)
			continue;
		if ((family == 4 && x.af != 4) || (family == 6 && x.af != 6))
			pdiag(ps, SSHD_DIAG_FATAL, la->items[i].origin.file,
			      la->items[i].origin.line,
			      "bad addr or host: %s (Address family for hostname not supported)",
			      la->items[i].s);
	}
}

/* ------------------------------------------------------------------ pass 1 */

static int cmdline_option(struct pass *ps, const struct sshd_cmd *cmd)
{
	struct sshd_options *o = ps->o;
	struct sshd_setting *st;
	struct sshd_origin org = {SSHD_ORIGIN_CMDLINE, 0, NULL, 0};
	char *line;
	int r, v, inc = 0;
	long long port;

	switch (cmd->kind) {
	case SSHD_CMD_OPTION:
		if ((line = strdup(cmd->arg ? cmd->arg : "")) == NULL)
			return SD_ERR_ALLOC;
		r = process_line(ps, line, SSHD_ORIGIN_CMDLINE, 0, NULL, &inc, 0);
		free(line);
		if (r == -1)
			pdiag(ps, SSHD_DIAG_FATAL, SSHD_ORIGIN_CMDLINE, 0, "bad -o option: %s",
			      cmd->arg ? cmd->arg : "");
		return 0;
	case SSHD_CMD_PORT:
		st = &o->kw[SK_PORT];
		o->ports_from_cmdline = 1;
		if (st->nitems >= 256)
			return pdiag(ps, SSHD_DIAG_FATAL, SSHD_ORIGIN_CMDLINE, 0,
			             "too many ports.%s", "");
		if (sshd_strtonum(cmd->arg, 1, 65535, &port) != 0 &&
		    (port = sshd_a2port(cmd->arg)) <= 0)
			return pdiag(ps, SSHD_DIAG_FATAL, SSHD_ORIGIN_CMDLINE, 0,
			             "Bad port number %s.", cmd->arg ? cmd->arg : "");
		if (!st->set) {
			st->set = 1;
			st->origin = org;
		}
		return sshd_setting_add_item(st, NULL, NULL, (int)port, &org);
	case SSHD_CMD_INET:
	case SSHD_CMD_INET6:
		st = &o->kw[SK_ADDRESSFAMILY];
		st->n[0] = cmd->kind == SSHD_CMD_INET ? 4 : 6;
		st->set = 1;
		st->origin = org;
		return 0;
	case SSHD_CMD_HOSTKEY:
	case SSHD_CMD_HOSTCERT: {
		char *p = sshd_derelativise(&ps->h, cmd->arg ? cmd->arg : "");

		st = &o->kw[cmd->kind == SSHD_CMD_HOSTKEY ? SK_HOSTKEY : SK_HOSTCERTIFICATE];
		if (p == NULL)
			return SD_ERR_ALLOC;
		if (!st->set) {
			st->set = 1;
			st->origin = org;
		}
		r = sshd_setting_add_item(st, p, NULL, 0, &org);
		free(p);
		return r;
	}
	case SSHD_CMD_GRACE:
		st = &o->kw[SK_LOGINGRACETIME];
		if ((v = sshd_convtime(cmd->arg, ps->c->version)) == -1)
			return pdiag(ps, SSHD_DIAG_FATAL, SSHD_ORIGIN_CMDLINE, 0,
			             "Invalid login grace time %s.", cmd->arg ? cmd->arg : "");
		st->n[0] = v;
		st->set = 1;
		st->origin = org;
		return 0;
	case SSHD_CMD_QUIET:
	case SSHD_CMD_DEBUG:
		st = &o->kw[SK_LOGLEVEL];
		if (cmd->kind == SSHD_CMD_QUIET)
			st->n[0] = 0;
		else if (st->n[0] < 5)
			st->n[0] = 5;
		else if (st->n[0] < 7)
			st->n[0]++;
		st->set = 1;
		st->origin = org;
		return 0;
	}
	return 0;
}

static void config_free(struct sshd_config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ninc; i++) {
		free(c->inc[i].selector);
		free(c->inc[i].contents);
	}
	free(c->inc);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->main_contents);
	free(c->release);
	free(c->cwd);
	free(c->home);
	sshd_options_release(&c->opts);
	sshd_diags_release(&c->diags);
	free(c);
}

void sshd_config_free(struct sshd_config *c)
{
	config_free(c);
}

int sshd_config_load(const struct sshd_params *p, const struct sshd_loader *ld,
                     struct sshd_config **out)
{
	struct sshd_config *c;
	struct pass ps;
	const char *file = p->config_file ? p->config_file : SSHD_CONFIG_FILE;
	size_t i;
	int active = 1, flags = 0, r;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return SD_ERR_ALLOC;
	sshd_options_init(&c->opts);
	c->version = sshd_version_num(&p->version);
	c->debian = p->version.known ? p->version.debian : 1;
	if ((c->release = strdup(p->version.known ? p->version.text : "")) == NULL ||
	    (c->cwd = strdup(p->cwd ? p->cwd : "/")) == NULL ||
	    (c->home = strdup(p->home ? p->home : "/root")) == NULL) {
		config_free(c);
		return SD_ERR_ALLOC;
	}
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.ld = ld;
	ps.o = &c->opts;
	ps.h.version = c->version;
	ps.h.debian = c->debian;
	ps.h.cwd = c->cwd;
	ps.h.home = c->home;
	ps.h.diags = &c->diags;

	for (i = 0; i < p->ncmds && !stop(&ps); i++)
		if (cmdline_option(&ps, &p->cmds[i]) == SD_ERR_ALLOC)
			ps.oom = 1;
	if (!stop(&ps) && strcasecmp(file, "none") != 0) {
		if ((c->main_file = intern(c, file)) == NULL)
			ps.oom = 1;
		else if (load_file(&ps, c->main_file, &c->main_contents, c->main_file, 0) == SD_OK)
			parse_buffer(&ps, c->main_file, c->main_contents, flags, &active, 0);
	}
	if (!stop(&ps))
		check_listen(&ps);
	if (!ps.oom && (r = fill_defaults(&ps)) != 0)
		ps.oom = 1;
	if (!stop(&ps))
		startup_checks(&ps);
	if (ps.oom) {
		config_free(c);
		return SD_ERR_ALLOC;
	}
	*out = c;
	return SD_OK;
}

/* ------------------------------------------------------------------ pass 2 */

/* copy_set_server_options(): every Match-allowed value set in the Match pass wins. */
static int copy_set(const struct sshd_config *c, struct sshd_options *dst, struct sshd_options *src)
{
	struct sshd_setting *d, *s;
	int k;

	for (k = 0; k < SK__COUNT; k++) {
		const struct sshd_keyword *kd = sshd_kw((enum sshd_kw)k);

		if (kd->type == T_ALIAS || kd->type == T_INCLUDE || kd->type == T_MATCH ||
		    kd->type == T_DEPRECATED || kd->type == T_UNSUPPORTED || kd->type == T_IGNORE ||
		    kd->type == T_RDOMAIN)
			continue;
		if (sshd_kw_scope((enum sshd_kw)k, c->version) != SSHD_M)
			continue;
		d = &dst->kw[k];
		s = &src->kw[k];
		if (!s->set)
			continue;
		if (kd->type == T_REKEY) {
			/* limit and interval are copied one by one */
			if (s->ll != -1)
				d->ll = s->ll;
			if (s->n[0] != -1)
				d->n[0] = s->n[0];
			d->set = 1;
			d->origin = s->origin;
			continue;
		}
		if (k == SK_SUBSYSTEM && d->nitems == 0) {
			/*
			 * 9.5+: the three subsystem arrays are copied one after the other with the
			 * count already updated, so the second copy frees entries of an array that
			 * has fewer: with no global Subsystem at all that array is NULL and the
			 * process crashes.  (Fewer global than Match subsystems reads past the old
			 * array: undefined, harmless in practice, the Match list wins.)
			 */
			return SD_ERR_INVALID;
		}
		sshd_setting_move(d, s);
		if ((k == SK_FORCECOMMAND || k == SK_CHROOTDIRECTORY))
			clear_none(d);
	}
	/* the one global-only value sshd copies: PermitUserEnvironment's pattern list */
	if (src->kw[SK_PERMITUSERENV].set && src->kw[SK_PERMITUSERENV].s != NULL) {
		free(dst->kw[SK_PERMITUSERENV].s);
		dst->kw[SK_PERMITUSERENV].s = src->kw[SK_PERMITUSERENV].s;
		src->kw[SK_PERMITUSERENV].s = NULL;
	}
	return SD_OK;
}

int sshd_config_evaluate(const struct sshd_config *cc, const struct sshd_conn *ci,
                         struct sshd_effective *out)
{
	struct sshd_config *c = (struct sshd_config *)cc; /* the include cache is only read */
	struct sshd_options mo;
	struct pass ps;
	int active = 0, r;

	memset(out, 0, sizeof(*out));
	if ((r = sshd_options_copy(&out->opts, &c->opts)) != 0)
		return r;
	sshd_options_init(&mo);
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.ld = NULL;
	ps.ci = ci;
	ps.o = &mo;
	ps.eff = out;
	ps.h.version = c->version;
	ps.h.debian = c->debian;
	ps.h.cwd = c->cwd;
	ps.h.home = c->home;
	ps.h.diags = &out->diags;
	if (c->main_file && c->main_contents && !c->diags.fatal)
		parse_buffer(&ps, c->main_file, c->main_contents, INC_MATCH_ONLY, &active, 0);
	if (!ps.oom && copy_set(c, &out->opts, &mo) == SD_ERR_INVALID &&
	    sshd_diag_add(&out->diags, SSHD_DIAG_FATAL, mo.kw[SK_SUBSYSTEM].origin.file,
	                  mo.kw[SK_SUBSYSTEM].origin.line,
	                  "sshd crashes (SIGSEGV) applying this Match block: it sets "
	                  "Subsystem and the global section sets none%s",
	                  "") != 0)
		ps.oom = 1;
	sshd_options_release(&mo);
	if (ps.oom) {
		sshd_effective_release(out);
		return SD_ERR_ALLOC;
	}
	return SD_OK;
}

void sshd_effective_release(struct sshd_effective *e)
{
	sshd_options_release(&e->opts);
	free(e->matched);
	sshd_diags_release(&e->diags);
	memset(e, 0, sizeof(*e));
}

/* ------------------------------------------------------------------ accessors */

const struct sshd_options *sshd_config_global(const struct sshd_config *c)
{
	return &c->opts;
}

const struct sshd_diags *sshd_config_diags(const struct sshd_config *c)
{
	return &c->diags;
}

int sshd_config_version(const struct sshd_config *c)
{
	return c->version;
}

int sshd_config_debian(const struct sshd_config *c)
{
	return c->debian;
}

const char *sshd_config_main_file(const struct sshd_config *c)
{
	return c->main_file;
}

size_t sshd_config_nfiles(const struct sshd_config *c)
{
	return c->nfiles;
}

const char *sshd_config_file(const struct sshd_config *c, size_t i)
{
	return i < c->nfiles ? c->files[i] : NULL;
}

const char *sshd_config_line(const struct sshd_config *c, const char *file, unsigned line,
                             size_t *len)
{
	const char *contents = NULL, *p, *e;
	size_t i;
	unsigned n;

	if (file == NULL || line == 0)
		return NULL;
	if (c->main_file && strcmp(file, c->main_file) == 0)
		contents = c->main_contents;
	for (i = 0; contents == NULL && i < c->ninc; i++)
		if (c->inc[i].filename && strcmp(file, c->inc[i].filename) == 0)
			contents = c->inc[i].contents;
	if (contents == NULL)
		return NULL;
	for (p = contents, n = 1; n < line; n++) {
		if ((p = strchr(p, '\n')) == NULL)
			return NULL;
		p++;
	}
	e = strchr(p, '\n');
	*len = e ? (size_t)(e - p) : strlen(p);
	return p;
}
