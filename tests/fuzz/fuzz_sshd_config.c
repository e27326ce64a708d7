/*
 * fuzz_sshd_config.c — libFuzzer target for the sshd_config model (src/sshd/).
 *
 * The input is split at "\n--\n" into up to four files: /etc/ssh/sshd_config and
 * /etc/ssh/f1.conf … f3.conf, which an in-memory loader serves (Include globs are matched
 * with a small '*' matcher).  The first byte picks the modelled version (9.2, 9.5, 9.8, 10.0,
 * 10.1, 10.3) and whether the build is Debian's.  Each input goes through pass 1, the Match
 * pass for two connections, and the `sshd -T` renderer; the bytes are also handed to the
 * /proc/net/tcp, process-title and command-line parsers.
 *
 * The sshd sources are compiled into this target (below) so that it links whether or not
 * they are already part of libsshdiag-core.a: the linker takes no archive member whose
 * symbols are all defined here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "sshd/cmdline.h"
#include "sshd/config.h"
#include "sshd/dump.h"
#include "sshd/proctcp.h"

/* clang-format off */
#include "../../src/sshd/accounts.c"
#include "../../src/sshd/cmdline.c"
#include "../../src/sshd/config.c"
#include "../../src/sshd/dump.c"
#include "../../src/sshd/handlers.c"
#include "../../src/sshd/keywords.c"
#include "../../src/sshd/layers.c"
#include "../../src/sshd/lex.c"
#include "../../src/sshd/match.c"
#include "../../src/sshd/options.c"
#include "../../src/sshd/proctcp.c"
#include "../../src/sshd/render.c"
#include "../../src/sshd/values.c"
#include "../../src/sshd/version.c"
#include "fuzz.h"
/* clang-format on */

#define NFILES 4

struct files {
	const char *name[NFILES];
	const char *data[NFILES];
	size_t len[NFILES];
	int n;
};

static int f_read(void *ctx, const char *path, struct buf *out)
{
	const struct files *f = ctx;
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->name[i], path) == 0)
			return buf_add(out, f->data[i], f->len[i]);
	return SD_ERR_NOT_FOUND;
}

/* '*' and '?' only, no '/' crossing: enough to reach the include machinery. */
static int star(const char *p, const char *s)
{
	if (*p == '\0')
		return *s == '\0';
	if (*p == '*')
		return star(p + 1, s) || (*s && *s != '/' && star(p, s + 1));
	if (*s && (*p == '?' || *p == *s))
		return star(p + 1, s + 1);
	return 0;
}

static int f_glob(void *ctx, const char *pattern, char ***paths, size_t *n)
{
	const struct files *f = ctx;
	char **v;
	int i;

	*n = 0;
	if (strlen(pattern) > 64 || (v = calloc(NFILES, sizeof(*v))) == NULL)
		return SD_ERR_NOT_FOUND;
	for (i = 1; i < f->n; i++)
		if (star(pattern, f->name[i]) && (v[*n] = strdup(f->name[i])) != NULL)
			(*n)++;
	if (*n == 0) {
		free(v);
		return SD_ERR_NOT_FOUND;
	}
	*paths = v;
	return SD_OK;
}

static void side_parsers(const uint8_t *data, size_t size)
{
	struct tcp_sock *socks = NULL;
	struct sshd_title t;
	struct sshd_cmdline cl;
	char *line, **argv = NULL, *exec = NULL;
	const char *units[1], *envs[1];
	size_t n = 0;
	int argc = 0;

	proctcp_parse((const char *)data, size, 4, 1, &socks, &n);
	proctcp_parse((const char *)data, size, 6, 0, &socks, &n);
	free(socks);
	sshd_title_parse((const char *)data, size, &t);
	if ((line = malloc(size + 1)) == NULL)
		return;
	memcpy(line, data, size);
	line[size] = '\0';
	if (sshd_cmdline_split(line, &argv, &argc) == SD_OK) {
		if (sshd_cmdline_parse(argc, argv, &cl) == SD_OK)
			sshd_cmdline_release(&cl);
		sshd_cmdline_split_free(argv, argc);
	}
	units[0] = line;
	envs[0] = line;
	if (sshd_unit_execstart(units, 1, envs, 1, &exec) == SD_OK)
		free(exec);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[NFILES] = {"/etc/ssh/sshd_config", "/etc/ssh/f1.conf",
	                                          "/etc/ssh/f2.conf", "/etc/ssh/f3.conf"};
	static const char *const versions[] = {
	    "OpenSSH_9.2p1 Debian-2+deb12u10", "OpenSSH_9.5p1",  "OpenSSH_9.8p1 Debian-1",
	    "OpenSSH_10.0p2 Debian-7~bpo12+1", "OpenSSH_10.1p1", "OpenSSH_10.3p1"};
	struct sshd_loader ld = {f_read, f_glob, NULL};
	struct sshd_effective e;
	struct sshd_params p;
	struct sshd_config *c;
	struct sshd_conn ci;
	struct files f;
	struct buf b;
	const char *s, *end, *sep;
	const char *groups[] = {"root", "wheel"};

	if (size < 1 || size > 65536)
		return 0;
	side_parsers(data, size);
	memset(&p, 0, sizeof(p));
	sshd_version_parse(versions[data[0] % 6], &p.version);
	memset(&f, 0, sizeof(f));
	s = (const char *)data + 1;
	end = (const char *)data + size;
	while (f.n < NFILES) {
		sep = f.n < NFILES - 1 ? memmem(s, (size_t)(end - s), "\n--\n", 4) : NULL;
		f.name[f.n] = names[f.n];
		f.data[f.n] = s;
		f.len[f.n] = sep ? (size_t)(sep - s) : (size_t)(end - s);
		f.n++;
		if (!sep)
			break;
		s = sep + 4;
	}
	ld.ctx = &f;
	if (sshd_config_load(&p, &ld, &c) != SD_OK)
		return 0;
	memset(&ci, 0, sizeof(ci));
	ci.user = "root";
	ci.addr = "192.0.2.10";
	ci.host = "host.example.com";
	ci.laddr = "10.0.0.1";
	ci.lport = 22;
	ci.user_exists = 1;
	ci.groups = groups;
	ci.ngroups = 2;
	ci.test = data[0] & 1;
	if (sshd_config_evaluate(c, &ci, &e) == SD_OK) {
		buf_init(&b, 1 << 22);
		sshd_dump_text(&e.opts, sshd_config_version(c), sshd_config_debian(c), &b);
		buf_release(&b);
		sshd_effective_release(&e);
	}
	memset(&ci, 0, sizeof(ci));
	ci.test = 1;
	ci.lport = -1;
	if (sshd_config_evaluate(c, &ci, &e) == SD_OK)
		sshd_effective_release(&e);
	sshd_config_free(c);
	return 0;
}
