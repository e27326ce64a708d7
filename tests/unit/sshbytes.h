/*
 * sshbytes.h — builds SSH wire bytes for tests (independent of the code under test): SSH
 * strings, name-lists, KEXINIT and DISCONNECT payloads, and unencrypted binary packets.
 */
#ifndef SSHDIAG_TESTS_SSHBYTES_H
#define SSHDIAG_TESTS_SSHBYTES_H

#include <stddef.h>
#include <stdint.h>

#include "ssh/kexinit.h"

struct bytes {
	uint8_t *d;
	size_t n, cap;
};

/* Appenders abort() on OOM: a test helper has nothing better to do. */
void bytes_u8(struct bytes *b, uint8_t v);
void bytes_u32(struct bytes *b, uint32_t v);
void bytes_raw(struct bytes *b, const void *p, size_t n);
void bytes_sshstring(struct bytes *b, const void *p, size_t n);
void bytes_cstring(struct bytes *b, const char *s);
void bytes_free(struct bytes *b);

/* SSH_MSG_KEXINIT: cookie 0x00..0x0f, the ten name-lists as given (comma-separated). */
void kexinit_payload(struct bytes *b, const char *const lists[KEX_LIST_COUNT], int follows);
/* SSH_MSG_DISCONNECT with `reason` and a description of `n` bytes, language tag "". */
void disconnect_payload(struct bytes *b, uint32_t reason, const void *text, size_t n);
/* An unencrypted binary packet around `payload`, with `padlen` padding bytes (0xAA). */
void ssh_frame(struct bytes *out, const uint8_t *payload, size_t len, uint8_t padlen);

/* A plausible server KEXINIT list set (strict kex and ext-info offered). */
extern const char *const test_kex_lists[KEX_LIST_COUNT];

#endif
