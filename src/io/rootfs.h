/*
 * rootfs.h — the one way the server side reads files: every path is resolved inside a root
 * directory (`--root DIR`, or "/" for the live system), read-only, never following a symlink
 * out of the root, never blocking on a FIFO, never reading more than a stated cap.
 *
 * Paths are given as they are seen on the diagnosed system ("/etc/ssh/sshd_config"), which is
 * also how evidence names them.
 */
#ifndef SSHDIAG_IO_ROOTFS_H
#define SSHDIAG_IO_ROOTFS_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct rootfs {
	int dirfd;  /* the root directory, O_PATH */
	char *root; /* as given; "/" for the live system */
	int live;   /* 1 when diagnosing the running system */
};

/* Opens `root` (NULL or "/" for the live system).  SD_ERR_NOT_FOUND, SD_ERR_PERM, … */
int rootfs_open(struct rootfs *fs, const char *root);
void rootfs_close(struct rootfs *fs);

/*
 * Reads the regular file at `path` (absolute, as seen on the diagnosed system) into `out`
 * (appending).  SD_ERR_NOT_FOUND, SD_ERR_PERM, SD_ERR_NOT_REGULAR, SD_ERR_TOO_LONG (bigger
 * than `max`), SD_ERR_ESCAPE (a symlink tried to leave the root on a kernel without openat2),
 * SD_ERR_IO.
 */
int rootfs_read(const struct rootfs *fs, const char *path, size_t max, struct buf *out);

/*
 * A file's bytes, read or (from ROOTFS_MAP_MIN bytes on) mapped read-only: a 1M-line
 * hosts.deny is decided straight from the page cache, without a copy.  A mapped file that is
 * truncated while we read it would fault; these are configuration files, and the window is
 * the few milliseconds of one pass.
 */
#define ROOTFS_MAP_MIN ((size_t)1 << 20)

struct rootfs_blob {
	const uint8_t *data; /* NULL when empty */
	size_t len;
	void *map; /* the mapping, or NULL */
	struct buf buf;
};

/* As rootfs_read(), into `out` (released with rootfs_blob_release, also after an error). */
int rootfs_load(const struct rootfs *fs, const char *path, size_t max, struct rootfs_blob *out);
void rootfs_blob_release(struct rootfs_blob *b);

/*
 * Opens `path` inside the root with open(2) `flags` (O_RDONLY, O_DIRECTORY, O_PATH…): the one
 * place that resolves paths for the edges.  A file descriptor, or -1 with errno set.
 */
int rootfs_openat(const struct rootfs *fs, const char *path, int flags);

/* The SD_ERR_* value of an errno from a rooted open or read (EXDEV/ELOOP: SD_ERR_ESCAPE). */
int rootfs_errno(int e);

/* 0 if `path` exists inside the root (any type, symlinks resolved inside the root). */
int rootfs_exists(const struct rootfs *fs, const char *path);

/*
 * readlink(2) of `path` inside the root (the link itself, not followed): /proc/PID/exe on the
 * live system, or the symlink a bundle stored in its /proc snapshot.  The length written
 * (NUL-terminated), or -1 with errno set.
 */
long rootfs_readlink(const struct rootfs *fs, const char *path, char *out, size_t len);

/* opendir(3) of `path` inside the root; NULL with errno set. */
DIR *rootfs_opendir(const struct rootfs *fs, const char *path);

/*
 * 1 when the processes and sockets of the diagnosed system can be read: the live system, or a
 * tree that holds a /proc snapshot (a bundle: /proc/net/tcp and /proc/self/ns/net).
 */
int rootfs_has_proc(const struct rootfs *fs);

#endif
