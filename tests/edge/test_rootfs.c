/* rootfs: every read stays inside the root, never blocks, never exceeds its cap. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "io/rootfs.h"

#include "../unit/t.h"
#include "edge.h"
#include "tests.h"

#define INSIDE "inside-root-hostname\n"

/* A temp tree standing in for a diagnosed system's root. */
struct tree {
	char dir[64];
	struct rootfs fs;
	int open;
};

static int tree_make(struct tree *t)
{
	char path[PATH_MAX];

	memset(t, 0, sizeof(*t));
	strcpy(t->dir, "/tmp/sshdiag-edge-root.XXXXXX");
	if (!CHECK(mkdtemp(t->dir) != NULL))
		return -1;
	if (edge_write_file(t->dir, "etc/ssh/sshd_config", "Port 2222\n", 10) != 0 ||
	    edge_write_file(t->dir, "etc/hostname", INSIDE, strlen(INSIDE)) != 0)
		return -1;
	/* an absolute symlink: inside the root it means <root>/etc/hostname */
	snprintf(path, sizeof(path), "%s/etc/abs-link", t->dir);
	CHECK(symlink("/etc/hostname", path) == 0);
	/* an absolute symlink to a file the host has but the root does not */
	snprintf(path, sizeof(path), "%s/etc/abs-missing", t->dir);
	CHECK(symlink("/etc/passwd", path) == 0);
	/* relative escapes: more ".." than the tree is deep */
	snprintf(path, sizeof(path), "%s/etc/ssh/rel-escape", t->dir);
	CHECK(symlink("../../../../../../../../etc/passwd", path) == 0);
	snprintf(path, sizeof(path), "%s/etc/ssh/rel-inside", t->dir);
	CHECK(symlink("../../../../../../../../etc/hostname", path) == 0);
	snprintf(path, sizeof(path), "%s/run", t->dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/run/fifo", t->dir);
	CHECK(mkfifo(path, 0600) == 0);
	if (!CHECK_EQ_INT(rootfs_open(&t->fs, t->dir), SD_OK))
		return -1;
	t->open = 1;
	CHECK_EQ_INT(t->fs.live, 0);
	return 0;
}

static void tree_free(struct tree *t)
{
	if (t->open)
		rootfs_close(&t->fs);
	edge_rm_tree(t->dir);
}

/* Reads a host file with stdio (for "this is not the host's file" comparisons). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	size_t n;

	if (!f)
		return NULL;
	s = calloc(1, 1 << 20);
	n = s ? fread(s, 1, (1 << 20) - 1, f) : 0;
	(void)n;
	fclose(f);
	return s;
}

void test_rootfs_reads_regular_file(void)
{
	struct tree t;
	struct buf b;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		CHECK_EQ_INT(buf_adds(&b, "prefix:"), SD_OK);
		CHECK_EQ_INT(rootfs_read(&t.fs, "/etc/ssh/sshd_config", 4096, &b), SD_OK);
		CHECK_STREQ(b.data, "prefix:Port 2222\n"); /* appends */
		CHECK_EQ_INT(rootfs_exists(&t.fs, "/etc/ssh/sshd_config"), SD_OK);
		CHECK_EQ_INT(rootfs_exists(&t.fs, "/etc/ssh"), SD_OK);
	}
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_missing_and_directory(void)
{
	struct tree t;
	struct buf b;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		CHECK_EQ_INT(rootfs_read(&t.fs, "/etc/nope", 4096, &b), SD_ERR_NOT_FOUND);
		CHECK_EQ_INT(rootfs_read(&t.fs, "/etc/hostname/x", 4096, &b), SD_ERR_NOT_FOUND);
		CHECK_EQ_INT(rootfs_read(&t.fs, "/etc/ssh", 4096, &b), SD_ERR_NOT_REGULAR);
		CHECK_EQ_INT(rootfs_exists(&t.fs, "/etc/nope"), SD_ERR_NOT_FOUND);
		CHECK_EQ_INT(b.len, 0);
	}
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_absolute_symlink_resolves_inside_root(void)
{
	struct tree t;
	struct buf b;
	int r;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		r = rootfs_read(&t.fs, "/etc/abs-link", 4096, &b);
		/* RESOLVE_IN_ROOT reads <root>/etc/hostname; the no-openat2 fallback refuses */
		if (r == SD_OK)
			CHECK_STREQ(b.data, INSIDE);
		else
			CHECK_EQ_INT(r, SD_ERR_ESCAPE);
	}
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_absolute_symlink_never_reads_host(void)
{
	struct tree t;
	struct buf b;
	char *host = slurp("/etc/passwd");
	int r;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		r = rootfs_read(&t.fs, "/etc/abs-missing", 1 << 20, &b);
		CHECK(r == SD_ERR_NOT_FOUND || r == SD_ERR_ESCAPE);
		CHECK_EQ_INT(b.len, 0);
		if (host && b.len)
			CHECK(strcmp(b.data, host) != 0);
		CHECK(rootfs_exists(&t.fs, "/etc/abs-missing") != SD_OK);
	}
	free(host);
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_dotdot_escape_never_reads_host(void)
{
	struct tree t;
	struct buf b;
	int r;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		r = rootfs_read(&t.fs, "/etc/ssh/rel-escape", 1 << 20, &b);
		CHECK(r == SD_ERR_NOT_FOUND || r == SD_ERR_ESCAPE);
		CHECK_EQ_INT(b.len, 0);
		/* ".." in the path itself is clamped at the root as well */
		r = rootfs_read(&t.fs, "/../../../../etc/passwd", 1 << 20, &b);
		CHECK(r == SD_ERR_NOT_FOUND || r == SD_ERR_ESCAPE);
		r = rootfs_read(&t.fs, "../../../../etc/passwd", 1 << 20, &b);
		CHECK(r == SD_ERR_NOT_FOUND || r == SD_ERR_ESCAPE);
		CHECK_EQ_INT(b.len, 0);
		/* and a ".." walk that lands on a file inside the root reads that file */
		r = rootfs_read(&t.fs, "/etc/ssh/rel-inside", 4096, &b);
		if (r == SD_OK)
			CHECK_STREQ(b.data, INSIDE);
		else
			CHECK_EQ_INT(r, SD_ERR_ESCAPE);
	}
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_fifo_is_not_regular_and_does_not_block(void)
{
	struct tree t;
	struct buf b;
	double t0;

	buf_init(&b, 1 << 20);
	if (tree_make(&t) == 0) {
		edge_watchdog("rootfs_fifo_is_not_regular_and_does_not_block", 5);
		t0 = edge_now_ms();
		CHECK_EQ_INT(rootfs_read(&t.fs, "/run/fifo", 4096, &b), SD_ERR_NOT_REGULAR);
		edge_watchdog(NULL, 0);
		CHECK(edge_now_ms() - t0 < 1000);
		CHECK_EQ_INT(b.len, 0);
	}
	buf_release(&b);
	tree_free(&t);
}

