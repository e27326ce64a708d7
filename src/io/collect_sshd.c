#include "io/collect_sshd.h"

#include <ctype.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "bundle/records.h"
#include "io/proc.h"
#include "sshd/accounts.h"
#include "sshd/cmdline.h"
#include "sshd/proctcp.h"
#include "sshd/version.h"

#define BINARY_MAX (32u << 20) /* bytes of an sshd binary read for its version */

/* ------------------------------------------------------------------ in-root access */

/* Opens `path` (absolute, on the diagnosed system) through the one rooted-path layer. */
static int root_open(const struct rootfs *fs, const char *path, int flags)
{
	return rootfs_openat(fs, path, flags | O_CLOEXEC);
}

/* ------------------------------------------------------------------ glob */

struct pathvec {
	char **v;
	size_t n;
	int oom;
};

static void pv_add(struct pathvec *pv, const char *dir, const char *name)
{
	char **nv, *p;
	size_t dl = strlen(dir);

	if (pv->oom)
		return;
	if ((p = malloc(dl + strlen(name) + 2)) == NULL ||
	    (nv = realloc(pv->v, (pv->n + 1) * sizeof(*nv))) == NULL) {
		free(p);
		pv->oom = 1;
		return;
	}
	strcpy(p, dir);
	if (dl == 0 || dir[dl - 1] != '/')
		strcat(p, "/");
	strcat(p, name);
	pv->v = nv;
	pv->v[pv->n++] = p;
}

static int has_magic(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return 1;
	}
	return 0;
}

/* A component without magic, with its backslash escapes removed. */
static void unescape(char *dst, const char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		dst[j++] = s[i];
	}
	dst[j] = '\0';
}

static int is_dir_at(const struct rootfs *fs, const char *path)
{
	struct stat st;
	int fd = root_open(fs, path, O_PATH);
	int r;

	if (fd < 0)
		return 0;
	r = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	close(fd);
	return r;
}

static int exists_at(const struct rootfs *fs, const char *path)
{
	int fd = root_open(fs, path, O_PATH);

	if (fd < 0) {
		/* a dangling symlink still exists for glob(3) */
		fd = root_open(fs, path, O_PATH | O_NOFOLLOW);
		if (fd < 0)
			return 0;
	}
	close(fd);
	return 1;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands the components from `rest` below directory `dir` (both on the diagnosed system). */
static void glob_walk(const struct rootfs *fs, const char *dir, const char *rest,
                      struct pathvec *pv, int depth)
{
	const char *slash, *next;
	char comp[1024], sub[4096];
	size_t n;
	DIR *d;
	struct dirent *de;
	int fd, last;

	if (depth > 64 || pv->oom)
		return;
	while (*rest == '/')
		rest++;
	if (*rest == '\0') {
		pv_add(pv, dir, "");
		if (!pv->oom)
			pv->v[pv->n - 1][strlen(pv->v[pv->n - 1]) - 1] = '\0'; /* "dir/" → "dir" */
		return;
	}
	slash = strchr(rest, '/');
	n = slash ? (size_t)(slash - rest) : strlen(rest);
	next = slash ? slash : rest + n;
	while (*next == '/')
		next++;
	last = *next == '\0';
	if (n >= sizeof(comp))
		return;
	if (!has_magic(rest, n)) {
		unescape(comp, rest, n);
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", dir,
		                     dir[strlen(dir) - 1] == '/' ? "" : "/", comp) >= sizeof(sub))
			return;
		if (last) {
			if (exists_at(fs, sub))
				pv_add(pv, dir, comp);
		} else if (is_dir_at(fs, sub)) {
			glob_walk(fs, sub, next, pv, depth + 1);
		}
		return;
	}
	memcpy(comp, rest, n);
	comp[n] = '\0';
	if ((fd = root_open(fs, dir, O_RDONLY | O_DIRECTORY)) < 0)
		return; /* glob(3) without GLOB_ERR ignores unreadable directories */
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL && !pv->oom) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
			if (comp[0] != '.')
				continue;
		}
		if (fnmatch(comp, de->d_name, FNM_PERIOD) != 0)
			continue;
		if (last) {
			pv_add(pv, dir, de->d_name);
			continue;
		}
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", dir,
		                     dir[strlen(dir) - 1] == '/' ? "" : "/",
		                     de->d_name) >= sizeof(sub))
			continue;
		if (is_dir_at(fs, sub))
			glob_walk(fs, sub, next, pv, depth + 1);
	}
	closedir(d);
}

