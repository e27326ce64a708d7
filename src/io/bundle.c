#include "io/bundle.h"

#include <ctype.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/sha256.h"
#include "bundle/redact.h"
#include "bundle/tar.h"
#include "io/collect_bans.h"
#include "io/collect_firewall.h"
#include "io/collect_logs.h"
#include "io/collect_sshd.h"
#include "io/rootfs.h"
#include "sshd/config.h"
#include "sshd/proctcp.h"

#define MAX_MEMBERS 20000u
#define TREE_DEPTH  6

struct bctx {
	const struct bundle_opts *o;
	struct rootfs fs;
	gzFile gz;
	int werr;
	json_t *files, *commands, *skipped, *hostkeys;
	char **seen;
	size_t nseen;
	struct buf stat_tsv;
	int64_t now;
	int capped; /* MAX_MEMBERS reached: the rest was left out */
};

/* ------------------------------------------------------------------ members */

/* 1 when `path` was already added (or refused); else remembers it. */
static int seen(struct bctx *c, const char *path)
{
	size_t i;
	char **v;

	for (i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i], path) == 0)
			return 1;
	if (c->nseen >= MAX_MEMBERS ||
	    (v = realloc(c->seen, (c->nseen + 1) * sizeof(*v))) == NULL) {
		c->capped = 1;
		return 1;
	}
	c->seen = v;
	if ((c->seen[c->nseen] = strdup(path)) != NULL)
		c->nseen++;
	return 0;
}

static void put(struct bctx *c, const void *data, size_t len)
{
	const char *p = data;

	while (!c->werr && len > 0) {
		unsigned n = len > (1u << 30) ? 1u << 30 : (unsigned)len;

		if (gzwrite(c->gz, p, n) != (int)n)
			c->werr = SD_ERR_IO;
		p += n;
		len -= n;
	}
}

/* One member: header, bytes, padding.  `path` is absolute, as seen on the host. */
static void emit(struct bctx *c, const char *path, enum tar_type type, unsigned mode, unsigned uid,
                 unsigned gid, int64_t mtime, const void *data, size_t len, const char *link)
{
	static const char zero[TAR_BLOCK];
	struct tar_member m;
	struct buf h;

	memset(&m, 0, sizeof(m));
	m.name = path + (path[0] == '/');
	m.type = type;
	m.mode = mode;
	m.uid = uid;
	m.gid = gid;
	m.size = len;
	m.mtime = mtime;
	m.linkname = link;
	buf_init(&h, 16 * TAR_BLOCK);
	if (tar_header(&h, &m) != SD_OK) {
		buf_release(&h);
		json_array_append_new(c->skipped,
		                      json_pack("{s:s,s:s}", "path", path, "why", "name too long"));
		return;
	}
	put(c, h.data, h.len);
	buf_release(&h);
	if (type == TAR_FILE) {
		put(c, data, len);
		put(c, zero, tar_padding(len));
	}
}

static void skip(struct bctx *c, const char *path, const char *why)
{
	json_array_append_new(c->skipped, json_pack("{s:s,s:s}", "path", path, "why", why));
}

/* A regular member with its manifest entry; `extra` (owned) adds fields to the entry. */
static void add_bytes(struct bctx *c, const char *path, const char *from, const void *data,
                      size_t len, unsigned mode, unsigned uid, unsigned gid, int64_t mtime,
                      json_t *extra)
{
	struct sha256 s;
	char hex[65], m[8];
	json_t *e;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_hex(&s, hex);
	emit(c, path, TAR_FILE, mode, uid, gid, mtime, data, len, NULL);
	snprintf(m, sizeof(m), "%04o", mode & 07777);
	e = json_pack("{s:s,s:s,s:I,s:s,s:s}", "path", path, "from", from, "size", (json_int_t)len,
	              "sha256", hex, "mode", m);
	if (e && extra)
		json_object_update(e, extra);
	json_decref(extra);
	json_array_append_new(c->files, e);
}

static void add_link(struct bctx *c, const char *path, const char *target)
{
	if (seen(c, path))
		return;
	emit(c, path, TAR_SYMLINK, 0777, 0, 0, c->now, NULL, 0, target);
	json_array_append_new(
	    c->files, json_pack("{s:s,s:s,s:s}", "path", path, "from", "proc", "link", target));
}

static int seen(struct bctx *c, const char *path);

