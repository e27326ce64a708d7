#include "ssh/kexinit.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cursor.h"
#include "base/err.h"

const char *kex_list_name(enum kex_list which)
{
	static const char *const names[KEX_LIST_COUNT] = {
	    "kex_algorithms",
	    "server_host_key_algorithms",
	    "encryption_client_to_server",
	    "encryption_server_to_client",
	    "mac_client_to_server",
	    "mac_server_to_client",
	    "compression_client_to_server",
	    "compression_server_to_client",
	    "languages_client_to_server",
	    "languages_server_to_client",
	};
	return (unsigned)which < KEX_LIST_COUNT ? names[which] : "unknown";
}

int ssh_packet_frame(const uint8_t *data, size_t len, const uint8_t **payload, size_t *payload_len,
                     size_t *consumed)
{
	struct cursor c = cursor_of(data, len);
	uint32_t plen;
	uint8_t padlen;
	const uint8_t *body;
	int r;

	if ((r = cur_get_u32(&c, &plen)) != 0)
		return r;
	if (plen > SSH_PACKET_MAX)
		return SD_ERR_TOO_LONG;
	if (plen < 5) /* padding_length byte + at least 4 bytes of padding */
		return SD_ERR_INVALID;
	if ((r = cur_get_bytes(&c, plen, &body)) != 0)
		return r;
	padlen = body[0];
	if (padlen < 4 || (size_t)padlen + 1 > plen)
		return SD_ERR_INVALID;
	*payload = body + 1;
	*payload_len = plen - 1 - padlen;
	*consumed = 4 + (size_t)plen;
	return SD_OK;
}

void namelist_release(struct namelist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->n = 0;
}

/* A name is printable ASCII without comma or space (RFC 4251 §6). */
static int name_ok(const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0 || n > KEXINIT_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7f || p[i] == ',')
			return 0;
	return 1;
}

static int namelist_parse(const uint8_t *p, size_t len, struct namelist *out)
{
	struct namelist l = {NULL, 0};
	size_t start = 0, i, count = 1;
	int r = SD_OK;

	if (len == 0) {
		*out = l;
		return SD_OK;
	}
	for (i = 0; i < len; i++)
		count += p[i] == ',';
	if (count > KEXINIT_NAMES_MAX)
		return SD_ERR_TOO_LONG;
	if ((l.names = calloc(count, sizeof(*l.names))) == NULL)
		return SD_ERR_ALLOC;
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != ',')
			continue;
		if (!name_ok(p + start, i - start)) {
			r = SD_ERR_INVALID;
			break;
		}
		if ((l.names[l.n] = strndup((const char *)p + start, i - start)) == NULL) {
			r = SD_ERR_ALLOC;
			break;
		}
		l.n++;
		start = i + 1;
	}
	if (r != SD_OK) {
		namelist_release(&l);
		return r;
	}
	*out = l;
	return SD_OK;
}

int namelist_has(const struct namelist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return 1;
	return 0;
}

void kexinit_release(struct kexinit *k)
{
	int i;

	for (i = 0; i < KEX_LIST_COUNT; i++)
		namelist_release(&k->lists[i]);
	memset(k, 0, sizeof(*k));
}

int kexinit_parse(const uint8_t *payload, size_t len, struct kexinit *out)
{
	struct cursor c = cursor_of(payload, len);
	struct kexinit k;
	const uint8_t *p;
	size_t n;
	uint8_t type, follows;
	uint32_t reserved;
	int i, r;

	memset(&k, 0, sizeof(k));
	if ((r = cur_get_u8(&c, &type)) != 0)
		return r;
	if (type != SSH_MSG_KEXINIT)
		return SD_ERR_INVALID;
	if ((r = cur_get_bytes(&c, sizeof(k.cookie), &p)) != 0)
		return r;
	memcpy(k.cookie, p, sizeof(k.cookie));
	for (i = 0; i < KEX_LIST_COUNT; i++) {
		if ((r = cur_get_sshstring(&c, KEXINIT_LIST_MAX, &p, &n)) != 0 ||
		    (r = namelist_parse(p, n, &k.lists[i])) != 0)
			goto fail;
	}
	if ((r = cur_get_u8(&c, &follows)) != 0 || (r = cur_get_u32(&c, &reserved)) != 0)
		goto fail;
	k.first_kex_follows = follows != 0;
	k.strict_kex = namelist_has(&k.lists[KEX_ALGS], "kex-strict-s-v00@openssh.com");
	k.ext_info = namelist_has(&k.lists[KEX_ALGS], "ext-info-s");
	*out = k;
	return SD_OK;
fail:
	kexinit_release(&k);
	return r;
}

int disconnect_parse(const uint8_t *payload, size_t len, uint32_t *reason, char **description)
{
	struct cursor c = cursor_of(payload, len);
	const uint8_t *p;
	size_t n;
	uint8_t type;
	uint32_t code;
	char *s;
	int r;

	if ((r = cur_get_u8(&c, &type)) != 0)
		return r;
	if (type != SSH_MSG_DISCONNECT)
		return SD_ERR_INVALID;
	if ((r = cur_get_u32(&c, &code)) != 0 ||
	    (r = cur_get_sshstring(&c, SSH_PACKET_MAX, &p, &n)) != 0)
		return r;
	if ((s = sanitized_strndup(p, n < 1024 ? n : 1024, 4096)) == NULL)
		return SD_ERR_ALLOC;
	*reason = code;
	*description = s;
	return SD_OK;
}