int collect_sshd_glob(const struct rootfs *fs, const char *pattern, char ***paths, size_t *npaths)
{
	struct pathvec pv = {NULL, 0, 0};
	size_t i;

	*paths = NULL;
	*npaths = 0;
	if (pattern[0] != '/')
		return SD_ERR_NOT_FOUND; /* sshd makes every Include path absolute first */
	glob_walk(fs, "/", pattern + 1, &pv, 0);
	if (pv.oom) {
		for (i = 0; i < pv.n; i++)
			free(pv.v[i]);
		free(pv.v);
		return SD_ERR_ALLOC;
	}
	if (pv.n == 0) {
		free(pv.v);
		return SD_ERR_NOT_FOUND;
	}
	qsort(pv.v, pv.n, sizeof(*pv.v), cmp_paths);
	*paths = pv.v;
	*npaths = pv.n;
	return SD_OK;
}

static int loader_read(void *ctx, const char *path, struct buf *out)
{
	return rootfs_read(ctx, path, SSHD_CONFIG_MAX_FILE, out);
}

static int loader_glob(void *ctx, const char *pattern, char ***paths, size_t *npaths)
{
	return collect_sshd_glob(ctx, pattern, paths, npaths);
}

void collect_sshd_loader(const struct rootfs *fs, struct sshd_loader *ld)
{
	ld->read = loader_read;
	ld->glob = loader_glob;
	ld->ctx = (void *)fs;
}

/* ------------------------------------------------------------------ small helpers */

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void note(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

/*
 * A bundle's record of a file's stat(2) on the host (/sshdiag/stat.tsv: "TYPE MODE UID GID
 * PATH" per line, TYPE f, d or o, MODE octal): what unpacking cannot keep (owners when not
 * unpacked as root) and what was never copied (private host keys).  1 when found.
 */
static int bundle_stat(const struct rootfs *fs, const char *path, struct sshd_file *f)
{
	struct bundle_stat st;
	struct buf b;
	int found = 0;

	if (fs->live)
		return 0;
	buf_init(&b, 4u << 20);
	if (rootfs_read(fs, BUNDLE_STAT_FILE, b.max, &b) == SD_OK &&
	    (found = bundle_stat_find(b.data, b.len, path, &st)) != 0) {
		f->exists = 1;
		f->is_dir = st.type == 'd';
		f->is_reg = st.type == 'f';
		f->mode = st.mode;
		f->uid = st.uid;
		f->gid = st.gid;
		f->executable = (st.mode & 0111) != 0;
	}
	buf_release(&b);
	return found;
}

/* stat(2) of a path inside the root into an sshd_file. */
static void stat_file(const struct rootfs *fs, const char *path, struct sshd_file *f)
{
	struct stat st;
	int fd;

	memset(f, 0, sizeof(*f));
	copy_str(f->path, sizeof(f->path), path);
	f->checked = 1;
	if (bundle_stat(fs, path, f))
		return;
	if ((fd = root_open(fs, path, O_PATH)) < 0) {
		f->err = rootfs_errno(errno);
		return;
	}
	if (fstat(fd, &st) != 0) {
		f->err = rootfs_errno(errno);
		close(fd);
		return;
	}
	close(fd);
	f->exists = 1;
	f->is_dir = S_ISDIR(st.st_mode);
	f->is_reg = S_ISREG(st.st_mode);
	f->mode = st.st_mode & 07777;
	f->uid = st.st_uid;
	f->gid = st.st_gid;
	f->executable = (st.st_mode & 0111) != 0;
}

/* The OpenSSH release string of a binary inside the root. */
static void binary_version(const struct rootfs *fs, const char *path, struct sshd_version *v)
{
	struct buf b;

	memset(v, 0, sizeof(*v));
	buf_init(&b, BINARY_MAX);
	if (rootfs_read(fs, path, BINARY_MAX, &b) == SD_OK)
		sshd_version_from_binary(b.data, b.len, v);
	buf_release(&b);
}

/* Reads a whole /proc file (live only). */
static int proc_read(const struct rootfs *fs, const char *path, struct buf *out)
{
	char chunk[65536];
	ssize_t n;
	int fd = rootfs_openat(fs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int r = SD_OK;

	if (fd < 0)
		return rootfs_errno(errno);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				r = rootfs_errno(errno);
			break;
		}
		if ((r = buf_add(out, chunk, (size_t)n)) != 0)
			break;
	}
	close(fd);
	return r;
}