static void stat_line(struct bctx *c, const char *path, const struct stat *st)
{
	char type = S_ISREG(st->st_mode) ? 'f' : S_ISDIR(st->st_mode) ? 'd' : 'o', key[4200];

	snprintf(key, sizeof(key), "stat:%s", path);
	if (seen(c, key))
		return;

	(void)buf_addf(&c->stat_tsv, "%c %o %u %u %s\n", type, (unsigned)(st->st_mode & 07777),
	               (unsigned)st->st_uid, (unsigned)st->st_gid, path);
}

/* Records a path's stat(2) on the host (for the sshd layer's checks), without its bytes. */
static void stat_record(struct bctx *c, const char *path)
{
	struct stat st;
	int fd;

	if ((fd = rootfs_openat(&c->fs, path, O_PATH | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) == 0)
		stat_line(c, path, &st);
	close(fd);
}

enum copy_how { COPY_WHOLE, COPY_TAIL };

static void add_file(struct bctx *c, const char *path, enum copy_how how, const char *why);

/* A private key: never copied; its facts and its public part instead. */
static void private_key(struct bctx *c, const char *path, const struct stat *st)
{
	char pub[4200], m[8];

	snprintf(m, sizeof(m), "%04o", (unsigned)(st->st_mode & 07777));
	snprintf(pub, sizeof(pub), "%s.pub", path);
	add_file(c, pub, COPY_WHOLE, "public part of a private key");
	json_array_append_new(
	    c->hostkeys, json_pack("{s:s,s:b,s:s,s:i,s:i,s:I,s:s,s:b}", "path", path, "exists", 1,
	                           "mode", m, "uid", (int)st->st_uid, "gid", (int)st->st_gid,
	                           "size", (json_int_t)st->st_size, "public", pub, "copied", 0));
	skip(c, path,
	     "private key: never copied (existence, mode and owner are in host_keys and "
	     "/sshdiag/stat.tsv)");
}

/* "/a/b/../c" → "/a/c", "//" and "/./" folded: a member name tar unpacks as it is. */
static void normalize(const char *in, char *out, size_t len)
{
	size_t o = 0;
	const char *p = in;

	while (*p && o + 2 < len) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
		} else if (o + 1 + n < len) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
}

static void add_file_as_is(struct bctx *c, const char *path, enum copy_how how, const char *why);

/* Copies a file: denied paths and private keys never, hashes redacted, logs cut to a tail. */
static void add_file(struct bctx *c, const char *path, enum copy_how how, const char *why)
{
	char norm[4200];

	if (path[0] != '/')
		return;
	normalize(path, norm, sizeof(norm));
	add_file_as_is(c, norm, how, why);
}

