#include "io/collect_logs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "bundle/records.h"
#include "logs/syslogconf.h"

#define READ_CHUNK  (128u << 10) /* bytes per read(2): stays in L2 for the parser */
#define GZ_IN       (256u << 10)
#define CONF_MAX    (1u << 20) /* a syslog configuration file */
#define MAX_ROTATED 32         /* rotations of one log looked at */
#define MAP_MIN     (1u << 20) /* files at least this large are read through mmap windows */
#define MAP_WINDOW  (2u << 20) /* bytes mapped at a time: RSS stays small */

void collect_logs_clock(struct log_clock *clk)
{
	struct timespec ts;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec;
	memset(&tm, 0, sizeof(tm));
	localtime_r(&t, &tm);
	log_clock_init(clk, (int64_t)ts.tv_sec * LOG_US + ts.tv_nsec / 1000, tm.tm_gmtoff);
}

static const char *why_errno(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
		return "permission denied (run as root, or as a member of group adm)";
	case ENOENT:
	case ENOTDIR:
		return "no such file";
	case EXDEV:
	case ELOOP:
		return "a symlink leaves the root directory";
	default:
		return strerror(e);
	}
}

/* ----------------------------------------------------------------- files */

static int feed_gzip(int fd, const unsigned char *first, size_t nfirst, uint64_t max_bytes,
                     struct log_summary *s, const char **why)
{
	unsigned char *in = NULL, *out = NULL;
	z_stream z;
	uint64_t total = 0;
	int zr = Z_OK, r = SD_OK, eof = 0;
	ssize_t n;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return SD_ERR_ALLOC;
	if ((in = malloc(GZ_IN)) == NULL || (out = malloc(READ_CHUNK)) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	memcpy(in, first, nfirst);
	z.next_in = in;
	z.avail_in = (uInt)nfirst;
	for (;;) {
		if (z.avail_in == 0 && !eof) {
			n = read(fd, in, GZ_IN);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				*why = strerror(errno);
				break;
			}
			if (n == 0)
				eof = 1;
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		if (z.avail_in == 0 && eof)
			break;
		z.next_out = out;
		z.avail_out = READ_CHUNK;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			*why = "corrupt gzip data";
			break;
		}
		if (READ_CHUNK - z.avail_out) {
			if ((r = log_summary_feed(s, (const char *)out, READ_CHUNK - z.avail_out)))
				break;
			total += READ_CHUNK - z.avail_out;
			if (max_bytes && total >= max_bytes) {
				*why = "size limit reached";
				break;
			}
		}
		if (zr == Z_STREAM_END) {
			/* concatenated members */
			if (z.avail_in == 0 && eof)
				break;
			inflateReset(&z);
		} else if (zr == Z_BUF_ERROR && z.avail_in == 0 && eof) {
			*why = "gzip data ends early";
			break;
		}
	}
out:
	inflateEnd(&z);
	free(in);
	free(out);
	return r;
}

/*
 * Reading through mmap spares the copy read(2) makes (about a tenth of the time of `sshdiag
 * logs` on a large file).  A window is mapped, parsed and unmapped, so memory stays bounded.
 * A mapped file that shrinks while it is parsed (logrotate's copytruncate) would kill the
 * process with SIGBUS: while a window is parsed, a SIGBUS inside it maps zero pages over the
 * rest of the window (the parser sees NUL bytes, which never form an event) and the source is
 * reported partial.  A SIGBUS anywhere else keeps its default action.
 */
static struct {
	char *volatile base; /* the window being parsed, NULL */
	volatile size_t len;
	volatile sig_atomic_t hit;
	size_t page;
} window;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	char *a = si->si_addr, *b = window.base;
	struct sigaction dfl;

	(void)ctx;
	if (b && a >= b && a < b + window.len) {
		char *pg = (char *)((uintptr_t)a & ~(uintptr_t)(window.page - 1));

		if (mmap(pg, (size_t)(b + window.len - pg), PROT_READ,
		         MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) {
			window.hit = 1;
			return;
		}
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL); /* the fault repeats and ends the process as it would have */
}

