/*
 * cursor.h — a length-checked reader over untrusted bytes (OpenSSH's sshbuf_get_*, read-only).
 *
 * A cursor never reads outside [p, p + len).  Every getter either consumes what it returns and
 * yields SD_OK, or consumes nothing, leaves its outputs untouched and yields SD_ERR_TRUNCATED
 * (not enough bytes) or SD_ERR_TOO_LONG (a length field exceeds the caller's bound).
 * The cursor does not own the bytes.
 */
#ifndef SSHDIAG_BASE_CURSOR_H
#define SSHDIAG_BASE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p;
	size_t len;
};

static inline struct cursor cursor_of(const void *data, size_t len)
{
	struct cursor c = {(const uint8_t *)data, len};
	return c;
}

int cur_get_u8(struct cursor *c, uint8_t *ret);
int cur_get_u32(struct cursor *c, uint32_t *ret);
/* Consumes `n` bytes; `ret` (may be NULL) points at them inside the input. */
int cur_get_bytes(struct cursor *c, size_t n, const uint8_t **ret);
/*
 * An SSH `string` (uint32 length + bytes, RFC 4251 §5).  Fails with SD_ERR_TOO_LONG when the
 * length exceeds `max`.  `ret` points into the input; it is not NUL-terminated.
 */
int cur_get_sshstring(struct cursor *c, size_t max, const uint8_t **ret, size_t *ret_len);

#endif
