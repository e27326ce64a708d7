/*
 * sshd/render.h — `sshdiag sshd-config` output: the effective configuration for one
 * connection, one keyword per line as `sshd -T` prints it, each with where its value came
 * from (file:line, the Match block, the command line, or the built-in default), followed by
 * the problems sshd would report.  Text for people, JSON (jansson) for tools; both carry the
 * same content.  Renderers decide nothing.
 */
#ifndef SSHDIAG_SSHD_RENDER_H
#define SSHDIAG_SSHD_RENDER_H

#include "base/buf.h"
#include "sshd/config.h"

/* What the report says about where the configuration came from. */
struct sshd_render_info {
	const char *source;  /* "sshd pid 812 (-f /etc/ssh/sshd_config)" */
	const char *binary;  /* the sshd binary, NULL */
	const char *version; /* "OpenSSH_9.2p1 Debian-2+deb12u3", NULL when assumed */
	const char *client;  /* the connection asked about: NULLs for unknown parts */
	const char *user;
	const char *laddr;
	int lport;
	int all; /* 1: also list defaults (else only values set by the configuration) */
};

int sshd_render_text(const struct sshd_config *c, const struct sshd_effective *e,
                     const struct sshd_render_info *info, struct buf *out);
/* A malloc'd pretty-printed JSON object, NULL on OOM. */
char *sshd_render_json(const struct sshd_config *c, const struct sshd_effective *e,
                       const struct sshd_render_info *info);

#endif
