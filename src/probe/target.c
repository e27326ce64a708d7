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
	char *copy, *p, *host, *end, *at;
	size_t len;
	int r = SD_ERR_INVALID;

	memset(t, 0, sizeof(*t));
	t->port = default_port;
	if ((copy = strdup(spec)) == NULL)
		return SD_ERR_ALLOC;
	p = copy;
	if (strncmp(p, "ssh://", 6) == 0) {
		p += 6;
		/* an ssh:// URL may end in one "/" (RFC 3986 path-abempty), nothing more */
		len = strlen(p);
		if (len && p[len - 1] == '/')
			p[--len] = '\0';
		if ((at = strrchr(p, '@')) != NULL) {
			if (at == p)
				goto out;
			if ((t->user = strndup(p, (size_t)(at - p))) == NULL) {
				r = SD_ERR_ALLOC;
				goto out;
			}
			p = at + 1;
		}
	}
	if (strchr(p, '/') || strchr(p, '@') || strchr(p, ' '))
		goto out;
	if (*p == '[') {
		host = p + 1;
		if ((end = strchr(host, ']')) == NULL || end == host)
			goto out;
		*end = '\0';
		if (end[1] == ':') {
			if ((r = parse_port(end + 2, &t->port)) != 0)
				goto out;
		} else if (end[1] != '\0') {
			goto out;
		}
	} else {
		host = p;
		end = strchr(p, ':');
		/* two colons: a bare IPv6 address, which cannot carry a port without brackets */
		if (end && !strchr(end + 1, ':')) {
			*end = '\0';
			if ((r = parse_port(end + 1, &t->port)) != 0)
				goto out;
		}
	}
	if (*host == '\0') {
		r = SD_ERR_INVALID;
		goto out;
	}
	r = (t->host = strdup(host)) ? SD_OK : SD_ERR_ALLOC;
out:
	free(copy);
	if (r != SD_OK)
		target_release(t);
	return r;
}