static void add_file_as_is(struct bctx *c, const char *path, enum copy_how how, const char *why)
{
	uint64_t cap =
	    how == COPY_TAIL ? (c->o->log_max ? c->o->log_max : BUNDLE_LOG_MAX) : BUNDLE_FILE_MAX;
	struct stat st;
	struct buf raw, red;
	json_t *extra;
	unsigned nred = 0;
	size_t off = 0;
	ssize_t n;
	int fd;

	if (path[0] != '/' || seen(c, path))
		return;
	if (redact_denied_path(path)) {
		if (rootfs_exists(&c->fs, path) == SD_OK)
			skip(c, path, "holds password hashes: never copied");
		return;
	}
	if ((fd = rootfs_openat(&c->fs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			skip(c, path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	buf_init(&raw, (size_t)cap + (1u << 16));
	if ((uint64_t)st.st_size > cap) {
		if (how != COPY_TAIL) {
			close(fd);
			buf_release(&raw);
			skip(c, path, "larger than the bundle's cap for one file");
			return;
		}
		off = (size_t)((uint64_t)st.st_size - cap);
		if (lseek(fd, (off_t)off, SEEK_SET) < 0)
			off = 0;
	}
	for (;;) {
		if (buf_reserve(&raw, 1u << 16) != SD_OK)
			break;
		n = read(fd, raw.data + raw.len, 1u << 16);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		raw.len += (size_t)n;
		raw.data[raw.len] = '\0';
		if (raw.len > cap + (1u << 15))
			break;
	}
	close(fd);
	stat_line(c, path, &st);
	/* binaries first: sshd-session itself holds the words "PRIVATE KEY-----" */
	if (!redact_is_binary(raw.data, raw.len) && redact_has_private_key(raw.data, raw.len)) {
		buf_release(&raw);
		private_key(c, path, &st);
		return;
	}
	extra = json_object();
	json_object_set_new(extra, "why", json_string(why));
	if (off) {
		/* keep whole lines: drop the partial first one */
		char *nl = memchr(raw.data, '\n', raw.len);
		size_t cut = nl ? (size_t)(nl - raw.data) + 1 : raw.len;

		memmove(raw.data, raw.data + cut, raw.len - cut);
		raw.len -= cut;
		json_object_set_new(extra, "cut_bytes", json_integer((json_int_t)(off + cut)));
		json_object_set_new(extra, "original_size", json_integer((json_int_t)st.st_size));
	}
	if (redact_is_binary(raw.data, raw.len)) {
		add_bytes(c, path, "file", raw.data, raw.len, st.st_mode, st.st_uid, st.st_gid,
		          st.st_mtime, extra);
		buf_release(&raw);
		return;
	}
	buf_init(&red, raw.len * 2 + 64);
	if (redact_text(raw.data, raw.len, &red, &nred) != SD_OK) {
		skip(c, path, "could not be redacted");
		json_decref(extra);
	} else {
		if (nred)
			json_object_set_new(extra, "redacted_hashes", json_integer(nred));
		add_bytes(c, path, "file", red.data, red.len, st.st_mode, st.st_uid, st.st_gid,
		          st.st_mtime, extra);
	}
	buf_release(&red);
	buf_release(&raw);
}

/* Every file under `dir` (links followed inside the root, as the readers do). */
static void add_tree(struct bctx *c, const char *dir, int depth, const char *why)
{
	DIR *d = rootfs_opendir(&c->fs, dir);
	struct dirent *de;
	char path[4200];
	struct stat st;
	int fd;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
		         de->d_name);
		if ((fd = rootfs_openat(&c->fs, path, O_PATH | O_CLOEXEC)) < 0)
			continue;
		if (fstat(fd, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth > 0)
				add_tree(c, path, depth - 1, why);
			else if (S_ISREG(st.st_mode))
				add_file(c, path, COPY_WHOLE, why);
		}
		close(fd);
	}
	closedir(d);
}

/* A member made from memory (a command's output, a list). */
static void add_text(struct bctx *c, const char *path, const char *from, const char *text,
                     size_t len)
{
	struct buf red;
	unsigned n = 0;

	if (seen(c, path))
		return;
	buf_init(&red, len * 2 + 64);
	if (redact_has_private_key(text, len))
		skip(c, path, "holds a private key: never copied");
	else if (redact_text(text, len, &red, &n) == SD_OK)
		add_bytes(c, path, from, red.data, red.len, 0644, 0, 0, c->now,
		          n ? json_pack("{s:i}", "redacted_hashes", n) : NULL);
	buf_release(&red);
}

static void command(struct bctx *c, const char *cmd, const char *state, const char *why,
                    const char *output)
{
	json_t *e = json_pack("{s:s,s:s}", "command", cmd, "state", state);

	if (e && why)
		json_object_set_new(e, "why", json_string(why));
	if (e && output)
		json_object_set_new(e, "output", json_string(output));
	json_array_append_new(c->commands, e);
}

/* ------------------------------------------------------------------ /proc snapshot */

static int read_proc(const char *path, struct buf *b)
{
	return rootfs_read(NULL, path, b->max, b);
}

static void proc_file(struct bctx *c, int pid, const char *what)
{
	char path[96];
	struct buf b;
	unsigned n = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	if (seen(c, path))
		return;
	buf_init(&b, 1u << 20);
	if (read_proc(path, &b) == SD_OK) {
		struct buf red;

		buf_init(&red, b.len * 2 + 64);
		if (redact_text(b.data, b.len, &red, &n) == SD_OK)
			add_bytes(c, path, "proc", red.data, red.len, 0444, 0, 0, c->now, NULL);
		buf_release(&red);
	}
	buf_release(&b);
}

static void proc_link(struct bctx *c, int pid, const char *what, char *target, size_t len)
{
	char path[96];

	target[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	if (rootfs_readlink(NULL, path, target, len) > 0)
		add_link(c, path, target);
}

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* 1 when a process is one the collectors look for by name. */
static int wanted(const char *comm, const struct buf *cmd, const char *exe)
{
	const char *a0 = cmd->data, *a1 = cmd->len > strlen(a0) + 1 ? a0 + strlen(a0) + 1 : "";

	static const char *const sshd[] = {"sshd", "sshd-session", "sshd-auth"};
	const char *b = base_of(exe);
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(sshd[i]);
		if (strcmp(comm, sshd[i]) == 0 ||
		    (strncmp(b, sshd[i], n) == 0 &&
		     (b[n] == '\0' || strcmp(b + n, " (deleted)") == 0)))
			return 2; /* sshd: also its parent and its binary */
	}
	return strcmp(base_of(a0), "fail2ban-server") == 0 ||
	       strcmp(base_of(a1), "fail2ban-server") == 0 ||
	       strcmp(base_of(a0), "sshguard") == 0 || strcmp(base_of(a1), "sshguard") == 0 ||
	       strcmp(comm, "sshguard") == 0;
}

static void proc_process(struct bctx *c, int pid, int sshd)
{
	char exe[4200], link[256];
	struct buf b;

	proc_file(c, pid, "comm");
	proc_file(c, pid, "cmdline");
	proc_file(c, pid, "stat");
	proc_link(c, pid, "exe", exe, sizeof(exe));
	proc_link(c, pid, "cwd", link, sizeof(link));
	proc_link(c, pid, "ns/net", link, sizeof(link));
	if (sshd && exe[0] == '/' && !seen(c, exe)) {
		/* the running binary (even deleted): its version and ELF facts */
		char path[96];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		buf_init(&b, BUNDLE_FILE_MAX);
		memset(&st, 0, sizeof(st));
		if (rootfs_read(NULL, path, b.max, &b) == SD_OK) {
			if (stat(path, &st) != 0)
				st.st_mode = 0755;
			add_bytes(c, exe, "running binary", b.data, b.len, st.st_mode & 07777,
			          st.st_uid, st.st_gid, st.st_mtime, NULL);
			stat_line(c, exe, &st);
		}
		buf_release(&b);
	}
}

static void proc_snapshot(struct bctx *c)
{
	static const char *const nets[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	struct tcp_sock *socks = NULL;
	size_t nsocks = 0, i, k;
	unsigned long *inodes = NULL;
	size_t ninodes = 0;
	int *parents = NULL;
	size_t nparents = 0;
	char link[256], ns[256], mine[256];
	DIR *d, *fd;
	struct dirent *de, *fe;
	struct buf b;

	for (i = 0; i < 2; i++) {
		buf_init(&b, 64u << 20);
		if (read_proc(nets[i], &b) == SD_OK) {
			add_bytes(c, nets[i], "proc", b.data, b.len, 0444, 0, 0, c->now, NULL);
			(void)proctcp_parse(b.data, b.len, i == 0 ? 4 : 6,
			                    __BYTE_ORDER == __LITTLE_ENDIAN, &socks, &nsocks);
		}
		buf_release(&b);
	}
	if (rootfs_readlink(NULL, "/proc/self/ns/net", mine, sizeof(mine)) > 0)
		add_link(c, "/proc/self/ns/net", mine);
	else
		mine[0] = '\0';
	/* sockets on a listening port: the listeners and their connections */
	for (i = 0; i < nsocks; i++) {
		int on_listen_port = 0;

		for (k = 0; k < nsocks && !on_listen_port; k++)
			on_listen_port =
			    socks[k].state == TCP_ST_LISTEN && socks[k].lport == socks[i].lport;
		if (on_listen_port) {
			unsigned long *v = realloc(inodes, (ninodes + 1) * sizeof(*v));

			if (!v)
				break;
			inodes = v;
			inodes[ninodes++] = socks[i].inode;
		}
	}
	if ((d = opendir("/proc")) == NULL) {
		skip(c, "/proc", "could not be listed");
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		char path[300], comm[64] = "", exe[4200] = "";
		int pid, want, owner = 0;
		struct buf cmd;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		if (pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		buf_init(&b, 4096);
		if (read_proc(path, &b) == SD_OK)
			snprintf(comm, sizeof(comm), "%.*s", (int)strcspn(b.data, "\n"), b.data);
		buf_release(&b);
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		buf_init(&cmd, 1u << 20);
		(void)read_proc(path, &cmd);
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		(void)rootfs_readlink(NULL, path, exe, sizeof(exe));
		want = wanted(comm, &cmd, exe);
		buf_release(&cmd);
		/* another network namespace's processes serve other sockets and firewalls */
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		if (want && rootfs_readlink(NULL, path, ns, sizeof(ns)) > 0 &&
		    strcmp(ns, mine) != 0)
			want = 0;
		/* the sockets it holds on listening ports */
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		if (ninodes && (fd = opendir(path)) != NULL) {
			while ((fe = readdir(fd)) != NULL) {
				unsigned long ino;

				if (fe->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fe->d_name);
				if (rootfs_readlink(NULL, path, link, sizeof(link)) < 0 ||
				    sscanf(link, "socket:[%lu]", &ino) != 1)
					continue;
				for (k = 0; k < ninodes; k++)
					if (inodes[k] == ino) {
						add_link(c, path, link);
						owner = 1;
						break;
					}
			}
			closedir(fd);
		}
		if (!want && !owner)
			continue;
		proc_process(c, pid, want == 2);
		if (want == 2) {
			/* the parent tells a listener from a connection */
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			buf_init(&b, 4096);
			if (read_proc(path, &b) == SD_OK) {
				char *rp = strrchr(b.data, ')');
				int ppid = 0, *v;

				if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 && ppid > 0 &&
				    (v = realloc(parents, (nparents + 1) * sizeof(*v))) != NULL) {
					parents = v;
					parents[nparents++] = ppid;
				}
			}
			buf_release(&b);
		}
	}
	closedir(d);
	for (i = 0; i < nparents; i++)
		proc_process(c, parents[i], 0);
out:
	free(socks);
	free(inodes);
	free(parents);
}

/* ------------------------------------------------------------------ the layers' inputs */

static void sshd_part(struct bctx *c)
{
	static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
	                                        "/run/systemd/generator", "/usr/lib/systemd/system",
	                                        "/lib/systemd/system"};
	static const char *const units[] = {"ssh.service", "sshd.service", "ssh.socket",
	                                    "sshd.socket", "ssh@.service", "sshd@.service"};
	struct collect_sshd_opts so;
	struct sshd_inputs in;
	char path[4200];
	size_t i, k;

	add_tree(c, "/etc/ssh", TREE_DEPTH, "sshd configuration");
	for (i = 0; i < sizeof(unit_dirs) / sizeof(unit_dirs[0]); i++)
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
			snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], units[k]);
			add_file(c, path, COPY_WHOLE, "systemd unit");
			snprintf(path, sizeof(path), "%s/%s.d", unit_dirs[i], units[k]);
			add_tree(c, path, 1, "systemd drop-in");
			snprintf(path, sizeof(path), "%s/sockets.target.wants/%s", unit_dirs[i],
			         units[k]);
			stat_record(c, path);
			add_file(c, path, COPY_WHOLE, "enabled socket unit");
		}
	add_file(c, "/etc/default/ssh", COPY_WHOLE, "sshd options");
	add_file(c, "/etc/sysconfig/sshd", COPY_WHOLE, "sshd options");
	add_file(c, "/etc/passwd", COPY_WHOLE, "Match User/Group");
	add_file(c, "/etc/group", COPY_WHOLE, "Match Group");
	add_file(c, "/etc/shadow", COPY_WHOLE, "never: recorded as skipped");
	add_file(c, "/etc/gshadow", COPY_WHOLE, "never: recorded as skipped");

	memset(&so, 0, sizeof(so));
	so.port = c->o->port ? c->o->port : 22;
	so.run_sshd_t = c->fs.live;
	if (collect_sshd(&c->fs, &so, &in) == SD_OK) {
		const struct sshd_options *g = in.config ? sshd_config_global(in.config) : NULL;

		for (i = 0; in.config && i < sshd_config_nfiles(in.config); i++)
			add_file(c, sshd_config_file(in.config, i), COPY_WHOLE,
			         "sshd configuration (Include)");
		if (in.binary.checked) {
			stat_record(c, in.binary.path);
			add_file(c, in.binary.path, COPY_WHOLE, "sshd binary (version, ELF)");
		}
		if (in.session.checked) {
			stat_record(c, in.session.path);
			add_file(c, in.session.path, COPY_WHOLE, "sshd-session binary (ELF)");
		}
		if (in.auth.checked) {
			stat_record(c, in.auth.path);
			add_file(c, in.auth.path, COPY_WHOLE, "sshd-auth binary");
		}
		add_file(c, "/usr/sbin/sshd", COPY_WHOLE, "sshd binary (version, ELF)");
		/* where the TCP wrappers check looks for sshd-session: next to sshd */
		for (k = 0; k <= in.ndaemons; k++) {
			const char *b = k < in.ndaemons ? in.daemons[k].exe : in.binary.path;
			const char *slash = strrchr(b, '/');

			if (!slash || (k == in.ndaemons && !in.binary.checked))
				continue;
			snprintf(path, sizeof(path), "%.*s/../lib/openssh/sshd-session",
			         (int)(slash - b), b);
			add_file(c, path, COPY_WHOLE, "sshd-session next to sshd (ELF)");
		}
		add_file(c, "/usr/lib/openssh/sshd-session", COPY_WHOLE, "sshd-session binary");
		for (i = 0; i < in.nhostkeys; i++) {
			stat_record(c, in.hostkeys[i].path);
			add_file(c, in.hostkeys[i].path, COPY_WHOLE, "host key");
			snprintf(path, sizeof(path), "%s.pub", in.hostkeys[i].path);
			add_file(c, path, COPY_WHOLE, "public part of a host key");
		}
		(void)g;
		if (c->fs.live && geteuid() == 0 && in.procs_hidden) {
			char n[32];

			snprintf(n, sizeof(n), "%zu\n", in.procs_hidden);
			add_text(c, BUNDLE_HIDDEN_FILE, "proc", n, strlen(n));
		}
		stat_record(c, "/run/sshd");
		stat_record(c, "/var/empty");
		if (in.test_ran) {
			struct buf t;

			buf_init(&t, 1u << 20);
			(void)buf_addf(&t, "command: %s\nexit: %d\n\n%s", in.test_cmd,
			               in.test_ok ? 0 : 1, in.test_output ? in.test_output : "");
			add_text(c, BUNDLE_SSHD_T_FILE, "command", t.data, t.len);
			command(c, in.test_cmd, in.test_ok ? "exit 0" : "failed", NULL,
			        BUNDLE_SSHD_T_FILE);
			buf_release(&t);
		} else if (c->fs.live) {
			command(c, "sshd -t", "not run",
			        "needs root and the daemon's binary on disk", NULL);
		}
	}
	collect_sshd_release(&in);
}