/*
 * Feeds [off, size) of fd through mmap windows.  Returns SD_OK with *done the bytes fed (the
 * caller reads what is left, e.g. lines appended meanwhile, with read(2)), or the summary's
 * error.  *why is set when the file shrank.
 */
static int feed_mapped(int fd, uint64_t off, uint64_t size, uint64_t max_bytes, uint64_t *done,
                       struct log_summary *s, const char **why)
{
	struct sigaction sa, old;
	int r = SD_OK;

	*done = 0;
	window.page = (size_t)sysconf(_SC_PAGESIZE);
	if (off % window.page)
		return SD_OK;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) != 0)
		return SD_OK;
	while (off < size) {
		size_t len = size - off < MAP_WINDOW ? (size_t)(size - off) : MAP_WINDOW;
		char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, (off_t)off);

		if (m == MAP_FAILED)
			break; /* the caller goes on with read(2) */
		window.hit = 0;
		window.len = len;
		window.base = m;
		r = log_summary_feed(s, m, len);
		window.base = NULL;
		munmap(m, len);
		if (window.hit) {
			*why = "the file shrank while it was read (rotated with copytruncate?)";
			*done += len;
			break;
		}
		off += len;
		*done += len;
		if (r || (max_bytes && *done >= max_bytes))
			break;
	}
	sigaction(SIGBUS, &old, NULL);
	return r;
}