void test_rootfs_file_over_cap_is_too_long(void)
{
	struct tree t;
	struct buf b;
	char *big = malloc(300000);

	buf_init(&b, 1 << 22);
	if (!CHECK(big != NULL))
		return;
	if (tree_make(&t) == 0) {
		memset(big, 'x', 300000);
		if (edge_write_file(t.dir, "var/log/big.log", big, 300000) == 0) {
			CHECK_EQ_INT(buf_adds(&b, "keep"), SD_OK);
			CHECK_EQ_INT(rootfs_read(&t.fs, "/var/log/big.log", 100000, &b),
			             SD_ERR_TOO_LONG);
			CHECK_EQ_INT(b.len, 4); /* nothing appended on failure */
			CHECK_STREQ(b.data, "keep");
			/* exactly at the cap is fine */
			CHECK_EQ_INT(rootfs_read(&t.fs, "/var/log/big.log", 300000, &b), SD_OK);
			CHECK_EQ_INT(b.len, 300004);
		}
	}
	tree_free(&t);
	free(big);
	buf_release(&b);
}

void test_rootfs_open_missing_root(void)
{
	struct rootfs fs;

	CHECK_EQ_INT(rootfs_open(&fs, "/nonexistent/sshdiag-edge-root"), SD_ERR_NOT_FOUND);
}

void test_rootfs_live_mode_reads_host_file(void)
{
	static const char *const candidates[] = {"/etc/hostname", "/etc/os-release", "/etc/passwd"};
	struct rootfs fs;
	struct buf b;
	const char *path = NULL;
	char *want;
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]) && !path; i++)
		if (access(candidates[i], R_OK) == 0)
			path = candidates[i];
	if (!CHECK(path != NULL))
		return;
	want = slurp(path);
	buf_init(&b, 1 << 20);
	if (CHECK_EQ_INT(rootfs_open(&fs, NULL), SD_OK)) {
		CHECK_EQ_INT(fs.live, 1);
		CHECK_STREQ(fs.root, "/");
		CHECK_EQ_INT(rootfs_read(&fs, path, 1 << 20, &b), SD_OK);
		CHECK_STREQ(b.data, want);
		CHECK_EQ_INT(rootfs_exists(&fs, path), SD_OK);
		rootfs_close(&fs);
	}
	free(want);
	buf_release(&b);
}

/* readlink and opendir inside the root: the link itself, never followed out; a /proc snapshot. */
void test_rootfs_readlink_opendir_and_proc_snapshot(void)
{
	struct tree t;
	char path[PATH_MAX], link[128];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (tree_make(&t) != 0) {
		tree_free(&t);
		return;
	}
	/* the link's own text, also when it points outside the tree or nowhere */
	CHECK_EQ_INT(rootfs_readlink(&t.fs, "/etc/abs-missing", link, sizeof(link)), 11);
	CHECK_STREQ(link, "/etc/passwd");
	CHECK_EQ_INT(rootfs_readlink(&t.fs, "/etc/ssh/rel-escape", link, 8), 7);
	CHECK_STREQ(link, "../../.");
	CHECK(rootfs_readlink(&t.fs, "/etc/hostname", link, sizeof(link)) < 0); /* not a link */
	CHECK(rootfs_readlink(&t.fs, "/nope", link, sizeof(link)) < 0);
	/* no snapshot yet */
	CHECK_EQ_INT(rootfs_has_proc(&t.fs), 0);
	CHECK(edge_write_file(t.dir, "proc/net/tcp", "  sl\n", 5) == 0);
	CHECK_EQ_INT(rootfs_has_proc(&t.fs), 0); /* needs its namespace too */
	snprintf(path, sizeof(path), "%s/proc/self", t.dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/proc/self/ns", t.dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/proc/self/ns/net", t.dir);
	CHECK(symlink("net:[4026531840]", path) == 0); /* dangling, like a stored /proc link */
	CHECK_EQ_INT(rootfs_has_proc(&t.fs), 1);
	CHECK_EQ_INT(rootfs_has_proc(NULL), 1);
	if (CHECK((d = rootfs_opendir(&t.fs, "/proc")) != NULL)) {
		while ((de = readdir(d)) != NULL)
			n += strcmp(de->d_name, "net") == 0 || strcmp(de->d_name, "self") == 0;
		closedir(d);
	}
	CHECK_EQ_INT(n, 2);
	CHECK(rootfs_opendir(&t.fs, "/etc/hostname") == NULL);
	tree_free(&t);
}