static void firewall_part(struct bctx *c)
{
	static const char *const states[] = {"absent", "captured", "unreadable", "failed"};
	struct collect_firewall_opts fo;
	struct collected_firewall cf;
	struct ip_addr client;
	struct buf failed;
	size_t i, k;

	if (!c->fs.live) {
		add_tree(c, "/sshdiag", 1, "a bundle's captures");
		add_tree(c, "/etc/iptables", 1, "persistent ruleset");
		add_file(c, "/etc/sysconfig/iptables", COPY_WHOLE, "persistent ruleset");
		add_file(c, "/etc/sysconfig/ip6tables", COPY_WHOLE, "persistent ruleset");
		add_file(c, "/etc/sysconfig/ipset", COPY_WHOLE, "persistent ruleset");
		add_file(c, "/etc/nftables.conf", COPY_WHOLE, "nftables configuration");
		return;
	}
	memset(&fo, 0, sizeof(fo));
	memset(&client, 0, sizeof(client));
	if (c->o->client && ip_addr_parse(c->o->client, &client) == 0)
		fo.client = &client;
	buf_init(&failed, 1u << 20);
	if (collect_firewall(&c->fs, &fo, &cf) == SD_OK) {
		for (i = 0; i < cf.in.n; i++) {
			const struct firewall_input *x = &cf.in.in[i];
			const char *out = NULL;

			for (k = 0; k < COLLECT_FIREWALL_NCAPTURES; k++)
				if (strcmp(collect_firewall_captures[k].origin, x->origin) == 0)
					out = collect_firewall_captures[k].bundle;
			if (x->state == FW_INPUT_PRESENT && out)
				add_text(c, out, "command", x->data, x->len);
			else if (x->state == FW_INPUT_UNREADABLE || x->state == FW_INPUT_FAILED)
				(void)buf_addf(&failed, "%s\t%s\t%s\n",
				               x->state == FW_INPUT_UNREADABLE ? "unreadable"
				                                               : "failed",
				               x->origin, x->why ? x->why : "failed");
			command(c, x->origin, (unsigned)x->state < 4 ? states[x->state] : "?",
			        x->why, x->state == FW_INPUT_PRESENT ? out : NULL);
		}
		if (fo.client) {
			/* the interface the client's packets arrive on, for -i / iif rules */
			char a[64], line[256];

			ip_addr_format(&client, a, sizeof(a));
			snprintf(line, sizeof(line), "%s\t%s\t%s\n", a, cf.in.iif ? cf.in.iif : "",
			         cf.in.iif_addr ? cf.in.iif_addr : "");
			add_text(c, BUNDLE_FW_IIF_FILE, "command", line, strlen(line));
			command(c, "ip -o route get CLIENT; ip -o addr show dev IF",
			        cf.in.iif ? "captured" : "failed", NULL, BUNDLE_FW_IIF_FILE);
		}
	}
	collected_firewall_release(&cf);
	if (failed.len)
		add_text(c, BUNDLE_FW_FAILED_FILE, "command", failed.data, failed.len);
	buf_release(&failed);
}

