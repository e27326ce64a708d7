#include "sshbytes.h"

#include <stdlib.h>
#include <string.h>

const char *const test_kex_lists[KEX_LIST_COUNT] = {
    "curve25519-sha256,ecdh-sha2-nistp256,ext-info-s,kex-strict-s-v00@openssh.com",
    "ssh-ed25519,rsa-sha2-512",
    "chacha20-poly1305@openssh.com,aes128-ctr",
    "aes256-gcm@openssh.com",
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512",
    "none,zlib@openssh.com",
    "none",
    "",
    "en-US",
};

static void bytes_reserve(struct bytes *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *p;

	if (b->n + extra <= b->cap)
		return;
	while (cap < b->n + extra)
		cap *= 2;
	if ((p = realloc(b->d, cap)) == NULL)
		abort();
	b->d = p;
	b->cap = cap;
}

void bytes_raw(struct bytes *b, const void *p, size_t n)
{
	bytes_reserve(b, n);
	if (n)
		memcpy(b->d + b->n, p, n);
	b->n += n;
}

void bytes_u8(struct bytes *b, uint8_t v)
{
	bytes_raw(b, &v, 1);
}

void bytes_u32(struct bytes *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	bytes_raw(b, x, 4);
}

void bytes_sshstring(struct bytes *b, const void *p, size_t n)
{
	bytes_u32(b, (uint32_t)n);
	bytes_raw(b, p, n);
}

void bytes_cstring(struct bytes *b, const char *s)
{
	bytes_sshstring(b, s, strlen(s));
}

void bytes_free(struct bytes *b)
{
	free(b->d);
	b->d = NULL;
	b->n = b->cap = 0;
}

void kexinit_payload(struct bytes *b, const char *const lists[KEX_LIST_COUNT], int follows)
{
	uint8_t i;

	bytes_u8(b, SSH_MSG_KEXINIT);
	for (i = 0; i < 16; i++)
		bytes_u8(b, i);
	for (i = 0; i < KEX_LIST_COUNT; i++)
		bytes_cstring(b, lists[i]);
	bytes_u8(b, follows ? 1 : 0);
	bytes_u32(b, 0);
}

void disconnect_payload(struct bytes *b, uint32_t reason, const void *text, size_t n)
{
	bytes_u8(b, SSH_MSG_DISCONNECT);
	bytes_u32(b, reason);
	bytes_sshstring(b, text, n);
	bytes_cstring(b, "");
}

void ssh_frame(struct bytes *out, const uint8_t *payload, size_t len, uint8_t padlen)
{
	size_t i;

	bytes_u32(out, (uint32_t)(1 + len + padlen));
	bytes_u8(out, padlen);
	bytes_raw(out, payload, len);
	for (i = 0; i < padlen; i++)
		bytes_u8(out, 0xAA);
}
