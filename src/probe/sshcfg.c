#include "probe/sshcfg.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"
#include "probe/target.h"

void ssh_config_release(struct ssh_client_config *c)
{
	free(c->hostname);
	free(c->user);
	free(c->bind_address);
	free(c->bind_interface);
	free(c->proxy_jump);
	free(c->proxy_command);
	memset(c, 0, sizeof(*c));
}

/* A decimal in [lo, hi] filling the whole value; 0 when it is anything else. */
static unsigned parse_uint(const char *s, size_t len, unsigned lo, unsigned hi)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= lo && v <= hi ? (unsigned)v : 0;
}

/* Replaces *dst with the value (NULL for "none"), escaped and capped. */
static int set_str(char **dst, const char *v, size_t len)
{
	free(*dst);
	*dst = NULL;
	if (len == 0 || (len == 4 && strncasecmp(v, "none", 4) == 0))
		return SD_OK;
	if (len > SSHCFG_MAX_VALUE)
		len = SSHCFG_MAX_VALUE;
	return (*dst = sanitized_strndup(v, len, 4 * SSHCFG_MAX_VALUE)) ? SD_OK : SD_ERR_ALLOC;
}

enum key {
	K_HOSTNAME,
	K_PORT,
	K_USER,
	K_FAMILY,
	K_BINDADDR,
	K_BINDIF,
	K_TIMEOUT,
	K_JUMP,
	K_COMMAND,
	K__COUNT
};

static int key_of(const char *k, size_t len)
{
	static const char *const names[K__COUNT] = {
	    "hostname",      "port",           "user",      "addressfamily", "bindaddress",
	    "bindinterface", "connecttimeout", "proxyjump", "proxycommand",
	};
	int i;

	for (i = 0; i < K__COUNT; i++)
		if (strlen(names[i]) == len && strncasecmp(k, names[i], len) == 0)
			return i;
	return -1;
}

int ssh_config_parse(const char *text, size_t len, struct ssh_client_config *out)
{
	const char *p = text, *end = text + len, *nl, *sp, *v;
	size_t vlen;
	int k, r = SD_OK, have_host = 0;

	memset(out, 0, sizeof(*out));
	if (len > SSHCFG_MAX_INPUT)
		return SD_ERR_TOO_LONG;
	for (; p < end && r == SD_OK; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((sp = memchr(p, ' ', (size_t)(nl - p))) == NULL)
			continue;
		v = sp + 1;
		vlen = (size_t)(nl - v);
		if (vlen && v[vlen - 1] == '\r')
			vlen--;
		switch ((k = key_of(p, (size_t)(sp - p)))) {
		case K_HOSTNAME:
			r = set_str(&out->hostname, v, vlen);
			have_host = out->hostname != NULL;
			break;
		case K_PORT:
			out->port = parse_uint(v, vlen, 1, 65535);
			break;
		case K_USER:
			r = set_str(&out->user, v, vlen);
			break;
		case K_FAMILY:
			out->family = vlen == 4 && strncmp(v, "inet", 4) == 0    ? 4
			              : vlen == 5 && strncmp(v, "inet6", 5) == 0 ? 6
			                                                         : 0;
			break;
		case K_BINDADDR:
			r = set_str(&out->bind_address, v, vlen);
			break;
		case K_BINDIF:
			r = set_str(&out->bind_interface, v, vlen);
			break;
		case K_TIMEOUT:
			/* "none", or seconds (ssh caps it at INT_MAX / 1000) */
			out->connect_timeout_s = parse_uint(v, vlen, 1, 2147483);
			break;
		case K_JUMP:
			r = set_str(&out->proxy_jump, v, vlen);
			break;
		case K_COMMAND:
			r = set_str(&out->proxy_command, v, vlen);
			break;
		default:
			break;
		}
		if (nl == end)
			break;
	}
	if (r == SD_OK && !have_host)
		r = SD_ERR_INVALID;
	if (r != SD_OK)
		ssh_config_release(out);
	return r;
}

void ssh_jump_release(struct ssh_jump *j)
{
	free(j->user);
	free(j->host);
	memset(j, 0, sizeof(*j));
}

int ssh_jump_first(const char *proxy_jump, struct ssh_jump *out)
{
	struct target t;
	struct buf b;
	size_t n;
	int r;

	memset(out, 0, sizeof(*out));
	n = strcspn(proxy_jump, ",");
	if (n == 0 || n > SSHCFG_MAX_VALUE)
		return SD_ERR_INVALID;
	/* as an ssh:// URL, target_parse() reads user, [v6] and port the way ssh does */
	buf_init(&b, SSHCFG_MAX_VALUE + 16);
	if ((strncmp(proxy_jump, "ssh://", 6) != 0 && buf_adds(&b, "ssh://") != 0) ||
	    buf_add(&b, proxy_jump, n) != 0) {
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	r = target_parse(b.data, 0, &t);
	buf_release(&b);
	if (r != SD_OK)
		return r;
	out->user = t.user;
	out->host = t.host;
	out->port = t.port;
	return SD_OK;
}

const char *ssh_family_name(int family)
{
	return family == 4 ? "inet" : family == 6 ? "inet6" : "any";
}
