/*
 * sshd/dump.h — an option set as `sshd -T` prints it, line by line, each line with the
 * provenance of its value; and the listening addresses sshd derives from Port,
 * ListenAddress and AddressFamily.
 *
 * The printed form follows the modelled version's dump_config(): keywords lower-case, the
 * first name of a value (PermitRootLogin prohibit-password prints "without-password"),
 * times in seconds, "none" for unset strings, one line per Port, HostKey, AllowUsers entry,
 * one line for AuthorizedKeysFile or AuthenticationMethods.  The algorithm lists (Ciphers,
 * MACs, KexAlgorithms, *Algorithms) are printed as written or "(built-in)": their compiled-in
 * defaults are the binary's business, so they are not part of the model's promise.
 */
#ifndef SSHDIAG_SSHD_DUMP_H
#define SSHDIAG_SSHD_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "sshd/options.h"

/* One listening address, after ListenAddress and Port are combined as sshd does. */
struct sshd_listen {
	int family;       /* 4 or 6; 0 when `host` is a name the pure layer cannot resolve */
	uint8_t addr[16]; /* network order */
	int wildcard;     /* no ListenAddress: every local address of the family */
	char host[256];   /* the address as written ("" for the wildcard) */
	int port;
	struct sshd_origin origin; /* the ListenAddress (or Port) line, file NULL: default */
};

/*
 * ListenAddress lines without a port multiply by every Port line: a hostile file could ask
 * for millions.  sshd itself stops at 16 sockets (MAX_LISTEN_SOCKS, "Too many listen
 * sockets"), so the expansion keeps the first SSHD_LISTEN_MAX and drops the rest.
 */
#define SSHD_LISTEN_MAX 1024

/*
 * Expands the listening addresses in the order `sshd -T` prints them.  *out is malloc'd
 * (free() it); SD_OK or SD_ERR_ALLOC.  A numeric address of the wrong family (ListenAddress
 * ::1 with AddressFamily inet) is left out: sshd refuses to start, and the configuration's
 * diagnostics say so.
 */
int sshd_listen_addrs(const struct sshd_options *o, struct sshd_listen **out, size_t *n);

/* "0.0.0.0:22" / "[::1]:2222" / "name:22" into buf. */
void sshd_listen_format(const struct sshd_listen *l, char *buf, size_t len);

/*
 * Calls `emit` for every line `sshd -T` prints, in its order: the keyword (lower-case), the
 * value text, and where the value came from.  `modelled` is 0 for values the model does not
 * promise (algorithm lists).  Stops at the first non-zero return of `emit` and returns it.
 */
typedef int (*sshd_dump_fn)(void *ctx, enum sshd_kw kw, const char *value,
                            const struct sshd_origin *origin, int modelled);
int sshd_dump(const struct sshd_options *o, int version, int debian, sshd_dump_fn emit, void *ctx);

/* The whole dump as text, "keyword value\n" per line (like `sshd -T`). */
int sshd_dump_text(const struct sshd_options *o, int version, int debian, struct buf *out);

#endif