static void bans_part(struct bctx *c)
{
	struct collect_bans_opts bo;
	struct collected_bans cb;

	add_tree(c, "/etc/fail2ban", TREE_DEPTH, "fail2ban configuration");
	add_tree(c, "/etc/sshguard", 1, "sshguard configuration");
	add_file(c, "/etc/sshguard.conf", COPY_WHOLE, "sshguard configuration");
	add_file(c, "/usr/local/etc/sshguard.conf", COPY_WHOLE, "sshguard configuration");
	add_file(c, "/etc/denyhosts.conf", COPY_WHOLE, "DenyHosts configuration");
	add_tree(c, "/var/lib/denyhosts", 1, "DenyHosts work files");
	add_file(c, "/etc/hosts.allow", COPY_WHOLE, "TCP wrappers");
	add_file(c, "/etc/hosts.deny", COPY_WHOLE, "TCP wrappers");

	memset(&bo, 0, sizeof(bo));
	bo.ask_server = c->fs.live;
	bo.ask_banip = 1;
	if (collect_bans(&c->fs, &bo, &cb) == SD_OK) {
		const struct f2b_inputs *fi = &cb.in.f2b;

		if (fi->confdir)
			add_tree(c, fi->confdir, TREE_DEPTH,
			         "fail2ban configuration (running server)");
		if (cb.server.dbfile && cb.server.dbfile[0] == '/')
			add_file(c, cb.server.dbfile, COPY_WHOLE, "fail2ban database");
		if (cb.f2b_log)
			add_file(c, cb.f2b_log, COPY_TAIL, "fail2ban log");
		if (c->fs.live && fi->status_text) {
			add_text(c, BUNDLE_F2B_STATUS_FILE, "command", fi->status_text,
			         strlen(fi->status_text));
			command(c, "fail2ban-client status", "exit 0", NULL,
			        BUNDLE_F2B_STATUS_FILE);
		}
		if (c->fs.live && fi->banip_text) {
			add_text(c, BUNDLE_F2B_BANIP_FILE, "command", fi->banip_text,
			         strlen(fi->banip_text));
			command(c, "fail2ban-client get banip --with-time", "exit 0", NULL,
			        BUNDLE_F2B_BANIP_FILE);
		}
		if (c->fs.live && fi->live_why) {
			add_text(c, BUNDLE_F2B_WHY_FILE, "command", fi->live_why,
			         strlen(fi->live_why));
			command(c, "fail2ban-client", "not asked", fi->live_why,
			        BUNDLE_F2B_WHY_FILE);
		}
	}
	collected_bans_release(&cb);
}

