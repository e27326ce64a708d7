/*
 * bundle/tar.h — POSIX ustar members (with a pax extended header for names or link targets
 * that do not fit), as bytes appended to a buffer: the pure half of `sshdiag bundle`'s
 * writer (io/bundle.c compresses and writes them).
 */
#ifndef SSHDIAG_BUNDLE_TAR_H
#define SSHDIAG_BUNDLE_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define TAR_BLOCK 512u

enum tar_type { TAR_FILE = '0', TAR_SYMLINK = '2', TAR_DIR = '5' };

struct tar_member {
	const char *name; /* relative ("etc/ssh/sshd_config"); a directory without a trailing '/' */
	enum tar_type type;
	unsigned mode; /* permission bits */
	unsigned uid, gid;
	uint64_t size;        /* file bytes that follow (0 for links and directories) */
	int64_t mtime;        /* seconds since the epoch */
	const char *linkname; /* TAR_SYMLINK: the target */
};

/*
 * Appends the header block(s) of `m` to `out`.  SD_OK, SD_ERR_ALLOC, SD_ERR_TOO_LONG (a
 * name or target over 4096 bytes, or a size over 8 GiB), SD_ERR_INVALID (an empty name).
 */
int tar_header(struct buf *out, const struct tar_member *m);

/* The zero bytes that pad `size` bytes of content to a whole block. */
size_t tar_padding(uint64_t size);

#endif
