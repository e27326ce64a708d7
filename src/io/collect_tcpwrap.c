#include "io/collect_tcpwrap.h"

#include <ctype.h>
#include <dirent.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/err.h"
#include "binfmt/elf.h"

#define HOSTS_FILE_MAX ((size_t)1 << 30) /* a denyhosts file can be large; parsing is bounded */
#define BINARY_MAX     ((size_t)64 << 20)

static void read_table(const struct rootfs *fs, const char *path, struct rootfs_blob *b,
                       struct tcpwrap_table *t)
{
	int r = rootfs_load(fs, path, HOSTS_FILE_MAX, b);

	memset(t, 0, sizeof(*t));
	t->path = path;
	if (r == SD_OK) {
		/* an empty file is an empty table, not a missing one */
		t->data = b->data ? b->data : (const uint8_t *)"";
		t->len = b->len;
	} else if (r == SD_ERR_NOT_FOUND) {
		t->missing = 1;
	} else {
		t->unreadable = 1;
		t->why = sd_strerror(r);
	}
}

/* The first line of a small /proc file, NUL-terminated; 0 on success. */
static int proc_line(const struct rootfs *fs, const char *path, char *out, size_t len)
{
	struct buf b;
	int r;

	buf_init(&b, 65536);
	r = rootfs_read(fs, path, b.max, &b);
	if (r == SD_OK)
		snprintf(out, len, "%.*s", (int)strcspn(b.data, "\n"), b.data);
	buf_release(&b);
	return r;
}

/*
 * The running sshd listener (live mode, or a bundle's /proc snapshot): the first process
 * named sshd whose parent is not.
 */