int collect_logs_file(const struct rootfs *fs, const char *path, const char *name,
                      uint64_t max_bytes, int bare, struct log_summary *s)
{
	const char *why = NULL;
	struct stat st;
	char *buf = NULL;
	uint64_t total = 0;
	ssize_t n;
	int fd, r;

	fd = rootfs_openat(fs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return log_summary_note_source(
		    s, name, errno == ENOENT ? LOG_SOURCE_MISSING : LOG_SOURCE_UNREADABLE,
		    why_errno(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return log_summary_note_source(s, name, LOG_SOURCE_UNREADABLE,
		                               "not a regular file");
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((r = log_summary_begin_source(s, name, bare)) != SD_OK) {
		close(fd);
		return r == SD_ERR_TOO_LONG ? SD_OK : r;
	}

	if ((buf = malloc(READ_CHUNK)) == NULL) {
		close(fd);
		return SD_ERR_ALLOC;
	}
	for (;;) {
		n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			why = why_errno(errno);
			break;
		}
		if (n == 0)
			break;
		if (total == 0 && n >= 2 && (unsigned char)buf[0] == 0x1f &&
		    (unsigned char)buf[1] == 0x8b) {
			r = feed_gzip(fd, (unsigned char *)buf, (size_t)n, max_bytes, s, &why);
			break;
		}
		if (total == 0 && n >= 6 &&
		    memcmp(buf,
		           "\xfd"
		           "7zXZ",
		           5) == 0) {
			why = "xz-compressed: not read (decompress it first)";
			break;
		}
		if (total == 0 && n >= 4 && memcmp(buf, "\x28\xb5\x2f\xfd", 4) == 0) {
			why = "zstd-compressed: not read (decompress it first)";
			break;
		}
		if (total == 0 && n >= 3 && memcmp(buf, "BZh", 3) == 0) {
			why = "bzip2-compressed: not read (decompress it first)";
			break;
		}
		total += (uint64_t)n;
		if ((r = log_summary_feed(s, buf, (size_t)n)))
			break;
		if (max_bytes && total >= max_bytes) {
			why = "size limit reached";
			break;
		}
		if (total == (uint64_t)n && (uint64_t)st.st_size >= MAP_MIN &&
		    (uint64_t)st.st_size > total) {
			/* plain text, large: the rest through mmap, then what was appended */
			uint64_t done = 0;

			r = feed_mapped(fd, total, (uint64_t)st.st_size,
			                max_bytes ? max_bytes - total : 0, &done, s, &why);
			total += done;
			if (r || why)
				break;
			if (max_bytes && total >= max_bytes) {
				why = "size limit reached";
				break;
			}
			if (lseek(fd, (off_t)total, SEEK_SET) < 0) {
				why = why_errno(errno);
				break;
			}
		}
	}
	free(buf);
	close(fd);
	log_summary_end_source(s);
	if (why)
		return log_summary_note_source(
		    s, name,
		    s->sources[s->nsources - 1].lines ? LOG_SOURCE_PARTIAL : LOG_SOURCE_UNREADABLE,
		    why);
	return r;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int collect_list_dir(const struct rootfs *fs, const char *dir, const char *prefix,
                     const char *suffix, size_t max, char ***names, size_t *n)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), k = 0;
	struct dirent *de;
	char **v;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	if ((fd = rootfs_openat(fs, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return SD_OK;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return SD_OK;
	}
	if ((v = calloc(max ? max : 1, sizeof(*v))) == NULL) {
		closedir(d);
		return SD_ERR_ALLOC;
	}
	while ((de = readdir(d)) != NULL && k < max) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l < pl + sl || strncmp(de->d_name, prefix, pl) != 0 ||
		    strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		if ((v[k] = strdup(de->d_name)) == NULL) {
			closedir(d);
			while (k)
				free(v[--k]);
			free(v);
			return SD_ERR_ALLOC;
		}
		k++;
	}
	closedir(d);
	qsort(v, k, sizeof(*v), name_cmp);
	*names = v;
	*n = k;
	return SD_OK;
}

/* ----------------------------------------------------------------- rotations */

struct rot {
	char *path;
	long key; /* larger = older */
};

static int rot_cmp(const void *x, const void *y)
{
	const struct rot *a = x, *b = y;

	return a->key < b->key ? 1 : a->key > b->key ? -1 : strcmp(a->path, b->path);
}

/*
 * The rotations of `path` inside the root, oldest first, then path itself: FILE.N[.gz]
 * (key N), FILE-YYYYMMDD[.gz] (older dates first).
 */
static int rotations(const struct rootfs *fs, const char *path, struct rot *out, size_t *nout)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	const char *base;
	size_t bl, n = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	*nout = 0;
	if (!slash || (size_t)(slash - path) >= sizeof(dir))
		return SD_OK;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (!dir[0])
		strcpy(dir, "/");
	base = slash + 1;
	bl = strlen(base);
	fd = rootfs_openat(fs, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return SD_OK;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return SD_OK;
	}
	while ((de = readdir(d)) != NULL && n < MAX_ROTATED) {
		const char *rest;
		char *end;
		long key;

		if (strncmp(de->d_name, base, bl) != 0)
			continue;
		rest = de->d_name + bl;
		if (rest[0] == '.' && rest[1] >= '0' && rest[1] <= '9') {
			key = strtol(rest + 1, &end, 10);
			if (*end && strcmp(end, ".gz") != 0)
				continue;
			key += 100000000L; /* numbered rotations are older than any date form */
		} else if (rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9') {
			key = strtol(rest + 1, &end, 10);
			if ((*end && strcmp(end, ".gz") != 0) || key < 19700101 || key > 99991231)
				continue;
			key = 100000000L - key; /* earlier dates are older */
		} else {
			continue;
		}
		if (asprintf(&out[n].path, "%s/%s", strcmp(dir, "/") ? dir : "", de->d_name) < 0) {
			closedir(d);
			return SD_ERR_ALLOC;
		}
		out[n++].key = key;
	}
	closedir(d);
	qsort(out, n, sizeof(*out), rot_cmp);
	*nout = n;
	return SD_OK;
}

static int exists_in(const struct rootfs *fs, const char *path)
{
	int fd = rootfs_openat(fs, path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : 1;
	close(fd);
	return 1;
}

/* A discovered log with its rotations, oldest first. */
static int read_with_rotations(const struct rootfs *fs, const char *path, uint64_t max_bytes,
                               int bare, struct log_summary *s)
{
	struct rot rot[MAX_ROTATED];
	size_t n = 0, i;
	int r;

	if ((r = rotations(fs, path, rot, &n)))
		return r;
	for (i = 0; i < n; i++) {
		if (!r)
			r = collect_logs_file(fs, rot[i].path, rot[i].path, max_bytes, bare, s);
		free(rot[i].path);
	}
	if (r)
		return r;
	if (!exists_in(fs, path) && n == 0)
		return SD_OK;
	return collect_logs_file(fs, path, path, max_bytes, bare, s);
}

/* ----------------------------------------------------------------- the journal */

static const char *const journal_idents[] = {"sshd",     "sshd-session",    "sshd-auth",
                                             "fail2ban", "fail2ban-server", "sshguard"};

/* "FIELD=value" data: the value when the field matches. */
static int field(const void *data, size_t len, const char *name, size_t nl, const char **v,
                 size_t *vl)
{
	const char *p = data;

	if (len <= nl || memcmp(p, name, nl) != 0 || p[nl] != '=')
		return 0;
	*v = p + nl + 1;
	*vl = len - nl - 1;
	return 1;
}

static unsigned parse_pid(const char *v, size_t n)
{
	unsigned x = 0;
	size_t i;

	for (i = 0; i < n && i < 10 && v[i] >= '0' && v[i] <= '9'; i++)
		x = x * 10 + (unsigned)(v[i] - '0');
	return x;
}

/* Entries of sshd and the ban tools: their identifiers, or sshd by its process name. */
static void journal_match_sshd(sd_journal *j)
{
	size_t i;

	(void)sd_journal_set_data_threshold(j, LOG_LINE_MAX);
	for (i = 0; i < sizeof(journal_idents) / sizeof(journal_idents[0]); i++) {
		char m[64];

		snprintf(m, sizeof(m), "SYSLOG_IDENTIFIER=%s", journal_idents[i]);
		sd_journal_add_match(j, m, 0);
	}
	sd_journal_add_disjunction(j);
	sd_journal_add_match(j, "_COMM=sshd", 0);
	sd_journal_add_match(j, "_COMM=sshd-session", 0);
}

static int read_journal(const struct rootfs *fs, const char *dir, struct log_summary *s)
{
	sd_journal *j = NULL;
	const char *name = "journal";
	uint64_t n = 0;
	int r;

	if (dir)
		r = sd_journal_open_directory(&j, dir, 0);
	else if (fs && !fs->live)
		r = sd_journal_open_directory(&j, fs->root, SD_JOURNAL_OS_ROOT);
	else
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		char why[256];

		snprintf(why, sizeof(why), "cannot open the journal%s%s: %s", dir ? " in " : "",
		         dir ? dir : "",
		         r == -EACCES || r == -EPERM ? why_errno(EACCES) : strerror(-r));
		return log_summary_note_source(s, name, LOG_SOURCE_UNREADABLE, why);
	}
	journal_match_sshd(j);
	if ((r = log_summary_begin_source(s, name, 0)) != SD_OK) {
		sd_journal_close(j);
		return r == SD_ERR_TOO_LONG ? SD_OK : r;
	}
	if (s->o.since && s->o.since != LOG_TS_NONE && s->o.since > 0)
		r = sd_journal_seek_realtime_usec(j, (uint64_t)s->o.since);
	else
		r = sd_journal_seek_head(j);
	while (r >= 0 && (r = sd_journal_next(j)) > 0) {
		struct log_record rec;
		const void *data;
		const char *v, *comm = NULL;
		size_t len, vl, comm_len = 0;
		uint64_t usec;
		unsigned spid = 0, pid = 0;

		memset(&rec, 0, sizeof(rec));
		if (sd_journal_get_realtime_usec(j, &usec) >= 0)
			rec.ts = (int64_t)usec;
		else
			rec.ts = LOG_TS_NONE;
		sd_journal_restart_data(j);
		while (sd_journal_enumerate_available_data(j, &data, &len) > 0) {
			if (field(data, len, "MESSAGE", 7, &v, &vl)) {
				rec.msg = v;
				rec.msg_len = vl;
			} else if (field(data, len, "SYSLOG_IDENTIFIER", 17, &v, &vl)) {
				rec.ident = v;
				rec.ident_len = vl;
			} else if (field(data, len, "_COMM", 5, &v, &vl)) {
				comm = v;
				comm_len = vl;
			} else if (field(data, len, "SYSLOG_PID", 10, &v, &vl)) {
				spid = parse_pid(v, vl);
			} else if (field(data, len, "_PID", 4, &v, &vl)) {
				pid = parse_pid(v, vl);
			} else if (field(data, len, "_HOSTNAME", 9, &v, &vl)) {
				rec.host = v;
				rec.host_len = vl;
			}
		}
		if (!rec.msg)
			continue;
		if (!rec.ident) {
			rec.ident = comm ? comm : "";
			rec.ident_len = comm ? comm_len : 0;
		}
		rec.pid = spid ? spid : pid;
		if ((r = log_summary_add_record(s, &rec)) != SD_OK)
			break;
		n++;
	}
	sd_journal_close(j);
	log_summary_end_source(s);
	if (r < 0 && r != SD_ERR_ALLOC)
		return log_summary_note_source(
		    s, name, n ? LOG_SOURCE_PARTIAL : LOG_SOURCE_UNREADABLE, strerror(-r));
	/* not root: the system journal's files are not ours to read, so none was read */
	if (n == 0 && geteuid() != 0 && !dir)
		return log_summary_note_source(
		    s, name, LOG_SOURCE_UNREADABLE,
		    "no sshd entry visible: run as root or as a member of "
		    "group systemd-journal");
	return r == SD_ERR_ALLOC ? r : SD_OK;
}

/* One TSV field of the journal export: tabs and line breaks become spaces. */
static int tsv_field(struct buf *out, const char *v, size_t n, const char *sep)
{
	size_t i;
	int r = SD_OK;

	for (i = 0; i < n && !r; i++) {
		char ch = v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ? ' ' : v[i];

		r = buf_add(out, &ch, 1);
	}
	return r ? r : buf_adds(out, sep);
}

int collect_logs_journal_export(int64_t since_usec, size_t max_bytes, struct buf *out,
                                unsigned long *nrec, const char **why)
{
	sd_journal *j = NULL;
	int r;

	*nrec = 0;
	*why = NULL;
	if ((r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY)) < 0) {
		*why = r == -EACCES || r == -EPERM ? why_errno(EACCES) : "cannot open the journal";
		return SD_OK;
	}
	journal_match_sshd(j);
	r = since_usec > 0 ? sd_journal_seek_realtime_usec(j, (uint64_t)since_usec)
	                   : sd_journal_seek_head(j);
	while (r >= 0 && (r = sd_journal_next(j)) > 0) {
		const void *data;
		const char *v, *msg = NULL, *ident = NULL, *comm = NULL, *host = "";
		size_t len, vl, msg_len = 0, ident_len = 0, comm_len = 0, host_len = 0;
		unsigned spid = 0, pid = 0;
		uint64_t usec = 0;
		char num[64];

		(void)sd_journal_get_realtime_usec(j, &usec);
		sd_journal_restart_data(j);
		while (sd_journal_enumerate_available_data(j, &data, &len) > 0) {
			if (field(data, len, "MESSAGE", 7, &v, &vl))
				msg = v, msg_len = vl;
			else if (field(data, len, "SYSLOG_IDENTIFIER", 17, &v, &vl))
				ident = v, ident_len = vl;
			else if (field(data, len, "_COMM", 5, &v, &vl))
				comm = v, comm_len = vl;
			else if (field(data, len, "SYSLOG_PID", 10, &v, &vl))
				spid = parse_pid(v, vl);
			else if (field(data, len, "_PID", 4, &v, &vl))
				pid = parse_pid(v, vl);
			else if (field(data, len, "_HOSTNAME", 9, &v, &vl))
				host = v, host_len = vl;
		}
		if (!msg)
			continue;
		if (!ident)
			ident = comm ? comm : "", ident_len = comm ? comm_len : 0;
		snprintf(num, sizeof(num), "%llu\t", (unsigned long long)usec);
		if ((r = buf_adds(out, num)) || (r = tsv_field(out, ident, ident_len, "\t")))
			break;
		snprintf(num, sizeof(num), "%u\t", spid ? spid : pid);
		if ((r = buf_adds(out, num)) || (r = tsv_field(out, host, host_len, "\t")) ||
		    (r = tsv_field(out, msg, msg_len, "\n")))
			break;
		(*nrec)++;
		if (out->len > max_bytes) {
			*why = "journal window cut at the size cap";
			break;
		}
	}
	sd_journal_close(j);
	if (r == SD_ERR_ALLOC)
		return r;
	if (r < 0 && r != SD_ERR_TOO_LONG)
		*why = "journal read error";
	else if (r == SD_ERR_TOO_LONG)
		*why = "journal window cut at the size cap";
	return SD_OK;
}