static int proc_link(const struct rootfs *fs, int pid, const char *what, char *out, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	return rootfs_readlink(fs, path, out, len) < 0 ? -1 : 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* ------------------------------------------------------------------ processes and sockets */

struct inode_ref {
	unsigned long inode;
	size_t sock; /* index into in->sockets */
};

static int add_owner(struct sshd_socket *s, const struct sshd_owner *o)
{
	struct sshd_owner *v = realloc(s->owners, (s->nowners + 1) * sizeof(*v));

	if (v == NULL)
		return SD_ERR_ALLOC;
	s->owners = v;
	s->owners[s->nowners++] = *o;
	return SD_OK;
}

static void fill_owner(const struct rootfs *fs, int pid, struct sshd_owner *o)
{
	char path[64];
	struct buf b;
	size_t n;

	memset(o, 0, sizeof(*o));
	o->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	buf_init(&b, 4096);
	if (proc_read(fs, path, &b) == 0) {
		n = b.len;
		while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == '\0'))
			n--;
		b.data[n] = '\0';
		copy_str(o->comm, sizeof(o->comm), b.data);
	}
	buf_release(&b);
	if (proc_link(fs, pid, "exe", o->exe, sizeof(o->exe)) != 0)
		o->exe[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	buf_init(&b, 65536);
	if (proc_read(fs, path, &b) == 0)
		sshd_title_parse(b.data, b.len, &o->title);
	buf_release(&b);
	o->is_sshd = strncmp(o->comm, "sshd", 4) == 0 || strncmp(base_name(o->exe), "sshd", 4) == 0;
	o->is_systemd = pid == 1 || strcmp(o->comm, "systemd") == 0;
}

static int same_netns(const struct rootfs *fs, int pid)
{
	char a[128], b[128];

	if (proc_link(fs, pid, "ns/net", a, sizeof(a)) != 0 ||
	    rootfs_readlink(fs, "/proc/self/ns/net", b, sizeof(b)) < 0)
		return 1; /* cannot tell: assume it is ours */
	return strcmp(a, b) == 0;
}

static int parent_pid(const struct rootfs *fs, int pid)
{
	char path[64], *p;
	struct buf b;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	buf_init(&b, 4096);
	if (proc_read(fs, path, &b) == 0 && (p = strrchr(b.data, ')')) != NULL)
		sscanf(p + 1, " %*c %d", &ppid);
	buf_release(&b);
	return ppid;
}

/*
 * A listener: its title says so (8.2+), or it has no title yet and its parent is not an sshd
 * (a child of the listener is a connection).
 */
static int is_listener(const struct rootfs *fs, int pid, const struct sshd_owner *o)
{
	struct sshd_owner parent;
	int ppid;

	if (o->title.role == SSHD_PROC_LISTENER)
		return 1;
	if (o->title.role != SSHD_PROC_OTHER || (ppid = parent_pid(fs, pid)) <= 0)
		return 0;
	fill_owner(fs, ppid, &parent);
	return !parent.is_sshd;
}

static void copy_cmdline(struct sshd_daemon *d, struct sshd_cmdline *c)
{
	d->cmd.config_file = c->config_file;
	d->cmd.cmds = c->cmds;
	d->cmd.ncmds = c->ncmds;
	d->cmd.inetd = c->inetd;
	memset(c, 0, sizeof(*c));
}

static int add_daemon(const struct rootfs *fs, struct sshd_inputs *in, int pid,
                      const struct sshd_owner *o)
{
	struct sshd_daemon d, *v;
	struct sshd_cmdline cl;
	char **argv = NULL, path[64], *p;
	struct buf b;
	int argc = 0, r;
	size_t n;

	memset(&d, 0, sizeof(d));
	d.pid = pid;
	d.title = o->title;
	copy_str(d.exe, sizeof(d.exe), o->exe);
	if ((n = strlen(d.exe)) > 10 && strcmp(d.exe + n - 10, " (deleted)") == 0) {
		d.exe[n - 10] = '\0';
		d.exe_deleted = 1;
	}
	if (proc_link(fs, pid, "cwd", d.cwd, sizeof(d.cwd)) != 0)
		copy_str(d.cwd, sizeof(d.cwd), "/");
	/* the running binary: /proc/PID/exe works even when the file was replaced */
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	buf_init(&b, BINARY_MAX);
	if (proc_read(fs, path, &b) == SD_OK)
		sshd_version_from_binary(b.data, b.len, &d.version);
	buf_release(&b);
	/* its command line: the title keeps it; else the raw argv */
	if (o->title.cmdline[0]) {
		if ((r = sshd_cmdline_split(o->title.cmdline, &argv, &argc)) != 0)
			return r;
	} else {
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		buf_init(&b, 65536);
		if (proc_read(fs, path, &b) == SD_OK) {
			for (p = b.data; p < b.data + b.len; p++)
				if (*p == '\0')
					*p = ' ';
		}
		r = sshd_cmdline_split(b.data, &argv, &argc);
		buf_release(&b);
		if (r != 0)
			return r;
	}
	r = sshd_cmdline_parse(argc, argv, &cl);
	sshd_cmdline_split_free(argv, argc);
	if (r != 0)
		return r;
	copy_cmdline(&d, &cl);
	if ((v = realloc(in->daemons, (in->ndaemons + 1) * sizeof(*v))) == NULL) {
		struct sshd_cmdline tmp = {d.cmd.config_file, d.cmd.cmds, d.cmd.ncmds, d.cmd.inetd,
		                           0};

		sshd_cmdline_release(&tmp);
		return SD_ERR_ALLOC;
	}
	in->daemons = v;
	in->daemons[in->ndaemons++] = d;
	return SD_OK;
}

