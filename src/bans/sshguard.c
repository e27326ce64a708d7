#include "bans/sshguard.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* A shell word: "…", '…' or bare; returns a malloc'd copy. */
static char *shell_value(const char *p, const char *end)
{
	char q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		const char *c;

		q = *p++;
		c = memchr(p, q, (size_t)(end - p));
		return strndup(p, c ? (size_t)(c - p) : (size_t)(end - p));
	}
	{
		const char *e = p;

		while (e < end && *e != ' ' && *e != '\t' && *e != '#' && *e != '\r')
			e++;
		return strndup(p, (size_t)(e - p));
	}
}

static long num(const char *s, long def)
{
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	return end == s ? def : v;
}

int sshguard_conf_parse(const char *text, size_t len, struct sshguard_conf *c)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	int r = SD_OK;

	memset(c, 0, sizeof(*c));
	c->threshold = 30;
	c->block_time = 120;
	c->detection_time = 1800;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *eq;
		char **dst = NULL, *v;
		unsigned *ln = NULL;
		long *nv = NULL;

		lineno++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p + 7 <= e && memcmp(p, "export ", 7) == 0)
			p += 7;
		if (p < e && *p != '#' && (eq = memchr(p, '=', (size_t)(e - p))) != NULL) {
			size_t kl = (size_t)(eq - p);

#define KEY(s) (kl == sizeof(s) - 1 && memcmp(p, s, kl) == 0)
			if (KEY("BACKEND")) {
				dst = &c->backend;
				ln = &c->backend_line;
			} else if (KEY("BLACKLIST_FILE")) {
				dst = &c->blacklist_file;
				ln = &c->blacklist_line;
			} else if (KEY("WHITELIST_FILE")) {
				dst = &c->whitelist_file;
				ln = &c->whitelist_line;
			} else if (KEY("THRESHOLD")) {
				nv = &c->threshold;
			} else if (KEY("BLOCK_TIME")) {
				nv = &c->block_time;
			} else if (KEY("DETECTION_TIME")) {
				nv = &c->detection_time;
			}
#undef KEY
			if (dst || nv) {
				if ((v = shell_value(eq + 1, e)) == NULL) {
					r = SD_ERR_ALLOC;
					break;
				}
				if (dst) {
					free(*dst);
					*dst = v;
					*ln = lineno;
				} else {
					*nv = num(v, *nv);
					free(v);
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (!r && !c->backend && (c->backend = strdup("")) == NULL)
		r = SD_ERR_ALLOC;
	if (!r && !c->whitelist_file && (c->whitelist_file = strdup("")) == NULL)
		r = SD_ERR_ALLOC;
	if (!r && !c->blacklist_file && (c->blacklist_file = strdup("")) == NULL)
		r = SD_ERR_ALLOC;
	if (!r && c->blacklist_file[0]) {
		/* "90:/var/lib/sshguard/enemies" */
		char *colon = strchr(c->blacklist_file, ':');

		if (colon && colon != c->blacklist_file) {
			c->blacklist_threshold = num(c->blacklist_file, 0);
			memmove(c->blacklist_file, colon + 1, strlen(colon + 1) + 1);
		}
	}
	if (r)
		sshguard_conf_release(c);
	return r;
}

void sshguard_conf_release(struct sshguard_conf *c)
{
	free(c->backend);
	free(c->blacklist_file);
	free(c->whitelist_file);
	memset(c, 0, sizeof(*c));
}

const char *sshguard_backend_kind(const char *b)
{
	static const char *const kinds[] = {"nft-sets", "iptables", "ipset", "firewalld",
	                                    "ipfilter", "ipfw",     "pf",    "null"};
	const char *base;
	size_t i;

	if (!b || !*b)
		return "";
	base = strrchr(b, '/');
	base = base ? base + 1 : b;
	if (strstr(base, "hosts"))
		return "hosts";
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(base, "sshg-fw-", 8) == 0 && strcmp(base + 8, kinds[i]) == 0)
			return kinds[i];
	return "other";
}

static int parse_entry(const char *p, const char *e, struct ip_addr *a, struct sshguard_entry *out)
{
	char tok[80];
	const char *f[4];
	size_t n = 0, l;
	char *end;

	f[0] = p;
	for (n = 1; n < 4; n++) {
		const char *bar = memchr(f[n - 1], '|', (size_t)(e - f[n - 1]));

		if (!bar)
			return 0;
		f[n] = bar + 1;
	}
	while (e > f[3] && (e[-1] == '\r' || e[-1] == ' '))
		e--;
	l = (size_t)(e - f[3]);
	if (l == 0 || l >= sizeof(tok))
		return 0;
	memcpy(tok, f[3], l);
	tok[l] = '\0';
	if (ip_addr_parse(tok, a) != SD_OK)
		return 0;
	out->time = strtoll(f[0], &end, 10);
	if (end == f[0])
		return 0;
	out->service = (int)strtol(f[1], NULL, 10);
	out->kind = (int)strtol(f[2], NULL, 10);
	return 1;
}

int sshguard_blacklist_find(const char *text, size_t len, const struct ip_addr *a,
                            struct sshguard_entry *out)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		struct ip_addr x;
		struct sshguard_entry en;

		lineno++;
		if (parse_entry(p, e, &x, &en) && x.family == a->family &&
		    memcmp(x.bytes, a->bytes, 16) == 0) {
			en.line = lineno;
			*out = en;
			return SD_OK;
		}
		p = nl ? nl + 1 : end;
	}
	return SD_ERR_NOT_FOUND;
}

size_t sshguard_blacklist_count(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		struct ip_addr x;
		struct sshguard_entry en;

		n += parse_entry(p, e, &x, &en);
		p = nl ? nl + 1 : end;
	}
	return n;
}

unsigned sshguard_whitelist_find(const char *text, size_t len, const struct ip_addr *a)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		char tok[80], *slash;
		struct ip_addr net;
		size_t l;

		lineno++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		l = 0;
		while (p + l < e && p[l] != ' ' && p[l] != '\t' && p[l] != '#' && p[l] != '\r')
			l++;
		if (l && l < sizeof(tok)) {
			unsigned bits;

			memcpy(tok, p, l);
			tok[l] = '\0';
			slash = strchr(tok, '/');
			if (slash)
				*slash = '\0';
			if (ip_addr_parse(tok, &net) == SD_OK) {
				char *pe = NULL;

				bits = net.family == 4 ? 32 : 128;
				if (slash) {
					/* "10.0.0.0/" or "/x" is no prefix length (strtoul would
					 * read 0 and whitelist every address) */
					unsigned long v = slash[1] >= '0' && slash[1] <= '9'
					                      ? strtoul(slash + 1, &pe, 10)
					                      : ~0UL;

					bits = pe && !*pe && v <= bits ? (unsigned)v : ~0u;
				}
				if (bits != ~0u && ip_addr_in_prefix(a, &net, bits))
					return lineno;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}