static int find_listener_exe(const struct rootfs *fs, char *out, size_t outlen)
{
	DIR *dir = rootfs_opendir(fs, "/proc");
	struct dirent *e;
	char path[300], comm[64], stat[512], ns[64], mine[64], pcomm[64], *rp;
	int found = 0;
	long ppid;

	if (!dir)
		return 0;
	while (!found && (e = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (proc_line(fs, path, comm, sizeof(comm)) != SD_OK || strcmp(comm, "sshd") != 0)
			continue;
		/* /proc shows every network namespace's processes: only ours accept our port */
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (rootfs_readlink(fs, path, ns, sizeof(ns)) <= 0 ||
		    rootfs_readlink(fs, "/proc/self/ns/net", mine, sizeof(mine)) <= 0 ||
		    strcmp(ns, mine) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (proc_line(fs, path, stat, sizeof(stat)) != SD_OK)
			continue;
		/* "pid (comm) state ppid": per-connection children have an sshd parent */
		if (!(rp = strrchr(stat, ')')) || sscanf(rp + 2, "%*c %ld", &ppid) != 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", ppid);
		if (proc_line(fs, path, pcomm, sizeof(pcomm)) == SD_OK &&
		    strcmp(pcomm, "sshd") == 0)
			continue;
		snprintf(out, outlen, "/proc/%s/exe", e->d_name);
		found = 1;
	}
	closedir(dir);
	return found;
}

/* Reads the binary at `path` and reports whether it links libwrap; -1 if unreadable. */
static int binary_links_libwrap(const struct rootfs *fs, const char *path, int *major, int *minor)
{
	struct buf b;
	struct elf_info e;
	char ver[64];
	int r, yes;

	buf_init(&b, BINARY_MAX);
	if (rootfs_read(fs, path, BINARY_MAX, &b) != SD_OK) {
		buf_release(&b);
		return -1;
	}
	r = elf_parse((const uint8_t *)b.data, b.len, &e);
	if (r != SD_OK || !e.is_elf) {
		buf_release(&b);
		return -1;
	}
	yes = elf_needs(&e, "libwrap.so");
	if (!elf_openssh_version((const uint8_t *)b.data, b.len, major, minor, ver, sizeof(ver)))
		*major = *minor = 0;
	elf_info_release(&e);
	buf_release(&b);
	return yes;
}

int collect_tcpwrap(const struct rootfs *fs, const char *sshd_hint, const char *session_hint,
                    struct tcpwrap_collected *c)
{
	char exe[300], real[512], session[600];
	const char *sshd = sshd_hint;
	int major = 0, minor = 0, yes, y2 = -1, ma2, mi2;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	read_table(fs, "/etc/hosts.allow", &c->allow, &c->in.allow);
	read_table(fs, "/etc/hosts.deny", &c->deny, &c->in.deny);
	c->in.libwrap = TCPWRAP_LIBWRAP_UNKNOWN;
	real[0] = '\0';
	if (!sshd && rootfs_has_proc(fs) && find_listener_exe(fs, exe, sizeof(exe)))
		sshd = exe;
	if (sshd && rootfs_has_proc(fs) && strncmp(sshd, "/proc/", 6) == 0 &&
	    (n = rootfs_readlink(fs, sshd, real, sizeof(real))) > 0) {
		/* an upgraded binary shows as "PATH (deleted)": name PATH */
		if (n > 10 && strcmp(real + n - 10, " (deleted)") == 0)
			real[n - 10] = '\0';
	}
	if (!sshd)
		sshd = "/usr/sbin/sshd";
	yes = binary_links_libwrap(fs, sshd, &major, &minor);
	if (yes < 0)
		return SD_OK;
	snprintf(c->binary, sizeof(c->binary), "%s", real[0] ? real : sshd);
	c->in.libwrap = yes ? TCPWRAP_LIBWRAP_YES : TCPWRAP_LIBWRAP_NO;
	c->in.libwrap_binary = c->binary;
	if (!yes && (major > 9 || (major == 9 && minor >= 8))) {
		/* since 9.8 the per-connection sshd-session does the libwrap check */
		const char *base = real[0] ? real : sshd;
		const char *slash = strrchr(base, '/');
		int len = slash ? (int)(slash - base) : 0;
		if (session_hint && session_hint[0]) {
			snprintf(session, sizeof(session), "%s", session_hint);
			y2 = binary_links_libwrap(fs, session, &ma2, &mi2);
		}
		if (y2 < 0) {
			snprintf(session, sizeof(session), "%.*s/../lib/openssh/sshd-session", len,
			         base);
			y2 = binary_links_libwrap(fs, session, &ma2, &mi2);
		}
		if (y2 < 0) {
			snprintf(session, sizeof(session), "/usr/lib/openssh/sshd-session");
			y2 = binary_links_libwrap(fs, session, &ma2, &mi2);
		}
		if (y2 >= 0) {
			snprintf(c->binary, sizeof(c->binary), "%s", session);
			c->in.libwrap = y2 ? TCPWRAP_LIBWRAP_YES : TCPWRAP_LIBWRAP_NO;
		}
	}
	return SD_OK;
}

void collect_tcpwrap_release(struct tcpwrap_collected *c)
{
	rootfs_blob_release(&c->allow);
	rootfs_blob_release(&c->deny);
}

void resolve_client_name(const char *addr, char *out, size_t outlen)
{
	struct addrinfo hints, *ai = NULL, *p;
	char name[NI_MAXHOST], num[NI_MAXHOST];
	int ok = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	snprintf(out, outlen, "unknown");
	if (getaddrinfo(addr, NULL, &hints, &ai) != 0)
		return;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, name, sizeof(name), NULL, 0, NI_NAMEREQD) !=
	    0) {
		freeaddrinfo(ai);
		return;
	}
	freeaddrinfo(ai);
	/* libwrap's double-reverse check: the name must map back to the address */
	memset(&hints, 0, sizeof(hints));
	if (getaddrinfo(name, NULL, &hints, &ai) == 0) {
		for (p = ai; p && !ok; p = p->ai_next)
			if (getnameinfo(p->ai_addr, p->ai_addrlen, num, sizeof(num), NULL, 0,
			                NI_NUMERICHOST) == 0 &&
			    strcasecmp(num, addr) == 0)
				ok = 1;
		freeaddrinfo(ai);
	}
	snprintf(out, outlen, "%s", ok ? name : "paranoid");
}
