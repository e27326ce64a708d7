#include "probe/algos.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"

/* OpenSSH 9.2 client defaults (myproposal.h), used when `ssh -G` is not available. */
static const char *const default_lists[ALGO__COUNT] = {
    "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,"
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,"
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com",
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
};

/* The KEXINIT list each kind is negotiated against. */
static const enum kex_list server_list[ALGO__COUNT] = {
    KEX_ALGS, KEX_HOSTKEY, KEX_ENC_C2S, KEX_ENC_S2C, KEX_MAC_C2S, KEX_MAC_S2C,
};

const char *algo_kind_name(enum algo_kind k)
{
	static const char *const names[ALGO__COUNT] = {
	    "kex",
	    "host_key",
	    "cipher_client_to_server",
	    "cipher_server_to_client",
	    "mac_client_to_server",
	    "mac_server_to_client",
	};
	return (unsigned)k < ALGO__COUNT ? names[k] : "unknown";
}

/* ssh's wording in "no matching %s found" (kex.c). */
static const char *ssh_word(enum algo_kind k)
{
	switch (k) {
	case ALGO_KEX:
		return "key exchange method";
	case ALGO_HOSTKEY:
		return "host key type";
	case ALGO_CIPHER_C2S:
	case ALGO_CIPHER_S2C:
		return "cipher";
	default:
		return "MAC";
	}
}

static int split_list(const char *s, size_t len, struct namelist *out)
{
	size_t i, start = 0, count = 1;
	struct namelist l = {NULL, 0};

	for (i = 0; i < len; i++)
		count += s[i] == ',';
	if (count > KEXINIT_NAMES_MAX)
		return SD_ERR_TOO_LONG;
	if ((l.names = calloc(count, sizeof(*l.names))) == NULL)
		return SD_ERR_ALLOC;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (i > start) {
			if ((l.names[l.n] = strndup(s + start, i - start)) == NULL) {
				namelist_release(&l);
				return SD_ERR_ALLOC;
			}
			l.n++;
		}
		start = i + 1;
	}
	*out = l;
	return SD_OK;
}

void client_algos_release(struct client_algos *c)
{
	size_t k;

	for (k = 0; k < ALGO__COUNT; k++)
		namelist_release(&c->lists[k]);
	memset(c, 0, sizeof(*c));
}

int client_algos_default(struct client_algos *out)
{
	int k, r;

	memset(out, 0, sizeof(*out));
	out->from_defaults = 1;
	for (k = 0; k < ALGO__COUNT; k++)
		if ((r = split_list(default_lists[k], strlen(default_lists[k]), &out->lists[k])) !=
		    0) {
			client_algos_release(out);
			return r;
		}
	return SD_OK;
}

int client_algos_from_ssh_g(const char *text, size_t len, struct client_algos *out)
{
	static const struct {
		const char *key;
		enum algo_kind kinds[2];
		int nkinds;
	} keys[] = {
	    {"kexalgorithms", {ALGO_KEX, ALGO_KEX}, 1},
	    {"hostkeyalgorithms", {ALGO_HOSTKEY, ALGO_HOSTKEY}, 1},
	    {"ciphers", {ALGO_CIPHER_C2S, ALGO_CIPHER_S2C}, 2},
	    {"macs", {ALGO_MAC_C2S, ALGO_MAC_S2C}, 2},
	};
	const char *p = text, *end = text + len, *nl, *sp;
	size_t i, klen;
	int d, r, seen = 0;

	if ((r = client_algos_default(out)) != 0)
		return r;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((sp = memchr(p, ' ', (size_t)(nl - p))) == NULL)
			continue;
		klen = (size_t)(sp - p);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (klen != strlen(keys[i].key) || strncasecmp(p, keys[i].key, klen) != 0)
				continue;
			/* the configured list replaces the default in every direction it covers */
			for (d = 0; d < keys[i].nkinds; d++) {
				struct namelist *dst = &out->lists[keys[i].kinds[d]];
				namelist_release(dst);
				if ((r = split_list(sp + 1, (size_t)(nl - sp - 1), dst)) != 0) {
					client_algos_release(out);
					return r;
				}
			}
			seen++;
		}
		if (nl == end)
			break;
	}
	out->from_defaults = seen == 0;
	return SD_OK;
}

/* AEAD ciphers carry their own integrity: no MAC is negotiated for them. */
static int cipher_is_aead(const char *c)
{
	return c && (strcmp(c, "chacha20-poly1305@openssh.com") == 0 ||
	             strcmp(c, "aes128-gcm@openssh.com") == 0 ||
	             strcmp(c, "aes256-gcm@openssh.com") == 0);
}

void algo_prediction_release(struct algo_prediction *p)
{
	free(p->message);
	memset(p, 0, sizeof(*p));
}

int algo_predict(const struct client_algos *c, const struct kexinit *server, const char *address,
                 unsigned port, struct algo_prediction *out)
{
	struct buf b;
	size_t i, k;
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < ALGO__COUNT; k++) {
		const struct namelist *mine = &c->lists[k],
		                      *theirs = &server->lists[server_list[k]];
		for (i = 0; i < mine->n && !out->chosen[k]; i++)
			if (namelist_has(theirs, mine->names[i]))
				out->chosen[k] = mine->names[i];
	}
	for (k = 0; k < ALGO__COUNT && !out->mismatch; k++) {
		const struct namelist *theirs = &server->lists[server_list[k]];
		if (out->chosen[k])
			continue;
		if ((k == ALGO_MAC_C2S && cipher_is_aead(out->chosen[ALGO_CIPHER_C2S])) ||
		    (k == ALGO_MAC_S2C && cipher_is_aead(out->chosen[ALGO_CIPHER_S2C])))
			continue;
		out->mismatch = 1;
		buf_init(&b, 64 * 1024);
		r |= buf_addf(
		    &b, "Unable to negotiate with %s port %u: no matching %s found. Their offer: ",
		    address, port, ssh_word((enum algo_kind)k));
		for (i = 0; i < theirs->n; i++)
			r |= buf_addf(&b, "%s%s", i ? "," : "", theirs->names[i]);
		if (r || (out->message = buf_detach(&b)) == NULL) {
			buf_release(&b);
			return SD_ERR_ALLOC;
		}
	}
	return SD_OK;
}
