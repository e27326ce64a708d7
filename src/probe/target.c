#include "probe/target.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

void target_release(struct target *t)
{
	free(t->host);
	free(t->user);
	t->host = t->user = NULL;
}

static int parse_port(const char *s, unsigned *port)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return SD_ERR_INVALID;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return SD_ERR_INVALID;
	*port = (unsigned)v;
	return SD_OK;
}

int target_parse(const char *spec, unsigned default_port, struct target *t)
{
	const char *p = spec, *host, *end, *at;
	size_t hlen;
	int r;

	memset(t, 0, sizeof(*t));
	t->port = default_port;
	if (strncmp(p, "ssh://", 6) == 0) {
		p += 6;
		if ((end = strchr(p, '/')) != NULL && end[1] != '\0')
			return SD_ERR_INVALID;
		if ((at = strrchr(p, '@')) != NULL) {
			if (at == p || (t->user = strndup(p, (size_t)(at - p))) == NULL)
				return at == p ? SD_ERR_INVALID : SD_ERR_ALLOC;
			p = at + 1;
		}
	}
	if (*p == '[') {
		host = p + 1;
		if ((end = strchr(host, ']')) == NULL || end == host)
			goto invalid;
		hlen = (size_t)(end - host);
		p = end + 1;
		if (*p == ':') {
			if ((r = parse_port(p + 1, &t->port)) != 0)
				goto fail;
		} else if (*p != '\0' && strcmp(p, "/") != 0)
			goto invalid;
	} else {
		host = p;
		end = strchr(p, ':');
		if (end && strchr(end + 1, ':')) {
			/* a bare IPv6 address: no port possible without brackets */
			hlen = strlen(p);
		} else if (end) {
			hlen = (size_t)(end - p);
			if ((r = parse_port(end + 1, &t->port)) != 0)
				goto fail;
		} else {
			hlen = strlen(p);
			if (hlen && p[hlen - 1] == '/')
				hlen--;
		}
	}
	if (hlen == 0 || memchr(host, ' ', hlen) || memchr(host, '@', hlen))
		goto invalid;
	if ((t->host = strndup(host, hlen)) == NULL) {
		r = SD_ERR_ALLOC;
		goto fail;
	}
	if (t->host[hlen - 1] == '/')
		t->host[hlen - 1] = '\0';
	return SD_OK;
invalid:
	r = SD_ERR_INVALID;
fail:
	target_release(t);
	return r;
}