static int read_sockets(const struct rootfs *fs, struct sshd_inputs *in, struct tcp_sock **all,
                        size_t *nall)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	struct buf b;
	size_t i;
	int r, ok = 0, le = __BYTE_ORDER == __LITTLE_ENDIAN;

	for (i = 0; i < 2; i++) {
		buf_init(&b, 64u << 20);
		r = proc_read(fs, files[i], &b);
		if (r == SD_OK) {
			ok = 1;
			if ((r = proctcp_parse(b.data, b.len, i == 0 ? 4 : 6, le, all, nall)) !=
			    0) {
				buf_release(&b);
				return r;
			}
		}
		buf_release(&b);
	}
	if (!ok) {
		note(in->sockets_note, sizeof(in->sockets_note), "/proc/net/tcp could not be read");
		return SD_OK;
	}
	in->sockets_read = 1;
	return SD_OK;
}

/* The sockets on the asked port, their owners, the sshd listeners and the pre-auth peers. */
static int scan_procs(const struct rootfs *fs, struct sshd_inputs *in)
{
	struct tcp_sock *all = NULL;
	size_t nall = 0, i, k;
	struct inode_ref *refs = NULL;
	size_t nrefs = 0;
	DIR *proc, *fdd;
	struct dirent *de, *fe;
	char path[300], link[128];
	int r, pid;
	unsigned long inode;

	if ((r = read_sockets(fs, in, &all, &nall)) != 0)
		goto out;
	for (i = 0; i < nall; i++) {
		struct sshd_socket *v;

		if (all[i].lport != in->port)
			continue;
		if ((v = realloc(in->sockets, (in->nsockets + 1) * sizeof(*v))) == NULL) {
			r = SD_ERR_ALLOC;
			goto out;
		}
		in->sockets = v;
		memset(&v[in->nsockets], 0, sizeof(*v));
		v[in->nsockets].s = all[i];
		in->nsockets++;
	}
	if ((refs = calloc(in->nsockets ? in->nsockets : 1, sizeof(*refs))) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	for (i = 0; i < in->nsockets; i++) {
		refs[nrefs].inode = in->sockets[i].s.inode;
		refs[nrefs++].sock = i;
	}
	if ((proc = rootfs_opendir(fs, "/proc")) == NULL) {
		note(in->procs_note, sizeof(in->procs_note), "/proc could not be listed");
		r = SD_OK;
		goto out;
	}
	in->procs_read = 1;
	while ((de = readdir(proc)) != NULL) {
		struct sshd_owner o;
		int owner_filled = 0, is_sshd_exe;
		char exe[SSHD_PATH_MAX];

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		/* the sshd listeners of this network namespace */
		if (proc_link(fs, pid, "exe", exe, sizeof(exe)) != 0) {
			/* another user's process: only root sees what it runs */
			if (errno == EACCES || errno == EPERM)
				in->procs_hidden++;
		} else {
			is_sshd_exe = strcmp(base_name(exe), "sshd") == 0 ||
			              strncmp(base_name(exe), "sshd (deleted)", 14) == 0;
			if (is_sshd_exe && same_netns(fs, pid)) {
				fill_owner(fs, pid, &o);
				owner_filled = 1;
				if (is_listener(fs, pid, &o) &&
				    (r = add_daemon(fs, in, pid, &o)) != 0) {
					closedir(proc);
					goto out;
				}
			}
		}
		/* its sockets on the port */
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		if (nrefs == 0 || (fdd = rootfs_opendir(fs, path)) == NULL)
			continue;
		while ((fe = readdir(fdd)) != NULL) {
			ssize_t n;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fe->d_name);
			if ((n = rootfs_readlink(fs, path, link, sizeof(link))) < 0)
				continue;
			if (sscanf(link, "socket:[%lu]", &inode) != 1)
				continue;
			for (k = 0; k < nrefs; k++) {
				struct sshd_socket *s = &in->sockets[refs[k].sock];
				size_t j;

				if (refs[k].inode != inode)
					continue;
				for (j = 0; j < s->nowners; j++)
					if (s->owners[j].pid == pid)
						break;
				if (j < s->nowners)
					continue;
				if (!owner_filled) {
					fill_owner(fs, pid, &o);
					owner_filled = 1;
				} else {
					fill_owner(fs, pid, &o);
				}
				if ((r = add_owner(s, &o)) != 0) {
					closedir(fdd);
					closedir(proc);
					goto out;
				}
			}
		}
		closedir(fdd);
	}
	closedir(proc);
	r = SD_OK;
out:
	free(all);
	free(refs);
	return r;
}

