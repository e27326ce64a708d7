/*
 * sshd/version.h — which OpenSSH the diagnosed sshd is, because its rules change with the
 * version (first-wins vs last-wins, defaults, keywords, Match criteria, the sshd-session
 * split).  Taken from `sshd -V` text ("OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.11 …"), a
 * banner software string, or the bytes of the sshd binary itself (it contains SSH_RELEASE
 * as a NUL-terminated string), so --root mode needs no execution.
 */
#ifndef SSHDIAG_SSHD_VERSION_H
#define SSHDIAG_SSHD_VERSION_H

#include <stddef.h>

/* Version numbers compare as major * 100 + minor: SSHD_V(9, 8) == 908. */
#define SSHD_V(major, minor) ((major)*100 + (minor))

/* The version assumed when none could be read (the newest one the model was tested on). */
#define SSHD_V_DEFAULT SSHD_V(10, 0)

struct sshd_version {
	int known;     /* 1 when read from the daemon or its binary */
	int major;     /* 9 */
	int minor;     /* 2 */
	int portable;  /* 1 for "p1", 0 when absent */
	int debian;    /* 1 for Debian/Ubuntu builds (extra keywords and defaults) */
	char text[96]; /* "OpenSSH_9.2p1 Debian-2+deb12u3" (sanitised), "" when unknown */
};

/* major * 100 + minor, or SSHD_V_DEFAULT when unknown. */
int sshd_version_num(const struct sshd_version *v);

/* The unknown version (SSHD_V_DEFAULT, Debian build), for --root trees without a binary. */
void sshd_version_default(struct sshd_version *v);

/*
 * Parses "OpenSSH_10.0p2 Debian-7~bpo12+1[, OpenSSL …]" (sshd -V, SSH_RELEASE, or a
 * banner's software and comments).  0 on success, SD_ERR_INVALID otherwise.
 */
int sshd_version_parse(const char *text, struct sshd_version *v);

/*
 * Finds the release string in the bytes of an sshd (or sshd-session) binary: the longest
 * NUL-delimited "OpenSSH_<major>.<minor>…" string without ',' or '*' (compat patterns have
 * those).  0 on success, SD_ERR_NOT_FOUND.
 */
int sshd_version_from_binary(const void *bytes, size_t len, struct sshd_version *v);

#endif