/* A bundle's journal export (BUNDLE_JOURNAL_FILE), fed as the journal source. */
static int read_journal_tsv(const struct rootfs *fs, struct log_summary *s)
{
	struct buf b;
	const char *line;
	size_t pos = 0, ll;
	int r;

	buf_init(&b, BUNDLE_JOURNAL_MAX + (1u << 20));
	if ((r = rootfs_read(fs, BUNDLE_JOURNAL_FILE, b.max, &b)) != SD_OK) {
		buf_release(&b);
		return r == SD_ERR_ALLOC ? r
		                         : log_summary_note_source(
		                               s, "journal", LOG_SOURCE_UNREADABLE, sd_strerror(r));
	}
	if ((r = log_summary_begin_source(s, "journal", 0)) != SD_OK) {
		buf_release(&b);
		return r == SD_ERR_TOO_LONG ? SD_OK : r;
	}
	while (!r && bundle_next_line(b.data, b.len, &pos, &line, &ll)) {
		struct log_record rec;

		if (bundle_journal_line(line, ll, &rec) == SD_OK)
			r = log_summary_add_record(s, &rec);
	}
	log_summary_end_source(s);
	buf_release(&b);
	return r == SD_ERR_ALLOC ? r : SD_OK;
}

/*
 * A bundle taken with explicit logs (BUNDLE_LOGS_FILE lists them, one path per line, as
 * given on the host): the same files, inside the tree, and no discovery — what the live run
 * with --log read.
 */