static void logs_part(struct bctx *c)
{
	struct collect_logs_opts lo;
	struct log_summary_opts lso;
	struct log_summary ls;
	struct buf list;
	size_t i;

	add_file(c, "/etc/rsyslog.conf", COPY_WHOLE, "syslog routing");
	add_tree(c, "/etc/rsyslog.d", 1, "syslog routing");
	add_file(c, "/etc/syslog.conf", COPY_WHOLE, "syslog routing");
	if (c->o->nlogs) {
		/* as `server --log FILE`: these files and nothing else */
		buf_init(&list, 1u << 20);
		for (i = 0; i < c->o->nlogs; i++) {
			if (rootfs_exists(&c->fs, c->o->logs[i]) != SD_OK)
				skip(c, c->o->logs[i], "log given with --log: not found");
			add_file(c, c->o->logs[i], COPY_TAIL, "log (given)");
			(void)buf_addf(&list, "%s\n", c->o->logs[i]);
		}
		add_text(c, BUNDLE_LOGS_FILE, "list", list.data, list.len);
		buf_release(&list);
		return;
	}
	/* what discovery reads: the same search, then the files it found */
	memset(&lso, 0, sizeof(lso));
	collect_logs_clock(&lso.clock);
	lso.since = LOG_TS_NONE;
	log_summary_init(&ls, &lso);
	memset(&lo, 0, sizeof(lo));
	lo.discover = 1;
	lo.max_bytes = c->o->log_max ? c->o->log_max : BUNDLE_LOG_MAX;
	if (collect_logs(&c->fs, &lo, &ls) == SD_OK) {
		for (i = 0; i < ls.nsources; i++) {
			const char *name = ls.sources[i].name;

			if (name && name[0] == '/')
				add_file(c, name, COPY_TAIL, "log");
			else if (name && strcmp(name, "journal") == 0 && c->fs.live) {
				struct buf j;
				unsigned long n = 0;
				const char *why = NULL;
				unsigned h =
				    c->o->journal_hours ? c->o->journal_hours : BUNDLE_JOURNAL_H;

				buf_init(&j, BUNDLE_JOURNAL_MAX + (1u << 20));
				if (collect_logs_journal_export(
				        c->now * 1000000 - (int64_t)h * 3600 * 1000000,
				        BUNDLE_JOURNAL_MAX, &j, &n, &why) == SD_OK) {
					add_text(c, BUNDLE_JOURNAL_FILE, "journal", j.data, j.len);
					command(c, "journal (sshd, fail2ban, sshguard entries)",
					        why ? "partial" : "exported", why,
					        BUNDLE_JOURNAL_FILE);
				}
				buf_release(&j);
			}
		}
	}
	log_summary_release(&ls);
}

