#include "io/collect_bans.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bans/denyhosts.h"
#include "bans/sshguard.h"
#include "base/err.h"
#include "io/collect_logs.h"
#include "io/proc.h"

#define DEFAULT_CONFDIR "/etc/fail2ban"
#define PATH_MAX_LEN    1024

static char *keep(struct collected_bans *c, char *s)
{
	if (!s)
		return NULL;
	if (c->nstrs >= sizeof(c->strs) / sizeof(c->strs[0])) {
		free(s);
		return NULL;
	}
	return c->strs[c->nstrs++] = s;
}

static const char *why_of(int r)
{
	switch (r) {
	case SD_ERR_PERM:
		return "permission denied";
	case SD_ERR_TOO_LONG:
		return "too large";
	case SD_ERR_NOT_REGULAR:
		return "not a regular file";
	case SD_ERR_ESCAPE:
		return "a symlink leaves the root directory";
	default:
		return sd_strerror(r);
	}
}

/* Reads a file into a kept buffer and describes it in *t. */
static int read_text(struct collected_bans *c, const struct rootfs *fs, const char *path,
                     size_t max, struct bans_text *t)
{
	struct buf *b;
	char *p;
	int r;

	memset(t, 0, sizeof(*t));
	t->path = keep(c, strdup(path));
	if (!t->path)
		return SD_ERR_ALLOC;
	if (c->nfiles >= sizeof(c->files) / sizeof(c->files[0])) {
		t->state = BANS_UNREADABLE;
		t->why = "too many files";
		return SD_OK;
	}
	b = &c->files[c->nfiles];
	buf_init(b, max);
	r = rootfs_read(fs, path, max, b);
	if (r == SD_ERR_NOT_FOUND) {
		buf_release(b);
		t->state = BANS_ABSENT;
		return SD_OK;
	}
	if (r == SD_ERR_ALLOC) {
		buf_release(b);
		return r;
	}
	if (r != SD_OK) {
		buf_release(b);
		t->state = BANS_UNREADABLE;
		if ((p = strdup(why_of(r))) == NULL)
			return SD_ERR_ALLOC;
		t->why = keep(c, p);
		return SD_OK;
	}
	c->nfiles++;
	t->state = BANS_PRESENT;
	t->data = b->data;
	t->len = b->len;
	return SD_OK;
}

/* ----------------------------------------------------------------- /proc (live) */

/*
 * Finds a process of this network namespace whose argv[0] or argv[1] has basename `name`;
 * copies argv (NUL-separated).
 */
