/*
 * bundle/redact.h — what a support bundle must never carry, decided from a file's path and
 * bytes (pure; io/bundle.c applies it to every member before it is written).
 *
 *   - files that hold password hashes by their nature (/etc/shadow, /etc/gshadow, their "-"
 *     backups, /etc/security/opasswd): never copied;
 *   - private keys (PEM "-----BEGIN … PRIVATE KEY-----", OpenSSH's, PuTTY's): never copied,
 *     whatever the path; the bundle records their existence and mode and copies the ".pub";
 *   - crypt(3) hashes inside any other text ("$1$", "$2b$", "$5$", "$6$", "$y$", … followed by
 *     salt and hash): replaced by "[REDACTED]" in place, so line numbers stay what the
 *     evidence cites.
 * Binaries (ELF, SQLite) are copied as they are: a hash-looking run inside them is code or
 * data, and editing them would change what the server side reads.
 */
#ifndef SSHDIAG_BUNDLE_REDACT_H
#define SSHDIAG_BUNDLE_REDACT_H

#include <stddef.h>

#include "base/buf.h"

#define REDACTED_TEXT "[REDACTED]"

/* 1 when the file at `path` (as seen on the host) is never copied because of its name. */
int redact_denied_path(const char *path);

/* 1 when the bytes hold a private key. */
int redact_has_private_key(const void *data, size_t len);

/* 1 when the bytes are a binary copied unchanged (ELF, SQLite). */
int redact_is_binary(const void *data, size_t len);

/*
 * Appends `data` to `out` with every crypt(3) hash replaced by REDACTED_TEXT; *n counts the
 * replacements.  SD_OK or SD_ERR_ALLOC / SD_ERR_TOO_LONG (out's cap).
 */
int redact_text(const char *data, size_t len, struct buf *out, unsigned *n);

#endif