/* ------------------------------------------------------------------ entry */

int bundle_write(const struct bundle_opts *o, int fd, char *why, size_t whylen)
{
	return bundle_write_manifest(o, fd, why, whylen, NULL);
}

int bundle_write_manifest(const struct bundle_opts *o, int fd, char *why, size_t whylen,
                          char **manifest_out)
{
	struct bctx c;
	char *manifest;
	int r, wfd;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.now = (int64_t)time(NULL);
	if ((r = rootfs_open(&c.fs, o->root)) != SD_OK) {
		snprintf(why, whylen, "cannot open %s: %s", o->root ? o->root : "/",
		         sd_strerror(r));
		return r;
	}
	if ((wfd = dup(fd)) < 0 || (c.gz = gzdopen(wfd, "wb6")) == NULL) {
		if (wfd >= 0)
			close(wfd);
		rootfs_close(&c.fs);
		snprintf(why, whylen, "cannot write the output");
		return SD_ERR_IO;
	}
	c.files = json_array();
	c.commands = json_array();
	c.skipped = json_array();
	c.hostkeys = json_array();
	buf_init(&c.stat_tsv, 16u << 20);
	seen(&c, BUNDLE_MANIFEST);
	seen(&c, BUNDLE_STAT_FILE);

	if (c.fs.live && geteuid() == 0)
		proc_snapshot(&c);
	else if (c.fs.live)
		/* without root the socket owners and sshd's files are partly hidden: a partial
		 * snapshot could make --root say clear where the host would say inconclusive */
		skip(&c, "/proc",
		     "not root: no snapshot of sockets and processes (--root will say "
		     "the listen layer is unreadable)");
	else {
		/* a tree that is itself a bundle keeps its snapshot and records */
		add_tree(&c, "/proc", TREE_DEPTH, "a bundle's /proc snapshot");
		(void)rootfs_read(&c.fs, BUNDLE_STAT_FILE, c.stat_tsv.max, &c.stat_tsv);
	}
	sshd_part(&c);
	firewall_part(&c);
	bans_part(&c);
	logs_part(&c);
	if (!c.fs.live)
		add_tree(&c, "/sshdiag", 1, "a bundle's records");

	if (c.capped)
		skip(&c, "*", "the bundle's cap on members was reached: later files are missing");
	emit(&c, BUNDLE_STAT_FILE, TAR_FILE, 0644, 0, 0, c.now, c.stat_tsv.data, c.stat_tsv.len,
	     NULL);
	{
		json_t *m = json_pack(
		    "{s:i,s:s,s:s,s:b,s:I,s:o,s:o,s:o,s:o,s:{s:I,s:i}}", "sshdiag_bundle", 1,
		    "sshdiag_version", SSHDIAG_VERSION, "root", o->root ? o->root : "/", "live",
		    c.fs.live, "created", (json_int_t)c.now, "files", c.files, "commands",
		    c.commands, "skipped", c.skipped, "host_keys", c.hostkeys, "caps", "log_bytes",
		    (json_int_t)(o->log_max ? o->log_max : BUNDLE_LOG_MAX), "journal_hours",
		    (int)(o->journal_hours ? o->journal_hours : BUNDLE_JOURNAL_H));

		manifest = m ? json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
		json_decref(m);
	}
	if (manifest) {
		emit(&c, BUNDLE_MANIFEST, TAR_FILE, 0644, 0, 0, c.now, manifest, strlen(manifest),
		     NULL);
		if (manifest_out)
			*manifest_out = manifest;
		else
			free(manifest);
	} else {
		c.werr = c.werr ? c.werr : SD_ERR_ALLOC;
	}
	{
		static const char zero[2 * TAR_BLOCK];

		put(&c, zero, sizeof(zero));
	}
	if (gzclose(c.gz) != Z_OK && !c.werr)
		c.werr = SD_ERR_IO;
	for (i = 0; i < c.nseen; i++)
		free(c.seen[i]);
	free(c.seen);
	buf_release(&c.stat_tsv);
	rootfs_close(&c.fs);
	if (c.werr)
		snprintf(why, whylen, "writing the bundle failed: %s", sd_strerror(c.werr));
	return c.werr;
}