/* Pre-auth connections: established sockets on the port held only by pre-auth sshd processes. */
static int count_preauth(const struct rootfs *fs, struct sshd_inputs *in)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	size_t i, j;

	/* a bundle's snapshot was taken by root */
	if (!in->sockets_read || !in->procs_read || (fs->live && geteuid() != 0))
		return SD_OK;
	in->preauth_counted = 1;
	for (i = 0; i < in->nsockets; i++) {
		const struct sshd_socket *s = &in->sockets[i];
		int pre = 0, session = 0;
		struct sshd_peer *v, p;

		if (s->s.state != TCP_ST_ESTABLISHED)
			continue;
		for (j = 0; j < s->nowners; j++) {
			if (!s->owners[j].is_sshd)
				continue;
			if (s->owners[j].title.role == SSHD_PROC_SESSION)
				session = 1;
			else if (s->owners[j].title.role == SSHD_PROC_PREAUTH ||
			         s->owners[j].title.role == SSHD_PROC_OTHER)
				pre = 1;
		}
		if (!pre || session)
			continue;
		memset(&p, 0, sizeof(p));
		p.family = s->s.family;
		memcpy(p.addr, s->s.raddr, 16);
		if (p.family == 6 && memcmp(p.addr, mapped, 12) == 0) {
			p.family = 4;
			memmove(p.addr, p.addr + 12, 4);
			memset(p.addr + 4, 0, 12);
		}
		if ((v = realloc(in->preauth_peers, (in->npreauth_peers + 1) * sizeof(*v))) == NULL)
			return SD_ERR_ALLOC;
		in->preauth_peers = v;
		v[in->npreauth_peers++] = p;
	}
	return SD_OK;
}

static void choose_daemon(struct sshd_inputs *in)
{
	size_t i, j, k;

	for (i = 0; i < in->ndaemons; i++) {
		for (j = 0; j < in->nsockets; j++) {
			const struct sshd_socket *s = &in->sockets[j];

			if (s->s.state != TCP_ST_LISTEN)
				continue;
			for (k = 0; k < s->nowners; k++) {
				if (s->owners[k].pid == in->daemons[i].pid)
					in->daemons[i].owns_port = 1;
				if (s->owners[k].is_systemd)
					in->daemons[i].socket_activated = 1;
			}
		}
		if (in->daemons[i].owns_port && in->chosen < 0)
			in->chosen = (int)i;
	}
	if (in->chosen < 0 && in->ndaemons > 0)
		in->chosen = 0;
}

/* ------------------------------------------------------------------ systemd units */

static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                        "/run/systemd/generator", "/usr/lib/systemd/system",
                                        "/lib/systemd/system"};

