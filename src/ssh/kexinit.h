/*
 * kexinit.h — the first binary packet of an SSH connection: framing, SSH_MSG_KEXINIT and
 * SSH_MSG_DISCONNECT (RFC 4253 §6, §7.1, §11.1).
 *
 * Before key exchange packets are unencrypted and carry no MAC, so the first packet can be
 * read from the bytes that follow the server's identification.  Every length is checked
 * against the input and against a named limit before use.
 */
#ifndef SSHDIAG_SSH_KEXINIT_H
#define SSHDIAG_SSH_KEXINIT_H

#include <stddef.h>
#include <stdint.h>

#define SSH_PACKET_MAX    (256 * 1024) /* OpenSSH's PACKET_MAX_SIZE */
#define KEXINIT_LIST_MAX  (64 * 1024)  /* bytes in one name-list */
#define KEXINIT_NAMES_MAX 512          /* names in one name-list */
#define KEXINIT_NAME_MAX  64           /* RFC 4251 §6: names are at most 64 characters */

#define SSH_MSG_DISCONNECT 1
#define SSH_MSG_IGNORE     2
#define SSH_MSG_KEXINIT    20

enum kex_list {
	KEX_ALGS,
	KEX_HOSTKEY,
	KEX_ENC_C2S,
	KEX_ENC_S2C,
	KEX_MAC_C2S,
	KEX_MAC_S2C,
	KEX_COMP_C2S,
	KEX_COMP_S2C,
	KEX_LANG_C2S,
	KEX_LANG_S2C,
	KEX_LIST_COUNT
};

struct namelist {
	char **names; /* n NUL-terminated names, owned */
	size_t n;
};

struct kexinit {
	uint8_t cookie[16];
	struct namelist lists[KEX_LIST_COUNT];
	int first_kex_follows;
	int strict_kex; /* kex-strict-s-v00@openssh.com offered (Terrapin countermeasure) */
	int ext_info;   /* ext-info-s offered (RFC 8308) */
};

/* The JSON/text name of a list ("kex_algorithms", "server_host_key_algorithms", …). */
const char *kex_list_name(enum kex_list which);

/*
 * Frames one unencrypted binary packet at the start of `data`.  SD_OK with the payload (inside
 * `data`) and the bytes used; SD_ERR_TRUNCATED when more bytes are needed; SD_ERR_TOO_LONG
 * when packet_length exceeds SSH_PACKET_MAX; SD_ERR_INVALID for an impossible padding length.
 */
int ssh_packet_frame(const uint8_t *data, size_t len, const uint8_t **payload, size_t *payload_len,
                     size_t *consumed);

/* Parses an SSH_MSG_KEXINIT payload.  On success *out owns its names (kexinit_release). */
int kexinit_parse(const uint8_t *payload, size_t len, struct kexinit *out);
void kexinit_release(struct kexinit *k);

/* Frees the names and empties the list. */
void namelist_release(struct namelist *l);

/* 1 if `name` is in the list. */
int namelist_has(const struct namelist *l, const char *name);

/*
 * Parses an SSH_MSG_DISCONNECT payload: reason code and a sanitised description (owned by the
 * caller).
 */
int disconnect_parse(const uint8_t *payload, size_t len, uint32_t *reason, char **description);

#endif
