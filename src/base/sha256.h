/*
 * sha256.h — SHA-256 (FIPS 180-4) of bytes in memory, streaming: the bundle manifest's
 * checksum of every member.  Pure; no allocation.
 */
#ifndef SSHDIAG_BASE_SHA256_H
#define SSHDIAG_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t block[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex[65]. */
void sha256_hex(struct sha256 *s, char hex[65]);

#endif