/* Reads UNIT and its drop-ins (UNIT.d/ *.conf); texts appended to *v. */
static int read_unit(const struct rootfs *fs, const char *unit, char ***v, size_t *n, char *found,
                     size_t flen)
{
	char path[SSHD_PATH_MAX], **paths, **nv;
	size_t i, j, np;
	struct buf b;
	int have = 0;

	for (i = 0; i < sizeof(unit_dirs) / sizeof(unit_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], unit);
		buf_init(&b, 1 << 20);
		if (!have && rootfs_read(fs, path, 1 << 20, &b) == SD_OK) {
			have = 1;
			if (found)
				copy_str(found, flen, path);
			if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
				buf_release(&b);
				return SD_ERR_ALLOC;
			}
			*v = nv;
			if (((*v)[(*n)++] = buf_detach(&b)) == NULL)
				return SD_ERR_ALLOC;
		}
		buf_release(&b);
	}
	for (i = 0; have && i < sizeof(unit_dirs) / sizeof(unit_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.d/*.conf", unit_dirs[i], unit);
		if (collect_sshd_glob(fs, path, &paths, &np) != SD_OK)
			continue;
		for (j = 0; j < np; j++) {
			buf_init(&b, 1 << 20);
			if (rootfs_read(fs, paths[j], 1 << 20, &b) == SD_OK &&
			    (nv = realloc(*v, (*n + 1) * sizeof(*nv))) != NULL) {
				*v = nv;
				(*v)[(*n)++] = buf_detach(&b);
			}
			buf_release(&b);
			free(paths[j]);
		}
		free(paths);
	}
	return have ? SD_OK : SD_ERR_NOT_FOUND;
}

static void free_texts(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The command line systemd would start sshd with (no running daemon, or --root). */
static int unit_cmdline(const struct rootfs *fs, struct sshd_cmdline *cl, char *bin, size_t blen,
                        char *src, size_t slen)
{
	static const char *const units[] = {"ssh.service", "sshd.service"};
	char **texts = NULL, **envs = NULL, **envpaths = NULL, *line = NULL, **argv = NULL;
	size_t ntexts = 0, nenvs = 0, nenvpaths = 0, i;
	struct buf b;
	int argc = 0, r = SD_ERR_NOT_FOUND;

	memset(cl, 0, sizeof(*cl));
	for (i = 0; i < 2 && r == SD_ERR_NOT_FOUND; i++)
		r = read_unit(fs, units[i], &texts, &ntexts, src, slen);
	if (r != SD_OK)
		goto out;
	if ((r = sshd_unit_envfiles((const char *const *)texts, ntexts, &envpaths, &nenvpaths)) !=
	    0)
		goto out;
	for (i = 0; i < nenvpaths; i++) {
		char **nv;

		buf_init(&b, 1 << 20);
		if (rootfs_read(fs, envpaths[i], 1 << 20, &b) == SD_OK &&
		    (nv = realloc(envs, (nenvs + 1) * sizeof(*nv))) != NULL) {
			envs = nv;
			envs[nenvs++] = buf_detach(&b);
		}
		buf_release(&b);
	}
	if ((r = sshd_unit_execstart((const char *const *)texts, ntexts, (const char *const *)envs,
	                             nenvs, &line)) != 0)
		goto out;
	if ((r = sshd_cmdline_split(line, &argv, &argc)) != 0)
		goto out;
	if (argc > 0)
		copy_str(bin, blen, argv[0]);
	r = sshd_cmdline_parse(argc, argv, cl);
out:
	sshd_cmdline_split_free(argv, argc);
	free(line);
	free_texts(texts, ntexts);
	free_texts(envs, nenvs);
	free_texts(envpaths, nenvpaths);
	return r;
}

/* ssh.socket: found, enabled, ListenStream= values. */
static int socket_unit(const struct rootfs *fs, struct sshd_inputs *in)
{
	static const char *const units[] = {"ssh.socket", "sshd.socket"};
	char **texts = NULL, path[SSHD_PATH_MAX];
	size_t ntexts = 0, i, t;
	int r = SD_ERR_NOT_FOUND;

	for (i = 0; i < 2 && r == SD_ERR_NOT_FOUND; i++) {
		r = read_unit(fs, units[i], &texts, &ntexts, in->socket_unit,
		              sizeof(in->socket_unit));
		if (r == SD_OK) {
			snprintf(path, sizeof(path), "/etc/systemd/system/sockets.target.wants/%s",
			         units[i]);
			in->socket_unit_enabled = rootfs_exists(fs, path) == SD_OK;
		}
	}
	if (r != SD_OK)
		return r == SD_ERR_NOT_FOUND ? SD_OK : r;
	in->socket_unit_found = 1;
	for (t = 0; t < ntexts; t++) {
		const char *p = texts[t], *nl;

		for (; p && *p; p = nl ? nl + 1 : NULL) {
			char **nv;
			const char *v;
			size_t len;

			nl = strchr(p, '\n');
			len = nl ? (size_t)(nl - p) : strlen(p);
			if (len < 13 || strncmp(p, "ListenStream=", 13) != 0) {
				if (!nl)
					break;
				continue;
			}
			v = p + 13;
			len -= 13;
			while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == ' '))
				len--;
			if (len == 0) { /* "ListenStream=" resets the list */
				free_texts(in->listen_streams, in->nlisten_streams);
				in->listen_streams = NULL;
				in->nlisten_streams = 0;
			} else if ((nv = realloc(in->listen_streams, (in->nlisten_streams + 1) *
			                                                 sizeof(*nv))) != NULL) {
				in->listen_streams = nv;
				nv[in->nlisten_streams++] = strndup(v, len);
			}
			if (!nl)
				break;
		}
	}
	free_texts(texts, ntexts);
	return SD_OK;
}

/* ------------------------------------------------------------------ sshd -t */

static void run_test(struct sshd_inputs *in, const char *bin, const char *config,
                     const struct sshd_cmd *cmds, size_t ncmds)
{
	char *argv[64];
	struct proc_result pr;
	struct buf cmd;
	size_t i;
	int argc = 0;

	argv[argc++] = (char *)bin;
	argv[argc++] = "-t";
	argv[argc++] = "-f";
	argv[argc++] = (char *)config;
	for (i = 0; i < ncmds && argc < 60; i++) {
		if (cmds[i].kind != SSHD_CMD_OPTION || cmds[i].arg == NULL)
			continue;
		argv[argc++] = "-o";
		argv[argc++] = (char *)cmds[i].arg;
	}
	argv[argc] = NULL;
	buf_init(&cmd, sizeof(in->test_cmd) - 1);
	for (i = 0; i < (size_t)argc; i++)
		if (buf_addf(&cmd, "%s%s", i ? " " : "", argv[i]) != 0)
			break;
	copy_str(in->test_cmd, sizeof(in->test_cmd), cmd.data);
	buf_release(&cmd);
	if (proc_run(argv, 10000, 65536, &pr) != SD_OK)
		return;
	in->test_ran = 1;
	in->test_ok = pr.exited && pr.status == 0;
	if (pr.err.len > 0)
		in->test_output = sanitized_strndup(pr.err.data, pr.err.len, 4096);
	proc_result_release(&pr);
}