static int read_bundle_logs(const struct rootfs *fs, const struct collect_logs_opts *o,
                            struct log_summary *s, int *done)
{
	struct buf b;
	char path[4096];
	const char *p, *end, *nl;
	int r = SD_OK;

	*done = 0;
	buf_init(&b, 1u << 20);
	if (rootfs_read(fs, BUNDLE_LOGS_FILE, b.max, &b) != SD_OK) {
		buf_release(&b);
		return SD_OK;
	}
	*done = 1;
	for (p = b.data, end = b.data + b.len; p < end && !r; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p || (size_t)(nl - p) >= sizeof(path))
			continue;
		memcpy(path, p, (size_t)(nl - p));
		path[nl - p] = '\0';
		r = collect_logs_file(fs, path, path, o->max_bytes, 0, s);
	}
	buf_release(&b);
	return r;
}

/* ----------------------------------------------------------------- discovery */

/* The -E FILE of a running sshd (live mode, or a bundle's /proc): malloc'd, or NULL. */
static char *sshd_log_file(const struct rootfs *fs)
{
	DIR *d = rootfs_opendir(fs, "/proc");
	struct dirent *de;
	char *found = NULL;

	if (!d)
		return NULL;
	while (!found && (de = readdir(d)) != NULL) {
		char path[300], cmd[4096];
		size_t n, i;
		struct buf b;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		buf_init(&b, 1u << 20);
		n = rootfs_read(fs, path, b.max, &b) == SD_OK && strcmp(b.data, "sshd\n") == 0;
		buf_reset(&b);
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if (!n || rootfs_read(fs, path, b.max, &b) != SD_OK) {
			buf_release(&b);
			continue;
		}
		n = b.len < sizeof(cmd) - 1 ? b.len : sizeof(cmd) - 1;
		memcpy(cmd, b.data, n);
		buf_release(&b);
		cmd[n] = '\0';
		for (i = 0; i < n;) {
			const char *a = cmd + i;
			size_t al = strlen(a);

			if (strcmp(a, "-E") == 0 && i + al + 1 < n)
				found = strdup(a + al + 1);
			else if (strncmp(a, "-E", 2) == 0 && al > 2)
				found = strdup(a + 2);
			if (found)
				break;
			i += al + 1;
		}
	}
	closedir(d);
	return found;
}

