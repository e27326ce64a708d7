#include "io/rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"

int rootfs_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return SD_ERR_NOT_FOUND;
	case EACCES:
	case EPERM:
		return SD_ERR_PERM;
	case EXDEV:
	case ELOOP:
		return SD_ERR_ESCAPE;
	case ENOMEM:
		return SD_ERR_ALLOC;
	default:
		return SD_ERR_IO;
	}
}

int rootfs_open(struct rootfs *fs, const char *root)
{
	memset(fs, 0, sizeof(*fs));
	fs->dirfd = -1;
	if (!root || !*root)
		root = "/";
	fs->live = strcmp(root, "/") == 0;
	if ((fs->root = strdup(root)) == NULL)
		return SD_ERR_ALLOC;
	if ((fs->dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		int r = rootfs_errno(errno);
		free(fs->root);
		fs->root = NULL;
		return r;
	}
	return SD_OK;
}

void rootfs_close(struct rootfs *fs)
{
	if (fs->dirfd >= 0)
		close(fs->dirfd);
	free(fs->root);
	fs->root = NULL;
	fs->dirfd = -1;
}

/*
 * Without openat2: walk component by component and refuse every symlink and "..", which is
 * stricter than RESOLVE_IN_ROOT but can never leave the root.
 */
static int open_walk(const struct rootfs *fs, const char *path, int flags)
{
	char *copy, *save = NULL, *comp, *next;
	int fd = fs->dirfd, nfd, e;

	if ((copy = strdup(path)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	comp = strtok_r(copy, "/", &save);
	while (comp) {
		next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, "..") == 0) {
			errno = EXDEV;
			nfd = -1;
		} else if (strcmp(comp, ".") == 0) {
			comp = next;
			continue;
		} else {
			nfd = openat(fd, comp,
			             next ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
			                  : flags | O_NOFOLLOW);
		}
		e = errno;
		if (fd != fs->dirfd)
			close(fd);
		if (nfd < 0) {
			free(copy);
			errno = e;
			return -1;
		}
		fd = nfd;
		comp = next;
	}
	free(copy);
	if (fd == fs->dirfd)
		return openat(fs->dirfd, ".", flags);
	return fd;
}

int rootfs_openat(const struct rootfs *fs, const char *path, int flags)
{
	struct open_how how;
	long fd;

	/* no root given: the live system */
	if (!fs || fs->live)
		return open(path, flags);
	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, fs->dirfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		return open_walk(fs, path, flags);
	return (int)fd;
}

int rootfs_read(const struct rootfs *fs, const char *path, size_t max, struct buf *out)
{
	struct stat st;
	char chunk[65536];
	size_t total = 0, old = out->len;
	ssize_t n = 0;
	int fd, r = SD_OK;

	fd = rootfs_openat(fs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return rootfs_errno(errno);
	if (fstat(fd, &st) != 0) {
		r = rootfs_errno(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = SD_ERR_NOT_REGULAR;
		goto out;
	}
	/* a file larger than a chunk: read it straight into a buffer of its size */
	if (st.st_size > (off_t)sizeof(chunk)) {
		if ((size_t)st.st_size > max) {
			r = SD_ERR_TOO_LONG;
			goto out;
		}
		if ((r = buf_reserve(out, (size_t)st.st_size)) != 0)
			goto out;
		while (total < (size_t)st.st_size) {
			n = read(fd, out->data + out->len, (size_t)st.st_size - total);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			total += (size_t)n;
			out->len += (size_t)n;
		}
		out->data[out->len] = '\0';
		if (n < 0) {
			r = rootfs_errno(errno);
			goto out;
		}
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = rootfs_errno(errno);
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			r = SD_ERR_TOO_LONG;
			break;
		}
		if ((r = buf_add(out, chunk, (size_t)n)) != 0)
			break;
	}
out:
	if (r != SD_OK) {
		out->len = old;
		if (out->alloc)
			out->data[old] = '\0';
	}
	close(fd);
	return r;
}

int rootfs_exists(const struct rootfs *fs, const char *path)
{
	int fd = rootfs_openat(fs, path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return rootfs_errno(errno);
	close(fd);
	return SD_OK;
}

int rootfs_load(const struct rootfs *fs, const char *path, size_t max, struct rootfs_blob *out)
{
	struct stat st;
	void *m;
	int fd, r;

	memset(out, 0, sizeof(*out));
	buf_init(&out->buf, max);
	fd = rootfs_openat(fs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return rootfs_errno(errno);
	if (fstat(fd, &st) != 0) {
		r = rootfs_errno(errno);
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return SD_ERR_NOT_REGULAR;
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return SD_ERR_TOO_LONG;
	}
	if ((size_t)st.st_size >= ROOTFS_MAP_MIN) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			return SD_ERR_IO;
		out->map = m;
		out->data = m;
		out->len = (size_t)st.st_size;
		return SD_OK;
	}
	close(fd);
	if ((r = rootfs_read(fs, path, max, &out->buf)) != 0)
		return r;
	out->data = out->buf.len ? (const uint8_t *)out->buf.data : NULL;
	out->len = out->buf.len;
	return SD_OK;
}

void rootfs_blob_release(struct rootfs_blob *b)
{
	if (b->map)
		munmap(b->map, b->len);
	buf_release(&b->buf);
	b->map = NULL;
	b->data = NULL;
	b->len = 0;
}

long rootfs_readlink(const struct rootfs *fs, const char *path, char *out, size_t len)
{
	ssize_t n;
	int fd, e;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (!fs || fs->live)
		n = readlink(path, out, len - 1);
	else {
		if ((fd = rootfs_openat(fs, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return -1;
		n = readlinkat(fd, "", out, len - 1);
		e = errno;
		close(fd);
		errno = e;
	}
	if (n < 0)
		return -1;
	out[n] = '\0';
	return (long)n;
}

DIR *rootfs_opendir(const struct rootfs *fs, const char *path)
{
	DIR *d;
	int fd, e;

	if (!fs || fs->live)
		return opendir(path);
	if ((fd = rootfs_openat(fs, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

int rootfs_has_proc(const struct rootfs *fs)
{
	char ns[128];

	return !fs || fs->live ||
	       (rootfs_exists(fs, "/proc/net/tcp") == SD_OK &&
	        rootfs_readlink(fs, "/proc/self/ns/net", ns, sizeof(ns)) > 0);
}