static int find_process(const struct rootfs *fs, const char *name, char *cmd, size_t len,
                        size_t *ret_n)
{
	DIR *d = rootfs_opendir(fs, "/proc");
	struct dirent *de;
	char ns[128], mine[128];
	int found = 0;

	if (!d)
		return 0;
	if (rootfs_readlink(fs, "/proc/self/ns/net", mine, sizeof(mine)) < 0)
		mine[0] = '\0';
	while (!found && (de = readdir(d)) != NULL) {
		char path[300];
		size_t n, i, k;
		struct buf b;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		/* /proc shows every network namespace's processes: a ban tool acts on its own */
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (rootfs_readlink(fs, path, ns, sizeof(ns)) > 0 && mine[0] &&
		    strcmp(ns, mine) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		buf_init(&b, 1u << 20);
		if (rootfs_read(fs, path, b.max, &b) != SD_OK) {
			buf_release(&b);
			continue;
		}
		n = b.len < len - 1 ? b.len : len - 1;
		memcpy(cmd, b.data, n);
		buf_release(&b);
		cmd[n] = '\0';
		for (i = 0, k = 0; i < n && k < 2; k++) {
			const char *a = cmd + i, *base = strrchr(a, '/');

			base = base ? base + 1 : a;
			if (strcmp(base, name) == 0) {
				found = 1;
				*ret_n = n;
				break;
			}
			i += strlen(a) + 1;
		}
	}
	closedir(d);
	return found;
}

/* The value of option `opt` ("-c") in a NUL-separated argv, malloc'd, or NULL. */
static char *argv_opt(const char *cmd, size_t n, const char *opt, const char *longopt)
{
	size_t i = 0, ol = strlen(opt), ll = longopt ? strlen(longopt) : 0;

	while (i < n) {
		const char *a = cmd + i;
		size_t al = strlen(a);

		if (strcmp(a, opt) == 0 || (longopt && strcmp(a, longopt) == 0)) {
			if (i + al + 1 < n)
				return strdup(a + al + 1);
			return NULL;
		}
		if (strncmp(a, opt, ol) == 0 && al > ol && opt[1] != '-')
			return strdup(a + ol);
		if (longopt && strncmp(a, longopt, ll) == 0 && a[ll] == '=')
			return strdup(a + ll + 1);
		i += al + 1;
	}
	return NULL;
}

/* ----------------------------------------------------------------- fail2ban config */

struct f2b_reader {
	const struct rootfs *fs;
	struct collected_bans *c;
	struct f2b_conf *conf;
	const char *seen[F2B_MAX_INCLUDES + 1];
	unsigned nseen;
	int unreadable; /* a file exists but could not be read */
	char why[256];
};

static int exists(const struct rootfs *fs, const char *path)
{
	int fd = rootfs_openat(fs, path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int expand(struct f2b_reader *rd, const char *path, int allow_local);

/* One resource: its before-includes, itself, its after-includes (configparserinc.py). */
static int resource(struct f2b_reader *rd, const char *path)
{
	struct f2b_ini ini;
	struct buf b;
	const char *inc;
	unsigned i;
	int r, pass;

	buf_init(&b, COLLECT_BANS_FILE_MAX);
	r = rootfs_read(rd->fs, path, COLLECT_BANS_FILE_MAX, &b);
	if (r != SD_OK) {
		buf_release(&b);
		if (r == SD_ERR_ALLOC)
			return r;
		if (r != SD_ERR_NOT_FOUND && !rd->unreadable) {
			rd->unreadable = 1;
			snprintf(rd->why, sizeof(rd->why), "%s: %s", path, why_of(r));
		}
		return SD_OK;
	}
	r = f2b_ini_parse(b.data, b.len, &ini);
	buf_release(&b);
	if (r)
		return r == SD_ERR_TOO_LONG ? SD_OK : r;
	for (pass = 0; pass < 2 && !r; pass++) {
		if (pass == 1 && (r = f2b_conf_add(rd->conf, path, &ini)))
			break;
		inc = f2b_ini_get(&ini, "INCLUDES", pass == 0 ? "before" : "after");
		while (inc && *inc && !r) {
			size_t n = strcspn(inc, "\n");
			char sub[PATH_MAX_LEN], dir[PATH_MAX_LEN];
			const char *slash = strrchr(path, '/');
			int skip = 0;

			if (n && n < 512) {
				if (inc[0] == '/') {
					snprintf(sub, sizeof(sub), "%.*s", (int)n, inc);
				} else {
					snprintf(dir, sizeof(dir), "%.*s",
					         slash ? (int)(slash - path) : 0, path);
					if (snprintf(sub, sizeof(sub), "%s/%.*s", dir, (int)n,
					             inc) >= (int)sizeof(sub))
						skip = 1;
				}
				skip = skip || strcmp(sub, path) == 0;
				for (i = 0; i < rd->nseen; i++)
					if (strcmp(rd->seen[i], sub) == 0)
						skip = 1;
				if (!skip && rd->nseen < F2B_MAX_INCLUDES) {
					rd->seen[rd->nseen++] = path;
					r = expand(rd, sub, 1);
					rd->nseen--;
				}
			}
			inc += n;
			while (*inc == '\n')
				inc++;
		}
	}
	f2b_ini_release(&ini);
	return r;
}

/* A file and, for includes, its .local twin. */
static int expand(struct f2b_reader *rd, const char *path, int allow_local)
{
	char local[PATH_MAX_LEN];
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	int r, n;

	if ((r = resource(rd, path)))
		return r;
	if (!allow_local)
		return SD_OK;
	if (dot && (!slash || dot > slash))
		n = snprintf(local, sizeof(local), "%.*s.local", (int)(dot - path), path);
	else
		n = snprintf(local, sizeof(local), "%s.local", path);
	if (n > 0 && n < (int)sizeof(local) && strcmp(local, path) != 0 && exists(rd->fs, local))
		return resource(rd, local);
	return SD_OK;
}

/* name.conf, name.d/NAME.conf, name.local, name.d/NAME.local (configreader.py read()). */
static int read_config(const struct rootfs *fs, struct collected_bans *c, const char *dir,
                       const char *name, struct f2b_conf *conf, int *unreadable, char *why,
                       size_t whylen)
{
	static const char *const ext[] = {".conf", ".local"};
	struct f2b_reader rd;
	unsigned e;
	int r = SD_OK;

	memset(&rd, 0, sizeof(rd));
	rd.fs = fs;
	rd.c = c;
	rd.conf = conf;
	for (e = 0; e < 2 && !r; e++) {
		char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
		char **names = NULL;
		size_t n = 0, i;

		snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext[e]);
		if ((r = expand(&rd, path, 0)))
			break;
		snprintf(sub, sizeof(sub), "%s/%s.d", dir, name);
		if ((r = collect_list_dir(fs, sub, "", ext[e], 512, &names, &n)))
			break;
		for (i = 0; i < n; i++) {
			if (!r && snprintf(path, sizeof(path), "%s/%s", sub, names[i]) <
			              (int)sizeof(path))
				r = expand(&rd, path, 0);
			free(names[i]);
		}
		free(names);
	}
	*unreadable = rd.unreadable;
	snprintf(why, whylen, "%s", rd.why);
	return r;
}

/* ----------------------------------------------------------------- fail2ban database */

static int copy_col(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", t ? (const char *)t : "");
	return SD_OK;
}

/* Runs a SELECT of (jail, ip, timeofban, bantime, bancount, data) into a new array. */
/* The rows of `table` for one address (?1), or the bans still running at ?1 (now). */
static void ban_query(char *sql, size_t len, const char *cols, const char *table, int one_ip)
{
	if (one_ip)
		snprintf(sql, len, "SELECT %s FROM %s WHERE ip = ?1 ORDER BY timeofban", cols,
		         table);
	else
		snprintf(sql, len,
		         "SELECT %s FROM %s WHERE bantime < 0 OR timeofban + bantime > ?1 "
		         "ORDER BY timeofban",
		         cols, table);
}

static int select_rows(sqlite3 *db, const char *sql, const char *ip, long long now,
                       struct f2b_ban **ret, size_t *ret_n)
{
	sqlite3_stmt *st = NULL;
	struct f2b_ban *v = NULL;
	size_t n = 0, a = 0;
	int rc, r = SD_OK;

	*ret = NULL;
	*ret_n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return SD_ERR_INVALID;
	if (ip)
		sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < COLLECT_BANS_ROWS_MAX) {
		struct f2b_ban *b;
		const unsigned char *data;

		if (n == a) {
			size_t na = a ? a * 2 : 16;
			struct f2b_ban *nv = realloc(v, na * sizeof(*nv));

			if (!nv) {
				r = SD_ERR_ALLOC;
				break;
			}
			v = nv;
			a = na;
		}
		b = &v[n];
		memset(b, 0, sizeof(*b));
		copy_col(b->jail, sizeof(b->jail), st, 0);
		copy_col(b->ip, sizeof(b->ip), st, 1);
		b->timeofban = sqlite3_column_int64(st, 2);
		b->bantime =
		    sqlite3_column_type(st, 3) == SQLITE_NULL ? 600 : sqlite3_column_int64(st, 3);
		b->bancount =
		    sqlite3_column_type(st, 4) == SQLITE_NULL ? 1 : sqlite3_column_int64(st, 4);
		if ((data = sqlite3_column_text(st, 5)) != NULL &&
		    (b->data = strdup((const char *)data)) == NULL) {
			r = SD_ERR_ALLOC;
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (r) {
		while (n)
			free(v[--n].data);
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return SD_OK;
}

static int read_db(const struct rootfs *fs, struct collected_bans *c, const char *path,
                   const struct ip_addr *client, const char *jail, long long now)
{
	struct f2b_inputs *fi = &c->in.f2b;
	char ip[64] = "";
	const char *cols = "jail, ip, timeofban, bantime, bancount, data";
	char sql[512];
	sqlite3 *db = NULL;
	unsigned char *mem;
	struct buf b;
	int r;

	fi->db_path = keep(c, strdup(path));
	fi->db_jail_enabled = -1;
	if (strcmp(path, ":memory:") == 0 || strcmp(path, "None") == 0 || !*path) {
		fi->db_state = BANS_ABSENT;
		return SD_OK;
	}
	buf_init(&b, COLLECT_BANS_DB_MAX);
	r = rootfs_read(fs, path, COLLECT_BANS_DB_MAX, &b);
	if (r == SD_ERR_NOT_FOUND) {
		buf_release(&b);
		fi->db_state = BANS_ABSENT;
		return SD_OK;
	}
	if (r != SD_OK) {
		buf_release(&b);
		if (r == SD_ERR_ALLOC)
			return r;
		fi->db_state = BANS_UNREADABLE;
		fi->db_why = keep(c, strdup(why_of(r)));
		return SD_OK;
	}
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	        SQLITE_OK ||
	    (mem = sqlite3_malloc64(b.len ? b.len : 1)) == NULL) {
		sqlite3_close(db);
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	memcpy(mem, b.data, b.len);
	if (sqlite3_deserialize(db, "main", mem, (sqlite3_int64)b.len, (sqlite3_int64)b.len,
	                        SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		buf_release(&b);
		fi->db_state = BANS_UNREADABLE;
		fi->db_why = "not an sqlite database";
		return SD_OK;
	}
	buf_release(&b);
	fi->db_state = BANS_PRESENT;
	if (client && client->family)
		ip_addr_format(client, ip, sizeof(ip));
	/* schema 4 first, then the older `bans` without bantime/bancount */
	ban_query(sql, sizeof(sql), cols, "bans", ip[0] != 0);
	r = select_rows(db, sql, ip[0] ? ip : NULL, now, &c->bans, &c->nbans);
	if (r == SD_ERR_INVALID) {
		snprintf(
		    sql, sizeof(sql),
		    "SELECT jail, ip, timeofban, NULL, NULL, data FROM bans %s ORDER BY timeofban",
		    ip[0] ? "WHERE ip = ?1" : "");
		r = select_rows(db, sql, ip[0] ? ip : NULL, now, &c->bans, &c->nbans);
	}
	if (r == SD_ERR_ALLOC)
		goto out;
	ban_query(sql, sizeof(sql), cols, "bips", ip[0] != 0);
	r = select_rows(db, sql, ip[0] ? ip : NULL, now, &c->bips, &c->nbips);
	if (r == SD_ERR_ALLOC)
		goto out;
	r = SD_OK;
	{
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(db, "SELECT enabled FROM jails WHERE name = ?1", -1, &st,
		                       NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, jail, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				fi->db_jail_enabled = sqlite3_column_int(st, 0);
		}
		sqlite3_finalize(st);
	}
	fi->bans = c->bans;
	fi->nbans = c->nbans;
	fi->bips = c->bips;
	fi->nbips = c->nbips;
out:
	sqlite3_close(db);
	return r;
}

/* ----------------------------------------------------------------- fail2ban-client */

static int ask(struct collected_bans *c, const char *confdir, const char *sock, const char *jail,
               int banip, unsigned timeout, const char **ret, const char **why)
{
	char *argv[10];
	struct proc_result pr;
	int r, k = 0;

	argv[k++] = "fail2ban-client";
	argv[k++] = "-c";
	argv[k++] = (char *)confdir;
	argv[k++] = "-s";
	argv[k++] = (char *)sock;
	if (banip) {
		argv[k++] = "get";
		argv[k++] = (char *)jail;
		argv[k++] = "banip";
		argv[k++] = "--with-time";
	} else {
		argv[k++] = "status";
		argv[k++] = (char *)jail;
	}
	argv[k] = NULL;
	memset(&pr, 0, sizeof(pr));
	r = proc_run(argv, timeout, 1u << 20, &pr);
	if (r == SD_ERR_NOT_FOUND) {
		*why = "fail2ban-client is not installed";
		return SD_OK;
	}
	if (r != SD_OK) {
		*why = "fail2ban-client could not be started";
		return r == SD_ERR_ALLOC ? r : SD_OK;
	}
	if (pr.exited && pr.status == 0) {
		*ret = keep(c, buf_detach(&pr.out));
	} else {
		char msg[300];

		snprintf(msg, sizeof(msg), "fail2ban-client %s failed%s%.200s",
		         banip ? "get banip" : "status", pr.timed_out ? " (timed out)" : ": ",
		         pr.timed_out ? "" : pr.err.data);
		msg[strcspn(msg, "\n")] = '\0';
		*why = keep(c, strdup(msg));
	}
	proc_result_release(&pr);
	return SD_OK;
}

/* A bundle's saved command output (kept alive by the collection), or NULL. */
static const char *bundle_text(struct collected_bans *c, const struct rootfs *fs, const char *path)
{
	struct buf b;
	const char *t = NULL;

	buf_init(&b, 1u << 20);
	if (rootfs_read(fs, path, b.max, &b) == SD_OK)
		t = keep(c, buf_detach(&b));
	buf_release(&b);
	return t;
}

static int do_f2b(const struct rootfs *fs, const struct collect_bans_opts *o,
                  struct collected_bans *c, long long now)
{
	struct f2b_inputs *fi = &c->in.f2b;
	const char *jail = o->jail ? o->jail : F2B_DEFAULT_JAIL;
	char cmd[8192], why[300];
	char *live_conf = NULL, *live_sock = NULL;
	const char *confdir = o->f2b_confdir, *sock = o->f2b_socket;
	size_t n = 0;
	int running = -1, unread = 0, r;

	fi->jail = jail;
	fi->running = -1;
	if (rootfs_has_proc(fs)) {
		running = find_process(fs, "fail2ban-server", cmd, sizeof(cmd), &n);
		if (running) {
			live_conf = keep(c, argv_opt(cmd, n, "-c", NULL));
			live_sock = keep(c, argv_opt(cmd, n, "-s", "--socket"));
		}
		fi->running = running ? 1 : 0;
	}
	if (!confdir)
		confdir = live_conf ? live_conf : DEFAULT_CONFDIR;
	fi->confdir = confdir;
	if (!exists(fs, confdir)) {
		fi->state = BANS_ABSENT;
		return SD_OK;
	}
	fi->state = BANS_PRESENT;
	if ((r = read_config(fs, c, confdir, "jail", &c->jail_conf, &unread, why, sizeof(why))))
		return r;
	if (!c->jail_conf.nfiles) {
		fi->state = unread ? BANS_UNREADABLE : BANS_ABSENT;
		fi->why = keep(c, strdup(why));
		return SD_OK;
	}
	fi->jail_conf = &c->jail_conf;
	if ((r = read_config(fs, c, confdir, "fail2ban", &c->server_conf, &unread, why,
	                     sizeof(why))))
		return r;
	fi->server_conf = &c->server_conf;
	if ((r = f2b_server_read(&c->server_conf, &c->server)))
		return r;
	if (c->server.logtarget[0] == '/')
		c->f2b_log = keep(c, strdup(c->server.logtarget));
	if ((r = read_db(fs, c, c->server.dbfile, o->client, jail, now)))
		return r;
	if (!sock)
		sock = live_sock ? live_sock : c->server.socket;
	if (!fs->live && rootfs_has_proc(fs)) {
		/* a bundle: the same questions, asked on the host when it was taken */
		fi->status_text = bundle_text(c, fs, BUNDLE_F2B_STATUS_FILE);
		if (fi->status_text && o->client && o->client->family)
			fi->banip_text = bundle_text(c, fs, BUNDLE_F2B_BANIP_FILE);
		if (!fi->status_text && !running)
			fi->live_why = "fail2ban-server is not running";
		else if (!fi->status_text)
			fi->live_why = bundle_text(c, fs, BUNDLE_F2B_WHY_FILE);
	} else if (fs->live && running && o->ask_server) {
		unsigned t = o->timeout_ms ? o->timeout_ms : 10000;

		if ((r = ask(c, confdir, sock, jail, 0, t, &fi->status_text, &fi->live_why)))
			return r;
		if (fi->status_text && ((o->client && o->client->family) || o->ask_banip) &&
		    (r = ask(c, confdir, sock, jail, 1, t, &fi->banip_text, &fi->live_why)))
			return r;
	} else if (fs->live && !running) {
		fi->live_why = "fail2ban-server is not running";
	} else if (!fs->live) {
		fi->live_why = NULL; /* a copied tree: no server to ask */
	}
	return SD_OK;
}

/* ----------------------------------------------------------------- sshguard, DenyHosts */

static int do_sshguard(const struct rootfs *fs, struct collected_bans *c)
{
	struct sshguard_inputs *sg = &c->in.sg;
	static const char *const confs[] = {"/etc/sshguard/sshguard.conf", "/etc/sshguard.conf",
	                                    "/usr/local/etc/sshguard.conf"};
	struct sshguard_conf sc;
	char cmd[512];
	size_t i, n;
	int r;

	sg->running = -1;
	for (i = 0; i < 3; i++) {
		if ((r = read_text(c, fs, confs[i], COLLECT_BANS_FILE_MAX, &sg->conf)))
			return r;
		if (sg->conf.state != BANS_ABSENT)
			break;
	}
	if (rootfs_has_proc(fs))
		sg->running = find_process(fs, "sshguard", cmd, sizeof(cmd), &n);
	if (sg->conf.state == BANS_ABSENT && !exists(fs, "/usr/sbin/sshguard") &&
	    sg->running != 1) {
		sg->state = BANS_ABSENT;
		return SD_OK;
	}
	sg->state = sg->conf.state == BANS_UNREADABLE ? BANS_UNREADABLE : BANS_PRESENT;
	if (sg->conf.state != BANS_PRESENT)
		return SD_OK;
	if ((r = sshguard_conf_parse(sg->conf.data, sg->conf.len, &sc)))
		return r;
	if (sc.blacklist_file[0])
		r = read_text(c, fs, sc.blacklist_file, COLLECT_BANS_DB_MAX, &sg->blacklist);
	if (!r && sc.whitelist_file[0])
		r = read_text(c, fs, sc.whitelist_file, COLLECT_BANS_FILE_MAX, &sg->whitelist);
	sshguard_conf_release(&sc);
	return r;
}

static int do_denyhosts(const struct rootfs *fs, struct collected_bans *c)
{
	struct denyhosts_inputs *dh = &c->in.dh;
	static const char *const work[] = {
#define DH_NAME(n) n,
	    DH_WORK_FILES(DH_NAME)
#undef DH_NAME
	};
	struct dh_conf dc;
	size_t i;
	int r;

	dh->libwrap = -1;
	if ((r = read_text(c, fs, DH_CONF_PATH, COLLECT_BANS_FILE_MAX, &dh->conf)))
		return r;
	if ((r = dh_conf_parse(dh->conf.state == BANS_PRESENT ? dh->conf.data : "",
	                       dh->conf.state == BANS_PRESENT ? dh->conf.len : 0, &dc)))
		return r;
	if ((r = read_text(c, fs, dc.hosts_deny, COLLECT_BANS_FILE_MAX, &dh->hosts_deny)))
		goto out;
	if (dh->conf.state == BANS_ABSENT &&
	    !(dh->hosts_deny.state == BANS_PRESENT &&
	      memmem(dh->hosts_deny.data, dh->hosts_deny.len, "# DenyHosts:", 12))) {
		dh->state = BANS_ABSENT;
		goto out;
	}
	dh->state = BANS_PRESENT;
	for (i = 0; i < sizeof(work) / sizeof(work[0]) && i < BANS_DH_WORK_MAX; i++) {
		char path[PATH_MAX_LEN];

		snprintf(path, sizeof(path), "%s/%s", dc.work_dir, work[i]);
		if ((r = read_text(c, fs, path, COLLECT_BANS_DB_MAX, &dh->work[dh->nwork])))
			goto out;
		dh->nwork++;
	}
out:
	dh_conf_release(&dc);
	return r;
}

int collect_bans(const struct rootfs *fs, const struct collect_bans_opts *o,
                 struct collected_bans *c)
{
	struct log_clock clk;
	int r;

	memset(c, 0, sizeof(*c));
	f2b_conf_init(&c->jail_conf);
	f2b_conf_init(&c->server_conf);
	collect_logs_clock(&clk);
	c->in.clock = clk;
	c->in.remedy = geteuid() == 0 ? NULL : "run as root";
	if ((r = do_f2b(fs, o, c, clk.now / LOG_US)) || (r = do_sshguard(fs, c)) ||
	    (r = do_denyhosts(fs, c)))
		return r;
	return SD_OK;
}

void collected_bans_release(struct collected_bans *c)
{
	size_t i;

	f2b_conf_release(&c->jail_conf);
	f2b_conf_release(&c->server_conf);
	f2b_server_release(&c->server);
	for (i = 0; i < c->nbans; i++)
		free(c->bans[i].data);
	free(c->bans);
	for (i = 0; i < c->nbips; i++)
		free(c->bips[i].data);
	free(c->bips);
	for (i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	for (i = 0; i < c->nfiles; i++)
		buf_release(&c->files[i]);
	memset(c, 0, sizeof(*c));
}