static int facility_files(const struct rootfs *fs, const char *facility, struct syslog_files *out)
{
	static const char *const confs[] = {"/etc/rsyslog.conf", "/etc/syslog.conf"};
	struct buf b;
	size_t i;
	int r = SD_OK, any = 0;

	buf_init(&b, CONF_MAX);
	for (i = 0; i < 2 && !r; i++) {
		buf_reset(&b);
		if (rootfs_read(fs, confs[i], CONF_MAX, &b) != SD_OK)
			continue;
		any = 1;
		r = syslog_conf_files(b.data, b.len, facility, out);
		if (i == 0) {
			/* the .conf files of rsyslog.d, in name order */
			char **names = NULL;
			size_t nn = 0, k;

			if (!r && (r = collect_list_dir(fs, "/etc/rsyslog.d", "", ".conf", 256,
			                                &names, &nn)))
				break;
			for (k = 0; k < nn; k++) {
				char path[512];

				snprintf(path, sizeof(path), "/etc/rsyslog.d/%s", names[k]);
				buf_reset(&b);
				if (!r && rootfs_read(fs, path, CONF_MAX, &b) == SD_OK)
					r = syslog_conf_files(b.data, b.len, facility, out);
				free(names[k]);
			}
			free(names);
			if (any && out->n)
				break; /* rsyslog found: syslog.conf is not used alongside */
		}
	}
	buf_release(&b);
	return r;
}

