/*
 * edge.c — tests of the sshd layer's I/O edge (io/collect_sshd.h) on temporary trees:
 * the Include glob must expand like glob(3) (which sshd uses), inside a --root tree too,
 * and the collector must find the configuration, the command line of the systemd unit and
 * the version of the binary without running anything.  Ends with
 * "sshd-edge: N passed, N failed".
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/t.c"
#include "base/err.h"
#include "io/collect_sshd.h"
#include "io/rootfs.h"
#include "sshd/layers.h"

static char top[] = "/tmp/sdsshd-edge.XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], cmd[600], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
		if (system(cmd) != 0)
			return;
	}
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* The same pattern through glob(3) and collect_sshd_glob() on the live root. */
static int same_as_glob3(const char *rel_pattern)
{
	char pattern[512], **paths = NULL;
	struct rootfs fs;
	glob_t g;
	size_t i, n = 0;
	int r, gr, ok = 1;

	snprintf(pattern, sizeof(pattern), "%s/%s", top, rel_pattern);
	gr = glob(pattern, 0, NULL, &g);
	if (rootfs_open(&fs, "/") != 0)
		return 0;
	r = collect_sshd_glob(&fs, pattern, &paths, &n);
	if (gr == GLOB_NOMATCH) {
		ok = r == SD_ERR_NOT_FOUND;
	} else if (r != SD_OK || n != g.gl_pathc) {
		ok = 0;
	} else {
		for (i = 0; i < n; i++)
			if (strcmp(paths[i], g.gl_pathv[i]) != 0)
				ok = 0;
	}
	if (!ok)
		t_fail(__FILE__, __LINE__, "pattern %s: glob(3) %zu paths, ours %zu (r=%d)",
		       rel_pattern, gr == 0 ? g.gl_pathc : 0, n, r);
	if (gr == 0)
		globfree(&g);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	rootfs_close(&fs);
	return ok;
}

static void test_glob_matches_glob3_on_names(void)
{
	CHECK(same_as_glob3("g/*.conf"));
	CHECK(same_as_glob3("g/1?-*.conf"));
	CHECK(same_as_glob3("g/[ab]*.conf"));
	CHECK(same_as_glob3("g/*"));
}

static void test_glob_leading_dot_needs_explicit_dot(void)
{
	CHECK(same_as_glob3("g/.*"));
	CHECK(same_as_glob3("g/.h*.conf"));
}

static void test_glob_directories_in_the_middle(void)
{
	CHECK(same_as_glob3("g/*/x.conf"));
	CHECK(same_as_glob3("g/d?/*.conf"));
}

static void test_glob_literal_and_escapes(void)
{
	CHECK(same_as_glob3("g/a.conf"));
	CHECK(same_as_glob3("g/nothere.conf"));
	CHECK(same_as_glob3("g/\\a.conf"));
	CHECK(same_as_glob3("nothere/*.conf"));
}

static void test_glob_inside_root_is_rooted(void)
{
	struct rootfs fs;
	char **paths = NULL;
	size_t n = 0, i;

	if (!CHECK_EQ_INT(rootfs_open(&fs, top), SD_OK))
		return;
	if (CHECK_EQ_INT(collect_sshd_glob(&fs, "/g/*.conf", &paths, &n), SD_OK)) {
		CHECK(n >= 2 && strcmp(paths[0], "/g/10-x.conf") == 0);
		for (i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
	}
	/* ".." cannot leave the tree */
	CHECK_EQ_INT(collect_sshd_glob(&fs, "/../../../etc/pass*", &paths, &n), SD_ERR_NOT_FOUND);
	rootfs_close(&fs);
}

static void test_collect_root_tree_unit_options_and_version(void)
{
	struct collect_sshd_opts o = {22, NULL, NULL, 0};
	struct sshd_inputs in;
	struct rootfs fs;
	char root[512], cmd[1200];
	const struct sshd_options *g;

	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p %s/usr/sbin && printf 'x\\0OpenSSH_9.2p1 Debian-2\\0' > "
	         "%s/usr/sbin/sshd",
	         root, root);
	if (!CHECK(system(cmd) == 0))
		return;
	put("root/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPort 22\n");
	put("root/etc/ssh/sshd_config.d/5-lg.conf", "LoginGraceTime 33\n");
	put("root/lib/systemd/system/ssh.service", "[Service]\nEnvironmentFile=-/etc/default/"
	                                           "ssh\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n");
	put("root/etc/default/ssh", "SSHD_OPTS=\"-p 2222\"\n");
	if (!CHECK_EQ_INT(rootfs_open(&fs, root), SD_OK))
		return;
	if (CHECK_EQ_INT(collect_sshd(&fs, &o, &in), SD_OK) && CHECK(in.config != NULL)) {
		g = sshd_config_global(in.config);
		CHECK(!in.live);
		CHECK(in.version.known && in.version.major == 9 && in.version.minor == 2);
		CHECK(g->kw[SK_PORT].nitems == 1 && g->kw[SK_PORT].items[0].n == 2222);
		CHECK_EQ_INT(g->kw[SK_LOGINGRACETIME].n[0], 33);
		CHECK_STREQ(g->kw[SK_LOGINGRACETIME].origin.file,
		            "/etc/ssh/sshd_config.d/5-lg.conf");
		CHECK_STREQ(in.cmdline_source, "/lib/systemd/system/ssh.service");
	}
	collect_sshd_release(&in);
	rootfs_close(&fs);
}

#define EDGE_TESTS(X)                                                                              \
	X(glob_matches_glob3_on_names)                                                             \
	X(glob_leading_dot_needs_explicit_dot)                                                     \
	X(glob_directories_in_the_middle)                                                          \
	X(glob_literal_and_escapes)                                                                \
	X(glob_inside_root_is_rooted)                                                              \
	X(collect_root_tree_unit_options_and_version)

static const struct t_test tests[] = {EDGE_TESTS(T_ENTRY)};

int main(int argc, char **argv)
{
	char cmd[600];
	int r;

	if (mkdtemp(top) == NULL)
		return 4;
	put("g/10-x.conf", "");
	put("g/2-y.conf", "");
	put("g/a.conf", "");
	put("g/b.conf", "");
	put("g/Z.conf", "");
	put("g/.hidden.conf", "");
	put("g/c.conf.bak", "");
	put("g/d1/x.conf", "");
	put("g/d2/x.conf", "");
	r = t_run("sshd-edge", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "sshd-edge: could not remove %s\n", top);
	return r;
}