/*
 * /sshdiag/sshd-t.txt, written by `sshdiag bundle` from the same run on the host: "command:
 * CMD", "exit: N" (-1: killed), an empty line, then what sshd -t printed on stderr.
 */
static void bundle_sshd_t(const struct rootfs *fs, struct sshd_inputs *in)
{
	struct bundle_sshd_t t;
	struct buf b;

	buf_init(&b, 1u << 20);
	if (rootfs_read(fs, BUNDLE_SSHD_T_FILE, b.max, &b) == SD_OK &&
	    bundle_sshd_t_parse(b.data, b.len, &t) == SD_OK) {
		snprintf(in->test_cmd, sizeof(in->test_cmd), "%.*s", (int)t.cmd_len, t.cmd);
		in->test_ran = 1;
		in->test_ok = t.status == 0;
		if (t.out_len > 0)
			in->test_output = sanitized_strndup(t.out, t.out_len, 4096);
	}
	buf_release(&b);
}

/* The processes the bundle's scan could not look into (BUNDLE_HIDDEN_FILE: a count). */
static void bundle_hidden(const struct rootfs *fs, struct sshd_inputs *in)
{
	struct buf b;

	buf_init(&b, 64);
	if (rootfs_read(fs, BUNDLE_HIDDEN_FILE, b.max, &b) == SD_OK)
		in->procs_hidden += strtoul(b.data, NULL, 10);
	buf_release(&b);
}

/* ------------------------------------------------------------------ entry */

int collect_sshd(const struct rootfs *fs, const struct collect_sshd_opts *opts,
                 struct sshd_inputs *in)
{
	struct sshd_params p;
	struct sshd_loader ld;
	struct sshd_cmdline unit = {0};
	const struct sshd_daemon *dm = NULL;
	const struct sshd_options *g;
	char bin[SSHD_PATH_MAX] = "/usr/sbin/sshd", unitsrc[SSHD_PATH_MAX] = "", cfgpath[1100];
	const char *config;
	size_t i;
	int r;

	sshd_inputs_init(in);
	/* a bundle's /proc snapshot gives the running system's facts, as live */
	in->live = rootfs_has_proc(fs);
	in->port = opts->port ? opts->port : 22;
	copy_str(in->root, sizeof(in->root), fs->root ? fs->root : "/");
	collect_sshd_loader(fs, &ld);

	if (in->live) {
		if ((r = scan_procs(fs, in)) != 0 || (r = count_preauth(fs, in)) != 0)
			return r;
		if (!fs->live)
			bundle_hidden(fs, in);
		choose_daemon(in);
	} else {
		note(in->sockets_note, sizeof(in->sockets_note), "not available under --root");
		note(in->procs_note, sizeof(in->procs_note), "not available under --root");
	}
	if (in->chosen >= 0)
		dm = &in->daemons[in->chosen];
	if ((r = socket_unit(fs, in)) != 0)
		return r;

	/* which configuration, which command line, which version */
	memset(&p, 0, sizeof(p));
	if (dm) {
		config = dm->cmd.config_file ? dm->cmd.config_file : SSHD_CONFIG_FILE;
		if (config[0] != '/') {
			snprintf(cfgpath, sizeof(cfgpath), "%s/%s", dm->cwd, config);
			config = cfgpath;
		}
		p.cmds = dm->cmd.cmds;
		p.ncmds = dm->cmd.ncmds;
		p.cwd = dm->cwd;
		p.version = dm->version;
		copy_str(bin, sizeof(bin), dm->exe);
		note(in->cmdline_source, sizeof(in->cmdline_source), "/proc/%d/cmdline", dm->pid);
		note(in->config_source, sizeof(in->config_source), "sshd pid %d (%s%s%s)", dm->pid,
		     dm->cmd.config_file ? "-f " : "default ", config,
		     dm->cmd.ncmds ? " and its command-line options" : "");
	} else {
		r = unit_cmdline(fs, &unit, bin, sizeof(bin), unitsrc, sizeof(unitsrc));
		if (r == SD_ERR_ALLOC)
			return r;
		config = unit.config_file ? unit.config_file : SSHD_CONFIG_FILE;
		p.cmds = unit.cmds;
		p.ncmds = unit.ncmds;
		if (bin[0] != '/')
			copy_str(bin, sizeof(bin), "/usr/sbin/sshd");
		binary_version(fs, bin, &p.version);
		note(in->config_source, sizeof(in->config_source), "%s%s%s", config,
		     unitsrc[0] ? " with the options of " : "", unitsrc);
		copy_str(in->cmdline_source, sizeof(in->cmdline_source),
		         unitsrc[0] ? unitsrc : "sshd command line");
	}
	if (opts->config_file) {
		config = opts->config_file;
		note(in->config_source, sizeof(in->config_source), "%s (given with -f)", config);
	}
	stat_file(fs, bin, &in->binary);
	binary_version(fs, bin, &in->binary_version);
	if (!p.version.known)
		p.version = in->binary_version;
	if (!p.version.known)
		sshd_version_default(&p.version);
	in->version = p.version;
	p.config_file = config;
	if (rootfs_exists(fs, config) != SD_OK) {
		note(in->config_note, sizeof(in->config_note), "%s could not be read%s", config,
		     geteuid() != 0 ? " (run as root)" : "");
		if (rootfs_exists(fs, config) == SD_ERR_NOT_FOUND) {
			in->config_missing = 1;
			if (dm == NULL)
				note(in->config_note, sizeof(in->config_note), "%s does not exist",
				     config);
		}
	}
	r = sshd_config_load(&p, &ld, &in->config);
	sshd_cmdline_release(&unit);
	if (r != SD_OK)
		return r;
	g = sshd_config_global(in->config);