int collect_logs(const struct rootfs *fs, const struct collect_logs_opts *o, struct log_summary *s)
{
	struct syslog_files sf = {{0}, 0};
	char *elog = NULL;
	size_t i;
	int r = SD_OK;

	for (i = 0; i < o->nfiles && !r; i++)
		r = collect_logs_file(NULL, o->files[i], o->files[i], o->max_bytes, 0, s);
	if (!r && o->journal)
		r = read_journal(o->journal_dir ? NULL : fs, o->journal_dir, s);
	if (r || !o->discover)
		return r;
	if (!fs->live) {
		int done;

		if ((r = read_bundle_logs(fs, o, s, &done)) || done) {
			if (!r && exists_in(fs, BUNDLE_JOURNAL_FILE))
				r = read_journal_tsv(fs, s);
			return r;
		}
	}

	/* sshd -E FILE: bare messages */
	if (o->sshd_log_file)
		r = read_with_rotations(fs, o->sshd_log_file, o->max_bytes, 1, s);
	else if (rootfs_has_proc(fs) && (elog = sshd_log_file(fs)) != NULL)
		r = read_with_rotations(fs, elog, o->max_bytes, 1, s);
	free(elog);
	if (r)
		return r;

	/* the facility's files */
	if ((r = facility_files(fs, o->facility ? o->facility : "auth", &sf)))
		goto out;
	if (sf.n == 0) {
		static const char *const fallback[] = {"/var/log/auth.log", "/var/log/secure"};

		for (i = 0; i < 2 && !r; i++)
			if (exists_in(fs, fallback[i]))
				r = read_with_rotations(fs, fallback[i], o->max_bytes, 0, s);
	}
	for (i = 0; i < sf.n && !r; i++)
		r = read_with_rotations(fs, sf.path[i], o->max_bytes, 0, s);
	for (i = 0; i < o->nmore && !r; i++)
		r = read_with_rotations(fs, o->more_files[i], o->max_bytes, 0, s);
	if (!r && !o->journal && !fs->live && exists_in(fs, BUNDLE_JOURNAL_FILE))
		r = read_journal_tsv(fs, s);
	else if (!r && !o->journal && !fs->live && exists_in(fs, SOS_JOURNAL_FILE))
		r = collect_logs_file(fs, SOS_JOURNAL_FILE, SOS_JOURNAL_FILE, o->max_bytes, 0, s);
	else if (!r && !o->journal &&
	         (exists_in(fs, "/var/log/journal") || exists_in(fs, "/run/log/journal")))
		r = read_journal(fs, NULL, s);
out:
	syslog_files_release(&sf);
	return r;
}