	/* the helpers the listener execs, the host keys, /run/sshd */
	if (sshd_version_num(&in->version) >= SSHD_V(9, 8) && g->kw[SK_SSHDSESSIONPATH].s) {
		stat_file(fs, g->kw[SK_SSHDSESSIONPATH].s, &in->session);
		if (in->session.exists)
			binary_version(fs, in->session.path, &in->session_version);
	}
	if (sshd_version_num(&in->version) >= SSHD_V(10, 0) && g->kw[SK_SSHDAUTHPATH].s) {
		stat_file(fs, g->kw[SK_SSHDAUTHPATH].s, &in->auth);
		if (in->auth.exists)
			binary_version(fs, in->auth.path, &in->auth_version);
	}
	if (g->kw[SK_HOSTKEY].nitems > 0) {
		in->hostkeys = calloc(g->kw[SK_HOSTKEY].nitems, sizeof(*in->hostkeys));
		if (in->hostkeys == NULL)
			return SD_ERR_ALLOC;
		for (i = 0; i < g->kw[SK_HOSTKEY].nitems; i++)
			if (g->kw[SK_HOSTKEY].items[i].s)
				stat_file(fs, g->kw[SK_HOSTKEY].items[i].s, &in->hostkeys[i]);
		in->nhostkeys = g->kw[SK_HOSTKEY].nitems;
	}
	if (in->live)
		stat_file(fs, in->version.debian ? "/run/sshd" : "/var/empty", &in->privsep);

	/* the user's groups for Match Group (files only) */
	if (opts->user) {
		struct buf pw, gr;

		buf_init(&pw, 16u << 20);
		buf_init(&gr, 16u << 20);
		if (rootfs_read(fs, "/etc/passwd", pw.max, &pw) == SD_OK &&
		    rootfs_read(fs, "/etc/group", gr.max, &gr) == SD_OK) {
			r = sshd_user_groups(pw.data, pw.len, gr.data, gr.len, opts->user,
			                     &in->user_exists, &in->user_groups, &in->nuser_groups);
			in->user_looked_up = r == SD_OK;
		}
		buf_release(&pw);
		buf_release(&gr);
	}

	/* sshd -t: live, and only with the system's own binary (the one the daemon runs); a
	 * bundle's record of the same run */
	if (!fs->live && opts->run_sshd_t)
		bundle_sshd_t(fs, in);
	else if (fs->live && opts->run_sshd_t && geteuid() == 0 && in->binary.exists &&
	         (dm == NULL || !dm->exe_deleted))
		run_test(in, bin, config, p.cmds, p.ncmds);
	return SD_OK;
}

void collect_sshd_release(struct sshd_inputs *in)
{
	size_t i;

	for (i = 0; i < in->nsockets; i++)
		free(in->sockets[i].owners);
	free(in->sockets);
	for (i = 0; i < in->ndaemons; i++) {
		struct sshd_cmdline c = {in->daemons[i].cmd.config_file, in->daemons[i].cmd.cmds,
		                         in->daemons[i].cmd.ncmds, 0, 0};

		sshd_cmdline_release(&c);
	}
	free(in->daemons);
	sshd_config_free(in->config);
	free(in->hostkeys);
	free_texts(in->listen_streams, in->nlisten_streams);
	free(in->preauth_peers);
	sshd_groups_free(in->user_groups, in->nuser_groups);
	free(in->test_output);
	sshd_inputs_init(in);
}
